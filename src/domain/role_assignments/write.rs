//! Creating, editing and deleting role assignments, with their date and duplicate rules.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::role_assignments;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::role_types::{self, RoleTarget};
use crate::domain::{objects, people, scope, systems, time};
use crate::error::{ApiError, FieldError};

use super::{get, record_change, RoleAssignment, RoleAssignmentNew, RoleAssignmentPatch};

fn check_dates(from: Option<NaiveDate>, to: Option<NaiveDate>, errors: &mut Vec<FieldError>) {
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.push(FieldError::new("valid_to", "must not be before valid_from"));
        }
    }
}

/// The person must exist in the municipality of the object or system.
fn check_person(
    conn: &mut DbConnection,
    person_id: &str,
    municipality: &str,
    errors: &mut Vec<FieldError>,
) -> Result<(), ApiError> {
    match people::find(conn, person_id) {
        Err(ApiError::NotFound(_)) => errors.push(FieldError::new("person_id", "no such person")),
        Err(e) => return Err(e),
        Ok(p) if p.municipality_id != municipality => errors.push(FieldError::new(
            "person_id",
            "must be a person in the same municipality",
        )),
        Ok(_) => {}
    }
    Ok(())
}

/// 409 when the same person already holds the same role on the same object or system for an
/// overlapping period: a duplicate would count twice in "who held which role" and hide which
/// record is the true one. (Different people may share a role; the same person twice may not.)
pub fn check_not_duplicate(conn: &mut DbConnection, a: &RoleAssignment) -> Result<(), ApiError> {
    let Some(person_id) = &a.person_id else {
        return Ok(());
    };
    let mut q = role_assignments::table
        .select(role_assignments::id)
        .filter(role_assignments::id.ne(&a.id))
        .filter(role_assignments::person_id.eq(person_id))
        .filter(role_assignments::role_type_id.eq(&a.role_type_id))
        .into_boxed();
    q = match (&a.object_id, &a.system_id) {
        (Some(o), _) => q.filter(role_assignments::object_id.eq(o.clone())),
        (None, Some(s)) => q.filter(role_assignments::system_id.eq(s.clone())),
        (None, None) => return Ok(()),
    };
    // Periods overlap unless one ends before the other starts (open ends reach forever).
    if let Some(to) = a.valid_to {
        q = q.filter(
            role_assignments::valid_from
                .is_null()
                .or(role_assignments::valid_from.le(to)),
        );
    }
    if let Some(from) = a.valid_from {
        q = q.filter(
            role_assignments::valid_to
                .is_null()
                .or(role_assignments::valid_to.ge(from)),
        );
    }
    match q.first::<String>(conn).optional()? {
        Some(existing) => Err(ApiError::Conflict(format!(
            "the person already holds this role here for an overlapping period (role assignment {existing}); change that assignment's dates instead"
        ))),
        None => Ok(()),
    }
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: RoleAssignmentNew,
) -> Result<RoleAssignment, ApiError> {
    let mut errors = Vec::new();
    let (target, municipality_id, organisation_id) = match (&input.object_id, &input.system_id) {
        (Some(object_id), None) => {
            let o = objects::find(conn, object_id)
                .map_err(|_| ApiError::field("object_id", "no such object"))?;
            (RoleTarget::Object, o.municipality_id, o.organisation_id)
        }
        (None, Some(system_id)) => {
            let s = systems::find(conn, system_id)
                .map_err(|_| ApiError::field("system_id", "no such system"))?;
            (RoleTarget::System, s.municipality_id, s.organisation_id)
        }
        _ => {
            return Err(ApiError::Validation(vec![
                FieldError::new("object_id", "give exactly one of object_id and system_id"),
                FieldError::new("system_id", "give exactly one of object_id and system_id"),
            ]))
        }
    };
    scope::check(conn, principal, &organisation_id)?;
    match role_types::find(conn, &input.role_type_id) {
        Err(_) => errors.push(FieldError::new("role_type_id", "no such role type")),
        Ok(rt) => {
            if rt.applies_to != target {
                errors.push(FieldError::new(
                    "role_type_id",
                    format!(
                        "{} is held on {}s, not on {}s",
                        rt.name, rt.applies_to, target
                    ),
                ));
            }
            if rt
                .municipality_id
                .as_ref()
                .is_some_and(|m| *m != municipality_id)
            {
                errors.push(FieldError::new(
                    "role_type_id",
                    "belongs to another municipality",
                ));
            }
        }
    }
    check_person(conn, &input.person_id, &municipality_id, &mut errors)?;
    check_dates(input.valid_from, input.valid_to, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = time::now();
    let assignment = RoleAssignment {
        id: crate::domain::new_id(),
        municipality_id,
        organisation_id,
        person_id: Some(input.person_id),
        role_type_id: input.role_type_id,
        object_id: input.object_id,
        system_id: input.system_id,
        valid_from: input.valid_from,
        valid_to: input.valid_to,
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_not_duplicate(conn, &assignment)?;
    diesel::insert_into(role_assignments::table)
        .values(&assignment)
        .execute(conn)?;
    record_change(
        conn,
        principal,
        ChangeAction::Create,
        None,
        Some(&assignment),
    )?;
    Ok(assignment)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: RoleAssignmentPatch,
) -> Result<RoleAssignment, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    let mut errors = Vec::new();
    if let Some(person_id) = patch.person_id {
        check_person(conn, &person_id, &before.municipality_id, &mut errors)?;
        after.person_id = Some(person_id);
    }
    if let Some(v) = patch.valid_from {
        after.valid_from = v;
    }
    if let Some(v) = patch.valid_to {
        after.valid_to = v;
    }
    check_dates(after.valid_from, after.valid_to, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    check_not_duplicate(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        role_assignments::table
            .filter(role_assignments::id.eq(&before.id))
            .filter(role_assignments::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    record_change(
        conn,
        principal,
        ChangeAction::Update,
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
    let assignment = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != assignment.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(role_assignments::table.filter(role_assignments::id.eq(&assignment.id)))
        .execute(conn)?;
    record_change(
        conn,
        principal,
        ChangeAction::Delete,
        Some(&assignment),
        None,
    )?;
    Ok(())
}
