use reqwest::Method;

use crate::helpers::TestApp;

#[tokio::test]
async fn health_probes() {
    let app = TestApp::spawn().await;
    let live = app.send(Method::GET, "/health/live", None, None, &[]).await;
    live.assert_status(200);
    let ready = app
        .send(Method::GET, "/health/ready", None, None, &[])
        .await;
    ready.assert_status(200);
    let expected = if std::env::var("STYRA_TEST_DATABASE_URL").is_ok() {
        "postgresql"
    } else {
        "sqlite"
    };
    assert_eq!(ready.body["database"], expected);
}

#[tokio::test]
async fn request_ids_are_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let r = app
        .send(
            Method::GET,
            "/health/live",
            None,
            None,
            &[("X-Request-Id", "abc-123")],
        )
        .await;
    assert_eq!(
        r.headers.get("x-request-id").and_then(|v| v.to_str().ok()),
        Some("abc-123")
    );
    let r = app.send(Method::GET, "/health/live", None, None, &[]).await;
    let generated = r
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(generated.len(), 36);
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_pool() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/objects", &app.admin)
        .await
        .assert_status(200);
    app.send(Method::GET, "/api/v1/objects", None, None, &[])
        .await
        .assert_status(401);
    let text = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains(
            r#"styra_http_requests_total{method="GET",route="/api/v1/objects",status="200"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains(r#"route="/api/v1/objects",status="401""#));
    assert!(text.contains("styra_http_request_duration_seconds_bucket"));
    assert!(text.contains("styra_db_pool_connections"));
    assert!(text.contains("styra_db_pool_idle_connections"));
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems() {
    let app = TestApp::spawn().await;
    app.get("/api/v1/nothing-here", &app.admin)
        .await
        .assert_status(404);
    let r = app
        .send(Method::PUT, "/api/v1/objects", Some(&app.admin), None, &[])
        .await;
    assert!(r.status.is_client_error());
    assert!(r.content_type().starts_with("application/problem+json"));
}

#[tokio::test]
async fn docs_are_served_without_the_network() {
    let app = TestApp::spawn().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = client.get(app.url("/docs")).send().await.expect("docs");
    assert!(r.status().is_redirection());
    assert_eq!(
        r.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/docs/")
    );
    let html = app
        .client
        .get(app.url("/docs/"))
        .send()
        .await
        .expect("docs")
        .text()
        .await
        .expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(
        !html.contains("https://"),
        "the page must not load anything from the network"
    );
    let js = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .expect("js");
    assert_eq!(js.status().as_u16(), 200);
    let spec = app
        .send(Method::GET, "/openapi.json", None, None, &[])
        .await;
    spec.assert_status(200);
    assert_eq!(spec.body["info"]["title"], "Styra API");
}

#[tokio::test]
async fn concurrent_writes_all_succeed() {
    // Regression: on SQLite, read-then-write transactions failed with "database is locked".
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let mut objects = Vec::new();
    for i in 0..8 {
        objects.push(app.object(&t.social, &format!("Objekt {i}")).await);
    }
    let mut tasks = Vec::new();
    for round in 0..4 {
        for (i, id) in objects.iter().enumerate() {
            let client = app.client.clone();
            let url = app.url(&format!("/api/v1/objects/{id}"));
            let create = app.url("/api/v1/objects");
            let token = app.admin.clone();
            let org = t.school.clone();
            tasks.push(tokio::spawn(async move {
                let patched = client
                    .patch(url)
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"description": format!("runda {round}")}))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                let created = client
                    .post(create)
                    .bearer_auth(&token)
                    .json(&serde_json::json!({"organisation_id": org, "name": format!("Nytt {round}-{i}")}))
                    .send()
                    .await
                    .map(|r| r.status().as_u16())
                    .unwrap_or(0);
                (patched, created)
            }));
        }
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.expect("join"));
    }
    // Without If-Match a lost race is a 409 (retry), never a 500.
    assert!(
        statuses
            .iter()
            .all(|(p, c)| (*p == 200 || *p == 409) && *c == 201),
        "{statuses:?}"
    );
    assert!(statuses.iter().filter(|(p, _)| *p == 200).count() >= 8);
    let created = app
        .get(
            &format!("/api/v1/objects?organisation_id={}", t.school),
            &app.admin,
        )
        .await;
    assert_eq!(created.total(), 32);
}

