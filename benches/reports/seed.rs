//! The reports bench's data: `municipalities` municipality trees (kommun → 10 nämnder → one
//! förvaltning each → 4 enheter) created through the domain functions, then everything the
//! reports read, bulk-inserted with multi-row `INSERT … VALUES` (plain literals, valid on both
//! backends), one transaction per chunk: people, a municipality role type, förvaltningsobjekt
//! with role assignments (some required roles vacant), plans per year with budget lines (year or
//! quarter lines), focus areas, roadmaps, and the activities with their focus areas,
//! documentation items, phase transitions (a few overridden), benefits with follow-ups and risks;
//! audits with findings and actions. Proportions follow the activity's year and phase: old
//! activities are finished and well documented, next year's are ideas.
//!
//! Ids are UUIDv7 made as the rows are inserted, municipality by municipality, so one
//! municipality's activities lie together in `id` order (production data would interleave).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::anyhow;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use styra::auth::{Principal, Role};
use styra::db::DbConnection;
use styra::domain::activities::{ActivityKind, Phase};
use styra::domain::organisations::{self, OrganisationKind, OrganisationNew};
use styra::domain::text;

/// Rows per `INSERT` statement.
const ROWS_PER_INSERT: usize = 1_000;

/// The year the data is centred on (activities run from `FIRST_YEAR` to `LAST_YEAR`).
pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2027;

pub const COMMITTEES: &[(&str, &str)] = &[
    ("Kommunstyrelsen", "Kommunledningsförvaltningen"),
    ("Barn- och skolnämnden", "Barn- och skolförvaltningen"),
    ("Utbildningsnämnden", "Utbildningsförvaltningen"),
    ("Socialnämnden", "Socialförvaltningen"),
    ("Vård- och omsorgsnämnden", "Vård- och omsorgsförvaltningen"),
    (
        "Kultur- och fritidsnämnden",
        "Kultur- och fritidsförvaltningen",
    ),
    ("Tekniska nämnden", "Tekniska förvaltningen"),
    ("Byggnadsnämnden", "Stadsbyggnadskontoret"),
    ("Miljönämnden", "Miljöförvaltningen"),
    ("Arbetsmarknadsnämnden", "Arbetsmarknadsförvaltningen"),
];

const UNITS: &[&str] = &["Stab", "IT-enheten", "Verksamhetsstöd", "Ekonomienheten"];

/// One seeded municipality tree.
pub struct Municipality {
    pub id: String,
    pub committees: Vec<String>,
    /// One administration per committee, in the same order.
    pub administrations: Vec<String>,
    /// Four units per administration.
    pub units: Vec<String>,
}

impl Municipality {
    pub fn organisation_count(&self) -> usize {
        1 + self.committees.len() + self.administrations.len() + self.units.len()
    }

    /// The committee above an administration or unit (by position), or `None` for the
    /// municipality itself.
    pub fn committee_of(&self, org: Owner) -> Option<usize> {
        match org {
            Owner::Municipality => None,
            Owner::Committee(c) | Owner::Administration(c) => Some(c),
            Owner::Unit(u) => Some(u / UNITS.len()),
        }
    }

    pub fn owner_id(&self, org: Owner) -> &str {
        match org {
            Owner::Municipality => &self.id,
            Owner::Committee(c) => &self.committees[c],
            Owner::Administration(c) => &self.administrations[c],
            Owner::Unit(u) => &self.units[u],
        }
    }
}

/// An organisation of a tree by position.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Municipality,
    Committee(usize),
    Administration(usize),
    Unit(usize),
}

impl Owner {
    /// Who owns an activity: mostly units and administrations, sometimes the committee or the
    /// municipality itself.
    pub fn for_activity(rng: &mut StdRng) -> Owner {
        let committees = COMMITTEES.len();
        match rng.random_range(0..100) {
            0..5 => Owner::Municipality,
            5..15 => Owner::Committee(rng.random_range(0..committees)),
            15..40 => Owner::Administration(rng.random_range(0..committees)),
            _ => Owner::Unit(rng.random_range(0..committees * UNITS.len())),
        }
    }

