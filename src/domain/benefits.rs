//! Nyttor and effektmål of an activity: indicator, baseline, target and yearly value in SEK, with
//! what has been realised so far computed from the follow-ups (`benefit_follow_ups`).

mod list;
pub mod realisation;

pub use list::list;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::{benefit_follow_ups, benefits};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{activities, clean, new_id, nullable, scope, time};
use crate::error::{ApiError, FieldError};

/// The largest amount accepted, in whole SEK: far above any municipal budget, and small enough
/// that the realisation arithmetic in floating point stays exact to the krona.
pub const MAX_SEK: i64 = 1_000_000_000_000;

/// A benefit (nytta / effektmål) of an activity.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = benefits, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "activity_id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70",
    "description": "Kortare handläggningstid för försörjningsstöd",
    "indicator": "Median handläggningstid", "unit": "dagar",
    "baseline": 10.0, "target": 4.0, "target_date": "2027-12-31", "yearly_value_sek": 800000,
    "realised_value": 7.0, "realised_value_sek": 400000, "last_follow_up": "2026-08-31",
    "external_id": "NYTTA-12", "version": 3,
    "created_at": "2026-01-15T09:15:00.000000Z", "modified_at": "2026-08-31T10:00:00.000000Z"
}))]
pub struct Benefit {
    pub id: String,
    pub municipality_id: String,
    /// The activity's owner (kept in step with it; read-only).
    pub organisation_id: String,
    pub activity_id: String,
    pub description: String,
    /// What is measured, e.g. "Median handläggningstid".
    pub indicator: Option<String>,
    /// The indicator's unit, e.g. "dagar", "%", "ärenden/månad".
    pub unit: Option<String>,
    /// The indicator's value before the activity.
    pub baseline: Option<f64>,
    /// The value the activity aims for (may be below the baseline).
    pub target: Option<f64>,
    pub target_date: Option<NaiveDate>,
    /// The yearly value in whole SEK once the target is reached (nyttokalkyl).
    pub yearly_value_sek: Option<i64>,
    /// The latest follow-up's measured value (read-only).
    pub realised_value: Option<f64>,
    /// Whole SEK realised per year: the latest follow-up's own figure, or the yearly value ×
    /// progress from baseline to target (clamped to 0–100 %); null when it cannot be computed
    /// (read-only).
    pub realised_value_sek: Option<i64>,
    /// The date of the latest follow-up (read-only).
    pub last_follow_up: Option<NaiveDate>,
    /// Your own key; unique within the municipality.
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new benefit of an activity.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"activity_id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70", "description": "Kortare handläggningstid för försörjningsstöd", "indicator": "Median handläggningstid", "unit": "dagar", "baseline": 10.0, "target": 4.0, "target_date": "2027-12-31", "yearly_value_sek": 800000, "external_id": "NYTTA-12"}))]
pub struct BenefitNew {
    pub activity_id: String,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    pub description: String,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub indicator: Option<String>,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub target_date: Option<NaiveDate>,
    #[validate(range(min = 0, max = MAX_SEK))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub yearly_value_sek: Option<i64>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a benefit; absent fields stay, null clears. The realised fields are recomputed.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"target": 5.0, "yearly_value_sek": 650000}))]
pub struct BenefitPatch {
    /// Move the benefit (and its follow-ups) to another activity in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub activity_id: Option<String>,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub indicator: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub unit: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub baseline: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub target: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub target_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0, max = MAX_SEK))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_i64)]
    pub yearly_value_sek: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /benefits`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BenefitFilter {
    pub activity_id: Option<String>,
    /// Owner of the activity, exactly.
    pub organisation_id: Option<String>,
    /// Owner of the activity, this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Only benefits that have (true) or lack (false) a follow-up.
    pub has_follow_up: Option<bool>,
    /// Only benefits whose target date is before this day (YYYY-MM-DD).
    #[param(example = "2027-01-01")]
    pub target_date_before: Option<NaiveDate>,
}

pub const SORT_FIELDS: &[&str] = &["created_at", "modified_at", "target_date"];
pub const RESOURCE: &str = "benefits";

pub(crate) fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&Benefit>,
    after: Option<&Benefit>,
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

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Benefit, ApiError> {
    benefits::table
        .find(id)
        .select(Benefit::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("benefit", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Benefit, ApiError> {
    let benefit = find(conn, id)?;
    scope::check(conn, principal, &benefit.organisation_id)?;
    Ok(benefit)
}

/// Takes the benefit's row lock (a no-op update) before anything that recomputes it, so two
/// concurrent follow-ups of one benefit are applied one after the other, each seeing the other.
pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
    diesel::update(benefits::table.filter(benefits::id.eq(id)))
        .set(benefits::version.eq(benefits::version))
        .execute(conn)
        .map(|_| ())
}

fn check_external_id(conn: &mut DbConnection, b: &Benefit) -> Result<(), ApiError> {
    if let Some(ext) = &b.external_id {
        let taken: i64 = benefits::table
            .filter(benefits::municipality_id.eq(&b.municipality_id))
            .filter(benefits::external_id.eq(ext))
            .filter(benefits::id.ne(&b.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another benefit in this municipality"
            )));
        }
    }
    Ok(())
}

/// The activity, checked to exist (422) and to be in the principal's scope (403).
fn activity(
    conn: &mut DbConnection,
    principal: &Principal,
    activity_id: &str,
) -> Result<activities::ActivityRow, ApiError> {
    let row = match activities::find_row(conn, activity_id) {
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field("activity_id", "no such activity"))
        }
        other => other?,
    };
    scope::check(conn, principal, &row.organisation_id)?;
    Ok(row)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: BenefitNew,
) -> Result<Benefit, ApiError> {
    let activity = activity(conn, principal, &input.activity_id)?;
    let now = time::now();
    let benefit = Benefit {
        id: new_id(),
        municipality_id: activity.municipality_id,
        organisation_id: activity.organisation_id,
        activity_id: activity.id,
        description: input.description.trim().to_owned(),
        indicator: clean(input.indicator),
        unit: clean(input.unit),
        baseline: input.baseline,
        target: input.target,
        target_date: input.target_date,
        yearly_value_sek: input.yearly_value_sek,
        realised_value: None,
        realised_value_sek: None,
        last_follow_up: None,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &benefit)?;
    diesel::insert_into(benefits::table)
        .values(&benefit)
        .execute(conn)?;
    record_change(conn, principal, ChangeAction::Create, None, Some(&benefit))?;
    Ok(benefit)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: BenefitPatch,
) -> Result<Benefit, ApiError> {
    lock(conn, id)?;
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(activity_id) = patch.activity_id {
        if activity_id != before.activity_id {
            let a = activity(conn, principal, &activity_id)?;
            if a.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "activity_id",
                    "must be an activity in the same municipality",
                )]));
            }
            after.activity_id = a.id;
            after.organisation_id = a.organisation_id;
        }
    }
    if let Some(v) = patch.description {
        after.description = v.trim().to_owned();
    }
    if let Some(v) = patch.indicator {
        after.indicator = clean(v);
    }
    if let Some(v) = patch.unit {
        after.unit = clean(v);
    }
    if let Some(v) = patch.baseline {
        after.baseline = v;
    }
    if let Some(v) = patch.target {
        after.target = v;
    }
    if let Some(v) = patch.target_date {
        after.target_date = v;
    }
    if let Some(v) = patch.yearly_value_sek {
        after.yearly_value_sek = v;
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    // Baseline, target and yearly value feed the realised SEK.
    realisation::apply(conn, &mut after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        benefits::table
            .filter(benefits::id.eq(&before.id))
            .filter(benefits::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::PreconditionFailed);
    }
    if after.organisation_id != before.organisation_id {
        follow_ups_follow(conn, &after.id, &after.organisation_id)?;
    }
    record_change(
        conn,
        principal,
        ChangeAction::Update,
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

/// Follow-ups carry their benefit's owner for scoping; they move with it.
fn follow_ups_follow(conn: &mut DbConnection, benefit_id: &str, org: &str) -> QueryResult<usize> {
    diesel::update(benefit_follow_ups::table.filter(benefit_follow_ups::benefit_id.eq(benefit_id)))
        .set(benefit_follow_ups::organisation_id.eq(org))
        .execute(conn)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    lock(conn, id)?;
    let benefit = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != benefit.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let follow_ups: i64 = benefit_follow_ups::table
        .filter(benefit_follow_ups::benefit_id.eq(&benefit.id))
        .count()
        .get_result(conn)?;
    if follow_ups > 0 {
        return Err(ApiError::Conflict(format!(
            "benefit {} has {follow_ups} follow-up(s); delete them first",
            benefit.id
        )));
    }
    diesel::delete(benefits::table.filter(benefits::id.eq(&benefit.id))).execute(conn)?;
    record_change(conn, principal, ChangeAction::Delete, Some(&benefit), None)?;
    Ok(())
}
