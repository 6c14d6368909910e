//! Statements built at run time (a column list per table, many rows per INSERT), bound with
//! their SQL types. The multi-backend connection cannot box such queries, so each backend runs
//! its own (`$n` placeholders on PostgreSQL; plain `?` in multi-row inserts on SQLite, see `insert_rows`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::sql_types::{BigInt, Bool, Date, Double, Integer, Nullable, Text, Timestamp};
use diesel::RunQueryDsl;

use crate::db::DbConnection;
use crate::transfer::model::Sql;

/// One bound value.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(Option<String>),
    Int(Option<i32>),
    BigInt(Option<i64>),
    Double(Option<f64>),
    Bool(Option<bool>),
    Date(Option<NaiveDate>),
    Timestamp(Option<NaiveDateTime>),
}

/// The JSON form of timestamps in records (`time::utc`).
pub const TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S%.fZ";

impl Bind {
    /// Binds a record's JSON value as SQL type `ty`.
    pub fn of(ty: Sql, v: Option<&serde_json::Value>) -> Bind {
        let v = v.filter(|v| !v.is_null());
        let s = v.and_then(|v| v.as_str());
        match ty {
            Sql::Text => Bind::Text(s.map(str::to_owned)),
            Sql::Int => Bind::Int(
                v.and_then(|v| v.as_i64())
                    .and_then(|i| i32::try_from(i).ok()),
            ),
            Sql::BigInt => Bind::BigInt(v.and_then(|v| v.as_i64())),
            Sql::Double => Bind::Double(v.and_then(|v| v.as_f64())),
            Sql::Bool => Bind::Bool(v.and_then(|v| v.as_bool())),
            Sql::Date => Bind::Date(s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())),
            Sql::Timestamp => {
                Bind::Timestamp(s.and_then(|s| NaiveDateTime::parse_from_str(s, TIMESTAMP).ok()))
            }
        }
    }
}

macro_rules! run {
    ($conn:expr, $backend:ty, $sql:expr, $binds:expr) => {{
        let mut q = diesel::sql_query($sql).into_boxed::<$backend>();
        for b in $binds {
            q = match b {
                Bind::Text(v) => q.bind::<Nullable<Text>, _>(v),
                Bind::Int(v) => q.bind::<Nullable<Integer>, _>(v),
                Bind::BigInt(v) => q.bind::<Nullable<BigInt>, _>(v),
                Bind::Double(v) => q.bind::<Nullable<Double>, _>(v),
                Bind::Bool(v) => q.bind::<Nullable<Bool>, _>(v),
                Bind::Date(v) => q.bind::<Nullable<Date>, _>(v),
                Bind::Timestamp(v) => q.bind::<Nullable<Timestamp>, _>(v),
            };
        }
        q.execute($conn)
    }};
}

/// Runs one statement with its binds.
pub fn execute(conn: &mut DbConnection, sql: &str, binds: Vec<Bind>) -> diesel::QueryResult<usize> {
    match conn {
        DbConnection::Sqlite(c) => run!(c, diesel::sqlite::Sqlite, sql, binds),
        DbConnection::Postgresql(c) => run!(c, diesel::pg::Pg, sql, binds),
    }
}

/// Rows per INSERT: SQLite allows 32766 bound values per statement, PostgreSQL 65535.
pub fn rows_per_insert(columns: usize) -> usize {
    (30_000 / columns.max(1)).clamp(1, 500)
}

/// Inserts `rows` (each in `columns` order) into `table`, many rows per statement.
pub fn insert_rows(
    conn: &mut DbConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Bind>>,
) -> diesel::QueryResult<()> {
    let per = rows_per_insert(columns.len());
    // SQLite looks every `$n` up by name in a list of the statement's parameters, which makes a
    // statement with thousands of them quadratic to prepare (it dominated imports); plain `?`
    // binds in order at no cost. PostgreSQL only knows `$n`.
    let numbered = matches!(conn, DbConnection::Postgresql(_));
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Bind>> = rows.by_ref().take(per).collect();
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for j in 0..columns.len() {
                if j > 0 {
                    sql.push_str(", ");
                }
                if numbered {
                    n += 1;
                    sql.push('$');
                    sql.push_str(&n.to_string());
                } else {
                    sql.push('?');
                }
            }
            sql.push(')');
        }
        execute(conn, &sql, chunk.into_iter().flatten().collect())?;
    }
    Ok(())
}

/// Updates one row by id: every column given, in order.
pub fn update_row(
    conn: &mut DbConnection,
    table: &str,
    columns: &[&str],
    mut values: Vec<Bind>,
    id: &str,
) -> diesel::QueryResult<usize> {
    let sets: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE {table} SET {} WHERE id = ${}",
        sets.join(", "),
        columns.len() + 1
    );
    values.push(Bind::Text(Some(id.to_owned())));
    execute(conn, &sql, values)
}
