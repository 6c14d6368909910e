DROP INDEX documentation_items_open;
