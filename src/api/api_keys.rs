//! `/api-keys`: read-only API keys for Power BI and other scheduled readers of the report and
//! OData routes. Admins only; an admin limited by `org` claims creates and sees keys inside
//! their subtrees only. The key is in the 201 of its creation and nowhere else.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::api::extract::{etag, with_etag, IfMatch, ValidJson};
use crate::api::paging::{ListParams, ListQuery, Page};
use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::domain::api_keys::{self as domain, ApiKey, ApiKeyCreated, ApiKeyFilter, ApiKeyNew};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_api_keys)
        .service(create_api_key)
        .service(get_api_key)
        .service(revoke_api_key);
}

/// List API keys (admin). Never shows a key, only its prefix. Sort by name (Swedish order),
/// created_at or last_used_at.
#[utoipa::path(
    tag = "api-keys",
    params(ListParams, ApiKeyFilter),
    responses((status = 200, description = "One page", body = Page<ApiKey>), BadRequest, Unauthorized, Forbidden, Unprocessable),
    security(("bearer" = []))
)]
#[get("/api-keys")]
async fn list_api_keys(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
    query: ListQuery<ApiKeyFilter>,
) -> Result<web::Json<Page<ApiKey>>, ApiError> {
    principal.require(Role::Admin)?;
    let ListQuery { params, filter } = query;
    let page = params.page(domain::SORT_FIELDS, "name")?;
    let request = page.clone();
    let (items, total) = db
        .run(move |conn| domain::list(conn, &principal, &filter, &request))
        .await?;
    Ok(web::Json(Page::new(&req, &page, items, total)))
}

/// Read one API key (admin), without the key itself.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = String, Path, description = "The key's id")),
    responses((status = 200, description = "The key's record", body = ApiKey, headers(("ETag" = String, description = "Send it back as If-Match when revoking"))), Unauthorized, Forbidden, NotFound),
    security(("bearer" = []))
)]
#[get("/api-keys/{id}")]
async fn get_api_key(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Admin)?;
    let key = db
        .run(move |conn| domain::get(conn, &principal, &id))
        .await?;
    Ok(with_etag(key.version, &key))
}

/// Create a read-only API key (admin whose scope includes every organisation named). The
/// response is the only place the key is ever shown: store it at once. It reads the report and
/// OData routes of its organisations' subtrees, as `X-Api-Key`, `?api_key=` or the password of
/// Basic authentication, and nothing else.
#[utoipa::path(
    tag = "api-keys",
    request_body = ApiKeyNew,
    responses((status = 201, description = "Created; `key` is shown this once", body = ApiKeyCreated, headers(("ETag" = String), ("Location" = String), ("Cache-Control" = String, description = "no-store: the body holds a secret"))), BadRequest, Unauthorized, Forbidden, PayloadTooLarge, UnsupportedMediaType, Unprocessable),
    security(("bearer" = []))
)]
#[post("/api-keys")]
async fn create_api_key(
    db: web::Data<Db>,
    principal: Principal,
    body: ValidJson<ApiKeyNew>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Admin)?;
    let created = db
        .transaction(move |conn| domain::create(conn, &principal, body.0))
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(created.api_key.version)))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/api-keys/{}", created.api_key.id),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(created))
}

/// Revoke an API key (admin): every request with it is refused from now on. The record stays,
/// with `revoked_at` and `revoked_by`; revoking a revoked key changes nothing.
#[utoipa::path(
    tag = "api-keys",
    params(("id" = String, Path, description = "The key's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412 and revokes nothing")),
    responses((status = 200, description = "Revoked", body = ApiKey, headers(("ETag" = String))), Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed),
    security(("bearer" = []))
)]
#[post("/api-keys/{id}/revoke")]
async fn revoke_api_key(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Admin)?;
    let key = db
        .transaction(move |conn| domain::revoke(conn, &principal, &id, if_match.0))
        .await?;
    Ok(with_etag(key.version, &key))
}
