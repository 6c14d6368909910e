//! Writing a validated import: many rows per INSERT, one UPDATE per changed row, the activity
//! links, phase transitions, organisation tree links, and one change record per created or
//! updated row, all under the import's batch id.

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::{new_id, organisations, phase_rules};
use crate::error::ApiError;
use crate::transfer::import::sql::{self, Bind};
use crate::transfer::load::{opt, text, Rec};
use crate::transfer::model::{Resource, Sql};

/// An activity's focus areas and co-funding (ids), written when they changed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Links {
    pub focus: Vec<String>,
    pub funding: Vec<(String, i64)>,
}

/// One row to write.
pub struct Op {
    pub resource: &'static Resource,
    pub action: ChangeAction,
    pub before: Option<Rec>,
    pub after: Rec,
    /// Activities: the links to (re)write, when they changed.
    pub links: Option<Links>,
    /// Activities: the phase transition to record (from, to).
    pub transition: Option<(Option<String>, String)>,
    /// Organisations: the record was moved under another parent.
    pub moved: bool,
}

const CHANGE_COLUMNS: &[&str] = &[
    "id",
    "at",
    "actor",
    "action",
    "resource",
    "record_id",
    "municipality_id",
    "organisation_id",
    "before",
    "after",
    "batch_id",
];
const TRANSITION_COLUMNS: &[&str] = &[
    "id",
    "municipality_id",
    "organisation_id",
    "activity_id",
    "from_phase",
    "to_phase",
    "at",
    "actor",
    "override_reason",
    "missing",
];

/// Buffers rows and writes them in large statements, keeping references in order: a resource's
/// new rows go in before its links, and every resource before the next.
pub struct Writer<'p> {
    principal: &'p Principal,
    pub batch_id: String,
    now: chrono::NaiveDateTime,
    seed_phase_rules: bool,
    current: Option<&'static Resource>,
    creates: Vec<Vec<Bind>>,
    changes: Vec<Vec<Bind>>,
    focus: Vec<Vec<Bind>>,
    funding: Vec<Vec<Bind>>,
    transitions: Vec<Vec<Bind>>,
}

const CHUNK: usize = 2000;

impl<'p> Writer<'p> {
    pub fn new(
        principal: &'p Principal,
        now: chrono::NaiveDateTime,
        seed_phase_rules: bool,
    ) -> Self {
        Writer {
            principal,
            batch_id: new_id(),
            now,
            seed_phase_rules,
            current: None,
            creates: Vec::new(),
            changes: Vec::new(),
            focus: Vec::new(),
            funding: Vec::new(),
            transitions: Vec::new(),
        }
    }

    pub fn push(&mut self, conn: &mut DbConnection, op: Op) -> Result<(), ApiError> {
        if self.current.map(|r| r.key) != Some(op.resource.key) {
            self.flush(conn)?;
            self.current = Some(op.resource);
        }
        let r = op.resource;
        let id = text(&op.after, "id").to_owned();
        match r.key {
            "decision-subjects" => {
                sql::insert_rows(
                    conn,
                    "decision_subjects",
                    &["decision_id", "resource", "record_id"],
                    vec![["decision_id", "resource", "record_id"]
                        .iter()
                        .map(|f| Bind::of(Sql::Text, op.after.get(*f)))
                        .collect()],
                )?;
                return Ok(());
            }
            "organisations" => self.write_organisation(conn, &op)?,
            _ => match op.action {
                ChangeAction::Create => self.creates.push(binds(r, &op.after)),
                _ => {
                    let (cols, values) = update_binds(r, &op.after);
                    sql::update_row(conn, r.table, &cols, values, &id)?;
                }
            },
        }
        if let Some(links) = &op.links {
            if op.action != ChangeAction::Create {
                for table in ["activity_focus_areas", "activity_funding"] {
                    sql::execute(
                        conn,
                        &format!("DELETE FROM {table} WHERE activity_id = $1"),
                        vec![Bind::Text(Some(id.clone()))],
                    )?;
                }
            }
            for f in &links.focus {
                self.focus.push(vec![
                    Bind::Text(Some(id.clone())),
                    Bind::Text(Some(f.clone())),
                ]);
            }
            for (org, amount) in &links.funding {
                self.funding.push(vec![
                    Bind::Text(Some(id.clone())),
                    Bind::Text(Some(org.clone())),
                    Bind::BigInt(Some(*amount)),
                ]);
            }
        }
        if let Some((from, to)) = &op.transition {
            self.transitions.push(vec![
                Bind::Text(Some(new_id())),
                Bind::Text(opt(&op.after, "municipality_id").map(str::to_owned)),
                Bind::Text(opt(&op.after, "organisation_id").map(str::to_owned)),
                Bind::Text(Some(id.clone())),
                Bind::Text(from.clone()),
                Bind::Text(Some(to.clone())),
                Bind::Timestamp(Some(self.now)),
                Bind::Text(Some(self.principal.subject.clone())),
                Bind::Text(None),
                Bind::Text(None),
            ]);
        }
        self.changes.push(self.change(&op, &id)?);
        if self.creates.len() >= CHUNK || self.changes.len() >= CHUNK {
            self.flush(conn)?;
        }
        Ok(())
    }

