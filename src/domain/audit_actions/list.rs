//! `GET /audit-actions`: the filtered, scoped, sorted page of actions, including which are overdue.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::audit_actions;
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{today, AuditAction, AuditActionFilter, AuditActionStatus};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &AuditActionFilter,
    page: &PageRequest,
) -> Result<(Vec<AuditAction>, i64), ApiError> {
    let today = today();
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = audit_actions::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(audit_actions::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.finding_id {
            q = q.filter(audit_actions::finding_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(audit_actions::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(audit_actions::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.status {
            q = q.filter(audit_actions::status.eq(v));
        }
        match filter.overdue {
            Some(true) => {
                q = q
                    .filter(audit_actions::due_date.lt(today))
                    .filter(audit_actions::status.eq_any(AuditActionStatus::OPEN))
            }
            Some(false) => {
                q = q.filter(
                    audit_actions::due_date
                        .is_null()
                        .or(audit_actions::due_date.ge(today))
                        .or(audit_actions::status.ne_all(AuditActionStatus::OPEN)),
                )
            }
            None => {}
        }
        if let Some(v) = filter.due_before {
            q = q.filter(audit_actions::due_date.lt(v));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(audit_actions::created_at.asc()),
        ("created_at", true) => build().order(audit_actions::created_at.desc()),
        ("modified_at", false) => build().order(audit_actions::modified_at.asc()),
        ("modified_at", true) => build().order(audit_actions::modified_at.desc()),
        // Actions without a due date last either way, on both databases.
        (_, false) => build().order((
            audit_actions::due_date.is_null().asc(),
            audit_actions::due_date.asc(),
        )),
        (_, true) => build().order((
            audit_actions::due_date.is_null().asc(),
            audit_actions::due_date.desc(),
        )),
    };
    let rows = q
        .then_order_by(audit_actions::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(AuditAction::as_select())
        .load(conn)?;
    Ok((rows, total))
}
