//! Progress of long imports, exports and seeding: rows done and rows per second, on stderr,
//! about once a second.

use std::time::{Duration, Instant};

/// Told how far a long job has come.
pub trait Progress {
    /// `done` of `total` rows of `stage` are through.
    fn rows(&mut self, stage: &str, done: usize, total: usize);
}

/// Reports nothing (the HTTP API).
pub struct Silent;

impl Progress for Silent {
    fn rows(&mut self, _: &str, _: usize, _: usize) {}
}

/// Prints a line to stderr at most once a second, and when a stage completes.
pub struct Stderr {
    started: Instant,
    stage_started: Instant,
    stage: String,
    last: Instant,
}

impl Default for Stderr {
    fn default() -> Self {
        let now = Instant::now();
        Stderr {
            started: now,
            stage_started: now,
            stage: String::new(),
            last: now,
        }
    }
}

impl Progress for Stderr {
    fn rows(&mut self, stage: &str, done: usize, total: usize) {
        if stage != self.stage {
            self.stage = stage.to_owned();
            self.stage_started = Instant::now();
        }
        let finished = done >= total;
        if !finished && self.last.elapsed() < Duration::from_secs(1) {
            return;
        }
        if finished && total < 1000 && self.started.elapsed() < Duration::from_secs(1) {
            return;
        }
        self.last = Instant::now();
        let secs = self.stage_started.elapsed().as_secs_f64().max(1e-6);
        eprintln!(
            "{stage:<22} {done:>8}/{total:<8} ({:.0} rows/s)",
            done as f64 / secs
        );
    }
}
