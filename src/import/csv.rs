//! CSV files as Excel and scripts write them: UTF-8 with or without a byte-order mark,
//! UTF-16 with one, or Windows-1252 (old Swedish Excel); `,`, `;` or tab between fields.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::sheet::{CellBudget, SheetBuilder};
use super::{Cell, ParseError, ParseIssue, Sheet, MAX_CELLS};

/// How many records the delimiter is chosen from.
const SAMPLE_RECORDS: usize = 100;

/// Reads a CSV file into one sheet named `sheet_name`. Every value is [`Cell::Text`] (or
/// `Empty`): CSV has no types, so the conversions on [`Cell`] decide.
///
/// Encoding: a byte-order mark decides (UTF-8, UTF-16LE/BE); without one, valid UTF-8 is
/// UTF-8 and anything else Windows-1252. Delimiter: an Excel `sep=;` first line decides;
/// otherwise `;`, `,` or tab, whichever splits the first records (quotes respected) into rows
/// that fit the header best. Row numbers are the rows Excel shows when it opens the file: the
/// header is 1, blank lines count, a line break inside a quoted cell does not.
pub fn read_csv(bytes: &[u8], sheet_name: &str) -> Result<Sheet, ParseError> {
    let text = decode(bytes)?;
    let (hint, body) = split_sep_line(&text);
    let delimiter = hint.unwrap_or_else(|| detect_delimiter(body));
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut builder = SheetBuilder::new(sheet_name);
    let mut budget = CellBudget::new(MAX_CELLS);
    let mut record = ::csv::StringRecord::new();
    let mut breaks_in_cells: u64 = 0;
    let mut last_record: Option<(u64, usize)> = None;
    loop {
        let more = reader
            .read_record(&mut record)
            .map_err(|e| ParseError::invalid(format!("the CSV file cannot be read: {e}")))?;
        if !more {
            break;
        }
        let number = excel_row(body, &record).saturating_sub(breaks_in_cells) as usize;
        breaks_in_cells += record.as_slice().bytes().filter(|&b| b == b'\n').count() as u64;
        last_record = record.position().map(|p| (p.byte(), number));
        builder.push_row(
            number,
            record.iter().map(Cell::text).enumerate(),
            &mut budget,
        )?;
    }
    if let Some((start, number)) = last_record {
        if unclosed_quote(body, start) {
            builder.issue(ParseIssue {
                row: Some(number),
                ..ParseIssue::sheet(
                    sheet_name,
                    "a quoted cell in this row is never closed (a \" is missing), so the rest \
                     of the file was read as that one cell",
                )
            });
        }
    }
    let (sheet, issues) = builder.finish();
    if sheet.headers.is_empty() {
        return Err(ParseError::invalid("the CSV file has no header row"));
    }
    if issues.is_empty() {
        Ok(sheet)
    } else {
        Err(ParseError::from_issues(issues))
    }
}

/// The line a record starts on. The csv crate positions a record where the previous one
/// ended, before any line breaks and blank lines that precede it; those are counted here.
fn excel_row(body: &str, record: &::csv::StringRecord) -> u64 {
    let Some(position) = record.position() else {
        return 0;
    };
    let skipped = body
        .as_bytes()
        .get(position.byte() as usize..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'\r' || b == b'\n')
        .filter(|&&b| b == b'\n')
        .count();
    position.line() + skipped as u64
}

/// Whether the file ends inside a quoted cell: the csv crate then silently reads everything
/// after the opening quote as one cell, so an odd number of quotes in the last record (from
/// `start`, where the crate positioned it) gives it away. Quotes inside unquoted cells, which
/// RFC 4180 does not allow, can trip this too.
fn unclosed_quote(body: &str, start: u64) -> bool {
    let rest = body.as_bytes().get(start as usize..).unwrap_or_default();
    let quotes = rest.iter().filter(|&&b| b == b'"').count();
    !quotes.is_multiple_of(2)
}

/// Bytes to text by the rules on [`read_csv`]. Borrows when the file is BOM-less UTF-8.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, ParseError> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let rest = &bytes[bom_length..];
        if encoding == UTF_8 {
            return std::str::from_utf8(rest).map(Cow::Borrowed).map_err(|e| {
                ParseError::invalid(format!(
                    "the file starts with a UTF-8 byte-order mark but byte {} is not UTF-8",
                    e.valid_up_to() + bom_length
                ))
            });
        }
        let (text, malformed) = encoding.decode_without_bom_handling(rest);
        if malformed {
            return Err(ParseError::invalid(format!(
                "the file starts with a {} byte-order mark but is not valid {0}",
                encoding.name()
            )));
        }
        return Ok(text);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        // Windows-1252 maps every byte, so this cannot fail.
        Err(_) => Ok(WINDOWS_1252.decode_without_bom_handling(bytes).0),
    }
}

/// Excel understands a first line `sep=;` naming the delimiter and hides it (the header is
/// still row 1); so do we. Returns the delimiter and the text after that line.
fn split_sep_line(text: &str) -> (Option<u8>, &str) {
    let Some(rest) = text.strip_prefix("sep=") else {
        return (None, text);
    };
    let mut bytes = rest.bytes();
    match (bytes.next(), bytes.next()) {
        (Some(delimiter), Some(b'\r' | b'\n')) if delimiter.is_ascii() => {
            let after = rest[1..].trim_start_matches('\r');
            let after = after.strip_prefix('\n').unwrap_or(after);
            (Some(delimiter), after)
        }
        (Some(delimiter), None) if delimiter.is_ascii() => (Some(delimiter), ""),
        _ => (None, text),
    }
}

/// Picks the delimiter by, in order: whether it splits the header at all; how many sampled
/// records have as many fields as the header (Excel writes every delimiter, even for empty
/// cells); how many have no value beyond the header's width; the wider header; and finally
/// `;` over `,` over tab, since Swedish files put commas in numbers and text but rarely
/// semicolons.
fn detect_delimiter(text: &str) -> u8 {
    let mut best = (b',', (false, 0usize, 0usize, 0usize));
    for (preference, delimiter) in [b'\t', b',', b';'].into_iter().enumerate() {
        let mut reader = ::csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(text.as_bytes());
        let mut records = reader.records().take(SAMPLE_RECORDS).filter_map(Result::ok);
        let Some(header) = records.next() else {
            return b',';
        };
        let width = header.len();
        let filled = filled_width(&header);
        let (mut exact, mut fitting) = (0, 0);
        for record in records {
            exact += usize::from(record.len() == width);
            fitting += usize::from(filled_width(&record) <= filled);
        }
        let score = (filled >= 2, exact, fitting, filled);
        if preference == 0 || score >= best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// The number of fields up to the last non-blank one.
fn filled_width(record: &::csv::StringRecord) -> usize {
    (0..record.len())
        .rev()
        .find(|&index| record.get(index).is_some_and(|f| !f.trim().is_empty()))
        .map_or(0, |last| last + 1)
}

#[cfg(test)]
mod tests;
