//! Words activity titles are made of ("Införande av e-arkiv"), shared by the `activities` and
//! `reports` benchmarks.

pub const VERBS: &[&str] = &[
    "Införande av",
    "Upphandling av",
    "Utveckling av",
    "Avveckling av",
    "Översyn av",
    "Förstudie om",
    "Uppgradering av",
    "Ärendeflöde för",
];

pub const STEMS: &[&str] = &[
    "skolplattform",
    "elevregister",
    "förskoleplacering",
    "e-arkiv",
    "ekonomisystem",
    "ärendehantering",
    "dokumenthantering",
    "lönesystem",
    "bygglov",
    "miljötillsyn",
    "hemtjänstplanering",
    "journalsystem",
    "bokningssystem",
    "öppna data",
    "e-tjänster",
    "åtkomststyrning",
];
