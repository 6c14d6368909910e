//! `GET /systems`: the filtered, scoped, sorted page of systems.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::systems;
use crate::db::DbConnection;
use crate::domain::{scope, text};
use crate::error::ApiError;

use super::{System, SystemFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &SystemFilter,
    page: &PageRequest,
) -> Result<(Vec<System>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = systems::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(systems::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.object_id {
            q = q.filter(systems::object_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(systems::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(systems::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.kind {
            q = q.filter(systems::kind.eq(v));
        }
        if let Some(v) = filter.lifecycle_status {
            q = q.filter(systems::lifecycle_status.eq(v));
        }
        if let Some(v) = filter.criticality {
            q = q.filter(systems::criticality.eq(v));
        }
        if let Some(v) = filter.personal_data {
            q = q.filter(systems::personal_data.eq(v));
        }
        if let Some(v) = filter.automated_decisions {
            q = q.filter(systems::automated_decisions.eq(v));
        }
        if let Some(v) = filter.contract_end_before {
            q = q.filter(systems::contract_end.le(v));
        }
        if let Some(v) = &filter.vendor {
            q = q.filter(systems::vendor.eq(v.clone()));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(systems::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                systems::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("kind", false) => build().order((systems::kind.asc(), systems::name_sort.asc())),
        ("kind", true) => build().order((systems::kind.desc(), systems::name_sort.asc())),
        ("lifecycle_status", false) => {
            build().order((systems::lifecycle_status.asc(), systems::name_sort.asc()))
        }
        ("lifecycle_status", true) => {
            build().order((systems::lifecycle_status.desc(), systems::name_sort.asc()))
        }
        // Systems without a contract end last either way, on both databases.
        ("contract_end", false) => build().order((
            systems::contract_end.is_null().asc(),
            systems::contract_end.asc(),
        )),
        ("contract_end", true) => build().order((
            systems::contract_end.is_null().asc(),
            systems::contract_end.desc(),
        )),
        ("created_at", false) => build().order(systems::created_at.asc()),
        ("created_at", true) => build().order(systems::created_at.desc()),
        ("modified_at", false) => build().order(systems::modified_at.asc()),
        ("modified_at", true) => build().order(systems::modified_at.desc()),
        (_, false) => build().order(systems::name_sort.asc()),
        (_, true) => build().order(systems::name_sort.desc()),
    };
    let rows = q
        .then_order_by(systems::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(System::as_select())
        .load(conn)?;
    Ok((rows, total))
}
