//! Creating, changing and deleting activities, with their cross-record rules: the owner comes
//! from the plan (or is given), references stay inside the municipality, co-funding adds up to
//! the planned budget, and an adopted plan's planned figures stay locked.

mod create;
mod update;

pub use create::create;
pub use update::{delete, update};

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{
    activities, activity_focus_areas, activity_funding, focus_areas, organisations, people,
    roadmaps,
};
use crate::db::DbConnection;
use crate::domain::activities::{ActivityRow, CoFunding};
use crate::domain::{plans, scope};
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
