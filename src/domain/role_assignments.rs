//! Role assignments: who holds which role on which object or system, from when to when.
//! `?at=DATE` answers "who held which role on that day".

mod list;
mod write;

pub use list::list;
pub use write::{check_not_duplicate, create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::role_assignments;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::role_types::RoleTarget;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

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
