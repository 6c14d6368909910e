//! Keeping the org_closure table in step when an organisation is added or moved.

use diesel::prelude::*;

use crate::db::DbConnection;

/// Adds the closure rows of a new leaf: itself at depth 0 and every ancestor of its parent.
pub fn link_into_tree(conn: &mut DbConnection, id: &str, parent: Option<&str>) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO org_closure (ancestor_id, descendant_id, depth) VALUES ($1, $1, 0)",
    )
    .bind::<diesel::sql_types::Text, _>(id)
    .execute(conn)?;
    if let Some(parent) = parent {
        diesel::sql_query(
            "INSERT INTO org_closure (ancestor_id, descendant_id, depth) \
             SELECT ancestor_id, $1, depth + 1 FROM org_closure WHERE descendant_id = $2",
        )
        .bind::<diesel::sql_types::Text, _>(id)
        .bind::<diesel::sql_types::Text, _>(parent)
        .execute(conn)?;
    }
    Ok(())
}

/// Moves a subtree under a new parent: drops the links to its old ancestors, adds the new ones.
///
/// (Placeholders must first appear in numeric order: SQLite numbers `$N` parameters by first
/// appearance, not by N.)
pub fn move_subtree(conn: &mut DbConnection, id: &str, new_parent: &str) -> QueryResult<()> {
    diesel::sql_query(
        "DELETE FROM org_closure \
         WHERE descendant_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = $1) \
           AND ancestor_id NOT IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = $1)",
    )
    .bind::<diesel::sql_types::Text, _>(id)
    .execute(conn)?;
    diesel::sql_query(
        "INSERT INTO org_closure (ancestor_id, descendant_id, depth) \
         SELECT above.ancestor_id, below.descendant_id, above.depth + below.depth + 1 \
         FROM org_closure above, org_closure below \
         WHERE below.ancestor_id = $1 AND above.descendant_id = $2",
    )
    .bind::<diesel::sql_types::Text, _>(id)
    .bind::<diesel::sql_types::Text, _>(new_parent)
    .execute(conn)?;
    Ok(())
}
