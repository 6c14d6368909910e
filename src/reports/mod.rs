//! Reports: aggregate tables computed in SQL (GROUP BY on the database) and served under
//! `/api/v1/reports/` as JSON, CSV and XLSX, and as OData entity sets (`src/odata`).
//!
//! A report table is one SQL query plus one column list ([`table::ReportTable`]); the
//! [`registry`] lists them all, and the same definitions generate the routes, the OpenAPI paths
//! and schemas ([`openapi`]) and `docs/reports.md` ([`docs`]). To add one: write a module with a
//! `report_row!` struct and a run function, and add its `ReportTable` to [`REGISTRY`].

pub mod audit_follow_up;
pub mod benefits;
pub mod budget;
pub mod docs;
pub mod documentation_completeness;
pub mod filters;
pub mod model_compliance;
pub mod openapi;
pub mod overview;
pub mod portfolio;
pub mod render;
pub mod roadmap_timeline;
pub mod sql;
pub mod table;

use chrono::NaiveDate;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::ApiError;
use filters::{ReportContext, ReportFilters};
use table::{Cell, ReportTable};

/// Every report table, in the order the docs and the OpenAPI document list them.
pub static REGISTRY: &[ReportTable] = &[
    documentation_completeness::SUMMARY,
    documentation_completeness::GAPS,
    model_compliance::SUMMARY,
    model_compliance::DETAILS,
    portfolio::TABLE,
    budget::BUDGET,
    budget::IT_COST,
    benefits::BENEFITS,
    benefits::MISSING_FOLLOW_UPS,
    roadmap_timeline::TABLE,
    audit_follow_up::SUMMARY,
    audit_follow_up::OVERDUE_ACTIONS,
    overview::TABLE,
];

/// Every report table with its columns.
pub fn registry() -> &'static [ReportTable] {
    REGISTRY
}

/// A table by its key (`documentation_completeness_gaps`).
pub fn find(key: &str) -> Option<&'static ReportTable> {
    REGISTRY.iter().find(|t| t.key == key)
}

/// A table by its route below `/reports/` (`documentation-completeness/gaps`).
pub fn find_by_path(path: &str) -> Option<&'static ReportTable> {
    REGISTRY.iter().find(|t| t.path == path)
}

/// A report table's result: typed rows in column order, and the filters that made it.
#[derive(Debug)]
pub struct ReportData {
    pub table: &'static ReportTable,
    pub filters: ReportFilters,
    pub generated_on: NaiveDate,
    pub rows: Vec<Vec<Cell>>,
}

impl std::fmt::Debug for ReportTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportTable")
            .field("key", &self.key)
            .finish()
    }
}

/// Runs one table for a principal: checks the filters against the table (422), intersects
/// `organisation_id` with the principal's scope (403 outside it), and runs the query.
pub fn run(
    conn: &mut DbConnection,
    principal: &Principal,
    table: &'static ReportTable,
    filters: ReportFilters,
    today: NaiveDate,
) -> Result<ReportData, ApiError> {
    let ctx = context(conn, principal, table, filters, today)?;
    let rows = (table.run)(conn, &ctx)?;
    Ok(ReportData {
        table,
        filters: ctx.filters,
        generated_on: today,
        rows,
    })
}

/// Reads one page of a table that pages in SQL (`ReportTable::pages`), with the checks of
/// [`run`]; `None` when the table computes only whole results.
pub fn run_page(
    conn: &mut DbConnection,
    principal: &Principal,
    table: &'static ReportTable,
    filters: ReportFilters,
    today: NaiveDate,
    resume: Option<&serde_json::Value>,
    limit: usize,
) -> Result<Option<table::ReportPage>, ApiError> {
    let Some(pages) = table.pages else {
        return Ok(None);
    };
    let ctx = context(conn, principal, table, filters, today)?;
    pages(conn, &ctx, resume, limit).map(Some)
}

/// The filters checked against the table (422) and resolved for the principal's scope (403
/// outside it).
fn context(
    conn: &mut DbConnection,
    principal: &Principal,
    table: &ReportTable,
    filters: ReportFilters,
    today: NaiveDate,
) -> Result<ReportContext, ApiError> {
    filters.check_for(table.filters, table.required)?;
    ReportContext::resolve(conn, principal, filters, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_paths_and_column_keys_are_unique_and_snake_case() {
        let mut keys = std::collections::BTreeSet::new();
        let mut paths = std::collections::BTreeSet::new();
        for t in REGISTRY {
            assert!(keys.insert(t.key), "duplicate key {}", t.key);
            assert!(paths.insert(t.path), "duplicate path {}", t.path);
            assert!(
                t.title.chars().count() <= 31,
                "{} title too long for a sheet",
                t.key
            );
            let mut columns = std::collections::BTreeSet::new();
            for c in t.columns {
                assert!(
                    columns.insert(c.key),
                    "{}: duplicate column {}",
                    t.key,
                    c.key
                );
                assert!(
                    c.key
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit()),
                    "{}: {} is not snake_case",
                    t.key,
                    c.key
                );
                let example: Result<serde_json::Value, _> = serde_json::from_str(c.example);
                assert!(example.is_ok(), "{}.{}: example is not JSON", t.key, c.key);
            }
            for f in t.required {
                assert!(
                    t.filters.contains(f),
                    "{}: required filter not accepted",
                    t.key
                );
            }
        }
    }
}
