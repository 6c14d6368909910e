//! The overload limit of the report and feed routes: at most N of them run at once. A request
//! beyond that waits briefly for a turn, then gets 429 with `Retry-After` instead of queueing for
//! a database connection until something times out. Heavy reads thereby never take every
//! connection from the CRUD routes that share the pool, and Power BI's refresh, which retries
//! on 429, backs off instead of piling on.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// What a 429 tells the client to wait, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 5;

/// One running read. Held for as long as the request is in its handler; dropping it lets the
/// next read in.
#[derive(Debug)]
pub struct ReadPermit(#[allow(dead_code)] OwnedSemaphorePermit);

/// The limit shared by every worker.
#[derive(Debug, Clone)]
pub struct ReadLimiter {
    permits: Arc<Semaphore>,
    limit: usize,
    wait: Duration,
}

impl ReadLimiter {
    /// `limit` concurrent reads (at least one); a read waits up to `wait` for a turn.
    pub fn new(limit: usize, wait: Duration) -> Self {
        let limit = limit.max(1);
        ReadLimiter {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
            wait,
        }
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Reads running now.
    pub fn in_use(&self) -> usize {
        self.limit.saturating_sub(self.permits.available_permits())
    }

    /// A turn now, or none (no waiting).
    pub fn try_acquire(&self) -> Option<ReadPermit> {
        self.permits
            .clone()
            .try_acquire_owned()
            .ok()
            .map(ReadPermit)
    }

    /// A turn, waiting up to the configured time; 429 with `Retry-After` when none comes.
    pub async fn acquire(&self) -> Result<ReadPermit, ApiError> {
        if let Some(permit) = self.try_acquire() {
            return Ok(permit);
        }
        if !self.wait.is_zero() {
            let waited =
                actix_web::rt::time::timeout(self.wait, self.permits.clone().acquire_owned()).await;
            if let Ok(Ok(permit)) = waited {
                return Ok(ReadPermit(permit));
            }
        }
        tracing::warn!(
            limit = self.limit,
            "report and feed reads at their limit; answering 429"
        );
        Err(ApiError::TooManyRequests(RETRY_AFTER_SECONDS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn reads_beyond_the_limit_get_429_until_one_finishes() {
        let limiter = ReadLimiter::new(2, Duration::from_millis(20));
        let a = limiter.acquire().await.expect("first");
        let _b = limiter.acquire().await.expect("second");
        assert_eq!(limiter.in_use(), 2);
        match limiter.acquire().await {
            Err(ApiError::TooManyRequests(secs)) => assert_eq!(secs, RETRY_AFTER_SECONDS),
            other => panic!("expected 429, got {other:?}"),
        }
        drop(a);
        assert!(limiter.acquire().await.is_ok());
    }

    #[actix_web::test]
    async fn a_waiting_read_gets_the_turn_that_frees_up() {
        let limiter = ReadLimiter::new(1, Duration::from_secs(5));
        let held = limiter.acquire().await.expect("first");
        let waiter = limiter.clone();
        let waiting = actix_web::rt::spawn(async move { waiter.acquire().await.is_ok() });
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        drop(held);
        assert!(waiting.await.expect("join"));
    }

    #[test]
    fn the_limit_is_at_least_one() {
        assert_eq!(ReadLimiter::new(0, Duration::ZERO).limit(), 1);
    }
}
