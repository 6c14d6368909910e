use serde_json::{json, Value};
use styra::auth::Role;

use crate::helpers::TestApp;

async fn risk(app: &TestApp, body: Value) -> String {
    let r = app.post("/api/v1/risks", &app.admin, body).await;
    r.assert_status(201);
    r.id()
}

fn scores(r: &crate::helpers::Reply) -> Vec<i64> {
    r.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["score"].as_i64()).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn crud_roundtrip_on_an_object() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "Verksamhetssystem IFO").await;
    let owner = app.person(&t.social_admin, "Åsa Öberg").await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/risks",
            &editor,
            json!({"object_id": object, "description": "Leverantören avvecklar on-premise", "probability": 3, "consequence": 4, "mitigation": "Upphandla molntjänst", "owner_person_id": owner, "identified_on": "2026-02-10", "review_date": "2026-09-30", "external_id": "RSA-1"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["score"], 12);
    assert_eq!(r.body["status"], "open");
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["activity_id"], Value::Null);
    let got = app.get(&format!("/api/v1/risks/{id}"), &editor).await;
    got.assert_status(200);
    assert_eq!(got.etag(), "\"v1\"");
    let r = app
        .patch_if(
            &format!("/api/v1/risks/{id}"),
            &editor,
            &got.etag(),
            json!({"probability": 1, "status": "mitigating", "mitigation": null}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(
        r.body["score"], 4,
        "score follows probability × consequence"
    );
    assert_eq!(r.body["mitigation"], Value::Null);
    assert_eq!(r.body["version"], 2);
    app.patch_if(
        &format!("/api/v1/risks/{id}"),
        &editor,
        &got.etag(),
        json!({"consequence": 1}),
    )
    .await
    .assert_status(412);
    app.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/risks/{id}"),
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/risks/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/risks/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(&format!("/api/v1/changes?resource=risks&id={id}"), &editor)
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["score"], 12);
    assert_eq!(h.body["items"][1]["after"]["score"], 4);
    assert_eq!(h.body["items"][0]["actor"], "anna");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "IFO").await;
    let post = |body: Value| app.post("/api/v1/risks", &app.admin, body);
    let r =
        post(json!({"object_id": object, "description": "R", "probability": 5, "consequence": 2}))
            .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["probability"]);
    let r =
        post(json!({"object_id": object, "description": "", "probability": 0, "consequence": 9}))
            .await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["consequence", "description", "probability"]
    );
    let r = post(json!({"description": "R", "probability": 1, "consequence": 1})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id", "object_id"]);
    let r = post(json!({"object_id": object, "activity_id": "x", "description": "R", "probability": 1, "consequence": 1})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id", "object_id"]);
    let r = post(
        json!({"object_id": "missing", "description": "R", "probability": 1, "consequence": 1}),
    )
    .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["object_id"]);
    let r = post(json!({"object_id": object, "description": "R", "probability": 1, "consequence": 1, "score": 16, "likelihood": 2})).await;
    r.assert_status(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["likelihood", "score"]);
    let r = post(json!({"object_id": object, "description": "R", "probability": 1, "consequence": 1, "status": "solved"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["status"]);
    let r = post(json!({"object_id": object, "description": "R", "probability": 1})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["consequence"]);

    let other = app.org("municipality", None, "Grannkommunen").await;
    let stranger = app.person(&other, "Bo Ek").await;
    let r = post(json!({"object_id": object, "description": "R", "probability": 1, "consequence": 1, "owner_person_id": stranger, "identified_on": "2026-05-01", "review_date": "2026-04-01"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["owner_person_id", "review_date"]);
    let r = post(json!({"object_id": object, "description": "R", "probability": 1, "consequence": 1, "owner_person_id": "nobody"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["owner_person_id"]);

    let id = risk(
        &app,
        json!({"object_id": object, "description": "R", "probability": 2, "consequence": 2}),
    )
    .await;
    let r = app
        .patch(
            &format!("/api/v1/risks/{id}"),
            &app.admin,
            json!({"object_id": object}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["object_id"],
        "a risk stays on its object"
    );
    let r = app
        .patch(
            &format!("/api/v1/risks/{id}"),
            &app.admin,
            json!({"consequence": 0}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["consequence"]);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let ifo = app.object(&t.social_admin, "IFO").await;
    let school = app.object(&t.school_admin, "Skolplattform").await;
    let owner = app.person(&t.social, "Karin").await;
    for (object, p, c, status, review, owner) in [
        (&ifo, 4, 4, "open", Some("2026-03-01"), Some(&owner)),
        (&ifo, 1, 2, "closed", None, None),
        (&ifo, 3, 3, "mitigating", Some("2026-12-01"), Some(&owner)),
        (&school, 2, 3, "open", Some("2026-01-15"), None),
        (&school, 1, 1, "accepted", Some("2027-06-01"), None),
    ] {
        risk(&app, json!({"object_id": object, "description": format!("{p}x{c}"), "probability": p, "consequence": c, "status": status, "review_date": review, "owner_person_id": owner})).await;
    }
    let r = app.get("/api/v1/risks", &app.admin).await;
    r.assert_status(200);
    assert_eq!(
        scores(&r),
        vec![16, 9, 6, 2, 1],
        "highest score first by default"
    );
    let r = app.get("/api/v1/risks?sort=score", &app.admin).await;
    assert_eq!(scores(&r), vec![1, 2, 6, 9, 16]);
    let r = app.get("/api/v1/risks?sort=review_date", &app.admin).await;
    assert_eq!(scores(&r), vec![6, 16, 9, 1, 2], "undated last");
    let r = app.get("/api/v1/risks?sort=-review_date", &app.admin).await;
    assert_eq!(
        scores(&r),
        vec![1, 9, 16, 6, 2],
        "undated last descending too"
    );
    let r = app.get("/api/v1/risks?limit=2&offset=2", &app.admin).await;
    assert_eq!(scores(&r), vec![6, 2]);
    assert_eq!(r.total(), 5);
    assert!(r.body["next"]
        .as_str()
        .is_some_and(|n| n.contains("offset=4")));
    let last = app.get("/api/v1/risks?limit=2&offset=4", &app.admin).await;
    assert_eq!(last.body["next"], Value::Null);
    app.get("/api/v1/risks?sort=probability", &app.admin)
        .await
        .assert_status(422);

    let app = &app;
    let count = |q: String| async move {
        app.get(&format!("/api/v1/risks?{q}"), &app.admin)
            .await
            .total()
    };
    assert_eq!(count(format!("object_id={ifo}")).await, 3);
    assert_eq!(
        count(format!("organisation_id={}", t.school_admin)).await,
        2
    );
    assert_eq!(count(format!("organisation_id={}", t.school)).await, 0);
    assert_eq!(count(format!("within={}", t.school)).await, 2);
    assert_eq!(
        count(format!("municipality_id={}", t.municipality)).await,
        5
    );
    assert_eq!(count("status=open".into()).await, 2);
    assert_eq!(count("min_score=9".into()).await, 2);
    assert_eq!(count("min_score=9&status=open".into()).await, 1);
    assert_eq!(count("review_before=2026-12-01".into()).await, 2);
    assert_eq!(count(format!("owner_person_id={owner}")).await, 2);
    assert_eq!(count(format!("activity_id={ifo}")).await, 0);
}

#[tokio::test]
async fn scope_limits_reads_writes_and_lists() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let ifo = app.object(&t.social_admin, "IFO").await;
    let school = app.object(&t.school_admin, "Skolplattform").await;
    let mine = risk(
        &app,
        json!({"object_id": ifo, "description": "A", "probability": 2, "consequence": 2}),
    )
    .await;
    let theirs = risk(
        &app,
        json!({"object_id": school, "description": "B", "probability": 2, "consequence": 2}),
    )
    .await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get("/api/v1/risks", &viewer).await;
    assert_eq!(r.ids(), vec![mine.clone()]);
    let r = app
        .get(&format!("/api/v1/risks?within={}", t.school), &viewer)
        .await;
    assert_eq!(r.total(), 0, "filtering outside scope shows nothing");
    app.get(&format!("/api/v1/risks/{theirs}"), &viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/risks/{mine}"),
        &viewer,
        json!({"probability": 1}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/risks/{theirs}"),
        &editor,
        json!({"probability": 1}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/risks/{theirs}"), &editor)
        .await
        .assert_status(403);
    app.post(
        "/api/v1/risks",
        &editor,
        json!({"object_id": school, "description": "C", "probability": 1, "consequence": 1}),
    )
    .await
    .assert_status(403);
    let h = app.get("/api/v1/changes?resource=risks", &viewer).await;
    assert_eq!(h.total(), 1, "history is scoped like the risks");
}

#[tokio::test]
async fn conflicts_moves_and_erasure() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Grannkommunen").await;
    let other_object = app.object(&other, "Annat").await;
    let object = app.object(&t.social_admin, "IFO").await;
    let owner = app.person(&t.social_admin, "Åsa Öberg").await;
    let id = risk(&app, json!({"object_id": object, "description": "A", "probability": 2, "consequence": 2, "external_id": "R-1", "owner_person_id": owner})).await;
    let r = app
        .post("/api/v1/risks", &app.admin, json!({"object_id": object, "description": "B", "probability": 1, "consequence": 1, "external_id": "R-1"}))
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));
    risk(&app, json!({"object_id": other_object, "description": "C", "probability": 1, "consequence": 1, "external_id": "R-1"})).await;

    // The object cannot go while it has risks; when it moves, its risks move along.
    let r = app
        .delete(&format!("/api/v1/objects/{object}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1 risk"));
    app.patch(
        &format!("/api/v1/objects/{object}"),
        &app.admin,
        json!({"organisation_id": t.school}),
    )
    .await
    .assert_status(200);
    let school_viewer = app.token("v", Role::Viewer, &[&t.school]);
    let r = app
        .get(&format!("/api/v1/risks/{id}"), &school_viewer)
        .await;
    r.assert_status(200);
    assert_eq!(r.body["organisation_id"], json!(t.school));

    // Erasing the owner needs force; the risk stays, without the person.
    let r = app
        .delete(&format!("/api/v1/people/{owner}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1 risk"));
    app.delete(&format!("/api/v1/people/{owner}?force=true"), &app.admin)
        .await
        .assert_status(204);
    let r = app.get(&format!("/api/v1/risks/{id}"), &app.admin).await;
    assert_eq!(r.body["owner_person_id"], Value::Null);
    assert_eq!(r.body["version"], 2);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=risks&id={id}"),
            &app.admin,
        )
        .await;
    assert_eq!(
        h.body["items"][1]["before"]["owner_person_id"],
        json!(owner)
    );
}

#[tokio::test]
async fn risks_of_activities() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app.activity(&t.school_admin, "Ny lärplattform").await;
    let object = app.object(&t.school_admin, "Skolplattform").await;
    let r = app
        .post("/api/v1/risks", &app.admin, json!({"activity_id": activity, "description": "Förseningar i upphandlingen", "probability": 4, "consequence": 2}))
        .await;
    r.assert_status(201);
    assert_eq!(r.body["score"], 8);
    assert_eq!(r.body["object_id"], Value::Null);
    assert_eq!(r.body["organisation_id"], json!(t.school_admin));
    risk(
        &app,
        json!({"object_id": object, "description": "RSA", "probability": 1, "consequence": 1}),
    )
    .await;
    let r = app
        .get(&format!("/api/v1/risks?activity_id={activity}"), &app.admin)
        .await;
    assert_eq!(scores(&r), vec![8]);
    let r = app
        .post("/api/v1/risks", &app.admin, json!({"activity_id": "missing", "description": "X", "probability": 1, "consequence": 1}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id"]);
    let social_editor = app.token("e", Role::Editor, &[&t.social]);
    app.post(
        "/api/v1/risks",
        &social_editor,
        json!({"activity_id": activity, "description": "X", "probability": 1, "consequence": 1}),
    )
    .await
    .assert_status(403);
}
