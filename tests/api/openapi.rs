//! The committed spec is the contract: it must equal what the code generates.

use serde_json::Value;

#[test]
fn committed_spec_matches_the_code() {
    let generated = styra::api::openapi().to_pretty_json().expect("json");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if std::env::var("STYRA_UPDATE_OPENAPI").is_ok() {
        std::fs::write(&path, format!("{generated}\n")).expect("write spec");
        return;
    }
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is out of date: run `STYRA_UPDATE_OPENAPI=1 cargo test --test api openapi` (or `cargo run -- openapi > openapi/openapi.json`) and commit it"
    );
}

#[test]
fn every_operation_is_documented_secured_and_uses_problem_json() {
    let spec: Value =
        serde_json::from_str(&styra::api::openapi().to_json().expect("json")).expect("parse");
    let paths = spec["paths"].as_object().cloned().unwrap_or_default();
    assert!(paths.len() >= 13, "{} paths", paths.len());
    for (path, item) in &paths {
        for (method, op) in item.as_object().cloned().unwrap_or_default() {
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(!id.is_empty(), "{method} {path} has no operationId");
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{id} has no tag"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{id} has no summary"
            );
            if path.starts_with("/api/v1") {
                assert!(
                    op["security"].as_array().is_some_and(|s| !s.is_empty()),
                    "{id} is not secured"
                );
                assert!(
                    op["responses"]["401"].is_object(),
                    "{id} does not document 401"
                );
            }
            for (status, response) in op["responses"].as_object().cloned().unwrap_or_default() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        response["content"]["application/problem+json"].is_object(),
                        "{id} {status} is not problem+json"
                    );
                }
            }
        }
    }
    let schemas = spec["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, schema) in &schemas {
        if name.ends_with("New") || name.ends_with("Patch") {
            assert_eq!(
                schema["additionalProperties"],
                Value::Bool(false),
                "{name} allows unknown fields"
            );
            assert!(schema.get("example").is_some(), "{name} has no example");
        }
    }
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}
