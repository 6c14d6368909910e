//! From a row's values to its record: references resolved, the existing record found, and the write it takes.

use std::collections::HashMap;

use crate::domain::changes::ChangeAction;
use crate::domain::new_id;
use crate::transfer::import::cells::Val;
use crate::transfer::import::rules;
use crate::transfer::import::write::Op;
use crate::transfer::keys::{entry_of, key_field, Entry};
use crate::transfer::load::{opt, text, Rec, Store};
use crate::transfer::model::{NaturalKey, Resource, Ty};

use super::{miss_message, natural_key, Ctx, Planned, Row};

impl<'p> Ctx<'p> {
    /// Works out what a row means; `Ok(None)` is an unchanged record.
    pub(super) fn plan(
        &mut self,
        r: &'static Resource,
        vals: HashMap<&'static str, Val>,
    ) -> Planned {
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
    pub(super) fn remember(&mut self, r: &'static Resource, op: &Op) {
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
}
