//! `overview`: one call for the kommunstyrelse — per committee (nämnd) and its whole subtree, the
//! headline figures of the other reports for one year. Each figure uses the definition of the
//! report it summarises (model compliance, documentation completeness, audit follow-up), so the
//! overview agrees with the detailed reports for the same committee.

use crate::db::DbConnection;
use crate::report_row;
use crate::reports::audit_follow_up::overdue_condition;
use crate::reports::documentation_completeness::{NO_BUDGET, NO_PURPOSE, NO_TIME_FRAME};
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

/// Requirements per activity in `documentation-completeness` (7 kinds + 3 fields). The kinds done
/// and not applicable are counted from `activities.documentation_state` (one character per kind,
/// kept by triggers), not by joining every activity's documentation items.
const REQUIREMENTS_PER_ACTIVITY: i32 = 10;

/// A risk score from which a risk counts as high (probability × consequence on the 4 × 4 matrix).
pub const HIGH_RISK_SCORE: i32 = 12;

report_row! {
    /// One committee and its subtree in the year.
    pub struct OverviewRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The committee (nämnd); its figures cover it and every organisation below it.";
        organisation_name: String => "Nämnd", "\"Socialnämnden\"", "Its name.";
        objects: i64 => "Objekt", "12", "Active förvaltningsobjekt owned in the subtree (as `model-compliance` counts them).";
        objects_with_adopted_plan: i64 => "Med fastställd plan", "9", "Of these, objects whose plan for the year is adopted or closed.";
        share_with_adopted_plan: Option<f64> [Share] => "Andel med fastställd plan", "0.75", "objects_with_adopted_plan / objects; null without objects.";
        objects_with_vacant_roles: i64 => "Med vakanta roller", "2", "Objects with at least one required role vacant on the reference date (today, or 31 December of the year when earlier).";
        activities: i64 => "Aktiviteter", "20", "Activities of the year owned in the subtree.";
        activities_in_progress: i64 => "Pågående", "8", "Of these, in phase in_progress.";
        activities_completed: i64 => "Avslutade", "5", "Of these, completed or evaluated.";
        documentation_share_done: Option<f64> [Share] => "Dokumentationsgrad", "0.62", "For the year's activities, the `documentation-completeness` share over all ten requirements: done / (requirements − not applicable); null without activities.";
        planned_budget: i64 [Sek] => "Budget (kr)", "4200000", "Sum of `planned` of the budget lines of the year's förvaltningsplaner owned in the subtree (every period), whole SEK.";
        actual_budget: i64 [Sek] => "Utfall (kr)", "3100000", "Sum of `actual` of the same lines (lines without an outcome add 0).";
        expected_benefit_sek: i64 [Sek] => "Förväntad nytta (kr/år)", "900000", "Sum of yearly_value_sek of the benefits of the year's activities (as `/reports/benefits` counts them, each benefit once).";
        realised_benefit_sek: i64 [Sek] => "Realiserad nytta (kr)", "420000", "Sum of realised_value_sek of the same benefits (from their latest follow-up; none adds 0).";
        high_risks: i64 => "Höga risker", "3", "Risks owned in the subtree that are open or being mitigated with score ≥ 12.";
        overdue_audit_actions: i64 => "Försenade åtgärder", "1", "Audit actions the subtree is responsible for that are overdue today (as `audit-follow-up/overdue-actions`).";
        phase_overrides: i64 => "Överskridna fasregler", "0", "Phase transitions during the year forced past unmet phase rules (as `model-compliance`).";
        has_adopted_roadmap: bool => "Fastställd färdplan", "true", "Whether an adopted (or adopted and closed) roadmap owned in the subtree covers the year.";
    }
}

