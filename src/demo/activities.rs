//! The activity stage: 500 activities — most in the object plans, the rest committee initiatives —
//! spread over every phase. Each is created in `idea`, given its documentation items, and moved
//! (via `planned`) to its phase with `activity_phases::transition`; about one in ten that starts
//! work does so on an admin's override, and a few old ones were registered after the fact.

use std::collections::HashSet;

use chrono::Days;
use rand::seq::SliceRandom;

use super::evidence::{self, Diligence, Profile};
use super::names::COMMITTEES;
use super::texts::{fill, AFTER_THE_FACT, INITIATIVES, OVERRIDE_REASONS, PURPOSES, RECURRING};
use super::world::{valid, ymd, ActivityRef, OrFail, World};
use super::Stage;
use crate::db::DbConnection;
use crate::domain::activities::{ActivityKind, ActivityNew, CoFunding, Phase};
use crate::domain::{activities, activity_phases};
use crate::error::ApiError;

/// Activities in all.
pub const TOTAL: usize = 500;
/// Of which in object plans.
const IN_PLANS: usize = 430;

/// An activity to write.
struct Slot {
    plan: Option<usize>,
    owner: usize,
    org_id: String,
    year: i32,
    title: String,
    kind: ActivityKind,
}

pub fn activities(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let slots = slots(w);
    let mut stage = Stage::new("activities", slots.len(), 100);
    let mut docs = Stage::new("documentation items", 0, 0);
    for (n, slot) in slots.into_iter().enumerate() {
        docs.add(write(conn, w, slot, n + 1)?);
        stage.tick();
    }
    stage.finish();
    docs.finish();
    Ok(())
}

/// Spreads the activities over the plans (by object size) and the committees' initiatives.
fn slots(w: &mut World) -> Vec<Slot> {
    let mut counts: Vec<usize> = Vec::with_capacity(w.plans.len());
    for p in 0..w.plans.len() {
        let size = w.objects[w.plans[p].object].spec.size;
        counts.push((size + w.between(0, 2)).max(1) as usize);
    }
    while !counts.is_empty() && counts.iter().sum::<usize>() != IN_PLANS {
        let i = w.between(0, counts.len() as i64 - 1) as usize;
        if counts.iter().sum::<usize>() > IN_PLANS {
            counts[i] = counts[i].saturating_sub(1).max(1);
        } else {
            counts[i] += 1;
        }
    }
    let mut slots = Vec::with_capacity(TOTAL);
    for (p, count) in counts.into_iter().enumerate() {
        let (object, year) = (w.plans[p].object, w.plans[p].year);
        let spec = w.objects[object].spec;
        let org_id = w.objects[object].org_id.clone();
        let mut titles: Vec<(ActivityKind, String)> = Vec::new();
        let mut seen = HashSet::new();
        for (j, project) in spec.projects.iter().enumerate() {
            if 2025 + (j % 3) as i32 == year {
                let kind = w.weighted(&[
                    (ActivityKind::Project, 5),
                    (ActivityKind::Development, 3),
                    (ActivityKind::Change, 2),
                ]);
                seen.insert(project.to_string());
                titles.push((kind, project.to_string()));
            }
        }
        let mut templates: Vec<usize> = (0..RECURRING.len()).collect();
        templates.shuffle(&mut w.rng);
        for t in templates {
            let (kind, template) = RECURRING[t];
            let count = w.objects[object].systems.len() as i64;
            let pick = w.between(0, count - 1) as usize;
            let system = w.objects[object].systems[pick].1;
            let title = fill(template, system, spec.name, year);
            if seen.insert(title.clone()) {
                titles.push((kind, title));
            }
        }
        for (kind, title) in titles.into_iter().take(count) {
            slots.push(Slot {
                plan: Some(p),
                owner: spec.owner,
                org_id: org_id.clone(),
                year,
                title,
                kind,
            });
        }
    }
    let mut first_years = vec![2025; INITIATIVES.len()];
    let mut i = 0;
    while slots.len() < TOTAL {
        let (owner, title) = INITIATIVES[i % INITIATIVES.len()];
        let round = i / INITIATIVES.len();
        let year = if round == 0 {
            let y = w.weighted(&[(2025, 3), (2026, 4), (2027, 3)]);
            first_years[i % INITIATIVES.len()] = y;
            y
        } else {
            first_years[i % INITIATIVES.len()] + round as i32
        };
        let org_id = if w.chance(0.6) {
            w.committees[owner].id.clone()
        } else {
            w.committees[owner].admin.clone()
        };
        let title = match round {
            0 => title.to_owned(),
            r => format!("{title} – etapp {}", r + 1),
        };
        slots.push(Slot {
            plan: None,
            owner,
            org_id,
            year,
            title,
            kind: ActivityKind::Initiative,
        });
        i += 1;
    }
    slots
}

