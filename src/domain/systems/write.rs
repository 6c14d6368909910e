//! Creating, editing and deleting systems.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{role_assignments, systems};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, objects, scope, text, time};
use crate::error::{ApiError, FieldError};

use super::{get, subject, LifecycleStatus, System, SystemNew, SystemPatch};

fn check_external_id(conn: &mut DbConnection, s: &System) -> Result<(), ApiError> {
    if let Some(ext) = &s.external_id {
        let taken: i64 = systems::table
            .filter(systems::municipality_id.eq(&s.municipality_id))
            .filter(systems::external_id.eq(ext))
            .filter(systems::id.ne(&s.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another system in this municipality"
            )));
        }
    }
    Ok(())
}

fn parent_object(
    conn: &mut DbConnection,
    principal: &Principal,
    object_id: &str,
) -> Result<objects::Object, ApiError> {
    let object = objects::find(conn, object_id)
        .map_err(|_| ApiError::field("object_id", "no such object"))?;
    scope::check(conn, principal, &object.organisation_id)?;
    Ok(object)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: SystemNew,
) -> Result<System, ApiError> {
    let object = parent_object(conn, principal, &input.object_id)?;
    let now = time::now();
    let system = System {
        id: new_id(),
        municipality_id: object.municipality_id,
        organisation_id: object.organisation_id,
        object_id: object.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        kind: input.kind,
        vendor: clean(input.vendor),
        lifecycle_status: input
            .lifecycle_status
            .unwrap_or(LifecycleStatus::Operational),
        criticality: input.criticality,
        personal_data: input.personal_data.unwrap_or(false),
        confidentiality: input.confidentiality,
        integrity: input.integrity,
        availability: input.availability,
        automated_decisions: input.automated_decisions.unwrap_or(false),
        contract_end: input.contract_end,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &system)?;
    diesel::insert_into(systems::table)
        .values(&system)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&system),
        None,
        Some(&system),
    )?;
    Ok(system)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: SystemPatch,
) -> Result<System, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(object_id) = patch.object_id {
        if object_id != before.object_id {
            let object = parent_object(conn, principal, &object_id)?;
            if object.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "object_id",
                    "must be in the same municipality",
                )]));
            }
            after.object_id = object.id;
            after.organisation_id = object.organisation_id;
        }
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.kind {
        after.kind = v;
    }
    if let Some(v) = patch.vendor {
        after.vendor = clean(v);
    }
    if let Some(v) = patch.lifecycle_status {
        after.lifecycle_status = v;
    }
    if let Some(v) = patch.criticality {
        after.criticality = v;
    }
    if let Some(v) = patch.personal_data {
        after.personal_data = v;
    }
    if let Some(v) = patch.confidentiality {
        after.confidentiality = v;
    }
    if let Some(v) = patch.integrity {
        after.integrity = v;
    }
    if let Some(v) = patch.availability {
        after.availability = v;
    }
    if let Some(v) = patch.automated_decisions {
        after.automated_decisions = v;
    }
    if let Some(v) = patch.contract_end {
        after.contract_end = v;
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        systems::table
            .filter(systems::id.eq(&before.id))
            .filter(systems::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    if after.organisation_id != before.organisation_id {
        diesel::update(role_assignments::table.filter(role_assignments::system_id.eq(&after.id)))
            .set(role_assignments::organisation_id.eq(&after.organisation_id))
            .execute(conn)?;
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
    let system = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != system.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let roles: i64 = role_assignments::table
        .filter(role_assignments::system_id.eq(&system.id))
        .count()
        .get_result(conn)?;
    if roles > 0 {
        return Err(ApiError::Conflict(format!(
            "system {} still has {roles} role assignment(s); delete them first",
            system.id
        )));
    }
    diesel::delete(systems::table.filter(systems::id.eq(&system.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&system),
        Some(&system),
        None,
    )?;
    Ok(())
}
