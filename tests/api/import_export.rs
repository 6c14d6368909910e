//! Bulk import and export: templates, the all-or-nothing import with every error listed, CSV
//! forms, idempotent re-import, and the round trip export → import into an empty database →
//! export that must give the same file.

use styra::import::Cell;
use styra::startup::open_database;

use crate::helpers::TestApp;

async fn seed(app: &TestApp) {
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = open_database(&settings)?;
        styra::demo::seed(&db)
    })
    .await
    .expect("join")
    .expect("seed");
}

async fn export_file(app: &TestApp, path: &str) -> Vec<u8> {
    let r = app
        .client
        .get(app.url(path))
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("export");
    assert_eq!(r.status().as_u16(), 200);
    r.bytes().await.expect("body").to_vec()
}

async fn post_file(app: &TestApp, content_type: &str, body: Vec<u8>) -> serde_json::Value {
    let (status, body) = crate::import_files::post(app, "", &app.admin, content_type, body).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    body
}

/// The cells of every sheet, as read back.
fn cells(xlsx: &[u8]) -> Vec<(String, Vec<String>, Vec<Vec<Cell>>)> {
    styra::import::read(Some(XLSX), xlsx, "export")
        .expect("read workbook")
        .into_iter()
        .map(|s| {
            (
                s.name,
                s.headers,
                s.rows.into_iter().map(|r| r.cells).collect(),
            )
        })
        .collect()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[tokio::test]
async fn demo_export_files_import_into_an_empty_database_and_export_identically() {
    let source = TestApp::spawn().await;
    seed(&source).await;
    let json = export_file(&source, "/api/v1/export.json").await;
    let xlsx = export_file(&source, "/api/v1/export.xlsx").await;

    let from_json = TestApp::spawn().await;
    let report = post_file(&from_json, "application/json", json.clone()).await;
    assert!(
        report["counts"]["activities"]["created"].as_u64() >= Some(500),
        "{report}"
    );
    assert_eq!(
        export_file(&from_json, "/api/v1/export.json").await,
        json,
        "JSON round trip"
    );
    // The bulk import's documentation items keep their activities' documentation_state and open
    // items (the gaps list reads them): the same gaps, item ids included, as where they came from.
    let gaps = "/api/v1/reports/documentation-completeness/gaps";
    let expected = source.get(gaps, &source.admin).await;
    expected.assert_status(200);
    assert!(
        expected.body["rows"]
            .as_array()
            .is_some_and(|r| !r.is_empty()),
        "the demo data has gaps"
    );
    assert!(
        expected.body["rows"]
            .as_array()
            .is_some_and(|r| r.iter().any(|g| g["documentation_item_id"].is_string())),
        "the demo data has open documentation items (trigger-kept on the import too)"
    );
    assert_eq!(
        from_json.get(gaps, &from_json.admin).await.body["rows"],
        expected.body["rows"],
        "gaps after the import"
    );

    let from_xlsx = TestApp::spawn().await;
    post_file(&from_xlsx, XLSX, xlsx.clone()).await;
    let again = export_file(&from_xlsx, "/api/v1/export.xlsx").await;
    assert!(
        cells(&again) == cells(&xlsx),
        "xlsx round trip: the cells differ"
    );
    assert_eq!(
        export_file(&from_xlsx, "/api/v1/export.json").await,
        json,
        "xlsx → JSON"
    );

    // The second import of the same file is a no-op: no change records.
    let report = post_file(&from_json, "application/json", json).await;
    let batch = report["batch_id"].as_str().expect("batch").to_owned();
    let changes = from_json
        .get(
            &format!("/api/v1/changes?batch_id={batch}"),
            &from_json.admin,
        )
        .await;
    assert_eq!(changes.total(), 0, "{report}");
}
