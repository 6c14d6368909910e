-- Indexes for the report queries (src/reports/): each filter and join they use.
-- Documentation completeness joins every chosen activity to its items by (activity, kind) and
-- counts by status: with status in the index the join never reads the item rows.
CREATE INDEX documentation_items_activity_status ON documentation_items (activity_id, kind, status);
-- Portfolio groups an organisation's activities by year, phase and kind and sums the budgets:
-- a covering index answers it without reading the activity rows.
CREATE INDEX activities_portfolio ON activities (organisation_id, year, phase, kind, id, planned_budget, actual_budget);
-- Model compliance: "a risk analysis in the last 12 months" per object, vacant roles per object
-- and role type on a day, and overrides per organisation and year.
CREATE INDEX plans_object_risk_analysis ON plans (object_id, risk_analysis_date);
CREATE INDEX role_assignments_object_role ON role_assignments (object_id, role_type_id, valid_from, valid_to);
CREATE INDEX phase_transitions_overrides ON phase_transitions (organisation_id, at) WHERE override_reason IS NOT NULL;
