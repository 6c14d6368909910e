//! Keeping denormalised owners in step. Records carry the `organisation_id` that scopes them
//! (so every scoped list is one indexed filter); when an object or activity changes owner, its
//! dependent records move with it in the same transaction.

use diesel::prelude::*;

use crate::db::schema::{
    activities, benefit_follow_ups, benefits, budget_lines, documentation_items, phase_transitions,
    plans, risks, role_assignments, systems,
};
use crate::db::DbConnection;

/// Moves an activity's evidence, benefits and risks to its new owner.
pub fn move_activity(conn: &mut DbConnection, activity_id: &str, org: &str) -> QueryResult<()> {
    diesel::update(
        documentation_items::table.filter(documentation_items::activity_id.eq(activity_id)),
    )
    .set(documentation_items::organisation_id.eq(org))
    .execute(conn)?;
    let benefit_ids = benefits::table
        .filter(benefits::activity_id.eq(activity_id.to_owned()))
        .select(benefits::id);
    diesel::update(
        benefit_follow_ups::table.filter(benefit_follow_ups::benefit_id.eq_any(benefit_ids)),
    )
    .set(benefit_follow_ups::organisation_id.eq(org))
    .execute(conn)?;
    diesel::update(benefits::table.filter(benefits::activity_id.eq(activity_id)))
        .set(benefits::organisation_id.eq(org))
        .execute(conn)?;
    diesel::update(risks::table.filter(risks::activity_id.eq(activity_id)))
        .set(risks::organisation_id.eq(org))
        .execute(conn)?;
    diesel::update(phase_transitions::table.filter(phase_transitions::activity_id.eq(activity_id)))
        .set(phase_transitions::organisation_id.eq(org))
        .execute(conn)?;
    Ok(())
}

/// Moves everything that hangs off an object to its new owner: systems, role assignments,
/// plans, budget lines, the plans' activities and their dependents, and the object's risks.
pub fn move_object(conn: &mut DbConnection, object_id: &str, org: &str) -> QueryResult<()> {
    diesel::update(systems::table.filter(systems::object_id.eq(object_id)))
        .set(systems::organisation_id.eq(org))
        .execute(conn)?;
    let system_ids = systems::table
        .filter(systems::object_id.eq(object_id.to_owned()))
        .select(systems::id);
    diesel::update(
        role_assignments::table.filter(
            role_assignments::object_id
                .eq(object_id)
                .or(role_assignments::system_id
                    .assume_not_null()
                    .eq_any(system_ids)),
        ),
    )
    .set(role_assignments::organisation_id.eq(org))
    .execute(conn)?;
    diesel::update(plans::table.filter(plans::object_id.eq(object_id)))
        .set(plans::organisation_id.eq(org))
        .execute(conn)?;
    let plan_ids = plans::table
        .filter(plans::object_id.eq(object_id.to_owned()))
        .select(plans::id);
    diesel::update(budget_lines::table.filter(budget_lines::plan_id.eq_any(plan_ids)))
        .set(budget_lines::organisation_id.eq(org))
        .execute(conn)?;
    diesel::update(risks::table.filter(risks::object_id.eq(object_id)))
        .set(risks::organisation_id.eq(org))
        .execute(conn)?;
    let moved: Vec<String> = activities::table
        .filter(activities::object_id.eq(object_id))
        .select(activities::id)
        .load(conn)?;
    diesel::update(activities::table.filter(activities::object_id.eq(object_id)))
        .set(activities::organisation_id.eq(org))
        .execute(conn)?;
    for id in moved {
        move_activity(conn, &id, org)?;
    }
    Ok(())
}
