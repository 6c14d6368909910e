//! One value read from an uploaded file, and its conversions into the types columns hold.
//! The conversions accept what Swedish and English spreadsheets actually contain (decimal
//! commas, spaces between thousands, day-first dates, "ja"/"nej") and refuse anything that has
//! two readings rather than guess. Their `Err` is a message for the user; the caller adds the
//! sheet, row, column and value.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{date, number};

/// One cell as the file gave it. Readers never produce `Text` that is empty or only
/// whitespace: such cells are `Empty`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    /// Text as written (CSV cells are always text; so are xlsx string cells).
    Text(String),
    /// A numeric xlsx cell or a JSON number.
    Number(f64),
    /// An xlsx TRUE/FALSE cell or a JSON boolean.
    Bool(bool),
    /// A date-formatted xlsx cell whose time of day is midnight.
    Date(NaiveDate),
    /// A date-formatted xlsx cell with a time of day.
    DateTime(NaiveDateTime),
}

impl Cell {
    /// A cell from text: blank text is `Empty`.
    pub fn text(value: &str) -> Cell {
        if value.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value.to_owned())
        }
    }

    /// True for `Empty` and for text that is only whitespace.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as trimmed text; `None` when empty. Whole numbers render without ".0", dates
    /// as ISO 8601 (`2026-11-23`, `2026-11-23 10:30:00`), booleans as `true`/`false`.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Cell::Empty => None,
            Cell::Text(text) => {
                let trimmed = text.trim();
                (!trimmed.is_empty()).then(|| trimmed.to_owned())
            }
            other => Some(other.display()),
        }
    }

    /// A whole number. Accepts `1234`, `-1234`, `1 234` (space, no-break space or thin space
    /// between thousands), `1234,0`, `1234.00` and numeric cells holding a whole number.
    /// Refuses `12,5` (not whole) and `1,234` (ambiguous, see [`Cell::as_decimal`]).
    pub fn as_i64(&self) -> Result<Option<i64>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Number(value) => number::whole(*value).map(Some),
            Cell::Text(text) if text.trim().is_empty() => Ok(None),
            Cell::Text(text) => number::parse_integer(text).map(Some),
            other => Err(other.not_a("whole number")),
        }
    }

    /// A decimal number, written the Swedish or the English way.
    ///
    /// - Decimal comma or point: `12,5`, `12.5`, `,5`.
    /// - Thousands separated by spaces (also no-break and thin spaces): `1 234,5`, `1 234.5`.
    /// - Both a comma and a point: the last one is the decimal separator and the other must
    ///   group thousands correctly: `1,234.5` and `1.234,5` are both 1234.5.
    /// - Several commas (or several points) can only be thousands separators: `1,234,567`.
    /// - A single point is always a decimal point: `1.234` is 1.234.
    /// - A single comma followed by exactly three digits after one to three digits (`1,234`,
    ///   `12,500`) is refused as ambiguous: Swedish reads 1.234, English 1234. `0,125` and
    ///   `1234,567` have only one reading and are accepted.
    pub fn as_decimal(&self) -> Result<Option<f64>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Number(value) => Ok(Some(*value)),
            Cell::Text(text) if text.trim().is_empty() => Ok(None),
            Cell::Text(text) => number::parse_decimal(text).map(Some),
            other => Err(other.not_a("number")),
        }
    }

    /// A yes/no value: `true`/`false`, `ja`/`nej`, `yes`/`no`, `sant`/`falskt` (Swedish Excel),
    /// `1`/`0`, and `x` for yes (a ticked column); case-insensitive. Boolean and 0/1 numeric
    /// cells too.
    pub fn as_bool(&self) -> Result<Option<bool>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Bool(value) => Ok(Some(*value)),
            Cell::Number(value) if *value == 1.0 => Ok(Some(true)),
            Cell::Number(value) if *value == 0.0 => Ok(Some(false)),
            Cell::Text(text) => match text.trim().to_lowercase().as_str() {
                "" => Ok(None),
                "true" | "ja" | "yes" | "sant" | "1" | "x" => Ok(Some(true)),
                "false" | "nej" | "no" | "falskt" | "0" => Ok(Some(false)),
                _ => Err(BOOL_WORDS.to_owned()),
            },
            _ => Err(BOOL_WORDS.to_owned()),
        }
    }

    /// A date. Accepts date cells, `2026-11-23` (also `2026/11/23`, `2026.11.23`), `20261123`,
    /// day-first `23.11.2026`, `23/11/2026` and `23-11-2026`, and numeric xlsx cells holding an
    /// Excel serial day (1950–2100) or a `20261123`-style number. Refuses two-digit years,
    /// slash or dash dates whose day and month could be swapped (`03/04/2026`; dots are read
    /// day first without doubt), impossible dates, and values with a time of day other than
    /// midnight.
    pub fn as_date(&self) -> Result<Option<NaiveDate>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(value) => Ok(Some(*value)),
            Cell::DateTime(value) => date::midnight_only(*value).map(Some),
            Cell::Number(value) => date::from_number(*value)
                .and_then(date::midnight_only)
                .map(Some),
            Cell::Text(text) if text.trim().is_empty() => Ok(None),
            Cell::Text(text) => date::parse_date(text).map(Some),
            Cell::Bool(_) => Err(self.not_a("date")),
        }
    }

    /// A date and time (UTC, as every timestamp in Styra). Accepts everything
    /// [`Cell::as_date`] does (as midnight), followed by a time `10:30`, `10:30:15`,
    /// `10:30:15.250` or `10.30` after a space or `T`; RFC 3339 with `Z` or an offset is
    /// converted to UTC. Numeric xlsx cells may carry a fraction of a day.
    pub fn as_datetime(&self) -> Result<Option<NaiveDateTime>, String> {
        match self {
            Cell::Empty => Ok(None),
            Cell::Date(value) => Ok(Some(value.and_time(NaiveTime::MIN))),
            Cell::DateTime(value) => Ok(Some(*value)),
            Cell::Number(value) => date::from_number(*value).map(Some),
            Cell::Text(text) if text.trim().is_empty() => Ok(None),
            Cell::Text(text) => date::parse_datetime(text).map(Some),
            Cell::Bool(_) => Err(self.not_a("date and time")),
        }
    }

    /// The value as it should be quoted back to the user in an error message.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Number(value) => number::render(*value),
            Cell::Bool(value) => value.to_string(),
            Cell::Date(value) => value.format("%Y-%m-%d").to_string(),
            Cell::DateTime(value) => value.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }

    fn not_a(&self, wanted: &str) -> String {
        let found = match self {
            Cell::Empty => "empty",
            Cell::Text(_) => "text",
            Cell::Number(_) => "a number",
            Cell::Bool(_) => "a yes/no value",
            Cell::Date(_) => "a date",
            Cell::DateTime(_) => "a date and time",
        };
        format!("expected a {wanted}, found {found}")
    }
}

