//! Request telemetry: the request id, one structured log line per request, Prometheus metrics,
//! and the safety net that turns any bare error response into `application/problem+json`.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use prometheus::{Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry};

use crate::db::Db;
use crate::error::{problem_for_status, PROBLEM_JSON};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The Prometheus registry and the series Styra exports.
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool_size: IntGauge,
    pool_idle: IntGauge,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "styra_http_requests_total",
                "HTTP requests by route and status",
            ),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "styra_http_request_duration_seconds",
                "HTTP latency by route",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
            ]),
            &["method", "route", "status"],
        )?;
        let pool_size = IntGauge::new("styra_db_pool_connections", "Open database connections")?;
        let pool_idle = IntGauge::new(
            "styra_db_pool_idle_connections",
            "Idle database connections",
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(pool_size.clone()))?;
        registry.register(Box::new(pool_idle.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            pool_size,
            pool_idle,
        })
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status.to_string();
        self.requests
            .with_label_values(&[method, route, &status])
            .inc();
        self.latency
            .with_label_values(&[method, route, &status])
            .observe(seconds);
    }

    /// The text exposition, with the pool gauges read now.
    pub fn render(&self, db: &Db) -> String {
        let state = db.pool().state();
        self.pool_size.set(i64::from(state.connections));
        self.pool_idle.set(i64::from(state.idle_connections));
        let mut buf = Vec::new();
        let encoder = prometheus::TextEncoder::new();
        if encoder.encode(&self.registry.gather(), &mut buf).is_err() {
            return String::new();
        }
        String::from_utf8(buf).unwrap_or_default()
    }
}

/// `GET /metrics` in the Prometheus text format.
pub async fn metrics_endpoint(metrics: web::Data<Metrics>, db: web::Data<Db>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(metrics.render(&db))
}

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128 && v.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Wraps every request: id, log line, metrics, problem bodies.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().to_string();
    // The path only: query strings may carry an api_key.
    let path = req.path().to_owned();
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let metrics = req.app_data::<web::Data<Metrics>>().cloned();

    // (The request must not be cloned before routing: actix needs sole ownership to fill in
    // path parameters.)
    let mut res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        Err(e) => {
            let status = e.as_response_error().status_code();
            tracing::info!(request_id = %id, method = %method, path = %path, route = %route,
                status = status.as_u16(), latency_ms = started.elapsed().as_secs_f64() * 1000.0,
                "request");
            return Err(e);
        }
    };

    let status = res.status();
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.starts_with(PROBLEM_JSON))
        .unwrap_or(false);
    if (status.is_client_error() || status.is_server_error()) && !is_problem {
        // An error produced outside our handlers (unknown route, wrong method, …).
        let (req, old) = res.into_parts();
        let mut replacement = problem_for_status(status);
        for (name, value) in old.headers() {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                replacement
                    .headers_mut()
                    .insert(name.clone(), value.clone());
            }
        }
        res = ServiceResponse::new(req, replacement);
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(REQUEST_ID, value);
    }

    let elapsed = started.elapsed();
    if let Some(m) = metrics {
        m.observe(&method, &route, status.as_u16(), elapsed.as_secs_f64());
    }
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        route = %route,
        status = status.as_u16(),
        latency_ms = elapsed.as_secs_f64() * 1000.0,
        "request"
    );
    Ok(res)
}

/// Installs the JSON log subscriber (level from `RUST_LOG`, default info).
pub fn init_logging() {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = fmt()
        .json()
        .flatten_event(true)
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
