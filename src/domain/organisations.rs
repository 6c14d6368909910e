//! Organisations: the municipality (tenant root) and its committees, administrations, units and
//! companies, kept as a tree with a closure table for subtree scoping.

mod list;
mod tree;
mod write;

pub use list::list;
pub use tree::{link_into_tree, move_subtree};
pub use write::{create, delete, update};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::organisations;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// The kind of organisation.
    OrganisationKind {
        /// kommun: the tenant root.
        Municipality => "municipality",
        /// nämnd or styrelse.
        Committee => "committee",
        /// förvaltning.
        Administration => "administration",
        /// avdelning or enhet.
        Unit => "unit",
        /// kommunalt bolag.
        Company => "company",
    }
}

/// An organisation.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = organisations, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "parent_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "kind": "committee", "name": "Socialnämnden", "short_name": "SN", "external_id": "SN-01",
    "version": 1, "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct Organisation {
    pub id: String,
    /// The municipality (tree root) the organisation belongs to; its own id for a municipality.
    pub municipality_id: String,
    pub parent_id: Option<String>,
    pub kind: OrganisationKind,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub short_name: Option<String>,
    /// Your own key (e.g. from the HR or finance system); unique within the municipality.
    pub external_id: Option<String>,
    /// Increments on every update; the ETag is derived from it.
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new organisation. A municipality has no parent; every other kind needs one.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"kind": "committee", "parent_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "name": "Socialnämnden", "short_name": "SN", "external_id": "SN-01"}))]
pub struct OrganisationNew {
    pub kind: OrganisationKind,
    pub parent_id: Option<String>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub short_name: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to an organisation; absent fields stay as they are, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"name": "Vård- och omsorgsnämnden"}))]
pub struct OrganisationPatch {
    /// Move the organisation under another parent in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub parent_id: Option<String>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub kind: Option<OrganisationKind>,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub short_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /organisations`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    pub kind: Option<OrganisationKind>,
    /// Direct children of this organisation.
    pub parent_id: Option<String>,
    pub municipality_id: Option<String>,
    /// This organisation and everything below it.
    pub within: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "kind", "created_at", "modified_at"];

const RESOURCE: &str = "organisations";

fn subject(o: &Organisation) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &o.id,
        municipality_id: Some(&o.municipality_id),
        organisation_id: Some(&o.id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Organisation, ApiError> {
    organisations::table
        .find(id)
        .select(Organisation::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("organisation", id))
}

/// Reads one organisation the principal may see.
pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<Organisation, ApiError> {
    let org = find(conn, id)?;
    scope::check(conn, principal, &org.id)?;
    Ok(org)
}
