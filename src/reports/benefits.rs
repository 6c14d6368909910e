//! `benefits`: nyttorealisering — expected against realised value (SEK and indicator progress)
//! per organisation × focus area × year; and `benefits/missing-follow-ups`: finished activities
//! whose benefits were never followed up.
//!
//! The realised figures are the ones `domain::benefits::realisation` keeps on each benefit from
//! its latest follow-up (`realised_value` = latest measured value, `realised_value_sek`), so the
//! report and the benefit records cannot disagree; the indicator progress here applies the same
//! clamped formula to the same columns.

use crate::db::DbConnection;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

report_row! {
    /// One organisation, focus area and year.
    pub struct BenefitRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the benefits (the activity's organisation).";
        organisation_name: String => "Organisation", "\"Socialförvaltningen\"", "Its name.";
        focus_area_id: Option<String> => "Målområdes-id", "\"0193a0c4-bbbb-7c1e-9a1b-2f3c4d5e6f70\"", "The focus area (målområde) of the benefit's activity; null for activities tied to none. An activity with several focus areas has its benefits counted under each.";
        focus_area_name: Option<String> => "Målområde", "\"Självklar service\"", "Its name.";
        year: i32 => "År", "2026", "The activity's year.";
        benefits: i64 => "Nyttor", "3", "Number of benefits.";
        followed_up: i64 => "Uppföljda", "2", "Benefits with at least one follow-up.";
        expected_value_sek: i64 [Sek] => "Förväntad nytta (kr/år)", "900000", "Sum of yearly_value_sek, whole SEK (benefits without one add 0).";
        realised_value_sek: i64 [Sek] => "Realiserad nytta (kr)", "420000", "Sum of the benefits' realised_value_sek (from the latest follow-up: the SEK stated there, else yearly value × progress); benefits without one add 0.";
        realised_share: Option<f64> [Share] => "Andel realiserad", "0.467", "realised_value_sek / expected_value_sek; null when nothing is expected.";
        with_progress: i64 => "Med indikatorutfall", "2", "Benefits whose indicator progress can be computed: followed up, with baseline and target, baseline ≠ target.";
        indicator_progress: Option<f64> [Share] => "Indikatorutveckling", "0.55", "Average over those benefits of (latest measured − baseline) / (target − baseline), each clamped to 0–1 (so falling targets work too); null when no benefit has one.";
    }
    sort_keys {
        organisation_sort: String;
        focus_area_sort: Option<String>;
    }
}

impl BenefitRow {
    /// Organisation (name, id), year, then focus area (name, id; benefits of activities without
    /// one last: `true` sorts after `false`).
    #[allow(clippy::type_complexity)]
    fn order(&self) -> (&str, &str, i32, bool, Option<&str>, Option<&str>) {
        (
            &self.organisation_sort,
            &self.organisation_id,
            self.year,
            self.focus_area_sort.is_none(),
            self.focus_area_sort.as_deref(),
            self.focus_area_id.as_deref(),
        )
    }
}

report_row! {
    /// One finished activity without any benefit follow-up.
    pub struct MissingFollowUpRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the activity.";
        organisation_name: String => "Organisation", "\"Socialförvaltningen\"", "Its name.";
        activity_id: String => "Aktivitets-id", "\"0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70\"", "The activity.";
        external_id: Option<String> => "Externt id", "\"PRJ-2024-03\"", "The activity's external_id, if any.";
        title: String => "Aktivitet", "\"E-tjänst för ekonomiskt bistånd\"", "The activity's title.";
        phase: String => "Fas", "\"completed\"", "completed or evaluated.";
        year: i32 => "År", "2024", "The activity's year.";
        end_date: Option<chrono::NaiveDate> => "Slutdatum", "\"2024-12-15\"", "The activity's end date, if set.";
        benefits: i64 => "Nyttor", "1", "How many benefits the activity has (none followed up); 0 means no benefit was even described.";
    }
    sort_keys {
        organisation_sort: String;
        title_sort: String;
    }
}

impl MissingFollowUpRow {
    /// Organisation (name, id), year, then title and id.
    fn order(&self) -> (&str, &str, i32, &str, &str) {
        (
            &self.organisation_sort,
            &self.organisation_id,
            self.year,
            &self.title_sort,
            &self.activity_id,
        )
    }
}

/// Progress of one benefit (alias `b`), clamped to 0–1; null when it cannot be computed.
const PROGRESS: &str = "CASE
    WHEN b.realised_value IS NULL OR b.baseline IS NULL OR b.target IS NULL
         OR b.target = b.baseline THEN NULL
    WHEN (b.realised_value - b.baseline) / (b.target - b.baseline) >= 1 THEN 1.0
    WHEN (b.realised_value - b.baseline) / (b.target - b.baseline) <= 0 THEN 0.0
    ELSE (b.realised_value - b.baseline) / (b.target - b.baseline) END";

