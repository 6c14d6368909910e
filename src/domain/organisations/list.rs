//! `GET /organisations`: the filtered, scoped, sorted page of organisations.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::organisations;
use crate::db::DbConnection;
use crate::domain::{scope, text};
use crate::error::ApiError;

use super::{Organisation, OrganisationFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &OrganisationFilter,
    page: &crate::api::paging::PageRequest,
) -> Result<(Vec<Organisation>, i64), ApiError> {
    let build = || {
        let mut q = organisations::table.into_boxed();
        if let Some(orgs) = scope::visible_orgs(principal) {
            q = q.filter(organisations::id.eq_any(orgs));
        }
        if let Some(k) = filter.kind {
            q = q.filter(organisations::kind.eq(k));
        }
        if let Some(p) = &filter.parent_id {
            q = q.filter(organisations::parent_id.eq(p.clone()));
        }
        if let Some(m) = &filter.municipality_id {
            q = q.filter(organisations::municipality_id.eq(m.clone()));
        }
        if let Some(w) = &filter.within {
            q = q.filter(organisations::id.eq_any(scope::subtree_ids(vec![w.clone()])));
        }
        if let Some(e) = &filter.external_id {
            q = q.filter(organisations::external_id.eq(e.clone()));
        }
        if let Some(text) = &page.q {
            q = q.filter(
                organisations::name_sort
                    .like(text::contains_pattern(text))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let mut q = build();
    q = match (page.sort.as_str(), page.descending) {
        ("kind", false) => q.order((organisations::kind.asc(), organisations::name_sort.asc())),
        ("kind", true) => q.order((organisations::kind.desc(), organisations::name_sort.asc())),
        ("created_at", false) => q.order(organisations::created_at.asc()),
        ("created_at", true) => q.order(organisations::created_at.desc()),
        ("modified_at", false) => q.order(organisations::modified_at.asc()),
        ("modified_at", true) => q.order(organisations::modified_at.desc()),
        (_, false) => q.order(organisations::name_sort.asc()),
        (_, true) => q.order(organisations::name_sort.desc()),
    };
    let rows = q
        .then_order_by(organisations::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Organisation::as_select())
        .load(conn)?;
    Ok((rows, total))
}
