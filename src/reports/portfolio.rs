//! `portfolio`: how many activities and how much money, by organisation × year × phase × kind ×
//! focus area. An activity with two focus areas counts under both; one without any counts under
//! focus area null.

use crate::db::DbConnection;
use crate::domain::activities::Phase;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

report_row! {
    /// One group of activities.
    pub struct PortfolioRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the activities.";
        organisation_name: String => "Organisation", "\"Socialnämnden\"", "Its name.";
        year: i32 => "År", "2026", "The activities' year.";
        phase: String => "Fas", "\"in_progress\"", "Their phase: idea, needs_analysis, planned, in_progress, completed, evaluated or cancelled.";
        kind: String => "Typ", "\"project\"", "Their kind: maintenance, change, development, project or initiative.";
        focus_area_id: Option<String> => "Målområdes-id", "\"0193a0c4-bbbb-7c1e-9a1b-2f3c4d5e6f70\"", "The focus area (målområde); null for activities tied to none. An activity with several focus areas is counted under each.";
        focus_area_name: Option<String> => "Målområde", "\"Självklar service\"", "Its name.";
        activities: i64 => "Aktiviteter", "3", "Number of activities.";
        planned_budget: i64 [Sek] => "Planerad budget (kr)", "1800000", "Sum of planned_budget, whole SEK (activities without one add 0).";
        actual_budget: i64 [Sek] => "Utfall (kr)", "650000", "Sum of actual_budget, whole SEK (activities without one add 0).";
    }
    sort_keys {
        organisation_sort: String;
        focus_area_sort: Option<String>;
    }
}

impl PortfolioRow {
    /// Organisation (name, id), year, phase in the flow's order (`Phase::ALL`, cancelled last),
    /// kind, then focus area (name, id; activities without one last: `true` sorts after
    /// `false`). The test `rust_sorted_reports_keep_their_documented_order_on_the_demo_data`
    /// pins it.
    #[allow(clippy::type_complexity)]
    fn order(
        &self,
    ) -> (
        &str,
        &str,
        i32,
        usize,
        &str,
        bool,
        Option<&str>,
        Option<&str>,
    ) {
        (
            &self.organisation_sort,
            &self.organisation_id,
            self.year,
            Phase::ALL
                .iter()
                .position(|p| p.as_str() == self.phase)
                .unwrap_or(Phase::ALL.len()),
            &self.kind,
            self.focus_area_sort.is_none(),
            self.focus_area_sort.as_deref(),
            self.focus_area_id.as_deref(),
        )
    }
}

fn run(conn: &mut DbConnection, ctx: &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    sql.push(
        "SELECT a.organisation_id, o.name AS organisation_name, a.year, a.phase, a.kind,
                afa.focus_area_id, fa.name AS focus_area_name,
                o.name_sort AS organisation_sort, fa.name_sort AS focus_area_sort,
                COUNT(*) AS activities,
                CAST(COALESCE(SUM(a.planned_budget), 0) AS BIGINT) AS planned_budget,
                CAST(COALESCE(SUM(a.actual_budget), 0) AS BIGINT) AS actual_budget
         FROM activities a
         JOIN organisations o ON o.id = a.organisation_id
         LEFT JOIN activity_focus_areas afa ON afa.activity_id = a.id
         LEFT JOIN focus_areas fa ON fa.id = afa.focus_area_id
         WHERE 1 = 1",
    );
    sql.and_activity_filters("a", ctx);
    if let Some(area) = &ctx.filters.focus_area_id {
        // Only the chosen area's rows, not the other areas of the same activities.
        let p = sql.text(area);
        sql.push(&format!(" AND afa.focus_area_id = {p}"));
    }
    sql.push(
        " GROUP BY a.organisation_id, o.name, o.name_sort, a.year, a.phase, a.kind,
                   afa.focus_area_id, fa.name, fa.name_sort",
    );
    // Sorted here, not by ORDER BY (see `report_row!`'s sort keys): PostgreSQL spent 25 ms
    // sorting a municipality's 4.9k groups of one year.
    let mut rows = sql.load::<PortfolioRow>(conn)?;
    rows.sort_unstable_by(|a, b| a.order().cmp(&b.order()));
    Ok(cells(rows))
}

pub const TABLE: ReportTable = ReportTable {
    key: "portfolio",
    path: "portfolio",
    title: "Portfölj",
    summary: "Activities and budgets by organisation, year, phase, kind and focus area",
    description: "Counts and budgets of activities grouped by owning organisation × year × phase × kind × focus area (målområde). An activity tied to two focus areas is counted — with its whole budget — under each of them, so totals over focus areas can exceed the number of activities; an activity tied to none appears under focus area null. With `focus_area_id` only that area's rows are returned. Budgets are whole SEK; activities without a budget add 0.",
    filters: &[
        Filter::OrganisationId,
        Filter::Year,
        Filter::FromYear,
        Filter::ToYear,
        Filter::Phase,
        Filter::Kind,
        Filter::FocusAreaId,
    ],
    required: &[],
    columns: PortfolioRow::COLUMNS,
    run,
    pages: None,
};
