//! Timing helpers: a fixed number of sequential calls (one client), capped in time, after a
//! short warm-up; nearest-rank percentiles in milliseconds.

use std::time::{Duration, Instant};

use anyhow::bail;

/// How many calls per case and the most time one case may take.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    pub requests: usize,
    pub cap: Duration,
}

/// Calls not counted before measuring.
const WARMUP: usize = 2;
/// Calls always measured, even past the time cap.
const MIN_SAMPLES: usize = 5;

/// Sorted durations of one case, in milliseconds.
#[derive(Debug, Clone, Default)]
pub struct Timing {
    ms: Vec<f64>,
}

impl Timing {
    fn from(mut ms: Vec<f64>) -> Timing {
        ms.sort_by(f64::total_cmp);
        Timing { ms }
    }

    /// Nearest-rank percentile (`p` 0–100); NaN without samples.
    pub fn p(&self, p: f64) -> f64 {
        if self.ms.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.ms.len() as f64).ceil() as usize;
        self.ms[rank.clamp(1, self.ms.len()) - 1]
    }
}

fn enough(samples: usize, started: Instant, budget: Budget) -> bool {
    samples >= budget.requests || (samples >= MIN_SAMPLES && started.elapsed() > budget.cap)
}

/// Times a blocking call; `f` returns the number of rows it produced (which must not change).
pub fn time_sync(
    budget: Budget,
    mut f: impl FnMut() -> anyhow::Result<usize>,
) -> anyhow::Result<(Timing, usize)> {
    let mut rows = 0;
    for _ in 0..WARMUP {
        rows = f()?;
    }
    let started = Instant::now();
    let mut ms = Vec::with_capacity(budget.requests);
    while !enough(ms.len(), started, budget) {
        let t = Instant::now();
        let n = f()?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
        if n != rows {
            bail!("the row count changed from {rows} to {n}");
        }
    }
    Ok((Timing::from(ms), rows))
}

/// One GET's body (read to the end), failing on any status but 200.
pub async fn get(client: &reqwest::Client, url: &str, token: &str) -> anyhow::Result<Vec<u8>> {
    let res = client.get(url).bearer_auth(token).send().await?;
    let status = res.status();
    let body = res.bytes().await?.to_vec();
    if !status.is_success() {
        bail!("GET {url}: {status}: {}", String::from_utf8_lossy(&body));
    }
    Ok(body)
}

/// Times a GET over HTTP (keep-alive, one request at a time); returns the last body.
pub async fn time_http(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    budget: Budget,
) -> anyhow::Result<(Timing, Vec<u8>)> {
    let mut body = Vec::new();
    for _ in 0..WARMUP {
        body = get(client, url, token).await?;
    }
    let started = Instant::now();
    let mut ms = Vec::with_capacity(budget.requests);
    while !enough(ms.len(), started, budget) {
        let t = Instant::now();
        body = get(client, url, token).await?;
        ms.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok((Timing::from(ms), body))
}

/// Durations collected one by one (a walk over pages).
#[derive(Debug, Default)]
pub struct Walk {
    ms: Vec<f64>,
}

impl Walk {
    pub fn push(&mut self, d: Duration) {
        self.ms.push(d.as_secs_f64() * 1000.0);
    }

    pub fn timing(self) -> Timing {
        Timing::from(self.ms)
    }
}

/// `ms` with two decimals, or `–` for NaN.
pub fn ms(v: f64) -> String {
    if v.is_nan() {
        "–".to_owned()
    } else if v >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// Kilobytes with one decimal.
pub fn kb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}
