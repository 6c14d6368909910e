//! Report tables as entity sets, generically over `reports::REGISTRY`: each table becomes an
//! entity type keyed by a synthesized `row_key` (the row's position in the report's own order)
//! with one property per column. The report's filters are custom query parameters with the
//! same names and rules as on `/api/v1/reports/…` (`?year=2026&organisation_id=…`); the report
//! runs in SQL as there, and `$filter`, `$orderby`, `$select` and paging then apply to its
//! (aggregated, small) result in memory, with the same semantics as on the flat tables. The
//! pages after the first read the first page's result (`snapshots`), so a walk through the
//! pages runs the report once. A table that pages in its own SQL (the documentation gaps, up to
//! 200k rows) is read a page at a time instead when the request reads it in report order, as
//! Power BI does (`paged_in_sql`).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::{Arc, OnceLock};

use chrono::Datelike;

use super::exec::Page;
use super::filter::{CmpOp, Expr, Literal, StringFn};
use super::model::{EdmType, Property};
use super::options::{Direction, QueryOptions};
use super::snapshots::{ReportSnapshots, Rows};
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::reports::filters::{Filter, RawReportQuery};
use crate::reports::table::{Cell, ColumnType, ReportTable};

/// The synthesized key property of every report entity type.
pub const ROW_KEY: &str = "row_key";

/// A report table as an entity set.
pub struct ReportSet {
    pub table: &'static ReportTable,
    pub type_name: String,
    /// `row_key`, then the report's columns in order.
    pub properties: Vec<Property>,
    /// The report's filters: the custom query parameters the set accepts.
    pub parameters: Vec<&'static str>,
}

fn edm(kind: ColumnType) -> EdmType {
    match kind {
        ColumnType::Text => EdmType::String,
        ColumnType::Integer => EdmType::Int64,
        ColumnType::Decimal => EdmType::Decimal,
        ColumnType::Date => EdmType::Date,
        ColumnType::Datetime => EdmType::DateTimeOffset,
        ColumnType::Bool => EdmType::Boolean,
    }
}

/// Every report table of the registry as an entity set (built once).
pub fn all() -> &'static [ReportSet] {
    static SETS: OnceLock<Vec<ReportSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        crate::reports::registry()
            .iter()
            .map(|table| {
                let mut properties = vec![Property {
                    name: ROW_KEY,
                    edm: EdmType::Int64,
                    nullable: false,
                    sort_column: None,
                }];
                properties.extend(table.columns.iter().map(|c| Property {
                    name: c.key,
                    edm: edm(c.kind),
                    nullable: c.nullable,
                    sort_column: None,
                }));
                ReportSet {
                    table,
                    type_name: format!("{}Row", table.schema_name()),
                    properties,
                    parameters: table.filters.iter().map(|f| f.name()).collect(),
                }
            })
            .collect()
    })
}

/// The report filters from the custom parameters; a required `year` defaults to this year, so
/// Power BI's navigator preview (which sends none) shows the current year.
fn report_filters(
    set: &ReportSet,
    custom: &[(String, String)],
    today: chrono::NaiveDate,
) -> Result<crate::reports::filters::ReportFilters, ApiError> {
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(custom)
        .finish();
    let raw: RawReportQuery = serde_urlencoded::from_str(&query)
        .map_err(|e| ApiError::BadRequest(format!("invalid report parameter: {e}")))?;
    let mut filters = raw.filters()?;
    if set.table.required.contains(&Filter::Year) && filters.year.is_none() {
        filters.year = Some(today.year());
    }
    Ok(filters)
}

