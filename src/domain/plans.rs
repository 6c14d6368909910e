//! Förvaltningsplaner: one plan per object and year, drafted, adopted (fastställd) by a decision,
//! and closed after the year's follow-up. An adopted plan's planned figures are locked until an
//! admin reopens it with a reason.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::{Principal, Role};
use crate::db::schema::{activities, budget_lines, plans};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::decisions::{
    self, DecisionBody, DecisionKind, DecisionNew, DecisionOutcome, DecisionSubject, SubjectKind,
};
use crate::domain::{clean, new_id, nullable, objects, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// Where the plan is in the yearly cycle.
    PlanStatus {
        Draft => "draft",
        /// Fastställd by a decision.
        Adopted => "adopted",
        /// Followed up and closed.
        Closed => "closed",
    }
}

/// A förvaltningsplan.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = plans, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-8888-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "year": 2027, "status": "adopted",
    "summary": "Fokus på införande av ny lärplattform och avveckling av gamla elevregistret.",
    "decision_id": "0193a0c4-6666-7c1e-9a1b-2f3c4d5e6f70", "adopted_on": "2026-11-15",
    "risk_analysis_date": "2026-10-01", "risk_analysis_summary": "RSA genomförd; två höga risker.",
    "risk_analysis_url": "https://intranat.kommun.se/rsa/2027-skolplattform.pdf",
    "reopened_reason": null, "external_id": "FP-2027-017", "version": 4,
    "created_at": "2026-09-01T08:00:00.000000Z", "modified_at": "2026-11-15T10:00:00.000000Z"
}))]
pub struct Plan {
    pub id: String,
    pub municipality_id: String,
    /// The object's owner (kept in step; read-only).
    pub organisation_id: String,
    pub object_id: String,
    pub year: i32,
    /// Read-only: changes through adopt, reopen and close.
    pub status: PlanStatus,
    pub summary: Option<String>,
    /// The adopting decision (read-only).
    pub decision_id: Option<String>,
    pub adopted_on: Option<NaiveDate>,
    /// When the yearly risk- och sårbarhetsanalys was done.
    pub risk_analysis_date: Option<NaiveDate>,
    pub risk_analysis_summary: Option<String>,
    pub risk_analysis_url: Option<String>,
    /// Why an admin last reopened the adopted plan.
    pub reopened_reason: Option<String>,
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new plan (draft).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "year": 2027, "summary": "Fokus på införande av ny lärplattform.", "external_id": "FP-2027-017"}))]
pub struct PlanNew {
    pub object_id: String,
    #[validate(range(min = 2000, max = 2100))]
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub summary: Option<String>,
    pub risk_analysis_date: Option<NaiveDate>,
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub risk_analysis_summary: Option<String>,
    #[validate(url, length(max = 2000))]
    #[schema(max_length = 2000, example = "https://intranat.kommun.se/rsa.pdf")]
    pub risk_analysis_url: Option<String>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a plan; absent fields stay, null clears. The summary is locked while adopted.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"risk_analysis_date": "2026-10-01", "risk_analysis_summary": "RSA genomförd; två höga risker."}))]
pub struct PlanPatch {
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub summary: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub risk_analysis_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 20000))]
    #[schema(max_length = 20000)]
    pub risk_analysis_summary: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(url, length(max = 2000))]
    #[schema(max_length = 2000, example = "https://intranat.kommun.se/rsa.pdf")]
    pub risk_analysis_url: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Adopting a plan (or roadmap): the decision that fastställer it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"decided_on": "2026-11-15", "body": "committee", "diarienummer": "BUN 2026/0311", "summary": "Nämnden fastställer förvaltningsplanen för 2027."}))]
pub struct AdoptionNew {
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
}

/// Reopening an adopted plan (admin): the reason is recorded.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"reason": "Nämnden beslutade om omfördelning av budget i delårsrapporten."}))]
pub struct ReopenNew {
    #[validate(length(min = 3, max = 2000))]
    #[schema(min_length = 3, max_length = 2000)]
    pub reason: String,
}

