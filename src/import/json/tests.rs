use super::*;
use crate::import::ParseErrorKind;

#[test]
fn resources_become_sheets_with_the_union_of_keys() {
    let body = r#"{
        "_meta": {"exported": "2026-11-23", "rows": [1, 2]},
        "objects": [
            {"name": "Lön", "budget": 12.5, "active": true},
            {"owner": "HR", "name": "Skola", "budget": null},
            {},
            {"name": "  ", "active": false, "budget": 1200}
        ],
        "systems": []
    }"#;
    let sheets = read_json(body.as_bytes()).unwrap();
    assert_eq!(sheets.len(), 2);
    let objects = &sheets[0];
    assert_eq!(objects.name, "objects");
    assert_eq!(objects.headers, ["name", "budget", "active", "owner"]);
    let numbers: Vec<_> = objects.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [1, 2, 4]);
    assert_eq!(
        objects.rows[0].cells,
        [
            Cell::text("Lön"),
            Cell::Number(12.5),
            Cell::Bool(true),
            Cell::Empty
        ]
    );
    assert_eq!(
        objects.rows[1].cells,
        [
            Cell::text("Skola"),
            Cell::Empty,
            Cell::Empty,
            Cell::text("HR")
        ]
    );
    assert_eq!(objects.rows[2].cells[0], Cell::Empty);
    assert_eq!(objects.rows[2].cells[2], Cell::Bool(false));
    assert_eq!(sheets[1].name, "systems");
    assert!(sheets[1].rows.is_empty());
}

#[test]
fn every_structural_problem_is_reported() {
    let body = r#"{
        "objects": [
            {"name": "A", "tags": ["x"], "owner": {"id": 1}},
            "B",
            {"name": "C", "name": "D"}
        ],
        "systems": {"name": "E"},
        "risks": [{"": 1}],
        "objects": []
    }"#;
    let err = read_json(body.as_bytes()).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Invalid);
    let found: Vec<_> = err
        .issues
        .iter()
        .map(|i| {
            (
                i.sheet.as_deref().unwrap_or(""),
                i.row,
                i.column.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("objects", Some(1), "tags"),
            ("objects", Some(1), "owner"),
            ("objects", Some(2), ""),
            ("objects", Some(3), "name"),
            ("systems", None, ""),
            ("risks", Some(1), ""),
            ("objects", None, ""),
        ]
    );
    assert!(err.issues[0].message.contains("not an array"));
    assert!(err.issues[1].message.contains("not an object"));
    assert!(err.issues[2].message.contains("found text"));
    assert!(err.issues[3].message.contains("twice"));
    assert!(err.issues[4].message.contains("array of objects"));
}

#[test]
fn syntax_errors_carry_line_and_column() {
    let err = read_json(b"{\n  \"objects\": [\n    {\"name\": }\n  ]\n}").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Invalid);
    let message = err.to_string();
    assert!(message.contains("line 3"), "{message}");

    let err = read_json(br#"[{"name": "A"}]"#).unwrap_err();
    assert!(
        err.to_string().contains("object keyed by resource"),
        "{err}"
    );

    let err = read_json(br#"{"objects": []} trailing"#).unwrap_err();
    assert!(err.to_string().contains("trailing"), "{err}");
}

#[test]
fn byte_order_mark_and_escapes() {
    let body = "\u{feff}{\"objects\": [{\"na\\u006de\": \"F\\u00f6rvaltning \\\"A\\\"\"}]}";
    let sheets = read_json(body.as_bytes()).unwrap();
    assert_eq!(sheets[0].headers, ["name"]);
    assert_eq!(sheets[0].rows[0].cells[0], Cell::text("Förvaltning \"A\""));
}

#[test]
fn large_integers_and_negative_numbers() {
    let sheets = read_json(br#"{"a": [{"n": -5, "m": 18446744073709551615, "f": 1e3}]}"#).unwrap();
    let cells = &sheets[0].rows[0].cells;
    assert_eq!(cells[0].as_i64(), Ok(Some(-5)));
    assert!(cells[1].as_i64().is_err());
    assert_eq!(cells[2].as_i64(), Ok(Some(1000)));
}
