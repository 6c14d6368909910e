//! The row engine: headers to columns, cells to values, keys to records, then the resource's
//! rules; each row ends created, updated, unchanged or with its errors recorded.

use std::collections::{BTreeMap, HashMap};

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::{new_id, time};
use crate::error::ApiError;
use crate::transfer::import::cells::{self, Val};
use crate::transfer::import::rules;
use crate::transfer::import::write::{Op, Writer};
use crate::transfer::import::{Counts, ImportReport, RowError};
use crate::transfer::keys::{entry_of, key_field, Entry, Keys, Miss};
use crate::transfer::load::{load_all, opt, text, Rec, Store, Visibility};
use crate::transfer::model::{simplify, Column, NaturalKey, Resource, Ty};
use crate::transfer::progress::Progress;
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
    writer: Option<Writer<'p>>,
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
        let seed = !sheets.iter().any(|(r, _)| r.key == "phase-rules");
        Ok(Ctx {
            principal,
            store,
            keys,
            vis,
            now_text: time::now()
                .format(crate::transfer::import::sql::TIMESTAMP)
                .to_string(),
            errors: Vec::new(),
            counts: BTreeMap::new(),
            existing,
            seen: HashMap::new(),
            natural,
            role_targets,
            org_parent,
            writer: write.then(|| Writer::new(principal, time::now(), seed)),
        })
    }

    pub fn report(&self, dry_run: bool) -> ImportReport {
        ImportReport {
            dry_run,
            batch_id: self.writer.as_ref().map(|w| w.batch_id.clone()),
            counts: self.counts.clone(),
        }
    }

    pub fn finish(&mut self, conn: &mut DbConnection) -> Result<(), ApiError> {
        match (&mut self.writer, self.errors.is_empty()) {
            (Some(w), true) => w.flush(conn),
            _ => Ok(()),
        }
    }

    fn sheet_error(&mut self, sheet: &str, column: Option<String>, message: String) {
        self.errors.push(RowError {
            sheet: sheet.to_owned(),
            row: 1,
            column,
            value: None,
            message,
        });
    }

    /// Imports one sheet's rows into resource `r`.
    pub fn sheet(
        &mut self,
        conn: &mut DbConnection,
        r: &'static Resource,
        sheet: Sheet,
        progress: &mut dyn Progress,
    ) -> Result<(), ApiError> {
        self.counts.entry(r.key.to_owned()).or_default();
        if r.admin_only && self.principal.role < crate::auth::Role::Admin {
            self.sheet_error(
                &sheet.name,
                None,
                format!("importing {} needs the admin role", r.key),
            );
            return Ok(());
        }
        let Some(columns) = self.headers(r, &sheet) else {
            return Ok(());
        };
        let Sheet { name, rows, .. } = sheet;
        let rows = if r.key == "organisations" {
            parents_first(&columns, rows)
        } else {
            rows
        };
        let total = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            self.row(conn, r, &name, &columns, row)?;
            progress.rows(r.key, i + 1, total);
        }
        Ok(())
    }

    fn headers(&mut self, r: &Resource, sheet: &Sheet) -> Option<Vec<Option<&'static Column>>> {
        let mut columns = Vec::new();
        let mut ok = true;
        for h in &sheet.headers {
            let wanted = simplify(&crate::import::normalise_header(h));
            if wanted.is_empty() {
                columns.push(None);
                continue;
            }
            let found = r
                .columns
                .iter()
                .find(|c| simplify(c.key) == wanted || simplify(c.header) == wanted);
            match found {
                Some(c)
                    if columns
                        .iter()
                        .any(|x: &Option<&Column>| x.is_some_and(|x| x.key == c.key)) =>
                {
                    ok = false;
                    self.sheet_error(
                        &sheet.name,
                        Some(h.clone()),
                        format!("column {} appears twice", c.key),
                    );
                }
                Some(c) => columns.push(Some(c)),
                None => {
                    ok = false;
                    let known: Vec<String> = r
                        .columns
                        .iter()
                        .map(|c| format!("{} ({})", c.header, c.key))
                        .collect();
                    self.sheet_error(
                        &sheet.name,
                        Some(h.clone()),
                        format!("unknown column {h:?}; {} has: {}", r.key, known.join(", ")),
                    );
                }
            }
        }
        ok.then_some(columns)
    }

    fn row(
        &mut self,
        conn: &mut DbConnection,
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
                if let (Some(w), true) = (&mut self.writer, self.errors.is_empty()) {
                    w.push(conn, op)?;
                }
            }
        }
        Ok(())
    }

    /// Works out what a row means; `Ok(None)` is an unchanged record.
    fn plan(&mut self, r: &'static Resource, vals: HashMap<&'static str, Val>) -> Planned {
        let mut row = Row {
            vals,
            refs: HashMap::new(),
            existing: None,
            errors: Vec::new(),
        };
        let municipality = self.resolve_refs(r, &mut row);
        if !row.errors.is_empty() {
            return Err(row.errors);
        }
        if r.key == "decision-subjects" {
            return rules::subject(self, &mut row)
                .map(|op| (None, op))
                .map_err(|_| row.errors);
        }
        let found = self.find(r, &mut row, municipality.as_deref());
        if !row.errors.is_empty() {
            return Err(row.errors);
        }
        let store = std::mem::take(&mut self.store);
        let result = self.build(r, row, found, &store);
        self.store = store;
        result
    }

    fn build<'s>(
        &mut self,
        r: &'static Resource,
        mut row: Row<'s>,
        found: Option<String>,
        store: &'s Store,
    ) -> Planned {
        let recs = store.get(r.key);
        let lookup = |ctx: &Self, id: &str| {
            ctx.existing
                .get(r.key)
                .and_then(|m| m.get(id))
                .and_then(|i| recs.get(*i))
        };
        let given_id = row.vals.get("id").and_then(|v| v.text()).map(str::to_owned);
        let mut id = found.or(given_id).unwrap_or_else(new_id);
        row.existing = lookup(self, &id);
        let mut rec = self.base(r, &row, &id);
        rules::derive(self, r, &mut rec, &mut row);
        if row.existing.is_none() && row.vals.get("id").is_none_or(|v| *v == Val::Null) {
            if let NaturalKey::Fields(fields) = r.natural_key {
                let key = natural_key(fields, &rec);
                if let Some(other) = self.natural.get(r.key).and_then(|m| m.get(&key)).cloned() {
                    // Matched on the natural key: start again from that record.
                    id = other;
                    row.existing = lookup(self, &id);
                    row.errors.clear();
                    rec = self.base(r, &row, &id);
                    rules::derive(self, r, &mut rec, &mut row);
                }
            }
        }
        if !row.errors.is_empty() {
            return Err(row.errors);
        }
        rules::validate(self, r, &rec, &mut row);
        if !row.errors.is_empty() {
            return Err(row.errors);
        }
        let links = rules::links(self, r, &rec, &mut row, store);
        if !row.errors.is_empty() {
            return Err(row.errors);
        }
        Ok((Some(id), self.compare(r, rec, row.existing, links)))
    }

    /// The record the row starts from: the existing one, or a new one with the defaults; then the
    /// row's values on top.
    fn base(&self, r: &Resource, row: &Row<'_>, id: &str) -> Rec {
        let mut rec = match row.existing {
            Some(e) => e.clone(),
            None => {
                let mut rec = Rec::new();
                rec.insert("id".into(), id.into());
                for (field, value) in rules::defaults(r.key) {
                    rec.insert((*field).into(), value.clone());
                }
                rec.insert("version".into(), 1.into());
                rec.insert("created_at".into(), self.now_text.clone().into());
                rec.insert("modified_at".into(), self.now_text.clone().into());
                rec
            }
        };
        for c in r.columns {
            let (Some(field), Some(v)) = (c.field, row.vals.get(c.key)) else {
                continue;
            };
            match c.ty {
                Ty::Id => {}
                Ty::Ref(_) => {
                    let id = row.refs.get(c.key).map(|e| e.id.clone());
                    rec.insert(
                        field.into(),
                        id.map(Into::into).unwrap_or(serde_json::Value::Null),
                    );
                }
                _ => {
                    let value = v.json();
                    // An empty cell in a column with a default keeps the default.
                    if value.is_null()
                        && row.existing.is_none()
                        && rec.get(field).is_some_and(|d| !d.is_null())
                    {
                        continue;
                    }
                    rec.insert(field.into(), value);
                }
            }
        }
        rec
    }

    /// Resolves the row's references in column order; the first one fixes the municipality the
    /// others must share.
    fn resolve_refs(&self, r: &Resource, row: &mut Row<'_>) -> Option<String> {
        let mut municipality: Option<String> = None;
        for c in r.columns {
            let Ty::Ref(to) = c.ty else { continue };
            let Some(key) = row
                .vals
                .get(c.key)
                .and_then(|v| v.text())
                .map(str::to_owned)
            else {
                continue;
            };
            let Some(index) = self.keys.index(to) else {
                continue;
            };
            match index.resolve(&key, municipality.as_deref()) {
                Ok(e) => {
                    if municipality.is_none() {
                        municipality = e.municipality.clone();
                    }
                    row.refs.insert(c.key, e.clone());
                }
                Err(miss) => row.err(c.key, miss_message(to, &key, miss)),
            }
        }
        municipality
    }

    /// The record the row names by external_id or id (existing, or created earlier in the file).
    fn find(&self, r: &Resource, row: &mut Row<'_>, municipality: Option<&str>) -> Option<String> {
        let index = self.keys.index(r.key)?;
        let by_ext = match row.vals.get("external_id").and_then(|v| v.text()) {
            Some(ext) => {
                let holders: Vec<&Entry> = index
                    .holders(ext)
                    .into_iter()
                    .filter(|e| municipality.is_none_or(|m| e.municipality.as_deref() == Some(m)))
                    .collect();
                match holders.as_slice() {
                    [] => None,
                    [one] => Some(one.id.clone()),
                    _ => {
                        row.err(
                            "external_id",
                            "names records in several municipalities; give the id too",
                        );
                        return None;
                    }
                }
            }
            None => None,
        };
        let by_id = row.vals.get("id").and_then(|v| v.text());
        match (by_ext, by_id) {
            (Some(a), Some(b)) if a != b => {
                row.err("id", format!("external_id names record {a}, but id is {b}"));
                None
            }
            (Some(a), _) => Some(a),
            (None, Some(b)) => index.by_id.contains_key(b).then(|| b.to_owned()),
            (None, None) => None,
        }
    }

    /// Unchanged (None), or the write it takes.
    fn compare(
        &self,
        r: &'static Resource,
        mut rec: Rec,
        existing: Option<&Rec>,
        links: Option<(crate::transfer::import::write::Links, bool)>,
    ) -> Option<Op> {
        let (links, links_changed) = match links {
            Some((l, changed)) => (Some(l), changed),
            None => (None, false),
        };
        let transition = rules::transition(r, &rec, existing);
        if transition.is_some() {
            rec.insert("phase_changed_at".into(), self.now_text.clone().into());
        }
        let Some(before) = existing else {
            return Some(Op {
                resource: r,
                action: ChangeAction::Create,
                before: None,
                after: rec,
                links,
                transition,
                moved: false,
            });
        };
        let same = r.db.iter().all(|(f, _)| {
            matches!(
                *f,
                "version"
                    | "created_at"
                    | "modified_at"
                    | "phase_changed_at"
                    | "name_sort"
                    | "title_sort"
            ) || before.get(*f).unwrap_or(&serde_json::Value::Null)
                == rec.get(*f).unwrap_or(&serde_json::Value::Null)
        });
        if same && !links_changed {
            return None;
        }
        let version = before.get("version").and_then(|v| v.as_i64()).unwrap_or(0) + 1;
        rec.insert("version".into(), version.into());
        rec.insert("modified_at".into(), self.now_text.clone().into());
        let moved = r.key == "organisations" && opt(before, "parent_id") != opt(&rec, "parent_id");
        Some(Op {
            resource: r,
            action: ChangeAction::Update,
            before: Some(before.clone()),
            after: rec,
            links: if links_changed { links } else { None },
            transition,
            moved,
        })
    }

    /// Makes a planned record known to the rows after it.
    fn remember(&mut self, r: &'static Resource, op: &Op) {
        let rec = &op.after;
        let id = text(rec, "id").to_owned();
        if let Some(index) = self.keys.indexes.get_mut(r.key) {
            index.add(
                entry_of(r.key, rec),
                key_field(r.key).and_then(|f| opt(rec, f)),
            );
        }
        if let NaturalKey::Fields(fields) = r.natural_key {
            self.natural
                .entry(r.key)
                .or_default()
                .insert(natural_key(fields, rec), id.clone());
        }
        match r.key {
            "plans" => {
                let year = rec.get("year").and_then(|v| v.as_i64()).unwrap_or(0);
                self.keys.add_plan(&id, text(rec, "object_id"), year);
            }
            "role-types" => {
                self.role_targets
                    .insert(id, text(rec, "applies_to").to_owned());
            }
            "organisations" => {
                let parent = opt(rec, "parent_id").map(str::to_owned);
                if let (Some(orgs), Some(p)) = (&mut self.vis.orgs, &parent) {
                    if orgs.contains(p) {
                        orgs.insert(id.clone());
                    }
                }
                self.org_parent.insert(id, parent);
            }
            _ => {}
        }
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

/// Orders organisation rows so that parents named in the sheet come before their children.
fn parents_first(columns: &[Option<&'static Column>], rows: Vec<SheetRow>) -> Vec<SheetRow> {
    let at = |key: &str| columns.iter().position(|c| c.is_some_and(|c| c.key == key));
    let text_at = |row: &SheetRow, i: Option<usize>| {
        i.and_then(|i| row.cells.get(i)).and_then(|c| c.as_text())
    };
    let (ext, id, parent) = (at("external_id"), at("id"), at("parent"));
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        for k in [text_at(row, ext), text_at(row, id)].into_iter().flatten() {
            by_key.insert(k, i);
        }
    }
    let parent_of: Vec<Option<usize>> = rows
        .iter()
        .map(|row| text_at(row, parent).and_then(|p| by_key.get(&p).copied()))
        .collect();
    let depth = |mut i: usize| {
        let mut d = 0;
        while let Some(p) = parent_of[i] {
            d += 1;
            i = p;
            if d > rows.len() {
                break; // a cycle; the rows will report it
            }
        }
        d
    };
    let depths: Vec<usize> = (0..rows.len()).map(depth).collect();
    let mut indexed: Vec<(usize, SheetRow)> = rows.into_iter().enumerate().collect();
    indexed.sort_by_key(|(i, _)| depths[*i]);
    indexed.into_iter().map(|(_, r)| r).collect()
}
