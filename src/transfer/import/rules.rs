//! The rules of each resource on import: where a record belongs (municipality and owner follow
//! its references, as in the REST API), the domain's own validation of the new-record types
//! (`*New` with their `validator` rules), the cross-record rules, and the activity links.

mod checks;
mod derive;

pub use checks::{subject, validate};
pub use derive::derive;

use serde_json::Value;

use crate::transfer::import::cells::Val;
use crate::transfer::import::rows::{miss_message, Ctx, Row};
use crate::transfer::import::write::Links;
use crate::transfer::load::{opt, text, Rec, Store};
use crate::transfer::model::Resource;

/// The values a new record gets when its cell is empty (as the REST API's create does).
pub fn defaults(resource: &str) -> &'static [(&'static str, Value)] {
    use std::sync::OnceLock;
    type Defaults = Vec<(&'static str, Vec<(&'static str, Value)>)>;
    static TABLE: OnceLock<Defaults> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let t = |v: &str| Value::from(v);
        vec![
            ("objects", vec![("status", t("active"))]),
            (
                "systems",
                vec![
                    ("lifecycle_status", t("operational")),
                    ("personal_data", false.into()),
                    ("automated_decisions", false.into()),
                ],
            ),
            ("role-types", vec![("required", false.into())]),
            ("plans", vec![("status", t("draft"))]),
            ("budget-lines", vec![("period", t("year"))]),
            ("roadmaps", vec![("status", t("draft"))]),
            ("roadmap-goals", vec![("status", t("not_started"))]),
            (
                "activities",
                vec![("phase", t("idea")), ("municipality_wide", false.into())],
            ),
            ("documentation-items", vec![("status", t("missing"))]),
            ("risks", vec![("status", t("open"))]),
            ("audit-actions", vec![("status", t("planned"))]),
        ]
    });
    table
        .iter()
        .find(|(r, _)| *r == resource)
        .map(|(_, v)| v.as_slice())
        .unwrap_or(&[])
}

/// Links of an activity (focus areas, co-funding): resolved, checked, and whether they changed.
pub fn links(
    ctx: &Ctx<'_>,
    r: &Resource,
    rec: &Rec,
    row: &mut Row<'_>,
    store: &Store,
) -> Option<(Links, bool)> {
    if r.key != "activities" {
        return None;
    }
    let id = text(rec, "id");
    let municipality = opt(rec, "municipality_id");
    let mut old = Links {
        focus: store.focus.get(id).cloned().unwrap_or_default(),
        funding: store.funding.get(id).cloned().unwrap_or_default(),
    };
    old.focus.sort();
    old.funding.sort();
    let mut new = old.clone();
    if let Some(Val::Keys(keys)) = row.vals.get("focus_areas").cloned() {
        new.focus.clear();
        for k in &keys {
            match ctx
                .keys
                .index("focus-areas")
                .map(|i| i.resolve(k, municipality))
            {
                Some(Ok(e)) if !new.focus.contains(&e.id) => new.focus.push(e.id.clone()),
                Some(Ok(_)) => {}
                Some(Err(miss)) => row.err("focus_areas", miss_message("focus-areas", k, miss)),
                None => {}
            }
        }
        new.focus.sort();
    }
    if let Some(Val::Shares(shares)) = row.vals.get("co_funding").cloned() {
        new.funding.clear();
        for (k, amount) in &shares {
            match ctx
                .keys
                .index("organisations")
                .map(|i| i.resolve(k, municipality))
            {
                Some(Ok(e)) => new.funding.push((e.id.clone(), *amount)),
                Some(Err(miss)) => row.err("co_funding", miss_message("organisations", k, miss)),
                None => {}
            }
        }
        new.funding.sort();
    }
    if !new.funding.is_empty() {
        let sum: i64 = new.funding.iter().map(|(_, a)| a).sum();
        match rec.get("planned_budget").and_then(Value::as_i64) {
            None => row.err("co_funding", "needs a planned_budget to share"),
            Some(planned) if planned != sum => row.err(
                "co_funding",
                format!("the shares add up to {sum} SEK but planned_budget is {planned} SEK"),
            ),
            Some(_) => {}
        }
        let mut orgs: Vec<&String> = new.funding.iter().map(|(o, _)| o).collect();
        orgs.dedup();
        if orgs.len() != new.funding.len() {
            row.err("co_funding", "name each organisation once");
        }
    }
    let changed = row.existing.is_none() || new != old;
    Some((new, changed))
}

/// The phase transition an activity row records: on creation, and when its phase changes.
pub fn transition(
    r: &Resource,
    rec: &Rec,
    before: Option<&Rec>,
) -> Option<(Option<String>, String)> {
    if r.key != "activities" {
        return None;
    }
    let to = text(rec, "phase").to_owned();
    match before {
        None => Some((None, to)),
        Some(b) if text(b, "phase") != to => Some((Some(text(b, "phase").to_owned()), to)),
        Some(_) => None,
    }
}
