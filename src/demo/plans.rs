//! The planning stages: målområden and the municipality's extra phase rule, förvaltningsplaner
//! for 2025–2027 with their budget lines, and the committees' digitala färdplaner with goals.

use super::names::COMMITTEES;
use super::texts::{BUDGET_COMMENTS, FOCUS_AREAS};
use super::world::{intranet, today, valid, ymd, OrFail, PlanRef, RoadmapRef, World};
use super::Stage;
use crate::db::DbConnection;
use crate::domain::activities::Phase;
use crate::domain::budget_lines::{self, BudgetCategory, BudgetLineNew, BudgetPeriod};
use crate::domain::decisions::DecisionBody;
use crate::domain::focus_areas::{self, FocusAreaNew};
use crate::domain::phase_rules::{self, PhaseRuleNew, Requirement};
use crate::domain::plans::{self, PlanNew};
use crate::domain::roadmap_goals::{self, GoalStatus, RoadmapGoalNew};
use crate::domain::roadmaps::{self, RoadmapNew};

pub const YEARS: [i32; 3] = [2025, 2026, 2027];

/// Eskilstuna's four målområden, and a behovsanalys required before an activity is planned.
pub fn focus_areas_and_rules(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("focus areas and rules", FOCUS_AREAS.len() + 1, 0);
    for (i, (name, description)) in FOCUS_AREAS.iter().enumerate() {
        let input = valid(
            FocusAreaNew {
                municipality_id: w.municipality.clone(),
                name: (*name).to_owned(),
                description: Some((*description).to_owned()),
                external_id: Some(format!("MO-{}", i + 1)),
            },
            name,
        )?;
        let area = focus_areas::create(conn, &w.principal, input).or_fail(name)?;
        w.focus_areas.push(area.id);
        stage.tick();
    }
    let rule = valid(
        PhaseRuleNew {
            municipality_id: w.municipality.clone(),
            phase: Phase::Planned,
            requirement: Requirement::NeedsAnalysis,
        },
        "phase rule",
    )?;
    phase_rules::create(conn, &w.principal, rule).or_fail("phase rule")?;
    stage.tick();
    stage.finish();
    Ok(())
}

/// A plan per object and year (a few missing), with budget lines; all drafts until adopted later.
pub fn plans(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("plans and budget lines", 0, 0);
    for i in 0..w.objects.len() {
        let (name, size, new_object) = {
            let o = &w.objects[i];
            (o.spec.name, o.spec.size, o.spec.name == "E-arkiv")
        };
        for year in YEARS {
            let skip = match year {
                2025 => new_object || w.chance(0.05),
                2027 => w.chance(0.07),
                _ => false,
            };
            if skip {
                continue;
            }
            let rsa_share = match year {
                2025 => 0.85,
                2026 => 0.8,
                _ => 0.6,
            };
            let rsa = if w.chance(rsa_share) {
                let until = ymd(year - 1, 12, 15).min(today());
                Some(w.date_between(ymd(year - 1, 9, 1), until))
            } else {
                None
            };
            let summary = w.chance(0.8).then(|| {
                format!(
                    "Förvaltningsplan {year} för {name}: stabil drift, {} och fortsatt utveckling enligt nämndens prioriteringar.",
                    if year == 2027 { "förberedelser inför nästa upphandling" } else { "uppgraderingar" }
                )
            });
            let input = valid(
                PlanNew {
                    object_id: w.objects[i].id.clone(),
                    year,
                    summary,
                    risk_analysis_date: rsa,
                    risk_analysis_summary: rsa.map(|_| {
                        format!("RSA genomförd för {name}; åtgärder förs in i förvaltningsplanen.")
                    }),
                    risk_analysis_url: rsa
                        .map(|_| intranet(&format!("rsa/{year}/obj-{:03}.pdf", i + 1))),
                    external_id: Some(format!("FP-{year}-{:03}", i + 1)),
                },
                "plan",
            )?;
            let plan = plans::create(conn, &w.principal, input).or_fail("plan")?;
            stage.tick();
            stage.add(budget(conn, w, &plan.id, year, size)?);
            w.plans.push(PlanRef {
                id: plan.id,
                object: i,
                year,
            });
        }
    }
    stage.finish();
    Ok(())
}