/// The phase an activity of `year` has come to by the end of November 2026.
fn target_phase(w: &mut World, year: i32, initiative: bool) -> Phase {
    use Phase::*;
    match (year, initiative) {
        (2025, false) => w.weighted(&[
            (Evaluated, 20),
            (Completed, 45),
            (Cancelled, 10),
            (InProgress, 15),
            (Planned, 5),
            (NeedsAnalysis, 3),
            (Idea, 2),
        ]),
        (2025, true) => w.weighted(&[
            (Evaluated, 10),
            (Completed, 30),
            (Cancelled, 20),
            (InProgress, 20),
            (Planned, 10),
            (Idea, 10),
        ]),
        (2026, false) => w.weighted(&[
            (Evaluated, 3),
            (Completed, 20),
            (InProgress, 35),
            (Planned, 20),
            (NeedsAnalysis, 10),
            (Idea, 7),
            (Cancelled, 5),
        ]),
        (2026, true) => w.weighted(&[
            (Completed, 10),
            (InProgress, 25),
            (Planned, 20),
            (NeedsAnalysis, 20),
            (Idea, 20),
            (Cancelled, 5),
        ]),
        (_, false) => w.weighted(&[
            (InProgress, 5),
            (Planned, 25),
            (NeedsAnalysis, 30),
            (Idea, 40),
        ]),
        (_, true) => w.weighted(&[(Planned, 20), (NeedsAnalysis, 30), (Idea, 50)]),
    }
}

fn budget_for(w: &mut World, kind: ActivityKind, size: i64) -> i64 {
    let (low, high) = match kind {
        ActivityKind::Maintenance => (50_000, 400_000),
        ActivityKind::Change => (100_000, 800_000),
        ActivityKind::Development => (200_000, 1_500_000),
        ActivityKind::Project => (300_000, (1_000_000 * size).min(5_000_000)),
        ActivityKind::Initiative => (100_000, 2_000_000),
    };
    w.sek(low, high, 5000)
}

