use serde_json::json;
use styra::auth::Role;

use crate::helpers::TestApp;

#[tokio::test]
async fn crud_roundtrip_with_etag_and_history() {
    let app = TestApp::spawn().await;
    let m = app.org("municipality", None, "Lunds kommun").await;

    let created = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "committee", "parent_id": m, "name": "Socialnämnden", "short_name": "SN", "external_id": "SN"}),
        )
        .await;
    created.assert_status(201);
    let id = created.id();
    assert_eq!(created.body["municipality_id"], json!(m));
    assert_eq!(created.etag(), "\"v1\"");
    assert_eq!(
        created.headers["location"].to_str().ok(),
        Some(format!("/api/v1/organisations/{id}").as_str())
    );

    let got = app
        .get(&format!("/api/v1/organisations/{id}"), &app.admin)
        .await;
    got.assert_status(200);
    assert_eq!(got.body["name"], "Socialnämnden");
    assert_eq!(got.body["short_name"], "SN");

    let updated = app
        .patch_if(
            &format!("/api/v1/organisations/{id}"),
            &app.admin,
            &got.etag(),
            json!({"name": "Vård- och omsorgsnämnden", "short_name": null}),
        )
        .await;
    updated.assert_status(200);
    assert_eq!(updated.etag(), "\"v2\"");
    assert_eq!(updated.body["short_name"], json!(null));

    // The old ETag is stale now: 412 and nothing changes.
    let stale = app
        .patch_if(
            &format!("/api/v1/organisations/{id}"),
            &app.admin,
            &got.etag(),
            json!({"name": "Fel namn"}),
        )
        .await;
    stale.assert_status(412);
    let again = app
        .get(&format!("/api/v1/organisations/{id}"), &app.admin)
        .await;
    assert_eq!(again.body["name"], "Vård- och omsorgsnämnden");

    let history = app
        .get(
            &format!("/api/v1/changes?resource=organisations&id={id}"),
            &app.admin,
        )
        .await;
    history.assert_status(200);
    let items = history.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["action"], "create");
    assert_eq!(items[0]["before"], json!(null));
    assert_eq!(items[0]["after"]["name"], "Socialnämnden");
    assert_eq!(items[1]["action"], "update");
    assert_eq!(items[1]["actor"], "admin");
    assert_eq!(items[1]["before"]["name"], "Socialnämnden");
    assert_eq!(items[1]["after"]["name"], "Vård- och omsorgsnämnden");

    let deleted = app
        .delete(&format!("/api/v1/organisations/{id}"), &app.admin)
        .await;
    deleted.assert_status(204);
    app.get(&format!("/api/v1/organisations/{id}"), &app.admin)
        .await
        .assert_status(404);
    let history = app
        .get(
            &format!("/api/v1/changes?resource=organisations&id={id}&action=delete"),
            &app.admin,
        )
        .await;
    assert_eq!(history.total(), 1);
    assert_eq!(
        history.body["items"][0]["before"]["name"],
        "Vård- och omsorgsnämnden"
    );
    assert_eq!(history.body["items"][0]["after"], json!(null));
}

#[tokio::test]
async fn kinds_and_parents_are_validated() {
    let app = TestApp::spawn().await;
    let m = app.org("municipality", None, "Eskilstuna kommun").await;
    let r = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "committee", "name": "Utan förälder"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["parent_id"]);

    let r = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "municipality", "parent_id": m, "name": "Kommun i kommun"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["parent_id"]);

    let r = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "ministry", "parent_id": m, "name": ""}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["kind"]);

    let r = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "committee", "parent_id": m, "name": ""}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["name"]);

    let r = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "committee", "parent_id": "nope", "name": "X"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["parent_id"]);
}

#[tokio::test]
async fn unknown_fields_are_all_named() {
    let app = TestApp::spawn().await;
    let m = app.org("municipality", None, "Burlövs kommun").await;
    let r = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "committee", "parent_id": m, "name": "KS", "colour": "blue", "nämnd": true}),
        )
        .await;
    r.assert_status(422);
    let mut fields = r.error_fields();
    fields.sort();
    assert_eq!(fields, vec!["colour", "nämnd"]);
    let list = app
        .get("/api/v1/organisations?kind=committee", &app.admin)
        .await;
    assert_eq!(list.total(), 0, "nothing may be written");
}

#[tokio::test]
async fn moving_a_subtree_rescopes_it_and_cycles_are_refused() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let unit = app.org("unit", Some(&t.social_admin), "IT-enheten").await;

    // Move the social administration (with its unit) under the school committee.
    let r = app
        .patch(
            &format!("/api/v1/organisations/{}", t.social_admin),
            &app.admin,
            json!({"parent_id": t.school}),
        )
        .await;
    r.assert_status(200);
    let school_viewer = app.token("v", Role::Viewer, &[&t.school]);
    app.get(&format!("/api/v1/organisations/{unit}"), &school_viewer)
        .await
        .assert_status(200);
    let social_viewer = app.token("v", Role::Viewer, &[&t.social]);
    app.get(&format!("/api/v1/organisations/{unit}"), &social_viewer)
        .await
        .assert_status(403);

    // Under its own descendant: refused.
    let r = app
        .patch(
            &format!("/api/v1/organisations/{}", t.school),
            &app.admin,
            json!({"parent_id": unit}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["parent_id"]);
}

