//! Documentation items: the evidence per activity that the audits looked for (behovsanalys,
//! projektplan, nyttokalkyl, riskanalys, beslutsunderlag, slutrapport …), with an optional
//! attached file (see [`super::attachments`]).

mod list;
mod write;

pub use list::list;
pub(crate) use write::save;
pub use write::{create, delete, update};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serializer};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::documentation_items;
use crate::db::DbConnection;
use crate::domain::changes::Subject;
use crate::domain::{nullable, scope, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// The kinds of evidence an activity can have.
    DocumentationKind {
        /// Behovsanalys.
        NeedsAnalysis => "needs_analysis",
        /// Were citizens, users or staff involved early?
        StakeholderInvolvement => "stakeholder_involvement",
        /// Projektplan.
        ProjectPlan => "project_plan",
        /// Nyttokalkyl.
        BenefitCalculation => "benefit_calculation",
        /// Riskanalys.
        RiskAnalysis => "risk_analysis",
        /// Beslutsunderlag.
        DecisionBasis => "decision_basis",
        /// Slutrapport or projektutvärdering.
        FinalReport => "final_report",
    }
}

crate::text_enum! {
    /// How far a documentation item has come.
    DocumentationStatus {
        Missing => "missing",
        Draft => "draft",
        Done => "done",
        /// Not applicable; a reason is required.
        NotApplicable => "not_applicable",
    }
}

/// One piece of evidence for an activity.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = documentation_items, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-6666-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "activity_id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70",
    "kind": "risk_analysis", "status": "done", "reason": null, "document_date": "2026-03-12",
    "url": "https://intranat.lund.se/diarium/KS-2026-0142", "has_file": true,
    "file_name": "Riskanalys e-arkiv.pdf", "content_type": "application/pdf", "size_bytes": 184320,
    "sha256": "9f2c1d0b8e7a6f5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5",
    "version": 2, "created_at": "2026-03-10T08:00:00.000000Z", "modified_at": "2026-03-12T14:30:00.000000Z"
}))]
pub struct DocumentationItem {
    pub id: String,
    pub municipality_id: String,
    /// The activity's owning organisation (kept in step with it; read-only).
    pub organisation_id: String,
    pub activity_id: String,
    pub kind: DocumentationKind,
    pub status: DocumentationStatus,
    /// Why the item is not applicable (required for `not_applicable`), or a note.
    pub reason: Option<String>,
    /// The document's own date, e.g. when the riskanalys was made.
    pub document_date: Option<NaiveDate>,
    /// Where the document lives (diarium, intranet, document store).
    pub url: Option<String>,
    /// Whether a file is attached (read-only); download it from `/documentation-items/{id}/file`.
    // The attachment row's id is internal; clients only need to know there is a file.
    #[serde(rename = "has_file", serialize_with = "is_some")]
    #[schema(value_type = bool)]
    pub attachment_id: Option<String>,
    /// The attached file's name (read-only).
    pub file_name: Option<String>,
    /// The attached file's media type (read-only).
    pub content_type: Option<String>,
    /// The attached file's size in bytes (read-only).
    pub size_bytes: Option<i64>,
    /// The attached file's SHA-256, lowercase hex (read-only); also its download ETag.
    pub sha256: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

fn is_some<S: Serializer>(value: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(value.is_some())
}

/// A new documentation item.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"activity_id": "0193a0c4-4444-7c1e-9a1b-2f3c4d5e6f70", "kind": "risk_analysis", "status": "done", "document_date": "2026-03-12", "url": "https://intranat.lund.se/diarium/KS-2026-0142"}))]
pub struct DocumentationItemNew {
    pub activity_id: String,
    pub kind: DocumentationKind,
    /// Default `missing`.
    pub status: Option<DocumentationStatus>,
    /// Required when `status` is `not_applicable`.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    pub document_date: Option<NaiveDate>,
    /// An http or https link.
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000)]
    pub url: Option<String>,
}

