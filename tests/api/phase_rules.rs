use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

/// An activity with nothing documented, ready to test the rules on.
async fn bare_activity(app: &TestApp, org: &str) -> String {
    app.activity(org, "Nytt verksamhetssystem").await
}

async fn document(app: &TestApp, activity: &str, kind: &str, status: &str, reason: Option<&str>) {
    let mut body = json!({"activity_id": activity, "kind": kind, "status": status});
    if let Some(r) = reason {
        body["reason"] = json!(r);
    }
    app.post("/api/v1/documentation-items", &app.admin, body)
        .await
        .assert_status(201);
}

#[tokio::test]
async fn every_municipality_starts_with_the_audit_defaults() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .get(
            &format!(
                "/api/v1/phase-rules?municipality_id={}&sort=phase",
                t.municipality
            ),
            &app.admin,
        )
        .await;
    r.assert_status(200);
    let rules: Vec<(String, String)> = r.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    (
                        i["phase"].as_str().unwrap_or("").to_owned(),
                        i["requirement"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        rules,
        vec![
            ("evaluated".to_owned(), "final_report".to_owned()),
            ("in_progress".to_owned(), "benefit_calculation".to_owned()),
            ("in_progress".to_owned(), "planned_budget".to_owned()),
            ("in_progress".to_owned(), "purpose_and_goals".to_owned()),
            ("in_progress".to_owned(), "risk_analysis".to_owned()),
        ]
    );
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    assert_eq!(app.get("/api/v1/phase-rules", &viewer).await.total(), 5);
    let other = app.org("municipality", None, "Annan kommun").await;
    let theirs = app.token("v", Role::Viewer, &[&other]);
    assert_eq!(
        app.get(
            &format!("/api/v1/phase-rules?municipality_id={}", t.municipality),
            &theirs
        )
        .await
        .total(),
        0
    );
}

