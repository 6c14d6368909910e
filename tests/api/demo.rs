//! `styra seed-demo`: the generator fills the test server's database once, and the API then shows
//! a whole municipality — every phase, plans drafted and adopted, documentation gaps.

use styra::domain::activities::Phase;
use styra::startup::open_database;

use crate::helpers::TestApp;

/// Runs the generator on the app's database, as `styra seed-demo` does.
async fn seed(app: &TestApp) -> anyhow::Result<styra::demo::Summary> {
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = open_database(&settings)?;
        styra::demo::seed(&db)
    })
    .await
    .expect("join")
}

async fn total(app: &TestApp, path: &str) -> i64 {
    let r = app.get(path, &app.admin).await;
    r.assert_status(200);
    r.total()
}

#[tokio::test]
async fn seed_demo_fills_an_empty_database_once() {
    let app = TestApp::spawn().await;
    let summary = seed(&app).await.expect("seed the demo municipality");
    assert_eq!(summary.activities, 500);

    assert!(total(&app, "/api/v1/activities?limit=1").await >= 500);
    for phase in Phase::ALL {
        let n = total(&app, &format!("/api/v1/activities?limit=1&phase={phase}")).await;
        assert!(n > 0, "no activity is {phase}");
    }
    assert!(total(&app, "/api/v1/activities?limit=1&in_plan=false").await > 0);
    assert_eq!(total(&app, "/api/v1/objects?limit=1").await, 40);
    assert!(total(&app, "/api/v1/organisations?limit=1&kind=committee").await >= 8);
    assert!(total(&app, "/api/v1/organisations?limit=1&kind=company").await >= 1);
    assert!(total(&app, "/api/v1/people?limit=1").await >= 50);
    assert!(total(&app, "/api/v1/systems?limit=1").await >= 40);
    for status in ["draft", "adopted", "closed"] {
        let n = total(&app, &format!("/api/v1/plans?limit=1&status={status}")).await;
        assert!(n > 0, "no plan is {status}");
    }
    assert!(total(&app, "/api/v1/plans?limit=1&has_risk_analysis=false").await > 0);
    assert!(total(&app, "/api/v1/documentation-items?limit=1&status=missing").await > 0);
    assert!(
        total(
            &app,
            "/api/v1/documentation-items?limit=1&status=not_applicable"
        )
        .await
            > 0
    );
    assert!(total(&app, "/api/v1/decisions?limit=1&kind=adoption").await > 0);
    assert!(total(&app, "/api/v1/decisions?limit=1&kind=escalation").await > 0);
    assert!(total(&app, "/api/v1/roadmaps?limit=1&status=adopted").await > 0);
    assert!(total(&app, "/api/v1/focus-areas?limit=1").await == 4);
    assert!(summary.phase_overrides > 0);
    assert!(summary.benefits > 0 && summary.risks > 0 && summary.audit_actions > 0);

    // Names keep their å, ä and ö.
    let r = app
        .get("/api/v1/organisations?kind=municipality", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Norrå kommun".to_owned()]);

    // A second run refuses and writes nothing.
    let again = seed(&app).await;
    let err = again.expect_err("seeding twice must refuse");
    assert!(err.to_string().contains("already has"), "{err}");
    assert_eq!(total(&app, "/api/v1/activities?limit=1").await, 500);
}
