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
-- PostgreSQL runs the triggers once per statement over its transition tables, so a bulk insert
-- updates each activity once, not once per item.
ALTER TABLE activities ADD COLUMN documentation_state TEXT NOT NULL DEFAULT '-------';

-- One activity's state, computed from its items.
CREATE FUNCTION documentation_state_of(activity TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT COALESCE(MAX(CASE WHEN i.kind = 'needs_analysis' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'stakeholder_involvement' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'project_plan' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'benefit_calculation' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'risk_analysis' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'decision_basis' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'final_report' THEN i.code END), '-')
  FROM (SELECT kind, CASE status WHEN 'missing' THEN 'm' WHEN 'draft' THEN 'r' WHEN 'done' THEN 'd' ELSE 'n' END AS code
        FROM documentation_items WHERE activity_id = activity) AS i
$$;

UPDATE activities a SET documentation_state = s.state
FROM (SELECT i.activity_id, COALESCE(MAX(CASE WHEN i.kind = 'needs_analysis' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'stakeholder_involvement' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'project_plan' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'benefit_calculation' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'risk_analysis' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'decision_basis' THEN i.code END), '-')
     || COALESCE(MAX(CASE WHEN i.kind = 'final_report' THEN i.code END), '-') AS state
      FROM (SELECT activity_id, kind, CASE status WHEN 'missing' THEN 'm' WHEN 'draft' THEN 'r' WHEN 'done' THEN 'd' ELSE 'n' END AS code FROM documentation_items) AS i
      GROUP BY i.activity_id) AS s
WHERE a.id = s.activity_id;

-- Locks the touched activities (in id order, so bulk writers cannot deadlock) before reading their
-- items: a writer that read them while another writer's item was still uncommitted would store a
-- state without that item (READ COMMITTED re-runs a blocked UPDATE with its old snapshot). After
-- the lock the UPDATE is a new statement with a new snapshot. FOR NO KEY UPDATE, as the UPDATE
-- itself takes: it does not wait for the KEY SHARE locks that inserting items takes on the
-- activity. Activities whose state does not change are not rewritten.
CREATE FUNCTION refresh_documentation_state() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched TEXT[];
BEGIN
  -- Only the transition tables of this trigger's event exist (new_items for insert and update,
  -- old_items for update and delete).
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(DISTINCT activity_id) INTO touched FROM new_items;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT activity_id) INTO touched FROM old_items;
  ELSE
    SELECT array_agg(activity_id) INTO touched
    FROM (SELECT activity_id FROM new_items UNION SELECT activity_id FROM old_items) AS both_sides;
  END IF;
  PERFORM 1 FROM activities WHERE id = ANY (touched) ORDER BY id FOR NO KEY UPDATE;
  UPDATE activities SET documentation_state = documentation_state_of(id)
  WHERE id = ANY (touched) AND documentation_state IS DISTINCT FROM documentation_state_of(id);
  RETURN NULL;
END;
$$;

CREATE TRIGGER documentation_items_state_insert AFTER INSERT ON documentation_items
  REFERENCING NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_documentation_state();
CREATE TRIGGER documentation_items_state_update AFTER UPDATE ON documentation_items
  REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_documentation_state();
CREATE TRIGGER documentation_items_state_delete AFTER DELETE ON documentation_items
  REFERENCING OLD TABLE AS old_items
  FOR EACH STATEMENT EXECUTE FUNCTION refresh_documentation_state();
