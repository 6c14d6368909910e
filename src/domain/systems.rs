//! Systems, services and e-services inside a förvaltningsobjekt, with their information
//! classification (MSB's 0–4 scale) and the questions auditors ask (personal data, automated
//! decisions, contract end).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{role_assignments, systems};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, objects, scope, text, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// What kind of system it is.
    SystemKind {
        /// verksamhetssystem
        BusinessSystem => "business_system",
        /// e-tjänst
        EService => "e_service",
        Infrastructure => "infrastructure",
        Integration => "integration",
        Other => "other",
    }
}

crate::text_enum! {
    /// Where the system is in its life cycle.
    LifecycleStatus {
        Planned => "planned",
        /// Being procured or built.
        Implementation => "implementation",
        /// In production use.
        Operational => "operational",
        /// Being replaced or wound down.
        PhasingOut => "phasing_out",
        Retired => "retired",
    }
}

crate::text_enum! {
    /// How critical the system is to the municipality's operations.
    Criticality {
        Low => "low",
        Medium => "medium",
        High => "high",
        Critical => "critical",
    }
}

/// A system, service or e-service.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = systems, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Procapita", "kind": "business_system", "vendor": "Tietoevry",
    "lifecycle_status": "operational", "criticality": "high", "personal_data": true,
    "confidentiality": 3, "integrity": 3, "availability": 2, "automated_decisions": false,
    "contract_end": "2027-12-31", "external_id": "SYS-102", "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct System {
    pub id: String,
    pub municipality_id: String,
    /// The owner of the object (kept in step with it; read-only).
    pub organisation_id: String,
    pub object_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub kind: SystemKind,
    pub vendor: Option<String>,
    pub lifecycle_status: LifecycleStatus,
    pub criticality: Option<Criticality>,
    /// The system processes personal data.
    pub personal_data: bool,
    /// Konfidentialitet, 0–4 (MSB).
    pub confidentiality: Option<i32>,
    /// Riktighet, 0–4 (MSB).
    pub integrity: Option<i32>,
    /// Tillgänglighet, 0–4 (MSB).
    pub availability: Option<i32>,
    /// The system makes decisions on its own (automatiserat beslutsfattande).
    pub automated_decisions: bool,
    pub contract_end: Option<NaiveDate>,
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new system.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "name": "Procapita", "kind": "business_system", "vendor": "Tietoevry", "lifecycle_status": "operational", "criticality": "high", "personal_data": true, "confidentiality": 3, "integrity": 3, "availability": 2, "automated_decisions": false, "contract_end": "2027-12-31", "external_id": "SYS-102"}))]
pub struct SystemNew {
    pub object_id: String,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: SystemKind,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub vendor: Option<String>,
    /// Default `operational`.
    pub lifecycle_status: Option<LifecycleStatus>,
    pub criticality: Option<Criticality>,
    /// Default false.
    pub personal_data: Option<bool>,
    #[validate(range(min = 0, max = 4))]
    #[schema(minimum = 0, maximum = 4)]
    pub confidentiality: Option<i32>,
    #[validate(range(min = 0, max = 4))]
    #[schema(minimum = 0, maximum = 4)]
    pub integrity: Option<i32>,
    #[validate(range(min = 0, max = 4))]
    #[schema(minimum = 0, maximum = 4)]
    pub availability: Option<i32>,
    /// Default false.
    pub automated_decisions: Option<bool>,
    pub contract_end: Option<NaiveDate>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a system; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"lifecycle_status": "phasing_out", "contract_end": "2026-12-31"}))]
