//! The column model: one table per resource (English key, Swedish header, type, required, note)
//! that drives the templates, the export columns, the import mapping and the documentation.

/// What a column holds, and how a cell is read into it.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    /// Styra's own id of the record (UUID).
    Id,
    Text,
    /// A whole number (years, ranks, 1–5 scales).
    Int,
    /// Whole Swedish kronor.
    Money,
    /// A decimal number (indicator values).
    Float,
    Bool,
    Date,
    /// One of a closed set of values (the API's names).
    Enum(fn() -> Vec<&'static str>),
    /// A reference to another resource's record, by its key (external id, or id when it has
    /// none; role types by name).
    Ref(&'static str),
    /// Several references, separated by `;`.
    RefList(&'static str),
    /// Co-funding shares: `ORG=amount` pairs separated by `;` (organisation key, whole SEK).
    Funding,
}

impl Ty {
    /// How the type is described in the documentation and the template notes.
    pub fn describe(&self) -> String {
        match self {
            Ty::Id => "id (UUID)".into(),
            Ty::Text => "text".into(),
            Ty::Int => "whole number".into(),
            Ty::Money => "whole SEK".into(),
            Ty::Float => "decimal number".into(),
            Ty::Bool => "yes/no (ja/nej, true/false, 1/0)".into(),
            Ty::Date => "date (YYYY-MM-DD)".into(),
            Ty::Enum(values) => format!("one of: {}", values().join(", ")),
            Ty::Ref(to) => format!("key of a row in {to}"),
            Ty::RefList(to) => format!("keys of rows in {to}, separated by ;"),
            Ty::Funding => "ORGANISATION=SEK pairs separated by ;".into(),
        }
    }
}

/// One column of a resource's sheet.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The English key: the JSON key, and accepted as a header.
    pub key: &'static str,
    /// The Swedish header written in templates and exports.
    pub header: &'static str,
    pub ty: Ty,
    /// The database field the column fills directly; `None` when the resource's mapping uses it
    /// (composite references, list cells, informational columns).
    pub field: Option<&'static str>,
    pub required: bool,
    pub note: &'static str,
}

/// Builds a column (keeps the tables in `columns.rs` one line per column).
pub const fn col(
    key: &'static str,
    header: &'static str,
    ty: Ty,
    field: Option<&'static str>,
    required: bool,
    note: &'static str,
) -> Column {
    Column {
        key,
        header,
        ty,
        field,
        required,
        note,
    }
}

/// How rows of a resource are matched to existing records when `external_id` and `id` are empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NaturalKey {
    /// No natural key: a row without external_id and id is always new.
    None,
    /// These database fields together identify the record.
    Fields(&'static [&'static str]),
}

/// One resource that can be imported and exported.
#[derive(Debug)]
pub struct Resource {
    /// The resource's API name, the JSON key and an accepted sheet name.
    pub key: &'static str,
    /// The sheet name in templates and exports.
    pub sheet: &'static str,
    pub table: &'static str,
    pub columns: &'static [Column],
    /// Writing needs the admin role (as in the REST API).
    pub admin_only: bool,
    pub natural_key: NaturalKey,
    /// The database columns with their types, for writing (`id` first).
    pub db: &'static [(&'static str, Sql)],
    /// One example row for the template, by column key.
    pub example: &'static [(&'static str, &'static str)],
    /// What the sheet holds, for the documentation.
    pub about: &'static str,
}

/// A database column's SQL type, for binding values when writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sql {
    Text,
    Int,
    BigInt,
    Double,
    Bool,
    Date,
    Timestamp,
}

impl Resource {
    pub fn column(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The column that fills database field `field`.
    pub fn column_of_field(&self, field: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.field == Some(field))
    }

    pub fn has_external_id(&self) -> bool {
        self.column("external_id").is_some()
    }

    pub fn has_db(&self, field: &str) -> bool {
        self.db.iter().any(|(f, _)| *f == field)
    }
}

/// Every resource, in import order (a row only refers to resources before it, or to its own).
pub fn resources() -> &'static [Resource] {
    crate::transfer::columns::RESOURCES
}

/// Finds a resource by API name or sheet name (case and spacing ignored).
pub fn resource_by_name(name: &str) -> Option<&'static Resource> {
    let wanted = simplify(name);
    resources()
        .iter()
        .find(|r| simplify(r.key) == wanted || simplify(r.sheet) == wanted)
}

/// Lower case, with spaces, `-` and `_` removed: `Budget lines`, `budget-lines` and
/// `budget_lines` name the same sheet.
pub fn simplify(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_key_and_header_is_unique_per_resource() {
        for r in resources() {
            let mut keys = std::collections::HashSet::new();
            let mut headers = std::collections::HashSet::new();
            for c in r.columns {
                assert!(keys.insert(c.key), "{}: key {} twice", r.key, c.key);
                assert!(
                    headers.insert(c.header),
                    "{}: header {} twice",
                    r.key,
                    c.header
                );
                // (decision-subjects is a link table written by its own code.)
                if let (Some(f), false) = (c.field, r.db.is_empty()) {
                    assert!(r.has_db(f), "{}: {} is not a database field", r.key, f);
                }
            }
            // (decision-subjects is a link table without an id.)
            if !r.db.is_empty() {
                assert_eq!(r.db.first().map(|d| d.0), Some("id"), "{}", r.key);
            }
        }
    }

    #[test]
    fn references_point_backwards() {
        let order: Vec<&str> = resources().iter().map(|r| r.key).collect();
        for (i, r) in resources().iter().enumerate() {
            for c in r.columns {
                if let Ty::Ref(to) | Ty::RefList(to) = c.ty {
                    let at = order.iter().position(|k| *k == to);
                    assert!(at.is_some_and(|a| a <= i), "{}.{} -> {to}", r.key, c.key);
                }
            }
        }
    }

    #[test]
    fn sheets_are_found_by_either_name() {
        assert_eq!(
            resource_by_name("Budget lines").map(|r| r.key),
            Some("budget-lines")
        );
        assert_eq!(
            resource_by_name("aktiviteter").map(|r| r.key),
            Some("activities")
        );
    }
}
