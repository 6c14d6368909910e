//! The registry side of one municipality: people, a role type of its own, förvaltningsobjekt
//! with role assignments, plans with budget lines, focus areas, roadmaps, and audits with
//! findings and actions.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use rand::Rng;
use styra::db::DbConnection;
use styra::domain::new_id;

use crate::seed::{
    date, day, flush, lit, opt_date, opt_lit, opt_num, pick, rng_for, sort, stamp, Municipality,
    Owner, Registry, Rows, COMMITTEES, FIRST_YEAR, LAST_YEAR,
};

/// Förvaltningsobjekt per municipality (a real kommun has a hundred or two).
const OBJECTS: usize = 150;
const PEOPLE: usize = 120;

/// The shared required object role types (migrations/…_core) and the optional one.
const OBJECT_OWNER: &str = "00000000-0000-7000-8000-000000000001";
const OBJECT_MANAGER: &str = "00000000-0000-7000-8000-000000000002";
const BUSINESS_REPRESENTATIVE: &str = "00000000-0000-7000-8000-000000000006";

const FIRST_NAMES: &[&str] = &[
    "Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sara", "Per", "Emma", "Anders", "Lena",
    "Mikael", "Eva", "Ahmed", "Fatima", "Nils",
];
const LAST_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Lindberg",
    "Öberg",
];
const OBJECT_STEMS: &[&str] = &[
    "Ekonomisystem",
    "Skolplattform",
    "Verksamhetssystem socialtjänst",
    "E-arkiv",
    "Ärendehantering",
    "Lönesystem",
    "Bygglovssystem",
    "Journalsystem",
    "Bokningssystem",
    "Webbplats och e-tjänster",
    "Kartsystem",
    "Miljötillsyn",
    "Hemtjänstplanering",
    "Identitet och behörighet",
];
const CATEGORIES: &[&str] = &[
    "maintenance",
    "development",
    "licences",
    "operations",
    "staff",
    "other",
];
const FOCUS_AREAS: &[&str] = &[
    "Självklar service",
    "Effektiv verksamhet",
    "Trygg och säker information",
    "Hållbar digitalisering",
    "Innovation och samverkan",
];
const AUDIT_FIRMS: &[&str] = &["EY", "PwC", "KPMG", "Deloitte"];

const PEOPLE_COLUMNS: &str =
    "id, municipality_id, organisation_id, name, name_sort, email, title, \
     external_id, version, created_at, modified_at";
const ROLE_TYPE_COLUMNS: &str = "id, municipality_id, name, name_sort, description, applies_to, \
     required, version, created_at, modified_at";
const OBJECT_COLUMNS: &str = "id, municipality_id, organisation_id, name, name_sort, description, \
     business_area, status, external_id, version, created_at, modified_at";
const ASSIGNMENT_COLUMNS: &str = "id, municipality_id, organisation_id, person_id, role_type_id, \
     object_id, system_id, valid_from, valid_to, version, created_at, modified_at";
const PLAN_COLUMNS: &str = "id, municipality_id, organisation_id, object_id, year, status, \
     summary, adopted_on, risk_analysis_date, external_id, version, created_at, modified_at";
const BUDGET_COLUMNS: &str = "id, municipality_id, organisation_id, plan_id, category, period, \
     planned, forecast, actual, version, created_at, modified_at";
const FOCUS_COLUMNS: &str = "id, municipality_id, name, name_sort, description, external_id, \
     version, created_at, modified_at";
const ROADMAP_COLUMNS: &str = "id, municipality_id, organisation_id, name, name_sort, \
     description, from_year, to_year, status, adopted_on, external_id, version, created_at, \
     modified_at";
const FINDING_COLUMNS: &str = "id, municipality_id, organisation_id, audit_title, audit_firm, \
     audit_date, reference, text, external_id, version, created_at, modified_at";
const ACTION_COLUMNS: &str = "id, municipality_id, organisation_id, finding_id, description, \
     due_date, status, completed_on, version, created_at, modified_at";

