//! `/risks`: risks of an object's yearly RSA or of an activity. Reads for every role; writes for
//! editors.

use crate::auth::Role;
use crate::domain::risks::{Risk, RiskFilter, RiskNew, RiskPatch};

crate::crud_routes! {
    domain: crate::domain::risks,
    model: Risk, new: RiskNew, patch: RiskPatch, filter: RiskFilter,
    tag: "risks", write_role: Role::Editor, default_sort: "-score",
    collection: "/risks", item: "/risks/{id}", location: "/api/v1/risks/{}",
    list: (list_risks, "List risks in the caller's scope, highest score first by default. Sort by score, review_date (undated last), created_at or modified_at."),
    get: (get_risk, "Read one risk."),
    create: (create_risk, "Record a risk on an object (its RSA) or on an activity, in scope (editor). The score is probability × consequence."),
    update: (update_risk, "Update a risk (editor); the score follows probability and consequence."),
    delete: (delete_risk, "Delete a risk (editor)."),
}
