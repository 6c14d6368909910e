//! The HTTP API: the route table, the OpenAPI document, and one module per resource area.

pub mod activities;
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
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::RefOr;
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Styra API",
        description = "Documentation of how a municipality governs IT and digitalisation: organisations, förvaltningsobjekt, systems, roles, plans, activities and the reports auditors ask for.\n\nEvery `/api/v1` route needs `Authorization: Bearer <JWT>`. Errors are `application/problem+json` (RFC 9457). Lists return `{items, total, next}`. Updates and deletes honour `If-Match` with the ETag from a GET.",
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
        (name = "import-export", description = "Bulk import (Excel, CSV, JSON; all or nothing, every error listed), templates, and exports that import back exactly"),
        (name = "changes", description = "The change history of every record"),
        (name = "health", description = "Liveness, readiness and metrics"),
    )
)]
pub struct ApiDoc;

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
        .split_for_parts();
    // After the routes registered their schemas.
    let mut api = api;
    StrictBodies.modify(&mut api);
    api
}
