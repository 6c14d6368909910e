//! `/objects`: förvaltningsobjekt. Reads for every role; writes for editors.

use crate::auth::Role;
use crate::domain::objects::{Object, ObjectFilter, ObjectNew, ObjectPatch};

crate::crud_routes! {
    domain: crate::domain::objects,
    model: Object, new: ObjectNew, patch: ObjectPatch, filter: ObjectFilter,
    tag: "objects", write_role: Role::Editor, default_sort: "name",
    collection: "/objects", item: "/objects/{id}", location: "/api/v1/objects/{}",
    list: (list_objects, "List förvaltningsobjekt in the caller's scope. Sort by name (Swedish order), status, created_at or modified_at."),
    get: (get_object, "Read one förvaltningsobjekt."),
    create: (create_object, "Create a förvaltningsobjekt owned by an organisation in scope (editor)."),
    update: (update_object, "Update a förvaltningsobjekt (editor). A new owner must be in the same municipality; its systems, role assignments and risks move along."),
    delete: (delete_object, "Delete a förvaltningsobjekt (editor) that has no systems, no role assignments and no risks."),
}
