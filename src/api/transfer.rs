//! `/import` and `/export`: bulk import of Excel, CSV and JSON files (all or nothing, with every
//! error listed), import templates, and exports of everything the caller may see.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::error::{ApiError, PROBLEM_JSON};
use crate::transfer::import::{self, ImportReport, Outcome, RowError};
use crate::transfer::{self as t};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// At most this many errors are listed in a rejection (the rest are counted).
const MAX_LISTED_ERRORS: usize = 1000;

/// The largest accepted import file, in bytes (`STYRA_MAX_IMPORT_BYTES`).
#[derive(Debug, Clone, Copy)]
pub struct ImportLimit(pub usize);

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_import_template)
        .service(create_import)
        .service(get_export_xlsx)
        .service(get_export_json);
}

/// Query of an import.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// Validate everything and write nothing; the counts say what would happen.
    #[serde(default)]
    pub dry_run: bool,
    /// The resource of a single-sheet file (CSV) whose file name does not say it, e.g. `activities`.
    #[param(example = "activities")]
    pub resource: Option<String>,
}

/// An import rejected: nothing was written. `errors` lists every problem found (up to 1000).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:styra:problem:import-rejected", "title": "Import rejected", "status": 422,
    "detail": "2 problem(s) in the file; nothing was imported",
    "errors": [
        {"sheet": "Aktiviteter", "row": 1842, "column": "planned_budget", "value": "12,5 tkr", "message": "not a whole number"},
        {"sheet": "Aktiviteter", "row": 2210, "column": "object", "value": "OBJ-99", "message": "no objects record has the key \"OBJ-99\" (in the database or earlier in the file)"}
    ],
    "more_errors": 0
}))]
pub struct ImportProblem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub errors: Vec<RowError>,
    /// Problems beyond the listed ones.
    pub more_errors: usize,
}

