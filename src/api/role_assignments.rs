//! `/role-assignments`: who holds which role on which object or system. Writes for editors.

use crate::auth::Role;
use crate::domain::role_assignments::{
    RoleAssignment, RoleAssignmentFilter, RoleAssignmentNew, RoleAssignmentPatch,
};

crate::crud_routes! {
    domain: crate::domain::role_assignments,
    model: RoleAssignment, new: RoleAssignmentNew, patch: RoleAssignmentPatch, filter: RoleAssignmentFilter,
    tag: "role-assignments", write_role: Role::Editor, default_sort: "valid_from",
    collection: "/role-assignments", item: "/role-assignments/{id}", location: "/api/v1/role-assignments/{}",
    list: (list_role_assignments, "List role assignments in the caller's scope; `at=YYYY-MM-DD` gives who held which role that day. Sort by valid_from, valid_to, created_at or modified_at."),
    get: (get_role_assignment, "Read one role assignment."),
    create: (create_role_assignment, "Assign a role on an object or a system in scope (editor). The role type must apply to that kind of target."),
    update: (update_role_assignment, "Change the person or the validity period of an assignment (editor)."),
    delete: (delete_role_assignment, "Delete a role assignment (editor). To end a role but keep its history, set valid_to instead."),
}
