//! Loading an activity with its links, scope checks, and the change record its writes share.

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema::activities;
use crate::db::DbConnection;
use crate::domain::changes::{self, ChangeAction, Subject};
use crate::domain::{scope, time};

use crate::error::ApiError;

use super::{Activity, ActivityRow, CoFunding, RESOURCE};

pub fn find_row(conn: &mut DbConnection, id: &str) -> Result<ActivityRow, ApiError> {
    activities::table
        .find(id)
        .select(ActivityRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("activity", id))
}

/// Loads focus areas and co-funding for rows (one query each, whatever the number of rows).
pub fn with_links(
    conn: &mut DbConnection,
    rows: Vec<ActivityRow>,
) -> Result<Vec<Activity>, ApiError> {
    use crate::db::schema::{activity_focus_areas as afa, activity_funding as af};
    use std::collections::HashMap;
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let areas: Vec<(String, String)> = afa::table
        .filter(afa::activity_id.eq_any(&ids))
        .order((afa::activity_id, afa::focus_area_id))
        .load(conn)?;
    let funding: Vec<(String, String, i64)> = af::table
        .filter(af::activity_id.eq_any(&ids))
        .order((af::activity_id, af::organisation_id))
        .load(conn)?;
    let mut area_map: HashMap<String, Vec<String>> = HashMap::new();
    for (a, f) in areas {
        area_map.entry(a).or_default().push(f);
    }
    let mut fund_map: HashMap<String, Vec<CoFunding>> = HashMap::new();
    for (a, organisation_id, amount) in funding {
        fund_map.entry(a).or_default().push(CoFunding {
            organisation_id,
            amount,
        });
    }
    Ok(rows
        .into_iter()
        .map(|row| Activity {
            focus_area_ids: area_map.remove(&row.id).unwrap_or_default(),
            co_funding: fund_map.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect())
}

/// Reads one activity the principal may see, with its links.
pub fn get(conn: &mut DbConnection, principal: &Principal, id: &str) -> Result<Activity, ApiError> {
    let row = get_row(conn, principal, id)?;
    with_links(conn, vec![row])?
        .pop()
        .ok_or_else(|| ApiError::not_found("activity", id))
}

/// Reads an activity row the principal may see (403 outside scope).
pub fn get_row(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
) -> Result<ActivityRow, ApiError> {
    let row = find_row(conn, id)?;
    scope::check(conn, principal, &row.organisation_id)?;
    Ok(row)
}

/// Marks an activity municipality-wide (or not), as an escalation decision says.
pub fn set_municipality_wide(
    conn: &mut DbConnection,
    principal: &Principal,
    id: &str,
    wide: bool,
) -> Result<(), ApiError> {
    let before = find_row(conn, id)?;
    if before.municipality_wide == wide {
        return Ok(());
    }
    let mut after = before.clone();
    after.municipality_wide = wide;
    after.version = before.version + 1;
    after.modified_at = time::now();
    diesel::update(activities::table.filter(activities::id.eq(&before.id)))
        .set(&after)
        .execute(conn)?;
    record_change(
        conn,
        principal,
        ChangeAction::Update,
        Some(&before),
        Some(&after),
    )
}

/// Records a change of an activity row.
pub fn record_change(
    conn: &mut DbConnection,
    principal: &Principal,
    action: ChangeAction,
    before: Option<&ActivityRow>,
    after: Option<&ActivityRow>,
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
