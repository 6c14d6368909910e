//! The query options of an entity-set request: `$select`, `$filter`, `$orderby`, `$top`,
//! `$skip`, `$count`, `$skiptoken` (ours, from `@odata.nextLink`), `$format`, and `api_key`
//! (Power BI's key parameter, read by the `Reader` extractor and only carried along here).
//! Anything else is a 400 naming it, as OData asks, rather than a silently unfiltered feed.

use base64::Engine;
use serde_json::Value;

use super::filter::{self, Expr, Literal};
use super::model::{EdmType, Property};
use crate::error::ApiError;

/// The query parameter Power BI's "Web API" credential appends to every request.
pub const API_KEY_PARAM: &str = "api_key";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Asc,
    Desc,
}

/// The validated options of one request.
#[derive(Debug, Clone)]
pub struct QueryOptions {
    /// The properties to return, in the entity set's order.
    pub select: Vec<Property>,
    /// Whether `$select` narrowed the properties (the context URL then names them).
    pub selected: bool,
    pub filter: Option<Expr>,
    /// `$orderby` terms; the key (`id`) is always the last tiebreaker, so the order is total.
    pub order: Vec<(Property, Direction)>,
    pub top: Option<i64>,
    pub skip: i64,
    pub count: bool,
    /// The order-key values of the last row of the previous page.
    pub after: Option<Vec<Literal>>,
    /// What a report set paged in its own SQL (keyset) needs to resume after that row: the
    /// token's one element past the order keys, as the set wrote it; checked by the set.
    pub resume: Option<Value>,
    /// Custom parameters the entity set accepts (a report's filters, e.g. `year`).
    pub custom: Vec<(String, String)>,
    /// The request's parameters other than `$top`, `$skip` and `$skiptoken`, for the next link.
    pub carried: Vec<(String, String)>,
}

fn bad(option: &str, message: impl std::fmt::Display) -> ApiError {
    ApiError::BadRequest(format!("{option}: {message}"))
}

/// Parses a raw query string against an entity set's properties. `key` is the property that
/// orders last and identifies a row; `custom` names the set's own parameters (report filters).
pub fn parse(
    query: &str,
    properties: &[Property],
    key: &str,
    custom_names: &[&str],
) -> Result<QueryOptions, ApiError> {
    let mut seen: Vec<String> = Vec::new();
    let mut raw_select = None;
    let mut raw_filter = None;
    let mut raw_orderby = None;
    let mut raw_top = None;
    let mut raw_skip = None;
    let mut raw_count = None;
    let mut raw_token = None;
    let mut carried = Vec::new();
    let mut custom = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let (name, value) = (name.into_owned(), value.into_owned());
        if name == API_KEY_PARAM {
            // Power BI may send the key twice (its own and the one in our next link).
            if !carried.iter().any(|(n, _)| n == API_KEY_PARAM) {
                carried.push((name, value));
            }
            continue;
        }
        if seen.contains(&name) {
            return Err(bad(&name, "given more than once"));
        }
        seen.push(name.clone());
        let slot = match name.as_str() {
            "$select" => &mut raw_select,
            "$filter" => &mut raw_filter,
            "$orderby" => &mut raw_orderby,
            "$top" => &mut raw_top,
            "$skip" => &mut raw_skip,
            "$count" => &mut raw_count,
            "$skiptoken" => &mut raw_token,
            "$format" => {
                let media = value.split(';').next().unwrap_or_default().trim();
                if !matches!(media, "json" | "application/json") {
                    return Err(bad("$format", "only json is supported"));
                }
                carried.push((name, value));
                continue;
            }
            other if custom_names.contains(&other) => {
                custom.push((name.clone(), value.clone()));
                carried.push((name, value));
                continue;
            }
            "$expand" | "$search" | "$apply" | "$compute" | "$levels" | "$index"
            | "$deltatoken" | "$schemaversion" | "$id" => {
                return Err(bad(&name, "this query option is not supported by the feed"))
            }
            _ => {
                return Err(bad(
                    &name,
                    "unknown query option (supported: $select, $filter, $orderby, $top, $skip, $count, $format, api_key, and a report's own filters)",
                ))
            }
        };
        if !matches!(name.as_str(), "$top" | "$skip" | "$skiptoken") {
            carried.push((name, value.clone()));
        }
        *slot = Some(value);
    }

    let key_property = properties
        .iter()
        .find(|p| p.name == key)
        .copied()
        .ok_or_else(|| ApiError::internal(format!("entity set without key {key}")))?;
    let (select, selected) = match raw_select.as_deref().map(str::trim) {
        None | Some("") | Some("*") => (properties.to_vec(), false),
        Some(list) => (parse_select(list, properties)?, true),
    };
    let filter = match raw_filter.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(filter::parse(text, properties).map_err(|m| bad("$filter", m))?),
    };
    let mut order = match raw_orderby.as_deref().map(str::trim) {
        None | Some("") => Vec::new(),
        Some(list) => parse_orderby(list, properties)?,
    };
    if !order.iter().any(|(p, _)| p.name == key) {
        order.push((key_property, Direction::Asc));
    } else if let Some(i) = order.iter().position(|(p, _)| p.name == key) {
        // Terms after the key cannot change the order.
        order.truncate(i + 1);
    }
    let top = raw_top.map(|t| non_negative("$top", &t)).transpose()?;
    let skip = raw_skip
        .map(|s| non_negative("$skip", &s))
        .transpose()?
        .unwrap_or(0);
    let count = match raw_count.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("$count", "must be true or false")),
    };
    let (after, resume) = match raw_token {
        Some(t) => {
            let (after, resume) = decode_token(&t, &order)?;
            (Some(after), resume)
        }
        None => (None, None),
    };
    Ok(QueryOptions {
        select,
        selected,
        filter,
        order,
        top,
        skip,
        count,
        after,
        resume,
        custom,
        carried,
    })
}

