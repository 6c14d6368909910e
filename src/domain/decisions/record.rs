//! Recording a decision with its subjects: the rules it must keep and the escalation it may carry.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{
    activities, audit_findings, decision_subjects, decisions, objects, plans, roadmaps,
};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, organisations, scope, time};
use crate::error::{ApiError, FieldError};

use super::{
    subject, with_subjects, Decision, DecisionKind, DecisionNew, DecisionOutcome, DecisionRow,
    DecisionSubject, SubjectKind,
};

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

pub(super) fn check_external_id(conn: &mut DbConnection, d: &DecisionRow) -> Result<(), ApiError> {
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

pub(super) fn check_rules(
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

pub(super) fn save_subjects(
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
pub(super) fn apply_escalation(
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
