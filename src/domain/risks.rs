//! Risks: the yearly risk- och sårbarhetsanalys (RSA) of an object, or the risks of an activity,
//! each scored probability × consequence on the usual 4 × 4 matrix.

mod links;
mod list;

pub use links::count_for_object;
pub use list::list;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::Principal;
use crate::db::schema::risks;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{activities, clean, new_id, nullable, objects, people, scope, time};
use crate::error::{ApiError, FieldError};

crate::text_enum! {
    /// Where the risk stands.
    RiskStatus {
        Open => "open",
        /// Mitigation is under way.
        Mitigating => "mitigating",
        /// Knowingly accepted as it is.
        Accepted => "accepted",
        Closed => "closed",
    }
}

/// A risk on an object or an activity.
#[derive(
    Debug, Clone, Queryable, Selectable, Insertable, AsChangeset, serde::Serialize, ToSchema,
)]
#[diesel(table_name = risks, treat_none_as_null = true)]
#[schema(example = json!({
    "id": "0193a0c4-7777-7c1e-9a1b-2f3c4d5e6f70",
    "municipality_id": "0193a0c4-0000-7c1e-9a1b-2f3c4d5e6f70",
    "organisation_id": "0193a0c4-2222-7c1e-9a1b-2f3c4d5e6f70",
    "object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "activity_id": null,
    "description": "Leverantören avvecklar on-premise-versionen",
    "probability": 3, "consequence": 4, "score": 12,
    "mitigation": "Upphandla molntjänst före 2027", "owner_person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70",
    "status": "mitigating", "identified_on": "2026-02-10", "review_date": "2026-09-30",
    "external_id": "RSA-2026-04", "version": 2,
    "created_at": "2026-02-10T09:15:00.000000Z", "modified_at": "2026-03-01T10:00:00.000000Z"
}))]
pub struct Risk {
    pub id: String,
    pub municipality_id: String,
    /// The owner of the object or activity (kept in step with it; read-only).
    pub organisation_id: String,
    /// Set for risks of an object's RSA (exactly one of object_id and activity_id).
    pub object_id: Option<String>,
    /// Set for risks of an activity.
    pub activity_id: Option<String>,
    pub description: String,
    /// Sannolikhet, 1 (low) – 4 (high).
    pub probability: i32,
    /// Konsekvens, 1 (low) – 4 (severe).
    pub consequence: i32,
    /// probability × consequence, 1–16 (read-only).
    pub score: i32,
    /// Åtgärd: what is done to lower the risk.
    pub mitigation: Option<String>,
    /// Riskägare: a person in the same municipality.
    pub owner_person_id: Option<String>,
    pub status: RiskStatus,
    pub identified_on: Option<NaiveDate>,
    /// When the risk is next to be reviewed.
    pub review_date: Option<NaiveDate>,
    /// Your own key; unique within the municipality.
    pub external_id: Option<String>,
    pub version: i32,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    #[serde(with = "time::utc")]
    #[schema(value_type = String, format = DateTime)]
    pub modified_at: NaiveDateTime,
}

/// A new risk: exactly one of `object_id` and `activity_id`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"object_id": "0193a0c4-1111-7c1e-9a1b-2f3c4d5e6f70", "description": "Leverantören avvecklar on-premise-versionen", "probability": 3, "consequence": 4, "mitigation": "Upphandla molntjänst före 2027", "owner_person_id": "0193a0c4-3333-7c1e-9a1b-2f3c4d5e6f70", "identified_on": "2026-02-10", "review_date": "2026-09-30", "external_id": "RSA-2026-04"}))]
pub struct RiskNew {
    pub object_id: Option<String>,
    pub activity_id: Option<String>,
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    pub description: String,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    pub probability: i32,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    pub consequence: i32,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub mitigation: Option<String>,
    pub owner_person_id: Option<String>,
    /// Default `open`.
    pub status: Option<RiskStatus>,
    pub identified_on: Option<NaiveDate>,
    pub review_date: Option<NaiveDate>,
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<String>,
}

/// Changes to a risk; absent fields stay, null clears. A risk stays on its object or activity.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(example = json!({"probability": 2, "status": "mitigating", "review_date": "2027-03-31"}))]
pub struct RiskPatch {
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 2000)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub description: Option<String>,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub probability: Option<i32>,
    #[validate(range(min = 1, max = 4))]
    #[schema(minimum = 1, maximum = 4)]
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub consequence: Option<i32>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub mitigation: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub owner_person_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::domain::present")]
    pub status: Option<RiskStatus>,
    #[serde(default, deserialize_with = "nullable")]
    pub identified_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    pub review_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "nullable")]
    #[validate(
        length(min = 1, max = 100),
        custom(function = "crate::domain::not_blank")
    )]
    #[schema(min_length = 1, max_length = 100)]
    pub external_id: Option<Option<String>>,
}

/// Filters of `GET /risks`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RiskFilter {
    pub object_id: Option<String>,
    pub activity_id: Option<String>,
    /// Owner of the object or activity, exactly.
    pub organisation_id: Option<String>,
    /// Owner of the object or activity, this organisation or any below it.
    pub within: Option<String>,
    pub municipality_id: Option<String>,
    pub status: Option<RiskStatus>,
    /// Only risks scoring at least this (1–16).
    #[param(minimum = 1, maximum = 16, example = 9)]
    pub min_score: Option<i32>,
    /// Only risks due for review before this day (YYYY-MM-DD).
    #[param(example = "2026-12-31")]
    pub review_before: Option<NaiveDate>,
    pub owner_person_id: Option<String>,
}

pub const SORT_FIELDS: &[&str] = &["score", "review_date", "created_at", "modified_at"];
pub const RESOURCE: &str = "risks";

/// The risk matrix: probability × consequence.
pub fn score(probability: i32, consequence: i32) -> i32 {
    probability * consequence
}

fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&Risk>,
    after: Option<&Risk>,
) -> Result<(), ApiError> {
    let Some(current) = after.or(before) else {
        return Ok(());
    };
    let subject = Subject {
        resource: RESOURCE,
        record_id: &current.id,
        municipality_id: Some(&current.municipality_id),
        organisation_id: Some(&current.organisation_id),
    };
    changes::record(conn, principal, action, subject, before, after)
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Risk, ApiError> {
    risks::table
        .find(id)
        .select(Risk::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("risk", id))
}

pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Risk, ApiError> {
    let risk = find(conn, id)?;
    scope::check(conn, principal, &risk.organisation_id)?;
    Ok(risk)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_spans_the_four_by_four_matrix() {
        assert_eq!(score(1, 1), 1);
        assert_eq!(score(3, 4), 12);
        assert_eq!(score(4, 4), 16);
    }
}
