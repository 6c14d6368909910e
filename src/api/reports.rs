//! `/reports`: the index of report tables, and one GET route per table of the registry (their
//! OpenAPI paths are generated from the same definitions by `reports::openapi`).

use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::paging::parse_strict_query;
use crate::api::responses::*;
use crate::auth::{Reader, Role};
use crate::db::ReadDb;
use crate::error::ApiError;
use crate::reports::filters::RawReportQuery;
use crate::reports::render::{self, CsvOptions};
use crate::reports::table::Column;
use crate::reports::{self, REGISTRY};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_reports);
    for table in REGISTRY {
        cfg.route(
            &format!("/reports/{}", table.path),
            web::get().to(get_report),
        );
    }
}

/// A report table as the index lists it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "key": "documentation_completeness", "path": "/api/v1/reports/documentation-completeness",
    "title": "Dokumentationsgrad", "summary": "Documentation completeness per organisation and requirement",
    "filters": ["organisation_id", "year", "phase"], "required_filters": [],
    "columns": [{"key": "share_done", "header": "Andel klar", "type": "decimal", "nullable": true, "unit": "share", "description": "done / (activities − not_applicable), 0–1"}]
}))]
pub struct ReportInfo {
    /// Stable key (the OData entity set name).
    pub key: &'static str,
    pub path: String,
    /// Swedish title (the XLSX sheet name).
    pub title: &'static str,
    pub summary: &'static str,
    /// Filters the table accepts.
    pub filters: Vec<&'static str>,
    pub required_filters: Vec<&'static str>,
    pub columns: &'static [Column],
}

/// List every report table with its filters and columns.
#[utoipa::path(
    tag = "reports",
    responses((status = 200, description = "The report tables", body = Vec<ReportInfo>), Unauthorized, TooManyRequests, Unavailable),
    security(("bearer" = []), ("api_key" = []), ("api_key_query" = []), ("basic" = []))
)]
#[get("/reports")]
async fn list_reports(Reader(principal): Reader) -> Result<web::Json<Vec<ReportInfo>>, ApiError> {
    principal.require(Role::Viewer)?;
    Ok(web::Json(
        REGISTRY
            .iter()
            .map(|t| ReportInfo {
                key: t.key,
                path: format!("/api/v1/reports/{}", t.path),
                title: t.title,
                summary: t.summary,
                filters: t.filters.iter().map(|f| f.name()).collect(),
                required_filters: t.required.iter().map(|f| f.name()).collect(),
                columns: t.columns,
            })
            .collect(),
    ))
}

/// Any report table: which one comes from the matched route.
async fn get_report(
    req: HttpRequest,
    db: web::Data<ReadDb>,
    Reader(principal): Reader,
) -> Result<HttpResponse, ApiError> {
    principal.require(Role::Viewer)?;
    let table = req
        .match_pattern()
        .and_then(|p| p.split_once("/reports/").map(|(_, path)| path.to_owned()))
        .and_then(|path| reports::find_by_path(&path))
        .ok_or_else(|| ApiError::NotFound("no such report".to_owned()))?;
    let raw: RawReportQuery = parse_strict_query(req.query_string())?;
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let format = render::negotiate(raw.format.as_deref(), accept)?;
    let csv_options = CsvOptions::parse(&raw)?;
    let filters = raw.filters()?;
    let today = chrono::Utc::now().date_naive();
    // Rendering a large sheet is CPU work: it stays off the async worker too, after the
    // connection has gone back to the pool.
    let rendered = db
        .run_then(
            move |conn| reports::run(conn, &principal, table, filters, today),
            move |data| render::render(&data, format, csv_options),
        )
        .await?;
    Ok(render::respond(rendered))
}
