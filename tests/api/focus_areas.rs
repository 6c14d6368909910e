use reqwest::Method;
use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn crud_roundtrip_with_history() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let admin = app.token("kalle", Role::Admin, &[&t.municipality]);
    let r = app
        .post(
            "/api/v1/focus-areas",
            &admin,
            json!({"municipality_id": t.municipality, "name": "  Självklar service ", "description": "Tillgänglig kommun", "external_id": "MO-3"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["name"], "Självklar service");
    assert_eq!(r.body["version"], 1);
    assert!(r.body.get("name_sort").is_none());
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/api/v1/focus-areas/{id}").as_str())
    );
    let got = app.get(&format!("/api/v1/focus-areas/{id}"), &admin).await;
    got.assert_status(200);
    assert_eq!(got.etag(), "\"v1\"");
    let r = app
        .patch_if(
            &format!("/api/v1/focus-areas/{id}"),
            &admin,
            &got.etag(),
            json!({"name": "Effektiva stödprocesser", "description": null}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["description"], json!(null));
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.etag(), "\"v2\"");
    app.patch_if(
        &format!("/api/v1/focus-areas/{id}"),
        &admin,
        &got.etag(),
        json!({"name": "X"}),
    )
    .await
    .assert_status(412);
    app.send(
        Method::DELETE,
        &format!("/api/v1/focus-areas/{id}"),
        Some(&admin),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/focus-areas/{id}"), &admin)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/focus-areas/{id}"), &admin)
        .await
        .assert_status(404);

    // The history is readable by anyone working in the municipality, like the areas themselves.
    let viewer = app.token("v", Role::Viewer, &[&t.social_admin]);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=focus-areas&id={id}"),
            &viewer,
        )
        .await;
    h.assert_status(200);
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["name"], "Självklar service");
    assert_eq!(
        h.body["items"][1]["after"]["name"],
        "Effektiva stödprocesser"
    );
    assert_eq!(h.body["items"][0]["actor"], "kalle");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.municipality, "name": "", "external_id": ""}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["external_id", "name"]);
    let r = app
        .post("/api/v1/focus-areas", &app.admin, json!({"name": "X"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["municipality_id"]);
    let r = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.social, "name": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["municipality_id"]);
    let r = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": "missing", "name": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["municipality_id"]);
    let r = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.municipality, "name": "X", "colour": "blå"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["colour"]);
    let id = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.municipality, "name": "X"}),
        )
        .await
        .id();
    // The municipality is fixed once created.
    let r = app
        .patch(
            &format!("/api/v1/focus-areas/{id}"),
            &app.admin,
            json!({"municipality_id": t.municipality}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["municipality_id"]);
}