/// Seeds the registry of municipality `number` and returns what its activities link to.
pub fn seed_registry(
    conn: &mut DbConnection,
    number: usize,
    m: &Municipality,
    now: NaiveDateTime,
    current: i32,
    counts: &mut BTreeMap<&'static str, usize>,
) -> anyhow::Result<Registry> {
    let mut rng = rng_for(number, 1);
    let mid = lit(&m.id);
    let ts = stamp(now);
    let meta = format!("1, {ts}, {ts}");

    let mut people = Rows::new("people", PEOPLE_COLUMNS);
    let mut person_ids = Vec::with_capacity(PEOPLE);
    for p in 0..PEOPLE {
        let id = new_id();
        let name = format!(
            "{} {}",
            pick(&mut rng, FIRST_NAMES),
            pick(&mut rng, LAST_NAMES)
        );
        let org = Owner::for_object(&mut rng);
        people.push(format!(
            "{}, {mid}, {}, {}, {}, {}, 'Handläggare', {}, {meta}",
            lit(&id),
            lit(m.owner_id(org)),
            lit(&name),
            lit(&sort(&name)),
            lit(&format!("person{p}@kommun{number}.example.se")),
            lit(&format!("P-{number}-{p}")),
        ));
        person_ids.push(id);
    }

    // The municipality's own required object role, beside the two shared ones.
    let mut role_types = Rows::new("role_types", ROLE_TYPE_COLUMNS);
    let own_role = new_id();
    role_types.push(format!(
        "{}, {mid}, 'Informationssäkerhetssamordnare', {}, NULL, 'object', TRUE, {meta}",
        lit(&own_role),
        lit(&sort("Informationssäkerhetssamordnare")),
    ));
    let required_roles = [OBJECT_OWNER, OBJECT_MANAGER, own_role.as_str()];

    let mut objects = Rows::new("objects", OBJECT_COLUMNS);
    let mut assignments = Rows::new("role_assignments", ASSIGNMENT_COLUMNS);
    let mut plans = Rows::new("plans", PLAN_COLUMNS);
    let mut budget = Rows::new("budget_lines", BUDGET_COLUMNS);
    for o in 0..OBJECTS {
        let id = new_id();
        let owner = m.owner_id(Owner::for_object(&mut rng)).to_owned();
        let name = format!("{} {}", pick(&mut rng, OBJECT_STEMS), o + 1);
        let status = match o % 20 {
            0 => "retired",
            1 | 2 => "planned",
            _ => "active",
        };
        objects.push(format!(
            "{}, {mid}, {}, {}, {}, NULL, 'Verksamhet', '{status}', {}, {meta}",
            lit(&id),
            lit(&owner),
            lit(&name),
            lit(&sort(&name)),
            lit(&format!("OBJ-{number}-{o}")),
        ));
        // Required roles: most filled, some expired, unnamed or never assigned (vacant).
        let roles = required_roles
            .iter()
            .map(|r| (*r, true))
            .chain([(BUSINESS_REPRESENTATIVE, false)]);
        for (role, required) in roles {
            let roll = rng.random_range(0..100);
            let (person, valid_to) = match roll {
                _ if !required && roll < 50 => continue,
                0..5 => continue,
                5..9 => (
                    Some(pick(&mut rng, &person_ids).clone()),
                    Some(day(current - 1, 180)),
                ),
                9..12 => (None, None),
                _ => (Some(pick(&mut rng, &person_ids).clone()), None),
            };
            assignments.push(format!(
                "{}, {mid}, {}, {}, {}, {}, NULL, {}, {}, {meta}",
                lit(&new_id()),
                lit(&owner),
                opt_lit(person.as_deref()),
                lit(role),
                lit(&id),
                date(day(FIRST_YEAR, 0)),
                opt_date(valid_to),
            ));
        }
        for year in FIRST_YEAR..=LAST_YEAR {
            let exists = match year.cmp(&current) {
                std::cmp::Ordering::Less => rng.random_bool(0.95),
                std::cmp::Ordering::Equal => rng.random_bool(0.9),
                std::cmp::Ordering::Greater => rng.random_bool(0.5),
            };
            if !exists {
                continue;
            }
            let r = rng.random_range(0..100);
            let status = match year.cmp(&current) {
                std::cmp::Ordering::Less if r < 70 => "closed",
                std::cmp::Ordering::Less if r < 95 => "adopted",
                std::cmp::Ordering::Equal if r < 75 => "adopted",
                std::cmp::Ordering::Greater if r < 10 => "adopted",
                _ => "draft",
            };
            let adopted_on = (status != "draft").then(|| day(year - 1, 340));
            // A risk analysis in most plans, in the spring of the plan's year.
            let risk = rng
                .random_bool(0.7)
                .then(|| day(year, rng.random_range(40..150)));
            let plan = new_id();
            plans.push(format!(
                "{}, {mid}, {}, {}, {year}, '{status}', 'Förvaltningsplan {year}', {}, {}, {}, {meta}",
                lit(&plan),
                lit(&owner),
                lit(&id),
                opt_date(adopted_on),
                opt_date(risk),
                lit(&format!("PLAN-{number}-{o}-{year}")),
            ));
            let first = rng.random_range(0..3);
            for category in &CATEGORIES[first..first + rng.random_range(3..=4)] {
                let quarters = rng.random_bool(0.3);
                let periods: &[&str] = if quarters {
                    &["q1", "q2", "q3", "q4"]
                } else {
                    &["year"]
                };
                for (q, period) in periods.iter().enumerate() {
                    let planned = rng.random_range(20..800) * 1_000 / periods.len() as i64;
                    let booked = year < current || (quarters && q < 3 && year == current);
                    let actual = (booked && rng.random_bool(0.95))
                        .then(|| planned + rng.random_range(-planned / 5..=planned / 5));
                    let forecast = (year <= current && rng.random_bool(0.8))
                        .then(|| planned + rng.random_range(-planned / 10..=planned / 10));
                    budget.push(format!(
                        "{}, {mid}, {}, {}, '{category}', '{period}', {planned}, {}, {}, {meta}",
                        lit(&new_id()),
                        lit(&owner),
                        lit(&plan),
                        opt_num(forecast),
                        opt_num(actual),
                    ));
                }
            }
        }
    }

    let mut focus = Rows::new("focus_areas", FOCUS_COLUMNS);
    let mut focus_areas = Vec::new();
    for (i, name) in FOCUS_AREAS.iter().enumerate() {
        let id = new_id();
        focus.push(format!(
            "{}, {mid}, {}, {}, NULL, {}, {meta}",
            lit(&id),
            lit(name),
            lit(&sort(name)),
            lit(&format!("MO-{number}-{i}")),
        ));
        focus_areas.push(id);
    }

    // Roadmaps: the municipality's for 2020–2023 (closed) and 2024–2027 (adopted); most
    // committees have their own, some only a draft, some none.
    let mut roadmaps = Rows::new("roadmaps", ROADMAP_COLUMNS);
    let periods = [(FIRST_YEAR, FIRST_YEAR + 3), (FIRST_YEAR + 4, LAST_YEAR)];
    let mut roadmap = |org: &str, label: &str, p: usize, status: &str, key: String| {
        let id = new_id();
        let (from, to) = periods[p];
        let name = format!("Digital färdplan {label} {from}–{to}");
        let adopted = (status != "draft").then(|| day(from - 1, 330));
        roadmaps.push(format!(
            "{}, {mid}, {}, {}, {}, NULL, {from}, {to}, '{status}', {}, {}, {meta}",
            lit(&id),
            lit(org),
            lit(&name),
            lit(&sort(&name)),
            opt_date(adopted),
            lit(&key),
        ));
        id
    };
    let municipality_roadmaps = [
        roadmap(&m.id, "kommunen", 0, "closed", format!("FP-{number}-0")),
        roadmap(&m.id, "kommunen", 1, "adopted", format!("FP-{number}-1")),
    ];
    let mut committee_roadmaps = Vec::new();
    for (c, (name, _)) in COMMITTEES.iter().enumerate() {
        let mut pair = [None, None];
        for (p, slot) in pair.iter_mut().enumerate() {
            let r = rng.random_range(0..100);
            let status = match (p, r) {
                (_, 0..10) => continue,
                (0, _) => "closed",
                (_, 10..20) => "draft",
                _ => "adopted",
            };
            *slot = Some(roadmap(
                &m.committees[c],
                name,
                p,
                status,
                format!("FP-{number}-{c}-{p}"),
            ));
        }
        committee_roadmaps.push(pair);
    }

    // Audits: four reports, each with findings to committees and administrations, most with
    // actions, some overdue.
    let mut findings = Rows::new("audit_findings", FINDING_COLUMNS);
    let mut actions = Rows::new("audit_actions", ACTION_COLUMNS);
    for a in 0..4 {
        let audit_year = current - 4 + a;
        let audit_date = day(audit_year, rng.random_range(60..300));
        let title = format!("Granskning av IT-styrning {audit_year}");
        let firm = pick(&mut rng, AUDIT_FIRMS);
        for f in 0..6 {
            let id = new_id();
            let c = rng.random_range(0..COMMITTEES.len());
            let addressee = if rng.random_bool(0.5) {
                &m.committees[c]
            } else {
                &m.administrations[c]
            };
            findings.push(format!(
                "{}, {mid}, {}, {}, '{firm}', {}, 'Rek. {}', 'Rekommendation om styrning', {}, {meta}",
                lit(&id),
                lit(addressee),
                lit(&title),
                date(audit_date),
                f + 1,
                lit(&format!("REV-{number}-{a}-{f}")),
            ));
            for _ in 0..rng.random_range(0..=3) {
                let due = day(
                    audit_year + rng.random_range(0..=2),
                    rng.random_range(0..365),
                );
                let status = match rng.random_range(0..100) {
                    0..50 => "done",
                    50..75 => "in_progress",
                    75..95 => "planned",
                    _ => "cancelled",
                };
                let completed = (status == "done").then_some(due);
                actions.push(format!(
                    "{}, {mid}, {}, {}, 'Åtgärd enligt handlingsplan', {}, '{status}', {}, {meta}",
                    lit(&new_id()),
                    lit(&m.administrations[c]),
                    lit(&id),
                    date(due),
                    opt_date(completed),
                ));
            }
        }
    }

    flush(
        conn,
        &mut [
            &mut people,
            &mut role_types,
            &mut objects,
            &mut assignments,
            &mut plans,
            &mut budget,
            &mut focus,
            &mut roadmaps,
            &mut findings,
            &mut actions,
        ],
        counts,
    )?;
    Ok(Registry {
        focus_areas,
        committee_roadmaps,
        municipality_roadmaps,
    })
}
