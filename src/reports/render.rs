//! Report output: content negotiation (`?format=` wins over `Accept`) and the three renderings —
//! JSON (`{report, title, generated_on, filters, columns, rows}`), CSV (UTF-8 with BOM, `,` or
//! `;`) and XLSX (typed cells, Swedish headers, frozen header row, autofilter).

use std::borrow::Cow;

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::{Datelike, NaiveDate, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::error::{ApiError, FieldError};
use crate::reports::filters::RawReportQuery;
use crate::reports::table::{Cell, Column, ReportTable, Unit};
use crate::reports::ReportData;

pub const JSON: &str = "application/json";
pub const CSV: &str = "text/csv";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The most rows one XLSX sheet holds (Excel's limit, less the header row).
const XLSX_MAX_ROWS: usize = 1_048_575;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    Json,
    Csv,
    Xlsx,
}

fn not_acceptable(what: &str) -> ApiError {
    ApiError::NotAcceptable(format!(
        "{what}; reports are served as json ({JSON}), csv ({CSV}) or xlsx ({XLSX}) — use ?format= or Accept"
    ))
}

/// `?format=` wins; otherwise the first acceptable type of `Accept` by quality; JSON by default.
pub fn negotiate(format: Option<&str>, accept: Option<&str>) -> Result<OutputFormat, ApiError> {
    if let Some(f) = format {
        return match f.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(OutputFormat::Json),
            "csv" => Ok(OutputFormat::Csv),
            "xlsx" => Ok(OutputFormat::Xlsx),
            other => Err(not_acceptable(&format!("format {other:?} is not offered"))),
        };
    }
    let Some(accept) = accept.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(OutputFormat::Json);
    };
    let mut ranges: Vec<(f32, String)> = accept
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let range = pieces.next()?.trim().to_ascii_lowercase();
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (q > 0.0).then_some((q, range))
        })
        .collect();
    // Stable: equal qualities keep the client's order.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, range) in ranges {
        let found = match range.as_str() {
            JSON | "application/*" | "*/*" => Some(OutputFormat::Json),
            CSV | "text/*" => Some(OutputFormat::Csv),
            XLSX => Some(OutputFormat::Xlsx),
            _ => None,
        };
        if let Some(f) = found {
            return Ok(f);
        }
    }
    Err(not_acceptable(&format!("Accept: {accept} matches none")))
}

/// CSV choices: delimiter and header style.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// `;` for Swedish Excel; decimals then use a decimal comma too.
    pub semicolon: bool,
    /// Column keys instead of Swedish headers.
    pub key_headers: bool,
}

impl CsvOptions {
    pub fn parse(raw: &RawReportQuery) -> Result<CsvOptions, ApiError> {
        let mut errors = Vec::new();
        let semicolon = match raw.delimiter.as_deref().map(str::trim) {
            None | Some("comma") | Some(",") => false,
            Some("semicolon") | Some(";") => true,
            Some(_) => {
                errors.push(FieldError::new("delimiter", "must be comma or semicolon"));
                false
            }
        };
        let key_headers = match raw.header.as_deref().map(str::trim) {
            None | Some("swedish") => false,
            Some("key") => true,
            Some(_) => {
                errors.push(FieldError::new("header", "must be swedish or key"));
                false
            }
        };
        if errors.is_empty() {
            Ok(CsvOptions {
                semicolon,
                key_headers,
            })
        } else {
            Err(ApiError::Validation(errors))
        }
    }
}

/// The JSON body: rows as objects keyed by column, in column order.
struct JsonRows<'a> {
    columns: &'a [Column],
    rows: &'a [Vec<Cell>],
}

struct JsonRow<'a> {
    columns: &'a [Column],
    cells: &'a [Cell],
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            map.serialize_entry(column.key, cell)?;
        }
        map.end()
    }
}

