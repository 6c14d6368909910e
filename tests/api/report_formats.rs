//! Reports on the demo municipality: every table in JSON, CSV and XLSX, totals that agree with
//! counting through the list endpoints, organisation scope, strict filters, and the generated
//! `docs/reports.md` (tested in `reports`).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};
use styra::auth::Role;
use styra::startup::open_database;

use crate::helpers::TestApp;
use crate::reports::{raw, rows};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn seeded() -> TestApp {
    let app = TestApp::spawn().await;
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = open_database(&settings)?;
        styra::demo::seed(&db)
    })
    .await
    .expect("join")
    .expect("seed the demo municipality");
    app
}

async fn total(app: &TestApp, path: &str) -> i64 {
    let r = app.get(path, &app.admin).await;
    r.assert_status(200);
    r.total()
}

fn sum(rows: &[Value], column: &str) -> i64 {
    rows.iter().map(|r| r[column].as_i64().unwrap_or(0)).sum()
}

/// Every table of the index, with the filters it needs.
async fn report_paths(app: &TestApp) -> Vec<(String, Value)> {
    let index = app.get("/api/v1/reports", &app.admin).await;
    index.assert_status(200);
    index
        .body
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|t| {
            let path = t["path"].as_str().unwrap_or_default().to_owned();
            let path = if t["required_filters"] == json!(["year"]) {
                format!("{path}?year=2026")
            } else {
                path
            };
            (path, t)
        })
        .collect()
}

#[tokio::test]
async fn every_report_comes_as_json_csv_and_xlsx() {
    let app = seeded().await;
    let tables = report_paths(&app).await;
    assert_eq!(tables.len(), styra::reports::REGISTRY.len());
    for (path, table) in &tables {
        let columns = table["columns"].as_array().cloned().unwrap_or_default();
        let keys: Vec<&str> = columns.iter().filter_map(|c| c["key"].as_str()).collect();
        let headers: Vec<&str> = columns
            .iter()
            .filter_map(|c| c["header"].as_str())
            .collect();

        // JSON (the default): rows keyed by column, in column order.
        let body = app.get(path, &app.admin).await;
        body.assert_status(200);
        let json_rows = body.body["rows"].as_array().cloned().unwrap_or_default();
        assert!(!json_rows.is_empty(), "{path} has no rows on the demo data");
        let mut keys_in_row: Vec<&str> = json_rows[0]
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys_in_row.sort_unstable();
        let mut sorted_keys = keys.clone();
        sorted_keys.sort_unstable();
        assert_eq!(keys_in_row, sorted_keys, "{path}");
        // On the wire the fields come in column order.
        let text = String::from_utf8(raw(&app, path, &app.admin, None).await.bytes).expect("utf-8");
        let rows_start = text.find("\"rows\":[{").expect("rows");
        let mut at = rows_start;
        for key in &keys {
            let found = text[at..]
                .find(&format!("\"{key}\":"))
                .expect("key in the first row");
            at += found;
        }
        assert!(
            !text[rows_start..at].contains("},{"),
            "{path}: first row not in column order"
        );
        assert_eq!(
            body.body["columns"].as_array().map(Vec::len),
            Some(keys.len())
        );

        // CSV by Accept: BOM, Swedish headers, one line per row.
        let csv = raw(&app, path, &app.admin, Some("text/csv")).await;
        assert_eq!(csv.status, 200, "{path}");
        assert!(csv.header("content-type").starts_with("text/csv"));
        let stem = path
            .trim_start_matches("/api/v1/reports/")
            .split('?')
            .next()
            .unwrap_or_default()
            .replace('/', "-");
        assert!(
            csv.header("content-disposition")
                .starts_with(&format!("attachment; filename=\"{stem}-"))
                && csv.header("content-disposition").ends_with(".csv\""),
            "{}",
            csv.header("content-disposition")
        );
        assert_eq!(&csv.bytes[..3], b"\xEF\xBB\xBF", "{path}: no BOM");
        let text = String::from_utf8(csv.bytes[3..].to_vec()).expect("utf-8");
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, headers, "{path}");
        assert_eq!(reader.records().count(), json_rows.len(), "{path}");

        // Semicolons for Swedish Excel, keys on request.
        let sep = if path.contains('?') { '&' } else { '?' };
        let semi = raw(
            &app,
            &format!("{path}{sep}format=csv&delimiter=semicolon&header=key"),
            &app.admin,
            None,
        )
        .await;
        assert_eq!(semi.status, 200);
        let text = String::from_utf8(semi.bytes[3..].to_vec()).expect("utf-8");
        assert_eq!(
            text.lines().next().unwrap_or_default(),
            keys.join(";"),
            "{path}"
        );

        // XLSX: the Swedish headers, typed numbers.
        let xlsx = raw(
            &app,
            &format!("{path}{sep}format=xlsx"),
            &app.admin,
            Some("text/csv"),
        )
        .await;
        assert_eq!(xlsx.status, 200, "{path}");
        assert_eq!(xlsx.header("content-type"), XLSX);
        assert!(xlsx.header("content-disposition").ends_with(".xlsx\""));
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(Cursor::new(xlsx.bytes.clone())).expect("xlsx");
        let sheet_names = book.sheet_names();
        assert_eq!(sheet_names.len(), 1);
        assert_eq!(
            Some(&sheet_names[0]),
            table["title"].as_str().map(str::to_owned).as_ref()
        );
        let range = book.worksheet_range(&sheet_names[0]).expect("sheet");
        let first_row: Vec<String> = range
            .rows()
            .next()
            .unwrap_or_default()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(first_row, headers, "{path}");
        assert_eq!(range.height(), json_rows.len() + 1, "{path}");
        for (i, column) in columns.iter().enumerate() {
            let key = column["key"].as_str().unwrap_or_default();
            let value = &json_rows[0][key];
            let cell = range.get((1, i)).cloned().unwrap_or(Data::Empty);
            match column["type"].as_str() {
                Some("integer") if value.is_i64() => {
                    assert_eq!(
                        cell,
                        Data::Float(value.as_i64().unwrap_or(0) as f64),
                        "{path} {key}"
                    )
                }
                Some("decimal") if value.is_f64() => {
                    // Excel keeps 15 significant digits.
                    let Data::Float(x) = cell else {
                        panic!("{path} {key}: {cell:?}")
                    };
                    assert!(
                        (x - value.as_f64().unwrap_or(0.0)).abs() < 1e-12,
                        "{path} {key}"
                    )
                }
                Some("date") if value.is_string() => {
                    assert!(matches!(cell, Data::DateTime(_)), "{path} {key}: {cell:?}")
                }
                Some("text") if value.is_string() => {
                    assert_eq!(
                        cell,
                        Data::String(value.as_str().unwrap_or_default().to_owned())
                    )
                }
                _ => {}
            }
        }
    }
}

