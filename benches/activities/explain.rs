//! `STYRA_BENCH_EXPLAIN=1`: where one activity list page spends its time in the database. Per
//! scenario it times `domain::activities::list` itself (count, page and links, on one pooled
//! connection, no HTTP), then shows the two statements behind it (the `COUNT(*)` for `total` and
//! the page) with their plans and their own times, then the same for the proposed rewrite (the
//! organisations looked up first, then one id list). Times are the CPU used per call by this
//! thread and, on PostgreSQL, its backend (from `/proc/*/schedstat`, so a busy machine does not
//! stretch them), and wall-clock percentiles.
//!
//! The SQL mirrors what diesel renders for `src/domain/activity_list.rs` with the `within`,
//! `phase`, `year`, `limit` and `offset` parameters (the token's `org` claim comes first when it
//! has one), with bound parameters as the server sends them: `IN (?)` on SQLite,
//! `= ANY($n)` with an array on PostgreSQL. Keep the two in step.

use std::time::Instant;

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::sql_types::{Array, BigInt, Integer, Text};
use diesel::sqlite::Sqlite;
use diesel::QueryableByName;
use styra::api::paging::PageRequest;
use styra::auth::{Principal, Role};
use styra::db::{schema, DbConnection};
use styra::domain::activities::{self, ActivityFilter, ActivityRow};

/// Runs per timing (after a few to warm the cache).
const RUNS: usize = 200;

/// One list request: the `within` root, and the token's organisation when it has one.
pub struct Case<'a> {
    pub name: &'a str,
    pub within: &'a str,
    pub scope: Option<&'a str>,
}

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

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    n: i64,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    #[allow(dead_code)]
    id: String,
}

#[derive(QueryableByName)]
struct Pid {
    #[diesel(sql_type = Integer)]
    pid: i32,
}

#[derive(Clone)]
enum Bind {
    /// An `eq_any` list: one `?` each on SQLite, one array on PostgreSQL.
    Ids(Vec<String>),
    Text(String),
    Int(i32),
    BigInt(i64),
}

/// A statement with placeholders for its backend, and its parameters.
struct Statement {
    sql: String,
    binds: Vec<Bind>,
}

impl Statement {
    fn sqlite(&self, prefix: &str) -> BoxedSqlQuery<'static, Sqlite, SqlQuery> {
        let mut q = diesel::sql_query(format!("{prefix}{}", self.sql)).into_boxed::<Sqlite>();
        for b in &self.binds {
            q = match b {
                Bind::Ids(ids) => ids.iter().fold(q, |q, id| q.bind::<Text, _>(id.clone())),
                Bind::Text(s) => q.bind::<Text, _>(s.clone()),
                Bind::Int(i) => q.bind::<Integer, _>(*i),
                Bind::BigInt(i) => q.bind::<BigInt, _>(*i),
            };
        }
        q
    }

    fn pg(&self, prefix: &str) -> BoxedSqlQuery<'static, Pg, SqlQuery> {
        let mut q = diesel::sql_query(format!("{prefix}{}", self.sql)).into_boxed::<Pg>();
        for b in &self.binds {
            q = match b {
                Bind::Ids(ids) => q.bind::<Array<Text>, _>(ids.clone()),
                Bind::Text(s) => q.bind::<Text, _>(s.clone()),
                Bind::Int(i) => q.bind::<Integer, _>(*i),
                Bind::BigInt(i) => q.bind::<BigInt, _>(*i),
            };
        }
        q
    }
}

/// How the statements limit the owning organisation.
enum Orgs<'a> {
    /// As `activity_list.rs` does now: one `IN (subquery on org_closure)` per subtree root, the
    /// token's first, then `within`'s.
    Subtrees(Vec<&'a str>),
    /// The proposal: the organisations looked up first (`within`'s subtree, intersected with
    /// the token's in Rust), then one `IN (?, …)` / `= ANY($1)` list.
    Ids(Vec<String>),
}

