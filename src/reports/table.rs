//! What a report table is: its columns (key, Swedish header, type, description, example) and
//! its typed cells. One definition drives the JSON rows, the CSV and XLSX headers, the OpenAPI
//! schema and `docs/reports.md`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::sql_types;

use crate::db::DbConnection;
use crate::reports::filters::{Filter, ReportContext};

/// The type of a column's values (every column may also be null where its definition says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReportColumnType)]
pub enum ColumnType {
    Text,
    Integer,
    Decimal,
    Date,
    Datetime,
    Bool,
}

impl ColumnType {
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Date => "date",
            ColumnType::Datetime => "datetime",
            ColumnType::Bool => "bool",
        }
    }
}

/// How a number is shown in XLSX (and named in the docs); JSON and CSV carry the plain value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReportUnit)]
pub enum Unit {
    None,
    /// Whole Swedish kronor.
    Sek,
    /// A share 0–1, shown as a percentage in XLSX.
    Share,
}

/// One column of a report table.
#[derive(Debug, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
#[schema(as = ReportColumn)]
pub struct Column {
    /// Stable English snake_case key: the JSON field and (with `header=key`) the CSV header.
    #[schema(example = "share_done")]
    pub key: &'static str,
    /// The Swedish header used in XLSX and CSV.
    #[schema(example = "Andel klar")]
    pub header: &'static str,
    #[serde(rename = "type")]
    pub kind: ColumnType,
    pub nullable: bool,
    pub unit: Unit,
    #[schema(example = "done / (activities − not_applicable); null when nothing applies")]
    pub description: &'static str,
    /// An example value as JSON text (used in the OpenAPI schema and the docs).
    #[serde(skip)]
    pub example: &'static str,
}

/// A typed value of one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Integer(i64),
    Decimal(f64),
    Date(NaiveDate),
    Datetime(NaiveDateTime),
    Bool(bool),
}

impl Cell {
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Cell::Null => Value::Null,
            Cell::Text(s) => Value::String(s.clone()),
            Cell::Integer(n) => Value::from(*n),
            Cell::Decimal(x) => serde_json::Number::from_f64(*x)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Cell::Date(d) => Value::String(d.format("%Y-%m-%d").to_string()),
            Cell::Datetime(t) => Value::String(t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
            Cell::Bool(b) => Value::Bool(*b),
        }
    }
}

/// The same JSON as [`Cell::to_json`], written straight into the output (no `Value` and no copy
/// of the text per cell: a 13k-row report has 150k cells).
impl serde::Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Null => s.serialize_none(),
            Cell::Text(t) => s.serialize_str(t),
            Cell::Integer(n) => s.serialize_i64(*n),
            Cell::Decimal(x) if x.is_finite() => s.serialize_f64(*x),
            Cell::Decimal(_) => s.serialize_none(),
            Cell::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
            Cell::Datetime(t) => s.collect_str(&t.format("%Y-%m-%dT%H:%M:%S%.6fZ")),
            Cell::Bool(b) => s.serialize_bool(*b),
        }
    }
}

/// A Rust type a report row field may have: its column type, SQL type and cell.
pub trait CellValue {
    type Sql;
    const KIND: ColumnType;
    const NULLABLE: bool;
    fn into_cell(self) -> Cell;
}

macro_rules! cell_value {
    ($rust:ty, $sql:ty, $kind:ident, $variant:ident, $conv:expr) => {
        impl CellValue for $rust {
            type Sql = $sql;
            const KIND: ColumnType = ColumnType::$kind;
            const NULLABLE: bool = false;
            fn into_cell(self) -> Cell {
                Cell::$variant($conv(self))
            }
        }
        impl CellValue for Option<$rust> {
            type Sql = sql_types::Nullable<$sql>;
            const KIND: ColumnType = ColumnType::$kind;
            const NULLABLE: bool = true;
            fn into_cell(self) -> Cell {
                self.map_or(Cell::Null, |v| Cell::$variant($conv(v)))
            }
        }
    };
}

cell_value!(String, sql_types::Text, Text, Text, |v| v);
cell_value!(i64, sql_types::BigInt, Integer, Integer, |v| v);
cell_value!(i32, sql_types::Integer, Integer, Integer, i64::from);
cell_value!(f64, sql_types::Double, Decimal, Decimal, |v| v);
cell_value!(NaiveDate, sql_types::Date, Date, Date, |v| v);
cell_value!(
    NaiveDateTime,
    sql_types::Timestamp,
    Datetime,
    Datetime,
    |v| v
);
cell_value!(bool, sql_types::Bool, Bool, Bool, |v| v);

/// A row struct of a report: its columns in order, and its cells in the same order.
pub trait ReportRow {
    const COLUMNS: &'static [Column];
    fn into_cells(self) -> Vec<Cell>;
}