    /// Who owns a förvaltningsobjekt: an administration or a unit.
    pub fn for_object(rng: &mut StdRng) -> Owner {
        let committees = COMMITTEES.len();
        if rng.random_bool(0.4) {
            Owner::Administration(rng.random_range(0..committees))
        } else {
            Owner::Unit(rng.random_range(0..committees * UNITS.len()))
        }
    }
}

/// An SQL string literal.
pub fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub fn opt_lit(s: Option<&str>) -> String {
    s.map_or_else(|| "NULL".to_owned(), lit)
}

pub fn date(d: NaiveDate) -> String {
    format!("'{}'", d.format("%Y-%m-%d"))
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "NULL".to_owned(), date)
}

pub fn stamp(t: NaiveDateTime) -> String {
    format!("'{}'", t.format("%Y-%m-%d %H:%M:%S%.6f"))
}

pub fn opt_num<T: std::fmt::Display>(n: Option<T>) -> String {
    n.map_or_else(|| "NULL".to_owned(), |n| n.to_string())
}

pub fn bool_lit(b: bool) -> &'static str {
    if b {
        "TRUE"
    } else {
        "FALSE"
    }
}

/// A day of `year` (`day_of_year` from 0, clamped to the year's length).
pub fn day(year: i32, day_of_year: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
    first
        .checked_add_days(chrono::Days::new(u64::from(day_of_year.min(364))))
        .unwrap_or(first)
}

/// Rows waiting to be inserted into one table.
pub struct Rows {
    table: &'static str,
    columns: &'static str,
    values: Vec<String>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static str) -> Rows {
        Rows {
            table,
            columns,
            values: Vec::new(),
        }
    }

    /// One row: the values, comma-separated, without parentheses.
    pub fn push(&mut self, values: String) {
        self.values.push(values);
    }

    /// Moves the rows into `INSERT` statements of at most [`ROWS_PER_INSERT`] rows.
    fn drain_into(&mut self, statements: &mut Vec<String>, counts: &mut BTreeMap<&str, usize>) {
        *counts.entry(self.table).or_default() += self.values.len();
        for chunk in self.values.chunks(ROWS_PER_INSERT) {
            let mut sql = String::with_capacity(chunk.iter().map(|v| v.len() + 4).sum::<usize>());
            let _ = write!(sql, "INSERT INTO {} ({}) VALUES ", self.table, self.columns);
            for (i, v) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(',');
                }
                sql.push('(');
                sql.push_str(v);
                sql.push(')');
            }
            statements.push(sql);
        }
        self.values.clear();
    }
}

/// Runs the statements of some tables (in the order given, parents first) in one transaction,
/// and counts their rows.
pub fn flush(
    conn: &mut DbConnection,
    tables: &mut [&mut Rows],
    counts: &mut BTreeMap<&'static str, usize>,
) -> anyhow::Result<()> {
    let mut statements = Vec::new();
    let mut added: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tables.iter_mut() {
        t.drain_into(&mut statements, &mut added);
    }
    conn.transaction(|conn| -> anyhow::Result<()> {
        for s in &statements {
            conn.batch_execute(s)?;
        }
        Ok(())
    })?;
    for t in tables.iter() {
        *counts.entry(t.table).or_default() += added.get(t.table).copied().unwrap_or(0);
    }
    Ok(())
}

/// Creates one municipality tree through the domain functions (closure rows, change records).
pub fn seed_tree(conn: &mut DbConnection, number: usize) -> anyhow::Result<Municipality> {
    let admin = Principal {
        subject: "bench".to_owned(),
        role: Role::Admin,
        orgs: None,
        read_only: false,
    };
    let result: Result<Municipality, styra::error::ApiError> = conn.transaction(|conn| {
        let mut org = |kind, parent: Option<&str>, name: String| {
            organisations::create(
                conn,
                &admin,
                OrganisationNew {
                    kind,
                    parent_id: parent.map(str::to_owned),
                    name,
                    short_name: None,
                    external_id: None,
                },
            )
            .map(|o| o.id)
        };
        let id = org(
            OrganisationKind::Municipality,
            None,
            format!("Bänkeby {:02} kommun", number + 1),
        )?;
        let mut m = Municipality {
            id,
            committees: Vec::new(),
            administrations: Vec::new(),
            units: Vec::new(),
        };
        for (committee, administration) in COMMITTEES {
            let c = org(
                OrganisationKind::Committee,
                Some(&m.id),
                (*committee).to_owned(),
            )?;
            let a = org(
                OrganisationKind::Administration,
                Some(&c),
                (*administration).to_owned(),
            )?;
            for unit in UNITS {
                m.units.push(org(
                    OrganisationKind::Unit,
                    Some(&a),
                    format!("{unit}, {administration}"),
                )?);
            }
            m.committees.push(c);
            m.administrations.push(a);
        }
        Ok(m)
    });
    result.map_err(|e| anyhow!("seeding the organisations failed: {e:?}"))
}

