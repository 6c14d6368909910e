//! Roadmap actions: adoption by a decision, closing, and the prioritised activity list.

use reqwest::Method;
use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;
use crate::roadmaps::{adoption, roadmap};

#[tokio::test]
async fn adoption_records_a_decision_and_close_ends_it() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/roadmaps",
            &editor,
            roadmap(&t.social, "F", 2026, 2028),
        )
        .await;
    let id = r.id();
    let adopt = format!("/api/v1/roadmaps/{id}/adopt");
    let close = format!("/api/v1/roadmaps/{id}/close");
    let r = app.post(&close, &editor, json!(null)).await;
    r.assert_status(409);
    let r = app
        .post(
            &adopt,
            &editor,
            json!({"decided_on": "2026-02-18", "body": "committee", "outcome": "approved"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["outcome", "summary"]);
    let r = app
        .send(
            Method::POST,
            &adopt,
            Some(&editor),
            Some(&adoption()),
            &[("If-Match", "\"v7\"")],
        )
        .await;
    r.assert_status(412);

    let r = app
        .send(
            Method::POST,
            &adopt,
            Some(&editor),
            Some(&adoption()),
            &[("If-Match", "\"v1\"")],
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "adopted");
    assert_eq!(r.body["adopted_on"], "2026-02-18");
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.etag(), "\"v2\"");
    let decision_id = r.body["decision_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(!decision_id.is_empty());

    let d = app
        .get(&format!("/api/v1/decisions?subject_id={id}"), &editor)
        .await;
    d.assert_status(200);
    assert_eq!(d.ids(), vec![decision_id.clone()]);
    let decision = &d.body["items"][0];
    assert_eq!(decision["kind"], "adoption");
    assert_eq!(decision["outcome"], "approved");
    assert_eq!(decision["diarienummer"], "SN 2026/0031");
    assert_eq!(decision["organisation_id"], json!(t.social));
    assert_eq!(
        decision["subjects"],
        json!([{"resource": "roadmaps", "record_id": id}])
    );
    // The decision that adopted it cannot be deleted from under it.
    app.delete(&format!("/api/v1/decisions/{decision_id}"), &editor)
        .await
        .assert_status(409);

    let r = app.post(&adopt, &editor, adoption()).await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("adopted"));
    let r = app.delete(&format!("/api/v1/roadmaps/{id}"), &editor).await;
    r.assert_status(409);

    let r = app.post(&close, &editor, json!(null)).await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "closed");
    assert_eq!(r.body["decision_id"], json!(decision_id));
    app.post(&close, &editor, json!(null))
        .await
        .assert_status(409);
    app.post(&adopt, &editor, adoption())
        .await
        .assert_status(409);

    let h = app
        .get(
            &format!("/api/v1/changes?resource=roadmaps&id={id}"),
            &editor,
        )
        .await;
    let statuses: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["after"]["status"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(statuses, vec!["draft", "adopted", "closed"]);
    assert_eq!(h.body["items"][1]["before"]["status"], "draft");
}

#[tokio::test]
async fn activities_are_listed_in_priority_order_and_block_deletes() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let id = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            roadmap(&t.social, "F", 2026, 2028),
        )
        .await
        .id();
    let mut activities = Vec::new();
    for (org, title, priority) in [
        (&t.social, "Digitala hembesök", json!(2)),
        (&t.social_admin, "E-arkiv", json!(1)),
        (&t.social, "Ärendeportal", json!(null)),
        (&t.school, "Skolans initiativ", json!(3)),
    ] {
        let a = app.activity(org, title).await;
        app.patch(
            &format!("/api/v1/activities/{a}"),
            &app.admin,
            json!({"roadmap_id": id, "roadmap_priority": priority}),
        )
        .await
        .assert_status(200);
        activities.push(a);
    }
    app.activity(&t.social, "Inte på färdplanen").await;

    let path = format!("/api/v1/roadmaps/{id}/activities");
    let r = app.get(&path, &app.admin).await;
    r.assert_status(200);
    let titles = |r: &crate::helpers::Reply| -> Vec<String> {
        r.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["title"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        titles(&r),
        vec![
            "E-arkiv",
            "Digitala hembesök",
            "Skolans initiativ",
            "Ärendeportal"
        ]
    );
    assert_eq!(r.total(), 4);
    let first = &r.body["items"][0];
    assert_eq!(first["id"], json!(activities[1]));
    assert_eq!(first["roadmap_priority"], 1);
    assert!(first["phase"].is_string());
    assert_eq!(first["organisation_id"], json!(t.social_admin));
    let r = app
        .get(&format!("{path}?sort=-roadmap_priority"), &app.admin)
        .await;
    assert_eq!(
        titles(&r),
        vec![
            "Skolans initiativ",
            "Digitala hembesök",
            "E-arkiv",
            "Ärendeportal"
        ]
    );
    let r = app
        .get(&format!("{path}?sort=title&limit=2&offset=2"), &app.admin)
        .await;
    assert_eq!(titles(&r), vec!["Skolans initiativ", "Ärendeportal"]);
    assert!(r.body["next"].as_str().is_none());
    // Another committee's initiative on the roadmap stays hidden from social's viewer.
    let viewer = app.token("v", Role::Viewer, &[&t.social]);
    let r = app.get(&path, &viewer).await;
    assert_eq!(
        titles(&r),
        vec!["E-arkiv", "Digitala hembesök", "Ärendeportal"]
    );

    let r = app
        .delete(&format!("/api/v1/roadmaps/{id}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("4 activity"));
}
