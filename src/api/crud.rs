//! The five standard routes of a registry resource (list, get, create, update, delete), written
//! once. Each resource module supplies its domain functions and names; the handlers stay thin:
//! extract, check the role, run the domain function in a transaction, render.

/// Generates `configure` and the five handlers (with their OpenAPI paths) for one resource.
/// The domain module must offer `SORT_FIELDS`, `list`, `get`, `create`, `update`, `delete`.
#[macro_export]
macro_rules! crud_routes {
    (
        domain: $d:path,
        model: $Model:ty, new: $New:ty, patch: $Patch:ty, filter: $Filter:ty,
        tag: $tag:literal, write_role: $role:expr, default_sort: $sort:literal,
        collection: $collection:literal, item: $item:literal, location: $location:literal,
        list: ($list_fn:ident, $list_doc:literal),
        get: ($get_fn:ident, $get_doc:literal),
        create: ($create_fn:ident, $create_doc:literal),
        update: ($update_fn:ident, $update_doc:literal),
        delete: ($delete_fn:ident, $delete_doc:literal $(, $force:ident)?) $(,)?
    ) => {
        use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};

        use $crate::api::extract::{created, with_etag, IfMatch, ValidJson};
        use $crate::api::paging::{ListParams, ListQuery, Page};
        use $crate::api::responses::*;
        use $crate::auth::Principal;
        use $crate::db::Db;
        use $crate::error::ApiError;
        use $d as domain;

        pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service($list_fn)
                .service($create_fn)
                .service($get_fn)
                .service($update_fn)
                .service($delete_fn);
        }

        #[doc = $list_doc]
        #[utoipa::path(
            tag = $tag,
            params(ListParams, $Filter),
            responses((status = 200, description = "One page", body = Page<$Model>), BadRequest, Unauthorized, Forbidden, Unprocessable),
            security(("bearer" = []))
        )]
        #[get($collection)]
        async fn $list_fn(
            req: HttpRequest,
            db: web::Data<Db>,
            principal: Principal,
            query: ListQuery<$Filter>,
        ) -> Result<web::Json<Page<$Model>>, ApiError> {
            let ListQuery { params, filter } = query;
            let page = params.page(domain::SORT_FIELDS, $sort)?;
            let request = page.clone();
            let (items, total) = db
                .run(move |conn| domain::list(conn, &principal, &filter, &request))
                .await?;
            Ok(web::Json(Page::new(&req, &page, items, total)))
        }

        #[doc = $get_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = String, Path, description = "The record's id")),
            responses((status = 200, description = "The record", body = $Model, headers(("ETag" = String, description = "Send it back as If-Match when updating or deleting"))), Unauthorized, Forbidden, NotFound),
            security(("bearer" = []))
        )]
        #[get($item)]
        async fn $get_fn(
            db: web::Data<Db>,
            principal: Principal,
            id: web::Path<String>,
        ) -> Result<HttpResponse, ApiError> {
            let record = db.run(move |conn| domain::get(conn, &principal, &id)).await?;
            Ok(with_etag(record.version, &record))
        }

        #[doc = $create_doc]
        #[utoipa::path(
            tag = $tag,
            request_body = $New,
            responses((status = 201, description = "Created", body = $Model, headers(("ETag" = String), ("Location" = String))), BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, Unprocessable),
            security(("bearer" = []))
        )]
        #[post($collection)]
        async fn $create_fn(
            db: web::Data<Db>,
            principal: Principal,
            body: ValidJson<$New>,
        ) -> Result<HttpResponse, ApiError> {
            principal.require_write($role)?;
            let record = db
                .transaction(move |conn| domain::create(conn, &principal, body.0))
                .await?;
            Ok(created(format!($location, record.id), record.version, &record))
        }

        #[doc = $update_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = String, Path, description = "The record's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412 and changes nothing")),
            request_body = $Patch,
            responses((status = 200, description = "Updated", body = $Model, headers(("ETag" = String))), BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, Unprocessable),
            security(("bearer" = []))
        )]
        #[patch($item)]
        async fn $update_fn(
            db: web::Data<Db>,
            principal: Principal,
            id: web::Path<String>,
            if_match: IfMatch,
            body: ValidJson<$Patch>,
        ) -> Result<HttpResponse, ApiError> {
            principal.require_write($role)?;
            let record = db
                .transaction(move |conn| domain::update(conn, &principal, &id, if_match.0, body.0))
                .await?;
            Ok(with_etag(record.version, &record))
        }

        $crate::crud_delete!($d, $tag, $role, $item, $delete_fn, $delete_doc $(, $force)?);
    };
}

/// The delete route; `force` adds `?force=true` (for deletes that end dependent records).
#[macro_export]
macro_rules! crud_delete {
    ($d:path, $tag:literal, $role:expr, $item:literal, $delete_fn:ident, $delete_doc:literal) => {
        #[doc = $delete_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = String, Path, description = "The record's id"), ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412 and deletes nothing")),
            responses((status = 204, description = "Deleted"), Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed),
            security(("bearer" = []))
        )]
        #[delete($item)]
        async fn $delete_fn(
            db: web::Data<Db>,
            principal: Principal,
            id: web::Path<String>,
            if_match: IfMatch,
        ) -> Result<HttpResponse, ApiError> {
            principal.require_write($role)?;
            db.transaction(move |conn| domain::delete(conn, &principal, &id, if_match.0))
                .await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
    ($d:path, $tag:literal, $role:expr, $item:literal, $delete_fn:ident, $delete_doc:literal, force) => {
        /// `?force=true` confirms a delete that also ends dependent records.
        #[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct ForceParam {
            /// Confirm ending dependent records (e.g. a person's role assignments).
            #[serde(default)]
            pub force: bool,
        }

        #[doc = $delete_doc]
        #[utoipa::path(
            tag = $tag,
            params(("id" = String, Path, description = "The record's id"), ForceParam, ("If-Match" = Option<String>, Header, description = "The ETag you read; a stale one gets 412 and deletes nothing")),
            responses((status = 204, description = "Deleted"), Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed),
            security(("bearer" = []))
        )]
        #[delete($item)]
        async fn $delete_fn(
            db: web::Data<Db>,
            principal: Principal,
            id: web::Path<String>,
            if_match: IfMatch,
            force: web::Query<ForceParam>,
        ) -> Result<HttpResponse, ApiError> {
            principal.require_write($role)?;
            let force = force.force;
            db.transaction(move |conn| domain::delete(conn, &principal, &id, if_match.0, force))
                .await?;
            Ok(HttpResponse::NoContent().finish())
        }
    };
}
