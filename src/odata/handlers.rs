//! The `/odata` routes. Every route takes a [`Reader`] (bearer token, or an API key once keys
//! exist) and reads through [`ReadDb`]; errors are problem+json with an OData `error` member
//! added, so OData clients (Power BI) show the message too.

use actix_web::body::BoxBody;
use actix_web::http::{header, StatusCode};
use actix_web::{get, web, HttpRequest, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use std::sync::Arc;

use super::csdl::{self, SetInfo};
use super::sets::{self, EntitySet};
use super::snapshots::ReportSnapshots;
use super::{exec, options, reports, FeedSettings, MAX_PAGE_SIZE};
use crate::auth::Reader;
use crate::db::ReadDb;
use crate::error::ApiError;

pub const ODATA_JSON: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(service_document)
        // `/odata` without the slash: the scope takes the path, so the alias lives inside it.
        .route("", web::get().to(service_document_bare))
        .service(metadata)
        .service(entity_count)
        .service(entity_set);
}

/// An [`ApiError`] rendered for OData clients: the same problem document plus
/// `error: {code, message}` (OData's JSON error format), and the `OData-Version` header.
#[derive(Debug)]
pub struct ODataError(pub ApiError);

impl From<ApiError> for ODataError {
    fn from(e: ApiError) -> Self {
        ODataError(e)
    }
}

impl std::fmt::Display for ODataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for ODataError {
    fn status_code(&self) -> StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = self.0.error_response();
        let problem = self.0.problem();
        let mut body = serde_json::to_value(&problem).unwrap_or_default();
        if let Some(object) = body.as_object_mut() {
            object.insert(
                "error".to_owned(),
                serde_json::json!({
                    "code": problem.problem_type.rsplit(':').next().unwrap_or_default(),
                    "message": problem.detail.clone().unwrap_or(problem.title.clone()),
                }),
            );
        }
        response.headers_mut().insert(
            header::HeaderName::from_static("odata-version"),
            header::HeaderValue::from_static("4.0"),
        );
        response.set_body(BoxBody::new(body.to_string()))
    }
}

type Reply = Result<HttpResponse, ODataError>;

fn all_sets() -> Vec<SetInfo<'static>> {
    sets::all().into_iter().map(EntitySet::info).collect()
}

fn find_set(name: &str) -> Result<EntitySet, ApiError> {
    sets::find(name).ok_or_else(|| {
        ApiError::NotFound(format!(
            "there is no entity set '{name}'; GET /odata/ lists them"
        ))
    })
}

/// Reads one page (or, with `count_only`, just the count) of any entity set.
async fn read(
    db: &ReadDb,
    principal: crate::auth::Principal,
    set: EntitySet,
    opts: &options::QueryOptions,
    page_size: i64,
    count_only: bool,
    snapshots: Arc<ReportSnapshots>,
) -> Result<exec::Page, ApiError> {
    let opts = opts.clone();
    db.run(move |conn| match set {
        EntitySet::Table(table) => {
            // Only report sets that page in SQL write a resume point into their tokens.
            if opts.resume.is_some() {
                return Err(options::invalid_token());
            }
            let scope = principal.orgs.as_deref();
            if count_only {
                let n = exec::count(conn, table, &opts, scope)?;
                Ok(exec::Page {
                    rows: Vec::new(),
                    next: None,
                    count: Some(n),
                })
            } else {
                Ok(exec::read_page(conn, table, &opts, scope, page_size)?)
            }
        }
        EntitySet::Report(report) => reports::read_page(
            conn, &principal, report, &opts, page_size, count_only, &snapshots,
        ),
    })
    .await
}

fn odata_ok(content_type: &str) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::Ok();
    builder
        .content_type(content_type)
        .insert_header(("OData-Version", "4.0"));
    builder
}

/// An entity set in the service document.
#[derive(Serialize, ToSchema)]
pub struct ServiceDocumentEntry {
    #[schema(example = "activities")]
    pub name: String,
    #[schema(example = "EntitySet")]
    pub kind: String,
    #[schema(example = "activities")]
    pub url: String,
    #[schema(example = "Aktiviteter, initiativ och projekt")]
    pub title: String,
}

