//! `model-compliance`: does each organisation follow the governance model in a year? Objects
//! with and without an adopted förvaltningsplan, with vacant required roles, without a risk
//! analysis in the last 12 months; committees without an adopted digital färdplan for the year;
//! phase rules overridden. `/details` lists the objects, roles, committees and overrides behind
//! the counts.

use chrono::{Months, NaiveDate};

use crate::db::DbConnection;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

report_row! {
    /// One organisation's compliance in the year.
    pub struct ComplianceRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation (every organisation in the chosen subtree has a row).";
        organisation_name: String => "Organisation", "\"Socialnämnden\"", "Its name.";
        organisation_kind: String => "Organisationstyp", "\"committee\"", "municipality, committee, administration, unit or company.";
        objects: i64 => "Objekt", "5", "Active förvaltningsobjekt the organisation owns itself (planned and retired objects are left out).";
        objects_with_adopted_plan: i64 => "Med fastställd plan", "3", "Of these, objects whose plan for the year is adopted (or adopted and since closed).";
        objects_without_adopted_plan: i64 => "Utan fastställd plan", "2", "objects − objects_with_adopted_plan: no plan for the year, or only a draft.";
        objects_with_vacant_roles: i64 => "Med vakanta roller", "1", "Objects where at least one required role is vacant on the reference date.";
        vacant_roles: i64 => "Vakanta roller", "2", "Required roles vacant on the reference date, counted per object and role type. Required role types are the shared ones and the municipality's own with `applies_to` object and `required` true; a role is vacant without an assignment to a (not erased) person valid on that day.";
        objects_without_risk_analysis: i64 => "Utan riskanalys 12 mån", "1", "Objects with no plan whose risk_analysis_date lies in the 12 months up to the reference date (after the same day a year earlier, up to and including the reference date).";
        adopted_roadmaps: i64 => "Fastställda färdplaner", "1", "Roadmaps the organisation owns that are adopted (or adopted and since closed) and cover the year.";
        roadmap_missing: Option<i32> => "Saknar färdplan", "0", "Committees only (null for other kinds): 1 when no adopted roadmap owned by the committee or any organisation below it covers the year, else 0. Summing it counts the committees without one.";
        phase_overrides: i64 => "Överskridna fasregler", "0", "Phase transitions of the organisation's activities during the year that an admin forced past unmet phase rules (with an override reason).";
    }
}

report_row! {
    /// One finding behind the counts.
    pub struct ComplianceDetailRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation concerned.";
        organisation_name: String => "Organisation", "\"Socialnämnden\"", "Its name.";
        issue: String => "Brist", "\"vacant_role\"", "no_adopted_plan, vacant_role, no_risk_analysis, no_adopted_roadmap or phase_override.";
        issue_label: String => "Beskrivning", "\"Vakant roll\"", "The issue in Swedish.";
        subject_type: String => "Gäller", "\"object\"", "What the row is about: object, organisation or activity.";
        subject_id: String => "Id", "\"0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70\"", "The object, committee or activity.";
        subject_name: String => "Namn", "\"Ekonomisystem\"", "Its name or title.";
        detail: Option<String> => "Detalj", "\"Objektägare\"", "The vacant role type; the plan's status (`draft`) when a plan exists but is not adopted; the override reason.";
        date: Option<NaiveDate> => "Datum", "\"2025-03-14\"", "The latest (too old) risk analysis for no_risk_analysis; the day of the override for phase_override.";
    }
}

/// The values the queries bind: year, reference date and the window start.
struct Dates {
    year: i32,
    reference: NaiveDate,
    risk_after: NaiveDate,
    year_start: chrono::NaiveDateTime,
    year_end: chrono::NaiveDateTime,
}

fn dates(ctx: &ReportContext) -> Dates {
    let year = ctx.filters.year_or(ctx.today);
    let reference = ctx.filters.reference_date_or(ctx.today);
    let start = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .unwrap_or(NaiveDate::MIN)
            .and_time(chrono::NaiveTime::MIN)
    };
    Dates {
        year,
        reference,
        risk_after: reference
            .checked_sub_months(Months::new(12))
            .unwrap_or(reference),
        year_start: start(year),
        year_end: start(year + 1),
    }
}

/// The shared CTEs: `orgs` in scope, their active objects `obj`, and each object's vacant
/// required roles `vacant`.
fn base(sql: &mut Sql, ctx: &ReportContext, d: &Dates) {
    sql.push(
        "WITH orgs AS (SELECT o.id, o.name, o.name_sort, o.kind FROM organisations o WHERE 1 = 1",
    );
    sql.and_in_scope("o.id", ctx);
    let reference = sql.date(d.reference);
    sql.push(&format!(
        "), obj AS (
            SELECT ob.id, ob.name, ob.name_sort, ob.organisation_id, ob.municipality_id
            FROM objects ob WHERE ob.status = 'active' AND ob.organisation_id IN (SELECT id FROM orgs)),
        vacant AS (
            SELECT obj.id AS object_id, obj.organisation_id, rt.name AS role_name, rt.name_sort AS role_sort
            FROM obj JOIN role_types rt
              ON rt.applies_to = 'object' AND rt.required = TRUE
             AND (rt.municipality_id IS NULL OR rt.municipality_id = obj.municipality_id)
            WHERE NOT EXISTS (
                SELECT 1 FROM role_assignments ra
                WHERE ra.object_id = obj.id AND ra.role_type_id = rt.id AND ra.person_id IS NOT NULL
                  AND (ra.valid_from IS NULL OR ra.valid_from <= {reference})
                  AND (ra.valid_to IS NULL OR ra.valid_to >= {reference})))"
    ));
}

