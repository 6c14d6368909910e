//! The documentation gaps list reads each activity's `documentation_state` and
//! `documentation_open_items`, which triggers keep in step with documentation_items: creating, changing and deleting items through the API, one
//! at a time or concurrently, must show in the report at once.

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::reports::rows;

/// The documentation kinds, in the order the gaps list reports them.
const KINDS: [&str; 7] = [
    "needs_analysis",
    "stakeholder_involvement",
    "project_plan",
    "benefit_calculation",
    "risk_analysis",
    "decision_basis",
    "final_report",
];

fn gaps_path(org: &str) -> String {
    format!("/api/v1/reports/documentation-completeness/gaps?organisation_id={org}")
}

/// The subtree's gaps among the documentation kinds, as (requirement, status, item id).
async fn kind_gaps(app: &TestApp, org: &str) -> Vec<(String, String, Option<String>)> {
    let gaps = rows(app, &gaps_path(org), &app.admin).await;
    gaps.iter()
        .filter(|g| KINDS.contains(&g["requirement"].as_str().unwrap_or_default()))
        .map(|g| {
            let status = g["status"].as_str().unwrap_or_default().to_owned();
            let item = g["documentation_item_id"].as_str().map(str::to_owned);
            assert_eq!(item.is_some(), status != "absent", "{g}");
            (
                g["requirement"].as_str().unwrap_or_default().to_owned(),
                status,
                item,
            )
        })
        .collect()
}

/// One activity's expected kind gaps when its items have these (kind, status, id).
fn absent_except(items: &[(&str, &str, &str)]) -> Vec<(String, String, Option<String>)> {
    KINDS
        .iter()
        .filter_map(|kind| match items.iter().find(|(k, _, _)| k == kind) {
            Some((_, "done" | "not_applicable", _)) => None,
            Some((_, status, id)) => {
                Some((kind.to_string(), status.to_string(), Some(id.to_string())))
            }
            None => Some((kind.to_string(), "absent".to_owned(), None)),
        })
        .collect()
}

#[tokio::test]
async fn gaps_follow_every_write_to_an_activitys_documentation() {
    let app = TestApp::spawn().await;
    let social = app.tree().await.social;
    let activity = app
        .activity(&social, "Digital signering av myndighetsbeslut")
        .await;
    assert_eq!(kind_gaps(&app, &social).await, absent_except(&[]));

    let created = app
        .post(
            "/api/v1/documentation-items",
            &app.admin,
            json!({"activity_id": activity, "kind": "needs_analysis", "status": "missing"}),
        )
        .await;
    created.assert_status(201);
    let id = created.id();
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[("needs_analysis", "missing", &id)])
    );

    // Each change of status or kind shows at once, with the item's id; a change of kind frees the
    // old kind.
    let item = format!("/api/v1/documentation-items/{id}");
    for (change, now) in [
        (
            json!({"status": "draft"}),
            ("needs_analysis", "draft", &*id),
        ),
        (
            json!({"kind": "project_plan"}),
            ("project_plan", "draft", &id),
        ),
        (json!({"status": "done"}), ("project_plan", "done", &id)),
    ] {
        app.patch(&item, &app.admin, change.clone())
            .await
            .assert_status(200);
        assert_eq!(
            kind_gaps(&app, &social).await,
            absent_except(&[now]),
            "{change}"
        );
    }

    let final_report = app
        .post(
            "/api/v1/documentation-items",
            &app.admin,
            json!({"activity_id": activity, "kind": "final_report", "status": "not_applicable",
                   "reason": "Förstudie utan slutrapport."}),
        )
        .await;
    final_report.assert_status(201);
    let final_report = final_report.id();
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[
            ("project_plan", "done", &id),
            ("final_report", "not_applicable", &final_report)
        ])
    );

    // Back to missing, then gone: the open item comes and goes with it.
    app.patch(&item, &app.admin, json!({"status": "missing"}))
        .await
        .assert_status(200);
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[
            ("project_plan", "missing", &id),
            ("final_report", "not_applicable", &final_report)
        ])
    );
    app.delete(&item, &app.admin).await.assert_status(204);
    assert_eq!(
        kind_gaps(&app, &social).await,
        absent_except(&[("final_report", "not_applicable", &final_report)])
    );

    // The summary, counted from the items themselves, agrees with the list.
    let summary: Vec<Value> = rows(
        &app,
        &format!("/api/v1/reports/documentation-completeness?organisation_id={social}"),
        &app.admin,
    )
    .await;
    let missing: i64 = summary.iter().filter_map(|r| r["missing"].as_i64()).sum();
    let all_gaps = rows(&app, &gaps_path(&social), &app.admin).await;
    assert_eq!(missing, all_gaps.len() as i64);

    // Its last item gone: every kind absent again, no item named.
    app.delete(
        &format!("/api/v1/documentation-items/{final_report}"),
        &app.admin,
    )
    .await
    .assert_status(204);
    assert_eq!(kind_gaps(&app, &social).await, absent_except(&[]));
}

