//! The checks an imported record must pass: scope, external_id uniqueness, the `*New` validator rules, and decision subjects.

use serde::de::DeserializeOwned;
use serde_json::Value;
use validator::Validate;

use crate::domain;
use crate::transfer::import::rows::{miss_message, Ctx, Row};
use crate::transfer::import::write::Op;
use crate::transfer::load::{opt, text, Rec};
use crate::transfer::model::Resource;

use super::derive::set;

/// The caller may only write records in their organisations' subtrees.
pub(super) fn scope(ctx: &Ctx<'_>, r: &Resource, rec: &Rec, row: &mut Row<'_>) {
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

pub(super) fn external_id_unique(ctx: &Ctx<'_>, r: &Resource, rec: &Rec, row: &mut Row<'_>) {
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
