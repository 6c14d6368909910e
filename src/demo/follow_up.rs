//! Benefits (nyttor) with their follow-ups, and risks: the yearly risk- och sårbarhetsanalys of
//! each object and the risks of ongoing activities.
//!
//! The benefit and risk modules have no write functions yet, so these rows are inserted directly
//! into their tables (without change records).

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::texts::{ACTIVITY_RISKS, BENEFITS, OBJECT_RISKS};
use super::world::{today, ymd, World};
use super::Stage;
use crate::db::schema::{benefit_follow_ups, benefits, risks};
use crate::db::DbConnection;
use crate::domain::activities::{ActivityKind, Phase};
use crate::domain::{new_id, time};

#[derive(Insertable)]
#[diesel(table_name = benefits)]
struct BenefitRow {
    id: String,
    municipality_id: String,
    organisation_id: String,
    activity_id: String,
    description: String,
    indicator: Option<String>,
    unit: Option<String>,
    baseline: Option<f64>,
    target: Option<f64>,
    target_date: Option<NaiveDate>,
    yearly_value_sek: Option<i64>,
    realised_value: Option<f64>,
    realised_value_sek: Option<i64>,
    last_follow_up: Option<NaiveDate>,
    external_id: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    modified_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = benefit_follow_ups)]
struct FollowUpRow {
    id: String,
    municipality_id: String,
    organisation_id: String,
    benefit_id: String,
    follow_up_date: NaiveDate,
    measured_value: f64,
    realised_value_sek: Option<i64>,
    comment: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    modified_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = risks)]
struct RiskRow {
    id: String,
    municipality_id: String,
    organisation_id: String,
    object_id: Option<String>,
    activity_id: Option<String>,
    description: String,
    probability: i32,
    consequence: i32,
    score: i32,
    mitigation: Option<String>,
    owner_person_id: Option<String>,
    status: String,
    identified_on: Option<NaiveDate>,
    review_date: Option<NaiveDate>,
    external_id: Option<String>,
    version: i32,
    created_at: NaiveDateTime,
    modified_at: NaiveDateTime,
}

const FOLLOW_UP_COMMENTS: &[&str] = &[
    "Mätt vid delårsrapporten.",
    "Enligt verksamhetens egen uppföljning.",
    "Underlag från systemets statistik.",
    "Årsanalys; effekten har ännu inte slagit igenom fullt ut.",
];

/// Benefits for most activities that got beyond the idea; follow-ups for some of those that
/// started, and none for several that are already completed.
pub fn benefits(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("benefits", 0, 0);
    let mut follow_ups = Stage::new("benefit follow-ups", 0, 0);
    let now = time::now();
    let mut written = 0;
    for a in 0..w.activities.len() {
        let (phase, kind, year) = (
            w.activities[a].phase,
            w.activities[a].kind,
            w.activities[a].year,
        );
        let rank = phase.rank().unwrap_or(0);
        let share = if kind == ActivityKind::Initiative {
            0.7
        } else {
            0.6
        };
        if kind == ActivityKind::Maintenance || rank < 2 || !w.chance(share) {
            continue;
        }
        let count = if w.chance(0.25) { 2 } else { 1 };
        let first = w.between(0, BENEFITS.len() as i64 - 1) as usize;
        for k in 0..count {
            let (description, indicator, unit, baseline, target) =
                BENEFITS[(first + k * 3) % BENEFITS.len()];
            let yearly = w.chance(0.8).then(|| w.sek(50_000, 2_000_000, 10_000));
            let measured = match phase {
                Phase::Evaluated => w.chance(0.8),
                Phase::Completed => w.chance(0.6),
                Phase::InProgress => w.chance(0.2),
                _ => false,
            };
            let id = new_id();
            let mut rows = Vec::new();
            if measured {
                let n = w.between(1, 2);
                let mut date = w
                    .date_between(ymd(year, 6, 1), ymd(year + 1, 3, 31))
                    .min(today());
                for _ in 0..n {
                    let progress = w.between(30, 110) as f64 / 100.0;
                    let value = ((baseline + (target - baseline) * progress) * 10.0).round() / 10.0;
                    let comment = w.chance(0.5).then(|| w.pick(FOLLOW_UP_COMMENTS).to_owned());
                    rows.push(FollowUpRow {
                        id: new_id(),
                        municipality_id: w.municipality.clone(),
                        organisation_id: w.activities[a].org_id.clone(),
                        benefit_id: id.clone(),
                        follow_up_date: date,
                        measured_value: value,
                        realised_value_sek: yearly
                            .map(|y| (y as f64 * progress.min(1.0)) as i64 / 1000 * 1000),
                        comment,
                        version: 1,
                        created_at: now,
                        modified_at: now,
                    });
                    date = date
                        .checked_add_days(Days::new(180))
                        .unwrap_or(date)
                        .min(today());
                }
            }
            let last = rows.last();
            let benefit = BenefitRow {
                id: id.clone(),
                municipality_id: w.municipality.clone(),
                organisation_id: w.activities[a].org_id.clone(),
                activity_id: w.activities[a].id.clone(),
                description: description.to_owned(),
                indicator: Some(indicator.to_owned()),
                unit: Some(unit.to_owned()),
                baseline: Some(baseline),
                target: Some(target),
                target_date: Some(ymd(year + 1, 12, 31)),
                yearly_value_sek: yearly,
                realised_value: last.map(|r| r.measured_value),
                realised_value_sek: last.and_then(|r| r.realised_value_sek),
                last_follow_up: last.map(|r| r.follow_up_date),
                external_id: Some(format!("NYT-{:04}", written + 1)),
                version: 1,
                created_at: now,
                modified_at: now,
            };
            diesel::insert_into(benefits::table)
                .values(&benefit)
                .execute(conn)?;
            written += 1;
            stage.tick();
            for row in &rows {
                diesel::insert_into(benefit_follow_ups::table)
                    .values(row)
                    .execute(conn)?;
                follow_ups.tick();
            }
        }
    }
    stage.finish();
    follow_ups.finish();
    Ok(())
}

