//! Writing workbooks: the header row, typed cells, and fixed document properties so the same
//! data gives the same file.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use crate::error::ApiError;
use crate::transfer::export::Out;
use crate::transfer::model::Resource;

pub(crate) fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> ApiError {
    ApiError::internal(format!("could not write the workbook: {e}"))
}

/// A workbook with a fixed creation time (otherwise each file would differ in its metadata).
pub fn workbook() -> Workbook {
    let mut book = Workbook::new();
    if let Ok(epoch) = ExcelDateTime::from_ymd(2026, 1, 1) {
        book.set_properties(
            &DocProperties::new()
                .set_author("Styra")
                .set_creation_datetime(&epoch),
        );
    }
    book
}

/// The header text of a column: Swedish, `*` for required columns.
pub fn header_text(c: &crate::transfer::model::Column) -> String {
    if c.required {
        format!("{} *", c.header)
    } else {
        c.header.to_owned()
    }
}

/// Names the sheet after the resource and writes the bold, frozen header row.
pub fn header(sheet: &mut Worksheet, r: &Resource) -> Result<(), ApiError> {
    sheet.set_name(r.sheet).map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (i, c) in r.columns.iter().enumerate() {
        let col = i as u16;
        sheet
            .write_string_with_format(0, col, header_text(c), &bold)
            .map_err(xlsx_error)?;
        let width = match c.ty {
            crate::transfer::model::Ty::Id => 38.0,
            _ => (c.header.chars().count() as f64 + 4.0).max(12.0),
        };
        sheet.set_column_width(col, width).map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    Ok(())
}

/// Writes one data row; dates as Excel dates, numbers as numbers, yes/no as booleans.
pub fn row(sheet: &mut Worksheet, at: u32, cells: &[Out]) -> Result<(), ApiError> {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (i, v) in cells.iter().enumerate() {
        let col = i as u16;
        match v {
            Out::Empty => {}
            Out::Text(t) => {
                sheet.write_string(at, col, t).map_err(xlsx_error)?;
            }
            Out::Int(n) => {
                sheet.write_number(at, col, *n as f64).map_err(xlsx_error)?;
            }
            Out::Float(f) => {
                sheet.write_number(at, col, *f).map_err(xlsx_error)?;
            }
            Out::Bool(b) => {
                sheet.write_boolean(at, col, *b).map_err(xlsx_error)?;
            }
            Out::Date(d) => {
                sheet
                    .write_date_with_format(at, col, d, &date)
                    .map_err(xlsx_error)?;
            }
        }
    }
    Ok(())
}
