//! The activities of one municipality, with their focus areas, documentation items, latest
//! phase transition (about 1.5 % forced past unmet phase rules), benefits with follow-ups and
//! risks, in chunks of [`CHUNK`] activities per transaction.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use rand::rngs::StdRng;
use rand::Rng;
use styra::db::DbConnection;
use styra::domain::activities::{ActivityKind, Phase};
use styra::domain::new_id;

use crate::seed::{
    bool_lit, date, day, flush, kind_for, lit, opt_date, opt_lit, opt_num, phase_for, pick,
    rng_for, sort, stamp, Municipality, Owner, Registry, Rows, FIRST_YEAR, LAST_YEAR,
};
use crate::words::{STEMS, VERBS};

/// Activities per transaction.
const CHUNK: usize = 2_000;

/// Documentation kinds in the order an activity usually produces them.
const DOC_KINDS: &[&str] = &[
    "needs_analysis",
    "stakeholder_involvement",
    "project_plan",
    "risk_analysis",
    "benefit_calculation",
    "decision_basis",
    "final_report",
];

const ACTIVITY_COLUMNS: &str = "id, municipality_id, organisation_id, roadmap_id, \
     roadmap_priority, kind, phase, title, title_sort, purpose_and_goals, year, start_date, \
     end_date, planned_budget, actual_budget, expected_benefit, complexity, municipality_wide, \
     phase_changed_at, external_id, version, created_at, modified_at";
const DOC_COLUMNS: &str = "id, municipality_id, organisation_id, activity_id, kind, status, \
     reason, document_date, url, version, created_at, modified_at";
const TRANSITION_COLUMNS: &str = "id, municipality_id, organisation_id, activity_id, from_phase, \
     to_phase, at, actor, override_reason, missing";
const BENEFIT_COLUMNS: &str = "id, municipality_id, organisation_id, activity_id, description, \
     indicator, unit, baseline, target, target_date, yearly_value_sek, realised_value, \
     realised_value_sek, last_follow_up, external_id, version, created_at, modified_at";
const FOLLOW_UP_COLUMNS: &str = "id, municipality_id, organisation_id, benefit_id, \
     follow_up_date, measured_value, realised_value_sek, comment, version, created_at, \
     modified_at";
const RISK_COLUMNS: &str = "id, municipality_id, organisation_id, activity_id, description, \
     probability, consequence, score, status, identified_on, external_id, version, created_at, \
     modified_at";

/// The tables one chunk fills, parents first.
struct Chunk {
    activities: Rows,
    focus: Rows,
    docs: Rows,
    transitions: Rows,
    benefits: Rows,
    follow_ups: Rows,
    risks: Rows,
}

impl Chunk {
    fn new() -> Chunk {
        Chunk {
            activities: Rows::new("activities", ACTIVITY_COLUMNS),
            focus: Rows::new("activity_focus_areas", "activity_id, focus_area_id"),
            docs: Rows::new("documentation_items", DOC_COLUMNS),
            transitions: Rows::new("phase_transitions", TRANSITION_COLUMNS),
            benefits: Rows::new("benefits", BENEFIT_COLUMNS),
            follow_ups: Rows::new("benefit_follow_ups", FOLLOW_UP_COLUMNS),
            risks: Rows::new("risks", RISK_COLUMNS),
        }
    }

    fn flush(
        &mut self,
        conn: &mut DbConnection,
        counts: &mut BTreeMap<&'static str, usize>,
    ) -> anyhow::Result<()> {
        flush(
            conn,
            &mut [
                &mut self.activities,
                &mut self.focus,
                &mut self.docs,
                &mut self.transitions,
                &mut self.benefits,
                &mut self.follow_ups,
                &mut self.risks,
            ],
            counts,
        )
    }
}

/// What one activity is, as its children need it.
struct Activity<'a> {
    id: String,
    mid: &'a str,
    org: String,
    phase: Phase,
    kind: ActivityKind,
    year: i32,
    /// When it entered its phase (and its timestamps' basis).
    changed: NaiveDateTime,
    meta: String,
}

