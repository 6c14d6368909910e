//! Where an imported record belongs: municipality and owner follow its references, plus each resource's derived fields.

use serde_json::Value;

use crate::domain;
use crate::transfer::import::cells::Val;
use crate::transfer::import::rows::{Ctx, Row};
use crate::transfer::keys::Entry;
use crate::transfer::load::{opt, text, Rec};
use crate::transfer::model::Resource;

use super::checks::{external_id_unique, scope};

pub(super) fn set(rec: &mut Rec, field: &str, value: Option<&str>) {
    rec.insert(field.into(), value.map(Value::from).unwrap_or(Value::Null));
}

/// Sets municipality and owner from the entry a record belongs to.
fn owned_by(rec: &mut Rec, owner: &Entry) {
    set(rec, "municipality_id", owner.municipality.as_deref());
    set(rec, "organisation_id", owner.organisation.as_deref());
}

fn year_of(rec: &Rec) -> Option<i64> {
    rec.get("year").and_then(Value::as_i64)
}

/// Fills in what follows from the references and checks the cross-record rules.
pub fn derive(ctx: &mut Ctx<'_>, r: &Resource, rec: &mut Rec, row: &mut Row<'_>) {
    for (sort, field) in [("name_sort", "name"), ("title_sort", "title")] {
        if r.has_db(sort) {
            let key = domain::text::sort_key(text(rec, field));
            rec.insert(sort.into(), key.into());
        }
    }
    let owner = |row: &Row<'_>, col: &str| row.refs.get(col).cloned();
    match r.key {
        "organisations" => organisation(ctx, rec, row),
        "focus-areas" | "phase-rules" | "role-types" => {
            if let Some(m) = owner(row, "municipality") {
                if m.municipality.as_deref() != Some(m.id.as_str()) {
                    row.err(
                        "municipality",
                        "must be a municipality (an organisation of kind municipality)",
                    );
                }
            }
        }
        "people" | "objects" | "decisions" | "roadmaps" | "audit-findings" => {
            if let Some(o) = owner(row, "organisation") {
                owned_by(rec, &o);
            }
        }
        "systems" | "plans" => {
            if let Some(o) = owner(row, "object") {
                owned_by(rec, &o);
            }
        }
        "roadmap-goals" => {
            if let Some(o) = owner(row, "roadmap") {
                owned_by(rec, &o);
            }
        }
        "documentation-items" | "benefits" => {
            if let Some(o) = owner(row, "activity") {
                owned_by(rec, &o);
            }
        }
        "benefit-follow-ups" => {
            if let Some(o) = owner(row, "benefit") {
                owned_by(rec, &o);
            }
        }
        "role-assignments" => role_assignment(ctx, rec, row),
        "budget-lines" => {
            if let Some(plan) = plan_of(ctx, rec, row, "object") {
                set(rec, "plan_id", Some(&plan.id));
                owned_by(rec, &plan);
            }
        }
        "activities" => activity(ctx, rec, row),
        "risks" => {
            match (
                owner(row, "object").or_else(|| target_kept(ctx, rec, "objects", "object_id")),
                owner(row, "activity")
                    .or_else(|| target_kept(ctx, rec, "activities", "activity_id")),
            ) {
                (Some(o), None) | (None, Some(o)) => owned_by(rec, &o),
                _ => {
                    row.err("object", "give exactly one of object and activity");
                    row.err("activity", "give exactly one of object and activity");
                }
            }
            let p = rec.get("probability").and_then(Value::as_i64).unwrap_or(0);
            let c = rec.get("consequence").and_then(Value::as_i64).unwrap_or(0);
            rec.insert("score".into(), (p * c).into());
            dates_in_order(rec, row, "identified_on", "review_date");
        }
        "audit-actions" => {
            if let Some(f) = owner(row, "finding") {
                set(rec, "municipality_id", f.municipality.as_deref());
                let given = opt(rec, "organisation_id").is_some();
                if !given {
                    set(rec, "organisation_id", f.organisation.as_deref());
                }
            }
        }
        _ => {}
    }
    if r.key == "roadmaps" {
        let from = rec.get("from_year").and_then(Value::as_i64);
        let to = rec.get("to_year").and_then(Value::as_i64);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                row.err("to_year", "must not be before from_year");
            }
        }
    }
    scope(ctx, r, rec, row);
    external_id_unique(ctx, r, rec, row);
}

/// A record of `resource` the row keeps (its column absent) — its entry, for ownership.
fn target_kept(ctx: &Ctx<'_>, rec: &Rec, resource: &str, field: &str) -> Option<Entry> {
    let id = opt(rec, field)?;
    ctx.keys.index(resource)?.by_id.get(id).cloned()
}

fn dates_in_order(rec: &Rec, row: &mut Row<'_>, from: &str, to: &str) {
    if let (Some(a), Some(b)) = (opt(rec, from), opt(rec, to)) {
        // ISO dates compare as text.
        if b < a {
            row.err(to, format!("must not be before {from}"));
        }
    }
}

