//! Report and OData benchmark (issue 4, "Reports that answer the auditors"): 1,000,000 activities
//! across 20 municipalities with everything the reports read, then, for ONE municipality (a
//! viewer token limited to it, and `organisation_id=<municipality>`), every report table of
//! `styra::reports::REGISTRY` over HTTP against its floor — the same SQL run directly (the report
//! context's lookups and the table's run function on a pooled connection: no HTTP, no rendering)
//! — and OData pages of 1,000 rows. One client, requests one after another. Prints markdown
//! tables: report | rows | floor p50 | HTTP p50 | HTTP p99 | ratio | target met (p50 < 100 ms and
//! < 1.5 × floor), then what a request without SQL costs (the fixed part of every report's
//! HTTP time), and per OData page p50/p99 (target < 50 ms).
//!
//! Run: `cargo bench --bench reports` (SQLite in a temp dir). With
//! `STYRA_BENCH_DATABASE_URL=postgres://user@host/postgres` the same runs on PostgreSQL (a fresh
//! database is created and dropped). Knobs: `STYRA_BENCH_ACTIVITIES` (1000000),
//! `STYRA_BENCH_MUNICIPALITIES` (20), `STYRA_BENCH_REQUESTS` per case (30),
//! `STYRA_BENCH_SECONDS` (at most this long per case once 5 are measured; 20),
//! `STYRA_BENCH_WORKERS` (HTTP workers, 2), `STYRA_BENCH_EXPLAIN=1` (each report's SQL and plan,
//! `reports/explain.rs`), `STYRA_BENCH_SQL` and `STYRA_BENCH_KEEP=1` as in `core.rs`.
//! To measure again without generating again: `STYRA_BENCH_REUSE=<the kept data dir, or the
//! kept database's postgres:// URL>` (same knobs as the run that made it; pending migrations
//! run), `STYRA_BENCH_CASES=gaps,benefits` (only routes containing one of these) and
//! `STYRA_BENCH_ODATA=0` (no OData pages); `STYRA_BENCH_BODIES=<dir>` writes each report case's
//! last response body there, to compare the output of two builds.
//!
//! The organisation trees go through the domain functions (closure rows, change records); the
//! rest is bulk-inserted (`reports/seed*.rs`). ANALYZE runs after loading on both databases
//! (VACUUM ANALYZE on PostgreSQL).

// The shared harness; its keep-alive load driver is for the throughput benches, not used here.
#[path = "reports/cases.rs"]
mod cases;
#[allow(dead_code)]
mod common;
#[path = "reports/explain.rs"]
mod explain;
#[path = "reports/measure.rs"]
mod measure;
#[path = "reports/odata.rs"]
mod odata;
#[path = "reports/seed.rs"]
mod seed;
#[path = "reports/seed_activities.rs"]
mod seed_activities;
#[path = "reports/seed_registry.rs"]
mod seed_registry;
#[path = "common/words.rs"]
mod words;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use chrono::NaiveDateTime;
use diesel::connection::SimpleConnection;
use styra::auth::{Auth, Principal, Role};
use styra::db::DbConnection;
use styra::domain::time;
use styra::startup::Application;

use common::{env_flag, env_num, BenchDb};

use measure::Budget;
use seed::Municipality;

// The same allocator as the `styra` binary (src/main.rs), so the figures are what the server
// does: with glibc malloc, allocating and freeing a large report's cells took a quarter of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Config {
    activities: usize,
    municipalities: usize,
    requests: usize,
    seconds: f64,
    workers: usize,
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        let c = Config {
            activities: env_num("STYRA_BENCH_ACTIVITIES", 1_000_000)?,
            municipalities: env_num("STYRA_BENCH_MUNICIPALITIES", 20)?,
            requests: env_num("STYRA_BENCH_REQUESTS", 30)?,
            seconds: env_num("STYRA_BENCH_SECONDS", 20.0)?,
            workers: env_num("STYRA_BENCH_WORKERS", 2)?,
        };
        if c.municipalities == 0 || c.activities < c.municipalities {
            anyhow::bail!("need at least one municipality and one activity per municipality");
        }
        Ok(c)
    }

    /// Activities of municipality `i`.
    fn activities_of(&self, i: usize) -> usize {
        self.activities / self.municipalities
            + usize::from(i < self.activities % self.municipalities)
    }
}

