//! `/organisations`: the municipality tree. Reads for every role; writes for admins.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

use crate::api::extract::{created, with_etag, IfMatch, ValidJson};
use crate::api::paging::{ListParams, Page};
use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::domain::organisations::{
    self as orgs, Organisation, OrganisationFilter, OrganisationNew, OrganisationPatch,
};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_organisations)
        .service(create_organisation)
        .service(get_organisation)
        .service(update_organisation)
        .service(delete_organisation);
}

/// List organisations in the caller's scope.
#[utoipa::path(
    tag = "organisations", operation_id = "list_organisations",
    params(ListParams, OrganisationFilter),
    responses((status = 200, description = "One page of organisations; sort by name, kind, created_at or modified_at", body = Page<Organisation>), BadRequest, Unauthorized, Forbidden, Unprocessable),
    security(("bearer" = []))
)]
#[get("/organisations")]
async fn list_organisations(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
    params: web::Query<ListParams>,
    filter: web::Query<OrganisationFilter>,
) -> Result<web::Json<Page<Organisation>>, ApiError> {
    let page = params.page(orgs::SORT_FIELDS, "name")?;
    let page2 = page.clone();
    let (items, total) = db
        .run(move |conn| orgs::list(conn, &principal, &filter, &page2))
        .await?;
    Ok(web::Json(Page::new(&req, &page, items, total)))
}

/// Read one organisation.
#[utoipa::path(
    tag = "organisations", operation_id = "get_organisation",
    params(("id" = String, Path, description = "Organisation id")),
    responses((status = 200, description = "The organisation", body = Organisation, headers(("ETag" = String, description = "Send as If-Match when updating"))), Unauthorized, Forbidden, NotFound),
    security(("bearer" = []))
)]
#[get("/organisations/{id}")]
async fn get_organisation(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let org = db
        .run(move |conn| orgs::get(conn, &principal, &id))
        .await?;
    Ok(with_etag(org.version, &org))
}

/// Create an organisation (admin). A municipality is a root; the rest need a parent in scope.
#[utoipa::path(
    tag = "organisations", operation_id = "create_organisation",
    request_body = OrganisationNew,
    responses((status = 201, description = "Created", body = Organisation, headers(("ETag" = String), ("Location" = String))), BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, Unprocessable),
    security(("bearer" = []))
)]
#[post("/organisations")]
async fn create_organisation(
    db: web::Data<Db>,
    principal: Principal,
    body: ValidJson<OrganisationNew>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Admin)?;
    let org = db
        .transaction(move |conn| orgs::create(conn, &principal, body.0))
        .await?;
    Ok(created(format!("/api/v1/organisations/{}", org.id), org.version, &org))
}

/// Update an organisation (admin); moving it re-scopes its whole subtree.
#[utoipa::path(
    tag = "organisations", operation_id = "update_organisation",
    params(("id" = String, Path, description = "Organisation id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412")),
    request_body = OrganisationPatch,
    responses((status = 200, description = "Updated", body = Organisation, headers(("ETag" = String))), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, Unprocessable),
    security(("bearer" = []))
)]
#[patch("/organisations/{id}")]
async fn update_organisation(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<OrganisationPatch>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Admin)?;
    let org = db
        .transaction(move |conn| orgs::update(conn, &principal, &id, if_match.0, body.0))
        .await?;
    Ok(with_etag(org.version, &org))
}

/// Delete an organisation (admin) that has no children, objects, people or role types.
#[utoipa::path(
    tag = "organisations", operation_id = "delete_organisation",
    params(("id" = String, Path, description = "Organisation id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412")),
    responses((status = 204, description = "Deleted"), Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed),
    security(("bearer" = []))
)]
#[delete("/organisations/{id}")]
async fn delete_organisation(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Admin)?;
    db.transaction(move |conn| orgs::delete(conn, &principal, &id, if_match.0))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