/// The service document: every entity set of the feed.
#[derive(Serialize, ToSchema)]
pub struct ServiceDocument {
    #[serde(rename = "@odata.context")]
    #[schema(example = "https://styra.example.se/odata/$metadata")]
    pub context: String,
    pub value: Vec<ServiceDocumentEntry>,
}

/// A page of an entity set.
#[derive(Serialize, ToSchema)]
#[schema(example = json!({
    "@odata.context": "https://styra.example.se/odata/$metadata#activities(id,title,year,modified_at)",
    "@odata.count": 1234,
    "value": [{"id": "0193a0c4-5b6e-7c1d-9e2f-3a4b5c6d7e8f", "title": "Ny e-tjänst för bygglov", "year": 2026, "modified_at": "2026-11-23T10:00:00.000000Z"}],
    "@odata.nextLink": "https://styra.example.se/odata/activities?$select=id,title,year,modified_at&$count=true&$skiptoken=WyIwMTkzYTBjNCJd"
}))]
pub struct EntitySetPage {
    #[serde(rename = "@odata.context")]
    pub context: String,
    /// With `$count=true`: the rows matching the filter over all pages.
    #[serde(rename = "@odata.count")]
    pub count: Option<i64>,
    /// The rows: the entity type's properties (or those in `$select`), nulls included.
    pub value: Vec<serde_json::Map<String, serde_json::Value>>,
    /// The next page, present whenever rows remain (within `$top`).
    #[serde(rename = "@odata.nextLink")]
    pub next_link: Option<String>,
}

/// The OData service document: every entity set (what Power BI's navigator lists). Answers 200
/// without query options, as Power BI's credential test expects.
#[utoipa::path(
    tag = "odata",
    operation_id = "get_odata_service_document",
    params(("api_key" = Option<String>, Query, description = "An API key, for clients that can only put it in the URL (Power BI's Web API credential).")),
    responses(
        (status = 200, description = "The entity sets", body = ServiceDocument, content_type = "application/json"),
        (status = 401, description = "No valid token or key", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::api::responses::TooManyRequests,
    ),
    security(("bearer" = []), ("api_key" = []), ("api_key_query" = []), ("basic" = []))
)]
#[get("/")]
pub async fn service_document(_reader: Reader, req: HttpRequest) -> Reply {
    service_document_response(&req)
}

/// The same service document at `/odata` (no trailing slash).
pub async fn service_document_bare(_reader: Reader, req: HttpRequest) -> Reply {
    service_document_response(&req)
}

fn service_document_response(req: &HttpRequest) -> Reply {
    let body = csdl::service_document(&crate::api::paging::base_url(req), &all_sets());
    Ok(odata_ok(ODATA_JSON).body(body.to_string()))
}

/// The CSDL metadata document: one entity type per set (key `id`), typed properties with their
/// nullability (`Edm.String`, `Edm.Int32`, `Edm.Int64`, `Edm.Boolean`, `Edm.Date`,
/// `Edm.DateTimeOffset`, `Edm.Double`, `Edm.Decimal`) and one entity container.
#[utoipa::path(
    tag = "odata",
    operation_id = "get_odata_metadata",
    params(("api_key" = Option<String>, Query, description = "An API key in the URL (Power BI).")),
    responses(
        (status = 200, description = "CSDL XML", body = String, content_type = "application/xml",
         example = json!("<?xml version=\"1.0\" encoding=\"utf-8\"?><edmx:Edmx Version=\"4.0\" …>")),
        (status = 401, description = "No valid token or key", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::api::responses::TooManyRequests,
    ),
    security(("bearer" = []), ("api_key" = []), ("api_key_query" = []), ("basic" = []))
)]
#[get("/$metadata")]
pub async fn metadata(_reader: Reader) -> Reply {
    Ok(odata_ok("application/xml;charset=utf-8").body(csdl::metadata(&all_sets())))
}