const BOOL_WORDS: &str = "expected yes or no: ja/nej, yes/no, true/false, sant/falskt, 1/0 or x";

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn blank_text_is_empty() {
        assert_eq!(Cell::text("  \t"), Cell::Empty);
        assert!(text("  ").is_empty());
        assert_eq!(text("  ").as_text(), None);
        assert_eq!(text(" Lund ").as_text().as_deref(), Some("Lund"));
    }

    #[test]
    fn whole_numbers_render_without_fraction() {
        assert_eq!(Cell::Number(1234.0).as_text().as_deref(), Some("1234"));
        assert_eq!(Cell::Number(-3.0).display(), "-3");
        assert_eq!(Cell::Number(12.5).as_text().as_deref(), Some("12.5"));
        assert_eq!(Cell::Bool(true).as_text().as_deref(), Some("true"));
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Cell::Date(day).display(), "2026-11-23");
        let at = day.and_hms_opt(10, 30, 0).unwrap();
        assert_eq!(Cell::DateTime(at).display(), "2026-11-23 10:30:00");
    }

    #[test]
    fn integers_from_cells() {
        assert_eq!(Cell::Empty.as_i64(), Ok(None));
        assert_eq!(Cell::Number(1234.0).as_i64(), Ok(Some(1234)));
        assert_eq!(text("1 234").as_i64(), Ok(Some(1234)));
        assert_eq!(text("1\u{a0}234").as_i64(), Ok(Some(1234)));
        assert_eq!(text("1234,0").as_i64(), Ok(Some(1234)));
        let err = text("12,5").as_i64().unwrap_err();
        assert!(err.contains("whole number"), "{err}");
        assert!(Cell::Number(12.5).as_i64().is_err());
        assert!(Cell::Bool(true).as_i64().is_err());
    }

    #[test]
    fn decimals_from_cells() {
        assert_eq!(text("12,5").as_decimal(), Ok(Some(12.5)));
        assert_eq!(text("12.5").as_decimal(), Ok(Some(12.5)));
        assert_eq!(text("1 234,5").as_decimal(), Ok(Some(1234.5)));
        assert_eq!(Cell::Number(0.25).as_decimal(), Ok(Some(0.25)));
        assert!(text("1,234")
            .as_decimal()
            .unwrap_err()
            .contains("ambiguous"));
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(Cell::Date(day).as_decimal().is_err());
    }

    #[test]
    fn yes_and_no_words() {
        for yes in ["true", "JA", "Yes", "sant", "1", "x", " X "] {
            assert_eq!(text(yes).as_bool(), Ok(Some(true)), "{yes}");
        }
        for no in ["false", "Nej", "NO", "FALSKT", "0"] {
            assert_eq!(text(no).as_bool(), Ok(Some(false)), "{no}");
        }
        assert_eq!(Cell::Bool(false).as_bool(), Ok(Some(false)));
        assert_eq!(Cell::Number(1.0).as_bool(), Ok(Some(true)));
        assert_eq!(Cell::Empty.as_bool(), Ok(None));
        assert!(text("kanske").as_bool().unwrap_err().contains("ja/nej"));
        assert!(Cell::Number(2.0).as_bool().is_err());
    }

    #[test]
    fn dates_from_cells() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Cell::Date(day).as_date(), Ok(Some(day)));
        assert_eq!(text("23.11.2026").as_date(), Ok(Some(day)));
        assert_eq!(
            Cell::DateTime(day.and_hms_opt(0, 0, 0).unwrap()).as_date(),
            Ok(Some(day))
        );
        assert!(Cell::DateTime(day.and_hms_opt(9, 0, 0).unwrap())
            .as_date()
            .is_err());
        // Excel serial day 46349 is 2026-11-23; a yyyymmdd number typed into a cell too.
        assert_eq!(Cell::Number(46349.0).as_date(), Ok(Some(day)));
        assert_eq!(Cell::Number(20261123.0).as_date(), Ok(Some(day)));
        assert!(Cell::Number(2026.0).as_date().is_err());
        assert!(Cell::Bool(true).as_date().is_err());
    }

    #[test]
    fn datetimes_from_cells() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let at = day.and_hms_opt(10, 30, 0).unwrap();
        assert_eq!(Cell::Number(46349.4375).as_datetime(), Ok(Some(at)));
        assert_eq!(
            Cell::Date(day).as_datetime(),
            Ok(Some(day.and_time(NaiveTime::MIN)))
        );
        assert_eq!(text("23.11.2026 10:30").as_datetime(), Ok(Some(at)));
        assert_eq!(Cell::Empty.as_datetime(), Ok(None));
    }
}
