use reqwest::Method;
use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

async fn new_roadmap(app: &TestApp, org: &str, name: &str) -> String {
    let r = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            json!({"organisation_id": org, "name": name, "from_year": 2026, "to_year": 2028}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

async fn focus_area(app: &TestApp, municipality: &str, name: &str) -> String {
    let r = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": municipality, "name": name}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

async fn goal(app: &TestApp, roadmap: &str) -> String {
    let r = app
        .post(
            "/api/v1/roadmap-goals",
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "Mål"}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

async fn list(app: &TestApp, query: &str) -> crate::helpers::Reply {
    app.get(&format!("/api/v1/roadmap-goals{query}"), &app.admin)
        .await
}

fn descriptions(r: &crate::helpers::Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["description"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn crud_roundtrip_with_history() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let roadmap = new_roadmap(&app, &t.social, "Färdplan").await;
    let area = focus_area(&app, &t.municipality, "Självklar service").await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/roadmap-goals",
            &editor,
            json!({"roadmap_id": roadmap, "focus_area_id": area, "description": "Fler digitala ansökningar", "indicator": "Andel digitala ansökningar", "unit": "%", "baseline": 35.0, "target": 80.5, "target_date": "2028-12-31", "next_follow_up": "2026-08-31"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["status"], "not_started");
    assert_eq!(r.body["organisation_id"], json!(t.social));
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["target"], 80.5);
    let got = app
        .get(&format!("/api/v1/roadmap-goals/{id}"), &editor)
        .await;
    got.assert_status(200);
    assert_eq!(got.body["baseline"], 35.0);
    let r = app
        .patch_if(
            &format!("/api/v1/roadmap-goals/{id}"),
            &editor,
            &got.etag(),
            json!({"last_follow_up": "2026-08-31", "last_value": 52.25, "next_follow_up": "2026-12-31", "status": "on_track", "unit": null}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "on_track");
    assert_eq!(r.body["last_value"], 52.25);
    assert_eq!(r.body["unit"], json!(null));
    assert_eq!(r.body["version"], 2);
    app.patch_if(
        &format!("/api/v1/roadmap-goals/{id}"),
        &editor,
        &got.etag(),
        json!({"status": "achieved"}),
    )
    .await
    .assert_status(412);
    app.send(
        Method::DELETE,
        &format!("/api/v1/roadmap-goals/{id}"),
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/roadmap-goals/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/roadmap-goals/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=roadmap-goals&id={id}"),
            &editor,
        )
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["status"], "not_started");
    assert_eq!(h.body["items"][1]["after"]["last_value"], 52.25);
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let roadmap = new_roadmap(&app, &t.social, "Färdplan").await;
    let other = app.org("municipality", None, "Annan kommun").await;
    let foreign_area = focus_area(&app, &other, "Främmande").await;
    let path = "/api/v1/roadmap-goals";
    let r = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "", "unit": "", "status": "great"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "", "unit": ""}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["description", "unit"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "Mål", "target": "högt"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["target"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": "missing", "description": "Mål"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["roadmap_id"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "Mål", "focus_area_id": foreign_area}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["focus_area_id"]);
    let r = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "Mål", "weight": 2}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["weight"]);

    let id = app
        .post(
            path,
            &app.admin,
            json!({"roadmap_id": roadmap, "description": "Mål"}),
        )
        .await
        .id();
    let r = app
        .patch(
            &format!("{path}/{id}"),
            &app.admin,
            json!({"focus_area_id": foreign_area}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["focus_area_id"]);
    let theirs = new_roadmap(&app, &other, "Deras färdplan").await;
    let r = app
        .patch(
            &format!("{path}/{id}"),
            &app.admin,
            json!({"roadmap_id": theirs}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["roadmap_id"]);
    let r = app
        .patch(
            &format!("{path}/{id}"),
            &app.admin,
            json!({"organisation_id": t.school}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = new_roadmap(&app, &t.social, "Social").await;
    let social_admin = new_roadmap(&app, &t.social_admin, "Förvaltningen").await;
    let school = new_roadmap(&app, &t.school, "Skola").await;
    let service = focus_area(&app, &t.municipality, "Självklar service").await;
    let welfare = focus_area(&app, &t.municipality, "Smart välfärd").await;
    for (roadmap, area, description, status, target_date, follow_up) in [
        (
            &social,
            &service,
            "A",
            "on_track",
            json!("2028-12-31"),
            json!("2026-06-30"),
        ),
        (
            &social,
            &welfare,
            "B",
            "at_risk",
            json!("2027-06-30"),
            json!(null),
        ),
        (
            &social_admin,
            &service,
            "C",
            "not_started",
            json!(null),
            json!("2026-03-31"),
        ),
        (
            &school,
            &welfare,
            "D",
            "achieved",
            json!("2026-12-31"),
            json!("2026-09-30"),
        ),
    ] {
        app.post(
            "/api/v1/roadmap-goals",
            &app.admin,
            json!({"roadmap_id": roadmap, "focus_area_id": area, "description": description, "status": status, "target_date": target_date, "next_follow_up": follow_up}),
        )
        .await
        .assert_status(201);
    }
    let r = list(&app, "").await;
    assert_eq!(descriptions(&r), vec!["A", "B", "C", "D"]);
    let r = list(&app, "?sort=-created_at&limit=3&offset=1").await;
    assert_eq!(descriptions(&r), vec!["C", "B", "A"]);
    assert_eq!(r.total(), 4);
    assert!(r.body["next"].as_str().is_none());
    let r = list(&app, "?limit=2").await;
    assert!(r.body["next"]
        .as_str()
        .is_some_and(|n| n.contains("offset=2")));
    // Undated goals come last either way, on both databases.
    let r = list(&app, "?sort=target_date").await;
    assert_eq!(descriptions(&r), vec!["D", "B", "A", "C"]);
    let r = list(&app, "?sort=-target_date").await;
    assert_eq!(descriptions(&r), vec!["A", "B", "D", "C"]);
    let r = list(&app, "?sort=next_follow_up").await;
    assert_eq!(descriptions(&r), vec!["C", "A", "D", "B"]);
    let r = list(&app, &format!("?roadmap_id={social}")).await;
    assert_eq!(descriptions(&r), vec!["A", "B"]);
    let r = list(&app, &format!("?focus_area_id={welfare}")).await;
    assert_eq!(descriptions(&r), vec!["B", "D"]);
    let r = list(&app, "?status=at_risk").await;
    assert_eq!(descriptions(&r), vec!["B"]);
    let r = list(&app, &format!("?organisation_id={}", t.social)).await;
    assert_eq!(descriptions(&r), vec!["A", "B"]);
    let r = list(&app, &format!("?within={}", t.social)).await;
    assert_eq!(descriptions(&r), vec!["A", "B", "C"]);
    let r = list(&app, &format!("?municipality_id={}", t.municipality)).await;
    assert_eq!(r.total(), 4);
    let r = list(&app, "?follow_up_before=2026-06-30").await;
    assert_eq!(descriptions(&r), vec!["A", "C"]);
    let r = list(&app, "?q=A").await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["q"]);
    let r = list(&app, "?sort=name").await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["sort"]);
}

#[tokio::test]
async fn scope_follows_the_roadmap() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = new_roadmap(&app, &t.social, "Social").await;
    let school = new_roadmap(&app, &t.school, "Skola").await;
    let ours = goal(&app, &social).await;
    let theirs = goal(&app, &school).await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/roadmap-goals", &viewer).await;
    assert_eq!(r.ids(), vec![ours.clone()]);
    app.get(&format!("/api/v1/roadmap-goals/{theirs}"), &viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/roadmap-goals/{ours}"),
        &viewer,
        json!({"status": "on_track"}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/roadmap-goals",
        &editor,
        json!({"roadmap_id": school, "description": "Mål"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/roadmap-goals/{ours}"),
        &editor,
        json!({"roadmap_id": school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/roadmap-goals/{theirs}"), &editor)
        .await
        .assert_status(403);
    app.send(Method::GET, "/api/v1/roadmap-goals", None, None, &[])
        .await
        .assert_status(401);

    // Handing the roadmap to the school committee takes its goals along.
    app.patch(
        &format!("/api/v1/roadmaps/{social}"),
        &app.admin,
        json!({"organisation_id": t.school_admin}),
    )
    .await
    .assert_status(200);
    let r = app.get("/api/v1/roadmap-goals", &viewer).await;
    assert_eq!(r.total(), 0);
    let school_viewer = app.token("s", Role::Viewer, &[&t.school]);
    let r = app
        .get(&format!("/api/v1/roadmap-goals/{ours}"), &school_viewer)
        .await;
    r.assert_status(200);
    assert_eq!(r.body["organisation_id"], json!(t.school_admin));
}
