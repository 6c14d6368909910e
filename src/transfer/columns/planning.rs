//! Governance and planning: decisions, plans, budget lines, roadmaps and goals, activities,
//! documentation, benefits, follow-ups, risks, audits and decision subjects.

use crate::domain::activities::{ActivityKind, Phase};
use crate::domain::audit_actions::AuditActionStatus;
use crate::domain::budget_lines::{BudgetCategory, BudgetPeriod};
use crate::domain::decisions::{DecisionBody, DecisionKind, DecisionOutcome, SubjectKind};
use crate::domain::documentation_items::{DocumentationKind, DocumentationStatus};
use crate::domain::plans::PlanStatus;
use crate::domain::risks::RiskStatus;
use crate::domain::roadmap_goals::GoalStatus;
use crate::domain::roadmaps::RoadmapStatus;
use crate::transfer::model::{col, NaturalKey, Resource, Sql, Ty};

use super::{EXT, ID, ORG_NOTE};

#[rustfmt::skip]
pub(super) const DECISIONS: Resource = Resource {
    key: "decisions",
    sheet: "Beslut",
    table: "decisions",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "Decisions by forum, råd, ledningsgrupp and nämnd. What each is about: the decision-subjects sheet.",
    columns: &[
        EXT,
        ID,
        col("organisation", "Organisation", Ty::Ref("organisations"), Some("organisation_id"), true, "The deciding organisation's external id (or id)."),
        col("decided_on", "Beslutsdatum", Ty::Date, Some("decided_on"), true, ""),
        col("body", "Beslutsorgan", names!(DecisionBody), Some("body"), true, ""),
        col("diarienummer", "Diarienummer", Ty::Text, Some("diarienummer"), false, ""),
        col("summary", "Sammanfattning", Ty::Text, Some("summary"), true, ""),
        col("kind", "Typ", names!(DecisionKind), Some("kind"), true, ""),
        col("outcome", "Utfall", names!(DecisionOutcome), Some("outcome"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "decided_on": Date, "body": Text, "diarienummer": Text, "summary": Text, "kind": Text, "outcome": Text, "external_id": Text),
    example: &[("external_id", "B-2026-01"), ("organisation", "SN"), ("decided_on", "2026-01-20"), ("body", "committee"), ("diarienummer", "SN 2026/12"), ("summary", "Förvaltningsplan 2026 fastställs"), ("kind", "adoption"), ("outcome", "approved")],
};

#[rustfmt::skip]
pub(super) const PLANS: Resource = Resource {
    key: "plans",
    sheet: "Förvaltningsplaner",
    table: "plans",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["object_id", "year"]),
    about: "Förvaltningsplaner: one per object and year. Other sheets name a plan by object + year.",
    columns: &[
        EXT,
        ID,
        col("object", "Förvaltningsobjekt", Ty::Ref("objects"), Some("object_id"), true, "The object's external id (or id)."),
        col("year", "År", Ty::Int, Some("year"), true, "2000–2100; one plan per object and year."),
        col("status", "Status", names!(PlanStatus), Some("status"), false, "Default draft."),
        col("summary", "Sammanfattning", Ty::Text, Some("summary"), false, ""),
        col("decision", "Beslut", Ty::Ref("decisions"), Some("decision_id"), false, "The adopting decision's external id (or id)."),
        col("adopted_on", "Fastställd", Ty::Date, Some("adopted_on"), false, ""),
        col("risk_analysis_date", "Riskanalys datum", Ty::Date, Some("risk_analysis_date"), false, ""),
        col("risk_analysis_summary", "Riskanalys sammanfattning", Ty::Text, Some("risk_analysis_summary"), false, ""),
        col("risk_analysis_url", "Riskanalys länk", Ty::Text, Some("risk_analysis_url"), false, ""),
        col("reopened_reason", "Skäl för återöppning", Ty::Text, Some("reopened_reason"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "object_id": Text, "year": Int, "status": Text, "summary": Text, "decision_id": Text, "adopted_on": Date, "risk_analysis_date": Date, "risk_analysis_summary": Text, "risk_analysis_url": Text, "reopened_reason": Text, "external_id": Text),
    example: &[("object", "OBJ-SKOLA"), ("year", "2026"), ("status", "draft"), ("summary", "Fokus på stabil drift")],
};

#[rustfmt::skip]
pub(super) const BUDGET_LINES: Resource = Resource {
    key: "budget-lines",
    sheet: "Budgetrader",
    table: "budget_lines",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["plan_id", "category", "period"]),
    about: "A plan's budget per category and period. Matched on id, else on plan + category + period.",
    columns: &[
        ID,
        col("object", "Förvaltningsobjekt", Ty::Ref("objects"), None, true, "With year: names the plan."),
        col("year", "År", Ty::Int, None, true, "With object: names the plan."),
        col("category", "Kategori", names!(BudgetCategory), Some("category"), true, ""),
        col("period", "Period", names!(BudgetPeriod), Some("period"), false, "Default year."),
        col("planned", "Budget", Ty::Money, Some("planned"), true, "Whole SEK."),
        col("forecast", "Prognos", Ty::Money, Some("forecast"), false, "Whole SEK."),
        col("actual", "Utfall", Ty::Money, Some("actual"), false, "Whole SEK."),
        col("comment", "Kommentar", Ty::Text, Some("comment"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "plan_id": Text, "category": Text, "period": Text, "planned": BigInt, "forecast": BigInt, "actual": BigInt, "comment": Text),
    example: &[("object", "OBJ-SKOLA"), ("year", "2026"), ("category", "maintenance"), ("period", "year"), ("planned", "450000")],
};

#[rustfmt::skip]
pub(super) const ROADMAPS: Resource = Resource {
    key: "roadmaps",
    sheet: "Färdplaner",
    table: "roadmaps",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "Digitala färdplaner.",
    columns: &[
        EXT,
        ID,
        col("organisation", "Organisation", Ty::Ref("organisations"), Some("organisation_id"), true, ORG_NOTE),
        col("name", "Namn", Ty::Text, Some("name"), true, ""),
        col("description", "Beskrivning", Ty::Text, Some("description"), false, ""),
        col("from_year", "Från år", Ty::Int, Some("from_year"), true, ""),
        col("to_year", "Till år", Ty::Int, Some("to_year"), true, ""),
        col("status", "Status", names!(RoadmapStatus), Some("status"), false, "Default draft."),
        col("decision", "Beslut", Ty::Ref("decisions"), Some("decision_id"), false, "The adopting decision's external id (or id)."),
        col("adopted_on", "Fastställd", Ty::Date, Some("adopted_on"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "name": Text, "name_sort": Text, "description": Text, "from_year": Int, "to_year": Int, "status": Text, "decision_id": Text, "adopted_on": Date, "external_id": Text),
    example: &[("external_id", "FP-SOC"), ("organisation", "SN"), ("name", "Digital färdplan Socialnämnden"), ("from_year", "2026"), ("to_year", "2028")],
};

#[rustfmt::skip]
pub(super) const ROADMAP_GOALS: Resource = Resource {
    key: "roadmap-goals",
    sheet: "Färdplansmål",
    table: "roadmap_goals",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["roadmap_id", "description"]),
    about: "A färdplan's goals. Matched on id, else on roadmap + description.",
    columns: &[
        ID,
        col("roadmap", "Färdplan", Ty::Ref("roadmaps"), Some("roadmap_id"), true, "The roadmap's external id (or id)."),
        col("focus_area", "Målområde", Ty::Ref("focus-areas"), Some("focus_area_id"), false, "The focus area's external id (or id)."),
        col("description", "Beskrivning", Ty::Text, Some("description"), true, ""),
        col("indicator", "Indikator", Ty::Text, Some("indicator"), false, ""),
        col("unit", "Enhet", Ty::Text, Some("unit"), false, ""),
        col("baseline", "Utgångsvärde", Ty::Float, Some("baseline"), false, ""),
        col("target", "Målvärde", Ty::Float, Some("target"), false, ""),
        col("target_date", "Måldatum", Ty::Date, Some("target_date"), false, ""),
        col("next_follow_up", "Nästa uppföljning", Ty::Date, Some("next_follow_up"), false, ""),
        col("last_follow_up", "Senaste uppföljning", Ty::Date, Some("last_follow_up"), false, ""),
        col("last_value", "Senaste värde", Ty::Float, Some("last_value"), false, ""),
        col("status", "Status", names!(GoalStatus), Some("status"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "roadmap_id": Text, "focus_area_id": Text, "description": Text, "indicator": Text, "unit": Text, "baseline": Double, "target": Double, "target_date": Date, "next_follow_up": Date, "last_follow_up": Date, "last_value": Double, "status": Text),
    example: &[("roadmap", "FP-SOC"), ("focus_area", "MO-1"), ("description", "Fler e-tjänster"), ("indicator", "Antal e-tjänster"), ("baseline", "12"), ("target", "30")],
};

#[rustfmt::skip]
pub(super) const ACTIVITIES: Resource = Resource {
    key: "activities",
    sheet: "Aktiviteter",
    table: "activities",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "Aktiviteter, initiativ och projekt. In a plan: give object + year. Outside plans: give organisation + year.",
    columns: &[
        EXT,
        ID,
        col("organisation", "Organisation", Ty::Ref("organisations"), None, false, "For an activity outside plans: the owning organisation. In a plan it is the plan's (leave empty or repeat it)."),
        col("object", "Förvaltningsobjekt", Ty::Ref("objects"), None, false, "With year: the plan the activity belongs to. Empty for activities outside plans."),
        col("year", "År", Ty::Int, Some("year"), true, "The plan's year, or the activity's year outside plans."),
        col("roadmap", "Färdplan", Ty::Ref("roadmaps"), Some("roadmap_id"), false, "The roadmap's external id (or id)."),
        col("roadmap_priority", "Prioritet i färdplan", Ty::Int, Some("roadmap_priority"), false, "1 = highest."),
        col("kind", "Typ", names!(ActivityKind), Some("kind"), true, ""),
        col("phase", "Fas", names!(Phase), Some("phase"), false, "Default idea."),
        col("title", "Titel", Ty::Text, Some("title"), true, "Up to 300 characters."),
        col("purpose_and_goals", "Syfte och mål", Ty::Text, Some("purpose_and_goals"), false, ""),
        col("start_date", "Startdatum", Ty::Date, Some("start_date"), false, ""),
        col("end_date", "Slutdatum", Ty::Date, Some("end_date"), false, "Not before the start date."),
        col("planned_budget", "Budget", Ty::Money, Some("planned_budget"), false, "Whole SEK."),
        col("actual_budget", "Utfall", Ty::Money, Some("actual_budget"), false, "Whole SEK."),
        col("responsible_person", "Ansvarig", Ty::Ref("people"), Some("responsible_person_id"), false, "The person's external id (or id)."),
        col("expected_benefit", "Förväntad nytta", Ty::Int, Some("expected_benefit"), false, "1–5."),
        col("complexity", "Komplexitet", Ty::Int, Some("complexity"), false, "1–5."),
        col("municipality_wide", "Kommungemensam", Ty::Bool, Some("municipality_wide"), false, "Accepted by the council as municipality-wide."),
        col("focus_areas", "Målområden", Ty::RefList("focus-areas"), None, false, "Focus area keys separated by ; e.g. MO-1; MO-3."),
        col("co_funding", "Medfinansiering", Ty::Funding, None, false, "ORGANISATION=SEK pairs separated by ; e.g. SN=1200000; KS=600000. The shares add up to the budget."),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "plan_id": Text, "object_id": Text, "roadmap_id": Text, "roadmap_priority": Int, "kind": Text, "phase": Text, "title": Text, "title_sort": Text, "purpose_and_goals": Text, "year": Int, "start_date": Date, "end_date": Date, "planned_budget": BigInt, "actual_budget": BigInt, "responsible_person_id": Text, "expected_benefit": Int, "complexity": Int, "municipality_wide": Bool, "phase_changed_at": Timestamp, "external_id": Text),
    example: &[("external_id", "AKT-2026-004"), ("object", "OBJ-SKOLA"), ("year", "2026"), ("kind", "project"), ("phase", "idea"), ("title", "Införande av e-arkiv"), ("start_date", "2026-02-01"), ("end_date", "2026-12-31"), ("planned_budget", "1800000"), ("expected_benefit", "4"), ("complexity", "3")],
};

#[rustfmt::skip]
pub(super) const DOCUMENTATION_ITEMS: Resource = Resource {
    key: "documentation-items",
    sheet: "Dokumentation",
    table: "documentation_items",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["activity_id", "kind"]),
    about: "The evidence per activity. Matched on id, else on activity + kind. Uploaded files are not part of import/export: the file columns are informational (exported, ignored on import).",
    columns: &[
        ID,
        col("activity", "Aktivitet", Ty::Ref("activities"), Some("activity_id"), true, "The activity's external id (or id)."),
        col("kind", "Typ", names!(DocumentationKind), Some("kind"), true, ""),
        col("status", "Status", names!(DocumentationStatus), Some("status"), false, ""),
        col("reason", "Motivering", Ty::Text, Some("reason"), false, "Why the item is not applicable."),
        col("document_date", "Dokumentdatum", Ty::Date, Some("document_date"), false, ""),
        col("url", "Länk", Ty::Text, Some("url"), false, ""),
        col("file_name", "Filnamn", Ty::Text, None, false, "Informational: an uploaded file's name (not imported)."),
        col("sha256", "SHA-256", Ty::Text, None, false, "Informational: an uploaded file's checksum (not imported)."),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "activity_id": Text, "kind": Text, "status": Text, "reason": Text, "document_date": Date, "url": Text),
    example: &[("activity", "AKT-2026-004"), ("kind", "needs_analysis"), ("status", "done"), ("document_date", "2026-01-15"), ("url", "https://intranat.norra.se/dok/123")],
};

#[rustfmt::skip]
pub(super) const BENEFITS: Resource = Resource {
    key: "benefits",
    sheet: "Nyttor",
    table: "benefits",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "Nyttor and effektmål per activity.",
    columns: &[
        EXT,
        ID,
        col("activity", "Aktivitet", Ty::Ref("activities"), Some("activity_id"), true, "The activity's external id (or id)."),
        col("description", "Beskrivning", Ty::Text, Some("description"), true, ""),
        col("indicator", "Indikator", Ty::Text, Some("indicator"), false, ""),
        col("unit", "Enhet", Ty::Text, Some("unit"), false, ""),
        col("baseline", "Utgångsvärde", Ty::Float, Some("baseline"), false, ""),
        col("target", "Målvärde", Ty::Float, Some("target"), false, ""),
        col("target_date", "Måldatum", Ty::Date, Some("target_date"), false, ""),
        col("yearly_value_sek", "Årligt värde", Ty::Money, Some("yearly_value_sek"), false, "Whole SEK."),
        col("realised_value", "Realiserat värde", Ty::Float, Some("realised_value"), false, "As of the last follow-up."),
        col("realised_value_sek", "Realiserat värde SEK", Ty::Money, Some("realised_value_sek"), false, "Whole SEK."),
        col("last_follow_up", "Senaste uppföljning", Ty::Date, Some("last_follow_up"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "activity_id": Text, "description": Text, "indicator": Text, "unit": Text, "baseline": Double, "target": Double, "target_date": Date, "yearly_value_sek": BigInt, "realised_value": Double, "realised_value_sek": BigInt, "last_follow_up": Date, "external_id": Text),
    example: &[("activity", "AKT-2026-004"), ("description", "Minskade arkivkostnader"), ("indicator", "Kostnad per år"), ("unit", "SEK"), ("baseline", "400000"), ("target", "150000")],
};

#[rustfmt::skip]
pub(super) const BENEFIT_FOLLOW_UPS: Resource = Resource {
    key: "benefit-follow-ups",
    sheet: "Nyttouppföljningar",
    table: "benefit_follow_ups",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["benefit_id", "follow_up_date"]),
    about: "Measured values of a benefit over time. Matched on id, else on benefit + date.",
    columns: &[
        ID,
        col("benefit", "Nytta", Ty::Ref("benefits"), Some("benefit_id"), true, "The benefit's external id (or id)."),
        col("follow_up_date", "Datum", Ty::Date, Some("follow_up_date"), true, ""),
        col("measured_value", "Uppmätt värde", Ty::Float, Some("measured_value"), true, ""),
        col("realised_value_sek", "Realiserat värde SEK", Ty::Money, Some("realised_value_sek"), false, "Whole SEK."),
        col("comment", "Kommentar", Ty::Text, Some("comment"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "benefit_id": Text, "follow_up_date": Date, "measured_value": Double, "realised_value_sek": BigInt, "comment": Text),
    example: &[("benefit", "N-1"), ("follow_up_date", "2026-06-30"), ("measured_value", "320000")],
};

#[rustfmt::skip]
pub(super) const RISKS: Resource = Resource {
    key: "risks",
    sheet: "Risker",
    table: "risks",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "Risks per object (the yearly RSA) or per activity; the score is probability × consequence.",
    columns: &[
        EXT,
        ID,
        col("object", "Förvaltningsobjekt", Ty::Ref("objects"), Some("object_id"), false, "Give an object or an activity, not both."),
        col("activity", "Aktivitet", Ty::Ref("activities"), Some("activity_id"), false, "Give an object or an activity, not both."),
        col("description", "Beskrivning", Ty::Text, Some("description"), true, ""),
        col("probability", "Sannolikhet", Ty::Int, Some("probability"), true, "1–4."),
        col("consequence", "Konsekvens", Ty::Int, Some("consequence"), true, "1–4."),
        col("mitigation", "Åtgärd", Ty::Text, Some("mitigation"), false, ""),
        col("owner_person", "Riskägare", Ty::Ref("people"), Some("owner_person_id"), false, "The person's external id (or id)."),
        col("status", "Status", names!(RiskStatus), Some("status"), false, "Default open."),
        col("identified_on", "Identifierad", Ty::Date, Some("identified_on"), false, ""),
        col("review_date", "Omprövas", Ty::Date, Some("review_date"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "object_id": Text, "activity_id": Text, "description": Text, "probability": Int, "consequence": Int, "score": Int, "mitigation": Text, "owner_person_id": Text, "status": Text, "identified_on": Date, "review_date": Date, "external_id": Text),
    example: &[("object", "OBJ-SKOLA"), ("description", "Leverantören går i konkurs"), ("probability", "2"), ("consequence", "4")],
};

#[rustfmt::skip]
pub(super) const AUDIT_FINDINGS: Resource = Resource {
    key: "audit-findings",
    sheet: "Revisionsiakttagelser",
    table: "audit_findings",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "The auditors' recommendations and the responses to them.",
    columns: &[
        EXT,
        ID,
        col("organisation", "Organisation", Ty::Ref("organisations"), Some("organisation_id"), true, ORG_NOTE),
        col("audit_title", "Granskning", Ty::Text, Some("audit_title"), true, ""),
        col("audit_firm", "Revisionsbyrå", Ty::Text, Some("audit_firm"), false, ""),
        col("audit_date", "Granskningsdatum", Ty::Date, Some("audit_date"), true, ""),
        col("reference", "Referens", Ty::Text, Some("reference"), false, ""),
        col("text", "Rekommendation", Ty::Text, Some("text"), true, ""),
        col("response", "Svar", Ty::Text, Some("response"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "audit_title": Text, "audit_firm": Text, "audit_date": Date, "reference": Text, "text": Text, "response": Text, "external_id": Text),
    example: &[("external_id", "REV-2021-1"), ("organisation", "KS"), ("audit_title", "Granskning av digitaliseringsarbetet"), ("audit_firm", "EY"), ("audit_date", "2021-05-01"), ("text", "Säkerställ att förvaltningsplaner upprättas")],
};

#[rustfmt::skip]
pub(super) const AUDIT_ACTIONS: Resource = Resource {
    key: "audit-actions",
    sheet: "Revisionsåtgärder",
    table: "audit_actions",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["finding_id", "description"]),
    about: "Actions taken on audit findings. Matched on id, else on finding + description.",
    columns: &[
        ID,
        col("finding", "Iakttagelse", Ty::Ref("audit-findings"), Some("finding_id"), true, "The finding's external id (or id)."),
        col("organisation", "Organisation", Ty::Ref("organisations"), Some("organisation_id"), false, "The responsible organisation; default the finding's."),
        col("description", "Beskrivning", Ty::Text, Some("description"), true, ""),
        col("due_date", "Klart senast", Ty::Date, Some("due_date"), false, ""),
        col("status", "Status", names!(AuditActionStatus), Some("status"), false, ""),
        col("evidence_url", "Underlag", Ty::Text, Some("evidence_url"), false, ""),
        col("completed_on", "Klart", Ty::Date, Some("completed_on"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "finding_id": Text, "description": Text, "due_date": Date, "status": Text, "evidence_url": Text, "completed_on": Date),
    example: &[("finding", "REV-2021-1"), ("description", "Mall för förvaltningsplan tas fram"), ("due_date", "2026-06-30")],
};

#[rustfmt::skip]
pub(super) const DECISION_SUBJECTS: Resource = Resource {
    key: "decision-subjects",
    sheet: "Beslutsärenden",
    table: "decision_subjects",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["decision_id", "resource", "record_id"]),
    about: "What each decision is about: one row per decision and record. Rows are only added, never removed, by an import.",
    columns: &[
        col("decision", "Beslut", Ty::Ref("decisions"), Some("decision_id"), true, "The decision's external id (or id)."),
        col("resource", "Avser", names!(SubjectKind), Some("resource"), true, "The kind of record."),
        col("record", "Post", Ty::Text, Some("record_id"), true, "The record's external id (or id); a plan also as OBJECT/YEAR."),
    ],
    db: &[],
    example: &[("decision", "B-2026-01"), ("resource", "plans"), ("record", "OBJ-SKOLA/2026")],
};
