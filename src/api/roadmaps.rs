//! `/roadmaps`: digitala färdplaner, their adoption by a decision, closing, and the activities on
//! them. Reads for every role; writes for editors.

use actix_web::{get, post, web, HttpRequest, HttpResponse};

use crate::api::extract::{with_etag, IfMatch, ValidJson};
use crate::api::paging::{ListParams, Page};
use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::domain::roadmaps::{self, actions::ACTIVITY_SORT_FIELDS, AdoptionNew, RoadmapActivity};
use crate::error::ApiError;

mod crud {
    use crate::auth::Role;
    use crate::domain::roadmaps::{Roadmap, RoadmapFilter, RoadmapNew, RoadmapPatch};

    crate::crud_routes! {
        domain: crate::domain::roadmaps,
        model: Roadmap, new: RoadmapNew, patch: RoadmapPatch, filter: RoadmapFilter,
        tag: "roadmaps", write_role: Role::Editor, default_sort: "name",
        collection: "/roadmaps", item: "/roadmaps/{id}", location: "/api/v1/roadmaps/{}",
        list: (list_roadmaps, "List digitala färdplaner in the caller's scope; `year` finds those covering a year. Sort by name (Swedish order), from_year, created_at or modified_at."),
        get: (get_roadmap, "Read one digital färdplan."),
        create: (create_roadmap, "Create a draft färdplan for an organisation in scope (editor)."),
        update: (update_roadmap, "Update a färdplan (editor). The status changes only through adopt and close; a new owner must be in the same municipality, and the goals move along."),
        delete: (delete_roadmap, "Delete a draft färdplan (editor) that has no activities and no goals. Adopted ones are closed instead."),
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    crud::configure(cfg);
    cfg.service(adopt_roadmap)
        .service(close_roadmap)
        .service(list_roadmap_activities);
}

/// Adopt (fastställa) a draft färdplan (editor): records the adoption decision (kind `adoption`,
/// outcome `approved`, about this roadmap) and sets status `adopted`, `decision_id` and
/// `adopted_on`. Only a draft can be adopted (409 otherwise).
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = String, Path, description = "The roadmap's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412 and changes nothing")),
    request_body = AdoptionNew,
    responses((status = 200, description = "Adopted", body = roadmaps::Roadmap, headers(("ETag" = String))), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, Unprocessable),
    security(("bearer" = []))
)]
#[post("/roadmaps/{id}/adopt")]
async fn adopt_roadmap(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
    body: ValidJson<AdoptionNew>,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let record = db
        .transaction(move |conn| roadmaps::adopt(conn, &principal, &id, if_match.0, body.0))
        .await?;
    Ok(with_etag(record.version, &record))
}

/// Close an adopted färdplan (editor), e.g. when its period is over or a new one replaces it.
/// Only an adopted roadmap can be closed (409 otherwise).
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = String, Path, description = "The roadmap's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412 and changes nothing")),
    responses((status = 200, description = "Closed", body = roadmaps::Roadmap, headers(("ETag" = String))), Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed),
    security(("bearer" = []))
)]
#[post("/roadmaps/{id}/close")]
async fn close_roadmap(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let record = db
        .transaction(move |conn| roadmaps::close(conn, &principal, &id, if_match.0))
        .await?;
    Ok(with_etag(record.version, &record))
}

/// List the activities on a färdplan in priority order (1 first, unranked last), or by title;
/// `q` searches titles. Activities outside the caller's scope are left out.
#[utoipa::path(
    tag = "roadmaps",
    params(("id" = String, Path, description = "The roadmap's id"), ListParams),
    responses((status = 200, description = "One page", body = Page<RoadmapActivity>), BadRequest, Unauthorized, Forbidden, NotFound, Unprocessable),
    security(("bearer" = []))
)]
#[get("/roadmaps/{id}/activities")]
async fn list_roadmap_activities(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    params: web::Query<ListParams>,
) -> Result<web::Json<Page<RoadmapActivity>>, ApiError> {
    let page = params.page(ACTIVITY_SORT_FIELDS, "roadmap_priority")?;
    let request = page.clone();
    let (items, total) = db
        .run(move |conn| roadmaps::activities(conn, &principal, &id, &request))
        .await?;
    Ok(web::Json(Page::new(&req, &page, items, total)))
}
