//! The one error type. Every failure becomes an RFC 9457 `application/problem+json` response;
//! internal causes go to the log only, never to the client.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One invalid field of a request.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// The field's path in the request, e.g. `name` or `budget_lines[2].planned`.
    #[schema(example = "name")]
    pub field: String,
    #[schema(example = "must be between 1 and 200 characters")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:styra:problem:validation",
    "title": "Validation failed",
    "status": 422,
    "detail": "2 fields are invalid",
    "errors": [{"field": "name", "message": "must not be empty"}, {"field": "status", "message": "unknown variant `open`, expected one of `planned`, `active`, `retired`"}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Every invalid field (validation problems only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the record was changed by someone else since you read it (If-Match does not match the current ETag)")]
    PreconditionFailed,
    #[error("the request body is larger than the limit of {0} bytes")]
    PayloadTooLarge(usize),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// None of the representations the client accepts is offered (e.g. a report as PDF).
    #[error("{0}")]
    NotAcceptable(String),
    #[error("{} invalid field(s)", .0.len())]
    Validation(Vec<FieldError>),
    #[error("too many requests; retry after {0} seconds")]
    TooManyRequests(u64),
    #[error("{0}")]
    Unavailable(String),
    /// The cause is logged; the client sees a generic message.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    pub fn pool(cause: r2d2::Error) -> Self {
        ApiError::Unavailable(format!("no database connection available: {cause}"))
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, message)])
    }

    /// A version-guarded write matched no row: someone else changed the record in between. With
    /// an If-Match that is the client's stale ETag (412); without one, a lost race to retry (409).
    pub fn lost_race(expected_version: Option<i32>) -> Self {
        match expected_version {
            Some(_) => ApiError::PreconditionFailed,
            None => ApiError::Conflict(
                "the record was changed by someone else at the same moment; read it again and retry".to_owned(),
            ),
        }
    }

    pub fn not_found(what: &str, id: &str) -> Self {
        ApiError::NotFound(format!("{what} {id} does not exist"))
    }

    fn slug_and_title(&self) -> (&'static str, &'static str) {
        match self {
            ApiError::BadRequest(_) => ("bad-request", "Bad request"),
            ApiError::Unauthorized(_) => ("unauthorized", "Authentication required"),
            ApiError::Forbidden(_) => ("forbidden", "Forbidden"),
            ApiError::NotFound(_) => ("not-found", "Not found"),
            ApiError::Conflict(_) => ("conflict", "Conflict"),
            ApiError::PreconditionFailed => ("precondition-failed", "Precondition failed"),
            ApiError::PayloadTooLarge(_) => ("payload-too-large", "Payload too large"),
            ApiError::UnsupportedMediaType(_) => {
                ("unsupported-media-type", "Unsupported media type")
            }
            ApiError::NotAcceptable(_) => ("not-acceptable", "Not acceptable"),
            ApiError::Validation(_) => ("validation", "Validation failed"),
            ApiError::TooManyRequests(_) => ("too-many-requests", "Too many requests"),
            ApiError::Unavailable(_) => ("unavailable", "Service unavailable"),
            ApiError::Internal(_) => ("internal", "Internal server error"),
        }
    }

    pub fn problem(&self) -> Problem {
        let (slug, title) = self.slug_and_title();
        let (detail, errors) = match self {
            ApiError::Validation(errors) => {
                let names: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                (
                    Some(format!("invalid field(s): {}", names.join(", "))),
                    Some(errors.clone()),
                )
            }
            ApiError::Internal(_) => (
                Some("An unexpected error occurred; it has been logged.".to_owned()),
                None,
            ),
            ApiError::Unavailable(_) => (
                Some("The database is not available right now; try again shortly.".to_owned()),
                None,
            ),
            other => (Some(other.to_string()), None),
        };
        Problem {
            problem_type: format!("urn:styra:problem:{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors,
        }
    }
}

/// A problem response for a bare status code (used for errors raised outside our handlers).
pub fn problem_for_status(status: StatusCode) -> HttpResponse {
    let title = status.canonical_reason().unwrap_or("Error").to_owned();
    let slug = title.to_lowercase().replace(' ', "-");
    let body = Problem {
        problem_type: format!("urn:styra:problem:{slug}"),
        title: title.clone(),
        status: status.as_u16(),
        detail: Some(match status {
            StatusCode::NOT_FOUND => "No such route.".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED => "This route does not support that method.".to_owned(),
            _ => title,
        }),
        errors: None,
    };
    HttpResponse::build(status)
        .content_type(PROBLEM_JSON)
        .json(body)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(cause = %cause, "service unavailable"),
            _ => {}
        }
        let mut builder = HttpResponse::build(self.status_code());
        builder.content_type(PROBLEM_JSON);
        match self {
            ApiError::Unauthorized(_) => {
                builder.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"styra\""));
            }
            ApiError::TooManyRequests(secs) => {
                builder.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            _ => {}
        }
        builder.json(self.problem())
    }
}

impl From<DieselError> for ApiError {
    fn from(e: DieselError) -> Self {
        match &e {
            DieselError::NotFound => ApiError::NotFound("the record does not exist".to_owned()),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                ApiError::Conflict(format!(
                    "a record with the same unique key already exists ({})",
                    info.constraint_name().unwrap_or_else(|| info.message())
                ))
            }
            DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
                ApiError::Conflict(
                    "the change would break a reference between records (a referenced record is missing or still in use)"
                        .to_owned(),
                )
            }
            DieselError::DatabaseError(DatabaseErrorKind::CheckViolation, info) => {
                ApiError::Validation(vec![FieldError::new(
                    info.column_name().unwrap_or("body"),
                    "violates a database rule",
                )])
            }
            DieselError::DatabaseError(_, info) if info.message().contains("database is locked") => {
                ApiError::Unavailable(info.message().to_owned())
            }
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let problem = ApiError::internal("password=hunter2 in connection string").problem();
        assert_eq!(problem.status, 500);
        assert!(!problem.detail.unwrap_or_default().contains("hunter2"));
    }

    #[test]
    fn validation_names_every_field() {
        let problem = ApiError::Validation(vec![
            FieldError::new("name", "must not be empty"),
            FieldError::new("status", "unknown value"),
        ])
        .problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.map(|e| e.len()), Some(2));
        assert_eq!(
            problem.detail.as_deref(),
            Some("invalid field(s): name, status")
        );
    }
}
