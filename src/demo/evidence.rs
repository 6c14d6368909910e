//! Which documentation items an activity has, as Lund's auditors found them: the evidence a phase
//! rule requires is there (or marked not applicable) for activities that passed the rule, while
//! the rest is often a draft, registered as missing, or absent — and overridden activities lack
//! some of what was required.

use chrono::NaiveDate;

use super::names::DOMAIN;
use super::texts::NOT_APPLICABLE;
use super::world::{short_name, today, valid, ymd, OrFail, World};
use crate::db::DbConnection;
use crate::domain::activities::ActivityKind;
use crate::domain::documentation_items::{
    self, DocumentationItemNew, DocumentationKind as K, DocumentationStatus as S,
};

/// How carefully the people behind an activity document their work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Diligence {
    Good,
    Partial,
    Poor,
}

/// What an activity is, as far as its evidence is concerned.
pub struct Profile {
    pub kind: ActivityKind,
    pub owner: usize,
    pub year: i32,
    /// Rank of the furthest phase it reaches (idea = 0 … evaluated = 5).
    pub reached: usize,
    pub diligence: Diligence,
    /// The required evidence is in place before each transition (no override needed).
    pub complete: bool,
}

/// Whether a phase rule (the defaults plus Norrå's behovsanalys before planned) requires `kind`
/// for an activity that reaches phase rank `reached`.
fn required(kind: K, reached: usize) -> bool {
    match kind {
        K::NeedsAnalysis => reached >= 2,
        K::BenefitCalculation | K::RiskAnalysis => reached >= 3,
        K::FinalReport => reached >= 5,
        _ => false,
    }
}

/// Whether anyone would have started on `kind` by phase rank `reached`.
fn relevant(kind: K, activity: ActivityKind, reached: usize) -> bool {
    match kind {
        K::NeedsAnalysis | K::StakeholderInvolvement => reached >= 1,
        K::ProjectPlan => {
            reached >= 2
                && matches!(
                    activity,
                    ActivityKind::Project | ActivityKind::Development | ActivityKind::Initiative
                )
        }
        K::BenefitCalculation | K::RiskAnalysis | K::DecisionBasis => reached >= 2,
        K::FinalReport => reached >= 4,
    }
}

/// How often careful staff finish an item nobody requires yet.
fn usually_done(kind: K) -> f64 {
    match kind {
        K::NeedsAnalysis => 0.6,
        K::StakeholderInvolvement => 0.5,
        K::ProjectPlan => 0.8,
        K::BenefitCalculation | K::RiskAnalysis => 0.35,
        K::DecisionBasis => 0.7,
        K::FinalReport => 0.25,
    }
}

/// A required item of a maintenance activity that is marked not applicable, with the reason.
fn not_applicable(w: &mut World, p: &Profile, kind: K) -> Option<&'static str> {
    if p.kind != ActivityKind::Maintenance {
        return None;
    }
    match kind {
        K::NeedsAnalysis if w.chance(0.6) => Some(NOT_APPLICABLE[1]),
        K::BenefitCalculation if w.chance(0.7) => Some(NOT_APPLICABLE[0]),
        K::RiskAnalysis if w.chance(0.3) => Some(NOT_APPLICABLE[2]),
        _ => None,
    }
}

/// The status of one item (None: no item at all).
fn status(w: &mut World, p: &Profile, kind: K) -> Option<(S, Option<&'static str>)> {
    if required(kind, p.reached) {
        if p.complete {
            return Some(match not_applicable(w, p, kind) {
                Some(reason) => (S::NotApplicable, Some(reason)),
                None => (S::Done, None),
            });
        }
        // Overridden: the benefit calculation is never finished; the rest as diligence allows.
        if kind == K::BenefitCalculation {
            return match p.diligence {
                Diligence::Poor if w.chance(0.6) => None,
                _ if w.chance(0.5) => Some((S::Draft, None)),
                _ => Some((S::Missing, None)),
            };
        }
    } else if !relevant(kind, p.kind, p.reached) {
        return None;
    }
    let (done, draft, missing) = match p.diligence {
        Diligence::Good => (usually_done(kind), 0.3, 0.05),
        Diligence::Partial => (usually_done(kind) * 0.4, 0.3, 0.2),
        Diligence::Poor => (0.05, 0.05, 0.25),
    };
    let x: f64 = rand::Rng::random(&mut w.rng);
    if x < done {
        Some((S::Done, None))
    } else if x < done + draft {
        Some((S::Draft, None))
    } else if x < done + draft + missing {
        Some((S::Missing, None))
    } else {
        None
    }
}

/// Writes the activity's documentation items; returns how many.
pub fn write(
    conn: &mut DbConnection,
    w: &mut World,
    activity_id: &str,
    p: &Profile,
) -> anyhow::Result<usize> {
    let mut written = 0;
    for kind in K::ALL {
        let Some((status, reason)) = self::status(w, p, *kind) else {
            continue;
        };
        let (document_date, url) = if status == S::Done {
            let until = ymd(p.year, 10, 31).min(today());
            let date = w.date_between(ymd(p.year - 1, 9, 1), until);
            let url = w.chance(0.7).then(|| diarium_url(w, p.owner, date));
            (Some(date), url)
        } else {
            (None, None)
        };
        let input = valid(
            DocumentationItemNew {
                activity_id: activity_id.to_owned(),
                kind: *kind,
                status: Some(status),
                reason: reason.map(str::to_owned),
                document_date,
                url,
            },
            "documentation item",
        )?;
        documentation_items::create(conn, &w.principal, input).or_fail("documentation item")?;
        written += 1;
    }
    Ok(written)
}

fn diarium_url(w: &mut World, owner: usize, date: NaiveDate) -> String {
    let n = w.between(100, 2400);
    format!(
        "https://intranat.{DOMAIN}/diarium/{}-{}-{n:04}",
        short_name(owner).to_lowercase(),
        chrono::Datelike::year(&date)
    )
}