/// Seeds `n` activities of municipality `number`. `interleave` and `offset` spread their
/// timestamps so that the municipalities' activities alternate in time (activity `k` of
/// municipality `number` is `(k × interleave + offset)` minutes old).
#[allow(clippy::too_many_arguments)]
pub fn seed_activities(
    conn: &mut DbConnection,
    number: usize,
    m: &Municipality,
    reg: &Registry,
    n: usize,
    (interleave, offset): (usize, usize),
    now: NaiveDateTime,
    current: i32,
    counts: &mut BTreeMap<&'static str, usize>,
) -> anyhow::Result<()> {
    let mut rng = rng_for(number, 2);
    let mid = lit(&m.id);
    let mut chunk = Chunk::new();
    for k in 0..n {
        let owner = Owner::for_activity(&mut rng);
        let org = lit(m.owner_id(owner));
        let year = rng.random_range(FIRST_YEAR..=LAST_YEAR);
        let phase = phase_for(&mut rng, year, current);
        let kind = kind_for(&mut rng);
        let age = chrono::Duration::minutes((k * interleave + offset) as i64);
        let modified = now - age;
        // The day it entered its phase: in its year, never after today.
        let changed = day(year, rng.random_range(0..365))
            .and_hms_opt(9, 0, 0)
            .unwrap_or_default()
            .min(now - chrono::Duration::hours(1));
        let id = new_id();
        let title = format!(
            "{} {} {}",
            pick(&mut rng, VERBS),
            pick(&mut rng, STEMS),
            rng.random_range(1..100_000)
        );
        let purpose = match rng.random_range(0..100) {
            0..7 => None,
            7..10 => Some("  ".to_owned()),
            _ => Some(format!("Syfte och mål för aktivitet {k}.")),
        };
        let dated = rng.random_bool(0.85);
        let start = dated.then(|| day(year, rng.random_range(0..200)));
        let end = (dated || rng.random_bool(0.3)).then(|| day(year, rng.random_range(200..365)));
        let planned = rng
            .random_bool(0.88)
            .then(|| rng.random_range(1..200) * 10_000);
        let finished = matches!(phase, Phase::Completed | Phase::Evaluated);
        let actual = planned
            .filter(|_| finished && rng.random_bool(0.8))
            .map(|p: i64| p + rng.random_range(-p / 4..=p / 3));
        // A third is on a roadmap: the committee's for the period, else the municipality's.
        let period = usize::from(year >= FIRST_YEAR + 4);
        let roadmap = rng.random_bool(0.3).then(|| {
            m.committee_of(owner)
                .and_then(|c| reg.committee_roadmaps[c][period].clone())
                .unwrap_or_else(|| reg.municipality_roadmaps[period].clone())
        });
        let priority = roadmap
            .as_ref()
            .and_then(|_| rng.random_bool(0.6).then(|| rng.random_range(1..=20)));
        chunk.activities.push(format!(
            "{id_l}, {mid}, {org}, {roadmap}, {priority}, '{kind}', '{phase}', {title_l}, \
             {title_sort}, {purpose}, {year}, {start}, {end}, {planned}, {actual}, {benefit}, \
             {complexity}, {wide}, {changed}, {external}, 1, {created}, {modified}",
            id_l = lit(&id),
            roadmap = opt_lit(roadmap.as_deref()),
            priority = opt_num(priority),
            kind = kind.as_str(),
            phase = phase.as_str(),
            title_l = lit(&title),
            title_sort = lit(&sort(&title)),
            purpose = opt_lit(purpose.as_deref()),
            start = opt_date(start),
            end = opt_date(end),
            planned = opt_num(planned),
            actual = opt_num(actual),
            benefit = rng.random_range(1..=5),
            complexity = rng.random_range(1..=5),
            wide = bool_lit(k % 97 == 0),
            changed = stamp(changed),
            external = lit(&format!("AKT-{number:02}-{k:07}")),
            created = stamp(modified - chrono::Duration::days(30)),
            modified = stamp(modified),
        ));
        let a = Activity {
            id,
            mid: &mid,
            org,
            phase,
            kind,
            year,
            changed,
            meta: format!("1, {}, {}", stamp(modified), stamp(modified)),
        };
        // Focus areas: most activities one, some two, a fifth none.
        let areas = match rng.random_range(0..100) {
            0..20 => 0,
            20..85 => 1,
            _ => 2,
        };
        let first = rng.random_range(0..reg.focus_areas.len());
        for i in 0..areas {
            let area = &reg.focus_areas[(first + i) % reg.focus_areas.len()];
            chunk.focus.push(format!("{}, {}", lit(&a.id), lit(area)));
        }
        documentation(&mut rng, &a, &mut chunk.docs);
        transition(&mut rng, &a, &mut chunk.transitions);
        benefits(&mut rng, &a, k, &mut chunk);
        if rng.random_bool(0.06) {
            let (p, c) = (rng.random_range(1..=4), rng.random_range(1..=4));
            let status = *pick(&mut rng, &["open", "mitigating", "accepted", "closed"]);
            chunk.risks.push(format!(
                "{}, {}, {}, {}, 'Risk för förseningar', {p}, {c}, {}, '{status}', {}, NULL, {}",
                lit(&new_id()),
                a.mid,
                a.org,
                lit(&a.id),
                p * c,
                date(day(a.year, 30)),
                a.meta,
            ));
        }
        if (k + 1) % CHUNK == 0 {
            chunk.flush(conn, counts)?;
        }
    }
    chunk.flush(conn, counts)
}

