//! Phase rules: per municipality, which evidence and fields an activity needs before it may enter
//! a phase. Entering a phase needs the rules of that phase and of every phase before it, so the
//! evidence cannot be skipped by jumping ahead. Defaults follow the audits: no activity starts
//! without purpose and goals, a planned budget, a nyttokalkyl and a riskanalys; none is evaluated
//! without a final report.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{organisations, phase_rules};
use crate::db::DbConnection;
use crate::domain::activities::Phase;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::organisations::OrganisationKind;
use crate::domain::{new_id, scope, time};
use crate::error::ApiError;

crate::text_enum! {
    /// What a rule requires: a documentation item of a kind (done or not applicable), or a field.
    Requirement {
        NeedsAnalysis => "needs_analysis",
        StakeholderInvolvement => "stakeholder_involvement",
        ProjectPlan => "project_plan",
        BenefitCalculation => "benefit_calculation",
        RiskAnalysis => "risk_analysis",
        DecisionBasis => "decision_basis",
        FinalReport => "final_report",
        /// The activity's purpose_and_goals is filled in.
        PurposeAndGoals => "purpose_and_goals",
        /// planned_budget is set.
        PlannedBudget => "planned_budget",
        /// start_date and end_date are set.
        TimeFrame => "time_frame",
        /// responsible_person_id is set.
        ResponsiblePerson => "responsible_person",
        /// expected_benefit and complexity are rated.
        Prioritisation => "prioritisation",
    }
}

/// The defaults every new municipality starts with.
pub const DEFAULTS: &[(Phase, Requirement)] = &[
    (Phase::InProgress, Requirement::PurposeAndGoals),
    (Phase::InProgress, Requirement::PlannedBudget),
    (Phase::InProgress, Requirement::BenefitCalculation),
    (Phase::InProgress, Requirement::RiskAnalysis),
    (Phase::Evaluated, Requirement::FinalReport),
];

/// One rule.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = phase_rules, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-aaaa-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "phase": "in_progress", "requirement": "benefit_calculation", "version": 1,
    "created_at": "2026-11-23T09:15:00.000000Z", "modified_at": "2026-11-23T09:15:00.000000Z"
}))]
pub struct PhaseRule {
    pub id: String,
    pub municipality_id: String,
    /// The phase the rule guards (entering it, or any later phase).
    pub phase: Phase,
    pub requirement: Requirement,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new rule.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70", "phase": "planned", "requirement": "needs_analysis"}))]
pub struct PhaseRuleNew {
    pub municipality_id: String,
    pub phase: Phase,
    pub requirement: Requirement,
}

/// Changes to a rule.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"phase": "planned"}))]
pub struct PhaseRulePatch {
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub phase: Option<Phase>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub requirement: Option<Requirement>,
}

/// Filters of `GET /phase-rules`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PhaseRuleFilter {
    pub municipality_id: Option<String>,
    pub phase: Option<Phase>,
    pub requirement: Option<Requirement>,
}

pub const SORT_FIELDS: &[&str] = &["phase", "requirement", "created_at", "modified_at"];
pub const RESOURCE: &str = "phase-rules";

fn subject(r: &PhaseRule) -> Subject<'_> {
    Subject {
        resource: RESOURCE,
        record_id: &r.id,
        municipality_id: Some(&r.municipality_id),
        organisation_id: Some(&r.municipality_id),
    }
}

/// The requirements for entering `target`: its own rules and those of every earlier phase
/// (cancelling needs only the rules written for `cancelled`).
pub fn requirements_for(
    conn: &mut DbConnection,
    municipality_id: &str,
    target: Phase,
) -> QueryResult<Vec<Requirement>> {
    let phases: Vec<Phase> = match target.rank() {
        None => vec![Phase::Cancelled],
        Some(rank) => Phase::ALL
            .iter()
            .copied()
            .filter(|p| p.rank().is_some_and(|r| r <= rank))
            .collect(),
    };
    let mut found: Vec<Requirement> = phase_rules::table
        .filter(phase_rules::municipality_id.eq(municipality_id))
        .filter(phase_rules::phase.eq_any(phases))
        .select(phase_rules::requirement)
        .load(conn)?;
    found.sort_by_key(|r| r.as_str());
    found.dedup();
    Ok(found)
}

/// Inserts the default rules for a new municipality.
pub fn seed_defaults(
    conn: &mut DbConnection,
    principal: &Principal,
    municipality_id: &str,
) -> Result<(), ApiError> {
    let now = time::now();
    for (phase, requirement) in DEFAULTS {
        let rule = PhaseRule {
            id: new_id(),
            municipality_id: municipality_id.to_owned(),
            phase: *phase,
            requirement: *requirement,
            version: 1,
            created_at: now,
            modified_at: now,
        };
        diesel::insert_into(phase_rules::table)
            .values(&rule)
            .execute(conn)?;
        changes::record(
            conn,
            principal,
            ChangeAction::Create,
            subject(&rule),
            None,
            Some(&rule),
        )?;
    }
    Ok(())
}

