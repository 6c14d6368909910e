//! The HTTP integration suite: every test starts a real server over its own database.
//! SQLite by default; set `STYRA_TEST_DATABASE_URL=postgres://…/postgres` to run on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod changes;
mod objects;
mod openapi;
mod operations;
mod organisations;
mod people;
mod role_assignments;
mod role_types;
mod security;
mod systems;
