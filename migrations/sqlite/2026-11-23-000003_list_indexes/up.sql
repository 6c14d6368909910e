-- Composite indexes for the filtered lists and their COUNT(*): the benchmark showed the count of
-- "objects of an organisation with a status" scanning thousands of rows without them.
CREATE INDEX objects_organisation_status ON objects (organisation_id, status, name_sort, id);
CREATE INDEX systems_organisation_lifecycle ON systems (organisation_id, lifecycle_status, name_sort);
CREATE INDEX people_organisation_name ON people (organisation_id, name_sort, id);
CREATE INDEX role_assignments_organisation_role ON role_assignments (organisation_id, role_type_id);
CREATE INDEX plans_organisation_object ON plans (organisation_id, object_id, year);
-- Activity lists walk (year, phase) in title order; carrying id and organisation_id in the index
-- lets SQLite filter by owner and break ties without reading rows or sorting again.
DROP INDEX activities_year_phase;
CREATE INDEX activities_year_phase ON activities (year, phase, title_sort, id, organisation_id);
CREATE INDEX activities_year_phase_org ON activities (year, phase, organisation_id);
