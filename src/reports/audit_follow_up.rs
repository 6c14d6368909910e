//! `audit-follow-up`: how the organisations follow up what the auditors (revisorerna) found —
//! per audit and addressee, the findings and their actions by status, and the overdue ones; and
//! `/overdue-actions`, every action past its due date. "Overdue" is the `GET /audit-actions`
//! filter's rule: a due date before today and still planned or in progress.

use crate::db::DbConnection;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

/// The overdue rule of `GET /audit-actions?overdue=true` (`AuditActionStatus::OPEN`), for the
/// alias `x` and the bound day `today`.
pub fn overdue_condition(x: &str, today: &str) -> String {
    format!("({x}.due_date < {today} AND {x}.status IN ('planned', 'in_progress'))")
}

report_row! {
    /// One audit and one addressee.
    pub struct FollowUpRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The addressee: the organisation the findings are addressed to.";
        organisation_name: String => "Organisation", "\"Kommunstyrelsen\"", "Its name.";
        audit_title: String => "Granskning", "\"Granskning av digitaliseringsarbetet\"", "The audit (granskningsrapport).";
        audit_firm: Option<String> => "Revisionsbyrå", "\"EY\"", "Who carried it out; null when not recorded.";
        audit_date: chrono::NaiveDate => "Granskningsdatum", "\"2022-04-12\"", "The report's date.";
        findings: i64 => "Iakttagelser", "4", "Findings of this audit addressed to the organisation.";
        findings_without_actions: i64 => "Utan åtgärd", "1", "Of these, findings with no action at all.";
        actions: i64 => "Åtgärder", "5", "Actions on these findings (whoever is responsible for them).";
        planned: i64 => "Planerade", "1", "Actions with status planned.";
        in_progress: i64 => "Pågående", "2", "Actions with status in_progress.";
        done: i64 => "Genomförda", "2", "Actions with status done.";
        cancelled: i64 => "Avbrutna", "0", "Actions with status cancelled.";
        overdue: i64 => "Försenade", "1", "Actions past their due date (before today) and still planned or in progress — the rule of `GET /audit-actions?overdue=true`.";
    }
}

report_row! {
    /// One overdue action.
    pub struct OverdueActionRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation responsible for the action.";
        organisation_name: String => "Organisation", "\"Kommunstyrelsen\"", "Its name.";
        audit_title: String => "Granskning", "\"Granskning av digitaliseringsarbetet\"", "The audit the finding comes from.";
        audit_firm: Option<String> => "Revisionsbyrå", "\"EY\"", "Who carried it out.";
        audit_date: chrono::NaiveDate => "Granskningsdatum", "\"2022-04-12\"", "The report's date.";
        finding_id: String => "Iakttagelse-id", "\"0193a0c4-aaaa-7c1e-9a1b-2f3c4d5e6f70\"", "The finding.";
        finding_reference: Option<String> => "Referens", "\"Rek. 2\"", "The finding's reference in the report, if any.";
        action_id: String => "Åtgärds-id", "\"0193a0c4-bbbb-7c1e-9a1b-2f3c4d5e6f70\"", "The action.";
        description: String => "Åtgärd", "\"Ta fram och anta plan för digital transformation\"", "What is to be done.";
        status: String => "Status", "\"in_progress\"", "planned or in_progress.";
        due_date: chrono::NaiveDate => "Förfallodatum", "\"2025-12-31\"", "When it should have been done.";
        days_overdue: i64 => "Dagar försenad", "327", "Days from the due date to today.";
    }
}

fn audit_years(sql: &mut Sql, ctx: &ReportContext, alias: &str) {
    if let Some(y) = ctx.filters.from_year {
        let p =
            sql.date(chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(chrono::NaiveDate::MIN));
        sql.push(&format!(" AND {alias}.audit_date >= {p}"));
    }
    if let Some(y) = ctx.filters.to_year {
        let p = sql
            .date(chrono::NaiveDate::from_ymd_opt(y + 1, 1, 1).unwrap_or(chrono::NaiveDate::MAX));
        sql.push(&format!(" AND {alias}.audit_date < {p}"));
    }
}

