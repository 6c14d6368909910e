//! `GET /roadmaps`: the filtered, scoped, sorted page of roadmaps.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::roadmaps;
use crate::db::DbConnection;
use crate::domain::{scope, text};
use crate::error::ApiError;

use super::{Roadmap, RoadmapFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &RoadmapFilter,
    page: &PageRequest,
) -> Result<(Vec<Roadmap>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = roadmaps::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(roadmaps::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(roadmaps::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(roadmaps::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.status {
            q = q.filter(roadmaps::status.eq(v));
        }
        if let Some(y) = filter.year {
            q = q.filter(roadmaps::from_year.le(y).and(roadmaps::to_year.ge(y)));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(roadmaps::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                roadmaps::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("from_year", false) => build().order((roadmaps::from_year.asc(), roadmaps::name_sort)),
        ("from_year", true) => build().order((roadmaps::from_year.desc(), roadmaps::name_sort)),
        ("created_at", false) => build().order(roadmaps::created_at.asc()),
        ("created_at", true) => build().order(roadmaps::created_at.desc()),
        ("modified_at", false) => build().order(roadmaps::modified_at.asc()),
        ("modified_at", true) => build().order(roadmaps::modified_at.desc()),
        (_, false) => build().order(roadmaps::name_sort.asc()),
        (_, true) => build().order(roadmaps::name_sort.desc()),
    };
    let rows = q
        .then_order_by(roadmaps::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Roadmap::as_select())
        .load(conn)?;
    Ok((rows, total))
}