fn risk(
    w: &mut World,
    texts: &[(&str, &str)],
    organisation_id: String,
    target: (Option<String>, Option<String>),
    owner: Option<String>,
    n: usize,
) -> RiskRow {
    let (description, mitigation) = w.pick(texts);
    let probability = w.between(1, 4) as i32;
    let consequence = w.between(1, 4) as i32;
    let status = w.weighted(&[
        ("open", 40),
        ("mitigating", 30),
        ("accepted", 15),
        ("closed", 15),
    ]);
    let identified = w.date_between(ymd(2024, 9, 1), today());
    let now = time::now();
    RiskRow {
        id: new_id(),
        municipality_id: w.municipality.clone(),
        organisation_id,
        object_id: target.0,
        activity_id: target.1,
        description: description.to_owned(),
        probability,
        consequence,
        score: probability * consequence,
        mitigation: w.chance(0.8).then(|| mitigation.to_owned()),
        owner_person_id: owner,
        status: status.to_owned(),
        identified_on: Some(identified),
        review_date: identified.checked_add_days(Days::new(365)),
        external_id: Some(format!("RSK-{n:04}")),
        version: 1,
        created_at: now,
        modified_at: now,
    }
}

/// Risks from the objects' yearly RSA (most objects) and from some ongoing activities.
pub fn risks(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("risks", 0, 0);
    let mut n = 0;
    for o in 0..w.objects.len() {
        if !w.chance(0.85) {
            continue;
        }
        for _ in 0..w.between(1, 4) {
            n += 1;
            let (org, id, committee) = (
                w.objects[o].org_id.clone(),
                w.objects[o].id.clone(),
                w.objects[o].spec.owner,
            );
            let owner = if w.chance(0.85) {
                w.staff_of(committee)
            } else {
                None
            };
            let row = risk(w, OBJECT_RISKS, org, (Some(id), None), owner, n);
            diesel::insert_into(risks::table)
                .values(&row)
                .execute(conn)?;
            stage.tick();
        }
    }
    for a in 0..w.activities.len() {
        let phase = w.activities[a].phase;
        if !matches!(phase, Phase::Planned | Phase::InProgress) || !w.chance(0.2) {
            continue;
        }
        for _ in 0..w.between(1, 2) {
            n += 1;
            let act = &w.activities[a];
            let (org, id, owner) = (act.org_id.clone(), act.id.clone(), act.responsible.clone());
            let row = risk(w, ACTIVITY_RISKS, org, (None, Some(id)), owner, n);
            diesel::insert_into(risks::table)
                .values(&row)
                .execute(conn)?;
            stage.tick();
        }
    }
    stage.finish();
    Ok(())
}
