//! A plan's lifecycle after drafting: adoption by a decision, reopening by an admin, closing.

use crate::auth::{Principal, Role};
use crate::db::DbConnection;
use crate::domain::decisions::{
    self, DecisionKind, DecisionNew, DecisionOutcome, DecisionSubject, SubjectKind,
};
use crate::error::ApiError;

use super::write::save;
use super::{get, AdoptionNew, Plan, PlanStatus, ReopenNew};

/// Adopts a draft plan: records the decision and locks the planned figures.
pub fn adopt(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    input: AdoptionNew,
) -> Result<Plan, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status != PlanStatus::Draft {
        return Err(ApiError::Conflict(format!(
            "plan {} is already {}",
            before.id, before.status
        )));
    }
    let decision = decisions::record(
        conn,
        principal,
        DecisionNew {
            organisation_id: before.organisation_id.clone(),
            decided_on: input.decided_on,
            body: input.body,
            diarienummer: input.diarienummer,
            summary: input.summary,
            kind: DecisionKind::Adoption,
            outcome: Some(DecisionOutcome::Approved),
            subjects: vec![DecisionSubject {
                resource: SubjectKind::Plan,
                record_id: before.id.clone(),
            }],
            external_id: None,
        },
    )?;
    let mut after = before.clone();
    after.status = PlanStatus::Adopted;
    after.decision_id = Some(decision.row.id.clone());
    after.adopted_on = Some(input.decided_on);
    save(conn, principal, &before, after)
}

/// Reopens an adopted or closed plan (admins only), recording why.
pub fn reopen(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    input: ReopenNew,
) -> Result<Plan, ApiError> {
    principal.require_write(Role::Admin)?;
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status == PlanStatus::Draft {
        return Err(ApiError::Conflict(format!(
            "plan {} is a draft; there is nothing to reopen",
            before.id
        )));
    }
    let mut after = before.clone();
    after.status = PlanStatus::Draft;
    after.reopened_reason = Some(input.reason.trim().to_owned());
    save(conn, principal, &before, after)
}

/// Closes an adopted plan after the year's follow-up.
pub fn close(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<Plan, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status != PlanStatus::Adopted {
        return Err(ApiError::Conflict(format!(
            "only an adopted plan can be closed; plan {} is {}",
            before.id, before.status
        )));
    }
    let mut after = before.clone();
    after.status = PlanStatus::Closed;
    save(conn, principal, &before, after)
}
