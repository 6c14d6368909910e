//! The change history: every create, update and delete writes one record (who, when, before,
//! after) in the same transaction as the change itself.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Principal;
use crate::db::schema::{changes, organisations};
use crate::db::DbConnection;
use crate::domain::{new_id, time};
use crate::error::ApiError;

crate::text_enum! {
    /// What happened to the record.
    ChangeAction {
        Create => "create",
        Update => "update",
        Delete => "delete",
    }
}

/// One recorded change.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = changes)]
pub struct ChangeRow {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub resource: String,
    pub record_id: String,
    pub municipality_id: Option<String>,
    pub organisation_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub batch_id: Option<String>,
}

/// A change as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0c4-5b7e-7c1e-9a1b-2f3c4d5e6f70", "at": "2026-11-23T09:15:00.000000Z",
    "actor": "anna.svensson", "action": "update", "resource": "objects",
    "record_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "before": {"name": "Skolplattform", "status": "planned"},
    "after": {"name": "Skolplattform", "status": "active"}, "batch_id": null
}))]
pub struct Change {
    pub id: String,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub at: NaiveDateTime,
    /// The token subject that made the change.
    pub actor: String,
    pub action: ChangeAction,
    /// The resource collection, e.g. `objects`.
    pub resource: String,
    pub record_id: String,
    pub municipality_id: Option<String>,
    /// The organisation that owned the record; scopes who may see the change.
    pub organisation_id: Option<String>,
    /// The record before the change (null for creates).
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change (null for deletes).
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    /// Set when the change was part of an import batch.
    pub batch_id: Option<String>,
}

impl From<ChangeRow> for Change {
    fn from(r: ChangeRow) -> Self {
        let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str(&t).ok());
        Change {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: ChangeAction::parse(&r.action).unwrap_or(ChangeAction::Update),
            resource: r.resource,
            record_id: r.record_id,
            municipality_id: r.municipality_id,
            organisation_id: r.organisation_id,
            before: parse(r.before),
            after: parse(r.after),
            batch_id: r.batch_id,
        }
    }
}

/// Where a change belongs: which record, and which organisation scopes it.
pub struct Subject<'a> {
    pub resource: &'static str,
    pub record_id: &'a str,
    pub municipality_id: Option<&'a str>,
    pub organisation_id: Option<&'a str>,
}

/// Writes one change record. Call inside the transaction that makes the change.
pub fn record<T: Serialize>(
    conn: &mut DbConnection,
    actor: &Principal,
    action: ChangeAction,
    subject: Subject<'_>,
    before: Option<&T>,
    after: Option<&T>,
) -> Result<(), ApiError> {
    let json = |v: Option<&T>| -> Result<Option<String>, ApiError> {
        v.map(|v| serde_json::to_string(v).map_err(ApiError::internal))
            .transpose()
    };
    let row = ChangeRow {
        id: new_id(),
        at: time::now(),
        actor: actor.subject.clone(),
        action: action.as_str().to_owned(),
        resource: subject.resource.to_owned(),
        record_id: subject.record_id.to_owned(),
        municipality_id: subject.municipality_id.map(str::to_owned),
        organisation_id: subject.organisation_id.map(str::to_owned),
        before: json(before)?,
        after: json(after)?,
        batch_id: None,
    };
    diesel::insert_into(changes::table)
        .values(&row)
        .execute(conn)?;
    Ok(())
}

/// Filters of `GET /changes`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ChangeFilter {
    /// The resource collection, e.g. `objects`.
    #[param(example = "objects")]
    pub resource: Option<String>,
    /// The record's id.
    pub id: Option<String>,
    /// Only changes at or after this time (RFC 3339 or a date).
    #[param(example = "2026-01-01T00:00:00Z")]
    pub since: Option<String>,
    /// Only changes by this actor.
    pub actor: Option<String>,
    /// Only changes in this organisation's subtree.
    pub organisation_id: Option<String>,
    /// Only this kind of change.
    pub action: Option<ChangeAction>,
    /// Only the changes of one import batch.
    pub batch_id: Option<String>,
    /// Rows per page, 1–1000 (default 50).
    pub limit: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
}

/// Lists changes in time order, scoped like the records they describe.
pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &ChangeFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Change>, i64), ApiError> {
    let since = match &filter.since {
        Some(s) => Some(time::parse_instant(s).ok_or_else(|| {
            ApiError::field("since", "must be an RFC 3339 time or a date (YYYY-MM-DD)")
        })?),
        None => None,
    };
    let build = || {
        let mut q = changes::table.into_boxed();
        if let Some(orgs) = crate::domain::scope::visible_orgs(principal) {
            // Shared records (no organisation, e.g. shared role types) are visible to all, and a
            // municipality's own role types and focus areas to anyone working in it.
            let municipalities = organisations::table
                .filter(organisations::id.eq_any(principal.orgs.clone().unwrap_or_default()))
                .select(organisations::municipality_id);
            q = q.filter(
                changes::organisation_id
                    .assume_not_null()
                    .eq_any(orgs)
                    .or(changes::organisation_id.is_null())
                    .or(changes::resource
                        .eq_any([
                            crate::domain::role_types::RESOURCE,
                            crate::domain::focus_areas::RESOURCE,
                        ])
                        .and(
                            changes::municipality_id
                                .assume_not_null()
                                .eq_any(municipalities),
                        )),
            );
        }
        if let Some(r) = &filter.resource {
            q = q.filter(changes::resource.eq(r.clone()));
        }
        if let Some(id) = &filter.id {
            q = q.filter(changes::record_id.eq(id.clone()));
        }
        if let Some(t) = since {
            q = q.filter(changes::at.ge(t));
        }
        if let Some(a) = &filter.actor {
            q = q.filter(changes::actor.eq(a.clone()));
        }
        if let Some(o) = &filter.organisation_id {
            q = q.filter(
                changes::organisation_id
                    .assume_not_null()
                    .eq_any(crate::domain::scope::subtree_ids(vec![o.clone()])),
            );
        }
        if let Some(a) = filter.action {
            q = q.filter(changes::action.eq(a.as_str()));
        }
        if let Some(b) = &filter.batch_id {
            q = q.filter(changes::batch_id.eq(b.clone()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let rows: Vec<ChangeRow> = build()
        .order((changes::at.asc(), changes::id.asc()))
        .limit(limit)
        .offset(offset)
        .select(ChangeRow::as_select())
        .load(conn)?;
    Ok((rows.into_iter().map(Change::from).collect(), total))
}
