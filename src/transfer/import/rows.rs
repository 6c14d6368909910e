//! The row engine: headers to columns, cells to values, keys to records, then the resource's
//! rules; each row ends created, updated, unchanged or with its errors recorded.

mod record;
mod sheet;

use std::collections::{BTreeMap, HashMap};
use std::sync::mpsc::SyncSender;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::time;
use crate::error::ApiError;
use crate::transfer::import::cells::{self, Val};
use crate::transfer::import::write::{prepare, Message, Op, Stamp};
use crate::transfer::import::{Counts, ImportReport, RowError};
use crate::transfer::keys::{Entry, Keys, Miss};
use crate::transfer::load::{load_all, opt, text, Rec, Store, Visibility};
use crate::transfer::model::{Column, NaturalKey, Resource, Ty};
use crate::transfer::sheet::{Sheet, SheetRow};

/// The state of one import: what exists, what the file has named so far, and the errors.
pub struct Ctx<'p> {
    pub principal: &'p Principal,
    pub store: Store,
    pub keys: Keys,
    pub vis: Visibility,
    pub now_text: String,
    pub errors: Vec<RowError>,
    counts: BTreeMap<String, Counts>,
    /// Per resource: record id → index in the store.
    existing: HashMap<&'static str, HashMap<String, usize>>,
    /// Per resource: ids a row of this import has named, with the row.
    seen: HashMap<&'static str, HashMap<String, usize>>,
    /// Per resource: natural key → record id.
    natural: HashMap<&'static str, HashMap<String, String>>,
    /// Role type id → what it applies to.
    pub role_targets: HashMap<String, String>,
    /// Organisation id → parent id.
    pub org_parent: HashMap<String, Option<String>>,
    /// Set when the import writes (not in a dry run).
    stamp: Option<Stamp>,
    /// Whether the import seeds a new municipality's default phase rules (the file has none).
    pub seed_phase_rules: bool,
}

/// What a row comes to: the record it names (if any) and the write it takes (None: unchanged),
/// or its errors as (column, message).
type Planned = Result<(Option<String>, Option<Op>), Vec<(String, String)>>;

/// One row on its way through: its values, resolved references and errors.
pub struct Row<'a> {
    pub vals: HashMap<&'static str, Val>,
    pub refs: HashMap<&'static str, Entry>,
    pub existing: Option<&'a Rec>,
    pub errors: Vec<(String, String)>,
}

impl Row<'_> {
    pub fn err(&mut self, column: &str, message: impl Into<String>) {
        self.errors.push((column.to_owned(), message.into()));
    }

    /// Whether the sheet has the column (absent columns keep their values).
    pub fn has(&self, key: &str) -> bool {
        self.vals.contains_key(key)
    }
}

