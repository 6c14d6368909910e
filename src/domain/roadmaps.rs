//! Digitala färdplaner (plan för digital transformation): an organisation's prioritised
//! initiatives and goals for a span of years, drafted and then adopted by a decision. The
//! adopt/close actions and the activity list are in [`actions`].

pub mod actions;
mod list;
mod write;

pub use actions::{activities, adopt, close, AdoptionNew, RoadmapActivity};
pub use list::list;
pub(crate) use write::save;
pub use write::{create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::roadmaps;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// Where the roadmap is in its life: drafted, adopted by a decision, ended.
    RoadmapStatus {
        Draft => "draft",
        Adopted => "adopted",
        Closed => "closed",
    }
}

/// A digital färdplan.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = roadmaps, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "name": "Socialnämndens digitala färdplan 2026–2028",
    "description": "Prioriterade initiativ för en smart och individanpassad välfärd.",
    "from_year": 2026, "to_year": 2028, "status": "adopted",
    "decision_id": "0193a0c4-6666-7c1e-9a1b-2f3c4d5e6f70", "adopted_on": "2026-02-18",
    "external_id": "FP-SN-2026", "version": 2,
    "created_at": "2026-01-10T09:15:00.000000Z", "modified_at": "2026-02-18T15:00:00.000000Z"
}))]
pub struct Roadmap {
    pub id: String,
    pub municipality_id: String,
    /// The organisation whose roadmap it is, usually a committee.
    pub organisation_id: String,
    pub name: String,
    #[serde(skip)]
    pub name_sort: String,
    pub description: Option<String>,
    pub from_year: i32,
    pub to_year: i32,
    /// Read-only: set by `POST /roadmaps/{id}/adopt` and `/close`.
    pub status: RoadmapStatus,
    /// Read-only: the decision that adopted it.
    pub decision_id: Option<String>,
    /// Read-only: the date it was adopted.
    pub adopted_on: Option<NaiveDate>,
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

/// A new roadmap; it starts as a draft.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "name": "Socialnämndens digitala färdplan 2026–2028", "from_year": 2026, "to_year": 2028, "external_id": "FP-SN-2026"}))]
pub struct RoadmapNew {
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
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub from_year: i32,
    /// The last year covered; not before `from_year`.
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub to_year: i32,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a roadmap; absent fields stay, null clears. The status changes only through the
/// adopt and close actions.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"to_year": 2029, "description": "Förlängd ett år efter delårsrapporten."}))]
pub struct RoadmapPatch {
    /// Hand the roadmap to another organisation in the same municipality; its goals move along.
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
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub from_year: Option<i32>,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub to_year: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /roadmaps`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoadmapFilter {
    /// Owned by exactly this organisation.
    pub organisation_id: Option<String>,
    /// Owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<RoadmapStatus>,
    /// Covering this year (from_year ≤ year ≤ to_year).
    #[param(example = 2026)]
    pub year: Option<i32>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["name", "from_year", "created_at", "modified_at"];

pub const RESOURCE: &str = "roadmaps";

fn subject(r: &Roadmap) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &r.id,
        municipality_id: Some(&r.municipality_id),
        organisation_id: Some(&r.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Roadmap, ApiError> {
    roadmaps::table
        .find(id)
        .select(Roadmap::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("roadmap", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Roadmap, ApiError> {
    let roadmap = find(conn, id)?;
    scope::check(conn, principal, &roadmap.organisation_id)?;
    Ok(roadmap)
}
