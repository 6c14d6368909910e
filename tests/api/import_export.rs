//! Bulk import and export: templates, the all-or-nothing import with every error listed, CSV
//! forms, idempotent re-import, and the round trip export → import into an empty database →
//! export that must give the same file.

use styra::auth::{Principal, Role};
use styra::startup::open_database;
use styra::transfer::export::{self, Out};
use styra::transfer::import::{self, Outcome};
use styra::transfer::load::{load_all, Visibility};
use styra::transfer::progress::Silent;
use styra::transfer::sheet::{Cell, Sheet, SheetRow};

use crate::helpers::TestApp;

fn admin() -> Principal {
    Principal {
        subject: "importer".into(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    }
}

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

/// The app's data as sheets, the way an exported workbook reads back.
async fn exported_sheets(app: &TestApp) -> Vec<Sheet> {
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = open_database(&settings).expect("db");
        let mut conn = db.pool().get().expect("conn");
        let store = load_all(&mut conn).expect("load");
        let vis = Visibility::of(&mut conn, &admin()).expect("vis");
        export::tables(&store, &vis, &mut Silent)
            .into_iter()
            .map(|t| Sheet {
                name: t.resource.sheet.to_owned(),
                headers: t
                    .resource
                    .columns
                    .iter()
                    .map(|c| c.header.to_owned())
                    .collect(),
                rows: t
                    .rows
                    .into_iter()
                    .enumerate()
                    .map(|(i, cells)| SheetRow {
                        number: i + 2,
                        cells: cells
                            .into_iter()
                            .map(|c| match c {
                                Out::Empty => Cell::Empty,
                                Out::Text(t) => Cell::Text(t),
                                Out::Int(n) => Cell::Number(n as f64),
                                Out::Float(f) => Cell::Number(f),
                                Out::Bool(b) => Cell::Bool(b),
                                Out::Date(d) => Cell::Date(d),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect()
    })
    .await
    .expect("join")
}

async fn run_import(app: &TestApp, sheets: Vec<Sheet>, dry_run: bool) -> Outcome {
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = open_database(&settings).expect("db");
        let mut conn = db.pool().get().expect("conn");
        let options = import::Options {
            dry_run,
            resource: None,
        };
        diesel::Connection::transaction(&mut *conn, |conn| {
            import::run(conn, &admin(), sheets, &options, &mut Silent)
        })
        .expect("import")
    })
    .await
    .expect("join")
}

async fn export_json(app: &TestApp) -> String {
    let r = app
        .client
        .get(app.url("/api/v1/export.json"))
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("export");
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.expect("body")
}

#[tokio::test]
async fn demo_round_trip_gives_the_same_export() {
    let source = TestApp::spawn().await;
    seed(&source).await;
    let first = export_json(&source).await;
    let target = TestApp::spawn().await;
    match run_import(&target, exported_sheets(&source).await, false).await {
        Outcome::Done(report) => assert!(report.counts["activities"].created >= 500),
        Outcome::Rejected(errors) => panic!("rejected: {:#?}", &errors[..errors.len().min(20)]),
    }
    let second = export_json(&target).await;
    if first != second {
        let diff: Vec<(&str, &str)> = first
            .lines()
            .zip(second.lines())
            .filter(|(a, b)| a != b)
            .take(5)
            .collect();
        panic!("the exports differ: {diff:#?}");
    }
    // Importing the same again changes nothing.
    match run_import(&target, exported_sheets(&source).await, false).await {
        Outcome::Done(report) => {
            for (resource, c) in &report.counts {
                assert_eq!((c.created, c.updated), (0, 0), "{resource}");
            }
        }
        Outcome::Rejected(errors) => panic!("rejected: {:#?}", &errors[..errors.len().min(20)]),
    }
}