fn run_summary(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let d = dates(ctx);
    let mut sql = Sql::new();
    base(&mut sql, ctx, &d);
    let year = sql.int(d.year);
    let risk_after = sql.date(d.risk_after);
    let reference = sql.date(d.reference);
    let year_start = sql.timestamp(d.year_start);
    let year_end = sql.timestamp(d.year_end);
    sql.push(&format!(
        ", flags AS (
            SELECT obj.id, obj.organisation_id,
                   CASE WHEN EXISTS (SELECT 1 FROM plans p WHERE p.object_id = obj.id AND p.year = {year}
                                     AND p.status IN ('adopted', 'closed')) THEN 1 ELSE 0 END AS has_plan,
                   CASE WHEN EXISTS (SELECT 1 FROM plans p WHERE p.object_id = obj.id
                                     AND p.risk_analysis_date > {risk_after}
                                     AND p.risk_analysis_date <= {reference}) THEN 1 ELSE 0 END AS has_risk,
                   (SELECT COUNT(*) FROM vacant v WHERE v.object_id = obj.id) AS vacancies
            FROM obj),
        per_org AS (
            SELECT organisation_id, COUNT(*) AS objects, SUM(has_plan) AS with_plan,
                   COUNT(CASE WHEN vacancies > 0 THEN 1 END) AS with_vacancies,
                   SUM(vacancies) AS vacancies, COUNT(CASE WHEN has_risk = 0 THEN 1 END) AS without_risk
            FROM flags GROUP BY organisation_id),
        covering AS (
            SELECT r.organisation_id FROM roadmaps r
            WHERE r.status IN ('adopted', 'closed') AND r.from_year <= {year} AND r.to_year >= {year}),
        own_roadmaps AS (
            SELECT organisation_id, COUNT(*) AS n FROM covering GROUP BY organisation_id),
        overrides AS (
            SELECT pt.organisation_id, COUNT(*) AS n FROM phase_transitions pt
            WHERE pt.override_reason IS NOT NULL AND pt.at >= {year_start} AND pt.at < {year_end}
              AND pt.organisation_id IN (SELECT id FROM orgs)
            GROUP BY pt.organisation_id)
        SELECT orgs.id AS organisation_id, orgs.name AS organisation_name,
               orgs.kind AS organisation_kind,
               COALESCE(po.objects, 0) AS objects,
               CAST(COALESCE(po.with_plan, 0) AS BIGINT) AS objects_with_adopted_plan,
               CAST(COALESCE(po.objects - po.with_plan, 0) AS BIGINT) AS objects_without_adopted_plan,
               COALESCE(po.with_vacancies, 0) AS objects_with_vacant_roles,
               CAST(COALESCE(po.vacancies, 0) AS BIGINT) AS vacant_roles,
               COALESCE(po.without_risk, 0) AS objects_without_risk_analysis,
               COALESCE(orm.n, 0) AS adopted_roadmaps,
               CASE WHEN orgs.kind <> 'committee' THEN NULL
                    WHEN EXISTS (SELECT 1 FROM covering c JOIN org_closure oc
                                   ON oc.descendant_id = c.organisation_id
                                 WHERE oc.ancestor_id = orgs.id) THEN 0
                    ELSE 1 END AS roadmap_missing,
               COALESCE(ov.n, 0) AS phase_overrides
        FROM orgs
        LEFT JOIN per_org po ON po.organisation_id = orgs.id
        LEFT JOIN own_roadmaps orm ON orm.organisation_id = orgs.id
        LEFT JOIN overrides ov ON ov.organisation_id = orgs.id
        ORDER BY orgs.name_sort, orgs.id"
    ));
    Ok(cells(sql.load::<ComplianceRow>(conn)?))
}

