//! The read-only OData v4 feed at `/odata/` that Power BI's "OData feed" connector loads:
//! the service document, `$metadata` (CSDL), and one entity set per flat table, with `$select`,
//! `$filter`, `$orderby`, `$top`, `$skip`, `$count` and server-driven keyset paging
//! (`@odata.nextLink`), and one entity set per report table. Rows are limited to the caller's organisation subtrees, as in the REST
//! lists. See `docs/power-bi.md`.
//!
//! - [`model`]: EDM types, properties, entity sets; [`tables`]: the fourteen flat tables;
//!   [`reports`]: the report tables of `reports::REGISTRY`; [`sets`]: all of them by name.
//! - [`filter`]: the `$filter` tokenizer and parser; [`options`]: every query option.
//! - [`sql`]: the generated SQL (bound parameters only); [`exec`]: running it on either backend.
//! - [`snapshots`]: report results kept for paging through a report set.
//! - [`csdl`]: the service document and `$metadata`; [`handlers`]: the routes.

pub mod csdl;
pub mod exec;
pub mod filter;
pub mod handlers;
pub mod model;
pub mod options;
pub mod reports;
pub mod sets;
pub mod snapshots;
pub mod sql;
pub mod tables;

pub use handlers::configure;

/// Feed settings and state shared by the handlers.
#[derive(Debug, Clone)]
pub struct FeedSettings {
    /// Rows per page unless the client prefers fewer.
    pub page_size: i64,
    /// Report results kept for the pages after a report set's first.
    pub snapshots: std::sync::Arc<snapshots::ReportSnapshots>,
}

/// The most rows a client may ask for per page with `Prefer: odata.maxpagesize`.
pub const MAX_PAGE_SIZE: i64 = 10_000;
