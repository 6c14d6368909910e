//! Målområden: a municipality's focus areas (e.g. Eskilstuna's "självklar service"), which
//! roadmap goals and activities are tied to. Readable by anyone working in the municipality;
//! written by admins whose scope includes the municipality itself.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{activity_focus_areas, focus_areas, organisations, roadmap_goals};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::organisations::OrganisationKind;
use crate::domain::{clean, new_id, nullable, scope, text, time};
use crate::error::ApiError;

/// A målområde.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = focus_areas, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Självklar service",
    "description": "Invånare och företag möter en tillgänglig kommun med digitala tjänster dygnet runt.",
    "external_id": "MO-3", "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct FocusArea {
    pub id: String,
    /// The municipality (an organisation of kind `municipality`).
    pub municipality_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub description: Option<String>,
    /// Your own key; unique within the municipality.
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new målområde.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "name": "Självklar service", "description": "Invånare och företag möter en tillgänglig kommun med digitala tjänster dygnet runt.", "external_id": "MO-3"}))]
pub struct FocusAreaNew {
    pub municipality_id: String,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a målområde; absent fields stay, null clears. The municipality cannot change.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"description": "Effektiva och digitala stödprocesser för medarbetarna."}))]
pub struct FocusAreaPatch {
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /focus-areas`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FocusAreaFilter {
    pub municipality_id: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "created_at", "modified_at"];
pub const RESOURCE: &str = "focus-areas";

fn subject(f: &FocusArea) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &f.id,
        municipality_id: Some(&f.municipality_id),
        organisation_id: Some(&f.municipality_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<FocusArea, ApiError> {
    focus_areas::table
        .find(id)
        .select(FocusArea::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("focus area", id))
}

/// Whether the principal works anywhere in the municipality (one of its roots lies in it).
pub fn works_in(
    conn: &mut DbConnection,
    principal: &Principal,
    municipality: &str,
) -> QueryResult<bool> {
    let Some(roots) = &principal.orgs else {
        return Ok(true);
    };
    let n: i64 = organisations::table
        .filter(organisations::id.eq_any(roots))
        .filter(organisations::municipality_id.eq(municipality))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Focus areas are shared by the whole municipality, so anyone working in it may read them.
pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<FocusArea, ApiError> {
    let area = find(conn, id)?;
    if !works_in(conn, principal, &area.municipality_id)? {
        return Err(ApiError::Forbidden(format!(
            "focus area {} belongs to another municipality",
            area.id
        )));
    }
    Ok(area)
}

/// They steer every committee, so only an admin over the whole municipality may change them.
fn check_write(
    conn: &mut DbConnection,
    principal: &Principal,
    municipality: &str,
) -> Result<(), ApiError> {
    principal.require_write(crate::auth::Role::Admin)?;
    scope::check(conn, principal, municipality)
}

fn check_external_id(conn: &mut DbConnection, f: &FocusArea) -> Result<(), ApiError> {
    if let Some(ext) = &f.external_id {
        let taken: i64 = focus_areas::table
            .filter(focus_areas::municipality_id.eq(&f.municipality_id))
            .filter(focus_areas::external_id.eq(ext))
            .filter(focus_areas::id.ne(&f.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another focus area in this municipality"
            )));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: FocusAreaNew,
) -> Result<FocusArea, ApiError> {
    let org = crate::domain::organisations::find(conn, &input.municipality_id)
        .map_err(|_| ApiError::field("municipality_id", "no such organisation"))?;
    if org.kind != OrganisationKind::Municipality {
        return Err(ApiError::field("municipality_id", "must be a municipality"));
    }
    check_write(conn, principal, &org.id)?;
    let now = time::now();
    let area = FocusArea {
        id: new_id(),
        municipality_id: org.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        description: clean(input.description),
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &area)?;
    diesel::insert_into(focus_areas::table)
        .values(&area)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&area),
        None,
        Some(&area),
    )?;
    Ok(area)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: FocusAreaPatch,
) -> Result<FocusArea, ApiError> {
    let before = get(conn, principal, id)?;
    check_write(conn, principal, &before.municipality_id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.description {
        after.description = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        focus_areas::table
            .filter(focus_areas::id.eq(&before.id))
            .filter(focus_areas::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(&before),
        Some(&after),
    )?;
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let area = get(conn, principal, id)?;
    check_write(conn, principal, &area.municipality_id)?;
    if expected_version.is_some_and(|v| v != area.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let activity_count: i64 = activity_focus_areas::table
        .filter(activity_focus_areas::focus_area_id.eq(&area.id))
        .count()
        .get_result(conn)?;
    let goal_count: i64 = roadmap_goals::table
        .filter(roadmap_goals::focus_area_id.eq(&area.id))
        .count()
        .get_result(conn)?;
    if activity_count > 0 || goal_count > 0 {
        return Err(ApiError::Conflict(format!(
            "focus area {} is used by {activity_count} activity(ies) and {goal_count} roadmap goal(s); unlink them first",
            area.id
        )));
    }
    diesel::delete(focus_areas::table.filter(focus_areas::id.eq(&area.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&area),
        Some(&area),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &FocusAreaFilter,
    page: &PageRequest,
) -> Result<(Vec<FocusArea>, i64), ApiError> {
    let build = || {
        let mut q = focus_areas::table.into_boxed();
        if let Some(roots) = &principal.orgs {
            let municipalities = organisations::table
                .filter(organisations::id.eq_any(roots.clone()))
                .select(organisations::municipality_id);
            q = q.filter(focus_areas::municipality_id.eq_any(municipalities));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(focus_areas::municipality_id.eq(v.clone()));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(focus_areas::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                focus_areas::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(focus_areas::created_at.asc()),
        ("created_at", true) => build().order(focus_areas::created_at.desc()),
        ("modified_at", false) => build().order(focus_areas::modified_at.asc()),
        ("modified_at", true) => build().order(focus_areas::modified_at.desc()),
        (_, false) => build().order(focus_areas::name_sort.asc()),
        (_, true) => build().order(focus_areas::name_sort.desc()),
    };
    let rows = q
        .then_order_by(focus_areas::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(FocusArea::as_select())
        .load(conn)?;
    Ok((rows, total))
}
