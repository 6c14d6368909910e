//! A roadmap's goals (mål): what it should achieve in a focus area, measured by an indicator
//! from a baseline to a target, with follow-up dates. Scoped through the roadmap's owner.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::roadmap_goals;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::roadmaps::{self, Roadmap};
use crate::domain::{clean, focus_areas, new_id, nullable, scope, time};
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

/// The roadmap a goal belongs to, checked to exist and to be in scope.
fn roadmap(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Roadmap, ApiError> {
    let roadmap =
        roadmaps::find(conn, id).map_err(|_| ApiError::field("roadmap_id", "no such roadmap"))?;
    scope::check(conn, principal, &roadmap.organisation_id)?;
    Ok(roadmap)
}

fn check_focus_area(
    conn: &mut DbConnection,
    focus_area_id: Option<&str>,
    municipality: &str,
) -> Result<(), ApiError> {
    let Some(id) = focus_area_id else {
        return Ok(());
    };
    let area = focus_areas::find(conn, id)
        .map_err(|_| ApiError::field("focus_area_id", "no such focus area"))?;
    if area.municipality_id != municipality {
        return Err(ApiError::field(
            "focus_area_id",
            "must be a focus area of the roadmap's municipality",
        ));
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: RoadmapGoalNew,
) -> Result<RoadmapGoal, ApiError> {
    let roadmap = roadmap(conn, principal, &input.roadmap_id)?;
    let focus_area_id = clean(input.focus_area_id);
    check_focus_area(conn, focus_area_id.as_deref(), &roadmap.municipality_id)?;
    let now = time::now();
    let goal = RoadmapGoal {
        id: new_id(),
        municipality_id: roadmap.municipality_id,
        organisation_id: roadmap.organisation_id,
        roadmap_id: roadmap.id,
        focus_area_id,
        description: input.description.trim().to_owned(),
        indicator: clean(input.indicator),
        unit: clean(input.unit),
        baseline: input.baseline,
        target: input.target,
        target_date: input.target_date,
        next_follow_up: input.next_follow_up,
        last_follow_up: input.last_follow_up,
        last_value: input.last_value,
        status: input.status.unwrap_or(GoalStatus::NotStarted),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    diesel::insert_into(roadmap_goals::table)
        .values(&goal)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&goal),
        None,
        Some(&goal),
    )?;
    Ok(goal)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: RoadmapGoalPatch,
) -> Result<RoadmapGoal, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(roadmap_id) = patch.roadmap_id {
        if roadmap_id != before.roadmap_id {
            let target = roadmap(conn, principal, &roadmap_id)?;
            if target.municipality_id != before.municipality_id {
                return Err(ApiError::field(
                    "roadmap_id",
                    "must be a roadmap in the same municipality",
                ));
            }
            after.roadmap_id = target.id;
            after.organisation_id = target.organisation_id;
        }
    }
    if let Some(v) = patch.focus_area_id {
        after.focus_area_id = clean(v);
        check_focus_area(conn, after.focus_area_id.as_deref(), &after.municipality_id)?;
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
    if let Some(v) = patch.next_follow_up {
        after.next_follow_up = v;
    }
    if let Some(v) = patch.last_follow_up {
        after.last_follow_up = v;
    }
    if let Some(v) = patch.last_value {
        after.last_value = v;
    }
    if let Some(v) = patch.status {
        after.status = v;
    }
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        roadmap_goals::table
            .filter(roadmap_goals::id.eq(&before.id))
            .filter(roadmap_goals::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
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

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let goal = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != goal.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(roadmap_goals::table.filter(roadmap_goals::id.eq(&goal.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&goal),
        Some(&goal),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &RoadmapGoalFilter,
    page: &PageRequest,
) -> Result<(Vec<RoadmapGoal>, i64), ApiError> {
    if page.q.is_some() {
        // Goals have no name to search; silently ignoring q would return everything.
        return Err(ApiError::field(
            "q",
            "goals cannot be searched by text; use the filters",
        ));
    }
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = roadmap_goals::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(roadmap_goals::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.roadmap_id {
            q = q.filter(roadmap_goals::roadmap_id.eq(v.clone()));
        }
        if let Some(v) = &filter.focus_area_id {
            q = q.filter(roadmap_goals::focus_area_id.eq(v.clone()));
        }
        if let Some(v) = filter.status {
            q = q.filter(roadmap_goals::status.eq(v));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(roadmap_goals::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(roadmap_goals::municipality_id.eq(v.clone()));
        }
        if let Some(d) = filter.follow_up_before {
            q = q.filter(roadmap_goals::next_follow_up.le(d));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    // NULL sorts first on SQLite and last on PostgreSQL; ordering on IS NULL first puts goals
    // without a date last on both.
    use roadmap_goals::{created_at, modified_at, next_follow_up, target_date};
    let q = match (page.sort.as_str(), page.descending) {
        ("target_date", false) => build().order((target_date.is_null(), target_date.asc())),
        ("target_date", true) => build().order((target_date.is_null(), target_date.desc())),
        ("next_follow_up", false) => {
            build().order((next_follow_up.is_null(), next_follow_up.asc()))
        }
        ("next_follow_up", true) => {
            build().order((next_follow_up.is_null(), next_follow_up.desc()))
        }
        ("modified_at", false) => build().order(modified_at.asc()),
        ("modified_at", true) => build().order(modified_at.desc()),
        (_, false) => build().order(created_at.asc()),
        (_, true) => build().order(created_at.desc()),
    };
    let rows = q
        .then_order_by(roadmap_goals::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(RoadmapGoal::as_select())
        .load(conn)?;
    Ok((rows, total))
}
