//! `budget`: planned against forecast and actual from the förvaltningsplaner's budget lines, per
//! organisation × object × category × year, with the deviation; and `budget/it-cost`: the same
//! sums per administration (förvaltning), rolling up every unit below it.
//!
//! Quarter lines are added into their year. A plan should hold either a `year` line or quarter
//! lines for a category; should it hold both, the `year` line counts and the quarters are left
//! out, so nothing is counted twice.

use crate::db::DbConnection;
use crate::report_row;
use crate::reports::filters::{Filter, ReportContext};
use crate::reports::sql::Sql;
use crate::reports::table::{cells, Cell, ReportRow, ReportTable};

report_row! {
    /// One organisation, object, category and year.
    pub struct BudgetRow {
        organisation_id: String => "Organisations-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The organisation that owns the plan.";
        organisation_name: String => "Organisation", "\"Socialförvaltningen\"", "Its name.";
        object_id: String => "Objekt-id", "\"0193a0c4-5555-7c1e-9a1b-2f3c4d5e6f70\"", "The förvaltningsobjekt the plan is for.";
        object_name: String => "Objekt", "\"Verksamhetssystem socialtjänst\"", "Its name.";
        category: String => "Kategori", "\"licences\"", "Budget category: maintenance, development, licences, operations, staff or other.";
        year: i32 => "År", "2026", "The plan's year.";
        quarter_lines: i64 => "Kvartalsrader", "0", "How many quarter lines (q1–q4) were added into the year; 0 when the year is budgeted as one line.";
        planned: i64 [Sek] => "Budget (kr)", "1250000", "Sum of planned, whole SEK.";
        forecast: Option<i64> [Sek] => "Prognos (kr)", "1300000", "Sum of forecast over the lines that have one; null when none has.";
        actual: Option<i64> [Sek] => "Utfall (kr)", "1190000", "Sum of actual over the lines that have one; null when none has.";
        deviation: Option<i64> [Sek] => "Avvikelse (kr)", "-60000", "actual − planned over the lines that have an actual (a quarter not yet booked does not count as saved); negative is under budget. Null when no line has an actual.";
        deviation_share: Option<f64> [Share] => "Avvikelse (andel)", "-0.048", "deviation / planned of the same lines; null without an actual or when that planned is 0.";
    }
}

report_row! {
    /// One administration and year.
    pub struct ItCostRow {
        organisation_id: String => "Förvaltnings-id", "\"0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70\"", "The administration: an organisation of kind administration (förvaltning).";
        organisation_name: String => "Förvaltning", "\"Socialförvaltningen\"", "Its name.";
        year: i32 => "År", "2026", "The plans' year.";
        organisations: i64 => "Organisationer", "3", "How many organisations (the administration itself and units below it) own budget lines counted here.";
        plans: i64 => "Planer", "4", "How many förvaltningsplaner the lines belong to.";
        planned: i64 [Sek] => "Budget (kr)", "4800000", "Sum of planned, whole SEK.";
        forecast: Option<i64> [Sek] => "Prognos (kr)", "4900000", "Sum of forecast over the lines that have one; null when none has.";
        actual: Option<i64> [Sek] => "Utfall (kr)", "4650000", "Sum of actual over the lines that have one — the IT cost; null when none has.";
        deviation: Option<i64> [Sek] => "Avvikelse (kr)", "-150000", "actual − planned over the lines that have an actual; null when none has.";
        deviation_share: Option<f64> [Share] => "Avvikelse (andel)", "-0.031", "deviation / planned of the same lines; null without an actual or when that planned is 0.";
    }
}

/// The counted budget lines as the CTE `ln` (organisation, plan, object, category, year, period,
/// amounts), limited by scope and years.
fn lines_cte(sql: &mut Sql, ctx: &ReportContext) {
    sql.push(
        "WITH ln AS (
            SELECT l.organisation_id, l.plan_id, p.object_id, l.category, p.year, l.period,
                   l.planned, l.forecast, l.actual
            FROM budget_lines l JOIN plans p ON p.id = l.plan_id
            WHERE (l.period = 'year' OR NOT EXISTS (
                SELECT 1 FROM budget_lines y
                WHERE y.plan_id = l.plan_id AND y.category = l.category AND y.period = 'year'))",
    );
    sql.and_in_scope("l.organisation_id", ctx);
    let f = &ctx.filters;
    for (value, op) in [(f.year, "="), (f.from_year, ">="), (f.to_year, "<=")] {
        if let Some(y) = value {
            let p = sql.int(y);
            sql.push(&format!(" AND p.year {op} {p}"));
        }
    }
    sql.push(")");
}

