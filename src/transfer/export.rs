//! Export: every resource the caller may see, in the template's columns, as JSON or as an Excel
//! workbook with one sheet per resource. Rows are ordered by id and references are written as
//! keys, so exporting what an export imported gives the same file.
//!
//! "Exact" means every exported column; the audit fields (version, created_at, modified_at,
//! phase_changed_at) and the change history are not exported and start afresh on import.

use chrono::NaiveDate;

use crate::error::ApiError;
use crate::transfer::keys::Keys;
use crate::transfer::load::{opt, text, Rec, Store, Visibility};
use crate::transfer::model::{resources, Column, Resource, Ty};
use crate::transfer::progress::Progress;

/// One exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Empty,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDate),
}

/// One resource's rows, in its columns' order.
pub struct Table {
    pub resource: &'static Resource,
    pub rows: Vec<Vec<Out>>,
}

/// Every resource's visible rows.
pub fn tables(store: &Store, visibility: &Visibility, progress: &mut dyn Progress) -> Vec<Table> {
    let keys = Keys::build(store);
    let mut out = Vec::new();
    for r in resources() {
        let total = store.get(r.key).len();
        let rows = if r.key == "decision-subjects" {
            subjects(store, &keys, visibility)
        } else {
            store
                .get(r.key)
                .iter()
                .filter(|rec| visibility.sees(r.key, rec))
                // Built-in role types are shared by every municipality, not exported.
                .filter(|rec| r.key != "role-types" || opt(rec, "municipality_id").is_some())
                .map(|rec| {
                    r.columns
                        .iter()
                        .map(|c| cell(r, c, rec, &keys, store))
                        .collect()
                })
                .collect()
        };
        progress.rows(r.key, total, total);
        out.push(Table { resource: r, rows });
    }
    out
}

fn subjects(store: &Store, keys: &Keys, visibility: &Visibility) -> Vec<Vec<Out>> {
    let visible: std::collections::HashSet<&str> = store
        .get("decisions")
        .iter()
        .filter(|rec| visibility.sees("decisions", rec))
        .map(|rec| text(rec, "id"))
        .collect();
    store
        .subjects
        .iter()
        .filter(|(d, _, _)| visible.contains(d.as_str()))
        .map(|(d, resource, record)| {
            vec![
                Out::Text(keys.key("decisions", d)),
                Out::Text(resource.clone()),
                Out::Text(keys.key(resource, record)),
            ]
        })
        .collect()
}

/// A record's value as a cell of a column of type `ty`.
pub fn json_cell(ty: Ty, value: Option<&serde_json::Value>) -> Out {
    use serde_json::Value;
    match value {
        None | Some(Value::Null) => Out::Empty,
        Some(Value::Bool(b)) => Out::Bool(*b),
        Some(Value::Number(n)) => match ty {
            Ty::Float => n.as_f64().map(Out::Float).unwrap_or(Out::Empty),
            _ => n
                .as_i64()
                .map(Out::Int)
                .or_else(|| n.as_f64().map(Out::Float))
                .unwrap_or(Out::Empty),
        },
        Some(Value::String(s)) => match ty {
            Ty::Date => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Out::Date)
                .unwrap_or_else(|_| Out::Text(s.clone())),
            _ => Out::Text(s.clone()),
        },
        Some(other) => Out::Text(other.to_string()),
    }
}

fn key_cell(keys: &Keys, resource: &str, id: Option<&str>) -> Out {
    match id {
        Some(id) if !id.is_empty() => Out::Text(keys.key(resource, id)),
        _ => Out::Empty,
    }
}

