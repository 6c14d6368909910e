//! `/reports/budget`, `/reports/budget/it-cost`, `/reports/benefits` and
//! `/reports/benefits/missing-follow-ups`: exact figures on a hand-built scenario, and on the demo
//! municipality totals that agree with the list endpoints. (Every table in JSON, CSV and XLSX and
//! inside the token scope is tested for all reports in `report_formats`.)

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use styra::auth::Role;
use styra::domain::activities::Phase;
use styra::domain::text::sort_key;
use styra::startup::open_database;

use crate::helpers::TestApp;
use crate::reports::rows;

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn close(v: &Value, expected: f64) {
    let x = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    assert!((x - expected).abs() < 1e-9, "{x} ≠ {expected}");
}

/// The one row whose `key` columns have the given values.
fn row<'a>(rows: &'a [Value], key: &[(&str, Value)]) -> &'a Value {
    let found: Vec<&Value> = rows
        .iter()
        .filter(|r| key.iter().all(|(k, v)| &r[*k] == v))
        .collect();
    assert_eq!(found.len(), 1, "{key:?} in {rows:#?}");
    found[0]
}

/// Every item of a list endpoint, page by page.
async fn all(app: &TestApp, path: &str) -> Vec<Value> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    loop {
        let r = app
            .get(
                &format!("{path}{sep}limit=1000&offset={}", items.len()),
                &app.admin,
            )
            .await;
        r.assert_status(200);
        let page = r.body["items"].as_array().cloned().unwrap_or_default();
        let done = page.len() < 1000;
        items.extend(page);
        if done {
            return items;
        }
    }
}

async fn line(app: &TestApp, plan: &str, category: &str, period: &str, amounts: Value) {
    let mut body = amounts;
    body["plan_id"] = json!(plan);
    body["category"] = json!(category);
    body["period"] = json!(period);
    app.post("/api/v1/budget-lines", &app.admin, body)
        .await
        .assert_status(201);
}

