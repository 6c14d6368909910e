//! Typed settings from flags and environment variables; secrets are wrapped so they never print.

use std::fmt;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A string that must never reach a log or a debug print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "styra",
    version,
    about = "Styra: documentation of how a municipality governs IT and digitalisation"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default when no command is given).
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Print a signed access token for the configured JWT secret.
    Token(TokenArgs),
    /// Print the OpenAPI document.
    Openapi,
    /// Fill an empty database with a realistic fictional municipality.
    SeedDemo,
    /// Import an Excel, CSV or JSON file into the configured database (all or nothing).
    Import(ImportArgs),
    /// Export everything to an Excel (.xlsx) or JSON (.json) file.
    Export(ExportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file: .xlsx, .csv or .json.
    pub file: PathBuf,
    /// Validate everything and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Who the change history records as the importer.
    #[arg(long = "as", default_value = "cli-import")]
    pub actor: String,
    /// The resource of a CSV file whose name does not say it, e.g. activities.
    #[arg(long)]
    pub resource: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write: .xlsx or .json.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct TokenArgs {
    /// The subject (who the token identifies; recorded as the actor of changes).
    #[arg(long)]
    pub sub: String,
    /// admin, editor or viewer.
    #[arg(long, value_parser = ["admin", "editor", "viewer"])]
    pub role: String,
    /// Organisation ids the token is limited to (their subtrees). Required unless admin.
    #[arg(long = "org")]
    pub orgs: Vec<String>,
    /// Lifetime, e.g. 8h, 30m, 7d.
    #[arg(long, default_value = "8h")]
    pub ttl: humantime::Duration,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(
        long,
        env = "STYRA_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,
    /// Directory for the SQLite database, the generated JWT secret and attachments.
    #[arg(long, env = "STYRA_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// Database URL; a postgres:// URL selects PostgreSQL. Default: SQLite in the data dir.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<Secret>,
    /// A read replica (PostgreSQL) for the report and OData routes; writes, migrations and API
    /// key checks stay on DATABASE_URL. Default: everything on DATABASE_URL.
    #[arg(long, env = "DATABASE_READ_URL", global = true, hide_env_values = true)]
    pub database_read_url: Option<Secret>,
    /// HS256 secret for bearer tokens.
    #[arg(long, env = "STYRA_JWT_SECRET", global = true, hide_env_values = true)]
    pub jwt_secret: Option<Secret>,
    /// Path to a JWKS file with RS256 public keys (e.g. from Entra ID).
    #[arg(long, env = "STYRA_JWT_JWKS", global = true)]
    pub jwt_jwks: Option<PathBuf>,
    /// Required `iss` claim, checked when set.
    #[arg(long, env = "STYRA_JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,
    /// Required `aud` claim, checked when set.
    #[arg(long, env = "STYRA_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,
    /// Origins allowed by CORS, comma separated. None by default.
    #[arg(long, env = "STYRA_CORS_ORIGINS", value_delimiter = ',', global = true)]
    pub cors_origins: Vec<String>,
    /// Largest accepted request body in bytes.
    #[arg(long, env = "STYRA_MAX_BODY_BYTES", default_value_t = 10 * 1024 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Largest accepted import file in bytes (`POST /import`).
    #[arg(long, env = "STYRA_MAX_IMPORT_BYTES", default_value_t = 100 * 1024 * 1024, global = true)]
    pub max_import_bytes: usize,
    /// Database connections in the pool.
    #[arg(long, env = "STYRA_DB_POOL_SIZE", default_value_t = 16, global = true)]
    pub db_pool_size: u32,
    /// Report and OData requests served at once; more wait briefly, then get 429 with
    /// Retry-After. Default: half the pool, or the whole read pool with a read replica.
    #[arg(long, env = "STYRA_MAX_CONCURRENT_READS", global = true)]
    pub max_concurrent_reads: Option<usize>,
    /// How long a report or OData request waits for a turn before the 429, e.g. 2s, 500ms.
    #[arg(
        long,
        env = "STYRA_READ_QUEUE_TIMEOUT",
        default_value = "2s",
        global = true
    )]
    pub read_queue_timeout: humantime::Duration,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "STYRA_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// The address clients reach the service at (e.g. `https://styra.kommun.se`), used for the
    /// links in responses (`next`). Set it behind a reverse proxy; without it links use the
    /// request's own `Host` header — never `X-Forwarded-Host`, which any client can send.
    #[arg(long, env = "STYRA_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Rows per OData page unless the client prefers another size (Prefer: odata.maxpagesize).
    #[arg(long, env = "STYRA_ODATA_PAGE_SIZE", default_value_t = 1000,
          value_parser = clap::value_parser!(i64).range(1..=10_000), global = true)]
    pub odata_page_size: i64,
}

impl Settings {
    /// The database URL in effect: the configured one, or SQLite in the data dir.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose().to_owned(),
            None => self
                .data_dir
                .join("styra.db")
                .to_string_lossy()
                .into_owned(),
        }
    }

    /// The concurrency limit of the report and feed routes in effect: the configured one, or
    /// half the pool when reads share it with writes (the other half stays free for the CRUD
    /// routes), or the whole pool of a dedicated read replica.
    pub fn max_concurrent_reads(&self) -> usize {
        let pool = usize::try_from(self.db_pool_size).unwrap_or(usize::MAX);
        let default = if self.database_read_url.is_some() {
            pool
        } else {
            pool / 2
        };
        self.max_concurrent_reads.unwrap_or(default).max(1)
    }

    /// Settings for tests and tools: defaults with the given data dir.
    pub fn for_data_dir(data_dir: PathBuf) -> Self {
        Settings {
            bind: "127.0.0.1:0".to_owned(),
            data_dir,
            database_url: None,
            database_read_url: None,
            jwt_secret: None,
            jwt_jwks: None,
            jwt_issuer: None,
            jwt_audience: None,
            cors_origins: Vec::new(),
            max_body_bytes: 10 * 1024 * 1024,
            max_import_bytes: 100 * 1024 * 1024,
            db_pool_size: 8,
            max_concurrent_reads: None,
            read_queue_timeout: std::time::Duration::from_secs(2).into(),
            workers: Some(2),
            public_url: None,
            odata_page_size: 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("topsecret");
        assert!(!format!("{s:?}").contains("topsecret"));
    }
}
