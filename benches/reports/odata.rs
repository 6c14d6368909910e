//! The OData feed: pages of 1,000 rows followed by `@odata.nextLink` from the start (keyset
//! paging), first and deep pages timed again one by one, for the flat `activities` set (one
//! municipality's token, an unrestricted token over every municipality, and Power BI's
//! incremental-refresh `$filter` on `modified_at`) and, when the feed publishes report tables,
//! a report set. The floor of a flat page is `odata::exec::read_page` on a pooled connection
//! (the page's SQL, rows rendered as JSON by the database); of a report page, the report's page
//! function when it pages in SQL, else its run function.

use std::time::Instant;

use anyhow::{anyhow, bail};
use styra::auth::Principal;
use styra::db::Db;
use styra::odata::{exec, options, tables};

use crate::cases;
use crate::measure::{get, ms, time_http, time_sync, Budget, Timing, Walk};

/// Target of the issue for a page of 1,000 rows.
const TARGET_MS: f64 = 50.0;
const PAGE: i64 = 1_000;

/// One feed to walk.
pub struct Feed {
    pub label: String,
    /// Path and query of the first page.
    pub start: String,
    pub token: String,
    pub principal: Principal,
    /// Pages (from 1) to time one by one; those past the end are left out.
    pub pages: Vec<usize>,
    /// Stop walking after this many pages (`None`: to the end).
    pub walk_limit: Option<usize>,
    /// For a report set: the report's key and filters (the floor is its page function when it
    /// pages in SQL, else its run function).
    pub report: Option<(&'static str, String)>,
}

struct Page {
    url: String,
    rows: usize,
}

/// Follows the next links from the first page; returns each page's URL and row count, and the
/// walk's per-page times.
async fn walk(
    client: &reqwest::Client,
    base: &str,
    feed: &Feed,
) -> anyhow::Result<(Vec<Page>, Timing, f64)> {
    let mut pages = Vec::new();
    let mut times = Walk::default();
    let mut url = Some(format!("{base}{}", feed.start));
    let started = Instant::now();
    while let Some(u) = url.take() {
        let t = Instant::now();
        let body = get(client, &u, &feed.token).await?;
        times.push(t.elapsed());
        let json: serde_json::Value = serde_json::from_slice(&body)?;
        let rows = json["value"].as_array().map_or(0, Vec::len);
        url = json["@odata.nextLink"].as_str().map(str::to_owned);
        if url.is_some() && rows as i64 != PAGE {
            bail!("{u}: a page of {rows} rows before the end");
        }
        pages.push(Page { url: u, rows });
        if feed.walk_limit.is_some_and(|l| pages.len() >= l) {
            break;
        }
    }
    Ok((pages, times.timing(), started.elapsed().as_secs_f64()))
}

/// The floor of one flat page: the page's options parsed from its URL, read directly.
fn flat_floor(
    db: &Db,
    principal: &Principal,
    url: &str,
    budget: Budget,
) -> anyhow::Result<(Timing, usize)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let set = &tables::ACTIVITIES;
    let opts = options::parse(query, set.properties, "id", &[]).map_err(|e| anyhow!("{e:?}"))?;
    let scope = principal.orgs.clone();
    let mut conn = db.pool().get()?;
    time_sync(budget, || {
        Ok(
            exec::read_page(&mut conn, set, &opts, scope.as_deref(), PAGE)?
                .rows
                .len(),
        )
    })
}

