-- The documentation items each activity still lacks, at a glance: `kind id kind id …` of its items
-- that are `missing` or in `draft`, in no particular order (NULL when none), beside
-- `documentation_state` and kept by the same trigger function. Found by `cargo bench --bench reports` (1M activities, 4.4M items): the
-- gaps report named each open item by probing documentation_items once per activity that had one
-- (3.5k probes for a municipality's finished year): a third of its SQL on PostgreSQL (80–87 →
-- 55 ms), 40 % on SQLite (47–58 → 30 ms); now it reads the activities alone. That probe was the
-- only reader of the partial index documentation_items_open, which goes.

-- The items first, then the activities, as writers take them (an item write's trigger updates
-- its activity): a writer still running during the migration cannot deadlock with it.
LOCK TABLE documentation_items IN ACCESS EXCLUSIVE MODE;
ALTER TABLE activities ADD COLUMN documentation_open_items TEXT;

-- One activity's open items, computed from its items (NULL when none).
CREATE FUNCTION documentation_open_items_of(activity TEXT) RETURNS TEXT LANGUAGE sql STABLE AS $$
  SELECT string_agg(kind || ' ' || id, ' ' ORDER BY kind)
  FROM documentation_items WHERE activity_id = activity AND status IN ('missing', 'draft')
$$;

UPDATE activities a SET documentation_open_items = o.items
FROM (SELECT activity_id, string_agg(kind || ' ' || id, ' ' ORDER BY kind) AS items
      FROM documentation_items WHERE status IN ('missing', 'draft')
      GROUP BY activity_id) AS o
WHERE a.id = o.activity_id;

DROP INDEX documentation_items_open;

-- As in `documentation_state`, now writing both columns: lock the touched activities in id order,
-- then, in a new statement with a new snapshot, rewrite those whose state or open items change.
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
  UPDATE activities a
  SET documentation_state = fresh.state, documentation_open_items = fresh.open_items
  FROM (SELECT t.id, documentation_state_of(t.id) AS state,
               documentation_open_items_of(t.id) AS open_items
        FROM unnest(touched) AS t(id)) AS fresh
  WHERE a.id = fresh.id
    AND (a.documentation_state, a.documentation_open_items)
        IS DISTINCT FROM (fresh.state, fresh.open_items);
  RETURN NULL;
END;
$$;
