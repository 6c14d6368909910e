DROP TRIGGER documentation_items_state_insert;
DROP TRIGGER documentation_items_state_update;
DROP TRIGGER documentation_items_state_delete;
DROP VIEW activity_documentation_states;

CREATE VIEW activity_documentation_states AS
SELECT activity_id,
       COALESCE(MAX(CASE WHEN kind = 'needs_analysis' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'stakeholder_involvement' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'project_plan' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'benefit_calculation' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'risk_analysis' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'decision_basis' THEN code END), '-')
       || COALESCE(MAX(CASE WHEN kind = 'final_report' THEN code END), '-') AS state
FROM (SELECT activity_id, kind,
             CASE status WHEN 'missing' THEN 'm' WHEN 'draft' THEN 'r' WHEN 'done' THEN 'd' ELSE 'n' END
                 AS code
      FROM documentation_items)
GROUP BY activity_id;


CREATE TRIGGER documentation_items_state_insert AFTER INSERT ON documentation_items
BEGIN
  UPDATE activities SET documentation_state = COALESCE(
      (SELECT state FROM activity_documentation_states WHERE activity_id = NEW.activity_id),
      '-------')
  WHERE id = NEW.activity_id;
END;

-- Only when one of them changes (a save writes every column; a file or a URL changes no state).
-- SQLite admits one writer at a time, so no concurrent writer can slip between read and update.
CREATE TRIGGER documentation_items_state_update AFTER UPDATE OF activity_id, kind, status
ON documentation_items
WHEN OLD.activity_id <> NEW.activity_id OR OLD.kind <> NEW.kind OR OLD.status <> NEW.status
BEGIN
  UPDATE activities SET documentation_state = COALESCE(
      (SELECT state FROM activity_documentation_states WHERE activity_id = OLD.activity_id),
      '-------')
  WHERE id = OLD.activity_id AND OLD.activity_id <> NEW.activity_id;
  UPDATE activities SET documentation_state = COALESCE(
      (SELECT state FROM activity_documentation_states WHERE activity_id = NEW.activity_id),
      '-------')
  WHERE id = NEW.activity_id;
END;

CREATE TRIGGER documentation_items_state_delete AFTER DELETE ON documentation_items
BEGIN
  UPDATE activities SET documentation_state = COALESCE(
      (SELECT state FROM activity_documentation_states WHERE activity_id = OLD.activity_id),
      '-------')
  WHERE id = OLD.activity_id;
END;

CREATE INDEX documentation_items_open ON documentation_items (activity_id, status, kind, id)
    WHERE status IN ('missing', 'draft');

ALTER TABLE activities DROP COLUMN documentation_open_items;