#[tokio::test]
async fn budget_and_it_cost_sum_lines_per_object_category_and_administration() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let unit = app
        .org("unit", Some(&t.social_admin), "Kontaktcenter")
        .await;
    let case_system = app.object(&t.social_admin, "Verksamhetssystem IFO").await;
    let contact = app.object(&unit, "Kontaktcenterplattform").await;
    let pupils = app.object(&t.school_admin, "Elevregister").await;
    let plan_a = app.plan(&case_system, 2026).await;
    let plan_b = app.plan(&contact, 2026).await;
    let plan_c = app.plan(&pupils, 2025).await;

    line(
        &app,
        &plan_a,
        "licences",
        "year",
        json!({"planned": 1_000_000, "forecast": 1_050_000, "actual": 1_100_000}),
    )
    .await;
    // Development by quarter: half the year booked.
    line(
        &app,
        &plan_a,
        "development",
        "q1",
        json!({"planned": 100_000, "actual": 90_000}),
    )
    .await;
    line(
        &app,
        &plan_a,
        "development",
        "q2",
        json!({"planned": 100_000, "actual": 120_000}),
    )
    .await;
    line(
        &app,
        &plan_a,
        "development",
        "q3",
        json!({"planned": 100_000}),
    )
    .await;
    line(
        &app,
        &plan_a,
        "development",
        "q4",
        json!({"planned": 100_000}),
    )
    .await;
    // Operations as a year line and (by mistake) a quarter: the year line counts.
    line(
        &app,
        &plan_a,
        "operations",
        "year",
        json!({"planned": 300_000, "actual": 250_000}),
    )
    .await;
    line(
        &app,
        &plan_a,
        "operations",
        "q1",
        json!({"planned": 50_000, "actual": 60_000}),
    )
    .await;
    line(&app, &plan_b, "staff", "year", json!({"planned": 200_000})).await;
    line(
        &app,
        &plan_c,
        "maintenance",
        "year",
        json!({"planned": 500_000, "actual": 450_000}),
    )
    .await;

    let budget = rows(&app, "/api/v1/reports/budget", &app.admin).await;
    assert_eq!(budget.len(), 5);
    let key = |object: &str, category: &str| {
        [("object_id", json!(object)), ("category", json!(category))]
    };
    let licences = row(&budget, &key(&case_system, "licences"));
    assert_eq!(licences["organisation_id"], json!(t.social_admin));
    assert_eq!(licences["object_name"], "Verksamhetssystem IFO");
    assert_eq!(licences["year"], 2026);
    assert_eq!(licences["quarter_lines"], 0);
    assert_eq!(licences["planned"], 1_000_000);
    assert_eq!(licences["forecast"], 1_050_000);
    assert_eq!(licences["actual"], 1_100_000);
    assert_eq!(licences["deviation"], 100_000);
    close(&licences["deviation_share"], 0.1);

    let development = row(&budget, &key(&case_system, "development"));
    assert_eq!(development["quarter_lines"], 4);
    assert_eq!(development["planned"], 400_000);
    assert_eq!(development["forecast"], json!(null));
    assert_eq!(development["actual"], 210_000);
    assert_eq!(development["deviation"], 10_000, "only the booked quarters");
    close(&development["deviation_share"], 0.05);

    let operations = row(&budget, &key(&case_system, "operations"));
    assert_eq!(operations["quarter_lines"], 0, "the year line wins");
    assert_eq!(operations["planned"], 300_000);
    assert_eq!(operations["actual"], 250_000);
    assert_eq!(operations["deviation"], -50_000);
    close(&operations["deviation_share"], -50_000.0 / 300_000.0);

    let staff = row(&budget, &key(&contact, "staff"));
    assert_eq!(staff["organisation_id"], json!(unit));
    assert_eq!(staff["planned"], 200_000);
    for column in ["forecast", "actual", "deviation", "deviation_share"] {
        assert_eq!(staff[column], json!(null), "{column}");
    }
    let maintenance = row(&budget, &key(&pupils, "maintenance"));
    assert_eq!(maintenance["year"], 2025);
    assert_eq!(maintenance["deviation"], -50_000);
    close(&maintenance["deviation_share"], -0.1);

    // IT cost per administration: the unit rolls up into Socialförvaltningen.
    let it_cost = rows(&app, "/api/v1/reports/budget/it-cost", &app.admin).await;
    assert_eq!(it_cost.len(), 2);
    let social = row(&it_cost, &[("organisation_id", json!(t.social_admin))]);
    assert_eq!(social["organisation_name"], "Socialförvaltningen");
    assert_eq!(social["year"], 2026);
    assert_eq!(social["organisations"], 2);
    assert_eq!(social["plans"], 2);
    assert_eq!(social["planned"], 1_900_000);
    assert_eq!(social["forecast"], 1_050_000);
    assert_eq!(social["actual"], 1_560_000);
    assert_eq!(social["deviation"], 60_000);
    close(&social["deviation_share"], 60_000.0 / 1_500_000.0);
    let school = row(&it_cost, &[("organisation_id", json!(t.school_admin))]);
    assert_eq!(school["year"], 2025);
    assert_eq!(school["planned"], 500_000);
    assert_eq!(school["actual"], 450_000);

    // Filters: a year, a subtree; a unit's subtree holds no administration.
    let in_2026 = rows(&app, "/api/v1/reports/budget?year=2026", &app.admin).await;
    assert_eq!(in_2026.len(), 4);
    let it_2025 = rows(
        &app,
        "/api/v1/reports/budget/it-cost?to_year=2025",
        &app.admin,
    )
    .await;
    assert_eq!(it_2025.len(), 1);
    assert_eq!(it_2025[0]["organisation_id"], json!(t.school_admin));
    let of_unit = format!("/api/v1/reports/budget?organisation_id={unit}");
    assert_eq!(rows(&app, &of_unit, &app.admin).await.len(), 1);
    let it_of_unit = format!("/api/v1/reports/budget/it-cost?organisation_id={unit}");
    assert!(rows(&app, &it_of_unit, &app.admin).await.is_empty());
    let committee = app.token("controller", Role::Viewer, &[&t.school]);
    let scoped = rows(&app, "/api/v1/reports/budget", &committee).await;
    assert_eq!(scoped.len(), 1);
    assert_eq!(scoped[0]["object_id"], json!(pupils));
    app.get(
        &format!("/api/v1/reports/budget?organisation_id={}", t.social),
        &committee,
    )
    .await
    .assert_status(403);
    let bad = app
        .get(
            "/api/v1/reports/budget?phase=completed&year=1999",
            &app.admin,
        )
        .await;
    bad.assert_status(422);
    let mut fields = bad.error_fields();
    fields.sort();
    assert_eq!(fields, ["year"], "a bad value is named first");
    app.get("/api/v1/reports/budget?phase=completed", &app.admin)
        .await
        .assert_status(422);

    // The totals agree with the budget lines list, less the quarter beside a year line.
    let lines = all(&app, "/api/v1/budget-lines").await;
    let listed: i64 = lines.iter().map(|l| int(&l["planned"])).sum();
    let reported: i64 = budget.iter().map(|r| int(&r["planned"])).sum();
    assert_eq!(reported, listed - 50_000);
}

