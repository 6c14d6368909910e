//! `$filter`: a tokenizer and a precedence-climbing parser for the subset of the OData v4
//! expression syntax the feed supports — comparisons (eq, ne, gt, ge, lt, le) of a property with a
//! literal, `and`, `or`, `not`, parentheses, `null`, and `contains`/`startswith`/`endswith` on
//! strings. Properties and literal types are checked against the entity set here, so the SQL
//! translation (`sql.rs`) only ever sees known columns and typed values.

use chrono::{NaiveDate, NaiveDateTime, Utc};

use super::model::{EdmType, Property};

/// A literal as written in the expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    String(String),
    Int(i64),
    Decimal(f64),
    Bool(bool),
    Date(NaiveDate),
    /// Normalised to UTC.
    DateTime(NaiveDateTime),
}

impl Literal {
    fn describe(&self) -> &'static str {
        match self {
            Literal::Null => "null",
            Literal::String(_) => "a string",
            Literal::Int(_) => "an integer",
            Literal::Decimal(_) => "a decimal number",
            Literal::Bool(_) => "a boolean",
            Literal::Date(_) => "a date",
            Literal::DateTime(_) => "a date-time",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CmpOp {
    fn parse(word: &str) -> Option<CmpOp> {
        Some(match word {
            "eq" => CmpOp::Eq,
            "ne" => CmpOp::Ne,
            "gt" => CmpOp::Gt,
            "ge" => CmpOp::Ge,
            "lt" => CmpOp::Lt,
            "le" => CmpOp::Le,
            _ => return None,
        })
    }

    /// The operator with its operands swapped (`5 lt year` is `year gt 5`).
    fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            other => other,
        }
    }

    /// The logical negation (`not (a gt b)` is `a le b` for non-null values).
    pub fn negated(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFn {
    Contains,
    StartsWith,
    EndsWith,
}

/// A checked filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    /// `property op literal`; a `null` literal only with eq/ne.
    Compare {
        property: Property,
        op: CmpOp,
        value: Literal,
    },
    /// `contains(property, 'text')` and friends; the text is never empty (that is just true).
    Text {
        function: StringFn,
        property: Property,
        text: String,
    },
    /// A constant, e.g. `contains(name, '')`.
    Const(bool),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Lit(Literal),
    Open,
    Close,
    Comma,
}

/// Splits an expression into tokens; literals are typed here.
fn tokenize(input: &str) -> Result<Vec<Token>, String> {
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

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    properties: &'a [Property],
}

/// Parses and checks a `$filter` against an entity set's properties. The error says what is
/// wrong and where, for a 400 problem.
pub fn parse(input: &str, properties: &[Property]) -> Result<Expr, String> {
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err("the expression is empty".to_owned());
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        properties,
    };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(t) => Err(format!(
            "unexpected {} after a complete expression",
            show(t)
        )),
    }
}