/// What the activities of one municipality link to, made by [`seed_registry`].
pub struct Registry {
    pub focus_areas: Vec<String>,
    /// Per committee: its roadmap for 2020–2023 and for 2024–2027, when it has one.
    pub committee_roadmaps: Vec<[Option<String>; 2]>,
    /// The municipality's own roadmaps for the two periods.
    pub municipality_roadmaps: [String; 2],
}

/// Random choices shared by the seeders.
pub fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

pub fn rng_for(municipality: usize, part: u64) -> StdRng {
    StdRng::seed_from_u64(municipality as u64 * 1_000 + part)
}

/// Name sort key as the domain computes it.
pub fn sort(s: &str) -> String {
    text::sort_key(s)
}

/// A phase for an activity of `year`, seen from `current` (this year): past years are mostly
/// finished, the current year is under way, next year's are ideas and plans.
pub fn phase_for(rng: &mut StdRng, year: i32, current: i32) -> Phase {
    let r = rng.random_range(0..100);
    if year < current {
        match r {
            0..45 => Phase::Completed,
            45..75 => Phase::Evaluated,
            75..85 => Phase::Cancelled,
            _ => Phase::InProgress,
        }
    } else if year == current {
        match r {
            0..10 => Phase::Idea,
            10..20 => Phase::NeedsAnalysis,
            20..40 => Phase::Planned,
            40..75 => Phase::InProgress,
            75..92 => Phase::Completed,
            _ => Phase::Cancelled,
        }
    } else {
        match r {
            0..40 => Phase::Idea,
            40..70 => Phase::NeedsAnalysis,
            _ => Phase::Planned,
        }
    }
}

pub fn kind_for(rng: &mut StdRng) -> ActivityKind {
    *pick(rng, ActivityKind::ALL)
}

/// The number of rows per table, for the report.
pub fn print_counts(counts: &BTreeMap<&str, usize>) {
    let list: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    eprintln!("rows: {}", list.join(", "));
}

/// This year, as the server sees it.
pub fn current_year() -> i32 {
    chrono::Utc::now().year()
}

/// The trees and row counts of a database an earlier run seeded and kept (`STYRA_BENCH_REUSE`):
/// municipalities in name order, each with its committees, administrations and units.
pub fn reload(conn: &mut DbConnection) -> anyhow::Result<crate::Seeded> {
    use diesel::prelude::*;
    use styra::db::schema::organisations as o;
    let orgs: Vec<(String, String, String, Option<String>, String)> = o::table
        .select((o::id, o::municipality_id, o::kind, o::parent_id, o::name))
        .order((o::name_sort, o::id))
        .load(conn)?;
    let mut trees: Vec<Municipality> = orgs
        .iter()
        .filter(|(id, m, ..)| id == m)
        .map(|(id, ..)| Municipality {
            id: id.clone(),
            committees: Vec::new(),
            administrations: Vec::new(),
            units: Vec::new(),
        })
        .collect();
    for t in &mut trees {
        let of = |kind: &str| -> Vec<String> {
            orgs.iter()
                .filter(|(_, m, k, ..)| *m == t.id && k == kind)
                .map(|(id, ..)| id.clone())
                .collect()
        };
        t.committees = of("committee");
        t.administrations = of("administration");
        t.units = of("unit");
    }
    let mut counts = BTreeMap::new();
    for table in [
        "organisations",
        "activities",
        "documentation_items",
        "benefits",
        "risks",
    ] {
        let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT COUNT(*) FROM {table})"
        )))
        .get_result(conn)?;
        counts.insert(table, usize::try_from(n)?);
    }
    Ok(crate::Seeded {
        trees,
        counts,
        load: 0.0,
        analyze: 0.0,
    })
}