async fn complete(app: &TestApp, activity: &str) {
    app.post(
        &format!("/api/v1/activities/{activity}/transitions"),
        &app.admin,
        json!({"to": "completed", "override_reason": "Avslutat; dokumenterat i efterhand."}),
    )
    .await
    .assert_status(200);
}

async fn activity(app: &TestApp, org: &str, title: &str, year: i32, areas: &[&str]) -> String {
    let r = app
        .post(
            "/api/v1/activities",
            &app.admin,
            json!({"organisation_id": org, "title": title, "kind": "project", "year": year,
                   "end_date": format!("{year}-12-15"), "focus_area_ids": areas}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

async fn post(app: &TestApp, path: &str, body: Value) -> String {
    let r = app.post(path, &app.admin, body).await;
    r.assert_status(201);
    r.id()
}

#[tokio::test]
async fn benefits_compare_expected_and_realised_and_list_missing_follow_ups() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let service = post(
        &app,
        "/api/v1/focus-areas",
        json!({"municipality_id": t.municipality, "name": "Självklar service"}),
    )
    .await;
    let efficient = post(
        &app,
        "/api/v1/focus-areas",
        json!({"municipality_id": t.municipality, "name": "Effektiv verksamhet"}),
    )
    .await;

    let e_service = activity(
        &app,
        &t.social_admin,
        "E-tjänst försörjningsstöd",
        2026,
        &[&service, &efficient],
    )
    .await;
    // Handling time 10 → 4 days worth 800 000 a year, measured at 8: a third realised.
    let handling = post(&app, "/api/v1/benefits", json!({"activity_id": e_service, "description": "Kortare handläggningstid", "baseline": 10.0, "target": 4.0, "yearly_value_sek": 800000})).await;
    post(
        &app,
        "/api/v1/benefit-follow-ups",
        json!({"benefit_id": handling, "follow_up_date": "2026-09-30", "measured_value": 8.0}),
    )
    .await;
    // Digital share 0 → 100 %, measured past the target; 180 000 SEK stated.
    let digital = post(&app, "/api/v1/benefits", json!({"activity_id": e_service, "description": "Fler digitala ansökningar", "baseline": 0.0, "target": 100.0, "yearly_value_sek": 200000})).await;
    post(&app, "/api/v1/benefit-follow-ups", json!({"benefit_id": digital, "follow_up_date": "2026-10-31", "measured_value": 150.0, "realised_value_sek": 180000})).await;
    complete(&app, &e_service).await;

    let booking = activity(&app, &t.social_admin, "Bokningssystem", 2026, &[]).await;
    post(&app, "/api/v1/benefits", json!({"activity_id": booking, "description": "Färre telefonsamtal", "yearly_value_sek": 100000})).await;
    complete(&app, &booking).await;
    let pupils = activity(
        &app,
        &t.school_admin,
        "Nytt elevregister",
        2025,
        &[&service],
    )
    .await;
    complete(&app, &pupils).await;
    // Not finished: not missing a follow-up yet.
    activity(&app, &t.school_admin, "Skolskjutsplanering", 2026, &[]).await;

    let benefits = rows(&app, "/api/v1/reports/benefits", &app.admin).await;
    assert_eq!(benefits.len(), 3, "{benefits:#?}");
    for area in [&service, &efficient] {
        let r = row(&benefits, &[("focus_area_id", json!(area))]);
        assert_eq!(r["organisation_id"], json!(t.social_admin));
        assert_eq!(r["year"], 2026);
        assert_eq!(r["benefits"], 2);
        assert_eq!(r["followed_up"], 2);
        assert_eq!(r["expected_value_sek"], 1_000_000);
        assert_eq!(r["realised_value_sek"], 266_667 + 180_000);
        close(&r["realised_share"], 446_667.0 / 1_000_000.0);
        assert_eq!(r["with_progress"], 2);
        close(&r["indicator_progress"], (1.0 / 3.0 + 1.0) / 2.0);
    }
    let none = row(&benefits, &[("focus_area_id", json!(null))]);
    assert_eq!(none["benefits"], 1);
    assert_eq!(none["followed_up"], 0);
    assert_eq!(none["expected_value_sek"], 100_000);
    assert_eq!(none["realised_value_sek"], 0);
    close(&none["realised_share"], 0.0);
    assert_eq!(none["with_progress"], 0);
    assert_eq!(none["indicator_progress"], json!(null));
    let of_area = format!("/api/v1/reports/benefits?focus_area_id={efficient}");
    let of_area = rows(&app, &of_area, &app.admin).await;
    assert_eq!(of_area.len(), 1);
    assert_eq!(of_area[0]["focus_area_name"], "Effektiv verksamhet");

    let missing = rows(
        &app,
        "/api/v1/reports/benefits/missing-follow-ups",
        &app.admin,
    )
    .await;
    let found: Vec<(String, i64)> = missing
        .iter()
        .map(|r| {
            (
                r["activity_id"].as_str().unwrap_or_default().to_owned(),
                int(&r["benefits"]),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{missing:#?}");
    assert!(found.contains(&(booking.clone(), 1)));
    assert!(found.contains(&(pupils.clone(), 0)));
    let pupils_row = row(&missing, &[("activity_id", json!(pupils))]);
    assert_eq!(pupils_row["phase"], "completed");
    assert_eq!(pupils_row["end_date"], "2025-12-15");
    assert_eq!(pupils_row["title"], "Nytt elevregister");
    let committee = app.token("nyttoansvarig", Role::Viewer, &[&t.school]);
    let scoped = rows(
        &app,
        "/api/v1/reports/benefits/missing-follow-ups",
        &committee,
    )
    .await;
    assert_eq!(scoped.len(), 1);
    assert_eq!(scoped[0]["activity_id"], json!(pupils));
    assert!(rows(&app, "/api/v1/reports/benefits", &committee)
        .await
        .is_empty());
    let evaluated = "/api/v1/reports/benefits/missing-follow-ups?phase=evaluated";
    assert!(rows(&app, evaluated, &app.admin).await.is_empty());
}

/// (organisation, focus area, year) → (benefits, followed up, expected SEK, realised SEK).
type Groups = BTreeMap<(String, Option<String>, i64), (i64, i64, i64, i64)>;

async fn seeded() -> TestApp {
    let app = TestApp::spawn().await;
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || styra::demo::seed(&open_database(&settings)?))
        .await
        .expect("join")
        .expect("seed the demo municipality");
    app
}

#[tokio::test]
async fn budget_and_benefit_totals_agree_with_the_lists_on_the_demo_data() {
    let app = seeded().await;
    let sum = |rows: &[Value], column: &str| -> i64 {
        rows.iter().map(|r| r[column].as_i64().unwrap_or(0)).sum()
    };

    // Budget: per year and category, the lines the list finds (the demo has no quarter beside a
    // year line, so every line counts).
    for year in [2025, 2026] {
        let budget = rows(
            &app,
            &format!("/api/v1/reports/budget?year={year}"),
            &app.admin,
        )
        .await;
        assert!(!budget.is_empty());
        for category in ["maintenance", "development", "licences", "operations"] {
            let lines = all(
                &app,
                &format!("/api/v1/budget-lines?year={year}&category={category}"),
            )
            .await;
            let of: Vec<Value> = budget
                .iter()
                .filter(|r| r["category"] == json!(category))
                .cloned()
                .collect();
            for column in ["planned", "forecast", "actual"] {
                let listed: i64 = lines.iter().map(|l| l[column].as_i64().unwrap_or(0)).sum();
                assert_eq!(sum(&of, column), listed, "{year} {category} {column}");
            }
            let quarters = lines
                .iter()
                .filter(|l| l["period"] != json!("year"))
                .count() as i64;
            assert_eq!(sum(&of, "quarter_lines"), quarters, "{year} {category}");
        }
        // IT cost: the administrations' rows cover every line owned at or below them.
        let it_cost = rows(
            &app,
            &format!("/api/v1/reports/budget/it-cost?year={year}"),
            &app.admin,
        )
        .await;
        assert!(!it_cost.is_empty());
        for r in &it_cost {
            let admin = r["organisation_id"].as_str().unwrap_or_default();
            let lines = all(
                &app,
                &format!("/api/v1/budget-lines?year={year}&within={admin}"),
            )
            .await;
            let listed: i64 = lines.iter().map(|l| int(&l["planned"])).sum();
            assert_eq!(int(&r["planned"]), listed, "{admin} {year}");
        }
    }

    // Benefits: group the benefits list by the activities' organisation, year and focus areas.
    let activities: BTreeMap<String, Value> = all(&app, "/api/v1/activities")
        .await
        .into_iter()
        .map(|a| (a["id"].as_str().unwrap_or_default().to_owned(), a))
        .collect();
    let listed = all(&app, "/api/v1/benefits").await;
    let mut expected: Groups = BTreeMap::new();
    let mut followed_activities = BTreeSet::new();
    for b in &listed {
        let a = &activities[b["activity_id"].as_str().unwrap_or_default()];
        let areas: Vec<Option<String>> = match a["focus_area_ids"].as_array() {
            Some(list) if !list.is_empty() => {
                list.iter().map(|v| v.as_str().map(str::to_owned)).collect()
            }
            _ => vec![None],
        };
        if !b["last_follow_up"].is_null() {
            followed_activities.insert(b["activity_id"].as_str().unwrap_or_default().to_owned());
        }
        for area in areas {
            let org = b["organisation_id"].as_str().unwrap_or_default().to_owned();
            let e = expected.entry((org, area, int(&a["year"]))).or_default();
            e.0 += 1;
            e.1 += i64::from(!b["last_follow_up"].is_null());
            e.2 += b["yearly_value_sek"].as_i64().unwrap_or(0);
            e.3 += b["realised_value_sek"].as_i64().unwrap_or(0);
        }
    }
    let report = rows(&app, "/api/v1/reports/benefits", &app.admin).await;
    let reported: Groups = report
        .iter()
        .map(|r| {
            let key = (
                r["organisation_id"].as_str().unwrap_or_default().to_owned(),
                r["focus_area_id"].as_str().map(str::to_owned),
                int(&r["year"]),
            );
            let figures = (
                int(&r["benefits"]),
                int(&r["followed_up"]),
                int(&r["expected_value_sek"]),
                int(&r["realised_value_sek"]),
            );
            (key, figures)
        })
        .collect();
    assert_eq!(reported.len(), report.len(), "one row per group");
    assert_eq!(reported, expected);
    assert!(report.iter().any(|r| !r["indicator_progress"].is_null()));

    // Missing follow-ups: the finished activities none of whose benefits was followed up.
    let missing: BTreeSet<String> = rows(
        &app,
        "/api/v1/reports/benefits/missing-follow-ups",
        &app.admin,
    )
    .await
    .iter()
    .map(|r| r["activity_id"].as_str().unwrap_or_default().to_owned())
    .collect();
    let finished: BTreeSet<String> = activities
        .values()
        .filter(|a| a["phase"] == json!("completed") || a["phase"] == json!("evaluated"))
        .map(|a| a["id"].as_str().unwrap_or_default().to_owned())
        .filter(|id| !followed_activities.contains(id))
        .collect();
    assert!(!missing.is_empty());
    assert_eq!(missing, finished);
}

/// The reports sorted in Rust (portfolio, benefits, benefits/missing-follow-ups) keep their
/// documented order: re-sorting their rows by that order, with the sort keys computed here from
/// the names (`text::sort_key`, as the database stores them), changes nothing.
#[tokio::test]
async fn rust_sorted_reports_keep_their_documented_order_on_the_demo_data() {
    let app = seeded().await;
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let key = |v: &Value| sort_key(v.as_str().unwrap_or_default());
    // Null last: (is null, value).
    let last_if_null = |v: &Value| (v.is_null(), key(v));

    let portfolio = rows(&app, "/api/v1/reports/portfolio", &app.admin).await;
    let phases: Vec<&str> = Phase::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(phases.last(), Some(&"cancelled"), "cancelled sorts last");
    let mut sorted = portfolio.clone();
    sorted.sort_by_key(|r| {
        (
            key(&r["organisation_name"]),
            text(&r["organisation_id"]),
            int(&r["year"]),
            phases.iter().position(|p| r["phase"] == json!(p)),
            text(&r["kind"]),
            last_if_null(&r["focus_area_name"]),
            text(&r["focus_area_id"]),
        )
    });
    assert!(portfolio.len() > 20, "the demo fills the portfolio");
    assert_eq!(portfolio, sorted, "portfolio order");
    assert!(
        portfolio.iter().any(|r| r["focus_area_id"].is_null()),
        "the demo has activities without a focus area"
    );

    let benefits = rows(&app, "/api/v1/reports/benefits", &app.admin).await;
    let mut sorted = benefits.clone();
    sorted.sort_by_key(|r| {
        (
            key(&r["organisation_name"]),
            text(&r["organisation_id"]),
            int(&r["year"]),
            last_if_null(&r["focus_area_name"]),
            text(&r["focus_area_id"]),
        )
    });
    assert!(!benefits.is_empty());
    assert_eq!(benefits, sorted, "benefits order");

    let missing = rows(
        &app,
        "/api/v1/reports/benefits/missing-follow-ups",
        &app.admin,
    )
    .await;
    let mut sorted = missing.clone();
    sorted.sort_by_key(|r| {
        (
            key(&r["organisation_name"]),
            text(&r["organisation_id"]),
            int(&r["year"]),
            key(&r["title"]),
            text(&r["activity_id"]),
        )
    });
    assert!(!missing.is_empty());
    assert_eq!(missing, sorted, "missing follow-ups order");
}
