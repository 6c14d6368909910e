//! Decisions: who decided what and when (forum, råd, ledningsgrupp, nämnd, kommunstyrelse), with
//! diarienummer and the records decided on. Adopting a plan or roadmap records one; raising an
//! initiative to the municipal råd is one with an outcome.

use std::collections::HashMap;
use std::ops::Deref;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::paging::PageRequest;
use crate::auth::Principal;
use crate::db::schema::{
    activities, audit_findings, decision_subjects, decisions, objects, plans, roadmaps,
};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{clean, new_id, nullable, organisations, scope, time};
use crate::error::{ApiError, FieldError};

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

/// The municipality of a subject record, or `None` when it does not exist.
fn subject_municipality(
    conn: &mut DbConnection,
    s: &DecisionSubject,
) -> QueryResult<Option<String>> {
    let id = s.record_id.as_str();
    match s.resource {
        SubjectKind::Plan => plans::table
            .find(id)
            .select(plans::municipality_id)
            .first(conn)
            .optional(),
        SubjectKind::Activity => activities::table
            .find(id)
            .select(activities::municipality_id)
            .first(conn)
            .optional(),
        SubjectKind::Roadmap => roadmaps::table
            .find(id)
            .select(roadmaps::municipality_id)
            .first(conn)
            .optional(),
        SubjectKind::Object => objects::table
            .find(id)
            .select(objects::municipality_id)
            .first(conn)
            .optional(),
        SubjectKind::AuditFinding => audit_findings::table
            .find(id)
            .select(audit_findings::municipality_id)
            .first(conn)
            .optional(),
    }
}

