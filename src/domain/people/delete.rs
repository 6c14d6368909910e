//! Deleting a person, and detaching them from the activities and risks that name them.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{activities, changes as change_rows, people, risks, role_assignments};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::time;
use crate::error::ApiError;

use super::{get, subject, RESOURCE};

/// Erases a person. Without `force`, a person who holds roles is a 409. With it, their
/// assignments end today and lose the link to the person (the role shows as vacant from then),
/// and earlier change records of the person are scrubbed of name, e-mail and title.
pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    force: bool,
) -> Result<(), ApiError> {
    let person = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != person.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let held: i64 = role_assignments::table
        .filter(role_assignments::person_id.eq(&person.id))
        .count()
        .get_result(conn)?;
    let responsible: i64 = activities::table
        .filter(activities::responsible_person_id.eq(&person.id))
        .count()
        .get_result(conn)?;
    let owned_risks: i64 = risks::table
        .filter(risks::owner_person_id.eq(&person.id))
        .count()
        .get_result(conn)?;
    if held + responsible + owned_risks > 0 && !force {
        return Err(ApiError::Conflict(format!(
            "person {} holds {held} role assignment(s), is responsible for {responsible} activit(y/ies) and owns {owned_risks} risk(s); repeat with ?force=true to end and detach them and erase the person",
            person.id
        )));
    }
    detach_from_activities_and_risks(conn, principal, &person.id)?;
    let today = chrono::Utc::now().date_naive();
    let now = time::now();
    let assignments: Vec<crate::domain::role_assignments::RoleAssignment> = role_assignments::table
        .filter(role_assignments::person_id.eq(&person.id))
        .select(crate::domain::role_assignments::RoleAssignment::as_select())
        .load(conn)?;
    for before in assignments {
        let mut after = before.clone();
        after.person_id = None;
        if after.valid_to.is_none_or(|end| end > today) {
            after.valid_to = Some(today);
        }
        if after.valid_from.is_some_and(|start| start > today) {
            after.valid_from = Some(today);
        }
        after.version = before.version + 1;
        after.modified_at = now;
        diesel::update(role_assignments::table.filter(role_assignments::id.eq(&before.id)))
            .set(&after)
            .execute(conn)?;
        crate::domain::role_assignments::record_change(
            conn,
            principal,
            ChangeAction::Update,
            Some(&before),
            Some(&after),
        )?;
    }
    // Erasure: earlier snapshots of this person must not keep the personal data.
    let scrubbed = serde_json::json!({"id": person.id, "erased": true}).to_string();
    diesel::update(
        change_rows::table
            .filter(change_rows::resource.eq(RESOURCE))
            .filter(change_rows::record_id.eq(&person.id)),
    )
    .set((
        change_rows::before.eq(Some(scrubbed.clone())),
        change_rows::after.eq(Some(scrubbed)),
    ))
    .execute(conn)?;
    diesel::delete(people::table.filter(people::id.eq(&person.id))).execute(conn)?;
    let erased = serde_json::json!({"id": person.id, "organisation_id": person.organisation_id, "erased": true});
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&person),
        Some(&erased),
        None,
    )?;
    Ok(())
}

/// Erasure: activities and risks stop naming the person (each change recorded).
fn detach_from_activities_and_risks(
    conn: &mut DbConnection,
    principal: &Principal,
    person_id: &str,
) -> Result<(), ApiError> {
    use crate::domain::activities::{record_change, ActivityRow};
    let rows: Vec<ActivityRow> = activities::table
        .filter(activities::responsible_person_id.eq(person_id))
        .select(ActivityRow::as_select())
        .load(conn)?;
    for before in rows {
        let mut after = before.clone();
        after.responsible_person_id = None;
        after.version = before.version + 1;
        after.modified_at = time::now();
        diesel::update(activities::table.filter(activities::id.eq(&before.id)))
            .set(&after)
            .execute(conn)?;
        record_change(
            conn,
            principal,
            ChangeAction::Update,
            Some(&before),
            Some(&after),
        )?;
    }
    let owned: Vec<(String, String, String, i32)> = risks::table
        .filter(risks::owner_person_id.eq(person_id))
        .select((
            risks::id,
            risks::municipality_id,
            risks::organisation_id,
            risks::version,
        ))
        .load(conn)?;
    for (id, municipality_id, organisation_id, version) in owned {
        diesel::update(risks::table.filter(risks::id.eq(&id)))
            .set((
                risks::owner_person_id.eq(None::<String>),
                risks::version.eq(version + 1),
                risks::modified_at.eq(time::now()),
            ))
            .execute(conn)?;
        changes::record(
            conn,
            principal,
            ChangeAction::Update,
            Subject {
                resource: "risks",
                record_id: &id,
                municipality_id: Some(&municipality_id),
                organisation_id: Some(&organisation_id),
            },
            Some(&serde_json::json!({"id": id, "owner_person_id": person_id})),
            Some(&serde_json::json!({"id": id, "owner_person_id": null})),
        )?;
    }
    Ok(())
}
