//! Reading one cell into a column's type. The parser (`crate::import`) does the number, date and
//! yes/no forms; this adds what the column model knows: closed value sets, keys, lists of keys
//! and co-funding shares.

use chrono::NaiveDate;

use crate::transfer::model::{Column, Ty};
use crate::transfer::sheet::Cell;

/// A cell read into its column's type.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDate),
    /// Keys of several records.
    Keys(Vec<String>),
    /// Co-funding: (organisation key, whole SEK).
    Shares(Vec<(String, i64)>),
}

impl Val {
    pub fn text(&self) -> Option<&str> {
        match self {
            Val::Text(t) => Some(t),
            _ => None,
        }
    }

    /// The value as the database record holds it (JSON, as the domain types serialize).
    pub fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Val::Null | Val::Keys(_) | Val::Shares(_) => Value::Null,
            Val::Text(t) => Value::from(t.as_str()),
            Val::Int(i) => Value::from(*i),
            Val::Float(f) => Value::from(*f),
            Val::Bool(b) => Value::from(*b),
            Val::Date(d) => Value::from(d.format("%Y-%m-%d").to_string()),
        }
    }
}

fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Val) -> Val {
    v.map(f).unwrap_or(Val::Null)
}

/// Reads `cell` as a value of column `c`, or says why it cannot.
pub fn read(c: &Column, cell: &Cell) -> Result<Val, String> {
    match c.ty {
        Ty::Id => match cell.as_text() {
            None => Ok(Val::Null),
            // Stored canonical (lower-case, hyphenated) whatever spelling the sheet used: the
            // record's identity, its uniqueness and the reports' id order all depend on it.
            Some(t) => uuid::Uuid::parse_str(t.trim())
                .map(|u| Val::Text(u.hyphenated().to_string()))
                .map_err(|_| "must be a Styra id (UUID), or empty for a new record".to_owned()),
        },
        Ty::Text | Ty::Ref(_) => Ok(or_null(cell.as_text(), Val::Text)),
        Ty::Int | Ty::Money => {
            let v = cell.as_i64()?;
            if c.ty_is_money() && v.is_some_and(|v| v < 0) {
                return Err("must not be negative (whole SEK)".to_owned());
            }
            Ok(or_null(v, Val::Int))
        }
        Ty::Float => Ok(or_null(cell.as_decimal()?, Val::Float)),
        Ty::Bool => Ok(or_null(cell.as_bool()?, Val::Bool)),
        Ty::Date => Ok(or_null(cell.as_date()?, Val::Date)),
        Ty::Enum(values) => match cell.as_text() {
            None => Ok(Val::Null),
            Some(t) => {
                let names = values();
                names
                    .iter()
                    .find(|n| n.eq_ignore_ascii_case(t.trim()))
                    .map(|n| Val::Text((*n).to_owned()))
                    .ok_or_else(|| format!("must be one of: {}", names.join(", ")))
            }
        },
        Ty::RefList(_) => Ok(match cell.as_text() {
            None => Val::Keys(Vec::new()),
            Some(t) => Val::Keys(split(&t).map(str::to_owned).collect()),
        }),
        Ty::Funding => match cell.as_text() {
            None => Ok(Val::Shares(Vec::new())),
            Some(t) => split(&t)
                .map(share)
                .collect::<Result<_, _>>()
                .map(Val::Shares),
        },
    }
}

fn split(t: &str) -> impl Iterator<Item = &str> {
    t.split([';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// One `KEY=AMOUNT` share; the amount may have spaces between thousands.
fn share(part: &str) -> Result<(String, i64), String> {
    let bad = || format!("{part:?} is not ORGANISATION=SEK (e.g. SN=1200000)");
    let (key, amount) = part.rsplit_once(['=', ':']).ok_or_else(bad)?;
    let digits: String = amount.chars().filter(|c| !c.is_whitespace()).collect();
    let amount: i64 = digits.parse().map_err(|_| bad())?;
    if amount < 0 {
        return Err(format!("{part:?}: the amount must not be negative"));
    }
    let key = key.trim();
    if key.is_empty() {
        return Err(bad());
    }
    Ok((key.to_owned(), amount))
}

impl Column {
    fn ty_is_money(&self) -> bool {
        matches!(self.ty, Ty::Money)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::model::resource_by_name;

    fn column(resource: &str, key: &str) -> &'static Column {
        resource_by_name(resource)
            .and_then(|r| r.column(key))
            .unwrap_or_else(|| panic!("{resource}.{key}"))
    }

    #[test]
    fn enums_match_without_case_and_name_the_choices() {
        let kind = column("activities", "kind");
        assert_eq!(
            read(kind, &Cell::Text("Project".into())),
            Ok(Val::Text("project".into()))
        );
        let err = read(kind, &Cell::Text("projekt".into())).unwrap_err();
        assert!(err.contains("maintenance"), "{err}");
    }

    #[test]
    fn funding_cells_split_into_shares() {
        let c = column("activities", "co_funding");
        assert_eq!(
            read(c, &Cell::Text("SN=1 200 000; KS:600000".into())),
            Ok(Val::Shares(vec![
                ("SN".into(), 1_200_000),
                ("KS".into(), 600_000)
            ]))
        );
        assert!(read(c, &Cell::Text("SN 12".into())).is_err());
    }

    #[test]
    fn ids_must_be_uuids() {
        let c = column("activities", "id");
        assert!(read(c, &Cell::Text("abc".into())).is_err());
        assert_eq!(read(c, &Cell::Empty), Ok(Val::Null));
        let canonical = Ok(Val::Text("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".into()));
        for spelling in [
            "{0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B}",
            "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b",
            "urn:uuid:0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B",
        ] {
            assert_eq!(read(c, &Cell::Text(spelling.into())), canonical);
        }
    }
}
