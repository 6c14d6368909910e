//! Role assignments: who holds which role on which object or system, from when to when.
//! `?at=DATE` answers "who held which role on that day".

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::role_assignments;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::role_types::{self, RoleTarget};
use crate::domain::{nullable, objects, people, scope, systems, time};
use crate::error::{ApiError, FieldError};

/// A role held by a person on an object or a system.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = role_assignments, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-5555-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "role_type_id": "00000000-0000-7000-8000-000000000001",
    "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "system_id": null,
    "valid_from": "2026-01-01", "valid_to": null, "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct RoleAssignment {
    pub id: String,
    pub municipality_id: String,
    /// The owner of the object or system (kept in step with it; read-only).
    pub organisation_id: String,
    /// Null once the person was erased: the assignment stays as history of a vacated role.
    pub person_id: Option<String>,
    pub role_type_id: String,
    /// Set for roles held on an object (exactly one of object_id and system_id).
    pub object_id: Option<String>,
    /// Set for roles held on a system.
    pub system_id: Option<String>,
    /// First day in the role; null: since always.
    pub valid_from: Option<NaiveDate>,
    /// Last day in the role (inclusive); null: until further notice.
    pub valid_to: Option<NaiveDate>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new role assignment: exactly one of `object_id` and `system_id`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70", "role_type_id": "00000000-0000-7000-8000-000000000001", "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "valid_from": "2026-01-01"}))]
pub struct RoleAssignmentNew {
    pub person_id: String,
    pub role_type_id: String,
    pub object_id: Option<String>,
    pub system_id: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
}

/// Changes to a role assignment; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"valid_to": "2026-12-31"}))]
pub struct RoleAssignmentPatch {
    /// Hand the role to another person.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub person_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub valid_from: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub valid_to: Option<Option<NaiveDate>>,
}

/// Filters of `GET /role-assignments`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoleAssignmentFilter {
    pub person_id: Option<String>,
    pub role_type_id: Option<String>,
    pub object_id: Option<String>,
    pub system_id: Option<String>,
    /// Owner of the object or system, exactly.
    pub organisation_id: Option<String>,
    /// Owner of the object or system, this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Only assignments valid on this day (YYYY-MM-DD).
    #[param(example = "2026-06-30")]
    pub at: Option<NaiveDate>,
    /// Only roles held on objects or only on systems.
    pub target: Option<RoleTarget>,
}

pub const SORT_FIELDS: &[&str] = &["valid_from", "valid_to", "created_at", "modified_at"];
pub const RESOURCE: &str = "role-assignments";

/// Records a change of an assignment (also used when erasing a person ends their roles).
pub fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&RoleAssignment>,
    after: Option<&RoleAssignment>,
) -> Result<(), ApiError> {
    let Some(current) = after.or(before) else {
        return Ok(());
    };
    let subject = Subject {
        resource: RESOURCE,
        record_id: &current.id,
        municipality_id: Some(&current.municipality_id),
        organisation_id: Some(&current.organisation_id),
    };
    changes::record(conn, principal, action, subject, before, after)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<RoleAssignment, ApiError> {
    role_assignments::table
        .find(id)
        .select(RoleAssignment::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("role assignment", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<RoleAssignment, ApiError> {
    let assignment = find(conn, id)?;
    scope::check(conn, principal, &assignment.organisation_id)?;
    Ok(assignment)
}

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

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &RoleAssignmentFilter,
    page: &PageRequest,
) -> Result<(Vec<RoleAssignment>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = role_assignments::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(role_assignments::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.person_id {
            q = q.filter(role_assignments::person_id.eq(v.clone()));
        }
        if let Some(v) = &filter.role_type_id {
            q = q.filter(role_assignments::role_type_id.eq(v.clone()));
        }
        if let Some(v) = &filter.object_id {
            q = q.filter(role_assignments::object_id.eq(v.clone()));
        }
        if let Some(v) = &filter.system_id {
            q = q.filter(role_assignments::system_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(role_assignments::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(role_assignments::municipality_id.eq(v.clone()));
        }
        if let Some(day) = filter.at {
            q = q
                .filter(
                    role_assignments::valid_from
                        .is_null()
                        .or(role_assignments::valid_from.le(day)),
                )
                .filter(
                    role_assignments::valid_to
                        .is_null()
                        .or(role_assignments::valid_to.ge(day)),
                );
        }
        match filter.target {
            Some(RoleTarget::Object) => q = q.filter(role_assignments::object_id.is_not_null()),
            Some(RoleTarget::System) => q = q.filter(role_assignments::system_id.is_not_null()),
            None => {}
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("valid_to", false) => build().order((
            role_assignments::valid_to.is_null().asc(),
            role_assignments::valid_to.asc(),
        )),
        ("valid_to", true) => build().order((
            role_assignments::valid_to.is_null().asc(),
            role_assignments::valid_to.desc(),
        )),
        ("created_at", false) => build().order(role_assignments::created_at.asc()),
        ("created_at", true) => build().order(role_assignments::created_at.desc()),
        ("modified_at", false) => build().order(role_assignments::modified_at.asc()),
        ("modified_at", true) => build().order(role_assignments::modified_at.desc()),
        // Null valid_from (since always) first when ascending, on both databases.
        (_, false) => build().order((
            role_assignments::valid_from.is_not_null().asc(),
            role_assignments::valid_from.asc(),
        )),
        (_, true) => build().order((
            role_assignments::valid_from.is_not_null().desc(),
            role_assignments::valid_from.desc(),
        )),
    };
    let rows = q
        .then_order_by(role_assignments::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(RoleAssignment::as_select())
        .load(conn)?;
    Ok((rows, total))
}
