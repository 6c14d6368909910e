//! `/api/v1/api-keys` and what a key may do: created by admins inside their scope, shown once,
//! stored as a hash, revocable; accepted on report and OData routes only, never for writes.

use base64::Engine;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};
use styra::auth::Role;
use styra::db::schema::{api_keys, changes};
use styra::startup::open_database;

use crate::helpers::{Reply, TestApp};

/// Creates a key as `token` and returns the 201.
pub async fn create_key(app: &TestApp, token: &str, name: &str, orgs: &[&str]) -> Reply {
    app.post(
        "/api/v1/api-keys",
        token,
        json!({"name": name, "organisation_ids": orgs}),
    )
    .await
}

/// Creates a key as the admin and returns (id, key).
pub async fn key_for(app: &TestApp, orgs: &[&str]) -> (String, String) {
    let r = create_key(app, &app.admin, "Power BI", orgs).await;
    r.assert_status(201);
    (r.id(), r.body["key"].as_str().unwrap().to_owned())
}

/// A request with no bearer token and the given extra headers.
pub async fn send_plain(
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> Reply {
    app.send(method, path, None, body, headers).await
}

pub fn basic(password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("powerbi:{password}"))
    )
}

#[tokio::test]
async fn an_admin_creates_a_key_that_is_shown_once_and_stored_as_a_hash() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "Power BI – socialnämnden", "description": "Schemalagd uppdatering",
                   "organisation_ids": [t.social, t.social_admin], "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    r.assert_status(201);
    assert_eq!(
        r.headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let id = r.id();
    let key = r.body["key"].as_str().unwrap().to_owned();
    let prefix = r.body["prefix"].as_str().unwrap().to_owned();
    assert!(key.starts_with(&format!("styra_{prefix}_")), "{key}");
    assert_eq!(key.len(), "styra_".len() + 12 + 1 + 40);
    assert_eq!(r.body["status"], "active");
    assert_eq!(r.body["created_by"], "admin");
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["expires_at"], "2099-01-01T00:00:00.000000Z");
    let mut orgs = vec![t.social.clone(), t.social_admin.clone()];
    orgs.sort();
    assert_eq!(r.body["organisation_ids"], json!(orgs));
    assert!(r.body.get("secret_hash").is_none());

    // Never again: not in the record, not in the list, not in the change history.
    let one = app.get(&format!("/api/v1/api-keys/{id}"), &app.admin).await;
    one.assert_status(200);
    assert!(one.body.get("key").is_none());
    assert_eq!(one.body["prefix"], json!(prefix));
    let list = app.get("/api/v1/api-keys", &app.admin).await;
    list.assert_status(200);
    assert_eq!(list.ids(), vec![id.clone()]);
    assert!(!list.body.to_string().contains(&key));
    let history = app
        .get(
            &format!("/api/v1/changes?resource=api-keys&id={id}"),
            &app.admin,
        )
        .await;
    history.assert_status(200);
    assert_eq!(history.total(), 1);

    // At rest: a SHA-256 hash, neither the key nor its secret half.
    let settings = app.settings.clone();
    let (hash, stored_changes) = tokio::task::spawn_blocking(move || {
        let db = open_database(&settings).unwrap();
        let mut conn = db.pool().get().unwrap();
        let hash: String = api_keys::table
            .select(api_keys::secret_hash)
            .first(&mut *conn)
            .unwrap();
        let after: Vec<Option<String>> = changes::table
            .filter(changes::resource.eq("api-keys"))
            .select(changes::after)
            .load(&mut *conn)
            .unwrap();
        (hash, after)
    })
    .await
    .unwrap();
    let secret = &key["styra_".len() + 13..];
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(!hash.contains(secret) && !key.contains(&hash));
    for after in stored_changes.into_iter().flatten() {
        assert!(
            !after.contains(secret),
            "the change record holds the secret"
        );
        assert!(!after.contains(&hash), "the change record holds the hash");
    }
}

