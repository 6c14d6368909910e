//! The activity list: every filter the intranet frontends and reports need, in one indexed query.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{activities, activity_focus_areas, activity_funding};
use crate::db::DbConnection;
use crate::domain::activities::{with_links, Activity, ActivityFilter, ActivityRow};
use crate::domain::{scope, text};
use crate::error::ApiError;

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &ActivityFilter,
    page: &PageRequest,
) -> Result<(Vec<Activity>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = activities::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(activities::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(activities::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(activities::municipality_id.eq(v.clone()));
        }
        if let Some(v) = &filter.plan_id {
            q = q.filter(activities::plan_id.eq(v.clone()));
        }
        if let Some(v) = &filter.object_id {
            q = q.filter(activities::object_id.eq(v.clone()));
        }
        if let Some(v) = &filter.roadmap_id {
            q = q.filter(activities::roadmap_id.eq(v.clone()));
        }
        if let Some(v) = filter.kind {
            q = q.filter(activities::kind.eq(v));
        }
        if let Some(v) = filter.phase {
            q = q.filter(activities::phase.eq(v));
        }
        if let Some(v) = filter.year {
            q = q.filter(activities::year.eq(v));
        }
        if let Some(v) = &filter.responsible_person_id {
            q = q.filter(activities::responsible_person_id.eq(v.clone()));
        }
        if let Some(v) = &filter.focus_area_id {
            let ids = activity_focus_areas::table
                .filter(activity_focus_areas::focus_area_id.eq(v.clone()))
                .select(activity_focus_areas::activity_id);
            q = q.filter(activities::id.eq_any(ids));
        }
        if let Some(v) = &filter.funded_by {
            let ids = activity_funding::table
                .filter(activity_funding::organisation_id.eq(v.clone()))
                .select(activity_funding::activity_id);
            q = q.filter(activities::id.eq_any(ids));
        }
        if let Some(v) = filter.municipality_wide {
            q = q.filter(activities::municipality_wide.eq(v));
        }
        match filter.in_plan {
            Some(true) => q = q.filter(activities::plan_id.is_not_null()),
            Some(false) => q = q.filter(activities::plan_id.is_null()),
            None => {}
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(activities::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                activities::title_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    use activities as a;
    let desc = page.descending;
    // Nullable sort keys put their nulls last in both directions, on both databases.
    let q = match page.sort.as_str() {
        "year" if desc => build().order((a::year.desc(), a::title_sort.asc())),
        "year" => build().order((a::year.asc(), a::title_sort.asc())),
        "phase" if desc => build().order((a::phase.desc(), a::title_sort.asc())),
        "phase" => build().order((a::phase.asc(), a::title_sort.asc())),
        "start_date" if desc => {
            build().order((a::start_date.is_null().asc(), a::start_date.desc()))
        }
        "start_date" => build().order((a::start_date.is_null().asc(), a::start_date.asc())),
        "end_date" if desc => build().order((a::end_date.is_null().asc(), a::end_date.desc())),
        "end_date" => build().order((a::end_date.is_null().asc(), a::end_date.asc())),
        "planned_budget" if desc => {
            build().order((a::planned_budget.is_null().asc(), a::planned_budget.desc()))
        }
        "planned_budget" => {
            build().order((a::planned_budget.is_null().asc(), a::planned_budget.asc()))
        }
        "expected_benefit" if desc => build().order((
            a::expected_benefit.is_null().asc(),
            a::expected_benefit.desc(),
        )),
        "expected_benefit" => build().order((
            a::expected_benefit.is_null().asc(),
            a::expected_benefit.asc(),
        )),
        "complexity" if desc => {
            build().order((a::complexity.is_null().asc(), a::complexity.desc()))
        }
        "complexity" => build().order((a::complexity.is_null().asc(), a::complexity.asc())),
        "roadmap_priority" if desc => build().order((
            a::roadmap_priority.is_null().asc(),
            a::roadmap_priority.desc(),
        )),
        "roadmap_priority" => build().order((
            a::roadmap_priority.is_null().asc(),
            a::roadmap_priority.asc(),
        )),
        "created_at" if desc => build().order(a::created_at.desc()),
        "created_at" => build().order(a::created_at.asc()),
        "modified_at" if desc => build().order(a::modified_at.desc()),
        "modified_at" => build().order(a::modified_at.asc()),
        _ if desc => build().order(a::title_sort.desc()),
        _ => build().order(a::title_sort.asc()),
    };
    let rows: Vec<ActivityRow> = q
        .then_order_by(a::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(ActivityRow::as_select())
        .load(conn)?;
    let total = match page.total_from_page(rows.len()) {
        Some(total) => total,
        None => build().count().get_result(conn)?,
    };
    Ok((with_links(conn, rows)?, total))
}
