//! Förvaltningsplaner: one plan per object and year, drafted, adopted (fastställd) by a decision,
//! and closed after the year's follow-up. An adopted plan's planned figures are locked until an
//! admin reopens it with a reason.

mod adoption;
mod list;
mod write;

pub use adoption::{adopt, close, reopen};
pub use list::list;
pub use write::{create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::plans;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::decisions::DecisionBody;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// Where the plan is in the yearly cycle.
    PlanStatus {
        Draft => "draft",
        /// Fastställd by a decision.
        Adopted => "adopted",
        /// Followed up and closed.
        Closed => "closed",
    }
}

/// A förvaltningsplan.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = plans, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "year": 2027, "status": "adopted",
    "summary": "Fokus på införande av ny lärplattform och avveckling av gamla elevregistret.",
    "decision_id": "0193a0c4-6666-7c1e-9a1b-2f3c4d5e6f70", "adopted_on": "2026-11-15",
    "risk_analysis_date": "2026-10-01", "risk_analysis_summary": "RSA genomförd; två höga risker.",
    "risk_analysis_url": "https://intranat.kommun.se/rsa/2027-skolplattform.pdf",
    "reopened_reason": null, "external_id": "FP-2027-017", "version": 4,
    "created_at": "2026-09-01T08:00:00.000000Z", "modified_at": "2026-11-15T10:00:00.000000Z"
}))]
pub struct Plan {
    pub id: String,
    pub municipality_id: String,
    /// The object's owner (kept in step; read-only).
    pub organisation_id: String,
    pub object_id: String,
    pub year: i32,
    /// Read-only: changes through adopt, reopen and close.
    pub status: PlanStatus,
    pub summary: Option<String>,
    /// The adopting decision (read-only).
    pub decision_id: Option<String>,
    pub adopted_on: Option<NaiveDate>,
    /// When the yearly risk- och sårbarhetsanalys was done.
    pub risk_analysis_date: Option<NaiveDate>,
    pub risk_analysis_summary: Option<String>,
    pub risk_analysis_url: Option<String>,
    /// Why an admin last reopened the adopted plan.
    pub reopened_reason: Option<String>,
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new plan (draft).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "year": 2027, "summary": "Fokus på införande av ny lärplattform.", "external_id": "FP-2027-017"}))]
pub struct PlanNew {
    pub object_id: String,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub summary: Option<String>,
    pub risk_analysis_date: Option<NaiveDate>,
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub risk_analysis_summary: Option<String>,
    #[validate(url, length(max = 2000))]
    #[schema(max_length = 2000, example = "https://intranat.kommun.se/rsa.pdf")]
    pub risk_analysis_url: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a plan; absent fields stay, null clears. The summary is locked while adopted.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"risk_analysis_date": "2026-10-01", "risk_analysis_summary": "RSA genomförd; två höga risker."}))]
pub struct PlanPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub summary: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub risk_analysis_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub risk_analysis_summary: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(url, length(max = 2000))]
    #[schema(max_length = 2000, example = "https://intranat.kommun.se/rsa.pdf")]
    pub risk_analysis_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Adopting a plan (or roadmap): the decision that fastställer it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"decided_on": "2026-11-15", "body": "committee", "diarienummer": "BUN 2026/0311", "summary": "Nämnden fastställer förvaltningsplanen för 2027."}))]
pub struct AdoptionNew {
    pub decided_on: NaiveDate,
    pub body: DecisionBody,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub diarienummer: Option<String>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    pub summary: String,
}

/// Reopening an adopted plan (admin): the reason is recorded.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"reason": "Nämnden beslutade om omfördelning av budget i delårsrapporten."}))]
pub struct ReopenNew {
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub reason: String,
}

/// Filters of `GET /plans`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    pub object_id: Option<String>,
    pub organisation_id: Option<String>,
    /// Plans of objects owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub year: Option<i32>,
    pub status: Option<PlanStatus>,
    /// Only plans with (true) or without (false) a recorded risk analysis.
    pub has_risk_analysis: Option<bool>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["year", "status", "created_at", "modified_at"];

pub const RESOURCE: &str = "plans";

fn subject(p: &Plan) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &p.id,
        municipality_id: Some(&p.municipality_id),
        organisation_id: Some(&p.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Plan, ApiError> {
    plans::table
        .find(id)
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("plan", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Plan, ApiError> {
    let plan = find(conn, id)?;
    scope::check(conn, principal, &plan.organisation_id)?;
    Ok(plan)
}

/// 409 when the plan's planned figures are locked (adopted or closed).
pub fn ensure_open(plan: &Plan) -> Result<(), ApiError> {
    if plan.status == PlanStatus::Draft {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "plan {} is {}; its planned figures change only after an admin reopens it (POST /api/v1/plans/{}/reopen)",
            plan.id, plan.status, plan.id
        )))
    }
}
