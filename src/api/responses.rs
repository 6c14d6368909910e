//! Documented error responses, shared by every route's `#[utoipa::path]`.

use utoipa::IntoResponses;

use crate::error::Problem;

/// Missing, expired or invalid bearer token.
#[derive(IntoResponses)]
#[response(
    status = 401,
    description = "Missing, expired or invalid credentials",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct Unauthorized(Problem);

/// The token's role or organisation scope does not allow this.
#[derive(IntoResponses)]
#[response(
    status = 403,
    description = "The role or organisation scope does not allow this",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct Forbidden(Problem);

/// No such record.
#[derive(IntoResponses)]
#[response(
    status = 404,
    description = "No such record",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct NotFound(Problem);

/// A unique key is taken, or the record is still referenced.
#[derive(IntoResponses)]
#[response(
    status = 409,
    description = "A unique key (e.g. external_id) is taken, or the record is still referenced; the detail names the conflict",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct Conflict(Problem);

/// The `If-Match` ETag is stale.
#[derive(IntoResponses)]
#[response(
    status = 412,
    description = "If-Match does not match the current ETag; nothing was changed",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct PreconditionFailed(Problem);

/// The body is over the configured limit.
#[derive(IntoResponses)]
#[response(
    status = 413,
    description = "The body is larger than the configured limit",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct PayloadTooLarge(Problem);

/// Invalid fields; `errors` names each one.
#[derive(IntoResponses)]
#[response(
    status = 422,
    description = "Validation failed; `errors` names every invalid or unknown field",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct Unprocessable(Problem);

/// Malformed request (e.g. not JSON, bad query parameter).
#[derive(IntoResponses)]
#[response(
    status = 400,
    description = "Malformed request, e.g. a body that is not JSON or a query parameter of the wrong type",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct BadRequest(Problem);

/// The body's media type is not accepted.
#[derive(IntoResponses)]
#[response(
    status = 415,
    description = "The Content-Type is not accepted here; the detail lists the accepted types",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct UnsupportedMediaType(Problem);

/// None of the accepted representations is offered.
#[derive(IntoResponses)]
#[response(
    status = 406,
    description = "Neither `format` nor `Accept` names a representation offered here (reports: json, csv, xlsx)",
    content_type = "application/problem+json"
)]
#[allow(dead_code)]
pub struct NotAcceptable(Problem);
