//! Why a file could not be read: one error holding every problem found, each with the sheet,
//! row, column and value it concerns, and a kind that tells the API which status to answer.

use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong, as far as the HTTP status is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// The body is not a file we read, or not what its Content-Type claims (→ 415).
    UnsupportedFormat,
    /// The file is of a supported kind but its content is broken or breaks a rule (→ 422).
    Invalid,
    /// The file holds more cells than one import may (→ 413).
    TooLarge,
}

/// One problem in an uploaded file. Fields that do not apply are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "sheet": "activities", "row": 14, "column": "Budget", "value": "12,5,0",
    "message": "not a number"
}))]
pub struct ParseIssue {
    /// Sheet name (xlsx), resource key (JSON) or the name given to a CSV file.
    pub sheet: Option<String>,
    /// Row number as the user sees it: in a sheet or CSV file the header row is 1 and the first
    /// data row 2; in JSON the first object of a resource's array is 1.
    pub row: Option<usize>,
    /// Header text of the column, or its letter (`F`) when it has no header.
    pub column: Option<String>,
    /// The offending value as written in the file.
    pub value: Option<String>,
    /// What is wrong, in words a spreadsheet user understands.
    pub message: String,
}

impl ParseIssue {
    /// A problem with the file as a whole.
    pub fn file(message: impl Into<String>) -> Self {
        Self {
            sheet: None,
            row: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    /// A problem somewhere in one sheet.
    pub fn sheet(sheet: &str, message: impl Into<String>) -> Self {
        Self {
            sheet: Some(sheet.to_owned()),
            ..Self::file(message)
        }
    }

    /// A problem with one cell.
    pub fn cell(
        sheet: &str,
        row: usize,
        column: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            sheet: Some(sheet.to_owned()),
            row: Some(row),
            column: Some(column.into()),
            value: Some(value.into()),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ParseIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(sheet) = &self.sheet {
            write!(f, "{sheet}: ")?;
        }
        if let Some(row) = self.row {
            write!(f, "row {row}: ")?;
        }
        if let Some(column) = &self.column {
            write!(f, "column {column}: ")?;
        }
        if let Some(value) = &self.value {
            write!(f, "{value:?}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// A file that could not be read. Holds every problem found, not only the first, so the user
/// can fix them all in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// Never empty.
    pub issues: Vec<ParseIssue>,
}

impl ParseError {
    /// The body is not what it claims, or not a kind of file we read (→ 415).
    pub fn unsupported(message: impl Into<String>) -> Self {
        Self {
            kind: ParseErrorKind::UnsupportedFormat,
            issues: vec![ParseIssue::file(message)],
        }
    }

    /// One problem with the file as a whole (→ 422).
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::from_issues(vec![ParseIssue::file(message)])
    }

    /// Problems found while reading a supported file (→ 422).
    pub fn from_issues(issues: Vec<ParseIssue>) -> Self {
        Self {
            kind: ParseErrorKind::Invalid,
            issues,
        }
    }

    /// More cells than [`crate::import::MAX_CELLS`] (→ 413).
    pub fn too_large(message: impl Into<String>) -> Self {
        Self {
            kind: ParseErrorKind::TooLarge,
            issues: vec![ParseIssue::file(message)],
        }
    }
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut first = true;
        for issue in &self.issues {
            if !first {
                f.write_str("; ")?;
            }
            first = false;
            write!(f, "{issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}
