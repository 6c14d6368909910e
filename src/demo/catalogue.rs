//! The demo municipality's 40 förvaltningsobjekt: owner, business area, size, systems and the
//! object-specific development work their plans carry. Vendors are ones Swedish municipalities
//! commonly use; everything about them here is invented.

use crate::domain::systems::{Criticality, SystemKind};

/// A system inside an object.
pub struct SystemSpec {
    pub name: &'static str,
    pub kind: SystemKind,
    pub vendor: &'static str,
    pub criticality: Criticality,
    pub personal_data: bool,
    pub automated_decisions: bool,
}

/// A förvaltningsobjekt.
pub struct ObjectSpec {
    pub name: &'static str,
    /// Index into [`super::names::COMMITTEES`], or [`COMPANY_OWNER`].
    pub owner: usize,
    pub area: &'static str,
    pub description: &'static str,
    /// 1 (small) to 5 (large): scales budgets and the number of activities.
    pub size: i64,
    pub systems: &'static [SystemSpec],
    /// Development work specific to the object.
    pub projects: &'static [&'static str],
}

/// Owner index meaning the municipal company.
pub const COMPANY_OWNER: usize = 8;

const B: SystemKind = SystemKind::BusinessSystem;
const E: SystemKind = SystemKind::EService;
const I: SystemKind = SystemKind::Infrastructure;
const N: SystemKind = SystemKind::Integration;
const O: SystemKind = SystemKind::Other;
const LOW: Criticality = Criticality::Low;
const MED: Criticality = Criticality::Medium;
const HIGH: Criticality = Criticality::High;
const CRIT: Criticality = Criticality::Critical;

const fn s(
    name: &'static str,
    kind: SystemKind,
    vendor: &'static str,
    criticality: Criticality,
    personal_data: bool,
    automated_decisions: bool,
) -> SystemSpec {
    SystemSpec {
        name,
        kind,
        vendor,
        criticality,
        personal_data,
        automated_decisions,
    }
}

const fn o(
    name: &'static str,
    owner: usize,
    area: &'static str,
    description: &'static str,
    size: i64,
    systems: &'static [SystemSpec],
    projects: &'static [&'static str],
) -> ObjectSpec {
    ObjectSpec {
        name,
        owner,
        area,
        description,
        size,
        systems,
        projects,
    }
}