/// The page size: the setting, or fewer (or up to 10,000) when the client prefers.
fn page_size(req: &HttpRequest, feed: &FeedSettings) -> (i64, Option<i64>) {
    let preferred = req
        .headers()
        .get_all("prefer")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|p| p.trim().strip_prefix("odata.maxpagesize="))
        .find_map(|n| n.trim().parse::<i64>().ok())
        .filter(|n| *n > 0);
    match preferred {
        Some(n) => (n.min(MAX_PAGE_SIZE), Some(n.min(MAX_PAGE_SIZE))),
        None => (feed.page_size, None),
    }
}

fn next_link(
    base: &str,
    set: &str,
    opts: &options::QueryOptions,
    returned: i64,
    token: &[serde_json::Value],
) -> String {
    let mut query = String::new();
    let mut push = |name: &str, value: &str| {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(name);
        query.push('=');
        query.extend(form_urlencoded::byte_serialize(value.as_bytes()));
    };
    for (name, value) in &opts.carried {
        push(name, value);
    }
    if let Some(top) = opts.top {
        push("$top", &(top - returned).to_string());
    }
    push("$skiptoken", &options::encode_token(token));
    format!("{base}/odata/{set}?{query}")
}

/// Rows of an entity set, in the caller's organisation subtrees, a page at a time. Report sets
/// (`portfolio`, `model_compliance` …) also take their report's filters as parameters, with the
/// names and rules of `/api/v1/reports/…` (a required `year` defaults to the current year), and
/// are keyed by `row_key`, the row's position in the report's order.
#[utoipa::path(
    tag = "odata",
    operation_id = "get_odata_entity_set",
    params(
        ("entity_set" = String, Path, description = "An entity set from the service document", example = "activities"),
        ("$select" = Option<String>, Query, description = "Properties to return, comma separated (`*` for all)", example = "id,title,year,phase,modified_at"),
        ("$filter" = Option<String>, Query, description = "eq, ne, gt, ge, lt, le, and, or, not, parentheses, null, contains/startswith/endswith on scalar properties; literals: 'text', 42, 1.5, true, 2026-01-01, 2026-01-01T00:00:00Z", example = "modified_at ge 2026-01-01T00:00:00Z and modified_at lt 2026-02-01T00:00:00Z"),
        ("$orderby" = Option<String>, Query, description = "Properties with asc or desc, comma separated; `id` always breaks ties", example = "year desc,title"),
        ("$top" = Option<i64>, Query, description = "At most this many rows over all pages (0 or more)", example = 100),
        ("$skip" = Option<i64>, Query, description = "Rows to skip before the first (0 or more)", example = 0),
        ("$count" = Option<bool>, Query, description = "Add @odata.count: the rows matching the filter", example = true),
        ("$skiptoken" = Option<String>, Query, description = "Set by @odata.nextLink; do not build it yourself"),
        ("$format" = Option<String>, Query, description = "json (the only format)", example = "json"),
        ("api_key" = Option<String>, Query, description = "An API key in the URL (Power BI); carried into @odata.nextLink"),
        ("year" = Option<i32>, Query, description = "Report sets only, where the report takes it: the report's `year` filter (likewise `organisation_id`, `from_year`, `to_year`, `phase`, `kind`, `focus_area_id`, `requirement`, `reference_date`; see docs/reports.md). Any other parameter is a 400.", example = 2026),
        ("Prefer" = Option<String>, Header, description = "odata.maxpagesize=N: rows per page (at most 10000; default 1000)", example = "odata.maxpagesize=500"),
    ),
    responses(
        (status = 200, description = "A page of rows; `@odata.nextLink` whenever rows remain", body = EntitySetPage, content_type = "application/json"),
        (status = 400, description = "A bad query option, property or literal, named in `detail` and `error.message`", body = crate::error::Problem, content_type = "application/problem+json",
         example = json!({"type": "urn:styra:problem:bad-request", "title": "Bad request", "status": 400, "detail": "$filter: unknown property 'colour'", "error": {"code": "bad-request", "message": "$filter: unknown property 'colour'"}})),
        (status = 403, description = "A report's organisation_id outside the caller's scope", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad report filter, named in `errors`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or key", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entity set", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 503, description = "The database is busy or unreachable", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::api::responses::TooManyRequests,
    ),
    security(("bearer" = []), ("api_key" = []), ("api_key_query" = []), ("basic" = []))
)]
#[get("/{entity_set}")]
pub async fn entity_set(
    reader: Reader,
    db: web::Data<ReadDb>,
    feed: web::Data<FeedSettings>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Reply {
    let set = find_set(&path)?;
    let opts = options::parse(
        req.query_string(),
        set.properties(),
        set.key(),
        set.parameters(),
    )?;
    let (size, preferred) = page_size(&req, &feed);
    let snapshots = Arc::clone(&feed.snapshots);
    let page = read(&db, reader.0, set, &opts, size, false, snapshots).await?;

    let base = crate::api::paging::base_url(&req);
    let mut context = format!("{base}/odata/$metadata#{}", set.name());
    if opts.selected {
        let names: Vec<&str> = opts.select.iter().map(|p| p.name).collect();
        context.push_str(&format!("({})", names.join(",")));
    }
    let rows_len: usize = page.rows.iter().map(String::len).sum();
    let mut body = String::with_capacity(rows_len + page.rows.len() + 512);
    body.push_str("{\"@odata.context\":");
    body.push_str(&serde_json::Value::String(context).to_string());
    if let Some(n) = page.count {
        body.push_str(&format!(",\"@odata.count\":{n}"));
    }
    body.push_str(",\"value\":[");
    body.push_str(&page.rows.join(","));
    body.push(']');
    if let Some(token) = &page.next {
        let link = next_link(&base, set.name(), &opts, page.rows.len() as i64, token);
        body.push_str(",\"@odata.nextLink\":");
        body.push_str(&serde_json::Value::String(link).to_string());
    }
    body.push('}');
    let mut response = odata_ok(ODATA_JSON);
    if let Some(n) = preferred {
        response.insert_header(("Preference-Applied", format!("odata.maxpagesize={n}")));
    }
    Ok(response.body(body))
}

/// The number of rows of an entity set matching `$filter`, as plain text.
#[utoipa::path(
    tag = "odata",
    operation_id = "get_odata_entity_count",
    params(
        ("entity_set" = String, Path, description = "An entity set from the service document", example = "activities"),
        ("$filter" = Option<String>, Query, description = "As for the entity set", example = "year eq 2026"),
        ("year" = Option<i32>, Query, description = "Report sets only: the report's filters, as for the entity set", example = 2026),
        ("api_key" = Option<String>, Query, description = "An API key in the URL (Power BI)"),
    ),
    responses(
        (status = 200, description = "The count", body = String, content_type = "text/plain", example = json!("1234")),
        (status = 400, description = "A bad query option", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token or key", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such entity set", body = crate::error::Problem, content_type = "application/problem+json"),
        crate::api::responses::TooManyRequests,
    ),
    security(("bearer" = []), ("api_key" = []), ("api_key_query" = []), ("basic" = []))
)]
#[get("/{entity_set}/$count")]
pub async fn entity_count(
    reader: Reader,
    db: web::Data<ReadDb>,
    feed: web::Data<FeedSettings>,
    path: web::Path<String>,
    req: HttpRequest,
) -> Reply {
    let set = find_set(&path)?;
    let opts = options::parse(
        req.query_string(),
        set.properties(),
        set.key(),
        set.parameters(),
    )?;
    let snapshots = Arc::clone(&feed.snapshots);
    let page = read(&db, reader.0, set, &opts, 0, true, snapshots).await?;
    Ok(odata_ok("text/plain;charset=utf-8").body(page.count.unwrap_or_default().to_string()))
}
