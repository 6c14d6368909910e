//! `documentation-completeness/gaps`: every activity the filters choose and each requirement it
//! lacks, whole (`/api/v1/reports/…`) or a page at a time in SQL (the OData entity set: a
//! municipality's all-years gaps are 200k rows, and a page should not compute them all).

use diesel::sql_types::{Bool, Integer, Nullable, Text};
use serde::{Deserialize, Serialize};

use super::{chosen_requirements, label, state_position, FILTERS};
use super::{NO_BUDGET, NO_PURPOSE, NO_TIME_FRAME};
use crate::db::DbConnection;
use crate::domain::phase_rules::Requirement;
use crate::error::ApiError;
use crate::report_row;
use crate::reports::filters::ReportContext;
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportPage, ReportRow, ReportTable};

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

    /// The activity's rows: one per chosen requirement it lacks, in requirement order.
    fn rows(&self, chosen: &[Requirement]) -> Vec<GapRow> {
        chosen
            .iter()
            .filter_map(|requirement| {
                let status = self.gap(*requirement)?;
                let documentation_item_id = match status {
                    "absent" => None,
                    _ => self.open_item(*requirement),
                };
                Some(GapRow {
                    organisation_id: self.organisation_id.clone(),
                    organisation_name: self.organisation_name.clone(),
                    activity_id: self.activity_id.clone(),
                    external_id: self.external_id.clone(),
                    title: self.title.clone(),
                    phase: self.phase.clone(),
                    year: self.year,
                    requirement: requirement.as_str().to_owned(),
                    requirement_label: label(*requirement).to_owned(),
                    status: status.to_owned(),
                    documentation_item_id,
                })
            })
            .collect()
    }

    /// The report's order: organisation (sort key, id), then title (sort key) and id. The keys
    /// are "C"-collated on PostgreSQL and BINARY on SQLite, and ids are canonical lower-case
    /// UUIDs (which sort alike under any collation): byte order, as `String`'s `Ord`.
    fn order(&self) -> (&str, &str, &str, &str) {
        (
            &self.organisation_sort,
            &self.organisation_id,
            &self.title_sort,
            &self.activity_id,
        )
    }
}

/// The query of the gaps without its order: the filtered activities that lack at least one
/// chosen requirement, with what they lack (field flags, `documentation_state`, and the ids of
/// their open items from `documentation_open_items`: no documentation item is read). `from`
/// joins `activities a` and `organisations o` and opens the WHERE clause.
fn gaps_query(ctx: &ReportContext, chosen: &[Requirement], from: &str) -> Sql {
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
         FROM {from} ({})",
        lacks.join(" OR "),
    ));
    sql.and_activity_filters("a", ctx);
    sql
}

/// The whole report: the activities read once, sorted here (not by ORDER BY: PostgreSQL took
/// 30 ms to sort a municipality's 4.5k activities by these text keys, the rest of the query
/// 23 ms; here it takes well under one), each becoming its rows. Crossing the activities with the
/// requirements in SQL instead, and sorting the 13k gap rows there, took twice as long on both
/// databases; probing the open items per activity cost a further third (PostgreSQL) to 40 %
/// (SQLite).
fn run_gaps(conn: &mut DbConnection, ctx: &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let chosen = chosen_requirements(ctx);
    let sql = gaps_query(
        ctx,
        &chosen,
        "activities a JOIN organisations o ON o.id = a.organisation_id WHERE",
    );
    let mut activities = sql.load::<GapActivity>(conn)?;
    activities.sort_unstable_by(|a, b| a.order().cmp(&b.order()));
    Ok(cells(
        activities
            .iter()
            .flat_map(|a| a.rows(&chosen))
            .collect::<Vec<_>>(),
    ))
}

/// Where a page of the gaps resumes: at the activity with these keys (or the first after it,
/// if it no longer has gaps), leaving out the `rows_done` rows of it the last page had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Resume {
    organisation_sort: String,
    organisation_id: String,
    title_sort: String,
    activity_id: String,
    rows_done: usize,
}

impl Resume {
    fn at(activity: &GapActivity, rows_done: usize) -> Resume {
        Resume {
            organisation_sort: activity.organisation_sort.clone(),
            organisation_id: activity.organisation_id.clone(),
            title_sort: activity.title_sort.clone(),
            activity_id: activity.activity_id.clone(),
            rows_done,
        }
    }

