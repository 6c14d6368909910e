//! Creating, editing and deleting plans, with the one-plan-per-object-and-year rule.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{activities, budget_lines, plans};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, objects, scope, time};
use crate::error::ApiError;

use super::{ensure_open, get, subject, Plan, PlanNew, PlanPatch, PlanStatus};

fn check_unique(conn: &mut DbConnection, p: &Plan) -> Result<(), ApiError> {
    let same_year: i64 = plans::table
        .filter(plans::object_id.eq(&p.object_id))
        .filter(plans::year.eq(p.year))
        .filter(plans::id.ne(&p.id))
        .count()
        .get_result(conn)?;
    if same_year > 0 {
        return Err(ApiError::Conflict(format!(
            "object {} already has a plan for {}; there is one plan per object and year",
            p.object_id, p.year
        )));
    }
    if let Some(ext) = &p.external_id {
        let taken: i64 = plans::table
            .filter(plans::municipality_id.eq(&p.municipality_id))
            .filter(plans::external_id.eq(ext))
            .filter(plans::id.ne(&p.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another plan in this municipality"
            )));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: PlanNew,
) -> Result<Plan, ApiError> {
    let object = objects::find(conn, &input.object_id)
        .map_err(|_| ApiError::field("object_id", "no such object"))?;
    scope::check(conn, principal, &object.organisation_id)?;
    let now = time::now();
    let plan = Plan {
        id: new_id(),
        municipality_id: object.municipality_id,
        organisation_id: object.organisation_id,
        object_id: object.id,
        year: input.year,
        status: PlanStatus::Draft,
        summary: clean(input.summary),
        decision_id: None,
        adopted_on: None,
        risk_analysis_date: input.risk_analysis_date,
        risk_analysis_summary: clean(input.risk_analysis_summary),
        risk_analysis_url: clean(input.risk_analysis_url),
        reopened_reason: None,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_unique(conn, &plan)?;
    diesel::insert_into(plans::table)
        .values(&plan)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&plan),
        None,
        Some(&plan),
    )?;
    Ok(plan)
}

/// Writes `after` over `before` (version-checked) and records the change.
pub(super) fn save(
    conn: &mut DbConnection,
    principal: &Principal,
    before: &Plan,
    mut after: Plan,
) -> Result<Plan, ApiError> {
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        plans::table
            .filter(plans::id.eq(&before.id))
            .filter(plans::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(None));
    }
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(before),
        Some(&after),
    )?;
    Ok(after)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: PlanPatch,
) -> Result<Plan, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.summary {
        ensure_open(&before)?;
        after.summary = clean(v);
    }
    if let Some(v) = patch.risk_analysis_date {
        after.risk_analysis_date = v;
    }
    if let Some(v) = patch.risk_analysis_summary {
        after.risk_analysis_summary = clean(v);
    }
    if let Some(v) = patch.risk_analysis_url {
        after.risk_analysis_url = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_unique(conn, &after)?;
    save(conn, principal, &before, after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let plan = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != plan.version) {
        return Err(ApiError::PreconditionFailed);
    }
    ensure_open(&plan)?;
    let lines: i64 = budget_lines::table
        .filter(budget_lines::plan_id.eq(&plan.id))
        .count()
        .get_result(conn)?;
    let acts: i64 = activities::table
        .filter(activities::plan_id.eq(&plan.id))
        .count()
        .get_result(conn)?;
    if lines + acts > 0 {
        return Err(ApiError::Conflict(format!(
            "plan {} still has {lines} budget line(s) and {acts} activit(y/ies); delete or move them first",
            plan.id
        )));
    }
    diesel::delete(plans::table.filter(plans::id.eq(&plan.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&plan),
        Some(&plan),
        None,
    )?;
    Ok(())
}
