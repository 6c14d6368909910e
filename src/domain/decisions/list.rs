//! `GET /decisions`: the filtered, scoped, sorted page of decisions.

use diesel::prelude::*;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{decision_subjects, decisions};
use crate::db::DbConnection;
use crate::domain::scope;
use crate::error::ApiError;

use super::{load_subjects, Decision, DecisionFilter, DecisionRow};

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &DecisionFilter,
    page: &PageRequest,
) -> Result<(Vec<Decision>, i64), ApiError> {
    let about: Option<Vec<String>> = match &filter.subject_id {
        Some(v) => {
            let mut q = decision_subjects::table
                .filter(decision_subjects::record_id.eq(v.clone()))
                .select(decision_subjects::decision_id)
                .into_boxed();
            if let Some(kind) = filter.subject_resource {
                q = q.filter(decision_subjects::resource.eq(kind.as_str()));
            }
            Some(q.load(conn)?)
        }
        None => None,
    };
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = decisions::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(decisions::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(decisions::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(decisions::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.kind {
            q = q.filter(decisions::kind.eq(v));
        }
        if let Some(v) = filter.body {
            q = q.filter(decisions::body.eq(v));
        }
        if let Some(v) = filter.outcome {
            q = q.filter(decisions::outcome.eq(v));
        }
        if let Some(v) = &filter.diarienummer {
            q = q.filter(decisions::diarienummer.eq(v.clone()));
        }
        if let Some(v) = filter.decided_from {
            q = q.filter(decisions::decided_on.ge(v));
        }
        if let Some(v) = filter.decided_to {
            q = q.filter(decisions::decided_on.le(v));
        }
        if let Some(ids) = &about {
            q = q.filter(decisions::id.eq_any(ids.clone()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("created_at", false) => build().order(decisions::created_at.asc()),
        ("created_at", true) => build().order(decisions::created_at.desc()),
        ("modified_at", false) => build().order(decisions::modified_at.asc()),
        ("modified_at", true) => build().order(decisions::modified_at.desc()),
        (_, false) => build().order(decisions::decided_on.asc()),
        (_, true) => build().order(decisions::decided_on.desc()),
    };
    let rows: Vec<DecisionRow> = q
        .then_order_by(decisions::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(DecisionRow::as_select())
        .load(conn)?;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut subjects = load_subjects(conn, &ids)?;
    let items = rows
        .into_iter()
        .map(|row| {
            let s = subjects.remove(&row.id).unwrap_or_default();
            Decision { row, subjects: s }
        })
        .collect();
    Ok((items, total))
}
