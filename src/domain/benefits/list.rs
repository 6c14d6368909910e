//! `GET /benefits`: the filtered, scoped, sorted page of benefits.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::benefits;
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{Benefit, BenefitFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &BenefitFilter,
    page: &PageRequest,
) -> Result<(Vec<Benefit>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = benefits::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(benefits::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.activity_id {
            q = q.filter(benefits::activity_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(benefits::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(benefits::municipality_id.eq(v.clone()));
        }
        match filter.has_follow_up {
            // last_follow_up is kept in step with the follow-ups, so no join is needed.
            Some(true) => q = q.filter(benefits::last_follow_up.is_not_null()),
            Some(false) => q = q.filter(benefits::last_follow_up.is_null()),
            None => {}
        }
        if let Some(v) = filter.target_date_before {
            q = q.filter(benefits::target_date.lt(v));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        // Benefits without a target date last either way, on both databases.
        ("target_date", false) => build().order((
            benefits::target_date.is_null().asc(),
            benefits::target_date.asc(),
        )),
        ("target_date", true) => build().order((
            benefits::target_date.is_null().asc(),
            benefits::target_date.desc(),
        )),
        ("modified_at", false) => build().order(benefits::modified_at.asc()),
        ("modified_at", true) => build().order(benefits::modified_at.desc()),
        (_, false) => build().order(benefits::created_at.asc()),
        (_, true) => build().order(benefits::created_at.desc()),
    };
    let rows = q
        .then_order_by(benefits::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Benefit::as_select())
        .load(conn)?;
    Ok((rows, total))
}