impl Serialize for JsonRows<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for cells in self.rows {
            seq.serialize_element(&JsonRow {
                columns: self.columns,
                cells,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonBody<'a> {
    report: &'static str,
    title: &'static str,
    generated_on: NaiveDate,
    filters: &'a crate::reports::filters::ReportFilters,
    columns: &'static [Column],
    rows: JsonRows<'a>,
}

/// Room for a body of `rows` × `columns` cells, so a 5 MB body is written without growing its
/// buffer ten times over: the gaps report takes 36 bytes a cell (key, quotes, value), and 48
/// leaves room for longer titles. Capped at 64 MB (a larger body grows from there).
fn json_capacity(rows: usize, columns: usize) -> usize {
    rows.saturating_mul(columns)
        .saturating_mul(48)
        .saturating_add(4096)
        .min(64 << 20)
}

pub fn json(data: &ReportData) -> Result<Vec<u8>, ApiError> {
    let mut body = Vec::with_capacity(json_capacity(data.rows.len(), data.table.columns.len()));
    serde_json::to_writer(
        &mut body,
        &JsonBody {
            report: data.table.key,
            title: data.table.title,
            generated_on: data.generated_on,
            filters: &data.filters,
            columns: data.table.columns,
            rows: JsonRows {
                columns: data.table.columns,
                rows: &data.rows,
            },
        },
    )
    .map_err(ApiError::internal)?;
    Ok(body)
}

/// A cell as CSV text; texts are borrowed (a large report has 100k+ of them).
fn csv_text(cell: &Cell, semicolon: bool) -> Cow<'_, str> {
    match cell {
        Cell::Null => Cow::Borrowed(""),
        Cell::Text(s) => Cow::Borrowed(s),
        Cell::Integer(n) => Cow::Owned(n.to_string()),
        Cell::Decimal(x) if semicolon => Cow::Owned(x.to_string().replace('.', ",")),
        Cell::Decimal(x) => Cow::Owned(x.to_string()),
        Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
        Cell::Datetime(t) => Cow::Owned(t.format("%Y-%m-%d %H:%M:%S").to_string()),
        Cell::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
    }
}

pub fn csv(data: &ReportData, options: CsvOptions) -> Result<Vec<u8>, ApiError> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(if options.semicolon { b';' } else { b',' })
            .from_writer(&mut out);
        let headers =
            data.table
                .columns
                .iter()
                .map(|c| if options.key_headers { c.key } else { c.header });
        writer.write_record(headers).map_err(ApiError::internal)?;
        for row in &data.rows {
            writer
                .write_record(row.iter().map(|c| match csv_text(c, options.semicolon) {
                    Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                    Cow::Owned(text) => Cow::Owned(text.into_bytes()),
                }))
                .map_err(ApiError::internal)?;
        }
        writer.flush().map_err(ApiError::internal)?;
    }
    Ok(out)
}

/// An Excel sheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(table: &ReportTable) -> String {
    table
        .title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

fn excel_date(d: NaiveDate) -> Option<ExcelDateTime> {
    ExcelDateTime::from_ymd(
        u16::try_from(d.year()).ok()?,
        u8::try_from(d.month()).ok()?,
        u8::try_from(d.day()).ok()?,
    )
    .ok()
}

/// A number cell; with a format only where the column has a unit (looking up a cell's format
/// costs a hash of the whole format, per cell).
fn write_number(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    value: f64,
    format: Option<&Format>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match format {
        Some(f) => sheet
            .write_number_with_format(row, col, value, f)
            .map(|_| ()),
        None => sheet.write_number(row, col, value).map(|_| ()),
    }
}

/// The widest a column gets, in characters.
const MAX_COLUMN_WIDTH: usize = 60;

/// How many characters a cell shows in Excel, under its column's number format.
fn shown_width(cell: &Cell, unit: Unit) -> usize {
    match cell {
        Cell::Null => 0,
        Cell::Text(s) => s.chars().count(),
        Cell::Integer(n) => {
            let digits = n.unsigned_abs().to_string().len();
            // `#,##0` groups the thousands.
            let separators = if unit == Unit::Sek {
                (digits - 1) / 3
            } else {
                0
            };
            digits + separators + usize::from(*n < 0)
        }
        Cell::Decimal(x) => match unit {
            Unit::Share => 6,
            _ => format!("{x:.2}").len(),
        },
        Cell::Date(_) => 10,
        Cell::Datetime(_) => 16,
        Cell::Bool(_) => 5,
    }
}

/// Each column's width: its widest value or header (with room for the bold header and its
/// filter button), at most [`MAX_COLUMN_WIDTH`] characters.
fn column_widths(data: &ReportData) -> Vec<f64> {
    let columns = data.table.columns;
    let mut widths: Vec<usize> = columns
        .iter()
        .map(|c| c.header.chars().count() + 3)
        .collect();
    for row in &data.rows {
        for ((cell, column), width) in row.iter().zip(columns).zip(widths.iter_mut()) {
            *width = (*width).max(shown_width(cell, column.unit) + 1);
        }
    }
    widths
        .into_iter()
        .map(|w| w.min(MAX_COLUMN_WIDTH) as f64)
        .collect()
}

