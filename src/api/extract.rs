//! Request extractors: [`ValidJson`] (strict JSON bodies: every unknown field and every invalid
//! value named, body limit, content type) and [`IfMatch`] (optimistic concurrency).

use std::future::{ready, Ready};

use actix_web::{
    dev::Payload, error::PayloadError, http::header, web, FromRequest, HttpRequest, HttpResponse,
};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldError};

/// The configured body limit, shared with the JSON and upload extractors.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A JSON body that deserialized without unknown fields and passed its `validator` rules.
pub struct ValidJson<T>(pub T);

impl<T> FromRequest for ValidJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                let mime = v
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "application/json" || mime.ends_with("+json")
            })
            .unwrap_or(false);
        let limit = req
            .app_data::<BodyLimit>()
            .map(|l| l.0)
            .unwrap_or(10 * 1024 * 1024);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = bytes
                .await
                .map_err(|e| match e.as_error::<PayloadError>() {
                    Some(PayloadError::Overflow) => ApiError::PayloadTooLarge(limit),
                    _ => match e.error_response().status().as_u16() {
                        413 => ApiError::PayloadTooLarge(limit),
                        _ => ApiError::BadRequest(format!("could not read the request body: {e}")),
                    },
                })?;
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType(
                    "send the body as Content-Type: application/json".to_owned(),
                ));
            }
            parse_strict::<T>(&body).map(ValidJson)
        })
    }
}

/// Deserializes `body`, collecting every unknown field, then runs the validator rules.
pub fn parse_strict<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    let mut unknown: Vec<FieldError> = Vec::new();
    let mut track = serde_path_to_error::Track::new();
    let mut json = serde_json::Deserializer::from_slice(body);
    let parsed: Result<T, _> = {
        let tracked = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        serde_ignored::deserialize(tracked, |path| {
            unknown.push(FieldError::new(path.to_string(), "unknown field"));
        })
    };
    let value = match parsed.and_then(|v| json.end().map(|_| v)) {
        Ok(v) => v,
        Err(e) => {
            if e.is_syntax() || e.is_eof() {
                return Err(ApiError::BadRequest(format!(
                    "the body is not valid JSON: {e}"
                )));
            }
            let path = track.path().to_string();
            unknown.push(serde_error_field(&path, &e));
            return Err(ApiError::Validation(unknown));
        }
    };
    if !unknown.is_empty() {
        return Err(ApiError::Validation(unknown));
    }
    value
        .validate()
        .map_err(|e| ApiError::Validation(flatten_validation(&e)))?;
    Ok(value)
}

/// Names the field of a serde error: `missing field `x`` is reported on `x` itself.
fn serde_error_field(path: &str, e: &serde_json::Error) -> FieldError {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; the field name says where.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    };
    let prefix = if path == "." { "" } else { path };
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let field = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}.{name}")
        };
        return FieldError::new(field, "is required");
    }
    let field = if prefix.is_empty() { "body" } else { prefix };
    FieldError::new(field, msg)
}

/// Flattens validator's nested errors into `field` / `list[2].field` paths, sorted.
pub fn flatten_validation(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    flatten_into("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    out
}

fn flatten_into(prefix: &str, errors: &ValidationErrors, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if field == "__all__" {
            if prefix.is_empty() {
                "body".to_owned()
            } else {
                prefix.to_owned()
            }
        } else if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = match &e.message {
                        Some(m) => m.to_string(),
                        None => describe(e),
                    };
                    out.push(FieldError::new(path.clone(), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => flatten_into(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    flatten_into(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

fn describe(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            _ => "has the wrong length".to_owned(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".to_owned(),
        },
        "email" => "must be an e-mail address".to_owned(),
        "url" => "must be a URL".to_owned(),
        other => format!("is invalid ({other})"),
    }
}

/// The version a client last saw, from `If-Match` (absent: no check).
#[derive(Debug, Clone, Copy)]
pub struct IfMatch(pub Option<i32>);

pub fn etag(version: i32) -> String {
    format!("\"v{version}\"")
}

impl IfMatch {
    /// 412 unless the client's version is the current one (or the client sent none or `*`).
    pub fn check(&self, current: i32) -> Result<(), ApiError> {
        match self.0 {
            Some(v) if v != current => Err(ApiError::PreconditionFailed),
            _ => Ok(()),
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(raw) = req.headers().get(header::IF_MATCH) else {
            return ready(Ok(IfMatch(None)));
        };
        let parsed = raw.to_str().ok().and_then(|v| {
            let v = v.trim();
            if v == "*" {
                return Some(None);
            }
            let v = v.strip_prefix("W/").unwrap_or(v);
            v.trim_matches('"')
                .strip_prefix('v')
                .and_then(|n| n.parse::<i32>().ok())
                .map(Some)
        });
        ready(match parsed {
            Some(v) => Ok(IfMatch(v)),
            // An ETag we never issued cannot match the current one.
            None => Err(ApiError::PreconditionFailed),
        })
    }
}

/// 200 with the record and its ETag.
pub fn with_etag<T: serde::Serialize>(version: i32, body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(version)))
        .json(body)
}

/// 201 with the record, its ETag and its Location.
pub fn created<T: serde::Serialize>(location: String, version: i32, body: &T) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::LOCATION, location))
        .json(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Validate)]
    #[allow(dead_code)]
    struct Sample {
        #[validate(length(min = 1, max = 5))]
        name: String,
        #[validate(range(min = 0, max = 4))]
        level: Option<i32>,
    }

    #[test]
    fn every_unknown_field_is_named() {
        let err = parse_strict::<Sample>(br#"{"name":"a","colour":1,"size":2}"#)
            .err()
            .expect("should fail");
        match err {
            ApiError::Validation(list) => {
                let fields: Vec<_> = list.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, vec!["colour", "size"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn missing_fields_are_named() {
        let err = parse_strict::<Sample>(br#"{"level":1}"#)
            .err()
            .expect("fail");
        match err {
            ApiError::Validation(list) => assert_eq!(list[0].field, "name"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn validator_rules_name_each_field() {
        let err = parse_strict::<Sample>(br#"{"name":"toolong","level":9}"#)
            .err()
            .expect("fail");
        match err {
            ApiError::Validation(list) => {
                let fields: Vec<_> = list.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, vec!["level", "name"]);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn wrong_types_name_the_field() {
        let err = parse_strict::<Sample>(br#"{"name":"a","level":"x"}"#)
            .err()
            .expect("fail");
        match err {
            ApiError::Validation(list) => assert_eq!(list[0].field, "level"),
            other => panic!("unexpected {other:?}"),
        }
    }
}
