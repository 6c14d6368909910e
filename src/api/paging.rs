//! List parameters shared by every collection (`q`, `sort`, `limit`, `offset`) and the page
//! envelope `{items, total, next}`.

use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiError;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 1000;

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text to look for in names (case-insensitive).
    #[param(example = "skol")]
    pub q: Option<String>,
    /// Sort order: a field name, `-` in front for descending. Names sort in Swedish order
    /// (å, ä, ö after z).
    #[param(example = "name")]
    pub sort: Option<String>,
    /// Page size, 1–1000 (default 50).
    #[param(minimum = 1, maximum = 1000, example = 50)]
    pub limit: Option<i64>,
    /// Rows to skip.
    #[param(minimum = 0, example = 0)]
    pub offset: Option<i64>,
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub q: Option<String>,
    pub sort: String,
    pub descending: bool,
    pub limit: i64,
    pub offset: i64,
}

impl PageRequest {
    /// The list's total when the page itself tells it: a page that is not full and not empty is
    /// the last one. Saves the `COUNT(*)` for most filtered lists, which are shorter than a page.
    pub fn total_from_page(&self, rows_on_page: usize) -> Option<i64> {
        let n = i64::try_from(rows_on_page).ok()?;
        let last_page = n < self.limit && (n > 0 || self.offset == 0);
        last_page.then_some(self.offset + n)
    }
}

impl ListParams {
    /// Checks limit, offset and sort against the sort fields this resource offers.
    pub fn page(&self, sort_fields: &[&str], default_sort: &str) -> Result<PageRequest, ApiError> {
        let mut errors = Vec::new();
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            errors.push(crate::error::FieldError::new(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ));
        }
        let offset = self.offset.unwrap_or(0);
        if offset < 0 {
            errors.push(crate::error::FieldError::new("offset", "must be 0 or more"));
        }
        let raw = self.sort.clone().unwrap_or_else(|| default_sort.to_owned());
        let (descending, field) = match raw.strip_prefix('-') {
            Some(f) => (true, f.to_owned()),
            None => (false, raw.clone()),
        };
        if !sort_fields.contains(&field.as_str()) {
            errors.push(crate::error::FieldError::new(
                "sort",
                format!(
                    "must be one of {} (prefix - for descending)",
                    sort_fields.join(", ")
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let q = self
            .q
            .as_ref()
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty());
        Ok(PageRequest {
            q,
            sort: field,
            descending,
            limit,
            offset,
        })
    }
}

/// One page of a collection.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Rows matching the filters, over all pages.
    #[schema(example = 123)]
    pub total: i64,
    /// The URL of the next page, or null on the last page.
    #[schema(example = "http://127.0.0.1:8080/api/v1/objects?limit=50&offset=50")]
    pub next: Option<String>,
}

impl<T: ToSchema> Page<T> {
    pub fn new(req: &HttpRequest, page: &PageRequest, items: Vec<T>, total: i64) -> Self {
        let next = if page.offset + (items.len() as i64) < total && !items.is_empty() {
            Some(next_url(req, page.offset + items.len() as i64))
        } else {
            None
        };
        Page { items, total, next }
    }
}

/// The public base URL for links, from `STYRA_PUBLIC_URL` when set (registered as app data).
#[derive(Clone, Debug)]
pub struct PublicUrl(pub Option<String>);

/// Where clients reach this service: the configured public URL, else the scheme of this
/// connection and the request's `Host` header. Forwarded headers are ignored on purpose: a
/// client could otherwise make the service hand out links to a host of its choosing.
pub fn base_url(req: &HttpRequest) -> String {
    if let Some(PublicUrl(Some(url))) = req.app_data::<PublicUrl>() {
        return url.trim_end_matches('/').to_owned();
    }
    let config = req.app_config();
    let scheme = if config.secure() { "https" } else { "http" };
    let host = req
        .headers()
        .get(actix_web::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        // Only a plain host[:port]: anything else in Host would end up inside our links.
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or_else(|| config.host());
    format!("{scheme}://{host}")
}

/// This request's URL with `offset` replaced.
pub fn next_url(req: &HttpRequest, offset: i64) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if k != "offset" {
            query.append_pair(&k, &v);
        }
    }
    query.append_pair("offset", &offset.to_string());
    format!("{}{}?{}", base_url(req), req.path(), query.finish())
}

/// List parameters plus a resource's filters, parsed strictly from the query string: a
/// parameter that neither knows (a typo such as `statuss=active`) is a 422 naming it, rather than
/// a silently unfiltered list.
pub struct ListQuery<F> {
    pub params: ListParams,
    pub filter: F,
}

impl<F: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for ListQuery<F> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(parse_list_query(req.query_string()))
    }
}

fn parse_query_part<T: serde::de::DeserializeOwned>(
    query: &str,
    ignored: &mut std::collections::BTreeSet<String>,
) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_ignored::deserialize(de, |path| {
        let name = path.to_string();
        // The credential of the report and feed routes, not a filter: checked by `Reader`, and
        // refused with a clear 401 by `Principal` everywhere else.
        if name != crate::auth::API_KEY_PARAM {
            ignored.insert(name);
        }
    })
    .map_err(|e| ApiError::BadRequest(format!("invalid query parameter: {e}")))
}

/// Parses both halves; a key unknown to both is unknown to the route.
pub fn parse_list_query<F: serde::de::DeserializeOwned>(
    query: &str,
) -> Result<ListQuery<F>, ApiError> {
    let mut not_params = std::collections::BTreeSet::new();
    let mut not_filter = std::collections::BTreeSet::new();
    let params: ListParams = parse_query_part(query, &mut not_params)?;
    let filter: F = parse_query_part(query, &mut not_filter)?;
    let unknown: Vec<crate::error::FieldError> = not_params
        .intersection(&not_filter)
        .map(|k| crate::error::FieldError::new(k.clone(), "unknown query parameter"))
        .collect();
    if unknown.is_empty() {
        Ok(ListQuery { params, filter })
    } else {
        Err(ApiError::Validation(unknown))
    }
}

/// Parses a query string into one struct; any key it does not know is a 422 naming it.
pub fn parse_strict_query<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let mut ignored = std::collections::BTreeSet::new();
    let value: T = parse_query_part(query, &mut ignored)?;
    if ignored.is_empty() {
        Ok(value)
    } else {
        Err(ApiError::Validation(
            ignored
                .into_iter()
                .map(|k| crate::error::FieldError::new(k, "unknown query parameter"))
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::PageRequest;

    fn page(limit: i64, offset: i64) -> PageRequest {
        PageRequest {
            q: None,
            sort: "name".to_owned(),
            descending: false,
            limit,
            offset,
        }
    }

    #[test]
    fn a_short_page_tells_the_total() {
        assert_eq!(page(50, 0).total_from_page(0), Some(0));
        assert_eq!(page(50, 0).total_from_page(7), Some(7));
        assert_eq!(page(50, 100).total_from_page(7), Some(107));
    }

    #[test]
    fn a_full_or_empty_later_page_needs_a_count() {
        assert_eq!(page(50, 0).total_from_page(50), None);
        assert_eq!(page(50, 100).total_from_page(0), None);
    }
}