    /// Whether a resume point handed back by a client could have been written here: canonical
    /// ids, and sort keys a database accepts as text (PostgreSQL refuses NUL).
    fn is_sound(&self) -> bool {
        let canonical =
            |id: &str| uuid::Uuid::parse_str(id).is_ok_and(|u| u.hyphenated().to_string() == id);
        canonical(&self.organisation_id)
            && canonical(&self.activity_id)
            && !self.organisation_sort.contains('\0')
            && !self.title_sort.contains('\0')
    }

    fn is(&self, activity: &GapActivity) -> bool {
        activity.order()
            == (
                self.organisation_sort.as_str(),
                self.organisation_id.as_str(),
                self.title_sort.as_str(),
                self.activity_id.as_str(),
            )
    }
}

/// At most `limit` activities from `from` on, in report order. Organisations lead the join and
/// the order (`CROSS JOIN` is SQLite's way of fixing the join order; PostgreSQL plans it as any
/// join and chooses the same), so both databases walk the organisations by their
/// `(name_sort, id)` index and stop once the page is full: PostgreSQL sorts each organisation's
/// activities by title as they come (an incremental sort), SQLite sorts "the right part of the
/// order by". 500 activities of a municipality's year (1,000 of its 13k gap rows) take 5 ms
/// (PostgreSQL) to 10 ms (SQLite), where all of them take 20–35.
fn load_from(
    conn: &mut DbConnection,
    ctx: &ReportContext,
    chosen: &[Requirement],
    from: Option<&Resume>,
    limit: usize,
) -> diesel::QueryResult<Vec<GapActivity>> {
    let mut sql = gaps_query(
        ctx,
        chosen,
        "organisations o CROSS JOIN activities a WHERE a.organisation_id = o.id AND",
    );
    if let Some(r) = from {
        let (os, oi) = (sql.text(&r.organisation_sort), sql.text(&r.organisation_id));
        let (ts, ai) = (sql.text(&r.title_sort), sql.text(&r.activity_id));
        // The first condition is the organisations index's range; the second, the exact start.
        sql.push(&format!(
            " AND (o.name_sort, o.id) >= ({os}, {oi}) \
              AND (o.name_sort, o.id, a.title_sort, a.id) >= ({os}, {oi}, {ts}, {ai})"
        ));
    }
    let limit = sql.int(i32::try_from(limit).unwrap_or(i32::MAX));
    sql.push(&format!(
        " ORDER BY o.name_sort, o.id, a.title_sort, a.id LIMIT {limit}"
    ));
    sql.load::<GapActivity>(conn)
}

/// One page of the gaps: read in batches of activities (each has at least one row) until the
/// page is full and one more row shows that more remain, or the activities run out.
fn page_gaps(
    conn: &mut DbConnection,
    ctx: &ReportContext,
    resume: Option<&serde_json::Value>,
    limit: usize,
) -> Result<ReportPage, ApiError> {
    let mut from: Option<Resume> = match resume {
        None => None,
        Some(v) => Some(
            serde_json::from_value::<Resume>(v.clone())
                .ok()
                .filter(Resume::is_sound)
                .ok_or_else(|| {
                    ApiError::BadRequest(
                        "$skiptoken: not a token from this feed's @odata.nextLink".to_owned(),
                    )
                })?,
        ),
    };
    let chosen = chosen_requirements(ctx);
    // Three rows per activity is typical; one batch then fills the page.
    let batch = limit / 2 + 2;
    let mut rows = Vec::with_capacity(limit);
    loop {
        let activities = load_from(conn, ctx, &chosen, from.as_ref(), batch)?;
        let exhausted = activities.len() < batch;
        for activity in &activities {
            let done = match &from {
                Some(r) if r.is(activity) => r.rows_done,
                _ => 0,
            };
            let own = activity.rows(&chosen);
            for (i, row) in own.into_iter().enumerate().skip(done) {
                if rows.len() == limit {
                    return Ok(ReportPage {
                        rows: cells(rows),
                        next: Some(to_json(&Resume::at(activity, i))?),
                    });
                }
                rows.push(row);
            }
        }
        match activities.last() {
            // Past the last activity read: it again, with all its rows done.
            Some(last) if !exhausted => from = Some(Resume::at(last, usize::MAX)),
            _ => {
                return Ok(ReportPage {
                    rows: cells(rows),
                    next: None,
                })
            }
        }
    }
}

fn to_json(resume: &Resume) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(resume).map_err(ApiError::internal)
}

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
    pages: Some(page_gaps),
};
