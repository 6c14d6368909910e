//! Activity list benchmark: one municipality tree (kommun → nämnder → förvaltningar → enheter)
//! with 200,000 activities, and `GET /api/v1/activities?within=…&phase=in_progress&year=2026`
//! driven over HTTP by keep-alive clients, for a committee and for the whole municipality, with
//! an unrestricted admin token and with an editor token limited to that subtree (`org` claim).
//! Prints requests/s and latency percentiles per scenario as a markdown table.
//!
//! Run: `cargo bench --bench activities` (SQLite in a temp dir). Set
//! `STYRA_BENCH_DATABASE_URL=postgres://user:pass@host/postgres` to run the same on PostgreSQL
//! (a fresh database is created and dropped). Knobs: `STYRA_BENCH_ACTIVITIES` (200000),
//! `STYRA_BENCH_CLIENTS` (8; every scenario also runs with 1), `STYRA_BENCH_SECONDS` per scenario
//! (5), `STYRA_BENCH_WARMUP` seconds (1), `STYRA_BENCH_WORKERS` (HTTP workers, default 2),
//! `STYRA_BENCH_ANALYZE=1`, `STYRA_BENCH_KEEP=1` and `STYRA_BENCH_SQL` as in `core.rs`;
//! `STYRA_BENCH_EXPLAIN=1` prints each scenario's SQL, plans and time in the database first
//! (`activities/explain.rs`).
//!
//! The organisations go through the domain functions (closure rows, change records); the
//! activities are bulk-inserted with multi-row `INSERT … VALUES` statements, one transaction per
//! chunk, because the domain functions would take minutes for 200,000.

mod common;
#[path = "activities/explain.rs"]
mod explain;
#[path = "common/words.rs"]
mod words;

use std::fmt::Write as _;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use anyhow::anyhow;
use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use styra::auth::{Auth, Principal, Role};
use styra::db::DbConnection;
use styra::domain::activities::{ActivityKind, Phase};
use styra::domain::organisations::{self, OrganisationKind, OrganisationNew};
use styra::domain::{new_id, text, time};
use styra::startup::Application;

use common::{env_flag, env_num, run_all, total, BenchDb, Scenario};
use words::{STEMS, VERBS};

/// Committees (nämnder), each with one administration (förvaltning) of four units (enheter):
/// 1 + 10 × 6 = 61 organisations.
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

const UNITS: &[&str] = &["Stab", "IT-enheten", "Verksamhetsstöd", "Ekonomienheten"];

/// Rows per `INSERT` statement, and statements per transaction.
const ROWS_PER_INSERT: usize = 1_000;
const INSERTS_PER_TRANSACTION: usize = 10;

struct Config {
    activities: usize,
    clients: usize,
    seconds: f64,
    warmup: f64,
    workers: usize,
}

impl Config {
    fn from_env() -> anyhow::Result<Config> {
        Ok(Config {
            activities: env_num("STYRA_BENCH_ACTIVITIES", 200_000)?,
            clients: env_num("STYRA_BENCH_CLIENTS", 8)?,
            seconds: env_num("STYRA_BENCH_SECONDS", 5.0)?,
            warmup: env_num("STYRA_BENCH_WARMUP", 1.0)?,
            workers: env_num("STYRA_BENCH_WORKERS", 2)?,
        })
    }
}

/// The seeded organisation tree.
struct Tree {
    municipality: String,
    committees: Vec<String>,
    /// Every organisation, the municipality included.
    all: Vec<String>,
}

