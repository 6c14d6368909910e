//! Risks: the yearly risk- och sårbarhetsanalys (RSA) of an object, or the risks of an activity,
//! each scored probability × consequence on the usual 4 × 4 matrix.

mod links;
mod list;
mod write;

pub use links::count_for_object;
pub use list::list;
pub use write::{create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::risks;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// Where the risk stands.
    RiskStatus {
        Open => "open",
        /// Mitigation is under way.
        Mitigating => "mitigating",
        /// Knowingly accepted as it is.
        Accepted => "accepted",
        Closed => "closed",
    }
}

/// A risk on an object or an activity.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = risks, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "activity_id": null,
    "description": "Leverantören avvecklar on-premise-versionen",
    "probability": 3, "consequence": 4, "score": 12,
    "mitigation": "Upphandla molntjänst före 2027", "owner_person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "status": "mitigating", "identified_on": "2026-02-10", "review_date": "2026-09-30",
    "external_id": "RSA-2026-04", "version": 2,
    "created_at": "2026-02-10T09:15:00.000000Z", "modified_at": "2026-03-01T10:00:00.000000Z"
}))]
pub struct Risk {
    pub id: String,
    pub municipality_id: String,
    /// The owner of the object or activity (kept in step with it; read-only).
    pub organisation_id: String,
    /// Set for risks of an object's RSA (exactly one of object_id and activity_id).
    pub object_id: Option<String>,
    /// Set for risks of an activity.
    pub activity_id: Option<String>,
    pub description: String,
    /// Sannolikhet, 1 (low) – 4 (high).
    pub probability: i32,
    /// Konsekvens, 1 (low) – 4 (severe).
    pub consequence: i32,
    /// probability × consequence, 1–16 (read-only).
    pub score: i32,
    /// Åtgärd: what is done to lower the risk.
    pub mitigation: Option<String>,
    /// Riskägare: a person in the same municipality.
    pub owner_person_id: Option<String>,
    pub status: RiskStatus,
    pub identified_on: Option<NaiveDate>,
    /// When the risk is next to be reviewed.
    pub review_date: Option<NaiveDate>,
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

/// A new risk: exactly one of `object_id` and `activity_id`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "description": "Leverantören avvecklar on-premise-versionen", "probability": 3, "consequence": 4, "mitigation": "Upphandla molntjänst före 2027", "owner_person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70", "identified_on": "2026-02-10", "review_date": "2026-09-30", "external_id": "RSA-2026-04"}))]
pub struct RiskNew {
    pub object_id: Option<String>,
    pub activity_id: Option<String>,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    pub description: String,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    pub probability: i32,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    pub consequence: i32,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub mitigation: Option<String>,
    pub owner_person_id: Option<String>,
    /// Default `open`.
    pub status: Option<RiskStatus>,
    pub identified_on: Option<NaiveDate>,
    pub review_date: Option<NaiveDate>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a risk; absent fields stay, null clears. A risk stays on its object or activity.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"probability": 2, "status": "mitigating", "review_date": "2027-03-31"}))]
pub struct RiskPatch {
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub description: Option<String>,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub probability: Option<i32>,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub consequence: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub mitigation: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_person_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub status: Option<RiskStatus>,
    #[serde(default, deserialize_with = "nullable")]
    pub identified_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub review_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /risks`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskFilter {
    pub object_id: Option<String>,
    pub activity_id: Option<String>,
    /// Owner of the object or activity, exactly.
    pub organisation_id: Option<String>,
    /// Owner of the object or activity, this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<RiskStatus>,
    /// Only risks scoring at least this (1–16).
    #[param(minimum = 1, maximum = 16, example = 9)]
    pub min_score: Option<i32>,
    /// Only risks due for review before this day (YYYY-MM-DD).
    #[param(example = "2026-12-31")]
    pub review_before: Option<NaiveDate>,
    pub owner_person_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["score", "review_date", "created_at", "modified_at"];

pub const RESOURCE: &str = "risks";

/// The risk matrix: probability × consequence.
pub fn score(probability: i32, consequence: i32) -> i32 {
    probability * consequence
}

fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&Risk>,
    after: Option<&Risk>,
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

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Risk, ApiError> {
    risks::table
        .find(id)
        .select(Risk::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("risk", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Risk, ApiError> {
    let risk = find(conn, id)?;
    scope::check(conn, principal, &risk.organisation_id)?;
    Ok(risk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_spans_the_four_by_four_matrix() {
        assert_eq!(score(1, 1), 1);
        assert_eq!(score(3, 4), 12);
        assert_eq!(score(4, 4), 16);
    }
}
