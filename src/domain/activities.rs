//! Activities (aktiviteter, initiativ, projekt): work items belonging to a plan, or directly to an
//! organisation, optionally on a roadmap; their phases, co-funding and focus areas.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::db::schema::activities;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{scope, time};
use crate::error::ApiError;

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

pub const RESOURCE: &str = "activities";

pub fn find_row(conn: &mut DbConnection, id: &str) -> Result<ActivityRow, ApiError> {
    activities::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("activity", id))
}

/// Reads an activity row the principal may see (403 outside scope).
pub fn get_row(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<ActivityRow, ApiError> {
    let row = find_row(conn, id)?;
    scope::check(conn, principal, &row.organisation_id)?;
    Ok(row)
}

/// Marks an activity municipality-wide (or not), as an escalation decision says.
pub fn set_municipality_wide(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    wide: bool,
) -> Result<(), ApiError> {
    let before = find_row(conn, id)?;
    if before.municipality_wide == wide {
        return Ok(());
    }
    let mut after = before.clone();
    after.municipality_wide = wide;
    after.version = before.version + 1;
    after.modified_at = time::now();
    diesel::update(activities::table.filter(activities::id.eq(&before.id)))
        .set(&after)
        .execute(conn)?;
    record_change(conn, principal, ChangeAction::Update, Some(&before), Some(&after))
}

/// Records a change of an activity row.
pub fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&ActivityRow>,
    after: Option<&ActivityRow>,
) -> Result<(), ApiError> {
    let Some(current) = after.or(before) else {
        return Ok(());
    };
    let subject = Subject {
        resource: RESOURCE,
        record_id: &current.id,
        municipality_id: Some(&current.municipality_id),
        organisation_id: Some(&current.organisation_id),
    };
    changes::record(conn, principal, action, subject, before, after)
}