fn non_negative(option: &str, value: &str) -> Result<i64, ApiError> {
    value
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n >= 0)
        .ok_or_else(|| {
            bad(
                option,
                format!("'{value}' is not a whole number of 0 or more"),
            )
        })
}

fn find(properties: &[Property], option: &str, name: &str) -> Result<Property, ApiError> {
    properties
        .iter()
        .find(|p| p.name == name)
        .copied()
        .ok_or_else(|| bad(option, format!("unknown property '{name}'")))
}

fn parse_select(list: &str, properties: &[Property]) -> Result<Vec<Property>, ApiError> {
    let mut wanted = Vec::new();
    for name in list.split(',').map(str::trim) {
        if name == "*" {
            return Ok(properties.to_vec());
        }
        wanted.push(find(properties, "$select", name)?.name);
    }
    Ok(properties
        .iter()
        .filter(|p| wanted.contains(&p.name))
        .copied()
        .collect())
}

fn parse_orderby(
    list: &str,
    properties: &[Property],
) -> Result<Vec<(Property, Direction)>, ApiError> {
    let mut order: Vec<(Property, Direction)> = Vec::new();
    for term in list.split(',') {
        let mut words = term.split_whitespace();
        let name = words
            .next()
            .ok_or_else(|| bad("$orderby", "an empty term"))?;
        let property = find(properties, "$orderby", name)?;
        let direction = match words.next() {
            None | Some("asc") => Direction::Asc,
            Some("desc") => Direction::Desc,
            Some(other) => {
                return Err(bad(
                    "$orderby",
                    format!("'{other}' after '{name}' is not asc or desc"),
                ))
            }
        };
        if let Some(extra) = words.next() {
            return Err(bad("$orderby", format!("unexpected '{extra}'")));
        }
        if order.iter().any(|(p, _)| p.name == property.name) {
            return Err(bad("$orderby", format!("'{name}' is listed twice")));
        }
        order.push((property, direction));
    }
    Ok(order)
}

/// The continuation token: the order-key values of a page's last row (and, for a report set
/// paged in SQL, one more element: where its query resumes), as base64url JSON.
pub fn encode_token(values: &[Value]) -> String {
    let json = Value::Array(values.to_vec()).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// A `$skiptoken` this feed did not write for these query options.
pub fn invalid_token() -> ApiError {
    bad(
        "$skiptoken",
        "not a token from this feed's @odata.nextLink (with the same query options)",
    )
}

fn decode_token(
    token: &str,
    order: &[(Property, Direction)],
) -> Result<(Vec<Literal>, Option<Value>), ApiError> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim())
        .map_err(|_| invalid_token())?;
    let Ok(Value::Array(mut values)) = serde_json::from_slice::<Value>(&bytes) else {
        return Err(invalid_token());
    };
    let resume = match values.len().checked_sub(order.len()) {
        Some(0) => None,
        // Always an object, so a token written for another `$orderby` is still refused.
        Some(1) if values.last().is_some_and(Value::is_object) => values.pop(),
        _ => return Err(invalid_token()),
    };
    let after = order
        .iter()
        .zip(values)
        .map(|((p, _), v)| token_literal(p, v).ok_or_else(invalid_token))
        .collect::<Result<_, _>>()?;
    Ok((after, resume))
}