fn cell(r: &Resource, c: &Column, rec: &Rec, keys: &Keys, store: &Store) -> Out {
    if let Some(field) = c.field {
        return match c.ty {
            Ty::Ref(to) => key_cell(keys, to, opt(rec, field)),
            ty => json_cell(ty, rec.get(field)),
        };
    }
    let id = text(rec, "id");
    match (r.key, c.key) {
        ("budget-lines", "object") | ("budget-lines", "year") => {
            match keys.plan_of.get(text(rec, "plan_id")) {
                Some((object, _)) if c.key == "object" => Out::Text(keys.key("objects", object)),
                Some((_, year)) => Out::Int(*year),
                None => Out::Empty,
            }
        }
        ("activities", "organisation") => {
            key_cell(keys, "organisations", opt(rec, "organisation_id"))
        }
        ("activities", "object") => key_cell(keys, "objects", opt(rec, "object_id")),
        ("activities", "focus_areas") => {
            let mut names: Vec<String> = store
                .focus
                .get(id)
                .map(|v| v.iter().map(|f| keys.key("focus-areas", f)).collect())
                .unwrap_or_default();
            names.sort();
            joined(names)
        }
        ("activities", "co_funding") => {
            let mut shares: Vec<String> = store
                .funding
                .get(id)
                .map(|v| {
                    v.iter()
                        .map(|(o, amount)| format!("{}={amount}", keys.key("organisations", o)))
                        .collect()
                })
                .unwrap_or_default();
            shares.sort();
            joined(shares)
        }
        ("documentation-items", field) => json_cell(Ty::Text, rec.get(field)),
        _ => Out::Empty,
    }
}

fn joined(parts: Vec<String>) -> Out {
    if parts.is_empty() {
        Out::Empty
    } else {
        Out::Text(parts.join("; "))
    }
}

/// The export as JSON: `{"<resource>": [{"<column key>": value, …}, …], …}`, one row per line,
/// keys in column order, so the same data always gives the same bytes.
pub fn to_json(tables: &[Table]) -> Result<Vec<u8>, ApiError> {
    let s = |v: &str| serde_json::to_string(v).map_err(ApiError::internal);
    let mut out = String::from("{\n  \"_format\": \"styra-export-1\"");
    for t in tables {
        out.push_str(",\n  ");
        out.push_str(&s(t.resource.key)?);
        out.push_str(": [");
        for (i, row) in t.rows.iter().enumerate() {
            out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
            for (j, (c, v)) in t.resource.columns.iter().zip(row).enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                out.push_str(&s(c.key)?);
                out.push_str(": ");
                out.push_str(&json_value(v)?);
            }
            out.push('}');
        }
        out.push_str(if t.rows.is_empty() { "]" } else { "\n  ]" });
    }
    out.push_str("\n}\n");
    Ok(out.into_bytes())
}

fn json_value(v: &Out) -> Result<String, ApiError> {
    let value = match v {
        Out::Empty => serde_json::Value::Null,
        Out::Text(t) => serde_json::Value::from(t.as_str()),
        Out::Int(i) => serde_json::Value::from(*i),
        Out::Float(f) => serde_json::Value::from(*f),
        Out::Bool(b) => serde_json::Value::from(*b),
        Out::Date(d) => serde_json::Value::from(d.format("%Y-%m-%d").to_string()),
    };
    serde_json::to_string(&value).map_err(ApiError::internal)
}

/// The export as an Excel workbook: one sheet per resource, Swedish headers.
pub fn to_xlsx(tables: &[Table]) -> Result<Vec<u8>, ApiError> {
    let mut book = crate::transfer::xlsx::workbook();
    for t in tables {
        let sheet = book.add_worksheet();
        crate::transfer::xlsx::header(sheet, t.resource)?;
        for (i, row) in t.rows.iter().enumerate() {
            crate::transfer::xlsx::row(sheet, (i + 1) as u32, row)?;
        }
    }
    book.save_to_buffer().map_err(ApiError::internal)
}

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Json,
}

impl Format {
    /// By file extension (`.xlsx`, `.json`).
    pub fn of_path(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Exports everything `principal` may see.
pub fn export(
    conn: &mut crate::db::DbConnection,
    principal: &crate::auth::Principal,
    format: Format,
) -> Result<Vec<u8>, ApiError> {
    export_with(
        conn,
        principal,
        format,
        &mut crate::transfer::progress::Silent,
    )
}

/// [`export`], reporting progress per resource.
pub fn export_with(
    conn: &mut crate::db::DbConnection,
    principal: &crate::auth::Principal,
    format: Format,
    progress: &mut dyn Progress,
) -> Result<Vec<u8>, ApiError> {
    let store = crate::transfer::load::load_all(conn)?;
    let visibility = Visibility::of(conn, principal)?;
    let tables = tables(&store, &visibility, progress);
    drop(store);
    match format {
        Format::Xlsx => to_xlsx(&tables),
        Format::Json => to_json(&tables),
    }
}
