//! Styra: an open API for documenting how a Swedish municipality governs IT and digitalisation
//! (förvaltningsobjekt, systems, roles, plans, activities) and for the reports auditors ask for.
//!
//! Module map:
//! - [`config`]: settings from flags and environment; secrets wrapped.
//! - [`startup`]: pool, migrations, the App factory and its middleware.
//! - [`db`]: the SQLite/PostgreSQL connection, pool, migrations, schema and blocking helper.
//! - [`auth`]: bearer tokens and the `Principal` extractor.
//! - [`error`]: the one error type, rendered as RFC 9457 problem documents.
//! - [`domain`]: types, rules and queries per resource area.
//! - [`demo`]: `styra seed-demo`, a fictional municipality to try the API and reports on.
//! - [`import`]: reading uploaded xlsx, CSV and JSON files into tables of cells (no database).
//! - [`api`]: handlers per resource area, the route table and the OpenAPI document.
//! - [`telemetry`]: request ids, logs and metrics.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod import;
pub mod startup;
pub mod telemetry;
pub mod transfer;