/// The floor of a page of a report that pages in SQL: the report's page function for the
/// page's filters and token, on a pooled connection.
fn report_page_floor(
    db: &Db,
    principal: &Principal,
    table: &'static styra::reports::table::ReportTable,
    url: &str,
    budget: Budget,
) -> anyhow::Result<(Timing, usize)> {
    let query = url.split_once('?').map_or("", |(_, q)| q);
    let set = styra::odata::reports::all()
        .iter()
        .find(|s| s.table.key == table.key)
        .ok_or_else(|| anyhow!("no report set {}", table.key))?;
    let opts = options::parse(
        query,
        &set.properties,
        styra::odata::reports::ROW_KEY,
        &set.parameters,
    )
    .map_err(|e| anyhow!("{e:?}"))?;
    let custom = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&opts.custom)
        .finish();
    let raw: styra::reports::filters::RawReportQuery = serde_urlencoded::from_str(&custom)?;
    let filters = raw.filters().map_err(|e| anyhow!("{e:?}"))?;
    let today = chrono::Utc::now().date_naive();
    let mut conn = db.pool().get()?;
    time_sync(budget, || {
        let page = styra::reports::run_page(
            &mut conn,
            principal,
            table,
            filters.clone(),
            today,
            opts.resume.as_ref(),
            PAGE as usize,
        )
        .map_err(|e| anyhow!("{e:?}"))?
        .ok_or_else(|| anyhow!("{} does not page in SQL", table.key))?;
        Ok(page.rows.len())
    })
}

/// Walks and times every feed; returns the markdown lines.
pub async fn run(
    base: &str,
    db: &Db,
    feeds: &[Feed],
    budget: Budget,
) -> anyhow::Result<Vec<String>> {
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let mut out = vec![
        "| feed | page | rows | floor p50 ms | HTTP p50 ms | HTTP p99 ms | target met |".to_owned(),
        "|---|---:|---:|---:|---:|---:|---|".to_owned(),
    ];
    let mut walks = Vec::new();
    for feed in feeds {
        let (pages, walk_times, seconds) = walk(&client, base, feed).await?;
        let rows: usize = pages.iter().map(|p| p.rows).sum();
        let line = format!(
            "- {}: walked {} pages ({rows} rows{}) in {seconds:.1} s; per page p50 {} ms, p99 {} ms",
            feed.label,
            pages.len(),
            if feed.walk_limit.is_some_and(|l| pages.len() >= l) {
                ", stopped there"
            } else {
                ", to the end"
            },
            ms(walk_times.p(50.0)),
            ms(walk_times.p(99.0)),
        );
        eprintln!("{line}");
        walks.push(line);
        let mut wanted: Vec<usize> = feed
            .pages
            .iter()
            .map(|p| (*p).min(pages.len()))
            .filter(|p| *p > 0)
            .collect();
        wanted.dedup();
        for n in wanted {
            let page = &pages[n - 1];
            let (db, principal, url) = (db.clone(), feed.principal.clone(), page.url.clone());
            let report = feed.report.clone();
            let (floor, floor_rows) = tokio::task::spawn_blocking(move || match report {
                None => flat_floor(&db, &principal, &url, budget),
                Some((key, query)) => {
                    let table = styra::reports::find(key)
                        .ok_or_else(|| anyhow!("no report table {key}"))?;
                    match table.pages {
                        Some(_) => report_page_floor(&db, &principal, table, &url, budget),
                        None => cases::floor(&db, &principal, table, &query, budget, false),
                    }
                }
            })
            .await??;
            if feed.report.is_none() && floor_rows != page.rows {
                bail!(
                    "{}: {} rows over HTTP, {floor_rows} read directly",
                    page.url,
                    page.rows
                );
            }
            let (http, _) = time_http(&client, &page.url, &feed.token, budget).await?;
            let met = http.p(50.0) < TARGET_MS;
            let line = format!(
                "| {} | {n}{} | {} | {} | {} | {} | {} |",
                feed.label,
                if n == pages.len() { " (last)" } else { "" },
                page.rows,
                ms(floor.p(50.0)),
                ms(http.p(50.0)),
                ms(http.p(99.0)),
                if met { "yes" } else { "**no**" },
            );
            eprintln!("{line}");
            out.push(line);
        }
    }
    out.push(String::new());
    out.extend(walks);
    Ok(out)
}

/// Whether the feed's service document lists an entity set.
pub async fn publishes(base: &str, token: &str, set: &str) -> anyhow::Result<bool> {
    let client = reqwest::Client::new();
    let body = get(&client, &format!("{base}/odata/"), token).await?;
    let json: serde_json::Value = serde_json::from_slice(&body)?;
    Ok(json["value"]
        .as_array()
        .is_some_and(|sets| sets.iter().any(|s| s["name"] == set)))
}
