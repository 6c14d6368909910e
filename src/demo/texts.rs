//! Texts for the demo's activities, initiatives, benefits, risks and override reasons, written
//! the way Swedish municipal staff write them in förvaltningsplaner and projektdirektiv.

use crate::domain::activities::ActivityKind;

/// Eskilstuna's four målområden (name, description).
pub const FOCUS_AREAS: &[(&str, &str)] = &[
    ("Smart och individanpassad välfärd", "Välfärdstjänster som utgår från individens behov och använder digitala möjligheter för trygghet och självständighet."),
    ("Digitalt hållbar stad och landsbygd", "Digitalisering som bidrar till en hållbar samhällsutveckling i hela kommunen, i staden och på landsbygden."),
    ("Självklar service", "Invånare och företag möter en tillgänglig kommun med digitala tjänster dygnet runt."),
    ("Effektiva stödprocesser", "Interna processer som är enkla, automatiserade där det går och frigör tid för kärnverksamheten."),
];

/// Recurring work on any object; `{s}` is a system name, `{o}` the object, `{y}` the year.
pub const RECURRING: &[(ActivityKind, &str)] = &[
    (ActivityKind::Maintenance, "Versionsuppgradering av {s}"),
    (ActivityKind::Maintenance, "Behörighetsöversyn {o} {y}"),
    (
        ActivityKind::Maintenance,
        "Årlig risk- och sårbarhetsanalys {o} {y}",
    ),
    (
        ActivityKind::Maintenance,
        "Utbildning av nya användare i {s}",
    ),
    (
        ActivityKind::Maintenance,
        "Säkerhetsuppdateringar och patchning av {s}",
    ),
    (
        ActivityKind::Maintenance,
        "Gallring enligt dokumenthanteringsplan i {s}",
    ),
    (
        ActivityKind::Change,
        "Integration mellan {s} och ekonomisystemet",
    ),
    (ActivityKind::Change, "Inloggning med SSO i {s}"),
    (ActivityKind::Change, "Informationsklassning av {s}"),
    (
        ActivityKind::Change,
        "Konsekvensbedömning avseende dataskydd för {s}",
    ),
    (ActivityKind::Change, "Nya rapporter ur {s}"),
    (ActivityKind::Project, "Upphandling av {s}"),
    (ActivityKind::Project, "Migrering av {s} till molntjänst"),
    (ActivityKind::Development, "Ny e-tjänst kopplad till {o}"),
    (
        ActivityKind::Development,
        "Automatisering av manuella moment i {s}",
    ),
];

/// Initiatives raised directly by committees, outside the object plans (committee index, title).
pub const INITIATIVES: &[(usize, &str)] = &[
    (0, "Kommungemensam AI-policy och pilot med AI-assistent"),
    (0, "Öppna data-portal för Norrå"),
    (0, "Digital medborgardialog inför översiktsplanen"),
    (0, "Robotiserad processautomation i ekonomiadministrationen"),
    (0, "Gemensam plattform för e-utbildning av medarbetare"),
    (0, "Digital signering av avtal i hela kommunen"),
    (0, "Chattbot för kontaktcenter"),
    (0, "Kommungemensam informationsmodell för masterdata"),
    (0, "Digitaliseringsakademi för chefer"),
    (1, "AI-stöd för prioritering av orosanmälningar"),
    (1, "Digitala hembesök inom socialtjänsten"),
    (1, "Videosamtal för umgängesstöd"),
    (1, "Självservice för handlingar i pågående ärenden"),
    (2, "Digital skolskjutsansökan"),
    (2, "Trådlöst nätverk i alla förskolor"),
    (
        2,
        "Programmering i undervisningen – kompetenslyft för lärare",
    ),
    (2, "Digitala nationella prov – teknisk beredskap"),
    (2, "Gemensam app för vårdnadshavare"),
    (3, "Trådlöst nätverk på särskilda boenden"),
    (3, "Digitala aktiviteter för äldre mot ensamhet"),
    (3, "Läkemedelshantering med digital signering"),
    (3, "Digital fallprevention i ordinärt boende"),
    (3, "Virtual reality för demensvård"),
    (4, "Digitala utställningar och arkivvisningar"),
    (4, "Bokningsbara friluftsanläggningar i appen"),
    (4, "Digital fritidsbank"),
    (5, "Digital tillsynsplan med riskklassning"),
    (
        5,
        "Automatisk kontroll av bygglovsansökningars fullständighet",
    ),
    (5, "Luftkvalitetssensorer i centrum"),
    (6, "Smart belysning i gatunätet"),
    (6, "Sensorer för fukt och temperatur i skolor"),
    (6, "Digital tvilling för vatten och avlopp"),
    (6, "Beställningsportal för måltider"),
    (7, "Digital SFI med distansundervisning"),
    (7, "Matchningsplattform för feriejobb"),
];

