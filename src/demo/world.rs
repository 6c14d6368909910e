//! The generator's state: the seeded random source, the acting principal, and the ids written so
//! far that later stages refer to; plus small helpers (dates, picks, diarienummer, error context).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use validator::Validate;

use super::catalogue::ObjectSpec;
use super::names;
use crate::auth::{Principal, Role};
use crate::domain::activities::{ActivityKind, Phase};
use crate::error::ApiError;

/// The day the demo data describes ("today" in the fictional municipality).
pub fn today() -> NaiveDate {
    ymd(2026, 11, 23)
}

/// A date; an impossible one falls back to the first of the month (never panics).
pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d)
        .or_else(|| NaiveDate::from_ymd_opt(y, m, 1))
        .unwrap_or(NaiveDate::MIN)
}

/// A committee with its administration and units.
pub struct Committee {
    pub id: String,
    pub admin: String,
    pub units: Vec<String>,
}

/// A person on the staff.
pub struct Staff {
    pub id: String,
    /// Committee index, or [`super::catalogue::COMPANY_OWNER`].
    pub owner: usize,
    pub title: &'static str,
    pub it: bool,
}

/// A written förvaltningsobjekt.
pub struct ObjectRef {
    pub id: String,
    pub spec: &'static ObjectSpec,
    /// The owning organisation (an administration, or the company).
    pub org_id: String,
    pub systems: Vec<(String, &'static str)>,
}

/// A written plan.
pub struct PlanRef {
    pub id: String,
    pub object: usize,
    pub year: i32,
}

/// A written roadmap that activities can be linked to.
pub struct RoadmapRef {
    pub id: String,
    pub owner: usize,
    pub from_year: i32,
    pub to_year: i32,
    pub next_priority: i32,
}

/// A written activity, as later stages need it.
pub struct ActivityRef {
    pub id: String,
    pub owner: usize,
    pub kind: ActivityKind,
    pub phase: Phase,
    pub year: i32,
    pub responsible: Option<String>,
    pub initiative: bool,
    pub on_roadmap: bool,
    pub title: String,
}

pub struct World {
    pub rng: StdRng,
    pub principal: Principal,
    pub municipality: String,
    pub committees: Vec<Committee>,
    pub company: String,
    pub people: Vec<Staff>,
    pub objects: Vec<ObjectRef>,
    pub focus_areas: Vec<String>,
    pub plans: Vec<PlanRef>,
    pub roadmaps: Vec<RoadmapRef>,
    pub activities: Vec<ActivityRef>,
    diarie: BTreeMap<(usize, i32), u32>,
}

impl World {
    pub fn new(seed: u64) -> World {
        World {
            rng: StdRng::seed_from_u64(seed),
            principal: Principal {
                subject: "seed-demo".into(),
                role: Role::Admin,
                orgs: None,
                read_only: false,
            },
            municipality: String::new(),
            committees: Vec::new(),
            company: String::new(),
            people: Vec::new(),
            objects: Vec::new(),
            focus_areas: Vec::new(),
            plans: Vec::new(),
            roadmaps: Vec::new(),
            activities: Vec::new(),
            diarie: BTreeMap::new(),
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    /// A uniformly chosen item of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    /// An item chosen by weight (items with weight 0 are never chosen).
    pub fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let sum: u32 = items.iter().map(|(_, w)| w).sum();
        let mut n = self.rng.random_range(0..sum.max(1));
        for (item, w) in items {
            if n < *w {
                return *item;
            }
            n -= w;
        }
        items[items.len() - 1].0
    }

    /// A number from `low` to `high`, both included.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        self.rng.random_range(low..=high.max(low))
    }

    /// A whole number of kronor between `low` and `high`, rounded to `step`.
    pub fn sek(&mut self, low: i64, high: i64, step: i64) -> i64 {
        let v = self.rng.random_range(low..=high.max(low));
        (v / step).max(1) * step
    }

