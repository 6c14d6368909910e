//! `GET /documentation-items`: the filtered, scoped, sorted page of documentation items.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::documentation_items;
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{DocumentationItem, DocumentationItemFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &DocumentationItemFilter,
    page: &PageRequest,
) -> Result<(Vec<DocumentationItem>, i64), ApiError> {
    if page.q.is_some() {
        return Err(ApiError::field(
            "q",
            "documentation items have no names to search; filter by activity_id, kind or status",
        ));
    }
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = documentation_items::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(documentation_items::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.activity_id {
            q = q.filter(documentation_items::activity_id.eq(v.clone()));
        }
        if let Some(v) = filter.kind {
            q = q.filter(documentation_items::kind.eq(v));
        }
        if let Some(v) = filter.status {
            q = q.filter(documentation_items::status.eq(v));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(documentation_items::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(documentation_items::municipality_id.eq(v.clone()));
        }
        match filter.has_file {
            Some(true) => q = q.filter(documentation_items::attachment_id.is_not_null()),
            Some(false) => q = q.filter(documentation_items::attachment_id.is_null()),
            None => {}
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    use documentation_items::{activity_id, created_at, kind, modified_at, status};
    let q = match (page.sort.as_str(), page.descending) {
        ("status", false) => build().order((status.asc(), activity_id.asc(), kind.asc())),
        ("status", true) => build().order((status.desc(), activity_id.asc(), kind.asc())),
        ("created_at", false) => build().order(created_at.asc()),
        ("created_at", true) => build().order(created_at.desc()),
        ("modified_at", false) => build().order(modified_at.asc()),
        ("modified_at", true) => build().order(modified_at.desc()),
        (_, false) => build().order((kind.asc(), activity_id.asc())),
        (_, true) => build().order((kind.desc(), activity_id.asc())),
    };
    let rows = q
        .then_order_by(documentation_items::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(DocumentationItem::as_select())
        .load(conn)?;
    Ok((rows, total))
}
