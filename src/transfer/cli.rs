//! `styra import FILE` and `styra export FILE`: the same import and export as the API, run
//! directly on the configured database as an unrestricted admin, with progress on stderr.

use std::time::Instant;

use anyhow::{bail, Context};
use diesel::Connection;

use crate::auth::{Principal, Role};
use crate::config::{ExportArgs, ImportArgs};
use crate::db::Db;
use crate::transfer::export::{self, Format};
use crate::transfer::import::{self, Outcome};
use crate::transfer::progress::Stderr;

fn admin(subject: &str) -> Principal {
    Principal {
        subject: subject.to_owned(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    }
}

/// Imports a file; prints the counts, or every error (and fails) when it is rejected.
pub fn import(db: &Db, args: &ImportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("could not read {}", args.file.display()))?;
    let name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let sheets = crate::import::read(None, &bytes, &name)
        .map_err(|e| anyhow::anyhow!("the file could not be read: {e}"))?;
    let rows: usize = sheets.iter().map(|s| s.rows.len()).sum();
    eprintln!(
        "read {rows} rows in {} sheet(s) in {:.1} s",
        sheets.len(),
        started.elapsed().as_secs_f64()
    );
    let options = import::Options {
        dry_run: args.dry_run,
        resource: args.resource.clone(),
    };
    let principal = admin(&args.actor);
    let mut conn = db.pool().get()?;
    let mut progress = Stderr::default();
    let outcome = conn.transaction::<_, anyhow::Error, _>(|conn| {
        import::run(conn, &principal, sheets, &options, &mut progress)
            .map_err(|e| anyhow::anyhow!("{e}: {e:?}"))
    })?;
    match outcome {
        Outcome::Done(report) => {
            println!("{}", serde_json::to_string_pretty(&report)?);
            eprintln!(
                "{} {rows} rows in {:.1} s ({:.0} rows/s)",
                if args.dry_run { "checked" } else { "imported" },
                started.elapsed().as_secs_f64(),
                rows as f64 / started.elapsed().as_secs_f64().max(1e-6)
            );
            Ok(())
        }
        Outcome::Rejected(errors) => {
            for e in &errors {
                eprintln!(
                    "{} row {}{}{}: {}",
                    e.sheet,
                    e.row,
                    e.column
                        .as_deref()
                        .map(|c| format!(" column {c}"))
                        .unwrap_or_default(),
                    e.value
                        .as_deref()
                        .map(|v| format!(" ({v:?})"))
                        .unwrap_or_default(),
                    e.message
                );
            }
            bail!(
                "{} problem(s) in the file; nothing was imported",
                errors.len()
            )
        }
    }
}

/// Exports everything to `.xlsx` or `.json` by the file's extension.
pub fn export(db: &Db, args: &ExportArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let format = Format::of_path(&args.file)
        .ok_or_else(|| anyhow::anyhow!("the file must end in .xlsx or .json"))?;
    let mut conn = db.pool().get()?;
    let mut progress = Stderr::default();
    let bytes = export::export_with(&mut conn, &admin("cli-export"), format, &mut progress)
        .map_err(|e| anyhow::anyhow!("{e}: {e:?}"))?;
    std::fs::write(&args.file, &bytes)
        .with_context(|| format!("could not write {}", args.file.display()))?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1} s",
        args.file.display(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