/// An import file body (xlsx, CSV or JSON).
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct ImportFile(#[allow(dead_code)] Vec<u8>);

/// A multipart upload with the file in the field `file`.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file (xlsx, CSV or JSON).
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// Import a file: an Excel workbook (one sheet per resource), a CSV file (one resource, named by
/// the file name or `?resource=`; `,` or `;`, UTF-8 with or without BOM, or Windows-1252) or
/// JSON (`{"<resource>": [{…}, …]}`), as the body with its Content-Type or as the multipart
/// field `file`. Rows are matched by external_id, else id, else the resource's natural key:
/// new rows are created, changed ones updated, the rest left alone. Any error rejects the whole
/// file (422 listing every error with sheet, row, column and value); nothing is written then, nor
/// in a dry run. Organisations, people, focus areas, phase rules and role types need the admin
/// role; other rows must lie in the caller's organisations.
#[utoipa::path(
    tag = "import-export",
    params(ImportParams),
    request_body(
        description = "The file itself, or multipart/form-data with the field `file`",
        content(
            (inline(ImportFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (inline(ImportFile) = "text/csv", example = "external_id;object;year;kind;title;planned_budget\nAKT-1;OBJ-SKOLA;2026;project;Införande av e-arkiv;1800000\n"),
            (inline(ImportFile) = "application/json", example = json!({"activities": [{"external_id": "AKT-1", "object": "OBJ-SKOLA", "year": 2026, "kind": "project", "title": "Införande av e-arkiv", "planned_budget": 1800000}]})),
            (inline(ImportUpload) = "multipart/form-data"),
        )
    ),
    responses(
        (status = 200, description = "Imported (or, with dry_run, would import) — counts per resource", body = ImportReport),
        BadRequest, Unauthorized, Forbidden, PayloadTooLarge, UnsupportedMediaType,
        (status = 422, description = "Rejected: every problem in the file; nothing was written", body = ImportProblem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/import")]
async fn create_import(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
    params: web::Query<ImportParams>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let limit = req
        .app_data::<ImportLimit>()
        .map_or(100 * 1024 * 1024, |l| l.0);
    let upload = crate::api::upload::read(&req, payload, limit).await?;
    let sheets = match crate::api::upload::parse(&upload, params.resource.as_deref()) {
        Ok(sheets) => sheets,
        Err(u) => return crate::api::upload::respond(u),
    };
    let options = import::Options {
        dry_run: params.dry_run,
        resource: params.resource.clone().or(upload.resource_hint()),
    };
    let outcome = db
        .transaction(move |conn| {
            import::run(conn, &principal, sheets, &options, &mut t::progress::Silent)
        })
        .await?;
    Ok(match outcome {
        Outcome::Done(report) => HttpResponse::Ok().json(report),
        Outcome::Rejected(errors) => rejected(errors),
    })
}

/// The 422 response listing the problems.
pub fn rejected(mut errors: Vec<RowError>) -> HttpResponse {
    let total = errors.len();
    errors.truncate(MAX_LISTED_ERRORS);
    let body = ImportProblem {
        problem_type: "urn:styra:problem:import-rejected".into(),
        title: "Import rejected".into(),
        status: 422,
        detail: format!("{total} problem(s) in the file; nothing was imported"),
        more_errors: total - errors.len(),
        errors,
    };
    HttpResponse::UnprocessableEntity()
        .content_type(PROBLEM_JSON)
        .json(body)
}

/// Download an import template: `all.xlsx` (every resource, one sheet each) or
/// `<resource>.xlsx`, e.g. `activities.xlsx`. Swedish headers (`*` = required; English keys are
/// accepted too), a note per column, dropdowns for fixed values and for your organisations, and
/// one example row to overwrite.
#[utoipa::path(
    tag = "import-export",
    params(("file" = String, Path, description = "`all.xlsx` or `<resource>.xlsx`", example = "activities.xlsx")),
    responses(
        (status = 200, description = "The template", content((inline(ImportFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Unauthorized, NotFound,
    ),
    security(("bearer" = []))
)]
#[get("/import/templates/{file}")]
async fn get_import_template(
    db: web::Data<Db>,
    principal: Principal,
    file: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Viewer)?;
    let name = file.into_inner();
    let stem = name.strip_suffix(".xlsx").ok_or_else(|| {
        ApiError::NotFound(format!(
            "no template {name:?}; ask for all.xlsx or <resource>.xlsx"
        ))
    })?;
    let only = match stem {
        "all" => None,
        s => Some(t::model::resource_by_name(s).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no resource {s:?}; ask for all.xlsx or <resource>.xlsx"
            ))
        })?),
    };
    let bytes = db
        .run(move |conn| {
            let orgs = t::template::organisations(conn, &principal)?;
            t::template::template(only, &orgs)
        })
        .await?;
    Ok(file_response(
        bytes,
        XLSX,
        &format!("styra-mall-{stem}.xlsx"),
    ))
}

/// Export everything the caller may see as an Excel workbook: one sheet per resource, the
/// template's columns. Importing it into an empty database reproduces the data.
#[utoipa::path(
    tag = "import-export",
    responses(
        (status = 200, description = "The workbook", content((inline(ImportFile) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        Unauthorized, Forbidden,
    ),
    security(("bearer" = []))
)]
#[get("/export.xlsx")]
async fn get_export_xlsx(
    db: web::Data<Db>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Viewer)?;
    let bytes = db
        .run(move |conn| t::export::export(conn, &principal, t::export::Format::Xlsx))
        .await?;
    Ok(file_response(bytes, XLSX, "styra-export.xlsx"))
}

/// Export everything the caller may see as JSON: `{"<resource>": [{"<column>": value, …}, …]}`,
/// the template's columns; the same data always gives the same bytes.
#[utoipa::path(
    tag = "import-export",
    responses(
        (status = 200, description = "The export", content_type = "application/json", body = Object,
            example = json!({"_format": "styra-export-1", "organisations": [{"external_id": "NORRA", "id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "kind": "municipality", "parent": null, "name": "Norrå kommun", "short_name": null}], "activities": []})),
        Unauthorized, Forbidden,
    ),
    security(("bearer" = []))
)]
#[get("/export.json")]
async fn get_export_json(
    db: web::Data<Db>,
    principal: Principal,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Viewer)?;
    let bytes = db
        .run(move |conn| t::export::export(conn, &principal, t::export::Format::Json))
        .await?;
    Ok(file_response(
        bytes,
        "application/json",
        "styra-export.json",
    ))
}

fn file_response(bytes: Vec<u8>, content_type: &str, name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes)
}

/// Reads a payload up to `limit` bytes (413 beyond it).
pub async fn read_limited(mut payload: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
