//! `/role-types`: objektägare, systemförvaltare and the rest. Writes for admins.

use crate::auth::Role;
use crate::domain::role_types::{RoleType, RoleTypeFilter, RoleTypeNew, RoleTypePatch};

crate::crud_routes! {
    domain: crate::domain::role_types,
    model: RoleType, new: RoleTypeNew, patch: RoleTypePatch, filter: RoleTypeFilter,
    tag: "role-types", write_role: Role::Admin, default_sort: "name",
    collection: "/role-types", item: "/role-types/{id}", location: "/api/v1/role-types/{}",
    list: (list_role_types, "List role types: the shared ones and those of municipalities in the caller's scope."),
    get: (get_role_type, "Read one role type."),
    create: (create_role_type, "Create a role type (admin). Shared role types (no municipality_id) need an admin without org claims."),
    update: (update_role_type, "Update a role type (admin)."),
    delete: (delete_role_type, "Delete a role type (admin) that nobody holds."),
}