fn run(conn: &mut DbConnection, ctx: &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let year_value = ctx.filters.year_or(ctx.today);
    let reference_value = ctx.filters.reference_date_or(ctx.today);
    let start = |y: i32| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap_or(chrono::NaiveDate::MIN)
            .and_time(chrono::NaiveTime::MIN)
    };
    let mut sql = Sql::new();
    sql.push("WITH com AS (SELECT o.id, o.name, o.name_sort FROM organisations o WHERE o.kind = 'committee'");
    sql.and_in_scope("o.id", ctx);
    let year = sql.int(year_value);
    let reference = sql.date(reference_value);
    let today = sql.date(ctx.today);
    let year_start = sql.timestamp(start(year_value));
    let year_end = sql.timestamp(start(year_value + 1));
    let overdue = overdue_condition("aa", &today);
    // The benefits of the roots' municipalities only: with room for a hash, PostgreSQL would
    // otherwise hash every municipality's benefits (314k in the bench) to join a few thousand.
    let benefit_scope = sql
        .municipality_condition("b.municipality_id", ctx)
        .map(|c| format!(" WHERE {c}"))
        .unwrap_or_default();
    sql.push(&format!(
        "), sub AS (SELECT com.id AS committee_id, oc.descendant_id AS org_id
                   FROM com JOIN org_closure oc ON oc.ancestor_id = com.id),
        obj AS (
            SELECT sub.committee_id,
                   CASE WHEN EXISTS (SELECT 1 FROM plans p WHERE p.object_id = ob.id AND p.year = {year}
                                     AND p.status IN ('adopted', 'closed')) THEN 1 ELSE 0 END AS has_plan,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM role_types rt
                       WHERE rt.applies_to = 'object' AND rt.required = TRUE
                         AND (rt.municipality_id IS NULL OR rt.municipality_id = ob.municipality_id)
                         AND NOT EXISTS (
                             SELECT 1 FROM role_assignments ra
                             WHERE ra.object_id = ob.id AND ra.role_type_id = rt.id AND ra.person_id IS NOT NULL
                               AND (ra.valid_from IS NULL OR ra.valid_from <= {reference})
                               AND (ra.valid_to IS NULL OR ra.valid_to >= {reference})))
                        THEN 1 ELSE 0 END AS has_vacancy
            FROM sub JOIN objects ob ON ob.organisation_id = sub.org_id AND ob.status = 'active'),
        objs AS (
            SELECT committee_id, COUNT(*) AS objects, SUM(has_plan) AS with_plan,
                   SUM(has_vacancy) AS with_vacancy
            FROM obj GROUP BY committee_id),
        act AS (
            SELECT sub.committee_id, a.id, a.phase,
                   CASE WHEN {NO_PURPOSE} THEN 0 ELSE 1 END + CASE WHEN {NO_BUDGET} THEN 0 ELSE 1 END
                 + CASE WHEN {NO_TIME_FRAME} THEN 0 ELSE 1 END AS fields_done,
                   LENGTH(a.documentation_state) - LENGTH(REPLACE(a.documentation_state, 'd', '')) AS docs_done,
                   LENGTH(a.documentation_state) - LENGTH(REPLACE(a.documentation_state, 'n', '')) AS docs_not_applicable
            FROM sub JOIN activities a ON a.organisation_id = sub.org_id AND a.year = {year}),
        acts AS (
            SELECT committee_id, COUNT(*) AS activities,
                   COUNT(CASE WHEN phase = 'in_progress' THEN 1 END) AS in_progress,
                   COUNT(CASE WHEN phase IN ('completed', 'evaluated') THEN 1 END) AS completed,
                   SUM(fields_done) AS fields_done, SUM(docs_done) AS docs_done,
                   SUM(docs_not_applicable) AS docs_not_applicable
            FROM act GROUP BY committee_id),
        bens AS (
            SELECT act.committee_id, SUM(b.yearly_value_sek) AS expected,
                   SUM(b.realised_value_sek) AS realised
            FROM act JOIN benefits b ON b.activity_id = act.id{benefit_scope}
            GROUP BY act.committee_id),
        budget AS (
            SELECT sub.committee_id, SUM(bl.planned) AS planned, SUM(bl.actual) AS actual
            FROM sub JOIN budget_lines bl ON bl.organisation_id = sub.org_id
            JOIN plans p ON p.id = bl.plan_id AND p.year = {year}
            GROUP BY sub.committee_id),
        risky AS (
            SELECT sub.committee_id, COUNT(*) AS n
            FROM sub JOIN risks r ON r.organisation_id = sub.org_id
            WHERE r.status IN ('open', 'mitigating') AND r.score >= {HIGH_RISK_SCORE}
            GROUP BY sub.committee_id),
        late AS (
            SELECT sub.committee_id, COUNT(*) AS n
            FROM sub JOIN audit_actions aa ON aa.organisation_id = sub.org_id
            WHERE {overdue}
            GROUP BY sub.committee_id),
        overrides AS (
            SELECT sub.committee_id, COUNT(*) AS n
            FROM sub JOIN phase_transitions pt ON pt.organisation_id = sub.org_id
            WHERE pt.override_reason IS NOT NULL AND pt.at >= {year_start} AND pt.at < {year_end}
            GROUP BY sub.committee_id),
        roadmap AS (
            SELECT DISTINCT sub.committee_id
            FROM sub JOIN roadmaps r ON r.organisation_id = sub.org_id
            WHERE r.status IN ('adopted', 'closed') AND r.from_year <= {year} AND r.to_year >= {year})
        SELECT com.id AS organisation_id, com.name AS organisation_name,
               COALESCE(objs.objects, 0) AS objects,
               CAST(COALESCE(objs.with_plan, 0) AS BIGINT) AS objects_with_adopted_plan,
               CASE WHEN COALESCE(objs.objects, 0) = 0 THEN NULL
                    ELSE CAST(objs.with_plan AS DOUBLE PRECISION) / objs.objects END AS share_with_adopted_plan,
               CAST(COALESCE(objs.with_vacancy, 0) AS BIGINT) AS objects_with_vacant_roles,
               COALESCE(acts.activities, 0) AS activities,
               COALESCE(acts.in_progress, 0) AS activities_in_progress,
               COALESCE(acts.completed, 0) AS activities_completed,
               CASE WHEN COALESCE(acts.activities, 0) * {REQUIREMENTS_PER_ACTIVITY} - COALESCE(acts.docs_not_applicable, 0) = 0 THEN NULL
                    ELSE CAST(acts.fields_done + COALESCE(acts.docs_done, 0) AS DOUBLE PRECISION)
                         / (acts.activities * {REQUIREMENTS_PER_ACTIVITY} - COALESCE(acts.docs_not_applicable, 0))
               END AS documentation_share_done,
               CAST(COALESCE(budget.planned, 0) AS BIGINT) AS planned_budget,
               CAST(COALESCE(budget.actual, 0) AS BIGINT) AS actual_budget,
               CAST(COALESCE(bens.expected, 0) AS BIGINT) AS expected_benefit_sek,
               CAST(COALESCE(bens.realised, 0) AS BIGINT) AS realised_benefit_sek,
               COALESCE(risky.n, 0) AS high_risks,
               COALESCE(late.n, 0) AS overdue_audit_actions,
               COALESCE(overrides.n, 0) AS phase_overrides,
               CASE WHEN roadmap.committee_id IS NULL THEN FALSE ELSE TRUE END AS has_adopted_roadmap
        FROM com
        LEFT JOIN objs ON objs.committee_id = com.id
        LEFT JOIN acts ON acts.committee_id = com.id
        LEFT JOIN bens ON bens.committee_id = com.id
        LEFT JOIN budget ON budget.committee_id = com.id
        LEFT JOIN risky ON risky.committee_id = com.id
        LEFT JOIN late ON late.committee_id = com.id
        LEFT JOIN overrides ON overrides.committee_id = com.id
        LEFT JOIN roadmap ON roadmap.committee_id = com.id
        ORDER BY com.name_sort, com.id"
    ));
    Ok(cells(sql.load::<OverviewRow>(conn)?))
}

pub const TABLE: ReportTable = ReportTable {
    key: "overview",
    path: "overview",
    title: "Översikt per nämnd",
    summary: "Per committee: the headline figures of every report for one year",
    description: "One call for the kommunstyrelse: one row per committee (nämnd) in the chosen subtree, its figures covering the committee and every organisation below it, for `year` (required). Objects, plans and vacant roles as in `/reports/model-compliance` (reference date: today, or 31 December of `year` when earlier); the year's activities in total, in progress and completed (completed or evaluated); the documentation completeness of the year's activities over all ten requirements as in `/reports/documentation-completeness`; planned and actual sums of the budget lines of the year's förvaltningsplaner (all periods); expected and realised benefit (SEK) of the year's activities; open or mitigating risks with score ≥ 12; audit actions overdue today as in `/reports/audit-follow-up/overdue-actions`; phase-rule overrides during the year; and whether an adopted roadmap owned in the subtree covers the year. Committees lie in the caller's scope as a whole: with `organisation_id` below a committee there is no committee row.",
    filters: &[Filter::OrganisationId, Filter::Year],
    required: &[Filter::Year],
    columns: OverviewRow::COLUMNS,
    run,
    pages: None,
};
