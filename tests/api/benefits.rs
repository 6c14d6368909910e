use serde_json::{json, Value};
use styra::auth::Role;

use crate::helpers::{Reply, TestApp};

pub async fn benefit(app: &TestApp, body: Value) -> Reply {
    let r = app.post("/api/v1/benefits", &app.admin, body).await;
    r.assert_status(201);
    r
}

pub async fn follow_up(app: &TestApp, body: Value) -> Reply {
    let r = app
        .post("/api/v1/benefit-follow-ups", &app.admin, body)
        .await;
    r.assert_status(201);
    r
}

fn descriptions(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["description"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn crud_roundtrip() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app
        .activity(&t.social_admin, "Digitalt försörjningsstöd")
        .await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/benefits",
            &editor,
            json!({"activity_id": activity, "description": "Kortare handläggningstid", "indicator": "Median handläggningstid", "unit": "dagar", "baseline": 10.0, "target": 4.0, "target_date": "2027-12-31", "yearly_value_sek": 800000, "external_id": "N-1"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["realised_value_sek"], Value::Null);
    assert_eq!(r.body["last_follow_up"], Value::Null);
    let got = app.get(&format!("/api/v1/benefits/{id}"), &editor).await;
    got.assert_status(200);
    assert_eq!(got.body["yearly_value_sek"], 800000);
    assert_eq!(got.body["baseline"], 10.0);
    let r = app
        .patch_if(
            &format!("/api/v1/benefits/{id}"),
            &editor,
            &got.etag(),
            json!({"target": 5.0, "unit": null, "yearly_value_sek": 650000}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["target"], 5.0);
    assert_eq!(r.body["unit"], Value::Null);
    assert_eq!(r.body["version"], 2);
    app.patch_if(
        &format!("/api/v1/benefits/{id}"),
        &editor,
        &got.etag(),
        json!({"target": 6.0}),
    )
    .await
    .assert_status(412);
    app.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/benefits/{id}"),
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/benefits/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/benefits/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=benefits&id={id}"),
            &editor,
        )
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["yearly_value_sek"], 800000);
    assert_eq!(h.body["items"][1]["after"]["yearly_value_sek"], 650000);
    assert_eq!(h.body["items"][0]["actor"], "anna");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app.activity(&t.social, "Projekt").await;
    let post = |body: Value| app.post("/api/v1/benefits", &app.admin, body);
    let r = post(json!({"activity_id": activity, "description": "", "yearly_value_sek": -1, "unit": "x".repeat(51)})).await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["description", "unit", "yearly_value_sek"]
    );
    let r = post(json!({"activity_id": activity, "description": "D", "baseline": "tio"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["baseline"]);
    let r = post(json!({"description": "D"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id"]);
    let r = post(json!({"activity_id": "missing", "description": "D"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id"]);
    let r =
        post(json!({"activity_id": activity, "description": "D", "realised_value_sek": 5})).await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["realised_value_sek"],
        "computed fields are read-only"
    );
    let id = benefit(&app, json!({"activity_id": activity, "description": "D"}))
        .await
        .id();
    let other = app.org("municipality", None, "Grannkommunen").await;
    let elsewhere = app.activity(&other, "Annat projekt").await;
    let r = app
        .patch(
            &format!("/api/v1/benefits/{id}"),
            &app.admin,
            json!({"activity_id": elsewhere}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id"]);
    let r = app
        .patch(
            &format!("/api/v1/benefits/{id}"),
            &app.admin,
            json!({"yearly_value_sek": 2_000_000_000_000_i64}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["yearly_value_sek"]);
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app.activity(&t.social_admin, "Socialt projekt").await;
    let school = app.activity(&t.school, "Skolprojekt").await;
    let mut ids = Vec::new();
    for (activity, description, target_date) in [
        (&social, "a", Some("2027-06-30")),
        (&social, "b", None),
        (&school, "c", Some("2026-12-31")),
        (&school, "d", Some("2028-01-01")),
    ] {
        ids.push(benefit(&app, json!({"activity_id": activity, "description": description, "target_date": target_date})).await.id());
    }
    follow_up(
        &app,
        json!({"benefit_id": ids[2], "follow_up_date": "2026-06-30", "measured_value": 1.0}),
    )
    .await;
    let r = app.get("/api/v1/benefits", &app.admin).await;
    assert_eq!(
        descriptions(&r),
        vec!["a", "b", "c", "d"],
        "oldest first by default"
    );
    let r = app
        .get("/api/v1/benefits?sort=-created_at&limit=3", &app.admin)
        .await;
    assert_eq!(descriptions(&r), vec!["d", "c", "b"]);
    assert_eq!(r.total(), 4);
    assert!(r.body["next"].as_str().is_some());
    let r = app
        .get("/api/v1/benefits?sort=target_date", &app.admin)
        .await;
    assert_eq!(descriptions(&r), vec!["c", "a", "d", "b"], "undated last");
    let r = app
        .get("/api/v1/benefits?sort=-target_date", &app.admin)
        .await;
    assert_eq!(descriptions(&r), vec!["d", "a", "c", "b"]);
    let r = app
        .get("/api/v1/benefits?sort=-modified_at&limit=1", &app.admin)
        .await;
    assert_eq!(
        descriptions(&r),
        vec!["c"],
        "a follow-up modifies its benefit"
    );
    app.get("/api/v1/benefits?sort=description", &app.admin)
        .await
        .assert_status(422);

    let app = &app;
    let count = |q: String| async move {
        let r = app.get(&format!("/api/v1/benefits?{q}"), &app.admin).await;
        r.assert_status(200);
        r.total()
    };
    assert_eq!(count(format!("activity_id={social}")).await, 2);
    assert_eq!(count(format!("organisation_id={}", t.school)).await, 2);
    assert_eq!(count(format!("organisation_id={}", t.social)).await, 0);
    assert_eq!(count(format!("within={}", t.social)).await, 2);
    assert_eq!(
        count(format!("municipality_id={}", t.municipality)).await,
        4
    );
    assert_eq!(count("has_follow_up=true".into()).await, 1);
    assert_eq!(count("has_follow_up=false".into()).await, 3);
    assert_eq!(count("target_date_before=2027-12-31".into()).await, 2);
}

#[tokio::test]
async fn scope_conflicts_and_moves() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app.activity(&t.social_admin, "Socialt projekt").await;
    let school = app.activity(&t.school_admin, "Skolprojekt").await;
    let mine = benefit(
        &app,
        json!({"activity_id": social, "description": "mine", "external_id": "N-1"}),
    )
    .await
    .id();
    let theirs = benefit(
        &app,
        json!({"activity_id": school, "description": "theirs"}),
    )
    .await
    .id();
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    assert_eq!(
        app.get("/api/v1/benefits", &viewer).await.ids(),
        vec![mine.clone()]
    );
    app.get(&format!("/api/v1/benefits/{theirs}"), &viewer)
        .await
        .assert_status(403);
    app.patch(
        &format!("/api/v1/benefits/{mine}"),
        &viewer,
        json!({"target": 1.0}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/benefits/{theirs}"),
        &editor,
        json!({"target": 1.0}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/benefits/{mine}"),
        &editor,
        json!({"activity_id": school}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/benefits/{theirs}"), &editor)
        .await
        .assert_status(403);
    app.post(
        "/api/v1/benefits",
        &editor,
        json!({"activity_id": school, "description": "X"}),
    )
    .await
    .assert_status(403);

    let r = app
        .post(
            "/api/v1/benefits",
            &app.admin,
            json!({"activity_id": school, "description": "X", "external_id": "N-1"}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));

    // A benefit moves to another activity with its follow-ups.
    let f = follow_up(
        &app,
        json!({"benefit_id": mine, "follow_up_date": "2026-06-30", "measured_value": 1.0}),
    )
    .await
    .id();
    let r = app
        .patch(
            &format!("/api/v1/benefits/{mine}"),
            &app.admin,
            json!({"activity_id": school}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["organisation_id"], json!(t.school_admin));
    let school_viewer = app.token("s", Role::Viewer, &[&t.school]);
    let r = app
        .get(&format!("/api/v1/benefit-follow-ups/{f}"), &school_viewer)
        .await;
    r.assert_status(200);
    assert_eq!(r.body["organisation_id"], json!(t.school_admin));

    let r = app
        .delete(&format!("/api/v1/benefits/{mine}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1 follow-up"));
}
