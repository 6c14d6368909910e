//! The parser's types, as the import engine sees them.

pub use crate::import::{read, Cell, Sheet, SheetRow};
