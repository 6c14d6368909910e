//! Activities (aktiviteter, initiativ, projekt): work items belonging to a plan, or directly to an
//! organisation, optionally on a roadmap; their phases, co-funding and focus areas.

mod rows;

pub use crate::domain::activity_list::list;
pub use crate::domain::activity_writes::{create, delete, update};
pub use rows::{find_row, get, get_row, record_change, set_municipality_wide, with_links};

use std::ops::Deref;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::db::schema::activities;
use crate::domain::{nullable, time};

crate::text_enum! {
    /// What kind of work it is.
    ActivityKind {
        /// Keeping things running (vidmakthållande).
        Maintenance => "maintenance",
        Change => "change",
        Development => "development",
        Project => "project",
        /// An initiative, often not tied to an object.
        Initiative => "initiative",
    }
}

crate::text_enum! {
    /// Where the activity is in its life. The order matters: entering a phase requires the
    /// phase rules of that phase and of every phase before it.
    Phase {
        Idea => "idea",
        NeedsAnalysis => "needs_analysis",
        Planned => "planned",
        InProgress => "in_progress",
        Completed => "completed",
        Evaluated => "evaluated",
        Cancelled => "cancelled",
    }
}

impl Phase {
    /// Position in the normal flow; cancelled stands outside it.
    pub fn rank(self) -> Option<usize> {
        match self {
            Phase::Cancelled => None,
            other => Phase::ALL.iter().position(|p| *p == other),
        }
    }
}

/// An activity row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Serialize, ToSchema)]
#[diesel(table_name = activities, treat_none_as_null = true)]
pub struct ActivityRow {
    pub id: String,
    pub municipality_id: String,
    /// The owning organisation: the plan's object owner, or the organisation given directly.
    pub organisation_id: String,
    pub plan_id: Option<String>,
    /// The plan's object (read-only).
    pub object_id: Option<String>,
    pub roadmap_id: Option<String>,
    /// Rank on the roadmap (1 = highest).
    pub roadmap_priority: Option<i32>,
    pub kind: ActivityKind,
    pub phase: Phase,
    pub title: String,
    #[serde(skip)]
    pub title_sort: String,
    /// Syfte och mål.
    pub purpose_and_goals: Option<String>,
    /// The plan's year, or the year given for activities outside plans.
    pub year: i32,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Whole SEK.
    pub planned_budget: Option<i64>,
    /// Whole SEK.
    pub actual_budget: Option<i64>,
    pub responsible_person_id: Option<String>,
    /// 1–5, for prioritising against complexity.
    pub expected_benefit: Option<i32>,
    /// 1–5.
    pub complexity: Option<i32>,
    /// Raised to and accepted by the municipal council as municipality-wide.
    pub municipality_wide: bool,
    #[serde(with = "time::utc_opt")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub phase_changed_at: Option<NaiveDateTime>,
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A share of an activity's planned budget paid by one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
pub struct CoFunding {
    pub organisation_id: String,
    /// Whole SEK.
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub amount: i64,
}

/// An activity with its focus areas and co-funding.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "plan_id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70", "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70",
    "roadmap_id": null, "roadmap_priority": null, "kind": "project", "phase": "in_progress",
    "title": "Införande av e-arkiv", "purpose_and_goals": "Säker långtidslagring; minskade kostnader för pappersarkiv.",
    "year": 2026, "start_date": "2026-02-01", "end_date": "2026-12-31",
    "planned_budget": 1800000, "actual_budget": 650000,
    "responsible_person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "expected_benefit": 4, "complexity": 3, "municipality_wide": false,
    "phase_changed_at": "2026-02-01T08:00:00.000000Z", "external_id": "AKT-2026-004", "version": 5,
    "created_at": "2025-11-01T08:00:00.000000Z", "modified_at": "2026-06-01T08:00:00.000000Z",
    "focus_area_ids": ["0193a0c4-bbbb-7c1e-9a1b-2f3c4d5e6f70"],
    "co_funding": [{"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "amount": 1200000}, {"organisation_id": "0193a0c4-cccc-7c1e-9a1b-2f3c4d5e6f70", "amount": 600000}]
}))]
pub struct Activity {
    #[serde(flatten)]
    pub row: ActivityRow,
    /// Målområden the activity serves.
    pub focus_area_ids: Vec<String>,
    /// Who pays what; the amounts add up to planned_budget.
    pub co_funding: Vec<CoFunding>,
}

