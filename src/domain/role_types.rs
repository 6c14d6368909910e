//! Role types: objektägare, objektförvaltare, systemägare, systemförvaltare, driftansvarig,
//! verksamhetsrepresentant and any a municipality adds. The seeded ones are shared by every
//! municipality (`municipality_id` null); a municipality's own are scoped to it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{role_assignments, role_types};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::organisations::{self, OrganisationKind};
use crate::domain::{clean, new_id, nullable, scope, text, time};
use crate::error::ApiError;

crate::text_enum! {
    /// What a role is held on.
    RoleTarget {
        Object => "object",
        System => "system",
    }
}

/// A role type.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = role_types, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "00000000-0000-7000-8000-000000000001", "municipality_id": null,
    "name": "Objektägare", "description": "Äger förvaltningsobjektet och beslutar om dess förvaltningsplan och budget.",
    "applies_to": "object", "required": true, "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct RoleType {
    pub id: String,
    /// Null for the shared role types every municipality has.
    pub municipality_id: Option<String>,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub description: Option<String>,
    /// Held on objects or on systems.
    pub applies_to: RoleTarget,
    /// Every object (or system) should have someone in this role; vacancies are reported.
    pub required: bool,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new role type. Without `municipality_id` it is shared by all (unrestricted admins only).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "name": "Informationssäkerhetssamordnare", "applies_to": "object", "required": false}))]
pub struct RoleTypeNew {
    pub municipality_id: Option<String>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<String>,
    pub applies_to: RoleTarget,
    /// Default false.
    pub required: Option<bool>,
}

/// Changes to a role type; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"required": true}))]
pub struct RoleTypePatch {
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub applies_to: Option<RoleTarget>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub required: Option<bool>,
}

/// Filters of `GET /role-types`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoleTypeFilter {
    pub applies_to: Option<RoleTarget>,
    pub required: Option<bool>,
    /// A municipality's own role types plus the shared ones.
    pub municipality_id: Option<String>,
    /// Only the shared role types (true) or only municipalities' own (false).
    pub shared: Option<bool>,
}

pub const SORT_FIELDS: &[&str] = &["name", "created_at", "modified_at"];
pub const RESOURCE: &str = "role-types";

fn subject(r: &RoleType) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &r.id,
        municipality_id: r.municipality_id.as_deref(),
        organisation_id: r.municipality_id.as_deref(),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<RoleType, ApiError> {
    role_types::table
        .find(id)
        .select(RoleType::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("role type", id))
}

/// Shared role types are visible to everyone; a municipality's own to those with any part of it
/// in scope.
pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<RoleType, ApiError> {
    let role_type = find(conn, id)?;
    if let (Some(municipality), Some(roots)) = (&role_type.municipality_id, &principal.orgs) {
        if !roots_in_municipality(conn, roots, municipality)? {
            return Err(ApiError::Forbidden(format!(
                "role type {} belongs to another municipality",
                role_type.id
            )));
        }
    }
    Ok(role_type)
}

