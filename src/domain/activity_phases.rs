//! Phase transitions: an activity enters a phase only when the municipality's phase rules are
//! met; an admin may override with a reason, which is recorded and reportable.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::{Principal, Role};
use crate::db::schema::{activities, documentation_items, phase_transitions};
use crate::db::DbConnection;
use crate::domain::activities::{get, get_row, with_links, Activity, ActivityRow, Phase};
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::documentation_items::DocumentationStatus;
use crate::domain::phase_rules::{requirements_for, Requirement};
use crate::domain::{new_id, time};
use crate::error::{ApiError, FieldError};

/// A request to move an activity to another phase.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to": "in_progress"}))]
pub struct TransitionNew {
    pub to: Phase,
    /// Admins only: proceed although rules are unmet; the reason and what was missing are kept.
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub override_reason: Option<String>,
}

/// A recorded phase change.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = phase_transitions)]
#[schema(example = json!({
    "id": "0193a0c4-eeee-7c1e-9a1b-2f3c4d5e6f70", "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "activity_id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70",
    "from_phase": "planned", "to_phase": "in_progress", "at": "2026-02-01T08:00:00.000000Z", "actor": "admin",
    "override_reason": "Akut säkerhetsuppdatering; nyttokalkyl tas fram i efterhand.", "missing": "[\"documentation_items.benefit_calculation\"]"
}))]
pub struct PhaseTransition {
    pub id: String,
    pub municipality_id: String,
    pub organisation_id: String,
    pub activity_id: String,
    /// Null for the phase the activity was created in.
    pub from_phase: Option<String>,
    pub to_phase: String,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    pub actor: String,
    /// Set when an admin overrode unmet rules.
    pub override_reason: Option<String>,
    /// JSON array of the requirements that were unmet (overrides only).
    pub missing: Option<String>,
}

/// One requirement for a phase and whether the activity meets it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequirementCheck {
    pub requirement: Requirement,
    /// The field the requirement reads (as named in a 422), e.g. `documentation_items.risk_analysis`.
    pub field: String,
    pub met: bool,
}

/// What entering a phase needs.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"phase": "in_progress", "ready": false, "requirements": [{"requirement": "purpose_and_goals", "field": "purpose_and_goals", "met": true}, {"requirement": "benefit_calculation", "field": "documentation_items.benefit_calculation", "met": false}]}))]
pub struct Readiness {
    pub phase: Phase,
    pub ready: bool,
    pub requirements: Vec<RequirementCheck>,
}

/// `?phase=` of the readiness check.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadinessQuery {
    pub phase: Phase,
}

fn field_of(r: Requirement) -> String {
    match r {
        Requirement::PurposeAndGoals => "purpose_and_goals".into(),
        Requirement::PlannedBudget => "planned_budget".into(),
        Requirement::TimeFrame => "time_frame".into(),
        Requirement::ResponsiblePerson => "responsible_person_id".into(),
        Requirement::Prioritisation => "prioritisation".into(),
        doc => format!("documentation_items.{}", doc.as_str()),
    }
}

fn explain(r: Requirement) -> &'static str {
    match r {
        Requirement::PurposeAndGoals => "purpose and goals must be described",
        Requirement::PlannedBudget => "a planned budget must be set",
        Requirement::TimeFrame => "start_date and end_date must be set",
        Requirement::ResponsiblePerson => "a responsible person must be named",
        Requirement::Prioritisation => "expected_benefit and complexity must be rated",
        _ => "the documentation item must be done (or marked not applicable with a reason)",
    }
}

