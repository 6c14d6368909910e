//! `/decisions`: decisions with diarienummer and the records decided on. Writes for editors.

use crate::auth::Role;
use crate::domain::decisions::{Decision, DecisionFilter, DecisionNew, DecisionPatch};

crate::crud_routes! {
    domain: crate::domain::decisions,
    model: Decision, new: DecisionNew, patch: DecisionPatch, filter: DecisionFilter,
    tag: "decisions", write_role: Role::Editor, default_sort: "decided_on",
    collection: "/decisions", item: "/decisions/{id}", location: "/api/v1/decisions/{}",
    list: (list_decisions, "List decisions in the caller's scope; `subject_id` finds the decisions about a record. Sort by decided_on, created_at or modified_at."),
    get: (get_decision, "Read one decision with the records it is about."),
    create: (create_decision, "Record a decision (editor). An escalation (kind `escalation`) is about at least one activity; outcome `accepted` makes those activities municipality-wide."),
    update: (update_decision, "Correct a decision (editor); `subjects` replaces the list."),
    delete: (delete_decision, "Delete a decision (editor) that did not adopt a plan or roadmap."),
}
