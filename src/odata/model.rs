//! The entity data model the feed publishes: EDM types, properties and entity sets. One
//! definition per table drives `$metadata`, the query-option checks and the SQL.

/// The EDM primitive types Styra's columns map to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdmType {
    String,
    Int32,
    Int64,
    Boolean,
    Date,
    DateTimeOffset,
    Double,
    Decimal,
}

impl EdmType {
    pub fn name(self) -> &'static str {
        match self {
            EdmType::String => "Edm.String",
            EdmType::Int32 => "Edm.Int32",
            EdmType::Int64 => "Edm.Int64",
            EdmType::Boolean => "Edm.Boolean",
            EdmType::Date => "Edm.Date",
            EdmType::DateTimeOffset => "Edm.DateTimeOffset",
            EdmType::Double => "Edm.Double",
            EdmType::Decimal => "Edm.Decimal",
        }
    }

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            EdmType::Int32 | EdmType::Int64 | EdmType::Double | EdmType::Decimal
        )
    }
}

/// One scalar property (a column of the same name).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Property {
    pub name: &'static str,
    pub edm: EdmType,
    pub nullable: bool,
    /// A column to order by instead of the property itself: names order by their Swedish sort
    /// key (`name_sort`), which is never published.
    pub sort_column: Option<&'static str>,
}

/// Which column limits a table's rows to the caller's organisation subtrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeColumn {
    /// The row is an organisation: its own id.
    Id,
    /// The row belongs to an organisation.
    OrganisationId,
}

impl ScopeColumn {
    pub fn column(self) -> &'static str {
        match self {
            ScopeColumn::Id => "id",
            ScopeColumn::OrganisationId => "organisation_id",
        }
    }
}

/// An entity set backed by one table, keyed by `id`.
#[derive(Debug)]
pub struct TableSet {
    /// The entity set name, the table name and the URL segment.
    pub name: &'static str,
    /// The entity type's name in the `Styra` namespace.
    pub type_name: &'static str,
    pub description: &'static str,
    pub scope: ScopeColumn,
    pub properties: &'static [Property],
}

impl TableSet {
    pub fn property(&self, name: &str) -> Option<&'static Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// The namespace of every type in `$metadata`.
pub const NAMESPACE: &str = "Styra";
/// The entity container's name.
pub const CONTAINER: &str = "Container";

/// Shorthands for the property tables in `tables.rs`.
pub const fn prop(name: &'static str, edm: EdmType, nullable: bool) -> Property {
    Property {
        name,
        edm,
        nullable,
        sort_column: None,
    }
}

pub const fn sorted_by(name: &'static str, sort_column: &'static str) -> Property {
    Property {
        name,
        edm: EdmType::String,
        nullable: false,
        sort_column: Some(sort_column),
    }
}
