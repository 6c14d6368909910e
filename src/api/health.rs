//! Liveness and readiness probes.

use actix_web::{get, web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::Db;
use crate::error::ApiError;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(live).service(ready);
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
    /// postgresql or sqlite.
    #[schema(example = "sqlite")]
    pub database: Option<String>,
}

/// The process is up.
#[utoipa::path(tag = "health", operation_id = "get_live", responses((status = 200, body = Health)))]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
    })
}

/// The database answers.
#[utoipa::path(tag = "health", operation_id = "get_ready", responses((status = 200, body = Health), (status = 503, description = "The database does not answer", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/health/ready")]
async fn ready(db: web::Data<Db>) -> Result<HttpResponse, ApiError> {
    let backend = db
        .run(|conn| {
            conn.batch_execute("SELECT 1")
                .map_err(|e| ApiError::Unavailable(e.to_string()))?;
            Ok(if conn.is_postgres() {
                "postgresql"
            } else {
                "sqlite"
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: Some(backend.to_owned()),
    }))
}
