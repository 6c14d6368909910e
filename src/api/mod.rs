//! The HTTP API: the route table, the OpenAPI document, and one module per resource area.

pub mod activities;
pub mod api_keys;
pub mod audit_actions;
pub mod audit_findings;
pub mod benefit_follow_ups;
pub mod benefits;
pub mod budget_lines;
pub mod changes;
pub mod crud;
pub mod decisions;
pub mod documentation_items;
pub mod extract;
pub mod focus_areas;
pub mod health;
pub mod objects;
pub mod organisations;
pub mod paging;
pub mod people;
pub mod phase_rules;
pub mod plans;
pub mod reports;
pub mod responses;
pub mod risks;
pub mod roadmap_goals;
pub mod roadmaps;
pub mod role_assignments;
pub mod role_types;
pub mod systems;
pub mod transfer;
pub mod upload;

use utoipa::openapi::schema::{AdditionalProperties, Schema};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Styra API",
        description = "Documentation of how a municipality governs IT and digitalisation: organisations, förvaltningsobjekt, systems, roles, plans, activities and the reports auditors ask for.\n\nEvery `/api/v1` route needs `Authorization: Bearer <JWT>`. The read-only report and OData routes also accept an API key (see the `api-keys` tag), sent as the `X-Api-Key` header, the `api_key` query parameter or the password of HTTP Basic authentication; keys are refused (401) everywhere else. Report and OData requests beyond the server's concurrency limit get 429 with `Retry-After`. Errors are `application/problem+json` (RFC 9457). Lists return `{items, total, next}`. Updates and deletes honour `If-Match` with the ETag from a GET.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&Security),
    tags(
        (name = "organisations", description = "The municipality tree: kommun, nämnder, förvaltningar, enheter, bolag"),
        (name = "people", description = "People who hold roles (minimal personal data, erasable)"),
        (name = "objects", description = "Förvaltningsobjekt"),
        (name = "systems", description = "IT systems, services and e-services inside an object"),
        (name = "role-types", description = "Roles such as objektägare and systemförvaltare"),
        (name = "role-assignments", description = "Who holds which role on which object or system, and when"),
        (name = "plans", description = "Förvaltningsplaner: one per object and year, adopted by a decision"),
        (name = "budget-lines", description = "A plan's budget: planned, forecast and actual whole SEK per category and period"),
        (name = "activities", description = "Aktiviteter, initiativ och projekt, their phases, co-funding and focus areas"),
        (name = "documentation-items", description = "The evidence per activity: behovsanalys, nyttokalkyl, riskanalys, slutrapport …"),
        (name = "phase-rules", description = "Which evidence an activity needs before it may enter a phase"),
        (name = "benefits", description = "Nyttor and effektmål with follow-ups (nyttorealisering)"),
        (name = "benefit-follow-ups", description = "Measured values of a benefit over time; each one updates the benefit's realised value"),
        (name = "risks", description = "Risks per object (the yearly RSA) or per activity"),
        (name = "focus-areas", description = "A municipality's målområden"),
        (name = "roadmaps", description = "Digitala färdplaner: prioritised initiatives and goals for a period"),
        (name = "roadmap-goals", description = "A färdplan's goals per focus area, with indicators and follow-ups"),
        (name = "decisions", description = "Decisions by forum, råd, ledningsgrupp and nämnd, with diarienummer"),
        (name = "audit-findings", description = "The auditors' recommendations and the responses to them"),
        (name = "audit-actions", description = "Actions taken on audit findings: owner, due date, status, evidence"),
        (name = "reports", description = "Aggregate tables computed in the database, as JSON, CSV or XLSX: documentation completeness, model compliance, portfolio (see docs/reports.md)"),
        (name = "import-export", description = "Bulk import (Excel, CSV, JSON; all or nothing, every error listed), templates, and exports that import back exactly"),
        (name = "changes", description = "The change history of every record"),
        (name = "api-keys", description = "Read-only API keys for Power BI and other scheduled readers of the report and OData routes (admins only; shown once, stored hashed, revocable)"),
        (name = "health", description = "Liveness, readiness and metrics"),
        (name = "odata", description = "The read-only OData v4 feed for Power BI: service document, $metadata, one entity set per table with $select, $filter, $orderby, $top, $skip, $count and server-driven paging (@odata.nextLink). See docs/power-bi.md."),
    )
)]
pub struct ApiDoc;

/// The security schemes of the report and OData routes (any one of them suffices): a bearer
/// token, or a read-only API key in the header, the query or as the Basic password. In
/// `#[utoipa::path]`: `security(("bearer" = []), ("api_key" = []), ("api_key_query" = []), ("basic" = []))`.
pub const READER_SECURITY: [&str; 4] = ["bearer", "api_key", "api_key_query", "basic"];

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A JWT (HS256 with the server's secret, or RS256 from the identity provider) with `sub`, `role` (admin, editor or viewer) and `org` (organisation ids limiting the token to their subtrees; only admins may omit it). Mint one with `styra token`.",
                    ))
                    .build(),
            ),
        );
        // The three ways to send a read-only API key; report and OData routes list them next
        // to `bearer` in their `security`.
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "A read-only API key (`styra_<prefix>_<secret>`, from POST /api/v1/api-keys). Report and OData routes only.",
            ))),
        );
        components.add_security_scheme(
            "api_key_query",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "api_key",
                "The API key as a query parameter, as Power BI's `Web.Contents(url, [ApiKeyName=\"api_key\"])` sends it. Report and OData routes only.",
            ))),
        );
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "HTTP Basic with the API key as the password (any user name), as Power BI's Basic credential sends it. Report and OData routes only.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Request bodies reject unknown fields (checked in `ValidJson`); say so in the schema.
struct StrictBodies;

impl Modify for StrictBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        for (name, schema) in components.schemas.iter_mut() {
            if name.ends_with("New") || name.ends_with("Patch") {
                if let RefOr::T(Schema::Object(object)) = schema {
                    object.additional_properties =
                        Some(Box::new(AdditionalProperties::FreeForm(false)));
                }
            }
        }
    }
}

/// Registers every `/api/v1` route (and its OpenAPI path).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    organisations::configure(cfg);
    objects::configure(cfg);
    people::configure(cfg);
    systems::configure(cfg);
    role_types::configure(cfg);
    role_assignments::configure(cfg);
    plans::configure(cfg);
    budget_lines::configure(cfg);
    activities::configure(cfg);
    documentation_items::configure(cfg);
    phase_rules::configure(cfg);
    benefits::configure(cfg);
    benefit_follow_ups::configure(cfg);
    risks::configure(cfg);
    focus_areas::configure(cfg);
    roadmaps::configure(cfg);
    roadmap_goals::configure(cfg);
    decisions::configure(cfg);
    audit_findings::configure(cfg);
    audit_actions::configure(cfg);
    changes::configure(cfg);
    api_keys::configure(cfg);
    reports::configure(cfg);
    transfer::configure(cfg);
}

/// The OpenAPI document, built from the same route table the server uses.
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(health::configure)
        .service(utoipa_actix_web::scope("/api/v1").configure(configure))
        .service(utoipa_actix_web::scope("/odata").configure(crate::odata::configure))
        .split_for_parts();
    // After the routes registered their schemas.
    let mut api = api;
    StrictBodies.modify(&mut api);
    crate::reports::openapi::add_to(&mut api);
    api
}
