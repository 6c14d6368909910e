use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::json;
use styra::auth::Role;

use crate::helpers::{TestApp, SECRET};

fn sign_hs256(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("encode")
}

fn in_an_hour() -> i64 {
    chrono::Utc::now().timestamp() + 3600
}

#[tokio::test]
async fn every_api_route_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    for path in [
        "/api/v1/organisations",
        "/api/v1/people",
        "/api/v1/objects",
        "/api/v1/systems",
        "/api/v1/role-types",
        "/api/v1/role-assignments",
        "/api/v1/changes",
    ] {
        let r = app.send(Method::GET, path, None, None, &[]).await;
        r.assert_status(401);
        assert!(r.headers.get("www-authenticate").is_some());
        app.send(Method::GET, path, Some("not-a-jwt"), None, &[])
            .await
            .assert_status(401);
        if path != "/api/v1/changes" {
            app.send(Method::POST, path, None, Some(&json!({})), &[])
                .await
                .assert_status(401);
        }
    }
    let expired = sign_hs256(
        json!({"sub": "x", "role": "admin", "exp": 1_000_000}),
        SECRET,
    );
    app.get("/api/v1/objects", &expired)
        .await
        .assert_status(401);
    let wrong_key = sign_hs256(
        json!({"sub": "x", "role": "admin", "exp": in_an_hour()}),
        "another-secret",
    );
    app.get("/api/v1/objects", &wrong_key)
        .await
        .assert_status(401);
    let no_role = sign_hs256(json!({"sub": "x", "exp": in_an_hour()}), SECRET);
    app.get("/api/v1/objects", &no_role)
        .await
        .assert_status(403);
    let viewer_without_orgs = sign_hs256(
        json!({"sub": "x", "role": "viewer", "exp": in_an_hour()}),
        SECRET,
    );
    app.get("/api/v1/objects", &viewer_without_orgs)
        .await
        .assert_status(403);
}

#[tokio::test]
async fn viewers_cannot_write_and_editors_cannot_administer() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let object = app.object(&t.social, "O").await;
    let viewer = app.token("v", Role::Viewer, &[&t.municipality]);
    app.post(
        "/api/v1/objects",
        &viewer,
        json!({"organisation_id": t.social, "name": "X"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/objects/{object}"),
        &viewer,
        json!({"name": "X"}),
    )
    .await
    .assert_status(403);
    app.delete(&format!("/api/v1/objects/{object}"), &viewer)
        .await
        .assert_status(403);
    let editor = app.token("e", Role::Editor, &[&t.municipality]);
    app.patch(
        &format!("/api/v1/organisations/{}", t.social),
        &editor,
        json!({"name": "X"}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/role-types",
        &editor,
        json!({"name": "X", "applies_to": "object"}),
    )
    .await
    .assert_status(403);
    // An org claim from an identity provider's `roles` array works too.
    let idp = sign_hs256(
        json!({"sub": "y", "roles": ["Styra.Editor"], "org": t.social, "exp": in_an_hour()}),
        SECRET,
    );
    app.patch(
        &format!("/api/v1/objects/{object}"),
        &idp,
        json!({"name": "Y"}),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn issuer_and_audience_are_checked_when_configured() {
    let app = TestApp::spawn_with(|s| {
        s.jwt_issuer = Some("https://login.kommun.se".into());
        s.jwt_audience = Some("styra".into());
    })
    .await;
    let good = sign_hs256(
        json!({"sub": "a", "role": "admin", "iss": "https://login.kommun.se", "aud": "styra", "exp": in_an_hour()}),
        SECRET,
    );
    app.get("/api/v1/objects", &good).await.assert_status(200);
    let wrong_iss = sign_hs256(
        json!({"sub": "a", "role": "admin", "iss": "https://evil.example", "aud": "styra", "exp": in_an_hour()}),
        SECRET,
    );
    app.get("/api/v1/objects", &wrong_iss)
        .await
        .assert_status(401);
    let wrong_aud = sign_hs256(
        json!({"sub": "a", "role": "admin", "iss": "https://login.kommun.se", "aud": "other", "exp": in_an_hour()}),
        SECRET,
    );
    app.get("/api/v1/objects", &wrong_aud)
        .await
        .assert_status(401);
    // Tokens minted by `styra token` carry the configured issuer and audience.
    app.get("/api/v1/objects", &app.admin)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn rs256_tokens_verify_against_a_jwks_file() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let jwks = fixtures.join("jwks.json");
    let app = TestApp::spawn_with(move |s| s.jwt_jwks = Some(jwks)).await;
    let pem = std::fs::read(fixtures.join("rs256-private.pem")).expect("pem");
    let key = EncodingKey::from_rsa_pem(&pem).expect("key");
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("test-key-1".into());
    let token = jsonwebtoken::encode(
        &header,
        &json!({"sub": "entra-user", "role": "admin", "exp": in_an_hour()}),
        &key,
    )
    .expect("sign");
    app.get("/api/v1/organisations", &token)
        .await
        .assert_status(200);
    let mut unknown = Header::new(Algorithm::RS256);
    unknown.kid = Some("other-key".into());
    let token = jsonwebtoken::encode(
        &unknown,
        &json!({"sub": "x", "role": "admin", "exp": in_an_hour()}),
        &key,
    )
    .expect("sign");
    app.get("/api/v1/organisations", &token)
        .await
        .assert_status(401);
    // An HS256 token is no good when the server expects RS256.
    let hs = sign_hs256(
        json!({"sub": "x", "role": "admin", "exp": in_an_hour()}),
        SECRET,
    );
    app.get("/api/v1/organisations", &hs)
        .await
        .assert_status(401);
}

#[tokio::test]
async fn bodies_over_the_limit_get_413() {
    let app = TestApp::spawn_with(|s| s.max_body_bytes = 1024).await;
    let t = app.tree().await;
    let r = app
        .post(
            "/api/v1/objects",
            &app.admin,
            json!({"organisation_id": t.social, "name": "X", "description": "x".repeat(5000)}),
        )
        .await;
    r.assert_status(413);
}

#[tokio::test]
async fn cors_only_for_configured_origins() {
    let app =
        TestApp::spawn_with(|s| s.cors_origins = vec!["https://intranat.lund.se".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.url("/api/v1/objects"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "PATCH")
            .header(
                "Access-Control-Request-Headers",
                "authorization, if-match, content-type",
            )
            .send()
    };
    let ok = preflight("https://intranat.lund.se")
        .await
        .expect("preflight");
    assert_eq!(
        ok.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://intranat.lund.se")
    );
    let denied = preflight("https://evil.example").await.expect("preflight");
    assert!(denied
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let get = app
        .client
        .get(app.url("/api/v1/objects"))
        .header("Origin", "https://intranat.lund.se")
        .bearer_auth(&app.admin)
        .send()
        .await
        .expect("get");
    assert_eq!(get.status().as_u16(), 200);
    let exposed = get
        .headers()
        .get("access-control-expose-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_lowercase();
    assert!(exposed.contains("etag"), "{exposed}");
}
