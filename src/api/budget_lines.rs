//! `/budget-lines`: a plan's budget per category and period. Writes for editors.

use crate::auth::Role;
use crate::domain::budget_lines::{BudgetLine, BudgetLineFilter, BudgetLineNew, BudgetLinePatch};

crate::crud_routes! {
    domain: crate::domain::budget_lines,
    model: BudgetLine, new: BudgetLineNew, patch: BudgetLinePatch, filter: BudgetLineFilter,
    tag: "budget-lines", write_role: Role::Editor, default_sort: "category",
    collection: "/budget-lines", item: "/budget-lines/{id}", location: "/api/v1/budget-lines/{}",
    list: (list_budget_lines, "List budget lines in the caller's scope; `year` selects the plans of a year. Sort by category, period, planned, created_at or modified_at."),
    get: (get_budget_line, "Read one budget line."),
    create: (create_budget_line, "Add a budget line to a draft plan (editor): one per category and period."),
    update: (update_budget_line, "Update a budget line (editor). `planned` is locked while the plan is adopted (409); forecast and actual are not."),
    delete: (delete_budget_line, "Delete a budget line of a draft plan (editor)."),
}
