//! From a presented key to the principal it stands for, and the `last_used_at` bookkeeping.
//! Runs on the primary database: a revocation must take effect at once, which a lagging read
//! replica could not promise.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::{api_key, Principal, Role};
use crate::db::schema::{api_key_organisations, api_keys};
use crate::db::DbConnection;
use crate::error::ApiError;

/// `last_used_at` is rewritten at most this often per key, so a refresh that sends hundreds of
/// requests costs one write, not hundreds.
pub const TOUCH_INTERVAL_SECONDS: i64 = 60;

/// A key that was accepted.
#[derive(Debug, Clone)]
pub struct KeyHolder {
    pub id: String,
    pub organisation_ids: Vec<String>,
    /// Whether `last_used_at` is old enough to be written again.
    pub needs_touch: bool,
}

impl KeyHolder {
    /// A key reads as a viewer of its organisations' subtrees and can never write.
    pub fn principal(&self) -> Principal {
        Principal {
            subject: format!("api-key:{}", self.id),
            role: Role::Viewer,
            orgs: Some(self.organisation_ids.clone()),
            read_only: true,
        }
    }
}

/// What checking a key needs of its row.
#[derive(Queryable, Selectable)]
#[diesel(table_name = api_keys)]
struct Stored {
    id: String,
    secret_hash: String,
    revoked_at: Option<NaiveDateTime>,
    expires_at: Option<NaiveDateTime>,
    last_used_at: Option<NaiveDateTime>,
}

fn invalid() -> ApiError {
    // The same answer for a malformed, unknown or wrong key: nothing to learn from the difference.
    ApiError::Unauthorized("the API key is not valid".to_owned())
}

/// Finds the key by its prefix and checks the secret against the stored hash (constant time).
/// Revoked and expired keys are refused. Never includes the key in an error.
pub fn authenticate(
    conn: &mut DbConnection,
    presented: &str,
    now: NaiveDateTime,
) -> Result<KeyHolder, ApiError> {
    let prefix = api_key::prefix_of(presented).ok_or_else(invalid)?;
    let found: Option<Stored> = api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .select(Stored::as_select())
        .first(conn)
        .optional()?;
    let Some(Stored {
        id,
        secret_hash: hash,
        revoked_at,
        expires_at,
        last_used_at,
    }) = found
    else {
        return Err(invalid());
    };
    if !api_key::matches(presented, &hash) {
        return Err(invalid());
    }
    if revoked_at.is_some() {
        return Err(ApiError::Unauthorized(
            "the API key has been revoked".to_owned(),
        ));
    }
    if expires_at.is_some_and(|t| t <= now) {
        return Err(ApiError::Unauthorized("the API key has expired".to_owned()));
    }
    let organisation_ids = api_key_organisations::table
        .filter(api_key_organisations::api_key_id.eq(&id))
        .order(api_key_organisations::organisation_id.asc())
        .select(api_key_organisations::organisation_id)
        .load(conn)?;
    let needs_touch =
        last_used_at.is_none_or(|t| (now - t).num_seconds() >= TOUCH_INTERVAL_SECONDS);
    Ok(KeyHolder {
        id,
        organisation_ids,
        needs_touch,
    })
}

/// Records that the key was used now, unless another request already did within the interval.
/// Not a change of the record: no version bump, no change history.
pub fn touch(conn: &mut DbConnection, id: &str, now: NaiveDateTime) -> QueryResult<usize> {
    let stale = now - chrono::Duration::seconds(TOUCH_INTERVAL_SECONDS);
    diesel::update(
        api_keys::table.filter(api_keys::id.eq(id)).filter(
            api_keys::last_used_at
                .is_null()
                .or(api_keys::last_used_at.le(stale)),
        ),
    )
    .set(api_keys::last_used_at.eq(now))
    .execute(conn)
}