fn run_details(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let d = dates(ctx);
    let mut sql = Sql::new();
    base(&mut sql, ctx, &d);
    let year = sql.int(d.year);
    let risk_after = sql.date(d.risk_after);
    let reference = sql.date(d.reference);
    let year_start = sql.timestamp(d.year_start);
    let year_end = sql.timestamp(d.year_end);
    // The day of a timestamp: SQLite keeps timestamps as text.
    let override_day = if conn.is_postgres() {
        "CAST(pt.at AS DATE)"
    } else {
        "substr(pt.at, 1, 10)"
    };
    sql.push(&format!(
        ", findings AS (
            SELECT obj.organisation_id, 'no_adopted_plan' AS issue, 'Saknar fastställd förvaltningsplan' AS issue_label,
                   1 AS ord, 'object' AS subject_type, obj.id AS subject_id, obj.name AS subject_name,
                   obj.name_sort AS subject_sort, obj.id AS tie,
                   (SELECT p.status FROM plans p WHERE p.object_id = obj.id AND p.year = {year}) AS detail,
                   CAST(NULL AS DATE) AS day
            FROM obj
            WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.object_id = obj.id AND p.year = {year}
                              AND p.status IN ('adopted', 'closed'))
            UNION ALL
            SELECT v.organisation_id, 'vacant_role', 'Vakant roll', 2, 'object', obj.id, obj.name,
                   obj.name_sort, v.role_sort, v.role_name, CAST(NULL AS DATE)
            FROM vacant v JOIN obj ON obj.id = v.object_id
            UNION ALL
            SELECT obj.organisation_id, 'no_risk_analysis', 'Saknar riskanalys senaste 12 månaderna', 3,
                   'object', obj.id, obj.name, obj.name_sort, obj.id, CAST(NULL AS TEXT),
                   (SELECT MAX(p.risk_analysis_date) FROM plans p WHERE p.object_id = obj.id
                      AND p.risk_analysis_date <= {reference})
            FROM obj
            WHERE NOT EXISTS (SELECT 1 FROM plans p WHERE p.object_id = obj.id
                              AND p.risk_analysis_date > {risk_after}
                              AND p.risk_analysis_date <= {reference})
            UNION ALL
            SELECT orgs.id, 'no_adopted_roadmap', 'Saknar fastställd digital färdplan', 4,
                   'organisation', orgs.id, orgs.name, orgs.name_sort, orgs.id, CAST(NULL AS TEXT),
                   CAST(NULL AS DATE)
            FROM orgs
            WHERE orgs.kind = 'committee'
              AND NOT EXISTS (SELECT 1 FROM roadmaps r JOIN org_closure oc ON oc.descendant_id = r.organisation_id
                              WHERE oc.ancestor_id = orgs.id AND r.status IN ('adopted', 'closed')
                                AND r.from_year <= {year} AND r.to_year >= {year})
            UNION ALL
            SELECT pt.organisation_id, 'phase_override', 'Fasregel överskriden', 5, 'activity',
                   a.id, a.title, a.title_sort, pt.id, pt.override_reason, {override_day}
            FROM phase_transitions pt JOIN activities a ON a.id = pt.activity_id
            WHERE pt.override_reason IS NOT NULL AND pt.at >= {year_start} AND pt.at < {year_end}
              AND pt.organisation_id IN (SELECT id FROM orgs))
        SELECT f.organisation_id, orgs.name AS organisation_name, f.issue, f.issue_label,
               f.subject_type, f.subject_id, f.subject_name, f.detail, f.day AS date
        FROM findings f JOIN orgs ON orgs.id = f.organisation_id
        ORDER BY orgs.name_sort, orgs.id, f.ord, f.subject_sort, f.subject_id, f.tie"
    ));
    Ok(cells(sql.load::<ComplianceDetailRow>(conn)?))
}

const FILTERS: &[Filter] = &[Filter::OrganisationId, Filter::Year, Filter::ReferenceDate];

pub const SUMMARY: ReportTable = ReportTable {
    key: "model_compliance",
    path: "model-compliance",
    title: "Modellefterlevnad",
    summary: "Per organisation: plans, roles, risk analyses, roadmaps and phase-rule overrides in a year",
    description: "Whether each organisation follows the governance model in `year` (required): its active förvaltningsobjekt with and without an adopted förvaltningsplan for the year, with vacant required roles, without a risk analysis (RSA) in the 12 months up to the reference date; for committees, whether an adopted digital färdplan covers the year; and how often phase rules were overridden. The reference date (`reference_date`, default today or 31 December of `year` when earlier) is the day roles must be filled and the end of the 12-month window. One row per organisation in the chosen subtree, counting what it owns itself. `/reports/model-compliance/details` lists each finding.",
    filters: FILTERS,
    required: &[Filter::Year],
    columns: ComplianceRow::COLUMNS,
    run: run_summary,
    pages: None,
};

pub const DETAILS: ReportTable = ReportTable {
    key: "model_compliance_details",
    path: "model-compliance/details",
    title: "Modellefterlevnad, detaljer",
    summary: "Each object, role, committee and override behind the model-compliance counts",
    description: "The findings behind `/reports/model-compliance`, with the same filters and rules: one row per object without an adopted plan, per vacant required role (object × role type), per object without a risk analysis in the last 12 months, per committee without an adopted roadmap for the year, and per phase-rule override during the year.",
    filters: FILTERS,
    required: &[Filter::Year],
    columns: ComplianceDetailRow::COLUMNS,
    run: run_details,
    pages: None,
};
