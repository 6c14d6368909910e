//! Documentation items: the evidence per activity that the audits looked for (behovsanalys,
//! projektplan, nyttokalkyl, riskanalys, beslutsunderlag, slutrapport …), with an optional
//! attached file.

crate::text_enum! {
    /// The kinds of evidence an activity can have.
    DocumentationKind {
        /// Behovsanalys.
        NeedsAnalysis => "needs_analysis",
        /// Were citizens, users or staff involved early?
        StakeholderInvolvement => "stakeholder_involvement",
        /// Projektplan.
        ProjectPlan => "project_plan",
        /// Nyttokalkyl.
        BenefitCalculation => "benefit_calculation",
        /// Riskanalys.
        RiskAnalysis => "risk_analysis",
        /// Beslutsunderlag.
        DecisionBasis => "decision_basis",
        /// Slutrapport or projektutvärdering.
        FinalReport => "final_report",
    }
}

crate::text_enum! {
    /// How far a documentation item has come.
    DocumentationStatus {
        Missing => "missing",
        Draft => "draft",
        Done => "done",
        /// Not applicable; a reason is required.
        NotApplicable => "not_applicable",
    }
}
