//! `TestApp`: a real server on a random port over a database of its own (SQLite in a temp dir,
//! or a fresh PostgreSQL database when `STYRA_TEST_DATABASE_URL` points at a server).

use std::net::TcpListener;

use diesel::{Connection, RunQueryDsl};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use styra::auth::{Auth, Role};
use styra::config::{Secret, Settings};
use styra::db::Db;
use styra::overload::ReadLimiter;
use styra::startup::{open_database, Application};

pub const SECRET: &str = "test-secret-for-styra";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub auth: Auth,
    pub admin: String,
    /// The settings the server runs with (e.g. to open its database from a test).
    pub settings: Settings,
    /// The server's overload limit of the report and feed routes (a test may hold its permits).
    pub read_limiter: actix_web::web::Data<ReadLimiter>,
    _data_dir: tempfile::TempDir,
    /// The PostgreSQL server's maintenance URL and the databases made for this test.
    pg_databases: Option<(String, Vec<String>)>,
}

/// Creates an empty PostgreSQL database next to `base` and returns its URL and name.
fn new_pg_database(base: &str) -> (String, String) {
    let name = format!("styra_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = diesel::PgConnection::establish(base).expect("connect to test PostgreSQL");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create test database");
    let url = match base.rfind('/') {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => panic!("STYRA_TEST_DATABASE_URL needs a database path"),
    };
    (url, name)
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Reply {
    pub fn etag(&self) -> String {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    pub fn id(&self) -> String {
        self.body["id"].as_str().unwrap_or_default().to_owned()
    }

    pub fn content_type(&self) -> String {
        self.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// The fields named in a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The `name` of each item of a page.
    pub fn names(&self) -> Vec<String> {
        self.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn ids(&self) -> Vec<String> {
        self.body["items"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| e["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn total(&self) -> i64 {
        self.body["total"].as_i64().unwrap_or(-1)
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            self.body
        );
        if status >= 400 {
            assert!(
                self.content_type().starts_with("application/problem+json"),
                "error without problem+json: {}",
                self.content_type()
            );
            assert_eq!(self.body["status"].as_u64(), Some(u64::from(status)));
        }
        self
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns with adjusted settings (e.g. a small body limit or CORS origins).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        Self::spawn_inner(adjust, false).await
    }

    /// Spawns with a read replica (`DATABASE_READ_URL`): a second database of the same backend
    /// (another SQLite file, or another PostgreSQL database), migrated like the primary, stands
    /// in for a streaming replica. Nothing replicates into it, so a test can tell the two apart
    /// by writing to it directly ([`TestApp::replica`]).
    pub async fn spawn_with_replica(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        Self::spawn_inner(adjust, true).await
    }

    async fn spawn_inner(adjust: impl FnOnce(&mut Settings), replica: bool) -> TestApp {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::for_data_dir(data_dir.path().to_path_buf());
        settings.jwt_secret = Some(Secret::new(SECRET));
        settings.workers = Some(1);
        settings.db_pool_size = 4;
        let pg_base = std::env::var("STYRA_TEST_DATABASE_URL").ok();
        let mut pg_names = Vec::new();
        if let Some(base) = &pg_base {
            let (url, name) = new_pg_database(base);
            settings.database_url = Some(Secret::new(url));
            pg_names.push(name);
        }
        if replica {
            let url = match &pg_base {
                Some(base) => {
                    let (url, name) = new_pg_database(base);
                    pg_names.push(name);
                    url
                }
                None => data_dir
                    .path()
                    .join("replica.db")
                    .to_string_lossy()
                    .into_owned(),
            };
            // The replica's schema, as replication would bring it.
            let mut replica_settings = settings.clone();
            replica_settings.database_url = Some(Secret::new(url.clone()));
            tokio::task::spawn_blocking(move || open_database(&replica_settings))
                .await
                .expect("join")
                .expect("migrate the replica");
            settings.database_read_url = Some(Secret::new(url));
        }
        adjust(&mut settings);
        let open_settings = settings.clone();
        let db = tokio::task::spawn_blocking(move || open_database(&open_settings))
            .await
            .expect("join")
            .expect("open database");
        let auth = Auth::from_settings(&settings).expect("auth");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let app = Application::build_with(
            settings.clone(),
            db,
            Auth::from_settings(&settings).expect("auth"),
            listener,
        )
        .expect("build app");
        let address = format!("http://127.0.0.1:{}", app.port());
        let read_limiter = app.read_limiter();
        tokio::spawn(app.run_until_stopped());
        // (With a JWKS the server cannot mint; such tests sign their own tokens.)
        let admin = auth
            .mint(
                "admin",
                Role::Admin,
                &[],
                std::time::Duration::from_secs(3600),
            )
            .unwrap_or_default();
        TestApp {
            address,
            // Short-lived pooled connections: a loaded CI machine must not race the server's
            // keep-alive timer.
            client: reqwest::Client::builder()
                .pool_idle_timeout(std::time::Duration::from_secs(2))
                .build()
                .expect("client"),
            auth,
            admin,
            settings,
            read_limiter,
            _data_dir: data_dir,
            pg_databases: pg_base.map(|base| (base, pg_names)),
        }
    }

    /// The read replica's database, for writing to it directly (see [`TestApp::spawn_with_replica`]).
    pub async fn replica(&self) -> Db {
        let mut settings = self.settings.clone();
        settings.database_url = settings.database_read_url.clone();
        assert!(settings.database_url.is_some(), "spawned without a replica");
        tokio::task::spawn_blocking(move || open_database(&settings))
            .await
            .expect("join")
            .expect("open the replica")
    }

    pub fn token(&self, sub: &str, role: Role, orgs: &[&str]) -> String {
        let orgs: Vec<String> = orgs.iter().map(|s| s.to_string()).collect();
        self.auth
            .mint(sub, role, &orgs, std::time::Duration::from_secs(3600))
            .expect("mint")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self.client.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(Method::GET, path, Some(token), None, &[]).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(token), Some(&body), &[])
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(token), Some(&body), &[])
            .await
    }

    pub async fn patch_if(&self, path: &str, token: &str, etag: &str, body: Value) -> Reply {
        self.send(
            Method::PATCH,
            path,
            Some(token),
            Some(&body),
            &[("If-Match", etag)],
        )
        .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.send(Method::DELETE, path, Some(token), None, &[])
            .await
    }

    // ---- fixtures -------------------------------------------------------------------------

    /// Creates an organisation as admin and returns its id.
    pub async fn org(&self, kind: &str, parent: Option<&str>, name: &str) -> String {
        let mut body = json!({"kind": kind, "name": name});
        if let Some(p) = parent {
            body["parent_id"] = json!(p);
        }
        let r = self.post("/api/v1/organisations", &self.admin, body).await;
        r.assert_status(201);
        r.id()
    }

    pub async fn object(&self, org: &str, name: &str) -> String {
        let r = self
            .post(
                "/api/v1/objects",
                &self.admin,
                json!({"organisation_id": org, "name": name}),
            )
            .await;
        r.assert_status(201);
        r.id()
    }

    pub async fn system(&self, object: &str, name: &str) -> String {
        let r = self
            .post(
                "/api/v1/systems",
                &self.admin,
                json!({"object_id": object, "name": name, "kind": "business_system"}),
            )
            .await;
        r.assert_status(201);
        r.id()
    }

    /// An activity directly under an organisation (outside any plan), in phase idea.
    pub async fn activity(&self, org: &str, title: &str) -> String {
        let r = self
            .post(
                "/api/v1/activities",
                &self.admin,
                json!({"organisation_id": org, "title": title, "kind": "project", "year": 2026}),
            )
            .await;
        r.assert_status(201);
        r.id()
    }

    pub async fn plan(&self, object: &str, year: i32) -> String {
        let r = self
            .post(
                "/api/v1/plans",
                &self.admin,
                json!({"object_id": object, "year": year}),
            )
            .await;
        r.assert_status(201);
        r.id()
    }

    pub async fn person(&self, org: &str, name: &str) -> String {
        let r = self
            .post(
                "/api/v1/people",
                &self.admin,
                json!({"organisation_id": org, "name": name}),
            )
            .await;
        r.assert_status(201);
        r.id()
    }
}

/// A municipality with two committees (each with an administration), as most tests need.
pub struct Tree {
    pub municipality: String,
    pub social: String,
    pub social_admin: String,
    pub school: String,
    pub school_admin: String,
}

impl TestApp {
    pub async fn tree(&self) -> Tree {
        let municipality = self.org("municipality", None, "Lunds kommun").await;
        let social = self
            .org("committee", Some(&municipality), "Socialnämnden")
            .await;
        let social_admin = self
            .org("administration", Some(&social), "Socialförvaltningen")
            .await;
        let school = self
            .org("committee", Some(&municipality), "Barn- och skolnämnden")
            .await;
        let school_admin = self
            .org(
                "administration",
                Some(&school),
                "Barn- och skolförvaltningen",
            )
            .await;
        Tree {
            municipality,
            social,
            social_admin,
            school,
            school_admin,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((base, names)) = &self.pg_databases {
            if let Ok(mut admin) = diesel::PgConnection::establish(base) {
                for name in names {
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut admin);
                }
            }
        }
    }
}
