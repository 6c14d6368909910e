//! The WHERE clause: the `$filter` expression and the keyset condition, with bound parameters only.

use crate::odata::filter::{CmpOp, Expr, Literal, StringFn};
use crate::odata::model::{EdmType, Property, TableSet};
use crate::odata::options::{Direction, QueryOptions};

use super::{order_column, Dialect, RowScope, SqlQuery, SqlValue};

/// A literal as a parameter for a property of the given type (already type-checked).
fn sql_value(edm: EdmType, value: &Literal) -> Option<SqlValue> {
    Some(match (edm, value) {
        (_, Literal::String(s)) => SqlValue::Text(s.clone()),
        (EdmType::Int32 | EdmType::Int64, Literal::Int(n)) => SqlValue::BigInt(*n),
        (_, Literal::Int(n)) => SqlValue::Double(*n as f64),
        (_, Literal::Decimal(x)) => SqlValue::Double(*x),
        (_, Literal::Bool(b)) => SqlValue::Bool(*b),
        (_, Literal::Date(d)) => SqlValue::Date(*d),
        (_, Literal::DateTime(t)) => SqlValue::Timestamp(*t),
        (_, Literal::Null) => return None,
    })
}

fn op_sql(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
    }
}

/// Translates a filter with OData's two-valued logic: a comparison with a null property is
/// false, except `ne` (true). `not` is pushed down to the comparisons, so a comparison that
/// becomes true for null says so with `OR col IS NULL` rather than relying on SQL's NULLs.
fn filter_sql(q: &mut SqlQuery, dialect: Dialect, expr: &Expr, negate: bool) -> String {
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => {
            let is_and = matches!(expr, Expr::And(..)) != negate;
            let left = filter_sql(q, dialect, a, negate);
            let right = filter_sql(q, dialect, b, negate);
            format!("({left} {} {right})", if is_and { "AND" } else { "OR" })
        }
        Expr::Not(inner) => filter_sql(q, dialect, inner, !negate),
        Expr::Const(b) => if *b != negate { "1=1" } else { "1=0" }.to_owned(),
        Expr::Text {
            function,
            property,
            text,
        } => {
            let c = property.name;
            let sql = match (function, dialect) {
                (StringFn::Contains, Dialect::Sqlite) => {
                    format!("instr({c}, {}) > 0", q.bind(SqlValue::Text(text.clone())))
                }
                (StringFn::Contains, Dialect::Postgres) => {
                    format!("strpos({c}, {}) > 0", q.bind(SqlValue::Text(text.clone())))
                }
                (StringFn::StartsWith, Dialect::Sqlite) => format!(
                    "substr({c}, 1, {}) = {}",
                    q.bind(SqlValue::BigInt(text.chars().count() as i64)),
                    q.bind(SqlValue::Text(text.clone()))
                ),
                (StringFn::StartsWith, Dialect::Postgres) => format!(
                    "left({c}, {}::int) = {}",
                    q.bind(SqlValue::BigInt(text.chars().count() as i64)),
                    q.bind(SqlValue::Text(text.clone()))
                ),
                (StringFn::EndsWith, Dialect::Sqlite) => format!(
                    "substr({c}, -{}) = {}",
                    q.bind(SqlValue::BigInt(text.chars().count() as i64)),
                    q.bind(SqlValue::Text(text.clone()))
                ),
                (StringFn::EndsWith, Dialect::Postgres) => format!(
                    "right({c}, {}::int) = {}",
                    q.bind(SqlValue::BigInt(text.chars().count() as i64)),
                    q.bind(SqlValue::Text(text.clone()))
                ),
            };
            // A function of null is null, and `not null` stays null (false): SQL agrees.
            if negate {
                format!("NOT ({sql})")
            } else {
                sql
            }
        }
        Expr::Compare {
            property,
            op,
            value,
        } => {
            let c = property.name;
            let Some(bound) = sql_value(property.edm, value) else {
                return if (*op == CmpOp::Eq) != negate {
                    format!("{c} IS NULL")
                } else {
                    format!("{c} IS NOT NULL")
                };
            };
            let original = *op;
            let op = if negate { op.negated() } else { original };
            let column = if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                c.to_owned()
            } else {
                // Ranges over text compare bytewise on both databases.
                let mut plain = *property;
                plain.sort_column = None;
                order_column(dialect, &plain)
            };
            let sql = format!("{column} {} {}", op_sql(op), q.bind(bound));
            // OData: null ne x is true, every other comparison with null is false.
            let true_for_null = (original == CmpOp::Ne) != negate;
            if property.nullable && true_for_null {
                format!("({sql} OR {c} IS NULL)")
            } else {
                sql
            }
        }
    }
}

