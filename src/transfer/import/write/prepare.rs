//! Turning a planned row ([`Op`]) into the statements' bound values, away from the connection:
//! this runs on the thread that reads and validates the file, so the writer thread only
//! executes SQL.

use crate::domain::changes::ChangeAction;
use crate::domain::new_id;
use crate::error::ApiError;
use crate::transfer::import::sql::Bind;
use crate::transfer::load::{opt, text, Rec};
use crate::transfer::model::Resource;

use super::Op;

/// Who writes, when, and under which change batch: the same for every row of one import.
pub struct Stamp {
    pub batch_id: String,
    pub now: chrono::NaiveDateTime,
    pub actor: String,
}

/// What one row writes to its own table.
pub enum RowWrite {
    /// A decision's subject link (no change record of its own).
    Subject(Vec<Bind>),
    /// Organisations are written one by one: their tree links must exist before their children.
    CreateOrganisation {
        binds: Vec<Bind>,
        parent: Option<String>,
    },
    UpdateOrganisation {
        columns: Vec<&'static str>,
        binds: Vec<Bind>,
        /// The new parent, when the organisation moved.
        moved_to: Option<String>,
    },
    Create(Vec<Bind>),
    Update(Vec<&'static str>, Vec<Bind>),
}

/// One row, ready to execute.
pub struct Prepared {
    pub resource: &'static Resource,
    pub id: String,
    pub row: RowWrite,
    /// An updated activity's links are replaced: delete the old ones first.
    pub relink: bool,
    pub focus: Vec<Vec<Bind>>,
    pub funding: Vec<Vec<Bind>>,
    pub transition: Option<Vec<Bind>>,
    pub change: Option<Vec<Bind>>,
}

/// Computes every bound value `op` needs.
pub fn prepare(stamp: &Stamp, op: Op) -> Result<Prepared, ApiError> {
    let r = op.resource;
    let id = text(&op.after, "id").to_owned();
    if r.key == "decision-subjects" {
        let binds = super::SUBJECT_COLUMNS
            .iter()
            .map(|f| Bind::of(crate::transfer::model::Sql::Text, op.after.get(*f)))
            .collect();
        return Ok(Prepared {
            resource: r,
            id,
            row: RowWrite::Subject(binds),
            relink: false,
            focus: Vec::new(),
            funding: Vec::new(),
            transition: None,
            change: None,
        });
    }
    let create = op.action == ChangeAction::Create;
    let row = match (r.key, create) {
        ("organisations", true) => RowWrite::CreateOrganisation {
            binds: binds(r, &op.after),
            parent: opt(&op.after, "parent_id").map(str::to_owned),
        },
        ("organisations", false) => {
            let (columns, binds) = update_binds(r, &op.after);
            RowWrite::UpdateOrganisation {
                columns,
                binds,
                moved_to: opt(&op.after, "parent_id")
                    .filter(|_| op.moved)
                    .map(str::to_owned),
            }
        }
        (_, true) => RowWrite::Create(binds(r, &op.after)),
        (_, false) => {
            let (columns, binds) = update_binds(r, &op.after);
            RowWrite::Update(columns, binds)
        }
    };
    let (mut focus, mut funding) = (Vec::new(), Vec::new());
    if let Some(links) = &op.links {
        for f in &links.focus {
            focus.push(vec![
                Bind::Text(Some(id.clone())),
                Bind::Text(Some(f.clone())),
            ]);
        }
        for (org, amount) in &links.funding {
            funding.push(vec![
                Bind::Text(Some(id.clone())),
                Bind::Text(Some(org.clone())),
                Bind::BigInt(Some(*amount)),
            ]);
        }
    }
    let transition = op.transition.as_ref().map(|(from, to)| {
        vec![
            Bind::Text(Some(new_id())),
            Bind::Text(opt(&op.after, "municipality_id").map(str::to_owned)),
            Bind::Text(opt(&op.after, "organisation_id").map(str::to_owned)),
            Bind::Text(Some(id.clone())),
            Bind::Text(from.clone()),
            Bind::Text(Some(to.clone())),
            Bind::Timestamp(Some(stamp.now)),
            Bind::Text(Some(stamp.actor.clone())),
            Bind::Text(None),
            Bind::Text(None),
        ]
    });
    let change = Some(change(stamp, &op, &id)?);
    Ok(Prepared {
        resource: r,
        relink: op.links.is_some() && !create,
        id,
        row,
        focus,
        funding,
        transition,
        change,
    })
}

/// The change record of `op`: before and after as shown in the history (links included, sort
/// keys left out).
fn change(stamp: &Stamp, op: &Op, id: &str) -> Result<Vec<Bind>, ApiError> {
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
        Bind::Timestamp(Some(stamp.now)),
        Bind::Text(Some(stamp.actor.clone())),
        Bind::Text(Some(op.action.as_str().to_owned())),
        Bind::Text(Some(op.resource.key.to_owned())),
        Bind::Text(Some(id.to_owned())),
        Bind::Text(municipality),
        Bind::Text(organisation),
        Bind::Text(json(op.before.as_ref())?),
        Bind::Text(json(Some(&op.after))?),
        Bind::Text(Some(stamp.batch_id.clone())),
    ])
}

pub fn columns(r: &Resource) -> Vec<&'static str> {
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
