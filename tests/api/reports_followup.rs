//! The follow-up reports: `roadmap-timeline`, `audit-follow-up` (and its overdue actions) and the
//! committee `overview` — exact figures on small hand-built scenarios, totals that agree with the
//! list endpoints and with the detailed reports on the demo municipality. (Every report in JSON,
//! CSV and XLSX and the token scope are covered for all tables in `report_formats`.)

use chrono::{Datelike, Duration, Utc};
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::report_formats::seeded;
use crate::reports::rows;

fn int(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

fn sum(rows: &[Value], column: &str) -> i64 {
    rows.iter().map(|r| r[column].as_i64().unwrap_or(0)).sum()
}

async fn total(app: &TestApp, path: &str) -> i64 {
    let r = app.get(path, &app.admin).await;
    r.assert_status(200);
    r.total()
}

async fn finding(app: &TestApp, org: &str, title: &str, date: &str, reference: &str) -> String {
    let r = app
        .post(
            "/api/v1/audit-findings",
            &app.admin,
            json!({"organisation_id": org, "audit_title": title, "audit_firm": "EY",
                   "audit_date": date, "reference": reference,
                   "text": "Nämnden bör säkerställa att projekt dokumenteras enligt modellen."}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

async fn action(app: &TestApp, finding: &str, due: chrono::NaiveDate, status: &str) -> String {
    let r = app
        .post(
            "/api/v1/audit-actions",
            &app.admin,
            json!({"finding_id": finding, "description": "Ta fram en rutin.",
                   "due_date": due.to_string(), "status": status}),
        )
        .await;
    r.assert_status(201);
    r.id()
}

#[tokio::test]
async fn audit_follow_up_counts_actions_by_status_and_lists_the_overdue_ones() {
    let app = TestApp::spawn().await;
    let municipality = app.org("municipality", None, "Lunds kommun").await;
    let board = app
        .org("committee", Some(&municipality), "Kommunstyrelsen")
        .await;
    let social = app
        .org("committee", Some(&municipality), "Socialnämnden")
        .await;
    let today = Utc::now().date_naive();
    let (past, future) = (today - Duration::days(10), today + Duration::days(30));
    let title = "Granskning av digitaliseringsarbetet";

    let f1 = finding(&app, &board, title, "2022-04-12", "Rek. 1").await;
    let f2 = finding(&app, &board, title, "2022-04-12", "Rek. 2").await;
    let _f3 = finding(&app, &board, title, "2022-04-12", "Rek. 3").await;
    let f4 = finding(&app, &social, title, "2022-04-12", "Rek. 4").await;
    let late = action(&app, &f1, past, "in_progress").await;
    action(&app, &f1, past, "done").await;
    action(&app, &f2, future, "planned").await;
    action(&app, &f2, past, "cancelled").await;
    let late_social = action(&app, &f4, past, "planned").await;

    let summary = rows(&app, "/api/v1/reports/audit-follow-up", &app.admin).await;
    assert_eq!(summary.len(), 2);
    let board_row = summary
        .iter()
        .find(|r| r["organisation_id"] == json!(board))
        .expect("the board's row");
    assert_eq!(board_row["audit_title"], json!(title));
    assert_eq!(board_row["audit_firm"], json!("EY"));
    assert_eq!(board_row["audit_date"], json!("2022-04-12"));
    let figures: Vec<i64> = [
        "findings",
        "findings_without_actions",
        "actions",
        "planned",
        "in_progress",
        "done",
        "cancelled",
        "overdue",
    ]
    .iter()
    .map(|c| int(&board_row[c]))
    .collect();
    assert_eq!(figures, vec![3, 1, 4, 1, 1, 1, 1, 1]);

    let overdue = rows(
        &app,
        "/api/v1/reports/audit-follow-up/overdue-actions",
        &app.admin,
    )
    .await;
    let ids: Vec<&str> = overdue
        .iter()
        .filter_map(|r| r["action_id"].as_str())
        .collect();
    let mut expected = vec![late.as_str(), late_social.as_str()];
    expected.sort();
    let mut got = ids.clone();
    got.sort();
    assert_eq!(got, expected);
    assert_eq!(int(&overdue[0]["days_overdue"]), 10);
    assert_eq!(
        overdue.len() as i64,
        total(&app, "/api/v1/audit-actions?overdue=true&limit=1").await
    );

    // Scope: the social committee's token sees its own audit row and overdue action only.
    let token = app.token(
        "nämndsekreterare",
        styra::auth::Role::Viewer,
        &[social.as_str()],
    );
    let scoped = rows(&app, "/api/v1/reports/audit-follow-up", &token).await;
    assert_eq!(scoped.len(), 1);
    assert_eq!(int(&scoped[0]["overdue"]), 1);
    let scoped = rows(
        &app,
        "/api/v1/reports/audit-follow-up/overdue-actions",
        &token,
    )
    .await;
    assert_eq!(scoped.len(), 1);
    assert_eq!(scoped[0]["action_id"], json!(late_social));

    // Audits by year: none from 2023 on.
    let later = rows(
        &app,
        "/api/v1/reports/audit-follow-up?from_year=2023",
        &app.admin,
    )
    .await;
    assert!(later.is_empty());
    app.get("/api/v1/reports/audit-follow-up?year=2022", &app.admin)
        .await
        .assert_status(422);
}

#[tokio::test]
async fn roadmap_timeline_lists_roadmap_activities_in_gantt_order() {
    let app = TestApp::spawn().await;
    let municipality = app.org("municipality", None, "Norrå kommun").await;
    let board = app
        .org("committee", Some(&municipality), "Kommunstyrelsen")
        .await;
    let r = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            json!({"organisation_id": board, "name": "Digital färdplan 2025–2027",
                   "from_year": 2025, "to_year": 2027}),
        )
        .await;
    r.assert_status(201);
    let roadmap = r.id();
    // An earlier roadmap comes first, whatever its name.
    let r = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            json!({"organisation_id": board, "name": "Ö-färdplan 2024",
                   "from_year": 2024, "to_year": 2024}),
        )
        .await;
    r.assert_status(201);
    let earlier = r.id();
    // The same first year: by name.
    let r = app
        .post(
            "/api/v1/roadmaps",
            &app.admin,
            json!({"organisation_id": board, "name": "Annan färdplan",
                   "from_year": 2025, "to_year": 2026}),
        )
        .await;
    r.assert_status(201);
    let other = r.id();
    let mut made = Vec::new();
    for (title, priority, start, end, on) in [
        (
            "E-arkiv",
            Some(2),
            Some("2026-02-01"),
            Some("2026-11-30"),
            &roadmap,
        ),
        ("Mina sidor", Some(1), Some("2025-09-01"), None, &roadmap),
        ("Oprioriterad", None, None, None, &roadmap),
        // Same priority as E-arkiv, no start: after it. Same priority and start: by title.
        ("Ännu odaterad", Some(2), None, None, &roadmap),
        ("Avtal", Some(2), Some("2026-02-01"), None, &roadmap),
        ("Bredband", None, Some("2024-03-01"), None, &earlier),
        ("Chatt", Some(1), None, None, &other),
        // Same priority, an earlier start: first.
        ("Databas", Some(2), Some("2026-01-01"), None, &roadmap),
    ] {
        let mut body = json!({"organisation_id": board, "kind": "project", "year": 2026,
                              "title": title, "roadmap_id": on});
        if let Some(p) = priority {
            body["roadmap_priority"] = json!(p);
        }
        if let Some(s) = start {
            body["start_date"] = json!(s);
        }
        if let Some(e) = end {
            body["end_date"] = json!(e);
        }
        let r = app.post("/api/v1/activities", &app.admin, body).await;
        r.assert_status(201);
        made.push(r.id());
    }
    // Not on the roadmap: not on the timeline.
    app.post(
        "/api/v1/activities",
        &app.admin,
        json!({"organisation_id": board, "kind": "change", "year": 2026, "title": "Utanför"}),
    )
    .await
    .assert_status(201);

    let timeline = rows(&app, "/api/v1/reports/roadmap-timeline", &app.admin).await;
    let titles: Vec<&str> = timeline
        .iter()
        .filter_map(|r| r["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        vec![
            "Bredband",
            "Chatt",
            "Mina sidor",
            "Databas",
            "Avtal",
            "E-arkiv",
            "Ännu odaterad",
            "Oprioriterad"
        ]
    );
    let mina_sidor = &timeline[2];
    assert_eq!(mina_sidor["activity_id"], json!(made[1]));
    assert_eq!(mina_sidor["roadmap_id"], json!(roadmap));
    assert_eq!(mina_sidor["roadmap_from_year"], json!(2025));
    assert_eq!(mina_sidor["roadmap_to_year"], json!(2027));
    assert_eq!(mina_sidor["roadmap_priority"], json!(1));
    assert_eq!(mina_sidor["start_date"], json!("2025-09-01"));
    assert_eq!(mina_sidor["end_date"], Value::Null);
    assert_eq!(mina_sidor["focus_areas"], Value::Null);
    assert_eq!(timeline[7]["roadmap_priority"], Value::Null);
    assert_eq!(
        timeline.len() as i64,
        total(
            &app,
            &format!("/api/v1/activities?roadmap_id={roadmap}&limit=1")
        )
        .await
            + 2
    );
}

#[tokio::test]
async fn follow_up_totals_agree_with_the_lists_on_the_demo_data() {
    let app = seeded().await;
    let overdue = rows(
        &app,
        "/api/v1/reports/audit-follow-up/overdue-actions",
        &app.admin,
    )
    .await;
    assert!(!overdue.is_empty(), "the demo has overdue actions");
    assert_eq!(
        overdue.len() as i64,
        total(&app, "/api/v1/audit-actions?overdue=true&limit=1").await
    );
    let summary = rows(&app, "/api/v1/reports/audit-follow-up", &app.admin).await;
    assert_eq!(
        sum(&summary, "findings"),
        total(&app, "/api/v1/audit-findings?limit=1").await
    );
    assert_eq!(
        sum(&summary, "actions"),
        total(&app, "/api/v1/audit-actions?limit=1").await
    );
    for status in ["planned", "in_progress", "done", "cancelled"] {
        assert_eq!(
            sum(&summary, status),
            total(
                &app,
                &format!("/api/v1/audit-actions?status={status}&limit=1")
            )
            .await,
            "{status}"
        );
    }
    assert_eq!(sum(&summary, "overdue"), overdue.len() as i64);

    let timeline = rows(&app, "/api/v1/reports/roadmap-timeline", &app.admin).await;
    assert!(
        !timeline.is_empty(),
        "the demo links activities to roadmaps"
    );
    let mut roadmaps: Vec<String> = timeline
        .iter()
        .filter_map(|r| r["roadmap_id"].as_str().map(str::to_owned))
        .collect();
    roadmaps.dedup();
    let mut listed = 0;
    for roadmap in &roadmaps {
        listed += total(
            &app,
            &format!("/api/v1/activities?roadmap_id={roadmap}&limit=1"),
        )
        .await;
    }
    assert_eq!(timeline.len() as i64, listed);
}

#[tokio::test]
async fn the_overview_agrees_with_the_detailed_reports_per_committee() {
    let app = seeded().await;
    let year = Utc::now().year();
    let overview = rows(
        &app,
        &format!("/api/v1/reports/overview?year={year}"),
        &app.admin,
    )
    .await;
    let committees = app
        .get(
            "/api/v1/organisations?kind=committee&limit=1000",
            &app.admin,
        )
        .await
        .ids();
    assert_eq!(overview.len(), committees.len());
    let mut seen_activity = false;
    for row in &overview {
        let c = row["organisation_id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let compliance = rows(
            &app,
            &format!("/api/v1/reports/model-compliance?year={year}&organisation_id={c}"),
            &app.admin,
        )
        .await;
        for (mine, theirs) in [
            ("objects", "objects"),
            ("objects_with_adopted_plan", "objects_with_adopted_plan"),
            ("objects_with_vacant_roles", "objects_with_vacant_roles"),
            ("phase_overrides", "phase_overrides"),
        ] {
            assert_eq!(int(&row[mine]), sum(&compliance, theirs), "{c}: {mine}");
        }
        let own = compliance
            .iter()
            .find(|r| r["organisation_id"] == json!(c))
            .expect("the committee's compliance row");
        assert_eq!(
            row["has_adopted_roadmap"],
            json!(int(&own["roadmap_missing"]) == 0),
            "{c}"
        );

        let docs = rows(
            &app,
            &format!("/api/v1/reports/documentation-completeness?year={year}&organisation_id={c}"),
            &app.admin,
        )
        .await;
        let done = sum(&docs, "done");
        let applicable = sum(&docs, "activities") - sum(&docs, "not_applicable");
        match row["documentation_share_done"].as_f64() {
            Some(share) => {
                assert!(
                    (share - done as f64 / applicable as f64).abs() < 1e-9,
                    "{c}"
                )
            }
            None => assert_eq!(applicable, 0, "{c}"),
        }

        let activities = total(
            &app,
            &format!("/api/v1/activities?within={c}&year={year}&limit=1"),
        )
        .await;
        assert_eq!(int(&row["activities"]), activities, "{c}");
        seen_activity |= activities > 0;
        let of_year: std::collections::HashSet<String> = app
            .get(
                &format!("/api/v1/activities?within={c}&year={year}&limit=1000"),
                &app.admin,
            )
            .await
            .ids()
            .into_iter()
            .collect();
        let benefits = app
            .get(
                &format!("/api/v1/benefits?within={c}&limit=1000"),
                &app.admin,
            )
            .await
            .body;
        assert!(benefits["total"].as_i64().unwrap_or(0) <= 1000);
        assert_eq!(of_year.len() as i64, activities, "{c}");
        let (mut expected, mut realised) = (0, 0);
        for b in benefits["items"].as_array().into_iter().flatten() {
            if of_year.contains(b["activity_id"].as_str().unwrap_or_default()) {
                expected += b["yearly_value_sek"].as_i64().unwrap_or(0);
                realised += b["realised_value_sek"].as_i64().unwrap_or(0);
            }
        }
        assert_eq!(int(&row["expected_benefit_sek"]), expected, "{c}");
        assert_eq!(int(&row["realised_benefit_sek"]), realised, "{c}");
        assert_eq!(
            int(&row["activities_in_progress"]),
            total(
                &app,
                &format!("/api/v1/activities?within={c}&year={year}&phase=in_progress&limit=1")
            )
            .await
        );
        assert_eq!(
            int(&row["overdue_audit_actions"]),
            total(
                &app,
                &format!("/api/v1/audit-actions?within={c}&overdue=true&limit=1")
            )
            .await,
            "{c}"
        );
        let overdue = rows(
            &app,
            &format!("/api/v1/reports/audit-follow-up/overdue-actions?organisation_id={c}"),
            &app.admin,
        )
        .await;
        assert_eq!(int(&row["overdue_audit_actions"]), overdue.len() as i64);
        assert_eq!(
            int(&row["high_risks"]),
            total(
                &app,
                &format!("/api/v1/risks?within={c}&min_score=12&status=open&limit=1")
            )
            .await
                + total(
                    &app,
                    &format!("/api/v1/risks?within={c}&min_score=12&status=mitigating&limit=1")
                )
                .await,
            "{c}"
        );
    }
    assert!(seen_activity, "the demo has activities in {year}");
    app.get("/api/v1/reports/overview", &app.admin)
        .await
        .assert_status(422);
}