/// Rows after the previous page's last row, in `ORDER BY` order (nulls first ascending, last
/// descending, as OData orders them).
fn keyset_sql(
    q: &mut SqlQuery,
    dialect: Dialect,
    order: &[(Property, Direction)],
    after: &[Literal],
) -> String {
    let mut alternatives = Vec::new();
    for i in 0..order.len() {
        let mut terms = Vec::new();
        for ((p, _), v) in order.iter().zip(after).take(i) {
            let c = order_column(dialect, p);
            terms.push(match key_value(p, v) {
                None => format!("{c} IS NULL"),
                Some(b) => format!("{c} = {}", q.bind(b)),
            });
        }
        let (p, direction) = &order[i];
        let c = order_column(dialect, p);
        terms.push(match (direction, key_value(p, &after[i])) {
            (Direction::Asc, None) => format!("{c} IS NOT NULL"),
            (Direction::Asc, Some(b)) => format!("{c} > {}", q.bind(b)),
            (Direction::Desc, None) => "1=0".to_owned(),
            (Direction::Desc, Some(b)) if p.nullable => {
                format!("({c} < {} OR {c} IS NULL)", q.bind(b))
            }
            (Direction::Desc, Some(b)) => format!("{c} < {}", q.bind(b)),
        });
        alternatives.push(format!("({})", terms.join(" AND ")));
    }
    format!("({})", alternatives.join(" OR "))
}

fn bind_list(q: &mut SqlQuery, values: &[String]) -> String {
    let list: Vec<String> = values
        .iter()
        .map(|v| q.bind(SqlValue::Text(v.clone())))
        .collect();
    list.join(", ")
}

fn key_value(p: &Property, v: &Literal) -> Option<SqlValue> {
    if p.sort_column.is_some() {
        return sql_value(EdmType::String, v);
    }
    sql_value(p.edm, v)
}

/// The WHERE clause: scope, filter and (for pages after the first) the keyset condition.
pub(super) fn where_sql(
    q: &mut SqlQuery,
    dialect: Dialect,
    set: &TableSet,
    opts: &QueryOptions,
    scope: Option<&RowScope>,
    with_keyset: bool,
) -> String {
    let mut conds = Vec::new();
    if let Some(scope) = scope {
        if scope.roots.is_empty() || scope.municipalities.is_empty() {
            conds.push("1=0".to_owned());
        } else {
            // The municipality first: every flat table has `(municipality_id, id)` indexed, so a
            // page in `id` order walks one municipality's rows instead of the whole table.
            let municipalities = bind_list(q, &scope.municipalities);
            conds.push(if scope.municipalities.len() == 1 {
                format!("municipality_id = {municipalities}")
            } else {
                format!("municipality_id IN ({municipalities})")
            });
            let roots = bind_list(q, scope.roots);
            conds.push(format!(
                "{} IN (SELECT descendant_id FROM org_closure WHERE ancestor_id IN ({roots}))",
                set.scope.column()
            ));
        }
    }
    if let Some(filter) = &opts.filter {
        conds.push(filter_sql(q, dialect, filter, false));
    }
    if with_keyset {
        if let Some(after) = &opts.after {
            conds.push(keyset_sql(q, dialect, &opts.order, after));
        }
    }
    if conds.is_empty() {
        "1=1".to_owned()
    } else {
        conds.join(" AND ")
    }
}