/// The amount columns shared by both tables (over the CTE `ln`).
const AMOUNTS: &str = "CAST(SUM(ln.planned) AS BIGINT) AS planned,
    CAST(SUM(ln.forecast) AS BIGINT) AS forecast,
    CAST(SUM(ln.actual) AS BIGINT) AS actual,
    CAST(SUM(ln.actual - ln.planned) AS BIGINT) AS deviation,
    CASE WHEN SUM(CASE WHEN ln.actual IS NOT NULL THEN ln.planned END) > 0
         THEN CAST(SUM(ln.actual - ln.planned) AS DOUBLE PRECISION)
              / CAST(SUM(CASE WHEN ln.actual IS NOT NULL THEN ln.planned END) AS DOUBLE PRECISION)
    END AS deviation_share";

fn run_budget(conn: &mut DbConnection, ctx: &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    lines_cte(&mut sql, ctx);
    sql.push(&format!(
        " SELECT ln.organisation_id, o.name AS organisation_name, ln.object_id,
                 ob.name AS object_name, ln.category, ln.year,
                 COUNT(CASE WHEN ln.period <> 'year' THEN 1 END) AS quarter_lines,
                 {AMOUNTS}
          FROM ln
          JOIN organisations o ON o.id = ln.organisation_id
          JOIN objects ob ON ob.id = ln.object_id
          GROUP BY ln.organisation_id, o.name, o.name_sort, ln.object_id, ob.name, ob.name_sort,
                   ln.category, ln.year
          ORDER BY o.name_sort, ln.organisation_id, ob.name_sort, ln.object_id, ln.year,
                   CASE ln.category WHEN 'maintenance' THEN 1 WHEN 'development' THEN 2
                        WHEN 'licences' THEN 3 WHEN 'operations' THEN 4 WHEN 'staff' THEN 5
                        ELSE 6 END"
    ));
    Ok(cells(sql.load::<BudgetRow>(conn)?))
}

fn run_it_cost(
    conn: &mut DbConnection,
    ctx: &ReportContext,
) -> diesel::QueryResult<Vec<Vec<Cell>>> {
    let mut sql = Sql::new();
    lines_cte(&mut sql, ctx);
    sql.push(&format!(
        " SELECT adm.id AS organisation_id, adm.name AS organisation_name, ln.year,
                 COUNT(DISTINCT ln.organisation_id) AS organisations,
                 COUNT(DISTINCT ln.plan_id) AS plans,
                 {AMOUNTS}
          FROM ln
          JOIN org_closure c ON c.descendant_id = ln.organisation_id
          JOIN organisations adm ON adm.id = c.ancestor_id AND adm.kind = 'administration'
          WHERE 1 = 1"
    ));
    // The administration itself must be in scope too, so a token for one unit does not see
    // its administration's row.
    sql.and_in_scope("adm.id", ctx);
    sql.push(
        " GROUP BY adm.id, adm.name, adm.name_sort, ln.year
          ORDER BY adm.name_sort, adm.id, ln.year",
    );
    Ok(cells(sql.load::<ItCostRow>(conn)?))
}

const FILTERS: &[Filter] = &[
    Filter::OrganisationId,
    Filter::Year,
    Filter::FromYear,
    Filter::ToYear,
];

pub const BUDGET: ReportTable = ReportTable {
    key: "budget",
    path: "budget",
    title: "Budget och utfall",
    summary: "Planned, forecast and actual per organisation, object, category and year",
    description: "The budget lines of the förvaltningsplaner summed per owning organisation × förvaltningsobjekt × category × year (the plan's year), with the deviation actual − planned and its share of planned. Quarter lines (q1–q4) are added into their year (`quarter_lines` says how many); should a plan hold both a `year` line and quarter lines for a category, the `year` line counts and the quarters are left out. The deviation is taken over the lines that have an actual, so a quarter not yet booked is not read as money saved. Amounts are whole SEK. `organisation_id` limits to the lines of that organisation's subtree; `year`, `from_year`, `to_year` to the plans' years.",
    filters: FILTERS,
    required: &[],
    columns: BudgetRow::COLUMNS,
    run: run_budget,
    pages: None,
};

pub const IT_COST: ReportTable = ReportTable {
    key: "budget_it_cost",
    path: "budget/it-cost",
    title: "IT-kostnad per förvaltning",
    summary: "IT cost (planned, forecast, actual) per administration and year",
    description: "The same budget lines as `/reports/budget`, summed per administration (organisation of kind `administration`, förvaltning) and year: every line owned by the administration or by any unit below it counts. Lines owned by organisations that lie under no administration (the municipality, a committee, a company) are not in this table. An administration outside the caller's scope (or outside `organisation_id`'s subtree) gets no row, even when units below it are in scope. Same filters and the same rules for quarters and the deviation as `/reports/budget`.",
    filters: FILTERS,
    required: &[],
    columns: ItCostRow::COLUMNS,
    run: run_it_cost,
    pages: None,
};
