//! Turning `$filter` text into tokens and typed literals.

use chrono::{NaiveDate, NaiveDateTime, Utc};

use super::Literal;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Token {
    Word(String),
    Lit(Literal),
    Open,
    Close,
    Comma,
}

/// Splits an expression into tokens; literals are typed here.
pub(super) fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                tokens.push(Token::Open);
                i += 1;
            }
            ')' => {
                tokens.push(Token::Close);
                i += 1;
            }
            ',' => {
                tokens.push(Token::Comma);
                i += 1;
            }
            '\'' => {
                let mut text = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("a string literal is not closed with '".to_owned()),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            text.push('\'');
                            i += 2;
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            text.push(*ch);
                            i += 1;
                        }
                    }
                }
                tokens.push(Token::Lit(Literal::String(text)));
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                i += 1;
                while i < chars.len() && is_literal_char(chars[i]) {
                    i += 1;
                }
                let mut text: String = chars[start..i].iter().collect();
                // A `+` offset decoded as a space by form decoding: `…T10:00:00 01:00`.
                if text.contains('T') && !text.ends_with('Z') && chars.get(i) == Some(&' ') {
                    let rest: String = chars[i + 1..chars.len().min(i + 6)].iter().collect();
                    if rest.len() == 5 && rest.as_bytes()[2] == b':' {
                        text.push('+');
                        text.push_str(&rest);
                        i += 6;
                    }
                }
                tokens.push(Token::Lit(number_or_time(&text)?));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                tokens.push(match word.as_str() {
                    "null" => Token::Lit(Literal::Null),
                    "true" => Token::Lit(Literal::Bool(true)),
                    "false" => Token::Lit(Literal::Bool(false)),
                    _ => Token::Word(word),
                });
            }
            other => return Err(format!("unexpected character '{other}'")),
        }
    }
    Ok(tokens)
}

fn is_literal_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | ':' | '-' | '+' | 'T' | 'Z' | 'e' | 'E')
}

/// Classifies `2026`, `-1.5`, `2026-01-01`, `2026-01-01T10:00:00Z`.
fn number_or_time(text: &str) -> Result<Literal, String> {
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Literal::Int(n));
    }
    if text.contains('T') {
        return parse_date_time(text)
            .map(Literal::DateTime)
            .ok_or_else(|| format!("'{text}' is not a date-time such as 2026-01-01T00:00:00Z"));
    }
    if text.len() == 10 && text.as_bytes()[4] == b'-' {
        return NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Literal::Date)
            .map_err(|_| format!("'{text}' is not a date such as 2026-01-01"));
    }
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(Literal::Decimal(x)),
        _ => Err(format!("'{text}' is not a number, date or date-time")),
    }
}

/// An OData `dateTimeOffsetValue`: seconds optional, `Z` or an offset required.
pub fn parse_date_time(text: &str) -> Option<NaiveDateTime> {
    let with_seconds;
    let text = if text.len() >= 17 && text.as_bytes().get(16) != Some(&b':') {
        with_seconds = format!("{}:00{}", &text[..16], &text[16..]);
        with_seconds.as_str()
    } else {
        text
    };
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc).naive_utc())
}
