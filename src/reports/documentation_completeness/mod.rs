//! `documentation-completeness`: the auditors' table as a report. For the activities chosen by
//! the filters (typically finished projects: `phase=completed,evaluated`), per organisation and
//! requirement — purpose and goals, budget, time frame and each documentation kind — how many
//! are done, not applicable and missing; and, in `/gaps`, every activity and what it lacks.

mod gaps;

use crate::db::DbConnection;
use crate::domain::documentation_items::DocumentationKind;
use crate::domain::phase_rules::Requirement;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext, REPORTED_REQUIREMENTS};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

pub use gaps::GAPS;

/// The Swedish name of a reported requirement (as the audits call it).
pub fn label(requirement: Requirement) -> &'static str {
    match requirement {
        Requirement::PurposeAndGoals => "Syfte och mål",
        Requirement::PlannedBudget => "Budget",
        Requirement::TimeFrame => "Tidsram",
        Requirement::NeedsAnalysis => "Behovsanalys",
        Requirement::StakeholderInvolvement => "Delaktighet",
        Requirement::ProjectPlan => "Projektplan",
        Requirement::BenefitCalculation => "Nyttokalkyl",
        Requirement::RiskAnalysis => "Riskanalys",
        Requirement::DecisionBasis => "Beslutsunderlag",
        Requirement::FinalReport => "Slutrapport/projektutvärdering",
        Requirement::ResponsiblePerson => "Ansvarig",
        Requirement::Prioritisation => "Prioritering",
    }
}

/// The place (1-based) of a documentation kind's character in `activities.documentation_state`:
/// the order of [`DocumentationKind::ALL`], as the migration `documentation_state` writes it. 0 for
/// the requirements that are activity fields.
fn state_position(requirement: Requirement) -> usize {
    DocumentationKind::ALL
        .iter()
        .position(|k| k.as_str() == requirement.as_str())
        .map_or(0, |i| i + 1)
}

/// The requirements the `requirement` filter chooses (all when it is not given), in report order.
fn chosen_requirements(ctx: &ReportContext) -> Vec<Requirement> {
    REPORTED_REQUIREMENTS
        .iter()
        .copied()
        .filter(|r| ctx.filters.requirement.is_empty() || ctx.filters.requirement.contains(r))
        .collect()
}

/// `req`: the chosen requirements as a derived table (requirement, label, ord). The values are
/// Styra's own constants, not client input, so they are written as literals.
fn requirements_cte(ctx: &ReportContext) -> String {
    let chosen = chosen_requirements(ctx);
    let selects: Vec<String> = chosen
        .iter()
        .enumerate()
        .map(|(i, r)| {
            format!(
                "SELECT '{}' AS requirement, '{}' AS label, {} AS ord",
                r.as_str(),
                label(*r),
                i + 1
            )
        })
        .collect();
    format!("req AS ({})", selects.join(" UNION ALL "))
}

report_row! {
    /// One organisation and requirement.
    pub struct CompletenessRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the activities (each organisation in the subtree has its own rows).";
        organisation_name: String => "Organisation", "\"Socialnämnden\"", "Its name.";
        requirement: String => "Krav", "\"benefit_calculation\"", "What is documented: purpose_and_goals, planned_budget, time_frame, or a documentation kind (needs_analysis, stakeholder_involvement, project_plan, benefit_calculation, risk_analysis, decision_basis, final_report).";
        requirement_label: String => "Dokumentation", "\"Nyttokalkyl\"", "The requirement's Swedish name.";
        activities: i64 => "Aktiviteter", "4", "Activities of the organisation matching the filters.";
        done: i64 => "Klar", "2", "Activities where it is done: a documentation item with status `done`; for the fields, purpose_and_goals filled in, planned_budget set, or both start_date and end_date set.";
        not_applicable: i64 => "Ej tillämplig", "0", "Activities whose item is `not_applicable` (with a reason). Always 0 for the fields.";
        missing: i64 => "Saknas", "2", "activities − done − not_applicable: no item at all, an item still `missing`, or a `draft` (a draft is not done); for the fields, not filled in.";
        draft: i64 => "Varav utkast", "0", "Of `missing`: items in `draft`.";
        share_done: Option<f64> [Share] => "Andel klar", "0.5", "done / (activities − not_applicable), 0–1; not applicable items are left out of the denominator. Null when nothing applies.";
    }
}

/// "Purpose and goals not filled in", "no planned budget", "no time frame": the three
/// requirements that are fields of the activity row `a`, as SQL conditions. The summary, the gaps
/// and the overview all judge the fields by these.
pub const NO_PURPOSE: &str = "(a.purpose_and_goals IS NULL OR TRIM(a.purpose_and_goals) = '')";
pub const NO_BUDGET: &str = "(a.planned_budget IS NULL)";
pub const NO_TIME_FRAME: &str = "(a.start_date IS NULL OR a.end_date IS NULL)";

/// The filtered activities as the CTE `act`.
fn activities_cte(sql: &mut Sql, ctx: &ReportContext, columns: &str) {
    sql.push(&format!(
        "WITH act AS (SELECT {columns} FROM activities a WHERE 1 = 1"
    ));
    sql.and_activity_filters("a", ctx);
    sql.push("), ");
    sql.push(&requirements_cte(ctx));
}

