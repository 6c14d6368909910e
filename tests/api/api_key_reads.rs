//! The report routes as API keys, the overload limit and the read replica meet them: a key works
//! in the header, the query and as the Basic password, only within its organisations; revoked,
//! expired and wrong keys are refused; reads beyond the limit get 429; reports read the replica.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};
use styra::auth::{Principal, Role};
use styra::db::schema::api_keys;
use styra::domain::organisations::{self, OrganisationKind, OrganisationNew};

use crate::api_keys::{basic, key_for, send_plain};
use crate::helpers::{Reply, TestApp};

const COMPLIANCE: &str = "/api/v1/reports/model-compliance?year=2026";

fn organisation_names(r: &Reply) -> Vec<String> {
    let mut names: Vec<String> = r.body["rows"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .filter_map(|row| row["organisation_name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

async fn with_key_header(app: &TestApp, path: &str, key: &str) -> Reply {
    send_plain(app, Method::GET, path, None, &[("X-Api-Key", key)]).await
}

#[tokio::test]
async fn a_key_reads_reports_in_its_subtree_by_header_query_and_basic() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let (id, key) = key_for(&app, &[&t.social]).await;
    let by_basic = basic(&key);
    let ways: Vec<(String, Vec<(&str, &str)>)> = vec![
        (COMPLIANCE.to_owned(), vec![("X-Api-Key", key.as_str())]),
        (format!("{COMPLIANCE}&api_key={key}"), vec![]),
        (
            COMPLIANCE.to_owned(),
            vec![("Authorization", by_basic.as_str())],
        ),
    ];
    for (path, headers) in ways {
        let r = send_plain(&app, Method::GET, &path, None, &headers).await;
        r.assert_status(200);
        assert_eq!(
            organisation_names(&r),
            vec!["Socialförvaltningen", "Socialnämnden"],
            "{path} {headers:?}"
        );
    }
    // The index, other formats and the key's own subtree as a filter work; outside it does not.
    with_key_header(&app, "/api/v1/reports", &key)
        .await
        .assert_status(200);
    let csv = send_plain(
        &app,
        Method::GET,
        &format!("{COMPLIANCE}&format=csv&api_key={key}"),
        None,
        &[],
    )
    .await;
    csv.assert_status(200);
    assert!(csv.content_type().starts_with("text/csv"));
    let inside = with_key_header(
        &app,
        &format!("{COMPLIANCE}&organisation_id={}", t.social_admin),
        &key,
    )
    .await;
    inside.assert_status(200);
    assert_eq!(organisation_names(&inside), vec!["Socialförvaltningen"]);
    let outside = with_key_header(
        &app,
        &format!("{COMPLIANCE}&organisation_id={}", t.school),
        &key,
    )
    .await;
    outside.assert_status(403);
    assert!(!outside.body.to_string().contains(&key));
    // A typo next to the key is still named; the key itself never is.
    let typo = send_plain(
        &app,
        Method::GET,
        &format!("{COMPLIANCE}&yeer=2026&api_key={key}"),
        None,
        &[],
    )
    .await;
    typo.assert_status(422);
    assert_eq!(typo.error_fields(), vec!["yeer"]);

    // Its use is recorded (in the background, at most once a minute).
    let mut last_used = Value::Null;
    for _ in 0..50 {
        last_used = app
            .get(&format!("/api/v1/api-keys/{id}"), &app.admin)
            .await
            .body["last_used_at"]
            .clone();
        if !last_used.is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(last_used.is_string(), "last_used_at was not recorded");
}

#[tokio::test]
async fn a_key_reads_the_odata_feed_in_its_subtree_and_follows_its_pages() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let (_, key) = key_for(&app, &[&t.social]).await;
    let names = |r: &Reply| -> Vec<String> {
        let mut n: Vec<String> = r.body["value"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|o| o["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        n.sort();
        n
    };
    // Power BI's credential test, then the navigator's table, by Basic.
    let by_basic = basic(&key);
    send_plain(
        &app,
        Method::GET,
        "/odata/",
        None,
        &[("Authorization", &by_basic)],
    )
    .await
    .assert_status(200);
    let r = send_plain(
        &app,
        Method::GET,
        "/odata/organisations",
        None,
        &[("Authorization", &by_basic)],
    )
    .await;
    r.assert_status(200);
    assert_eq!(names(&r), vec!["Socialförvaltningen", "Socialnämnden"]);

    // The key only in the URL: the next link keeps it and can be followed as it is.
    let first = send_plain(
        &app,
        Method::GET,
        &format!("/odata/organisations?$orderby=name&api_key={key}"),
        None,
        &[("Prefer", "odata.maxpagesize=1")],
    )
    .await;
    first.assert_status(200);
    assert_eq!(names(&first), vec!["Socialförvaltningen"]);
    let next = first.body["@odata.nextLink"].as_str().unwrap().to_owned();
    let path = &next[next.find("/odata/").unwrap()..];
    let second = send_plain(
        &app,
        Method::GET,
        path,
        None,
        &[("Prefer", "odata.maxpagesize=1")],
    )
    .await;
    second.assert_status(200);
    assert_eq!(names(&second), vec!["Socialnämnden"]);
    // The feed has no write routes for a key to try.
    let write = send_plain(
        &app,
        Method::POST,
        "/odata/organisations",
        Some(&json!({"name": "X"})),
        &[("X-Api-Key", &key)],
    )
    .await;
    assert!(write.status.is_client_error(), "{}", write.status);
    assert_eq!(
        app.get("/api/v1/organisations", &app.admin).await.total(),
        5
    );
}

#[tokio::test]
async fn revoked_expired_and_wrong_keys_are_refused_without_echoing_them() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let (id, key) = key_for(&app, &[&t.municipality]).await;
    with_key_header(&app, COMPLIANCE, &key)
        .await
        .assert_status(200);

    let mut wrong = key.clone();
    let last = if wrong.pop() == Some('A') { 'B' } else { 'A' };
    wrong.push(last);
    for bad in [wrong.as_str(), "styra_nosuchprefix_x", "not-a-key"] {
        let r = with_key_header(&app, COMPLIANCE, bad).await;
        r.assert_status(401);
        assert_eq!(r.body["detail"], "the API key is not valid");
        let challenge = r.headers["www-authenticate"].to_str().unwrap();
        assert!(
            challenge.contains("Bearer") && challenge.contains("Basic"),
            "{challenge}"
        );
    }
    let as_bearer = app.get(COMPLIANCE, &key).await;
    as_bearer.assert_status(401);
    assert!(as_bearer.body["detail"]
        .as_str()
        .unwrap()
        .contains("X-Api-Key"));
    send_plain(&app, Method::GET, COMPLIANCE, None, &[])
        .await
        .assert_status(401);

    app.post(
        &format!("/api/v1/api-keys/{id}/revoke"),
        &app.admin,
        json!({}),
    )
    .await
    .assert_status(200);
    for r in [
        with_key_header(&app, COMPLIANCE, &key).await,
        send_plain(
            &app,
            Method::GET,
            &format!("{COMPLIANCE}&api_key={key}"),
            None,
            &[],
        )
        .await,
        send_plain(
            &app,
            Method::GET,
            COMPLIANCE,
            None,
            &[("Authorization", &basic(&key))],
        )
        .await,
    ] {
        r.assert_status(401);
        assert_eq!(r.body["detail"], "the API key has been revoked");
    }

    // Expiry: move a key's expires_at into the past, as time would.
    let (expiring, expiring_key) = key_for(&app, &[&t.social]).await;
    with_key_header(&app, COMPLIANCE, &expiring_key)
        .await
        .assert_status(200);
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = styra::startup::open_database(&settings).unwrap();
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
        diesel::update(api_keys::table.find(expiring))
            .set(api_keys::expires_at.eq(past))
            .execute(&mut *db.pool().get().unwrap())
            .unwrap();
    })
    .await
    .unwrap();
    let r = with_key_header(&app, COMPLIANCE, &expiring_key).await;
    r.assert_status(401);
    assert_eq!(r.body["detail"], "the API key has expired");
    let listed = app.get("/api/v1/api-keys?status=expired", &app.admin).await;
    assert_eq!(listed.total(), 1);
}

#[tokio::test]
async fn reads_beyond_the_limit_get_429_with_retry_after_and_crud_is_unaffected() {
    let app = TestApp::spawn_with(|s| {
        s.max_concurrent_reads = Some(1);
        s.read_queue_timeout = std::time::Duration::from_millis(100).into();
    })
    .await;
    let t = app.tree().await;
    let (_, key) = key_for(&app, &[&t.social]).await;
    assert_eq!(app.read_limiter.limit(), 1);

    // A report running elsewhere holds the only turn.
    let running = app.read_limiter.try_acquire().expect("a free turn");
    for r in [
        app.get(COMPLIANCE, &app.admin).await,
        with_key_header(&app, COMPLIANCE, &key).await,
    ] {
        r.assert_status(429);
        assert_eq!(r.headers["retry-after"], "5");
    }
    // Credentials are checked before the limit: a bad key is still a 401, not a 429.
    with_key_header(&app, COMPLIANCE, "styra_nosuchprefix_x")
        .await
        .assert_status(401);
    app.get("/api/v1/organisations", &app.admin)
        .await
        .assert_status(200);
    drop(running);
    app.get(COMPLIANCE, &app.admin).await.assert_status(200);
    assert_eq!(app.read_limiter.in_use(), 0, "the turn was not given back");

    // A read that waits less than the queue timeout gets the turn that frees up.
    let running = app.read_limiter.try_acquire().expect("a free turn");
    let release = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        drop(running);
    });
    app.get(COMPLIANCE, &app.admin).await.assert_status(200);
    release.await.unwrap();
}

