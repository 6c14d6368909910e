//! Import over HTTP: templates filled in and posted, dry runs, all-or-nothing rejections with
//! every error, the CSV forms of Swedish Excel, re-import as a no-op, scopes and limits.

use reqwest::StatusCode;
use serde_json::Value;
use styra::auth::Role;

use crate::helpers::TestApp;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub async fn post(
    app: &TestApp,
    query: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let r = app
        .client
        .post(app.url(&format!("/api/v1/import{query}")))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .expect("post import");
    let status = r.status();
    let body = r.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn total(app: &TestApp, path: &str) -> i64 {
    app.get(path, &app.admin).await.total()
}

/// A small registry: one municipality, one committee, one object with a 2026 plan.
const REGISTRY: &str = r#"{
  "organisations": [
    {"external_id": "NK", "kind": "municipality", "name": "Norrå kommun"},
    {"external_id": "SN", "kind": "committee", "parent": "NK", "name": "Socialnämnden"},
    {"external_id": "BUN", "kind": "committee", "parent": "NK", "name": "Barn- och utbildningsnämnden"}
  ],
  "objects": [{"external_id": "OBJ-1", "organisation": "SN", "name": "Verksamhetssystem omsorg"}],
  "plans": [{"object": "OBJ-1", "year": 2026}]
}"#;

async fn registry(app: &TestApp) {
    let (status, body) = post(app, "", &app.admin, "application/json", REGISTRY.into()).await;
    assert_eq!(status, 200, "{body}");
}

fn activities_csv(rows: usize, sep: char, bad: &[usize]) -> String {
    let mut s =
        format!("external_id{sep}organisation{sep}year{sep}kind{sep}title{sep}planned_budget\n");
    for i in 0..rows {
        let budget = if bad.contains(&i) {
            "tolv".to_owned()
        } else {
            format!("{}", 1000 + i)
        };
        s.push_str(&format!(
            "A-{i}{sep}SN{sep}2026{sep}project{sep}Aktivitet {i}{sep}{budget}\n"
        ));
    }
    s
}

#[tokio::test]
async fn template_filled_in_imports() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    let r = app
        .client
        .get(app.url("/api/v1/import/templates/all.xlsx"))
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 200);
    let template = r.bytes().await.expect("bytes").to_vec();
    let sheets = styra::import::read(Some(XLSX), &template, "all").expect("template reads");
    let activities = sheets
        .iter()
        .find(|s| s.name == "Aktiviteter")
        .expect("activities sheet");
    assert!(
        activities.headers.iter().any(|h| h == "Titel *"),
        "{:?}",
        activities.headers
    );
    assert_eq!(activities.rows.len(), 1, "one example row");
    let lists = sheets
        .iter()
        .find(|s| s.name == "Listor")
        .expect("organisation list");
    assert!(lists
        .rows
        .iter()
        .any(|r| r.cells[0] == styra::import::Cell::Text("SN".into())));
    let one = app
        .client
        .get(app.url("/api/v1/import/templates/activities.xlsx"))
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("get");
    assert_eq!(one.status(), 200);
    let missing = app
        .get("/api/v1/import/templates/nothing.xlsx", &app.admin)
        .await;
    missing.assert_status(404);

    // Fill in the template's activities sheet: the template's headers, our rows.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Aktiviteter").expect("name");
    for (i, h) in activities.headers.iter().enumerate() {
        sheet.write_string(0, i as u16, h).expect("header");
    }
    let col = |key: &str| {
        let c = styra::transfer::model::resource_by_name("activities")
            .and_then(|r| r.column(key))
            .expect("column");
        activities
            .headers
            .iter()
            .position(|h| h.trim_end_matches(" *") == c.header)
            .expect("header") as u16
    };
    for n in 0..3u32 {
        let row = n + 1;
        sheet
            .write_string(row, col("external_id"), format!("AKT-{n}"))
            .expect("w");
        sheet.write_string(row, col("object"), "OBJ-1").expect("w");
        sheet.write_number(row, col("year"), 2026).expect("w");
        sheet.write_string(row, col("kind"), "project").expect("w");
        sheet
            .write_string(row, col("title"), format!("Införande {n}"))
            .expect("w");
        sheet
            .write_number(row, col("planned_budget"), 150000)
            .expect("w");
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1).expect("date");
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        sheet
            .write_datetime_with_format(row, col("start_date"), &date, &format)
            .expect("w");
        sheet
            .write_string(row, col("co_funding"), "SN=100000; BUN=50000")
            .expect("w");
    }
    let bytes = book.save_to_buffer().expect("save");
    let (status, body) = post(&app, "", &app.admin, XLSX, bytes).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["counts"]["activities"]["created"], 3);
    let list = app
        .get("/api/v1/activities?external_id=AKT-1", &app.admin)
        .await;
    let a = &list.body["items"][0];
    assert_eq!(a["start_date"], "2026-03-01");
    assert_eq!(a["co_funding"].as_array().map(Vec::len), Some(2));
    assert_eq!(a["year"], 2026);
    // The import is one batch of changes by the importer.
    let batch = body["batch_id"].as_str().expect("batch").to_owned();
    let changes = app
        .get(
            &format!("/api/v1/changes?batch_id={batch}&limit=100"),
            &app.admin,
        )
        .await;
    assert_eq!(changes.total(), 3);
    assert_eq!(changes.body["items"][0]["actor"], "admin");
}