#[tokio::test]
async fn next_links_ignore_forwarded_hosts_and_use_the_public_url() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for name in ["A", "B"] {
        app.object(&tree.school, name).await;
    }
    let headers = [
        ("X-Forwarded-Host", "evil.example"),
        ("X-Forwarded-Proto", "https"),
    ];
    let r = app
        .send(
            Method::GET,
            "/api/v1/objects?limit=1",
            Some(&app.admin),
            None,
            &headers,
        )
        .await;
    let next = r.body["next"].as_str().unwrap_or_default().to_owned();
    assert!(next.starts_with(&app.url("/api/v1/objects?")), "{next}");
    assert!(next.contains("offset=1"), "{next}");

    let app = TestApp::spawn_with(|s| s.public_url = Some("https://styra.norra.se/".into())).await;
    let tree = app.tree().await;
    for name in ["A", "B"] {
        app.object(&tree.school, name).await;
    }
    let r = app.get("/api/v1/objects?limit=1", &app.admin).await;
    assert_eq!(
        r.body["next"].as_str(),
        Some("https://styra.norra.se/api/v1/objects?limit=1&offset=1")
    );
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// Every pooled connection gets the settings the reports were measured with: on PostgreSQL no
/// JIT and at least 32 MB of work_mem, on SQLite sorts in memory (temp_store 2).
#[tokio::test]
async fn pooled_connections_carry_the_report_settings() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn().await;
    let settings = app.settings.clone();
    let values = tokio::task::spawn_blocking(move || {
        let db = styra::startup::open_database(&settings).expect("open");
        let mut conn = db.pool().get().expect("connection");
        let queries: &[&str] = if conn.is_postgres() {
            &[
                "SELECT current_setting('jit') AS value",
                "SELECT (pg_size_bytes(current_setting('work_mem')) >= pg_size_bytes('32MB'))::text AS value",
            ]
        } else {
            &["SELECT CAST(temp_store AS TEXT) AS value FROM pragma_temp_store"]
        };
        queries
            .iter()
            .map(|q| {
                diesel::sql_query(*q)
                    .get_result::<Setting>(&mut *conn)
                    .expect(q)
                    .value
            })
            .collect::<Vec<_>>()
    })
    .await
    .expect("join");
    let want: Vec<&str> = if std::env::var("STYRA_TEST_DATABASE_URL").is_ok() {
        vec!["off", "true"]
    } else {
        vec!["2"]
    };
    assert_eq!(values, want);
}

/// On PostgreSQL a pooled connection whose server process was ended (a restart, a dropped
/// socket) is found dead at check-out and replaced, so the next request does not fail. SQLite
/// connections are not checked (a local file has no connection to lose): nothing to test there.
#[tokio::test]
async fn dead_postgresql_connections_are_replaced_at_check_out() {
    use diesel::{Connection, RunQueryDsl};
    let app = TestApp::spawn().await;
    let url = app.settings.database_url();
    if !url.starts_with("postgres") {
        return;
    }
    let settings = app.settings.clone();
    let value = tokio::task::spawn_blocking(move || {
        let db = styra::startup::open_database(&settings).expect("open");
        // Every connection of the pool is idle and open; end all of them from outside.
        drop(db.pool().get().expect("connection"));
        let mut admin = diesel::PgConnection::establish(&url).expect("connect");
        diesel::sql_query(
            "SELECT pg_terminate_backend(pid)::text AS value FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .load::<Setting>(&mut admin)
        .expect("terminate the pool's connections");
        let mut conn = db.pool().get().expect("a live connection");
        diesel::sql_query("SELECT 'alive' AS value")
            .get_result::<Setting>(&mut *conn)
            .expect("the checked-out connection works")
            .value
    })
    .await
    .expect("join");
    assert_eq!(value, "alive");
    // The server's own pool lost its connections too and still answers.
    app.get("/api/v1/organisations", &app.admin)
        .await
        .assert_status(200);
}
