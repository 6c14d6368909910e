//! `GET /audit-findings`: the filtered, scoped, sorted page of findings.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{audit_actions, audit_findings};
use crate::db::DbConnection;
use crate::domain::audit_actions::AuditActionStatus;
use crate::domain::scope;
use crate::error::ApiError;

use super::{AuditFinding, AuditFindingFilter};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &AuditFindingFilter,
    page: &PageRequest,
) -> Result<(Vec<AuditFinding>, i64), ApiError> {
    let year = match filter.audit_year {
        Some(y) => Some(
            NaiveDate::from_ymd_opt(y, 1, 1)
                .zip(NaiveDate::from_ymd_opt(y, 12, 31))
                .ok_or_else(|| ApiError::field("audit_year", "must be a year, e.g. 2022"))?,
        ),
        None => None,
    };
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = audit_findings::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(audit_findings::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(audit_findings::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(audit_findings::municipality_id.eq(v.clone()));
        }
        if let Some(v) = &filter.audit_title {
            q = q.filter(audit_findings::audit_title.eq(v.clone()));
        }
        if let Some(v) = &filter.audit_firm {
            q = q.filter(audit_findings::audit_firm.eq(v.clone()));
        }
        if let Some((first, last)) = year {
            q = q.filter(audit_findings::audit_date.between(first, last));
        }
        if let Some(open) = filter.has_open_actions {
            let with_open = audit_actions::table
                .filter(audit_actions::status.eq_any(AuditActionStatus::OPEN))
                .select(audit_actions::finding_id);
            q = if open {
                q.filter(audit_findings::id.eq_any(with_open))
            } else {
                q.filter(audit_findings::id.ne_all(with_open))
            };
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(audit_findings::created_at.asc()),
        ("created_at", true) => build().order(audit_findings::created_at.desc()),
        ("modified_at", false) => build().order(audit_findings::modified_at.asc()),
        ("modified_at", true) => build().order(audit_findings::modified_at.desc()),
        (_, false) => build().order(audit_findings::audit_date.asc()),
        (_, true) => build().order(audit_findings::audit_date.desc()),
    };
    let rows = q
        .then_order_by(audit_findings::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(AuditFinding::as_select())
        .load(conn)?;
    Ok((rows, total))
}