#[tokio::test]
async fn report_totals_agree_with_the_list_endpoints() {
    let app = seeded().await;
    // Portfolio: per focus area and phase, the activities the list finds.
    let areas = app.get("/api/v1/focus-areas", &app.admin).await.ids();
    assert_eq!(areas.len(), 4);
    for area in &areas {
        let portfolio = rows(
            &app,
            &format!("/api/v1/reports/portfolio?focus_area_id={area}"),
            &app.admin,
        )
        .await;
        assert_eq!(
            sum(&portfolio, "activities"),
            total(
                &app,
                &format!("/api/v1/activities?limit=1&focus_area_id={area}")
            )
            .await
        );
    }
    for phase in ["idea", "in_progress", "completed"] {
        let portfolio = rows(
            &app,
            &format!("/api/v1/reports/portfolio?phase={phase}&year=2026"),
            &app.admin,
        )
        .await;
        let without_area: i64 = portfolio
            .iter()
            .filter(|r| r["focus_area_id"].is_null())
            .map(|r| r["activities"].as_i64().unwrap_or(0))
            .sum();
        let mut with_area = 0;
        for area in &areas {
            with_area += total(
                &app,
                &format!("/api/v1/activities?limit=1&phase={phase}&year=2026&focus_area_id={area}"),
            )
            .await;
        }
        assert_eq!(
            sum(&portfolio, "activities") - without_area,
            with_area,
            "{phase}"
        );
    }

    // Documentation completeness over every phase: done and not applicable per kind are the
    // documentation items with that status; the gap rows are the missing ones.
    let summary = rows(
        &app,
        "/api/v1/reports/documentation-completeness",
        &app.admin,
    )
    .await;
    let gaps = rows(
        &app,
        "/api/v1/reports/documentation-completeness/gaps",
        &app.admin,
    )
    .await;
    let activities = total(&app, "/api/v1/activities?limit=1").await;
    for kind in [
        "needs_analysis",
        "benefit_calculation",
        "risk_analysis",
        "final_report",
    ] {
        let of_kind: Vec<Value> = summary
            .iter()
            .filter(|r| r["requirement"] == json!(kind))
            .cloned()
            .collect();
        assert_eq!(sum(&of_kind, "activities"), activities);
        for status in ["done", "not_applicable", "draft"] {
            assert_eq!(
                sum(&of_kind, status),
                total(
                    &app,
                    &format!("/api/v1/documentation-items?limit=1&kind={kind}&status={status}")
                )
                .await,
                "{kind} {status}"
            );
        }
        let gap_rows = gaps
            .iter()
            .filter(|g| g["requirement"] == json!(kind))
            .count() as i64;
        assert_eq!(sum(&of_kind, "missing"), gap_rows, "{kind}");
    }

    // Model compliance: the active objects, and the adopted plans of the year.
    let compliance = rows(
        &app,
        "/api/v1/reports/model-compliance?year=2026",
        &app.admin,
    )
    .await;
    assert_eq!(
        sum(&compliance, "objects"),
        total(&app, "/api/v1/objects?limit=1&status=active").await
    );
    assert_eq!(
        compliance.len() as i64,
        total(&app, "/api/v1/organisations?limit=1").await
    );
    let committees = total(&app, "/api/v1/organisations?limit=1&kind=committee").await;
    let judged = compliance
        .iter()
        .filter(|r| !r["roadmap_missing"].is_null())
        .count() as i64;
    assert_eq!(judged, committees);
}

