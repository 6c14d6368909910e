//! Follow-ups of a benefit (uppföljning): a measured value on a date, optionally with the SEK
//! realised. Every write recomputes the benefit's realised fields in the same transaction.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{benefit_follow_ups, benefits as benefit_rows};
use crate::db::DbConnection;
use crate::domain::benefits::{self, realisation, MAX_SEK};
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, scope, time};
use crate::error::ApiError;

/// One follow-up of a benefit.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = benefit_follow_ups, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-9999-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "benefit_id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70",
    "follow_up_date": "2026-08-31", "measured_value": 7.0, "realised_value_sek": null,
    "comment": "Delårsrapport 2", "version": 1,
    "created_at": "2026-08-31T10:00:00.000000Z", "modified_at": "2026-08-31T10:00:00.000000Z"
}))]
pub struct BenefitFollowUp {
    pub id: String,
    pub municipality_id: String,
    /// The benefit's owner (kept in step with it; read-only).
    pub organisation_id: String,
    pub benefit_id: String,
    pub follow_up_date: NaiveDate,
    /// The indicator's value on that date, in the benefit's unit.
    pub measured_value: f64,
    /// Whole SEK realised per year, when known; otherwise the benefit computes it from progress.
    pub realised_value_sek: Option<i64>,
    pub comment: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new follow-up of a benefit.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"benefit_id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70", "follow_up_date": "2026-08-31", "measured_value": 7.0, "comment": "Delårsrapport 2"}))]
pub struct BenefitFollowUpNew {
    pub benefit_id: String,
    pub follow_up_date: NaiveDate,
    pub measured_value: f64,
    #[validate(range(min = 0, max = MAX_SEK))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub realised_value_sek: Option<i64>,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

/// Changes to a follow-up; absent fields stay, null clears. It stays with its benefit.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"measured_value": 6.5, "realised_value_sek": 450000}))]
pub struct BenefitFollowUpPatch {
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub follow_up_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub measured_value: Option<f64>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0, max = MAX_SEK))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub realised_value_sek: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub comment: Option<Option<String>>,
}

/// Filters of `GET /benefit-follow-ups`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BenefitFollowUpFilter {
    pub benefit_id: Option<String>,
    /// Follow-ups of the benefits of this activity.
    pub activity_id: Option<String>,
    /// Owner of the benefit, exactly.
    pub organisation_id: Option<String>,
    /// Owner of the benefit, this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Only follow-ups on or after this day (YYYY-MM-DD).
    #[param(example = "2026-01-01")]
    pub from: Option<NaiveDate>,
    /// Only follow-ups on or before this day (YYYY-MM-DD).
    #[param(example = "2026-12-31")]
    pub to: Option<NaiveDate>,
}

pub const SORT_FIELDS: &[&str] = &["follow_up_date", "created_at", "modified_at"];
pub const RESOURCE: &str = "benefit-follow-ups";

fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&BenefitFollowUp>,
    after: Option<&BenefitFollowUp>,
) -> Result<(), ApiError> {
    let Some(current) = after.or(before) else {
        return Ok(());
    };
    let subject = Subject {
        resource: RESOURCE,
        record_id: &current.id,
        municipality_id: Some(&current.municipality_id),
        organisation_id: Some(&current.organisation_id),
    };
    changes::record(conn, principal, action, subject, before, after)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<BenefitFollowUp, ApiError> {
    benefit_follow_ups::table
        .find(id)
        .select(BenefitFollowUp::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("benefit follow-up", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<BenefitFollowUp, ApiError> {
    let follow_up = find(conn, id)?;
    scope::check(conn, principal, &follow_up.organisation_id)?;
    Ok(follow_up)
}

/// Reads a follow-up for a write, with its benefit locked first (see [`benefits::lock`]).
fn get_locked(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<BenefitFollowUp, ApiError> {
    let benefit_id = find(conn, id)?.benefit_id;
    benefits::lock(conn, &benefit_id)?;
    get(conn, principal, id)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: BenefitFollowUpNew,
) -> Result<BenefitFollowUp, ApiError> {
    benefits::lock(conn, &input.benefit_id)?;
    let benefit = match benefits::find(conn, &input.benefit_id) {
        Err(ApiError::NotFound(_)) => return Err(ApiError::field("benefit_id", "no such benefit")),
        other => other?,
    };
    scope::check(conn, principal, &benefit.organisation_id)?;
    let now = time::now();
    let follow_up = BenefitFollowUp {
        id: new_id(),
        municipality_id: benefit.municipality_id,
        organisation_id: benefit.organisation_id,
        benefit_id: benefit.id,
        follow_up_date: input.follow_up_date,
        measured_value: input.measured_value,
        realised_value_sek: input.realised_value_sek,
        comment: clean(input.comment),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    diesel::insert_into(benefit_follow_ups::table)
        .values(&follow_up)
        .execute(conn)?;
    record_change(
        conn,
        principal,
        ChangeAction::Create,
        None,
        Some(&follow_up),
    )?;
    realisation::refresh(conn, principal, &follow_up.benefit_id)?;
    Ok(follow_up)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: BenefitFollowUpPatch,
) -> Result<BenefitFollowUp, ApiError> {
    let before = get_locked(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.follow_up_date {
        after.follow_up_date = v;
    }
    if let Some(v) = patch.measured_value {
        after.measured_value = v;
    }
    if let Some(v) = patch.realised_value_sek {
        after.realised_value_sek = v;
    }
    if let Some(v) = patch.comment {
        after.comment = clean(v);
    }
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        benefit_follow_ups::table
            .filter(benefit_follow_ups::id.eq(&before.id))
            .filter(benefit_follow_ups::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::PreconditionFailed);
    }
    record_change(
        conn,
        principal,
        ChangeAction::Update,
        Some(&before),
        Some(&after),
    )?;
    realisation::refresh(conn, principal, &after.benefit_id)?;
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let follow_up = get_locked(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != follow_up.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(benefit_follow_ups::table.filter(benefit_follow_ups::id.eq(&follow_up.id)))
        .execute(conn)?;
    record_change(
        conn,
        principal,
        ChangeAction::Delete,
        Some(&follow_up),
        None,
    )?;
    realisation::refresh(conn, principal, &follow_up.benefit_id)?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &BenefitFollowUpFilter,
    page: &PageRequest,
) -> Result<(Vec<BenefitFollowUp>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = benefit_follow_ups::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(benefit_follow_ups::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.benefit_id {
            q = q.filter(benefit_follow_ups::benefit_id.eq(v.clone()));
        }
        if let Some(v) = &filter.activity_id {
            let of_activity = benefit_rows::table
                .filter(benefit_rows::activity_id.eq(v.clone()))
                .select(benefit_rows::id);
            q = q.filter(benefit_follow_ups::benefit_id.eq_any(of_activity));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(benefit_follow_ups::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(benefit_follow_ups::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.from {
            q = q.filter(benefit_follow_ups::follow_up_date.ge(v));
        }
        if let Some(v) = filter.to {
            q = q.filter(benefit_follow_ups::follow_up_date.le(v));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(benefit_follow_ups::created_at.asc()),
        ("created_at", true) => build().order(benefit_follow_ups::created_at.desc()),
        ("modified_at", false) => build().order(benefit_follow_ups::modified_at.asc()),
        ("modified_at", true) => build().order(benefit_follow_ups::modified_at.desc()),
        (_, false) => build().order(benefit_follow_ups::follow_up_date.asc()),
        (_, true) => build().order(benefit_follow_ups::follow_up_date.desc()),
    };
    let rows = q
        .then_order_by(benefit_follow_ups::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(BenefitFollowUp::as_select())
        .load(conn)?;
    Ok((rows, total))
}
