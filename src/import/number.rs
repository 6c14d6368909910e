//! Numbers written as text, the Swedish or the English way. The rules are documented on
//! [`super::Cell::as_decimal`]; an input with two readings is refused rather than guessed.

/// Characters people (and Swedish Excel) put between groups of thousands.
const GROUP_SPACES: [char; 4] = [' ', '\u{a0}', '\u{202f}', '\u{2009}'];

const NOT_A_NUMBER: &str = "not a number";

/// A number split into sign, integer digits and fraction digits (ASCII digits only).
#[derive(Debug, PartialEq)]
struct Parts {
    negative: bool,
    integer: String,
    fraction: String,
}

/// Parses a decimal number.
pub(crate) fn parse_decimal(text: &str) -> Result<f64, String> {
    let parts = split(text)?;
    let mut plain = String::with_capacity(parts.integer.len() + parts.fraction.len() + 3);
    if parts.negative {
        plain.push('-');
    }
    plain.push_str(if parts.integer.is_empty() {
        "0"
    } else {
        &parts.integer
    });
    if !parts.fraction.is_empty() {
        plain.push('.');
        plain.push_str(&parts.fraction);
    }
    plain
        .parse::<f64>()
        .map_err(|_| NOT_A_NUMBER.to_owned())
        .and_then(|value| {
            if value.is_finite() {
                Ok(value)
            } else {
                Err("number too large".to_owned())
            }
        })
}

/// Parses a whole number; a fraction of zeros (`1234,00`) is allowed.
pub(crate) fn parse_integer(text: &str) -> Result<i64, String> {
    let parts = split(text)?;
    if parts.fraction.bytes().any(|b| b != b'0') {
        return Err("not a whole number".to_owned());
    }
    if parts.integer.is_empty() {
        return Ok(0);
    }
    let magnitude: i64 = parts
        .integer
        .parse()
        .map_err(|_| "number too large".to_owned())?;
    Ok(if parts.negative {
        -magnitude
    } else {
        magnitude
    })
}

/// A numeric cell as a whole number.
pub(crate) fn whole(value: f64) -> Result<i64, String> {
    if value.fract() != 0.0 || !value.is_finite() {
        return Err("not a whole number".to_owned());
    }
    // 2^53: beyond this an f64 no longer holds every whole number exactly.
    if value.abs() > 9_007_199_254_740_992.0 {
        return Err("number too large".to_owned());
    }
    Ok(value as i64)
}

