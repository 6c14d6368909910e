//! The [`Reader`] extractor of the read-only report and feed routes (`/api/v1/reports`,
//! `/odata`): the one place where API keys are accepted and where the overload limit applies.
//!
//! Credentials, in this order: `Authorization: Bearer <JWT>` (as everywhere), the `X-Api-Key`
//! header, the `api_key` query parameter (what Power BI's `Web.Contents(url,
//! [ApiKeyName="api_key"])` sends in scheduled refresh), and `Authorization: Basic` whose
//! password is the key (Power BI's "Basic" credential; the user name is ignored). A key stands
//! for a read-only viewer of its organisations' subtrees.

use std::fmt;

use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::ResponseError;
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest, HttpResponse};
use base64::Engine;
use futures_util::future::LocalBoxFuture;

use super::{api_key, verify_bearer, Principal};
use crate::db::Db;
use crate::domain::{api_keys, time};
use crate::error::ApiError;
use crate::overload::{ReadLimiter, ReadPermit};

/// The header that carries an API key.
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");
/// The query parameter that carries an API key. Never an unknown parameter (see `api::paging`).
pub const API_KEY_PARAM: &str = "api_key";
/// What the 401 of every other route says when it is sent a key.
pub const KEYS_ONLY_ON_READ_ROUTES: &str = "API keys only work on report and OData routes (GET /api/v1/reports/…, /odata/…); this route needs Authorization: Bearer <JWT>";

/// The caller of a report or feed route, already admitted by the overload limit.
#[derive(Debug, Clone)]
pub struct Reader(pub Principal);

enum Credential {
    Bearer(String),
    Key(String),
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::Unauthorized(message.to_owned())
}

/// The key in a `Basic` credential: the password; the user name is ignored.
fn basic_password(encoded: &str) -> Result<String, ApiError> {
    let bad = || unauthorized("the Basic credential is not valid base64 of user:password");
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| bad())?;
    let text = String::from_utf8(decoded).map_err(|_| bad())?;
    let (_, password) = text.split_once(':').ok_or_else(bad)?;
    if password.is_empty() {
        return Err(unauthorized(
            "send the API key as the password of the Basic credential",
        ));
    }
    Ok(password.to_owned())
}

fn query_key(req: &HttpRequest) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == API_KEY_PARAM)
        .map(|(_, v)| v.into_owned())
}

fn header_text(
    req: &HttpRequest,
    name: impl header::AsHeaderName,
) -> Result<Option<&str>, ApiError> {
    req.headers()
        .get(name)
        .map(|v| {
            v.to_str()
                .map_err(|_| unauthorized("an authentication header is not valid text"))
        })
        .transpose()
}

/// Picks the credential of a reader request, in the documented order.
fn credential(req: &HttpRequest) -> Result<Credential, ApiError> {
    let authorization = header_text(req, header::AUTHORIZATION)?;
    if let Some(value) = authorization {
        if let Some(token) = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
        {
            let token = token.trim();
            if api_key::looks_like_key(token) {
                return Err(unauthorized(
                    "send an API key as the X-Api-Key header, the api_key parameter or the Basic password, not as a bearer token",
                ));
            }
            return Ok(Credential::Bearer(token.to_owned()));
        }
    }
    if let Some(key) = header_text(req, API_KEY_HEADER)? {
        return Ok(Credential::Key(key.trim().to_owned()));
    }
    if let Some(key) = query_key(req) {
        return Ok(Credential::Key(key.trim().to_owned()));
    }
    if let Some(value) = authorization {
        if let Some(encoded) = value
            .strip_prefix("Basic ")
            .or_else(|| value.strip_prefix("basic "))
        {
            return basic_password(encoded).map(Credential::Key);
        }
        return Err(unauthorized(
            "use Authorization: Bearer <JWT>, or an API key as X-Api-Key, api_key or the Basic password",
        ));
    }
    Err(unauthorized(
        "send Authorization: Bearer <JWT>, or an API key as the X-Api-Key header, the api_key query parameter or the password of Basic authentication",
    ))
}

/// Whether a request carries an API key anywhere (for the 401 of the other routes).
pub fn carries_api_key(req: &HttpRequest) -> bool {
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let basic = authorization.starts_with("Basic ") || authorization.starts_with("basic ");
    let bearer_key = authorization
        .get(7..)
        .is_some_and(|t| api_key::looks_like_key(t.trim()));
    basic || bearer_key || req.headers().contains_key(API_KEY_HEADER) || query_key(req).is_some()
}

