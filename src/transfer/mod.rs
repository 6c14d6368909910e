//! Bulk import and export (Excel, CSV, JSON): the column model of every resource, the export,
//! the templates and the import engine. File parsing lives in `crate::import`.

pub mod cli;
pub mod columns;
pub mod docs;
pub mod export;
pub mod import;
pub mod keys;
pub mod load;
pub mod model;
pub mod progress;
pub mod sheet;
pub mod template;
pub(crate) mod xlsx;
