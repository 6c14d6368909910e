//! Creating, editing and deleting decisions through the API.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{decision_subjects, decisions, plans, roadmaps};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, time};
use crate::error::ApiError;

use super::record::{apply_escalation, check_external_id, check_rules, save_subjects};
use super::{get, record, subject, with_subjects, Decision, DecisionNew, DecisionPatch};

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: DecisionNew,
) -> Result<Decision, ApiError> {
    record(conn, principal, input)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: DecisionPatch,
) -> Result<Decision, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.decided_on {
        after.row.decided_on = v;
    }
    if let Some(v) = patch.body {
        after.row.body = v;
    }
    if let Some(v) = patch.diarienummer {
        after.row.diarienummer = clean(v);
    }
    if let Some(v) = patch.summary {
        after.row.summary = v.trim().to_owned();
    }
    if let Some(v) = patch.outcome {
        after.row.outcome = v;
    }
    if let Some(v) = patch.subjects {
        after.subjects = v;
    }
    if let Some(v) = patch.external_id {
        after.row.external_id = clean(v);
    }
    check_rules(
        conn,
        &after.row.municipality_id,
        after.row.kind,
        after.row.outcome,
        &after.subjects,
    )?;
    check_external_id(conn, &after.row)?;
    after.row.version = before.row.version + 1;
    after.row.modified_at = time::now();
    let n = diesel::update(
        decisions::table
            .filter(decisions::id.eq(&before.row.id))
            .filter(decisions::version.eq(before.row.version)),
    )
    .set(&after.row)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    save_subjects(conn, &after.row.id, &after.subjects)?;
    let after = with_subjects(conn, after.row)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(&before),
        Some(&after),
    )?;
    if before.row.outcome != after.row.outcome || before.subjects != after.subjects {
        apply_escalation(conn, principal, &after)?;
    }
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let decision = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != decision.row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let adopting_plans: i64 = plans::table
        .filter(plans::decision_id.eq(&decision.row.id))
        .count()
        .get_result(conn)?;
    let adopting_roadmaps: i64 = roadmaps::table
        .filter(roadmaps::decision_id.eq(&decision.row.id))
        .count()
        .get_result(conn)?;
    if adopting_plans + adopting_roadmaps > 0 {
        return Err(ApiError::Conflict(format!(
            "decision {} adopted {adopting_plans} plan(s) and {adopting_roadmaps} roadmap(s); it cannot be deleted",
            decision.row.id
        )));
    }
    diesel::delete(
        decision_subjects::table.filter(decision_subjects::decision_id.eq(&decision.row.id)),
    )
    .execute(conn)?;
    diesel::delete(decisions::table.filter(decisions::id.eq(&decision.row.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&decision),
        Some(&decision),
        None,
    )?;
    Ok(())
}
