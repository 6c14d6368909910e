DROP INDEX activities_year_phase_org;
DROP INDEX activities_year_phase;
CREATE INDEX activities_year_phase ON activities (year, phase, title_sort);
DROP INDEX plans_organisation_object;
DROP INDEX role_assignments_organisation_role;
DROP INDEX people_organisation_name;
DROP INDEX systems_organisation_lifecycle;
DROP INDEX objects_organisation_status;
