use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn crud_roundtrip() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social_admin, "Vård och omsorg").await;
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/systems",
            &editor,
            json!({"object_id": object, "name": "Lifecare", "kind": "business_system", "vendor": "Tietoevry", "lifecycle_status": "operational", "criticality": "high", "personal_data": true, "confidentiality": 3, "integrity": 3, "availability": 2, "automated_decisions": true, "contract_end": "2027-12-31", "external_id": "S-1"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["contract_end"], "2027-12-31");
    assert_eq!(r.body["automated_decisions"], true);
    let got = app.get(&format!("/api/v1/systems/{id}"), &editor).await;
    got.assert_status(200);
    let r = app
        .patch_if(
            &format!("/api/v1/systems/{id}"),
            &editor,
            &got.etag(),
            json!({"lifecycle_status": "phasing_out", "criticality": null, "availability": 4}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["criticality"], json!(null));
    assert_eq!(r.body["availability"], 4);
    app.patch_if(
        &format!("/api/v1/systems/{id}"),
        &editor,
        &got.etag(),
        json!({"vendor": "X"}),
    )
    .await
    .assert_status(412);
    app.delete(&format!("/api/v1/systems/{id}"), &editor)
        .await
        .assert_status(204);
    app.get(&format!("/api/v1/systems/{id}"), &editor)
        .await
        .assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=systems&id={id}"),
            &editor,
        )
        .await;
    assert_eq!(h.total(), 3);
    assert_eq!(
        h.body["items"][1]["before"]["lifecycle_status"],
        "operational"
    );
    assert_eq!(
        h.body["items"][1]["after"]["lifecycle_status"],
        "phasing_out"
    );
}