fn run_summary(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    activities_cte(
        &mut sql,
        ctx,
        &format!(
            "a.id, a.organisation_id, CASE WHEN {NO_PURPOSE} THEN 0 ELSE 1 END AS has_purpose, \
             CASE WHEN {NO_BUDGET} THEN 0 ELSE 1 END AS has_budget, \
             CASE WHEN {NO_TIME_FRAME} THEN 0 ELSE 1 END AS has_time_frame"
        ),
    );
    sql.push(
        ", per_org AS (
            SELECT organisation_id, COUNT(*) AS activities, SUM(has_purpose) AS purpose_done,
                   SUM(has_budget) AS budget_done, SUM(has_time_frame) AS time_frame_done
            FROM act GROUP BY organisation_id),
        docs AS (
            SELECT act.organisation_id, d.kind,
                   COUNT(CASE WHEN d.status = 'done' THEN 1 END) AS done,
                   COUNT(CASE WHEN d.status = 'not_applicable' THEN 1 END) AS not_applicable,
                   COUNT(CASE WHEN d.status = 'draft' THEN 1 END) AS draft
            FROM act JOIN documentation_items d ON d.activity_id = act.id
            GROUP BY act.organisation_id, d.kind),
        counted AS (
            SELECT p.organisation_id, r.requirement, r.label, r.ord, p.activities,
                   CASE r.requirement
                       WHEN 'purpose_and_goals' THEN p.purpose_done
                       WHEN 'planned_budget' THEN p.budget_done
                       WHEN 'time_frame' THEN p.time_frame_done
                       ELSE COALESCE(d.done, 0) END AS done,
                   COALESCE(d.not_applicable, 0) AS not_applicable,
                   COALESCE(d.draft, 0) AS draft
            FROM per_org p CROSS JOIN req r
            LEFT JOIN docs d ON d.organisation_id = p.organisation_id AND d.kind = r.requirement)
        SELECT c.organisation_id, o.name AS organisation_name, c.requirement,
               c.label AS requirement_label, c.activities, c.done, c.not_applicable,
               c.activities - c.done - c.not_applicable AS missing, c.draft,
               CASE WHEN c.activities - c.not_applicable = 0 THEN NULL
                    ELSE CAST(c.done AS DOUBLE PRECISION) / (c.activities - c.not_applicable)
               END AS share_done
        FROM counted c JOIN organisations o ON o.id = c.organisation_id
        ORDER BY o.name_sort, o.id, c.ord",
    );
    Ok(cells(sql.load::<CompletenessRow>(conn)?))
}

const FILTERS: &[Filter] = &[
    Filter::OrganisationId,
    Filter::Year,
    Filter::FromYear,
    Filter::ToYear,
    Filter::Phase,
    Filter::Kind,
    Filter::FocusAreaId,
    Filter::Requirement,
];

pub const SUMMARY: ReportTable = ReportTable {
    key: "documentation_completeness",
    path: "documentation-completeness",
    title: "Dokumentationsgrad",
    summary: "Documentation completeness per organisation and requirement",
    description: "For the activities the filters choose (the auditors' question is usually about finished projects: `phase=completed,evaluated`), one row per organisation and requirement: purpose and goals (syfte och mål), budget, time frame (tidsram) and each documentation kind (behovsanalys, delaktighet, projektplan, nyttokalkyl, riskanalys, beslutsunderlag, slutrapport). Counts are per activity: done, not applicable, missing (no item at all, an item still `missing`, or a `draft` — a draft is not done), and the share done = done / (activities − not applicable). Each organisation counts the activities it owns itself; `organisation_id` chooses a subtree, and every organisation in it with matching activities gets its rows. The activities behind the missing figures are listed by `/reports/documentation-completeness/gaps`.",
    filters: FILTERS,
    required: &[],
    columns: CompletenessRow::COLUMNS,
    run: run_summary,
    pages: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The migrations write the state's characters in `DocumentationKind::ALL` order; the report
    /// reads them by that order. A reordered enum or migration must fail here.
    #[test]
    fn the_migrations_write_the_kinds_in_the_order_the_report_reads() {
        for migration in [
            include_str!("../../../migrations/sqlite/2026-12-03-000010_documentation_state/up.sql"),
            include_str!(
                "../../../migrations/postgres/2026-12-03-000010_documentation_state/up.sql"
            ),
            // Redefines SQLite's view (PostgreSQL's `documentation_state_of` stays as it was).
            include_str!(
                "../../../migrations/sqlite/2026-12-03-000012_documentation_open_items/up.sql"
            ),
        ] {
            let places: Vec<usize> = DocumentationKind::ALL
                .iter()
                .map(|k| {
                    migration
                        .find(&format!("kind = '{}'", k.as_str()))
                        .unwrap_or_else(|| panic!("{} not in the migration", k.as_str()))
                })
                .collect();
            assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:?}");
        }
        let positions: Vec<usize> = REPORTED_REQUIREMENTS
            .iter()
            .map(|r| state_position(*r))
            .collect();
        // The three activity fields, then the seven kinds' characters 1–7.
        assert_eq!(positions, vec![0, 0, 0, 1, 2, 3, 4, 5, 6, 7]);
    }
}
