use serde_json::{json, Value};
use styra::auth::Role;

use crate::benefits::{benefit, follow_up};
use crate::helpers::{Reply, TestApp};

fn dates(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["follow_up_date"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn the_latest_follow_up_realises_the_benefit() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app
        .activity(&t.social_admin, "Digitalt försörjningsstöd")
        .await;
    // Handling time from 10 days down to 4 is worth 800 000 SEK a year.
    let id = benefit(&app, json!({"activity_id": activity, "description": "Kortare handläggningstid", "baseline": 10.0, "target": 4.0, "yearly_value_sek": 800000})).await.id();
    let path = format!("/api/v1/benefits/{id}");
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let read = || app.get(&path, &app.admin);

    follow_up(
        &app,
        json!({"benefit_id": id, "follow_up_date": "2026-03-31", "measured_value": 8.0}),
    )
    .await;
    let b = read().await;
    assert_eq!(b.body["realised_value"], 8.0);
    assert_eq!(
        b.body["realised_value_sek"], 266667,
        "a third of the way, rounded"
    );
    assert_eq!(b.body["last_follow_up"], "2026-03-31");
    assert_eq!(
        b.etag(),
        "\"v2\"",
        "the benefit's ETag follows its follow-ups"
    );

    let r = app
        .post("/api/v1/benefit-follow-ups", &editor, json!({"benefit_id": id, "follow_up_date": "2026-08-31", "measured_value": 7.0, "comment": "Delår 2"}))
        .await;
    r.assert_status(201);
    let latest = r.id();
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(read().await.body["realised_value_sek"], 400000);

    // An older follow-up recorded late does not change what counts.
    let older = follow_up(
        &app,
        json!({"benefit_id": id, "follow_up_date": "2026-01-31", "measured_value": 9.5}),
    )
    .await
    .id();
    let b = read().await;
    assert_eq!(b.body["realised_value"], 7.0);
    assert_eq!(b.etag(), "\"v3\"", "nothing changed, no new version");

    // An explicit SEK figure on the latest follow-up wins; clearing it computes again.
    app.patch(
        &format!("/api/v1/benefit-follow-ups/{latest}"),
        &editor,
        json!({"realised_value_sek": 450000}),
    )
    .await
    .assert_status(200);
    assert_eq!(read().await.body["realised_value_sek"], 450000);
    app.patch(
        &format!("/api/v1/benefit-follow-ups/{latest}"),
        &editor,
        json!({"realised_value_sek": null}),
    )
    .await
    .assert_status(200);
    assert_eq!(read().await.body["realised_value_sek"], 400000);

    // The benefit's own numbers feed the computation too.
    let r = app
        .patch(&path, &editor, json!({"yearly_value_sek": 1000000}))
        .await;
    assert_eq!(r.body["realised_value_sek"], 500000);
    let r = app.patch(&path, &editor, json!({"target": null})).await;
    assert_eq!(
        r.body["realised_value_sek"],
        Value::Null,
        "no target, no progress"
    );
    assert_eq!(r.body["realised_value"], 7.0);
    let r = app.patch(&path, &editor, json!({"target": 4.0})).await;
    assert_eq!(r.body["realised_value_sek"], 500000);

    // Deleting the latest falls back to the one before; beyond the target counts as reached.
    app.delete(&format!("/api/v1/benefit-follow-ups/{latest}"), &editor)
        .await
        .assert_status(204);
    let b = read().await;
    assert_eq!(b.body["realised_value_sek"], 333333);
    assert_eq!(b.body["last_follow_up"], "2026-03-31");
    let beyond = follow_up(
        &app,
        json!({"benefit_id": id, "follow_up_date": "2026-12-31", "measured_value": 2.0}),
    )
    .await
    .id();
    assert_eq!(read().await.body["realised_value_sek"], 1000000);
    // Moving a follow-up's date re-decides which is latest.
    app.patch(
        &format!("/api/v1/benefit-follow-ups/{older}"),
        &editor,
        json!({"follow_up_date": "2027-01-31"}),
    )
    .await
    .assert_status(200);
    let b = read().await;
    assert_eq!(b.body["realised_value"], 9.5);
    assert_eq!(b.body["realised_value_sek"], 83333);

    let h = app
        .get(
            &format!("/api/v1/changes?resource=benefits&id={id}&action=update"),
            &app.admin,
        )
        .await;
    assert_eq!(h.body["items"][0]["actor"], "admin");
    assert_eq!(
        h.body["items"][0]["before"]["realised_value_sek"],
        Value::Null
    );
    assert_eq!(h.body["items"][0]["after"]["realised_value_sek"], 266667);
    assert_eq!(h.body["items"][1]["actor"], "anna");

    for f in [older, beyond] {
        app.delete(&format!("/api/v1/benefit-follow-ups/{f}"), &app.admin)
            .await
            .assert_status(204);
    }
    let remaining = app
        .get(
            &format!("/api/v1/benefit-follow-ups?benefit_id={id}"),
            &app.admin,
        )
        .await;
    for f in remaining.ids() {
        app.delete(&format!("/api/v1/benefit-follow-ups/{f}"), &app.admin)
            .await
            .assert_status(204);
    }
    let b = read().await;
    assert_eq!(b.body["realised_value"], Value::Null);
    assert_eq!(b.body["realised_value_sek"], Value::Null);
    assert_eq!(b.body["last_follow_up"], Value::Null);
}

#[tokio::test]
async fn crud_validation_and_concurrency() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app.activity(&t.social, "Projekt").await;
    let b = benefit(&app, json!({"activity_id": activity, "description": "D"}))
        .await
        .id();
    let post = |body: Value| app.post("/api/v1/benefit-follow-ups", &app.admin, body);
    let r =
        post(json!({"benefit_id": b, "follow_up_date": "2026-02-30", "realised_value_sek": -5}))
            .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["follow_up_date"]);
    let r = post(json!({"benefit_id": b, "follow_up_date": "2026-02-28"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["measured_value"]);
    let r = post(json!({"benefit_id": b, "follow_up_date": "2026-02-28", "measured_value": 1, "realised_value_sek": -5, "comment": "x".repeat(2001)})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["comment", "realised_value_sek"]);
    let r =
        post(json!({"benefit_id": "missing", "follow_up_date": "2026-02-28", "measured_value": 1}))
            .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["benefit_id"]);
    let r = post(
        json!({"benefit_id": b, "follow_up_date": "2026-02-28", "measured_value": 1, "value": 2}),
    )
    .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["value"]);

    let f = follow_up(
        &app,
        json!({"benefit_id": b, "follow_up_date": "2026-02-28", "measured_value": 1.5}),
    )
    .await;
    let id = f.id();
    let got = app
        .get(&format!("/api/v1/benefit-follow-ups/{id}"), &app.admin)
        .await;
    got.assert_status(200);
    assert_eq!(got.body["measured_value"], 1.5);
    let r = app
        .patch(
            &format!("/api/v1/benefit-follow-ups/{id}"),
            &app.admin,
            json!({"benefit_id": b}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["benefit_id"],
        "a follow-up stays with its benefit"
    );
    app.patch_if(
        &format!("/api/v1/benefit-follow-ups/{id}"),
        &app.admin,
        &got.etag(),
        json!({"comment": "Årsanalys"}),
    )
    .await
    .assert_status(200);
    app.patch_if(
        &format!("/api/v1/benefit-follow-ups/{id}"),
        &app.admin,
        &got.etag(),
        json!({"comment": "X"}),
    )
    .await
    .assert_status(412);
    app.send(
        reqwest::Method::DELETE,
        &format!("/api/v1/benefit-follow-ups/{id}"),
        Some(&app.admin),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=benefit-follow-ups&id={id}"),
            &app.admin,
        )
        .await;
    assert_eq!(h.total(), 2);
    assert_eq!(h.body["items"][1]["before"]["comment"], Value::Null);
    assert_eq!(h.body["items"][1]["after"]["comment"], "Årsanalys");
}

