//! `/systems`: systems, services and e-services inside objects. Writes for editors.

use crate::auth::Role;
use crate::domain::systems::{System, SystemFilter, SystemNew, SystemPatch};

crate::crud_routes! {
    domain: crate::domain::systems,
    model: System, new: SystemNew, patch: SystemPatch, filter: SystemFilter,
    tag: "systems", write_role: Role::Editor, default_sort: "name",
    collection: "/systems", item: "/systems/{id}", location: "/api/v1/systems/{}",
    list: (list_systems, "List systems in the caller's scope. Sort by name (Swedish order), kind, lifecycle_status, contract_end, created_at or modified_at."),
    get: (get_system, "Read one system."),
    create: (create_system, "Create a system inside an object in scope (editor)."),
    update: (update_system, "Update a system (editor). Moving it to another object moves its role assignments' scope along."),
    delete: (delete_system, "Delete a system (editor) that has no role assignments."),
}
