//! `documentation-completeness`: the auditors' table as a report. For the activities chosen by
//! the filters (typically finished projects: `phase=completed,evaluated`), per organisation and
//! requirement — purpose and goals, budget, time frame and each documentation kind — how many
//! are done, not applicable and missing; and, in `/gaps`, every activity and what it lacks.

use diesel::sql_types::{Bool, Integer, Nullable, Text};

use crate::db::DbConnection;
use crate::domain::documentation_items::DocumentationKind;
use crate::domain::phase_rules::Requirement;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext, REPORTED_REQUIREMENTS};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

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

report_row! {
    /// One activity and one requirement it does not meet.
    pub struct GapRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the activity.";
        organisation_name: String => "Organisation", "\"Socialnämnden\"", "Its name.";
        activity_id: String => "Aktivitets-id", "\"0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70\"", "The activity.";
        external_id: Option<String> => "Externt id", "\"PRJ-2021-07\"", "The activity's external_id, if any.";
        title: String => "Aktivitet", "\"Digital signering av myndighetsbeslut\"", "The activity's title.";
        phase: String => "Fas", "\"completed\"", "The activity's phase.";
        year: i32 => "År", "2021", "The activity's year.";
        requirement: String => "Krav", "\"final_report\"", "What is missing (see the summary's `requirement`).";
        requirement_label: String => "Dokumentation", "\"Slutrapport/projektutvärdering\"", "Its Swedish name.";
        status: String => "Status", "\"absent\"", "`absent`: no documentation item (or, for a field, not filled in); `missing`: an item that says it is missing; `draft`: an item not yet done.";
        documentation_item_id: Option<String> => "Dokumentations-id", "null", "The documentation item, when there is one (missing or draft).";
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

/// An activity with at least one gap among the chosen requirements, as the gaps query reads it:
/// what it lacks is in the three field flags, its `documentation_state` (one character per
/// documentation kind) and its `documentation_open_items`, both kept by triggers (see the
/// migrations `documentation_state` and `documentation_open_items`).
#[derive(Debug, diesel::QueryableByName)]
struct GapActivity {
    #[diesel(sql_type = Text)]
    organisation_id: String,
    #[diesel(sql_type = Text)]
    organisation_name: String,
    #[diesel(sql_type = Text)]
    activity_id: String,
    /// The organisation's and the activity's sort keys (`name_sort`, `title_sort`): the report's
    /// order.
    #[diesel(sql_type = Text)]
    organisation_sort: String,
    #[diesel(sql_type = Text)]
    title_sort: String,
    #[diesel(sql_type = Nullable<Text>)]
    external_id: Option<String>,
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    phase: String,
    #[diesel(sql_type = Integer)]
    year: i32,
    #[diesel(sql_type = Bool)]
    no_purpose: bool,
    #[diesel(sql_type = Bool)]
    no_budget: bool,
    #[diesel(sql_type = Bool)]
    no_time_frame: bool,
    #[diesel(sql_type = Text)]
    state: String,
    /// `kind id kind id …` of the activity's items still missing or in draft, kept by the same
    /// triggers (see the migration `documentation_open_items`).
    #[diesel(sql_type = Nullable<Text>)]
    open_items: Option<String>,
}

impl GapActivity {
    /// Why the activity does not meet a requirement (`absent`, `missing`, `draft`), or `None`
    /// when it does (done or not applicable).
    fn gap(&self, requirement: Requirement) -> Option<&'static str> {
        let code = match requirement {
            Requirement::PurposeAndGoals => self.no_purpose.then_some(b'-'),
            Requirement::PlannedBudget => self.no_budget.then_some(b'-'),
            Requirement::TimeFrame => self.no_time_frame.then_some(b'-'),
            // As in the query's SUBSTR: a state too short to hold the kind (never written so)
            // shows no gap.
            kind => state_position(kind)
                .checked_sub(1)
                .and_then(|i| self.state.as_bytes().get(i).copied()),
        };
        match code? {
            b'-' => Some("absent"),
            b'm' => Some("missing"),
            b'r' => Some("draft"),
            _ => None,
        }
    }

    /// The id of the activity's open item of a documentation kind.
    fn open_item(&self, requirement: Requirement) -> Option<String> {
        let mut words = self.open_items.as_deref()?.split(' ');
        while let (Some(kind), Some(id)) = (words.next(), words.next()) {
            if kind == requirement.as_str() {
                return Some(id.to_owned());
            }
        }
        None
    }
}

