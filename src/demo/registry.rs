//! The registry stages: the municipality's organisation tree, its staff, the förvaltningsobjekt
//! with their systems, and who holds which role on them (with vacancies and ended assignments).

use rand::seq::SliceRandom;
use rand::Rng;

use super::catalogue::{COMPANY_OWNER, OBJECTS};
use super::names::{self, COMMITTEES};
use super::world::{today, valid, ymd, Committee, ObjectRef, OrFail, Staff, World};
use super::Stage;
use crate::db::DbConnection;
use crate::domain::objects::{self, ObjectNew, ObjectStatus};
use crate::domain::organisations::{self, OrganisationKind, OrganisationNew};
use crate::domain::people::{self, PersonNew};
use crate::domain::role_assignments::{self, RoleAssignmentNew};
use crate::domain::systems::{self, Criticality, LifecycleStatus, SystemNew};

/// Number of people on the staff.
const PEOPLE: usize = 60;

// The seeded role types (migrations/*/…_core/up.sql).
const OBJEKTAGARE: &str = "00000000-0000-7000-8000-000000000001";
const OBJEKTFORVALTARE: &str = "00000000-0000-7000-8000-000000000002";
const SYSTEMAGARE: &str = "00000000-0000-7000-8000-000000000003";
const SYSTEMFORVALTARE: &str = "00000000-0000-7000-8000-000000000004";
const DRIFTANSVARIG: &str = "00000000-0000-7000-8000-000000000005";
const VERKSAMHETSREPRESENTANT: &str = "00000000-0000-7000-8000-000000000006";

fn org(
    conn: &mut DbConnection,
    w: &World,
    kind: OrganisationKind,
    parent: Option<&str>,
    name: &str,
    short: Option<&str>,
    external_id: String,
) -> anyhow::Result<String> {
    let input = valid(
        OrganisationNew {
            kind,
            parent_id: parent.map(str::to_owned),
            name: name.to_owned(),
            short_name: short.map(str::to_owned),
            external_id: Some(external_id),
        },
        name,
    )?;
    Ok(organisations::create(conn, &w.principal, input)
        .or_fail(name)?
        .id)
}

/// The municipality, its committees with administrations and units, and the company.
pub fn organisations(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let total = 2 + COMMITTEES.iter().map(|c| 2 + c.units.len()).sum::<usize>();
    let mut stage = Stage::new("organisations", total, 0);
    use OrganisationKind as K;
    w.municipality = org(
        conn,
        w,
        K::Municipality,
        None,
        names::MUNICIPALITY,
        Some(names::MUNICIPALITY_SHORT),
        "2999".into(),
    )?;
    stage.tick();
    for spec in COMMITTEES {
        let m = w.municipality.clone();
        let id = org(
            conn,
            w,
            K::Committee,
            Some(&m),
            spec.name,
            Some(spec.short),
            format!("N-{}", spec.short),
        )?;
        let admin = org(
            conn,
            w,
            K::Administration,
            Some(&id),
            spec.administration,
            None,
            format!("F-{}", spec.short),
        )?;
        let mut units = Vec::new();
        for (i, unit) in spec.units.iter().enumerate() {
            let ext = format!("E-{}-{}", spec.short, i + 1);
            units.push(org(conn, w, K::Unit, Some(&admin), unit, None, ext)?);
        }
        stage.add(2 + units.len());
        w.committees.push(Committee { id, admin, units });
    }
    let m = w.municipality.clone();
    w.company = org(
        conn,
        w,
        K::Company,
        Some(&m),
        names::COMPANY,
        Some(names::COMPANY_SHORT),
        format!("B-{}", names::COMPANY_SHORT),
    )?;
    stage.tick();
    stage.finish();
    Ok(())
}

