//! Decisions: who decided what and when (forum, råd, ledningsgrupp, nämnd, kommunstyrelse), with
//! diarienummer and the records decided on. Adopting a plan or roadmap records one; raising an
//! initiative to the municipal råd is one with an outcome.

mod list;
mod record;
mod write;

pub use list::list;
pub use record::record;
pub use write::{create, delete, update};

use std::collections::HashMap;
use std::ops::Deref;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::{decision_subjects, decisions};
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// The deciding body.
    DecisionBody {
        /// A committee's digitaliseringsforum.
        Forum => "forum",
        /// The municipal digitaliseringsråd.
        Council => "council",
        /// Ledningsgrupp.
        ManagementGroup => "management_group",
        /// Nämnd.
        Committee => "committee",
        /// Kommunstyrelsen.
        MunicipalExecutiveBoard => "municipal_executive_board",
    }
}

crate::text_enum! {
    /// What the decision is about.
    DecisionKind {
        /// Adopting (fastställa) a plan or roadmap.
        Adoption => "adoption",
        /// Raising an initiative to the municipal råd.
        Escalation => "escalation",
        Prioritisation => "prioritisation",
        Other => "other",
    }
}

crate::text_enum! {
    /// The outcome. Escalations end accepted (as municipality-wide), rejected or returned.
    DecisionOutcome {
        Approved => "approved",
        Accepted => "accepted",
        Rejected => "rejected",
        Returned => "returned",
    }
}

crate::text_enum! {
    /// The kinds of record a decision can be about.
    SubjectKind {
        Plan => "plans",
        Activity => "activities",
        Roadmap => "roadmaps",
        Object => "objects",
        AuditFinding => "audit-findings",
    }
}

/// A decision row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, Serialize, ToSchema)]
#[diesel(table_name = decisions, treat_none_as_null = true)]
pub struct DecisionRow {
    pub id: String,
    pub municipality_id: String,
    /// The organisation whose body decided.
    pub organisation_id: String,
    pub decided_on: NaiveDate,
    pub body: DecisionBody,
    pub diarienummer: Option<String>,
    pub summary: String,
    pub kind: DecisionKind,
    pub outcome: Option<DecisionOutcome>,
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A record a decision is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct DecisionSubject {
    pub resource: SubjectKind,
    pub record_id: String,
}

/// A decision with the records decided on.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a0c4-6666-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "decided_on": "2026-03-12", "body": "council", "diarienummer": "KS 2026/0142",
    "summary": "Digitaliseringsrådet antar e-arkivinitiativet som kommungemensamt.",
    "kind": "escalation", "outcome": "accepted", "external_id": null, "version": 1,
    "created_at": "2026-03-12T14:00:00.000000Z", "modified_at": "2026-03-12T14:00:00.000000Z",
    "subjects": [{"resource": "activities", "record_id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70"}]
}))]
pub struct Decision {
    #[serde(flatten)]
    pub row: DecisionRow,
    pub subjects: Vec<DecisionSubject>,
}

impl Deref for Decision {
    type Target = DecisionRow;
    fn deref(&self) -> &DecisionRow {
        &self.row
    }
}

/// A new decision.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "decided_on": "2026-03-12", "body": "council", "diarienummer": "KS 2026/0142", "summary": "Digitaliseringsrådet antar e-arkivinitiativet som kommungemensamt.", "kind": "escalation", "outcome": "accepted", "subjects": [{"resource": "activities", "record_id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70"}]}))]
pub struct DecisionNew {
    pub organisation_id: String,
    pub decided_on: NaiveDate,
    pub body: DecisionBody,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub diarienummer: Option<String>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    pub summary: String,
    pub kind: DecisionKind,
    pub outcome: Option<DecisionOutcome>,
    #[serde(default)]
    pub subjects: Vec<DecisionSubject>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Corrections to a decision; absent fields stay, null clears. `subjects` replaces the list.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"diarienummer": "KS 2026/0143"}))]
pub struct DecisionPatch {
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub decided_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub body: Option<DecisionBody>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub diarienummer: Option<Option<String>>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub outcome: Option<Option<DecisionOutcome>>,
    pub subjects: Option<Vec<DecisionSubject>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /decisions`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionFilter {
    pub organisation_id: Option<String>,
    /// Decided by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub kind: Option<DecisionKind>,
    pub body: Option<DecisionBody>,
    pub outcome: Option<DecisionOutcome>,
    pub diarienummer: Option<String>,
    /// Decided on or after this date.
    pub decided_from: Option<NaiveDate>,
    /// Decided on or before this date.
    pub decided_to: Option<NaiveDate>,
    /// Decisions about this record (give `subject_id`; `subject_resource` narrows the kind).
    pub subject_id: Option<String>,
    pub subject_resource: Option<SubjectKind>,
}

pub const SORT_FIELDS: &[&str] = &["decided_on", "created_at", "modified_at"];

pub const RESOURCE: &str = "decisions";

fn subject(d: &Decision) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &d.row.id,
        municipality_id: Some(&d.row.municipality_id),
        organisation_id: Some(&d.row.organisation_id),
    }
}

fn load_subjects(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<HashMap<String, Vec<DecisionSubject>>> {
    let rows: Vec<(String, String, String)> = decision_subjects::table
        .filter(decision_subjects::decision_id.eq_any(ids))
        .order((
            decision_subjects::decision_id,
            decision_subjects::resource,
            decision_subjects::record_id,
        ))
        .load(conn)?;
    let mut map: HashMap<String, Vec<DecisionSubject>> = HashMap::new();
    for (decision_id, resource, record_id) in rows {
        if let Some(resource) = SubjectKind::parse(&resource) {
            map.entry(decision_id).or_default().push(DecisionSubject {
                resource,
                record_id,
            });
        }
    }
    Ok(map)
}

fn with_subjects(conn: &mut DbConnection, row: DecisionRow) -> Result<Decision, ApiError> {
    let mut map = load_subjects(conn, std::slice::from_ref(&row.id))?;
    let subjects = map.remove(&row.id).unwrap_or_default();
    Ok(Decision { row, subjects })
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Decision, ApiError> {
    let row = decisions::table
        .find(id)
        .select(DecisionRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("decision", id))?;
    with_subjects(conn, row)
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Decision, ApiError> {
    let decision = find(conn, id)?;
    scope::check(conn, principal, &decision.row.organisation_id)?;
    Ok(decision)
}
