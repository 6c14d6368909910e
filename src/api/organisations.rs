//! `/organisations`: the municipality tree. Reads for every role; writes for admins.

use crate::auth::Role;
use crate::domain::organisations::{
    Organisation, OrganisationFilter, OrganisationNew, OrganisationPatch,
};

crate::crud_routes! {
    domain: crate::domain::organisations,
    model: Organisation, new: OrganisationNew, patch: OrganisationPatch, filter: OrganisationFilter,
    tag: "organisations", write_role: Role::Admin, default_sort: "name",
    collection: "/organisations", item: "/organisations/{id}", location: "/api/v1/organisations/{}",
    list: (list_organisations, "List the organisations in the caller's scope. Sort by name (Swedish order), kind, created_at or modified_at."),
    get: (get_organisation, "Read one organisation."),
    create: (create_organisation, "Create an organisation (admin). A municipality is a root (unrestricted admins only); every other kind needs a parent in scope."),
    update: (update_organisation, "Update an organisation (admin). Changing parent_id moves its whole subtree."),
    delete: (delete_organisation, "Delete an organisation (admin) that has no children, objects, people or role types."),
}
