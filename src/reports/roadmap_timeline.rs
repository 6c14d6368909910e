//! `roadmap-timeline`: Gantt-ready rows of the digital färdplaner — one row per activity linked
//! to a roadmap, with its dates, phase and priority on the roadmap. Activities on no roadmap are
//! left out: the timeline shows what the roadmaps commit to (the portfolio report covers the rest).

use crate::db::DbConnection;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

report_row! {
    /// One activity on one roadmap.
    pub struct TimelineRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the activity.";
        organisation_name: String => "Organisation", "\"Socialnämnden\"", "Its name.";
        roadmap_id: String => "Färdplans-id", "\"0193a0c4-5555-7c1e-9a1b-2f3c4d5e6f70\"", "The roadmap (digital färdplan) the activity is linked to.";
        roadmap_name: String => "Färdplan", "\"Digital färdplan 2025–2027\"", "Its name.";
        roadmap_from_year: i32 => "Färdplan från år", "2025", "The first year the roadmap covers.";
        roadmap_to_year: i32 => "Färdplan till år", "2027", "The last year the roadmap covers.";
        roadmap_status: String => "Färdplanens status", "\"adopted\"", "The roadmap's status: draft, adopted or closed.";
        activity_id: String => "Aktivitets-id", "\"0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70\"", "The activity.";
        external_id: Option<String> => "Externt id", "\"PRJ-2026-03\"", "The activity's external_id, if any.";
        title: String => "Aktivitet", "\"E-arkiv etapp 2\"", "The activity's title.";
        kind: String => "Typ", "\"project\"", "maintenance, change, development, project or initiative.";
        phase: String => "Fas", "\"in_progress\"", "The activity's phase.";
        year: i32 => "År", "2026", "The activity's year.";
        start_date: Option<chrono::NaiveDate> => "Start", "\"2026-02-01\"", "Planned start; null when not set (a Gantt chart shows it as a milestone-less row).";
        end_date: Option<chrono::NaiveDate> => "Slut", "\"2026-11-30\"", "Planned end; null when not set.";
        roadmap_priority: Option<i32> => "Prioritet", "1", "The activity's priority on the roadmap (1 = highest); null when not prioritised.";
        focus_areas: Option<String> => "Målområden", "\"Effektiv verksamhet, Självklar service\"", "The activity's focus areas (målområden), comma-separated in name order; null for none.";
    }
    sort_keys {
        roadmap_sort: String;
        title_sort: String;
    }
}

impl TimelineRow {
    /// Gantt order: roadmap by roadmap (first year, name, id), then priority, then start
    /// (unprioritised and undated last: `true` sorts after `false`), then title and id.
    #[allow(clippy::type_complexity)]
    fn gantt_order(
        &self,
    ) -> (
        i32,
        &str,
        &str,
        bool,
        Option<i32>,
        bool,
        Option<chrono::NaiveDate>,
        &str,
        &str,
    ) {
        (
            self.roadmap_from_year,
            &self.roadmap_sort,
            &self.roadmap_id,
            self.roadmap_priority.is_none(),
            self.roadmap_priority,
            self.start_date.is_none(),
            self.start_date,
            &self.title_sort,
            &self.activity_id,
        )
    }
}

fn run(conn: &mut DbConnection, ctx: &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    // Joined text differs per backend; both order the names (SQLite ≥ 3.44 takes ORDER BY here).
    let joined = if conn.is_postgres() {
        "string_agg(fa.name, ', ' ORDER BY fa.name_sort, fa.id)"
    } else {
        "group_concat(fa.name, ', ' ORDER BY fa.name_sort, fa.id)"
    };
    // The activities first, then their focus areas joined into one text per activity in one
    // grouped pass (a subquery per row made PostgreSQL join and aggregate 4k times). The index
    // `activities_on_roadmap` serves `act`. No MATERIALIZED hint on it: with one, SQLite scanned
    // all of `activity_focus_areas` for `areas` (80 → 450 ms); PostgreSQL materializes it anyway,
    // as it is read twice.
    let mut sql = Sql::new();
    sql.push(
        "WITH act AS (
            SELECT a.id, a.organisation_id, a.roadmap_id, a.external_id, a.title, a.title_sort,
                   a.kind, a.phase, a.year, a.start_date, a.end_date, a.roadmap_priority
            FROM activities a
            WHERE a.roadmap_id IS NOT NULL",
    );
    sql.and_activity_filters("a", ctx);
    sql.push(&format!(
        "), areas AS (
            SELECT afa.activity_id, {joined} AS focus_areas
            FROM act JOIN activity_focus_areas afa ON afa.activity_id = act.id
            JOIN focus_areas fa ON fa.id = afa.focus_area_id
            GROUP BY afa.activity_id)
        SELECT a.organisation_id, o.name AS organisation_name, r.id AS roadmap_id,
                r.name AS roadmap_name, r.from_year AS roadmap_from_year,
                r.to_year AS roadmap_to_year, r.status AS roadmap_status, a.id AS activity_id,
                a.external_id, a.title, a.kind, a.phase, a.year, a.start_date, a.end_date,
                a.roadmap_priority, areas.focus_areas, r.name_sort AS roadmap_sort, a.title_sort
         FROM act a
         JOIN roadmaps r ON r.id = a.roadmap_id
         JOIN organisations o ON o.id = a.organisation_id
         LEFT JOIN areas ON areas.activity_id = a.id"
    ));
    // Sorted here, not by ORDER BY (see `report_row!`'s sort keys): PostgreSQL spent 45 of the
    // report's 130 ms sorting a municipality's 3.8k rows.
    let mut rows = sql.load::<TimelineRow>(conn)?;
    rows.sort_unstable_by(|a, b| a.gantt_order().cmp(&b.gantt_order()));
    Ok(cells(rows))
}

pub const TABLE: ReportTable = ReportTable {
    key: "roadmap_timeline",
    path: "roadmap-timeline",
    title: "Färdplan tidslinje",
    summary: "Gantt-ready rows: each roadmap activity with its dates, phase and priority",
    description: "One row per activity linked to a digital färdplan (roadmap): the owning organisation, the roadmap (id, name, the years it covers, status), the activity (id, external id, title, kind, phase, year), its planned start and end dates, its priority on the roadmap and its focus areas (målområden). Activities linked to no roadmap are not listed (see `/reports/portfolio` for all activities). Ordered for a Gantt chart: by roadmap (first year, name), then priority (unprioritised last), then start date (undated last) and title. The filters choose activities as in the portfolio report; `organisation_id` is matched against the activity's owner.",
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
    columns: TimelineRow::COLUMNS,
    run,
    pages: None,
};
