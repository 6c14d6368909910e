//! Every entity set of the feed: the fourteen flat tables and the report tables, looked up by
//! name, with what the service document and `$metadata` say about each.

use super::csdl::SetInfo;
use super::model::{Property, TableSet};
use super::reports::{self, ReportSet};
use super::tables;

#[derive(Clone, Copy)]
pub enum EntitySet {
    Table(&'static TableSet),
    Report(&'static ReportSet),
}

impl EntitySet {
    pub fn name(self) -> &'static str {
        match self {
            EntitySet::Table(t) => t.name,
            EntitySet::Report(r) => r.table.key,
        }
    }

    pub fn properties(self) -> &'static [Property] {
        match self {
            EntitySet::Table(t) => t.properties,
            EntitySet::Report(r) => &r.properties,
        }
    }

    /// The key property.
    pub fn key(self) -> &'static str {
        match self {
            EntitySet::Table(_) => "id",
            EntitySet::Report(_) => reports::ROW_KEY,
        }
    }

    /// Custom query parameters the set accepts (a report's filters).
    pub fn parameters(self) -> &'static [&'static str] {
        match self {
            EntitySet::Table(_) => &[],
            EntitySet::Report(r) => &r.parameters,
        }
    }

    pub fn info(self) -> SetInfo<'static> {
        match self {
            EntitySet::Table(t) => SetInfo {
                name: t.name,
                type_name: t.type_name,
                title: t.description,
                key: "id",
                properties: t.properties,
            },
            EntitySet::Report(r) => SetInfo {
                name: r.table.key,
                type_name: &r.type_name,
                title: r.table.summary,
                key: reports::ROW_KEY,
                properties: &r.properties,
            },
        }
    }
}

/// Every entity set: tables first, then reports in registry order.
pub fn all() -> Vec<EntitySet> {
    tables::ALL
        .iter()
        .map(|t| EntitySet::Table(t))
        .chain(reports::all().iter().map(EntitySet::Report))
        .collect()
}

pub fn find(name: &str) -> Option<EntitySet> {
    all().into_iter().find(|s| s.name() == name)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    /// A report whose key equals a flat table's name (say `benefits`) would hide one of the
    /// two from every client, so names and type names must be unique across both kinds.
    #[test]
    fn entity_set_and_type_names_are_unique() {
        let sets = all();
        let names: HashSet<&str> = sets.iter().map(|s| s.name()).collect();
        assert_eq!(names.len(), sets.len(), "duplicate entity set names");
        let types: HashSet<String> = sets.iter().map(|s| s.info().type_name.to_owned()).collect();
        assert_eq!(types.len(), sets.len(), "duplicate entity type names");
    }
}
