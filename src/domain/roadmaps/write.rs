//! Creating, editing and deleting roadmaps.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::{activities as activity_rows, roadmap_goals, roadmaps};
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction};
use crate::domain::{clean, new_id, organisations, scope, text, time};
use crate::error::{ApiError, FieldError};

use super::{get, subject, Roadmap, RoadmapNew, RoadmapPatch, RoadmapStatus};

fn check_years(from_year: i32, to_year: i32) -> Result<(), ApiError> {
    if to_year < from_year {
        return Err(ApiError::field(
            "to_year",
            format!("must not be before from_year ({from_year})"),
        ));
    }
    Ok(())
}

fn check_external_id(conn: &mut DbConnection, r: &Roadmap) -> Result<(), ApiError> {
    if let Some(ext) = &r.external_id {
        let taken: i64 = roadmaps::table
            .filter(roadmaps::municipality_id.eq(&r.municipality_id))
            .filter(roadmaps::external_id.eq(ext))
            .filter(roadmaps::id.ne(&r.id))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(ApiError::Conflict(format!(
                "external_id {ext:?} is already used by another roadmap in this municipality"
            )));
        }
    }
    Ok(())
}

/// The owner organisation, checked to exist and to be in the principal's scope.
fn owner(
    conn: &mut DbConnection,
    principal: &Principal,
    organisation_id: &str,
) -> Result<organisations::Organisation, ApiError> {
    let org = organisations::find(conn, organisation_id)
        .map_err(|_| ApiError::field("organisation_id", "no such organisation"))?;
    scope::check(conn, principal, &org.id)?;
    Ok(org)
}

pub fn create(
    conn: &mut DbConnection,
    principal: &Principal,
    input: RoadmapNew,
) -> Result<Roadmap, ApiError> {
    check_years(input.from_year, input.to_year)?;
    let org = owner(conn, principal, &input.organisation_id)?;
    let now = time::now();
    let roadmap = Roadmap {
        id: new_id(),
        municipality_id: org.municipality_id,
        organisation_id: org.id,
        name_sort: text::sort_key(&input.name),
        name: input.name.trim().to_owned(),
        description: clean(input.description),
        from_year: input.from_year,
        to_year: input.to_year,
        status: RoadmapStatus::Draft,
        decision_id: None,
        adopted_on: None,
        external_id: clean(input.external_id),
        version: 1,
        created_at: now,
        modified_at: now,
    };
    check_external_id(conn, &roadmap)?;
    diesel::insert_into(roadmaps::table)
        .values(&roadmap)
        .execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Create,
        subject(&roadmap),
        None,
        Some(&roadmap),
    )?;
    Ok(roadmap)
}

/// Writes `after` over `before` (version-checked) and records the change. Shared by PATCH and
/// the adopt/close actions so every status change is versioned and in the history.
pub(crate) fn save(
    conn: &mut DbConnection,
    principal: &Principal,
    before: &Roadmap,
    mut after: Roadmap,
) -> Result<Roadmap, ApiError> {
    after.version = before.version + 1;
    after.modified_at = time::now();
    let n = diesel::update(
        roadmaps::table
            .filter(roadmaps::id.eq(&before.id))
            .filter(roadmaps::version.eq(before.version)),
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
    patch: RoadmapPatch,
) -> Result<Roadmap, ApiError> {
    let before = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != before.version) {
        return Err(ApiError::PreconditionFailed);
    }
    let mut after = before.clone();
    after.from_year = patch.from_year.unwrap_or(before.from_year);
    after.to_year = patch.to_year.unwrap_or(before.to_year);
    check_years(after.from_year, after.to_year)?;
    if let Some(org_id) = patch.organisation_id {
        if org_id != before.organisation_id {
            let org = owner(conn, principal, &org_id)?;
            if org.municipality_id != before.municipality_id {
                return Err(ApiError::Validation(vec![FieldError::new(
                    "organisation_id",
                    "must be in the same municipality",
                )]));
            }
            after.organisation_id = org.id;
        }
    }
    if let Some(name) = patch.name {
        after.name_sort = text::sort_key(&name);
        after.name = name.trim().to_owned();
    }
    if let Some(v) = patch.description {
        after.description = clean(v);
    }
    if let Some(v) = patch.external_id {
        after.external_id = clean(v);
    }
    check_external_id(conn, &after)?;
    let after = save(conn, principal, &before, after)?;
    if after.organisation_id != before.organisation_id {
        // Goals carry their roadmap's owner for scoping; they move with it.
        diesel::update(roadmap_goals::table.filter(roadmap_goals::roadmap_id.eq(&after.id)))
            .set(roadmap_goals::organisation_id.eq(&after.organisation_id))
            .execute(conn)?;
    }
    Ok(after)
}

pub fn delete(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    expected_version: Option<i32>,
) -> Result<(), ApiError> {
    let roadmap = get(conn, principal, id)?;
    if expected_version.is_some_and(|v| v != roadmap.version) {
        return Err(ApiError::PreconditionFailed);
    }
    if roadmap.status != RoadmapStatus::Draft {
        // An adopted roadmap is part of the decision record; it ends by being closed.
        return Err(ApiError::Conflict(format!(
            "roadmap {} is {}; only a draft can be deleted (close an adopted roadmap instead)",
            roadmap.id, roadmap.status
        )));
    }
    let activity_count: i64 = activity_rows::table
        .filter(activity_rows::roadmap_id.eq(&roadmap.id))
        .count()
        .get_result(conn)?;
    let goal_count: i64 = roadmap_goals::table
        .filter(roadmap_goals::roadmap_id.eq(&roadmap.id))
        .count()
        .get_result(conn)?;
    if activity_count > 0 || goal_count > 0 {
        return Err(ApiError::Conflict(format!(
            "roadmap {} still has {activity_count} activity(ies) and {goal_count} goal(s); unlink or delete them first",
            roadmap.id
        )));
    }
    diesel::delete(roadmaps::table.filter(roadmaps::id.eq(&roadmap.id))).execute(conn)?;
    changes::record(
        conn,
        principal,
        ChangeAction::Delete,
        subject(&roadmap),
        Some(&roadmap),
        None,
    )?;
    Ok(())
}
