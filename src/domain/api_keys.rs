//! Read-only API keys: what an admin creates so that Power BI (or any scheduled reader) can pull
//! reports and the OData feed without a person's token. A key is scoped to organisation subtrees
//! exactly like a token's `org` claims, stored only as a hash, shown once, and revoked rather than
//! deleted, so the history of who could read what stays answerable. How a presented key becomes
//! a principal is in `api_keys/holder.rs`; the key format in `auth/api_key.rs`.

mod holder;
mod list;
mod write;

pub use holder::{authenticate, touch, KeyHolder, TOUCH_INTERVAL_SECONDS};
pub use list::{list, ApiKeyFilter};
pub use write::{create, revoke};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::{api_key_organisations, api_keys};
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{scope, time};
use crate::error::ApiError;

pub const RESOURCE: &str = "api-keys";

pub const SORT_FIELDS: &[&str] = &["name", "created_at", "last_used_at"];

/// More subtrees than this is a sign the key should be scoped to a common parent instead.
pub const MAX_ORGANISATIONS: usize = 50;

/// The stored row. `secret_hash` never leaves this module's queries.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct ApiKeyRow {
    pub id: String,
    pub municipality_id: String,
    pub name: String,
    pub name_sort: String,
    pub description: Option<String>,
    pub prefix: String,
    pub secret_hash: String,
    pub created_by: String,
    pub expires_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub modified_at: NaiveDateTime,
}

crate::text_enum! {
    /// Whether the key works: `active`, or no longer (`revoked` by an admin, `expired` by date).
    ApiKeyStatus {
        Active => "active",
        Revoked => "revoked",
        Expired => "expired",
    }
}

/// An API key as admins see it: everything but the secret, which is only shown at creation.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Power BI – nämndrapporter",
    "description": "Schemalagd uppdatering av socialnämndens rapporter",
    "prefix": "k3v9x2m4q7ab",
    "organisation_ids": ["0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70"],
    "status": "active",
    "created_by": "anna.svensson",
    "expires_at": "2027-12-31T00:00:00.000000Z", "last_used_at": "2026-11-23T05:00:12.000000Z",
    "revoked_at": null, "revoked_by": null, "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct ApiKey {
    pub id: String,
    /// The municipality all of the key's organisations belong to.
    pub municipality_id: String,
    pub name: String,
    pub description: Option<String>,
    /// The key's public part (`styra_<prefix>_…`): tells keys apart without revealing them.
    pub prefix: String,
    /// The organisations whose subtrees the key may read.
    pub organisation_ids: Vec<String>,
    pub status: ApiKeyStatus,
    /// The subject of the admin who created the key.
    pub created_by: String,
    #[serde(with = "time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<NaiveDateTime>,
    /// When the key was last accepted (updated at most once a minute).
    #[serde(with = "time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub last_used_at: Option<NaiveDateTime>,
    #[serde(with = "time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A key just created: the record plus the key itself, which is never shown again.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Power BI – nämndrapporter", "description": null, "prefix": "k3v9x2m4q7ab",
    "organisation_ids": ["0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70"], "status": "active",
    "created_by": "anna.svensson", "expires_at": null, "last_used_at": null,
    "revoked_at": null, "revoked_by": null, "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z",
    "key": "styra_k3v9x2m4q7ab_Xq0bT3nLr8VwZ2cY6hJ1sD5fG9kP4mN7aE0uI3oQ"
}))]
pub struct ApiKeyCreated {
    #[serde(flatten)]
    pub api_key: ApiKey,
    /// The key. Store it now (e.g. in Power BI's data source credentials): Styra keeps only a
    /// hash and cannot show it again.
    pub key: String,
}

/// A new key.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({
    "name": "Power BI – nämndrapporter",
    "description": "Schemalagd uppdatering av socialnämndens rapporter",
    "organisation_ids": ["0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70"],
    "expires_at": "2027-12-31T00:00:00Z"
}))]
pub struct ApiKeyNew {
    /// What the key is for, so it can be found and revoked later.
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    /// Organisations whose subtrees the key may read, all in one municipality (1–50). A key for
    /// the whole municipality names the municipality.
    #[validate(length(min = 1, max = 50))]
    #[schema(min_items = 1, max_items = 50)]
    pub organisation_ids: Vec<String>,
    /// When the key stops working by itself (RFC 3339, in the future). Absent: until revoked.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub expires_at: Option<DateTime<Utc>>,
}

impl ApiKeyRow {
    fn status(&self, now: NaiveDateTime) -> ApiKeyStatus {
        if self.revoked_at.is_some() {
            ApiKeyStatus::Revoked
        } else if self.expires_at.is_some_and(|t| t <= now) {
            ApiKeyStatus::Expired
        } else {
            ApiKeyStatus::Active
        }
    }

    fn into_api_key(self, organisation_ids: Vec<String>, now: NaiveDateTime) -> ApiKey {
        ApiKey {
            status: self.status(now),
            id: self.id,
            municipality_id: self.municipality_id,
            name: self.name,
            description: self.description,
            prefix: self.prefix,
            organisation_ids,
            created_by: self.created_by,
            expires_at: self.expires_at,
            last_used_at: self.last_used_at,
            revoked_at: self.revoked_at,
            revoked_by: self.revoked_by,
            version: self.version,
            created_at: self.created_at,
            modified_at: self.modified_at,
        }
    }
}

/// Key creation and revocation are recorded under the municipality, so only principals whose
/// scope covers the whole municipality see them in `/changes`. The record never holds the key
/// or its hash (`ApiKey` has neither).
fn subject(k: &ApiKey) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &k.id,
        municipality_id: Some(&k.municipality_id),
        organisation_id: Some(&k.municipality_id),
    }
}

/// The organisation ids of each key, in one query.
fn organisations_of(
    conn: &mut DbConnection,
    ids: Vec<String>,
) -> QueryResult<BTreeMap<String, Vec<String>>> {
    let pairs: Vec<(String, String)> = api_key_organisations::table
        .filter(api_key_organisations::api_key_id.eq_any(ids))
        .order((
            api_key_organisations::api_key_id.asc(),
            api_key_organisations::organisation_id.asc(),
        ))
        .select((
            api_key_organisations::api_key_id,
            api_key_organisations::organisation_id,
        ))
        .load(conn)?;
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, org) in pairs {
        map.entry(key).or_default().push(org);
    }
    Ok(map)
}

fn with_organisations(conn: &mut DbConnection, row: ApiKeyRow) -> QueryResult<ApiKey> {
    let mut orgs = organisations_of(conn, vec![row.id.clone()])?;
    let ids = orgs.remove(&row.id).unwrap_or_default();
    Ok(row.into_api_key(ids, time::now()))
}

/// An admin limited by `org` claims sees a key only when every organisation it reads lies in the
/// admin's subtrees (and the key belongs to a municipality the admin works in).
fn check_visible(
    conn: &mut DbConnection,
    principal: &Principal,
    key: &ApiKey,
) -> Result<(), ApiError> {
    if principal.is_unrestricted() {
        return Ok(());
    }
    let mut visible = crate::domain::focus_areas::works_in(conn, principal, &key.municipality_id)?;
    for org in &key.organisation_ids {
        visible = visible && scope::in_scope(conn, principal, org)?;
    }
    if visible {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "API key {} reads organisations outside this token's scope",
            key.id
        )))
    }
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<ApiKey, ApiError> {
    let row = api_keys::table
        .find(id)
        .select(ApiKeyRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("API key", id))?;
    let key = with_organisations(conn, row)?;
    check_visible(conn, principal, &key)?;
    Ok(key)
}
