//! Systems, services and e-services inside a förvaltningsobjekt, with their information
//! classification (MSB's 0–4 scale) and the questions auditors ask (personal data, automated
//! decisions, contract end).

mod list;
mod write;

pub use list::list;
pub use write::{create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::systems;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

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
