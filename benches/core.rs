//! Core read-path benchmark: a real server on a random port over a seeded database, driven over
//! HTTP by a fixed number of keep-alive clients. Prints requests/s and latency percentiles per
//! scenario as a markdown table.
//!
//! Run: `cargo bench --bench core` (SQLite in a temp dir). Set
//! `STYRA_BENCH_DATABASE_URL=postgres://user:pass@host/postgres` to run the same on PostgreSQL
//! (a fresh database is created and dropped). Knobs: `STYRA_BENCH_OBJECTS` (10000),
//! `STYRA_BENCH_CLIENTS` (8), `STYRA_BENCH_SECONDS` per scenario (5), `STYRA_BENCH_WARMUP` seconds
//! (1), `STYRA_BENCH_WORKERS` (HTTP workers, default 2), `STYRA_BENCH_ANALYZE=1` to run ANALYZE
//! on SQLite after seeding (Styra itself never does; PostgreSQL always gets VACUUM ANALYZE, as
//! autovacuum would do shortly after a bulk load),
//! `STYRA_BENCH_WRITES=1` to add a concurrent `PATCH /objects/{id}` scenario at the end,
//! `STYRA_BENCH_KEEP=1` to keep the temp data dir or PostgreSQL database (both printed),
//! `STYRA_BENCH_SQL="CREATE INDEX …"` to run SQL after seeding (try an index before writing a
//! migration). With `RUST_LOG` set, the server logs to stderr as in production.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use styra::auth::{Auth, Principal, Role};
use styra::config::{Secret, Settings};
use styra::db::DbConnection;
use styra::domain::objects::{self, ObjectNew, ObjectStatus};
use styra::domain::organisations::{self, OrganisationKind, OrganisationNew};
use styra::startup::{open_database, Application};

const SECRET: &str = "bench-secret-for-styra";

/// Committees (nämnder); each gets one administration (förvaltning): 20 organisations.
const COMMITTEES: &[(&str, &str)] = &[
    ("Kommunstyrelsen", "Kommunledningsförvaltningen"),
    ("Barn- och skolnämnden", "Barn- och skolförvaltningen"),
    ("Utbildningsnämnden", "Utbildningsförvaltningen"),
    ("Socialnämnden", "Socialförvaltningen"),
    ("Vård- och omsorgsnämnden", "Vård- och omsorgsförvaltningen"),
    (
        "Kultur- och fritidsnämnden",
        "Kultur- och fritidsförvaltningen",
    ),
    ("Tekniska nämnden", "Tekniska förvaltningen"),
    ("Byggnadsnämnden", "Stadsbyggnadskontoret"),
    ("Miljönämnden", "Miljöförvaltningen"),
    ("Arbetsmarknadsnämnden", "Arbetsmarknadsförvaltningen"),
];

const STEMS: &[&str] = &[
    "Skolplattform",
    "Elevregister",
    "Förskoleplacering",
    "Skolskjuts",
    "Ekonomisystem",
    "Ärendehantering",
    "Dokumenthantering",
    "Personalsystem",
    "Lönesystem",
    "Bygglov",
    "Miljötillsyn",
    "Hemtjänstplanering",
    "Journalsystem",
    "Bokningssystem",
    "Bibliotekssystem",
    "Gatubelysning",
    "Vatten och avlopp",
    "Åtgärdsprogram",
    "Öppna data",
    "E-arkiv",
];

const AREAS: &[&str] = &[
    "Utbildning",
    "Vård och omsorg",
    "Samhällsbyggnad",
    "Stöd och service",
    "Kultur och fritid",
];

