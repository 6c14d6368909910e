use chrono::NaiveDate;

use super::*;
use crate::import::ParseErrorKind;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn texts(row: &crate::import::SheetRow) -> Vec<String> {
    row.cells.iter().map(Cell::display).collect()
}

#[test]
fn windows_1252_semicolon_file_from_swedish_excel() {
    let sheet = read_csv(&fixture("forvaltning-1252-semicolon.csv"), "objects").unwrap();
    assert_eq!(sheet.name, "objects");
    assert_eq!(
        sheet.headers,
        ["Namn*", "Förvaltning", "Budget (kr)", "Startdatum", "Klar"]
    );
    assert_eq!(sheet.rows.len(), 3);
    assert_eq!(
        texts(&sheet.rows[0]),
        [
            "Lönesystem",
            "Kommunledningsförvaltningen",
            "1 234 567,50",
            "2026-01-15",
            "ja"
        ]
    );
    // A quoted semicolon stays in its cell; the blank line 4 is skipped but counted.
    assert_eq!(sheet.rows[1].cells[0], Cell::text("Skolplattform; elevdel"));
    assert_eq!(
        sheet.rows.iter().map(|r| r.number).collect::<Vec<_>>(),
        [2, 3, 5]
    );
    let row = &sheet.rows[0].cells;
    assert_eq!(row[2].as_decimal(), Ok(Some(1_234_567.5)));
    assert_eq!(row[3].as_date(), Ok(NaiveDate::from_ymd_opt(2026, 1, 15)));
    assert_eq!(row[4].as_bool(), Ok(Some(true)));
    let row = &sheet.rows[1].cells;
    assert_eq!(row[2].as_decimal(), Ok(Some(12.5)));
    assert_eq!(row[3].as_date(), Ok(NaiveDate::from_ymd_opt(2026, 2, 15)));
    let row = &sheet.rows[2].cells;
    assert_eq!(row[0], Cell::text("Äldreomsorg, journal"));
    assert_eq!(row[2].as_i64(), Ok(Some(250_000)));
    assert_eq!(row[3].as_date(), Ok(NaiveDate::from_ymd_opt(2026, 3, 1)));
    assert_eq!(row[4].as_bool(), Ok(Some(true)));
}

#[test]
fn utf8_file_with_byte_order_mark() {
    let sheet = read_csv(&fixture("bom-comma.csv"), "systems").unwrap();
    // No BOM left in the first header.
    assert_eq!(sheet.headers, ["name", "administration", "budget", "start"]);
    assert_eq!(sheet.rows[0].cells[0], Cell::text("Payroll, central"));
    assert_eq!(sheet.rows[0].cells[2].as_decimal(), Ok(Some(1234.5)));
    assert_eq!(
        sheet.rows[1].cells[1],
        Cell::text("Samhällsbyggnadsförvaltningen")
    );
    assert_eq!(sheet.rows[1].cells[2].as_i64(), Ok(Some(2_500_000)));
    assert_eq!(
        sheet.rows[1].cells[3].as_date(),
        Ok(NaiveDate::from_ymd_opt(2026, 11, 23))
    );
}

#[test]
fn windows_1252_bytes_decode_to_swedish_letters() {
    // "Förvaltning;Ägare\nÅrsta;Östen" in Windows-1252: ö = F6, Ä = C4, Å = C5, Ö = D6.
    let bytes = b"F\xf6rvaltning;\xc4gare\n\xc5rsta;\xd6sten\n";
    let sheet = read_csv(bytes, "s").unwrap();
    assert_eq!(sheet.headers, ["Förvaltning", "Ägare"]);
    assert_eq!(texts(&sheet.rows[0]), ["Årsta", "Östen"]);
}

#[test]
fn utf16_with_byte_order_mark() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Namn\tÄgare\r\nLön\tHR\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let sheet = read_csv(&bytes, "s").unwrap();
    assert_eq!(sheet.headers, ["Namn", "Ägare"]);
    assert_eq!(texts(&sheet.rows[0]), ["Lön", "HR"]);
}

#[test]
fn broken_utf8_after_a_byte_order_mark_is_refused() {
    let err = read_csv(b"\xEF\xBB\xBFa,b\n\xff,1\n", "s").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Invalid);
    assert!(err.to_string().contains("byte 7"), "{err}");
}

