//! Runs the generated SQL on either backend with its dynamic list of bound parameters, and
//! reads a page of a flat entity set: the rows as JSON text, whether more follow, the token.

use diesel::pg::Pg;
use diesel::sql_types::{BigInt, Bool, Date, Double, Text, Timestamp};
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use super::model::TableSet;
use super::options::QueryOptions;
use super::sql::{self, Dialect, RowScope, SqlQuery, SqlValue};
use crate::db::DbConnection;

#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = Text)]
    json: String,
    #[diesel(sql_type = Text)]
    sort_key: String,
}

#[derive(QueryableByName)]
struct CountRow {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

macro_rules! bind_all {
    ($backend:ty, $query:expr) => {{
        let mut boxed = diesel::sql_query($query.text.clone()).into_boxed::<$backend>();
        for value in &$query.binds {
            boxed = match value.clone() {
                SqlValue::Text(v) => boxed.bind::<Text, _>(v),
                SqlValue::BigInt(v) => boxed.bind::<BigInt, _>(v),
                SqlValue::Double(v) => boxed.bind::<Double, _>(v),
                SqlValue::Bool(v) => boxed.bind::<Bool, _>(v),
                SqlValue::Date(v) => boxed.bind::<Date, _>(v),
                SqlValue::Timestamp(v) => boxed.bind::<Timestamp, _>(v),
            };
        }
        boxed
    }};
}

/// Loads `T` from a generated query on whichever backend the connection is.
fn load<T>(conn: &mut DbConnection, query: &SqlQuery) -> QueryResult<Vec<T>>
where
    T: QueryableByName<Pg> + QueryableByName<Sqlite> + 'static,
{
    match conn {
        DbConnection::Postgresql(c) => bind_all!(Pg, query).load::<T>(c),
        DbConnection::Sqlite(c) => bind_all!(Sqlite, query).load::<T>(c),
    }
}

pub fn dialect(conn: &DbConnection) -> Dialect {
    if conn.is_postgres() {
        Dialect::Postgres
    } else {
        Dialect::Sqlite
    }
}

/// The caller's roots with their municipalities (`None`: every row).
fn row_scope<'a>(
    conn: &mut DbConnection,
    roots: Option<&'a [String]>,
) -> QueryResult<Option<RowScope<'a>>> {
    roots
        .map(|roots| {
            Ok(RowScope {
                roots,
                municipalities: crate::domain::scope::municipalities_of(conn, roots)?,
            })
        })
        .transpose()
}

/// One page of rows, ready to be spliced into the response.
pub struct Page {
    /// Each row as a JSON object (text).
    pub rows: Vec<String>,
    /// The last row's order-key values when more rows follow within `$top`.
    pub next: Option<Vec<serde_json::Value>>,
    /// `$count=true`: the rows matching scope and filter.
    pub count: Option<i64>,
}

/// Reads one page of at most `page_size` rows (fewer when `$top` ends first).
pub fn read_page(
    conn: &mut DbConnection,
    set: &TableSet,
    opts: &QueryOptions,
    scope: Option<&[String]>,
    page_size: i64,
) -> QueryResult<Page> {
    let dialect = dialect(conn);
    let scope = row_scope(conn, scope)?;
    let count = if opts.count {
        Some(count_in(conn, set, opts, scope.as_ref())?)
    } else {
        None
    };
    let wanted = opts.top.map_or(page_size, |top| top.min(page_size));
    if wanted == 0 {
        return Ok(Page {
            rows: Vec::new(),
            next: None,
            count,
        });
    }
    // One row more than the page tells whether another page follows.
    let query = sql::page_query(dialect, set, opts, scope.as_ref(), wanted + 1);
    let mut rows: Vec<PageRow> = load(conn, &query)?;
    let more = rows.len() as i64 > wanted;
    rows.truncate(wanted as usize);
    let more_within_top = more && opts.top.is_none_or(|top| top > wanted);
    let next = match rows.last() {
        Some(last) if more_within_top => Some(
            serde_json::from_str::<Vec<serde_json::Value>>(&last.sort_key)
                .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
        ),
        _ => None,
    };
    Ok(Page {
        rows: rows.into_iter().map(|r| r.json).collect(),
        next,
        count,
    })
}

/// The number of rows matching scope and filter.
pub fn count(
    conn: &mut DbConnection,
    set: &TableSet,
    opts: &QueryOptions,
    scope: Option<&[String]>,
) -> QueryResult<i64> {
    let scope = row_scope(conn, scope)?;
    count_in(conn, set, opts, scope.as_ref())
}

fn count_in(
    conn: &mut DbConnection,
    set: &TableSet,
    opts: &QueryOptions,
    scope: Option<&RowScope>,
) -> QueryResult<i64> {
    let query = sql::count_query(dialect(conn), set, opts, scope);
    let rows: Vec<CountRow> = load(conn, &query)?;
    Ok(rows.first().map_or(0, |r| r.n))
}
