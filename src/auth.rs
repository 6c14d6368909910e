//! Authentication: bearer JWTs (HS256 with a shared secret, or RS256 against a JWKS file as
//! municipal identity providers sign them), the [`Principal`] extractor, and role checks. Read-only
//! API keys are accepted by the [`Reader`] extractor of the report and feed routes only
//! (`auth/reader.rs`; key format in `auth/api_key.rs`). Organisation scoping of records lives in
//! `domain::scope`.

use std::future::{ready, Ready};
use std::io::Write;
use std::path::Path;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use base64::Engine;
use jsonwebtoken::{jwk::JwkSet, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::config::Settings;
use crate::error::ApiError;

pub mod api_key;
mod reader;

pub use reader::{
    Reader, ReaderRejection, API_KEY_HEADER, API_KEY_PARAM, KEYS_ONLY_ON_READ_ROUTES,
};

/// What a principal may do. Ordered: a higher role includes the lower ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn parse(value: &str) -> Option<Role> {
        let v = value.trim().to_ascii_lowercase();
        let v = v.strip_prefix("styra.").unwrap_or(&v);
        match v {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

fn one_or_many<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

/// The claims Styra reads. `role` (or an identity provider's `roles` array) and `org`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "one_or_many", skip_serializing)]
    pub roles: Vec<String>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub org: Vec<String>,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

/// Who is calling, with what role and which organisation subtrees.
#[derive(Debug, Clone)]
pub struct Principal {
    pub subject: String,
    pub role: Role,
    /// `None`: unrestricted (admins without `org` claims). Otherwise the roots of the subtrees.
    pub orgs: Option<Vec<String>>,
    /// API keys only read reports and feeds.
    pub read_only: bool,
}

impl Principal {
    pub fn require(&self, role: Role) -> Result<(), ApiError> {
        if self.role >= role {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "this needs the {} role; the token has {}",
                role.as_str(),
                self.role.as_str()
            )))
        }
    }

    /// Writes need `editor` (or the given higher role) and a token, never a read-only key.
    pub fn require_write(&self, role: Role) -> Result<(), ApiError> {
        if self.read_only {
            return Err(ApiError::Forbidden("API keys are read-only".to_owned()));
        }
        self.require(role)
    }

    pub fn is_unrestricted(&self) -> bool {
        self.orgs.is_none()
    }
}

enum Keys {
    Shared {
        decoding: DecodingKey,
        encoding: EncodingKey,
    },
    Jwks(JwkSet),
}

/// Token verification (and, with a shared secret, minting).
pub struct Auth {
    keys: Keys,
    issuer: Option<String>,
    audience: Option<String>,
}

const SECRET_FILE: &str = "jwt-secret";

impl Auth {
    /// From settings: a JWKS file, a configured secret, or the secret generated into the data dir.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Auth> {
        let keys = if let Some(path) = &settings.jwt_jwks {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read JWKS file {}: {e}", path.display()))?;
            let set: JwkSet = serde_json::from_str(&text)
                .map_err(|e| anyhow::anyhow!("invalid JWKS file {}: {e}", path.display()))?;
            Keys::Jwks(set)
        } else {
            let secret = match &settings.jwt_secret {
                Some(s) => s.expose().to_owned(),
                None => data_dir_secret(&settings.data_dir)?,
            };
            Keys::Shared {
                decoding: DecodingKey::from_secret(secret.as_bytes()),
                encoding: EncodingKey::from_secret(secret.as_bytes()),
            }
        };
        Ok(Auth {
            keys,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
        })
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.leeway = 30;
        match &self.issuer {
            Some(iss) => v.set_issuer(&[iss]),
            None => v.iss = None,
        }
        match &self.audience {
            Some(aud) => v.set_audience(&[aud]),
            None => v.validate_aud = false,
        }
        v
    }

    /// Verifies a bearer token and turns its claims into a principal.
    pub fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let bad = |e: jsonwebtoken::errors::Error| {
            ApiError::Unauthorized(format!("the bearer token is not valid: {e}"))
        };
        let claims = match &self.keys {
            Keys::Shared { decoding, .. } => {
                jsonwebtoken::decode::<Claims>(token, decoding, &self.validation(Algorithm::HS256))
                    .map_err(bad)?
                    .claims
            }
            Keys::Jwks(set) => {
                let header = jsonwebtoken::decode_header(token).map_err(bad)?;
                let jwk = match &header.kid {
                    Some(kid) => set.find(kid),
                    None if set.keys.len() == 1 => set.keys.first(),
                    None => None,
                }
                .ok_or_else(|| {
                    ApiError::Unauthorized("the token's signing key is not in the JWKS".to_owned())
                })?;
                let key = DecodingKey::from_jwk(jwk).map_err(bad)?;
                jsonwebtoken::decode::<Claims>(token, &key, &self.validation(Algorithm::RS256))
                    .map_err(bad)?
                    .claims
            }
        };
        principal_from_claims(claims)
    }

    /// Mints a token (shared-secret setups only).
    pub fn mint(
        &self,
        sub: &str,
        role: Role,
        orgs: &[String],
        ttl: std::time::Duration,
    ) -> anyhow::Result<String> {
        let Keys::Shared { encoding, .. } = &self.keys else {
            anyhow::bail!(
                "tokens cannot be minted with a JWKS (public keys only); ask the identity provider"
            );
        };
        if role != Role::Admin && orgs.is_empty() {
            anyhow::bail!("editor and viewer tokens need at least one --org");
        }
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 4);
        let claims = Claims {
            sub: sub.to_owned(),
            role: Some(role.as_str().to_owned()),
            roles: Vec::new(),
            org: orgs.to_vec(),
            exp: now.saturating_add(ttl),
            iat: Some(now),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            encoding,
        )?)
    }
}

