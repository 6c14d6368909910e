//! `GET /people`: the filtered, scoped, sorted page of people.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::people;
use crate::db::DbConnection;
use crate::domain::{scope, text};
use crate::error::ApiError;

use super::{Person, PersonFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &PersonFilter,
    page: &PageRequest,
) -> Result<(Vec<Person>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = people::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(people::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(people::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(people::municipality_id.eq(v.clone()));
        }
        if let Some(v) = &filter.email {
            q = q.filter(people::email.eq(v.trim().to_lowercase()));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(people::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                people::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(people::created_at.asc()),
        ("created_at", true) => build().order(people::created_at.desc()),
        ("modified_at", false) => build().order(people::modified_at.asc()),
        ("modified_at", true) => build().order(people::modified_at.desc()),
        (_, false) => build().order(people::name_sort.asc()),
        (_, true) => build().order(people::name_sort.desc()),
    };
    let rows = q
        .then_order_by(people::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Person::as_select())
        .load(conn)?;
    Ok((rows, total))
}