#[tokio::test]
async fn dry_run_writes_nothing() {
    let app = TestApp::spawn().await;
    let (status, body) = post(
        &app,
        "?dry_run=true",
        &app.admin,
        "application/json",
        REGISTRY.into(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["dry_run"], true);
    assert_eq!(body["counts"]["organisations"]["created"], 3);
    assert_eq!(total(&app, "/api/v1/organisations").await, 0);
    assert_eq!(total(&app, "/api/v1/changes").await, 0);
}

#[tokio::test]
async fn one_bad_cell_among_thousands_rejects_everything() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    let before = total(&app, "/api/v1/changes").await;
    let csv = activities_csv(3000, ',', &[2456]);
    let (status, body) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        csv.into(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    let e = &body["errors"][0];
    assert_eq!(e["row"], 2458, "header is row 1, the first data row 2");
    assert_eq!(e["column"], "planned_budget");
    assert_eq!(e["value"], "tolv");
    assert_eq!(total(&app, "/api/v1/activities").await, 0);
    assert_eq!(total(&app, "/api/v1/changes").await, before);
}

#[tokio::test]
async fn every_error_is_listed() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    let mut csv = activities_csv(50, ';', &[3, 17, 40]);
    csv.push_str("A-x;NOSUCH;2026;project;Okänd ägare;10\n");
    csv.push_str("A-y;SN;2026;projekt;Fel typ;10\n");
    let (status, body) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        csv.into(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let errors = body["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 5, "{body}");
    let columns: Vec<&str> = errors.iter().filter_map(|e| e["column"].as_str()).collect();
    assert_eq!(
        columns,
        [
            "planned_budget",
            "planned_budget",
            "planned_budget",
            "organisation",
            "kind"
        ]
    );
    assert!(errors
        .iter()
        .all(|e| e["sheet"].is_string() && e["row"].as_u64() > Some(1)));
}

#[tokio::test]
async fn swedish_excel_csv_forms_are_read() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    // Semicolons, Windows-1252 (ö, å as single bytes), decimal comma and a Swedish date.
    let latin1 = |s: &str| s.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>();
    let objects = "Externt id;Organisation *;Namn *;Verksamhetsområde\nOBJ-2;SN;Hemtjänstplanering;Äldreomsorg\n";
    let (status, body) = post(
        &app,
        "?resource=objects",
        &app.admin,
        "text/csv",
        latin1(objects),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let obj = app
        .get("/api/v1/objects?external_id=OBJ-2", &app.admin)
        .await;
    assert_eq!(obj.body["items"][0]["name"], "Hemtjänstplanering");
    assert_eq!(obj.body["items"][0]["business_area"], "Äldreomsorg");
    // UTF-8 with BOM, commas, decimal comma (quoted) and a day-first date.
    let benefits = "\u{feff}external_id,organisation,year,kind,title,start_date\nB-1,SN,2026,initiative,Åtgärd för ökad trygghet,15/03/2026\n";
    let (status, body) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        benefits.into(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let a = app
        .get("/api/v1/activities?external_id=B-1", &app.admin)
        .await;
    assert_eq!(a.body["items"][0]["title"], "Åtgärd för ökad trygghet");
    assert_eq!(a.body["items"][0]["start_date"], "2026-03-15");
    let nyttor = "\u{feff}activity,description,baseline\nB-1,Färre larm,\"12,5\"\n";
    let (status, body) = post(
        &app,
        "?resource=benefits",
        &app.admin,
        "text/csv",
        nyttor.into(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let b = app.get("/api/v1/benefits?limit=5", &app.admin).await;
    assert_eq!(b.body["items"][0]["baseline"], 12.5);
}

#[tokio::test]
async fn importing_the_same_file_twice_changes_nothing_the_second_time() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    let csv = activities_csv(20, ',', &[]);
    let (status, first) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        csv.clone().into(),
    )
    .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["counts"]["activities"]["created"], 20);
    let (status, second) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        csv.into(),
    )
    .await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["counts"]["activities"]["unchanged"], 20);
    assert_eq!(second["counts"]["activities"]["updated"], 0);
    let batch = second["batch_id"].as_str().expect("batch");
    assert_eq!(
        total(&app, &format!("/api/v1/changes?batch_id={batch}")).await,
        0
    );
    // One changed cell updates one record.
    let mut changed = activities_csv(20, ',', &[]);
    changed = changed.replace("Aktivitet 7,", "Aktivitet sju,");
    let (_, third) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        changed.into(),
    )
    .await;
    assert_eq!(third["counts"]["activities"]["updated"], 1, "{third}");
}