#[tokio::test]
async fn filters_sorting_paging_and_scope() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app.activity(&t.social_admin, "Socialt").await;
    let school = app.activity(&t.school, "Skola").await;
    let s1 = benefit(&app, json!({"activity_id": social, "description": "s1"}))
        .await
        .id();
    let s2 = benefit(&app, json!({"activity_id": social, "description": "s2"}))
        .await
        .id();
    let k1 = benefit(&app, json!({"activity_id": school, "description": "k1"}))
        .await
        .id();
    for (b, date) in [
        (&s1, "2026-03-31"),
        (&s1, "2026-08-31"),
        (&s2, "2025-12-31"),
        (&k1, "2026-06-30"),
    ] {
        follow_up(
            &app,
            json!({"benefit_id": b, "follow_up_date": date, "measured_value": 1.0}),
        )
        .await;
    }
    let r = app.get("/api/v1/benefit-follow-ups", &app.admin).await;
    assert_eq!(
        dates(&r),
        vec!["2025-12-31", "2026-03-31", "2026-06-30", "2026-08-31"]
    );
    let r = app
        .get(
            "/api/v1/benefit-follow-ups?sort=-follow_up_date&limit=2&offset=1",
            &app.admin,
        )
        .await;
    assert_eq!(dates(&r), vec!["2026-06-30", "2026-03-31"]);
    assert_eq!(r.total(), 4);
    assert!(r.body["next"]
        .as_str()
        .is_some_and(|n| n.contains("offset=3")));
    let app = &app;
    let count = |q: String| async move {
        let r = app
            .get(&format!("/api/v1/benefit-follow-ups?{q}"), &app.admin)
            .await;
        r.assert_status(200);
        r.total()
    };
    assert_eq!(count(format!("benefit_id={s1}")).await, 2);
    assert_eq!(count(format!("activity_id={social}")).await, 3);
    assert_eq!(count(format!("organisation_id={}", t.school)).await, 1);
    assert_eq!(count(format!("within={}", t.social)).await, 3);
    assert_eq!(
        count(format!("municipality_id={}", t.municipality)).await,
        4
    );
    assert_eq!(count("from=2026-03-31&to=2026-06-30".into()).await, 2);

    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let r = app.get("/api/v1/benefit-follow-ups", &viewer).await;
    assert_eq!(r.total(), 3);
    let theirs = app
        .get(
            &format!("/api/v1/benefit-follow-ups?benefit_id={k1}"),
            &app.admin,
        )
        .await
        .ids();
    app.get(
        &format!("/api/v1/benefit-follow-ups/{}", theirs[0]),
        &viewer,
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/benefit-follow-ups/{}", theirs[0]),
        &editor,
        json!({"comment": "X"}),
    )
    .await
    .assert_status(403);
    app.delete(
        &format!("/api/v1/benefit-follow-ups/{}", theirs[0]),
        &editor,
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/benefit-follow-ups",
        &editor,
        json!({"benefit_id": k1, "follow_up_date": "2026-01-01", "measured_value": 1.0}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/benefit-follow-ups",
        &viewer,
        json!({"benefit_id": s1, "follow_up_date": "2026-01-01", "measured_value": 1.0}),
    )
    .await
    .assert_status(403);
    let r = app.get(&format!("/api/v1/benefits/{k1}"), &app.admin).await;
    assert_eq!(
        r.body["last_follow_up"], "2026-06-30",
        "refused writes change nothing"
    );
}