/// Budget lines of one plan; returns how many were written.
fn budget(
    conn: &mut DbConnection,
    w: &mut World,
    plan_id: &str,
    year: i32,
    size: i64,
) -> anyhow::Result<usize> {
    use BudgetCategory as C;
    let development_share = if year == 2027 { 0.7 } else { 0.5 };
    let categories = [
        (C::Maintenance, 1.0, 100_000, 600_000),
        (C::Licences, 0.85, 50_000, 800_000),
        (C::Operations, 0.7, 50_000, 300_000),
        (C::Staff, 0.6, 200_000, 500_000),
        (C::Development, development_share, 100_000, 1_000_000),
        (C::Other, 0.15, 20_000, 150_000),
    ];
    let mut written = 0;
    for (category, share, low, high) in categories {
        if !w.chance(share) {
            continue;
        }
        let scale = if category == C::Other { 1 } else { size };
        let planned = w
            .sek(low * scale, high * scale, 1000)
            .clamp(50_000, 5_000_000);
        // The largest objects plan development per quarter in the current year.
        let periods: &[BudgetPeriod] = if category == C::Development && size >= 5 && year == 2026 {
            &[
                BudgetPeriod::Q1,
                BudgetPeriod::Q2,
                BudgetPeriod::Q3,
                BudgetPeriod::Q4,
            ]
        } else {
            &[BudgetPeriod::Year]
        };
        for period in periods {
            let planned = (planned / periods.len() as i64 / 1000).max(50) * 1000;
            let forecast = (year <= 2026).then(|| planned * w.between(90, 115) / 100);
            let actual = (year == 2025).then(|| planned * w.between(85, 120) / 100);
            let comment = w.chance(0.3).then(|| w.pick(BUDGET_COMMENTS).to_owned());
            let input = valid(
                BudgetLineNew {
                    plan_id: plan_id.to_owned(),
                    category,
                    period: Some(*period),
                    planned,
                    forecast,
                    actual,
                    comment,
                },
                "budget line",
            )?;
            budget_lines::create(conn, &w.principal, input).or_fail("budget line")?;
            written += 1;
        }
    }
    Ok(written)
}

struct RoadmapSpec {
    owner: usize,
    name: &'static str,
    from: i32,
    to: i32,
    /// Adopted on (y, m, d), and closed afterwards.
    adopted: Option<(i32, u32, u32)>,
    closed: bool,
    goals: &'static [(&'static str, &'static str, &'static str, f64, f64, usize)],
}

#[rustfmt::skip]
const ROADMAPS: &[RoadmapSpec] = &[
    RoadmapSpec { owner: 1, name: "Socialnämndens handlingsplan för digitalisering 2022–2024", from: 2022, to: 2024, adopted: Some((2022, 3, 16)), closed: true,
        goals: &[("Ansökan om ekonomiskt bistånd kan göras digitalt", "Andel digitala ansökningar", "%", 0.0, 50.0, 2)] },
    RoadmapSpec { owner: 1, name: "Socialnämndens digitala färdplan 2025–2027", from: 2025, to: 2027, adopted: Some((2025, 2, 19)), closed: false,
        goals: &[("Fler ansökningar om ekonomiskt bistånd görs digitalt", "Andel digitala ansökningar", "%", 35.0, 80.0, 2),
                 ("Kortare utredningstid för barnavårdsutredningar", "Genomsnittlig utredningstid", "dagar", 110.0, 90.0, 0),
                 ("Handläggare frigör tid för klientarbete", "Frigjorda timmar per månad", "timmar", 0.0, 400.0, 3)] },
    RoadmapSpec { owner: 3, name: "Vård- och omsorgsnämndens digitala färdplan 2026–2028", from: 2026, to: 2028, adopted: Some((2026, 3, 18)), closed: false,
        goals: &[("Fler brukare har digital nattillsyn", "Brukare med digital tillsyn", "st", 40.0, 150.0, 0),
                 ("Minskad klimatpåverkan från hemtjänstens resor", "Körda mil per månad", "mil", 5200.0, 4000.0, 1),
                 ("All dokumentation sker mobilt", "Andel mobil dokumentation", "%", 20.0, 90.0, 3),
                 ("Trygghetslarmen är helt digitala", "Andel digitala larm", "%", 70.0, 100.0, 0)] },
    RoadmapSpec { owner: 2, name: "Barn- och utbildningsnämndens plan för digital transformation 2026–2028", from: 2026, to: 2028, adopted: None, closed: false,
        goals: &[("Alla elever har tillgång till en egen digital enhet", "Andel elever med egen enhet", "%", 60.0, 100.0, 0),
                 ("Vårdnadshavare sköter sina ärenden digitalt", "Andel digitala ärenden", "%", 45.0, 85.0, 2),
                 ("Digitala verktyg underlättar lärarnas arbete", "Andel positiva svar i lärarenkäten", "%", 52.0, 75.0, 3)] },
];

