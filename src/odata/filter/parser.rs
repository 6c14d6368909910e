//! The precedence-climbing parser from tokens to a type-checked `Expr`.

use crate::odata::model::{EdmType, Property};

use super::lexer::{tokenize, Token};
use super::{CmpOp, Expr, Literal, StringFn};

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
