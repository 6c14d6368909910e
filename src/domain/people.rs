//! People who hold roles. Personal data is kept minimal (name, e-mail, title) and can be erased:
//! deleting a person ends their role assignments and scrubs them from the change history.

mod delete;
mod list;
mod write;

pub use delete::delete;
pub use list::list;
pub use write::{create, update};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::people;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

/// A person.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = people, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Åsa Öberg", "email": "asa.oberg@kommun.se", "title": "Digitaliseringsstrateg",
    "external_id": "HR-4711", "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct Person {
    pub id: String,
    pub municipality_id: String,
    /// Where the person works.
    pub organisation_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub email: Option<String>,
    pub title: Option<String>,
    /// Your own key (e.g. the HR system's); unique within the municipality.
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new person.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "name": "Åsa Öberg", "email": "asa.oberg@kommun.se", "title": "Digitaliseringsstrateg"}))]
pub struct PersonNew {
    pub organisation_id: String,
    #[validate(
        length(min = 1, max = 200),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a person; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"title": "IT-strateg"}))]
pub struct PersonPatch {
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
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub title: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /people`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonFilter {
    pub organisation_id: Option<String>,
    /// In this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Exact e-mail address (case-insensitive).
    pub email: Option<String>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "created_at", "modified_at"];

pub const RESOURCE: &str = "people";

fn subject(p: &Person) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &p.id,
        municipality_id: Some(&p.municipality_id),
        organisation_id: Some(&p.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Person, ApiError> {
    people::table
        .find(id)
        .select(Person::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("person", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Person, ApiError> {
    let person = find(conn, id)?;
    scope::check(conn, principal, &person.organisation_id)?;
    Ok(person)
}