#[test]
fn delimiter_detection() {
    let cases: [(&str, u8); 9] = [
        // Decimal commas and quoted commas in a semicolon file.
        ("namn;belopp\n\"a, b\";1,5\nc;2,5\n", b';'),
        // Commas inside the header names of a semicolon file.
        ("Namn, kort;Typ, lång\nA;B\nC;D\n", b';'),
        ("name,amount\n\"x; y\",1.5\nz,2\n", b','),
        ("name,amount,start\na,1,2026-01-01\n", b','),
        ("namn\tbelopp\ta;b\n1\t2,5\t3\n", b'\t'),
        // A one-column file whose values hold commas.
        ("namn\nSmith, John\n", b';'),
        ("a;b\n", b';'),
        ("a,b\n", b','),
        // A quoted field spanning lines does not confuse the count.
        ("a;b;c\n\"x\ny, z\";1;2\nq;1,5;3\n", b';'),
    ];
    for (text, expected) in cases {
        assert_eq!(
            char::from(detect_delimiter(text)),
            char::from(expected),
            "{text:?}"
        );
    }
}

#[test]
fn excel_sep_line_names_the_delimiter() {
    let sheet = read_csv(b"sep=,\r\nnamn,belopp\r\nA;B,1\r\n", "s").unwrap();
    assert_eq!(sheet.headers, ["namn", "belopp"]);
    assert_eq!(texts(&sheet.rows[0]), ["A;B", "1"]);
    assert_eq!(sheet.rows[0].number, 2);
}

#[test]
fn row_numbers_are_what_excel_shows() {
    let text = "\nnamn;text\na;\"two\r\nlines\"\n\nb;x\n;\nc;y\n\n\n";
    let sheet = read_csv(text.as_bytes(), "s").unwrap();
    // Header on line 2 (a blank line first); the break inside the quoted cell does not count.
    let numbers: Vec<_> = sheet.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [3, 5, 7]);
    assert_eq!(sheet.rows[0].cells[1], Cell::text("two\r\nlines"));
}

#[test]
fn rows_are_padded_and_overflow_is_reported() {
    let text = "a;b;c\n1\n1;2;3;4;;\n";
    let err = read_csv(text.as_bytes(), "activities").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Invalid);
    assert_eq!(err.issues.len(), 1);
    let issue = &err.issues[0];
    assert_eq!(issue.sheet.as_deref(), Some("activities"));
    assert_eq!(issue.row, Some(3));
    assert_eq!(issue.column.as_deref(), Some("D"));
    assert_eq!(issue.value.as_deref(), Some("4"));

    let sheet = read_csv(b"a;b;c\n1\n", "s").unwrap();
    assert_eq!(
        sheet.rows[0].cells,
        [Cell::text("1"), Cell::Empty, Cell::Empty]
    );
}

#[test]
fn blank_cells_are_empty_and_text_is_kept_as_written() {
    let sheet = read_csv(b"a,b,c\n  , x ,\"\"\n", "s").unwrap();
    assert_eq!(
        sheet.rows[0].cells,
        [Cell::Empty, Cell::Text(" x ".into()), Cell::Empty]
    );
    assert_eq!(sheet.rows[0].cells[1].as_text().as_deref(), Some("x"));
}

#[test]
fn a_file_without_a_header_is_refused() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\r\n  \r\n\t\r\n"] {
        let err = read_csv(bytes, "s").unwrap_err();
        assert!(err.to_string().contains("no header"), "{err}");
    }
}

#[test]
fn a_quote_never_closed_is_reported() {
    let text = "namn;text\na;ok\nb;\"open\nc;swallowed\nd;too\n";
    let err = read_csv(text.as_bytes(), "s").unwrap_err();
    assert_eq!(err.issues.len(), 1);
    assert_eq!(err.issues[0].row, Some(3));
    assert!(err.issues[0].message.contains("never closed"), "{err}");
    // Doubled quotes inside a quoted cell are an escaped quote, not an opening one.
    let sheet = read_csv(b"namn;text\na;\"say \"\"hi\"\"\"\n", "s").unwrap();
    assert_eq!(sheet.rows[0].cells[1], Cell::text("say \"hi\""));
}
