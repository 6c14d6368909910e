//! The HTTP integration suite: every test starts a real server over its own database.
//! SQLite by default; set `STYRA_TEST_DATABASE_URL=postgres://…/postgres` to run on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod activities;
mod api_key_reads;
mod api_keys;
mod audit_actions;
mod audit_findings;
mod benefit_follow_ups;
mod benefits;
mod budget_lines;
mod changes;
mod decisions;
mod demo;
mod documentation_items;
mod focus_areas;
mod import_export;
mod import_files;
mod objects;
mod odata;
mod odata_report_pages;
mod openapi;
mod operations;
mod organisations;
mod people;
mod phase_rules;
mod plans;
mod report_formats;
mod reports;
mod reports_budget_benefits;
mod reports_followup;
mod reports_gaps;
mod risks;
mod roadmap_actions;
mod roadmap_goals;
mod roadmaps;
mod role_assignments;
mod role_types;
mod security;
mod systems;