/// Creates the municipality tree through the domain functions, in one transaction.
fn seed_tree(conn: &mut DbConnection) -> anyhow::Result<Tree> {
    let admin = Principal {
        subject: "bench".to_owned(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    };
    let result: Result<Tree, styra::error::ApiError> = conn.transaction(|conn| {
        let mut org = |kind, parent: Option<&str>, name: &str| {
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
        let municipality = org(OrganisationKind::Municipality, None, "Bänkeby kommun")?;
        let mut all = vec![municipality.clone()];
        let mut committees = Vec::new();
        for (committee, administration) in COMMITTEES {
            let c = org(OrganisationKind::Committee, Some(&municipality), committee)?;
            let a = org(OrganisationKind::Administration, Some(&c), administration)?;
            all.push(c.clone());
            all.push(a.clone());
            for unit in UNITS {
                all.push(org(
                    OrganisationKind::Unit,
                    Some(&a),
                    &format!("{unit}, {administration}"),
                )?);
            }
            committees.push(c);
        }
        Ok(Tree {
            municipality,
            committees,
            all,
        })
    });
    result.map_err(|e| anyhow!("seeding the organisations failed: {e:?}"))
}

/// An SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Bulk-inserts `n` activities spread over the tree's organisations, years 2024–2027, every
/// phase and kind. Plain literals in multi-row `VALUES`, valid on both backends.
fn seed_activities(conn: &mut DbConnection, tree: &Tree, n: usize) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(7);
    let now = time::now();
    let municipality = lit(&tree.municipality);
    let orgs: Vec<String> = tree.all.iter().map(|o| lit(o)).collect();
    let mut i = 0;
    while i < n {
        conn.transaction(|conn| -> anyhow::Result<()> {
            for _ in 0..INSERTS_PER_TRANSACTION {
                if i >= n {
                    break;
                }
                let rows = ROWS_PER_INSERT.min(n - i);
                let mut sql = String::with_capacity(rows * 400);
                sql.push_str(
                    "INSERT INTO activities (id, municipality_id, organisation_id, kind, phase, \
                     title, title_sort, purpose_and_goals, year, start_date, end_date, \
                     planned_budget, expected_benefit, complexity, municipality_wide, \
                     phase_changed_at, external_id, version, created_at, modified_at) VALUES ",
                );
                for r in 0..rows {
                    let k = i + r;
                    let title = format!(
                        "{} {} {}",
                        VERBS[rng.random_range(0..VERBS.len())],
                        STEMS[rng.random_range(0..STEMS.len())],
                        rng.random_range(1..100_000)
                    );
                    let year: i32 = rng.random_range(2024..=2027);
                    let month: u32 = rng.random_range(1..=9);
                    let kind = ActivityKind::ALL[rng.random_range(0..ActivityKind::ALL.len())];
                    let phase = Phase::ALL[rng.random_range(0..Phase::ALL.len())];
                    let created = (now - chrono::Duration::seconds(k as i64))
                        .format("%Y-%m-%d %H:%M:%S%.6f")
                        .to_string();
                    if r > 0 {
                        sql.push(',');
                    }
                    let _ = write!(
                        sql,
                        "({id}, {municipality}, {org}, {kind}, {phase}, {title}, {title_sort}, \
                         {purpose}, {year}, '{year}-{month:02}-01', '{year}-{end:02}-28', \
                         {budget}, {benefit}, {complexity}, {wide}, {created}, {external}, 1, \
                         {created}, {created})",
                        id = lit(&new_id()),
                        org = orgs[rng.random_range(0..orgs.len())],
                        kind = lit(kind.as_str()),
                        phase = lit(phase.as_str()),
                        title_sort = lit(&text::sort_key(&title)),
                        title = lit(&title),
                        purpose = lit(&format!("Syfte och mål för aktivitet {k}.")),
                        end = month + 3,
                        budget = rng.random_range(1..200) * 10_000,
                        benefit = rng.random_range(1..=5),
                        complexity = rng.random_range(1..=5),
                        wide = if k % 97 == 0 { "TRUE" } else { "FALSE" },
                        created = lit(&created),
                        external = lit(&format!("AKT-{k:06}")),
                    );
                }
                diesel::sql_query(sql).execute(conn)?;
                i += rows;
            }
            Ok(())
        })?;
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let config = Config::from_env()?;
    let bench = BenchDb::open(config.workers)?;
    let backend = bench.backend;
    let settings = bench.settings.clone();
    let db = bench.db.clone();
    let (tree, committee) = {
        let mut conn = db.pool().get()?;
        let t = Instant::now();
        let tree = seed_tree(&mut conn)?;
        // The one committee the scenarios look at.
        let committee = tree
            .committees
            .get(1)
            .cloned()
            .ok_or_else(|| anyhow!("no committees seeded"))?;
        if !conn.is_postgres() {
            // The bulk load's random index inserts need more than the default 2 MB page cache.
            conn.batch_execute("PRAGMA cache_size = -262144")?;
        }
        seed_activities(&mut conn, &tree, config.activities)?;
        if !conn.is_postgres() {
            // Back to SQLite's default, which the server's connections use.
            conn.batch_execute("PRAGMA cache_size = -2000")?;
        }
        eprintln!(
            "seeded {} organisations and {} activities on {backend} in {:.1} s",
            tree.all.len(),
            config.activities,
            t.elapsed().as_secs_f64()
        );
        common::after_seed(&mut conn)?;
        if env_flag("STYRA_BENCH_EXPLAIN") {
            let (committee, municipality) = (&committee, &tree.municipality);
            explain::run(
                &mut conn,
                &[
                    explain::Case {
                        name: "(a) committee, admin",
                        within: committee,
                        scope: None,
                    },
                    explain::Case {
                        name: "(b) committee, editor of the committee",
                        within: committee,
                        scope: Some(committee),
                    },
                    explain::Case {
                        name: "(c1) municipality, admin",
                        within: municipality,
                        scope: None,
                    },
                    explain::Case {
                        name: "(c2) municipality, editor of the municipality",
                        within: municipality,
                        scope: Some(municipality),
                    },
                ],
            )?;
        }
        (tree, committee)
    };

    let auth = Auth::from_settings(&settings)?;
    let hour = Duration::from_secs(3600);
    let admin = auth.mint("bench-admin", Role::Admin, &[], hour)?;
    let municipality = tree.municipality.clone();
    let committee_editor = auth.mint(
        "bench-committee-editor",
        Role::Editor,
        std::slice::from_ref(&committee),
        hour,
    )?;
    let municipality_editor = auth.mint(
        "bench-municipality-editor",
        Role::Editor,
        std::slice::from_ref(&municipality),
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

        let all = total(&base, &admin, "/api/v1/activities?limit=1").await?;
        if all != config.activities as i64 {
            anyhow::bail!(
                "the server sees {all} activities, expected {}",
                config.activities
            );
        }

        let list = |root: &str| {
            format!("/api/v1/activities?within={root}&phase=in_progress&year=2026&limit=50")
        };
        let cases = [
            ("(a) committee, admin", &admin, list(&committee)),
            (
                "(b) committee, editor of the committee",
                &committee_editor,
                list(&committee),
            ),
            ("(c1) municipality, admin", &admin, list(&municipality)),
            (
                "(c2) municipality, editor of the municipality",
                &municipality_editor,
                list(&municipality),
            ),
        ];
        let mut scenarios = Vec::new();
        for clients in [config.clients, 1] {
            for (name, token, path) in &cases {
                let n = total(&base, token, path).await?;
                if clients == config.clients {
                    eprintln!("  {name}: {path}: total {n}");
                }
                if n == 0 {
                    anyhow::bail!("{path} matches nothing; the seed is wrong");
                }
                scenarios.push(Scenario {
                    name: format!(
                        "{name}, {clients} client{}",
                        if clients == 1 { "" } else { "s" }
                    ),
                    token: (*token).clone(),
                    paths: vec![path.clone()],
                    patch: None,
                    clients,
                });
            }
        }

        let warmup = Duration::from_secs_f64(config.warmup);
        let measure = Duration::from_secs_f64(config.seconds);
        let rows = run_all(&base, &scenarios, warmup, measure).await?;
        let title = format!(
            "Styra activities bench: {backend}, {} activities in {} organisations, \
             `GET /api/v1/activities?within=<root>&phase=in_progress&year=2026&limit=50`, \
             {} HTTP workers, {:.0} s per scenario after {:.0} s warm-up",
            config.activities,
            tree.all.len(),
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