fn run_benefits(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    sql.push(&format!(
        "WITH ben AS (
            SELECT b.organisation_id, a.id AS activity_id, a.year, b.yearly_value_sek,
                   b.realised_value_sek, b.last_follow_up,
                   CAST({PROGRESS} AS DOUBLE PRECISION) AS progress
            FROM benefits b JOIN activities a ON a.id = b.activity_id
            WHERE 1 = 1"
    ));
    sql.and_in_municipalities("b.municipality_id", ctx);
    sql.and_activity_filters("a", ctx);
    // Grouped by ids alone, the names joined to the groups afterwards: with the names in the
    // group key PostgreSQL sorted the 9k benefit rows of four years by long text (130 → 66 ms).
    sql.push(
        "),
        grouped AS (
        SELECT ben.organisation_id, afa.focus_area_id, ben.year,
               COUNT(*) AS benefits,
               COUNT(ben.last_follow_up) AS followed_up,
               CAST(COALESCE(SUM(ben.yearly_value_sek), 0) AS BIGINT) AS expected_value_sek,
               CAST(COALESCE(SUM(ben.realised_value_sek), 0) AS BIGINT) AS realised_value_sek,
               CASE WHEN COALESCE(SUM(ben.yearly_value_sek), 0) = 0 THEN NULL
                    ELSE CAST(COALESCE(SUM(ben.realised_value_sek), 0) AS DOUBLE PRECISION)
                         / CAST(SUM(ben.yearly_value_sek) AS DOUBLE PRECISION)
               END AS realised_share,
               COUNT(ben.progress) AS with_progress,
               CAST(AVG(ben.progress) AS DOUBLE PRECISION) AS indicator_progress
        FROM ben
        LEFT JOIN activity_focus_areas afa ON afa.activity_id = ben.activity_id
        WHERE 1 = 1",
    );
    if let Some(area) = &ctx.filters.focus_area_id {
        // Only the chosen area's rows, not the other areas of the same activities.
        let p = sql.text(area);
        sql.push(&format!(" AND afa.focus_area_id = {p}"));
    }
    sql.push(
        " GROUP BY ben.organisation_id, afa.focus_area_id, ben.year)
        SELECT g.organisation_id, o.name AS organisation_name, g.focus_area_id,
               fa.name AS focus_area_name, g.year, g.benefits, g.followed_up,
               g.expected_value_sek, g.realised_value_sek, g.realised_share, g.with_progress,
               g.indicator_progress, o.name_sort AS organisation_sort,
               fa.name_sort AS focus_area_sort
        FROM grouped g
        JOIN organisations o ON o.id = g.organisation_id
        LEFT JOIN focus_areas fa ON fa.id = g.focus_area_id",
    );
    // Sorted here, not by ORDER BY (see `report_row!`'s sort keys).
    let mut rows = sql.load::<BenefitRow>(conn)?;
    rows.sort_unstable_by(|a, b| a.order().cmp(&b.order()));
    Ok(cells(rows))
}

fn run_missing(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    sql.push(
        "SELECT a.organisation_id, o.name AS organisation_name, a.id AS activity_id,
                a.external_id, a.title, a.phase, a.year, a.end_date,
                o.name_sort AS organisation_sort, a.title_sort,
                (SELECT COUNT(*) FROM benefits b WHERE b.activity_id = a.id) AS benefits
         FROM activities a JOIN organisations o ON o.id = a.organisation_id
         WHERE a.phase IN ('completed', 'evaluated')
           AND NOT EXISTS (SELECT 1 FROM benefits b
                           JOIN benefit_follow_ups f ON f.benefit_id = b.id
                           WHERE b.activity_id = a.id)",
    );
    sql.and_activity_filters("a", ctx);
    // Sorted here, not by ORDER BY (see `report_row!`'s sort keys): PostgreSQL spent 10 ms
    // sorting a municipality's 4k activities of one year.
    let mut rows = sql.load::<MissingFollowUpRow>(conn)?;
    rows.sort_unstable_by(|a, b| a.order().cmp(&b.order()));
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
];

pub const BENEFITS: ReportTable = ReportTable {
    key: "benefit_realisation",
    path: "benefits",
    title: "Nyttorealisering",
    summary: "Expected against realised benefit per organisation, focus area and year",
    description: "Nyttorealisering: the benefits of the activities the filters choose, per owning organisation × focus area (målområde, through the activity) × year (the activity's year). Expected value is the sum of yearly_value_sek; realised value is the sum of each benefit's realised_value_sek, which Styra derives from the benefit's latest follow-up (the SEK stated there, else yearly value × progress); the indicator progress is the average of (latest measured − baseline) / (target − baseline), each clamped to 0–1, over the benefits where it can be computed (`with_progress`). A benefit whose activity has two focus areas is counted under each, so totals over focus areas can exceed the number of benefits; one whose activity has none appears under focus area null. With `focus_area_id` only that area's rows are returned. `phase` and `kind` are the activity's.",
    filters: FILTERS,
    required: &[],
    columns: BenefitRow::COLUMNS,
    run: run_benefits,
    pages: None,
};

pub const MISSING_FOLLOW_UPS: ReportTable = ReportTable {
    key: "benefits_missing_follow_ups",
    path: "benefits/missing-follow-ups",
    title: "Nyttor utan uppföljning",
    summary: "Completed and evaluated activities with no benefit follow-up",
    description: "Every activity in phase completed or evaluated that has no benefit follow-up at all — either its benefits were never followed up or it has no benefit (`benefits` = 0). With `phase` only the chosen phases among completed and evaluated. Ordered by organisation, year and title.",
    filters: FILTERS,
    required: &[],
    columns: MissingFollowUpRow::COLUMNS,
    run: run_missing,
    pages: None,
};
