//! `/activities`: aktiviteter, initiativ och projekt, plus phase transitions under the phase rules.

use actix_web::{get, post, web, HttpResponse};

use crate::api::extract::{with_etag, IfMatch, ValidJson};
use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::domain::activities::Activity;
use crate::domain::activity_phases::{
    self as phases, PhaseTransition, Readiness, ReadinessQuery, TransitionNew,
};
use crate::error::ApiError;

mod standard {
    use crate::auth::Role;
    use crate::domain::activities::{Activity, ActivityFilter, ActivityNew, ActivityPatch};

    crate::crud_routes! {
        domain: crate::domain::activities,
        model: Activity, new: ActivityNew, patch: ActivityPatch, filter: ActivityFilter,
        tag: "activities", write_role: Role::Editor, default_sort: "title",
        collection: "/activities", item: "/activities/{id}", location: "/api/v1/activities/{}",
        list: (list_activities, "List activities in the caller's scope, e.g. `within=<committee>&phase=in_progress&year=2026`. Sort by title (Swedish order), year, phase, start_date, end_date, planned_budget, expected_benefit, complexity, roadmap_priority, created_at or modified_at."),
        get: (get_activity, "Read one activity with its focus areas and co-funding."),
        create: (create_activity, "Create an activity in a plan (`plan_id`) or directly under an organisation (`organisation_id`) (editor). Co-funding shares must add up to planned_budget. A phase beyond `idea` must meet the phase rules, or carry an admin's `override_reason`."),
        update: (update_activity, "Update an activity (editor); lists replace. The phase changes through POST /activities/{id}/transitions. The planned budget and co-funding of an activity in an adopted plan are locked (409)."),
        delete: (delete_activity, "Delete an activity (editor) that has no documentation, benefits, risks or decisions; otherwise cancel it (transition to `cancelled`)."),
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    standard::configure(cfg);
    cfg.service(transition_activity)
        .service(list_activity_transitions)
        .service(get_activity_readiness);
}

/// Move an activity to another phase. Unmet phase rules give 422 naming every missing item
/// (e.g. `documentation_items.benefit_calculation`, `planned_budget`); an admin may proceed with
/// an `override_reason`, which is recorded with what was missing.
#[utoipa::path(
    tag = "activities",
    params(("id" = String, Path, description = "The activity's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = TransitionNew,
    responses((status = 200, description = "The activity in its new phase", body = Activity, headers(("ETag" = String))), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unprocessable),
    security(("bearer" = []))
)]
#[post("/activities/{id}/transitions")]
async fn transition_activity(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<TransitionNew>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let TransitionNew {
        to,
        override_reason,
    } = body.0;
    let activity = db
        .transaction(move |conn| {
            phases::transition(conn, &principal, &id, if_match.0, to, override_reason)
        })
        .await?;
    Ok(with_etag(activity.version, &activity))
}

/// The phase history of an activity, oldest first, with any overrides.
#[utoipa::path(
    tag = "activities",
    params(("id" = String, Path, description = "The activity's id")),
    responses((status = 200, description = "Transitions", body = Vec<PhaseTransition>), Unauthorized, Forbidden, NotFound),
    security(("bearer" = []))
)]
#[get("/activities/{id}/transitions")]
async fn list_activity_transitions(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<web::Json<Vec<PhaseTransition>>, ApiError> {
    let history = db
        .run(move |conn| phases::history(conn, &principal, &id))
        .await?;
    Ok(web::Json(history))
}

/// What entering a phase needs, and whether each requirement is met now.
#[utoipa::path(
    tag = "activities",
    params(("id" = String, Path, description = "The activity's id"), ReadinessQuery),
    responses((status = 200, description = "Requirements", body = Readiness), BadRequest, Unauthorized, Forbidden, NotFound),
    security(("bearer" = []))
)]
#[get("/activities/{id}/readiness")]
async fn get_activity_readiness(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    query: web::Query<ReadinessQuery>,
) -> Result<web::Json<Readiness>, ApiError> {
    let phase = query.phase;
    let readiness = db
        .run(move |conn| phases::readiness(conn, &principal, &id, phase))
        .await?;
    Ok(web::Json(readiness))
}