fn principal_from_claims(claims: Claims) -> Result<Principal, ApiError> {
    let role = claims
        .role
        .iter()
        .chain(claims.roles.iter())
        .filter_map(|r| Role::parse(r))
        .max()
        .ok_or_else(|| {
            ApiError::Forbidden("the token carries no Styra role (admin, editor or viewer)".into())
        })?;
    let orgs = if claims.org.is_empty() {
        if role != Role::Admin {
            return Err(ApiError::Forbidden(
                "only admin tokens may go without org claims".to_owned(),
            ));
        }
        None
    } else {
        Some(claims.org)
    };
    Ok(Principal {
        subject: claims.sub,
        role,
        orgs,
        read_only: false,
    })
}

/// Reads the secret generated on first start, or creates it (mode 0600).
fn data_dir_secret(data_dir: &Path) -> anyhow::Result<String> {
    let path = data_dir.join(SECRET_FILE);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if !existing.is_empty() {
            tracing::info!(
                "using the JWT secret in {}; mint a token with: styra token --sub <name> --role admin",
                path.display()
            );
            return Ok(existing);
        }
    }
    std::fs::create_dir_all(data_dir)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&path)?;
    file.write_all(secret.as_bytes())?;
    tracing::info!(
        "no JWT setting: generated a secret in {}; mint a token with: styra token --sub <name> --role admin",
        path.display()
    );
    Ok(secret)
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Ready<Result<Principal, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// Verifies a bearer token with the server's [`Auth`].
fn verify_bearer(req: &HttpRequest, token: &str) -> Result<Principal, ApiError> {
    req.app_data::<web::Data<Auth>>()
        .ok_or_else(|| ApiError::internal("authentication is not configured"))?
        .verify(token)
}

/// The bearer-token principal of every route except the reader routes. API keys are refused
/// here, wherever they are sent, even alongside a valid token: they only ever read reports.
fn authenticate(req: &HttpRequest) -> Result<Principal, ApiError> {
    if reader::carries_api_key(req) {
        return Err(ApiError::Unauthorized(
            reader::KEYS_ONLY_ON_READ_ROUTES.to_owned(),
        ));
    }
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthorized("an Authorization: Bearer token is required".into()))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not valid".into()))?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .ok_or_else(|| ApiError::Unauthorized("use Authorization: Bearer <token>".into()))?;
    verify_bearer(req, token.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        let mut settings = Settings::for_data_dir(std::env::temp_dir());
        settings.jwt_secret = Some(crate::config::Secret::new("test-secret"));
        Auth::from_settings(&settings).expect("auth")
    }

    #[test]
    fn minted_tokens_verify() {
        let a = auth();
        let t = a
            .mint(
                "anna",
                Role::Editor,
                &["org-1".into()],
                std::time::Duration::from_secs(60),
            )
            .expect("mint");
        let p = a.verify(&t).expect("verify");
        assert_eq!(p.role, Role::Editor);
        assert_eq!(p.orgs, Some(vec!["org-1".to_owned()]));
    }

    #[test]
    fn non_admins_need_org_claims() {
        let a = auth();
        assert!(a
            .mint("bo", Role::Viewer, &[], std::time::Duration::from_secs(60))
            .is_err());
    }

    #[test]
    fn tampered_tokens_fail() {
        let a = auth();
        let t = a
            .mint("anna", Role::Admin, &[], std::time::Duration::from_secs(60))
            .expect("mint");
        let tampered = format!("{t}x");
        assert!(matches!(
            a.verify(&tampered),
            Err(ApiError::Unauthorized(_))
        ));
    }
}
