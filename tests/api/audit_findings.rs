use serde_json::{json, Value};
use styra::auth::Role;

use crate::helpers::{Reply, TestApp};

pub async fn finding(app: &TestApp, org: &str, title: &str, date: &str) -> String {
    let r = app
        .post(
            "/api/v1/audit-findings",
            &app.admin,
            json!({"organisation_id": org, "audit_title": title, "audit_date": date, "text": "Rekommendation"}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

pub async fn action(app: &TestApp, body: Value) -> Reply {
    let r = app.post("/api/v1/audit-actions", &app.admin, body).await;
    r.assert_status(201);
    r
}

#[tokio::test]
async fn crud_roundtrip() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/audit-findings",
            &editor,
            json!({"organisation_id": t.social, "audit_title": "Granskning av styrning av digitaliseringsarbetet", "audit_firm": "KPMG", "audit_date": "2022-03-15", "reference": "Rek. 3", "text": "Anta en plan för digital transformation.", "external_id": "REV-3"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["response"], Value::Null);
    let got = app
        .get(&format!("/api/v1/audit-findings/{id}"), &editor)
        .await;
    got.assert_status(200);
    assert_eq!(got.body["reference"], "Rek. 3");
    let r = app
        .patch_if(
            &format!("/api/v1/audit-findings/{id}"),
            &editor,
            &got.etag(),
            json!({"response": "Nämnden antar en plan hösten 2022.", "reference": null, "organisation_id": t.social_admin}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["reference"], Value::Null);
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["version"], 2);
    app.patch_if(
        &format!("/api/v1/audit-findings/{id}"),
        &editor,
        &got.etag(),
        json!({"response": "X"}),
    )
    .await
    .assert_status(412);
    app.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/audit-findings/{id}"),
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/audit-findings/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/audit-findings/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=audit-findings&id={id}"),
            &editor,
        )
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["response"], Value::Null);
    assert_eq!(
        h.body["items"][1]["after"]["response"],
        "Nämnden antar en plan hösten 2022."
    );
    assert_eq!(h.body["items"][2]["before"]["audit_firm"], "KPMG");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let post = |body: Value| app.post("/api/v1/audit-findings", &app.admin, body);
    let r = post(json!({"organisation_id": t.social, "audit_title": "", "audit_date": "2022-03-15", "text": "", "reference": "x".repeat(51)})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["audit_title", "reference", "text"]);
    let r = post(json!({"organisation_id": t.social, "audit_title": "A", "text": "T"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["audit_date"]);
    let r = post(json!({"organisation_id": t.social, "audit_title": "A", "audit_date": "15/3/2022", "text": "T"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["audit_date"]);
    let r = post(json!({"organisation_id": "missing", "audit_title": "A", "audit_date": "2022-03-15", "text": "T"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let r = post(json!({"organisation_id": t.social, "audit_title": "A", "audit_date": "2022-03-15", "text": "T", "auditor": "EY"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["auditor"]);
    let id = finding(&app, &t.social, "A", "2022-03-15").await;
    let other = app.org("municipality", None, "Grannkommunen").await;
    let r = app
        .patch(
            &format!("/api/v1/audit-findings/{id}"),
            &app.admin,
            json!({"organisation_id": other}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let r = app
        .patch(
            &format!("/api/v1/audit-findings/{id}"),
            &app.admin,
            json!({"text": ""}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["text"]);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    for (org, title, firm, date) in [
        (&t.municipality, "Styrning av IT", "EY", "2021-05-01"),
        (&t.social, "Styrning av IT", "EY", "2021-05-01"),
        (&t.social_admin, "Informationssäkerhet", "PwC", "2020-02-01"),
        (&t.school, "Digital transformation", "KPMG", "2022-03-15"),
    ] {
        app.post(
            "/api/v1/audit-findings",
            &app.admin,
            json!({"organisation_id": org, "audit_title": title, "audit_firm": firm, "audit_date": date, "text": "R"}),
        )
        .await
        .assert_status(201);
    }
    let dates = |r: &Reply| -> Vec<String> {
        r.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["audit_date"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let r = app.get("/api/v1/audit-findings", &app.admin).await;
    assert_eq!(
        dates(&r),
        vec!["2022-03-15", "2021-05-01", "2021-05-01", "2020-02-01"],
        "newest first"
    );
    let r = app
        .get("/api/v1/audit-findings?sort=audit_date&limit=2", &app.admin)
        .await;
    assert_eq!(dates(&r), vec!["2020-02-01", "2021-05-01"]);
    assert_eq!(r.total(), 4);
    assert!(r.body["next"].as_str().is_some());
    let app = &app;
    let count = |q: String| async move {
        let r = app
            .get(&format!("/api/v1/audit-findings?{q}"), &app.admin)
            .await;
        r.assert_status(200);
        r.total()
    };
    assert_eq!(count(format!("organisation_id={}", t.social)).await, 1);
    assert_eq!(count(format!("within={}", t.social)).await, 2);
    assert_eq!(
        count(format!("municipality_id={}", t.municipality)).await,
        4
    );
    assert_eq!(count("audit_title=Styrning%20av%20IT".into()).await, 2);
    assert_eq!(count("audit_firm=PwC".into()).await, 1);
    assert_eq!(count("audit_year=2021".into()).await, 2);
    assert_eq!(count("audit_year=2019".into()).await, 0);
    app.get("/api/v1/audit-findings?audit_year=999999", &app.admin)
        .await
        .assert_status(422);
    app.get("/api/v1/audit-findings?sort=text", &app.admin)
        .await
        .assert_status(422);
}

#[tokio::test]
async fn open_actions_guard_deletes_and_filter_findings() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let open = finding(&app, &t.social, "A", "2021-01-01").await;
    let settled = finding(&app, &t.social, "B", "2021-01-01").await;
    let bare = finding(&app, &t.social, "C", "2021-01-01").await;
    action(
        &app,
        json!({"finding_id": open, "description": "Gör", "status": "in_progress"}),
    )
    .await;
    action(
        &app,
        json!({"finding_id": settled, "description": "Gjort", "status": "done"}),
    )
    .await;
    action(
        &app,
        json!({"finding_id": settled, "description": "Struket", "status": "cancelled"}),
    )
    .await;
    let r = app
        .get("/api/v1/audit-findings?has_open_actions=true", &app.admin)
        .await;
    assert_eq!(r.ids(), vec![open.clone()]);
    let r = app
        .get(
            "/api/v1/audit-findings?has_open_actions=false&sort=created_at",
            &app.admin,
        )
        .await;
    assert_eq!(r.ids(), vec![settled.clone(), bare.clone()]);

    let r = app
        .delete(&format!("/api/v1/audit-findings/{settled}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("2 action"));
    app.delete(&format!("/api/v1/audit-findings/{bare}"), &app.admin)
        .await
        .assert_status(204);
}

#[tokio::test]
async fn scope_and_external_ids() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let mine = finding(&app, &t.social_admin, "A", "2021-01-01").await;
    let theirs = finding(&app, &t.school, "B", "2021-01-01").await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/audit-findings", &viewer).await;
    assert_eq!(r.ids(), vec![mine.clone()]);
    app.get(&format!("/api/v1/audit-findings/{theirs}"), &viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/audit-findings/{mine}"),
        &viewer,
        json!({"response": "X"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/audit-findings/{theirs}"),
        &editor,
        json!({"response": "X"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/audit-findings/{mine}"),
        &editor,
        json!({"organisation_id": t.school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/audit-findings/{theirs}"), &editor)
        .await
        .assert_status(403);
    app.post(
        "/api/v1/audit-findings",
        &editor,
        json!({"organisation_id": t.school, "audit_title": "A", "audit_date": "2021-01-01", "text": "T"}),
    )
    .await
    .assert_status(403);

    let body = json!({"organisation_id": t.social, "audit_title": "A", "audit_date": "2021-01-01", "text": "T", "external_id": "REK-1"});
    app.post("/api/v1/audit-findings", &app.admin, body.clone())
        .await
        .assert_status(201);
    let r = app.post("/api/v1/audit-findings", &app.admin, body).await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));
    let other = app.org("municipality", None, "Grannkommunen").await;
    app.post(
        "/api/v1/audit-findings",
        &app.admin,
        json!({"organisation_id": other, "audit_title": "A", "audit_date": "2021-01-01", "text": "T", "external_id": "REK-1"}),
    )
    .await
    .assert_status(201);
}