fn check_rules(
    conn: &mut DbConnection,
    municipality: &str,
    kind: DecisionKind,
    outcome: Option<DecisionOutcome>,
    subjects: &[DecisionSubject],
) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    for (i, s) in subjects.iter().enumerate() {
        match subject_municipality(conn, s)? {
            None => errors.push(FieldError::new(
                format!("subjects[{i}].record_id"),
                "no such record",
            )),
            Some(m) if m != municipality => errors.push(FieldError::new(
                format!("subjects[{i}].record_id"),
                "belongs to another municipality",
            )),
            Some(_) => {}
        }
    }
    if kind == DecisionKind::Escalation {
        match outcome {
            None
            | Some(
                DecisionOutcome::Accepted | DecisionOutcome::Rejected | DecisionOutcome::Returned,
            ) => {}
            Some(_) => errors.push(FieldError::new(
                "outcome",
                "an escalation ends accepted, rejected or returned",
            )),
        }
        if !subjects.iter().any(|s| s.resource == SubjectKind::Activity) {
            errors.push(FieldError::new(
                "subjects",
                "an escalation is about at least one activity",
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn save_subjects(
    conn: &mut DbConnection,
    decision_id: &str,
    subjects: &[DecisionSubject],
) -> QueryResult<()> {
    diesel::delete(decision_subjects::table.filter(decision_subjects::decision_id.eq(decision_id)))
        .execute(conn)?;
    let mut seen = std::collections::HashSet::new();
    for s in subjects {
        if seen.insert((s.resource, s.record_id.clone())) {
            diesel::insert_into(decision_subjects::table)
                .values((
                    decision_subjects::decision_id.eq(decision_id),
                    decision_subjects::resource.eq(s.resource.as_str()),
                    decision_subjects::record_id.eq(&s.record_id),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// An accepted escalation makes its activities municipality-wide; any other outcome undoes it.
fn apply_escalation(
    conn: &mut DbConnection,
    principal: &Principal,
    d: &Decision,
) -> Result<(), ApiError> {
    if d.row.kind != DecisionKind::Escalation || d.row.outcome.is_none() {
        return Ok(());
    }
    let wide = d.row.outcome == Some(DecisionOutcome::Accepted);
    for s in d
        .subjects
        .iter()
        .filter(|s| s.resource == SubjectKind::Activity)
    {
        crate::domain::activities::set_municipality_wide(conn, principal, &s.record_id, wide)?;
    }
    Ok(())
}

/// Records a decision (used by the decisions API and by plan and roadmap adoption).
pub fn record(
    conn: &mut DbConnection,
    principal: &Principal,
    input: DecisionNew,
) -> Result<Decision, ApiError> {
    let org = organisations::find(conn, &input.organisation_id)
        .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
    scope::check(conn, principal, &org.id)?;
    check_rules(
        conn,
        &org.municipality_id,
        input.kind,
        input.outcome,
        &input.subjects,
    )?;
    let now = time::now();
    let row = DecisionRow {
        id: new_id(),
        municipality_id: org.municipality_id,
        organisation_id: org.id,
        decided_on: input.decided_on,
        body: input.body,
        diarienummer: clean(input.diarienummer),
        summary: input.summary.trim().to_owned(),
        kind: input.kind,
        outcome: input.outcome,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &row)?;
    diesel::insert_into(decisions::table)
        .values(&row)
        .execute(conn)?;
    save_subjects(conn, &row.id, &input.subjects)?;
    let decision = with_subjects(conn, row)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&decision),
        None,
        Some(&decision),
    )?;
    apply_escalation(conn, principal, &decision)?;
    Ok(decision)
}

fn check_external_id(conn: &mut DbConnection, d: &DecisionRow) -> Result<(), ApiError> {
    if let Some(ext) = &d.external_id {
        let taken: i64 = decisions::table
            .filter(decisions::municipality_id.eq(&d.municipality_id))
            .filter(decisions::external_id.eq(ext))
            .filter(decisions::id.ne(&d.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another decision in this municipality"
            )));
        }
    }
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: DecisionNew,
) -> Result<Decision, ApiError> {
    record(conn, principal, input)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: DecisionPatch,
) -> Result<Decision, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.decided_on {
        after.row.decided_on = v;
    }
    if let Some(v) = patch.body {
        after.row.body = v;
    }
    if let Some(v) = patch.diarienummer {
        after.row.diarienummer = clean(v);
    }
    if let Some(v) = patch.summary {
        after.row.summary = v.trim().to_owned();
    }
    if let Some(v) = patch.outcome {
        after.row.outcome = v;
    }
    if let Some(v) = patch.subjects {
        after.subjects = v;
    }
    if let Some(v) = patch.external_id {
        after.row.external_id = clean(v);
    }
    check_rules(
        conn,
        &after.row.municipality_id,
        after.row.kind,
        after.row.outcome,
        &after.subjects,
    )?;
    check_external_id(conn, &after.row)?;
    after.row.version = before.row.version + 1;
    after.row.modified_at = time::now();
    let n = diesel::update(
        decisions::table
            .filter(decisions::id.eq(&before.row.id))
            .filter(decisions::version.eq(before.row.version)),
    )
    .set(&after.row)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::lost_race(expected_version));
    }
    save_subjects(conn, &after.row.id, &after.subjects)?;
    let after = with_subjects(conn, after.row)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Update,
        subject(&after),
        Some(&before),
        Some(&after),
    )?;
    if before.row.outcome != after.row.outcome || before.subjects != after.subjects {
        apply_escalation(conn, principal, &after)?;
    }
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let decision = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != decision.row.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let adopting_plans: i64 = plans::table
        .filter(plans::decision_id.eq(&decision.row.id))
        .count()
        .get_result(conn)?;
    let adopting_roadmaps: i64 = roadmaps::table
        .filter(roadmaps::decision_id.eq(&decision.row.id))
        .count()
        .get_result(conn)?;
    if adopting_plans + adopting_roadmaps > 0 {
        return Err(ApiError::Conflict(format!(
            "decision {} adopted {adopting_plans} plan(s) and {adopting_roadmaps} roadmap(s); it cannot be deleted",
            decision.row.id
        )));
    }
    diesel::delete(
        decision_subjects::table.filter(decision_subjects::decision_id.eq(&decision.row.id)),
    )
    .execute(conn)?;
    diesel::delete(decisions::table.filter(decisions::id.eq(&decision.row.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&decision),
        Some(&decision),
        None,
    )?;
    Ok(())
}

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
