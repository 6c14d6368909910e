//! How risks follow the records they point at: owners moving with their object or activity,
//! and people being erased (used by `objects`, `people` and `activities`).

use diesel::prelude::*;

use crate::db::schema::risks;
use crate::db::DbConnection;

/// How many risks an object has (deleting the object is refused while any remain).
pub fn count_for_object(conn: &mut DbConnection, object_id: &str) -> QueryResult<i64> {
    risks::table
        .filter(risks::object_id.eq(object_id))
        .count()
        .get_result(conn)
}
