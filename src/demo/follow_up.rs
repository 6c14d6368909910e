//! Benefits (nyttor) with their follow-ups, and risks: the yearly risk- och sårbarhetsanalys of
//! each object and the risks of ongoing activities.

use chrono::Days;

use super::texts::{ACTIVITY_RISKS, BENEFITS, OBJECT_RISKS};
use super::world::{today, valid, ymd, OrFail, World};
use super::Stage;
use crate::db::DbConnection;
use crate::domain::activities::{ActivityKind, Phase};
use crate::domain::benefit_follow_ups::{self, BenefitFollowUpNew};
use crate::domain::benefits::{self, BenefitNew};
use crate::domain::risks::{self, RiskNew, RiskStatus};

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
            written += 1;
            let input = valid(
                BenefitNew {
                    activity_id: w.activities[a].id.clone(),
                    description: description.to_owned(),
                    indicator: Some(indicator.to_owned()),
                    unit: Some(unit.to_owned()),
                    baseline: Some(baseline),
                    target: Some(target),
                    target_date: Some(ymd(year + 1, 12, 31)),
                    yearly_value_sek: w.chance(0.8).then(|| w.sek(50_000, 2_000_000, 10_000)),
                    external_id: Some(format!("NYT-{written:04}")),
                },
                "benefit",
            )?;
            let benefit = benefits::create(conn, &w.principal, input).or_fail("benefit")?;
            stage.tick();
            let measured = match phase {
                Phase::Evaluated => w.chance(0.8),
                Phase::Completed => w.chance(0.6),
                Phase::InProgress => w.chance(0.2),
                _ => false,
            };
            if !measured {
                continue;
            }
            let mut date = w
                .date_between(ymd(year, 6, 1), ymd(year + 1, 3, 31))
                .min(today());
            for _ in 0..w.between(1, 2) {
                let progress = w.between(30, 110) as f64 / 100.0;
                let value = ((baseline + (target - baseline) * progress) * 10.0).round() / 10.0;
                let stated = benefit
                    .yearly_value_sek
                    .filter(|_| w.chance(0.3))
                    .map(|y| (y as f64 * progress.min(1.0)) as i64 / 1000 * 1000);
                let comment = w.chance(0.5).then(|| w.pick(FOLLOW_UP_COMMENTS).to_owned());
                let input = valid(
                    BenefitFollowUpNew {
                        benefit_id: benefit.id.clone(),
                        follow_up_date: date,
                        measured_value: value,
                        realised_value_sek: stated,
                        comment,
                    },
                    "benefit follow-up",
                )?;
                benefit_follow_ups::create(conn, &w.principal, input)
                    .or_fail("benefit follow-up")?;
                follow_ups.tick();
                date = date
                    .checked_add_days(Days::new(180))
                    .unwrap_or(date)
                    .min(today());
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
    (object_id, activity_id): (Option<String>, Option<String>),
    owner_person_id: Option<String>,
    n: usize,
) -> anyhow::Result<RiskNew> {
    let (description, mitigation) = w.pick(texts);
    let status = w.weighted(&[
        (RiskStatus::Open, 40),
        (RiskStatus::Mitigating, 30),
        (RiskStatus::Accepted, 15),
        (RiskStatus::Closed, 15),
    ]);
    let identified = w.date_between(ymd(2024, 9, 1), today());
    valid(
        RiskNew {
            object_id,
            activity_id,
            description: description.to_owned(),
            probability: w.between(1, 4) as i32,
            consequence: w.between(1, 4) as i32,
            mitigation: w.chance(0.8).then(|| mitigation.to_owned()),
            owner_person_id,
            status: Some(status),
            identified_on: Some(identified),
            review_date: identified.checked_add_days(Days::new(365)),
            external_id: Some(format!("RSK-{n:04}")),
        },
        "risk",
    )
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
            let (id, committee) = (w.objects[o].id.clone(), w.objects[o].spec.owner);
            let owner = if w.chance(0.85) {
                w.staff_of(committee)
            } else {
                None
            };
            let input = risk(w, OBJECT_RISKS, (Some(id), None), owner, n)?;
            risks::create(conn, &w.principal, input).or_fail("risk")?;
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
            let (id, owner) = (
                w.activities[a].id.clone(),
                w.activities[a].responsible.clone(),
            );
            let input = risk(w, ACTIVITY_RISKS, (None, Some(id)), owner, n)?;
            risks::create(conn, &w.principal, input).or_fail("risk")?;
            stage.tick();
        }
    }
    stage.finish();
    Ok(())
}
