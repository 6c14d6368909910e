//! `/benefits`: nyttor and effektmål of activities, with their realisation. Reads for every
//! role; writes for editors.

use crate::auth::Role;
use crate::domain::benefits::{Benefit, BenefitFilter, BenefitNew, BenefitPatch};

crate::crud_routes! {
    domain: crate::domain::benefits,
    model: Benefit, new: BenefitNew, patch: BenefitPatch, filter: BenefitFilter,
    tag: "benefits", write_role: Role::Editor, default_sort: "created_at",
    collection: "/benefits", item: "/benefits/{id}", location: "/api/v1/benefits/{}",
    list: (list_benefits, "List benefits in the caller's scope. Sort by created_at, modified_at or target_date (undated last)."),
    get: (get_benefit, "Read one benefit with what it has realised so far."),
    create: (create_benefit, "Add a benefit (nytta, effektmål) to an activity in scope (editor)."),
    update: (update_benefit, "Update a benefit (editor); the realised SEK is recomputed from the latest follow-up. A new activity must be in the same municipality; the follow-ups move along."),
    delete: (delete_benefit, "Delete a benefit (editor) that has no follow-ups."),
}
