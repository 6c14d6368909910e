//! Liveness and readiness probes (readiness checks the read replica too, when there is one).

use actix_web::{get, web, HttpResponse};
use diesel::connection::SimpleConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{Db, ReadDb};
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
    /// The database the report and OData routes read (the read replica when
    /// `DATABASE_READ_URL` is set): postgresql or sqlite.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "sqlite")]
    pub read_database: Option<String>,
}

/// `SELECT 1` on a database; its backend's name.
async fn probe(db: &Db, which: &'static str) -> Result<&'static str, ApiError> {
    db.run(move |conn| {
        conn.batch_execute("SELECT 1")
            .map_err(|e| ApiError::Unavailable(format!("{which}: {e}")))?;
        Ok(if conn.is_postgres() {
            "postgresql"
        } else {
            "sqlite"
        })
    })
    .await
}

/// The process is up.
#[utoipa::path(tag = "health", operation_id = "get_live", responses((status = 200, body = Health)))]
#[get("/health/live")]
async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
        read_database: None,
    })
}

/// The database answers, and so does the read replica when one is configured.
#[utoipa::path(tag = "health", operation_id = "get_ready", responses((status = 200, body = Health), (status = 503, description = "The database or the read replica does not answer", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait before asking again")))))]
#[get("/health/ready")]
async fn ready(db: web::Data<Db>, read_db: web::Data<ReadDb>) -> Result<HttpResponse, ApiError> {
    let backend = probe(&db, "database").await?;
    let read_backend = probe(&read_db, "read database").await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: Some(backend.to_owned()),
        read_database: Some(read_backend.to_owned()),
    }))
}
