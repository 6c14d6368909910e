-- Found by `cargo bench --bench reports` (1M activities in 20 municipalities).
-- An OData page for a token scoped to one municipality reads in `id` order; the organisation
-- subtree gives no such order, so the database sorted the municipality's rows for every page
-- (SQLite) or walked the primary key through all municipalities (PostgreSQL). The feed now
-- also filters on the rows' own municipality_id: a page is a range scan of one of these.
CREATE INDEX organisations_municipality ON organisations (municipality_id, id);
CREATE INDEX objects_municipality ON objects (municipality_id, id);
CREATE INDEX systems_municipality ON systems (municipality_id, id);
CREATE INDEX role_assignments_municipality ON role_assignments (municipality_id, id);
CREATE INDEX plans_municipality ON plans (municipality_id, id);
CREATE INDEX budget_lines_municipality ON budget_lines (municipality_id, id);
CREATE INDEX activities_municipality ON activities (municipality_id, id);
CREATE INDEX documentation_items_municipality ON documentation_items (municipality_id, id);
CREATE INDEX benefits_municipality ON benefits (municipality_id, id);
CREATE INDEX risks_municipality ON risks (municipality_id, id);
CREATE INDEX roadmaps_municipality ON roadmaps (municipality_id, id);
CREATE INDEX decisions_municipality ON decisions (municipality_id, id);
CREATE INDEX audit_findings_municipality ON audit_findings (municipality_id, id);
CREATE INDEX audit_actions_municipality ON audit_actions (municipality_id, id);
-- The documentation gaps report reads each activity's items with their status and id: with the
-- id in the index PostgreSQL answers from the index alone (no heap visit per item).
DROP INDEX documentation_items_activity_status;
CREATE INDEX documentation_items_activity_status ON documentation_items (activity_id, kind, status, id);