impl<'p> Ctx<'p> {
    pub fn new(
        conn: &mut DbConnection,
        principal: &'p Principal,
        sheets: &[(&'static Resource, Sheet)],
        write: bool,
    ) -> Result<Ctx<'p>, ApiError> {
        let store = load_all(conn)?;
        let keys = Keys::build(&store);
        let vis = Visibility::of(conn, principal)?;
        let mut existing: HashMap<&'static str, HashMap<String, usize>> = HashMap::new();
        let mut natural: HashMap<&'static str, HashMap<String, String>> = HashMap::new();
        for r in crate::transfer::model::resources() {
            let recs = store.get(r.key);
            existing.insert(
                r.key,
                recs.iter()
                    .enumerate()
                    .map(|(i, rec)| (text(rec, "id").to_owned(), i))
                    .collect(),
            );
            if let NaturalKey::Fields(fields) = r.natural_key {
                let map = natural.entry(r.key).or_default();
                for rec in recs {
                    map.insert(natural_key(fields, rec), text(rec, "id").to_owned());
                }
            }
        }
        let subjects = natural.entry("decision-subjects").or_default();
        for (d, res, rec) in &store.subjects {
            subjects.insert(format!("{d}\u{1f}{res}\u{1f}{rec}"), d.clone());
        }
        let role_targets = store
            .get("role-types")
            .iter()
            .map(|r| (text(r, "id").to_owned(), text(r, "applies_to").to_owned()))
            .collect();
        let org_parent = store
            .get("organisations")
            .iter()
            .map(|r| {
                (
                    text(r, "id").to_owned(),
                    opt(r, "parent_id").map(str::to_owned),
                )
            })
            .collect();
        let seed_phase_rules = !sheets.iter().any(|(r, _)| r.key == "phase-rules");
        let now = time::now();
        Ok(Ctx {
            principal,
            store,
            keys,
            vis,
            now_text: now
                .format(crate::transfer::import::sql::TIMESTAMP)
                .to_string(),
            errors: Vec::new(),
            counts: BTreeMap::new(),
            existing,
            seen: HashMap::new(),
            natural,
            role_targets,
            org_parent,
            stamp: write.then(|| Stamp {
                batch_id: crate::domain::new_id(),
                now,
                actor: principal.subject.clone(),
            }),
            seed_phase_rules,
        })
    }

    pub fn report(&self, dry_run: bool) -> ImportReport {
        ImportReport {
            dry_run,
            batch_id: self.stamp.as_ref().map(|s| s.batch_id.clone()),
            counts: self.counts.clone(),
        }
    }

    /// The change batch every written row goes under; None in a dry run.
    pub fn batch_id(&self) -> Option<&str> {
        self.stamp.as_ref().map(|s| s.batch_id.as_str())
    }

    /// Tells the writer that every row was read: it writes what it has buffered if no row had
    /// an error (else the import is rejected and nothing more needs writing).
    pub fn finish(&self, sink: SyncSender<Message>) {
        if self.errors.is_empty() {
            // A closed inbox means the writer already stopped on an error, which it reports.
            let _ = sink.send(Message::Finish);
        }
    }

    fn row(
        &mut self,
        sink: Option<&SyncSender<Message>>,
        r: &'static Resource,
        sheet: &str,
        columns: &[Option<&'static Column>],
        row: SheetRow,
    ) -> Result<(), ApiError> {
        let mut raw: HashMap<String, String> = HashMap::new();
        let mut vals = HashMap::new();
        let mut parse_errors = Vec::new();
        for (i, cell) in row.cells.iter().enumerate() {
            let Some(Some(c)) = columns.get(i) else {
                continue;
            };
            match cells::read(c, cell) {
                Ok(v) => {
                    vals.insert(c.key, v);
                }
                Err(m) => parse_errors.push((c.key.to_owned(), m)),
            }
            raw.insert(c.key.to_owned(), cell.display());
        }
        for c in columns.iter().flatten() {
            vals.entry(c.key).or_insert(match c.ty {
                Ty::RefList(_) => Val::Keys(Vec::new()),
                Ty::Funding => Val::Shares(Vec::new()),
                _ => Val::Null,
            });
        }
        let outcome = if parse_errors.is_empty() {
            self.plan(r, vals)
        } else {
            Err(parse_errors)
        };
        match outcome {
            Err(errors) => {
                for (column, message) in errors {
                    let value = raw.get(&column).filter(|v| !v.is_empty()).cloned();
                    self.errors.push(RowError {
                        sheet: sheet.to_owned(),
                        row: row.number,
                        column: (!column.is_empty()).then_some(column),
                        value,
                        message,
                    });
                }
            }
            Ok((id, op)) => {
                if let Some(id) = id {
                    if let Some(earlier) =
                        self.seen.entry(r.key).or_default().insert(id, row.number)
                    {
                        self.errors.push(RowError {
                            sheet: sheet.to_owned(),
                            row: row.number,
                            column: None,
                            value: None,
                            message: format!("names the same record as row {earlier}"),
                        });
                        return Ok(());
                    }
                }
                let Some(op) = op else {
                    self.count_unchanged(r.key);
                    return Ok(());
                };
                self.remember(r, &op);
                let counts = self.counts.entry(r.key.to_owned()).or_default();
                match op.action {
                    ChangeAction::Create => counts.created += 1,
                    _ => counts.updated += 1,
                }
                if let (Some(stamp), Some(sink), true) = (&self.stamp, sink, self.errors.is_empty())
                {
                    let row = prepare(stamp, op)?;
                    if sink.send(Message::Row(Box::new(row))).is_err() {
                        // The writer stopped on a database error; it reports it.
                        return Err(ApiError::internal("the import's writer stopped"));
                    }
                }
            }
        }
        Ok(())
    }

    pub fn subject_known(&self, key: &str) -> bool {
        self.natural
            .get("decision-subjects")
            .is_some_and(|m| m.contains_key(key))
    }

    pub fn add_subject(&mut self, key: String, decision: String) {
        self.natural
            .entry("decision-subjects")
            .or_default()
            .insert(key, decision);
    }

    pub fn count_unchanged(&mut self, r: &str) {
        self.counts.entry(r.to_owned()).or_default().unchanged += 1;
    }
}

/// The natural key of a record: its fields joined (null as empty).
pub fn natural_key(fields: &[&str], rec: &Rec) -> String {
    fields
        .iter()
        .map(|f| match rec.get(*f) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

pub fn miss_message(to: &str, key: &str, miss: Miss) -> String {
    match miss {
        Miss::NotFound => {
            format!("no {to} record has the key {key:?} (in the database or earlier in the file)")
        }
        Miss::OtherMunicipality => format!("{key:?} is a {to} record of another municipality"),
        Miss::Ambiguous(n) => format!("{key:?} names {n} {to} records; use the id"),
    }
}
