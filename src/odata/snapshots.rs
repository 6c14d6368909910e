//! Snapshots of report results for paging through a report entity set. A report set's first
//! page runs the report (a municipality's documentation gaps take 100–200 ms) and keeps its rows
//! here for a short while; the pages its `@odata.nextLink`s lead to read the same rows instead of
//! running the report again. So one walk through the pages sees one consistent result, and each
//! following page costs a lookup. A first page (no `$skiptoken`) always runs the report afresh.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::reports::table::Cell;

/// The rows of one report run.
pub type Rows = Arc<Vec<Vec<Cell>>>;

/// How long a snapshot serves the pages after the first: Power BI follows next links at once.
const KEEP: Duration = Duration::from_secs(60);
/// At most this many rows are kept over all snapshots (the oldest go first).
const MAX_ROWS: usize = 500_000;

struct Snapshot {
    key: String,
    rows: Rows,
    taken: Instant,
}

/// The kept snapshots, newest last. Shared by the feed's handlers.
#[derive(Default)]
pub struct ReportSnapshots {
    kept: Mutex<VecDeque<Snapshot>>,
}

impl std::fmt::Debug for ReportSnapshots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReportSnapshots")
    }
}

impl ReportSnapshots {
    /// The rows kept under `key`, unless they are older than a minute.
    pub fn get(&self, key: &str) -> Option<Rows> {
        let kept = self.kept.lock().ok()?;
        kept.iter()
            .rev()
            .find(|s| s.key == key && s.taken.elapsed() < KEEP)
            .map(|s| Arc::clone(&s.rows))
    }

    /// Keeps `rows` under `key` (replacing an older snapshot of the same key), dropping expired
    /// snapshots and then the oldest until the rows fit. A result larger than the limit is not
    /// kept: its pages run the report again, as without snapshots.
    pub fn put(&self, key: String, rows: Rows) {
        if rows.len() > MAX_ROWS {
            return;
        }
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        kept.retain(|s| s.key != key && s.taken.elapsed() < KEEP);
        let mut total: usize = kept.iter().map(|s| s.rows.len()).sum::<usize>() + rows.len();
        while total > MAX_ROWS {
            match kept.pop_front() {
                Some(old) => total -= old.rows.len(),
                None => break,
            }
        }
        kept.push_back(Snapshot {
            key,
            rows,
            taken: Instant::now(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(n: usize) -> Rows {
        Arc::new((0..n).map(|i| vec![Cell::Integer(i as i64)]).collect())
    }

    #[test]
    fn keeps_the_newest_within_the_row_limit() {
        let store = ReportSnapshots::default();
        store.put("a".into(), rows(300_000));
        store.put("b".into(), rows(150_000));
        assert_eq!(store.get("a").map(|r| r.len()), Some(300_000));
        // c does not fit beside a and b: a, the oldest, goes.
        store.put("c".into(), rows(100_000));
        assert!(store.get("a").is_none());
        assert_eq!(store.get("b").map(|r| r.len()), Some(150_000));
        assert_eq!(store.get("c").map(|r| r.len()), Some(100_000));
        // The same key again replaces its snapshot.
        store.put("b".into(), rows(5));
        assert_eq!(store.get("b").map(|r| r.len()), Some(5));
        // Too large to keep at all.
        store.put("d".into(), rows(MAX_ROWS + 1));
        assert!(store.get("d").is_none());
        assert!(store.get("missing").is_none());
    }
}
