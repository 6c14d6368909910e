//! The parser's contract types (`crate::import`), until the parser is merged.

use chrono::{NaiveDate, NaiveDateTime};

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<SheetRow>,
}

#[derive(Debug, Clone)]
pub struct SheetRow {
    pub number: usize,
    pub cells: Vec<Cell>,
}

// Minimal stand-ins with the parser's signatures (replaced by `crate::import` at merge).
impl Cell {
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(t) => Some(t.trim().to_owned()).filter(|t| !t.is_empty()),
            other => Some(other.display()),
        }
    }
    pub fn as_i64(&self) -> Result<Option<i64>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Number(n) if n.fract() == 0.0 => Ok(Some(*n as i64)),
            Cell::Text(t) => t
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| "not a whole number".into()),
            _ => Err("not a whole number".into()),
        }
    }
    pub fn as_decimal(&self) -> Result<Option<f64>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Number(n) => Ok(Some(*n)),
            Cell::Text(t) => t
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| "not a number".into()),
            _ => Err("not a number".into()),
        }
    }
    pub fn as_bool(&self) -> Result<Option<bool>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Bool(b) => Ok(Some(*b)),
            Cell::Text(t) => match t.trim().to_lowercase().as_str() {
                "ja" | "true" | "1" => Ok(Some(true)),
                "nej" | "false" | "0" => Ok(Some(false)),
                _ => Err("not yes/no".into()),
            },
            _ => Err("not yes/no".into()),
        }
    }
    pub fn as_date(&self) -> Result<Option<NaiveDate>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(d) => Ok(Some(*d)),
            Cell::DateTime(d) => Ok(Some(d.date())),
            Cell::Text(t) => NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
                .map(Some)
                .map_err(|_| "not a date".into()),
            _ => Err("not a date".into()),
        }
    }
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::DateTime(d) => d.to_string(),
        }
    }
}

/// Stand-in for `crate::import::read` until the parser is merged.
pub fn read(
    _content_type: Option<&str>,
    _bytes: &[u8],
    _name_hint: &str,
) -> Result<Vec<Sheet>, String> {
    Err("the parser is not merged yet".to_owned())
}
