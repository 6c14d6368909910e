use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn crud_roundtrip() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/objects",
            &editor,
            json!({"organisation_id": t.social_admin, "name": "Verksamhetssystem IFO", "description": "Individ- och familjeomsorg", "business_area": "Socialtjänst", "status": "planned", "external_id": "OBJ-1"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["status"], "planned");
    let got = app.get(&format!("/api/v1/objects/{id}"), &editor).await;
    got.assert_status(200);
    assert_eq!(got.body["business_area"], "Socialtjänst");
    let r = app
        .patch_if(
            &format!("/api/v1/objects/{id}"),
            &editor,
            &got.etag(),
            json!({"status": "active", "description": null}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["description"], json!(null));
    assert_eq!(r.body["version"], 2);
    app.patch_if(
        &format!("/api/v1/objects/{id}"),
        &editor,
        &got.etag(),
        json!({"status": "retired"}),
    )
    .await
    .assert_status(412);
    app.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/objects/{id}"),
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/objects/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/objects/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=objects&id={id}"),
            &editor,
        )
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["status"], "planned");
    assert_eq!(h.body["items"][1]["after"]["status"], "active");
    assert_eq!(h.body["items"][0]["actor"], "anna");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .post(
            "/api/v1/objects",
            &app.admin,
            json!({"organisation_id": t.social, "name": "", "external_id": ""}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["external_id", "name"]);
    let r = app
        .post(
            "/api/v1/objects",
            &app.admin,
            json!({"organisation_id": t.social, "name": "X", "status": "open"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = app
        .post("/api/v1/objects", &app.admin, json!({"name": "X"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let r = app
        .post(
            "/api/v1/objects",
            &app.admin,
            json!({"organisation_id": "missing", "name": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
    let r = app
        .post(
            "/api/v1/objects",
            &app.admin,
            json!({"organisation_id": t.social, "name": "X", "owner": "Anna"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["owner"]);
    let raw = app
        .client
        .post(app.url("/api/v1/objects"))
        .bearer_auth(&app.admin)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(raw.status().as_u16(), 400);
    let raw = app
        .client
        .post(app.url("/api/v1/objects"))
        .bearer_auth(&app.admin)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("send");
    assert_eq!(raw.status().as_u16(), 415);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    for (org, name, status, area) in [
        (
            &t.social_admin,
            "Öppna jämförelser",
            "active",
            "Socialtjänst",
        ),
        (
            &t.social_admin,
            "Ärendehantering",
            "planned",
            "Socialtjänst",
        ),
        (&t.social, "Ålderdomshem", "retired", "Äldreomsorg"),
        (&t.school_admin, "Skolplattform", "active", "Utbildning"),
        (&t.school_admin, "Zoom", "active", "Utbildning"),
        (&t.school, "Antagning", "active", "Utbildning"),
    ] {
        let r = app
            .post("/api/v1/objects", &app.admin, json!({"organisation_id": org, "name": name, "status": status, "business_area": area, "external_id": format!("E-{name}")}))
            .await;
        r.assert_status(201);
    }
    let r = app.get("/api/v1/objects?sort=name", &app.admin).await;
    assert_eq!(
        r.names(),
        vec![
            "Antagning",
            "Skolplattform",
            "Zoom",
            "Ålderdomshem",
            "Ärendehantering",
            "Öppna jämförelser"
        ]
    );
    let r = app
        .get("/api/v1/objects?sort=-name&limit=4&offset=1", &app.admin)
        .await;
    assert_eq!(
        r.names(),
        vec!["Ärendehantering", "Ålderdomshem", "Zoom", "Skolplattform"]
    );
    assert_eq!(r.total(), 6);
    assert!(r.body["next"].as_str().is_some());
    let r = app
        .get(
            &format!("/api/v1/objects?organisation_id={}", t.social_admin),
            &app.admin,
        )
        .await;
    assert_eq!(r.total(), 2);
    let r = app
        .get(&format!("/api/v1/objects?within={}", t.social), &app.admin)
        .await;
    assert_eq!(r.total(), 3);
    let r = app
        .get(
            &format!("/api/v1/objects?municipality_id={}", t.municipality),
            &app.admin,
        )
        .await;
    assert_eq!(r.total(), 6);
    let r = app.get("/api/v1/objects?status=active", &app.admin).await;
    assert_eq!(r.total(), 4);
    let r = app
        .get(
            "/api/v1/objects?business_area=Utbildning&status=active&sort=name",
            &app.admin,
        )
        .await;
    assert_eq!(r.names(), vec!["Antagning", "Skolplattform", "Zoom"]);
    let r = app
        .get("/api/v1/objects?external_id=E-Zoom", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Zoom"]);
    let r = app.get("/api/v1/objects?q=JÄMFÖR", &app.admin).await;
    assert_eq!(r.names(), vec!["Öppna jämförelser"]);
    let r = app.get("/api/v1/objects?q=50%25", &app.admin).await;
    assert_eq!(r.total(), 0, "% is matched literally");
    let r = app
        .get("/api/v1/objects?sort=-status&limit=1", &app.admin)
        .await;
    assert_eq!(r.body["items"][0]["status"], "retired");
}

#[tokio::test]
async fn scope_limits_reads_writes_and_lists() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let ifo = app.object(&t.social_admin, "IFO-system").await;
    let school = app.object(&t.school_admin, "Skolplattform").await;
    let social_editor = app.token("e", Role::Editor, &[&t.social]);
    let social_viewer = app.token("v", Role::Viewer, &[&t.social]);

    let r = app.get("/api/v1/objects", &social_viewer).await;
    assert_eq!(r.ids(), vec![ifo.clone()]);
    assert_eq!(r.total(), 1);
    app.get(&format!("/api/v1/objects/{school}"), &social_viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/objects/{ifo}"),
        &social_viewer,
        json!({"name": "X"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/objects/{school}"),
        &social_editor,
        json!({"name": "X"}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/objects",
        &social_editor,
        json!({"organisation_id": t.school, "name": "X"}),
    )
    .await
    .assert_status(403);
    // Handing an object to an organisation outside scope is refused too.
    app.patch(
        &format!("/api/v1/objects/{ifo}"),
        &social_editor,
        json!({"organisation_id": t.school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/objects/{school}"), &social_editor)
        .await
        .assert_status(403);
    // Filtering on an organisation outside scope shows nothing rather than leaking.
    let r = app
        .get(
            &format!("/api/v1/objects?organisation_id={}", t.school_admin),
            &social_viewer,
        )
        .await;
    assert_eq!(r.total(), 0);
}

#[tokio::test]
async fn moving_an_object_moves_its_systems_and_roles() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "E-tjänsteplattform").await;
    let system = app.system(&object, "Mina sidor").await;
    let person = app.person(&t.social_admin, "Åsa Öberg").await;
    let r = app
        .post(
            "/api/v1/role-assignments",
            &app.admin,
            json!({"person_id": person, "role_type_id": "00000000-0000-7000-8000-000000000003", "system_id": system}),
        )
        .await;
    r.assert_status(201);
    app.patch(
        &format!("/api/v1/objects/{object}"),
        &app.admin,
        json!({"organisation_id": t.school_admin}),
    )
    .await
    .assert_status(200);
    let school_viewer = app.token("v", Role::Viewer, &[&t.school]);
    let s = app
        .get(&format!("/api/v1/systems/{system}"), &school_viewer)
        .await;
    s.assert_status(200);
    assert_eq!(s.body["organisation_id"], json!(t.school_admin));
    let ra = app.get("/api/v1/role-assignments", &school_viewer).await;
    assert_eq!(ra.total(), 1);

    let other = app.org("municipality", None, "Annan kommun").await;
    let r = app
        .patch(
            &format!("/api/v1/objects/{object}"),
            &app.admin,
            json!({"organisation_id": other}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_id"]);
}

#[tokio::test]
async fn external_ids_are_unique_per_municipality_and_deletes_check_references() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Grannkommunen").await;
    app.post(
        "/api/v1/objects",
        &app.admin,
        json!({"organisation_id": t.social, "name": "A", "external_id": "O-1"}),
    )
    .await
    .assert_status(201);
    let r = app
        .post(
            "/api/v1/objects",
            &app.admin,
            json!({"organisation_id": t.school, "name": "B", "external_id": "O-1"}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));
    app.post(
        "/api/v1/objects",
        &app.admin,
        json!({"organisation_id": other, "name": "C", "external_id": "O-1"}),
    )
    .await
    .assert_status(201);

    let object = app.object(&t.social, "Med system").await;
    app.system(&object, "Ett system").await;
    let r = app
        .delete(&format!("/api/v1/objects/{object}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1 system"));
}