/// Orders cells as OData orders values: null first, then by value.
fn compare(a: &Cell, b: &Cell) -> Ordering {
    match (a, b) {
        (Cell::Null, Cell::Null) => Ordering::Equal,
        (Cell::Null, _) => Ordering::Less,
        (_, Cell::Null) => Ordering::Greater,
        (Cell::Text(x), Cell::Text(y)) => x.cmp(y),
        (Cell::Integer(x), Cell::Integer(y)) => x.cmp(y),
        (Cell::Integer(x), Cell::Decimal(y)) => (*x as f64).total_cmp(y),
        (Cell::Decimal(x), Cell::Integer(y)) => x.total_cmp(&(*y as f64)),
        (Cell::Decimal(x), Cell::Decimal(y)) => x.total_cmp(y),
        (Cell::Date(x), Cell::Date(y)) => x.cmp(y),
        (Cell::Datetime(x), Cell::Datetime(y)) => x.cmp(y),
        (Cell::Bool(x), Cell::Bool(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

fn cell(value: &Literal) -> Cell {
    match value {
        Literal::Null => Cell::Null,
        Literal::String(s) => Cell::Text(s.clone()),
        Literal::Int(n) => Cell::Integer(*n),
        Literal::Decimal(x) => Cell::Decimal(*x),
        Literal::Bool(b) => Cell::Bool(*b),
        Literal::Date(d) => Cell::Date(*d),
        Literal::DateTime(t) => Cell::Datetime(*t),
    }
}

/// A row's value of a property, by name.
type Getter<'a> = dyn Fn(&str) -> Cow<'a, Cell> + 'a;

/// OData's logic: comparisons are two-valued (null eq x is false, null ne x true); a string
/// function of null is null, and null propagates through `not`, `and`, `or`.
fn eval(expr: &Expr, value: &Getter<'_>) -> Option<bool> {
    match expr {
        Expr::And(a, b) => match (eval(a, value), eval(b, value)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Expr::Or(a, b) => match (eval(a, value), eval(b, value)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Expr::Not(inner) => eval(inner, value).map(|b| !b),
        Expr::Const(b) => Some(*b),
        Expr::Text {
            function,
            property,
            text,
        } => match value(property.name).as_ref() {
            Cell::Text(s) => Some(match function {
                StringFn::Contains => s.contains(text.as_str()),
                StringFn::StartsWith => s.starts_with(text.as_str()),
                StringFn::EndsWith => s.ends_with(text.as_str()),
            }),
            _ => None,
        },
        Expr::Compare {
            property,
            op,
            value: literal,
        } => {
            let left = value(property.name);
            let null_left = matches!(left.as_ref(), Cell::Null);
            let null_right = matches!(literal, Literal::Null);
            if null_left || null_right {
                let both = null_left && null_right;
                return Some(match op {
                    CmpOp::Eq => both,
                    CmpOp::Ne => !both,
                    _ => false,
                });
            }
            let ord = compare(&left, &cell(literal));
            Some(match op {
                CmpOp::Eq => ord == Ordering::Equal,
                CmpOp::Ne => ord != Ordering::Equal,
                CmpOp::Gt => ord == Ordering::Greater,
                CmpOp::Ge => ord != Ordering::Less,
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Le => ord != Ordering::Greater,
            })
        }
    }
}

/// One row as a JSON object of the selected properties (`value(p)`: the row's property `p`).
fn render<'a>(
    set: &ReportSet,
    selected: &[usize],
    value: impl Fn(usize) -> Cow<'a, Cell>,
) -> String {
    let fields: Vec<String> = selected
        .iter()
        .map(|p| {
            format!(
                "{}:{}",
                serde_json::Value::from(set.properties[*p].name),
                value(*p).to_json()
            )
        })
        .collect();
    format!("{{{}}}", fields.join(","))
}

impl ReportSet {
    /// The place of a property among the set's properties (names come from parsed options, so
    /// they are the set's own).
    fn position(&self, name: &str) -> usize {
        self.properties
            .iter()
            .position(|p| p.name == name)
            .unwrap_or_default()
    }

    /// The places of the properties `$select` chose.
    fn selected(&self, opts: &QueryOptions) -> Vec<usize> {
        opts.select.iter().map(|p| self.position(p.name)).collect()
    }
}

/// The largest `row_key` a token may carry: far beyond any report, and far from overflowing
/// when a page's rows are counted on.
const MAX_ROW_KEY: i64 = 1 << 40;

/// A page read by the report's own SQL (keyset paging), when its table pages in SQL and the
/// request reads it in report order: no `$filter`, `$orderby`, `$skip` or `$count`, the way
/// Power BI loads a set. A page then costs a page, not the whole report. The next link's token
/// holds the page's last `row_key` and where the report resumes; the rows after it are read
/// afresh, so a row added before that point during a walk is not seen and one added after it
/// is (as on the flat sets). `None`: the request needs the whole result.
fn paged_in_sql(
    conn: &mut DbConnection,
    principal: &Principal,
    set: &ReportSet,
    opts: &QueryOptions,
    filters: &crate::reports::filters::ReportFilters,
    today: chrono::NaiveDate,
    wanted: i64,
) -> Result<Option<Page>, ApiError> {
    let in_report_order = opts.filter.is_none()
        && opts.skip == 0
        && !opts.count
        && matches!(opts.order.as_slice(), [(p, Direction::Asc)] if p.name == ROW_KEY);
    let pages_in_sql = in_report_order && set.table.pages.is_some();
    let offset = match (&opts.after, &opts.resume) {
        (None, None) => 0,
        // A resume point only comes with a row_key this server could have written.
        (Some(after), Some(_)) if pages_in_sql => match after.as_slice() {
            [Literal::Int(n)] if (0..=MAX_ROW_KEY).contains(n) => *n,
            _ => return Err(super::options::invalid_token()),
        },
        (_, Some(_)) => return Err(super::options::invalid_token()),
        // A token of a walk through a kept result.
        (Some(_), None) => return Ok(None),
    };
    let Ok(limit) = usize::try_from(wanted) else {
        return Ok(None);
    };
    if !pages_in_sql || limit == 0 {
        return Ok(None);
    }
    let Some(page) = crate::reports::run_page(
        conn,
        principal,
        set.table,
        filters.clone(),
        today,
        opts.resume.as_ref(),
        limit,
    )?
    else {
        return Ok(None);
    };
    let selected = set.selected(opts);
    let rows: Vec<String> = page
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            render(set, &selected, |p| match p.checked_sub(1) {
                None => Cow::Owned(Cell::Integer(offset + i as i64 + 1)),
                Some(c) => row.get(c).map_or(Cow::Owned(Cell::Null), Cow::Borrowed),
            })
        })
        .collect();
    let last = offset + rows.len() as i64;
    let within_top = opts.top.is_none_or(|top| top > wanted);
    let next = match page.next {
        Some(resume) if within_top && !rows.is_empty() => {
            Some(vec![serde_json::Value::from(last), resume])
        }
        _ => None,
    };
    Ok(Some(Page {
        rows,
        next,
        count: None,
    }))
}

/// Runs the report for the principal and returns one page of its rows. A report that pages in
/// SQL reads just the page when it can (`paged_in_sql`); otherwise a page after the first (a
/// `$skiptoken` from a next link) reads the snapshot its first page kept, if still there.
pub fn read_page(
    conn: &mut DbConnection,
    principal: &Principal,
    set: &ReportSet,
    opts: &QueryOptions,
    page_size: i64,
    count_only: bool,
    snapshots: &ReportSnapshots,
) -> Result<Page, ApiError> {
    let today = chrono::Utc::now().date_naive();
    let filters = report_filters(set, &opts.custom, today)?;
    let wanted = opts.top.map_or(page_size, |top| top.min(page_size));
    if wanted <= 0 && !count_only && !opts.count {
        // `$top=0` asks for no rows: nothing to compute.
        return Ok(Page {
            rows: Vec::new(),
            next: None,
            count: None,
        });
    }
    if !count_only {
        if let Some(page) = paged_in_sql(conn, principal, set, opts, &filters, today, wanted)? {
            return Ok(page);
        }
    }
    // Everything the rows depend on: the report, its filters, the caller's scope and the day.
    let key = format!(
        "{}|{}|{:?}|{today}",
        set.table.key,
        serde_json::to_string(&filters).map_err(ApiError::internal)?,
        principal.orgs,
    );
    let kept = match (&opts.after, count_only) {
        (Some(_), false) => snapshots.get(&key),
        _ => None,
    };
    let data: Rows = match kept {
        Some(rows) => rows,
        None => {
            let run = crate::reports::run(conn, principal, set.table, filters, today)?;
            let rows = Arc::new(run.rows);
            if !count_only {
                snapshots.put(key, Arc::clone(&rows));
            }
            rows
        }
    };
    let index = |name: &str| set.position(name);
    // Row `i`'s value of property `p`: its row_key (its place in the report, from 1), then the
    // report's cells. The pages borrow the (kept) rows: a page of a 200k-row report copies
    // only its own rows.
    let value = |i: usize, p: usize| -> Cow<'_, Cell> {
        match p.checked_sub(1) {
            None => Cow::Owned(Cell::Integer(i as i64 + 1)),
            Some(c) => data[i].get(c).map_or(Cow::Owned(Cell::Null), Cow::Borrowed),
        }
    };
    let mut rows: Vec<usize> = (0..data.len())
        .filter(|i| {
            opts.filter
                .as_ref()
                .is_none_or(|f| eval(f, &|name: &str| value(*i, index(name))) == Some(true))
        })
        .collect();
    let total = rows.len() as i64;
    let count = (opts.count || count_only).then_some(total);
    if count_only {
        return Ok(Page {
            rows: Vec::new(),
            next: None,
            count,
        });
    }
    let keys: Vec<(usize, Direction)> = opts
        .order
        .iter()
        .map(|(p, d)| (index(p.name), *d))
        .collect();
    let directed = |o: Ordering, d: Direction| if d == Direction::Desc { o.reverse() } else { o };
    rows.sort_by(|a, b| {
        keys.iter()
            .map(|(p, d)| directed(compare(&value(*a, *p), &value(*b, *p)), *d))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    });
    let start = match &opts.after {
        // The first row after the previous page's last key values.
        Some(after) => rows.partition_point(|i| {
            keys.iter()
                .zip(after)
                .map(|((p, d), last)| directed(compare(&value(*i, *p), &cell(last)), *d))
                .find(|o| *o != Ordering::Equal)
                .unwrap_or(Ordering::Equal)
                != Ordering::Greater
        }),
        None => usize::try_from(opts.skip).unwrap_or(usize::MAX),
    };
    let page: Vec<usize> = rows
        .iter()
        .skip(start)
        .take(usize::try_from(wanted).unwrap_or(0))
        .copied()
        .collect();
    let more = rows.len().saturating_sub(start) > page.len();
    let more_within_top = more && opts.top.is_none_or(|top| top > wanted);
    let next = match page.last() {
        Some(last) if more_within_top && wanted > 0 => Some(
            keys.iter()
                .map(|(p, _)| value(*last, *p).to_json())
                .collect(),
        ),
        _ => None,
    };
    let selected = set.selected(opts);
    let rendered = page
        .iter()
        .map(|i| render(set, &selected, |p| value(*i, p)))
        .collect();
    Ok(Page {
        rows: rendered,
        next,
        count,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::options;

    #[test]
    fn every_report_is_a_set_with_a_row_key_and_typed_columns() {
        let names: Vec<&str> = crate::odata::tables::ALL.iter().map(|t| t.name).collect();
        for set in all() {
            assert_eq!(set.properties[0].name, ROW_KEY);
            assert_eq!(set.properties.len(), set.table.columns.len() + 1);
            assert!(
                !names.contains(&set.table.key),
                "{} clashes with a table",
                set.table.key
            );
            assert!(set.properties.len() <= crate::odata::sql::MAX_PROPERTIES);
        }
    }

    #[test]
    fn in_memory_filters_follow_odata_null_rules() {
        let props = [
            Property {
                name: "a",
                edm: EdmType::Int64,
                nullable: true,
                sort_column: None,
            },
            Property {
                name: "t",
                edm: EdmType::String,
                nullable: true,
                sort_column: None,
            },
        ];
        let null = |_: &str| Cow::Owned(Cell::Null);
        let check = |f: &str| {
            let o = options::parse(&format!("$filter={f}"), &props, "a", &[]).unwrap();
            eval(o.filter.as_ref().unwrap(), &null)
        };
        assert_eq!(check("a gt 1"), Some(false));
        assert_eq!(check("not (a gt 1)"), Some(true));
        assert_eq!(check("a ne 1"), Some(true));
        assert_eq!(check("a eq null"), Some(true));
        assert_eq!(check("contains(t,'x')"), None);
        assert_eq!(check("not contains(t,'x')"), None);
        assert_eq!(check("contains(t,'x') or a eq null"), Some(true));
    }
}