pub fn xlsx(data: &ReportData) -> Result<Vec<u8>, ApiError> {
    if data.rows.len() > XLSX_MAX_ROWS {
        return Err(ApiError::field(
            "format",
            format!(
                "{} rows do not fit in one XLSX sheet; narrow the filters or use format=csv",
                data.rows.len()
            ),
        ));
    }
    let err = |e: rust_xlsxwriter::XlsxError| ApiError::internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    // The fastest deflate level: the zip is 1.7 × larger (still a sixth of the CSV) and written
    // in half the time, which for a 13k-row report is most of the response time.
    book.set_zip_compression_level(1);
    // Rows go straight to a temporary file as they are written: a 13k-row report is written in
    // half the time of the in-memory sheet (no cell table). Strings go to the shared-string
    // table ("low memory" mode) rather than inline: the gaps list repeats organisations,
    // phases, requirements and statuses on every row, so the sheet XML to escape and deflate
    // shrinks: 1.21 → 1.17 MB for the 13,572-row gaps report, and 59 → 55 ms on a steady VM
    // (a noisy one could not tell the two modes apart). The price of streaming is that the
    // library cannot autofit the columns afterwards, so `column_widths` does.
    // Without a writable temporary directory the sheet is built in memory instead.
    if let Err(e) = book.add_worksheet_with_low_memory() {
        tracing::warn!(error = %e, "no temporary file for the xlsx sheet; building it in memory");
        book.add_worksheet();
    }
    let sheet = book.worksheet_from_index(0).map_err(err)?;
    sheet.set_name(sheet_name(data.table)).map_err(err)?;
    let header = Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_border_bottom(FormatBorder::Thin);
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let datetime = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let sek = Format::new().set_num_format("#,##0");
    let share = Format::new().set_num_format("0.0%");
    let columns = data.table.columns;
    for (c, (column, width)) in columns.iter().zip(column_widths(data)).enumerate() {
        let col = u16::try_from(c).map_err(ApiError::internal)?;
        sheet.set_column_width(col, width).map_err(err)?;
        sheet
            .write_string_with_format(0, col, column.header, &header)
            .map_err(err)?;
    }
    for (r, row) in data.rows.iter().enumerate() {
        let line = u32::try_from(r + 1).map_err(ApiError::internal)?;
        for (c, (cell, column)) in row.iter().zip(columns).enumerate() {
            let col = u16::try_from(c).map_err(ApiError::internal)?;
            let number_format = match column.unit {
                Unit::Sek => Some(&sek),
                Unit::Share => Some(&share),
                Unit::None => None,
            };
            match cell {
                Cell::Null => {}
                Cell::Text(s) => {
                    sheet.write_string(line, col, s).map_err(err)?;
                }
                Cell::Integer(n) => {
                    // Kronor and counts stay exact: f64 holds integers up to 2^53.
                    #[allow(clippy::cast_precision_loss)]
                    let value = *n as f64;
                    write_number(sheet, line, col, value, number_format).map_err(err)?;
                }
                Cell::Decimal(x) => {
                    write_number(sheet, line, col, *x, number_format).map_err(err)?;
                }
                Cell::Date(d) => {
                    if let Some(x) = excel_date(*d) {
                        sheet
                            .write_datetime_with_format(line, col, &x, &date)
                            .map_err(err)?;
                    }
                }
                Cell::Datetime(t) => {
                    let x = excel_date(t.date()).and_then(|x| {
                        x.and_hms(
                            u16::try_from(t.hour()).ok()?,
                            u8::try_from(t.minute()).ok()?,
                            f64::from(t.second()),
                        )
                        .ok()
                    });
                    if let Some(x) = x {
                        sheet
                            .write_datetime_with_format(line, col, &x, &datetime)
                            .map_err(err)?;
                    }
                }
                Cell::Bool(b) => {
                    sheet.write_boolean(line, col, *b).map_err(err)?;
                }
            }
        }
    }
    let last_row = u32::try_from(data.rows.len()).map_err(ApiError::internal)?;
    let last_col = u16::try_from(columns.len().saturating_sub(1)).map_err(ApiError::internal)?;
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    sheet.autofilter(0, 0, last_row, last_col).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// A rendered report: bytes, media type and (for downloads) a file name.
pub struct Rendered {
    pub body: Vec<u8>,
    pub content_type: String,
    pub file_name: Option<String>,
}

/// Renders the data in one format (CPU work: call it off the async worker).
pub fn render(
    data: &ReportData,
    format: OutputFormat,
    csv_options: CsvOptions,
) -> Result<Rendered, ApiError> {
    let stem = format!("{}-{}", data.table.file_stem(), data.generated_on);
    let (body, content_type, file_name) = match format {
        OutputFormat::Json => (json(data)?, JSON.to_owned(), None),
        OutputFormat::Csv => (
            csv(data, csv_options)?,
            format!("{CSV}; charset=utf-8"),
            Some(format!("{stem}.csv")),
        ),
        OutputFormat::Xlsx => (xlsx(data)?, XLSX.to_owned(), Some(format!("{stem}.xlsx"))),
    };
    Ok(Rendered {
        body,
        content_type,
        file_name,
    })
}

/// The HTTP response: downloads get `Content-Disposition: attachment`.
pub fn respond(rendered: Rendered) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .content_type(rendered.content_type)
        .insert_header((header::VARY, "Accept"));
    if let Some(file) = rendered.file_name {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ));
    }
    response.body(rendered.body)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;
    use crate::reports::table::ColumnType;

    /// The sheet's XML of a rendered workbook.
    fn sheet_xml(book: &[u8]) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(book)).expect("zip");
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .expect("sheet1")
            .read_to_string(&mut xml)
            .expect("utf-8");
        xml
    }

    #[test]
    fn xlsx_freezes_and_filters_the_header_and_fits_the_columns() {
        let table = crate::reports::find("budget").expect("budget");
        let long = "Å".repeat(80);
        let mut rows = Vec::new();
        for (name, sek) in [(long.as_str(), 1_234_567), ("Kultur", 12)] {
            let mut row = vec![Cell::Null; table.columns.len()];
            for (cell, column) in row.iter_mut().zip(table.columns) {
                *cell = match (column.kind, column.unit) {
                    (ColumnType::Text, _) => Cell::Text(name.to_owned()),
                    (ColumnType::Integer, Unit::Sek) => Cell::Integer(sek),
                    _ => Cell::Null,
                };
            }
            rows.push(row);
        }
        let data = ReportData {
            table,
            filters: Default::default(),
            generated_on: NaiveDate::from_ymd_opt(2026, 12, 3).expect("date"),
            rows,
        };
        let xml = sheet_xml(&xlsx(&data).expect("xlsx"));
        assert!(xml.contains(r#"state="frozen""#), "{xml}");
        let last = char::from(b'A' + u8::try_from(table.columns.len() - 1).expect("width"));
        assert!(
            xml.contains(&format!(r#"<autoFilter ref="A1:{last}3"/>"#)),
            "{xml}"
        );
        // The long text is cut to the widest column; a SEK column fits "1 234 567" or its header.
        let doc = roxmltree::Document::parse(&xml).expect("xml");
        let width_of = |col: usize| {
            doc.descendants()
                .filter(|n| n.has_tag_name("col"))
                .find(|n| {
                    let bound = |a| n.attribute(a).and_then(|v| v.parse::<usize>().ok());
                    bound("min").is_some_and(|m| m <= col) && bound("max").is_some_and(|m| col <= m)
                })
                .and_then(|n| n.attribute("width")?.parse::<f64>().ok())
        };
        let text = table
            .columns
            .iter()
            .position(|c| c.kind == ColumnType::Text);
        let sek = table.columns.iter().position(|c| c.unit == Unit::Sek);
        for (place, content) in [(text, 80), (sek, "1 234 567".len() + 1)] {
            let col = place.expect("column") + 1;
            let header = table.columns[col - 1].header.chars().count() + 3;
            let expected = content.max(header).min(MAX_COLUMN_WIDTH);
            // The library adds its cell padding to the width it is given.
            assert_eq!(
                width_of(col).map(f64::floor),
                Some(expected as f64),
                "column {col}: {xml}"
            );
        }
        assert_eq!(shown_width(&Cell::Integer(1_234_567), Unit::Sek), 9);
        assert_eq!(shown_width(&Cell::Integer(-123), Unit::Sek), 4);
        assert_eq!(shown_width(&Cell::Integer(-1234), Unit::Sek), 6);
    }
}
