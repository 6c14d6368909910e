//! Creating an activity.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::activities;
use crate::db::DbConnection;
use crate::domain::activities::{
    record_change, with_links, Activity, ActivityNew, ActivityRow, Phase,
};
use crate::domain::changes::ChangeAction;
use crate::domain::{
    activity_phases, clean, new_id, organisations as orgs, plans, scope, text, time,
};
use crate::error::{ApiError, FieldError};

use super::{check_external_id, check_references, place_in_plan, save_links};

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: ActivityNew,
) -> Result<Activity, ApiError> {
    let now = time::now();
    let mut row = ActivityRow {
        id: new_id(),
        municipality_id: String::new(),
        organisation_id: String::new(),
        plan_id: None,
        object_id: None,
        roadmap_id: input.roadmap_id,
        roadmap_priority: input.roadmap_priority,
        kind: input.kind,
        phase: Phase::Idea,
        title_sort: text::sort_key(&input.title),
        title: input.title.trim().to_owned(),
        purpose_and_goals: clean(input.purpose_and_goals),
        year: 0,
        start_date: input.start_date,
        end_date: input.end_date,
        planned_budget: input.planned_budget,
        actual_budget: input.actual_budget,
        responsible_person_id: input.responsible_person_id,
        expected_benefit: input.expected_benefit,
        complexity: input.complexity,
        municipality_wide: false,
        phase_changed_at: Some(now),
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    match (&input.plan_id, &input.organisation_id) {
        (Some(plan_id), given) => {
            let plan = place_in_plan(conn, principal, &mut row, plan_id)?;
            if given.as_ref().is_some_and(|o| *o != plan.organisation_id) {
                return Err(ApiError::field(
                    "organisation_id",
                    "an activity in a plan belongs to the plan's organisation; leave it out",
                ));
            }
            if input.year.is_some_and(|y| y != plan.year) {
                return Err(ApiError::field(
                    "year",
                    format!("the plan is for {}", plan.year),
                ));
            }
            if row.planned_budget.is_some() {
                plans::ensure_open(&plan)?;
            }
        }
        (None, Some(org_id)) => {
            let org = orgs::find(conn, org_id)
                .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
            scope::check(conn, principal, &org.id)?;
            row.organisation_id = org.id;
            row.municipality_id = org.municipality_id;
            row.year = match input
                .year
                .or(row.start_date.map(|d| chrono::Datelike::year(&d)))
            {
                Some(y) => y,
                None => {
                    return Err(ApiError::field(
                        "year",
                        "is required for an activity outside a plan (or give start_date)",
                    ))
                }
            };
        }
        (None, None) => {
            return Err(ApiError::Validation(vec![
                FieldError::new(
                    "plan_id",
                    "give plan_id, or organisation_id for an activity outside plans",
                ),
                FieldError::new(
                    "organisation_id",
                    "give plan_id, or organisation_id for an activity outside plans",
                ),
            ]))
        }
    }
    check_references(conn, &row, &input.focus_area_ids, &input.co_funding)?;
    check_external_id(conn, &row)?;
    diesel::insert_into(activities::table)
        .values(&row)
        .execute(conn)?;
    save_links(conn, &row.id, &input.focus_area_ids, &input.co_funding)?;
    let created = with_links(conn, vec![row])?
        .pop()
        .ok_or_else(|| ApiError::internal("activity vanished"))?;
    record_change(
        conn,
        principal,
        ChangeAction::Create,
        None,
        Some(&created.row),
    )?;
    activity_phases::record_transition(
        conn,
        principal,
        &created.row,
        None,
        Phase::Idea,
        None,
        &[],
    )?;
    let target = input.phase.unwrap_or(Phase::Idea);
    if target != Phase::Idea {
        let moved = activity_phases::transition(
            conn,
            principal,
            &created.row.id,
            None,
            target,
            input.override_reason,
        )?;
        return Ok(moved);
    }
    Ok(created)
}