/// Looks the key up on the primary database and, at most once a minute, records its use
/// (in the background: the request does not wait for that write).
async fn key_principal(db: web::Data<Db>, key: String) -> Result<Principal, ApiError> {
    let now = time::now();
    let holder = db
        .run(move |conn| api_keys::authenticate(conn, &key, now))
        .await?;
    if holder.needs_touch {
        let id = holder.id.clone();
        let db = db.clone();
        actix_web::rt::spawn(async move {
            // A write like any other: on SQLite it takes its turn with the write transactions,
            // or it could commit between one's first read and its first write, which SQLite
            // then refuses at once ("database is locked").
            let touched = db
                .transaction(move |conn| Ok(api_keys::touch(conn, &id, now)?))
                .await;
            if let Err(e) = touched {
                tracing::warn!(error = %e, "could not record an API key's last use");
            }
        });
    }
    Ok(holder.principal())
}

impl FromRequest for Reader {
    type Error = ReaderRejection;
    type Future = LocalBoxFuture<'static, Result<Reader, ReaderRejection>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let principal = match credential(&req)? {
                Credential::Bearer(token) => verify_bearer(&req, &token)?,
                Credential::Key(key) => {
                    let db = req
                        .app_data::<web::Data<Db>>()
                        .cloned()
                        .ok_or_else(|| ApiError::internal("the database is not configured"))?;
                    key_principal(db, key).await?
                }
            };
            // Admitted last, so that bad credentials get their 401 even under load. The permit
            // lives in the request and is released when the request is done.
            let limiter = req.app_data::<web::Data<ReadLimiter>>().cloned();
            if let Some(limiter) = limiter {
                if !req.extensions().contains::<ReadPermit>() {
                    let permit = limiter.acquire().await?;
                    req.extensions_mut().insert(permit);
                }
            }
            Ok(Reader(principal))
        })
    }
}

/// A refused reader request: the [`ApiError`] as problem+json, and on 401 a challenge that
/// names Basic as well, so clients that only send a Basic credential when challenged (Power
/// BI's "Basic" data source credential) do send it.
#[derive(Debug)]
pub struct ReaderRejection(pub ApiError);

impl From<ApiError> for ReaderRejection {
    fn from(e: ApiError) -> Self {
        ReaderRejection(e)
    }
}

impl fmt::Display for ReaderRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ResponseError for ReaderRejection {
    fn status_code(&self) -> actix_web::http::StatusCode {
        self.0.status_code()
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = self.0.error_response();
        if matches!(self.0, ApiError::Unauthorized(_)) {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"styra\", Basic realm=\"styra\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn key_of(req: &HttpRequest) -> Option<String> {
        match credential(req) {
            Ok(Credential::Key(k)) => Some(k),
            _ => None,
        }
    }

    #[test]
    fn credentials_are_taken_in_the_documented_order() {
        let basic = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode("powerbi:from-basic")
        );
        let req = TestRequest::get()
            .uri("/odata/x?api_key=from-query")
            .insert_header(("X-Api-Key", "from-header"))
            .insert_header((header::AUTHORIZATION, basic.as_str()))
            .to_http_request();
        assert_eq!(key_of(&req).as_deref(), Some("from-header"));
        let req = TestRequest::get()
            .uri("/odata/x?api_key=from-query")
            .insert_header((header::AUTHORIZATION, basic.as_str()))
            .to_http_request();
        assert_eq!(key_of(&req).as_deref(), Some("from-query"));
        let req = TestRequest::get()
            .uri("/odata/x")
            .insert_header((header::AUTHORIZATION, basic.as_str()))
            .to_http_request();
        assert_eq!(key_of(&req).as_deref(), Some("from-basic"));
        let req = TestRequest::get()
            .uri("/odata/x?api_key=from-query")
            .insert_header((header::AUTHORIZATION, "Bearer a.b.c"))
            .to_http_request();
        assert!(matches!(credential(&req), Ok(Credential::Bearer(t)) if t == "a.b.c"));
    }

    #[test]
    fn keys_are_recognised_wherever_they_are_sent() {
        let plain = TestRequest::get().uri("/api/v1/objects").to_http_request();
        assert!(!carries_api_key(&plain));
        let query = TestRequest::get()
            .uri("/api/v1/objects?api_key=x")
            .to_http_request();
        assert!(carries_api_key(&query));
        let bearer_key = TestRequest::get()
            .insert_header((header::AUTHORIZATION, "Bearer styra_abc_def"))
            .to_http_request();
        assert!(carries_api_key(&bearer_key));
        let basic = TestRequest::get()
            .insert_header((header::AUTHORIZATION, "Basic eDp5"))
            .to_http_request();
        assert!(carries_api_key(&basic));
    }

    #[test]
    fn an_empty_basic_password_is_refused() {
        let encoded = base64::engine::general_purpose::STANDARD.encode("powerbi:");
        assert!(matches!(
            basic_password(&encoded),
            Err(ApiError::Unauthorized(_))
        ));
    }
}
