DROP TRIGGER documentation_items_state_delete ON documentation_items;
DROP TRIGGER documentation_items_state_update ON documentation_items;
DROP TRIGGER documentation_items_state_insert ON documentation_items;
DROP FUNCTION refresh_documentation_state();
DROP FUNCTION documentation_state_of(TEXT);
ALTER TABLE activities DROP COLUMN documentation_state;