/// Phrases for purpose and goals: (syfte, mål).
pub const PURPOSES: &[(&str, &str)] = &[
    (
        "Minska den manuella hanteringen och frigöra tid för kärnuppdraget",
        "Handläggningstiden halveras inom ett år efter införande",
    ),
    (
        "Ge invånarna en enklare och snabbare kontakt med kommunen",
        "Minst 70 procent av ärendena kommer in digitalt",
    ),
    (
        "Säkra driften och informationssäkerheten",
        "Inga allvarliga incidenter och godkänd RSA",
    ),
    (
        "Uppfylla lagkrav och nationella riktlinjer",
        "Kraven är uppfyllda före angivet datum",
    ),
    (
        "Få bättre underlag för styrning och uppföljning",
        "Nämnden får kvartalsvisa rapporter utan manuell sammanställning",
    ),
    (
        "Öka tryggheten och självständigheten för brukarna",
        "Färre akuta besök och högre nöjdhet i brukarundersökningen",
    ),
    (
        "Sänka kostnaderna för licenser och drift",
        "Minskade årliga kostnader med minst 10 procent",
    ),
    (
        "Förbättra arbetsmiljön för medarbetarna",
        "Minskad upplevd administrativ belastning i medarbetarenkäten",
    ),
];

/// Reasons an admin gives when the phase rules are overridden.
pub const OVERRIDE_REASONS: &[&str] = &[
    "Akut säkerhetsuppdatering; nyttokalkyl tas fram i efterhand.",
    "Lagkrav med fast datum; riskanalysen görs parallellt med genomförandet.",
    "Avtalet löper ut och upphandlingen kunde inte vänta på fullständigt underlag.",
    "Nämnden beslutade om start innan dokumentationen var klar.",
    "Ingår i leverantörens ordinarie releaseplan; ingen egen dokumentation tas fram.",
    "Beslutat i digitaliseringsforum; underlag kompletteras till nästa möte.",
];

/// Why activities registered after the fact lack their evidence.
pub const AFTER_THE_FACT: &str =
    "Registrerad i efterhand vid flytten från Stratsys; underlagen har inte återfunnits.";

/// Reasons a documentation item is not applicable.
pub const NOT_APPLICABLE: &[&str] = &[
    "Vidmakthållande enligt förvaltningsplanen; ingen ny nytta att kalkylera.",
    "Ingår i leverantörens standardåtagande.",
    "Ersätts av den årliga risk- och sårbarhetsanalysen för objektet.",
];

/// Benefit templates: (description, indicator, unit, baseline, target).
pub const BENEFITS: &[(&str, &str, &str, f64, f64)] = &[
    (
        "Kortare handläggningstid",
        "Genomsnittlig handläggningstid",
        "dagar",
        21.0,
        7.0,
    ),
    (
        "Fler ärenden kommer in digitalt",
        "Andel digitala ansökningar",
        "%",
        35.0,
        80.0,
    ),
    (
        "Mindre pappershantering",
        "Utskrivna sidor per månad",
        "st",
        12000.0,
        3000.0,
    ),
    (
        "Frigjord arbetstid",
        "Frigjorda timmar per månad",
        "timmar",
        0.0,
        160.0,
    ),
    ("Nöjdare användare", "Nöjd kund-index", "index", 58.0, 70.0),
    (
        "Färre felaktiga utbetalningar",
        "Felaktiga utbetalningar per år",
        "st",
        40.0,
        10.0,
    ),
    (
        "Färre samtal till kontaktcenter",
        "Samtal per månad",
        "st",
        4200.0,
        3000.0,
    ),
    (
        "Färre resor i tjänsten",
        "Körda mil per månad",
        "mil",
        900.0,
        600.0,
    ),
    (
        "Högre tillgänglighet",
        "Tillgänglighet i procent",
        "%",
        97.5,
        99.5,
    ),
    (
        "Lägre licens- och driftkostnad",
        "Årlig kostnad",
        "tkr",
        1200.0,
        900.0,
    ),
];