/// Roadmaps for three of the eight committees (as in Eskilstuna), with goals; most adopted.
pub fn roadmaps(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("roadmaps and goals", 0, 0);
    for spec in ROADMAPS {
        let committee = COMMITTEES[spec.owner].short;
        let input = valid(
            RoadmapNew {
                organisation_id: w.committees[spec.owner].id.clone(),
                name: spec.name.to_owned(),
                description: Some(format!(
                    "{}s prioriterade digitaliseringsinitiativ för {}–{}, kopplade till kommunens målområden.",
                    COMMITTEES[spec.owner].name, spec.from, spec.to
                )),
                from_year: spec.from,
                to_year: spec.to,
                external_id: Some(format!("DF-{committee}-{}", spec.from)),
            },
            spec.name,
        )?;
        let roadmap = roadmaps::create(conn, &w.principal, input).or_fail(spec.name)?;
        stage.tick();
        for (i, (description, indicator, unit, baseline, target, area)) in
            spec.goals.iter().enumerate()
        {
            let followed = spec.adopted.is_some();
            let status = if spec.closed {
                if i % 2 == 0 {
                    GoalStatus::Achieved
                } else {
                    GoalStatus::NotAchieved
                }
            } else if followed {
                w.weighted(&[
                    (GoalStatus::OnTrack, 5),
                    (GoalStatus::AtRisk, 3),
                    (GoalStatus::NotStarted, 1),
                ])
            } else {
                GoalStatus::NotStarted
            };
            let progress = w.between(10, 60) as f64 / 100.0;
            let input = valid(
                RoadmapGoalNew {
                    roadmap_id: roadmap.id.clone(),
                    focus_area_id: w.focus_areas.get(*area).cloned(),
                    description: (*description).to_owned(),
                    indicator: Some((*indicator).to_owned()),
                    unit: Some((*unit).to_owned()),
                    baseline: Some(*baseline),
                    target: Some(*target),
                    target_date: Some(ymd(spec.to, 12, 31)),
                    next_follow_up: (!spec.closed).then(|| ymd(2027, 4, 30)),
                    last_follow_up: followed.then(|| ymd(spec.to.min(2026), 8, 31)),
                    last_value: followed.then(|| {
                        ((baseline + (target - baseline) * progress) * 10.0).round() / 10.0
                    }),
                    status: Some(status),
                },
                "roadmap goal",
            )?;
            roadmap_goals::create(conn, &w.principal, input).or_fail("roadmap goal")?;
            stage.tick();
        }
        if let Some((y, m, d)) = spec.adopted {
            let adoption = valid(
                roadmaps::AdoptionNew {
                    decided_on: ymd(y, m, d),
                    body: DecisionBody::Committee,
                    diarienummer: Some(w.diarienummer(spec.owner, y)),
                    summary: format!(
                        "{} fastställer {}.",
                        COMMITTEES[spec.owner].name,
                        spec.name.to_lowercase()
                    ),
                },
                "roadmap adoption",
            )?;
            roadmaps::adopt(conn, &w.principal, &roadmap.id, None, adoption)
                .or_fail("roadmap adoption")?;
            if spec.closed {
                roadmaps::close(conn, &w.principal, &roadmap.id, None).or_fail("roadmap close")?;
            }
        }
        if !spec.closed {
            w.roadmaps.push(RoadmapRef {
                id: roadmap.id,
                owner: spec.owner,
                from_year: spec.from,
                to_year: spec.to,
                next_priority: 1,
            });
        }
    }
    stage.finish();
    Ok(())
}
