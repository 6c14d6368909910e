//! Creating, editing and deleting roadmap goals.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::roadmap_goals;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::roadmaps::{self, Roadmap};
use crate::domain::{clean, focus_areas, new_id, scope, time};
use crate::error::ApiError;

use super::{get, subject, GoalStatus, RoadmapGoal, RoadmapGoalNew, RoadmapGoalPatch};

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
