use reqwest::Method;
use serde_json::{json, Value};
use styra::auth::Role;

use crate::helpers::TestApp;

pub(crate) fn roadmap(org: &str, name: &str, from: i32, to: i32) -> Value {
    json!({"organisation_id": org, "name": name, "from_year": from, "to_year": to})
}

pub(crate) fn adoption() -> Value {
    json!({"decided_on": "2026-02-18", "body": "committee", "diarienummer": "SN 2026/0031", "summary": "Socialnämnden antar färdplanen."})
}

#[tokio::test]
async fn crud_roundtrip_with_history() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/roadmaps",
            &editor,
            json!({"organisation_id": t.social, "name": "Socialnämndens färdplan", "description": "Välfärd", "from_year": 2026, "to_year": 2028, "external_id": "FP-1"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["decision_id"], json!(null));
    assert_eq!(r.body["adopted_on"], json!(null));
    let got = app.get(&format!("/api/v1/roadmaps/{id}"), &editor).await;
    got.assert_status(200);
    assert_eq!(got.body["external_id"], "FP-1");
    let r = app
        .patch_if(
            &format!("/api/v1/roadmaps/{id}"),
            &editor,
            &got.etag(),
            json!({"to_year": 2029, "description": null, "organisation_id": t.social_admin}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["to_year"], 2029);
    assert_eq!(r.body["description"], json!(null));
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["version"], 2);
    app.patch_if(
        &format!("/api/v1/roadmaps/{id}"),
        &editor,
        &got.etag(),
        json!({"name": "X"}),
    )
    .await
    .assert_status(412);
    app.send(
        Method::DELETE,
        &format!("/api/v1/roadmaps/{id}"),
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/roadmaps/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/roadmaps/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=roadmaps&id={id}"),
            &editor,
        )
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["to_year"], 2028);
    assert_eq!(h.body["items"][1]["after"]["to_year"], 2029);
    assert_eq!(h.body["items"][0]["actor"], "anna");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let path = "/api/v1/roadmaps";
    let r = app
        .post(path, &app.admin, roadmap(&t.social, "F", 2028, 2026))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["to_year"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"organisation_id": t.social, "name": "", "from_year": 1999, "to_year": 2101}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["from_year", "name", "to_year"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"organisation_id": t.social, "name": "F"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["from_year"]);
    let r = app
        .post(path, &app.admin, roadmap("missing", "F", 2026, 2026))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let mut body = roadmap(&t.social, "F", 2026, 2027);
    body["status"] = json!("adopted");
    let r = app.post(path, &app.admin, body).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);

    let id = app
        .post(path, &app.admin, roadmap(&t.social, "F", 2026, 2027))
        .await
        .id();
    let item = format!("{path}/{id}");
    let r = app
        .patch(&item, &app.admin, json!({"status": "adopted"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = app
        .patch(&item, &app.admin, json!({"from_year": 2030}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["to_year"]);
    let other = app.org("municipality", None, "Annan kommun").await;
    let r = app
        .patch(&item, &app.admin, json!({"organisation_id": other}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Eskilstuna kommun").await;
    let mut ids = Vec::new();
    for (org, name, from, to) in [
        (&t.social, "Öppen välfärd", 2024, 2026),
        (&t.social_admin, "Ärendeflöden", 2026, 2028),
        (&t.school, "Åk 9 digitalt", 2025, 2025),
        (&t.school_admin, "Zebra", 2027, 2029),
        (&t.municipality, "Kommunens färdplan", 2026, 2030),
        (&other, "Eskilstunas färdplan", 2026, 2026),
    ] {
        let r = app
            .post("/api/v1/roadmaps", &app.admin, json!({"organisation_id": org, "name": name, "from_year": from, "to_year": to, "external_id": format!("E-{name}")}))
            .await;
        r.assert_status(201);
        ids.push(r.id());
    }
    let r = app
        .get(
            &format!("/api/v1/roadmaps?municipality_id={}", t.municipality),
            &app.admin,
        )
        .await;
    assert_eq!(
        r.names(),
        vec![
            "Kommunens färdplan",
            "Zebra",
            "Åk 9 digitalt",
            "Ärendeflöden",
            "Öppen välfärd"
        ]
    );
    let r = app
        .get("/api/v1/roadmaps?sort=-name&limit=2&offset=1", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Ärendeflöden", "Åk 9 digitalt"]);
    assert_eq!(r.total(), 6);
    assert!(r.body["next"].as_str().is_some());
    let r = app
        .get("/api/v1/roadmaps?sort=from_year&limit=2", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Öppen välfärd", "Åk 9 digitalt"]);
    let r = app
        .get(
            &format!("/api/v1/roadmaps?organisation_id={}", t.social),
            &app.admin,
        )
        .await;
    assert_eq!(r.names(), vec!["Öppen välfärd"]);
    let r = app
        .get(&format!("/api/v1/roadmaps?within={}", t.social), &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Ärendeflöden", "Öppen välfärd"]);
    let r = app
        .get(
            &format!(
                "/api/v1/roadmaps?year=2026&municipality_id={}",
                t.municipality
            ),
            &app.admin,
        )
        .await;
    assert_eq!(
        r.names(),
        vec!["Kommunens färdplan", "Ärendeflöden", "Öppen välfärd"]
    );
    let r = app.get("/api/v1/roadmaps?year=2025", &app.admin).await;
    assert_eq!(r.names(), vec!["Åk 9 digitalt", "Öppen välfärd"]);
    let r = app.get("/api/v1/roadmaps?q=FÄRDPLAN", &app.admin).await;
    assert_eq!(
        r.names(),
        vec!["Eskilstunas färdplan", "Kommunens färdplan"]
    );
    let r = app
        .get("/api/v1/roadmaps?external_id=E-Zebra", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Zebra"]);
    app.post(
        &format!("/api/v1/roadmaps/{}/adopt", ids[3]),
        &app.admin,
        adoption(),
    )
    .await
    .assert_status(200);
    let r = app.get("/api/v1/roadmaps?status=adopted", &app.admin).await;
    assert_eq!(r.names(), vec!["Zebra"]);
    let r = app.get("/api/v1/roadmaps?status=draft", &app.admin).await;
    assert_eq!(r.total(), 5);
    let r = app.get("/api/v1/roadmaps?status=open", &app.admin).await;
    assert_eq!(r.status.as_u16(), 400);
}

#[tokio::test]
async fn scope_limits_reads_writes_and_lists() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            roadmap(&t.social, "S", 2026, 2027),
        )
        .await
        .id();
    let school = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            roadmap(&t.school, "B", 2026, 2027),
        )
        .await
        .id();
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/roadmaps", &viewer).await;
    assert_eq!(r.ids(), vec![social.clone()]);
    assert_eq!(r.total(), 1);
    app.get(&format!("/api/v1/roadmaps/{school}"), &viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/roadmaps/{social}"),
        &viewer,
        json!({"name": "X"}),
    )
    .await
    .assert_status(403);
    app.post(
        &format!("/api/v1/roadmaps/{social}/adopt"),
        &viewer,
        adoption(),
    )
    .await
    .assert_status(403);
    app.post(
        &format!("/api/v1/roadmaps/{school}/adopt"),
        &editor,
        adoption(),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/roadmaps",
        &editor,
        roadmap(&t.school, "X", 2026, 2026),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/roadmaps/{social}"),
        &editor,
        json!({"organisation_id": t.school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/roadmaps/{school}"), &editor)
        .await
        .assert_status(403);
    app.get(&format!("/api/v1/roadmaps/{school}/activities"), &viewer)
        .await
        .assert_status(403);
    let r = app
        .get(
            &format!("/api/v1/roadmaps?organisation_id={}", t.school),
            &viewer,
        )
        .await;
    assert_eq!(r.total(), 0);
    app.send(Method::GET, "/api/v1/roadmaps", None, None, &[])
        .await
        .assert_status(401);
    app.send(
        Method::POST,
        &format!("/api/v1/roadmaps/{social}/close"),
        None,
        None,
        &[],
    )
    .await
    .assert_status(401);
}

#[tokio::test]
async fn external_ids_are_unique_and_goals_block_deletes() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let mut body = roadmap(&t.social, "A", 2026, 2027);
    body["external_id"] = json!("FP-1");
    let id = app
        .post("/api/v1/roadmaps", &app.admin, body.clone())
        .await
        .id();
    body["organisation_id"] = json!(t.school);
    let r = app.post("/api/v1/roadmaps", &app.admin, body).await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));
    app.post(
        "/api/v1/roadmap-goals",
        &app.admin,
        json!({"roadmap_id": id, "description": "Mål"}),
    )
    .await
    .assert_status(201);
    let r = app
        .delete(&format!("/api/v1/roadmaps/{id}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1 goal"));
}
