//! `/focus-areas`: a municipality's målområden. Reads for anyone working in the municipality;
//! writes for admins over the whole municipality.

use crate::auth::Role;
use crate::domain::focus_areas::{FocusArea, FocusAreaFilter, FocusAreaNew, FocusAreaPatch};

crate::crud_routes! {
    domain: crate::domain::focus_areas,
    model: FocusArea, new: FocusAreaNew, patch: FocusAreaPatch, filter: FocusAreaFilter,
    tag: "focus-areas", write_role: Role::Admin, default_sort: "name",
    collection: "/focus-areas", item: "/focus-areas/{id}", location: "/api/v1/focus-areas/{}",
    list: (list_focus_areas, "List the målområden of the municipalities the caller works in. Sort by name (Swedish order), created_at or modified_at."),
    get: (get_focus_area, "Read one målområde."),
    create: (create_focus_area, "Create a målområde for a municipality (admin whose scope includes the municipality)."),
    update: (update_focus_area, "Update a målområde (admin whose scope includes the municipality)."),
    delete: (delete_focus_area, "Delete a målområde (admin) that no activity and no roadmap goal refers to."),
}
