//! Shared harness of the HTTP load benchmarks (`core`, `activities`): environment knobs, a
//! temporary SQLite data dir or a fresh PostgreSQL database, the keep-alive load driver and the
//! markdown report.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use styra::config::{Secret, Settings};
use styra::db::{Db, DbConnection};
use styra::startup::open_database;

pub const SECRET: &str = "bench-secret-for-styra";

pub fn env_num<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| anyhow!("{name}={v:?} is not a number")),
        Err(_) => Ok(default),
    }
}

pub fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v == "1")
}

/// A fresh PostgreSQL database, dropped when this goes out of scope.
pub struct PgDatabase {
    base: String,
    name: String,
}

impl PgDatabase {
    pub fn create(base: &str) -> anyhow::Result<(PgDatabase, String)> {
        let name = format!("styra_bench_{}", uuid::Uuid::new_v4().simple());
        let mut admin = diesel::PgConnection::establish(base)
            .with_context(|| "cannot connect to STYRA_BENCH_DATABASE_URL")?;
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin)?;
        let i = base
            .rfind('/')
            .ok_or_else(|| anyhow!("STYRA_BENCH_DATABASE_URL needs a database path"))?;
        let url = format!("{}/{name}", &base[..i]);
        Ok((
            PgDatabase {
                base: base.to_owned(),
                name,
            },
            url,
        ))
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if env_flag("STYRA_BENCH_KEEP") {
            eprintln!("kept PostgreSQL database {}", self.name);
            return;
        }
        if let Ok(mut admin) = diesel::PgConnection::establish(&self.base) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}

/// The database a benchmark runs against: SQLite in a temp data dir, or a fresh PostgreSQL
/// database when `STYRA_BENCH_DATABASE_URL` is set. Both are removed on drop unless
/// `STYRA_BENCH_KEEP=1`.
pub struct BenchDb {
    pub settings: Settings,
    pub db: Db,
    pub backend: &'static str,
    // Dropped after the pool's connections (fields drop in declaration order).
    _pg: Option<PgDatabase>,
    _data_dir: Option<tempfile::TempDir>,
}

impl BenchDb {
    /// Opens (and migrates) the database with `workers` HTTP workers configured.
    pub fn open(workers: usize) -> anyhow::Result<BenchDb> {
        if std::env::var_os("RUST_LOG").is_some() {
            // The server's JSON log lines (one per request) on stderr, e.g. to see a 500's cause.
            styra::telemetry::init_logging();
        }
        // STYRA_BENCH_KEEP=1 keeps the SQLite data dir for inspection (e.g. EXPLAIN QUERY PLAN).
        let data_dir = tempfile::Builder::new()
            .prefix("styra-bench-")
            .disable_cleanup(env_flag("STYRA_BENCH_KEEP"))
            .tempdir()?;
        let mut settings = Settings::for_data_dir(data_dir.path().to_path_buf());
        settings.jwt_secret = Some(Secret::new(SECRET));
        settings.workers = Some(workers);
        // Larger than the number of concurrent blocking calls, as in production (default 16).
        settings.db_pool_size = 16;
        let mut pg = None;
        if let Ok(base) = std::env::var("STYRA_BENCH_DATABASE_URL") {
            let (created, url) = PgDatabase::create(&base)?;
            eprintln!("PostgreSQL database {url}");
            settings.database_url = Some(Secret::new(url));
            pg = Some(created);
        }
        eprintln!("data dir {}", data_dir.path().display());
        let db = open_database(&settings)?;
        let backend = if pg.is_some() { "PostgreSQL" } else { "SQLite" };
        Ok(BenchDb {
            settings,
            db,
            backend,
            _pg: pg,
            _data_dir: Some(data_dir),
        })
    }

    /// Opens (and migrates) a database an earlier run kept with `STYRA_BENCH_KEEP=1`: a
    /// `postgres://` URL or a SQLite data dir. Nothing is removed afterwards.
    // Only the reports bench, whose generation takes minutes, offers this.
    #[allow(dead_code)]
    pub fn reuse(target: &str, workers: usize) -> anyhow::Result<BenchDb> {
        let pg = target.starts_with("postgres://") || target.starts_with("postgresql://");
        let data_dir = if pg {
            std::env::temp_dir()
        } else {
            std::path::PathBuf::from(target)
        };
        let mut settings = Settings::for_data_dir(data_dir);
        settings.jwt_secret = Some(Secret::new(SECRET));
        settings.workers = Some(workers);
        settings.db_pool_size = 16;
        if pg {
            settings.database_url = Some(Secret::new(target));
        }
        eprintln!(
            "reusing {}",
            if pg { "a PostgreSQL database" } else { target }
        );
        let db = open_database(&settings)?;
        Ok(BenchDb {
            settings,
            db,
            backend: if pg { "PostgreSQL" } else { "SQLite" },
            _pg: None,
            _data_dir: None,
        })
    }
}

/// After seeding: runs `STYRA_BENCH_SQL` (to try an index or a pragma without a migration), then
/// brings statistics to a steady state: PostgreSQL always gets VACUUM ANALYZE (autovacuum would
/// do it soon after a bulk load; index-only scans need the visibility map), SQLite gets ANALYZE
/// only with `STYRA_BENCH_ANALYZE=1` (Styra itself never runs it).
pub fn after_seed(conn: &mut DbConnection) -> anyhow::Result<()> {
    if let Ok(sql) = std::env::var("STYRA_BENCH_SQL") {
        conn.batch_execute(&sql)?;
        eprintln!("ran STYRA_BENCH_SQL: {sql}");
    }
    if conn.is_postgres() {
        conn.batch_execute("VACUUM ANALYZE")?;
        eprintln!("ran VACUUM ANALYZE");
    } else if env_flag("STYRA_BENCH_ANALYZE") {
        conn.batch_execute("ANALYZE")?;
        eprintln!("ran ANALYZE");
    }
    Ok(())
}

