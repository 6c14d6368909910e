//! The column tables of every resource. Headers are Swedish (required ones get a `*` in
//! templates); the English keys are the JSON keys and are accepted as headers too.

use crate::transfer::model::{col, Column, Resource, Ty};

macro_rules! names {
    ($e:ty) => {
        Ty::Enum(|| <$e>::ALL.iter().map(|v| v.as_str()).collect())
    };
}

const EXT: Column = col(
    "external_id",
    "Externt id",
    Ty::Text,
    Some("external_id"),
    false,
    "Your own key, unique within the municipality. Rows are matched on it (then on id); other rows refer to this row by it.",
);
const ID: Column = col(
    "id",
    "Id",
    Ty::Id,
    Some("id"),
    false,
    "Styra's id. Leave empty for new rows; an export fills it in. Used as the key when external_id is empty.",
);

/// The audit columns every table has; never imported or exported.
macro_rules! db {
    ($($f:literal : $t:ident),* $(,)?) => {
        &[("id", Sql::Text), $(($f, Sql::$t),)* ("version", Sql::Int), ("created_at", Sql::Timestamp), ("modified_at", Sql::Timestamp)]
    };
}

const ORG_NOTE: &str = "The organisation's external id (or id).";

// Declared after the macros above so the tables in them can use `names!` and `db!`.
mod planning;
mod registers;

pub static RESOURCES: &[Resource] = &[
    registers::ORGANISATIONS,
    registers::FOCUS_AREAS,
    registers::PHASE_RULES,
    registers::ROLE_TYPES,
    registers::PEOPLE,
    registers::OBJECTS,
    registers::SYSTEMS,
    registers::ROLE_ASSIGNMENTS,
    planning::DECISIONS,
    planning::PLANS,
    planning::BUDGET_LINES,
    planning::ROADMAPS,
    planning::ROADMAP_GOALS,
    planning::ACTIVITIES,
    planning::DOCUMENTATION_ITEMS,
    planning::BENEFITS,
    planning::BENEFIT_FOLLOW_UPS,
    planning::RISKS,
    planning::AUDIT_FINDINGS,
    planning::AUDIT_ACTIONS,
    planning::DECISION_SUBJECTS,
];
