//! `/roadmap-goals`: the goals of digitala färdplaner and their follow-ups. Writes for editors.

use crate::auth::Role;
use crate::domain::roadmap_goals::{
    RoadmapGoal, RoadmapGoalFilter, RoadmapGoalNew, RoadmapGoalPatch,
};

crate::crud_routes! {
    domain: crate::domain::roadmap_goals,
    model: RoadmapGoal, new: RoadmapGoalNew, patch: RoadmapGoalPatch, filter: RoadmapGoalFilter,
    tag: "roadmap-goals", write_role: Role::Editor, default_sort: "created_at",
    collection: "/roadmap-goals", item: "/roadmap-goals/{id}", location: "/api/v1/roadmap-goals/{}",
    list: (list_roadmap_goals, "List roadmap goals in the caller's scope; `follow_up_before` finds those due for follow-up. Sort by target_date, next_follow_up (undated last), created_at or modified_at. `q` is not supported."),
    get: (get_roadmap_goal, "Read one roadmap goal."),
    create: (create_roadmap_goal, "Add a goal to a roadmap in scope (editor); its focus area must belong to the same municipality."),
    update: (update_roadmap_goal, "Update a goal, e.g. record a follow-up (editor)."),
    delete: (delete_roadmap_goal, "Delete a roadmap goal (editor)."),
}