/// Filters of `GET /plans`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanFilter {
    pub object_id: Option<String>,
    pub organisation_id: Option<String>,
    /// Plans of objects owned by this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub year: Option<i32>,
    pub status: Option<PlanStatus>,
    /// Only plans with (true) or without (false) a recorded risk analysis.
    pub has_risk_analysis: Option<bool>,
    pub external_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["year", "status", "created_at", "modified_at"];
pub const RESOURCE: &str = "plans";

fn subject(p: &Plan) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &p.id,
        municipality_id: Some(&p.municipality_id),
        organisation_id: Some(&p.organisation_id),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Plan, ApiError> {
    plans::table
        .find(id)
        .select(Plan::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("plan", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Plan, ApiError> {
    let plan = find(conn, id)?;
    scope::check(conn, principal, &plan.organisation_id)?;
    Ok(plan)
}

/// 409 when the plan's planned figures are locked (adopted or closed).
pub fn ensure_open(plan: &Plan) -> Result<(), ApiError> {
    if plan.status == PlanStatus::Draft {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "plan {} is {}; its planned figures change only after an admin reopens it (POST /api/v1/plans/{}/reopen)",
            plan.id, plan.status, plan.id
        )))
    }
}

fn check_unique(conn: &mut DbConnection, p: &Plan) -> Result<(), ApiError> {
    let same_year: i64 = plans::table
        .filter(plans::object_id.eq(&p.object_id))
        .filter(plans::year.eq(p.year))
        .filter(plans::id.ne(&p.id))
        .count()
        .get_result(conn)?;
    if same_year > 0 {
        return Err(ApiError::Conflict(format!(
            "object {} already has a plan for {}; there is one plan per object and year",
            p.object_id, p.year
        )));
    }
    if let Some(ext) = &p.external_id {
        let taken: i64 = plans::table
            .filter(plans::municipality_id.eq(&p.municipality_id))
            .filter(plans::external_id.eq(ext))
            .filter(plans::id.ne(&p.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another plan in this municipality"
            )));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: PlanNew,
) -> Result<Plan, ApiError> {
    let object = objects::find(conn, &input.object_id)
        .map_err(|_| ApiError::field("object_id", "no such object"))?;
    scope::check(conn, principal, &object.organisation_id)?;
    let now = time::now();
    let plan = Plan {
        id: new_id(),
        municipality_id: object.municipality_id,
        organisation_id: object.organisation_id,
        object_id: object.id,
        year: input.year,
        status: PlanStatus::Draft,
        summary: clean(input.summary),
        decision_id: None,
        adopted_on: None,
        risk_analysis_date: input.risk_analysis_date,
        risk_analysis_summary: clean(input.risk_analysis_summary),
        risk_analysis_url: clean(input.risk_analysis_url),
        reopened_reason: None,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_unique(conn, &plan)?;
    diesel::insert_into(plans::table)
        .values(&plan)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&plan),
        None,
        Some(&plan),
    )?;
    Ok(plan)
}

/// Writes `after` over `before` (version-checked) and records the change.
fn save(
    conn: &mut DbConnection,
    principal: &Principal,
    before: &Plan,
    mut after: Plan,
) -> Result<Plan, ApiError> {
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        plans::table
            .filter(plans::id.eq(&before.id))
            .filter(plans::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(None));
    }
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(before),
        Some(&after),
    )?;
    Ok(after)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: PlanPatch,
) -> Result<Plan, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.summary {
        ensure_open(&before)?;
        after.summary = clean(v);
    }
    if let Some(v) = patch.risk_analysis_date {
        after.risk_analysis_date = v;
    }
    if let Some(v) = patch.risk_analysis_summary {
        after.risk_analysis_summary = clean(v);
    }
    if let Some(v) = patch.risk_analysis_url {
        after.risk_analysis_url = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_unique(conn, &after)?;
    save(conn, principal, &before, after)
}

