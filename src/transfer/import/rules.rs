//! The rules of each resource on import: where a record belongs (municipality and owner follow
//! its references, as in the REST API), the domain's own validation of the new-record types
//! (`*New` with their `validator` rules), the cross-record rules, and the activity links.

use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::Validate;

use crate::domain;
use crate::transfer::import::cells::Val;
use crate::transfer::import::rows::{miss_message, Ctx, Row};
use crate::transfer::import::write::{Links, Op};
use crate::transfer::keys::Entry;
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

fn set(rec: &mut Rec, field: &str, value: Option<&str>) {
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

/// The caller may only write records in their organisations' subtrees.
fn scope(ctx: &Ctx<'_>, r: &Resource, rec: &Rec, row: &mut Row<'_>) {
    if ctx.vis.orgs.is_none() {
        return;
    }
    let (column, ok) = match r.key {
        "organisations" => (
            "parent",
            opt(rec, "parent_id").is_some_and(|p| ctx.vis.org(p))
                && row.existing.is_none_or(|e| ctx.vis.org(text(e, "id"))),
        ),
        "focus-areas" | "phase-rules" | "role-types" => (
            "municipality",
            opt(rec, "municipality_id").is_some_and(|m| ctx.vis.municipality(m)),
        ),
        _ => (
            "organisation",
            opt(rec, "organisation_id").is_none_or(|o| ctx.vis.org(o))
                && row
                    .existing
                    .is_none_or(|e| ctx.vis.org(text(e, "organisation_id"))),
        ),
    };
    if !ok {
        let column = if r.column(column).is_some() {
            column
        } else {
            ""
        };
        row.err(
            column,
            "the record lies outside the organisations your token may write",
        );
    }
}

fn external_id_unique(ctx: &Ctx<'_>, r: &Resource, rec: &Rec, row: &mut Row<'_>) {
    let (Some(ext), Some(index)) = (opt(rec, "external_id"), ctx.keys.index(r.key)) else {
        return;
    };
    let id = text(rec, "id");
    let m = opt(rec, "municipality_id");
    if index
        .holders(ext)
        .iter()
        .any(|e| e.id != id && e.municipality.as_deref() == m)
    {
        row.err(
            "external_id",
            format!(
                "{ext:?} is already used by another {} record in this municipality",
                r.key
            ),
        );
    }
}

/// The domain's validation of a new record of this kind, on the record as the import would
/// write it: the same `validator` rules as `POST` in the REST API.
pub fn validate(_ctx: &Ctx<'_>, r: &Resource, rec: &Rec, row: &mut Row<'_>) {
    use domain::*;
    let errors = match r.key {
        "organisations" => check::<organisations::OrganisationNew>(rec),
        "focus-areas" => check::<focus_areas::FocusAreaNew>(rec),
        "phase-rules" => check::<phase_rules::PhaseRuleNew>(rec),
        "role-types" => check::<role_types::RoleTypeNew>(rec),
        "people" => check::<people::PersonNew>(rec),
        "objects" => check::<objects::ObjectNew>(rec),
        "systems" => check::<systems::SystemNew>(rec),
        "role-assignments" => check::<role_assignments::RoleAssignmentNew>(rec),
        "decisions" => {
            let mut with = rec.clone();
            with.insert("subjects".into(), Value::Array(Vec::new()));
            check::<decisions::DecisionNew>(&with)
        }
        "plans" => check::<plans::PlanNew>(rec),
        "budget-lines" => check::<budget_lines::BudgetLineNew>(rec),
        "roadmaps" => check::<roadmaps::RoadmapNew>(rec),
        "roadmap-goals" => check::<roadmap_goals::RoadmapGoalNew>(rec),
        "activities" => check::<activities::ActivityNew>(rec),
        "documentation-items" => {
            let mut errors = check::<documentation_items::DocumentationItemNew>(rec);
            if text(rec, "status") == "not_applicable" && opt(rec, "reason").is_none() {
                errors.push((
                    "reason".into(),
                    "is required when status is not_applicable".into(),
                ));
            }
            errors
        }
        "benefits" => check::<benefits::BenefitNew>(rec),
        "benefit-follow-ups" => check::<benefit_follow_ups::BenefitFollowUpNew>(rec),
        "risks" => check::<risks::RiskNew>(rec),
        "audit-findings" => check::<audit_findings::AuditFindingNew>(rec),
        "audit-actions" => check::<audit_actions::AuditActionNew>(rec),
        _ => Vec::new(),
    };
    for (field, message) in errors {
        let column = r
            .column_of_field(&field)
            .map(|c| c.key.to_owned())
            .unwrap_or_else(|| match field.as_str() {
                "plan_id" => "object".to_owned(),
                f => f.trim_end_matches("_id").to_owned(),
            });
        row.err(&column, message);
    }
}

fn check<T: DeserializeOwned + Validate>(rec: &Rec) -> Vec<(String, String)> {
    let value = Value::Object(rec.clone());
    match serde_path_to_error::deserialize::<_, T>(value) {
        Err(e) => vec![(e.path().to_string(), e.inner().to_string())],
        Ok(input) => match input.validate() {
            Ok(()) => Vec::new(),
            Err(errors) => crate::api::extract::flatten_validation(&errors)
                .into_iter()
                .map(|f| (f.field, f.message))
                .collect(),
        },
    }
}

/// A decision-subjects row: links a decision to a record of the same municipality.
pub fn subject(ctx: &mut Ctx<'_>, row: &mut Row<'_>) -> Result<Option<Op>, ()> {
    let Some(decision) = row.refs.get("decision").cloned() else {
        return Err(());
    };
    let resource = row
        .vals
        .get("resource")
        .and_then(|v| v.text())
        .unwrap_or_default()
        .to_owned();
    let key = row
        .vals
        .get("record")
        .and_then(|v| v.text())
        .unwrap_or_default()
        .to_owned();
    let m = decision.municipality.as_deref();
    let target = match (resource.as_str(), key.rsplit_once('/')) {
        ("plans", Some((object, year)))
            if ctx
                .keys
                .index("plans")
                .is_some_and(|i| i.resolve(&key, m).is_err()) =>
        {
            let object = ctx
                .keys
                .index("objects")
                .and_then(|i| i.resolve(object, m).ok())
                .map(|e| e.id.clone());
            let year: Option<i64> = year.trim().parse().ok();
            object
                .zip(year)
                .and_then(|k| ctx.keys.plans.get(&k).cloned())
                .ok_or(crate::transfer::keys::Miss::NotFound)
        }
        _ => match ctx.keys.index(&resource).map(|i| i.resolve(&key, m)) {
            Some(Ok(e)) => Ok(e.id.clone()),
            Some(Err(miss)) => Err(miss),
            None => Err(crate::transfer::keys::Miss::NotFound),
        },
    };
    let record = match target {
        Ok(id) => id,
        Err(miss) => {
            row.err("record", miss_message(&resource, &key, miss));
            return Err(());
        }
    };
    if !decision
        .organisation
        .as_deref()
        .is_none_or(|o| ctx.vis.org(o))
    {
        row.err(
            "decision",
            "the decision lies outside the organisations your token may write",
        );
        return Err(());
    }
    let natural = format!("{}\u{1f}{resource}\u{1f}{record}", decision.id);
    if ctx.subject_known(&natural) {
        return Ok(None);
    }
    ctx.add_subject(natural, decision.id.clone());
    let mut after = Rec::new();
    set(&mut after, "decision_id", Some(&decision.id));
    set(&mut after, "resource", Some(&resource));
    set(&mut after, "record_id", Some(&record));
    set(&mut after, "municipality_id", m);
    set(
        &mut after,
        "organisation_id",
        decision.organisation.as_deref(),
    );
    Ok(Some(Op {
        resource: crate::transfer::model::resource_by_name("decision-subjects").ok_or(())?,
        action: crate::domain::changes::ChangeAction::Create,
        before: None,
        after,
        links: None,
        transition: None,
        moved: false,
    }))
}
