//! Styra: an open API for documenting how a Swedish municipality governs IT and digitalisation
//! (förvaltningsobjekt, systems, roles, plans, activities) and for the reports auditors ask for.
//!
//! Module map:
//! - [`config`]: settings from flags and environment; secrets wrapped.
//! - [`startup`]: pool, migrations, the App factory and its middleware.
//! - [`db`]: the SQLite/PostgreSQL connection, pool, migrations, schema and blocking helper.
//! - [`auth`]: bearer tokens, the `Principal` extractor, and the `Reader` extractor of the report
//!   and feed routes (which also accepts read-only API keys).
//! - [`error`]: the one error type, rendered as RFC 9457 problem documents.
//! - [`domain`]: types, rules and queries per resource area.
//! - [`demo`]: `styra seed-demo`, a fictional municipality to try the API and reports on.
//! - [`import`]: reading uploaded xlsx, CSV and JSON files into tables of cells (no database).
//! - [`api`]: handlers per resource area, the route table and the OpenAPI document.
//! - [`odata`]: the read-only OData v4 feed for Power BI (`/odata/`).
//! - [`overload`]: the concurrency limit of the report and feed routes (429 with Retry-After).
//! - [`reports`]: report tables computed in SQL, rendered as JSON, CSV and XLSX.
//! - [`telemetry`]: request ids, logs and metrics.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod import;
pub mod odata;
pub mod overload;
pub mod reports;
pub mod startup;
pub mod telemetry;
pub mod transfer;
