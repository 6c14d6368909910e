//! Förvaltningsobjekt: managed areas grouping systems and services, owned by an organisation.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{objects, role_assignments, systems};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, organisations, risks, scope, text, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// Where the object is in its life.
    ObjectStatus {
        Planned => "planned",
        Active => "active",
        Retired => "retired",
    }
}

/// A förvaltningsobjekt.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = objects, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Skolplattform", "description": "Lärplattform, elevregister och vårdnadshavarkontakt",
    "business_area": "Utbildning", "status": "active", "external_id": "OBJ-017",
    "version": 3, "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-24T10:00:00.000000Z"
}))]
pub struct Object {
    pub id: String,
    pub municipality_id: String,
    /// The owning organisation.
    pub organisation_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub description: Option<String>,
    /// Verksamhetsområde, e.g. Utbildning, Vård och omsorg.
    pub business_area: Option<String>,
    pub status: ObjectStatus,
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

/// A new förvaltningsobjekt.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "name": "Skolplattform", "business_area": "Utbildning", "status": "active", "external_id": "OBJ-017"}))]
pub struct ObjectNew {
    pub organisation_id: String,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub description: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub business_area: Option<String>,
    /// Default `active`.
    pub status: Option<ObjectStatus>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to an object; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"status": "retired"}))]
pub struct ObjectPatch {
    /// Hand the object to another organisation in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub organisation_id: Option<String>,
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
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub business_area: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub status: Option<ObjectStatus>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /objects`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectFilter {
    /// Owned by exactly this organisation.
    pub organisation_id: Option<String>,
    /// Owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<ObjectStatus>,
    pub business_area: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "status", "created_at", "modified_at"];
const RESOURCE: &str = "objects";

fn subject(o: &Object) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &o.id,
        municipality_id: Some(&o.municipality_id),
        organisation_id: Some(&o.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Object, ApiError> {
    objects::table
        .find(id)
        .select(Object::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("object", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Object, ApiError> {
    let object = find(conn, id)?;
    scope::check(conn, principal, &object.organisation_id)?;
    Ok(object)
}

fn check_external_id(conn: &mut DbConnection, o: &Object) -> Result<(), ApiError> {
    if let Some(ext) = &o.external_id {
        let taken: i64 = objects::table
            .filter(objects::municipality_id.eq(&o.municipality_id))
            .filter(objects::external_id.eq(ext))
            .filter(objects::id.ne(&o.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another object in this municipality"
            )));
        }
    }
    Ok(())
}

/// The owner organisation, checked to exist and to be in the principal's scope.
fn owner(
    conn: &mut DbConnection,
    principal: &Principal,
    organisation_id: &str,
) -> Result<organisations::Organisation, ApiError> {
    let org = organisations::find(conn, organisation_id)
        .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
    scope::check(conn, principal, &org.id)?;
    Ok(org)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: ObjectNew,
) -> Result<Object, ApiError> {
    let org = owner(conn, principal, &input.organisation_id)?;
    let now = time::now();
    let object = Object {
        id: new_id(),
        municipality_id: org.municipality_id,
        organisation_id: org.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        description: clean(input.description),
        business_area: clean(input.business_area),
        status: input.status.unwrap_or(ObjectStatus::Active),
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &object)?;
    diesel::insert_into(objects::table)
        .values(&object)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&object),
        None,
        Some(&object),
    )?;
    Ok(object)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: ObjectPatch,
) -> Result<Object, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(org_id) = patch.organisation_id {
        if org_id != before.organisation_id {
            let org = owner(conn, principal, &org_id)?;
            if org.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "organisation_id",
                    "must be in the same municipality",
                )]));
            }
            after.organisation_id = org.id;
        }
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.description {
        after.description = clean(v);
    }
    if let Some(v) = patch.business_area {
        after.business_area = clean(v);
    }
    if let Some(v) = patch.status {
        after.status = v;
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        objects::table
            .filter(objects::id.eq(&before.id))
            .filter(objects::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    if after.organisation_id != before.organisation_id {
        crate::domain::ownership::move_object(conn, &after.id, &after.organisation_id)?;
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
    let object = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != object.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let system_count: i64 = systems::table
        .filter(systems::object_id.eq(&object.id))
        .count()
        .get_result(conn)?;
    let role_count: i64 = role_assignments::table
        .filter(role_assignments::object_id.eq(&object.id))
        .count()
        .get_result(conn)?;
    let risk_count = risks::count_for_object(conn, &object.id)?;
    if system_count > 0 || role_count > 0 || risk_count > 0 {
        return Err(ApiError::Conflict(format!(
            "object {} still has {system_count} system(s), {role_count} role assignment(s) and {risk_count} risk(s); delete or move them first",
            object.id
        )));
    }
    diesel::delete(objects::table.filter(objects::id.eq(&object.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&object),
        Some(&object),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &ObjectFilter,
    page: &PageRequest,
) -> Result<(Vec<Object>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = objects::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(objects::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(objects::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(objects::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.status {
            q = q.filter(objects::status.eq(v));
        }
        if let Some(v) = &filter.business_area {
            q = q.filter(objects::business_area.eq(v.clone()));
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(objects::external_id.eq(v.clone()));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                objects::name_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let q = match (page.sort.as_str(), page.descending) {
        ("status", false) => build().order((objects::status.asc(), objects::name_sort.asc())),
        ("status", true) => build().order((objects::status.desc(), objects::name_sort.asc())),
        ("created_at", false) => build().order(objects::created_at.asc()),
        ("created_at", true) => build().order(objects::created_at.desc()),
        ("modified_at", false) => build().order(objects::modified_at.asc()),
        ("modified_at", true) => build().order(objects::modified_at.desc()),
        (_, false) => build().order(objects::name_sort.asc()),
        (_, true) => build().order(objects::name_sort.desc()),
    };
    let rows = q
        .then_order_by(objects::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Object::as_select())
        .load(conn)?;
    let total = match page.total_from_page(rows.len()) {
        Some(total) => total,
        None => build().count().get_result(conn)?,
    };
    Ok((rows, total))
}
