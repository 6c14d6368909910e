use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn crud_in_a_plan_and_outside_plans() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "IFO").await;
    let plan = app.plan(&object, 2027).await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let person = app.person(&t.social_admin, "Åsa").await;
    let r = app
        .post(
            "/api/v1/activities",
            &editor,
            json!({"plan_id": plan, "kind": "project", "title": "Införande av e-arkiv", "purpose_and_goals": "Säker lagring",
                   "start_date": "2027-02-01", "end_date": "2027-12-31", "planned_budget": 900000,
                   "responsible_person_id": person, "expected_benefit": 4, "complexity": 2, "external_id": "A-1",
                   "co_funding": [{"organisation_id": t.social_admin, "amount": 600000}, {"organisation_id": t.school, "amount": 300000}]}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["object_id"], json!(object));
    assert_eq!(r.body["year"], 2027);
    assert_eq!(r.body["phase"], "idea");
    assert_eq!(r.body["co_funding"].as_array().map(|a| a.len()), Some(2));

    let outside = app
        .post("/api/v1/activities", &editor, json!({"organisation_id": t.social, "kind": "initiative", "title": "Digital brevlåda", "start_date": "2026-05-01"}))
        .await;
    outside.assert_status(201);
    assert_eq!(outside.body["year"], 2026);
    assert_eq!(outside.body["plan_id"], json!(null));

    let got = app.get(&format!("/api/v1/activities/{id}"), &editor).await;
    got.assert_status(200);
    let r = app
        .patch_if(
            &format!("/api/v1/activities/{id}"),
            &editor,
            &got.etag(),
            json!({"actual_budget": 450000, "purpose_and_goals": null, "title": "E-arkiv steg 1"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["purpose_and_goals"], json!(null));
    assert_eq!(
        r.body["co_funding"].as_array().map(|a| a.len()),
        Some(2),
        "lists stay unless given"
    );
    app.patch_if(
        &format!("/api/v1/activities/{id}"),
        &editor,
        &got.etag(),
        json!({"title": "x"}),
    )
    .await
    .assert_status(412);
    let r = app
        .patch(
            &format!("/api/v1/activities/{id}"),
            &editor,
            json!({"phase": "completed"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["phase"]);
    let r = app
        .patch(
            &format!("/api/v1/activities/{id}"),
            &editor,
            json!({"year": 2030}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["year"]);

    let h = app
        .get(
            &format!("/api/v1/changes?resource=activities&id={id}"),
            &editor,
        )
        .await;
    assert_eq!(h.total(), 2);
    assert_eq!(
        h.body["items"][1]["before"]["title"],
        "Införande av e-arkiv"
    );
    assert_eq!(h.body["items"][1]["after"]["title"], "E-arkiv steg 1");
    app.delete(&format!("/api/v1/activities/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/activities/{id}"), &editor)
        .await
        .assert_status(404);
}

#[tokio::test]
async fn validation_names_every_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Annan kommun").await;
    let r = app
        .post(
            "/api/v1/activities",
            &app.admin,
            json!({"kind": "project", "title": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["plan_id", "organisation_id"]);
    let r = app
        .post("/api/v1/activities", &app.admin, json!({"organisation_id": t.social, "kind": "project", "title": "", "year": 2026, "expected_benefit": 6, "complexity": 0}))
        .await;
    r.assert_status(422);
    assert_eq!(
        r.error_fields(),
        vec!["complexity", "expected_benefit", "title"]
    );
    let r = app
        .post(
            "/api/v1/activities",
            &app.admin,
            json!({"organisation_id": t.social, "kind": "project", "title": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["year"]);
    let r = app
        .post(
            "/api/v1/activities",
            &app.admin,
            json!({"organisation_id": t.social, "kind": "project", "title": "X", "year": 2026, "start_date": "2026-05-01", "end_date": "2026-01-01",
                   "responsible_person_id": "ghost", "co_funding": [{"organisation_id": other, "amount": 5}]}),
        )
        .await;
    r.assert_status(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            "co_funding",
            "co_funding[0].organisation_id",
            "end_date",
            "responsible_person_id"
        ]
    );
}

#[tokio::test]
async fn co_funding_must_add_up_to_the_planned_budget() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let body = |amounts: [i64; 2]| {
        json!({"organisation_id": t.social, "kind": "project", "title": "Gemensam e-tjänsteplattform", "year": 2026, "planned_budget": 1000000,
               "co_funding": [{"organisation_id": t.social, "amount": amounts[0]}, {"organisation_id": t.school, "amount": amounts[1]}]})
    };
    let r = app
        .post("/api/v1/activities", &app.admin, body([600000, 300000]))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["co_funding"]);
    assert!(r.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .contains("900000"));
    let r = app
        .post("/api/v1/activities", &app.admin, body([600000, 400000]))
        .await;
    r.assert_status(201);
    let id = r.id();
    let r = app
        .patch(
            &format!("/api/v1/activities/{id}"),
            &app.admin,
            json!({"planned_budget": 1200000}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["co_funding"]);
    let r = app
        .patch(&format!("/api/v1/activities/{id}"), &app.admin, json!({"planned_budget": 1200000, "co_funding": [{"organisation_id": t.social, "amount": 1200000}]}))
        .await;
    r.assert_status(200);
    let funded = app
        .get(
            &format!("/api/v1/activities?funded_by={}", t.school),
            &app.admin,
        )
        .await;
    assert_eq!(funded.total(), 0);
    let funded = app
        .get(
            &format!("/api/v1/activities?funded_by={}", t.social),
            &app.admin,
        )
        .await;
    assert_eq!(funded.total(), 1);
}

#[tokio::test]
async fn filters_sorting_paging_and_scope() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "IFO").await;
    let plan = app.plan(&object, 2026).await;
    let person = app.person(&t.social, "P").await;
    let rows = [
        (
            json!({"plan_id": plan, "kind": "maintenance", "title": "Årlig uppgradering", "planned_budget": 50000}),
        ),
        (
            json!({"plan_id": plan, "kind": "development", "title": "Ärendeflöde", "responsible_person_id": person, "planned_budget": 300000}),
        ),
        (
            json!({"organisation_id": t.school, "kind": "initiative", "title": "Öppna data", "year": 2026}),
        ),
        (
            json!({"organisation_id": t.school_admin, "kind": "project", "title": "Zoom-licenser", "year": 2025}),
        ),
        (
            json!({"organisation_id": t.social, "kind": "project", "title": "Appen", "year": 2026, "external_id": "APP"}),
        ),
    ];
    for (body,) in rows {
        app.post("/api/v1/activities", &app.admin, body)
            .await
            .assert_status(201);
    }
    let r = app.get("/api/v1/activities?sort=title", &app.admin).await;
    let titles = |r: &crate::helpers::Reply| -> Vec<String> {
        r.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|i| i["title"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        titles(&r),
        vec![
            "Appen",
            "Zoom-licenser",
            "Årlig uppgradering",
            "Ärendeflöde",
            "Öppna data"
        ]
    );
    let r = app
        .get(
            "/api/v1/activities?sort=-title&limit=2&offset=1",
            &app.admin,
        )
        .await;
    assert_eq!(titles(&r), vec!["Ärendeflöde", "Årlig uppgradering"]);
    assert!(r.body["next"].as_str().is_some());
    // The total is right whether the page tells it (short page) or a count must (full or empty).
    for (q, rows) in [("limit=2", 2), ("limit=2&offset=4", 1), ("offset=10", 0)] {
        let r = app
            .get(&format!("/api/v1/activities?{q}"), &app.admin)
            .await;
        assert_eq!((titles(&r).len(), r.total()), (rows, 5), "{q}");
    }
    let r = app
        .get(
            "/api/v1/activities?sort=-planned_budget&limit=2",
            &app.admin,
        )
        .await;
    assert_eq!(titles(&r), vec!["Ärendeflöde", "Årlig uppgradering"]);
    for (q, n) in [
        (format!("organisation_id={}", t.social_admin), 2),
        (format!("within={}", t.school), 2),
        (format!("within={}&year=2026&phase=idea", t.school), 1),
        (format!("municipality_id={}", t.municipality), 5),
        (format!("plan_id={plan}"), 2),
        (format!("object_id={object}"), 2),
        ("kind=project".into(), 2),
        ("phase=idea".into(), 5),
        ("year=2025".into(), 1),
        (format!("responsible_person_id={person}"), 1),
        ("in_plan=false".into(), 3),
        ("municipality_wide=false".into(), 5),
        ("external_id=APP".into(), 1),
        ("q=ÄRENDE".into(), 1),
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/activities?{q}"), &app.admin)
                .await
                .total(),
            n,
            "{q}"
        );
    }
    let viewer = app.token("v", Role::Viewer, &[&t.school]);
    let r = app.get("/api/v1/activities?sort=title", &viewer).await;
    assert_eq!(titles(&r), vec!["Zoom-licenser", "Öppna data"]);
    // `within` narrows the token's subtrees; it never widens them.
    for (within, n) in [(&t.municipality, 2), (&t.school, 2), (&t.social_admin, 0)] {
        let r = app
            .get(&format!("/api/v1/activities?within={within}"), &viewer)
            .await;
        assert_eq!(r.total(), n, "within {within}");
    }
    let social = app
        .get("/api/v1/activities?external_id=APP", &app.admin)
        .await
        .ids();
    app.get(&format!("/api/v1/activities/{}", social[0]), &viewer)
        .await
        .assert_status(403);
    let editor = app.token("e", Role::Editor, &[&t.school]);
    app.post(
        "/api/v1/activities",
        &editor,
        json!({"plan_id": plan, "kind": "change", "title": "X"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/activities/{}", social[0]),
        &editor,
        json!({"title": "X"}),
    )
    .await
    .assert_status(403);
}

#[tokio::test]
async fn external_ids_and_deletes_keep_evidence() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let body = json!({"organisation_id": t.social, "kind": "project", "title": "A", "year": 2026, "external_id": "X"});
    app.post("/api/v1/activities", &app.admin, body.clone())
        .await
        .assert_status(201);
    app.post("/api/v1/activities", &app.admin, body)
        .await
        .assert_status(409);
}
