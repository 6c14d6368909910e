//! Paging through a report entity set: the pages after the first read the result the first page
//! computed, so a walk sees one consistent report even when the data changes during it, and a
//! new walk (a first page) sees the change.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::helpers::TestApp;

/// One page: its rows and its next link.
async fn page(app: &TestApp, url: &str, size: usize) -> (Vec<Value>, Option<String>) {
    let res = app
        .client
        .get(url)
        .bearer_auth(&app.admin)
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
async fn a_walk_through_report_pages_reads_one_snapshot() {
    let app = TestApp::spawn().await;
    let tree = app.tree().await;
    for i in 1..=5 {
        app.activity(&tree.social_admin, &format!("Projekt {i}"))
            .await;
    }
    // Five undocumented activities: each lacks all ten requirements.
    let start = app.url(&format!(
        "/odata/documentation_completeness_gaps?organisation_id={}",
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
