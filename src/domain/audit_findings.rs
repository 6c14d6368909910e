//! Audit findings: the auditors' recommendations (revisionens rekommendationer) to an
//! organisation, and its response; what is done about them are the `audit_actions`.

mod list;

pub use list::list;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::{audit_actions, audit_findings};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, organisations, scope, time};
use crate::error::{ApiError, FieldError};

/// One recommendation from an audit report.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = audit_findings, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-aaaa-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "audit_title": "Granskning av styrning av digitaliseringsarbetet", "audit_firm": "KPMG",
    "audit_date": "2022-03-15", "reference": "Rek. 3",
    "text": "Säkerställ att samtliga nämnder antar en plan för digital transformation.",
    "response": "Nämnden antar en plan under hösten 2022.", "external_id": "REV-2022-03",
    "version": 2, "created_at": "2022-04-01T09:15:00.000000Z", "modified_at": "2022-05-10T10:00:00.000000Z"
}))]
pub struct AuditFinding {
    pub id: String,
    pub municipality_id: String,
    /// The addressee: the committee or administration the recommendation is for.
    pub organisation_id: String,
    /// The audit report's title.
    pub audit_title: String,
    /// Who audited, e.g. EY, KPMG, PwC.
    pub audit_firm: Option<String>,
    /// The report's date.
    pub audit_date: NaiveDate,
    /// The recommendation's label in the report, e.g. "Rek. 3".
    pub reference: Option<String>,
    /// The recommendation.
    pub text: String,
    /// The addressee's answer (yttrande).
    pub response: Option<String>,
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

/// A new audit finding.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70", "audit_title": "Granskning av styrning av digitaliseringsarbetet", "audit_firm": "KPMG", "audit_date": "2022-03-15", "reference": "Rek. 3", "text": "Säkerställ att samtliga nämnder antar en plan för digital transformation.", "external_id": "REV-2022-03"}))]
pub struct AuditFindingNew {
    pub organisation_id: String,
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 500)]
    pub audit_title: String,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub audit_firm: Option<String>,
    pub audit_date: NaiveDate,
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub reference: Option<String>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    pub text: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub response: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to an audit finding; absent fields stay, null clears.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"response": "Nämnden antar en plan under hösten 2022."}))]
pub struct AuditFindingPatch {
    /// Readdress the finding to another organisation in the same municipality.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub organisation_id: Option<String>,
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 500)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub audit_title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub audit_firm: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub audit_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 50))]
    #[schema(max_length = 50)]
    pub reference: Option<Option<String>>,
    #[validate(
        length(min = 1, max = 10000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 10000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub text: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub response: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /audit-findings`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFindingFilter {
    /// Addressed to exactly this organisation.
    pub organisation_id: Option<String>,
    /// Addressed to this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// The report's exact title.
    pub audit_title: Option<String>,
    pub audit_firm: Option<String>,
    /// Reports dated in this year.
    #[param(example = 2022)]
    pub audit_year: Option<i32>,
    /// Only findings with (true) or without (false) actions still planned or in progress.
    pub has_open_actions: Option<bool>,
}

pub const SORT_FIELDS: &[&str] = &["audit_date", "created_at", "modified_at"];
pub const RESOURCE: &str = "audit-findings";

fn subject(f: &AuditFinding) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &f.id,
        municipality_id: Some(&f.municipality_id),
        organisation_id: Some(&f.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<AuditFinding, ApiError> {
    audit_findings::table
        .find(id)
        .select(AuditFinding::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("audit finding", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<AuditFinding, ApiError> {
    let finding = find(conn, id)?;
    scope::check(conn, principal, &finding.organisation_id)?;
    Ok(finding)
}

fn check_external_id(conn: &mut DbConnection, f: &AuditFinding) -> Result<(), ApiError> {
    if let Some(ext) = &f.external_id {
        let taken: i64 = audit_findings::table
            .filter(audit_findings::municipality_id.eq(&f.municipality_id))
            .filter(audit_findings::external_id.eq(ext))
            .filter(audit_findings::id.ne(&f.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another audit finding in this municipality"
            )));
        }
    }
    Ok(())
}

/// The addressee, checked to exist (422) and to be in the principal's scope (403).
pub(crate) fn organisation_in_scope(
    conn: &mut DbConnection,
    principal: &Principal,
    organisation_id: &str,
) -> Result<organisations::Organisation, ApiError> {
    let org = match organisations::find(conn, organisation_id) {
        Err(ApiError::NotFound(_)) => {
            return Err(ApiError::field("organisation_id", "no such organisation"))
        }
        other => other?,
    };
    scope::check(conn, principal, &org.id)?;
    Ok(org)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: AuditFindingNew,
) -> Result<AuditFinding, ApiError> {
    let org = organisation_in_scope(conn, principal, &input.organisation_id)?;
    let now = time::now();
    let finding = AuditFinding {
        id: new_id(),
        municipality_id: org.municipality_id,
        organisation_id: org.id,
        audit_title: input.audit_title.trim().to_owned(),
        audit_firm: clean(input.audit_firm),
        audit_date: input.audit_date,
        reference: clean(input.reference),
        text: input.text.trim().to_owned(),
        response: clean(input.response),
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &finding)?;
    diesel::insert_into(audit_findings::table)
        .values(&finding)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&finding),
        None,
        Some(&finding),
    )?;
    Ok(finding)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: AuditFindingPatch,
) -> Result<AuditFinding, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(org_id) = patch.organisation_id {
        if org_id != before.organisation_id {
            let org = organisation_in_scope(conn, principal, &org_id)?;
            if org.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "organisation_id",
                    "must be in the same municipality",
                )]));
            }
            after.organisation_id = org.id;
        }
    }
    if let Some(v) = patch.audit_title {
        after.audit_title = v.trim().to_owned();
    }
    if let Some(v) = patch.audit_firm {
        after.audit_firm = clean(v);
    }
    if let Some(v) = patch.audit_date {
        after.audit_date = v;
    }
    if let Some(v) = patch.reference {
        after.reference = clean(v);
    }
    if let Some(v) = patch.text {
        after.text = v.trim().to_owned();
    }
    if let Some(v) = patch.response {
        after.response = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        audit_findings::table
            .filter(audit_findings::id.eq(&before.id))
            .filter(audit_findings::version.eq(before.version)),
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
    let finding = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != finding.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let actions: i64 = audit_actions::table
        .filter(audit_actions::finding_id.eq(&finding.id))
        .count()
        .get_result(conn)?;
    if actions > 0 {
        return Err(ApiError::Conflict(format!(
            "audit finding {} has {actions} action(s); delete them first",
            finding.id
        )));
    }
    diesel::delete(audit_findings::table.filter(audit_findings::id.eq(&finding.id)))
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&finding),
        Some(&finding),
        None,
    )?;
    Ok(())
}
