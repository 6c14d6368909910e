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

mod common;

use std::net::TcpListener;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail};
use diesel::Connection;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use styra::auth::{Auth, Principal, Role};
use styra::db::DbConnection;
use styra::domain::objects::{self, ObjectNew, ObjectStatus};
use styra::domain::organisations::{self, OrganisationKind, OrganisationNew};
use styra::startup::Application;

use common::{env_flag, env_num, run_all, total, BenchDb, Scenario};

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
    writes: bool,
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        Ok(Config {
            objects: env_num("STYRA_BENCH_OBJECTS", 10_000)?,
            clients: env_num("STYRA_BENCH_CLIENTS", 8)?,
            seconds: env_num("STYRA_BENCH_SECONDS", 5.0)?,
            warmup: env_num("STYRA_BENCH_WARMUP", 1.0)?,
            workers: env_num("STYRA_BENCH_WORKERS", 2)?,
            writes: env_flag("STYRA_BENCH_WRITES"),
        })
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

fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let bench = BenchDb::open(config.workers)?;
    let backend = bench.backend;
    let settings = bench.settings.clone();
    let db = bench.db.clone();
    let seeded = {
        let mut conn = db.pool().get()?;
        let t = Instant::now();
        let seeded = seed(&mut conn, config.objects)?;
        eprintln!(
            "seeded {} organisations and {} objects on {backend} in {:.1} s",
            1 + 2 * seeded.committees.len(),
            seeded.object_ids.len(),
            t.elapsed().as_secs_f64()
        );
        common::after_seed(&mut conn)?;
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
                clients: config.clients,
            },
            Scenario {
                name: "(b1) list ?organisation_id=<committee>&status=active&limit=50".to_owned(),
                token: admin.clone(),
                paths: vec![list_org],
                patch: None,
                clients: config.clients,
            },
            Scenario {
                name: "(b2) list ?status=active&limit=50, viewer scoped to one committee".to_owned(),
                token: viewer.clone(),
                paths: vec![list_scoped],
                patch: None,
                clients: config.clients,
            },
            Scenario {
                name: "(b3) list ?within=<committee>&status=active&limit=50".to_owned(),
                token: admin.clone(),
                paths: vec![list_within],
                patch: None,
                clients: config.clients,
            },
            Scenario {
                name: "(c) list ?q=skol&limit=50&sort=name".to_owned(),
                token: admin.clone(),
                paths: vec![search],
                patch: None,
                clients: config.clients,
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
                clients: config.clients,
            });
        }

        let warmup = Duration::from_secs_f64(config.warmup);
        let measure = Duration::from_secs_f64(config.seconds);
        let rows = run_all(&base, &scenarios, warmup, measure).await?;
        let title = format!(
            "Styra core bench: {backend}, {} objects in {} organisations, {} keep-alive clients, {} HTTP workers, {:.0} s per scenario after {:.0} s warm-up",
            seeded.object_ids.len(),
            1 + 2 * seeded.committees.len(),
            config.clients,
            config.workers,
            config.seconds,
            config.warmup
        );
        common::report(&title, &rows)
    })?;
    // The server's worker threads stop with the process; the data dir or database goes with
    // `bench`.
    drop(bench);
    Ok(())
}
