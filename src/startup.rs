//! Start-up: the pool and migrations, the App factory with its middleware, and the route table.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpResponse, HttpServer};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::api::extract::BodyLimit;
use crate::api::paging::PublicUrl;
use crate::api::{self, ApiDoc};
use crate::auth::Auth;
use crate::config::Settings;
use crate::db::{self, Db, ReadDb};
use crate::error::ApiError;
use crate::overload::ReadLimiter;
use crate::telemetry::{self, Metrics};

/// Opens the pool on the configured database and runs its migrations.
pub fn open_database(settings: &Settings) -> anyhow::Result<Db> {
    let url = settings.database_url();
    let pool = db::build_pool(&url, settings.db_pool_size)?;
    let mut conn = pool.get()?;
    db::run_migrations(&mut conn)?;
    db::refresh_statistics(&mut conn);
    Ok(Db::new(pool))
}

/// Opens the read replica's pool when `DATABASE_READ_URL` is set. No migrations run on it; a
/// replica whose schema differs from the primary's is reported in the log.
pub fn open_read_database(settings: &Settings, primary: &Db) -> anyhow::Result<Option<Db>> {
    let Some(url) = &settings.database_read_url else {
        return Ok(None);
    };
    let pool = db::build_read_pool(url.expose(), settings.db_pool_size)
        .map_err(|e| anyhow::anyhow!("cannot open the read database (DATABASE_READ_URL): {e}"))?;
    let replica_version = db::schema_version(&mut *pool.get()?);
    let primary_version = db::schema_version(&mut *primary.pool().get()?);
    if replica_version.is_none() {
        anyhow::bail!("the read database (DATABASE_READ_URL) has no Styra schema; point it at a replica of DATABASE_URL");
    }
    if replica_version != primary_version {
        tracing::warn!(
            replica = ?replica_version,
            primary = ?primary_version,
            "the read database's schema differs from the primary's (replication lag?)"
        );
    }
    Ok(Some(Db::new(pool)))
}

/// A bound, not yet running, server.
pub struct Application {
    port: u16,
    server: Server,
    read_limiter: web::Data<ReadLimiter>,
}

impl Application {
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let database = open_database(&settings)?;
        let auth = Auth::from_settings(&settings)?;
        let listener = TcpListener::bind(&settings.bind)?;
        Self::build_with(settings, database, auth, listener)
    }

    pub fn build_with(
        settings: Settings,
        database: Db,
        auth: Auth,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let read_db = open_read_database(&settings, &database)?;
        let read_db = web::Data::new(ReadDb(read_db.unwrap_or_else(|| database.clone())));
        let read_limiter = web::Data::new(ReadLimiter::new(
            settings.max_concurrent_reads(),
            settings.read_queue_timeout.into(),
        ));
        let limiter = read_limiter.clone();
        let db = web::Data::new(database);
        let auth = web::Data::new(auth);
        let metrics = web::Data::new(Metrics::new()?);
        let feed = web::Data::new(crate::odata::FeedSettings {
            page_size: settings.odata_page_size,
            snapshots: Default::default(),
        });
        let spec = api::openapi();
        let limit = settings.max_body_bytes;
        let import_limit = settings.max_import_bytes;
        let origins = settings.cors_origins.clone();
        let public_url = PublicUrl(settings.public_url.clone());
        let mut server = HttpServer::new(move || {
            let (app, _) = App::new()
                .app_data(db.clone())
                .app_data(read_db.clone())
                .app_data(limiter.clone())
                .app_data(auth.clone())
                .app_data(metrics.clone())
                .app_data(feed.clone())
                .app_data(BodyLimit(limit))
                .app_data(crate::api::transfer::ImportLimit(import_limit))
                .app_data(public_url.clone())
                .app_data(web::PayloadConfig::new(limit))
                .app_data(web::JsonConfig::default().limit(limit))
                .app_data(web::QueryConfig::default().error_handler(|err, _| {
                    ApiError::BadRequest(format!("invalid query parameter: {err}")).into()
                }))
                .app_data(web::PathConfig::default().error_handler(|err, _| {
                    ApiError::BadRequest(format!("invalid path parameter: {err}")).into()
                }))
                .wrap(cors(&origins))
                .wrap(from_fn(telemetry::middleware))
                .into_utoipa_app()
                .openapi(ApiDoc::openapi())
                .configure(api::health::configure)
                .service(utoipa_actix_web::scope("/api/v1").configure(api::configure))
                .service(utoipa_actix_web::scope("/odata").configure(crate::odata::configure))
                .split_for_parts();
            app.route("/metrics", web::get().to(telemetry::metrics_endpoint))
                .route(
                    "/docs",
                    web::get().to(|| async {
                        HttpResponse::PermanentRedirect()
                            .insert_header((header::LOCATION, "/docs/"))
                            .finish()
                    }),
                )
                .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()))
                .default_service(web::to(|| async {
                    Err::<HttpResponse, _>(ApiError::NotFound("no such route".to_owned()))
                }))
        })
        .listen(listener)?
        // Keep-alive longer than typical client pools (Power BI, reverse proxies) so a reused
        // idle connection is not cut mid-request; a request head must still arrive within 30 s.
        .keep_alive(std::time::Duration::from_secs(75))
        .client_request_timeout(std::time::Duration::from_secs(30))
        .shutdown_timeout(30);
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Application {
            port,
            server: server.run(),
            read_limiter,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The overload limit of the report and feed routes (shared by every worker).
    pub fn read_limiter(&self) -> web::Data<ReadLimiter> {
        self.read_limiter.clone()
    }

    /// Runs until SIGTERM/SIGINT, then finishes in-flight requests (graceful shutdown).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn cors(origins: &[String]) -> Cors {
    // Only configured origins; with none configured, browsers get no CORS permission at all.
    let mut cors = Cors::default()
        .allowed_methods(vec!["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .allowed_headers(vec![
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::CONTENT_DISPOSITION,
            header::ACCEPT,
            crate::auth::API_KEY_HEADER,
            telemetry::REQUEST_ID,
        ])
        .expose_headers(vec![
            header::ETAG,
            header::LOCATION,
            header::CONTENT_DISPOSITION,
            header::RETRY_AFTER,
            telemetry::REQUEST_ID,
        ])
        .max_age(3600);
    for origin in origins {
        let origin = origin.trim();
        if !origin.is_empty() {
            cors = cors.allowed_origin(origin);
        }
    }
    cors
}
