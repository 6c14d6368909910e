//! Reads every importable table into uniform records (the domain row types serialized to JSON
//! objects keyed by database column), for the export and for matching rows on import.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::auth::Principal;
use crate::db::schema;
use crate::db::DbConnection;
use crate::domain;
use crate::error::ApiError;

/// One record: database column → value, as the domain type serializes it.
pub type Rec = serde_json::Map<String, serde_json::Value>;

/// Every record of every importable table.
#[derive(Default)]
pub struct Store {
    /// Records per resource key, ordered by id.
    pub recs: HashMap<&'static str, Vec<Rec>>,
    /// Focus area ids per activity.
    pub focus: HashMap<String, Vec<String>>,
    /// Co-funding (organisation id, amount) per activity.
    pub funding: HashMap<String, Vec<(String, i64)>>,
    /// Decision subjects: (decision id, resource, record id).
    pub subjects: Vec<(String, String, String)>,
}

impl Store {
    pub fn get(&self, resource: &str) -> &[Rec] {
        self.recs.get(resource).map(Vec::as_slice).unwrap_or(&[])
    }
}

fn to_rec<T: serde::Serialize>(row: T) -> Result<Rec, ApiError> {
    match serde_json::to_value(row).map_err(ApiError::internal)? {
        serde_json::Value::Object(map) => Ok(map),
        _ => Err(ApiError::internal("a row did not serialize to an object")),
    }
}

macro_rules! load {
    ($conn:expr, $store:expr, $key:literal, $table:ident, $ty:ty) => {{
        let rows: Vec<$ty> = schema::$table::table
            .select(<$ty>::as_select())
            .load($conn)?;
        let mut recs = rows
            .into_iter()
            .map(to_rec)
            .collect::<Result<Vec<Rec>, _>>()?;
        // Sorted here, not in SQL: PostgreSQL's collation need not be bytewise.
        recs.sort_by(|a, b| text(a, "id").cmp(text(b, "id")));
        $store.recs.insert($key, recs);
    }};
}

/// A text field of a record ("" when absent or null).
pub fn text<'a>(rec: &'a Rec, field: &str) -> &'a str {
    rec.get(field).and_then(|v| v.as_str()).unwrap_or("")
}

/// An optional text field of a record.
pub fn opt<'a>(rec: &'a Rec, field: &str) -> Option<&'a str> {
    rec.get(field).and_then(|v| v.as_str())
}

/// Loads every importable table, unscoped.
pub fn load_all(conn: &mut DbConnection) -> Result<Store, ApiError> {
    use domain::*;
    let mut s = Store::default();
    load!(
        conn,
        s,
        "organisations",
        organisations,
        organisations::Organisation
    );
    load!(conn, s, "focus-areas", focus_areas, focus_areas::FocusArea);
    load!(conn, s, "phase-rules", phase_rules, phase_rules::PhaseRule);
    load!(conn, s, "role-types", role_types, role_types::RoleType);
    load!(conn, s, "people", people, people::Person);
    load!(conn, s, "objects", objects, objects::Object);
    load!(conn, s, "systems", systems, systems::System);
    load!(
        conn,
        s,
        "role-assignments",
        role_assignments,
        role_assignments::RoleAssignment
    );
    load!(conn, s, "decisions", decisions, decisions::DecisionRow);
    load!(conn, s, "plans", plans, plans::Plan);
    load!(
        conn,
        s,
        "budget-lines",
        budget_lines,
        budget_lines::BudgetLine
    );
    load!(conn, s, "roadmaps", roadmaps, roadmaps::Roadmap);
    load!(
        conn,
        s,
        "roadmap-goals",
        roadmap_goals,
        roadmap_goals::RoadmapGoal
    );
    load!(conn, s, "activities", activities, activities::ActivityRow);
    load!(
        conn,
        s,
        "documentation-items",
        documentation_items,
        documentation_items::DocumentationItem
    );
    load!(conn, s, "benefits", benefits, benefits::Benefit);
    load!(
        conn,
        s,
        "benefit-follow-ups",
        benefit_follow_ups,
        benefit_follow_ups::BenefitFollowUp
    );
    load!(conn, s, "risks", risks, risks::Risk);
    load!(
        conn,
        s,
        "audit-findings",
        audit_findings,
        audit_findings::AuditFinding
    );
    load!(
        conn,
        s,
        "audit-actions",
        audit_actions,
        audit_actions::AuditAction
    );
    {
        use schema::activity_focus_areas as afa;
        let rows: Vec<(String, String)> = afa::table.load(conn)?;
        for (a, f) in rows {
            s.focus.entry(a).or_default().push(f);
        }
        use schema::activity_funding as af;
        let rows: Vec<(String, String, i64)> = af::table.load(conn)?;
        for (a, o, amount) in rows {
            s.funding.entry(a).or_default().push((o, amount));
        }
        use schema::decision_subjects as ds;
        s.subjects = ds::table.load(conn)?;
        s.subjects.sort();
    }
    Ok(s)
}

/// What a principal may see: every organisation (None), or these organisations and the
/// municipalities they lie in.
pub struct Visibility {
    pub orgs: Option<HashSet<String>>,
    pub municipalities: Option<HashSet<String>>,
}

impl Visibility {
    pub fn of(conn: &mut DbConnection, principal: &Principal) -> Result<Visibility, ApiError> {
        let Some(roots) = principal.orgs.clone() else {
            return Ok(Visibility {
                orgs: None,
                municipalities: None,
            });
        };
        let orgs: Vec<String> = domain::scope::subtree_ids(roots).load(conn)?;
        let municipalities: Vec<String> = schema::organisations::table
            .filter(schema::organisations::id.eq_any(&orgs))
            .select(schema::organisations::municipality_id)
            .distinct()
            .load(conn)?;
        Ok(Visibility {
            orgs: Some(orgs.into_iter().collect()),
            municipalities: Some(municipalities.into_iter().collect()),
        })
    }

    pub fn org(&self, id: &str) -> bool {
        self.orgs.as_ref().is_none_or(|s| s.contains(id))
    }

    pub fn municipality(&self, id: &str) -> bool {
        self.municipalities.as_ref().is_none_or(|s| s.contains(id))
    }

    /// Whether a record of `resource` is visible: by its organisation, or for municipality-wide
    /// resources by its municipality.
    pub fn sees(&self, resource: &str, rec: &Rec) -> bool {
        match resource {
            "organisations" => self.org(text(rec, "id")),
            "focus-areas" | "phase-rules" | "role-types" => {
                opt(rec, "municipality_id").is_some_and(|m| self.municipality(m))
            }
            _ => self.org(text(rec, "organisation_id")),
        }
    }
}