#[tokio::test]
async fn read_by_the_municipality_written_by_its_admins() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Eskilstuna kommun").await;
    let ours = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.municipality, "name": "Smart välfärd"}),
        )
        .await
        .id();
    let theirs = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": other, "name": "Digitalt hållbar stad"}),
        )
        .await
        .id();

    let viewer = app.token("v", Role::Viewer, &[&t.social_admin]);
    let r = app.get("/api/v1/focus-areas", &viewer).await;
    r.assert_status(200);
    assert_eq!(r.ids(), vec![ours.clone()]);
    app.get(&format!("/api/v1/focus-areas/{ours}"), &viewer)
        .await
        .assert_status(200);
    app.get(&format!("/api/v1/focus-areas/{theirs}"), &viewer)
        .await
        .assert_status(403);
    let r = app
        .get(
            &format!("/api/v1/focus-areas?municipality_id={other}"),
            &viewer,
        )
        .await;
    assert_eq!(r.total(), 0);

    // Editors, and admins of a committee only, may not change the municipality's areas.
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    let committee_admin = app.token("a", Role::Admin, &[&t.social]);
    for token in [&editor, &committee_admin] {
        app.post(
            "/api/v1/focus-areas",
            token,
            json!({"municipality_id": t.municipality, "name": "Y"}),
        )
        .await
        .assert_status(403);
        app.patch(
            &format!("/api/v1/focus-areas/{ours}"),
            token,
            json!({"name": "Y"}),
        )
        .await
        .assert_status(403);
        app.delete(&format!("/api/v1/focus-areas/{ours}"), token)
            .await
            .assert_status(403);
    }
    let admin = app.token("a", Role::Admin, &[&t.municipality]);
    app.patch(
        &format!("/api/v1/focus-areas/{theirs}"),
        &admin,
        json!({"name": "Y"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/focus-areas/{ours}"),
        &admin,
        json!({"name": "Smart och individanpassad välfärd"}),
    )
    .await
    .assert_status(200);
    app.send(Method::GET, "/api/v1/focus-areas", None, None, &[])
        .await
        .assert_status(401);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Burlövs kommun").await;
    for (m, name) in [
        (&t.municipality, "Öppna data"),
        (&t.municipality, "Ärendehantering"),
        (&t.municipality, "Åtkomst och e-legitimation"),
        (&t.municipality, "Zero trust"),
        (&t.municipality, "Självklar service"),
        (&other, "Effektiva stödprocesser"),
    ] {
        app.post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": m, "name": name, "external_id": format!("E-{name}")}),
        )
        .await
        .assert_status(201);
    }
    let r = app
        .get(
            &format!(
                "/api/v1/focus-areas?municipality_id={}&sort=name",
                t.municipality
            ),
            &app.admin,
        )
        .await;
    assert_eq!(
        r.names(),
        vec![
            "Självklar service",
            "Zero trust",
            "Åtkomst och e-legitimation",
            "Ärendehantering",
            "Öppna data"
        ]
    );
    let r = app
        .get(
            "/api/v1/focus-areas?sort=-name&limit=2&offset=1",
            &app.admin,
        )
        .await;
    assert_eq!(
        r.names(),
        vec!["Ärendehantering", "Åtkomst och e-legitimation"]
    );
    assert_eq!(r.total(), 6);
    assert!(r.body["next"]
        .as_str()
        .is_some_and(|n| n.contains("offset=3")));
    let r = app.get("/api/v1/focus-areas?q=ÄREND", &app.admin).await;
    assert_eq!(r.names(), vec!["Ärendehantering"]);
    let r = app
        .get("/api/v1/focus-areas?external_id=E-Zero%20trust", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Zero trust"]);
    let r = app
        .get("/api/v1/focus-areas?sort=-created_at&limit=1", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Effektiva stödprocesser"]);
    let r = app.get("/api/v1/focus-areas?sort=colour", &app.admin).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["sort"]);
}

#[tokio::test]
async fn external_ids_are_unique_and_used_areas_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Sölvesborgs kommun").await;
    let area = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.municipality, "name": "A", "external_id": "MO-1"}),
        )
        .await
        .id();
    let r = app
        .post(
            "/api/v1/focus-areas",
            &app.admin,
            json!({"municipality_id": t.municipality, "name": "B", "external_id": "MO-1"}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));
    app.post(
        "/api/v1/focus-areas",
        &app.admin,
        json!({"municipality_id": other, "name": "C", "external_id": "MO-1"}),
    )
    .await
    .assert_status(201);

    let roadmap = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            json!({"organisation_id": t.social, "name": "Färdplan", "from_year": 2026, "to_year": 2027}),
        )
        .await
        .id();
    let goal = app
        .post(
            "/api/v1/roadmap-goals",
            &app.admin,
            json!({"roadmap_id": roadmap, "focus_area_id": area, "description": "Mål"}),
        )
        .await;
    goal.assert_status(201);
    let r = app
        .delete(&format!("/api/v1/focus-areas/{area}"), &app.admin)
        .await;
    r.assert_status(409);
    let detail = r.body["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("0 activity"), "{detail}");
    assert!(detail.contains("1 roadmap goal"), "{detail}");
    app.patch(
        &format!("/api/v1/roadmap-goals/{}", goal.id()),
        &app.admin,
        json!({"focus_area_id": null}),
    )
    .await
    .assert_status(200);
    app.delete(&format!("/api/v1/focus-areas/{area}"), &app.admin)
        .await
        .assert_status(204);
}
