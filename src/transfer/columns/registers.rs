//! The organisation and its registers: organisations, focus areas, phase rules, role types,
//! people, objects, systems and role assignments.

use crate::domain::activities::Phase;
use crate::domain::objects::ObjectStatus;
use crate::domain::organisations::OrganisationKind;
use crate::domain::phase_rules::Requirement;
use crate::domain::role_types::RoleTarget;
use crate::domain::systems::{Criticality, LifecycleStatus, SystemKind};
use crate::transfer::model::{col, NaturalKey, Resource, Sql, Ty};

use super::{EXT, ID, ORG_NOTE};

#[rustfmt::skip]
pub(super) const ORGANISATIONS: Resource = Resource {
    key: "organisations",
    sheet: "Organisationer",
    table: "organisations",
    admin_only: true,
    natural_key: NaturalKey::None,
    about: "The municipality tree: kommun, nämnder, förvaltningar, enheter, bolag. A parent may come later in the sheet.",
    columns: &[
        EXT,
        ID,
        col("kind", "Typ", names!(OrganisationKind), Some("kind"), true, "municipality for the root (kommun); committee, administration, unit or company below it."),
        col("parent", "Överordnad", Ty::Ref("organisations"), Some("parent_id"), false, "The parent organisation's external id (or id). Empty only for a municipality."),
        col("name", "Namn", Ty::Text, Some("name"), true, "Up to 200 characters."),
        col("short_name", "Kortnamn", Ty::Text, Some("short_name"), false, "Up to 50 characters."),
    ],
    db: db!("municipality_id": Text, "parent_id": Text, "kind": Text, "name": Text, "name_sort": Text, "short_name": Text, "external_id": Text),
    example: &[("external_id", "SN-01"), ("kind", "committee"), ("parent", "NORRA"), ("name", "Socialnämnden"), ("short_name", "SN")],
};

#[rustfmt::skip]
pub(super) const FOCUS_AREAS: Resource = Resource {
    key: "focus-areas",
    sheet: "Målområden",
    table: "focus_areas",
    admin_only: true,
    natural_key: NaturalKey::Fields(&["municipality_id", "name"]),
    about: "A municipality's målområden.",
    columns: &[
        EXT,
        ID,
        col("municipality", "Kommun", Ty::Ref("organisations"), Some("municipality_id"), true, "The municipality's external id (or id)."),
        col("name", "Namn", Ty::Text, Some("name"), true, "Up to 200 characters."),
        col("description", "Beskrivning", Ty::Text, Some("description"), false, ""),
    ],
    db: db!("municipality_id": Text, "name": Text, "name_sort": Text, "description": Text, "external_id": Text),
    example: &[("external_id", "MO-1"), ("municipality", "NORRA"), ("name", "Självklar service")],
};

#[rustfmt::skip]
pub(super) const PHASE_RULES: Resource = Resource {
    key: "phase-rules",
    sheet: "Fasregler",
    table: "phase_rules",
    admin_only: true,
    natural_key: NaturalKey::Fields(&["municipality_id", "phase", "requirement"]),
    about: "Which evidence an activity needs before it may enter a phase. Matched on municipality + phase + requirement.",
    columns: &[
        ID,
        col("municipality", "Kommun", Ty::Ref("organisations"), Some("municipality_id"), true, "The municipality's external id (or id)."),
        col("phase", "Fas", names!(Phase), Some("phase"), true, "The phase the rule guards."),
        col("requirement", "Krav", names!(Requirement), Some("requirement"), true, "A documentation kind (done or not applicable) or a field that must be filled in."),
    ],
    db: db!("municipality_id": Text, "phase": Text, "requirement": Text),
    example: &[("municipality", "NORRA"), ("phase", "in_progress"), ("requirement", "risk_analysis")],
};

#[rustfmt::skip]
pub(super) const ROLE_TYPES: Resource = Resource {
    key: "role-types",
    sheet: "Rolltyper",
    table: "role_types",
    admin_only: true,
    natural_key: NaturalKey::Fields(&["municipality_id", "name"]),
    about: "The municipality's own role types (the shared ones are built in and not exported). Other sheets refer to role types by name.",
    columns: &[
        ID,
        col("municipality", "Kommun", Ty::Ref("organisations"), Some("municipality_id"), true, "The municipality's external id (or id)."),
        col("name", "Namn", Ty::Text, Some("name"), true, "Unique within the municipality; role assignments name the role type by it."),
        col("description", "Beskrivning", Ty::Text, Some("description"), false, ""),
        col("applies_to", "Gäller", names!(RoleTarget), Some("applies_to"), true, "Whether the role is held on objects or on systems."),
        col("required", "Obligatorisk", Ty::Bool, Some("required"), false, "Every object (or system) should have someone in this role."),
    ],
    db: db!("municipality_id": Text, "name": Text, "name_sort": Text, "description": Text, "applies_to": Text, "required": Bool),
    example: &[("municipality", "NORRA"), ("name", "Informationssäkerhetsansvarig"), ("applies_to", "object"), ("required", "nej")],
};

