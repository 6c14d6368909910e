//! Import: sheets of rows (from `crate::import`, the parser) mapped through the column model,
//! every row validated and every error collected (sheet, row, column, value, message) before
//! anything is written; then all of it written in one transaction under one change batch.
//!
//! Rows are matched by `external_id`, else by `id`, else by the resource's natural key; a
//! matched row that changes nothing is left alone (no change record), so importing the same file
//! twice changes nothing the second time. Rows never delete records.

mod cells;
mod rows;
mod rules;
pub mod sql;
mod write;

use std::collections::BTreeMap;

use diesel::Connection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{Principal, Role};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::transfer::model::{resource_by_name, Resource};
use crate::transfer::progress::Progress;
use crate::transfer::sheet::Sheet;

pub use cells::Val;

/// Rows created, updated and left unchanged for one resource.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "dry_run": false, "batch_id": "0193a0c4-9999-7c1e-9a1b-2f3c4d5e6f70",
    "counts": {"objects": {"created": 3, "updated": 1, "unchanged": 40}, "activities": {"created": 120, "updated": 0, "unchanged": 0}}
}))]
pub struct ImportReport {
    pub dry_run: bool,
    /// The change history batch of the import (`GET /changes?batch_id=`); null in a dry run.
    pub batch_id: Option<String>,
    /// Per resource present in the file.
    pub counts: BTreeMap<String, Counts>,
}

/// One problem in the file.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[schema(example = json!({"sheet": "Aktiviteter", "row": 1842, "column": "planned_budget", "value": "12,5 tkr", "message": "not a whole number"}))]
pub struct RowError {
    pub sheet: String,
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's key, when the problem is in one cell.
    pub column: Option<String>,
    /// The cell's content as read.
    pub value: Option<String>,
    pub message: String,
}

/// How an import ended.
pub enum Outcome {
    Done(ImportReport),
    /// Nothing was written; every problem found.
    Rejected(Vec<RowError>),
}

/// Import settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dry_run: bool,
    /// The resource of a single-sheet file (CSV) whose name does not say it.
    pub resource: Option<String>,
}

enum Abort {
    Rejected(Vec<RowError>),
    Api(ApiError),
}

impl From<diesel::result::Error> for Abort {
    fn from(e: diesel::result::Error) -> Self {
        Abort::Api(e.into())
    }
}

impl From<ApiError> for Abort {
    fn from(e: ApiError) -> Self {
        Abort::Api(e)
    }
}

/// Validates and (unless a dry run) writes `sheets`. Runs in its own (nested) transaction, so a
/// rejected import leaves nothing behind even when called inside another transaction.
pub fn run(
    conn: &mut DbConnection,
    principal: &Principal,
    sheets: Vec<Sheet>,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Outcome, ApiError> {
    principal.require_write(Role::Editor)?;
    let (mapped, mut errors) = match_sheets(sheets, options);
    let result = crate::db::with_bulk_write_cache(conn, |conn| {
        conn.transaction::<ImportReport, Abort, _>(|conn| {
            let mut ctx = rows::Ctx::new(conn, principal, &mapped, !options.dry_run)?;
            ctx.errors.append(&mut errors);
            match ctx.batch_id().map(str::to_owned) {
                None => read_rows(&mut ctx, None, mapped, progress)?,
                Some(batch_id) => {
                    let writer = write::Writer::new(principal, batch_id, ctx.seed_phase_rules);
                    std::thread::scope(|scope| {
                        let (sink, inbox) = std::sync::mpsc::sync_channel(WRITE_QUEUE);
                        let written = scope.spawn(move || writer.run(conn, inbox));
                        // The sink lives in this closure: however reading ends (even by a
                        // panic), the channel closes and the writer thread stops.
                        let read = read_rows(&mut ctx, Some(&sink), mapped, progress);
                        if read.is_ok() {
                            ctx.finish(sink);
                        } else {
                            drop(sink);
                        }
                        let written = written
                            .join()
                            .map_err(|_| ApiError::internal("the import's writer panicked"))?;
                        // A database error stops the reading side too: report it, not the stop.
                        written?;
                        read
                    })?;
                }
            }
            if !ctx.errors.is_empty() {
                return Err(Abort::Rejected(std::mem::take(&mut ctx.errors)));
            }
            Ok(ctx.report(options.dry_run))
        })
    });
    match result {
        Ok(report) => Ok(Outcome::Done(report)),
        Err(Abort::Rejected(errors)) => Ok(Outcome::Rejected(errors)),
        Err(Abort::Api(e)) => Err(e),
    }
}

/// Rows prepared ahead of the writer thread: enough to keep it busy, little memory.
const WRITE_QUEUE: usize = 4096;

/// Reads, validates and plans every sheet's rows (sending them to the writer, if any).
fn read_rows(
    ctx: &mut rows::Ctx,
    sink: Option<&std::sync::mpsc::SyncSender<write::Message>>,
    sheets: Vec<(&'static Resource, Sheet)>,
    progress: &mut dyn Progress,
) -> Result<(), ApiError> {
    for (r, sheet) in sheets {
        ctx.sheet(sink, r, sheet, progress)?;
    }
    Ok(())
}

/// Pairs each sheet with its resource, in import order; sheets that name no resource are errors
/// (the template's hidden list sheet and sheets starting with `_` are skipped).
fn match_sheets(
    sheets: Vec<Sheet>,
    options: &Options,
) -> (Vec<(&'static Resource, Sheet)>, Vec<RowError>) {
    let single = sheets.len() == 1;
    let mut errors = Vec::new();
    let mut mapped: Vec<(&'static Resource, Sheet)> = Vec::new();
    for sheet in sheets {
        if sheet.name == "Listor" || sheet.name.starts_with('_') {
            continue;
        }
        let named = match (&options.resource, single) {
            (Some(r), true) => resource_by_name(r),
            _ => resource_by_name(&sheet.name)
                .or_else(|| options.resource.as_deref().and_then(resource_by_name)),
        };
        match named {
            Some(r) if mapped.iter().any(|(m, _)| m.key == r.key) => errors.push(RowError {
                sheet: sheet.name.clone(),
                row: 1,
                column: None,
                value: None,
                message: format!("a second sheet for {}; put all its rows in one sheet", r.key),
            }),
            Some(r) => mapped.push((r, sheet)),
            None => errors.push(RowError {
                sheet: sheet.name.clone(),
                row: 1,
                column: None,
                value: None,
                message: format!(
                    "the sheet names no resource; name it after one of: {} (or pass ?resource= for a CSV file)",
                    crate::transfer::model::resources()
                        .iter()
                        .map(|r| format!("{} ({})", r.key, r.sheet))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }
    let order = |r: &Resource| {
        crate::transfer::model::resources()
            .iter()
            .position(|x| x.key == r.key)
            .unwrap_or(usize::MAX)
    };
    mapped.sort_by_key(|(r, _)| order(r));
    (mapped, errors)
}
