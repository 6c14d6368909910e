//! Import templates: one sheet per resource with Swedish headers (required ones marked `*`), a
//! note per column, dropdowns for closed value sets and for the caller's organisations, and one
//! example row.

use rust_xlsxwriter::{DataValidation, Formula, Note, Worksheet};

use crate::error::ApiError;
use crate::transfer::export::Out;
use crate::transfer::model::{resources, Resource, Ty};
use crate::transfer::xlsx::{self, xlsx_error as error};

/// The hidden sheet holding the organisations for the dropdowns.
const LISTS: &str = "Listor";
/// Dropdowns cover this many rows below the header.
const ROWS: u32 = 5000;

/// An organisation offered in the dropdowns: its key and name.
pub struct OrgChoice {
    pub key: String,
    pub name: String,
}

/// The organisations the caller may see, by key, for the dropdowns.
pub fn organisations(
    conn: &mut crate::db::DbConnection,
    principal: &crate::auth::Principal,
) -> Result<Vec<OrgChoice>, ApiError> {
    use crate::db::schema::organisations as o;
    use diesel::prelude::*;
    let visibility = crate::transfer::load::Visibility::of(conn, principal)?;
    let rows: Vec<(String, Option<String>, String, String)> = o::table
        .select((o::id, o::external_id, o::name, o::name_sort))
        .load(conn)?;
    let mut orgs: Vec<(String, OrgChoice)> = rows
        .into_iter()
        .filter(|(id, ..)| visibility.org(id))
        .map(|(id, ext, name, sort)| {
            (
                sort,
                OrgChoice {
                    key: ext.unwrap_or(id),
                    name,
                },
            )
        })
        .collect();
    orgs.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(orgs.into_iter().map(|(_, o)| o).collect())
}

/// A template workbook for the given resources (all of them for the combined template).
pub fn template(only: Option<&Resource>, orgs: &[OrgChoice]) -> Result<Vec<u8>, ApiError> {
    let mut book = xlsx::workbook();
    let chosen: Vec<&Resource> = match only {
        Some(r) => vec![r],
        None => resources().iter().collect(),
    };
    for r in &chosen {
        let sheet = book.add_worksheet();
        xlsx::header(sheet, r)?;
        notes_and_lists(sheet, r, !orgs.is_empty())?;
        example(sheet, r)?;
    }
    let lists = book.add_worksheet();
    lists.set_name(LISTS).map_err(error)?;
    lists
        .write_string(0, 0, "Organisation (nyckel)")
        .map_err(error)?;
    lists.write_string(0, 1, "Namn").map_err(error)?;
    for (i, o) in orgs.iter().enumerate() {
        let at = i as u32 + 1;
        lists.write_string(at, 0, &o.key).map_err(error)?;
        lists.write_string(at, 1, &o.name).map_err(error)?;
    }
    lists.set_hidden(true);
    book.save_to_buffer().map_err(error)
}

fn notes_and_lists(sheet: &mut Worksheet, r: &Resource, has_orgs: bool) -> Result<(), ApiError> {
    for (i, c) in r.columns.iter().enumerate() {
        let col = i as u16;
        let mut text = format!("{} ({})", c.key, c.ty.describe());
        if c.required {
            text.push_str(". Required");
        }
        if !c.note.is_empty() {
            text.push_str(". ");
            text.push_str(c.note);
        }
        let note = Note::new(text).set_author("Styra");
        sheet.insert_note(0, col, &note).map_err(error)?;
        let validation = match c.ty {
            Ty::Enum(values) => Some(
                DataValidation::new()
                    .allow_list_strings(&values())
                    .map_err(error)?,
            ),
            Ty::Ref("organisations") if has_orgs => Some(
                DataValidation::new()
                    .allow_list_formula(Formula::new(format!("={LISTS}!$A$2:$A$10000"))),
            ),
            Ty::Bool => Some(
                DataValidation::new()
                    .allow_list_strings(&["ja", "nej"])
                    .map_err(error)?,
            ),
            _ => None,
        };
        if let Some(v) = validation {
            sheet
                .add_data_validation(1, col, ROWS, col, &v.ignore_blank(true))
                .map_err(error)?;
        }
    }
    Ok(())
}

fn example(sheet: &mut Worksheet, r: &Resource) -> Result<(), ApiError> {
    let cells: Vec<Out> = r
        .columns
        .iter()
        .map(|c| {
            r.example
                .iter()
                .find(|(k, _)| *k == c.key)
                .map(|(_, v)| typed(c.ty, v))
                .unwrap_or(Out::Empty)
        })
        .collect();
    xlsx::row(sheet, 1, &cells)
}

/// An example value in its column's type, so the example row looks like real data.
fn typed(ty: Ty, v: &str) -> Out {
    match ty {
        Ty::Int | Ty::Money => v
            .parse()
            .map(Out::Int)
            .unwrap_or_else(|_| Out::Text(v.into())),
        Ty::Float => v
            .parse()
            .map(Out::Float)
            .unwrap_or_else(|_| Out::Text(v.into())),
        Ty::Date => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Out::Date)
            .unwrap_or_else(|_| Out::Text(v.into())),
        _ => Out::Text(v.into()),
    }
}
