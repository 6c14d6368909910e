//! `/changes`: the change history, scoped like the records it describes.

use actix_web::{get, web, HttpRequest};

use crate::api::paging::{ListParams, Page};
use crate::api::responses::*;
use crate::auth::Principal;
use crate::db::Db;
use crate::domain::changes::{self, Change, ChangeFilter};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_changes);
}

/// List recorded changes in time order (oldest first), e.g. `?resource=objects&id=…` for one
/// record's history or `?since=…` to follow everything new.
#[utoipa::path(
    tag = "changes", operation_id = "list_changes",
    params(ChangeFilter),
    responses((status = 200, description = "One page of changes", body = Page<Change>), BadRequest, Unauthorized, Forbidden, Unprocessable),
    security(("bearer" = []))
)]
#[get("/changes")]
async fn list_changes(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
) -> Result<web::Json<Page<Change>>, ApiError> {
    let filter: ChangeFilter = crate::api::paging::parse_strict_query(req.query_string())?;
    let page = ListParams {
        q: None,
        sort: None,
        limit: filter.limit,
        offset: filter.offset,
    }
    .page(&["at"], "at")?;
    let (limit, offset) = (page.limit, page.offset);
    let (items, total) = db
        .run(move |conn| changes::list(conn, &principal, &filter, limit, offset))
        .await?;
    Ok(web::Json(Page::new(&req, &page, items, total)))
}