#[tokio::test]
async fn filters_paging_and_swedish_sorting() {
    let app = TestApp::spawn().await;
    let m = app.org("municipality", None, "Sölvesborgs kommun").await;
    let other = app.org("municipality", None, "Annan kommun").await;
    for name in [
        "Örebronämnden",
        "Zetanämnden",
        "Äldrenämnden",
        "Ånämnden",
        "alfanämnden",
        "Byggnämnden",
    ] {
        app.org("committee", Some(&m), name).await;
    }
    let ks = app
        .post(
            "/api/v1/organisations",
            &app.admin,
            json!({"kind": "company", "parent_id": m, "name": "Sölvesborgs Energi AB", "external_id": "BOLAG-1"}),
        )
        .await;
    ks.assert_status(201);
    app.org("committee", Some(&other), "Kommunstyrelsen").await;

    let r = app
        .get(
            &format!("/api/v1/organisations?kind=committee&municipality_id={m}&sort=name"),
            &app.admin,
        )
        .await;
    r.assert_status(200);
    assert_eq!(
        r.names(),
        vec![
            "alfanämnden",
            "Byggnämnden",
            "Zetanämnden",
            "Ånämnden",
            "Äldrenämnden",
            "Örebronämnden"
        ]
    );
    let r = app
        .get(
            &format!("/api/v1/organisations?kind=committee&municipality_id={m}&sort=-name&limit=2"),
            &app.admin,
        )
        .await;
    assert_eq!(r.names(), vec!["Örebronämnden", "Äldrenämnden"]);
    assert_eq!(r.total(), 6);
    let next = r.body["next"].as_str().unwrap_or_default().to_owned();
    assert!(next.contains("offset=2"), "{next}");
    let page2 = app
        .client
        .get(&next)
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("next")
        .json::<serde_json::Value>()
        .await
        .expect("json");
    let names: Vec<&str> = page2["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["Ånämnden", "Zetanämnden"]);
    let last = app
        .get(
            &format!("/api/v1/organisations?kind=committee&municipality_id={m}&limit=2&offset=4"),
            &app.admin,
        )
        .await;
    assert_eq!(last.body["next"], json!(null));

    let r = app
        .get(
            &format!("/api/v1/organisations?parent_id={m}&kind=company"),
            &app.admin,
        )
        .await;
    assert_eq!(r.names(), vec!["Sölvesborgs Energi AB"]);
    let r = app
        .get("/api/v1/organisations?external_id=BOLAG-1", &app.admin)
        .await;
    assert_eq!(r.total(), 1);
    let r = app.get("/api/v1/organisations?q=ÄLDRE", &app.admin).await;
    assert_eq!(r.names(), vec!["Äldrenämnden"]);
    let r = app
        .get(&format!("/api/v1/organisations?within={other}"), &app.admin)
        .await;
    assert_eq!(r.total(), 2);

    let r = app
        .get("/api/v1/organisations?limit=5000", &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["limit"]);
    let r = app
        .get("/api/v1/organisations?sort=colour", &app.admin)
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["sort"]);
    app.get("/api/v1/organisations?kind=ministry", &app.admin)
        .await
        .assert_status(400);
}

#[tokio::test]
async fn conflicts_name_what_is_in_the_way() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .patch(
            &format!("/api/v1/organisations/{}", t.social),
            &app.admin,
            json!({"external_id": "X1"}),
        )
        .await;
    r.assert_status(200);
    let r = app
        .patch(
            &format!("/api/v1/organisations/{}", t.school),
            &app.admin,
            json!({"external_id": "X1"}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("external_id"));

    let r = app
        .delete(&format!("/api/v1/organisations/{}", t.social), &app.admin)
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("child organisation"));
    app.object(&t.school_admin, "Skolplattform").await;
    let r = app
        .delete(
            &format!("/api/v1/organisations/{}", t.school_admin),
            &app.admin,
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("object"));
}

#[tokio::test]
async fn only_admins_manage_organisations_within_their_scope() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    let r = app
        .post(
            "/api/v1/organisations",
            &editor,
            json!({"kind": "unit", "parent_id": t.social, "name": "Enhet"}),
        )
        .await;
    r.assert_status(403);
    let scoped_admin = app.token("a", Role::Admin, &[&t.social]);
    app.post(
        "/api/v1/organisations",
        &scoped_admin,
        json!({"kind": "unit", "parent_id": t.social_admin, "name": "Enhet"}),
    )
    .await
    .assert_status(201);
    app.post(
        "/api/v1/organisations",
        &scoped_admin,
        json!({"kind": "unit", "parent_id": t.school_admin, "name": "Enhet"}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/organisations",
        &scoped_admin,
        json!({"kind": "municipality", "name": "Ny kommun"}),
    )
    .await
    .assert_status(403);
    let r = app.get("/api/v1/organisations", &scoped_admin).await;
    let mut names = r.names();
    names.sort();
    assert_eq!(names, vec!["Enhet", "Socialförvaltningen", "Socialnämnden"]);
}