/// A token value back to a typed literal (strings of a sorted-by property are sort keys).
fn token_literal(property: &Property, value: Value) -> Option<Literal> {
    if value.is_null() {
        return Some(Literal::Null);
    }
    if property.sort_column.is_some() {
        return value.as_str().map(|s| Literal::String(s.to_owned()));
    }
    Some(match property.edm {
        EdmType::String => Literal::String(value.as_str()?.to_owned()),
        EdmType::Int32 | EdmType::Int64 => Literal::Int(value.as_i64()?),
        EdmType::Double | EdmType::Decimal => Literal::Decimal(value.as_f64()?),
        EdmType::Boolean => Literal::Bool(value.as_bool()?),
        EdmType::Date => {
            Literal::Date(chrono::NaiveDate::parse_from_str(value.as_str()?, "%Y-%m-%d").ok()?)
        }
        EdmType::DateTimeOffset => Literal::DateTime(filter::parse_date_time(value.as_str()?)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::odata::model::prop;

    const PROPS: &[Property] = &[
        prop("id", EdmType::String, false),
        prop("year", EdmType::Int32, false),
        prop("start_date", EdmType::Date, true),
        prop("modified_at", EdmType::DateTimeOffset, false),
    ];

    fn parse_ok(q: &str) -> QueryOptions {
        parse(q, PROPS, "id", &["year_param"]).unwrap()
    }

    fn parse_err(q: &str) -> String {
        parse(q, PROPS, "id", &[]).unwrap_err().to_string()
    }

    #[test]
    fn no_options_select_everything_ordered_by_key() {
        let o = parse_ok("");
        assert_eq!(o.select.len(), 4);
        assert!(!o.selected && !o.count && o.top.is_none() && o.skip == 0);
        assert_eq!(o.order.len(), 1);
        assert_eq!(o.order[0].0.name, "id");
    }

    #[test]
    fn api_key_is_carried_once_and_not_an_unknown_option() {
        let o = parse_ok("api_key=abc&$top=5&api_key=abc&$filter=year%20eq%202026");
        assert_eq!(
            o.carried,
            vec![
                ("api_key".to_owned(), "abc".to_owned()),
                ("$filter".to_owned(), "year eq 2026".to_owned())
            ]
        );
        assert_eq!(o.top, Some(5));
    }

    #[test]
    fn custom_parameters_are_kept_and_carried() {
        let o = parse_ok("year_param=2026&$top=1");
        assert_eq!(o.custom, vec![("year_param".to_owned(), "2026".to_owned())]);
        assert_eq!(o.carried, o.custom);
        assert!(parse_err("year_param=2026").contains("unknown query option"));
    }

    #[test]
    fn select_and_orderby() {
        let o = parse_ok("$select=modified_at,id&$orderby=year desc,start_date");
        assert_eq!(
            o.select.iter().map(|p| p.name).collect::<Vec<_>>(),
            ["id", "modified_at"]
        );
        assert!(o.selected);
        let order: Vec<_> = o.order.iter().map(|(p, d)| (p.name, *d)).collect();
        assert_eq!(
            order,
            [
                ("year", Direction::Desc),
                ("start_date", Direction::Asc),
                ("id", Direction::Asc)
            ]
        );
    }

    #[test]
    fn tokens_round_trip_with_types() {
        let o = parse_ok("$orderby=start_date desc");
        let token = encode_token(&[Value::Null, Value::from("k-1")]);
        let o2 = parse_ok(&format!("$orderby=start_date desc&$skiptoken={token}"));
        assert_eq!(o.order.len(), 2);
        assert_eq!(
            o2.after,
            Some(vec![Literal::Null, Literal::String("k-1".into())])
        );
        assert!(parse_err(&format!("$skiptoken={token}")).contains("$skiptoken"));
        assert!(parse_err("$skiptoken=%%%").contains("$skiptoken"));
        assert_eq!(o2.resume, None);
    }

    #[test]
    fn a_token_may_carry_where_a_report_resumes() {
        let resume = serde_json::json!({"activity_id": "a-1", "done": 2});
        let token = encode_token(&[Value::from("k-1"), resume.clone()]);
        let o = parse_ok(&format!("$skiptoken={token}"));
        assert_eq!(o.after, Some(vec![Literal::String("k-1".into())]));
        assert_eq!(o.resume, Some(resume));
        let too_long = encode_token(&[Value::from("k-1"), Value::from(1), Value::from(2)]);
        assert!(parse_err(&format!("$skiptoken={too_long}")).contains("$skiptoken"));
    }

    #[test]
    fn bad_options_are_named() {
        assert!(parse_err("$selct=id").contains("$selct: unknown query option"));
        assert!(parse_err("foo=1").contains("foo: unknown"));
        assert!(parse_err("$expand=x").contains("$expand: this query option is not supported"));
        assert!(parse_err("$top=-1").contains("$top"));
        assert!(parse_err("$skip=x").contains("$skip"));
        assert!(parse_err("$count=yes").contains("$count"));
        assert!(parse_err("$select=colour").contains("$select: unknown property 'colour'"));
        assert!(parse_err("$orderby=year up").contains("$orderby"));
        assert!(parse_err("$orderby=year,year").contains("twice"));
        assert!(parse_err("$filter=colour eq 1").contains("$filter: unknown property 'colour'"));
        assert!(parse_err("$top=1&$top=2").contains("more than once"));
        assert!(parse_err("$format=xml").contains("$format"));
    }
}