#[tokio::test]
async fn starting_work_needs_purpose_budget_benefit_calculation_and_risk_analysis() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let a = bare_activity(&app, &t.social).await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &editor,
            json!({"to": "in_progress"}),
        )
        .await;
    r.assert_status(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "documentation_items.benefit_calculation",
            "documentation_items.risk_analysis",
            "planned_budget",
            "purpose_and_goals"
        ]
    );
    let ready = app
        .get(
            &format!("/api/v1/activities/{a}/readiness?phase=in_progress"),
            &editor,
        )
        .await;
    ready.assert_status(200);
    assert_eq!(ready.body["ready"], false);

    app.patch(
        &format!("/api/v1/activities/{a}"),
        &editor,
        json!({"purpose_and_goals": "Ersätta pappersflöden", "planned_budget": 250000}),
    )
    .await
    .assert_status(200);
    document(&app, &a, "benefit_calculation", "draft", None).await;
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &editor,
            json!({"to": "in_progress"}),
        )
        .await;
    r.assert_status(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "documentation_items.benefit_calculation",
            "documentation_items.risk_analysis"
        ],
        "a draft is not done"
    );

    let items = app
        .get(
            &format!("/api/v1/documentation-items?activity_id={a}"),
            &editor,
        )
        .await;
    let item = items.ids()[0].clone();
    app.patch(
        &format!("/api/v1/documentation-items/{item}"),
        &editor,
        json!({"status": "done"}),
    )
    .await
    .assert_status(200);
    // Not applicable needs a reason, and then counts.
    let r = app
        .post(
            "/api/v1/documentation-items",
            &editor,
            json!({"activity_id": a, "kind": "risk_analysis", "status": "not_applicable"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    document(
        &app,
        &a,
        "risk_analysis",
        "not_applicable",
        Some("Ingen personuppgiftsbehandling; täcks av objektets RSA"),
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &editor,
            json!({"to": "in_progress"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["phase"], "in_progress");

    // Evaluating needs a final report (and everything before it).
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &editor,
            json!({"to": "evaluated"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["documentation_items.final_report"]);
    document(&app, &a, "final_report", "done", None).await;
    app.post(
        &format!("/api/v1/activities/{a}/transitions"),
        &editor,
        json!({"to": "evaluated"}),
    )
    .await
    .assert_status(200);
    let history = app
        .get(&format!("/api/v1/activities/{a}/transitions"), &editor)
        .await;
    let to: Vec<&str> = history
        .body
        .as_array()
        .map(|h| h.iter().filter_map(|t| t["to_phase"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(to, vec!["idea", "in_progress", "evaluated"]);
}

#[tokio::test]
async fn jumping_ahead_does_not_skip_the_rules() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let a = bare_activity(&app, &t.social).await;
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &app.admin,
            json!({"to": "completed"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields().len(), 4);
    // Cancelling needs nothing by default.
    app.post(
        &format!("/api/v1/activities/{a}/transitions"),
        &app.admin,
        json!({"to": "cancelled"}),
    )
    .await
    .assert_status(200);
    // Creating straight into a later phase is held to the same rules.
    let r = app
        .post("/api/v1/activities", &app.admin, json!({"organisation_id": t.social, "kind": "project", "title": "Direkt", "year": 2026, "phase": "in_progress"}))
        .await;
    r.assert_status(422);
    assert_eq!(
        app.get("/api/v1/activities?q=direkt", &app.admin)
            .await
            .total(),
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn admins_may_override_with_a_reason_and_it_is_recorded() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let a = bare_activity(&app, &t.social).await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    app.post(
        &format!("/api/v1/activities/{a}/transitions"),
        &editor,
        json!({"to": "in_progress", "override_reason": "Akut säkerhetsåtgärd"}),
    )
    .await
    .assert_status(403);
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &app.admin,
            json!({"to": "in_progress", "override_reason": "Akut säkerhetsåtgärd"}),
        )
        .await;
    r.assert_status(200);
    let history = app
        .get(&format!("/api/v1/activities/{a}/transitions"), &app.admin)
        .await;
    let last = &history.body[1];
    assert_eq!(last["override_reason"], "Akut säkerhetsåtgärd");
    assert_eq!(last["actor"], "admin");
    let missing: Vec<String> =
        serde_json::from_str(last["missing"].as_str().unwrap_or("[]")).unwrap_or_default();
    assert_eq!(missing.len(), 4);
    // Already there.
    app.post(
        &format!("/api/v1/activities/{a}/transitions"),
        &app.admin,
        json!({"to": "in_progress"}),
    )
    .await
    .assert_status(409);
}

#[tokio::test]
async fn rules_are_editable_by_municipal_admins() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let local_admin = app.token("la", Role::Admin, &[&t.municipality]);
    let committee_admin = app.token("ca", Role::Admin, &[&t.social]);
    let body = json!({"municipality_id": t.municipality, "phase": "planned", "requirement": "needs_analysis"});
    app.post("/api/v1/phase-rules", &committee_admin, body.clone())
        .await
        .assert_status(403);
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    app.post("/api/v1/phase-rules", &editor, body.clone())
        .await
        .assert_status(403);
    let r = app
        .post("/api/v1/phase-rules", &local_admin, body.clone())
        .await;
    r.assert_status(201);
    let rule = r.id();
    app.post("/api/v1/phase-rules", &local_admin, body)
        .await
        .assert_status(409);
    let r = app
        .post("/api/v1/phase-rules", &local_admin, json!({"municipality_id": t.social, "phase": "planned", "requirement": "needs_analysis"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["municipality_id"]);
    let r = app
        .post(
            "/api/v1/phase-rules",
            &local_admin,
            json!({"municipality_id": t.municipality, "phase": "planned", "requirement": "vibes"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["requirement"]);

    let a = bare_activity(&app, &t.social).await;
    let r = app
        .post(
            &format!("/api/v1/activities/{a}/transitions"),
            &app.admin,
            json!({"to": "planned"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["documentation_items.needs_analysis"]);

    let got = app
        .get(&format!("/api/v1/phase-rules/{rule}"), &local_admin)
        .await;
    app.patch_if(
        &format!("/api/v1/phase-rules/{rule}"),
        &local_admin,
        &got.etag(),
        json!({"phase": "completed"}),
    )
    .await
    .assert_status(200);
    app.patch_if(
        &format!("/api/v1/phase-rules/{rule}"),
        &local_admin,
        &got.etag(),
        json!({"phase": "idea"}),
    )
    .await
    .assert_status(412);
    app.post(
        &format!("/api/v1/activities/{a}/transitions"),
        &app.admin,
        json!({"to": "planned"}),
    )
    .await
    .assert_status(200);
    app.delete(&format!("/api/v1/phase-rules/{rule}"), &local_admin)
        .await
        .assert_status(204);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=phase-rules&id={rule}"),
            &local_admin,
        )
        .await;
    assert_eq!(h.total(), 3);
}