/// The gaps: the activities the filters choose that lack at least one chosen requirement, read
/// once in report order with what they lack (field flags, `documentation_state`, and the ids of
/// their open items from `documentation_open_items`: no documentation item is read); each
/// becomes one row per requirement it lacks, in requirement order. Crossing the activities with
/// the requirements in SQL instead, and sorting the 13k gap rows there, took twice as long on
/// both databases; probing the open items per activity cost a further third (PostgreSQL) to 40 %
/// (SQLite).
fn run_gaps(conn: &mut DbConnection, ctx: &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let chosen = chosen_requirements(ctx);
    let lacks: Vec<String> = chosen
        .iter()
        .map(|r| match r {
            Requirement::PurposeAndGoals => NO_PURPOSE.to_owned(),
            Requirement::PlannedBudget => NO_BUDGET.to_owned(),
            Requirement::TimeFrame => NO_TIME_FRAME.to_owned(),
            kind => format!(
                "SUBSTR(a.documentation_state, {}, 1) IN ('-', 'm', 'r')",
                state_position(*kind)
            ),
        })
        .collect();
    let mut sql = Sql::new();
    sql.push(&format!(
        "SELECT a.organisation_id, o.name AS organisation_name, a.id AS activity_id,
                o.name_sort AS organisation_sort, a.title_sort, a.external_id, a.title, a.phase, a.year,
                {NO_PURPOSE} AS no_purpose, {NO_BUDGET} AS no_budget,
                {NO_TIME_FRAME} AS no_time_frame, a.documentation_state AS state,
                a.documentation_open_items AS open_items
         FROM activities a JOIN organisations o ON o.id = a.organisation_id
         WHERE ({})",
        lacks.join(" OR "),
    ));
    sql.and_activity_filters("a", ctx);
    // Sorted here, not by ORDER BY: PostgreSQL took 30 ms to sort a municipality's 4.5k
    // activities by these text keys (the rest of the query 23 ms); here it takes well under one.
    // The sort keys are "C"-collated on PostgreSQL and BINARY on SQLite, ids compare bytewise:
    // byte order, as `String`'s `Ord`.
    let mut activities = sql.load::<GapActivity>(conn)?;
    activities.sort_unstable_by(|a, b| {
        (
            &a.organisation_sort,
            &a.organisation_id,
            &a.title_sort,
            &a.activity_id,
        )
            .cmp(&(
                &b.organisation_sort,
                &b.organisation_id,
                &b.title_sort,
                &b.activity_id,
            ))
    });
    let mut rows = Vec::new();
    for activity in activities {
        for requirement in &chosen {
            if let Some(status) = activity.gap(*requirement) {
                let documentation_item_id = match status {
                    "absent" => None,
                    _ => activity.open_item(*requirement),
                };
                rows.push(GapRow {
                    organisation_id: activity.organisation_id.clone(),
                    organisation_name: activity.organisation_name.clone(),
                    activity_id: activity.activity_id.clone(),
                    external_id: activity.external_id.clone(),
                    title: activity.title.clone(),
                    phase: activity.phase.clone(),
                    year: activity.year,
                    requirement: requirement.as_str().to_owned(),
                    requirement_label: label(*requirement).to_owned(),
                    status: status.to_owned(),
                    documentation_item_id,
                });
            }
        }
    }
    Ok(cells(rows))
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
};

pub const GAPS: ReportTable = ReportTable {
    key: "documentation_completeness_gaps",
    path: "documentation-completeness/gaps",
    title: "Dokumentationsluckor",
    summary: "Every activity and the documentation it lacks",
    description: "The rows behind `missing` in `/reports/documentation-completeness`, with the same filters: one row per activity and requirement that is neither done nor not applicable, naming the organisation, the activity (id, external id, title), its phase and year, what is missing and why (`absent`, `missing` or `draft`). Ordered by organisation and title.",
    filters: FILTERS,
    required: &[],
    columns: GapRow::COLUMNS,
    run: run_gaps,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The migrations write the state's characters in `DocumentationKind::ALL` order; the report
    /// reads them by that order. A reordered enum or migration must fail here.
    #[test]
    fn the_migrations_write_the_kinds_in_the_order_the_report_reads() {
        for migration in [
            include_str!("../../migrations/sqlite/2026-12-03-000010_documentation_state/up.sql"),
            include_str!("../../migrations/postgres/2026-12-03-000010_documentation_state/up.sql"),
            // Redefines SQLite's view (PostgreSQL's `documentation_state_of` stays as it was).
            include_str!(
                "../../migrations/sqlite/2026-12-03-000012_documentation_open_items/up.sql"
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