fn show(token: &Token) -> String {
    match token {
        Token::Word(w) => format!("'{w}'"),
        Token::Lit(l) => l.describe().to_owned(),
        Token::Open => "'('".to_owned(),
        Token::Close => "')'".to_owned(),
        Token::Comma => "','".to_owned(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn at_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn expect(&mut self, token: Token, what: &str) -> Result<(), String> {
        match self.next() {
            Some(t) if t == token => Ok(()),
            Some(t) => Err(format!("expected {what}, found {}", show(&t))),
            None => Err(format!("expected {what} at the end")),
        }
    }

    // Precedence, lowest first: or, and, not, comparison.
    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.at_word("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.unary()?;
        while self.at_word("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.at_word("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, String> {
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or()?;
                self.expect(Token::Close, "')'")?;
                Ok(inner)
            }
            Some(Token::Word(w)) if self.peek() == Some(&Token::Open) => self.function(&w),
            Some(Token::Word(w)) => {
                let property = self.property(&w)?;
                self.comparison(Operand::Property(property))
            }
            Some(Token::Lit(l)) => self.comparison(Operand::Literal(l)),
            Some(t) => Err(format!(
                "expected a property, a literal or '(', found {}",
                show(&t)
            )),
            None => Err("the expression ends too early".to_owned()),
        }
    }

    fn property(&self, name: &str) -> Result<Property, String> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .copied()
            .ok_or_else(|| format!("unknown property '{name}'"))
    }

    fn comparison(&mut self, left: Operand) -> Result<Expr, String> {
        let op = match self.peek() {
            Some(Token::Word(w)) => CmpOp::parse(w),
            _ => None,
        };
        let Some(op) = op else {
            // A Boolean property on its own is a test for true.
            return match left {
                Operand::Property(p) if p.edm == EdmType::Boolean => Ok(Expr::Compare {
                    property: p,
                    op: CmpOp::Eq,
                    value: Literal::Bool(true),
                }),
                Operand::Property(p) => Err(format!(
                    "property '{}' must be compared with eq, ne, gt, ge, lt or le",
                    p.name
                )),
                Operand::Literal(l) => {
                    Err(format!("{} must be compared with a property", l.describe()))
                }
            };
        };
        self.pos += 1;
        let right = match self.next() {
            Some(Token::Lit(l)) => Operand::Literal(l),
            Some(Token::Word(w)) if !matches!(w.as_str(), "and" | "or" | "not") => {
                Operand::Property(self.property(&w)?)
            }
            Some(t) => {
                return Err(format!(
                    "expected a value after the operator, found {}",
                    show(&t)
                ))
            }
            None => return Err("expected a value after the operator at the end".to_owned()),
        };
        let (property, op, value) = match (left, right) {
            (Operand::Property(p), Operand::Literal(l)) => (p, op, l),
            (Operand::Literal(l), Operand::Property(p)) => (p, op.swapped(), l),
            (Operand::Property(a), Operand::Property(b)) => {
                return Err(format!(
                    "comparing two properties ('{}' and '{}') is not supported; compare a property with a literal",
                    a.name, b.name
                ))
            }
            (Operand::Literal(_), Operand::Literal(_)) => {
                return Err("a comparison needs a property on one side".to_owned())
            }
        };
        check_type(&property, op, &value)?;
        Ok(Expr::Compare {
            property,
            op,
            value,
        })
    }

    fn function(&mut self, name: &str) -> Result<Expr, String> {
        let function = match name {
            "contains" => StringFn::Contains,
            "startswith" => StringFn::StartsWith,
            "endswith" => StringFn::EndsWith,
            other => {
                return Err(format!(
                    "function '{other}' is not supported (contains, startswith and endswith are)"
                ))
            }
        };
        self.expect(Token::Open, "'('")?;
        let property = match self.next() {
            Some(Token::Word(w)) => self.property(&w)?,
            _ => return Err(format!("{name}() takes a property first")),
        };
        if property.edm != EdmType::String {
            return Err(format!(
                "{name}() needs a string property; '{}' is {}",
                property.name,
                property.edm.name()
            ));
        }
        self.expect(Token::Comma, "','")?;
        let text = match self.next() {
            Some(Token::Lit(Literal::String(s))) => s,
            _ => return Err(format!("{name}() takes a string literal second")),
        };
        self.expect(Token::Close, "')'")?;
        // `eq true` after a function call is allowed and changes nothing.
        if self.at_word("eq")
            && self.tokens.get(self.pos + 1) == Some(&Token::Lit(Literal::Bool(true)))
        {
            self.pos += 2;
        }
        if text.is_empty() {
            return Ok(Expr::Const(true));
        }
        Ok(Expr::Text {
            function,
            property,
            text,
        })
    }
}

enum Operand {
    Property(Property),
    Literal(Literal),
}

/// Whether a literal may be compared with a property of this type.
fn check_type(property: &Property, op: CmpOp, value: &Literal) -> Result<(), String> {
    let edm = property.edm;
    let fits = match value {
        Literal::Null => {
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return Err(format!(
                    "'{}' can be compared with null only by eq or ne",
                    property.name
                ));
            }
            true
        }
        Literal::String(_) => edm == EdmType::String,
        Literal::Int(_) | Literal::Decimal(_) => edm.is_numeric(),
        Literal::Bool(_) => edm == EdmType::Boolean,
        Literal::Date(_) => edm == EdmType::Date,
        Literal::DateTime(_) => edm == EdmType::DateTimeOffset,
    };
    if fits {
        Ok(())
    } else {
        Err(format!(
            "property '{}' is {}; it cannot be compared with {}{}",
            property.name,
            edm.name(),
            value.describe(),
            match edm {
                EdmType::String => " (quote strings: 'text')",
                EdmType::DateTimeOffset => " (write 2026-01-01T00:00:00Z)",
                EdmType::Date => " (write 2026-01-01)",
                _ => "",
            }
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::model::{prop, sorted_by};

    const PROPS: &[Property] = &[
        prop("id", EdmType::String, false),
        sorted_by("title", "title_sort"),
        prop("year", EdmType::Int32, false),
        prop("planned_budget", EdmType::Int64, true),
        prop("municipality_wide", EdmType::Boolean, false),
        prop("start_date", EdmType::Date, true),
        prop("modified_at", EdmType::DateTimeOffset, false),
    ];

    fn p(s: &str) -> Result<Expr, String> {
        parse(s, PROPS)
    }

    fn cmp(name: &str, op: CmpOp, value: Literal) -> Expr {
        Expr::Compare {
            property: *PROPS.iter().find(|p| p.name == name).unwrap(),
            op,
            value,
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let e = p("year eq 2026 or year eq 2025 and title eq 'A'").unwrap();
        assert_eq!(
            e,
            Expr::Or(
                Box::new(cmp("year", CmpOp::Eq, Literal::Int(2026))),
                Box::new(Expr::And(
                    Box::new(cmp("year", CmpOp::Eq, Literal::Int(2025))),
                    Box::new(cmp("title", CmpOp::Eq, Literal::String("A".into())))
                ))
            )
        );
    }

    #[test]
    fn parentheses_and_not_group() {
        let e = p("not (year eq 2026 or year eq 2025) and municipality_wide").unwrap();
        let Expr::And(left, right) = e else {
            panic!("expected and")
        };
        assert!(matches!(*left, Expr::Not(_)));
        assert_eq!(
            *right,
            cmp("municipality_wide", CmpOp::Eq, Literal::Bool(true))
        );
    }

    #[test]
    fn literals_are_typed() {
        assert_eq!(
            p("start_date ge 2026-01-01").unwrap(),
            cmp(
                "start_date",
                CmpOp::Ge,
                Literal::Date(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap())
            )
        );
        let t = NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(
            p("modified_at lt 2026-01-01T10:00:00+01:00").unwrap(),
            cmp("modified_at", CmpOp::Lt, Literal::DateTime(t))
        );
        // A + decoded to a space by form decoding still reads as an offset; seconds optional.
        assert_eq!(
            p("modified_at lt 2026-01-01T10:00 01:00").unwrap(),
            cmp("modified_at", CmpOp::Lt, Literal::DateTime(t))
        );
        assert_eq!(
            p("planned_budget gt -1.5").unwrap(),
            cmp("planned_budget", CmpOp::Gt, Literal::Decimal(-1.5))
        );
        assert_eq!(
            p("title eq 'Kvinnors ''e-tjänst'''").unwrap(),
            cmp(
                "title",
                CmpOp::Eq,
                Literal::String("Kvinnors 'e-tjänst'".into())
            )
        );
        assert_eq!(
            p("planned_budget eq null").unwrap(),
            cmp("planned_budget", CmpOp::Eq, Literal::Null)
        );
    }

    #[test]
    fn literal_first_is_swapped() {
        assert_eq!(
            p("2020 lt year").unwrap(),
            cmp("year", CmpOp::Gt, Literal::Int(2020))
        );
    }

    #[test]
    fn half_open_range() {
        let e = p("modified_at ge 2026-01-01T00:00:00Z and modified_at lt 2026-02-01T00:00:00Z")
            .unwrap();
        assert!(matches!(e, Expr::And(_, _)));
    }

    #[test]
    fn string_functions() {
        assert!(matches!(
            p("contains(title,'skola')").unwrap(),
            Expr::Text {
                function: StringFn::Contains,
                ..
            }
        ));
        assert_eq!(
            p("startswith(title, '') eq true").unwrap(),
            Expr::Const(true)
        );
        assert!(p("contains(year, '2')")
            .unwrap_err()
            .contains("string property"));
        assert!(p("substringof('a', title)")
            .unwrap_err()
            .contains("not supported"));
    }

    #[test]
    fn errors_name_the_problem() {
        assert!(p("colour eq 'red'")
            .unwrap_err()
            .contains("unknown property 'colour'"));
        assert!(p("year eq 'x'")
            .unwrap_err()
            .contains("'year' is Edm.Int32"));
        assert!(p("modified_at ge 2026-01-01")
            .unwrap_err()
            .contains("Edm.DateTimeOffset"));
        assert!(p("title eq skola")
            .unwrap_err()
            .contains("unknown property 'skola'"));
        assert!(p("year gt null").unwrap_err().contains("only by eq or ne"));
        assert!(p("year eq 2026 and")
            .unwrap_err()
            .contains("ends too early"));
        assert!(p("(year eq 2026").unwrap_err().contains("')'"));
        assert!(p("year eq 2026)").unwrap_err().contains("after a complete"));
        assert!(p("title eq 'open").unwrap_err().contains("not closed"));
        assert!(p("year eq 20x6").is_err());
        assert!(p("year eq year").unwrap_err().contains("two properties"));
        assert!(p("").unwrap_err().contains("empty"));
        assert!(p("year ~ 3").unwrap_err().contains("unexpected character"));
        assert!(p("modified_at ge 2026-13-01T00:00:00Z").is_err());
    }
}