#[tokio::test]
async fn editors_import_only_into_their_subtree() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    let orgs = app
        .get("/api/v1/organisations?external_id=BUN", &app.admin)
        .await;
    let bun = orgs.body["items"][0]["id"].as_str().expect("id").to_owned();
    let editor = app.token("editor", Role::Editor, &[&bun]);
    let csv = activities_csv(2, ',', &[]);
    let (status, body) = post(
        &app,
        "?resource=activities",
        &editor,
        "text/csv",
        csv.into(),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("outside"),
        "{body}"
    );
    let (status, body) = post(&app, "", &editor, "application/json", REGISTRY.into()).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("admin"),
        "{body}"
    );
}

#[tokio::test]
async fn oversized_and_mislabelled_files_are_refused() {
    let app = TestApp::spawn_with(|s| s.max_import_bytes = 1000).await;
    let big = activities_csv(200, ',', &[]);
    let (status, body) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        big.into(),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    let (status, body) = post(
        &app,
        "",
        &app.admin,
        XLSX,
        b"this is not a workbook".to_vec(),
    )
    .await;
    assert_eq!(status, 415, "{body}");
    assert!(body["detail"].is_string());
    // Multipart with the file in the field `file`.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(REGISTRY.as_bytes().to_vec())
            .file_name("registry.json")
            .mime_str("application/json")
            .expect("mime"),
    );
    let r = app
        .client
        .post(app.url("/api/v1/import?dry_run=true"))
        .bearer_auth(&app.admin)
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn ids_in_any_uuid_spelling_are_stored_and_matched_in_canonical_form() {
    let app = TestApp::spawn().await;
    registry(&app).await;
    let canonical = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    // Excel users paste ids braced, upper-case or without hyphens; all name the same record.
    let first = "id,organisation,year,kind,title\n{0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B},SN,2026,project,Första\n";
    let (status, body) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        first.into(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let stored = app
        .get(&format!("/api/v1/activities/{canonical}"), &app.admin)
        .await;
    assert_eq!(stored.status, 200, "{}", stored.body);
    assert_eq!(stored.body["id"], canonical);
    let again =
        "id,organisation,year,kind,title\n0190A1B2C3D47E5F8A9B0C1D2E3F4A5B,SN,2026,project,Andra\n";
    let (status, body) = post(
        &app,
        "?resource=activities",
        &app.admin,
        "text/csv",
        again.into(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["counts"]["activities"]["updated"], 1, "{body}");
    assert_eq!(total(&app, "/api/v1/activities?year=2026").await, 1);
    // A reference by id, in another spelling, resolves to the same record.
    let benefit = format!(
        "activity,description\nurn:uuid:{},Färre larm\n",
        canonical.to_uppercase()
    );
    let (status, body) = post(
        &app,
        "?resource=benefits",
        &app.admin,
        "text/csv",
        benefit.into(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let b = app.get("/api/v1/benefits?limit=5", &app.admin).await;
    assert_eq!(b.body["items"][0]["activity_id"], canonical);
}