/// Changes to a documentation item; absent fields stay, null clears. The file is changed
/// through `/documentation-items/{id}/file`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"status": "not_applicable", "reason": "Ingen personuppgiftsbehandling; riskanalys enligt förvaltningsplanen räcker"}))]
pub struct DocumentationItemPatch {
    /// Correct the kind; the activity must not already have an item of that kind.
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub kind: Option<DocumentationKind>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub status: Option<DocumentationStatus>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub reason: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub document_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(url, length(max = 2000))]
    #[schema(format = "uri", max_length = 2000)]
    pub url: Option<Option<String>>,
}

/// Filters of `GET /documentation-items`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentationItemFilter {
    pub activity_id: Option<String>,
    pub kind: Option<DocumentationKind>,
    pub status: Option<DocumentationStatus>,
    /// The activity's owner, exactly.
    pub organisation_id: Option<String>,
    /// The activity's owner, this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    /// Only items with (`true`) or without (`false`) an attached file.
    pub has_file: Option<bool>,
}

pub const SORT_FIELDS: &[&str] = &["kind", "status", "created_at", "modified_at"];

pub const RESOURCE: &str = "documentation-items";

fn subject(item: &DocumentationItem) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &item.id,
        municipality_id: Some(&item.municipality_id),
        organisation_id: Some(&item.organisation_id),
    }
}

/// The rules of one item: a not-applicable item says why, and a link is a web link (a
/// `javascript:` or `file:` URL would be a trap in the frontends that render it).
pub fn check_rules(item: &DocumentationItem) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if item.status == DocumentationStatus::NotApplicable && item.reason.is_none() {
        errors.push(FieldError::new(
            "reason",
            "is required when status is not_applicable",
        ));
    }
    if let Some(url) = &item.url {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            errors.push(FieldError::new("url", "must be an http or https URL"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<DocumentationItem, ApiError> {
    documentation_items::table
        .find(id)
        .select(DocumentationItem::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("documentation item", id))
}

pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<DocumentationItem, ApiError> {
    let item = find(conn, id)?;
    scope::check(conn, principal, &item.organisation_id)?;
    Ok(item)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(
        status: DocumentationStatus,
        reason: Option<&str>,
        url: Option<&str>,
    ) -> DocumentationItem {
        let now = time::now();
        DocumentationItem {
            id: "i".into(),
            municipality_id: "m".into(),
            organisation_id: "o".into(),
            activity_id: "a".into(),
            kind: DocumentationKind::RiskAnalysis,
            status,
            reason: reason.map(str::to_owned),
            document_date: None,
            url: url.map(str::to_owned),
            attachment_id: None,
            file_name: None,
            content_type: None,
            size_bytes: None,
            sha256: None,
            version: 1,
            created_at: now,
            modified_at: now,
        }
    }

    fn fields(result: Result<(), ApiError>) -> Vec<String> {
        match result {
            Err(ApiError::Validation(list)) => list.into_iter().map(|e| e.field).collect(),
            _ => Vec::new(),
        }
    }

    #[test]
    fn not_applicable_needs_a_reason() {
        use DocumentationStatus::*;
        assert_eq!(
            fields(check_rules(&item(NotApplicable, None, None))),
            vec!["reason"]
        );
        assert!(check_rules(&item(NotApplicable, Some("Ingen upphandling"), None)).is_ok());
        assert!(check_rules(&item(Missing, None, None)).is_ok());
    }

    #[test]
    fn links_must_be_web_links() {
        use DocumentationStatus::*;
        assert!(check_rules(&item(Done, None, Some("https://intranat.example.se/a"))).is_ok());
        assert!(check_rules(&item(Done, None, Some("HTTP://example.se"))).is_ok());
        assert_eq!(
            fields(check_rules(&item(Done, None, Some("javascript:alert(1)")))),
            vec!["url"]
        );
        assert_eq!(
            fields(check_rules(&item(Done, None, Some("file:///c:/x.docx")))),
            vec!["url"]
        );
    }

    #[test]
    fn has_file_hides_the_attachment_id() {
        let mut i = item(DocumentationStatus::Done, None, None);
        i.attachment_id = Some("secret-row-id".into());
        let json = serde_json::to_value(&i).unwrap_or_default();
        assert_eq!(json["has_file"], true);
        assert!(json.get("attachment_id").is_none());
    }
}