/// The count and page statements, as diesel renders them.
fn statements(pg: bool, orgs: &Orgs) -> [(&'static str, Statement); 2] {
    let mut n = 0;
    let mut param = |count: usize| {
        if pg {
            n += 1;
            format!("${n}")
        } else {
            vec!["?"; count].join(", ")
        }
    };
    let mut binds = Vec::new();
    let mut terms = Vec::new();
    match orgs {
        Orgs::Subtrees(roots) => {
            for root in roots {
                let ids = param(1);
                terms.push(if pg {
                    format!(
                        "(\"activities\".\"organisation_id\" = ANY(SELECT \"org_closure\".\"descendant_id\" \
                         FROM \"org_closure\" WHERE (\"org_closure\".\"ancestor_id\" = ANY({ids}))))"
                    )
                } else {
                    format!(
                        "(\"activities\".\"organisation_id\" IN (SELECT \"org_closure\".\"descendant_id\" \
                         FROM \"org_closure\" WHERE (\"org_closure\".\"ancestor_id\" IN ({ids}))))"
                    )
                });
                binds.push(Bind::Ids(vec![(*root).to_owned()]));
            }
        }
        Orgs::Ids(ids) => {
            let list = param(ids.len());
            terms.push(if pg {
                format!("(\"activities\".\"organisation_id\" = ANY({list}))")
            } else {
                format!("(\"activities\".\"organisation_id\" IN ({list}))")
            });
            binds.push(Bind::Ids(ids.clone()));
        }
    }
    terms.push(format!("(\"activities\".\"phase\" = {})", param(1)));
    binds.push(Bind::Text("in_progress".to_owned()));
    terms.push(format!("(\"activities\".\"year\" = {})", param(1)));
    binds.push(Bind::Int(2026));
    let w = terms.join(" AND ");
    let (limit, offset) = (param(1), param(1));
    let page = Statement {
        sql: format!(
            "SELECT \"activities\".* FROM \"activities\" WHERE {w} \
             ORDER BY \"activities\".\"title_sort\" ASC, \"activities\".\"id\" ASC \
             LIMIT {limit} OFFSET {offset}"
        ),
        binds: binds
            .iter()
            .cloned()
            .chain([Bind::BigInt(50), Bind::BigInt(0)])
            .collect(),
    };
    let count = Statement {
        sql: format!("SELECT COUNT(*) AS n FROM \"activities\" WHERE {w}"),
        binds,
    };
    [("count", count), ("page", page)]
}

/// The proposal's first step: `within`'s subtree, limited to the token's subtree.
fn resolve(conn: &mut DbConnection, case: &Case) -> QueryResult<Vec<String>> {
    use schema::org_closure as oc;
    let subtree = |conn: &mut DbConnection, root: &str| {
        oc::table
            .filter(oc::ancestor_id.eq(root.to_owned()))
            .select(oc::descendant_id)
            .load::<String>(conn)
    };
    let mut ids = subtree(conn, case.within)?;
    if let Some(scope) = case.scope {
        let visible: std::collections::HashSet<String> =
            subtree(conn, scope)?.into_iter().collect();
        ids.retain(|id| visible.contains(id));
    }
    Ok(ids)
}

/// The plan as indented lines: EXPLAIN QUERY PLAN on SQLite, EXPLAIN (ANALYZE, BUFFERS) on
/// PostgreSQL.
fn plan(conn: &mut DbConnection, s: &Statement) -> anyhow::Result<Vec<String>> {
    Ok(match conn {
        DbConnection::Sqlite(c) => {
            let rows: Vec<SqlitePlanRow> = s.sqlite("EXPLAIN QUERY PLAN ").load(c)?;
            // Depth from the parent links (a parent always comes before its children).
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
            let rows: Vec<PgPlanRow> = s.pg("EXPLAIN (ANALYZE, BUFFERS) ").load(c)?;
            rows.into_iter().map(|r| r.line).collect()
        }
    })
}

/// CPU time a thread has used, in nanoseconds (Linux; `None` elsewhere).
fn cpu_ns(schedstat: &str) -> Option<u64> {
    std::fs::read_to_string(schedstat)
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Wall-clock median and p99 of [`RUNS`] calls, and the CPU time per call of this thread plus
/// the PostgreSQL backend (`backend`: its `/proc/<pid>/schedstat`), all in milliseconds. Other
/// processes on the machine stretch the wall-clock times; the CPU time stays put.
fn time(
    backend: Option<&str>,
    mut f: impl FnMut() -> anyhow::Result<()>,
) -> anyhow::Result<String> {
    for _ in 0..5 {
        f()?;
    }
    let cpu = || -> Option<u64> {
        let own = cpu_ns("/proc/thread-self/schedstat")?;
        Some(own + backend.map_or(Some(0), cpu_ns)?)
    };
    let cpu_before = cpu();
    let mut times = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    let cpu_ms = match (cpu_before, cpu()) {
        (Some(a), Some(b)) => format!("{:.3}", (b - a) as f64 / 1e6 / RUNS as f64),
        _ => "?".to_owned(),
    };
    times.sort_by(f64::total_cmp);
    let at = |p: f64| times[((p * times.len() as f64).ceil() as usize).clamp(1, times.len()) - 1];
    Ok(format!(
        "CPU {cpu_ms} ms per call; wall p50 {:.3} ms, p99 {:.3} ms",
        at(0.5),
        at(0.99)
    ))
}

fn run_statement(conn: &mut DbConnection, what: &str, s: &Statement) -> anyhow::Result<()> {
    match (conn, what) {
        (DbConnection::Sqlite(c), "count") => drop(s.sqlite("").load::<Count>(c)?),
        (DbConnection::Sqlite(c), _) => drop(s.sqlite("").load::<Id>(c)?),
        (DbConnection::Postgresql(c), "count") => drop(s.pg("").load::<Count>(c)?),
        (DbConnection::Postgresql(c), _) => drop(s.pg("").load::<Id>(c)?),
    }
    Ok(())
}

/// Prints each statement's time, SQL and plan.
fn show(
    conn: &mut DbConnection,
    backend: Option<&str>,
    label: &str,
    statements: [(&str, Statement); 2],
) -> anyhow::Result<()> {
    for (what, s) in statements {
        let t = time(backend, || run_statement(conn, what, &s))?;
        eprintln!("\n{label}{what}: {t}\n{}", s.sql);
        for line in plan(conn, &s)? {
            eprintln!("    {line}");
        }
    }
    Ok(())
}

/// Prints each case's times, statements and plans to stderr.
pub fn run(conn: &mut DbConnection, cases: &[Case]) -> anyhow::Result<()> {
    let pg = conn.is_postgres();
    let backend = match conn {
        DbConnection::Postgresql(c) => {
            let pid: Pid = diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result(c)?;
            Some(format!("/proc/{}/schedstat", pid.pid))
        }
        DbConnection::Sqlite(_) => None,
    };
    let backend = backend.as_deref();
    for case in cases {
        eprintln!("\n### {}", case.name);
        let principal = Principal {
            subject: "bench".to_owned(),
            role: if case.scope.is_some() {
                Role::Editor
            } else {
                Role::Admin
            },
            orgs: case.scope.map(|s| vec![s.to_owned()]),
            read_only: false,
        };
        let filter: ActivityFilter = serde_json::from_value(serde_json::json!({
            "within": case.within, "phase": "in_progress", "year": 2026
        }))?;
        let page = PageRequest {
            q: None,
            sort: "title".to_owned(),
            descending: false,
            limit: 50,
            offset: 0,
        };
        let t = time(backend, || {
            activities::list(conn, &principal, &filter, &page)
                .map(drop)
                .map_err(|e| anyhow::anyhow!("{e:?}"))
        })?;
        eprintln!("domain::activities::list: {t}");
        // Its parts outside the two statements below: the page's rows by id, then their links.
        let ids: Vec<String> = activities::list(conn, &principal, &filter, &page)
            .map_err(|e| anyhow::anyhow!("{e:?}"))?
            .0
            .into_iter()
            .map(|a| a.row.id)
            .collect();
        let load = |conn: &mut DbConnection| {
            schema::activities::table
                .filter(schema::activities::id.eq_any(&ids))
                .select(ActivityRow::as_select())
                .load::<ActivityRow>(conn)
        };
        let t = time(backend, || load(conn).map(drop).map_err(Into::into))?;
        eprintln!("  of which 50 rows by id: {t}");
        let t = time(backend, || {
            let rows = load(conn)?;
            activities::with_links(conn, rows)
                .map(drop)
                .map_err(|e| anyhow::anyhow!("{e:?}"))
        })?;
        eprintln!("  the same with with_links: {t}");
        let roots = case.scope.iter().copied().chain([case.within]).collect();
        show(conn, backend, "", statements(pg, &Orgs::Subtrees(roots)))?;
        let t = time(backend, || {
            resolve(conn, case).map(drop).map_err(Into::into)
        })?;
        let ids = resolve(conn, case)?;
        eprintln!(
            "\nproposal: look up the {} organisations first: {t}",
            ids.len()
        );
        show(conn, backend, "proposal, ", statements(pg, &Orgs::Ids(ids)))?;
    }
    eprintln!();
    Ok(())
}
