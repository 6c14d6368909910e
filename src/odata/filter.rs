//! `$filter`: a tokenizer and a precedence-climbing parser for the subset of the OData v4
//! expression syntax the feed supports — comparisons (eq, ne, gt, ge, lt, le) of a property with a
//! literal, `and`, `or`, `not`, parentheses, `null`, and `contains`/`startswith`/`endswith` on
//! strings. Properties and literal types are checked against the entity set here, so the SQL
//! translation (`sql.rs`) only ever sees known columns and typed values.

mod lexer;
mod parser;

pub use lexer::parse_date_time;
pub use parser::parse;

use chrono::{NaiveDate, NaiveDateTime};

use super::model::Property;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::model::{prop, sorted_by, EdmType};

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