#[rustfmt::skip]
pub(super) const PEOPLE: Resource = Resource {
    key: "people",
    sheet: "Personer",
    table: "people",
    admin_only: true,
    natural_key: NaturalKey::None,
    about: "People who hold roles (minimal personal data).",
    columns: &[
        EXT,
        ID,
        col("organisation", "Organisation", Ty::Ref("organisations"), Some("organisation_id"), true, ORG_NOTE),
        col("name", "Namn", Ty::Text, Some("name"), true, "Up to 200 characters."),
        col("email", "E-post", Ty::Text, Some("email"), false, ""),
        col("title", "Titel", Ty::Text, Some("title"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "name": Text, "name_sort": Text, "email": Text, "title": Text, "external_id": Text),
    example: &[("external_id", "P-1001"), ("organisation", "SOC"), ("name", "Anna Svensson"), ("email", "anna.svensson@norra.se"), ("title", "Systemförvaltare")],
};

#[rustfmt::skip]
pub(super) const OBJECTS: Resource = Resource {
    key: "objects",
    sheet: "Förvaltningsobjekt",
    table: "objects",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "Förvaltningsobjekt, each owned by an organisation.",
    columns: &[
        EXT,
        ID,
        col("organisation", "Organisation", Ty::Ref("organisations"), Some("organisation_id"), true, "The owning organisation's external id (or id)."),
        col("name", "Namn", Ty::Text, Some("name"), true, "Up to 200 characters."),
        col("description", "Beskrivning", Ty::Text, Some("description"), false, ""),
        col("business_area", "Verksamhetsområde", Ty::Text, Some("business_area"), false, ""),
        col("status", "Status", names!(ObjectStatus), Some("status"), false, "Default active."),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "name": Text, "name_sort": Text, "description": Text, "business_area": Text, "status": Text, "external_id": Text),
    example: &[("external_id", "OBJ-SKOLA"), ("organisation", "BUF"), ("name", "Skolplattform"), ("status", "active")],
};

#[rustfmt::skip]
pub(super) const SYSTEMS: Resource = Resource {
    key: "systems",
    sheet: "System",
    table: "systems",
    admin_only: false,
    natural_key: NaturalKey::None,
    about: "IT systems, services and e-services, each inside an object.",
    columns: &[
        EXT,
        ID,
        col("object", "Förvaltningsobjekt", Ty::Ref("objects"), Some("object_id"), true, "The object's external id (or id)."),
        col("name", "Namn", Ty::Text, Some("name"), true, "Up to 200 characters."),
        col("kind", "Typ", names!(SystemKind), Some("kind"), true, ""),
        col("vendor", "Leverantör", Ty::Text, Some("vendor"), false, ""),
        col("lifecycle_status", "Livscykel", names!(LifecycleStatus), Some("lifecycle_status"), false, "Default operational."),
        col("criticality", "Kritikalitet", names!(Criticality), Some("criticality"), false, ""),
        col("personal_data", "Personuppgifter", Ty::Bool, Some("personal_data"), false, "Whether the system processes personal data."),
        col("confidentiality", "Konfidentialitet", Ty::Int, Some("confidentiality"), false, "Information classification 0–3."),
        col("integrity", "Riktighet", Ty::Int, Some("integrity"), false, "Information classification 0–3."),
        col("availability", "Tillgänglighet", Ty::Int, Some("availability"), false, "Information classification 0–3."),
        col("automated_decisions", "Automatiserade beslut", Ty::Bool, Some("automated_decisions"), false, ""),
        col("contract_end", "Avtalsslut", Ty::Date, Some("contract_end"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "object_id": Text, "name": Text, "name_sort": Text, "kind": Text, "vendor": Text, "lifecycle_status": Text, "criticality": Text, "personal_data": Bool, "confidentiality": Int, "integrity": Int, "availability": Int, "automated_decisions": Bool, "contract_end": Date, "external_id": Text),
    example: &[("external_id", "SYS-1"), ("object", "OBJ-SKOLA"), ("name", "Lärplattform"), ("kind", "system"), ("vendor", "Leverantör AB"), ("personal_data", "ja"), ("confidentiality", "2")],
};

#[rustfmt::skip]
pub(super) const ROLE_ASSIGNMENTS: Resource = Resource {
    key: "role-assignments",
    sheet: "Rolltilldelningar",
    table: "role_assignments",
    admin_only: false,
    natural_key: NaturalKey::Fields(&["person_id", "role_type_id", "object_id", "system_id", "valid_from"]),
    about: "Who holds which role on which object or system. Matched on id, else on person + role type + object/system + valid from.",
    columns: &[
        ID,
        col("person", "Person", Ty::Ref("people"), Some("person_id"), true, "The person's external id (or id)."),
        col("role_type", "Rolltyp", Ty::Ref("role-types"), Some("role_type_id"), true, "The role type's name, e.g. objektägare."),
        col("object", "Förvaltningsobjekt", Ty::Ref("objects"), Some("object_id"), false, "The object (give an object or a system, not both)."),
        col("system", "System", Ty::Ref("systems"), Some("system_id"), false, "The system (give an object or a system, not both)."),
        col("valid_from", "Gäller från", Ty::Date, Some("valid_from"), false, ""),
        col("valid_to", "Gäller till", Ty::Date, Some("valid_to"), false, ""),
    ],
    db: db!("municipality_id": Text, "organisation_id": Text, "person_id": Text, "role_type_id": Text, "object_id": Text, "system_id": Text, "valid_from": Date, "valid_to": Date),
    example: &[("person", "P-1001"), ("role_type", "Systemförvaltare"), ("system", "SYS-1"), ("valid_from", "2026-01-01")],
};
