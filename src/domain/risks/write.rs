//! Creating, editing and deleting risks, with the rules a risk must keep.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::risks;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::{activities, clean, new_id, objects, people, scope, time};
use crate::error::{ApiError, FieldError};

use super::{get, record_change, score, Risk, RiskNew, RiskPatch, RiskStatus};

fn check_external_id(conn: &mut DbConnection, r: &Risk) -> Result<(), ApiError> {
    if let Some(ext) = &r.external_id {
        let taken: i64 = risks::table
            .filter(risks::municipality_id.eq(&r.municipality_id))
            .filter(risks::external_id.eq(ext))
            .filter(risks::id.ne(&r.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another risk in this municipality"
            )));
        }
    }
    Ok(())
}

/// The owner must be a person in the risk's municipality; every rule broken is collected.
fn check_rules(
    conn: &mut DbConnection,
    r: &Risk,
    errors: &mut Vec<FieldError>,
) -> Result<(), ApiError> {
    if let Some(person_id) = &r.owner_person_id {
        match people::find(conn, person_id) {
            Err(ApiError::NotFound(_)) => {
                errors.push(FieldError::new("owner_person_id", "no such person"))
            }
            Err(e) => return Err(e),
            Ok(p) if p.municipality_id != r.municipality_id => errors.push(FieldError::new(
                "owner_person_id",
                "must be a person in the same municipality",
            )),
            Ok(_) => {}
        }
    }
    if let (Some(identified), Some(review)) = (r.identified_on, r.review_date) {
        if review < identified {
            errors.push(FieldError::new(
                "review_date",
                "must not be before identified_on",
            ));
        }
    }
    Ok(())
}

/// The municipality and owner organisation of the object or activity the risk is about.
fn target(conn: &mut DbConnection, input: &RiskNew) -> Result<(String, String), ApiError> {
    let one_of = "give exactly one of object_id and activity_id";
    match (&input.object_id, &input.activity_id) {
        (Some(object_id), None) => match objects::find(conn, object_id) {
            Ok(o) => Ok((o.municipality_id, o.organisation_id)),
            Err(ApiError::NotFound(_)) => Err(ApiError::field("object_id", "no such object")),
            Err(e) => Err(e),
        },
        (None, Some(activity_id)) => match activities::find_row(conn, activity_id) {
            Ok(a) => Ok((a.municipality_id, a.organisation_id)),
            Err(ApiError::NotFound(_)) => Err(ApiError::field("activity_id", "no such activity")),
            Err(e) => Err(e),
        },
        _ => Err(ApiError::Validation(vec![
            FieldError::new("activity_id", one_of),
            FieldError::new("object_id", one_of),
        ])),
    }
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: RiskNew,
) -> Result<Risk, ApiError> {
    let (municipality_id, organisation_id) = target(conn, &input)?;
    scope::check(conn, principal, &organisation_id)?;
    let now = time::now();
    let risk = Risk {
        id: new_id(),
        municipality_id,
        organisation_id,
        object_id: input.object_id,
        activity_id: input.activity_id,
        description: input.description.trim().to_owned(),
        probability: input.probability,
        consequence: input.consequence,
        score: score(input.probability, input.consequence),
        mitigation: clean(input.mitigation),
        owner_person_id: input.owner_person_id,
        status: input.status.unwrap_or(RiskStatus::Open),
        identified_on: input.identified_on,
        review_date: input.review_date,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    let mut errors = Vec::new();
    check_rules(conn, &risk, &mut errors)?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    check_external_id(conn, &risk)?;
    diesel::insert_into(risks::table)
        .values(&risk)
        .execute(conn)?;
    record_change(conn, principal, ChangeAction::Create, None, Some(&risk))?;
    Ok(risk)
}

pub fn update(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
    patch: RiskPatch,
) -> Result<Risk, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    if let Some(v) = patch.description {
        after.description = v.trim().to_owned();
    }
    if let Some(v) = patch.probability {
        after.probability = v;
    }
    if let Some(v) = patch.consequence {
        after.consequence = v;
    }
    after.score = score(after.probability, after.consequence);
    if let Some(v) = patch.mitigation {
        after.mitigation = clean(v);
    }
    if let Some(v) = patch.owner_person_id {
        after.owner_person_id = v;
    }
    if let Some(v) = patch.status {
        after.status = v;
    }
    if let Some(v) = patch.identified_on {
        after.identified_on = v;
    }
    if let Some(v) = patch.review_date {
        after.review_date = v;
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    let mut errors = Vec::new();
    check_rules(conn, &after, &mut errors)?;
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    check_external_id(conn, &after)?;
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        risks::table
            .filter(risks::id.eq(&before.id))
            .filter(risks::version.eq(before.version)),
    )
    .set(&after)
    .execute(conn)?;
    if n != 1 {
        return Err(ApiError::PreconditionFailed);
    }
    record_change(
        conn,
        principal,
        ChangeAction::Update,
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
    let risk = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != risk.version) {
        return Err(ApiError::PreconditionFailed);
    }
    diesel::delete(risks::table.filter(risks::id.eq(&risk.id))).execute(conn)?;
    record_change(conn, principal, ChangeAction::Delete, Some(&risk), None)?;
    Ok(())
}