struct Config {
    objects: usize,
    clients: usize,
    seconds: f64,
    warmup: f64,
    workers: usize,
    analyze: bool,
    writes: bool,
    extra_sql: Option<String>,
    pg_base: Option<String>,
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .map_err(|_| anyhow!("{name}={v:?} is not a number")),
        Err(_) => Ok(default),
    }
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        Ok(Config {
            objects: env_num("STYRA_BENCH_OBJECTS", 10_000)?,
            clients: env_num("STYRA_BENCH_CLIENTS", 8)?,
            seconds: env_num("STYRA_BENCH_SECONDS", 5.0)?,
            warmup: env_num("STYRA_BENCH_WARMUP", 1.0)?,
            workers: env_num("STYRA_BENCH_WORKERS", 2)?,
            analyze: std::env::var("STYRA_BENCH_ANALYZE").is_ok_and(|v| v == "1"),
            writes: std::env::var("STYRA_BENCH_WRITES").is_ok_and(|v| v == "1"),
            extra_sql: std::env::var("STYRA_BENCH_SQL").ok(),
            pg_base: std::env::var("STYRA_BENCH_DATABASE_URL").ok(),
        })
    }
}

/// A fresh PostgreSQL database, dropped when this goes out of scope.
struct PgDatabase {
    base: String,
    name: String,
}