#[rustfmt::skip]
pub const OBJECTS: &[ObjectSpec] = &[
    // Kommunstyrelsen (Kommunledningskontoret)
    o("Ekonomisystem", 0, "Ekonomi", "Redovisning, leverantörs- och kundreskontra, budget och uppföljning.", 5,
      &[s("Raindance", B, "CGI", CRIT, true, false), s("Hypergene beslutsstöd", B, "Hypergene", MED, false, false), s("E-fakturaportal", N, "InExchange", HIGH, false, false)],
      &["Automatiserad attest av leverantörsfakturor", "Ny kontoplan enligt Kommun-Bas 26", "Införande av e-handel för förbrukningsmaterial"]),
    o("HR- och lönesystem", 0, "Personal", "Lön, anställningar, bemanning och kompetensförsörjning.", 4,
      &[s("Heroma", B, "CGI", CRIT, true, false), s("Rekryteringsverktyg", E, "Varbi", MED, true, false)],
      &["Digital anställningsprocess med e-signatur", "Självservice för frånvaro och ledighet"]),
    o("Ärende- och dokumenthantering", 0, "Administration", "Diarium, ärendehantering och nämndadministration.", 4,
      &[s("Public 360°", B, "Tietoevry", HIGH, true, false), s("E-signering", N, "Comfact", MED, true, false), s("Nämndadministration", B, "Formpipe", MED, false, false)],
      &["Digital justering av protokoll", "Gemensam dokumenthanteringsplan i systemet"]),
    o("E-arkiv", 0, "Informationshantering", "Bevarande och långtidslagring av allmänna handlingar.", 3,
      &[s("E-arkiv", B, "Formpipe", HIGH, true, false), s("Arkivsök", E, "Formpipe", LOW, false, false)],
      &["Införande av e-arkiv", "Leverans av avslutade ärenden från Public 360°", "Digitalisering av pappersarkiv för byggnadsnämnden"]),
    o("Webb och intranät", 0, "Kommunikation", "Extern webbplats och intranät.", 3,
      &[s("Webbplatsen", B, "Sitevision", HIGH, false, false), s("Intranätet Insidan", B, "Sitevision", MED, true, false)],
      &["Tillgänglighetsanpassning enligt DOS-lagen", "Nytt intranät med personlig startsida"]),
    o("E-tjänsteplattform", 0, "Service", "E-tjänster, Mina sidor och e-legitimering för invånare och företag.", 4,
      &[s("E-tjänsteplattform", B, "Nordic Peak", HIGH, true, false), s("Mina sidor", E, "Nordic Peak", MED, true, false), s("E-legitimering", I, "Svensk e-identitet", CRIT, true, false)],
      &["Gemensam e-tjänstekatalog", "Inloggning med Freja eID+", "Digital brevlåda för utskick till invånare"]),
    o("Kontaktcenter", 0, "Service", "Telefoni, ärendehantering och kunskapsdatabas för kommunens kontaktcenter.", 2,
      &[s("Telefoni och växel", I, "Telia", CRIT, true, false), s("Kundtjänstsystem", B, "Artvise", MED, true, false)],
      &["Chattfunktion på webbplatsen", "Kunskapsdatabas för vanliga frågor"]),
    o("Digital arbetsplats", 0, "IT", "Klienter, Microsoft 365 och samarbetsverktyg för medarbetare.", 5,
      &[s("Microsoft 365", B, "Microsoft", CRIT, true, false), s("Klientplattform", I, "Atea", HIGH, false, false)],
      &["Informationsklassning inför molntjänster", "Utrullning av Teams-telefoni", "Utbyte av klientdatorer 2026"]),
    o("IT-infrastruktur", 0, "IT", "Nätverk, servrar, lagring, identitet och behörighet.", 5,
      &[s("Nätverk och brandväggar", I, "Atea", CRIT, false, false), s("Server- och lagringsplattform", I, "Dell Technologies", CRIT, false, false), s("Identitets- och behörighetshantering", I, "Microsoft", CRIT, true, false), s("Säkerhetskopiering", I, "Veeam", HIGH, false, false)],
      &["Tvåfaktorsautentisering för alla medarbetare", "Ny brandväggsplattform", "Övning i återläsning av säkerhetskopior"]),
    o("Upphandling och avtal", 0, "Ekonomi", "Upphandlingsverktyg och avtalsdatabas.", 2,
      &[s("TendSign", B, "Visma", MED, false, false), s("Avtalsdatabas", B, "Visma", MED, false, false)],
      &["Avtalsuppföljning i avtalsdatabasen"]),
    o("Beslutsstöd och statistik", 0, "Styrning", "Verksamhetsplanering, uppföljning och rapportering.", 2,
      &[s("Stratsys", B, "Stratsys", MED, false, false), s("Power BI", O, "Microsoft", MED, false, false)],
      &["Gemensamma rapporter i Power BI", "Flytt av förvaltningsplaner från Stratsys"]),
    o("GIS och kartor", 0, "Samhällsbyggnad", "Kartor, geodata och adressregister.", 2,
      &[s("GIS-plattform", B, "Sokigo", MED, false, false), s("Webbkarta", E, "Sokigo", LOW, false, false)],
      &["Ny webbkarta för invånare", "3D-modell av centrala Norrå"]),
    // Socialnämnden
    o("Ärendehantering IFO", 1, "Individ- och familjeomsorg", "Dokumentation och handläggning inom individ- och familjeomsorgen.", 5,
      &[s("Lifecare IFO", B, "Tietoevry", CRIT, true, false), s("SSBTEK", N, "Försäkringskassan", HIGH, true, false)],
      &["Digital journal för barn och unga", "Byte av verksamhetssystem IFO", "Signering av beslut i verksamhetssystemet"]),
    o("Digitalt försörjningsstöd", 1, "Försörjningsstöd", "Ansökan, beräkning och utbetalning av ekonomiskt bistånd.", 3,
      &[s("E-ansökan ekonomiskt bistånd", E, "Tietoevry", HIGH, true, false), s("Robot för beräkning av försörjningsstöd", O, "Kommunal robotplattform", HIGH, true, true)],
      &["Automatiserad handläggning av återansökningar", "Uppföljning av robotens beslut"]),
    o("Familjehemsvård", 1, "Individ- och familjeomsorg", "Rekrytering, utredning och stöd till familjehem.", 2,
      &[s("Familjehemsregister", B, "Tietoevry", HIGH, true, false)],
      &["Digital ansökan om att bli familjehem"]),
    o("Missbruks- och beroendevård", 1, "Individ- och familjeomsorg", "Stöd och behandling för vuxna med missbruk.", 1,
      &[s("Behandlingsdokumentation", B, "Tietoevry", HIGH, true, false)],
      &["Digitala återbesök för klienter"]),
    // Barn- och utbildningsnämnden
    o("Skolplattform", 2, "Utbildning", "Lärplattform, elevregister och vårdnadshavarkontakt.", 5,
      &[s("Lärplattform", B, "Google", HIGH, true, false), s("Skolwebben", E, "IST", HIGH, true, false), s("Frånvarohantering", E, "IST", MED, true, false)],
      &["Ny lärplattform för gymnasiet", "Digital frånvaroanmälan för vårdnadshavare", "Samlad inloggning för elever"]),
    o("Elevregister och skoladministration", 2, "Utbildning", "Elevregister, betyg, placeringar och skolskjuts.", 4,
      &[s("Elevregister", B, "IST", CRIT, true, false), s("Skolskjutsplanering", B, "Tietoevry", MED, true, true)],
      &["Automatiserat beslut om skolskjuts", "Digitala betygsunderlag"]),
    o("Förskoleadministration", 2, "Förskola", "Köhantering, placering, avgifter och närvaro i förskolan.", 3,
      &[s("Förskoleplats e-tjänst", E, "IST", MED, true, true), s("Närvaroregistrering", B, "Tempus", MED, true, false)],
      &["Digital närvaroregistrering i förskolan", "Automatiserad platsfördelning"]),
    o("Schemaläggning", 2, "Utbildning", "Schema för grundskola och gymnasium.", 1,
      &[s("Schemaläggningssystem", B, "Nova Software", MED, false, false)],
      &["Gemensam schemaläggning för grundskolan"]),
    o("Digitala läromedel", 2, "Utbildning", "Licenser och distribution av digitala läromedel.", 3,
      &[s("Läromedelsportal", B, "Skolon", MED, true, false), s("Elevdatorer", I, "Atea", HIGH, true, false)],
      &["En-till-en-datorer i årskurs 4–6", "Samordnad licensupphandling för läromedel"]),
    o("Elevhälsans journalsystem", 2, "Elevhälsa", "Medicinsk och psykosocial journal för elevhälsan.", 2,
      &[s("Elevhälsojournal", B, "Prorenata", CRIT, true, false)],
      &["Gemensam journal för skolläkare och kuratorer"]),
    // Vård- och omsorgsnämnden
    o("Verksamhetssystem äldreomsorg", 3, "Vård och omsorg", "Biståndshandläggning och dokumentation inom vård och omsorg.", 5,
      &[s("Lifecare SoL/LSS", B, "Tietoevry", CRIT, true, false), s("Mobil dokumentation", E, "Tietoevry", HIGH, true, false)],
      &["Individens behov i centrum (IBIC)", "Mobil dokumentation i hemtjänsten"]),
    o("Välfärdsteknik", 3, "Vård och omsorg", "Trygghetslarm, digital tillsyn och sensorer.", 4,
      &[s("Digitala trygghetslarm", I, "Tunstall", CRIT, true, false), s("Digital nattillsyn", O, "Phoniro", HIGH, true, false), s("Larmplattform", I, "Tunstall", CRIT, true, false)],
      &["Digital nattillsyn med kamera", "Läkemedelsrobotar i hemtjänsten", "Sensorer för fallrisk på särskilt boende"]),
    o("Hälso- och sjukvårdsjournal", 3, "Hälso- och sjukvård", "Journalföring för kommunal hälso- och sjukvård.", 3,
      &[s("Journal HSL", B, "Tietoevry", CRIT, true, false), s("Nationell patientöversikt", N, "Inera", HIGH, true, false)],
      &["Anslutning till Nationell patientöversikt", "Digital signering av läkemedelslistor"]),
    o("Nyckelfri hemtjänst", 3, "Hemtjänst", "Digitala lås och behörigheter för hemtjänstpersonal.", 2,
      &[s("Digitala lås", I, "Phoniro", HIGH, true, false)],
      &["Utbyte av digitala lås"]),
    o("Planering och tidsregistrering", 3, "Hemtjänst", "Planering av insatser, tidsregistrering och underlag för ersättning.", 3,
      &[s("Planeringssystem hemtjänst", B, "Phoniro", HIGH, true, false), s("Tidsregistrering", E, "Phoniro", MED, true, false)],
      &["Ruttoptimering i hemtjänsten"]),
    // Kultur- och fritidsnämnden
    o("Bibliotekssystem", 4, "Kultur", "Katalog, utlån och meröppet för folkbiblioteken.", 2,
      &[s("Bibliotekssystem", B, "Axiell", MED, true, false), s("Meröppet", I, "Bibliotheca", LOW, true, false)],
      &["Meröppet bibliotek i Västerby", "Ny webbplats för biblioteken"]),
    o("Bokning och anläggningar", 4, "Fritid", "Bokning av lokaler, idrottshallar och badhus.", 2,
      &[s("Bokningssystem", B, "Interbook", MED, true, false), s("Passersystem badhus", I, "Axema", MED, false, false)],
      &["Digital bokning och betalning av idrottshallar"]),
    o("Föreningsregister och bidrag", 4, "Fritid", "Föreningsregister och handläggning av föreningsbidrag.", 1,
      &[s("Föreningsportal", E, "Interbook", LOW, true, false)],
      &["Digital ansökan om föreningsbidrag"]),
    // Miljö- och byggnadsnämnden
    o("Bygglovshantering", 5, "Samhällsbyggnad", "Handläggning av bygglov, anmälningar och tillsyn.", 3,
      &[s("Ärendesystem bygglov", B, "Sokigo", HIGH, true, false), s("E-tjänst bygglov", E, "Sokigo", MED, true, false)],
      &["Helt digital bygglovsprocess", "Digitala detaljplaner enligt Boverkets krav"]),
    o("Miljö- och hälsoskyddstillsyn", 5, "Miljö", "Tillsyn, kontroller och avgifter inom miljö- och livsmedel.", 2,
      &[s("Miljöreda", B, "Sokigo", MED, true, false), s("Mobil tillsyn", E, "Sokigo", LOW, true, false)],
      &["Mobil inspektion för livsmedelskontroll"]),
    o("Lantmäteri och adresser", 5, "Samhällsbyggnad", "Kommunal lantmäterimyndighet, adresser och byggnadsregister.", 1,
      &[s("Fastighetsregister", N, "Lantmäteriet", MED, true, false)],
      &["Kvalitetssäkring av belägenhetsadresser"]),
    // Tekniska nämnden
    o("Fastighetssystem", 6, "Fastighet", "Fastighetsförvaltning, underhållsplanering och energiuppföljning.", 3,
      &[s("Fastighetssystem", B, "Vitec", MED, false, false), s("Energiuppföljning", O, "Vitec", LOW, false, false)],
      &["Digital underhållsplanering", "Fjärravläsning av energimätare"]),
    o("VA och driftövervakning", 6, "Vatten och avlopp", "Styr- och övervakningssystem för vattenverk och reningsverk.", 4,
      &[s("Driftövervakning VA", I, "Schneider Electric", CRIT, false, false), s("VA-kundregister", B, "Tietoevry", HIGH, true, false)],
      &["Segmentering av driftnätet för VA", "Smarta vattenmätare"]),
    o("Felanmälan gata och park", 6, "Gata och park", "Felanmälan, arbetsordrar och skötsel av offentliga miljöer.", 2,
      &[s("Felanmälan", E, "Infracontrol", MED, true, false), s("Arbetsorder", B, "Infracontrol", MED, false, false)],
      &["Felanmälan med foto och position", "Sensorer för nivå i papperskorgar"]),
    o("Måltidsverksamhet", 6, "Måltid", "Menyplanering, specialkost och beställningar för skolor och äldreboenden.", 2,
      &[s("Kostdatasystem", B, "Mashie", MED, true, false)],
      &["Digital specialkostanmälan"]),
    // Arbetsmarknadsnämnden
    o("Vuxenutbildning", 7, "Arbetsmarknad", "Ansökan, antagning och studiedokumentation inom vuxenutbildningen.", 2,
      &[s("Antagningssystem vuxenutbildning", B, "Alvis", MED, true, false)],
      &["Digital ansökan till SFI"]),
    o("Arbetsmarknadsinsatser", 7, "Arbetsmarknad", "Dokumentation av arbetsmarknadsinsatser och deltagare.", 2,
      &[s("Deltagardokumentation", B, "Treserva", HIGH, true, false), s("Matchningsverktyg", E, "Treserva", LOW, true, false)],
      &["Digital matchning mot praktikplatser"]),
    // Norrå Energi AB
    o("Kund- och mätvärdessystem energi", COMPANY_OWNER, "Energi", "Kundregister, fakturering och mätvärden för el och fjärrvärme.", 4,
      &[s("Kundsystem energi", B, "Metry", CRIT, true, false), s("Mätvärdesinsamling", I, "Kamstrup", CRIT, true, false)],
      &["Timvis mätning för alla elkunder", "Ny kundportal för fjärrvärme"]),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_objects_with_systems_and_unique_names() {
        assert_eq!(OBJECTS.len(), 40);
        let mut seen = std::collections::HashSet::new();
        for o in OBJECTS {
            assert!(seen.insert(o.name), "{}", o.name);
            assert!((1..=4).contains(&o.systems.len()), "{}", o.name);
            assert!(!o.projects.is_empty());
            assert!((1..=5).contains(&o.size));
        }
    }
}