#[tokio::test]
async fn classification_is_validated() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "O").await;
    let r = app
        .post(
            "/api/v1/systems",
            &app.admin,
            json!({"object_id": object, "name": "S", "kind": "business_system", "confidentiality": 5, "integrity": -1, "availability": 2}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["confidentiality", "integrity"]);
    let r = app
        .post(
            "/api/v1/systems",
            &app.admin,
            json!({"object_id": object, "name": "S", "kind": "mainframe"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["kind"]);
    let r = app
        .post("/api/v1/systems", &app.admin, json!({"object_id": object, "name": "S", "kind": "other", "contract_end": "31/12/2027"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["contract_end"]);
    let r = app
        .post(
            "/api/v1/systems",
            &app.admin,
            json!({"object_id": "nope", "name": "S", "kind": "other"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["object_id"]);
}

#[tokio::test]
async fn filters_sorting_scope() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app.object(&t.social_admin, "Socialtjänst").await;
    let school = app.object(&t.school_admin, "Skola").await;
    let rows = [
        (
            &social,
            "Ärendesystem",
            "business_system",
            "operational",
            "high",
            true,
            false,
            Some("2026-06-30"),
            "Tieto",
        ),
        (
            &social,
            "Öppen e-tjänst",
            "e_service",
            "planned",
            "low",
            false,
            true,
            None,
            "Sambruk",
        ),
        (
            &social,
            "Åtkomstportal",
            "infrastructure",
            "retired",
            "medium",
            false,
            false,
            Some("2025-01-31"),
            "Tieto",
        ),
        (
            &school,
            "Antagningssystem",
            "business_system",
            "operational",
            "critical",
            true,
            false,
            Some("2030-01-01"),
            "Ist",
        ),
        (
            &school,
            "Zeta integration",
            "integration",
            "phasing_out",
            "low",
            true,
            true,
            None,
            "Ist",
        ),
    ];
    for (object, name, kind, life, crit, pd, ad, end, vendor) in rows {
        app.post(
            "/api/v1/systems",
            &app.admin,
            json!({"object_id": object, "name": name, "kind": kind, "lifecycle_status": life, "criticality": crit, "personal_data": pd, "automated_decisions": ad, "contract_end": end, "vendor": vendor, "external_id": name}),
        )
        .await
        .assert_status(201);
    }
    let r = app.get("/api/v1/systems?sort=name", &app.admin).await;
    assert_eq!(
        r.names(),
        vec![
            "Antagningssystem",
            "Zeta integration",
            "Åtkomstportal",
            "Ärendesystem",
            "Öppen e-tjänst"
        ]
    );
    let r = app
        .get("/api/v1/systems?sort=-name&limit=2&offset=1", &app.admin)
        .await;
    assert_eq!(r.names(), vec!["Ärendesystem", "Åtkomstportal"]);
    let r = app
        .get("/api/v1/systems?sort=contract_end", &app.admin)
        .await;
    assert_eq!(
        r.names()[..3],
        ["Åtkomstportal", "Ärendesystem", "Antagningssystem"]
    );
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            format!("object_id={social}"),
            vec!["Åtkomstportal", "Ärendesystem", "Öppen e-tjänst"],
        ),
        (
            format!("organisation_id={}", t.school_admin),
            vec!["Antagningssystem", "Zeta integration"],
        ),
        (
            format!("within={}", t.school),
            vec!["Antagningssystem", "Zeta integration"],
        ),
        (
            format!("municipality_id={}", t.municipality),
            vec![
                "Antagningssystem",
                "Zeta integration",
                "Åtkomstportal",
                "Ärendesystem",
                "Öppen e-tjänst",
            ],
        ),
        (
            "kind=business_system".into(),
            vec!["Antagningssystem", "Ärendesystem"],
        ),
        (
            "lifecycle_status=operational".into(),
            vec!["Antagningssystem", "Ärendesystem"],
        ),
        (
            "criticality=low".into(),
            vec!["Zeta integration", "Öppen e-tjänst"],
        ),
        (
            "personal_data=true".into(),
            vec!["Antagningssystem", "Zeta integration", "Ärendesystem"],
        ),
        (
            "automated_decisions=true".into(),
            vec!["Zeta integration", "Öppen e-tjänst"],
        ),
        (
            "contract_end_before=2026-12-31".into(),
            vec!["Åtkomstportal", "Ärendesystem"],
        ),
        ("vendor=Tieto".into(), vec!["Åtkomstportal", "Ärendesystem"]),
        (
            "external_id=Zeta%20integration".into(),
            vec!["Zeta integration"],
        ),
        ("q=TJÄNST".into(), vec!["Öppen e-tjänst"]),
    ];
    for (query, expected) in cases {
        let r = app
            .get(&format!("/api/v1/systems?sort=name&{query}"), &app.admin)
            .await;
        r.assert_status(200);
        assert_eq!(r.names(), expected, "filter {query}");
        assert_eq!(r.total() as usize, expected.len(), "total for {query}");
    }
    let viewer = app.token("v", Role::Viewer, &[&t.school]);
    let r = app.get("/api/v1/systems?sort=name", &viewer).await;
    assert_eq!(r.names(), vec!["Antagningssystem", "Zeta integration"]);
    let social_system = app
        .get(
            &format!("/api/v1/systems?object_id={social}&limit=1"),
            &app.admin,
        )
        .await
        .ids();
    app.get(&format!("/api/v1/systems/{}", social_system[0]), &viewer)
        .await
        .assert_status(403);
    let editor = app.token("e", Role::Editor, &[&t.school]);
    app.post(
        "/api/v1/systems",
        &editor,
        json!({"object_id": social, "name": "X", "kind": "other"}),
    )
    .await
    .assert_status(403);
}

#[tokio::test]
async fn conflicts() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "O").await;
    app.post(
        "/api/v1/systems",
        &app.admin,
        json!({"object_id": object, "name": "A", "kind": "other", "external_id": "S"}),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/systems",
        &app.admin,
        json!({"object_id": object, "name": "B", "kind": "other", "external_id": "S"}),
    )
    .await
    .assert_status(409);
    let system = app.system(&object, "Med roller").await;
    let person = app.person(&t.social, "P").await;
    app.post(
        "/api/v1/role-assignments",
        &app.admin,
        json!({"person_id": person, "role_type_id": "00000000-0000-7000-8000-000000000004", "system_id": system}),
    )
    .await
    .assert_status(201);
    let r = app
        .delete(&format!("/api/v1/systems/{system}"), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("role assignment"));
}
