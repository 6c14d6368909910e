//! The SQL behind a flat entity set: the database renders each row as JSON text (so a dynamic
//! `$select` needs no per-table Rust types and the rows are spliced into the response as they
//! are), the filter becomes a WHERE clause with bound parameters only, and paging is keyset
//! paging on the `$orderby` columns plus `id`. Column names come from the entity definition only.

mod where_clause;

use chrono::{NaiveDate, NaiveDateTime};

use super::model::{EdmType, Property, TableSet};
use super::options::{Direction, QueryOptions};
use where_clause::where_sql;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A bound parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlValue {
    Text(String),
    BigInt(i64),
    Double(f64),
    Bool(bool),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

/// SQL text with `$n` placeholders and their values in order.
#[derive(Debug, Default)]
pub struct SqlQuery {
    pub text: String,
    pub binds: Vec<SqlValue>,
}

impl SqlQuery {
    pub fn bind(&mut self, value: SqlValue) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }
}

/// The rows a scoped caller may read: the organisation subtrees under `roots`, which lie in
/// `municipalities` (resolved once per request, so the condition on the indexed
/// `municipality_id` is a plain bound value the planner can use).
#[derive(Debug, Clone)]
pub struct RowScope<'a> {
    pub roots: &'a [String],
    pub municipalities: Vec<String>,
}

/// PostgreSQL limits a function call to 100 arguments: `json_build_object` takes two per property.
pub const MAX_PROPERTIES: usize = 50;

