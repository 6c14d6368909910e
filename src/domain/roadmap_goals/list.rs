//! `GET /roadmap-goals`: the filtered, scoped, sorted page of roadmap goals.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::roadmap_goals;
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{RoadmapGoal, RoadmapGoalFilter};

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
