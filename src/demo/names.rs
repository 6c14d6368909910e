//! Swedish names for the demo municipality: its committees, administrations and units, and the
//! first names, surnames and titles its staff are drawn from. All of it is fictional.

/// The demo municipality.
pub const MUNICIPALITY: &str = "Norrå kommun";
pub const MUNICIPALITY_SHORT: &str = "Norrå";
/// E-mail and intranet domain (a reserved `.example` name: nothing here is real).
pub const DOMAIN: &str = "norra.kommun.example";
/// The municipal company.
pub const COMPANY: &str = "Norrå Energi AB";
pub const COMPANY_SHORT: &str = "NEAB";

/// A committee (nämnd or styrelse) with its administration (förvaltning) and units.
pub struct CommitteeSpec {
    pub name: &'static str,
    /// Short name; also the prefix of the committee's diarienummer.
    pub short: &'static str,
    pub administration: &'static str,
    pub units: &'static [&'static str],
    /// Title of the person heading the administration.
    pub head_title: &'static str,
}

/// Index of Kommunstyrelsen in [`COMMITTEES`]; its Digitaliseringsenheten runs IT.
pub const KS: usize = 0;

pub const COMMITTEES: &[CommitteeSpec] = &[
    CommitteeSpec {
        name: "Kommunstyrelsen",
        short: "KS",
        administration: "Kommunledningskontoret",
        units: &["Digitaliseringsenheten", "Ekonomienheten", "HR-enheten"],
        head_title: "Kommundirektör",
    },
    CommitteeSpec {
        name: "Socialnämnden",
        short: "SN",
        administration: "Socialförvaltningen",
        units: &["Individ- och familjeomsorg", "Försörjningsstöd"],
        head_title: "Socialchef",
    },
    CommitteeSpec {
        name: "Barn- och utbildningsnämnden",
        short: "BUN",
        administration: "Barn- och utbildningsförvaltningen",
        units: &["Förskola", "Grundskola", "Gymnasie- och vuxenutbildning"],
        head_title: "Skolchef",
    },
    CommitteeSpec {
        name: "Vård- och omsorgsnämnden",
        short: "VON",
        administration: "Vård- och omsorgsförvaltningen",
        units: &["Hemtjänst", "Särskilt boende", "Hälso- och sjukvård"],
        head_title: "Förvaltningschef",
    },
    CommitteeSpec {
        name: "Kultur- och fritidsnämnden",
        short: "KFN",
        administration: "Kultur- och fritidsförvaltningen",
        units: &["Bibliotek", "Fritidsgårdar och föreningar"],
        head_title: "Kultur- och fritidschef",
    },
    CommitteeSpec {
        name: "Miljö- och byggnadsnämnden",
        short: "MBN",
        administration: "Miljö- och byggförvaltningen",
        units: &["Bygglov", "Miljö- och hälsoskydd"],
        head_title: "Förvaltningschef",
    },
    CommitteeSpec {
        name: "Tekniska nämnden",
        short: "TN",
        administration: "Tekniska förvaltningen",
        units: &["Gata och park", "Vatten och avlopp", "Fastighet och måltid"],
        head_title: "Teknisk direktör",
    },
    CommitteeSpec {
        name: "Arbetsmarknadsnämnden",
        short: "AMN",
        administration: "Arbetsmarknadsförvaltningen",
        units: &["Arbetsmarknadsenheten", "Integration och etablering"],
        head_title: "Förvaltningschef",
    },
];

pub const FIRST_NAMES: &[&str] = &[
    "Anna", "Åsa", "Maria", "Karin", "Eva", "Kristina", "Lena", "Sara", "Emma", "Ingrid", "Märta",
    "Linnéa", "Sofia", "Elin", "Helena", "Annika", "Malin", "Ylva", "Birgitta", "Lovisa", "Ebba",
    "Jenny", "Therese", "Agneta", "Camilla", "Frida", "Ida", "Hanna", "Johanna", "Maja", "Erik",
    "Lars", "Karl", "Anders", "Johan", "Per", "Mikael", "Örjan", "Björn", "Göran", "Magnus",
    "Jonas", "Fredrik", "Håkan", "Mats", "Stefan", "Henrik", "Oskar", "Nils", "Gustav", "Jörgen",
    "Tobias", "Patrik", "Olle", "Ahmed", "Ali", "Amir", "Leila", "Yasmin", "Mehmet",
];

pub const SURNAMES: &[&str] = &[
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
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Jönsson",
    "Lindberg",
    "Lindström",
    "Lindqvist",
    "Lundgren",
    "Berglund",
    "Bergström",
    "Sjöberg",
    "Söderberg",
    "Åberg",
    "Öberg",
    "Ström",
    "Björk",
    "Nordström",
    "Hellström",
    "Bäckström",
    "Sandström",
    "Åkesson",
    "Holmgren",
    "Engström",
    "Ekström",
    "Dahlén",
    "Löfgren",
    "Wikström",
    "Fransson",
    "Håkansson",
    "Sundqvist",
    "Östlund",
    "Ågren",
    "Blom",
    "Hedlund",
    "Nyström",
    "Mäkinen",
    "Hassan",
    "Yilmaz",
];

/// Titles for staff in an administration (besides its head).
pub const ADMIN_TITLES: &[&str] = &[
    "Verksamhetsutvecklare",
    "Digitaliseringsledare",
    "Controller",
    "Objektförvaltare",
    "Systemförvaltare",
    "Utredare",
    "Kvalitetsstrateg",
    "Nämndsekreterare",
    "Projektledare",
    "Informationssäkerhetssamordnare",
];

/// Titles for staff in a unit (besides its head).
pub const UNIT_TITLES: &[&str] = &[
    "Systemförvaltare",
    "Systemadministratör",
    "Handläggare",
    "Samordnare",
    "Verksamhetsutvecklare",
    "Superanvändare",
];

/// Titles in the IT unit (Digitaliseringsenheten).
pub const IT_TITLES: &[&str] = &[
    "IT-strateg",
    "Digitaliseringsstrateg",
    "Driftansvarig",
    "IT-tekniker",
    "Integrationsarkitekt",
    "Informationssäkerhetssamordnare",
    "Arkivarie",
];

/// Folds a name into the ASCII local part of an e-mail address (å, ä → a; ö → o; é → e).
pub fn email_part(name: &str) -> String {
    name.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'å' | 'ä' | 'á' | 'à' => Some('a'),
            'ö' | 'ø' | 'ó' => Some('o'),
            'é' | 'è' | 'ë' => Some('e'),
            'ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c),
            ' ' | '-' => Some('-'),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e_mail_parts_are_ascii() {
        assert_eq!(email_part("Örjan"), "orjan");
        assert_eq!(email_part("Linnéa"), "linnea");
        assert_eq!(email_part("Bäckström"), "backstrom");
    }

    #[test]
    fn lists_have_no_duplicates() {
        for list in [FIRST_NAMES, SURNAMES] {
            let mut seen = std::collections::HashSet::new();
            assert!(list.iter().all(|n| seen.insert(n)));
        }
    }
}
