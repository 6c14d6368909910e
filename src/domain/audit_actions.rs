//! Audit actions (åtgärder): what an organisation does about an audit finding, by when, and the
//! evidence that it was done.

mod list;

pub use list::list;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::auth::Principal;
use crate::db::schema::audit_actions;
use crate::db::DbConnection;
use crate::domain::audit_findings::{self, organisation_in_scope};
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, scope, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// Where the action stands.
    AuditActionStatus {
        Planned => "planned",
        InProgress => "in_progress",
        Done => "done",
        Cancelled => "cancelled",
    }
}

impl AuditActionStatus {
    /// The statuses of actions still to be carried out.
    pub const OPEN: &'static [AuditActionStatus] =
        &[AuditActionStatus::Planned, AuditActionStatus::InProgress];
}

/// An action taken on an audit finding.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = audit_actions, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-bbbb-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "finding_id": "0193a0c4-aaaa-7c1e-9a1b-2f3c4d5e6f70",
    "description": "Ta fram och anta plan för digital transformation",
    "due_date": "2022-12-31", "status": "done",
    "evidence_url": "https://intranat.example.se/protokoll/2022-11-23", "completed_on": "2022-11-23",
    "version": 3, "created_at": "2022-05-10T09:15:00.000000Z", "modified_at": "2022-11-23T10:00:00.000000Z"
}))]
pub struct AuditAction {
    pub id: String,
    pub municipality_id: String,
    /// The organisation responsible for the action.
    pub organisation_id: String,
    pub finding_id: String,
    pub description: String,
    pub due_date: Option<NaiveDate>,
    pub status: AuditActionStatus,
    /// Where to see that it was done, e.g. the minutes of the decision.
    pub evidence_url: Option<String>,
    /// The day it was done; set to today when the status becomes `done` without one.
    pub completed_on: Option<NaiveDate>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new action on an audit finding.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"finding_id": "0193a0c4-aaaa-7c1e-9a1b-2f3c4d5e6f70", "description": "Ta fram och anta plan för digital transformation", "due_date": "2022-12-31"}))]
pub struct AuditActionNew {
    pub finding_id: String,
    /// The responsible organisation; default the finding's addressee. Same municipality.
    pub organisation_id: Option<String>,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    pub description: String,
    pub due_date: Option<NaiveDate>,
    /// Default `planned`.
    pub status: Option<AuditActionStatus>,
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000)]
    pub evidence_url: Option<String>,
    /// Only for actions that are `done`; default today.
    pub completed_on: Option<NaiveDate>,
}

/// Changes to an action; absent fields stay, null clears. It stays with its finding.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"status": "done", "evidence_url": "https://intranat.example.se/protokoll/2022-11-23"}))]
pub struct AuditActionPatch {
    /// Hand the action to another organisation in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub organisation_id: Option<String>,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub description: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub due_date: Option<Option<NaiveDate>>,
    /// Leaving `done` clears completed_on.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub status: Option<AuditActionStatus>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 2000), custom(function = "http_url"))]
    #[schema(format = "uri", max_length = 2000)]
    pub evidence_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub completed_on: Option<Option<NaiveDate>>,
}

/// Filters of `GET /audit-actions`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditActionFilter {
    pub finding_id: Option<String>,
    /// Responsible organisation, exactly.
    pub organisation_id: Option<String>,
    /// Responsible organisation, this one or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<AuditActionStatus>,
    /// Only actions past their due date and still planned or in progress (true), or only the
    /// others (false).
    pub overdue: Option<bool>,
    /// Only actions due before this day (YYYY-MM-DD).
    #[param(example = "2026-12-31")]
    pub due_before: Option<NaiveDate>,
}

pub const SORT_FIELDS: &[&str] = &["due_date", "created_at", "modified_at"];
pub const RESOURCE: &str = "audit-actions";

/// Evidence links are shown as links in the intranet frontends: only http(s), never
/// `javascript:` or `data:`.
fn http_url(value: &str) -> Result<(), ValidationError> {
    let lower = value.trim().to_ascii_lowercase();
    let http = lower.starts_with("http://") || lower.starts_with("https://");
    if http && validator::ValidateUrl::validate_url(&value.trim()) {
        Ok(())
    } else {
        Err(ValidationError::new("url").with_message("must be an http or https URL".into()))
    }
}

