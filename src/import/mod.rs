//! Reading bulk-import uploads (xlsx, CSV, JSON) into plain tables of cells. Pure: no
//! database, no HTTP. The import engine maps the [`Sheet`]s to resources and the
//! [`ParseError`]s to responses (415, 413 or 422 by [`ParseErrorKind`]).
//!
//! - [`read`] detects the format ([`detect_format`]) and dispatches to [`read_workbook`],
//!   [`read_csv`] or [`read_json`]. Every reader reports all problems it finds at once, each
//!   with sheet, row, column and value.
//! - [`Cell`] converts values with Swedish and English spellings in mind (decimal comma,
//!   thousands spaces, day-first dates, ja/nej) and refuses ambiguous ones.
//! - [`normalise_header`] makes header matching forgiving of case, spacing and the `*` that
//!   templates put on required columns.

mod cell;
mod csv;
mod date;
mod error;
mod format;
mod json;
mod number;
mod sheet;
mod xlsx;

pub use self::cell::Cell;
pub use self::csv::read_csv;
pub use self::error::{ParseError, ParseErrorKind, ParseIssue};
pub use self::format::{detect_format, FileFormat, XLSX_CONTENT_TYPE};
pub use self::json::read_json;
pub use self::sheet::{column_letter, Sheet, SheetRow};
pub use self::xlsx::read_workbook;

/// The most cells one file may hold, counted as data rows × headers over all its sheets
/// (blanks included, since every row holds a cell per header). 5 million cells is 250 000
/// rows of 20 columns, and 120 MB of cells (24 bytes each) before their text.
pub const MAX_CELLS: usize = 5_000_000;

/// Detects the format ([`detect_format`]) and reads the file. `name_hint` names the one sheet
/// of a CSV file (the resource it holds, say); workbooks and JSON name their own sheets.
pub fn read(
    content_type: Option<&str>,
    bytes: &[u8],
    name_hint: &str,
) -> Result<Vec<Sheet>, ParseError> {
    match detect_format(content_type, bytes)? {
        FileFormat::Xlsx => read_workbook(bytes),
        FileFormat::Csv => read_csv(bytes, name_hint).map(|sheet| vec![sheet]),
        FileFormat::Json => read_json(bytes),
    }
}

/// A header in the form headers are compared in: trimmed, one trailing `*` (the template's
/// mark for a required column) removed, runs of whitespace (no-break spaces too) collapsed to
/// one space, lowercased. Letters such as å, ä, ö and é are kept (lowercased).
pub fn normalise_header(header: &str) -> String {
    let trimmed = header.trim();
    let trimmed = trimmed.strip_suffix('*').unwrap_or(trimmed);
    let mut normalised = String::with_capacity(trimmed.len());
    for word in trimmed.split_whitespace() {
        if !normalised.is_empty() {
            normalised.push(' ');
        }
        normalised.extend(word.chars().flat_map(char::to_lowercase));
    }
    normalised
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalise() {
        assert_eq!(normalise_header("  Namn * "), "namn");
        assert_eq!(normalise_header("Namn*"), "namn");
        assert_eq!(
            normalise_header("Ägare\u{a0}  (Förvaltning)"),
            "ägare (förvaltning)"
        );
        assert_eq!(normalise_header("START\tDATE"), "start date");
        assert_eq!(normalise_header("Café"), "café");
        assert_eq!(normalise_header("ÅÄÖ"), "åäö");
        assert_eq!(normalise_header("*"), "");
    }

    #[test]
    fn read_dispatches_by_format() {
        let sheets = read(
            Some("text/csv"),
            "namn;typ\nLön;system\n".as_bytes(),
            "systems",
        )
        .unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].name, "systems");
        let sheets = read(
            None,
            r#"{"objects": [{"namn": "Lön"}]}"#.as_bytes(),
            "ignored",
        )
        .unwrap();
        assert_eq!(sheets[0].name, "objects");
        let err = read(Some(XLSX_CONTENT_TYPE), b"namn;typ\n", "x").unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::UnsupportedFormat);
    }

    #[test]
    fn cells_are_small() {
        // The cell limit's memory estimate relies on this.
        assert_eq!(std::mem::size_of::<Cell>(), 24);
    }
}