#[tokio::test]
async fn reports_stay_inside_the_token_scope() {
    let app = seeded().await;
    let committees = app
        .get("/api/v1/organisations?kind=committee&limit=2", &app.admin)
        .await
        .ids();
    let (mine, other) = (&committees[0], &committees[1]);
    let token = app.token("nämndsekreterare", Role::Viewer, &[mine.as_str()]);
    let subtree = app
        .get(
            &format!("/api/v1/organisations?within={mine}&limit=1000"),
            &app.admin,
        )
        .await
        .ids();

    for (path, _) in report_paths(&app).await {
        let scoped = rows(&app, &path, &token).await;
        for r in &scoped {
            let org = r["organisation_id"].as_str().unwrap_or_default().to_owned();
            assert!(
                subtree.contains(&org),
                "{path}: {org} is outside the token's subtree"
            );
        }
        let sep = if path.contains('?') { '&' } else { '?' };
        let same = rows(
            &app,
            &format!("{path}{sep}organisation_id={mine}"),
            &app.admin,
        )
        .await;
        assert_eq!(scoped, same, "{path}: the scoped token sees its subtree");
        let forbidden = app
            .get(&format!("{path}{sep}organisation_id={other}"), &token)
            .await;
        forbidden.assert_status(403);
    }
    app.get("/api/v1/reports/portfolio", "not-a-token")
        .await
        .assert_status(401);
}

#[tokio::test]
async fn bad_filters_are_named_and_unknown_formats_refused() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    let path = "/api/v1/reports/documentation-completeness";
    let r = app
        .get(&format!("{path}?phase=done&year=abc&yeer=2026"), &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["yeer"]);
    let r = app
        .get(&format!("{path}?phase=completed,done&year=abc"), &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["year", "phase"]);
    let r = app
        .get(&format!("{path}?reference_date=2026-01-01"), &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["reference_date"]);
    let r = app
        .get("/api/v1/reports/model-compliance", &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["year"]);
    let r = app
        .get(
            "/api/v1/reports/portfolio?from_year=2027&to_year=2026",
            &app.admin,
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["to_year"]);
    let r = app
        .get("/api/v1/reports/portfolio?organisation_id=nope", &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["organisation_id"]);
    let r = app
        .get(&format!("{path}?format=csv&delimiter=tab"), &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), ["delimiter"]);

    // Formats: ?format= wins over Accept; nothing offered is a 406.
    let r = app.get(&format!("{path}?format=pdf"), &app.admin).await;
    r.assert_status(406);
    let pdf = raw(&app, path, &app.admin, Some("application/pdf")).await;
    assert_eq!(pdf.status, 406);
    assert!(pdf
        .header("content-type")
        .starts_with("application/problem+json"));
    let csv = raw(
        &app,
        &format!("{path}?format=csv"),
        &app.admin,
        Some("application/json"),
    )
    .await;
    assert!(csv.header("content-type").starts_with("text/csv"));
    let best = raw(
        &app,
        path,
        &app.admin,
        Some("application/pdf, text/csv;q=0.5, application/json;q=0.9"),
    )
    .await;
    assert!(best.header("content-type").starts_with("application/json"));
    let any = raw(&app, path, &app.admin, Some("*/*")).await;
    assert!(any.header("content-type").starts_with("application/json"));

    // Power BI's api_key parameter is accepted; a scoped viewer may read its own subtree.
    let viewer = app.token("revisor", Role::Viewer, &[&tree.social]);
    let ok = app
        .get(
            &format!("{path}?api_key=abc&organisation_id={}", tree.social_admin),
            &viewer,
        )
        .await;
    ok.assert_status(200);
    assert_eq!(
        ok.body["filters"],
        json!({"organisation_id": tree.social_admin})
    );
    app.get(&format!("{path}?organisation_id={}", tree.school), &viewer)
        .await
        .assert_status(403);
}
