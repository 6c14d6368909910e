use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

use super::*;
use crate::import::ParseErrorKind;

const FIXTURE: &str = "tests/fixtures/import/objects-and-systems.xlsx";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Two data sheets, an empty one and a hidden one, with blank rows, typed cells and
/// formatted-but-empty cells.
fn sample_workbook() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let date_time = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    let bold = Format::new().set_bold();

    let sheet = workbook.add_worksheet().set_name("objects").unwrap();
    for (col, header) in ["Namn*", "Budget", "Start", "Aktiv", "Möte"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string_with_format(0, col as u16, *header, &bold)
            .unwrap();
    }
    sheet.write_string(1, 0, "Lönesystem").unwrap();
    sheet.write_number(1, 1, 1234.5).unwrap();
    let start = ExcelDateTime::from_ymd(2026, 11, 23).unwrap();
    sheet
        .write_datetime_with_format(1, 2, &start, &date)
        .unwrap();
    sheet.write_boolean(1, 3, true).unwrap();
    let meeting = ExcelDateTime::from_ymd(2026, 11, 23)
        .unwrap()
        .and_hms(10, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 4, &meeting, &date_time)
        .unwrap();
    // Row 3 blank; row 4 data; row 5 only formatted blanks; rows after that formatted blanks.
    sheet.write_string(3, 0, "Skolplattform").unwrap();
    sheet.write_number(3, 1, 2000).unwrap();
    sheet.write_number(3, 2, 46349).unwrap();
    sheet.write_string(3, 3, "nej").unwrap();
    sheet.write_blank(4, 1, &bold).unwrap();
    sheet.write_blank(9, 0, &bold).unwrap();

    let sheet = workbook.add_worksheet().set_name("systems").unwrap();
    sheet.write_string(0, 0, "name").unwrap();
    sheet.write_string(0, 1, "year").unwrap();
    sheet.write_string(1, 0, "  ").unwrap();
    sheet.write_string(2, 0, "E-tjänst").unwrap();
    sheet.write_number(2, 1, 2026).unwrap();

    workbook.add_worksheet().set_name("Tom").unwrap();
    let sheet = workbook.add_worksheet().set_name("Listor").unwrap();
    sheet.write_string(0, 0, "status").unwrap();
    sheet.write_string(1, 0, "active").unwrap();
    sheet.set_hidden(true);

    workbook.save_to_buffer().unwrap()
}

fn check_sample(sheets: &[Sheet]) {
    let names: Vec<_> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["objects", "systems", "Tom", "Listor"]);

    let objects = &sheets[0];
    assert_eq!(
        objects.headers,
        ["Namn*", "Budget", "Start", "Aktiv", "Möte"]
    );
    let numbers: Vec<_> = objects.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [2, 4]);
    let first = &objects.rows[0].cells;
    assert_eq!(first[0], Cell::text("Lönesystem"));
    assert_eq!(first[1], Cell::Number(1234.5));
    assert_eq!(first[2], Cell::Date(day(2026, 11, 23)));
    assert_eq!(first[3], Cell::Bool(true));
    assert_eq!(
        first[4],
        Cell::DateTime(day(2026, 11, 23).and_hms_opt(10, 30, 0).unwrap())
    );
    let second = &objects.rows[1].cells;
    assert_eq!(second[1].as_i64(), Ok(Some(2000)));
    // An unformatted serial number still reads as a date in a date column.
    assert_eq!(second[2].as_date(), Ok(Some(day(2026, 11, 23))));
    assert_eq!(second[3].as_bool(), Ok(Some(false)));
    assert_eq!(second[4], Cell::Empty);

    let systems = &sheets[1];
    assert_eq!(systems.rows.len(), 1);
    assert_eq!(systems.rows[0].number, 3);
    assert_eq!(systems.rows[0].cells[1].as_text().as_deref(), Some("2026"));

    assert!(sheets[2].headers.is_empty() && sheets[2].rows.is_empty());
    assert_eq!(sheets[3].rows[0].cells, [Cell::text("active")]);
}

#[test]
fn reads_every_sheet_with_types_and_row_numbers() {
    let sheets = read_workbook(&sample_workbook()).unwrap();
    check_sample(&sheets);
}

#[test]
fn reads_the_committed_fixture() {
    let path = format!("{}/{FIXTURE}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap();
    check_sample(&read_workbook(&bytes).unwrap());
}

/// Regenerates the committed fixture: `cargo test --lib write_xlsx_fixture -- --ignored`.
#[test]
#[ignore]
fn write_xlsx_fixture() {
    let path = format!("{}/{FIXTURE}", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(path, sample_workbook()).unwrap();
}

#[test]
fn excel_errors_and_values_outside_the_table_are_all_reported() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet().set_name("activities").unwrap();
    sheet.write_string(0, 0, "Namn").unwrap();
    sheet.write_string(0, 1, "Kostnad").unwrap();
    sheet.write_string(1, 0, "A").unwrap();
    let broken = Formula::new("=1/0").set_result("#DIV/0!");
    sheet.write_formula(1, 1, broken).unwrap();
    sheet.write_string(2, 0, "B").unwrap();
    sheet.write_number(2, 3, 7).unwrap();
    let sheet = workbook.add_worksheet().set_name("risks").unwrap();
    sheet.write_string(0, 0, "Titel").unwrap();
    let missing = Formula::new("=NA()").set_result("#N/A");
    sheet.write_formula(4, 0, missing).unwrap();
    let bytes = workbook.save_to_buffer().unwrap();

    let err = read_workbook(&bytes).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Invalid);
    let found: Vec<_> = err
        .issues
        .iter()
        .map(|i| {
            (
                i.sheet.clone().unwrap(),
                i.row.unwrap(),
                i.column.clone().unwrap(),
                i.value.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("activities".into(), 2, "Kostnad".into(), "#DIV/0!".into()),
            ("activities".into(), 3, "D".into(), "7".into()),
            ("risks".into(), 5, "Titel".into(), "#N/A".into()),
        ]
    );
}

#[test]
fn a_zip_that_is_not_a_workbook_is_unsupported() {
    // An empty zip archive: the end-of-central-directory record alone.
    let mut empty_zip = b"PK\x05\x06".to_vec();
    empty_zip.extend_from_slice(&[0; 18]);
    let err = read_workbook(&empty_zip).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::UnsupportedFormat);
    assert!(err.to_string().contains("not a readable xlsx"), "{err}");
    let err = read_workbook(b"not a zip").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::UnsupportedFormat);
}
