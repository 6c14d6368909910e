-- The OData feed: Power BI's incremental refresh filters half-open ranges on created_at (the
-- partition column) and modified_at (change detection; indexed since the core migrations).
CREATE INDEX organisations_created ON organisations (created_at);
CREATE INDEX objects_created ON objects (created_at);
CREATE INDEX systems_created ON systems (created_at);
CREATE INDEX role_assignments_created ON role_assignments (created_at);
CREATE INDEX plans_created ON plans (created_at);
CREATE INDEX budget_lines_created ON budget_lines (created_at);
CREATE INDEX activities_created ON activities (created_at);
CREATE INDEX documentation_items_created ON documentation_items (created_at);
CREATE INDEX benefits_created ON benefits (created_at);
CREATE INDEX risks_created ON risks (created_at);
CREATE INDEX roadmaps_created ON roadmaps (created_at);
CREATE INDEX decisions_created ON decisions (created_at);
CREATE INDEX audit_findings_created ON audit_findings (created_at);
CREATE INDEX audit_actions_created ON audit_actions (created_at);
