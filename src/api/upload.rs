//! Reading an import upload: the raw body with its Content-Type, or the multipart field `file`;
//! at most the import limit (413), then parsed by `crate::import` (415 when the file is not what
//! it claims, 422 listing every problem when it cannot be read).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use crate::error::ApiError;
use crate::import::{ParseError, ParseErrorKind, Sheet};
use crate::transfer::import::RowError;

/// An uploaded file.
pub struct Upload {
    pub bytes: Vec<u8>,
    pub content_type: Option<String>,
    pub file_name: Option<String>,
}

impl Upload {
    /// The resource a file's name says it holds (`activities.csv` → `activities`).
    pub fn resource_hint(&self) -> Option<String> {
        let name = self.file_name.as_deref()?;
        let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
        crate::transfer::model::resource_by_name(stem).map(|r| r.key.to_owned())
    }
}

/// Reads the upload, refusing more than `limit` bytes.
pub async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Upload, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(declared) = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if declared > limit {
            return Err(ApiError::PayloadTooLarge(limit));
        }
    }
    let multipart = content_type
        .as_deref()
        .is_some_and(|c| c.to_ascii_lowercase().starts_with("multipart/form-data"));
    if !multipart {
        let bytes = crate::api::transfer::read_limited(payload, limit).await?;
        return Ok(Upload {
            bytes,
            content_type,
            file_name: None,
        });
    }
    let mut parts = actix_multipart::Multipart::new(req.headers(), payload);
    while let Some(field) = parts.next().await {
        let mut field = field
            .map_err(|e| ApiError::BadRequest(format!("could not read the multipart body: {e}")))?;
        if field.name() != Some("file") {
            continue;
        }
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_owned);
        let content_type = field.content_type().map(|m| m.essence_str().to_owned());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk
                .map_err(|e| ApiError::BadRequest(format!("could not read the field file: {e}")))?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        // A browser sends application/octet-stream for unknown kinds: let the content decide.
        let content_type = content_type.filter(|c| c != "application/octet-stream");
        return Ok(Upload {
            bytes,
            content_type,
            file_name,
        });
    }
    Err(ApiError::field(
        "file",
        "the multipart body has no field named file",
    ))
}

/// Why an upload could not be parsed, as a response.
pub enum Unreadable {
    Api(ApiError),
    Rejected(Vec<RowError>),
}

/// Parses the upload into sheets.
pub fn parse(upload: &Upload, resource: Option<&str>) -> Result<Vec<Sheet>, Unreadable> {
    let hint = resource
        .map(str::to_owned)
        .or_else(|| upload.resource_hint())
        .unwrap_or_else(|| "import".to_owned());
    crate::import::read(upload.content_type.as_deref(), &upload.bytes, &hint).map_err(unreadable)
}

fn unreadable(e: ParseError) -> Unreadable {
    match e.kind {
        ParseErrorKind::UnsupportedFormat => {
            Unreadable::Api(ApiError::UnsupportedMediaType(e.to_string()))
        }
        ParseErrorKind::TooLarge => Unreadable::Api(ApiError::BadRequest(e.to_string())),
        ParseErrorKind::Invalid => Unreadable::Rejected(
            e.issues
                .into_iter()
                .map(|i| RowError {
                    sheet: i.sheet.unwrap_or_default(),
                    row: i.row.unwrap_or(0),
                    column: i.column,
                    value: i.value,
                    message: i.message,
                })
                .collect(),
        ),
    }
}

/// The response of an unreadable upload.
pub fn respond(u: Unreadable) -> Result<HttpResponse, ApiError> {
    match u {
        Unreadable::Api(e) => Err(e),
        Unreadable::Rejected(errors) => Ok(crate::api::transfer::rejected(errors)),
    }
}
