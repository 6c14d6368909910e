//! A small builder for report SQL: text plus `$n` binds (which both backends accept), run through
//! `diesel::sql_query` into `QueryableByName` rows. Filters add only the conditions they need,
//! so each backend plans a plain indexed query (no `($1 IS NULL OR …)`).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::sql_types;
use diesel::{QueryResult, QueryableByName, RunQueryDsl};

use crate::db::{DbConnection, MultiBackend};
use crate::reports::filters::ReportContext;

#[derive(Debug, Clone)]
enum Bind {
    Text(String),
    Integer(i32),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

/// SQL text with its binds.
#[derive(Debug, Default)]
pub struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    pub fn new() -> Sql {
        Sql::default()
    }

    /// Appends SQL text.
    pub fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    fn placeholder(&mut self, bind: Bind) -> String {
        self.binds.push(bind);
        format!("${}", self.binds.len())
    }

    /// A text bind; returns its placeholder.
    pub fn text(&mut self, value: &str) -> String {
        self.placeholder(Bind::Text(value.to_owned()))
    }

    pub fn int(&mut self, value: i32) -> String {
        self.placeholder(Bind::Integer(value))
    }

    pub fn date(&mut self, value: NaiveDate) -> String {
        self.placeholder(Bind::Date(value))
    }

    pub fn timestamp(&mut self, value: NaiveDateTime) -> String {
        self.placeholder(Bind::Timestamp(value))
    }

    /// `($1, $2, …)` for a non-empty list of texts.
    pub fn text_list<S: AsRef<str>>(&mut self, values: &[S]) -> String {
        let parts: Vec<String> = values.iter().map(|v| self.text(v.as_ref())).collect();
        format!("({})", parts.join(", "))
    }

    /// Appends ` AND <column> IN (<subtree of the context's roots>)` when the report is limited
    /// to organisation subtrees.
    pub fn and_in_scope(&mut self, column: &str, ctx: &ReportContext) -> &mut Sql {
        if let Some(roots) = &ctx.roots {
            let list = self.text_list(roots);
            self.push(&format!(
                " AND {column} IN (SELECT descendant_id FROM org_closure WHERE ancestor_id IN {list})"
            ));
        }
        self
    }

    /// `<column> IN (<the municipalities of the context's roots>)` (binding them), or `None`
    /// when the report covers every organisation: a cheap, indexed narrowing of a large table
    /// whose rows the subtree test would otherwise look at for every municipality.
    pub fn municipality_condition(&mut self, column: &str, ctx: &ReportContext) -> Option<String> {
        let municipalities = ctx.municipalities.as_ref()?;
        Some(if municipalities.is_empty() {
            "1 = 0".to_owned()
        } else {
            format!("{column} IN {}", self.text_list(municipalities))
        })
    }

    /// Appends ` AND ` [`Sql::municipality_condition`] when there is one.
    pub fn and_in_municipalities(&mut self, column: &str, ctx: &ReportContext) -> &mut Sql {
        if let Some(condition) = self.municipality_condition(column, ctx) {
            self.push(&format!(" AND {condition}"));
        }
        self
    }

    /// The activity filters every activity-based report shares (`alias` is the activities
    /// table's alias): scope, year range, phase, kind and focus area.
    pub fn and_activity_filters(&mut self, alias: &str, ctx: &ReportContext) -> &mut Sql {
        let f = &ctx.filters;
        self.and_in_scope(&format!("{alias}.organisation_id"), ctx);
        if let Some(y) = f.year {
            let p = self.int(y);
            self.push(&format!(" AND {alias}.year = {p}"));
        }
        if let Some(y) = f.from_year {
            let p = self.int(y);
            self.push(&format!(" AND {alias}.year >= {p}"));
        }
        if let Some(y) = f.to_year {
            let p = self.int(y);
            self.push(&format!(" AND {alias}.year <= {p}"));
        }
        if !f.phase.is_empty() {
            let phases: Vec<&str> = f.phase.iter().map(|p| p.as_str()).collect();
            let list = self.text_list(&phases);
            self.push(&format!(" AND {alias}.phase IN {list}"));
        }
        if !f.kind.is_empty() {
            let kinds: Vec<&str> = f.kind.iter().map(|k| k.as_str()).collect();
            let list = self.text_list(&kinds);
            self.push(&format!(" AND {alias}.kind IN {list}"));
        }
        if let Some(area) = &f.focus_area_id {
            let p = self.text(area);
            self.push(&format!(
                " AND {alias}.id IN (SELECT activity_id FROM activity_focus_areas WHERE focus_area_id = {p})"
            ));
        }
        self
    }

    /// Runs the query and loads its rows.
    pub fn load<R>(self, conn: &mut DbConnection) -> QueryResult<Vec<R>>
    where
        R: QueryableByName<MultiBackend> + 'static,
    {
        let text = if conn.is_postgres() {
            self.text
        } else {
            sqlite_placeholders(&self.text)
        };
        let mut query = diesel::sql_query(text).into_boxed::<MultiBackend>();
        for bind in self.binds {
            query = match bind {
                Bind::Text(v) => query.bind::<sql_types::Text, _>(v),
                Bind::Integer(v) => query.bind::<sql_types::Integer, _>(v),
                Bind::Date(v) => query.bind::<sql_types::Date, _>(v),
                Bind::Timestamp(v) => query.bind::<sql_types::Timestamp, _>(v),
            };
        }
        query.load(conn)
    }

    /// The SQL text (PostgreSQL placeholders), for tests and EXPLAIN.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// SQLite reads `$1` as a *named* parameter and numbers it by first appearance in the text, so a
/// placeholder used twice or out of order would take another bind's value. `?NNN` is SQLite's
/// explicitly numbered form: rewrite `$n` to `?n`. (Report SQL holds no `$` inside literals;
/// every client value is bound.)
fn sqlite_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_gets_numbered_placeholders() {
        assert_eq!(
            sqlite_placeholders("a <= $2 AND b > $1 AND c = $12 AND d = '$'"),
            "a <= ?2 AND b > ?1 AND c = ?12 AND d = '$'"
        );
    }
}
