//! How rows name records: by external id (role types by name), else by id. An index per
//! resource resolves a key to a record inside the row's municipality, and renders a record's key
//! for export.

use std::collections::HashMap;

use crate::transfer::load::{opt, text, Rec, Store};
use crate::transfer::model::resources;

/// What a reference needs to know about a record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// None for shared records (built-in role types).
    pub municipality: Option<String>,
    pub organisation: Option<String>,
}

/// The records of one resource, by id and by key.
#[derive(Default)]
pub struct Index {
    pub by_id: HashMap<String, Entry>,
    by_key: HashMap<String, Vec<String>>,
    key_of: HashMap<String, String>,
}

/// Why a key did not resolve.
#[derive(Debug, PartialEq, Eq)]
pub enum Miss {
    NotFound,
    OtherMunicipality,
    Ambiguous(usize),
}

impl Index {
    /// Adds (or re-keys) a record.
    pub fn add(&mut self, entry: Entry, key: Option<&str>) {
        if let Some(old) = self.key_of.remove(&entry.id) {
            if let Some(ids) = self.by_key.get_mut(&old) {
                ids.retain(|i| *i != entry.id);
            }
        }
        if let Some(k) = key.filter(|k| !k.is_empty()) {
            self.by_key
                .entry(k.to_owned())
                .or_default()
                .push(entry.id.clone());
            self.key_of.insert(entry.id.clone(), k.to_owned());
        }
        self.by_id.insert(entry.id.clone(), entry);
    }

    /// The key a row uses for the record: its external key, or its id.
    pub fn key(&self, id: &str) -> String {
        self.key_of
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_owned())
    }

    /// Every record whose external key is `key`.
    pub fn holders(&self, key: &str) -> Vec<&Entry> {
        self.by_key
            .get(key)
            .map(|ids| ids.iter().filter_map(|i| self.by_id.get(i)).collect())
            .unwrap_or_default()
    }

    /// Resolves `key` (an external key or an id) to a record in `municipality` (or a shared one);
    /// with no municipality, the key must name exactly one record.
    pub fn resolve(&self, key: &str, municipality: Option<&str>) -> Result<&Entry, Miss> {
        let mut found: Vec<&Entry> = Vec::new();
        if let Some(ids) = self.by_key.get(key) {
            found.extend(ids.iter().filter_map(|i| self.by_id.get(i)));
        }
        if found.is_empty() {
            // An id as written, else in its canonical spelling (a sheet may brace it, write it
            // upper-case or drop the hyphens).
            let canonical = || {
                uuid::Uuid::parse_str(key.trim())
                    .ok()
                    .map(|u| u.hyphenated().to_string())
            };
            if let Some(e) = self
                .by_id
                .get(key)
                .or_else(|| canonical().and_then(|id| self.by_id.get(&id)))
            {
                found.push(e);
            }
        }
        if found.is_empty() {
            return Err(Miss::NotFound);
        }
        let Some(m) = municipality else {
            return match found.as_slice() {
                [one] => Ok(one),
                many => Err(Miss::Ambiguous(many.len())),
            };
        };
        let own: Vec<&Entry> = found
            .iter()
            .copied()
            .filter(|e| e.municipality.as_deref() == Some(m))
            .collect();
        match own.as_slice() {
            [one] => return Ok(one),
            [] => {}
            many => return Err(Miss::Ambiguous(many.len())),
        }
        let shared: Vec<&Entry> = found
            .iter()
            .copied()
            .filter(|e| e.municipality.is_none())
            .collect();
        match shared.as_slice() {
            [one] => Ok(one),
            [] => Err(Miss::OtherMunicipality),
            many => Err(Miss::Ambiguous(many.len())),
        }
    }
}

/// The indexes of every resource, plus plans by object and year.
#[derive(Default)]
pub struct Keys {
    pub indexes: HashMap<&'static str, Index>,
    /// (object id, year) → plan id.
    pub plans: HashMap<(String, i64), String>,
    /// plan id → (object id, year).
    pub plan_of: HashMap<String, (String, i64)>,
}

/// The key field of a resource's records: external_id, or the name for role types.
pub fn key_field(resource: &str) -> Option<&'static str> {
    match resource {
        "role-types" => Some("name"),
        r if resources()
            .iter()
            .any(|x| x.key == r && x.has_external_id()) =>
        {
            Some("external_id")
        }
        _ => None,
    }
}

/// The reference entry of a record.
pub fn entry_of(resource: &str, rec: &Rec) -> Entry {
    Entry {
        id: text(rec, "id").to_owned(),
        municipality: match resource {
            "organisations" => Some(text(rec, "municipality_id").to_owned()),
            _ => opt(rec, "municipality_id").map(str::to_owned),
        },
        organisation: match resource {
            "organisations" => Some(text(rec, "id").to_owned()),
            _ => opt(rec, "organisation_id").map(str::to_owned),
        },
    }
}

impl Keys {
    pub fn build(store: &Store) -> Keys {
        let mut keys = Keys::default();
        for r in resources() {
            let field = key_field(r.key);
            let index = keys.indexes.entry(r.key).or_default();
            for rec in store.get(r.key) {
                index.add(entry_of(r.key, rec), field.and_then(|f| opt(rec, f)));
            }
        }
        for rec in store.get("plans") {
            keys.add_plan(
                text(rec, "id"),
                text(rec, "object_id"),
                rec.get("year").and_then(|v| v.as_i64()).unwrap_or(0),
            );
        }
        keys
    }

    pub fn add_plan(&mut self, id: &str, object_id: &str, year: i64) {
        if let Some(old) = self.plan_of.remove(id) {
            self.plans.remove(&old);
        }
        self.plans
            .insert((object_id.to_owned(), year), id.to_owned());
        self.plan_of
            .insert(id.to_owned(), (object_id.to_owned(), year));
    }

    pub fn index(&self, resource: &str) -> Option<&Index> {
        self.indexes.get(resource)
    }

    /// The key of record `id` of `resource` (the id itself when unknown).
    pub fn key(&self, resource: &str, id: &str) -> String {
        self.indexes
            .get(resource)
            .map(|i| i.key(id))
            .unwrap_or_else(|| id.to_owned())
    }
}
