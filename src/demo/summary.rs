//! What the demo generator wrote, counted back from the database.

use std::fmt;

use diesel::prelude::*;

use crate::db::schema::{
    activities, audit_actions, audit_findings, benefit_follow_ups, benefits, budget_lines, changes,
    decisions, documentation_items, focus_areas, objects, organisations, people, phase_transitions,
    plans, risks, roadmap_goals, roadmaps, role_assignments, systems,
};
use crate::db::DbConnection;
use crate::domain::activities::Phase;
use crate::domain::documentation_items::DocumentationStatus;
use crate::domain::plans::PlanStatus;

/// Row counts after seeding.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    pub organisations: i64,
    pub people: i64,
    pub objects: i64,
    pub systems: i64,
    pub role_assignments: i64,
    pub focus_areas: i64,
    pub plans: i64,
    pub plans_draft: i64,
    pub plans_adopted: i64,
    pub plans_closed: i64,
    pub budget_lines: i64,
    pub roadmaps: i64,
    pub roadmap_goals: i64,
    pub activities: i64,
    /// Activities per phase, in phase order.
    pub activities_by_phase: Vec<(Phase, i64)>,
    pub documentation_items: i64,
    pub documentation_missing: i64,
    pub phase_transitions: i64,
    /// Transitions an admin forced through unmet phase rules.
    pub phase_overrides: i64,
    pub decisions: i64,
    pub benefits: i64,
    pub benefit_follow_ups: i64,
    pub risks: i64,
    pub audit_findings: i64,
    pub audit_actions: i64,
    /// Change-history records written.
    pub changes: i64,
    /// Wall-clock time of the whole run.
    pub seconds: f64,
}

macro_rules! count {
    ($conn:expr, $table:ident) => {
        $table::table.count().get_result::<i64>($conn)?
    };
}

pub fn count(conn: &mut DbConnection) -> anyhow::Result<Summary> {
    let plan_status = |conn: &mut DbConnection, s: PlanStatus| -> QueryResult<i64> {
        plans::table
            .filter(plans::status.eq(s))
            .count()
            .get_result(conn)
    };
    let mut by_phase = Vec::new();
    for phase in Phase::ALL {
        let n: i64 = activities::table
            .filter(activities::phase.eq(*phase))
            .count()
            .get_result(conn)?;
        by_phase.push((*phase, n));
    }
    Ok(Summary {
        organisations: count!(conn, organisations),
        people: count!(conn, people),
        objects: count!(conn, objects),
        systems: count!(conn, systems),
        role_assignments: count!(conn, role_assignments),
        focus_areas: count!(conn, focus_areas),
        plans: count!(conn, plans),
        plans_draft: plan_status(conn, PlanStatus::Draft)?,
        plans_adopted: plan_status(conn, PlanStatus::Adopted)?,
        plans_closed: plan_status(conn, PlanStatus::Closed)?,
        budget_lines: count!(conn, budget_lines),
        roadmaps: count!(conn, roadmaps),
        roadmap_goals: count!(conn, roadmap_goals),
        activities: count!(conn, activities),
        activities_by_phase: by_phase,
        documentation_items: count!(conn, documentation_items),
        documentation_missing: documentation_items::table
            .filter(documentation_items::status.eq(DocumentationStatus::Missing))
            .count()
            .get_result(conn)?,
        phase_transitions: count!(conn, phase_transitions),
        phase_overrides: phase_transitions::table
            .filter(phase_transitions::override_reason.is_not_null())
            .count()
            .get_result(conn)?,
        decisions: count!(conn, decisions),
        benefits: count!(conn, benefits),
        benefit_follow_ups: count!(conn, benefit_follow_ups),
        risks: count!(conn, risks),
        audit_findings: count!(conn, audit_findings),
        audit_actions: count!(conn, audit_actions),
        changes: count!(conn, changes),
        seconds: 0.0,
    })
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let phases = self
            .activities_by_phase
            .iter()
            .map(|(p, n)| format!("{p} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let rows: Vec<(&str, String)> = vec![
            ("organisations", self.organisations.to_string()),
            ("people", self.people.to_string()),
            ("objects", self.objects.to_string()),
            ("systems", self.systems.to_string()),
            ("role assignments", self.role_assignments.to_string()),
            ("focus areas", self.focus_areas.to_string()),
            (
                "plans",
                format!(
                    "{} (draft {}, adopted {}, closed {})",
                    self.plans, self.plans_draft, self.plans_adopted, self.plans_closed
                ),
            ),
            ("budget lines", self.budget_lines.to_string()),
            ("roadmaps", self.roadmaps.to_string()),
            ("roadmap goals", self.roadmap_goals.to_string()),
            ("activities", format!("{} ({phases})", self.activities)),
            (
                "documentation items",
                format!(
                    "{} ({} missing)",
                    self.documentation_items, self.documentation_missing
                ),
            ),
            (
                "phase transitions",
                format!(
                    "{} ({} overridden)",
                    self.phase_transitions, self.phase_overrides
                ),
            ),
            ("decisions", self.decisions.to_string()),
            ("benefits", self.benefits.to_string()),
            ("benefit follow-ups", self.benefit_follow_ups.to_string()),
            ("risks", self.risks.to_string()),
            ("audit findings", self.audit_findings.to_string()),
            ("audit actions", self.audit_actions.to_string()),
            ("change records", self.changes.to_string()),
            ("seconds", format!("{:.2}", self.seconds)),
        ];
        for (name, value) in rows {
            writeln!(f, "{name:<22} {value}")?;
        }
        Ok(())
    }
}
