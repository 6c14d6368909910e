-- Each activity's documentation at a glance, for the documentation gaps report: one character per
-- documentation kind, in this order: needs_analysis, stakeholder_involvement, project_plan,
-- benefit_calculation, risk_analysis, decision_basis, final_report (the order of
-- `DocumentationKind::ALL`, which `documentation_completeness::state_position` reads). A character
-- is `m` missing, `r` draft, `d` done, `n` not applicable, or `-` when the activity has no item of
-- that kind. Found by `cargo bench --bench reports`: listing a municipality's gaps looked up every
-- activity × kind in documentation_items (33k index probes for one finished year); with this
-- column it reads the activities alone and probes only for the item ids of missing and drafts.
-- Triggers keep it in step with every write to documentation_items (API, imports, demo data),
-- so no write path can forget it. The overview counts its kinds done and not applicable from it.
ALTER TABLE activities ADD COLUMN documentation_state TEXT NOT NULL DEFAULT '-------';

-- Each activity's state, computed from its items (an activity without items has no row here).
-- Read for one activity at a time: SQLite pushes `activity_id = ?` into the grouping, one index
-- range of documentation_items_key.
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

UPDATE activities SET documentation_state = s.state
FROM activity_documentation_states AS s
WHERE s.activity_id = activities.id;

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
