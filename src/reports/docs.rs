//! `docs/reports.md`, generated from the registry (a test fails when the committed file drifts;
//! `STYRA_UPDATE_DOCS=1 cargo test --test api reports::docs` rewrites it).

use std::fmt::Write;

use crate::reports::filters::Filter;
use crate::reports::openapi::example_value;
use crate::reports::table::{ColumnType, Unit};
use crate::reports::REGISTRY;

const INTRO: &str = "# Reports

<!-- Generated from the report definitions in src/reports/ — do not edit by hand.
     Regenerate: STYRA_UPDATE_DOCS=1 cargo test --test api reports::docs -->

Every report table is one `GET /api/v1/reports/<route>`, computed in the database (GROUP BY,
never rows loaded into the server) over the caller's organisation scope. The same tables are
entity sets of the OData feed under their `key` (`/odata/documentation_completeness?year=2026`),
keyed by `row_key`, with the filters below as query parameters; see [power-bi.md](power-bi.md).

## Calling a report

- **Formats.** `?format=json|csv|xlsx` wins over `Accept` (`application/json`, `text/csv`,
  `application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`); JSON is the default and
  anything else is a 406. CSV and XLSX come as attachments named `<route>-<YYYY-MM-DD>.csv|xlsx`
  (`/` in the route becomes `-`).
- **JSON** is `{\"report\", \"title\", \"generated_on\", \"filters\", \"columns\", \"rows\"}`:
  `filters` echoes what was applied, `columns` lists the definitions below (key, Swedish header,
  type, nullable, unit, description) and each row is an object keyed by column.
- **CSV** is UTF-8 with a BOM and CRLF line ends; `,` by default, `?delimiter=semicolon` for
  Swedish Excel (decimals then use a decimal comma). Headers are the Swedish ones; `?header=key`
  gives the keys. Dates are `YYYY-MM-DD`, empty fields are null.
- **XLSX** has one sheet named after the table, Swedish headers in a frozen first row with an
  autofilter, typed cells: numbers as numbers (kronor with a thousands separator, shares as
  percentages), dates as dates.
- **Filters** are query parameters; a parameter the route does not know, or a filter the table
  does not take, is a 422 naming it, as is a bad value (e.g. `phase=done`). Lists are
  comma-separated (`phase=completed,evaluated`). `organisation_id` means that organisation and
  everything below it; it must lie in the caller's scope (403 otherwise). Without it a report
  covers everything the caller may see.
- **Credentials**: a bearer token, or a read-only API key as the `X-Api-Key` header, the
  `api_key` query parameter (Power BI's `ApiKeyName`) or the Basic password; see
  [api-keys.md](api-keys.md). Beyond `STYRA_MAX_CONCURRENT_READS` report requests at once the
  answer is 429 with `Retry-After`.
";

fn type_name(kind: ColumnType, unit: Unit) -> &'static str {
    match (kind, unit) {
        (ColumnType::Integer, Unit::Sek) => "integer (kr)",
        (ColumnType::Decimal, Unit::Share) => "decimal (share 0–1)",
        (kind, _) => kind.as_str(),
    }
}

fn filter_list(filters: &[Filter], required: &[Filter]) -> String {
    if filters.is_empty() {
        return "none".to_owned();
    }
    filters
        .iter()
        .map(|f| {
            if required.contains(f) {
                format!("`{}` (required)", f.name())
            } else {
                format!("`{}`", f.name())
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The whole document.
pub fn markdown() -> String {
    let mut out = String::from(INTRO);
    out.push_str("\n## Filters\n\n| filter | meaning |\n|---|---|\n");
    for f in Filter::ALL {
        let _ = writeln!(out, "| `{}` | {} |", f.name(), f.description());
    }
    out.push_str("\n## Tables\n\n| route | key | title |\n|---|---|---|\n");
    for t in REGISTRY {
        let _ = writeln!(
            out,
            "| `/api/v1/reports/{}` | `{}` | {} |",
            t.path, t.key, t.title
        );
    }
    for t in REGISTRY {
        let _ = write!(
            out,
            "\n### {} — `/api/v1/reports/{}`\n\nKey `{}`. {}\n\n{}\n\nFilters: {}.\n\n",
            t.title,
            t.path,
            t.key,
            t.summary,
            t.description,
            filter_list(t.filters, t.required)
        );
        out.push_str("| key | header | type | null | example | description |\n");
        out.push_str("|---|---|---|---|---|---|\n");
        for c in t.columns {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | `{}` | {} |",
                c.key,
                c.header,
                type_name(c.kind, c.unit),
                if c.nullable { "yes" } else { "no" },
                example_value(c),
                c.description.replace('|', "\\|")
            );
        }
    }
    out
}
