use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

const OBJEKTAGARE: &str = "00000000-0000-7000-8000-000000000001";

#[tokio::test]
async fn the_six_role_types_are_seeded_in_swedish_order() {
    let app = TestApp::spawn().await;
    let r = app.get("/api/v1/role-types?sort=name", &app.admin).await;
    r.assert_status(200);
    assert_eq!(
        r.names(),
        vec![
            "Driftansvarig",
            "Objektförvaltare",
            "Objektägare",
            "Systemförvaltare",
            "Systemägare",
            "Verksamhetsrepresentant"
        ]
    );
    let r = app
        .get(
            "/api/v1/role-types?applies_to=system&required=true&sort=name",
            &app.admin,
        )
        .await;
    assert_eq!(r.names(), vec!["Systemförvaltare", "Systemägare"]);
    let r = app.get("/api/v1/role-types?q=ägare", &app.admin).await;
    assert_eq!(r.total(), 2);
}

#[tokio::test]
async fn municipalities_add_their_own_role_types() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Annan kommun").await;
    let local_admin = app.token("la", Role::Admin, &[&t.municipality]);
    let r = app
        .post(
            "/api/v1/role-types",
            &local_admin,
            json!({"municipality_id": t.municipality, "name": "Informationssäkerhetssamordnare", "applies_to": "object", "required": true}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    // Shared role types are for unrestricted admins only.
    app.post(
        "/api/v1/role-types",
        &local_admin,
        json!({"name": "Ny", "applies_to": "object"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/role-types/{OBJEKTAGARE}"),
        &local_admin,
        json!({"required": false}),
    )
    .await
    .assert_status(403);
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    app.post(
        "/api/v1/role-types",
        &editor,
        json!({"municipality_id": t.municipality, "name": "X", "applies_to": "object"}),
    )
    .await
    .assert_status(403);

    let mine = app.token("v", Role::Viewer, &[&t.social]);
    let theirs = app.token("v2", Role::Viewer, &[&other]);
    assert_eq!(app.get("/api/v1/role-types", &mine).await.total(), 7);
    assert_eq!(app.get("/api/v1/role-types", &theirs).await.total(), 6);
    app.get(&format!("/api/v1/role-types/{id}"), &theirs)
        .await
        .assert_status(403);
    assert_eq!(
        app.get("/api/v1/role-types?shared=false", &app.admin)
            .await
            .total(),
        1
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/role-types?municipality_id={other}"),
            &app.admin
        )
        .await
        .total(),
        6
    );

    let got = app
        .get(&format!("/api/v1/role-types/{id}"), &local_admin)
        .await;
    let r = app
        .patch_if(
            &format!("/api/v1/role-types/{id}"),
            &local_admin,
            &got.etag(),
            json!({"description": "Samordnar informationssäkerhet"}),
        )
        .await;
    r.assert_status(200);
    app.patch_if(
        &format!("/api/v1/role-types/{id}"),
        &local_admin,
        &got.etag(),
        json!({"required": false}),
    )
    .await
    .assert_status(412);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=role-types&id={id}"),
            &mine,
        )
        .await;
    assert_eq!(h.total(), 2);

    let r = app
        .post(
            "/api/v1/role-types",
            &app.admin,
            json!({"name": "", "applies_to": "building"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["applies_to"]);
    let r = app
        .post(
            "/api/v1/role-types",
            &app.admin,
            json!({"name": "", "applies_to": "object"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["name"]);

    app.delete(&format!("/api/v1/role-types/{id}"), &local_admin)
        .await
        .assert_status(204);
}

#[tokio::test]
async fn a_role_type_in_use_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "O").await;
    let person = app.person(&t.social, "P").await;
    app.post(
        "/api/v1/role-assignments",
        &app.admin,
        json!({"person_id": person, "role_type_id": OBJEKTAGARE, "object_id": object}),
    )
    .await
    .assert_status(201);
    let r = app
        .delete(&format!("/api/v1/role-types/{OBJEKTAGARE}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1 role assignment"));
    app.patch(
        &format!("/api/v1/role-types/{OBJEKTAGARE}"),
        &app.admin,
        json!({"applies_to": "system"}),
    )
    .await
    .assert_status(409);
}