#[tokio::test]
async fn keys_are_validated_field_by_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Burlövs kommun").await;
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": " ", "organisation_ids": [], "colour": "red"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["colour".to_owned()]);
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": " ", "organisation_ids": []}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["name", "organisation_ids"]);
    let r = create_key(&app, &app.admin, "K", &[&t.social, "no-such-org"]).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_ids[1]"]);
    let r = create_key(&app, &app.admin, "K", &[&t.social, &other]).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["organisation_ids"]);
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "K", "organisation_ids": [t.social], "expires_at": "2020-01-01T00:00:00Z"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["expires_at"]);
    let r = app
        .post(
            "/api/v1/api-keys",
            &app.admin,
            json!({"name": "K", "organisation_ids": [t.social], "expires_at": "tomorrow"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["expires_at"]);
    app.get("/api/v1/api-keys?status=lost", &app.admin)
        .await
        .assert_status(400);
}

#[tokio::test]
async fn only_admins_manage_keys_and_scoped_admins_only_inside_their_subtrees() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    create_key(&app, &editor, "K", &[&t.social])
        .await
        .assert_status(403);
    app.get("/api/v1/api-keys", &editor)
        .await
        .assert_status(403);

    let social_admin = app.token("sa", Role::Admin, &[&t.social]);
    create_key(&app, &social_admin, "Outside", &[&t.school])
        .await
        .assert_status(403);
    create_key(
        &app,
        &social_admin,
        "Half outside",
        &[&t.social_admin, &t.school],
    )
    .await
    .assert_status(403);
    let mine = create_key(&app, &social_admin, "Mine", &[&t.social_admin]).await;
    mine.assert_status(201);
    let (school_key, _) = key_for(&app, &[&t.school]).await;
    let (whole_key, _) = key_for(&app, &[&t.municipality]).await;

    // The scoped admin sees only keys inside their subtree; the unrestricted admin sees all.
    let seen = app.get("/api/v1/api-keys", &social_admin).await;
    seen.assert_status(200);
    assert_eq!(seen.ids(), vec![mine.id()]);
    assert_eq!(app.get("/api/v1/api-keys", &app.admin).await.total(), 3);
    for id in [&school_key, &whole_key] {
        app.get(&format!("/api/v1/api-keys/{id}"), &social_admin)
            .await
            .assert_status(403);
        app.post(
            &format!("/api/v1/api-keys/{id}/revoke"),
            &social_admin,
            json!({}),
        )
        .await
        .assert_status(403);
    }
    app.post(
        &format!("/api/v1/api-keys/{}/revoke", mine.id()),
        &social_admin,
        json!({}),
    )
    .await
    .assert_status(200);

    // Filters.
    let by_org = app
        .get(
            &format!("/api/v1/api-keys?organisation_id={}", t.school),
            &app.admin,
        )
        .await;
    assert_eq!(by_org.ids(), vec![school_key.clone()]);
    let revoked = app.get("/api/v1/api-keys?status=revoked", &app.admin).await;
    assert_eq!(revoked.ids(), vec![mine.id()]);
    assert_eq!(
        app.get("/api/v1/api-keys?status=active", &app.admin)
            .await
            .total(),
        2
    );
    app.get("/api/v1/api-keys?statuss=active", &app.admin)
        .await
        .assert_status(422);
}

#[tokio::test]
async fn revoking_is_recorded_and_idempotent_and_honours_if_match() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let (id, _) = key_for(&app, &[&t.social]).await;
    let path = format!("/api/v1/api-keys/{id}/revoke");
    app.send(
        Method::POST,
        &path,
        Some(&app.admin),
        None,
        &[("If-Match", "\"v7\"")],
    )
    .await
    .assert_status(412);
    let r = app.post(&path, &app.admin, json!({})).await;
    r.assert_status(200);
    assert_eq!(r.body["status"], "revoked");
    assert_eq!(r.body["revoked_by"], "admin");
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.etag(), "\"v2\"");
    let again = app.post(&path, &app.admin, json!({})).await;
    again.assert_status(200);
    assert_eq!(again.body["version"], 2);
    let history = app
        .get(
            &format!("/api/v1/changes?resource=api-keys&id={id}"),
            &app.admin,
        )
        .await;
    assert_eq!(history.total(), 2);
    assert_eq!(history.body["items"][1]["after"]["status"], "revoked");
    app.post("/api/v1/api-keys/nope/revoke", &app.admin, json!({}))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn keys_are_refused_on_every_crud_route_and_every_write() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "Verksamhetssystem IFO").await;
    let (_, key) = key_for(&app, &[&t.municipality]).await;
    let basic = basic(&key);
    let bearer = format!("Bearer {key}");
    let key_query = format!("api_key={key}");
    let body = json!({"organisation_id": t.social, "name": "Nytt objekt"});
    let object_path = format!("/api/v1/objects/{object}");
    let routes: Vec<(Method, String, Option<&Value>)> = vec![
        (Method::GET, "/api/v1/objects".to_owned(), None),
        (Method::GET, object_path.clone(), None),
        (Method::GET, "/api/v1/api-keys".to_owned(), None),
        (Method::POST, "/api/v1/objects".to_owned(), Some(&body)),
        (Method::PATCH, object_path.clone(), Some(&body)),
        (Method::DELETE, object_path.clone(), None),
        (Method::POST, "/api/v1/api-keys".to_owned(), Some(&body)),
    ];
    for (method, path, body) in &routes {
        let sep = if path.contains('?') { '&' } else { '?' };
        let ways: Vec<(String, Vec<(&str, &str)>)> = vec![
            (path.clone(), vec![("X-Api-Key", key.as_str())]),
            (format!("{path}{sep}{key_query}"), vec![]),
            (path.clone(), vec![("Authorization", basic.as_str())]),
            (path.clone(), vec![("Authorization", bearer.as_str())]),
        ];
        for (url, headers) in ways {
            let r = send_plain(&app, method.clone(), &url, *body, &headers).await;
            r.assert_status(401);
            let detail = r.body["detail"].as_str().unwrap_or_default();
            assert!(
                detail.contains("API keys only work on report and OData routes"),
                "{method} {path}: {detail}"
            );
            assert!(!r.body.to_string().contains(&key), "the key is echoed");
        }
        // Even next to a valid token: a key never widens or narrows a token's rights silently.
        let r = app
            .send(
                method.clone(),
                path,
                Some(&app.admin),
                *body,
                &[("X-Api-Key", key.as_str())],
            )
            .await;
        r.assert_status(401);
    }
    // Nothing was written.
    let r = app.get(&object_path, &app.admin).await;
    r.assert_status(200);
    assert_eq!(r.body["version"], 1);
    assert_eq!(app.get("/api/v1/objects", &app.admin).await.total(), 1);
}
