//! Every report table of `styra::reports::REGISTRY` for one municipality: the floor (the SQL the
//! request runs — the report context's lookups and the table's own run function — on a pooled
//! connection, no HTTP and no rendering) against `GET /api/v1/reports/<route>` over HTTP, as
//! JSON, and a few as CSV and XLSX.

use std::collections::HashMap;

use anyhow::{anyhow, bail};
use styra::auth::Principal;
use styra::db::Db;
use styra::reports::filters::{Filter, RawReportQuery, ReportContext};
use styra::reports::table::ReportTable;
use styra::reports::REGISTRY;

use crate::explain;
use crate::measure::{kb, ms, time_http, time_sync, Budget, Timing};

/// Targets of the issue: p50 under 100 ms and under 1.5 × the floor.
const TARGET_MS: f64 = 100.0;
const TARGET_RATIO: f64 = 1.5;

/// One measured request.
pub struct Case {
    pub table: &'static ReportTable,
    /// The report filters as a query string.
    pub query: String,
    /// `csv` or `xlsx`; JSON when `None`.
    pub format: Option<&'static str>,
}

/// The filters a report is usually asked with, for municipality `m` in year `y`: the auditors'
/// question (last year's finished activities) for the documentation tables, the current year
/// where a year is required, a few years for the series.
fn usual_query(table: &ReportTable, m: &str, y: i32) -> String {
    let last = y - 1;
    match table.key {
        "documentation_completeness" | "documentation_completeness_gaps" => {
            format!("organisation_id={m}&year={last}&phase=completed,evaluated")
        }
        "benefits_missing_follow_ups" => format!("organisation_id={m}&year={last}"),
        "budget_it_cost" | "benefit_realisation" => {
            format!("organisation_id={m}&from_year={}&to_year={y}", y - 3)
        }
        "roadmap_timeline" => format!("organisation_id={m}&from_year={y}&to_year={}", y + 1),
        _ if table.filters.contains(&Filter::Year) => format!("organisation_id={m}&year={y}"),
        _ => format!("organisation_id={m}"),
    }
}

/// Every table with its usual filters; the two largest also over all years, and the gaps as
/// CSV and XLSX.
pub fn cases(m: &str, y: i32) -> Vec<Case> {
    let mut cases: Vec<Case> = REGISTRY
        .iter()
        .map(|table| Case {
            table,
            query: usual_query(table, m, y),
            format: None,
        })
        .collect();
    for key in ["documentation_completeness_gaps", "portfolio"] {
        if let Some(table) = styra::reports::find(key) {
            cases.push(Case {
                table,
                query: format!("organisation_id={m}"),
                format: None,
            });
        }
    }
    if let Some(table) = styra::reports::find("documentation_completeness_gaps") {
        for format in ["csv", "xlsx"] {
            cases.push(Case {
                table,
                query: usual_query(table, m, y),
                format: Some(format),
            });
        }
    }
    cases
}

/// The floor of one table and filter set: all the SQL the request runs, directly on a pooled
/// connection — resolving the context (the organisation's municipality and the caller's scope,
/// which for the smallest reports is half their SQL) and the table's run function.
pub fn floor(
    db: &Db,
    principal: &Principal,
    table: &'static ReportTable,
    query: &str,
    budget: Budget,
    explain: bool,
) -> anyhow::Result<(Timing, usize)> {
    let raw: RawReportQuery = serde_urlencoded::from_str(query)?;
    let filters = raw.filters().map_err(|e| anyhow!("{query}: {e:?}"))?;
    let today = chrono::Utc::now().date_naive();
    let mut conn = db.pool().get()?;
    let ctx = ReportContext::resolve(&mut conn, principal, filters, today)
        .map_err(|e| anyhow!("{query}: {e:?}"))?;
    if explain {
        explain::report(&mut conn, table, &ctx)?;
    }
    time_sync(budget, || {
        let ctx = ReportContext::resolve(&mut conn, principal, ctx.filters.clone(), today)
            .map_err(|e| anyhow!("{query}: {e:?}"))?;
        Ok((table.run)(&mut conn, &ctx)?.len())
    })
}