/// Adopts a draft plan: records the decision and locks the planned figures.
pub fn adopt(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    input: AdoptionNew,
) -> Result<Plan, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status != PlanStatus::Draft {
        return Err(ApiError::Conflict(format!(
            "plan {} is already {}",
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
                resource: SubjectKind::Plan,
                record_id: before.id.clone(),
            }],
            external_id: None,
        },
    )?;
    let mut after = before.clone();
    after.status = PlanStatus::Adopted;
    after.decision_id = Some(decision.row.id.clone());
    after.adopted_on = Some(input.decided_on);
    save(conn, principal, &before, after)
}

/// Reopens an adopted or closed plan (admins only), recording why.
pub fn reopen(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    input: ReopenNew,
) -> Result<Plan, ApiError> {
    principal.require_write(Role::Admin)?;
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status == PlanStatus::Draft {
        return Err(ApiError::Conflict(format!(
            "plan {} is a draft; there is nothing to reopen",
            before.id
        )));
    }
    let mut after = before.clone();
    after.status = PlanStatus::Draft;
    after.reopened_reason = Some(input.reason.trim().to_owned());
    save(conn, principal, &before, after)
}

/// Closes an adopted plan after the year's follow-up.
pub fn close(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<Plan, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if before.status != PlanStatus::Adopted {
        return Err(ApiError::Conflict(format!(
            "only an adopted plan can be closed; plan {} is {}",
            before.id, before.status
        )));
    }
    let mut after = before.clone();
    after.status = PlanStatus::Closed;
    save(conn, principal, &before, after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let plan = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != plan.version) {
        return Err(ApiError::PreconditionFailed);
    }
    ensure_open(&plan)?;
    let lines: i64 = budget_lines::table
        .filter(budget_lines::plan_id.eq(&plan.id))
        .count()
        .get_result(conn)?;
    let acts: i64 = activities::table
        .filter(activities::plan_id.eq(&plan.id))
        .count()
        .get_result(conn)?;
    if lines + acts > 0 {
        return Err(ApiError::Conflict(format!(
            "plan {} still has {lines} budget line(s) and {acts} activit(y/ies); delete or move them first",
            plan.id
        )));
    }
    diesel::delete(plans::table.filter(plans::id.eq(&plan.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&plan),
        Some(&plan),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &PlanFilter,
    page: &PageRequest,
) -> Result<(Vec<Plan>, i64), ApiError> {
    let allowed = scope::allowed_org_ids(conn, principal, filter.within.as_deref())?;
    let build = || {
        let mut q = plans::table.into_boxed();
        if let Some(ids) = &allowed {
            q = q.filter(plans::organisation_id.eq_any(ids.clone()));
        }
        if let Some(v) = &filter.object_id {
            q = q.filter(plans::object_id.eq(v.clone()));
        }
        if let Some(v) = &filter.organisation_id {
            q = q.filter(plans::organisation_id.eq(v.clone()));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(plans::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.year {
            q = q.filter(plans::year.eq(v));
        }
        if let Some(v) = filter.status {
            q = q.filter(plans::status.eq(v));
        }
        match filter.has_risk_analysis {
            Some(true) => q = q.filter(plans::risk_analysis_date.is_not_null()),
            Some(false) => q = q.filter(plans::risk_analysis_date.is_null()),
            None => {}
        }
        if let Some(v) = &filter.external_id {
            q = q.filter(plans::external_id.eq(v.clone()));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("status", false) => build().order((plans::status.asc(), plans::year.asc())),
        ("status", true) => build().order((plans::status.desc(), plans::year.asc())),
        ("created_at", false) => build().order(plans::created_at.asc()),
        ("created_at", true) => build().order(plans::created_at.desc()),
        ("modified_at", false) => build().order(plans::modified_at.asc()),
        ("modified_at", true) => build().order(plans::modified_at.desc()),
        (_, false) => build().order(plans::year.asc()),
        (_, true) => build().order(plans::year.desc()),
    };
    let rows = q
        .then_order_by(plans::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(Plan::as_select())
        .load(conn)?;
    Ok((rows, total))
}
