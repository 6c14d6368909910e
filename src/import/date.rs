//! Dates and times written as text or stored as Excel numbers. The rules are documented on
//! [`super::Cell::as_date`] and [`super::Cell::as_datetime`].

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

const NOT_A_DATE: &str = "not a date: write dates as 2026-11-23";

/// Excel serial days accepted from numeric cells: 1950-01-01 ..= 2100-12-31. Wider would let a
/// year or an amount typed into a date column pass as some day in 1905.
const SERIAL_DAYS: std::ops::RangeInclusive<f64> = 18_264.0..=73_415.0;

/// A date written as text, without a time of day (or with midnight).
pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let text = text.trim();
    if text.contains(['T', ' ']) {
        return parse_datetime(text).and_then(midnight_only);
    }
    date_only(text)
}

/// A date with an optional time of day, written as text.
pub(crate) fn parse_datetime(text: &str) -> Result<NaiveDateTime, String> {
    let text = text.trim();
    if let Ok(moment) = DateTime::parse_from_rfc3339(text) {
        return Ok(moment.with_timezone(&Utc).naive_utc());
    }
    let Some(split_at) = text.find(['T', ' ']) else {
        return Ok(date_only(text)?.and_time(NaiveTime::MIN));
    };
    let date = date_only(&text[..split_at])?;
    let time_text = text[split_at + 1..].trim();
    let time_text = time_text
        .strip_suffix(['Z', 'z'])
        .unwrap_or(time_text)
        .trim_end();
    let time = ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M", "%H.%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(time_text, format).ok())
        .ok_or_else(|| "not a time of day: write times as 10:30 or 10:30:15".to_owned())?;
    Ok(date.and_time(time))
}

/// A numeric cell in a date column: `20261123` typed as a number, or an Excel serial day
/// (with a fraction for the time of day).
pub(crate) fn from_number(value: f64) -> Result<NaiveDateTime, String> {
    if value.fract() == 0.0 && (10_000_101.0..=99_991_231.0).contains(&value) {
        return date_only(&format!("{}", value as i64)).map(|d| d.and_time(NaiveTime::MIN));
    }
    if !SERIAL_DAYS.contains(&value) {
        return Err(NOT_A_DATE.to_owned());
    }
    // Excel's day 0 is 1899-12-30 for every serial after its phantom 1900-02-29 (day 60).
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .map(|d| d.and_time(NaiveTime::MIN))
        .ok_or_else(|| NOT_A_DATE.to_owned())?;
    let millis = (value * 86_400_000.0).round() as i64;
    epoch
        .checked_add_signed(Duration::milliseconds(millis))
        .ok_or_else(|| NOT_A_DATE.to_owned())
}

/// The date of a moment that must not carry a time of day.
pub(crate) fn midnight_only(moment: NaiveDateTime) -> Result<NaiveDate, String> {
    if moment.time() == NaiveTime::MIN {
        Ok(moment.date())
    } else {
        Err("has a time of day; expected a date only".to_owned())
    }
}

/// `20261123`, year first with `-`, `/` or `.`, or day first (`23.11.2026`, `23/11/2026`).
fn date_only(text: &str) -> Result<NaiveDate, String> {
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(&text[..4], &text[4..6], &text[6..]);
    }
    let separator = text
        .chars()
        .find(|c| !c.is_ascii_digit())
        .filter(|c| matches!(c, '-' | '/' | '.'))
        .ok_or_else(|| NOT_A_DATE.to_owned())?;
    let parts: Vec<&str> = text.split(separator).collect();
    let [first, middle, last] = parts[..] else {
        return Err(NOT_A_DATE.to_owned());
    };
    let is_field = |s: &str, lengths: std::ops::RangeInclusive<usize>| {
        lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if is_field(first, 4..=4) && is_field(middle, 1..=2) && is_field(last, 1..=2) {
        return ymd(first, middle, last);
    }
    if is_field(first, 1..=2) && is_field(middle, 1..=2) && is_field(last, 4..=4) {
        let day: u32 = first.parse().map_err(|_| NOT_A_DATE.to_owned())?;
        let month: u32 = middle.parse().map_err(|_| NOT_A_DATE.to_owned())?;
        if month > 12 && day <= 12 {
            return Err(format!(
                "no month {month}: dates are read day first (day{separator}month{separator}year); \
                 write {last}-{first:0>2}-{middle:0>2} if you mean {middle} {}",
                month_name(day)
            ));
        }
        // Dots are only ever day first; slashes and dashes are month first in the US.
        if separator != '.' && day <= 12 && month <= 12 && day != month {
            return Err(format!(
                "ambiguous: day and month could be swapped; write {last}-{middle:0>2}-{first:0>2} \
                 or {first}.{middle}.{last} for {day} {}",
                month_name(month)
            ));
        }
        return ymd(last, middle, first);
    }
    if is_field(first, 1..=2) && is_field(middle, 1..=2) && is_field(last, 1..=2) {
        return Err("write the year with four digits, e.g. 2026-11-23".to_owned());
    }
    Err(NOT_A_DATE.to_owned())
}

