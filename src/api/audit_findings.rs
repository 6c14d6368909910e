//! `/audit-findings`: the auditors' recommendations and the responses to them. Reads for every
//! role; writes for editors.

use crate::auth::Role;
use crate::domain::audit_findings::{
    AuditFinding, AuditFindingFilter, AuditFindingNew, AuditFindingPatch,
};

crate::crud_routes! {
    domain: crate::domain::audit_findings,
    model: AuditFinding, new: AuditFindingNew, patch: AuditFindingPatch, filter: AuditFindingFilter,
    tag: "audit-findings", write_role: Role::Editor, default_sort: "-audit_date",
    collection: "/audit-findings", item: "/audit-findings/{id}", location: "/api/v1/audit-findings/{}",
    list: (list_audit_findings, "List audit findings addressed to organisations in the caller's scope, newest audit first by default. Sort by audit_date, created_at or modified_at."),
    get: (get_audit_finding, "Read one audit finding."),
    create: (create_audit_finding, "Record an auditors' recommendation addressed to an organisation in scope (editor)."),
    update: (update_audit_finding, "Update an audit finding, e.g. add the response (editor). A new addressee must be in the same municipality."),
    delete: (delete_audit_finding, "Delete an audit finding (editor) that has no actions."),
}
