use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn crud_roundtrip_and_filters() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .post(
            "/api/v1/people",
            &app.admin,
            json!({"organisation_id": t.social_admin, "name": "Örjan Ek", "email": "Orjan.Ek@Lund.se", "title": "Objektägare IFO", "external_id": "HR-1"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["email"], "orjan.ek@lund.se");
    for (org, name) in [
        (&t.social_admin, "Anna Andersson"),
        (&t.school_admin, "Åke Åberg"),
        (&t.school, "Zlatan Berg"),
        (&t.social, "Ärla Lind"),
    ] {
        app.person(org, name).await;
    }
    let r = app.get("/api/v1/people?sort=name", &app.admin).await;
    assert_eq!(
        r.names(),
        vec![
            "Anna Andersson",
            "Zlatan Berg",
            "Åke Åberg",
            "Ärla Lind",
            "Örjan Ek"
        ]
    );
    let r = app
        .get("/api/v1/people?sort=-name&limit=2", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Örjan Ek", "Ärla Lind"]);
    assert!(r.body["next"].as_str().is_some());
    let r = app
        .get(
            &format!("/api/v1/people?organisation_id={}", t.social_admin),
            &app.admin,
        )
        .await;
    assert_eq!(r.total(), 2);
    let r = app
        .get(&format!("/api/v1/people?within={}", t.school), &app.admin)
        .await;
    assert_eq!(r.total(), 2);
    let r = app
        .get(
            &format!("/api/v1/people?municipality_id={}", t.municipality),
            &app.admin,
        )
        .await;
    assert_eq!(r.total(), 5);
    let r = app
        .get("/api/v1/people?email=ORJAN.EK@lund.se", &app.admin)
        .await;
    assert_eq!(r.ids(), vec![id.clone()]);
    let r = app.get("/api/v1/people?external_id=HR-1", &app.admin).await;
    assert_eq!(r.ids(), vec![id.clone()]);
    let r = app.get("/api/v1/people?q=åberg", &app.admin).await;
    assert_eq!(r.names(), vec!["Åke Åberg"]);

    let got = app.get(&format!("/api/v1/people/{id}"), &app.admin).await;
    let r = app
        .patch_if(
            &format!("/api/v1/people/{id}"),
            &app.admin,
            &got.etag(),
            json!({"title": "IT-strateg", "email": null}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["title"], "IT-strateg");
    assert_eq!(r.body["email"], json!(null));
    app.patch_if(
        &format!("/api/v1/people/{id}"),
        &app.admin,
        &got.etag(),
        json!({"title": "X"}),
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/people/{id}"), &app.admin)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/people/{id}"), &app.admin)
        .await
        .assert_status(404);
}

#[tokio::test]
async fn validation_and_roles() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .post(
            "/api/v1/people",
            &app.admin,
            json!({"organisation_id": t.social, "name": "", "email": "not-an-address"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["email", "name"]);
    let editor = app.token("e", Role::Editor, &[&t.social]);
    app.post(
        "/api/v1/people",
        &editor,
        json!({"organisation_id": t.social, "name": "Bo"}),
    )
    .await
    .assert_status(403);
    app.person(&t.social, "Bo").await;
    app.person(&t.school, "Cia").await;
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/people", &viewer).await;
    assert_eq!(r.names(), vec!["Bo"]);
    app.post(
        "/api/v1/people",
        &app.admin,
        json!({"organisation_id": t.social, "name": "D", "external_id": "HR-9"}),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/people",
        &app.admin,
        json!({"organisation_id": t.school, "name": "E", "external_id": "HR-9"}),
    )
    .await
    .assert_status(409);
}

#[tokio::test]
async fn erasing_a_person_with_roles_needs_force_and_scrubs_history() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "IFO").await;
    let r = app
        .post(
            "/api/v1/people",
            &app.admin,
            json!({"organisation_id": t.social, "name": "Greta Hemlig", "email": "greta@kommun.se"}),
        )
        .await;
    let person = r.id();
    let ra = app
        .post(
            "/api/v1/role-assignments",
            &app.admin,
            json!({"person_id": person, "role_type_id": "00000000-0000-7000-8000-000000000001", "object_id": object, "valid_from": "2020-01-01"}),
        )
        .await;
    ra.assert_status(201);
    let r = app
        .delete(&format!("/api/v1/people/{person}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("force=true"));

    app.delete(&format!("/api/v1/people/{person}?force=true"), &app.admin)
        .await
        .assert_status(204);
    let a = app
        .get(&format!("/api/v1/role-assignments/{}", ra.id()), &app.admin)
        .await;
    a.assert_status(200);
    assert_eq!(a.body["person_id"], json!(null));
    assert!(
        a.body["valid_to"].is_string(),
        "the assignment ended: {}",
        a.body
    );

    let h = app
        .get(
            &format!("/api/v1/changes?resource=people&id={person}"),
            &app.admin,
        )
        .await;
    let text = h.body.to_string();
    assert!(
        !text.contains("Greta"),
        "personal data left in history: {text}"
    );
    assert!(!text.contains("greta@kommun.se"));
    assert_eq!(h.total(), 2);
}