/// One load scenario: a fixed set of URLs (picked per request) and a token.
pub struct Scenario {
    pub name: String,
    pub token: String,
    pub paths: Vec<String>,
    /// A JSON body to PATCH with; GET when `None`.
    pub patch: Option<String>,
    /// Concurrent keep-alive clients.
    pub clients: usize,
}

pub struct Outcome {
    pub requests: usize,
    pub errors: usize,
    pub elapsed: Duration,
    /// Sorted, in microseconds.
    pub latencies: Vec<u64>,
    /// The first failure seen, for the report.
    pub first_error: Option<String>,
}

impl Outcome {
    pub fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        // Nearest-rank percentile.
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let i = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[i] as f64 / 1000.0
    }
}

/// Runs the scenario's keep-alive connections for `duration`, each sending one request at a time
/// and reading the whole body.
pub async fn drive(base: &str, scenario: &Scenario, duration: Duration) -> anyhow::Result<Outcome> {
    let paths = Arc::new(scenario.paths.clone());
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(scenario.clients);
    for c in 0..scenario.clients {
        // One client each, so every task holds its own keep-alive connection.
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .tcp_nodelay(true)
            .build()?;
        let paths = Arc::clone(&paths);
        let base = base.to_owned();
        let auth = format!("Bearer {}", scenario.token);
        let patch = scenario.patch.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(c as u64 + 1);
            let mut latencies = Vec::with_capacity(16_384);
            let mut errors = 0usize;
            let mut first_error = None;
            while Instant::now() < deadline {
                let path = &paths[rng.random_range(0..paths.len())];
                let t = Instant::now();
                let url = format!("{base}{path}");
                let req = match &patch {
                    None => client.get(url),
                    Some(body) => client
                        .patch(url)
                        .header("content-type", "application/json")
                        .body(body.clone()),
                };
                let res = req.header("authorization", &auth).send().await;
                let ok = match res {
                    Ok(r) => {
                        let status = r.status();
                        match r.bytes().await {
                            Ok(_) if status.is_success() => true,
                            Ok(body) => {
                                first_error.get_or_insert_with(|| {
                                    format!("{status}: {}", String::from_utf8_lossy(&body))
                                });
                                false
                            }
                            Err(e) => {
                                first_error.get_or_insert_with(|| e.to_string());
                                false
                            }
                        }
                    }
                    Err(e) => {
                        first_error.get_or_insert_with(|| e.to_string());
                        false
                    }
                };
                latencies.push(t.elapsed().as_micros() as u64);
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors, first_error)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for task in tasks {
        let (l, e, first) = task.await?;
        latencies.extend(l);
        errors += e;
        first_error = first_error.or(first);
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    Ok(Outcome {
        requests: latencies.len(),
        errors,
        elapsed,
        latencies,
        first_error,
    })
}

/// Reads one page and returns its `total`, to check the server sees the seeded data.
pub async fn total(base: &str, token: &str, path: &str) -> anyhow::Result<i64> {
    let res = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await?;
    let status = res.status();
    let body: serde_json::Value = res.json().await?;
    if !status.is_success() {
        bail!("GET {path}: {status}: {body}");
    }
    body["total"]
        .as_i64()
        .ok_or_else(|| anyhow!("GET {path}: no total in {body}"))
}

/// Runs every scenario in turn (warm-up, then measurement) and returns the outcomes.
pub async fn run_all(
    base: &str,
    scenarios: &[Scenario],
    warmup: Duration,
    measure: Duration,
) -> anyhow::Result<Vec<(String, Outcome)>> {
    let mut rows = Vec::new();
    for s in scenarios {
        if !warmup.is_zero() {
            let w = drive(base, s, warmup).await?;
            if let Some(e) = &w.first_error {
                eprintln!("  {} (warm-up): {} failed; first: {e}", s.name, w.errors);
            }
        }
        let outcome = drive(base, s, measure).await?;
        if let Some(e) = &outcome.first_error {
            eprintln!("  {}: {} failed; first: {e}", s.name, outcome.errors);
        }
        eprintln!(
            "  {}: {} requests, p99 {:.2} ms",
            s.name,
            outcome.requests,
            outcome.percentile(99.0)
        );
        rows.push((s.name.clone(), outcome));
    }
    Ok(rows)
}

/// Prints the title, the machine's load and the results as a markdown table; fails when any
/// request failed.
pub fn report(title: &str, rows: &[(String, Outcome)]) -> anyhow::Result<()> {
    println!();
    println!("{title}");
    // Other processes on the machine (a compile, say) skew the numbers: say how busy it was.
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        println!("Load average at the end (1/5/15 min): {}", load.join(" "));
    }
    println!();
    println!("| scenario | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, o) in rows {
        println!(
            "| {name} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |",
            o.requests,
            o.errors,
            o.requests as f64 / o.elapsed.as_secs_f64(),
            o.percentile(50.0),
            o.percentile(90.0),
            o.percentile(99.0),
            o.percentile(100.0),
        );
    }
    let errors: usize = rows.iter().map(|(_, o)| o.errors).sum();
    if errors > 0 {
        bail!("{errors} request(s) failed");
    }
    Ok(())
}
