//! `/audit-actions`: what is done about each audit finding. Reads for every role; writes for
//! editors.

use crate::auth::Role;
use crate::domain::audit_actions::{
    AuditAction, AuditActionFilter, AuditActionNew, AuditActionPatch,
};

crate::crud_routes! {
    domain: crate::domain::audit_actions,
    model: AuditAction, new: AuditActionNew, patch: AuditActionPatch, filter: AuditActionFilter,
    tag: "audit-actions", write_role: Role::Editor, default_sort: "due_date",
    collection: "/audit-actions", item: "/audit-actions/{id}", location: "/api/v1/audit-actions/{}",
    list: (list_audit_actions, "List audit actions owned by organisations in the caller's scope, e.g. `?overdue=true`. Sort by due_date (undated last), created_at or modified_at."),
    get: (get_audit_action, "Read one audit action."),
    create: (create_audit_action, "Add an action to an audit finding (editor), owned by the finding's addressee or another organisation in scope in the same municipality."),
    update: (update_audit_action, "Update an audit action (editor). Becoming done sets completed_on to today unless given; leaving done clears it."),
    delete: (delete_audit_action, "Delete an audit action (editor)."),
}
