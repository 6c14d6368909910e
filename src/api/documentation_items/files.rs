//! `/documentation-items/{id}/file`: upload (the raw file as the body), download and remove the
//! file attached to a documentation item. Uploads and removals are changes to the item.

use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use actix_web::{delete, error::PayloadError, get, put, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::extract::{with_etag, BodyLimit, IfMatch};
use crate::api::responses::*;
use crate::auth::{Principal, Role};
use crate::db::Db;
use crate::domain::attachments::{self, Upload};
use crate::domain::documentation_items::{self, DocumentationItem};
use crate::domain::file_types::{self, FileBody, MAX_FILE_BYTES};
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(upload_documentation_item_file)
        .service(download_documentation_item_file)
        .service(delete_documentation_item_file);
}

/// Query of an upload.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileParams {
    /// The file's name, e.g. `Riskanalys 2026.pdf`. Otherwise the `filename` of a
    /// `Content-Disposition` header, otherwise `<kind>.<extension>`.
    #[param(example = "Riskanalys 2026.pdf")]
    pub file_name: Option<String>,
}

/// Attach a file to a documentation item, replacing any earlier one (editor). Send the file's
/// bytes as the body with the file's own Content-Type: PDF, Word/Excel/PowerPoint (OOXML),
/// OpenDocument text/spreadsheet/presentation, UTF-8 text or CSV, PNG, JPEG or an e-mail
/// (message/rfc822); at most 25 MiB and the server's body limit. The content must match the type.
#[utoipa::path(
    tag = "documentation-items",
    params(
        ("id" = String, Path, description = "The documentation item's id"),
        FileParams,
        ("If-Match" = Option<String>, Header, description = "The item's ETag you read; a stale one gets 412 and changes nothing"),
        ("Content-Disposition" = Option<String>, Header, description = "Another way to name the file, e.g. `attachment; filename*=UTF-8''Riskanalys%202026.pdf`"),
    ),
    request_body(
        description = "The file itself, not JSON and not multipart",
        content(
            (inline(FileBody) = "application/pdf"),
            (inline(FileBody) = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (inline(FileBody) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (inline(FileBody) = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            (inline(FileBody) = "application/vnd.oasis.opendocument.text"),
            (inline(FileBody) = "application/vnd.oasis.opendocument.spreadsheet"),
            (inline(FileBody) = "application/vnd.oasis.opendocument.presentation"),
            (inline(FileBody) = "text/plain"),
            (inline(FileBody) = "text/csv"),
            (inline(FileBody) = "image/png"),
            (inline(FileBody) = "image/jpeg"),
            (inline(FileBody) = "message/rfc822"),
        )
    ),
    responses(
        (status = 200, description = "The item with its new file details and version", body = DocumentationItem, headers(("ETag" = String, description = "The item's new ETag"))),
        BadRequest, Unauthorized, Forbidden, NotFound, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType,
        (status = 422, description = "The content does not match its Content-Type (`file`), the file is empty, or the name is too long (`file_name`)", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/documentation-items/{id}/file")]
async fn upload_documentation_item_file(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
    params: web::Query<FileParams>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let content_type = file_types::media_type(
        req.headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    )?;
    let file_name = match &params.file_name {
        Some(name) => file_types::clean_file_name(name)?,
        None => disposition_file_name(&req)?,
    };
    let id = id.into_inner();
    // 404 or 403 before reading a body that could not be stored anyway.
    let (who, which) = (principal.clone(), id.clone());
    db.run(move |conn| documentation_items::get(conn, &who, &which).map(|_| ()))
        .await?;
    let limit = req
        .app_data::<BodyLimit>()
        .map_or(MAX_FILE_BYTES, |l| l.0)
        .min(MAX_FILE_BYTES);
    let data = read_body(&req, &mut payload, limit).await?;
    file_types::check_content(&content_type, &data)?;
    let upload = Upload {
        content_type,
        file_name,
        data,
    };
    let item = db
        .transaction(move |conn| attachments::attach(conn, &principal, &id, if_match.0, upload))
        .await?;
    Ok(with_etag(item.version, &item))
}

/// Download the file attached to a documentation item, with its own Content-Type and name.
#[utoipa::path(
    tag = "documentation-items",
    params(
        ("id" = String, Path, description = "The documentation item's id"),
        ("If-None-Match" = Option<String>, Header, description = "The file's ETag you have; 304 when it is still current"),
    ),
    responses(
        (status = 200, description = "The file, with the Content-Type it was uploaded as",
            content(
                (inline(FileBody) = "application/pdf"),
                (inline(FileBody) = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (inline(FileBody) = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                (inline(FileBody) = "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
                (inline(FileBody) = "application/vnd.oasis.opendocument.text"),
                (inline(FileBody) = "application/vnd.oasis.opendocument.spreadsheet"),
                (inline(FileBody) = "application/vnd.oasis.opendocument.presentation"),
                (inline(FileBody) = "text/plain"),
                (inline(FileBody) = "text/csv"),
                (inline(FileBody) = "image/png"),
                (inline(FileBody) = "image/jpeg"),
                (inline(FileBody) = "message/rfc822"),
            ),
            headers(
                ("ETag" = String, description = "The file's SHA-256 in quotes"),
                ("Content-Disposition" = String, description = "`attachment; filename=\"…\"; filename*=UTF-8''…` with the file's name"),
            )
        ),
        (status = 304, description = "If-None-Match names the current file"),
        Unauthorized, Forbidden,
        (status = 404, description = "No such item, or it has no file", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/documentation-items/{id}/file")]
async fn download_documentation_item_file(
    req: HttpRequest,
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let known = if_none_match(&req);
    let file = db
        .run(move |conn| attachments::download(conn, &principal, &id, &known))
        .await?;
    let etag = format!("\"{}\"", file.sha256);
    let Some(data) = file.data else {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish());
    };
    // Text was checked to be UTF-8 at upload; say so, or browsers guess.
    let content_type = if file.content_type.starts_with("text/") {
        format!("{}; charset=utf-8", file.content_type)
    } else {
        file.content_type
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::ETAG, etag))
        .insert_header(attachment_disposition(&file.file_name))
        // Served from the API's origin: never let a browser sniff it into HTML.
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(data))
}

/// Remove the file attached to a documentation item (editor); the item stays.
#[utoipa::path(
    tag = "documentation-items",
    params(
        ("id" = String, Path, description = "The documentation item's id"),
        ("If-Match" = Option<String>, Header, description = "The item's ETag you read; a stale one gets 412 and changes nothing"),
    ),
    responses(
        (status = 200, description = "The item without a file, with its new version", body = DocumentationItem, headers(("ETag" = String, description = "The item's new ETag"))),
        Unauthorized, Forbidden,
        (status = 404, description = "No such item, or it has no file", body = crate::error::Problem, content_type = "application/problem+json"),
        PreconditionFailed,
    ),
    security(("bearer" = []))
)]
#[delete("/documentation-items/{id}/file")]
async fn delete_documentation_item_file(
    db: web::Data<Db>,
    principal: Principal,
    id: web::Path<String>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    principal.require_write(Role::Editor)?;
    let item = db
        .transaction(move |conn| attachments::detach(conn, &principal, &id, if_match.0))
        .await?;
    Ok(with_etag(item.version, &item))
}

/// Reads the body up to `limit` bytes; 413 (as problem+json) beyond it, refused from the
/// declared length when there is one so a large upload is not read at all.
async fn read_body(
    req: &HttpRequest,
    payload: &mut web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge(limit));
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            PayloadError::Overflow => ApiError::PayloadTooLarge(limit),
            other => ApiError::BadRequest(format!("could not read the file: {other}")),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The file name of a `Content-Disposition` request header (`filename*` preferred).
fn disposition_file_name(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::CONTENT_DISPOSITION) else {
        return Ok(None);
    };
    let cd = ContentDisposition::from_raw(value).map_err(|_| {
        ApiError::BadRequest(
            "the Content-Disposition header could not be read; name the file with ?file_name= instead"
                .to_owned(),
        )
    })?;
    if let Some(ext) = cd.get_filename_ext() {
        let charset = ext.charset.to_string();
        let decoded = if charset.eq_ignore_ascii_case("utf-8") {
            String::from_utf8(ext.value.clone()).ok()
        } else if charset.eq_ignore_ascii_case("iso-8859-1") {
            Some(ext.value.iter().map(|b| char::from(*b)).collect())
        } else {
            None
        };
        if let Some(name) = decoded {
            return file_types::clean_file_name(&name);
        }
    }
    match cd.get_filename() {
        Some(name) => file_types::clean_file_name(name),
        None => Ok(None),
    }
}

/// `attachment; filename="…"; filename*=UTF-8''…`: the ASCII form for old clients, the exact
/// UTF-8 name (å, ä, ö) for everyone else.
fn attachment_disposition(name: &str) -> ContentDisposition {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(ascii),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".to_owned()),
                language_tag: None,
                value: name.as_bytes().to_vec(),
            }),
        ],
    }
}

/// The entity tags of `If-None-Match`, unquoted (`*` stays `*`).
fn if_none_match(req: &HttpRequest) -> Vec<String> {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| {
            let t = t.trim();
            t.strip_prefix("W/")
                .unwrap_or(t)
                .trim_matches('"')
                .to_owned()
        })
        .filter(|t| !t.is_empty())
        .collect()
}