/// Sixty people: three per administration, one or two per unit, the IT unit and the company.
pub fn people(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    // (owner, organisation, title, it)
    let mut slots: Vec<(usize, String, &'static str, bool)> = Vec::new();
    let mut extra_units = Vec::new();
    for (c, spec) in COMMITTEES.iter().enumerate() {
        let admin = w.committees[c].admin.clone();
        let units = w.committees[c].units.clone();
        slots.push((c, admin.clone(), spec.head_title, false));
        for _ in 0..2 {
            let title = w.pick(names::ADMIN_TITLES);
            slots.push((c, admin.clone(), title, false));
        }
        for (u, unit) in units.iter().enumerate() {
            if c == names::KS && u == 0 {
                slots.push((c, unit.clone(), "Digitaliseringschef", true));
                let mut titles = names::IT_TITLES.to_vec();
                titles.shuffle(&mut w.rng);
                for t in titles.into_iter().take(5) {
                    slots.push((c, unit.clone(), t, true));
                }
            } else {
                let head = w.pick(&["Enhetschef", "Verksamhetschef", "Avdelningschef"]);
                slots.push((c, unit.clone(), head, false));
                extra_units.push((c, unit.clone()));
            }
        }
    }
    slots.push((COMPANY_OWNER, w.company.clone(), "IT-chef", true));
    slots.push((COMPANY_OWNER, w.company.clone(), "Systemförvaltare", false));
    extra_units.shuffle(&mut w.rng);
    for (c, unit) in extra_units {
        if slots.len() >= PEOPLE {
            break;
        }
        let title = w.pick(names::UNIT_TITLES);
        slots.push((c, unit, title, false));
    }
    let mut pairs: Vec<(usize, usize)> = (0..names::FIRST_NAMES.len())
        .flat_map(|f| (0..names::SURNAMES.len()).map(move |s| (f, s)))
        .collect();
    pairs.shuffle(&mut w.rng);
    let mut stage = Stage::new("people", slots.len(), 0);
    for (i, ((owner, org_id, title, it), (f, s))) in slots.into_iter().zip(pairs).enumerate() {
        let (first, last) = (names::FIRST_NAMES[f], names::SURNAMES[s]);
        let email = format!(
            "{}.{}@{}",
            names::email_part(first),
            names::email_part(last),
            names::DOMAIN
        );
        let input = valid(
            PersonNew {
                organisation_id: org_id,
                name: format!("{first} {last}"),
                email: Some(email),
                title: Some(title.to_owned()),
                external_id: Some(format!("HR-{}", 4100 + i * 7)),
            },
            "person",
        )?;
        let person = people::create(conn, &w.principal, input).or_fail("person")?;
        w.people.push(Staff {
            id: person.id,
            owner,
            title,
            it,
        });
        stage.tick();
    }
    stage.finish();
    Ok(())
}

/// The 40 förvaltningsobjekt and their systems.
pub fn objects(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("objects and systems", 0, 0);
    let mut system_no = 100;
    for (i, spec) in OBJECTS.iter().enumerate() {
        let org_id = w.admin_of(spec.owner).to_owned();
        let being_introduced = spec.name == "E-arkiv";
        let input = valid(
            ObjectNew {
                organisation_id: org_id.clone(),
                name: spec.name.to_owned(),
                description: Some(spec.description.to_owned()),
                business_area: Some(spec.area.to_owned()),
                status: Some(if being_introduced {
                    ObjectStatus::Planned
                } else {
                    ObjectStatus::Active
                }),
                external_id: Some(format!("OBJ-{:03}", i + 1)),
            },
            spec.name,
        )?;
        let object = objects::create(conn, &w.principal, input).or_fail(spec.name)?;
        stage.tick();
        let mut systems_written = Vec::new();
        for sys in spec.systems {
            system_no += 1 + w.rng.random_range(0..3);
            let lifecycle = if being_introduced {
                LifecycleStatus::Implementation
            } else {
                w.weighted(&[
                    (LifecycleStatus::Operational, 80),
                    (LifecycleStatus::PhasingOut, 8),
                    (LifecycleStatus::Implementation, 7),
                    (LifecycleStatus::Planned, 5),
                ])
            };
            let classified = w.chance(0.88);
            let availability = match sys.criticality {
                Criticality::Low => 1,
                Criticality::Medium => 2,
                Criticality::High => 3,
                Criticality::Critical => w.rng.random_range(3..=4),
            };
            let confidentiality = if sys.personal_data {
                w.rng.random_range(2..=4)
            } else {
                w.rng.random_range(0..=2)
            };
            let integrity = w.rng.random_range(1..=4);
            let contract_end = if w.chance(0.85) {
                Some(w.date_between(ymd(2025, 6, 30), ymd(2030, 12, 31)))
            } else {
                None
            };
            let input = valid(
                SystemNew {
                    object_id: object.id.clone(),
                    name: sys.name.to_owned(),
                    kind: sys.kind,
                    vendor: Some(sys.vendor.to_owned()),
                    lifecycle_status: Some(lifecycle),
                    criticality: Some(sys.criticality),
                    personal_data: Some(sys.personal_data),
                    confidentiality: classified.then_some(confidentiality),
                    integrity: classified.then_some(integrity),
                    availability: classified.then_some(availability),
                    automated_decisions: Some(sys.automated_decisions),
                    contract_end,
                    external_id: Some(format!("SYS-{system_no}")),
                },
                sys.name,
            )?;
            let system = systems::create(conn, &w.principal, input).or_fail(sys.name)?;
            systems_written.push((system.id, sys.name));
            stage.tick();
        }
        w.objects.push(ObjectRef {
            id: object.id,
            spec,
            org_id,
            systems: systems_written,
        });
    }
    stage.finish();
    Ok(())
}

/// Whether a required role is filled, vacant, or vacant since its holder left.
fn assign(
    conn: &mut DbConnection,
    w: &mut World,
    role_type: &str,
    target: (Option<&str>, Option<&str>),
    person: Option<String>,
    required: bool,
) -> anyhow::Result<usize> {
    let Some(person) = person else { return Ok(0) };
    let mut written = 0;
    let vacant = required && w.chance(0.15);
    let predecessor = if vacant {
        w.chance(0.4)
    } else {
        w.chance(0.12)
    };
    let from = w.date_between(ymd(2019, 1, 1), ymd(2026, 6, 1));
    if predecessor {
        let left = if vacant {
            w.date_between(ymd(2025, 1, 31), today() - chrono::Days::new(30))
        } else {
            from - chrono::Days::new(1)
        };
        let earlier = w.date_between(ymd(2015, 1, 1), ymd(2018, 6, 30));
        let holder = w.person_where(|s| s.id != person);
        if let Some(holder) = holder {
            write_assignment(
                conn,
                w,
                role_type,
                target,
                holder,
                Some(earlier),
                Some(left),
            )?;
            written += 1;
        }
    }
    if !vacant {
        write_assignment(conn, w, role_type, target, person, Some(from), None)?;
        written += 1;
    }
    Ok(written)
}

fn write_assignment(
    conn: &mut DbConnection,
    w: &World,
    role_type: &str,
    (object_id, system_id): (Option<&str>, Option<&str>),
    person_id: String,
    valid_from: Option<chrono::NaiveDate>,
    valid_to: Option<chrono::NaiveDate>,
) -> anyhow::Result<()> {
    let input = valid(
        RoleAssignmentNew {
            person_id,
            role_type_id: role_type.to_owned(),
            object_id: object_id.map(str::to_owned),
            system_id: system_id.map(str::to_owned),
            valid_from,
            valid_to,
        },
        "role assignment",
    )?;
    role_assignments::create(conn, &w.principal, input).or_fail("role assignment")?;
    Ok(())
}

/// Role assignments on every object and system; about 15 % of required roles left vacant.
pub fn roles(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("role assignments", 0, 0);
    for i in 0..w.objects.len() {
        let owner = w.objects[i].spec.owner;
        let object_id = w.objects[i].id.clone();
        let target = (Some(object_id.as_str()), None);
        let p = w.manager_of(owner);
        stage.add(assign(conn, w, OBJEKTAGARE, target, p, true)?);
        let p = w.staff_of(owner);
        stage.add(assign(conn, w, OBJEKTFORVALTARE, target, p, true)?);
        if w.chance(0.5) {
            let p = w.staff_of(owner);
            stage.add(assign(conn, w, VERKSAMHETSREPRESENTANT, target, p, false)?);
        }
        let systems: Vec<String> = w.objects[i]
            .systems
            .iter()
            .map(|(id, _)| id.clone())
            .collect();
        for system_id in systems {
            let target = (None, Some(system_id.as_str()));
            let p = w.manager_of(owner);
            stage.add(assign(conn, w, SYSTEMAGARE, target, p, true)?);
            let p = w.staff_of(owner);
            stage.add(assign(conn, w, SYSTEMFORVALTARE, target, p, true)?);
            if w.chance(0.6) {
                let p = w.it_staff();
                stage.add(assign(conn, w, DRIFTANSVARIG, target, p, false)?);
            }
        }
    }
    stage.finish();
    Ok(())
}
