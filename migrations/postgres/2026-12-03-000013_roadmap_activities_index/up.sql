-- Found by `cargo bench --bench reports` (1M activities in 20 municipalities).
-- The roadmap timeline reads the activities on a roadmap of an organisation subtree and a span
-- of years. About a third of a municipality's activities are on a roadmap: through the
-- (organisation_id, year, …) indexes the database read every activity of those years and
-- dropped two of three. This index holds only the activities on a roadmap.
CREATE INDEX activities_on_roadmap ON activities (organisation_id, year) WHERE roadmap_id IS NOT NULL;
