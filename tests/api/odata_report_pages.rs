//! Paging through a report entity set. With `$filter` (or `$orderby`, `$skip`, `$count`) the
//! pages after the first read the result the first page computed, so a walk sees one consistent
//! report even when the data changes during it, and a new walk (a first page) sees the change.
//! Read in report order, the gaps set pages in SQL instead: every page is the report's rows
//! after the previous page's last one, the same rows as the whole report.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::TestApp;

/// One page: its rows and its next link.
async fn page(app: &TestApp, url: &str, size: usize) -> (Vec<Value>, Option<String>) {
    page_as(app, &app.admin, url, size).await
}

async fn page_as(
    app: &TestApp,
    token: &str,
    url: &str,
    size: usize,
) -> (Vec<Value>, Option<String>) {
    let res = app
        .client
        .get(url)
        .bearer_auth(token)
        .header("Prefer", format!("odata.maxpagesize={size}"))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200, "{url}");
    let body: Value = res.json().await.expect("json");
    let rows = body["value"].as_array().expect("value").clone();
    (rows, body["@odata.nextLink"].as_str().map(str::to_owned))
}

#[tokio::test]
async fn a_filtered_walk_through_report_pages_reads_one_snapshot() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for i in 1..=5 {
        app.activity(&tree.social_admin, &format!("Projekt {i}"))
            .await;
    }
    // Five undocumented activities: each lacks all ten requirements.
    let start = app.url(&format!(
        "/odata/documentation_completeness_gaps?organisation_id={}&$filter=status%20eq%20'absent'",
        tree.social
    ));
    let (first, next) = page(&app, &start, 4).await;
    assert_eq!(first.len(), 4);
    let mut next = next.expect("more pages");

    // A new activity that sorts first: a recomputed report would shift every row by ten.
    let added = app.activity(&tree.social_admin, "Aaa först").await;
    let mut rows = first;
    let mut pages = 1;
    loop {
        let (more, link) = page(&app, &next, 4).await;
        rows.extend(more);
        pages += 1;
        match link {
            Some(l) => next = l,
            None => break,
        }
        assert!(pages < 100, "paging does not end");
    }
    let keys: Vec<i64> = rows
        .iter()
        .map(|r| r["row_key"].as_i64().unwrap())
        .collect();
    assert_eq!(
        keys,
        (1..=50).collect::<Vec<_>>(),
        "every row once, in order"
    );
    assert!(rows.iter().all(|r| r["activity_id"] != added.as_str()));
    let activities: BTreeSet<&str> = rows
        .iter()
        .map(|r| r["activity_id"].as_str().unwrap())
        .collect();
    assert_eq!(activities.len(), 5);

    // A new walk runs the report again and sees the sixth activity first.
    let (fresh, _) = page(&app, &start, 4).await;
    assert_eq!(fresh[0]["activity_id"], added.as_str());
    let count = app
        .get(
            &format!(
                "/odata/documentation_completeness_gaps/$count?organisation_id={}",
                tree.social
            ),
            &app.admin,
        )
        .await;
    assert_eq!(count.body.as_i64(), Some(60));
}

/// Every page of a walk, from `start`, with its rows; the links followed.
async fn walk(app: &TestApp, start: &str, size: usize) -> (Vec<Value>, Vec<String>) {
    walk_as(app, &app.admin, start, size).await
}

async fn walk_as(
    app: &TestApp,
    token: &str,
    start: &str,
    size: usize,
) -> (Vec<Value>, Vec<String>) {
    let (mut rows, mut link) = page_as(app, token, start, size).await;
    let mut links = Vec::new();
    while let Some(next) = link {
        let (more, after) = page_as(app, token, &next, size).await;
        assert!(!more.is_empty(), "a next link to an empty page: {next}");
        rows.extend(more);
        links.push(next);
        link = after;
        assert!(links.len() < 200, "paging does not end");
    }
    (rows, links)
}

