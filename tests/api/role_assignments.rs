use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

const OBJEKTAGARE: &str = "00000000-0000-7000-8000-000000000001";
const OBJEKTFORVALTARE: &str = "00000000-0000-7000-8000-000000000002";
const SYSTEMAGARE: &str = "00000000-0000-7000-8000-000000000003";

#[tokio::test]
async fn crud_and_who_held_the_role_on_a_day() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "IFO").await;
    let anna = app.person(&t.social_admin, "Anna").await;
    let bo = app.person(&t.social_admin, "Bo").await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let first = app
        .post(
            "/api/v1/role-assignments",
            &editor,
            json!({"person_id": anna, "role_type_id": OBJEKTAGARE, "object_id": object, "valid_from": "2020-01-01", "valid_to": "2023-12-31"}),
        )
        .await;
    first.assert_status(201);
    assert_eq!(first.body["organisation_id"], json!(t.social_admin));
    let second = app
        .post(
            "/api/v1/role-assignments",
            &editor,
            json!({"person_id": bo, "role_type_id": OBJEKTAGARE, "object_id": object, "valid_from": "2024-01-01"}),
        )
        .await;
    second.assert_status(201);

    let r = app
        .get("/api/v1/role-assignments?at=2022-06-30", &editor)
        .await;
    assert_eq!(r.ids(), vec![first.id()]);
    let r = app
        .get("/api/v1/role-assignments?at=2023-12-31", &editor)
        .await;
    assert_eq!(r.ids(), vec![first.id()], "valid_to is inclusive");
    let r = app
        .get("/api/v1/role-assignments?at=2026-01-01", &editor)
        .await;
    assert_eq!(r.ids(), vec![second.id()]);
    let r = app
        .get("/api/v1/role-assignments?at=2019-01-01", &editor)
        .await;
    assert_eq!(r.total(), 0);
    let r = app
        .get("/api/v1/role-assignments?sort=-valid_from", &editor)
        .await;
    assert_eq!(r.ids(), vec![second.id(), first.id()]);
    let r = app
        .get("/api/v1/role-assignments?sort=valid_from&limit=1", &editor)
        .await;
    assert_eq!(r.ids(), vec![first.id()]);
    assert!(r.body["next"].as_str().is_some());

    let got = app
        .get(
            &format!("/api/v1/role-assignments/{}", second.id()),
            &editor,
        )
        .await;
    let r = app
        .patch_if(
            &format!("/api/v1/role-assignments/{}", second.id()),
            &editor,
            &got.etag(),
            json!({"valid_to": "2026-12-31"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["valid_to"], "2026-12-31");
    app.patch_if(
        &format!("/api/v1/role-assignments/{}", second.id()),
        &editor,
        &got.etag(),
        json!({"valid_to": null}),
    )
    .await
    .assert_status(412);
    let r = app
        .patch(
            &format!("/api/v1/role-assignments/{}", second.id()),
            &editor,
            json!({"valid_to": "2000-01-01"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["valid_to"]);
    app.delete(&format!("/api/v1/role-assignments/{}", first.id()), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/role-assignments/{}", first.id()), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!(
                "/api/v1/changes?resource=role-assignments&id={}",
                first.id()
            ),
            &editor,
        )
        .await;
    assert_eq!(h.total(), 2);
    assert_eq!(h.body["items"][1]["before"]["person_id"], json!(anna));
}

#[tokio::test]
async fn targets_and_role_types_must_match() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "O").await;
    let system = app.system(&object, "S").await;
    let person = app.person(&t.social, "P").await;
    let r = app
        .post(
            "/api/v1/role-assignments",
            &app.admin,
            json!({"person_id": person, "role_type_id": SYSTEMAGARE, "object_id": object}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["role_type_id"]);
    let r = app
        .post("/api/v1/role-assignments", &app.admin, json!({"person_id": person, "role_type_id": OBJEKTAGARE, "object_id": object, "system_id": system}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["object_id", "system_id"]);
    let r = app
        .post("/api/v1/role-assignments", &app.admin, json!({"person_id": "ghost", "role_type_id": OBJEKTAGARE, "object_id": object, "valid_from": "2025-01-01", "valid_to": "2024-01-01"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["person_id", "valid_to"]);
    let other = app.org("municipality", None, "Annan kommun").await;
    let stranger = app.person(&other, "Främling").await;
    let r = app
        .post(
            "/api/v1/role-assignments",
            &app.admin,
            json!({"person_id": stranger, "role_type_id": OBJEKTAGARE, "object_id": object}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["person_id"]);
    app.post(
        "/api/v1/role-assignments",
        &app.admin,
        json!({"person_id": person, "role_type_id": SYSTEMAGARE, "system_id": system}),
    )
    .await
    .assert_status(201);
}

#[tokio::test]
async fn filters_and_scope() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app.object(&t.social_admin, "IFO").await;
    let school = app.object(&t.school_admin, "Skola").await;
    let system = app.system(&school, "Elevregister").await;
    let p1 = app.person(&t.social_admin, "P1").await;
    let p2 = app.person(&t.school_admin, "P2").await;
    let mut ids = Vec::new();
    for body in [
        json!({"person_id": p1, "role_type_id": OBJEKTAGARE, "object_id": social}),
        json!({"person_id": p1, "role_type_id": OBJEKTFORVALTARE, "object_id": social}),
        json!({"person_id": p2, "role_type_id": OBJEKTAGARE, "object_id": school}),
        json!({"person_id": p2, "role_type_id": SYSTEMAGARE, "system_id": system}),
    ] {
        let r = app.post("/api/v1/role-assignments", &app.admin, body).await;
        r.assert_status(201);
        ids.push(r.id());
    }
    let count = |q: String| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/role-assignments?{q}"), &app.admin)
                .await
                .total()
        }
    };
    assert_eq!(count(format!("person_id={p1}")).await, 2);
    assert_eq!(count(format!("role_type_id={OBJEKTAGARE}")).await, 2);
    assert_eq!(count(format!("object_id={social}")).await, 2);
    assert_eq!(count(format!("system_id={system}")).await, 1);
    assert_eq!(
        count(format!("organisation_id={}", t.school_admin)).await,
        2
    );
    assert_eq!(count(format!("within={}", t.social)).await, 2);
    assert_eq!(
        count(format!("municipality_id={}", t.municipality)).await,
        4
    );
    assert_eq!(count("target=system".into()).await, 1);
    assert_eq!(count("target=object".into()).await, 3);

    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/role-assignments", &viewer).await;
    assert_eq!(r.total(), 2);
    app.get(&format!("/api/v1/role-assignments/{}", ids[3]), &viewer)
        .await
        .assert_status(403);
    let editor = app.token("e", Role::Editor, &[&t.social]);
    app.post(
        "/api/v1/role-assignments",
        &editor,
        json!({"person_id": p1, "role_type_id": OBJEKTFORVALTARE, "object_id": school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/role-assignments/{}", ids[2]), &editor)
        .await
        .assert_status(403);
}

#[tokio::test]
async fn the_same_person_cannot_hold_the_same_role_twice_at_once() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "IFO").await;
    let anna = app.person(&t.social_admin, "Anna").await;
    let bo = app.person(&t.social_admin, "Bo").await;
    let assign = |person: &str, from: &str, to: Option<&str>| json!({"person_id": person, "role_type_id": OBJEKTAGARE, "object_id": object, "valid_from": from, "valid_to": to});
    let first = app
        .post(
            "/api/v1/role-assignments",
            &app.admin,
            assign(&anna, "2020-01-01", Some("2023-12-31")),
        )
        .await;
    first.assert_status(201);
    // Overlapping periods of the same person and role: 409, naming the existing assignment.
    for (from, to) in [
        ("2023-12-31", None),
        ("2019-01-01", Some("2020-01-01")),
        ("2021-01-01", Some("2021-02-01")),
    ] {
        let r = app
            .post(
                "/api/v1/role-assignments",
                &app.admin,
                assign(&anna, from, to),
            )
            .await;
        r.assert_status(409);
        assert!(
            r.body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(&first.id()),
            "{}",
            r.body
        );
    }
    // A later period, or another person, is fine.
    let later = app
        .post(
            "/api/v1/role-assignments",
            &app.admin,
            assign(&anna, "2024-01-01", None),
        )
        .await;
    later.assert_status(201);
    app.post(
        "/api/v1/role-assignments",
        &app.admin,
        assign(&bo, "2021-01-01", None),
    )
    .await
    .assert_status(201);
    // Stretching the first period into the later one is the same conflict.
    app.patch(
        &format!("/api/v1/role-assignments/{}", first.id()),
        &app.admin,
        json!({"valid_to": null}),
    )
    .await
    .assert_status(409);
}