/// Items for the first few documentation kinds: more the further the activity has come.
fn documentation(rng: &mut StdRng, a: &Activity, docs: &mut Rows) {
    let (low, high) = match a.phase {
        Phase::Idea => (0, 1),
        Phase::NeedsAnalysis => (1, 2),
        Phase::Planned => (2, 4),
        Phase::InProgress => (3, 5),
        Phase::Completed => (4, 7),
        Phase::Evaluated => (5, 7),
        Phase::Cancelled => (1, 3),
    };
    for kind in &DOC_KINDS[..rng.random_range(low..=high)] {
        let (status, reason) = match rng.random_range(0..100) {
            0..60 => ("done", None),
            60..72 => ("draft", None),
            72..82 => ("missing", None),
            _ => ("not_applicable", Some("Ej relevant för denna aktivitet")),
        };
        let document_date: Option<NaiveDate> = (status == "done").then(|| a.changed.date());
        docs.push(format!(
            "{}, {}, {}, {}, '{kind}', '{status}', {}, {}, {}, {}",
            lit(&new_id()),
            a.mid,
            a.org,
            lit(&a.id),
            opt_lit(reason),
            opt_date(document_date),
            if status == "done" {
                "'https://dokument.example.se/d'"
            } else {
                "NULL"
            },
            a.meta,
        ));
    }
}

/// The latest phase change (none for ideas); about 1.5 % were forced past unmet rules.
fn transition(rng: &mut StdRng, a: &Activity, transitions: &mut Rows) {
    let Some(rank) = a.phase.rank().or(Some(2)).filter(|r| *r > 0) else {
        return;
    };
    let from = Phase::ALL[rank - 1].as_str();
    let overridden = rng.random_bool(0.015);
    transitions.push(format!(
        "{}, {}, {}, {}, '{from}', '{}', {}, 'bench', {}, {}",
        lit(&new_id()),
        a.mid,
        a.org,
        lit(&a.id),
        a.phase.as_str(),
        stamp(a.changed),
        if overridden {
            "'Brådskande beslut i nämnden'"
        } else {
            "NULL"
        },
        if overridden {
            "'[\"documentation_items.benefit_calculation\"]'"
        } else {
            "NULL"
        },
    ));
}

/// Benefits on about a third of the development work, followed up on about half of the
/// finished ones.
fn benefits(rng: &mut StdRng, a: &Activity, k: usize, chunk: &mut Chunk) {
    let developing = matches!(
        a.kind,
        ActivityKind::Development | ActivityKind::Project | ActivityKind::Initiative
    );
    if !developing || !rng.random_bool(0.35) {
        return;
    }
    let finished = matches!(a.phase, Phase::Completed | Phase::Evaluated);
    for b in 0..rng.random_range(1..=2) {
        let id = new_id();
        let yearly: i64 = rng.random_range(5..100) * 10_000;
        let measured = rng.random_bool(0.7);
        let (baseline, target) = if measured {
            (Some(10.0), Some(30.0))
        } else {
            (None, None)
        };
        let follow_ups = if finished && rng.random_bool(0.55) {
            rng.random_range(1..=2)
        } else if a.phase == Phase::InProgress && rng.random_bool(0.15) {
            1
        } else {
            0
        };
        let mut last: Option<(NaiveDate, f64, i64)> = None;
        for f in 0..follow_ups {
            let when = day(a.year, 300).min(a.changed.date()) + chrono::Days::new(90 * f);
            let value = 10.0 + rng.random_range(0.0..25.0);
            let sek = yearly * rng.random_range(20..110) / 100;
            chunk.follow_ups.push(format!(
                "{}, {}, {}, {}, {}, {value:.1}, {sek}, NULL, {}",
                lit(&new_id()),
                a.mid,
                a.org,
                lit(&id),
                date(when),
                a.meta,
            ));
            last = Some((when, value, sek));
        }
        chunk.benefits.push(format!(
            "{}, {}, {}, {}, 'Minskad handläggningstid', {}, {}, {}, {}, {}, {yearly}, {}, {}, {}, {}, {}",
            lit(&id),
            a.mid,
            a.org,
            lit(&a.id),
            if measured { "'Handläggningstid'" } else { "NULL" },
            if measured { "'dagar'" } else { "NULL" },
            opt_num(baseline),
            opt_num(target),
            opt_date(Some(day(a.year + 1, 180))),
            opt_num(last.map(|l| l.1).filter(|_| measured)),
            opt_num(last.map(|l| l.2)),
            opt_date(last.map(|l| l.0)),
            lit(&format!("NYTTA-{k}-{b}")),
            a.meta,
        ));
    }
}
