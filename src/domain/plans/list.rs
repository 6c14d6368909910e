//! `GET /plans`: the filtered, scoped, sorted page of plans.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::plans;
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{Plan, PlanFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &PlanFilter,
    page: &PageRequest,
) -> Result<(Vec<Plan>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = plans::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(plans::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.object_id {
            q = q.filter(plans::object_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(plans::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(plans::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.year {
            q = q.filter(plans::year.eq(v));
        }
        if let Some(v) = filter.status {
            q = q.filter(plans::status.eq(v));
        }
        match filter.has_risk_analysis {
            Some(true) => q = q.filter(plans::risk_analysis_date.is_not_null()),
            Some(false) => q = q.filter(plans::risk_analysis_date.is_null()),
            None => {}
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(plans::external_id.eq(v.clone()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("status", false) => build().order((plans::status.asc(), plans::year.asc())),
        ("status", true) => build().order((plans::status.desc(), plans::year.asc())),
        ("created_at", false) => build().order(plans::created_at.asc()),
        ("created_at", true) => build().order(plans::created_at.desc()),
        ("modified_at", false) => build().order(plans::modified_at.asc()),
        ("modified_at", true) => build().order(plans::modified_at.desc()),
        (_, false) => build().order(plans::year.asc()),
        (_, true) => build().order(plans::year.desc()),
    };
    let rows = q
        .then_order_by(plans::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Plan::as_select())
        .load(conn)?;
    Ok((rows, total))
}