/// Checks each requirement for entering `target` against the activity as it is now.
pub fn check(
    conn: &mut DbConnection,
    a: &ActivityRow,
    target: Phase,
) -> QueryResult<Vec<RequirementCheck>> {
    let required = requirements_for(conn, &a.municipality_id, target)?;
    let settled: Vec<String> = documentation_items::table
        .filter(documentation_items::activity_id.eq(&a.id))
        .filter(documentation_items::status.eq_any([
            DocumentationStatus::Done,
            DocumentationStatus::NotApplicable,
        ]))
        .select(documentation_items::kind)
        .load(conn)?;
    Ok(required
        .into_iter()
        .map(|r| {
            let met = match r {
                Requirement::PurposeAndGoals => a
                    .purpose_and_goals
                    .as_deref()
                    .is_some_and(|t| !t.trim().is_empty()),
                Requirement::PlannedBudget => a.planned_budget.is_some(),
                Requirement::TimeFrame => a.start_date.is_some() && a.end_date.is_some(),
                Requirement::ResponsiblePerson => a.responsible_person_id.is_some(),
                Requirement::Prioritisation => {
                    a.expected_benefit.is_some() && a.complexity.is_some()
                }
                doc => settled.iter().any(|k| k == doc.as_str()),
            };
            RequirementCheck {
                requirement: r,
                field: field_of(r),
                met,
            }
        })
        .collect())
}

pub fn readiness(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    phase: Phase,
) -> Result<Readiness, ApiError> {
    let a = get_row(conn, principal, id)?;
    let requirements = check(conn, &a, phase)?;
    Ok(Readiness {
        phase,
        ready: requirements.iter().all(|r| r.met),
        requirements,
    })
}

pub fn record_transition(
    conn: &mut DbConnection,
    principal: &Principal,
    a: &ActivityRow,
    from: Option<Phase>,
    to: Phase,
    override_reason: Option<String>,
    missing: &[String],
) -> Result<(), ApiError> {
    let row = PhaseTransition {
        id: new_id(),
        municipality_id: a.municipality_id.clone(),
        organisation_id: a.organisation_id.clone(),
        activity_id: a.id.clone(),
        from_phase: from.map(|p| p.as_str().to_owned()),
        to_phase: to.as_str().to_owned(),
        at: time::now(),
        actor: principal.subject.clone(),
        override_reason,
        missing: if missing.is_empty() {
            None
        } else {
            Some(serde_json::to_string(missing).map_err(ApiError::internal)?)
        },
    };
    diesel::insert_into(phase_transitions::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// Moves an activity to `to` if the rules allow (or an admin overrides with a reason).
pub fn transition(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    to: Phase,
    override_reason: Option<String>,
) -> Result<Activity, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.row.phase == to {
        return Err(ApiError::Conflict(format!(
            "activity {} is already {}",
            before.row.id, to
        )));
    }
    let unmet: Vec<RequirementCheck> = check(conn, &before.row, to)?
        .into_iter()
        .filter(|r| !r.met)
        .collect();
    let reason = override_reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    if !unmet.is_empty() {
        match &reason {
            None => {
                return Err(ApiError::Validation(
                    unmet
                        .iter()
                        .map(|r| {
                            FieldError::new(
                                r.field.clone(),
                                format!("required before {}: {}", to, explain(r.requirement)),
                            )
                        })
                        .collect(),
                ))
            }
            Some(_) => principal.require(Role::Admin).map_err(|_| {
                ApiError::Forbidden("only an admin may override unmet phase rules".to_owned())
            })?,
        }
    }
    let missing: Vec<String> = unmet.iter().map(|r| r.field.clone()).collect();
    let mut after = before.row.clone();
    after.phase = to;
    after.phase_changed_at = Some(time::now());
    after.version = before.row.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        activities::table
            .filter(activities::id.eq(&after.id))
            .filter(activities::version.eq(before.row.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    let kept_reason = if unmet.is_empty() { None } else { reason };
    record_transition(
        conn,
        principal,
        &after,
        Some(before.row.phase),
        to,
        kept_reason,
        &missing,
    )?;
    let after = with_links(conn, vec![after])?
        .pop()
        .ok_or_else(|| ApiError::internal("activity vanished"))?;
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        Subject {
            resource: crate::domain::activities::RESOURCE,
            record_id: &after.row.id,
            municipality_id: Some(&after.row.municipality_id),
            organisation_id: Some(&after.row.organisation_id),
        },
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// The phase history of one activity, oldest first.
pub fn history(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Vec<PhaseTransition>, ApiError> {
    let a = get_row(conn, principal, id)?;
    Ok(phase_transitions::table
        .filter(phase_transitions::activity_id.eq(&a.id))
        .order((phase_transitions::at.asc(), phase_transitions::id.asc()))
        .select(PhaseTransition::as_select())
        .load(conn)?)
}