fn organisation(ctx: &mut Ctx<'_>, rec: &mut Rec, row: &mut Row<'_>) {
    let id = text(rec, "id").to_owned();
    let root = text(rec, "kind") == "municipality";
    if let Some(before) = row.existing {
        if (text(before, "kind") == "municipality") != root {
            row.err(
                "kind",
                "a municipality cannot become another kind, nor the reverse",
            );
        }
    }
    match (root, row.refs.get("parent").cloned()) {
        (true, None) => {
            if opt(rec, "parent_id").is_some() {
                row.err("parent", "a municipality is a root and has no parent");
            }
            set(rec, "municipality_id", Some(&id));
            if row.existing.is_none() && !ctx.principal.is_unrestricted() {
                row.err(
                    "kind",
                    "only an admin without org claims may create a municipality",
                );
            }
        }
        (true, Some(_)) => row.err("parent", "a municipality is a root and has no parent"),
        (false, None) => {
            if opt(rec, "parent_id").is_none() {
                row.err("parent", "is required for every kind but municipality");
            }
        }
        (false, Some(parent)) => {
            if let Some(before) = row.existing {
                if parent.municipality.as_deref() != opt(before, "municipality_id") {
                    row.err("parent", "must be in the same municipality");
                }
            }
            set(rec, "municipality_id", parent.municipality.as_deref());
            // No cycles: the new parent must not lie below the organisation itself.
            let mut at = Some(parent.id.clone());
            let mut steps = 0;
            while let Some(p) = at {
                if p == id {
                    row.err(
                        "parent",
                        "cannot move an organisation under itself or its own descendants",
                    );
                    break;
                }
                steps += 1;
                if steps > 10_000 {
                    break;
                }
                at = ctx.org_parent.get(&p).cloned().flatten();
            }
        }
    }
}

fn role_assignment(ctx: &Ctx<'_>, rec: &mut Rec, row: &mut Row<'_>) {
    let object = row
        .refs
        .get("object")
        .cloned()
        .or_else(|| target_kept(ctx, rec, "objects", "object_id"));
    let system = row
        .refs
        .get("system")
        .cloned()
        .or_else(|| target_kept(ctx, rec, "systems", "system_id"));
    let (target, kind) = match (object, system) {
        (Some(o), None) => (o, "object"),
        (None, Some(s)) => (s, "system"),
        _ => {
            row.err("object", "give exactly one of object and system");
            row.err("system", "give exactly one of object and system");
            return;
        }
    };
    owned_by(rec, &target);
    if let Some(applies) = ctx.role_targets.get(text(rec, "role_type_id")) {
        if applies != kind {
            row.err(
                "role_type",
                format!("the role type is held on {applies}s, not on {kind}s"),
            );
        }
    }
    dates_in_order(rec, row, "valid_from", "valid_to");
}

/// The plan named by the object column and the year.
fn plan_of(ctx: &Ctx<'_>, rec: &Rec, row: &mut Row<'_>, col: &str) -> Option<Entry> {
    let object = row.refs.get(col)?.id.clone();
    let year = match row.vals.get("year") {
        Some(Val::Int(y)) => *y,
        _ => year_of(rec)?,
    };
    let plan = ctx
        .keys
        .plans
        .get(&(object.clone(), year))
        .and_then(|id| ctx.keys.index("plans").and_then(|i| i.by_id.get(id)))
        .cloned();
    if plan.is_none() {
        let key = row
            .vals
            .get(col)
            .and_then(|v| v.text())
            .unwrap_or_default()
            .to_owned();
        row.err(
            col,
            format!("object {key:?} has no plan for {year}; add it to the plans sheet"),
        );
    }
    plan
}

fn activity(ctx: &Ctx<'_>, rec: &mut Rec, row: &mut Row<'_>) {
    let in_plan = if row.has("object") {
        row.refs.contains_key("object")
    } else {
        opt(rec, "plan_id").is_some()
    };
    if in_plan && row.has("object") {
        if let Some(plan) = plan_of(ctx, rec, row, "object") {
            if let Some(org) = row.refs.get("organisation") {
                if plan.organisation.as_deref() != Some(org.id.as_str()) {
                    row.err(
                        "organisation",
                        "an activity in a plan belongs to the plan's organisation; leave it empty",
                    );
                }
            }
            set(rec, "plan_id", Some(&plan.id));
            set(rec, "object_id", Some(row.refs["object"].id.as_str()));
            owned_by(rec, &plan);
        }
    } else if !in_plan {
        set(rec, "plan_id", None);
        set(rec, "object_id", None);
        match row.refs.get("organisation").cloned() {
            Some(o) => owned_by(rec, &o),
            None if row.existing.is_some() && !row.has("organisation") => {}
            None => row.err("organisation", "give object + year for an activity in a plan, or organisation for one outside plans"),
        }
    }
    dates_in_order(rec, row, "start_date", "end_date");
}
