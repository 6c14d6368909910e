//! JSON import bodies: `{"<resource>": [{"<column>": value, …}, …], …}`, read in one
//! streaming pass straight into [`Sheet`]s (no `serde_json::Value` tree in between, and key
//! order kept as written whatever serde_json's features).

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::sheet::CellBudget;
use super::{Cell, ParseError, ParseIssue, Sheet, SheetRow, MAX_CELLS};

/// Reads a JSON body: one sheet per top-level key, in the order written; keys starting with
/// `_` (such as `"_meta"`) are skipped. Each resource is an array of objects; its headers are
/// the union of the objects' keys in first-seen order and each row has a cell per header.
/// Strings become [`Cell::Text`] (blank ones `Empty`), numbers [`Cell::Number`], booleans
/// [`Cell::Bool`], `null` `Empty`. Row numbers count objects from 1; objects with no non-empty
/// value are skipped. Arrays or objects as values, non-object rows, repeated keys and
/// resources that are not arrays are all reported together; a syntax error alone, with its
/// line and column.
pub fn read_json(bytes: &[u8]) -> Result<Vec<Sheet>, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut state = State {
        sheets: Vec::new(),
        issues: Vec::new(),
        budget: CellBudget::new(MAX_CELLS),
        too_large: None,
    };
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed = Body(&mut state)
        .deserialize(&mut deserializer)
        .and_then(|()| deserializer.end());
    if let Some(error) = state.too_large {
        return Err(error);
    }
    if let Err(e) = parsed {
        return Err(ParseError::invalid(format!("the body is not valid: {e}")));
    }
    if state.issues.is_empty() {
        Ok(state.sheets)
    } else {
        Err(ParseError::from_issues(state.issues))
    }
}

struct State {
    sheets: Vec<Sheet>,
    issues: Vec<ParseIssue>,
    budget: CellBudget,
    /// Set when the cell limit stops the parse, so it is not reported as bad JSON.
    too_large: Option<ParseError>,
}

/// The top-level object.
struct Body<'s>(&'s mut State);

impl<'de> DeserializeSeed<'de> for Body<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Body<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"an object keyed by resource, such as {"activities": [{…}, …]}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if name.starts_with('_') {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            if !seen.insert(name.clone()) {
                map.next_value::<IgnoredAny>()?;
                let message = "this resource appears twice in the body";
                self.0.issues.push(ParseIssue::sheet(&name, message));
                continue;
            }
            let table = map.next_value_seed(Resource::new(&name))?;
            let Some(sheet) = table else {
                let message = "must be an array of objects, one per row";
                self.0.issues.push(ParseIssue::sheet(&name, message));
                continue;
            };
            let (sheet, issues) = sheet.finish();
            let cells = sheet.rows.len().saturating_mul(sheet.headers.len());
            if let Err(error) = self.0.budget.take(cells) {
                self.0.too_large = Some(error);
                return Err(de::Error::custom("too many cells"));
            }
            self.0.issues.extend(issues);
            self.0.sheets.push(sheet);
        }
        Ok(())
    }
}

/// One resource's rows as they are read; `None` (via the visitor) when it is not an array.
struct Resource {
    sheet: Sheet,
    columns: HashMap<String, usize>,
    issues: Vec<ParseIssue>,
}

impl Resource {
    fn new(name: &str) -> Self {
        Self {
            sheet: Sheet {
                name: name.to_owned(),
                headers: Vec::new(),
                rows: Vec::new(),
            },
            columns: HashMap::new(),
            issues: Vec::new(),
        }
    }

    fn column(&mut self, key: &str) -> usize {
        if let Some(&index) = self.columns.get(key) {
            return index;
        }
        let index = self.sheet.headers.len();
        self.sheet.headers.push(key.to_owned());
        self.columns.insert(key.to_owned(), index);
        index
    }

    fn finish(mut self) -> (Sheet, Vec<ParseIssue>) {
        let width = self.sheet.headers.len();
        for row in &mut self.sheet.rows {
            row.cells.resize(width, Cell::Empty);
        }
        (self.sheet, self.issues)
    }
}

impl<'de> DeserializeSeed<'de> for Resource {
    type Value = Option<Resource>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Resource {
    type Value = Option<Resource>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut number = 0;
        loop {
            number += 1;
            let Some(row) = seq.next_element_seed(Row)? else {
                break;
            };
            self.add_row(number, row);
        }
        Ok(Some(self))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl Resource {
    fn add_row(&mut self, number: usize, row: RowRead) {
        let name = self.sheet.name.clone();
        let entries = match row {
            RowRead::Entries(entries) => entries,
            RowRead::NotAnObject(found) => {
                let message = format!("each row must be an object, found {found}");
                self.issues.push(ParseIssue {
                    row: Some(number),
                    ..ParseIssue::sheet(&name, message)
                });
                return;
            }
        };
        let mut cells: Vec<Cell> = Vec::new();
        let mut seen: Vec<bool> = Vec::new();
        for (key, value) in entries {
            let problem = match &value {
                _ if key.trim().is_empty() => Some("a key must not be empty".to_owned()),
                Value::Nested(kind) => Some(format!(
                    "a value must be text, a number, true/false or null, not {kind}"
                )),
                Value::Scalar(_) => None,
            };
            if let Some(message) = problem {
                let shown = match &value {
                    Value::Scalar(cell) => cell.display(),
                    Value::Nested(kind) => format!("({kind})"),
                };
                self.issues
                    .push(ParseIssue::cell(&name, number, key, shown, message));
                continue;
            }
            let index = self.column(&key);
            if cells.len() <= index {
                cells.resize(index + 1, Cell::Empty);
                seen.resize(index + 1, false);
            }
            if std::mem::replace(&mut seen[index], true) {
                let message = "this key appears twice in the object";
                self.issues
                    .push(ParseIssue::cell(&name, number, key, "", message));
                continue;
            }
            if let Value::Scalar(cell) = value {
                cells[index] = cell;
            }
        }
        if cells.iter().any(|cell| !cell.is_empty()) {
            self.sheet.rows.push(SheetRow { number, cells });
        }
    }
}

/// One element of a resource's array.
enum RowRead {
    Entries(Vec<(String, Value)>),
    NotAnObject(&'static str),
}

struct Row;

impl<'de> DeserializeSeed<'de> for Row {
    type Value = RowRead;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RowRead, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Row {
    type Value = RowRead;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RowRead, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(entry) = map.next_entry::<String, Value>()? {
            entries.push(entry);
        }
        Ok(RowRead::Entries(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RowRead, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RowRead::NotAnObject("an array"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<RowRead, E> {
        Ok(RowRead::NotAnObject("true/false"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<RowRead, E> {
        Ok(RowRead::NotAnObject("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<RowRead, E> {
        Ok(RowRead::NotAnObject("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<RowRead, E> {
        Ok(RowRead::NotAnObject("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<RowRead, E> {
        Ok(RowRead::NotAnObject("text"))
    }
    fn visit_unit<E>(self) -> Result<RowRead, E> {
        Ok(RowRead::NotAnObject("null"))
    }
}

/// One value in a row object.
enum Value {
    Scalar(Cell),
    /// An array or object, which no column holds.
    Nested(&'static str),
}

impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text, a number, true/false or null")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::Bool(value)))
    }
    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::Number(value as f64)))
    }
    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::Number(value as f64)))
    }
    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::Number(value)))
    }
    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::text(value)))
    }
    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::Scalar(if value.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(value)
        }))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::Empty))
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Scalar(Cell::Empty))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Value::Nested("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Value::Nested("an object"))
    }
}

#[cfg(test)]
mod tests;