#[tokio::test]
async fn gaps_paged_in_sql_are_the_whole_report_in_its_order() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    // Activities in two organisations, titles out of order, with 10, 9 and 8 gaps: pages of 4
    // end inside activities, and organisations change mid-page.
    let mut ids = Vec::new();
    for (organisation, title) in [
        (&tree.social_admin, "Öppen e-tjänst"),
        (&tree.social_admin, "Bredband"),
        (&tree.social_admin, "anmälan"),
        // The same title twice: the activity id breaks the tie.
        (&tree.social_admin, "Bredband"),
        (&tree.school_admin, "Lärplattform"),
        (&tree.school_admin, "Elevhälsa"),
    ] {
        ids.push(app.activity(organisation, title).await);
    }
    for (id, fields) in [
        (
            &ids[1],
            serde_json::json!({"purpose_and_goals": "Täckning i hela kommunen"}),
        ),
        (
            &ids[4],
            serde_json::json!({"purpose_and_goals": "Ett ställe", "planned_budget": 100000}),
        ),
    ] {
        let path = format!("/api/v1/activities/{id}");
        let got = app.get(&path, &app.admin).await;
        app.patch_if(&path, &app.admin, &got.etag(), fields)
            .await
            .assert_status(200);
    }
    let report = app
        .get(
            &format!(
                "/api/v1/reports/documentation-completeness/gaps?organisation_id={}",
                tree.municipality
            ),
            &app.admin,
        )
        .await;
    assert_eq!(report.status, 200, "{}", report.body);
    let whole = report.body["rows"].as_array().expect("rows").clone();
    assert_eq!(whole.len(), 10 + 9 + 10 + 10 + 8 + 10);

    let start = app.url(&format!(
        "/odata/documentation_completeness_gaps?organisation_id={}",
        tree.municipality
    ));
    for size in [1, 4, 9, 10, 47, 1000] {
        let (rows, links) = walk(&app, &start, size).await;
        assert_eq!(
            links.len(),
            whole.len().div_ceil(size) - 1,
            "pages of {size}"
        );
        assert_eq!(rows.len(), whole.len(), "pages of {size}");
        for (i, (row, expected)) in rows.iter().zip(&whole).enumerate() {
            assert_eq!(row["row_key"], i as i64 + 1, "pages of {size}");
            let mut row = row.as_object().expect("object").clone();
            row.remove("row_key");
            assert_eq!(&Value::Object(row), expected, "row {i}, pages of {size}");
        }
    }

    // One row per activity (one requirement): pages span several batches of activities.
    let one = app
        .get(
            &format!(
                "/api/v1/reports/documentation-completeness/gaps?organisation_id={}&requirement=final_report",
                tree.municipality
            ),
            &app.admin,
        )
        .await;
    let one = one.body["rows"].as_array().expect("rows").clone();
    assert_eq!(one.len(), 6);
    for size in 1..=6 {
        let (rows, _) = walk(&app, &format!("{start}&requirement=final_report"), size).await;
        let got: Vec<&Value> = rows.iter().map(|r| &r["activity_id"]).collect();
        let expected: Vec<&Value> = one.iter().map(|r| &r["activity_id"]).collect();
        assert_eq!(got, expected, "pages of {size}");
    }

    // A caller scoped to one committee walks only its rows, without naming it.
    let viewer = app.token("viewer", styra::auth::Role::Viewer, &[&tree.school]);
    let (rows, _) = walk_as(
        &app,
        &viewer,
        &app.url("/odata/documentation_completeness_gaps"),
        3,
    )
    .await;
    let school: Vec<&Value> = whole
        .iter()
        .filter(|r| r["organisation_id"] == tree.school_admin.as_str())
        .collect();
    assert!(!school.is_empty());
    assert_eq!(rows.len(), school.len());
    assert!(rows
        .iter()
        .all(|r| r["organisation_id"] == tree.school_admin.as_str()));

    // $select and $top work on pages read in SQL; the next link counts $top down.
    let (rows, links) = walk(
        &app,
        &format!("{start}&$select=row_key,activity_id,requirement&$top=13"),
        5,
    )
    .await;
    assert_eq!(links.len(), 2);
    assert!(
        links[0].contains("%24top=8") || links[0].contains("$top=8"),
        "{}",
        links[0]
    );
    assert_eq!(rows.len(), 13);
    assert_eq!(rows[12]["row_key"], 13);
    assert_eq!(rows[12]["activity_id"], whole[12]["activity_id"]);
    assert_eq!(rows[0].as_object().map(|o| o.len()), Some(3));

    // A walk continues after its last row: an activity added before it is not seen, one added
    // after it is, and row keys stay consecutive.
    let (first, next) = page(&app, &start, 12).await;
    assert_eq!(first.len(), 12);
    let org_of = |row: &Value| row["organisation_id"].as_str().expect("org").to_owned();
    let before = app.activity(&org_of(&first[11]), "AAA först").await;
    let after = app
        .activity(&org_of(&whole[whole.len() - 1]), "Ö sist")
        .await;
    let mut rows = first;
    let mut link = next;
    while let Some(l) = link {
        let (more, n) = page(&app, &l, 12).await;
        rows.extend(more);
        link = n;
    }
    assert!(rows.iter().all(|r| r["activity_id"] != before.as_str()));
    assert_eq!(
        rows.iter()
            .filter(|r| r["activity_id"] == after.as_str())
            .count(),
        10
    );
    let keys: Vec<i64> = rows
        .iter()
        .map(|r| r["row_key"].as_i64().expect("key"))
        .collect();
    assert_eq!(keys, (1..=whole.len() as i64 + 10).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_tampered_report_token_is_a_400() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for i in 1..=3 {
        app.activity(&tree.social_admin, &format!("Projekt {i}"))
            .await;
    }
    let start = app.url("/odata/documentation_completeness_gaps");
    let (_, next) = page(&app, &start, 4).await;
    let next = next.expect("more pages");
    let token = next.split("$skiptoken=").nth(1).expect("token");
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let json: Value =
        serde_json::from_slice(&base64::Engine::decode(&engine, token).expect("base64"))
            .expect("json");
    let tamper = |change: &dyn Fn(&mut Value)| {
        let mut token_json = json.clone();
        change(&mut token_json);
        next.replace(
            token,
            &base64::Engine::encode(&engine, token_json.to_string()),
        )
    };
    let bad_links = [
        tamper(&|t| t[1]["rows_done"] = Value::from("many")),
        tamper(&|t| t[1]["title_sort"] = Value::from("a\u{0}b")),
        tamper(&|t| t[1]["activity_id"] = Value::from("not-an-id")),
        tamper(&|t| {
            let upper = t[1]["activity_id"]
                .as_str()
                .unwrap_or_default()
                .to_uppercase();
            t[1]["activity_id"] = Value::from(upper)
        }),
        tamper(&|t| t[1]["extra"] = Value::from(1)),
        tamper(&|t| t[0] = Value::from(i64::MAX)),
        tamper(&|t| t[0] = Value::from(-1)),
        // A resume point where the set does not page in SQL, or on a flat table.
        format!("{}&$filter=status%20eq%20'absent'", tamper(&|_| {})),
        tamper(&|_| {}).replace("documentation_completeness_gaps", "activities"),
    ];
    for link in bad_links {
        let res = app
            .client
            .get(&link)
            .bearer_auth(&app.admin)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 400, "{link}");
        let body: Value = res.json().await.expect("json");
        assert!(
            body["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("$skiptoken"),
            "{body}"
        );
    }
    // Untampered, the link works.
    let (rows, _) = page(&app, &tamper(&|_| {}), 4).await;
    assert!(!rows.is_empty());
}

#[tokio::test]
async fn top_zero_is_an_empty_page_without_a_next_link() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    app.activity(&tree.social_admin, "Projekt").await;
    for set in ["documentation_completeness_gaps", "portfolio"] {
        let r = app.get(&format!("/odata/{set}?$top=0"), &app.admin).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["value"], serde_json::json!([]));
        assert!(r.body.get("@odata.nextLink").is_none(), "{}", r.body);
    }
}