impl Deref for Activity {
    type Target = ActivityRow;
    fn deref(&self) -> &ActivityRow {
        &self.row
    }
}

/// A new activity: in a plan (`plan_id`), or directly under an organisation (`organisation_id`).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"plan_id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70", "kind": "project", "title": "Införande av e-arkiv", "purpose_and_goals": "Säker långtidslagring.", "start_date": "2026-02-01", "end_date": "2026-12-31", "planned_budget": 1800000, "expected_benefit": 4, "complexity": 3, "co_funding": [{"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "amount": 1800000}]}))]
pub struct ActivityNew {
    pub plan_id: Option<String>,
    /// Required when there is no plan.
    pub organisation_id: Option<String>,
    pub roadmap_id: Option<String>,
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub roadmap_priority: Option<i32>,
    pub kind: ActivityKind,
    /// Default `idea`. A later phase must meet the phase rules (or be overridden).
    pub phase: Option<Phase>,
    /// With a later phase that misses rules: an admin's reason to override them.
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub override_reason: Option<String>,
    #[validate(
        length(min = 1, max = 300),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 300)]
    pub title: String,
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub purpose_and_goals: Option<String>,
    /// Taken from the plan when there is one; otherwise required (or the start date's year).
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub planned_budget: Option<i64>,
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub actual_budget: Option<i64>,
    pub responsible_person_id: Option<String>,
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub expected_benefit: Option<i32>,
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub complexity: Option<i32>,
    #[serde(default)]
    pub focus_area_ids: Vec<String>,
    #[serde(default)]
    #[validate(nested)]
    pub co_funding: Vec<CoFunding>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to an activity; absent fields stay, null clears; lists replace. The phase changes
/// through `POST /activities/{id}/transitions`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"actual_budget": 720000, "roadmap_id": "0193a0c4-dddd-7c1e-9a1b-2f3c4d5e6f70", "roadmap_priority": 2}))]
pub struct ActivityPatch {
    /// Move the activity into a plan (null: take it out; then `organisation_id` keeps it).
    #[serde(default, deserialize_with = "nullable")]
    pub plan_id: Option<Option<String>>,
    /// Only for activities outside plans.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub organisation_id: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub roadmap_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 1))]
    #[schema(minimum = 1)]
    pub roadmap_priority: Option<Option<i32>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub kind: Option<ActivityKind>,
    #[validate(
        length(min = 1, max = 300),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 300)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub purpose_and_goals: Option<Option<String>>,
    /// Only for activities outside plans.
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub year: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    pub start_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub end_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub planned_budget: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 0))]
    #[schema(minimum = 0)]
    pub actual_budget: Option<Option<i64>>,
    #[serde(default, deserialize_with = "nullable")]
    pub responsible_person_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub expected_benefit: Option<Option<i32>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(range(min = 1, max = 5))]
    #[schema(minimum = 1, maximum = 5)]
    pub complexity: Option<Option<i32>>,
    pub focus_area_ids: Option<Vec<String>>,
    #[validate(nested)]
    pub co_funding: Option<Vec<CoFunding>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /activities`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilter {
    pub organisation_id: Option<String>,
    /// Owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub plan_id: Option<String>,
    pub object_id: Option<String>,
    pub roadmap_id: Option<String>,
    pub kind: Option<ActivityKind>,
    pub phase: Option<Phase>,
    pub year: Option<i32>,
    pub responsible_person_id: Option<String>,
    pub focus_area_id: Option<String>,
    /// Co-funded by this organisation.
    pub funded_by: Option<String>,
    pub municipality_wide: Option<bool>,
    /// Only activities in a plan (true) or directly under an organisation (false).
    pub in_plan: Option<bool>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &[
    "title",
    "year",
    "phase",
    "start_date",
    "end_date",
    "planned_budget",
    "expected_benefit",
    "complexity",
    "roadmap_priority",
    "created_at",
    "modified_at",
];

pub const RESOURCE: &str = "activities";