/// Writes one activity with its evidence and phase history; returns the documentation items
/// written.
fn write(conn: &mut DbConnection, w: &mut World, slot: Slot, n: usize) -> anyhow::Result<usize> {
    let initiative = slot.plan.is_none();
    let target = target_phase(w, slot.year, initiative);
    let reached_phase = if target == Phase::Cancelled {
        w.weighted(&[
            (Phase::Idea, 30),
            (Phase::NeedsAnalysis, 30),
            (Phase::Planned, 25),
            (Phase::InProgress, 15),
        ])
    } else {
        target
    };
    let reached = reached_phase.rank().unwrap_or(0);
    let diligence = w.weighted(&[
        (Diligence::Good, 62),
        (Diligence::Partial, 28),
        (Diligence::Poor, 10),
    ]);
    let after_the_fact =
        slot.year == 2025 && reached >= 4 && target != Phase::Cancelled && w.chance(0.08);
    let overridden = !after_the_fact && reached >= 3 && w.chance(0.10);
    let complete = !after_the_fact && !overridden;
    let careful = match diligence {
        Diligence::Good => 0.95,
        Diligence::Partial => 0.75,
        Diligence::Poor => 0.45,
    };
    let must = complete && reached >= 3;
    let size = slot
        .plan
        .map(|p| w.objects[w.plans[p].object].spec.size)
        .unwrap_or(3);
    let purpose = (must || w.chance(careful)).then(|| {
        let (why, goal) = w.pick(PURPOSES);
        format!("Syfte: {why}. Mål: {goal}.")
    });
    let planned_budget = (must || w.chance(careful)).then(|| budget_for(w, slot.kind, size));
    let actual_budget = planned_budget.and_then(|b| match reached {
        4.. => Some(b * w.between(80, 130) / 100 / 1000 * 1000),
        3 => Some(b * w.between(20, 70) / 100 / 1000 * 1000),
        _ => None,
    });
    let dated = w.chance(if reached >= 2 { careful } else { 0.3 });
    let start = w.date_between(ymd(slot.year, 1, 8), ymd(slot.year, 9, 30));
    let end = start
        .checked_add_days(Days::new(w.between(45, 300) as u64))
        .unwrap_or(start);
    let responsible = if w.chance(0.9) {
        w.staff_of(slot.owner)
    } else {
        None
    };
    let rated = w.chance(if initiative { 0.9 } else { 0.75 });
    let mut focus: Vec<String> = Vec::new();
    if w.chance(0.7) {
        let areas = w.focus_areas.len() as i64;
        let first = w.between(0, areas - 1) as usize;
        focus.push(w.focus_areas[first].clone());
        let second = w.between(0, areas - 1) as usize;
        if w.chance(0.25) && second != first {
            focus.push(w.focus_areas[second].clone());
        }
    }
    let co_funding = match planned_budget {
        Some(b) if b >= 200_000 && w.chance(0.07) => {
            let other = (slot.owner + 1 + w.between(0, COMMITTEES.len() as i64 - 2) as usize)
                % COMMITTEES.len();
            let other_org = w.committees[other].admin.clone();
            let own = b * w.between(50, 80) / 100 / 1000 * 1000;
            if other_org == slot.org_id {
                Vec::new()
            } else {
                vec![
                    CoFunding {
                        organisation_id: slot.org_id.clone(),
                        amount: own,
                    },
                    CoFunding {
                        organisation_id: other_org,
                        amount: b - own,
                    },
                ]
            }
        }
        _ => Vec::new(),
    };
    let on_roadmap_chance = if initiative { 0.75 } else { 0.3 };
    let roadmap = w
        .roadmaps
        .iter()
        .position(|r| r.owner == slot.owner && (r.from_year..=r.to_year).contains(&slot.year));
    let roadmap = match roadmap {
        Some(r) if w.chance(on_roadmap_chance) => {
            let priority = w.roadmaps[r].next_priority;
            w.roadmaps[r].next_priority += 1;
            Some((w.roadmaps[r].id.clone(), priority))
        }
        _ => None,
    };
    let input = valid(
        ActivityNew {
            plan_id: slot.plan.map(|p| w.plans[p].id.clone()),
            organisation_id: initiative.then(|| slot.org_id.clone()),
            roadmap_id: roadmap.as_ref().map(|(id, _)| id.clone()),
            roadmap_priority: roadmap.as_ref().map(|(_, p)| *p),
            kind: slot.kind,
            phase: after_the_fact.then_some(target),
            override_reason: after_the_fact.then(|| AFTER_THE_FACT.to_owned()),
            title: slot.title.clone(),
            purpose_and_goals: purpose,
            year: initiative.then_some(slot.year),
            start_date: dated.then_some(start),
            end_date: dated.then_some(end),
            planned_budget,
            actual_budget,
            responsible_person_id: responsible.clone(),
            expected_benefit: rated.then(|| w.between(1, 5) as i32),
            complexity: rated.then(|| w.between(1, 5) as i32),
            focus_area_ids: focus,
            co_funding,
            external_id: Some(format!("AKT-{}-{n:04}", slot.year)),
        },
        &slot.title,
    )?;
    let activity = activities::create(conn, &w.principal, input).or_fail(&slot.title)?;
    let mut docs = 0;
    if !after_the_fact {
        let profile = Profile {
            kind: slot.kind,
            owner: slot.owner,
            year: slot.year,
            reached,
            diligence,
            complete,
        };
        docs = evidence::write(conn, w, &activity.row.id, &profile)?;
        // Through `planned` (where the behovsanalys rule bites) straight to where it is now:
        // every step checks the rules of all phases up to its target.
        let mut path: Vec<Phase> = [Phase::Planned, reached_phase]
            .into_iter()
            .filter(|p| p.rank().is_some_and(|r| r >= 1 && r <= reached))
            .collect();
        path.dedup();
        if target == Phase::Cancelled {
            path.push(Phase::Cancelled);
        }
        for to in path {
            step(conn, w, &activity.row.id, to, complete)?;
        }
    }
    w.activities.push(ActivityRef {
        id: activity.row.id,
        owner: slot.owner,
        kind: slot.kind,
        phase: target,
        year: slot.year,
        responsible,
        initiative,
        on_roadmap: roadmap.is_some(),
        title: slot.title,
    });
    Ok(docs)
}

/// Moves an activity one phase on; where the rules are unmet an admin overrides with a reason
/// (which must only happen to activities meant to lack their evidence).
fn step(
    conn: &mut DbConnection,
    w: &mut World,
    id: &str,
    to: Phase,
    complete: bool,
) -> anyhow::Result<()> {
    match activity_phases::transition(conn, &w.principal, id, None, to, None) {
        Ok(_) => Ok(()),
        Err(ApiError::Validation(_)) if !complete => {
            let reason = w.pick(OVERRIDE_REASONS).to_owned();
            activity_phases::transition(conn, &w.principal, id, None, to, Some(reason))
                .or_fail("phase override")?;
            Ok(())
        }
        Err(e) => Err(anyhow::anyhow!("moving activity {id} to {to}: {e:?}")),
    }
}
