//! Organisation scoping: a token's `org` claims limit it to those organisations' subtrees.
//! Subtrees come from the `org_closure` table (every ancestor–descendant pair), so a scope check
//! is one indexed lookup and a scoped list is one `IN (subquery)`.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::org_closure;
use crate::db::DbConnection;
use crate::error::ApiError;

/// The ids of every organisation in the given subtrees, as a subquery. (Not boxed: a boxed
/// subselect cannot be rendered by the multi-backend connection.)
#[diesel::dsl::auto_type]
pub fn subtree_ids(roots: Vec<String>) -> _ {
    org_closure::table
        .select(org_closure::descendant_id)
        .filter(org_closure::ancestor_id.eq_any(roots))
}

/// The organisations a principal may see, as a subquery; `None` when unrestricted.
pub fn visible_orgs(principal: &Principal) -> Option<subtree_ids> {
    principal.orgs.clone().map(subtree_ids)
}

/// Whether `org_id` lies in one of the principal's subtrees.
pub fn in_scope(conn: &mut DbConnection, principal: &Principal, org_id: &str) -> QueryResult<bool> {
    let Some(roots) = &principal.orgs else {
        return Ok(true);
    };
    let n: i64 = org_closure::table
        .filter(org_closure::descendant_id.eq(org_id))
        .filter(org_closure::ancestor_id.eq_any(roots))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// 403 unless `org_id` lies in one of the principal's subtrees.
pub fn check(conn: &mut DbConnection, principal: &Principal, org_id: &str) -> Result<(), ApiError> {
    if in_scope(conn, principal, org_id)? {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "organisation {org_id} is outside the organisations this token may access"
        )))
    }
}

/// Whether `ancestor` is `descendant` or one of its ancestors.
pub fn is_within(conn: &mut DbConnection, ancestor: &str, descendant: &str) -> QueryResult<bool> {
    let n: i64 = org_closure::table
        .filter(org_closure::ancestor_id.eq(ancestor))
        .filter(org_closure::descendant_id.eq(descendant))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
