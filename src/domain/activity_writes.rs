//! Creating, changing and deleting activities, with their cross-record rules: the owner comes
//! from the plan (or is given), references stay inside the municipality, co-funding adds up to
//! the planned budget, and an adopted plan's planned figures stay locked.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{
    activities, activity_focus_areas, activity_funding, benefits, decision_subjects,
    documentation_items, focus_areas, organisations, people, phase_transitions, risks, roadmaps,
};
use crate::db::DbConnection;
use crate::domain::activities::{
    get, get_row, record_change, with_links, Activity, ActivityNew, ActivityPatch, ActivityRow,
    CoFunding, Phase,
};
use crate::domain::changes::ChangeAction;
use crate::domain::{
    activity_phases, clean, new_id, organisations as orgs, plans, scope, text, time,
};
use crate::error::{ApiError, FieldError};

/// The municipality of a record in `table`, or None when it does not exist.
macro_rules! municipality_of {
    ($conn:expr, $table:ident, $id:expr) => {
        $table::table
            .find($id)
            .select($table::municipality_id)
            .first::<String>($conn)
            .optional()?
    };
}

/// Checks that every reference exists in the activity's municipality and that co-funding adds up.
fn check_references(
    conn: &mut DbConnection,
    a: &ActivityRow,
    focus: &[String],
    funding: &[CoFunding],
) -> Result<(), ApiError> {
    let m = a.municipality_id.as_str();
    let mut errors = Vec::new();
    let same = |found: Option<String>, field: &str, what: &str, errors: &mut Vec<FieldError>| {
        match found {
            None => errors.push(FieldError::new(field, format!("no such {what}"))),
            Some(x) if x != m => errors.push(FieldError::new(
                field,
                format!("must be a {what} in the same municipality"),
            )),
            Some(_) => {}
        }
    };
    if let Some(id) = &a.roadmap_id {
        same(
            municipality_of!(conn, roadmaps, id),
            "roadmap_id",
            "roadmap",
            &mut errors,
        );
    }
    if let Some(id) = &a.responsible_person_id {
        same(
            municipality_of!(conn, people, id),
            "responsible_person_id",
            "person",
            &mut errors,
        );
    }
    for (i, id) in focus.iter().enumerate() {
        same(
            municipality_of!(conn, focus_areas, id),
            &format!("focus_area_ids[{i}]"),
            "focus area",
            &mut errors,
        );
    }
    for (i, share) in funding.iter().enumerate() {
        same(
            municipality_of!(conn, organisations, &share.organisation_id),
            &format!("co_funding[{i}].organisation_id"),
            "organisation",
            &mut errors,
        );
    }
    if let (Some(from), Some(to)) = (a.start_date, a.end_date) {
        if to < from {
            errors.push(FieldError::new("end_date", "must not be before start_date"));
        }
    }
    if !funding.is_empty() {
        let sum: i64 = funding.iter().map(|s| s.amount).sum();
        match a.planned_budget {
            None => errors.push(FieldError::new(
                "co_funding",
                "needs a planned_budget to share",
            )),
            Some(planned) if planned != sum => errors.push(FieldError::new(
                "co_funding",
                format!("the shares add up to {sum} SEK but planned_budget is {planned} SEK"),
            )),
            Some(_) => {}
        }
        let mut seen = std::collections::HashSet::new();
        if !funding.iter().all(|s| seen.insert(&s.organisation_id)) {
            errors.push(FieldError::new("co_funding", "name each organisation once"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn check_external_id(conn: &mut DbConnection, a: &ActivityRow) -> Result<(), ApiError> {
    if let Some(ext) = &a.external_id {
        let taken: i64 = activities::table
            .filter(activities::municipality_id.eq(&a.municipality_id))
            .filter(activities::external_id.eq(ext))
            .filter(activities::id.ne(&a.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another activity in this municipality"
            )));
        }
    }
    Ok(())
}

fn save_links(
    conn: &mut DbConnection,
    id: &str,
    focus: &[String],
    funding: &[CoFunding],
) -> QueryResult<()> {
    diesel::delete(activity_focus_areas::table.filter(activity_focus_areas::activity_id.eq(id)))
        .execute(conn)?;
    let mut seen = std::collections::HashSet::new();
    for f in focus.iter().filter(|f| seen.insert(f.as_str())) {
        diesel::insert_into(activity_focus_areas::table)
            .values((
                activity_focus_areas::activity_id.eq(id),
                activity_focus_areas::focus_area_id.eq(f),
            ))
            .execute(conn)?;
    }
    diesel::delete(activity_funding::table.filter(activity_funding::activity_id.eq(id)))
        .execute(conn)?;
    for share in funding {
        diesel::insert_into(activity_funding::table)
            .values((
                activity_funding::activity_id.eq(id),
                activity_funding::organisation_id.eq(&share.organisation_id),
                activity_funding::amount.eq(share.amount),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Places an activity in a plan: owner, object, year and municipality follow the plan.
fn place_in_plan(
    conn: &mut DbConnection,
    principal: &Principal,
    a: &mut ActivityRow,
    plan_id: &str,
) -> Result<plans::Plan, ApiError> {
    let plan =
        plans::find(conn, plan_id).map_err(|_| ApiError::field("plan_id", "no such plan"))?;
    scope::check(conn, principal, &plan.organisation_id)?;
    a.plan_id = Some(plan.id.clone());
    a.object_id = Some(plan.object_id.clone());
    a.organisation_id = plan.organisation_id.clone();
    a.municipality_id = plan.municipality_id.clone();
    a.year = plan.year;
    Ok(plan)
}

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