fn run_summary(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    let today = sql.date(ctx.today);
    let overdue = overdue_condition("aa", &today);
    sql.push(
        "WITH f AS (SELECT af.id, af.organisation_id, af.audit_title, af.audit_firm, af.audit_date,
                          (SELECT COUNT(*) FROM audit_actions x WHERE x.finding_id = af.id) AS n_actions
                    FROM audit_findings af WHERE 1 = 1",
    );
    sql.and_in_scope("af.organisation_id", ctx);
    audit_years(&mut sql, ctx, "af");
    sql.push(&format!(
        "), per_audit AS (
            SELECT organisation_id, audit_title, audit_firm, audit_date, COUNT(*) AS findings,
                   COUNT(CASE WHEN n_actions = 0 THEN 1 END) AS without_actions
            FROM f GROUP BY organisation_id, audit_title, audit_firm, audit_date),
        per_status AS (
            SELECT f.organisation_id, f.audit_title, f.audit_firm, f.audit_date, COUNT(*) AS actions,
                   COUNT(CASE WHEN aa.status = 'planned' THEN 1 END) AS planned,
                   COUNT(CASE WHEN aa.status = 'in_progress' THEN 1 END) AS in_progress,
                   COUNT(CASE WHEN aa.status = 'done' THEN 1 END) AS done,
                   COUNT(CASE WHEN aa.status = 'cancelled' THEN 1 END) AS cancelled,
                   COUNT(CASE WHEN {overdue} THEN 1 END) AS overdue
            FROM f JOIN audit_actions aa ON aa.finding_id = f.id
            GROUP BY f.organisation_id, f.audit_title, f.audit_firm, f.audit_date)
        SELECT p.organisation_id, o.name AS organisation_name, p.audit_title, p.audit_firm,
               p.audit_date, p.findings, p.without_actions AS findings_without_actions,
               COALESCE(s.actions, 0) AS actions, COALESCE(s.planned, 0) AS planned,
               COALESCE(s.in_progress, 0) AS in_progress, COALESCE(s.done, 0) AS done,
               COALESCE(s.cancelled, 0) AS cancelled, COALESCE(s.overdue, 0) AS overdue
        FROM per_audit p
        JOIN organisations o ON o.id = p.organisation_id
        LEFT JOIN per_status s ON s.organisation_id = p.organisation_id
             AND s.audit_title = p.audit_title AND s.audit_date = p.audit_date
             AND COALESCE(s.audit_firm, '') = COALESCE(p.audit_firm, '')
        ORDER BY p.audit_date DESC, p.audit_title, COALESCE(p.audit_firm, ''), o.name_sort, o.id"
    ));
    Ok(cells(sql.load::<FollowUpRow>(conn)?))
}

fn run_overdue(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    let today = sql.date(ctx.today);
    let overdue = overdue_condition("aa", &today);
    // Days overdue: date arithmetic differs (PostgreSQL subtracts dates; SQLite uses julianday).
    let days = if conn.is_postgres() {
        format!("CAST({today} - aa.due_date AS BIGINT)")
    } else {
        format!("CAST(julianday({today}) - julianday(aa.due_date) AS BIGINT)")
    };
    sql.push(&format!(
        "SELECT aa.organisation_id, o.name AS organisation_name, af.audit_title, af.audit_firm,
                af.audit_date, af.id AS finding_id, af.reference AS finding_reference,
                aa.id AS action_id, aa.description, aa.status, aa.due_date,
                {days} AS days_overdue
         FROM audit_actions aa
         JOIN audit_findings af ON af.id = aa.finding_id
         JOIN organisations o ON o.id = aa.organisation_id
         WHERE {overdue}"
    ));
    sql.and_in_scope("aa.organisation_id", ctx);
    audit_years(&mut sql, ctx, "af");
    sql.push(" ORDER BY aa.due_date, o.name_sort, o.id, aa.id");
    Ok(cells(sql.load::<OverdueActionRow>(conn)?))
}

const FILTERS: &[Filter] = &[Filter::OrganisationId, Filter::FromYear, Filter::ToYear];

pub const SUMMARY: ReportTable = ReportTable {
    key: "audit_follow_up",
    path: "audit-follow-up",
    title: "Uppföljning av granskningar",
    summary: "Per audit and addressee: findings, actions by status and overdue actions",
    description: "The follow-up of the auditors' reports (granskningar): one row per audit (title, firm, date) and addressee organisation, with the number of findings (iakttagelser/rekommendationer) addressed to it, how many have no action yet, and the actions on them counted by status (planned, in progress, done, cancelled) and overdue. An action is overdue when its due date lies before today and it is still planned or in progress — the rule of `GET /audit-actions?overdue=true`. Actions count under their finding's addressee, even when another organisation is responsible for them. `organisation_id` chooses addressees in a subtree; `from_year`/`to_year` choose audits by the year of their date. Newest audits first. `/reports/audit-follow-up/overdue-actions` lists the overdue actions.",
    filters: FILTERS,
    required: &[],
    columns: FollowUpRow::COLUMNS,
    run: run_summary,
    pages: None,
};

pub const OVERDUE_ACTIONS: ReportTable = ReportTable {
    key: "audit_follow_up_overdue_actions",
    path: "audit-follow-up/overdue-actions",
    title: "Försenade åtgärder",
    summary: "Every audit action past its due date and not done",
    description: "One row per overdue audit action — due date before today, still planned or in progress (the rule of `GET /audit-actions?overdue=true`) — with the responsible organisation, the audit and finding it answers, and how many days late it is. `organisation_id` chooses responsible organisations in a subtree (as the list's `within`), so the rows are the list's `overdue=true` actions; `from_year`/`to_year` choose audits by the year of their date. Ordered by due date, oldest first.",
    filters: FILTERS,
    required: &[],
    columns: OverdueActionRow::COLUMNS,
    run: run_overdue,
    pages: None,
};
