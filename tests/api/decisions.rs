use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn escalation_to_the_council_makes_an_initiative_municipality_wide() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let initiative = app.activity(&t.social, "Gemensam e-arkivlösning").await;
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    let r = app
        .post(
            "/api/v1/decisions",
            &editor,
            json!({"organisation_id": t.municipality, "decided_on": "2026-03-12", "body": "council", "diarienummer": "KS 2026/0142",
                   "summary": "Rådet antar e-arkiv som kommungemensamt", "kind": "escalation", "outcome": "accepted",
                   "subjects": [{"resource": "activities", "record_id": initiative}]}),
        )
        .await;
    r.assert_status(201);
    let decision = r.id();
    let a = app
        .get(&format!("/api/v1/activities/{initiative}"), &editor)
        .await;
    assert_eq!(a.body["municipality_wide"], true);
    assert_eq!(
        app.get("/api/v1/activities?municipality_wide=true", &editor)
            .await
            .total(),
        1
    );

    let got = app
        .get(&format!("/api/v1/decisions/{decision}"), &editor)
        .await;
    app.patch_if(
        &format!("/api/v1/decisions/{decision}"),
        &editor,
        &got.etag(),
        json!({"outcome": "returned"}),
    )
    .await
    .assert_status(200);
    let a = app
        .get(&format!("/api/v1/activities/{initiative}"), &editor)
        .await;
    assert_eq!(a.body["municipality_wide"], false);
    app.patch_if(
        &format!("/api/v1/decisions/{decision}"),
        &editor,
        &got.etag(),
        json!({"outcome": "accepted"}),
    )
    .await
    .assert_status(412);

    let found = app
        .get(
            &format!("/api/v1/decisions?subject_id={initiative}"),
            &editor,
        )
        .await;
    assert_eq!(found.ids(), vec![decision.clone()]);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=activities&id={initiative}"),
            &editor,
        )
        .await;
    assert_eq!(h.total(), 3, "created, made municipality-wide, returned");
}

#[tokio::test]
async fn decisions_are_validated_filtered_and_scoped() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Annan kommun").await;
    let stranger = app.activity(&other, "Främmande").await;
    let base = |extra: serde_json::Value| {
        let mut b = json!({"organisation_id": t.social, "decided_on": "2026-02-01", "body": "forum", "summary": "Beslut", "kind": "other"});
        if let (Some(b), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        b
    };
    let r = app
        .post(
            "/api/v1/decisions",
            &app.admin,
            base(json!({"kind": "escalation", "outcome": "approved"})),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["outcome", "subjects"]);
    let r = app
        .post("/api/v1/decisions", &app.admin, base(json!({"subjects": [{"resource": "activities", "record_id": stranger}, {"resource": "plans", "record_id": "nope"}]})))
        .await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["subjects[0].record_id", "subjects[1].record_id"]
    );
    let r = app
        .post(
            "/api/v1/decisions",
            &app.admin,
            base(json!({"body": "parliament", "summary": ""})),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["body"]);
    let r = app
        .post(
            "/api/v1/decisions",
            &app.admin,
            base(json!({"summary": ""})),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["summary"]);

    for (org, date, body, kind, dnr) in [
        (&t.social, "2026-01-10", "forum", "prioritisation", "SN 1"),
        (
            &t.social_admin,
            "2026-02-10",
            "management_group",
            "other",
            "SN 2",
        ),
        (&t.school, "2026-03-10", "committee", "other", "BUN 1"),
    ] {
        app.post("/api/v1/decisions", &app.admin, json!({"organisation_id": org, "decided_on": date, "body": body, "kind": kind, "diarienummer": dnr, "summary": "S"}))
            .await
            .assert_status(201);
    }
    for (q, n) in [
        (format!("organisation_id={}", t.social), 1),
        (format!("within={}", t.social), 2),
        (format!("municipality_id={}", t.municipality), 3),
        ("kind=other".to_string(), 2),
        ("body=committee".into(), 1),
        ("diarienummer=SN%202".into(), 1),
        ("decided_from=2026-02-01&decided_to=2026-02-28".into(), 1),
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/decisions?{q}"), &app.admin)
                .await
                .total(),
            n,
            "{q}"
        );
    }
    let r = app
        .get("/api/v1/decisions?sort=-decided_on&limit=1", &app.admin)
        .await;
    assert_eq!(r.body["items"][0]["diarienummer"], "BUN 1");
    assert!(r.body["next"].as_str().is_some());
    let viewer = app.token("v", Role::Viewer, &[&t.school]);
    assert_eq!(app.get("/api/v1/decisions", &viewer).await.total(), 1);
    let social = app
        .get("/api/v1/decisions?diarienummer=SN%201", &app.admin)
        .await
        .ids();
    app.get(&format!("/api/v1/decisions/{}", social[0]), &viewer)
        .await
        .assert_status(403);
    app.delete(&format!("/api/v1/decisions/{}", social[0]), &viewer)
        .await
        .assert_status(403);
    app.delete(&format!("/api/v1/decisions/{}", social[0]), &app.admin)
        .await
        .assert_status(204);
}

#[tokio::test]
async fn an_adopting_decision_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let plan = app.plan(&app.object(&t.social, "O").await, 2027).await;
    let r = app
        .post(
            &format!("/api/v1/plans/{plan}/adopt"),
            &app.admin,
            json!({"decided_on": "2026-11-01", "body": "committee", "summary": "Fastställd"}),
        )
        .await;
    r.assert_status(200);
    let decision = r.body["decision_id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let r = app
        .delete(&format!("/api/v1/decisions/{decision}"), &app.admin)
        .await;
    r.assert_status(409);
}
