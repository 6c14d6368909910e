//! Governance stages: adopting (and closing, and once reopening) the förvaltningsplaner,
//! initiatives raised to the digitaliseringsråd, the forums' prioritisations, and the auditors'
//! recommendations with the committees' actions.

use chrono::{Datelike, Days, NaiveDate};
use rand::seq::SliceRandom;

use super::catalogue::COMPANY_OWNER;
use super::names::{COMMITTEES, COMPANY};
use super::world::{intranet, today, valid, ymd, OrFail, World};
use super::Stage;
use crate::db::DbConnection;
use crate::domain::activities::Phase;
use crate::domain::audit_actions::{self, AuditActionNew, AuditActionStatus};
use crate::domain::audit_findings::{self, AuditFindingNew};
use crate::domain::decisions::{
    self, DecisionBody, DecisionKind, DecisionNew, DecisionOutcome, DecisionSubject, SubjectKind,
};
use crate::domain::plans::{self, AdoptionNew, ReopenNew};

/// Adopts about 70 % of the plans (older years closed), leaving the rest as drafts.
pub fn adopt_and_close_plans(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("plan adoptions", 0, 0);
    let mut reopened = 0;
    for p in 0..w.plans.len() {
        let (year, object) = (w.plans[p].year, w.plans[p].object);
        let share = match year {
            2025 => 0.9,
            2026 => 0.8,
            _ => 0.35,
        };
        if !w.chance(share) {
            continue;
        }
        let (from, to) = match year {
            2025 => (ymd(2024, 11, 10), ymd(2025, 2, 28)),
            2026 => (ymd(2025, 11, 10), ymd(2026, 3, 31)),
            _ => (ymd(2026, 10, 15), ymd(2026, 11, 20)),
        };
        let decided_on = w.date_between(from, to);
        let owner = w.objects[object].spec.owner;
        let first = adoption(w, owner, year, object, decided_on)?;
        let id = w.plans[p].id.clone();
        plans::adopt(conn, &w.principal, &id, None, first).or_fail("plan adoption")?;
        stage.tick();
        if year == 2025 && w.chance(0.95) {
            plans::close(conn, &w.principal, &id, None).or_fail("plan close")?;
        } else if year == 2026 && reopened < 2 && w.chance(0.1) {
            // Budget moved at the delårsrapport: reopened by an admin, adopted again.
            let reason = valid(
                ReopenNew {
                    reason: "Nämnden beslutade om omfördelning av budget i delårsrapporten.".into(),
                },
                "reopen",
            )?;
            plans::reopen(conn, &w.principal, &id, None, reason).or_fail("plan reopen")?;
            let decided_on = w.date_between(ymd(2026, 9, 1), ymd(2026, 10, 31));
            let again = adoption(w, owner, year, object, decided_on)?;
            plans::adopt(conn, &w.principal, &id, None, again).or_fail("plan readoption")?;
            reopened += 1;
        }
    }
    stage.finish();
    Ok(())
}

fn adoption(
    w: &mut World,
    owner: usize,
    year: i32,
    object: usize,
    decided_on: NaiveDate,
) -> anyhow::Result<AdoptionNew> {
    let name = w.objects[object].spec.name;
    let (body, who) = if owner == COMPANY_OWNER {
        (
            DecisionBody::ManagementGroup,
            format!("Ledningsgruppen för {COMPANY}"),
        )
    } else {
        let body = w.weighted(&[
            (DecisionBody::Committee, 85),
            (DecisionBody::ManagementGroup, 10),
            (DecisionBody::Forum, 5),
        ]);
        let who = match body {
            DecisionBody::Committee => COMMITTEES[owner].name.to_owned(),
            DecisionBody::Forum => format!(
                "Digitaliseringsforum för {}",
                COMMITTEES[owner].administration.to_lowercase()
            ),
            _ => format!(
                "Ledningsgruppen för {}",
                COMMITTEES[owner].administration.to_lowercase()
            ),
        };
        (body, who)
    };
    let diarienummer = w
        .chance(0.9)
        .then(|| w.diarienummer(owner, decided_on.year()));
    valid(
        AdoptionNew {
            decided_on,
            body,
            diarienummer,
            summary: format!("{who} fastställer förvaltningsplan {year} för {name}."),
        },
        "plan adoption",
    )
}

