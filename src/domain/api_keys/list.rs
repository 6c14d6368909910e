//! `GET /api-keys`: the keys an admin may see, filtered, sorted and paged in SQL.

use diesel::prelude::*;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{organisations_of, ApiKey, ApiKeyRow, ApiKeyStatus};
use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{api_key_organisations, api_keys, organisations};
use crate::db::DbConnection;
use crate::domain::{scope, text, time};
use crate::error::ApiError;

/// Filters of `GET /api-keys`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiKeyFilter {
    /// Keys of this municipality.
    pub municipality_id: Option<String>,
    /// Keys whose scope names this organisation.
    pub organisation_id: Option<String>,
    /// Only keys in this state.
    #[param(example = "active")]
    pub status: Option<ApiKeyStatus>,
}

/// Lists the keys the principal may see (every organisation it reads lies in their subtrees), newest state first by sort.
pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &ApiKeyFilter,
    page: &PageRequest,
) -> Result<(Vec<ApiKey>, i64), ApiError> {
    let now = time::now();
    let build = || {
        let mut q = api_keys::table.into_boxed();
        if let Some(roots) = &principal.orgs {
            let municipalities = organisations::table
                .filter(organisations::id.eq_any(roots.clone()))
                .select(organisations::municipality_id);
            // Keys reading any organisation outside the admin's subtrees.
            let reaching_outside = api_key_organisations::table
                .filter(diesel::dsl::not(
                    api_key_organisations::organisation_id
                        .eq_any(scope::subtree_ids(roots.clone())),
                ))
                .select(api_key_organisations::api_key_id);
            q = q
                .filter(api_keys::municipality_id.eq_any(municipalities))
                .filter(diesel::dsl::not(api_keys::id.eq_any(reaching_outside)));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(api_keys::municipality_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            let keys = api_key_organisations::table
                .filter(api_key_organisations::organisation_id.eq(v.clone()))
                .select(api_key_organisations::api_key_id);
            q = q.filter(api_keys::id.eq_any(keys));
        }
        match filter.status {
            Some(ApiKeyStatus::Revoked) => q = q.filter(api_keys::revoked_at.is_not_null()),
            Some(ApiKeyStatus::Expired) => {
                q = q
                    .filter(api_keys::revoked_at.is_null())
                    .filter(api_keys::expires_at.le(now))
            }
            Some(ApiKeyStatus::Active) => {
                q = q.filter(api_keys::revoked_at.is_null()).filter(
                    api_keys::expires_at
                        .is_null()
                        .or(api_keys::expires_at.gt(now)),
                )
            }
            None => {}
        }
        if let Some(t) = &page.q {
            q = q.filter(
                api_keys::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(api_keys::created_at.asc()),
        ("created_at", true) => build().order(api_keys::created_at.desc()),
        // NULLs sort first on SQLite and last on PostgreSQL; say where never-used keys go.
        ("last_used_at", false) => build().order((
            api_keys::last_used_at.is_null().desc(),
            api_keys::last_used_at.asc(),
        )),
        ("last_used_at", true) => build().order((
            api_keys::last_used_at.is_null().asc(),
            api_keys::last_used_at.desc(),
        )),
        (_, false) => build().order(api_keys::name_sort.asc()),
        (_, true) => build().order(api_keys::name_sort.desc()),
    };
    let rows: Vec<ApiKeyRow> = q
        .then_order_by(api_keys::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(ApiKeyRow::as_select())
        .load(conn)?;
    let mut orgs = organisations_of(conn, rows.iter().map(|r| r.id.clone()).collect())?;
    let keys = rows
        .into_iter()
        .map(|r| {
            let ids = orgs.remove(&r.id).unwrap_or_default();
            r.into_api_key(ids, now)
        })
        .collect();
    Ok((keys, total))
}
