-- The documentation items each activity still lacks, at a glance: `kind id kind id …` of its items
-- that are `missing` or in `draft`, in no particular order (NULL when none), beside
-- `documentation_state` and kept by the same triggers. Found by `cargo bench --bench reports` (1M activities, 4.4M items): the gaps
-- report named each open item by probing documentation_items once per activity that had one
-- (3.5k probes for a municipality's finished year): a third of its SQL on PostgreSQL (80–87 →
-- 55 ms), 40 % on SQLite (47–58 → 30 ms); now it reads the activities alone. That probe was the only reader of the partial index
-- documentation_items_open, which goes.
ALTER TABLE activities ADD COLUMN documentation_open_items TEXT;

UPDATE activities SET documentation_open_items = o.items
FROM (SELECT activity_id, group_concat(kind || ' ' || id, ' ') AS items
      FROM documentation_items WHERE status IN ('missing', 'draft')
      GROUP BY activity_id) AS o
WHERE o.activity_id = activities.id;

DROP INDEX documentation_items_open;

DROP TRIGGER documentation_items_state_insert;
DROP TRIGGER documentation_items_state_update;
DROP TRIGGER documentation_items_state_delete;
DROP VIEW activity_documentation_states;

-- Each activity's state and open items, computed from its items (an activity without items has
-- no row here). Read for one activity at a time: SQLite pushes `activity_id = ?` into the
-- grouping, one index range of documentation_items_key.
CREATE VIEW activity_documentation_states AS
SELECT activity_id,
       COALESCE(MAX(CASE WHEN kind = 'needs_analysis' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'stakeholder_involvement' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'project_plan' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'benefit_calculation' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'risk_analysis' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'decision_basis' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'final_report' THEN code END), '-') AS state,
       group_concat(CASE WHEN code IN ('m', 'r') THEN kind || ' ' || id END, ' ') AS open_items
FROM (SELECT activity_id, kind, id,
             CASE status WHEN 'missing' THEN 'm' WHEN 'draft' THEN 'r' WHEN 'done' THEN 'd' ELSE 'n' END
                 AS code
      FROM documentation_items)
GROUP BY activity_id;

-- Both columns from one read of the view; the aggregate gives one row (the defaults) when the
-- activity has no items left.
CREATE TRIGGER documentation_items_state_insert AFTER INSERT ON documentation_items
BEGIN
  UPDATE activities SET (documentation_state, documentation_open_items) = (
      SELECT COALESCE(MAX(state), '-------'), MAX(open_items)
      FROM activity_documentation_states WHERE activity_id = NEW.activity_id)
  WHERE id = NEW.activity_id;
END;

-- Only when one of them changes (a save writes every column; a file or a URL changes neither
-- column; no write path changes an id, but the open items name it). SQLite admits one writer at
-- a time, so no concurrent writer can slip between read and update.
CREATE TRIGGER documentation_items_state_update AFTER UPDATE OF id, activity_id, kind, status
ON documentation_items
WHEN OLD.id <> NEW.id OR OLD.activity_id <> NEW.activity_id OR OLD.kind <> NEW.kind
    OR OLD.status <> NEW.status
BEGIN
  UPDATE activities SET (documentation_state, documentation_open_items) = (
      SELECT COALESCE(MAX(state), '-------'), MAX(open_items)
      FROM activity_documentation_states WHERE activity_id = OLD.activity_id)
  WHERE id = OLD.activity_id AND OLD.activity_id <> NEW.activity_id;
  UPDATE activities SET (documentation_state, documentation_open_items) = (
      SELECT COALESCE(MAX(state), '-------'), MAX(open_items)
      FROM activity_documentation_states WHERE activity_id = NEW.activity_id)
  WHERE id = NEW.activity_id;
END;

CREATE TRIGGER documentation_items_state_delete AFTER DELETE ON documentation_items
BEGIN
  UPDATE activities SET (documentation_state, documentation_open_items) = (
      SELECT COALESCE(MAX(state), '-------'), MAX(open_items)
      FROM activity_documentation_states WHERE activity_id = OLD.activity_id)
  WHERE id = OLD.activity_id;
END;