fn roots_in_municipality(
    conn: &mut DbConnection,
    roots: &[String],
    municipality: &str,
) -> QueryResult<bool> {
    use crate::db::schema::organisations;
    let n: i64 = organisations::table
        .filter(organisations::id.eq_any(roots))
        .filter(organisations::municipality_id.eq(municipality))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Writing a shared role type needs an unrestricted admin; a municipality's own needs the
/// municipality itself in scope.
fn check_write(
    conn: &mut DbConnection,
    principal: &Principal,
    municipality: Option<&str>,
) -> Result<(), ApiError> {
    match municipality {
        None if !principal.is_unrestricted() => Err(ApiError::Forbidden(
            "shared role types can only be changed by an admin without org claims".into(),
        )),
        None => Ok(()),
        Some(m) => scope::check(conn, principal, m),
    }
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: RoleTypeNew,
) -> Result<RoleType, ApiError> {
    if let Some(m) = &input.municipality_id {
        let org = organisations::find(conn, m)
            .map_err(|_| ApiError::field("municipality_id", "no such organisation"))?;
        if org.kind != OrganisationKind::Municipality {
            return Err(ApiError::field("municipality_id", "must be a municipality"));
        }
    }
    check_write(conn, principal, input.municipality_id.as_deref())?;
    let now = time::now();
    let role_type = RoleType {
        id: new_id(),
        municipality_id: input.municipality_id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        description: clean(input.description),
        applies_to: input.applies_to,
        required: input.required.unwrap_or(false),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    diesel::insert_into(role_types::table)
        .values(&role_type)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&role_type),
        None,
        Some(&role_type),
    )?;
    Ok(role_type)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: RoleTypePatch,
) -> Result<RoleType, ApiError> {
    let before = get(conn, principal, id)?;
    check_write(conn, principal, before.municipality_id.as_deref())?;
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
    if let Some(v) = patch.applies_to {
        if v != before.applies_to {
            let used: i64 = role_assignments::table
                .filter(role_assignments::role_type_id.eq(&before.id))
                .count()
                .get_result(conn)?;
            if used > 0 {
                return Err(ApiError::Conflict(format!(
                    "role type {} is held in {used} assignment(s); applies_to cannot change while it is in use",
                    before.id
                )));
            }
        }
        after.applies_to = v;
    }
    if let Some(v) = patch.required {
        after.required = v;
    }
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        role_types::table
            .filter(role_types::id.eq(&before.id))
            .filter(role_types::version.eq(before.version)),
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
    let role_type = get(conn, principal, id)?;
    check_write(conn, principal, role_type.municipality_id.as_deref())?;
    if expected_version.is_some_and(|v| v != role_type.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let used: i64 = role_assignments::table
        .filter(role_assignments::role_type_id.eq(&role_type.id))
        .count()
        .get_result(conn)?;
    if used > 0 {
        return Err(ApiError::Conflict(format!(
            "role type {} is held in {used} role assignment(s); delete them first",
            role_type.id
        )));
    }
    diesel::delete(role_types::table.filter(role_types::id.eq(&role_type.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&role_type),
        Some(&role_type),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &RoleTypeFilter,
    page: &PageRequest,
) -> Result<(Vec<RoleType>, i64), ApiError> {
    use crate::db::schema::organisations;
    let build = || {
        let mut q = role_types::table.into_boxed();
        if let Some(roots) = &principal.orgs {
            let municipalities = organisations::table
                .filter(organisations::id.eq_any(roots.clone()))
                .select(organisations::municipality_id);
            q = q.filter(
                role_types::municipality_id
                    .is_null()
                    .or(role_types::municipality_id
                        .assume_not_null()
                        .eq_any(municipalities)),
            );
        }
        if let Some(v) = filter.applies_to {
            q = q.filter(role_types::applies_to.eq(v));
        }
        if let Some(v) = filter.required {
            q = q.filter(role_types::required.eq(v));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(
                role_types::municipality_id
                    .is_null()
                    .or(role_types::municipality_id.eq(v.clone())),
            );
        }
        match filter.shared {
            Some(true) => q = q.filter(role_types::municipality_id.is_null()),
            Some(false) => q = q.filter(role_types::municipality_id.is_not_null()),
            None => {}
        }
        if let Some(t) = &page.q {
            q = q.filter(
                role_types::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(role_types::created_at.asc()),
        ("created_at", true) => build().order(role_types::created_at.desc()),
        ("modified_at", false) => build().order(role_types::modified_at.asc()),
        ("modified_at", true) => build().order(role_types::modified_at.desc()),
        (_, false) => build().order(role_types::name_sort.asc()),
        (_, true) => build().order(role_types::name_sort.desc()),
    };
    let rows = q
        .then_order_by(role_types::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(RoleType::as_select())
        .load(conn)?;
    Ok((rows, total))
}
