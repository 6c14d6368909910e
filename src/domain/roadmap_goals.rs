//! A roadmap's goals (mål): what it should achieve in a focus area, measured by an indicator
//! from a baseline to a target, with follow-up dates. Scoped through the roadmap's owner.

mod list;
mod write;

pub use list::list;
pub use write::{create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::roadmap_goals;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// How the goal is going, as of the last follow-up.
    GoalStatus {
        NotStarted => "not_started",
        OnTrack => "on_track",
        AtRisk => "at_risk",
        Achieved => "achieved",
        NotAchieved => "not_achieved",
    }
}

/// A roadmap goal.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = roadmap_goals, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-5555-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "roadmap_id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70",
    "focus_area_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "description": "Fler ärenden inom försörjningsstöd ansöks digitalt.",
    "indicator": "Andel digitala ansökningar", "unit": "%",
    "baseline": 35.0, "target": 80.0, "target_date": "2028-12-31",
    "next_follow_up": "2026-08-31", "last_follow_up": "2026-04-30", "last_value": 41.5,
    "status": "on_track", "version": 3,
    "created_at": "2026-01-10T09:15:00.000000Z", "modified_at": "2026-04-30T11:00:00.000000Z"
}))]
pub struct RoadmapGoal {
    pub id: String,
    /// Read-only: the roadmap's municipality.
    pub municipality_id: String,
    /// Read-only: the roadmap's organisation, which scopes the goal.
    pub organisation_id: String,
    pub roadmap_id: String,
    /// A målområde of the same municipality.
    pub focus_area_id: Option<String>,
    pub description: String,
    /// What is measured, e.g. "Andel digitala ansökningar".
    pub indicator: Option<String>,
    /// The indicator's unit, e.g. `%`, `st`, `timmar`.
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub target_date: Option<NaiveDate>,
    pub next_follow_up: Option<NaiveDate>,
    pub last_follow_up: Option<NaiveDate>,
    /// The indicator's value at the last follow-up.
    pub last_value: Option<f64>,
    pub status: GoalStatus,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new roadmap goal.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"roadmap_id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70", "focus_area_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70", "description": "Fler ärenden inom försörjningsstöd ansöks digitalt.", "indicator": "Andel digitala ansökningar", "unit": "%", "baseline": 35.0, "target": 80.0, "target_date": "2028-12-31", "next_follow_up": "2026-08-31"}))]
pub struct RoadmapGoalNew {
    pub roadmap_id: String,
    pub focus_area_id: Option<String>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    pub description: String,
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 500)]
    pub indicator: Option<String>,
    #[validate(
        length(min = 1, max = 50),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 50)]
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub target_date: Option<NaiveDate>,
    pub next_follow_up: Option<NaiveDate>,
    pub last_follow_up: Option<NaiveDate>,
    pub last_value: Option<f64>,
    /// Default `not_started`.
    pub status: Option<GoalStatus>,
}

/// Changes to a goal (typically a follow-up); absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"last_follow_up": "2026-08-31", "last_value": 52.0, "next_follow_up": "2026-12-31", "status": "on_track"}))]
pub struct RoadmapGoalPatch {
    /// Move the goal to another roadmap of the same municipality (e.g. the next period's).
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub roadmap_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub focus_area_id: Option<Option<String>>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 500)]
    pub indicator: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 50),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 50)]
    pub unit: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub baseline: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub target: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub target_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub next_follow_up: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub last_follow_up: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub last_value: Option<Option<f64>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub status: Option<GoalStatus>,
}

/// Filters of `GET /roadmap-goals`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoadmapGoalFilter {
    pub roadmap_id: Option<String>,
    pub focus_area_id: Option<String>,
    pub status: Option<GoalStatus>,
    /// Goals of roadmaps owned by exactly this organisation.
    pub organisation_id: Option<String>,
    /// Goals of roadmaps owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Due for follow-up: next_follow_up on or before this date.
    #[param(example = "2026-08-31")]
    pub follow_up_before: Option<NaiveDate>,
}

pub const SORT_FIELDS: &[&str] = &["target_date", "next_follow_up", "created_at", "modified_at"];

pub const RESOURCE: &str = "roadmap-goals";

fn subject(g: &RoadmapGoal) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &g.id,
        municipality_id: Some(&g.municipality_id),
        organisation_id: Some(&g.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<RoadmapGoal, ApiError> {
    roadmap_goals::table
        .find(id)
        .select(RoadmapGoal::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("roadmap goal", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<RoadmapGoal, ApiError> {
    let goal = find(conn, id)?;
    scope::check(conn, principal, &goal.organisation_id)?;
    Ok(goal)
}