/// Risks found in the yearly risk- och sårbarhetsanalys of an object: (description, mitigation).
pub const OBJECT_RISKS: &[(&str, &str)] = &[
    (
        "Leverantörsberoende: endast en leverantör kan förvalta systemet",
        "Exit-plan och krav på dataexport i avtalet",
    ),
    (
        "Avtalet löper ut innan ny upphandling är klar",
        "Starta upphandlingen 18 månader före avtalets slut",
    ),
    (
        "Bristande behörighetsstyrning; konton för slutade medarbetare finns kvar",
        "Kvartalsvis behörighetsöversyn kopplad till HR-systemet",
    ),
    (
        "Återläsning av säkerhetskopior har inte testats",
        "Årlig återläsningsövning",
    ),
    (
        "Personberoende: en nyckelperson har all kunskap om systemet",
        "Dokumentera rutiner och utse ersättare",
    ),
    (
        "Systemet uppfyller inte kraven på digital tillgänglighet",
        "Krav i nästa version; tillgänglighetsredogörelse publiceras",
    ),
    (
        "Personuppgifter kan överföras till tredje land",
        "Juridisk bedömning och kompletterande skyddsåtgärder",
    ),
    (
        "Driftstörning slår ut verksamhetskritiska flöden",
        "Kontinuitetsplan och reservrutiner på papper",
    ),
    (
        "Föråldrad teknisk plattform utan säkerhetsuppdateringar",
        "Plan för uppgradering eller avveckling",
    ),
    (
        "Integrationer saknar övervakning; fel upptäcks sent",
        "Larm och daglig kontroll av integrationsloggar",
    ),
    (
        "Informationsklassning saknas eller är inaktuell",
        "Klassa informationen enligt MSB:s modell",
    ),
];

/// Risks of an activity: (description, mitigation).
pub const ACTIVITY_RISKS: &[(&str, &str)] = &[
    (
        "Leveransen försenas",
        "Tät uppföljning med leverantören och vite i avtalet",
    ),
    (
        "Verksamheten har inte tid att delta i test och utbildning",
        "Avsätt tid i schemat och utse superanvändare",
    ),
    (
        "Budgeten överskrids",
        "Månatlig ekonomisk uppföljning i styrgruppen",
    ),
    (
        "Låg acceptans bland användarna",
        "Tidig involvering och kommunikationsplan",
    ),
    (
        "Otydliga krav leder till fel lösning",
        "Behovsanalys och kravgranskning med verksamheten",
    ),
    (
        "Beroende av ett annat projekt som inte är klart",
        "Samordning i digitaliseringsforum",
    ),
];

/// Budget comments.
pub const BUDGET_COMMENTS: &[&str] = &[
    "Indexuppräkning enligt avtal",
    "Inkluderar konsultstöd vid uppgradering",
    "Licenser för fler användare",
    "Del av kommungemensam driftkostnad",
    "Enligt beslutad förvaltningsplan",
];

/// Fills `{s}`, `{o}` and `{y}` in a template.
pub fn fill(template: &str, system: &str, object: &str, year: i32) -> String {
    template
        .replace("{s}", system)
        .replace("{o}", object)
        .replace("{y}", &year.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill() {
        assert_eq!(
            fill("Behörighetsöversyn {o} {y}", "x", "E-arkiv", 2026),
            "Behörighetsöversyn E-arkiv 2026"
        );
    }

    #[test]
    fn initiatives_name_known_committees() {
        let n = crate::demo::names::COMMITTEES.len();
        assert!(INITIATIVES.iter().all(|(c, _)| *c < n));
    }
}