/// Declares a report's row struct (loaded by `diesel::sql_query`, so each field name is a column
/// alias of the query) together with its column definitions, so the two cannot drift apart:
///
/// ```ignore
/// report_row! {
///     pub struct PortfolioRow {
///         organisation_id: String => "Organisations-id", "0193a0c4-…", "The owning organisation";
///         planned_budget: i64 [Sek] => "Budget (kr)", "1800000", "Sum of planned budgets";
///     }
/// }
/// ```
/// The field's Rust type gives the column type and nullability (`Option<_>` is nullable); an
/// optional `[Sek]` or `[Share]` sets the unit; then Swedish header, example (as JSON text), and
/// description.
///
/// An optional `sort_keys { organisation_sort: String; }` after the columns declares fields the
/// query loads only to order the rows in Rust (sort keys such as `name_sort` that are not
/// columns). They are neither columns nor cells. Reports of thousands of rows sort in Rust
/// because PostgreSQL's sort of wide rows re-reads each row's fields up to its sort keys at
/// every comparison (perf: `nocachegetattr`), a third of the roadmap timeline's time. The sort
/// keys are "C"-collated on PostgreSQL and BINARY on SQLite, and ids are canonical lowercase UUID
/// text, whose locale order is their byte order: the order of `String`'s `Ord`.
#[macro_export]
macro_rules! report_row {
    ($(#[$meta:meta])* $vis:vis struct $name:ident {
        $($field:ident : $ty:ty $([$unit:ident])? => $header:literal, $example:literal, $desc:literal;)+
    } $(sort_keys { $($key:ident : $key_ty:ty;)+ })?) => {
        $(#[$meta])*
        #[derive(Debug, Clone, diesel::QueryableByName)]
        $vis struct $name {
            $(
                #[diesel(sql_type = <$ty as $crate::reports::table::CellValue>::Sql)]
                pub $field: $ty,
            )+
            $($(
                #[diesel(sql_type = <$key_ty as $crate::reports::table::CellValue>::Sql)]
                pub $key: $key_ty,
            )+)?
        }

        impl $crate::reports::table::ReportRow for $name {
            const COLUMNS: &'static [$crate::reports::table::Column] = &[
                $($crate::reports::table::Column {
                    key: stringify!($field),
                    header: $header,
                    kind: <$ty as $crate::reports::table::CellValue>::KIND,
                    nullable: <$ty as $crate::reports::table::CellValue>::NULLABLE,
                    unit: $crate::report_row!(@unit $($unit)?),
                    description: $desc,
                    example: $example,
                },)+
            ];

            fn into_cells(self) -> Vec<$crate::reports::table::Cell> {
                vec![$($crate::reports::table::CellValue::into_cell(self.$field)),+]
            }
        }
    };
    (@unit) => { $crate::reports::table::Unit::None };
    (@unit $unit:ident) => { $crate::reports::table::Unit::$unit };
}

/// Runs a table's query for the given filters and scope; returns typed rows in column order.
pub type RunFn = fn(&mut DbConnection, &ReportContext) -> diesel::QueryResult<Vec<Vec<Cell>>>;

/// One page of a report table read in its own order by its own SQL (keyset paging).
#[derive(Debug, Default)]
pub struct ReportPage {
    pub rows: Vec<Vec<Cell>>,
    /// Where the next page resumes, when rows remain: a JSON object only the table reads back.
    pub next: Option<serde_json::Value>,
}

/// Reads at most `limit` rows of a table in its order, from the start or from where an earlier
/// page left off (`resume`, as that page's `next` said; a client hands it back, so the table
/// checks it and answers a malformed one with a 400).
pub type PageFn = fn(
    &mut DbConnection,
    &ReportContext,
    Option<&serde_json::Value>,
    usize,
) -> Result<ReportPage, crate::error::ApiError>;

/// One report table: a route under `/api/v1/reports/`, an OData entity set, an XLSX sheet.
pub struct ReportTable {
    /// Stable snake_case key, e.g. `documentation_completeness` (the OData entity set name).
    pub key: &'static str,
    /// The route below `/api/v1/reports/`, e.g. `documentation-completeness/gaps`.
    pub path: &'static str,
    /// Swedish title: the XLSX sheet name (at most 31 characters) and the docs heading.
    pub title: &'static str,
    /// One line for the OpenAPI summary.
    pub summary: &'static str,
    /// What the rows mean and the rules behind the figures (Markdown).
    pub description: &'static str,
    /// Filters this table accepts; any other filter is a 422.
    pub filters: &'static [Filter],
    /// Filters that must be given.
    pub required: &'static [Filter],
    pub columns: &'static [Column],
    pub run: RunFn,
    /// For a table too large to compute whole for each OData page: its pages in SQL.
    pub pages: Option<PageFn>,
}

impl ReportTable {
    /// The OpenAPI operation id: `get_report_<key>`.
    pub fn operation_id(&self) -> String {
        format!("get_report_{}", self.key)
    }

    /// The file name stem for downloads: the path with `/` as `-`.
    pub fn file_stem(&self) -> String {
        self.path.replace('/', "-")
    }

    /// A PascalCase name for schemas, e.g. `DocumentationCompletenessGaps`.
    pub fn schema_name(&self) -> String {
        self.key
            .split('_')
            .map(|part| {
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect()
    }
}

/// Loads rows of `R` from a query and turns them into cells.
pub fn cells<R: ReportRow>(rows: Vec<R>) -> Vec<Vec<Cell>> {
    rows.into_iter().map(ReportRow::into_cells).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_serialize_as_their_json_values() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let cells = [
            Cell::Null,
            Cell::Text("Syfte och mål \"å\"".to_owned()),
            Cell::Integer(-42),
            Cell::Decimal(0.467),
            Cell::Decimal(f64::NAN),
            Cell::Date(day),
            Cell::Datetime(day.and_hms_micro_opt(9, 5, 7, 120).unwrap()),
            Cell::Bool(true),
        ];
        for cell in cells {
            assert_eq!(
                serde_json::to_string(&cell).unwrap(),
                cell.to_json().to_string(),
                "{cell:?}"
            );
        }
    }
}
