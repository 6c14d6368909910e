//! `/plans`: förvaltningsplaner, plus the adopt, reopen and close actions of the yearly cycle.

use actix_web::{post, web, HttpResponse};

use crate::api::extract::{with_etag, IfMatch, ValidJson};
use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::domain::plans::{self as domain, AdoptionNew, Plan, ReopenNew};
use crate::error::ApiError;

mod standard {
    use crate::auth::Role;
    use crate::domain::plans::{Plan, PlanFilter, PlanNew, PlanPatch};

    crate::crud_routes! {
        domain: crate::domain::plans,
        model: Plan, new: PlanNew, patch: PlanPatch, filter: PlanFilter,
        tag: "plans", write_role: Role::Editor, default_sort: "year",
        collection: "/plans", item: "/plans/{id}", location: "/api/v1/plans/{}",
        list: (list_plans, "List förvaltningsplaner in the caller's scope. Sort by year, status, created_at or modified_at."),
        get: (get_plan, "Read one förvaltningsplan."),
        create: (create_plan, "Draft a förvaltningsplan for an object and year (editor). A second plan for the same object and year is a 409."),
        update: (update_plan, "Update a plan (editor). The summary is locked while the plan is adopted; the risk analysis can always be recorded."),
        delete: (delete_plan, "Delete a draft plan (editor) that has no budget lines and no activities."),
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    standard::configure(cfg);
    cfg.service(adopt_plan)
        .service(reopen_plan)
        .service(close_plan);
}

/// Adopt (fastställa) a draft plan: records the decision and locks the planned figures.
#[utoipa::path(
    tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = AdoptionNew,
    responses((status = 200, description = "Adopted; `decision_id` names the decision", body = Plan, headers(("ETag" = String))), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unprocessable),
    security(("bearer" = []))
)]
#[post("/plans/{id}/adopt")]
async fn adopt_plan(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AdoptionNew>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let plan = db
        .transaction(move |conn| domain::adopt(conn, &principal, &id, if_match.0, body.0))
        .await?;
    Ok(with_etag(plan.version, &plan))
}

/// Reopen an adopted or closed plan (admin) so its planned figures can change; the reason is kept.
#[utoipa::path(
    tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = ReopenNew,
    responses((status = 200, description = "Back to draft", body = Plan, headers(("ETag" = String))), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, Unprocessable),
    security(("bearer" = []))
)]
#[post("/plans/{id}/reopen")]
async fn reopen_plan(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<ReopenNew>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Admin)?;
    let plan = db
        .transaction(move |conn| domain::reopen(conn, &principal, &id, if_match.0, body.0))
        .await?;
    Ok(with_etag(plan.version, &plan))
}

/// Close an adopted plan after the year's follow-up (editor).
#[utoipa::path(
    tag = "plans",
    params(("id" = String, Path, description = "The plan's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    responses((status = 200, description = "Closed", body = Plan, headers(("ETag" = String))), Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed),
    security(("bearer" = []))
)]
#[post("/plans/{id}/close")]
async fn close_plan(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let plan = db
        .transaction(move |conn| domain::close(conn, &principal, &id, if_match.0))
        .await?;
    Ok(with_etag(plan.version, &plan))
}
