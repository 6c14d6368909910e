//! A roadmap's life after drafting: adoption by a decision (fastställande), closing, and the
//! prioritised list of activities on it.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::{get, save, Roadmap, RoadmapStatus};
use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::activities;
use crate::db::DbConnection;
use crate::domain::activities::Phase;
use crate::domain::decisions::{
    self, DecisionBody, DecisionKind, DecisionNew, DecisionOutcome, DecisionSubject, SubjectKind,
};
use crate::domain::{scope, text};
use crate::error::ApiError;

/// The decision that adopts a draft roadmap.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(as = RoadmapAdoptionNew, example = json!({"decided_on": "2026-02-18", "body": "committee", "diarienummer": "SN 2026/0031", "summary": "Socialnämnden antar den digitala färdplanen 2026–2028."}))]
pub struct AdoptionNew {
    pub decided_on: NaiveDate,
    /// Who decided: usually the committee (nämnd) itself.
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
}

/// An activity on a roadmap, as the roadmap lists it.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = activities)]
#[schema(example = json!({
    "id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70", "title": "Digitala hembesök i hemtjänsten",
    "phase": "planned", "roadmap_priority": 1,
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70"
}))]
pub struct RoadmapActivity {
    pub id: String,
    pub title: String,
    pub phase: Phase,
    /// Rank on the roadmap (1 = highest); null when not yet ranked.
    pub roadmap_priority: Option<i32>,
    pub organisation_id: String,
}

pub const ACTIVITY_SORT_FIELDS: &[&str] = &["roadmap_priority", "title"];

/// Records the adoption decision and marks the draft adopted, in one transaction.
pub fn adopt(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    input: AdoptionNew,
) -> Result<Roadmap, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status != RoadmapStatus::Draft {
        return Err(ApiError::Conflict(format!(
            "roadmap {} is already {}; only a draft can be adopted",
            before.id, before.status
        )));
    }
    let decision = decisions::record(
        conn,
        principal,
        DecisionNew {
            organisation_id: before.organisation_id.clone(),
            decided_on: input.decided_on,
            body: input.body,
            diarienummer: input.diarienummer,
            summary: input.summary,
            kind: DecisionKind::Adoption,
            outcome: Some(DecisionOutcome::Approved),
            subjects: vec![DecisionSubject {
                resource: SubjectKind::Roadmap,
                record_id: before.id.clone(),
            }],
            external_id: None,
        },
    )?;
    let mut after = before.clone();
    after.status = RoadmapStatus::Adopted;
    after.decision_id = Some(decision.row.id.clone());
    after.adopted_on = Some(input.decided_on);
    save(conn, principal, &before, after)
}

/// Ends an adopted roadmap (its period is over or a new one replaces it).
pub fn close(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<Roadmap, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status != RoadmapStatus::Adopted {
        return Err(ApiError::Conflict(format!(
            "roadmap {} is {}; only an adopted roadmap can be closed",
            before.id, before.status
        )));
    }
    let mut after = before.clone();
    after.status = RoadmapStatus::Closed;
    save(conn, principal, &before, after)
}

/// The roadmap's activities in priority order (unranked last), limited to those the caller may
/// see: a roadmap can carry initiatives owned by other organisations.
pub fn activities(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    page: &PageRequest,
) -> Result<(Vec<RoadmapActivity>, i64), ApiError> {
    let roadmap = get(conn, principal, id)?;
    let build = || {
        let mut q = activities::table
            .filter(activities::roadmap_id.eq(roadmap.id.clone()))
            .into_boxed();
        if let Some(orgs) = scope::visible_orgs(principal) {
            q = q.filter(activities::organisation_id.eq_any(orgs));
        }
        if let Some(t) = &page.q {
            q = q.filter(
                activities::title_sort
                    .like(text::contains_pattern(t))
                    .escape('\\'),
            );
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    // NULL sorts first on SQLite and last on PostgreSQL; ordering on IS NULL first makes both
    // put unranked activities last.
    let q = match (page.sort.as_str(), page.descending) {
        ("title", false) => build().order(activities::title_sort.asc()),
        ("title", true) => build().order(activities::title_sort.desc()),
        (_, false) => build().order((
            activities::roadmap_priority.is_null().asc(),
            activities::roadmap_priority.asc(),
            activities::title_sort.asc(),
        )),
        (_, true) => build().order((
            activities::roadmap_priority.is_null().asc(),
            activities::roadmap_priority.desc(),
            activities::title_sort.asc(),
        )),
    };
    let rows = q
        .then_order_by(activities::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(RoadmapActivity::as_select())
        .load(conn)?;
    Ok((rows, total))
}
