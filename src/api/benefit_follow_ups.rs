//! `/benefit-follow-ups`: measured values of a benefit over time. Reads for every role; writes
//! for editors. Every write recomputes the benefit (its ETag changes).

use crate::auth::Role;
use crate::domain::benefit_follow_ups::{
    BenefitFollowUp, BenefitFollowUpFilter, BenefitFollowUpNew, BenefitFollowUpPatch,
};

crate::crud_routes! {
    domain: crate::domain::benefit_follow_ups,
    model: BenefitFollowUp, new: BenefitFollowUpNew, patch: BenefitFollowUpPatch, filter: BenefitFollowUpFilter,
    tag: "benefit-follow-ups", write_role: Role::Editor, default_sort: "follow_up_date",
    collection: "/benefit-follow-ups", item: "/benefit-follow-ups/{id}", location: "/api/v1/benefit-follow-ups/{}",
    list: (list_benefit_follow_ups, "List benefit follow-ups in the caller's scope. Sort by follow_up_date, created_at or modified_at."),
    get: (get_benefit_follow_up, "Read one benefit follow-up."),
    create: (create_benefit_follow_up, "Record a follow-up of a benefit in scope (editor); the benefit's realised_value, realised_value_sek and last_follow_up follow the latest follow-up by date."),
    update: (update_benefit_follow_up, "Update a benefit follow-up (editor); the benefit is recomputed."),
    delete: (delete_benefit_follow_up, "Delete a benefit follow-up (editor); the benefit is recomputed from the follow-ups left."),
}