    /// A day from `from` to `to`, both included.
    pub fn date_between(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u64;
        from.checked_add_days(Days::new(self.rng.random_range(0..=span)))
            .unwrap_or(from)
    }

    /// The next diarienummer of a committee (or the company) for a year, e.g. `BUN 2026/0142`.
    pub fn diarienummer(&mut self, owner: usize, year: i32) -> String {
        let start = self.rng.random_range(40..180);
        let n = self.diarie.entry((owner, year)).or_insert(start);
        *n += 1 + (*n % 7);
        format!("{} {year}/{:04}", short_name(owner), n)
    }

    /// Someone working under a committee (or the company), or anyone when none does.
    pub fn staff_of(&mut self, owner: usize) -> Option<String> {
        self.person_where(|s| s.owner == owner && !s.it)
    }

    /// A manager (a title with "chef") under a committee, else anyone there.
    pub fn manager_of(&mut self, owner: usize) -> Option<String> {
        self.person_where(|s| s.owner == owner && s.title.contains("chef"))
            .or_else(|| self.staff_of(owner))
    }

    /// Someone in the IT unit.
    pub fn it_staff(&mut self) -> Option<String> {
        self.person_where(|s| s.it)
    }

    /// Someone matching `f`, or anyone when nobody does.
    pub fn person_where(&mut self, f: impl Fn(&Staff) -> bool) -> Option<String> {
        let pool: Vec<usize> = (0..self.people.len())
            .filter(|&i| f(&self.people[i]))
            .collect();
        if pool.is_empty() {
            if self.people.is_empty() {
                return None;
            }
            let i = self.rng.random_range(0..self.people.len());
            return Some(self.people[i].id.clone());
        }
        let i = self.pick(&pool);
        Some(self.people[i].id.clone())
    }

    /// The administration of a committee, or the company.
    pub fn admin_of(&self, owner: usize) -> &str {
        match self.committees.get(owner) {
            Some(c) => &c.admin,
            None => &self.company,
        }
    }
}

/// A committee's short name (the company's for [`super::catalogue::COMPANY_OWNER`]).
pub fn short_name(owner: usize) -> &'static str {
    names::COMMITTEES
        .get(owner)
        .map(|c| c.short)
        .unwrap_or(names::COMPANY_SHORT)
}

/// A link into the fictional intranet.
pub fn intranet(path: &str) -> String {
    format!("https://intranat.{}/{path}", names::DOMAIN)
}

/// Checks an input the way the API's extractor does before the domain sees it.
pub fn valid<T: Validate>(input: T, what: &str) -> anyhow::Result<T> {
    input
        .validate()
        .map_err(|e| anyhow::anyhow!("{what}: invalid input: {e}"))?;
    Ok(input)
}

/// Adds what was being written to a domain error, keeping its field details.
pub trait OrFail<T> {
    fn or_fail(self, what: &str) -> anyhow::Result<T>;
}

impl<T> OrFail<T> for Result<T, ApiError> {
    fn or_fail(self, what: &str) -> anyhow::Result<T> {
        self.map_err(|e| anyhow::anyhow!("{what}: {e:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_choices() {
        let mut a = World::new(7);
        let mut b = World::new(7);
        let xs: Vec<i64> = (0..20).map(|_| a.sek(50_000, 5_000_000, 1000)).collect();
        let ys: Vec<i64> = (0..20).map(|_| b.sek(50_000, 5_000_000, 1000)).collect();
        assert_eq!(xs, ys);
    }

    #[test]
    fn diarienummer_grow_per_committee_and_year() {
        let mut w = World::new(1);
        let first = w.diarienummer(2, 2026);
        let second = w.diarienummer(2, 2026);
        assert!(first.starts_with("BUN 2026/"));
        assert!(second > first);
    }

    #[test]
    fn impossible_dates_do_not_panic() {
        assert_eq!(ymd(2026, 2, 30), ymd(2026, 2, 1));
    }
}
