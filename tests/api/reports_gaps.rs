//! The documentation gaps list reads each activity's `documentation_state`, which triggers keep
//! in step with documentation_items: creating, changing and deleting items through the API, one
//! at a time or concurrently, must show in the report at once.

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::reports::rows;

/// The activity's gaps among the documentation kinds, as (requirement, status, has item id).
async fn kind_gaps(app: &TestApp, org: &str) -> Vec<(String, String, bool)> {
    let gaps = rows(
        app,
        &format!("/api/v1/reports/documentation-completeness/gaps?organisation_id={org}"),
        &app.admin,
    )
    .await;
    gaps.iter()
        .filter(|g| {
            !["purpose_and_goals", "planned_budget", "time_frame"]
                .contains(&g["requirement"].as_str().unwrap_or_default())
        })
        .map(|g| {
            let status = g["status"].as_str().unwrap_or_default().to_owned();
            let has_item = g["documentation_item_id"].is_string();
            assert_eq!(has_item, status != "absent", "{g}");
            (
                g["requirement"].as_str().unwrap_or_default().to_owned(),
                status,
                has_item,
            )
        })
        .collect()
}

fn absent_except(changed: &[(&str, &str)]) -> Vec<(String, String, bool)> {
    [
        "needs_analysis",
        "stakeholder_involvement",
        "project_plan",
        "benefit_calculation",
        "risk_analysis",
        "decision_basis",
        "final_report",
    ]
    .iter()
    .filter_map(|kind| match changed.iter().find(|(k, _)| k == kind) {
        Some((_, "done" | "not_applicable")) => None,
        Some((_, status)) => Some((kind.to_string(), status.to_string(), true)),
        None => Some((kind.to_string(), "absent".to_owned(), false)),
    })
    .collect()
}

#[tokio::test]
async fn gaps_follow_every_write_to_an_activitys_documentation() {
    let app = TestApp::spawn().await;
    let municipality = app.org("municipality", None, "Lunds kommun").await;
    let social = app
        .org("committee", Some(&municipality), "Socialnämnden")
        .await;
    let activity = app
        .post(
            "/api/v1/activities",
            &app.admin,
            json!({"organisation_id": social, "kind": "project", "year": 2026,
                   "title": "Digital signering av myndighetsbeslut"}),
        )
        .await;
    activity.assert_status(201);
    let activity = activity.id();
    assert_eq!(kind_gaps(&app, &social).await, absent_except(&[]));

    let created = app
        .post(
            "/api/v1/documentation-items",
            &app.admin,
            json!({"activity_id": activity, "kind": "needs_analysis", "status": "missing"}),
        )
        .await;
    created.assert_status(201);
    let item = format!("/api/v1/documentation-items/{}", created.id());
    let gaps = kind_gaps(&app, &social).await;
    assert_eq!(gaps, absent_except(&[("needs_analysis", "missing")]));
    let listed = rows(
        &app,
        &format!("/api/v1/reports/documentation-completeness/gaps?organisation_id={social}&requirement=needs_analysis"),
        &app.admin,
    )
    .await;
    assert_eq!(listed[0]["documentation_item_id"], json!(created.id()));

    app.patch(&item, &app.admin, json!({"status": "draft"}))
        .await
        .assert_status(200);
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[("needs_analysis", "draft")])
    );

    // A change of kind frees the old kind and fills the new one.
    app.patch(&item, &app.admin, json!({"kind": "project_plan"}))
        .await
        .assert_status(200);
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[("project_plan", "draft")])
    );

    app.patch(&item, &app.admin, json!({"status": "done"}))
        .await
        .assert_status(200);
    let other = app
        .post(
            "/api/v1/documentation-items",
            &app.admin,
            json!({"activity_id": activity, "kind": "final_report", "status": "not_applicable",
                   "reason": "Förstudie utan slutrapport."}),
        )
        .await;
    other.assert_status(201);
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[("project_plan", "done"), ("final_report", "not_applicable")])
    );

    app.delete(&item, &app.admin).await.assert_status(204);
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[("final_report", "not_applicable")])
    );

    // The summary, counted from the items themselves, agrees with the list.
    let summary: Vec<Value> = rows(
        &app,
        &format!("/api/v1/reports/documentation-completeness?organisation_id={social}"),
        &app.admin,
    )
    .await;
    let missing: i64 = summary.iter().filter_map(|r| r["missing"].as_i64()).sum();
    let all_gaps = rows(
        &app,
        &format!("/api/v1/reports/documentation-completeness/gaps?organisation_id={social}"),
        &app.admin,
    )
    .await;
    assert_eq!(missing, all_gaps.len() as i64);
}

/// Seven kinds documented at once for each of several activities: every item must count, however
/// the writers' transactions interleave (on PostgreSQL a trigger that read the items before a
/// concurrent writer committed lost that writer's item).
#[tokio::test]
async fn concurrent_items_of_one_activity_all_count() {
    let app = TestApp::spawn().await;
    let municipality = app.org("municipality", None, "Lunds kommun").await;
    let social = app
        .org("committee", Some(&municipality), "Socialnämnden")
        .await;
    let kinds = [
        "needs_analysis",
        "stakeholder_involvement",
        "project_plan",
        "benefit_calculation",
        "risk_analysis",
        "decision_basis",
        "final_report",
    ];
    for round in 0..6 {
        let activity = app
            .post(
                "/api/v1/activities",
                &app.admin,
                json!({"organisation_id": social, "kind": "project", "year": 2026,
                       "title": format!("Projekt {round}")}),
            )
            .await;
        activity.assert_status(201);
        let activity = activity.id();
        let mut tasks = Vec::new();
        for kind in kinds {
            let client = app.client.clone();
            let url = app.url("/api/v1/documentation-items");
            let token = app.admin.clone();
            let body = json!({"activity_id": activity, "kind": kind, "status": "done"});
            tasks.push(tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0)
            }));
        }
        for task in tasks {
            assert_eq!(task.await.expect("join"), 201);
        }
    }
    assert_eq!(
        kind_gaps(&app, &social).await,
        Vec::<(String, String, bool)>::new(),
        "every activity has all seven kinds done"
    );
}
