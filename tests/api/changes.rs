use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn history_is_scoped_filtered_and_paged() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social_object = app.object(&t.social, "Socialt objekt").await;
    let school_object = app.object(&t.school, "Skolobjekt").await;
    let editor = app.token("karin", Role::Editor, &[&t.school]);
    app.patch(
        &format!("/api/v1/objects/{school_object}"),
        &editor,
        json!({"status": "retired"}),
    )
    .await
    .assert_status(200);

    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/changes?resource=objects", &viewer).await;
    r.assert_status(200);
    assert_eq!(
        r.total(),
        1,
        "only the social committee's object: {}",
        r.body
    );
    assert_eq!(r.body["items"][0]["record_id"], json!(social_object));
    let r = app
        .get(
            &format!("/api/v1/changes?resource=objects&id={school_object}"),
            &viewer,
        )
        .await;
    assert_eq!(r.total(), 0);

    let r = app.get("/api/v1/changes?actor=karin", &app.admin).await;
    assert_eq!(r.total(), 1);
    assert_eq!(r.body["items"][0]["after"]["status"], "retired");
    let r = app
        .get(
            &format!("/api/v1/changes?organisation_id={}", t.school),
            &app.admin,
        )
        .await;
    // The school committee, its administration, its object (created and updated).
    assert_eq!(r.total(), 4);
    let r = app.get("/api/v1/changes?action=update", &app.admin).await;
    assert_eq!(r.total(), 1);

    let all = app.get("/api/v1/changes?limit=3", &app.admin).await;
    assert_eq!(all.body["items"].as_array().map(|a| a.len()), Some(3));
    assert!(all.body["next"].as_str().is_some());
    let last_at = all.body["items"][2]["at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let since = app
        .get(&format!("/api/v1/changes?since={last_at}"), &app.admin)
        .await;
    assert!(since.total() >= 1 && since.total() < all.total());
    app.get("/api/v1/changes?since=yesterday", &app.admin)
        .await
        .assert_status(422);
    app.get("/api/v1/changes?since=2000-01-01", &app.admin)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn a_failed_write_records_nothing() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let before = app.get("/api/v1/changes", &app.admin).await.total();
    app.post(
        "/api/v1/objects",
        &app.admin,
        json!({"organisation_id": t.social, "name": ""}),
    )
    .await
    .assert_status(422);
    let object = app.object(&t.social, "O").await;
    app.system(&object, "S").await;
    app.delete(&format!("/api/v1/objects/{object}"), &app.admin)
        .await
        .assert_status(409);
    let after = app.get("/api/v1/changes", &app.admin).await.total();
    assert_eq!(after, before + 2, "only the object and system creations");
}
