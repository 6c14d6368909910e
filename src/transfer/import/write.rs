//! Writing a validated import: many rows per INSERT, one UPDATE per changed row, the activity
//! links, phase transitions, organisation tree links, and one change record per created or
//! updated row, all under the import's batch id.
//!
//! The writer runs on its own thread with the import's connection while the rows are still
//! being read and validated ([`prepare`] builds each row's bound values on the reading side):
//! on a large file the two halves take about as long as each other, so the import takes half
//! the time on two cores.

mod prepare;

use std::sync::mpsc::Receiver;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::changes::ChangeAction;
use crate::domain::{organisations, phase_rules};
use crate::error::ApiError;
use crate::transfer::import::sql::{self, Bind};
use crate::transfer::load::Rec;
use crate::transfer::model::Resource;

pub use prepare::{prepare, Prepared, RowWrite, Stamp};

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
/// A decision subject link: the columns of `decision_subjects`, also the record's fields.
const SUBJECT_COLUMNS: &[&str] = &["decision_id", "resource", "record_id"];
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

/// What the reading side sends the writer.
pub enum Message {
    Row(Box<Prepared>),
    /// Every row was valid: write what is buffered. (A closed channel without it means the
    /// import is rejected and rolled back, so the rest is not written.)
    Finish,
}

/// Buffers rows and writes them in large statements, keeping references in order: a resource's
/// new rows go in before its links, and every resource before the next.
pub struct Writer<'p> {
    principal: &'p Principal,
    batch_id: String,
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
    pub fn new(principal: &'p Principal, batch_id: String, seed_phase_rules: bool) -> Self {
        Writer {
            principal,
            batch_id,
            seed_phase_rules,
            current: None,
            creates: Vec::new(),
            changes: Vec::new(),
            focus: Vec::new(),
            funding: Vec::new(),
            transitions: Vec::new(),
        }
    }

    /// Writes what arrives until the reading side finishes or gives up; stops at the first
    /// database error (which drops the receiver, and the reading side stops too).
    pub fn run(mut self, conn: &mut DbConnection, rows: Receiver<Message>) -> Result<(), ApiError> {
        for message in rows {
            match message {
                Message::Row(row) => self.apply(conn, *row)?,
                Message::Finish => return self.flush(conn),
            }
        }
        Ok(())
    }

    fn apply(&mut self, conn: &mut DbConnection, p: Prepared) -> Result<(), ApiError> {
        if self.current.map(|r| r.key) != Some(p.resource.key) {
            self.flush(conn)?;
            self.current = Some(p.resource);
        }
        let r = p.resource;
        match p.row {
            RowWrite::Subject(binds) => {
                sql::insert_rows(conn, "decision_subjects", SUBJECT_COLUMNS, vec![binds])?;
                return Ok(());
            }
            RowWrite::CreateOrganisation { binds, parent } => {
                sql::insert_rows(conn, r.table, &prepare::columns(r), vec![binds])?;
                organisations::link_into_tree(conn, &p.id, parent.as_deref())?;
                if parent.is_none() && self.seed_phase_rules {
                    phase_rules::seed_defaults(conn, self.principal, &p.id)?;
                    sql::execute(
                        conn,
                        "UPDATE changes SET batch_id = $1 WHERE resource = 'phase-rules' AND municipality_id = $2 AND batch_id IS NULL",
                        vec![Bind::Text(Some(self.batch_id.clone())), Bind::Text(Some(p.id.clone()))],
                    )?;
                }
            }
            RowWrite::UpdateOrganisation {
                columns,
                binds,
                moved_to,
            } => {
                sql::update_row(conn, r.table, &columns, binds, &p.id)?;
                if let Some(parent) = moved_to.as_deref() {
                    organisations::move_subtree(conn, &p.id, parent)?;
                }
            }
            RowWrite::Create(binds) => self.creates.push(binds),
            RowWrite::Update(columns, binds) => {
                sql::update_row(conn, r.table, &columns, binds, &p.id)?;
            }
        }
        if p.relink {
            for table in ["activity_focus_areas", "activity_funding"] {
                sql::execute(
                    conn,
                    &format!("DELETE FROM {table} WHERE activity_id = $1"),
                    vec![Bind::Text(Some(p.id.clone()))],
                )?;
            }
        }
        self.focus.extend(p.focus);
        self.funding.extend(p.funding);
        self.transitions.extend(p.transition);
        self.changes.extend(p.change);
        if self.creates.len() >= CHUNK || self.changes.len() >= CHUNK {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes everything buffered.
    fn flush(&mut self, conn: &mut DbConnection) -> Result<(), ApiError> {
        if let Some(r) = self.current {
            if !self.creates.is_empty() {
                let creates = std::mem::take(&mut self.creates);
                sql::insert_rows(conn, r.table, &prepare::columns(r), creates)?;
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
