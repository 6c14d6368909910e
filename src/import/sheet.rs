//! A table read from a file (a worksheet, a CSV file, one resource of a JSON body) and the
//! builder the readers share, so blank rows, row numbers, cells outside the table and the size
//! limit are handled the same way for every format.

use super::{Cell, ParseError, ParseIssue};

/// One table: a worksheet, a CSV file or one resource of a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Worksheet name, JSON resource key, or the name given to a CSV file.
    pub name: String,
    /// Header texts as written (trimmed), left to right; match them with
    /// [`super::normalise_header`]. A header may be empty only when no row has a value in its
    /// column (values under a missing header are reported as errors). Duplicates are left for
    /// the caller to judge, since only it knows which spellings name the same field.
    pub headers: Vec<String>,
    /// Data rows, without blank rows.
    pub rows: Vec<SheetRow>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetRow {
    /// The row number the user sees: in a worksheet or CSV file the header row is 1 and the
    /// first data row 2 (blank rows skipped but counted); in JSON the first object is 1.
    pub number: usize,
    /// Exactly one cell per header.
    pub cells: Vec<Cell>,
}

impl Sheet {
    /// The header of column `index`, or its letter (`A`, `AB`) when it has none.
    pub fn column_label(&self, index: usize) -> String {
        label(&self.headers, index)
    }

    /// The index of the column whose [`super::normalise_header`] form is `normalised`.
    pub fn column_index(&self, normalised: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| super::normalise_header(h) == normalised)
    }
}

/// The spreadsheet letter of a zero-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letter(index: usize) -> String {
    let mut letters = Vec::new();
    let mut n = index + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.iter().rev().map(|&b| char::from(b)).collect()
}

fn label(headers: &[String], index: usize) -> String {
    match headers.get(index) {
        Some(header) if !header.is_empty() => header.clone(),
        _ => column_letter(index),
    }
}

/// How many cells (rows × headers, over all sheets of one file) are still allowed.
pub(crate) struct CellBudget {
    left: usize,
}

impl CellBudget {
    pub(crate) fn new(limit: usize) -> Self {
        Self { left: limit }
    }

    pub(crate) fn take(&mut self, cells: usize) -> Result<(), ParseError> {
        self.left = self.left.checked_sub(cells).ok_or_else(|| {
            ParseError::too_large(format!(
                "the file holds more than {} cells; split it into smaller files",
                super::MAX_CELLS
            ))
        })?;
        Ok(())
    }
}

/// Builds a [`Sheet`] row by row: the first non-blank row is the header row.
pub(crate) struct SheetBuilder {
    sheet: Sheet,
    has_headers: bool,
    issues: Vec<ParseIssue>,
}

impl SheetBuilder {
    pub(crate) fn new(name: &str) -> Self {
        Self {
            sheet: Sheet {
                name: name.to_owned(),
                headers: Vec::new(),
                rows: Vec::new(),
            },
            has_headers: false,
            issues: Vec::new(),
        }
    }

    /// The header of a column for error messages (its letter before the header row is read).
    pub(crate) fn column_label(&self, index: usize) -> String {
        label(&self.sheet.headers, index)
    }

    /// Records a problem found by the reader.
    pub(crate) fn issue(&mut self, issue: ParseIssue) {
        self.issues.push(issue);
    }

    /// Adds the row numbered `number` from `(column index, cell)` pairs. Blank rows are
    /// skipped; values in columns without a header are reported.
    pub(crate) fn push_row(
        &mut self,
        number: usize,
        cells: impl IntoIterator<Item = (usize, Cell)>,
        budget: &mut CellBudget,
    ) -> Result<(), ParseError> {
        if !self.has_headers {
            self.set_headers(cells);
            return Ok(());
        }
        let width = self.sheet.headers.len();
        let mut row = vec![Cell::Empty; width];
        let mut blank = true;
        for (index, cell) in cells {
            if cell.is_empty() {
                continue;
            }
            blank = false;
            match row.get_mut(index) {
                Some(slot) if !self.sheet.headers[index].is_empty() => *slot = cell,
                _ => self.issues.push(ParseIssue::cell(
                    &self.sheet.name,
                    number,
                    column_letter(index),
                    cell.display(),
                    format!(
                        "value outside the table: column {} has no header",
                        column_letter(index)
                    ),
                )),
            }
        }
        if !blank {
            budget.take(width)?;
            self.sheet.rows.push(SheetRow { number, cells: row });
        }
        Ok(())
    }

    fn set_headers(&mut self, cells: impl IntoIterator<Item = (usize, Cell)>) {
        let mut headers: Vec<String> = Vec::new();
        for (index, cell) in cells {
            if let Some(text) = cell.as_text() {
                if headers.len() <= index {
                    headers.resize(index + 1, String::new());
                }
                headers[index] = text;
            }
        }
        self.has_headers = !headers.is_empty();
        self.sheet.headers = headers;
    }

    /// The sheet and the problems found in it.
    pub(crate) fn finish(self) -> (Sheet, Vec<ParseIssue>) {
        (self.sheet, self.issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(values: &[&str]) -> Vec<(usize, Cell)> {
        values.iter().map(|v| Cell::text(v)).enumerate().collect()
    }

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn header_row_blank_rows_and_padding() {
        let mut budget = CellBudget::new(100);
        let mut builder = SheetBuilder::new("objects");
        builder.push_row(1, texts(&["", ""]), &mut budget).unwrap();
        builder
            .push_row(2, texts(&[" Namn ", "Ägare*", ""]), &mut budget)
            .unwrap();
        builder
            .push_row(3, texts(&["Lön", "HR", "", ""]), &mut budget)
            .unwrap();
        builder.push_row(4, texts(&[" ", ""]), &mut budget).unwrap();
        builder.push_row(5, texts(&["Skola"]), &mut budget).unwrap();
        let (sheet, issues) = builder.finish();
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(sheet.headers, ["Namn", "Ägare*"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].number, 3);
        assert_eq!(sheet.rows[1].number, 5);
        assert_eq!(sheet.rows[1].cells, [Cell::text("Skola"), Cell::Empty]);
        assert_eq!(sheet.column_index("ägare"), Some(1));
        assert_eq!(sheet.column_label(1), "Ägare*");
        assert_eq!(sheet.column_label(4), "E");
    }

    #[test]
    fn values_without_a_header_are_reported() {
        let mut budget = CellBudget::new(100);
        let mut builder = SheetBuilder::new("s");
        builder
            .push_row(1, texts(&["a", "", "c"]), &mut budget)
            .unwrap();
        builder
            .push_row(2, texts(&["1", "2", "3", "4"]), &mut budget)
            .unwrap();
        let (sheet, issues) = builder.finish();
        assert_eq!(sheet.headers, ["a", "", "c"]);
        let columns: Vec<_> = issues.iter().map(|i| i.column.clone().unwrap()).collect();
        assert_eq!(columns, ["B", "D"]);
        assert_eq!(issues[1].value.as_deref(), Some("4"));
        assert_eq!(issues[1].row, Some(2));
    }

    #[test]
    fn cell_budget_counts_padded_cells() {
        let mut budget = CellBudget::new(5);
        let mut builder = SheetBuilder::new("s");
        builder
            .push_row(1, texts(&["a", "b"]), &mut budget)
            .unwrap();
        builder.push_row(2, texts(&["1"]), &mut budget).unwrap();
        builder.push_row(3, texts(&["1"]), &mut budget).unwrap();
        let err = builder.push_row(4, texts(&["1"]), &mut budget).unwrap_err();
        assert_eq!(err.kind, super::super::ParseErrorKind::TooLarge);
    }
}