impl PgDatabase {
    fn create(base: &str) -> anyhow::Result<(PgDatabase, String)> {
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
        if std::env::var("STYRA_BENCH_KEEP").is_ok_and(|v| v == "1") {
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

/// What the scenarios need to know about the seeded data.
struct Seeded {
    object_ids: Vec<String>,
    /// (committee id, its administration id)
    committees: Vec<(String, String)>,
}

/// Seeds one municipality, 20 organisations and `n` objects through the domain functions (so
/// change records and sort keys are written as the API would), in one transaction.
fn seed(conn: &mut DbConnection, n: usize) -> anyhow::Result<Seeded> {
    let admin = Principal {
        subject: "bench".to_owned(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    };
    let result: Result<Seeded, styra::error::ApiError> = conn.transaction(|conn| {
        let org = |conn: &mut DbConnection, kind, parent: Option<&str>, name: &str| {
            organisations::create(
                conn,
                &admin,
                OrganisationNew {
                    kind,
                    parent_id: parent.map(str::to_owned),
                    name: name.to_owned(),
                    short_name: None,
                    external_id: None,
                },
            )
            .map(|o| o.id)
        };
        let municipality = org(conn, OrganisationKind::Municipality, None, "Bänkeby kommun")?;
        let mut committees = Vec::new();
        let mut owners = Vec::new();
        for (committee, administration) in COMMITTEES {
            let c = org(
                conn,
                OrganisationKind::Committee,
                Some(&municipality),
                committee,
            )?;
            let a = org(
                conn,
                OrganisationKind::Administration,
                Some(&c),
                administration,
            )?;
            owners.push(c.clone());
            owners.push(a.clone());
            committees.push((c, a));
        }
        let mut rng = StdRng::seed_from_u64(42);
        let mut object_ids = Vec::with_capacity(n);
        for i in 0..n {
            let stem = STEMS[rng.random_range(0..STEMS.len())];
            let status = match rng.random_range(0..10) {
                0..=6 => ObjectStatus::Active,
                7 | 8 => ObjectStatus::Planned,
                _ => ObjectStatus::Retired,
            };
            let object = objects::create(
                conn,
                &admin,
                ObjectNew {
                    organisation_id: owners[i % owners.len()].clone(),
                    name: format!("{stem} {}", rng.random_range(1..100_000)),
                    description: Some(format!("Förvaltningsobjekt nummer {i} för benchmarken")),
                    business_area: Some(AREAS[rng.random_range(0..AREAS.len())].to_owned()),
                    status: Some(status),
                    external_id: Some(format!("OBJ-{i:05}")),
                },
            )?;
            object_ids.push(object.id);
        }
        Ok(Seeded {
            object_ids,
            committees,
        })
    });
    result.map_err(|e| anyhow!("seeding failed: {e:?}"))
}

/// One load scenario: a fixed set of URLs (picked per request) and a token.
struct Scenario {
    name: String,
    token: String,
    paths: Vec<String>,
    /// A JSON body to PATCH with; GET when `None`.
    patch: Option<String>,
}

struct Outcome {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    /// Sorted, in microseconds.
    latencies: Vec<u64>,
    /// The first failure seen, for the report.
    first_error: Option<String>,
}

impl Outcome {
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        // Nearest-rank percentile.
        let rank = ((p / 100.0) * self.latencies.len() as f64).ceil() as usize;
        let i = rank.clamp(1, self.latencies.len()) - 1;
        self.latencies[i] as f64 / 1000.0
    }
}

/// Runs `clients` keep-alive connections against the scenario for `duration`, each sending one
/// request at a time and reading the whole body.
async fn drive(
    base: &str,
    scenario: &Scenario,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<Outcome> {
    let paths = Arc::new(scenario.paths.clone());
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(clients);
    for c in 0..clients {
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
async fn total(base: &str, token: &str, path: &str) -> anyhow::Result<i64> {
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

fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    if std::env::var_os("RUST_LOG").is_some() {
        // The server's JSON log lines (one per request) on stderr, e.g. to see a 500's cause.
        styra::telemetry::init_logging();
    }
    // STYRA_BENCH_KEEP=1 keeps the SQLite data dir for inspection (e.g. EXPLAIN QUERY PLAN).
    let data_dir = tempfile::Builder::new()
        .prefix("styra-bench-")
        .disable_cleanup(std::env::var("STYRA_BENCH_KEEP").is_ok_and(|v| v == "1"))
        .tempdir()?;
    let mut settings = Settings::for_data_dir(data_dir.path().to_path_buf());
    settings.jwt_secret = Some(Secret::new(SECRET));
    settings.workers = Some(config.workers);
    // Larger than the number of concurrent blocking calls, as in production (default 16).
    settings.db_pool_size = 16;
    let mut _pg = None;
    if let Some(base) = &config.pg_base {
        let (db, url) = PgDatabase::create(base)?;
        settings.database_url = Some(Secret::new(url));
        _pg = Some(db);
    }

    eprintln!("data dir {}", data_dir.path().display());
    let db = open_database(&settings)?;
    let backend;
    let seeded = {
        let mut conn = db.pool().get()?;
        backend = if conn.is_postgres() {
            "PostgreSQL"
        } else {
            "SQLite"
        };
        let t = Instant::now();
        let seeded = seed(&mut conn, config.objects)?;
        eprintln!(
            "seeded {} organisations and {} objects on {backend} in {:.1} s",
            1 + 2 * seeded.committees.len(),
            seeded.object_ids.len(),
            t.elapsed().as_secs_f64()
        );
        if let Some(sql) = &config.extra_sql {
            // For trying an index or a pragma without a migration.
            conn.batch_execute(sql)?;
            eprintln!("ran STYRA_BENCH_SQL: {sql}");
        }
        if conn.is_postgres() {
            // Steady state: autovacuum would have done this soon after the bulk load (statistics,
            // and the visibility map that index-only scans need).
            conn.batch_execute("VACUUM ANALYZE")?;
            eprintln!("ran VACUUM ANALYZE");
        } else if config.analyze {
            conn.batch_execute("ANALYZE")?;
            eprintln!("ran ANALYZE");
        }
        seeded
    };

    let auth = Auth::from_settings(&settings)?;
    let hour = Duration::from_secs(3600);
    let admin = auth.mint("bench-admin", Role::Admin, &[], hour)?;
    let (committee, _administration) = seeded
        .committees
        .get(1)
        .cloned()
        .ok_or_else(|| anyhow!("no committees seeded"))?;
    let viewer = auth.mint(
        "bench-viewer",
        Role::Viewer,
        std::slice::from_ref(&committee),
        hour,
    )?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let app = Application::build_with(settings.clone(), db, auth, listener)?;
        let base = format!("http://127.0.0.1:{}", app.port());
        tokio::spawn(app.run_until_stopped());

        let all = total(&base, &admin, "/api/v1/objects?limit=1").await?;
        if all != seeded.object_ids.len() as i64 {
            bail!("the server sees {all} objects, expected {}", seeded.object_ids.len());
        }

        let list_org = format!("/api/v1/objects?organisation_id={committee}&status=active&limit=50");
        let list_scoped = "/api/v1/objects?status=active&limit=50".to_owned();
        let list_within = format!("/api/v1/objects?within={committee}&status=active&limit=50");
        let search = "/api/v1/objects?q=skol&limit=50&sort=name".to_owned();
        for (path, token) in [
            (&list_org, &admin),
            (&list_scoped, &viewer),
            (&list_within, &admin),
            (&search, &admin),
        ] {
            let n = total(&base, token, path).await?;
            eprintln!("  {path}: total {n}");
            if n == 0 {
                bail!("{path} matches nothing; the seed is wrong");
            }
        }

        let mut scenarios = vec![
            Scenario {
                name: "(a) GET /objects/{id}, random id".to_owned(),
                token: admin.clone(),
                paths: seeded
                    .object_ids
                    .iter()
                    .map(|id| format!("/api/v1/objects/{id}"))
                    .collect(),
                patch: None,
            },
            Scenario {
                name: "(b1) list ?organisation_id=<committee>&status=active&limit=50".to_owned(),
                token: admin.clone(),
                paths: vec![list_org],
                patch: None,
            },
            Scenario {
                name: "(b2) list ?status=active&limit=50, viewer scoped to one committee".to_owned(),
                token: viewer.clone(),
                paths: vec![list_scoped],
                patch: None,
            },
            Scenario {
                name: "(b3) list ?within=<committee>&status=active&limit=50".to_owned(),
                token: admin.clone(),
                paths: vec![list_within],
                patch: None,
            },
            Scenario {
                name: "(c) list ?q=skol&limit=50&sort=name".to_owned(),
                token: admin.clone(),
                paths: vec![search],
                patch: None,
            },
        ];
        if config.writes {
            // Concurrent single-record updates without If-Match: each is a read, a conditional
            // UPDATE and a change record in one transaction.
            scenarios.push(Scenario {
                name: "(w) PATCH /objects/{id}, random id".to_owned(),
                token: admin.clone(),
                paths: seeded
                    .object_ids
                    .iter()
                    .map(|id| format!("/api/v1/objects/{id}"))
                    .collect(),
                patch: Some(r#"{"description":"Uppdaterad av benchmarken"}"#.to_owned()),
            });
        }

        let warmup = Duration::from_secs_f64(config.warmup);
        let measure = Duration::from_secs_f64(config.seconds);
        let mut rows = Vec::new();
        for s in &scenarios {
            if !warmup.is_zero() {
                let w = drive(&base, s, config.clients, warmup).await?;
                if let Some(e) = &w.first_error {
                    eprintln!("  {} (warm-up): {} failed; first: {e}", s.name, w.errors);
                }
            }
            let outcome = drive(&base, s, config.clients, measure).await?;
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

        println!();
        println!(
            "Styra core bench: {backend}, {} objects in {} organisations, {} keep-alive clients, {} HTTP workers, {:.0} s per scenario after {:.0} s warm-up",
            seeded.object_ids.len(),
            1 + 2 * seeded.committees.len(),
            config.clients,
            config.workers,
            config.seconds,
            config.warmup
        );
        // Other processes on the machine (a compile, say) skew the numbers: say how busy it was.
        if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
            let load: Vec<&str> = load.split_whitespace().take(3).collect();
            println!("Load average at the end (1/5/15 min): {}", load.join(" "));
        }
        println!();
        println!("| scenario | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (name, o) in &rows {
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
    })?;
    // The server's worker threads stop with the process.
    drop(data_dir);
    Ok(())
}