#[tokio::test]
async fn reports_read_the_replica_while_writes_and_key_checks_use_the_primary() {
    let app = TestApp::spawn_with_replica(|_| {}).await;
    // Written through the API: lands on the primary.
    let lund = app.org("municipality", None, "Lunds kommun").await;
    let (_, key) = key_for(&app, &[&lund]).await;
    // Written straight into the replica: only the replica has it.
    let replica = app.replica().await;
    replica
        .transaction(|conn| {
            let admin = Principal {
                subject: "replication".to_owned(),
                role: Role::Admin,
                orgs: None,
                read_only: false,
            };
            organisations::create(
                conn,
                &admin,
                OrganisationNew {
                    kind: OrganisationKind::Municipality,
                    parent_id: None,
                    name: "Replikstads kommun".to_owned(),
                    short_name: None,
                    external_id: None,
                },
            )
        })
        .await
        .unwrap();

    // Reports come from the replica, the CRUD list from the primary.
    let report = app.get(COMPLIANCE, &app.admin).await;
    report.assert_status(200);
    assert_eq!(organisation_names(&report), vec!["Replikstads kommun"]);
    assert_eq!(
        app.get("/api/v1/organisations", &app.admin).await.names(),
        vec!["Lunds kommun"]
    );
    // The key lives only on the primary and still works: keys are checked there, so a
    // revocation cannot lag behind. (Lund does not exist on the replica: no rows.)
    let by_key = with_key_header(&app, COMPLIANCE, &key).await;
    by_key.assert_status(200);
    assert_eq!(organisation_names(&by_key), Vec::<String>::new());
    // Nothing written through the API reached the replica.
    let on_replica = replica
        .run(|conn| {
            Ok(styra::db::schema::organisations::table
                .select(styra::db::schema::organisations::name)
                .load::<String>(conn)?)
        })
        .await
        .unwrap();
    assert_eq!(on_replica, vec!["Replikstads kommun"]);
    let ready = app
        .send(Method::GET, "/health/ready", None, None, &[])
        .await;
    ready.assert_status(200);
    assert!(ready.body["read_database"].is_string());
}

#[test]
fn only_reader_routes_offer_the_api_key_schemes() {
    let spec: Value =
        serde_json::from_str(&styra::api::openapi().to_json().expect("json")).expect("parse");
    for scheme in ["api_key", "api_key_query", "basic"] {
        assert!(spec["components"]["securitySchemes"][scheme].is_object());
    }
    let mut reader_ops = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let schemes: Vec<String> = op["security"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .flat_map(|s| s.as_object().unwrap().keys().cloned())
                        .collect()
                })
                .unwrap_or_default();
            let reader = path.starts_with("/api/v1/reports") || path.starts_with("/odata");
            if reader {
                reader_ops += 1;
                assert_eq!(method, "get", "{path}");
                assert!(schemes.iter().any(|s| s == "api_key"), "{path}");
                assert!(schemes.iter().any(|s| s == "basic"), "{path}");
                assert!(op["responses"]["429"].is_object(), "{path} lacks 429");
            } else {
                assert!(
                    schemes.iter().all(|s| s == "bearer"),
                    "{method} {path} offers {schemes:?}"
                );
            }
        }
    }
    assert!(reader_ops >= 2);
}