/// Initiatives raised to the municipal digitaliseringsråd (accepted, rejected, returned, one
/// pending) and each roadmap forum's prioritisation.
pub fn escalations(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut stage = Stage::new("decisions", 0, 0);
    let mut candidates: Vec<usize> = (0..w.activities.len())
        .filter(|&a| {
            let x = &w.activities[a];
            x.initiative
                && matches!(
                    x.phase,
                    Phase::NeedsAnalysis | Phase::Planned | Phase::InProgress | Phase::Completed
                )
        })
        .collect();
    candidates.shuffle(&mut w.rng);
    let outcomes = [
        Some(DecisionOutcome::Accepted),
        Some(DecisionOutcome::Accepted),
        Some(DecisionOutcome::Accepted),
        Some(DecisionOutcome::Accepted),
        Some(DecisionOutcome::Rejected),
        Some(DecisionOutcome::Rejected),
        Some(DecisionOutcome::Returned),
        Some(DecisionOutcome::Returned),
        None,
    ];
    for (&a, outcome) in candidates.iter().zip(outcomes) {
        let (year, title, id) = (
            w.activities[a].year,
            w.activities[a].title.clone(),
            w.activities[a].id.clone(),
        );
        let decided_on = w
            .date_between(ymd(year - 1, 10, 1), ymd(year, 5, 31))
            .min(today());
        let summary = match outcome {
            Some(DecisionOutcome::Accepted) => format!("Digitaliseringsrådet antar initiativet ”{title}” som kommungemensamt."),
            Some(DecisionOutcome::Rejected) => format!("Digitaliseringsrådet avslår initiativet ”{title}”; nyttan bedöms inte motivera kostnaden."),
            Some(_) => format!("Initiativet ”{title}” återremitteras till nämnden för komplettering med nyttokalkyl."),
            None => format!("Initiativet ”{title}” är anmält till digitaliseringsrådet och behandlas på nästa möte."),
        };
        let diarienummer = Some(w.diarienummer(0, decided_on.year()));
        let input = valid(
            DecisionNew {
                organisation_id: w.municipality.clone(),
                decided_on,
                body: DecisionBody::Council,
                diarienummer,
                summary,
                kind: DecisionKind::Escalation,
                outcome,
                subjects: vec![DecisionSubject {
                    resource: SubjectKind::Activity,
                    record_id: id,
                }],
                external_id: None,
            },
            "escalation",
        )?;
        decisions::record(conn, &w.principal, input).or_fail("escalation")?;
        stage.tick();
    }
    for r in 0..w.roadmaps.len() {
        let roadmap = &w.roadmaps[r];
        let owner = roadmap.owner;
        let year = roadmap.from_year.max(2026);
        let subjects: Vec<DecisionSubject> = w
            .activities
            .iter()
            .filter(|x| x.on_roadmap && x.owner == owner && x.year == year)
            .take(5)
            .map(|x| DecisionSubject {
                resource: SubjectKind::Activity,
                record_id: x.id.clone(),
            })
            .chain([DecisionSubject {
                resource: SubjectKind::Roadmap,
                record_id: roadmap.id.clone(),
            }])
            .collect();
        let decided_on = w.date_between(ymd(year - 1, 11, 1), ymd(year, 2, 28));
        let input = valid(
            DecisionNew {
                organisation_id: w.committees[owner].id.clone(),
                decided_on,
                body: DecisionBody::Forum,
                diarienummer: None,
                summary: format!(
                    "Digitaliseringsforum för {} prioriterar färdplanens initiativ för {year}.",
                    COMMITTEES[owner].administration.to_lowercase()
                ),
                kind: DecisionKind::Prioritisation,
                outcome: Some(DecisionOutcome::Approved),
                subjects,
                external_id: None,
            },
            "prioritisation",
        )?;
        decisions::record(conn, &w.principal, input).or_fail("prioritisation")?;
        stage.tick();
    }
    stage.finish();
    Ok(())
}

type Audit = (
    &'static str,
    &'static str,
    (i32, u32, u32),
    &'static [(usize, &'static str)],
);

