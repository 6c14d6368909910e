use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

fn adoption() -> serde_json::Value {
    json!({"decided_on": "2026-11-15", "body": "committee", "diarienummer": "SN 2026/0311", "summary": "Nämnden fastställer förvaltningsplanen för 2027."})
}

#[tokio::test]
async fn crud_and_one_plan_per_object_and_year() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "IFO").await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let r = app
        .post("/api/v1/plans", &editor, json!({"object_id": object, "year": 2027, "summary": "Fokus på e-tjänster", "external_id": "FP-27"}))
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    let dup = app
        .post(
            "/api/v1/plans",
            &editor,
            json!({"object_id": object, "year": 2027}),
        )
        .await;
    dup.assert_status(409);
    assert!(dup.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("2027"));
    app.post(
        "/api/v1/plans",
        &editor,
        json!({"object_id": object, "year": 2028}),
    )
    .await
    .assert_status(201);

    let got = app.get(&format!("/api/v1/plans/{id}"), &editor).await;
    let r = app
        .patch_if(&format!("/api/v1/plans/{id}"), &editor, &got.etag(), json!({"risk_analysis_date": "2026-10-01", "risk_analysis_url": "https://intranat.lund.se/rsa.pdf"}))
        .await;
    r.assert_status(200);
    app.patch_if(
        &format!("/api/v1/plans/{id}"),
        &editor,
        &got.etag(),
        json!({"summary": "x"}),
    )
    .await
    .assert_status(412);
    let r = app
        .patch(
            &format!("/api/v1/plans/{id}"),
            &editor,
            json!({"risk_analysis_url": "not a url"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["risk_analysis_url"]);
    let r = app
        .post(
            "/api/v1/plans",
            &editor,
            json!({"object_id": object, "year": 1999, "status": "adopted"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = app
        .post(
            "/api/v1/plans",
            &editor,
            json!({"object_id": object, "year": 1999}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["year"]);

    let list = app
        .get(
            &format!("/api/v1/plans?object_id={object}&sort=-year"),
            &editor,
        )
        .await;
    let years: Vec<i64> = list.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["year"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(years, vec![2028, 2027]);
    for (q, n) in [
        ("year=2027".to_string(), 1),
        ("status=draft".into(), 2),
        ("has_risk_analysis=true".into(), 1),
        ("has_risk_analysis=false".into(), 1),
        (format!("organisation_id={}", t.social_admin), 2),
        (format!("within={}", t.social), 2),
        (format!("within={}", t.school), 0),
        (format!("municipality_id={}", t.municipality), 2),
        ("external_id=FP-27".into(), 1),
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/plans?{q}"), &editor)
                .await
                .total(),
            n,
            "{q}"
        );
    }
    let outsider = app.token("o", Role::Viewer, &[&t.school]);
    assert_eq!(app.get("/api/v1/plans", &outsider).await.total(), 0);
    app.get(&format!("/api/v1/plans/{id}"), &outsider)
        .await
        .assert_status(403);
    app.delete(&format!("/api/v1/plans/{id}"), &editor)
        .await
        .assert_status(204);
}

#[tokio::test]
async fn adoption_locks_planned_figures_until_an_admin_reopens() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "IFO").await;
    let plan = app.plan(&object, 2027).await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let line = app
        .post(
            "/api/v1/budget-lines",
            &editor,
            json!({"plan_id": plan, "category": "licences", "planned": 100000}),
        )
        .await;
    line.assert_status(201);

    let adopted = app
        .post(&format!("/api/v1/plans/{plan}/adopt"), &editor, adoption())
        .await;
    adopted.assert_status(200);
    assert_eq!(adopted.body["status"], "adopted");
    assert_eq!(adopted.body["adopted_on"], "2026-11-15");
    let decision_id = adopted.body["decision_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let decision = app
        .get(&format!("/api/v1/decisions/{decision_id}"), &editor)
        .await;
    decision.assert_status(200);
    assert_eq!(decision.body["diarienummer"], "SN 2026/0311");
    assert_eq!(decision.body["kind"], "adoption");
    assert_eq!(decision.body["subjects"][0]["record_id"], json!(plan));
    app.post(&format!("/api/v1/plans/{plan}/adopt"), &editor, adoption())
        .await
        .assert_status(409);

    // Planned figures are locked; forecast and actual are not.
    let r = app
        .patch(
            &format!("/api/v1/budget-lines/{}", line.id()),
            &editor,
            json!({"planned": 120000}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("reopen"));
    app.patch(
        &format!("/api/v1/budget-lines/{}", line.id()),
        &editor,
        json!({"forecast": 110000, "actual": 50000}),
    )
    .await
    .assert_status(200);
    app.post(
        "/api/v1/budget-lines",
        &editor,
        json!({"plan_id": plan, "category": "staff", "planned": 5}),
    )
    .await
    .assert_status(409);
    app.delete(&format!("/api/v1/budget-lines/{}", line.id()), &editor)
        .await
        .assert_status(409);
    app.patch(
        &format!("/api/v1/plans/{plan}"),
        &editor,
        json!({"summary": "ändrad"}),
    )
    .await
    .assert_status(409);
    app.post(
        "/api/v1/activities",
        &editor,
        json!({"plan_id": plan, "title": "Ny", "kind": "change", "planned_budget": 10}),
    )
    .await
    .assert_status(409);
    app.patch(
        &format!("/api/v1/plans/{plan}"),
        &editor,
        json!({"risk_analysis_date": "2026-12-01"}),
    )
    .await
    .assert_status(200);
    app.delete(&format!("/api/v1/plans/{plan}"), &editor)
        .await
        .assert_status(409);

    // Reopening needs an admin and a reason.
    app.post(
        &format!("/api/v1/plans/{plan}/reopen"),
        &editor,
        json!({"reason": "Omfördelning"}),
    )
    .await
    .assert_status(403);
    let r = app
        .post(
            &format!("/api/v1/plans/{plan}/reopen"),
            &app.admin,
            json!({}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    let r = app
        .post(
            &format!("/api/v1/plans/{plan}/reopen"),
            &app.admin,
            json!({"reason": "Omfördelning efter delårsrapporten"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "draft");
    assert_eq!(
        r.body["reopened_reason"],
        "Omfördelning efter delårsrapporten"
    );
    app.patch(
        &format!("/api/v1/budget-lines/{}", line.id()),
        &editor,
        json!({"planned": 120000}),
    )
    .await
    .assert_status(200);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=plans&id={plan}"),
            &editor,
        )
        .await;
    let statuses: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["after"]["status"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(statuses, vec!["draft", "adopted", "adopted", "draft"]);

    // Adopt again, then close.
    app.post(&format!("/api/v1/plans/{plan}/adopt"), &editor, adoption())
        .await
        .assert_status(200);
    let r = app
        .post(&format!("/api/v1/plans/{plan}/close"), &editor, json!({}))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    app.post(&format!("/api/v1/plans/{plan}/close"), &editor, json!({}))
        .await
        .assert_status(409);
}

#[tokio::test]
async fn budget_lines_crud_filters_and_rules() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "IFO").await;
    let plan = app.plan(&object, 2026).await;
    let other_plan = app.plan(&app.object(&t.school, "Skola").await, 2027).await;
    let mut ids = Vec::new();
    for (p, category, period, planned) in [
        (&plan, "maintenance", "year", 400000),
        (&plan, "development", "q1", 100000),
        (&plan, "development", "q2", 150000),
        (&other_plan, "licences", "year", 90000),
    ] {
        let r = app
            .post(
                "/api/v1/budget-lines",
                &app.admin,
                json!({"plan_id": p, "category": category, "period": period, "planned": planned}),
            )
            .await;
        r.assert_status(201);
        ids.push(r.id());
    }
    let r = app
        .post(
            "/api/v1/budget-lines",
            &app.admin,
            json!({"plan_id": plan, "category": "development", "period": "q1", "planned": 1}),
        )
        .await;
    r.assert_status(409);
    let r = app
        .post(
            "/api/v1/budget-lines",
            &app.admin,
            json!({"plan_id": plan, "category": "hardware", "planned": -5}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["category"]);
    let r = app
        .post(
            "/api/v1/budget-lines",
            &app.admin,
            json!({"plan_id": plan, "category": "other", "planned": -5, "forecast": 1.5}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["forecast"]);
    let r = app
        .post(
            "/api/v1/budget-lines",
            &app.admin,
            json!({"plan_id": plan, "category": "other", "planned": -5}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["planned"]);
    for (q, n) in [
        (format!("plan_id={plan}"), 3),
        ("category=development".to_string(), 2),
        ("period=year".into(), 2),
        ("year=2027".into(), 1),
        (format!("within={}", t.school), 1),
        (format!("organisation_id={}", t.social), 3),
        (format!("municipality_id={}", t.municipality), 4),
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/budget-lines?{q}"), &app.admin)
                .await
                .total(),
            n,
            "{q}"
        );
    }
    let r = app
        .get("/api/v1/budget-lines?sort=-planned&limit=2", &app.admin)
        .await;
    assert_eq!(r.ids(), vec![ids[0].clone(), ids[2].clone()]);
    assert!(r.body["next"].as_str().is_some());
    let got = app
        .get(&format!("/api/v1/budget-lines/{}", ids[1]), &app.admin)
        .await;
    app.patch_if(
        &format!("/api/v1/budget-lines/{}", ids[1]),
        &app.admin,
        &got.etag(),
        json!({"actual": 99000}),
    )
    .await
    .assert_status(200);
    app.patch_if(
        &format!("/api/v1/budget-lines/{}", ids[1]),
        &app.admin,
        &got.etag(),
        json!({"actual": 1}),
    )
    .await
    .assert_status(412);
    let viewer = app.token("v", Role::Viewer, &[&t.school]);
    assert_eq!(app.get("/api/v1/budget-lines", &viewer).await.total(), 1);
    app.get(&format!("/api/v1/budget-lines/{}", ids[0]), &viewer)
        .await
        .assert_status(403);
    app.delete(&format!("/api/v1/budget-lines/{}", ids[1]), &app.admin)
        .await
        .assert_status(204);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=budget-lines&id={}", ids[1]),
            &app.admin,
        )
        .await;
    assert_eq!(h.total(), 3);
    assert_eq!(h.body["items"][1]["after"]["actual"], 99000);
}