/// Today (UTC), for completed_on and overdue.
fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}

fn subject(a: &AuditAction) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &a.id,
        municipality_id: Some(&a.municipality_id),
        organisation_id: Some(&a.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<AuditAction, ApiError> {
    audit_actions::table
        .find(id)
        .select(AuditAction::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("audit action", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<AuditAction, ApiError> {
    let action = find(conn, id)?;
    scope::check(conn, principal, &action.organisation_id)?;
    Ok(action)
}

/// completed_on belongs to `done` actions: it defaults to today there and is refused elsewhere.
fn settle_completion(action: &mut AuditAction, given: Option<NaiveDate>) -> Result<(), ApiError> {
    match (action.status, given) {
        (AuditActionStatus::Done, given) => {
            action.completed_on = Some(given.or(action.completed_on).unwrap_or_else(today));
        }
        (_, Some(_)) => {
            return Err(ApiError::field(
                "completed_on",
                "only actions with status done have a completion date",
            ))
        }
        (_, None) => action.completed_on = None,
    }
    Ok(())
}

/// The responsible organisation: in scope (403) and in the finding's municipality (422).
fn responsible(
    conn: &mut DbConnection,
    principal: &Principal,
    organisation_id: &str,
    municipality_id: &str,
) -> Result<String, ApiError> {
    let org = organisation_in_scope(conn, principal, organisation_id)?;
    if org.municipality_id != municipality_id {
        return Err(ApiError::Validation(vec![FieldError::new(
            "organisation_id",
            "must be in the same municipality as the finding",
        )]));
    }
    Ok(org.id)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: AuditActionNew,
) -> Result<AuditAction, ApiError> {
    // The finding itself may lie outside the caller's scope: a recommendation to the
    // kommunstyrelse is often carried out by committees, who own (and see) only their actions.
    let finding = match audit_findings::find(conn, &input.finding_id) {
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field("finding_id", "no such audit finding"))
        }
        other => other?,
    };
    let organisation_id = match &input.organisation_id {
        Some(org) => responsible(conn, principal, org, &finding.municipality_id)?,
        None => {
            scope::check(conn, principal, &finding.organisation_id)?;
            finding.organisation_id.clone()
        }
    };
    let now = time::now();
    let mut action = AuditAction {
        id: new_id(),
        municipality_id: finding.municipality_id,
        organisation_id,
        finding_id: finding.id,
        description: input.description.trim().to_owned(),
        due_date: input.due_date,
        status: input.status.unwrap_or(AuditActionStatus::Planned),
        evidence_url: clean(input.evidence_url),
        completed_on: None,
        version: 1,
        created_at: now,
        modified_at: now,
    };
    settle_completion(&mut action, input.completed_on)?;
    diesel::insert_into(audit_actions::table)
        .values(&action)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&action),
        None,
        Some(&action),
    )?;
    Ok(action)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: AuditActionPatch,
) -> Result<AuditAction, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(org_id) = patch.organisation_id {
        if org_id != before.organisation_id {
            after.organisation_id = responsible(conn, principal, &org_id, &before.municipality_id)?;
        }
    }
    if let Some(v) = patch.description {
        after.description = v.trim().to_owned();
    }
    if let Some(v) = patch.due_date {
        after.due_date = v;
    }
    if let Some(v) = patch.status {
        after.status = v;
    }
    if let Some(v) = patch.evidence_url {
        after.evidence_url = clean(v);
    }
    // Clearing completed_on on a done action resets it to today, as when it became done.
    if patch.completed_on == Some(None) {
        after.completed_on = None;
    }
    settle_completion(&mut after, patch.completed_on.flatten())?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        audit_actions::table
            .filter(audit_actions::id.eq(&before.id))
            .filter(audit_actions::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::PreconditionFailed);
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
    let action = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != action.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(audit_actions::table.filter(audit_actions::id.eq(&action.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&action),
        Some(&action),
        None,
    )?;
    Ok(())
}
