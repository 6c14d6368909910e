//! `styra seed-demo`: fills an empty database with a realistic, fictional municipality (Norrå
//! kommun) — organisations, people, förvaltningsobjekt, plans, 500 activities in every phase,
//! benefits, risks, roadmaps, decisions and audit findings — with the documentation gaps the
//! audits describe, so every report has something to show.
//!
//! Everything is written through the domain functions the API uses (same rules, same change
//! records) in one transaction, by a fixed-seed random generator: every run gives the same data.
//!
//! Stages: [`registry`] (organisations, people, objects, systems, roles), [`plans`] (focus areas,
//! phase rules, plans, budget lines, roadmaps), [`activities`] (activities, documentation items,
//! phase transitions), [`governance`] (adoptions, escalations, audit findings) and
//! [`follow_up`] (benefits, follow-ups and risks).

mod activities;
mod catalogue;
mod evidence;
mod follow_up;
mod governance;
mod names;
mod plans;
mod registry;
mod summary;
mod texts;
mod world;

use std::time::Instant;

use anyhow::bail;
use diesel::prelude::*;

use crate::db::schema::organisations;
use crate::db::Db;

pub use summary::Summary;
use world::World;

/// The fixed seed: the same data on every run.
pub const SEED: u64 = 2026;

/// Fills an empty database with the demo municipality, in one transaction, and returns what was
/// written. Refuses when any organisation exists. Prints per-stage progress to stderr.
pub fn seed(db: &Db) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let mut conn = db.pool().get()?;
    let mut summary = conn.transaction::<_, anyhow::Error, _>(|conn| {
        let existing: i64 = organisations::table.count().get_result(conn)?;
        if existing > 0 {
            bail!(
                "the database already has {existing} organisation(s); seed-demo only fills an \
                 empty database (use a new --data-dir or an empty DATABASE_URL)"
            );
        }
        let mut w = World::new(SEED);
        registry::organisations(conn, &mut w)?;
        registry::people(conn, &mut w)?;
        registry::objects(conn, &mut w)?;
        registry::roles(conn, &mut w)?;
        plans::focus_areas_and_rules(conn, &mut w)?;
        plans::plans(conn, &mut w)?;
        plans::roadmaps(conn, &mut w)?;
        activities::activities(conn, &mut w)?;
        governance::adopt_and_close_plans(conn, &mut w)?;
        governance::escalations(conn, &mut w)?;
        follow_up::benefits(conn, &mut w)?;
        follow_up::risks(conn, &mut w)?;
        governance::audit_findings(conn, &mut w)?;
        summary::count(conn)
    })?;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Progress of one stage, reported on stderr as rows done and rows per second.
pub(crate) struct Stage {
    name: &'static str,
    started: Instant,
    total: usize,
    done: usize,
    step: usize,
}

impl Stage {
    /// A stage expected to write `total` rows (0 when unknown), reporting every `step` rows.
    pub fn new(name: &'static str, total: usize, step: usize) -> Stage {
        Stage {
            name,
            started: Instant::now(),
            total,
            done: 0,
            step,
        }
    }

    pub fn tick(&mut self) {
        self.add(1);
    }

    pub fn add(&mut self, rows: usize) {
        let before = self.done;
        self.done += rows;
        if self.step > 0 && self.done / self.step > before / self.step && self.done < self.total {
            self.report();
        }
    }

    fn report(&self) {
        let secs = self.started.elapsed().as_secs_f64().max(1e-6);
        let total = if self.total == 0 {
            self.done
        } else {
            self.total
        };
        eprintln!(
            "{:<22} {:>5}/{:<5} ({:.0} rows/s)",
            self.name,
            self.done,
            total,
            self.done as f64 / secs
        );
    }

    pub fn finish(self) {
        self.report();
    }
}
