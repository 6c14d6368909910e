//! `/documentation-items`: the evidence per activity (reads for every role; writes for editors),
//! and in [`files`] the file attached to each item.

mod files;

mod crud {
    crate::crud_routes! {
        domain: crate::domain::documentation_items,
        model: crate::domain::documentation_items::DocumentationItem,
        new: crate::domain::documentation_items::DocumentationItemNew,
        patch: crate::domain::documentation_items::DocumentationItemPatch,
        filter: crate::domain::documentation_items::DocumentationItemFilter,
        tag: "documentation-items", write_role: crate::auth::Role::Editor, default_sort: "kind",
        collection: "/documentation-items", item: "/documentation-items/{id}",
        location: "/api/v1/documentation-items/{}",
        list: (list_documentation_items, "List documentation items in the caller's scope. Filter by activity, kind, status, owner or whether a file is attached; sort by kind, status, created_at or modified_at."),
        get: (get_documentation_item, "Read one documentation item."),
        create: (create_documentation_item, "Record a piece of evidence for an activity in scope (editor): one item per kind and activity; `not_applicable` needs a reason."),
        update: (update_documentation_item, "Update a documentation item (editor). Setting `not_applicable` needs a reason; a new kind must not already exist for the activity."),
        delete: (delete_documentation_item, "Delete a documentation item and its file (editor)."),
    }
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    crud::configure(cfg);
    files::configure(cfg);
}
