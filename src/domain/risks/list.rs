//! `GET /risks`: the filtered, scoped, sorted page of risks.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::risks;
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{Risk, RiskFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &RiskFilter,
    page: &PageRequest,
) -> Result<(Vec<Risk>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = risks::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(risks::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.object_id {
            q = q.filter(risks::object_id.eq(v.clone()));
        }
        if let Some(v) = &filter.activity_id {
            q = q.filter(risks::activity_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(risks::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(risks::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.status {
            q = q.filter(risks::status.eq(v));
        }
        if let Some(v) = filter.min_score {
            q = q.filter(risks::score.ge(v));
        }
        if let Some(v) = filter.review_before {
            q = q.filter(risks::review_date.lt(v));
        }
        if let Some(v) = &filter.owner_person_id {
            q = q.filter(risks::owner_person_id.eq(v.clone()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        // Risks without a review date last either way, on both databases.
        ("review_date", false) => {
            build().order((risks::review_date.is_null().asc(), risks::review_date.asc()))
        }
        ("review_date", true) => build().order((
            risks::review_date.is_null().asc(),
            risks::review_date.desc(),
        )),
        ("created_at", false) => build().order(risks::created_at.asc()),
        ("created_at", true) => build().order(risks::created_at.desc()),
        ("modified_at", false) => build().order(risks::modified_at.asc()),
        ("modified_at", true) => build().order(risks::modified_at.desc()),
        (_, false) => build().order(risks::score.asc()),
        (_, true) => build().order(risks::score.desc()),
    };
    let rows = q
        .then_order_by(risks::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Risk::as_select())
        .load(conn)?;
    Ok((rows, total))
}
