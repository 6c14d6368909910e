//! Editing and deleting an activity.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{
    activities, activity_focus_areas, activity_funding, benefits, decision_subjects,
    documentation_items, phase_transitions, risks,
};
use crate::db::DbConnection;
use crate::domain::activities::{get, get_row, record_change, with_links, Activity, ActivityPatch};
use crate::domain::changes::ChangeAction;
use crate::domain::{clean, organisations as orgs, plans, scope, text, time};
use crate::error::ApiError;

use super::{check_external_id, check_references, place_in_plan, save_links};

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: ActivityPatch,
) -> Result<Activity, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut a = before.row.clone();
    match patch.plan_id {
        Some(Some(plan_id)) if Some(&plan_id) != before.row.plan_id.as_ref() => {
            let plan = place_in_plan(conn, principal, &mut a, &plan_id)?;
            if plan.municipality_id != before.row.municipality_id {
                return Err(ApiError::field(
                    "plan_id",
                    "must be a plan in the same municipality",
                ));
            }
        }
        Some(None) => {
            a.plan_id = None;
            a.object_id = None;
        }
        _ => {}
    }
    if let Some(org_id) = patch.organisation_id {
        if a.plan_id.is_some() && org_id != a.organisation_id {
            return Err(ApiError::field(
                "organisation_id",
                "an activity in a plan belongs to the plan's organisation",
            ));
        }
        if org_id != a.organisation_id {
            let org = orgs::find(conn, &org_id)
                .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
            if org.municipality_id != a.municipality_id {
                return Err(ApiError::field(
                    "organisation_id",
                    "must be in the same municipality",
                ));
            }
            scope::check(conn, principal, &org.id)?;
            a.organisation_id = org.id;
        }
    }
    if let Some(year) = patch.year {
        if a.plan_id.is_some() && year != a.year {
            return Err(ApiError::field(
                "year",
                format!("the activity follows its plan's year ({})", a.year),
            ));
        }
        a.year = year;
    }
    if let Some(v) = patch.roadmap_id {
        a.roadmap_id = v;
    }
    if let Some(v) = patch.roadmap_priority {
        a.roadmap_priority = v;
    }
    if let Some(v) = patch.kind {
        a.kind = v;
    }
    if let Some(v) = patch.title {
        a.title_sort = text::sort_key(&v);
        a.title = v.trim().to_owned();
    }
    if let Some(v) = patch.purpose_and_goals {
        a.purpose_and_goals = clean(v);
    }
    if let Some(v) = patch.start_date {
        a.start_date = v;
    }
    if let Some(v) = patch.end_date {
        a.end_date = v;
    }
    if let Some(v) = patch.planned_budget {
        a.planned_budget = v;
    }
    if let Some(v) = patch.actual_budget {
        a.actual_budget = v;
    }
    if let Some(v) = patch.responsible_person_id {
        a.responsible_person_id = v;
    }
    if let Some(v) = patch.expected_benefit {
        a.expected_benefit = v;
    }
    if let Some(v) = patch.complexity {
        a.complexity = v;
    }
    if let Some(v) = patch.external_id {
        a.external_id = clean(v);
    }
    let focus = patch
        .focus_area_ids
        .unwrap_or_else(|| before.focus_area_ids.clone());
    let funding = patch
        .co_funding
        .unwrap_or_else(|| before.co_funding.clone());
    // Planned figures of an adopted plan are locked: the activity's budget and its shares.
    let planned_changed = a.planned_budget != before.row.planned_budget
        || funding != before.co_funding
        || a.plan_id != before.row.plan_id;
    if planned_changed {
        for plan_id in [&before.row.plan_id, &a.plan_id].into_iter().flatten() {
            let touches = before.row.planned_budget.is_some() || a.planned_budget.is_some();
            if touches {
                plans::ensure_open(&plans::find(conn, plan_id)?)?;
            }
        }
    }
    check_references(conn, &a, &focus, &funding)?;
    check_external_id(conn, &a)?;
    a.version = before.row.version + 1;
    a.modified_at = time::now();
    let n = diesel::update(
        activities::table
            .filter(activities::id.eq(&a.id))
            .filter(activities::version.eq(before.row.version)),
    )
    .set(&a)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    save_links(conn, &a.id, &focus, &funding)?;
    if a.organisation_id != before.row.organisation_id {
        crate::domain::ownership::move_activity(conn, &a.id, &a.organisation_id)?;
    }
    let after = with_links(conn, vec![a])?
        .pop()
        .ok_or_else(|| ApiError::internal("activity vanished"))?;
    crate::domain::changes::record(
        conn,
        principal,
        ChangeAction::Update,
        crate::domain::changes::Subject {
            resource: crate::domain::activities::RESOURCE,
            record_id: &after.row.id,
            municipality_id: Some(&after.row.municipality_id),
            organisation_id: Some(&after.row.organisation_id),
        },
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
    let row = get_row(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let docs: i64 = documentation_items::table
        .filter(documentation_items::activity_id.eq(&row.id))
        .count()
        .get_result(conn)?;
    let bens: i64 = benefits::table
        .filter(benefits::activity_id.eq(&row.id))
        .count()
        .get_result(conn)?;
    let rsks: i64 = risks::table
        .filter(risks::activity_id.eq(&row.id))
        .count()
        .get_result(conn)?;
    let decs: i64 = decision_subjects::table
        .filter(decision_subjects::resource.eq(crate::domain::activities::RESOURCE))
        .filter(decision_subjects::record_id.eq(&row.id))
        .count()
        .get_result(conn)?;
    if docs + bens + rsks + decs > 0 {
        return Err(ApiError::Conflict(format!(
            "activity {} still has {docs} documentation item(s), {bens} benefit(s), {rsks} risk(s) and {decs} decision(s); the evidence must not be lost — delete those first or cancel the activity",
            row.id
        )));
    }
    if let Some(plan_id) = &row.plan_id {
        if row.planned_budget.is_some() {
            plans::ensure_open(&plans::find(conn, plan_id)?)?;
        }
    }
    diesel::delete(
        activity_focus_areas::table.filter(activity_focus_areas::activity_id.eq(&row.id)),
    )
    .execute(conn)?;
    diesel::delete(activity_funding::table.filter(activity_funding::activity_id.eq(&row.id)))
        .execute(conn)?;
    diesel::delete(phase_transitions::table.filter(phase_transitions::activity_id.eq(&row.id)))
        .execute(conn)?;
    diesel::delete(activities::table.filter(activities::id.eq(&row.id))).execute(conn)?;
    record_change(conn, principal, ChangeAction::Delete, Some(&row), None)?;
    Ok(())
}