/// Measures every case; returns the markdown table and a line saying how many missed a target.
pub async fn run(
    base: &str,
    db: &Db,
    principal: &Principal,
    token: &str,
    cases: &[Case],
    budget: Budget,
    explain: bool,
) -> anyhow::Result<Vec<String>> {
    let client = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let mut floors: HashMap<(String, String), (Timing, usize)> = HashMap::new();
    let mut lines = Vec::new();
    let mut missed = 0;
    // STYRA_BENCH_BODIES=<dir>: each case's last body as a file, to compare two builds' output.
    let bodies = std::env::var("STYRA_BENCH_BODIES").ok();
    for (n, case) in cases.iter().enumerate() {
        let key = (case.table.key.to_owned(), case.query.clone());
        if !floors.contains_key(&key) {
            let (db, principal, table, query) = (
                db.clone(),
                principal.clone(),
                case.table,
                case.query.clone(),
            );
            let measured = tokio::task::spawn_blocking(move || {
                floor(&db, &principal, table, &query, budget, explain)
            })
            .await??;
            floors.insert(key.clone(), measured);
        }
        let (floor, rows) = &floors[&key];
        let mut url = format!("{base}/api/v1/reports/{}?{}", case.table.path, case.query);
        if let Some(f) = case.format {
            url.push_str(&format!("&format={f}"));
        }
        let (http, body) = time_http(&client, &url, token, budget).await?;
        if let Some(dir) = &bodies {
            let name = format!(
                "{n:02}-{}.{}",
                case.table.key,
                case.format.unwrap_or("json")
            );
            std::fs::write(std::path::Path::new(dir).join(name), &body)?;
        }
        if case.format.is_none() {
            let json: serde_json::Value = serde_json::from_slice(&body)?;
            let n = json["rows"].as_array().map_or(0, Vec::len);
            if n != *rows {
                bail!("{url}: {n} rows over HTTP, {rows} from the run function");
            }
        }
        let ratio = http.p(50.0) / floor.p(50.0);
        let met = http.p(50.0) < TARGET_MS && ratio < TARGET_RATIO;
        if !met {
            missed += 1;
        }
        let line = format!(
            "| {} | `{}` | {} | {rows} | {} | {} | {} | {} | {ratio:.2} | {} |",
            case.table.path,
            case.query.replace(&principal_org(principal), "<m>"),
            case.format.unwrap_or("json"),
            kb(body.len()),
            ms(floor.p(50.0)),
            ms(http.p(50.0)),
            ms(http.p(99.0)),
            if met { "yes" } else { "**no**" },
        );
        eprintln!("{line}");
        lines.push(line);
    }
    let mut out = vec![
        "| report | filters | format | rows | KB | floor p50 ms | HTTP p50 ms | HTTP p99 ms | ratio | target met |"
            .to_owned(),
        "|---|---|---|---:|---:|---:|---:|---:|---:|---|".to_owned(),
    ];
    out.extend(lines);
    out.push(String::new());
    out.push(format!(
        "{} of {} missed a target (p50 < {TARGET_MS} ms and < {TARGET_RATIO} × floor).",
        missed,
        cases.len()
    ));
    out.push(String::new());
    out.extend(fixed_costs(&client, base, token, budget).await?);
    Ok(out)
}

/// What every report request pays besides its SQL, timed the same way: a request that checks no
/// token and runs no SQL, and an authenticated one with no SQL (the report catalogue). A
/// report whose floor is under these cannot stay under 1.5 × its floor.
async fn fixed_costs(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    budget: Budget,
) -> anyhow::Result<Vec<String>> {
    let mut out = vec![
        "| request without SQL | KB | HTTP p50 ms | HTTP p99 ms |".to_owned(),
        "|---|---:|---:|---:|".to_owned(),
    ];
    for (label, path) in [
        ("liveness, token not checked", "/health/live"),
        ("report catalogue, bearer token", "/api/v1/reports"),
    ] {
        let (http, body) = time_http(client, &format!("{base}{path}"), token, budget).await?;
        out.push(format!(
            "| {label} (`{path}`) | {} | {} | {} |",
            kb(body.len()),
            ms(http.p(50.0)),
            ms(http.p(99.0)),
        ));
    }
    Ok(out)
}

fn principal_org(p: &Principal) -> String {
    p.orgs
        .as_ref()
        .and_then(|o| o.first().cloned())
        .unwrap_or_default()
}