const AUDITS: &[Audit] = &[
    ("Granskning av informationssäkerhet", "KPMG", (2024, 10, 2), &[
        (0, "Säkerställ att samtliga verksamhetssystem har en aktuell informationsklassning."),
        (0, "Inför regelbunden behörighetsöversyn för verksamhetskritiska system."),
        (3, "Säkerställ att det finns kontinuitetsplaner för välfärdstekniken."),
        (6, "Segmentera driftnätet för vatten och avlopp från det administrativa nätet."),
    ]),
    ("Granskning av styrning av digitalisering", "EY", (2025, 3, 14), &[
        (0, "Säkerställ att modellen för digitalisering och systemförvaltning beslutas på ändamålsenlig nivå och hålls uppdaterad."),
        (0, "Säkerställ att hela kommunen dokumenterar i ett gemensamt IT-stöd så att informationen kan sammanställas."),
        (0, "Överväg central finansiering av kommunövergripande digitaliseringsprojekt med hög kommunnytta."),
        (1, "Tillse att digitaliseringsprojekt dokumenteras enligt kommunens modell så att uppföljning och utvärdering blir möjlig."),
        (2, "Anta en plan för digital transformation och koppla den till kommunens målområden."),
        (3, "Tillse att roller och ansvar i förvaltningsobjekten är tydliga och bemannade."),
    ]),
    ("Granskning av nyttorealisering i digitaliseringsprojekt", "PwC", (2026, 4, 20), &[
        (0, "Inför en kommungemensam modell för nyttokalkyler, till exempel ESV:s modell."),
        (2, "Följ upp nyttan av genomförda projekt systematiskt och rapportera till nämnden."),
        (1, "Säkerställ att nyttokalkyl och riskanalys finns innan projekt startar."),
        (5, "Utse ansvariga för nyttorealisering i varje projekt."),
        (4, "Dokumentera beslut om prioritering av digitaliseringsinitiativ."),
    ]),
];

const ACTIONS: &[&str] = &[
    "Revidera styrmodellen och lägga fram den för beslut",
    "Ta fram rutin och mall och publicera dem på intranätet",
    "Utbilda objektägare och objektförvaltare i modellen",
    "Följa upp efterlevnaden i internkontrollplanen",
    "Rapportera status till nämnden i delårsrapporten",
    "Dokumentera samtliga pågående projekt i Styra",
    "Genomföra en inventering och åtgärda bristerna",
    "Utse ansvarig funktion och ge den i uppdrag att samordna arbetet",
];

const RESPONSES: &[&str] = &[
    "Nämnden instämmer i rekommendationen och har gett förvaltningen i uppdrag att vidta åtgärder.",
    "Nämnden delar revisorernas bedömning; arbetet pågår och redovisas i årsanalysen.",
    "Nämnden instämmer delvis; åtgärderna samordnas med kommunstyrelsens arbete.",
];

/// Three audits with 4–6 recommendations each, addressed to committees, each with 1–3 actions
/// (some overdue).
pub fn audit_findings(conn: &mut DbConnection, w: &mut World) -> anyhow::Result<()> {
    let mut findings = Stage::new("audit findings", 0, 0);
    let mut actions = Stage::new("audit actions", 0, 0);
    let mut actions_written = 0;
    for (title, firm, (y, m, d), recommendations) in AUDITS {
        let audit_date = ymd(*y, *m, *d);
        for (i, (committee, text)) in recommendations.iter().enumerate() {
            let response = w.chance(0.8).then(|| w.pick(RESPONSES).to_owned());
            let input = valid(
                AuditFindingNew {
                    organisation_id: w.committees[*committee].id.clone(),
                    audit_title: (*title).to_owned(),
                    audit_firm: Some((*firm).to_owned()),
                    audit_date,
                    reference: Some(format!("Rekommendation {}", i + 1)),
                    text: (*text).to_owned(),
                    response,
                    external_id: Some(format!("REV-{y}-{:02}", i + 1)),
                },
                "audit finding",
            )?;
            let finding =
                audit_findings::create(conn, &w.principal, input).or_fail("audit finding")?;
            findings.tick();
            let mut texts = ACTIONS.to_vec();
            texts.shuffle(&mut w.rng);
            for description in texts.into_iter().take(w.between(1, 3) as usize) {
                let due = audit_date
                    .checked_add_days(Days::new(w.between(90, 540) as u64))
                    .unwrap_or(audit_date);
                use AuditActionStatus as S;
                let status = if due < today() {
                    w.weighted(&[
                        (S::Done, 55),
                        (S::InProgress, 25),
                        (S::Planned, 10),
                        (S::Cancelled, 10),
                    ])
                } else {
                    w.weighted(&[(S::Planned, 50), (S::InProgress, 50)])
                };
                let completed_on =
                    (status == S::Done).then(|| w.date_between(audit_date, due.min(today())));
                actions_written += 1;
                let evidence_url = completed_on
                    .filter(|_| w.chance(0.7))
                    .map(|_| intranet(&format!("revision/{y}/atgard-{actions_written}")));
                let input = valid(
                    AuditActionNew {
                        finding_id: finding.id.clone(),
                        organisation_id: None,
                        description: description.to_owned(),
                        due_date: Some(due),
                        status: Some(status),
                        evidence_url,
                        completed_on,
                    },
                    "audit action",
                )?;
                audit_actions::create(conn, &w.principal, input).or_fail("audit action")?;
                actions.tick();
            }
        }
    }
    findings.finish();
    actions.finish();
    Ok(())
}
