//! `GET /role-assignments`: the filtered, scoped, sorted page of role assignments.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::role_assignments;
use crate::db::DbConnection;
use crate::domain::role_types::RoleTarget;
use crate::domain::scope;
use crate::error::ApiError;

use super::{RoleAssignment, RoleAssignmentFilter};

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
