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

/// The organisations a list may show, resolved to ids up front: the principal's subtrees,
/// intersected with the `within` subtree when a filter asks for one. `None`: no restriction.
///
/// Why not the subquery of [`visible_orgs`]: on a 200k-row list, `organisation_id IN (ids)` with
/// a handful of ids lets both planners use the list indexes directly, where two nested
/// `IN (SELECT …)` over the closure table made the count and the page 2–4× slower. A
/// municipality has hundreds of organisations at most, well inside the bind-parameter limits.
pub fn allowed_org_ids(
    conn: &mut DbConnection,
    principal: &Principal,
    within: Option<&str>,
) -> QueryResult<Option<Vec<String>>> {
    let own = match &principal.orgs {
        Some(roots) => Some(subtree_ids(roots.clone()).distinct().load::<String>(conn)?),
        None => None,
    };
    let Some(within) = within else {
        return Ok(own);
    };
    let mut ids: Vec<String> = subtree_ids(vec![within.to_owned()]).load(conn)?;
    if let Some(own) = own {
        let own: std::collections::HashSet<String> = own.into_iter().collect();
        ids.retain(|id| own.contains(id));
    }
    Ok(Some(ids))
}

/// The municipalities the given organisations belong to (a subtree never leaves its
/// municipality, so these bound every row under the roots). For narrowing a large table by its
/// indexed `municipality_id` before the subtree test.
pub fn municipalities_of(conn: &mut DbConnection, roots: &[String]) -> QueryResult<Vec<String>> {
    use crate::db::schema::organisations;
    organisations::table
        .filter(organisations::id.eq_any(roots))
        .select(organisations::municipality_id)
        .distinct()
        .order(organisations::municipality_id)
        .load(conn)
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
