//! Issuing and revoking API keys, and the organisations a key may be limited to.

use std::collections::BTreeSet;

use diesel::prelude::*;

use crate::auth::{api_key, Principal};
use crate::db::schema::{api_key_organisations, api_keys, organisations};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, scope, text, time};
use crate::error::{ApiError, FieldError};

use super::{get, subject, ApiKey, ApiKeyCreated, ApiKeyNew, ApiKeyRow, ApiKeyStatus};

/// Checks the requested organisations: they exist, share one municipality and lie in the
/// creating admin's scope. Returns the municipality and the distinct ids.
fn check_organisations(
    conn: &mut DbConnection,
    principal: &Principal,
    requested: &[String],
) -> Result<(String, Vec<String>), ApiError> {
    let mut errors = Vec::new();
    let mut municipalities = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for (i, id) in requested.iter().enumerate() {
        let found: Option<String> = organisations::table
            .find(id)
            .select(organisations::municipality_id)
            .first(conn)
            .optional()?;
        match found {
            Some(m) => {
                municipalities.insert(m);
                ids.insert(id.clone());
            }
            None => errors.push(FieldError::new(
                format!("organisation_ids[{i}]"),
                "no such organisation",
            )),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut municipalities = municipalities.into_iter();
    let (Some(municipality), None) = (municipalities.next(), municipalities.next()) else {
        return Err(ApiError::field(
            "organisation_ids",
            "must all belong to one municipality",
        ));
    };
    for id in &ids {
        scope::check(conn, principal, id)?;
    }
    Ok((municipality, ids.into_iter().collect()))
}

/// Creates a key and returns it with its plaintext, the only time that is available.
pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: ApiKeyNew,
) -> Result<ApiKeyCreated, ApiError> {
    principal.require_write(crate::auth::Role::Admin)?;
    let now = time::now();
    let expires_at = input.expires_at.map(|t| t.naive_utc());
    if expires_at.is_some_and(|t| t <= now) {
        return Err(ApiError::field("expires_at", "must be in the future"));
    }
    let (municipality_id, organisation_ids) =
        check_organisations(conn, principal, &input.organisation_ids)?;
    let generated = api_key::generate();
    let row = ApiKeyRow {
        id: new_id(),
        municipality_id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        description: clean(input.description),
        prefix: generated.prefix,
        secret_hash: generated.hash,
        created_by: principal.subject.clone(),
        expires_at: expires_at.map(|t| chrono::SubsecRound::trunc_subsecs(t, 6)),
        last_used_at: None,
        revoked_at: None,
        revoked_by: None,
        version: 1,
        created_at: now,
        modified_at: now,
    };
    diesel::insert_into(api_keys::table)
        .values(&row)
        .execute(conn)?;
    // One row at a time: multi-row inserts do not compile through the MultiConnection.
    for org in &organisation_ids {
        diesel::insert_into(api_key_organisations::table)
            .values((
                api_key_organisations::api_key_id.eq(&row.id),
                api_key_organisations::organisation_id.eq(org),
            ))
            .execute(conn)?;
    }
    let api_key = row.into_api_key(organisation_ids, now);
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&api_key),
        None,
        Some(&api_key),
    )?;
    Ok(ApiKeyCreated {
        api_key,
        key: generated.plaintext,
    })
}

/// Revokes a key: from the next request on it is refused. Revoking a revoked key changes nothing.
pub fn revoke(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<ApiKey, ApiError> {
    principal.require_write(crate::auth::Role::Admin)?;
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.revoked_at.is_some() {
        return Ok(before);
    }
    let now = time::now();
    let n = diesel::update(
        api_keys::table
            .filter(api_keys::id.eq(&before.id))
            .filter(api_keys::version.eq(before.version)),
    )
    .set((
        api_keys::revoked_at.eq(now),
        api_keys::revoked_by.eq(&principal.subject),
        api_keys::version.eq(before.version + 1),
        api_keys::modified_at.eq(now),
    ))
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    let mut after = before.clone();
    after.revoked_at = Some(now);
    after.revoked_by = Some(principal.subject.clone());
    after.status = ApiKeyStatus::Revoked;
    after.version = before.version + 1;
    after.modified_at = now;
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}
