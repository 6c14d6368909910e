use serde_json::{json, Value};
use styra::auth::Role;

use crate::audit_findings::{action, finding};
use crate::helpers::TestApp;

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

#[tokio::test]
async fn crud_roundtrip_and_completion_dates() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let f = finding(&app, &t.social, "Digital transformation", "2022-03-15").await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/audit-actions",
            &editor,
            json!({"finding_id": f, "description": "Anta plan", "due_date": "2022-12-31"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(
        r.body["organisation_id"],
        json!(t.social),
        "defaults to the addressee"
    );
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["status"], "planned");
    assert_eq!(r.body["completed_on"], Value::Null);
    let got = app
        .get(&format!("/api/v1/audit-actions/{id}"), &editor)
        .await;
    got.assert_status(200);
    let r = app
        .patch_if(
            &format!("/api/v1/audit-actions/{id}"),
            &editor,
            &got.etag(),
            json!({"status": "done", "evidence_url": "https://intranat.example.se/protokoll/12"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(
        r.body["completed_on"],
        json!(today()),
        "done today unless told otherwise"
    );
    app.patch_if(
        &format!("/api/v1/audit-actions/{id}"),
        &editor,
        &got.etag(),
        json!({"description": "X"}),
    )
    .await
    .assert_status(412);
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &editor,
            json!({"completed_on": "2022-11-23"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["completed_on"], "2022-11-23");
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &editor,
            json!({"description": "Anta och följ upp plan"}),
        )
        .await;
    assert_eq!(
        r.body["completed_on"], "2022-11-23",
        "an explicit date stays"
    );
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &editor,
            json!({"status": "in_progress"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(
        r.body["completed_on"],
        Value::Null,
        "reopening clears the date"
    );
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &editor,
            json!({"completed_on": "2022-11-23"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["completed_on"]);
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &editor,
            json!({"status": "done", "completed_on": "2023-01-10"}),
        )
        .await;
    assert_eq!(r.body["completed_on"], "2023-01-10");
    assert_eq!(r.body["version"], 6);

    let done = action(
        &app,
        json!({"finding_id": f, "description": "Redan gjort", "status": "done"}),
    )
    .await;
    assert_eq!(done.body["completed_on"], json!(today()));
    let dated = action(&app, json!({"finding_id": f, "description": "Gjort i fjol", "status": "done", "completed_on": "2025-06-01"})).await;
    assert_eq!(dated.body["completed_on"], "2025-06-01");

    app.delete(&format!("/api/v1/audit-actions/{id}"), &editor)
        .await
        .assert_status(204);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=audit-actions&id={id}"),
            &editor,
        )
        .await;
    assert_eq!(h.total(), 7);
    assert_eq!(h.body["items"][1]["before"]["status"], "planned");
    assert_eq!(h.body["items"][1]["after"]["status"], "done");
    assert_eq!(h.body["items"][6]["action"], "delete");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let f = finding(&app, &t.social, "A", "2022-03-15").await;
    let post = |body: Value| app.post("/api/v1/audit-actions", &app.admin, body);
    for url in [
        "javascript:alert(1)",
        "inte en länk",
        "ftp://example.se/fil",
    ] {
        let r = post(json!({"finding_id": f, "description": "D", "evidence_url": url})).await;
        r.assert_status(422);
        assert_eq!(r.error_fields(), vec!["evidence_url"], "{url}");
    }
    let r = post(json!({"finding_id": f, "description": "", "status": "started"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = post(json!({"finding_id": f, "description": ""})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["description"]);
    let r = post(json!({"finding_id": "missing", "description": "D"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["finding_id"]);
    let r = post(json!({"finding_id": f, "description": "D", "completed_on": "2022-01-01"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["completed_on"]);
    let r = post(json!({"finding_id": f, "description": "D", "owner": "Anna"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["owner"]);
    let other = app.org("municipality", None, "Grannkommunen").await;
    let r = post(json!({"finding_id": f, "description": "D", "organisation_id": other})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let r = post(json!({"finding_id": f, "description": "D", "organisation_id": "missing"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let id = action(
        &app,
        json!({"finding_id": f, "description": "D", "evidence_url": "HTTPS://example.se/a?b=c"}),
    )
    .await
    .id();
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &app.admin,
            json!({"finding_id": f, "evidence_url": "x"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["finding_id"],
        "an action stays with its finding"
    );
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{id}"),
            &app.admin,
            json!({"evidence_url": "x"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["evidence_url"]);
    app.patch(
        &format!("/api/v1/audit-actions/{id}"),
        &app.admin,
        json!({"evidence_url": null}),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn filters_overdue_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let a = finding(&app, &t.municipality, "A", "2021-01-01").await;
    let b = finding(&app, &t.school, "B", "2021-01-01").await;
    for (finding, org, description, due, status) in [
        (&a, &t.social, "late", Some("2020-01-01"), "planned"),
        (
            &a,
            &t.social_admin,
            "late and busy",
            Some("2021-06-01"),
            "in_progress",
        ),
        (
            &a,
            &t.municipality,
            "late but done",
            Some("2020-01-01"),
            "done",
        ),
        (
            &b,
            &t.school,
            "late but cancelled",
            Some("2020-03-01"),
            "cancelled",
        ),
        (&b, &t.school_admin, "future", Some("2099-01-01"), "planned"),
        (&b, &t.school, "undated", None, "planned"),
    ] {
        action(&app, json!({"finding_id": finding, "organisation_id": org, "description": description, "due_date": due, "status": status})).await;
    }
    let descriptions = |r: &crate::helpers::Reply| -> Vec<String> {
        r.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["description"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let r = app
        .get("/api/v1/audit-actions?overdue=true", &app.admin)
        .await;
    r.assert_status(200);
    assert_eq!(descriptions(&r), vec!["late", "late and busy"]);
    let r = app
        .get("/api/v1/audit-actions?overdue=false", &app.admin)
        .await;
    assert_eq!(r.total(), 4);
    let r = app
        .get("/api/v1/audit-actions?sort=due_date", &app.admin)
        .await;
    assert_eq!(
        descriptions(&r).last().map(String::as_str),
        Some("undated"),
        "undated last"
    );
    let r = app
        .get("/api/v1/audit-actions?sort=-due_date&limit=2", &app.admin)
        .await;
    assert_eq!(descriptions(&r), vec!["future", "late and busy"]);
    assert_eq!(r.total(), 6);
    assert!(r.body["next"].as_str().is_some());

    let app = &app;
    let count = |q: String| async move {
        let r = app
            .get(&format!("/api/v1/audit-actions?{q}"), &app.admin)
            .await;
        r.assert_status(200);
        r.total()
    };
    assert_eq!(count(format!("finding_id={a}")).await, 3);
    assert_eq!(count(format!("organisation_id={}", t.school)).await, 2);
    assert_eq!(count(format!("within={}", t.social)).await, 2);
    assert_eq!(count(format!("within={}", t.municipality)).await, 6);
    assert_eq!(
        count(format!("municipality_id={}", t.municipality)).await,
        6
    );
    assert_eq!(count("status=planned".into()).await, 3);
    assert_eq!(count("due_before=2021-01-01".into()).await, 3);
    assert_eq!(count("overdue=true&status=planned".into()).await, 1);
}

#[tokio::test]
async fn scope_lets_committees_act_on_findings_to_the_board() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    // A recommendation to the municipal level, carried out by the social committee.
    let f = finding(&app, &t.municipality, "Styrning av IT", "2021-05-01").await;
    let other_finding = finding(
        &app,
        &app.org("municipality", None, "Grannkommunen").await,
        "X",
        "2021-01-01",
    )
    .await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app
        .post("/api/v1/audit-actions", &editor, json!({"finding_id": f, "organisation_id": t.social_admin, "description": "Plan för socialtjänsten"}))
        .await;
    r.assert_status(201);
    let mine = r.id();
    app.post(
        "/api/v1/audit-actions",
        &editor,
        json!({"finding_id": f, "description": "Addressee by default"}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/audit-actions",
        &editor,
        json!({"finding_id": f, "organisation_id": t.school, "description": "X"}),
    )
    .await
    .assert_status(403);
    let r = app
        .post(
            "/api/v1/audit-actions",
            &app.admin,
            json!({"finding_id": other_finding, "organisation_id": t.social, "description": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let theirs = action(
        &app,
        json!({"finding_id": f, "organisation_id": t.school, "description": "Skolans plan"}),
    )
    .await
    .id();

    let r = app.get("/api/v1/audit-actions", &viewer).await;
    assert_eq!(r.ids(), vec![mine.clone()]);
    app.get(&format!("/api/v1/audit-findings/{f}"), &viewer)
        .await
        .assert_status(403);
    app.get(&format!("/api/v1/audit-actions/{theirs}"), &viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/audit-actions/{mine}"),
        &viewer,
        json!({"status": "done"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/audit-actions/{theirs}"),
        &editor,
        json!({"status": "done"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/audit-actions/{mine}"),
        &editor,
        json!({"organisation_id": t.school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/audit-actions/{theirs}"), &editor)
        .await
        .assert_status(403);
    let r = app
        .patch(
            &format!("/api/v1/audit-actions/{mine}"),
            &editor,
            json!({"organisation_id": t.social}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["organisation_id"], json!(t.social));
}
