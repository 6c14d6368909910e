//! The OpenAPI paths and schemas of every report table, generated from the registry: one GET per
//! table with its filters and output options, JSON/CSV/XLSX in the 200 response, the problem
//! responses, and a `<Table>Row` / `<Table>Report` schema pair with examples.

use serde_json::{json, Map, Value};
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{OpenApi, Ref, RefOr, Required};

use crate::reports::render::{CSV, JSON, XLSX};
use crate::reports::table::{Column, ColumnType, ReportTable};
use crate::reports::REGISTRY;

pub const TAG: &str = "reports";

/// A column's example as JSON.
pub fn example_value(column: &Column) -> Value {
    serde_json::from_str(column.example).unwrap_or(Value::Null)
}

fn column_schema(column: &Column) -> Schema {
    let (ty, format) = match column.kind {
        ColumnType::Text => (Type::String, None),
        ColumnType::Integer => (Type::Integer, Some(KnownFormat::Int64)),
        ColumnType::Decimal => (Type::Number, Some(KnownFormat::Double)),
        ColumnType::Date => (Type::String, Some(KnownFormat::Date)),
        ColumnType::Datetime => (Type::String, Some(KnownFormat::DateTime)),
        ColumnType::Bool => (Type::Boolean, None),
    };
    let schema_type = if column.nullable {
        SchemaType::from_iter([ty, Type::Null])
    } else {
        SchemaType::from(ty)
    };
    ObjectBuilder::new()
        .schema_type(schema_type)
        .format(format.map(SchemaFormat::KnownFormat))
        .description(Some(format!("{} — {}", column.header, column.description)))
        .examples([example_value(column)])
        .into()
}

/// One example row: every column's example.
pub fn example_row(table: &ReportTable) -> Value {
    let mut row = Map::new();
    for c in table.columns {
        row.insert(c.key.to_owned(), example_value(c));
    }
    Value::Object(row)
}

fn row_schema(table: &ReportTable) -> Schema {
    let mut object = ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(format!("One row of the `{}` report.", table.key)));
    for c in table.columns {
        object = object.property(c.key, column_schema(c)).required(c.key);
    }
    object.examples([example_row(table)]).into()
}

fn report_schema(table: &ReportTable) -> Schema {
    let row_ref = Ref::from_schema_name(format!("{}Row", table.schema_name()));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(format!("The `{}` report as JSON.", table.key)))
        .property(
            "report",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("The table's key."))
                .examples([json!(table.key)]),
        )
        .required("report")
        .property(
            "title",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some("Its Swedish title."))
                .examples([json!(table.title)]),
        )
        .required("title")
        .property(
            "generated_on",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
                .description(Some(
                    "The day the report was computed (and the default reference date).",
                )),
        )
        .required("generated_on")
        .property(
            "filters",
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .description(Some(
                    "The filters applied, as given (lists as arrays); absent ones are left out.",
                )),
        )
        .required("filters")
        .property(
            "columns",
            ArrayBuilder::new()
                .items(Ref::from_schema_name("ReportColumn"))
                .description(Some("The column definitions, in order.")),
        )
        .required("columns")
        .property("rows", ArrayBuilder::new().items(row_ref))
        .required("rows")
        .into()
}

fn query_param(name: &str, description: &str, ty: Type, example: Value) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(ty)))
        .example(Some(example))
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            crate::error::PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

/// An example CSV body: the header row and the example row.
fn csv_example(table: &ReportTable) -> String {
    let headers: Vec<&str> = table.columns.iter().map(|c| c.header).collect();
    let values: Vec<String> = table
        .columns
        .iter()
        .map(|c| match example_value(c) {
            Value::Null => String::new(),
            Value::String(s) => s,
            other => other.to_string(),
        })
        .collect();
    format!("\u{feff}{}\r\n{}\r\n", headers.join(","), values.join(","))
}

fn operation(table: &ReportTable) -> utoipa::openapi::path::Operation {
    let mut op = OperationBuilder::new()
        .tag(TAG)
        .operation_id(Some(table.operation_id()))
        .summary(Some(table.summary))
        .description(Some(table.description))
        .security(SecurityRequirement::new("bearer", Vec::<String>::new()));
    for f in table.filters {
        let (ty, format, example) = f.schema();
        let ty = if ty == "integer" {
            Type::Integer
        } else {
            Type::String
        };
        let mut schema = ObjectBuilder::new().schema_type(ty);
        if let Some(fmt) = format {
            let known = match fmt {
                "date" => KnownFormat::Date,
                _ => KnownFormat::Int32,
            };
            schema = schema.format(Some(SchemaFormat::KnownFormat(known)));
        }
        let required = if table.required.contains(f) {
            Required::True
        } else {
            Required::False
        };
        op = op.parameter(
            ParameterBuilder::new()
                .name(f.name())
                .parameter_in(ParameterIn::Query)
                .required(required)
                .description(Some(f.description()))
                .schema(Some(schema))
                .example(Some(example)),
        );
    }
    op = op
        .parameter(query_param(
            "format",
            "`json`, `csv` or `xlsx`; wins over the Accept header (default JSON).",
            Type::String,
            json!("xlsx"),
        ))
        .parameter(query_param(
            "delimiter",
            "CSV: `comma` (default) or `semicolon` (Swedish Excel; decimals then use a decimal comma).",
            Type::String,
            json!("semicolon"),
        ))
        .parameter(query_param(
            "header",
            "CSV: `swedish` headers (default) or the column `key`s.",
            Type::String,
            json!("key"),
        ))
        .parameter(query_param(
            "api_key",
            "Accepted for clients such as Power BI that put the key in the URL; the credentials themselves are checked as for every route.",
            Type::String,
            json!("styra_ro_…"),
        ));
    let ok = ResponseBuilder::new()
        .description("The report. JSON by default; CSV (UTF-8 with BOM) and XLSX come as attachments named `<report>-<date>.csv|xlsx`.")
        .content(
            JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(format!(
                    "{}Report",
                    table.schema_name()
                ))))
                .example(Some(json!({
                    "report": table.key,
                    "title": table.title,
                    "generated_on": "2026-11-23",
                    "filters": {},
                    "columns": table.columns,
                    "rows": [example_row(table)],
                })))
                .build(),
        )
        .content(
            CSV,
            ContentBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some(json!(csv_example(table))))
                .build(),
        )
        .content(
            XLSX,
            ContentBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .content_media_type(XLSX),
                ))
                .build(),
        )
        .build();
    op.response("200", ok)
        .response("401", problem("Missing, expired or invalid credentials"))
        .response(
            "403",
            problem("`organisation_id` lies outside the caller's organisation scope"),
        )
        .response(
            "406",
            problem("Neither `format` nor `Accept` names json, csv or xlsx"),
        )
        .response(
            "422",
            problem("A filter is invalid, unknown, not offered by this report, or missing; `errors` names each"),
        )
        .build()
}

/// Adds every report table's path and schemas to the document.
pub fn add_to(api: &mut OpenApi) {
    for table in REGISTRY {
        api.paths.add_path_operation(
            format!("/api/v1/reports/{}", table.path),
            vec![HttpMethod::Get],
            operation(table),
        );
        let components = api.components.get_or_insert_with(Default::default);
        components.schemas.insert(
            format!("{}Row", table.schema_name()),
            row_schema(table).into(),
        );
        components.schemas.insert(
            format!("{}Report", table.schema_name()),
            report_schema(table).into(),
        );
    }
}
