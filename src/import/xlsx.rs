//! xlsx workbooks, read with calamine's streaming cell reader: each worksheet's XML is turned
//! straight into [`Sheet`] rows, without first building calamine's dense `Range` (which would
//! hold a second copy of every cell, blanks included).

use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, Xlsx, XlsxError};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::sheet::{CellBudget, SheetBuilder};
use super::{Cell, ParseError, ParseIssue, Sheet, MAX_CELLS};

/// Reads every worksheet of an xlsx workbook, in workbook order (hidden ones too; chart and
/// dialog sheets are left out). In each, the first non-blank row is the header row; blank
/// rows are skipped, so trailing ones vanish, and row numbers are Excel's. Date-formatted
/// cells become [`Cell::Date`] (midnight) or [`Cell::DateTime`]; other numbers
/// [`Cell::Number`]; formulas give their cached result. A sheet with no cells comes back with
/// no headers and no rows. Cells holding an Excel error (`#N/A`, `#DIV/0!` …) are reported.
pub fn read_workbook(bytes: &[u8]) -> Result<Vec<Sheet>, ParseError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Password => {
            ParseError::unsupported("the workbook is password protected; save it without one")
        }
        other => {
            ParseError::unsupported(format!("the file is not a readable xlsx workbook: {other}"))
        }
    })?;
    let names: Vec<String> = workbook
        .sheets_metadata()
        .iter()
        .filter(|sheet| sheet.typ == SheetType::WorkSheet)
        .map(|sheet| sheet.name.clone())
        .collect();
    let mut budget = CellBudget::new(MAX_CELLS);
    let mut sheets = Vec::with_capacity(names.len());
    let mut issues = Vec::new();
    for name in names {
        let (sheet, sheet_issues) = read_sheet(&mut workbook, &name, &mut budget)?;
        sheets.extend(sheet);
        issues.extend(sheet_issues);
    }
    if issues.is_empty() {
        Ok(sheets)
    } else {
        Err(ParseError::from_issues(issues))
    }
}

/// One worksheet; `None` when it turns out not to be a worksheet after all.
fn read_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    budget: &mut CellBudget,
) -> Result<(Option<Sheet>, Vec<ParseIssue>), ParseError> {
    let mut reader = match workbook.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        Err(XlsxError::NotAWorksheet(_)) => return Ok((None, Vec::new())),
        Err(e) => {
            let issue = ParseIssue::sheet(name, format!("the sheet cannot be read: {e}"));
            return Ok((None, vec![issue]));
        }
    };
    let mut builder = SheetBuilder::new(name);
    let mut row_index: Option<u32> = None;
    let mut row: Vec<(usize, Cell)> = Vec::new();
    loop {
        let next = match reader.next_cell() {
            Ok(next) => next,
            Err(e) => {
                builder.issue(ParseIssue::sheet(
                    name,
                    format!("the sheet cannot be read: {e}"),
                ));
                break;
            }
        };
        let Some(cell) = next else { break };
        let (index, column) = cell.get_position();
        if row_index != Some(index) {
            if let Some(previous) = row_index {
                builder.push_row(previous as usize + 1, row.drain(..), budget)?;
            }
            row_index = Some(index);
        }
        match convert(cell.get_value()) {
            Ok(value) => row.push((column as usize, value)),
            Err(error_text) => {
                let label = builder.column_label(column as usize);
                builder.issue(ParseIssue::cell(
                    name,
                    index as usize + 1,
                    label,
                    error_text,
                    "the cell holds an Excel error; correct the formula or clear the cell",
                ));
            }
        }
    }
    if let Some(previous) = row_index {
        builder.push_row(previous as usize + 1, row.drain(..), budget)?;
    }
    let (sheet, issues) = builder.finish();
    Ok((Some(sheet), issues))
}

/// A calamine value as a [`Cell`]; `Err` carries the text of an Excel error value.
fn convert(value: &DataRef<'_>) -> Result<Cell, String> {
    Ok(match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(number) => Cell::Number(*number as f64),
        DataRef::Float(number) => Cell::Number(*number),
        DataRef::Bool(flag) => Cell::Bool(*flag),
        DataRef::String(text) | DataRef::DurationIso(text) => Cell::text(text),
        DataRef::SharedString(text) => Cell::text(text),
        DataRef::DateTime(moment) if moment.is_datetime() => match moment.as_datetime() {
            Some(moment) => date_cell(moment),
            None => Cell::Number(moment.as_f64()),
        },
        DataRef::DateTime(duration) => Cell::Number(duration.as_f64()),
        DataRef::DateTimeIso(text) => iso_cell(text),
        DataRef::Error(error) => return Err(error.to_string()),
    })
}

fn date_cell(moment: NaiveDateTime) -> Cell {
    if moment.time() == NaiveTime::MIN {
        Cell::Date(moment.date())
    } else {
        Cell::DateTime(moment)
    }
}

/// Cells of type `d` (ISO 8601 text, written by some tools instead of serial numbers).
fn iso_cell(text: &str) -> Cell {
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Cell::Date(date);
    }
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        Ok(moment) => date_cell(moment),
        Err(_) => Cell::text(text),
    }
}

#[cfg(test)]
mod tests;
