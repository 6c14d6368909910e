//! Import benchmark: 100 000 activity rows (`STYRA_BENCH_ROWS`) in their plans, with the
//! organisations, objects and plans they refer to, as one xlsx workbook and as a CSV file (the
//! registry then comes as JSON first); each imported into a fresh SQLite database in a child
//! process, which prints wall time (parse + validate + write) and peak resident memory (VmHWM).
//!
//! Run: `cargo bench --bench import` (release). Target: < 15 s and < 500 MB per file.

use std::process::Command;
use std::time::Instant;

use anyhow::{anyhow, bail, Context};
use rust_xlsxwriter::Workbook;
use styra::auth::{Principal, Role};
use styra::config::Settings;
use styra::startup::open_database;
use styra::transfer::import::{self, Outcome};
use styra::transfer::progress::Silent;

// The same allocator as the `styra` binary (src/main.rs), so the figures are what
// `styra import` and the import endpoint do.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const OBJECTS: usize = 400;
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--import") {
        let files: Vec<&String> = args[at + 1..].iter().collect();
        return import_files(&files);
    }
    let rows: usize = std::env::var("STYRA_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let workbook = dir.path().join("activities.xlsx");
    std::fs::write(&workbook, write_xlsx(rows)?)?;
    let registry = dir.path().join("registry.json");
    std::fs::write(&registry, registry_json())?;
    let csv = dir.path().join("activities.csv");
    std::fs::write(&csv, activity_csv(rows))?;
    println!("| file | rows | seconds | CPU seconds | peak RSS (MB) |\n|---|---|---|---|---|");
    let exe = std::env::current_exe()?;
    for (label, files) in [
        ("xlsx (one workbook)", vec![workbook.clone()]),
        ("csv (+ registry json)", vec![registry.clone(), csv.clone()]),
    ] {
        let output = Command::new(&exe).arg("--import").args(&files).output()?;
        if !output.status.success() {
            bail!(
                "{label} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let line = String::from_utf8_lossy(&output.stdout);
        println!("| {label} | {rows} | {}", line.trim());
    }
    Ok(())
}

/// In the child: a fresh database, the files imported in order, one line of figures.
fn import_files(files: &[&String]) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let db = open_database(&Settings::for_data_dir(dir.path().to_path_buf()))?;
    let principal = Principal {
        subject: "bench".into(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    };
    let started = Instant::now();
    for file in files {
        let bytes = std::fs::read(file)?;
        let content_type = match file.rsplit('.').next() {
            Some("xlsx") => XLSX,
            Some("csv") => "text/csv",
            _ => "application/json",
        };
        let sheets = styra::import::read(Some(content_type), &bytes, "activities")
            .map_err(|e| anyhow!("{e}"))?;
        drop(bytes);
        let mut conn = db.pool().get()?;
        let outcome = diesel::Connection::transaction::<_, anyhow::Error, _>(&mut *conn, |conn| {
            import::run(
                conn,
                &principal,
                sheets,
                &import::Options::default(),
                &mut Silent,
            )
            .map_err(|e| anyhow!("{e:?}"))
        })?;
        if let Outcome::Rejected(errors) = outcome {
            bail!("rejected: {:?}", &errors[..errors.len().min(5)]);
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{secs:.1} | {:.1} | {:.0} |",
        cpu_seconds()?,
        peak_rss_mb()?
    );
    Ok(())
}

/// User + system CPU time of this process: the wall time on an idle machine, and the figure to
/// compare when the cores are shared (wall time then includes waiting for a core).
fn cpu_seconds() -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")?;
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th
    // fields of the line, in clock ticks (100 per second on Linux).
    let rest = stat.rsplit_once(')').context("no command name")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = fields
        .get(11..13)
        .context("no utime/stime")?
        .iter()
        .map(|f| f.parse::<f64>())
        .sum::<Result<f64, _>>()?;
    Ok(ticks / 100.0)
}

fn peak_rss_mb() -> anyhow::Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .context("no VmHWM")?;
    let kb: f64 = line
        .split_whitespace()
        .nth(1)
        .context("VmHWM value")?
        .parse()?;
    Ok(kb / 1024.0)
}

const ACTIVITY_HEADERS: [&str; 12] = [
    "external_id",
    "object",
    "year",
    "kind",
    "phase",
    "title",
    "purpose_and_goals",
    "start_date",
    "end_date",
    "planned_budget",
    "expected_benefit",
    "complexity",
];

fn activity(i: usize) -> [String; 12] {
    let kinds = [
        "maintenance",
        "change",
        "development",
        "project",
        "initiative",
    ];
    [
        format!("AKT-{i:06}"),
        format!("OBJ-{:03}", i % OBJECTS),
        "2026".into(),
        kinds[i % kinds.len()].into(),
        "idea".into(),
        format!("Aktivitet {i}: förbättrad e-tjänst för ärendehantering"),
        format!(
            "Syfte och mål för aktivitet {i}: minskad handläggningstid och ökad tillgänglighet."
        ),
        format!("2026-{:02}-01", i % 12 + 1),
        "2026-12-31".into(),
        format!("{}", 10_000 + (i * 37) % 990_000),
        format!("{}", i % 5 + 1),
        format!("{}", (i / 5) % 5 + 1),
    ]
}

fn registry_json() -> String {
    let mut orgs =
        vec![r#"{"external_id": "NK", "kind": "municipality", "name": "Norrå kommun"}"#.to_owned()];
    for c in 0..10 {
        orgs.push(format!(
            r#"{{"external_id": "N{c}", "kind": "committee", "parent": "NK", "name": "Nämnd {c}"}}"#
        ));
    }
    let objects: Vec<String> = (0..OBJECTS)
        .map(|o| {
            format!(
                r#"{{"external_id": "OBJ-{o:03}", "organisation": "N{}", "name": "Objekt {o}"}}"#,
                o % 10
            )
        })
        .collect();
    let plans: Vec<String> = (0..OBJECTS)
        .map(|o| format!(r#"{{"object": "OBJ-{o:03}", "year": 2026}}"#))
        .collect();
    format!(
        "{{\"organisations\": [{}], \"objects\": [{}], \"plans\": [{}]}}",
        orgs.join(","),
        objects.join(","),
        plans.join(",")
    )
}

fn activity_csv(rows: usize) -> Vec<u8> {
    let mut s = ACTIVITY_HEADERS.join(";");
    s.push('\n');
    for i in 0..rows {
        s.push_str(&activity(i).join(";"));
        s.push('\n');
    }
    s.into_bytes()
}

fn write_xlsx(rows: usize) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let orgs = book.add_worksheet();
    orgs.set_name("organisations")?;
    for (c, h) in ["external_id", "kind", "parent", "name"].iter().enumerate() {
        orgs.write_string(0, c as u16, *h)?;
    }
    orgs.write_string(1, 0, "NK")?
        .write_string(1, 1, "municipality")?
        .write_string(1, 3, "Norrå kommun")?;
    for c in 0..10u32 {
        orgs.write_string(c + 2, 0, format!("N{c}"))?
            .write_string(c + 2, 1, "committee")?
            .write_string(c + 2, 2, "NK")?
            .write_string(c + 2, 3, format!("Nämnd {c}"))?;
    }
    let objects = book.add_worksheet();
    objects.set_name("objects")?;
    let plans_headers = ["object", "year"];
    for (c, h) in ["external_id", "organisation", "name"].iter().enumerate() {
        objects.write_string(0, c as u16, *h)?;
    }
    for o in 0..OBJECTS {
        let r = o as u32 + 1;
        objects
            .write_string(r, 0, format!("OBJ-{o:03}"))?
            .write_string(r, 1, format!("N{}", o % 10))?
            .write_string(r, 2, format!("Objekt {o}"))?;
    }
    let plans = book.add_worksheet();
    plans.set_name("plans")?;
    for (c, h) in plans_headers.iter().enumerate() {
        plans.write_string(0, c as u16, *h)?;
    }
    for o in 0..OBJECTS {
        let r = o as u32 + 1;
        plans
            .write_string(r, 0, format!("OBJ-{o:03}"))?
            .write_number(r, 1, 2026)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name("activities")?;
    for (c, h) in ACTIVITY_HEADERS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h)?;
    }
    let numeric = [2usize, 9, 10, 11];
    for i in 0..rows {
        let r = i as u32 + 1;
        for (c, v) in activity(i).iter().enumerate() {
            if numeric.contains(&c) {
                sheet.write_number(r, c as u16, v.parse::<f64>()?)?;
            } else {
                sheet.write_string(r, c as u16, v)?;
            }
        }
    }
    Ok(book.save_to_buffer()?)
}