/// What seeding made and how long it took.
pub struct Seeded {
    pub trees: Vec<Municipality>,
    /// Rows per table.
    pub counts: BTreeMap<&'static str, usize>,
    /// Seconds loading, then seconds of ANALYZE.
    pub load: f64,
    pub analyze: f64,
}

/// Seeds every municipality.
fn seed_all(
    conn: &mut DbConnection,
    config: &Config,
    now: NaiveDateTime,
    current: i32,
) -> anyhow::Result<Seeded> {
    let t = Instant::now();
    let pg = conn.is_postgres();
    if !pg {
        // The bulk load's index inserts need more than the default 2 MB page cache.
        conn.batch_execute("PRAGMA cache_size = -262144")?;
    }
    let mut counts = BTreeMap::new();
    let trees = (0..config.municipalities)
        .map(|i| seed::seed_tree(conn, i))
        .collect::<anyhow::Result<Vec<_>>>()?;
    counts.insert(
        "organisations",
        trees.iter().map(Municipality::organisation_count).sum(),
    );
    for (i, m) in trees.iter().enumerate() {
        let reg = seed_registry::seed_registry(conn, i, m, now, current, &mut counts)?;
        let n = config.activities_of(i);
        let spread = (config.municipalities, i);
        seed_activities::seed_activities(conn, i, m, &reg, n, spread, now, current, &mut counts)?;
        eprintln!(
            "seeded municipality {}/{} ({n} activities) after {:.0} s",
            i + 1,
            config.municipalities,
            t.elapsed().as_secs_f64()
        );
    }
    if !pg {
        // Back to SQLite's default, which the server's connections use.
        conn.batch_execute("PRAGMA cache_size = -2000")?;
    }
    let load = t.elapsed().as_secs_f64();
    let t = Instant::now();
    common::after_seed(conn)?;
    if !pg && !env_flag("STYRA_BENCH_ANALYZE") {
        conn.batch_execute("ANALYZE")?;
        eprintln!("ran ANALYZE");
    }
    Ok(Seeded {
        trees,
        counts,
        load,
        analyze: t.elapsed().as_secs_f64(),
    })
}

/// The OData feeds to walk for municipality `m` (its token) and for everything (admin).
fn feeds(
    config: &Config,
    now: NaiveDateTime,
    viewer: (&str, &Principal),
    admin: (&str, &Principal),
) -> Vec<odata::Feed> {
    let feed =
        |label: &str, start: String, (token, principal): (&str, &Principal), pages| odata::Feed {
            label: label.to_owned(),
            start,
            token: token.to_owned(),
            principal: principal.clone(),
            pages,
            walk_limit: None,
            report: None,
        };
    // Municipality 0's activity k is k × municipalities minutes old: a window of 1,500 of them
    // from the middle, as Power BI's incremental refresh asks for one partition.
    let n = config.activities_of(0);
    let minutes = |k: usize| chrono::Duration::minutes((k * config.municipalities) as i64);
    let (newest, oldest) = (n / 2, (n / 2 + 1_500).min(n));
    let at = |t: NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let window = format!(
        "/odata/activities?$filter=modified_at%20ge%20{}%20and%20modified_at%20lt%20{}",
        at(now - minutes(oldest)),
        at(now - minutes(newest)),
    );
    let all_pages = config.activities.div_ceil(1_000);
    let own_pages = n.div_ceil(1_000);
    vec![
        feed(
            "activities, municipality token",
            "/odata/activities".to_owned(),
            viewer,
            vec![1, own_pages / 2, own_pages],
        ),
        feed(
            "activities, $filter modified_at window, municipality token",
            window,
            viewer,
            vec![1, 2],
        ),
        feed(
            "activities, admin (all municipalities)",
            "/odata/activities".to_owned(),
            admin,
            vec![1, 100, 500, all_pages],
        ),
    ]
}

fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let reuse = std::env::var("STYRA_BENCH_REUSE").ok();
    let bench = match &reuse {
        Some(target) => BenchDb::reuse(target, config.workers)?,
        None => BenchDb::open(config.workers)?,
    };
    let backend = bench.backend;
    let settings = bench.settings.clone();
    let db = bench.db.clone();
    let now = time::now();
    let current = seed::current_year();
    let Seeded {
        trees,
        counts,
        load,
        analyze,
    } = {
        let mut conn = db.pool().get()?;
        match reuse {
            Some(_) => seed::reload(&mut conn)?,
            None => seed_all(&mut conn, &config, now, current)?,
        }
    };
    eprintln!("generated in {load:.1} s, statistics in {analyze:.1} s");
    seed::print_counts(&counts);
    let m = trees
        .first()
        .map(|t| t.id.clone())
        .ok_or_else(|| anyhow!("no municipality"))?;

    let auth = Auth::from_settings(&settings)?;
    let hour = Duration::from_secs(3600);
    let viewer_token = auth.mint("bench-viewer", Role::Viewer, std::slice::from_ref(&m), hour)?;
    let admin_token = auth.mint("bench-admin", Role::Admin, &[], hour)?;
    let viewer = Principal {
        subject: "bench-viewer".to_owned(),
        role: Role::Viewer,
        orgs: Some(vec![m.clone()]),
        read_only: false,
    };
    let admin = Principal {
        subject: "bench-admin".to_owned(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    };
    let budget = Budget {
        requests: config.requests,
        cap: Duration::from_secs_f64(config.seconds),
    };
    let explain = env_flag("STYRA_BENCH_EXPLAIN");

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (report_lines, odata_lines) = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let app = Application::build_with(settings.clone(), db.clone(), auth, listener)?;
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());

        let mut report_cases = cases::cases(&m, current);
        // STYRA_BENCH_CASES=gaps,benefits: only the cases whose route contains one of these.
        if let Ok(only) = std::env::var("STYRA_BENCH_CASES") {
            let only: Vec<&str> = only.split(',').map(str::trim).collect();
            report_cases.retain(|c| only.iter().any(|o| c.table.path.contains(o)));
        }
        let reports = cases::run(
            &base,
            &db,
            &viewer,
            &viewer_token,
            &report_cases,
            budget,
            explain,
        )
        .await?;

        let mut feeds = feeds(
            &config,
            now,
            (viewer_token.as_str(), &viewer),
            (admin_token.as_str(), &admin),
        );
        if std::env::var("STYRA_BENCH_ODATA").is_ok_and(|v| v == "0") {
            feeds.clear();
        }
        let key = "documentation_completeness_gaps";
        if feeds.is_empty() {
            eprintln!("STYRA_BENCH_ODATA=0: no OData pages timed");
        } else if odata::publishes(&base, &viewer_token, key).await? {
            let query = format!(
                "organisation_id={m}&year={}&phase=completed,evaluated",
                current - 1
            );
            feeds.push(odata::Feed {
                label: format!("report set {key} (last year's finished activities)"),
                start: format!("/odata/{key}?{query}"),
                token: viewer_token.clone(),
                principal: viewer.clone(),
                pages: vec![1, 2],
                walk_limit: Some(2),
                report: Some((key, query)),
            });
        } else {
            eprintln!("the feed publishes no report sets; only flat sets are timed");
        }
        let odata = odata::run(&base, &db, &feeds, budget).await?;
        anyhow::Ok((reports, odata))
    })?;

    println!();
    println!(
        "Styra reports bench: {backend}, {} activities in {} municipalities; reports for one \
         municipality ({} activities, {} organisations), 1 client, {} requests per case \
         (at most {:.0} s once 5 are measured), {} HTTP workers",
        config.activities,
        config.municipalities,
        config.activities_of(0),
        trees[0].organisation_count(),
        config.requests,
        config.seconds,
        config.workers,
    );
    println!("Generated in {load:.0} s, then {analyze:.0} s of ANALYZE.");
    let list: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    println!("Rows: {}.", list.join(", "));
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        println!("Load average at the end (1/5/15 min): {}", load.join(" "));
    }
    println!("\n### Reports (`<m>`: the municipality)\n");
    for line in report_lines {
        println!("{line}");
    }
    println!("\n### OData, pages of 1,000 rows\n");
    for line in odata_lines {
        println!("{line}");
    }
    drop(bench);
    Ok(())
}