fn ymd(year: &str, month: &str, day: &str) -> Result<NaiveDate, String> {
    let (Ok(year), Ok(month), Ok(day)) = (year.parse(), month.parse(), day.parse()) else {
        return Err(NOT_A_DATE.to_owned());
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| "no such date".to_owned())
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    month
        .checked_sub(1)
        .and_then(|i| NAMES.get(i as usize))
        .copied()
        .unwrap_or("?")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn iso_and_swedish_forms() {
        let expected = day(2026, 11, 23);
        for input in [
            "2026-11-23",
            " 2026-11-23 ",
            "2026/11/23",
            "2026.11.23",
            "20261123",
            "23.11.2026",
            "23/11/2026",
            "23-11-2026",
            "2026-11-23T00:00:00",
            "2026-11-23 00:00",
        ] {
            assert_eq!(parse_date(input), Ok(expected), "{input}");
        }
        assert_eq!(parse_date("2026-1-5"), Ok(day(2026, 1, 5)));
        assert_eq!(parse_date("5.1.2026"), Ok(day(2026, 1, 5)));
        // Same day and month: no doubt.
        assert_eq!(parse_date("04/04/2026"), Ok(day(2026, 4, 4)));
    }

    #[test]
    fn ambiguous_and_invalid_dates_are_refused() {
        let err = parse_date("03/04/2026").unwrap_err();
        assert!(err.starts_with("ambiguous"), "{err}");
        assert!(err.contains("2026-04-03"), "{err}");
        assert!(parse_date("03-04-2026")
            .unwrap_err()
            .starts_with("ambiguous"));
        // Dots are day first without doubt.
        assert_eq!(parse_date("03.04.2026"), Ok(day(2026, 4, 3)));
        let err = parse_date("11/23/2026").unwrap_err();
        assert!(err.contains("day first"), "{err}");
        assert!(parse_date("23.11.26").unwrap_err().contains("four digits"));
        assert_eq!(parse_date("2026-02-30"), Err("no such date".to_owned()));
        assert_eq!(parse_date("20261323"), Err("no such date".to_owned()));
        for input in [
            "",
            "idag",
            "2026-11",
            "2026-11-23-1",
            "23 nov 2026",
            "2026-11/23",
            "45000",
        ] {
            assert!(parse_date(input).is_err(), "{input}");
        }
        assert!(parse_date("2026-11-23 10:30")
            .unwrap_err()
            .contains("time of day"));
    }

    #[test]
    fn datetimes() {
        let at = day(2026, 11, 23).and_hms_opt(10, 30, 0).unwrap();
        for input in [
            "2026-11-23 10:30",
            "2026-11-23T10:30:00",
            "2026-11-23T10:30:00Z",
            "2026-11-23T11:30:00+01:00",
            "23.11.2026 10.30",
            "23/11/2026 10:30:00",
        ] {
            assert_eq!(parse_datetime(input), Ok(at), "{input}");
        }
        assert_eq!(
            parse_datetime("2026-11-23 10:30:15.250"),
            Ok(day(2026, 11, 23)
                .and_hms_milli_opt(10, 30, 15, 250)
                .unwrap())
        );
        assert_eq!(
            parse_datetime("2026-11-23"),
            Ok(day(2026, 11, 23).and_time(NaiveTime::MIN))
        );
        assert!(parse_datetime("2026-11-23 25:00").is_err());
        assert!(parse_datetime("2026-11-23 kl 10").is_err());
    }

    #[test]
    fn excel_numbers() {
        let serial_of = |d: NaiveDate| (d - day(1899, 12, 30)).num_days() as f64;
        assert_eq!(serial_of(day(1950, 1, 1)), *SERIAL_DAYS.start());
        assert_eq!(serial_of(day(2100, 12, 31)), *SERIAL_DAYS.end());
        assert_eq!(
            from_number(46349.0),
            Ok(day(2026, 11, 23).and_time(NaiveTime::MIN))
        );
        assert_eq!(
            from_number(46349.75),
            Ok(day(2026, 11, 23).and_hms_opt(18, 0, 0).unwrap())
        );
        assert_eq!(
            from_number(20261123.0),
            Ok(day(2026, 11, 23).and_time(NaiveTime::MIN))
        );
        for outside in [2026.0, 1.0, 18_263.0, 73_416.0, 12.5, -5.0] {
            assert!(from_number(outside).is_err(), "{outside}");
        }
    }

    #[test]
    fn midnight() {
        let d = day(2026, 11, 23);
        assert_eq!(midnight_only(d.and_time(NaiveTime::MIN)), Ok(d));
        assert!(midnight_only(d.and_hms_opt(0, 0, 1).unwrap()).is_err());
    }
}