/// A property's value as it appears in the JSON row: ISO dates and `…Z` timestamps with
/// microseconds, booleans as JSON booleans (SQLite stores 0/1).
fn json_value(dialect: Dialect, p: &Property) -> String {
    let c = p.name;
    match (dialect, p.edm) {
        (Dialect::Sqlite, EdmType::Boolean) => {
            format!("json(CASE WHEN {c} IS NULL THEN NULL WHEN {c} THEN 'true' ELSE 'false' END)")
        }
        // Stored as `YYYY-MM-DD HH:MM:SS[.ffffff]`; padded to six digits as PostgreSQL prints.
        (Dialect::Sqlite, EdmType::DateTimeOffset) => format!(
            "substr({c},1,10)||'T'||substr({c},12,8)||'.'||substr(substr({c},21)||'000000',1,6)||'Z'"
        ),
        (Dialect::Postgres, EdmType::DateTimeOffset) => {
            format!("to_char({c}, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
        }
        (Dialect::Postgres, EdmType::Date) => format!("to_char({c}, 'YYYY-MM-DD')"),
        _ => c.to_owned(),
    }
}

/// What a property orders by: its sort key column, and on PostgreSQL bytewise for text (as
/// SQLite compares), so both databases return the same order. `id` keeps its own collation so
/// the primary key index serves the default order.
fn order_column(dialect: Dialect, p: &Property) -> String {
    if let Some(sort) = p.sort_column {
        return sort.to_owned();
    }
    if dialect == Dialect::Postgres && p.edm == EdmType::String && p.name != "id" {
        return format!("{} COLLATE \"C\"", p.name);
    }
    p.name.to_owned()
}

/// One page: `json` (the selected properties as a JSON object) and `sort_key` (the order-key
/// values as a JSON array, for the next page's token), `limit` rows after `offset`. The page's
/// ids are chosen first, so the JSON is built for the page's rows only, not for every row a
/// sort has to look at.
pub fn page_query(
    dialect: Dialect,
    set: &TableSet,
    opts: &QueryOptions,
    scope: Option<&RowScope>,
    limit: i64,
) -> SqlQuery {
    let mut q = SqlQuery::default();
    let pairs: Vec<String> = opts
        .select
        .iter()
        .map(|p| format!("'{}', {}", p.name, json_value(dialect, p)))
        .collect();
    let keys: Vec<String> = opts
        .order
        .iter()
        .map(|(p, _)| match p.sort_column {
            Some(sort) => sort.to_owned(),
            None => json_value(dialect, p),
        })
        .collect();
    let (object, array, text) = match dialect {
        Dialect::Sqlite => ("json_object", "json_array", ""),
        Dialect::Postgres => ("json_build_object", "json_build_array", "::text"),
    };
    let conditions = where_sql(&mut q, dialect, set, opts, scope, true);
    let order: Vec<String> = opts
        .order
        .iter()
        .map(|(p, d)| {
            let c = order_column(dialect, p);
            match (d, p.nullable) {
                (Direction::Asc, false) => format!("{c} ASC"),
                (Direction::Desc, false) => format!("{c} DESC"),
                (Direction::Asc, true) => format!("{c} ASC NULLS FIRST"),
                (Direction::Desc, true) => format!("{c} DESC NULLS LAST"),
            }
        })
        .collect();
    let order = order.join(", ");
    let limit = q.bind(SqlValue::BigInt(limit));
    // The skip applies to the first page only: later pages start after their token.
    let offset = if opts.after.is_none() && opts.skip > 0 {
        format!(" OFFSET {}", q.bind(SqlValue::BigInt(opts.skip)))
    } else {
        String::new()
    };
    let table = set.name;
    q.text = format!(
        "SELECT {object}({}){text} AS json, {array}({}){text} AS sort_key FROM {table} \
         WHERE id IN (SELECT id FROM {table} WHERE {conditions} ORDER BY {order} LIMIT {limit}{offset}) \
         ORDER BY {order}",
        pairs.join(", "),
        keys.join(", "),
    );
    q
}

/// The number of rows matching the scope and filter (`$count=true`, `/$count`).
pub fn count_query(
    dialect: Dialect,
    set: &TableSet,
    opts: &QueryOptions,
    scope: Option<&RowScope>,
) -> SqlQuery {
    let mut q = SqlQuery::default();
    let conditions = where_sql(&mut q, dialect, set, opts, scope, false);
    q.text = format!("SELECT COUNT(*) AS n FROM {} WHERE {conditions}", set.name);
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::{options, tables};

    fn opts(query: &str) -> QueryOptions {
        options::parse(query, tables::ACTIVITIES.properties, "id", &[]).unwrap()
    }

    #[test]
    fn values_are_bound_never_interpolated() {
        let o = opts("$filter=title eq 'x'' OR 1=1 --'");
        let q = page_query(Dialect::Postgres, &tables::ACTIVITIES, &o, None, 11);
        assert!(!q.text.contains("OR 1=1"), "{}", q.text);
        assert_eq!(q.binds[0], SqlValue::Text("x' OR 1=1 --".into()));
        assert!(q.text.contains("title = $1"), "{}", q.text);
        assert!(
            q.text
                .ends_with("ORDER BY id ASC LIMIT $2) ORDER BY id ASC"),
            "{}",
            q.text
        );
    }

    #[test]
    fn not_and_ne_keep_null_rows_as_odata_does() {
        let o = opts("$filter=not (planned_budget gt 5) and phase ne 'idea'");
        let q = count_query(Dialect::Sqlite, &tables::ACTIVITIES, &o, None);
        assert!(
            q.text
                .contains("((planned_budget <= $1 OR planned_budget IS NULL) AND phase <> $2)"),
            "{}",
            q.text
        );
        let o = opts("$filter=not (plan_id eq null or year eq 2026)");
        let q = count_query(Dialect::Sqlite, &tables::ACTIVITIES, &o, None);
        assert!(
            q.text.contains("(plan_id IS NOT NULL AND year <> $1)"),
            "{}",
            q.text
        );
    }

    #[test]
    fn scope_and_keyset() {
        let token = options::encode_token(&[
            serde_json::Value::from("skola"),
            serde_json::Value::from("id-9"),
        ]);
        let o = opts(&format!("$orderby=title desc&$skiptoken={token}"));
        let roots = vec!["org-1".to_owned()];
        let scope = RowScope {
            roots: &roots,
            municipalities: vec!["m-1".to_owned()],
        };
        let q = page_query(
            Dialect::Postgres,
            &tables::ACTIVITIES,
            &o,
            Some(&scope),
            1001,
        );
        assert!(q.text.contains(
            "municipality_id = $1 AND organisation_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id IN ($2))"
        ), "{}", q.text);
        assert!(
            q.text
                .contains("((title_sort < $3) OR (title_sort = $4 AND id > $5))"),
            "{}",
            q.text
        );
        assert!(
            q.text.contains("ORDER BY title_sort DESC, id ASC"),
            "{}",
            q.text
        );
    }

    #[test]
    fn every_table_fits_one_json_call() {
        for set in tables::ALL {
            assert!(set.properties.len() <= MAX_PROPERTIES, "{}", set.name);
            assert_eq!(set.properties[0].name, "id");
            assert!(set.property("modified_at").is_some(), "{}", set.name);
        }
    }
}
