//! `STYRA_BENCH_EXPLAIN=1`: each report's SQL and plan, printed to stderr before its floor is
//! timed. The SQL is caught as the report runs (diesel's connection instrumentation sees every
//! statement with its binds, so the report code needs no hook); for the plan the binds are
//! written in as literals — EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on
//! PostgreSQL (which plans literals as it plans a statement's first executions).

use std::sync::{Arc, Mutex};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use diesel::sql_types::{Integer, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl};
use styra::db::DbConnection;
use styra::reports::filters::ReportContext;
use styra::reports::table::ReportTable;

#[derive(QueryableByName)]
struct SqlitePlanRow {
    #[diesel(sql_type = Integer)]
    id: i32,
    #[diesel(sql_type = Integer)]
    parent: i32,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[derive(QueryableByName)]
struct PgPlanRow {
    #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
    line: String,
}

fn instrument(conn: &mut DbConnection, i: impl Instrumentation) {
    match conn {
        DbConnection::Sqlite(c) => c.set_instrumentation(i),
        DbConnection::Postgresql(c) => c.set_instrumentation(i),
    }
}

/// The statements `f` runs, as `(sql, binds)` in diesel's debug form.
fn capture(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<String>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    instrument(conn, move |event: InstrumentationEvent<'_>| {
        if let InstrumentationEvent::StartQuery { query, .. } = event {
            if let Ok(mut v) = sink.lock() {
                v.push(query.to_string());
            }
        }
    });
    let result = f(conn);
    instrument(conn, |_: InstrumentationEvent<'_>| {});
    result?;
    let seen = seen.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    Ok(seen.clone())
}

/// Splits diesel's `[…]` bind list into SQL literals: quoted strings stay strings, numbers stay
/// numbers, dates and timestamps become quoted text.
fn literals(binds: &str) -> Vec<String> {
    let inner = binds.trim().trim_start_matches('[').trim_end_matches(']');
    let mut out = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' ' | ',' => {}
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => s.extend(chars.next()),
                        '"' => break,
                        c => s.push(c),
                    }
                }
                out.push(format!("'{}'", s.replace('\'', "''")));
            }
            c => {
                let mut s = String::from(c);
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                let s = s.trim().to_owned();
                if s.parse::<f64>().is_ok() || s == "true" || s == "false" {
                    out.push(s);
                } else {
                    out.push(format!("'{}'", s.replace('T', " ")));
                }
            }
        }
    }
    out
}

/// The statement with its binds written in (`$n` on PostgreSQL, `?n` on SQLite).
fn inline(statement: &str, pg: bool) -> String {
    let (sql, binds) = statement
        .rsplit_once(" -- binds: ")
        .unwrap_or((statement, "[]"));
    let values = literals(binds);
    let mut sql = sql.to_owned();
    // Highest first, so `$1` never eats the front of `$12`.
    for (i, v) in values.iter().enumerate().rev() {
        let mark = if pg { '$' } else { '?' };
        sql = sql.replace(&format!("{mark}{}", i + 1), v);
    }
    sql
}

fn plan(conn: &mut DbConnection, sql: &str) -> anyhow::Result<Vec<String>> {
    Ok(match conn {
        DbConnection::Sqlite(c) => {
            let rows: Vec<SqlitePlanRow> =
                diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(c)?;
            let mut depth = std::collections::HashMap::new();
            rows.iter()
                .map(|r| {
                    let d = depth.get(&r.parent).map_or(0, |d| d + 1);
                    depth.insert(r.id, d);
                    format!("{}{}", "  ".repeat(d), r.detail)
                })
                .collect()
        }
        DbConnection::Postgresql(c) => {
            let rows: Vec<PgPlanRow> =
                diesel::sql_query(format!("EXPLAIN (ANALYZE, BUFFERS) {sql}")).load(c)?;
            rows.into_iter().map(|r| r.line).collect()
        }
    })
}

/// Prints the report's statements and their plans.
pub fn report(
    conn: &mut DbConnection,
    table: &ReportTable,
    ctx: &ReportContext,
) -> anyhow::Result<()> {
    let pg = conn.is_postgres();
    let statements = capture(conn, |conn| {
        (table.run)(conn, ctx)?;
        Ok(())
    })?;
    for s in statements {
        let sql = inline(&s, pg);
        eprintln!("\n### {}\n{sql}", table.key);
        for line in plan(conn, &sql)? {
            eprintln!("    {line}");
        }
    }
    eprintln!();
    Ok(())
}