    fn write_organisation(&mut self, conn: &mut DbConnection, op: &Op) -> Result<(), ApiError> {
        let r = op.resource;
        let id = text(&op.after, "id").to_owned();
        let parent = opt(&op.after, "parent_id").map(str::to_owned);
        match op.action {
            ChangeAction::Create => {
                sql::insert_rows(conn, r.table, &columns(r), vec![binds(r, &op.after)])?;
                organisations::link_into_tree(conn, &id, parent.as_deref())?;
                if parent.is_none() && self.seed_phase_rules {
                    phase_rules::seed_defaults(conn, self.principal, &id)?;
                    sql::execute(
                        conn,
                        "UPDATE changes SET batch_id = $1 WHERE resource = 'phase-rules' AND municipality_id = $2 AND batch_id IS NULL",
                        vec![Bind::Text(Some(self.batch_id.clone())), Bind::Text(Some(id.clone()))],
                    )?;
                }
            }
            _ => {
                let (cols, values) = update_binds(r, &op.after);
                sql::update_row(conn, r.table, &cols, values, &id)?;
                if let (true, Some(p)) = (op.moved, parent.as_deref()) {
                    organisations::move_subtree(conn, &id, p)?;
                }
            }
        }
        Ok(())
    }

    fn change(&self, op: &Op, id: &str) -> Result<Vec<Bind>, ApiError> {
        let json = |rec: Option<&Rec>| -> Result<Option<String>, ApiError> {
            rec.map(|rec| {
                let mut shown = rec.clone();
                shown.remove("name_sort");
                shown.remove("title_sort");
                if let Some(links) = &op.links {
                    shown.insert("focus_area_ids".into(), links.focus.clone().into());
                    shown.insert(
                        "co_funding".into(),
                        links
                            .funding
                            .iter()
                            .map(|(o, a)| serde_json::json!({"organisation_id": o, "amount": a}))
                            .collect(),
                    );
                }
                serde_json::to_string(&shown).map_err(ApiError::internal)
            })
            .transpose()
        };
        let municipality = opt(&op.after, "municipality_id").map(str::to_owned);
        let organisation = match op.resource.key {
            "organisations" => Some(id.to_owned()),
            _ => opt(&op.after, "organisation_id").map(str::to_owned),
        };
        Ok(vec![
            Bind::Text(Some(new_id())),
            Bind::Timestamp(Some(self.now)),
            Bind::Text(Some(self.principal.subject.clone())),
            Bind::Text(Some(op.action.as_str().to_owned())),
            Bind::Text(Some(op.resource.key.to_owned())),
            Bind::Text(Some(id.to_owned())),
            Bind::Text(municipality),
            Bind::Text(organisation),
            Bind::Text(json(op.before.as_ref())?),
            Bind::Text(json(Some(&op.after))?),
            Bind::Text(Some(self.batch_id.clone())),
        ])
    }

    /// Writes everything buffered.
    pub fn flush(&mut self, conn: &mut DbConnection) -> Result<(), ApiError> {
        if let Some(r) = self.current {
            if !self.creates.is_empty() {
                sql::insert_rows(
                    conn,
                    r.table,
                    &columns(r),
                    std::mem::take(&mut self.creates),
                )?;
            }
        }
        let focus = std::mem::take(&mut self.focus);
        sql::insert_rows(
            conn,
            "activity_focus_areas",
            &["activity_id", "focus_area_id"],
            focus,
        )?;
        let funding = std::mem::take(&mut self.funding);
        sql::insert_rows(
            conn,
            "activity_funding",
            &["activity_id", "organisation_id", "amount"],
            funding,
        )?;
        let transitions = std::mem::take(&mut self.transitions);
        sql::insert_rows(conn, "phase_transitions", TRANSITION_COLUMNS, transitions)?;
        let changes = std::mem::take(&mut self.changes);
        sql::insert_rows(conn, "changes", CHANGE_COLUMNS, changes)?;
        Ok(())
    }
}

fn columns(r: &Resource) -> Vec<&'static str> {
    r.db.iter().map(|(c, _)| *c).collect()
}

fn binds(r: &Resource, rec: &Rec) -> Vec<Bind> {
    r.db.iter()
        .map(|(c, ty)| Bind::of(*ty, rec.get(*c)))
        .collect()
}

/// Every column but the id and created_at, for an UPDATE.
fn update_binds(r: &Resource, rec: &Rec) -> (Vec<&'static str>, Vec<Bind>) {
    r.db.iter()
        .filter(|(c, _)| !matches!(*c, "id" | "created_at"))
        .map(|(c, ty)| (*c, Bind::of(*ty, rec.get(*c))))
        .unzip()
}
