//! How risks follow the records they point at: owners moving with their object or activity,
//! and people being erased (used by `objects`, `people` and `activities`).

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::risks;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::time;
use crate::error::ApiError;

use super::{record_change, Risk};

/// Keeps the denormalised owner in step when an object changes owner (called by `objects`).
pub fn follow_object(conn: &mut DbConnection, object_id: &str, org: &str) -> QueryResult<usize> {
    diesel::update(risks::table.filter(risks::object_id.eq(object_id)))
        .set(risks::organisation_id.eq(org))
        .execute(conn)
}

/// Keeps the denormalised owner in step when an activity changes owner (for `activities`).
pub fn follow_activity(
    conn: &mut DbConnection,
    activity_id: &str,
    org: &str,
) -> QueryResult<usize> {
    diesel::update(risks::table.filter(risks::activity_id.eq(activity_id)))
        .set(risks::organisation_id.eq(org))
        .execute(conn)
}

/// How many risks an object has (deleting the object is refused while any remain).
pub fn count_for_object(conn: &mut DbConnection, object_id: &str) -> QueryResult<i64> {
    risks::table
        .filter(risks::object_id.eq(object_id))
        .count()
        .get_result(conn)
}

/// How many risks a person owns (erasing the person asks for `force` while any do).
pub fn count_owned(conn: &mut DbConnection, person_id: &str) -> QueryResult<i64> {
    risks::table
        .filter(risks::owner_person_id.eq(person_id))
        .count()
        .get_result(conn)
}

/// Erasing a person: their risks lose the owner (recorded as updates), the risks themselves stay.
pub fn release_owner(
    conn: &mut DbConnection,
    principal: &Principal,
    person_id: &str,
) -> Result<usize, ApiError> {
    let owned: Vec<Risk> = risks::table
        .filter(risks::owner_person_id.eq(person_id))
        .select(Risk::as_select())
        .load(conn)?;
    let now = time::now();
    for before in &owned {
        let mut after = before.clone();
        after.owner_person_id = None;
        after.version = before.version + 1;
        after.modified_at = now;
        diesel::update(risks::table.filter(risks::id.eq(&before.id)))
            .set(&after)
            .execute(conn)?;
        record_change(
            conn,
            principal,
            ChangeAction::Update,
            Some(before),
            Some(&after),
        )?;
    }
    Ok(owned.len())
}