/// Removes a municipality's rules when the municipality itself is deleted.
pub fn delete_all(
    conn: &mut DbConnection,
    principal: &Principal,
    municipality_id: &str,
) -> Result<(), ApiError> {
    let rules: Vec<PhaseRule> = phase_rules::table
        .filter(phase_rules::municipality_id.eq(municipality_id))
        .select(PhaseRule::as_select())
        .load(conn)?;
    for rule in rules {
        diesel::delete(phase_rules::table.filter(phase_rules::id.eq(&rule.id))).execute(conn)?;
        changes::record(
            conn,
            principal,
            ChangeAction::Delete,
            subject(&rule),
            Some(&rule),
            None,
        )?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<PhaseRule, ApiError> {
    phase_rules::table
        .find(id)
        .select(PhaseRule::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("phase rule", id))
}

/// Rules are readable by anyone working somewhere in the municipality.
pub fn get(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<PhaseRule, ApiError> {
    let rule = find(conn, id)?;
    if let Some(roots) = &principal.orgs {
        let n: i64 = organisations::table
            .filter(organisations::id.eq_any(roots))
            .filter(organisations::municipality_id.eq(&rule.municipality_id))
            .count()
            .get_result(conn)?;
        if n == 0 {
            return Err(ApiError::Forbidden(format!(
                "phase rule {} belongs to another municipality",
                rule.id
            )));
        }
    }
    Ok(rule)
}

fn check_unique(conn: &mut DbConnection, r: &PhaseRule) -> Result<(), ApiError> {
    let taken: i64 = phase_rules::table
        .filter(phase_rules::municipality_id.eq(&r.municipality_id))
        .filter(phase_rules::phase.eq(r.phase))
        .filter(phase_rules::requirement.eq(r.requirement))
        .filter(phase_rules::id.ne(&r.id))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(ApiError::Conflict(format!(
            "the municipality already requires {} before {}",
            r.requirement, r.phase
        )));
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: PhaseRuleNew,
) -> Result<PhaseRule, ApiError> {
    let kind: Option<OrganisationKind> = organisations::table
        .find(&input.municipality_id)
        .select(organisations::kind)
        .first(conn)
        .optional()?;
    if kind != Some(OrganisationKind::Municipality) {
        return Err(ApiError::field("municipality_id", "must be a municipality"));
    }
    // Rules bind the whole municipality: only admins with all of it in scope change them.
    scope::check(conn, principal, &input.municipality_id)?;
    let now = time::now();
    let rule = PhaseRule {
        id: new_id(),
        municipality_id: input.municipality_id,
        phase: input.phase,
        requirement: input.requirement,
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_unique(conn, &rule)?;
    diesel::insert_into(phase_rules::table)
        .values(&rule)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&rule),
        None,
        Some(&rule),
    )?;
    Ok(rule)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: PhaseRulePatch,
) -> Result<PhaseRule, ApiError> {
    let before = get(conn, principal, id)?;
    scope::check(conn, principal, &before.municipality_id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.phase {
        after.phase = v;
    }
    if let Some(v) = patch.requirement {
        after.requirement = v;
    }
    check_unique(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        phase_rules::table
            .filter(phase_rules::id.eq(&before.id))
            .filter(phase_rules::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
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
    let rule = get(conn, principal, id)?;
    scope::check(conn, principal, &rule.municipality_id)?;
    if expected_version.is_some_and(|v| v != rule.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(phase_rules::table.filter(phase_rules::id.eq(&rule.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&rule),
        Some(&rule),
        None,
    )?;
    Ok(())
}

pub fn list(
    conn: &mut DbConnection,
    principal: &Principal,
    filter: &PhaseRuleFilter,
    page: &PageRequest,
) -> Result<(Vec<PhaseRule>, i64), ApiError> {
    let build = || {
        let mut q = phase_rules::table.into_boxed();
        if let Some(roots) = &principal.orgs {
            let municipalities = organisations::table
                .filter(organisations::id.eq_any(roots.clone()))
                .select(organisations::municipality_id);
            q = q.filter(phase_rules::municipality_id.eq_any(municipalities));
        }
        if let Some(v) = &filter.municipality_id {
            q = q.filter(phase_rules::municipality_id.eq(v.clone()));
        }
        if let Some(v) = filter.phase {
            q = q.filter(phase_rules::phase.eq(v));
        }
        if let Some(v) = filter.requirement {
            q = q.filter(phase_rules::requirement.eq(v));
        }
        q
    };
    let total: i64 = build().count().get_result(conn)?;
    let q = match (page.sort.as_str(), page.descending) {
        ("requirement", false) => build().order(phase_rules::requirement.asc()),
        ("requirement", true) => build().order(phase_rules::requirement.desc()),
        ("created_at", false) => build().order(phase_rules::created_at.asc()),
        ("created_at", true) => build().order(phase_rules::created_at.desc()),
        ("modified_at", false) => build().order(phase_rules::modified_at.asc()),
        ("modified_at", true) => build().order(phase_rules::modified_at.desc()),
        (_, false) => build().order((phase_rules::phase.asc(), phase_rules::requirement.asc())),
        (_, true) => build().order((phase_rules::phase.desc(), phase_rules::requirement.asc())),
    };
    let rows = q
        .then_order_by(phase_rules::id.asc())
        .limit(page.limit)
        .offset(page.offset)
        .select(PhaseRule::as_select())
        .load(conn)?;
    Ok((rows, total))
}