/// A number as a user would write it: whole numbers without ".0".
pub(crate) fn render(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn split(text: &str) -> Result<Parts, String> {
    let text = text.trim();
    let (negative, unsigned) = if let Some(rest) = text.strip_prefix(['-', '\u{2212}']) {
        (true, rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (false, rest)
    } else {
        (false, text)
    };
    let spaced = unsigned.contains(GROUP_SPACES);
    let compact = if spaced {
        join_space_groups(unsigned)?
    } else {
        unsigned.to_owned()
    };
    if compact.is_empty()
        || !compact
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return Err(NOT_A_NUMBER.to_owned());
    }
    let (integer, fraction) = separate(&compact, spaced)?;
    if integer.is_empty() && fraction.is_empty() {
        return Err(NOT_A_NUMBER.to_owned());
    }
    Ok(Parts {
        negative,
        integer,
        fraction,
    })
}

/// Removes spaces between groups of thousands, checking that the groups are groups: one to
/// three digits first, then exactly three digits each (the last may carry the decimals).
fn join_space_groups(text: &str) -> Result<String, String> {
    let groups: Vec<&str> = text.split(GROUP_SPACES).collect();
    let last = groups.len() - 1;
    for (index, group) in groups.iter().enumerate() {
        let digits = group.bytes().take_while(u8::is_ascii_digit).count();
        let ok = match index {
            0 => (1..=3).contains(&digits) && digits == group.len(),
            i if i == last => {
                digits == 3 && (digits == group.len() || matches!(group.as_bytes()[3], b',' | b'.'))
            }
            _ => digits == 3 && digits == group.len(),
        };
        if !ok {
            return Err("not a number: spaces may only separate groups of three digits".to_owned());
        }
    }
    Ok(groups.concat())
}

/// Splits digits with commas and points into integer and fraction digits.
fn separate(text: &str, spaced: bool) -> Result<(String, String), String> {
    let commas = text.matches(',').count();
    let points = text.matches('.').count();
    match (commas, points) {
        (0, 0) => Ok((text.to_owned(), String::new())),
        _ if spaced && commas + points > 1 => Err(NOT_A_NUMBER.to_owned()),
        (1, 0) | (0, 1) => {
            let (integer, fraction) = text
                .split_once([',', '.'])
                .ok_or_else(|| NOT_A_NUMBER.to_owned())?;
            if fraction.is_empty() {
                return Err(NOT_A_NUMBER.to_owned());
            }
            if commas == 1 && !spaced && fraction.len() == 3 && could_be_thousands(integer) {
                return Err(format!(
                    "ambiguous: the comma may be a decimal comma or a thousands separator; \
                     write {integer}{fraction} or {integer} {fraction} for a whole number, \
                     {integer}.{fraction} for a decimal"
                ));
            }
            Ok((integer.to_owned(), fraction.to_owned()))
        }
        (_, 0) => grouped(text, ',').map(|integer| (integer, String::new())),
        (0, _) => grouped(text, '.').map(|integer| (integer, String::new())),
        _ => {
            // Both kinds: the last separator is the decimal one and occurs once.
            let decimal_at = text
                .rfind([',', '.'])
                .ok_or_else(|| NOT_A_NUMBER.to_owned())?;
            let decimal = &text[decimal_at..=decimal_at];
            let (head, fraction) = (&text[..decimal_at], &text[decimal_at + 1..]);
            if head.contains(decimal) || fraction.is_empty() {
                return Err(NOT_A_NUMBER.to_owned());
            }
            let thousands = if decimal == "," { '.' } else { ',' };
            Ok((grouped(head, thousands)?, fraction.to_owned()))
        }
    }
}

/// `1,234,567` → `1234567`, checking the groups.
fn grouped(text: &str, separator: char) -> Result<String, String> {
    let mut groups = text.split(separator);
    let first = groups.next().unwrap_or_default();
    let first_ok = could_be_thousands(first);
    if first_ok && groups.clone().all(|g| g.len() == 3) {
        Ok(text.replace(separator, ""))
    } else {
        Err(format!(
            "not a number: '{separator}' between digits must separate groups of three"
        ))
    }
}

/// One to three digits without a leading zero: what may stand before a thousands separator.
fn could_be_thousands(integer: &str) -> bool {
    (1..=3).contains(&integer.len()) && !integer.starts_with('0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_comma_and_point() {
        assert_eq!(parse_decimal("12,5"), Ok(12.5));
        assert_eq!(parse_decimal("12.5"), Ok(12.5));
        assert_eq!(parse_decimal(",5"), Ok(0.5));
        assert_eq!(parse_decimal("-3,25"), Ok(-3.25));
        assert_eq!(parse_decimal("\u{2212}3,25"), Ok(-3.25));
        assert_eq!(parse_decimal("+7"), Ok(7.0));
        assert_eq!(parse_decimal(" 42 "), Ok(42.0));
    }

    #[test]
    fn thousands_separated_by_spaces() {
        assert_eq!(parse_decimal("1 234"), Ok(1234.0));
        assert_eq!(parse_decimal("1 234 567,89"), Ok(1234567.89));
        assert_eq!(parse_decimal("1\u{a0}234,5"), Ok(1234.5));
        assert_eq!(parse_decimal("1\u{202f}234.5"), Ok(1234.5));
        assert_eq!(parse_decimal("-12 500"), Ok(-12500.0));
        assert!(parse_decimal("12 34").is_err());
        assert!(parse_decimal("1234 567").is_err());
        assert!(parse_decimal("1 234,5,6").is_err());
        assert!(parse_decimal("1 234.567,5").is_err());
    }

    #[test]
    fn both_separators_read_the_last_as_decimal() {
        assert_eq!(parse_decimal("1,234.5"), Ok(1234.5));
        assert_eq!(parse_decimal("1.234,5"), Ok(1234.5));
        assert_eq!(parse_decimal("1.234.567,25"), Ok(1234567.25));
        assert!(parse_decimal("12,34.5").is_err());
        assert!(parse_decimal("1.234,5,6").is_err());
    }

    #[test]
    fn repeated_separators_are_thousands() {
        assert_eq!(parse_decimal("1,234,567"), Ok(1234567.0));
        assert_eq!(parse_decimal("1.234.567"), Ok(1234567.0));
        assert!(parse_decimal("1,23,456").is_err());
    }

    #[test]
    fn single_comma_before_three_digits_is_ambiguous() {
        for input in ["1,234", "12,500", "-999,000"] {
            let err = parse_decimal(input).unwrap_err();
            assert!(err.starts_with("ambiguous"), "{input}: {err}");
        }
        // Only one reading: a leading zero, or more than three digits before the comma.
        assert_eq!(parse_decimal("0,125"), Ok(0.125));
        assert_eq!(parse_decimal("1234,567"), Ok(1234.567));
        assert_eq!(parse_decimal("1,2345"), Ok(1.2345));
        // A point is a decimal point.
        assert_eq!(parse_decimal("1.234"), Ok(1.234));
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for input in [
            "", "-", "abc", "12a", "1e3", "inf", "NaN", "12,", "1,,2", ".", "1 2 3",
        ] {
            assert!(parse_decimal(input).is_err(), "{input}");
        }
    }

    #[test]
    fn integers() {
        assert_eq!(parse_integer("1234"), Ok(1234));
        assert_eq!(parse_integer("1 234"), Ok(1234));
        assert_eq!(parse_integer("1\u{a0}234"), Ok(1234));
        assert_eq!(parse_integer("1234,0"), Ok(1234));
        assert_eq!(parse_integer("1234.00"), Ok(1234));
        assert_eq!(parse_integer("-7"), Ok(-7));
        assert_eq!(parse_integer("1,234,567"), Ok(1234567));
        assert_eq!(parse_integer("12,5"), Err("not a whole number".to_owned()));
        assert!(parse_integer("1,234").unwrap_err().starts_with("ambiguous"));
        assert_eq!(
            parse_integer("99999999999999999999"),
            Err("number too large".to_owned())
        );
    }

    #[test]
    fn whole_numeric_cells() {
        assert_eq!(whole(1234.0), Ok(1234));
        assert_eq!(whole(-1.0), Ok(-1));
        assert!(whole(0.5).is_err());
        assert!(whole(1e300).is_err());
        assert!(whole(f64::NAN).is_err());
    }

    #[test]
    fn rendering() {
        assert_eq!(render(1234.0), "1234");
        assert_eq!(render(0.1), "0.1");
        assert_eq!(render(-2.5), "-2.5");
        assert_eq!(render(1e20), "100000000000000000000");
    }
}
