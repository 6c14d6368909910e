//! `/phase-rules`: which evidence an activity needs before a phase. Writes for admins.

use crate::auth::Role;
use crate::domain::phase_rules::{PhaseRule, PhaseRuleFilter, PhaseRuleNew, PhaseRulePatch};

crate::crud_routes! {
    domain: crate::domain::phase_rules,
    model: PhaseRule, new: PhaseRuleNew, patch: PhaseRulePatch, filter: PhaseRuleFilter,
    tag: "phase-rules", write_role: Role::Admin, default_sort: "phase",
    collection: "/phase-rules", item: "/phase-rules/{id}", location: "/api/v1/phase-rules/{}",
    list: (list_phase_rules, "List the phase rules of the municipalities in the caller's scope. Entering a phase needs the rules of that phase and of every earlier one."),
    get: (get_phase_rule, "Read one phase rule."),
    create: (create_phase_rule, "Add a phase rule (admin with the municipality in scope)."),
    update: (update_phase_rule, "Change a phase rule (admin)."),
    delete: (delete_phase_rule, "Remove a phase rule (admin)."),
}
