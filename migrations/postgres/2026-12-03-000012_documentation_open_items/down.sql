CREATE OR REPLACE FUNCTION refresh_documentation_state() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE INDEX documentation_items_open ON documentation_items (activity_id, status, kind, id)
    WHERE status IN ('missing', 'draft');

DROP FUNCTION documentation_open_items_of(TEXT);
ALTER TABLE activities DROP COLUMN documentation_open_items;