pub struct SystemPatch {
    /// Move the system to another object in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub object_id: Option<String>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub kind: Option<SystemKind>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub vendor: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub lifecycle_status: Option<LifecycleStatus>,
    #[serde(default, deserialize_with = "nullable")]
    pub criticality: Option<Option<Criticality>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub personal_data: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0, max = 4))]
    #[schema(minimum = 0, maximum = 4)]
    pub confidentiality: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0, max = 4))]
    #[schema(minimum = 0, maximum = 4)]
    pub integrity: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0, max = 4))]
    #[schema(minimum = 0, maximum = 4)]
    pub availability: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub automated_decisions: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    pub contract_end: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /systems`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SystemFilter {
    pub object_id: Option<String>,
    /// Systems whose object is owned by exactly this organisation.
    pub organisation_id: Option<String>,
    /// Systems whose object is owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub kind: Option<SystemKind>,
    pub lifecycle_status: Option<LifecycleStatus>,
    pub criticality: Option<Criticality>,
    pub personal_data: Option<bool>,
    pub automated_decisions: Option<bool>,
    /// Contracts ending on or before this date.
    pub contract_end_before: Option<NaiveDate>,
    pub vendor: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &[
    "name",
    "kind",
    "lifecycle_status",
    "contract_end",
    "created_at",
    "modified_at",
];
pub const RESOURCE: &str = "systems";

fn subject(s: &System) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &s.id,
        municipality_id: Some(&s.municipality_id),
        organisation_id: Some(&s.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<System, ApiError> {
    systems::table
        .find(id)
        .select(System::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("system", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<System, ApiError> {
    let system = find(conn, id)?;
    scope::check(conn, principal, &system.organisation_id)?;
    Ok(system)
}

fn check_external_id(conn: &mut DbConnection, s: &System) -> Result<(), ApiError> {
    if let Some(ext) = &s.external_id {
        let taken: i64 = systems::table
            .filter(systems::municipality_id.eq(&s.municipality_id))
            .filter(systems::external_id.eq(ext))
            .filter(systems::id.ne(&s.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another system in this municipality"
            )));
        }
    }
    Ok(())
}

fn parent_object(
    conn: &mut DbConnection,
    principal: &Principal,
    object_id: &str,
) -> Result<objects::Object, ApiError> {
    let object = objects::find(conn, object_id)
        .map_err(|_| ApiError::field("object_id", "no such object"))?;
    scope::check(conn, principal, &object.organisation_id)?;
    Ok(object)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: SystemNew,
) -> Result<System, ApiError> {
    let object = parent_object(conn, principal, &input.object_id)?;
    let now = time::now();
    let system = System {
        id: new_id(),
        municipality_id: object.municipality_id,
        organisation_id: object.organisation_id,
        object_id: object.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        kind: input.kind,
        vendor: clean(input.vendor),
        lifecycle_status: input
            .lifecycle_status
            .unwrap_or(LifecycleStatus::Operational),
        criticality: input.criticality,
        personal_data: input.personal_data.unwrap_or(false),
        confidentiality: input.confidentiality,
        integrity: input.integrity,
        availability: input.availability,
        automated_decisions: input.automated_decisions.unwrap_or(false),
        contract_end: input.contract_end,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &system)?;
    diesel::insert_into(systems::table)
        .values(&system)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&system),
        None,
        Some(&system),
    )?;
    Ok(system)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: SystemPatch,
) -> Result<System, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(object_id) = patch.object_id {
        if object_id != before.object_id {
            let object = parent_object(conn, principal, &object_id)?;
            if object.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "object_id",
                    "must be in the same municipality",
                )]));
            }
            after.object_id = object.id;
            after.organisation_id = object.organisation_id;
        }
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.kind {
        after.kind = v;
    }
    if let Some(v) = patch.vendor {
        after.vendor = clean(v);
    }
    if let Some(v) = patch.lifecycle_status {
        after.lifecycle_status = v;
    }
    if let Some(v) = patch.criticality {
        after.criticality = v;
    }
    if let Some(v) = patch.personal_data {
        after.personal_data = v;
    }
    if let Some(v) = patch.confidentiality {
        after.confidentiality = v;
    }
    if let Some(v) = patch.integrity {
        after.integrity = v;
    }
    if let Some(v) = patch.availability {
        after.availability = v;
    }
    if let Some(v) = patch.automated_decisions {
        after.automated_decisions = v;
    }
    if let Some(v) = patch.contract_end {
        after.contract_end = v;
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        systems::table
            .filter(systems::id.eq(&before.id))
            .filter(systems::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    if after.organisation_id != before.organisation_id {
        diesel::update(role_assignments::table.filter(role_assignments::system_id.eq(&after.id)))
            .set(role_assignments::organisation_id.eq(&after.organisation_id))
            .execute(conn)?;
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
    let system = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != system.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let roles: i64 = role_assignments::table
        .filter(role_assignments::system_id.eq(&system.id))
        .count()
        .get_result(conn)?;
    if roles > 0 {
        return Err(ApiError::Conflict(format!(
            "system {} still has {roles} role assignment(s); delete them first",
            system.id
        )));
    }
    diesel::delete(systems::table.filter(systems::id.eq(&system.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&system),
        Some(&system),
        None,
    )?;
    Ok(())
}

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