/// An activity with several open items: each gap row names its own item, in requirement order,
/// and a `requirement` filter (fields and kinds mixed) keeps exactly the chosen rows.
#[tokio::test]
async fn each_gap_row_names_its_own_open_item() {
    let app = TestApp::spawn().await;
    let social = app.tree().await.social;
    let activity = app.activity(&social, "E-arkiv").await;
    let mut ids = Vec::new();
    for (kind, status) in [
        ("risk_analysis", "draft"),
        ("needs_analysis", "missing"),
        ("project_plan", "done"),
        ("final_report", "draft"),
    ] {
        let r = app
            .post(
                "/api/v1/documentation-items",
                &app.admin,
                json!({"activity_id": activity, "kind": kind, "status": status}),
            )
            .await;
        r.assert_status(201);
        ids.push((kind, r.id()));
    }
    let id_of = |kind: &str| {
        ids.iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, id)| json!(id))
    };
    let all = rows(&app, &gaps_path(&social), &app.admin).await;
    let listed: Vec<(&str, &str, Value)> = all
        .iter()
        .map(|g| {
            assert_eq!(g["activity_id"], json!(activity));
            (
                g["requirement"].as_str().unwrap_or_default(),
                g["status"].as_str().unwrap_or_default(),
                g["documentation_item_id"].clone(),
            )
        })
        .collect();
    let absent = Value::Null;
    assert_eq!(
        listed,
        vec![
            // The helper's activity has no purpose, budget or time frame.
            ("purpose_and_goals", "absent", absent.clone()),
            ("planned_budget", "absent", absent.clone()),
            ("time_frame", "absent", absent.clone()),
            (
                "needs_analysis",
                "missing",
                id_of("needs_analysis").unwrap_or_default()
            ),
            ("stakeholder_involvement", "absent", absent.clone()),
            ("benefit_calculation", "absent", absent.clone()),
            (
                "risk_analysis",
                "draft",
                id_of("risk_analysis").unwrap_or_default()
            ),
            ("decision_basis", "absent", absent.clone()),
            (
                "final_report",
                "draft",
                id_of("final_report").unwrap_or_default()
            ),
        ]
    );

    let chosen = rows(
        &app,
        &format!(
            "{}&requirement=final_report,planned_budget,project_plan",
            gaps_path(&social)
        ),
        &app.admin,
    )
    .await;
    let chosen: Vec<&str> = chosen
        .iter()
        .map(|g| g["requirement"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(chosen, vec!["planned_budget", "final_report"]);

    // Its only chosen requirement is done: the activity is not listed at all.
    let done = rows(
        &app,
        &format!("{}&requirement=project_plan", gaps_path(&social)),
        &app.admin,
    )
    .await;
    assert!(done.is_empty(), "{done:?}");
}

/// Seven kinds documented at once for each of several activities, some done and some still
/// missing: every item must count, and every open one must be named, however the writers'
/// transactions interleave (on PostgreSQL a trigger that read the items before a concurrent
/// writer committed lost that writer's item).
#[tokio::test]
async fn concurrent_items_of_one_activity_all_count() {
    let app = TestApp::spawn().await;
    let social = app.tree().await.social;
    let mut expected = Vec::new();
    for round in 0..6 {
        let activity = app.activity(&social, &format!("Projekt {round}")).await;
        let mut tasks = Vec::new();
        for (i, kind) in KINDS.iter().enumerate() {
            let client = app.client.clone();
            let url = app.url("/api/v1/documentation-items");
            let token = app.admin.clone();
            let status = if (i + round) % 3 == 0 {
                "missing"
            } else {
                "done"
            };
            let body = json!({"activity_id": activity, "kind": kind, "status": status});
            tasks.push(tokio::spawn(async move {
                let created = client
                    .post(url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await;
                match created {
                    Ok(r) if r.status().as_u16() == 201 => r
                        .json::<Value>()
                        .await
                        .ok()
                        .and_then(|v| v["id"].as_str().map(|id| (*kind, status, id.to_owned()))),
                    _ => None,
                }
            }));
        }
        let mut items = Vec::new();
        for task in tasks {
            items.push(task.await.expect("join").expect("201 with an id"));
        }
        let items: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|(kind, status, id)| (*kind, *status, id.as_str()))
            .collect();
        expected.extend(absent_except(&items));
    }
    assert_eq!(
        kind_gaps(&app, &social).await,
        expected,
        "every activity has all seven kinds, the missing ones named by id"
    );
}
