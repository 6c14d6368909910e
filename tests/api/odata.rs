//! The OData feed: service document, `$metadata`, every entity set on the demo municipality,
//! query options, server-driven paging that returns every row exactly once, scope, and errors.

use std::collections::{BTreeMap, BTreeSet};

use reqwest::Method;
use serde_json::Value;
use styra::auth::Role;
use styra::startup::open_database;

use crate::helpers::{Reply, TestApp};

async fn seed(app: &TestApp) {
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        let db = open_database(&settings)?;
        styra::demo::seed(&db)
    })
    .await
    .expect("join")
    .expect("seed the demo municipality");
}

/// A request with a bearer token and optional headers.
async fn odata(app: &TestApp, path: &str, token: &str, headers: &[(&str, &str)]) -> Reply {
    app.send(Method::GET, path, Some(token), None, headers)
        .await
}

/// Follows every next link from `path`; returns the rows and the number of pages.
async fn all_pages(app: &TestApp, path: &str, token: &str, page: &str) -> (Vec<Value>, usize) {
    let prefer = format!("odata.maxpagesize={page}");
    let mut rows = Vec::new();
    let mut pages = 0;
    let mut url = app.url(path);
    loop {
        let res = app
            .client
            .get(&url)
            .bearer_auth(token)
            .header("Prefer", &prefer)
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 200, "{url}");
        let body: Value = res.json().await.expect("json");
        pages += 1;
        rows.extend(body["value"].as_array().expect("value").iter().cloned());
        match body["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&app.address), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
        assert!(pages < 1000, "paging does not end");
    }
    (rows, pages)
}

fn ids(rows: &[Value]) -> Vec<String> {
    rows.iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

/// `EntitySet name → (type name, [(property, type, nullable)])` from `$metadata`.
fn parse_metadata(xml: &str) -> BTreeMap<String, Vec<(String, String, bool)>> {
    let doc = roxmltree::Document::parse(xml).expect("$metadata is XML");
    let mut types = BTreeMap::new();
    for t in doc.descendants().filter(|n| n.has_tag_name("EntityType")) {
        let key: Vec<_> = t
            .descendants()
            .filter(|n| n.has_tag_name("PropertyRef"))
            .map(|n| n.attribute("Name").unwrap_or_default())
            .collect();
        let type_name = t.attribute("Name").unwrap_or_default();
        let expected = if type_name.ends_with("Row") {
            "row_key"
        } else {
            "id"
        };
        assert_eq!(key, [expected], "{type_name}");
        let props = t
            .children()
            .filter(|n| n.has_tag_name("Property"))
            .map(|n| {
                (
                    n.attribute("Name").unwrap_or_default().to_owned(),
                    n.attribute("Type").unwrap_or_default().to_owned(),
                    n.attribute("Nullable") != Some("false"),
                )
            })
            .collect::<Vec<_>>();
        types.insert(
            format!("Styra.{}", t.attribute("Name").unwrap_or_default()),
            props,
        );
    }
    let containers = doc
        .descendants()
        .filter(|n| n.has_tag_name("EntityContainer"))
        .count();
    assert_eq!(containers, 1);
    doc.descendants()
        .filter(|n| n.has_tag_name("EntitySet"))
        .map(|n| {
            let ty = n.attribute("EntityType").unwrap_or_default();
            (
                n.attribute("Name").unwrap_or_default().to_owned(),
                types.get(ty).cloned().expect("entity type of a set"),
            )
        })
        .collect()
}

fn is_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

fn is_timestamp(s: &str) -> bool {
    s.ends_with('Z') && s.contains('T') && chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

fn value_fits(value: &Value, edm: &str) -> bool {
    match edm {
        "Edm.String" => value.is_string(),
        "Edm.Int32" | "Edm.Int64" => value.is_i64(),
        "Edm.Double" | "Edm.Decimal" => value.is_number(),
        "Edm.Boolean" => value.is_boolean(),
        "Edm.Date" => value.as_str().is_some_and(is_date),
        "Edm.DateTimeOffset" => value.as_str().is_some_and(is_timestamp),
        _ => false,
    }
}

#[tokio::test]
async fn service_document_and_metadata_answer_without_options() {
    let app = TestApp::spawn().await;
    for path in ["/odata/", "/odata"] {
        let r = odata(&app, path, &app.admin, &[]).await;
        r.assert_status(200);
        assert_eq!(r.headers["odata-version"], "4.0");
        assert!(r.content_type().starts_with("application/json"));
        assert_eq!(
            r.body["@odata.context"],
            format!("{}/odata/$metadata", app.address)
        );
        let names: Vec<&str> = r.body["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        for set in [
            "organisations",
            "objects",
            "systems",
            "role_assignments",
            "plans",
            "budget_lines",
            "activities",
            "documentation_items",
            "benefits",
            "risks",
            "roadmaps",
            "decisions",
            "audit_findings",
            "audit_actions",
        ] {
            assert!(names.contains(&set), "{set} missing from {names:?}");
        }
        assert!(!names.contains(&"people"), "people are personal data");
    }
    // Without credentials: 401 (Power BI then asks for them).
    let r = app.send(Method::GET, "/odata/", None, None, &[]).await;
    r.assert_status(401);

    let r = odata(&app, "/odata/$metadata", &app.admin, &[]).await;
    r.assert_status(200);
    assert!(r.content_type().starts_with("application/xml"));
    let sets = parse_metadata(r.body.as_str().expect("xml text"));
    assert_eq!(sets.len(), 14 + styra::reports::registry().len());
    assert_eq!(
        sets["portfolio"][0],
        ("row_key".into(), "Edm.Int64".into(), false)
    );
    let activities = &sets["activities"];
    let find = |name: &str| activities.iter().find(|p| p.0 == name).cloned();
    assert_eq!(
        find("modified_at"),
        Some(("modified_at".into(), "Edm.DateTimeOffset".into(), false))
    );
    assert_eq!(
        find("start_date"),
        Some(("start_date".into(), "Edm.Date".into(), true))
    );
    assert_eq!(
        find("planned_budget"),
        Some(("planned_budget".into(), "Edm.Int64".into(), true))
    );
    assert_eq!(
        find("municipality_wide"),
        Some(("municipality_wide".into(), "Edm.Boolean".into(), false))
    );
    assert_eq!(
        find("year"),
        Some(("year".into(), "Edm.Int32".into(), false))
    );
    assert!(
        find("title_sort").is_none(),
        "internal sort keys are not published"
    );
}

#[tokio::test]
async fn every_entity_set_returns_typed_rows_on_demo_data() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let r = odata(&app, "/odata/$metadata", &app.admin, &[]).await;
    let sets = parse_metadata(r.body.as_str().expect("xml"));
    for (set, properties) in &sets {
        let is_report = properties[0].0 == "row_key";
        let (rows, _) = all_pages(&app, &format!("/odata/{set}"), &app.admin, "1000").await;
        assert!(is_report || !rows.is_empty(), "{set} has no rows");
        let count = odata(&app, &format!("/odata/{set}/$count"), &app.admin, &[]).await;
        count.assert_status(200);
        assert_eq!(count.body.as_i64(), Some(rows.len() as i64), "{set}");
        let mut seen_non_null = BTreeSet::new();
        for row in &rows {
            let object = row.as_object().expect("object");
            assert_eq!(object.len(), properties.len(), "{set}: {row}");
            for (name, edm, nullable) in properties {
                let value = &row[name.as_str()];
                if value.is_null() {
                    assert!(*nullable, "{set}.{name} is null but not nullable");
                } else {
                    assert!(
                        value_fits(value, edm),
                        "{set}.{name} = {value} is not {edm}"
                    );
                    seen_non_null.insert(name.clone());
                }
            }
        }
        let musts: &[&str] = if is_report {
            &["row_key"]
        } else {
            &["id", "created_at", "modified_at"]
        };
        for must in musts {
            assert!(
                rows.is_empty() || seen_non_null.contains(*must),
                "{set}.{must}"
            );
        }
    }
}

#[tokio::test]
async fn query_options_filter_select_order_top_skip_count() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let admin = &app.admin;

    // $select returns just those properties; $count the total.
    let r = odata(
        &app,
        "/odata/activities?$select=id,title,year&$count=true&$top=3",
        admin,
        &[],
    )
    .await;
    r.assert_status(200);
    let total = r.body["@odata.count"].as_i64().expect("count");
    assert!(total >= 500);
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("#activities(id,title,year)"));
    let rows = r.body["value"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    for row in rows {
        let keys: BTreeSet<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, BTreeSet::from(["id", "title", "year"]));
    }
    // $top within one page: no next link, since no rows remain within $top.
    assert!(r.body.get("@odata.nextLink").is_none());

    // A half-open modified_at range splits the rows exactly (incremental refresh).
    let (all, _) = all_pages(
        &app,
        "/odata/activities?$select=id,modified_at",
        admin,
        "1000",
    )
    .await;
    assert_eq!(all.len() as i64, total);
    let mut stamps: Vec<&str> = all
        .iter()
        .map(|r| r["modified_at"].as_str().unwrap())
        .collect();
    stamps.sort();
    let middle = stamps[stamps.len() / 2];
    let before = stamps.iter().filter(|s| **s < middle).count();
    let lower = format!("/odata/activities/$count?$filter=modified_at%20lt%20{middle}");
    let upper = format!(
        "/odata/activities?$count=true&$top=0&$filter=modified_at%20ge%20{middle}%20and%20modified_at%20lt%209999-01-01T00:00:00Z"
    );
    let r1 = odata(&app, &lower, admin, &[]).await;
    r1.assert_status(200);
    let r2 = odata(&app, &upper, admin, &[]).await;
    r2.assert_status(200);
    assert_eq!(r1.body.as_i64(), Some(before as i64));
    assert_eq!(
        r2.body["@odata.count"].as_i64(),
        Some(total - before as i64)
    );
    assert_eq!(r2.body["value"], Value::Array(vec![]));

    // Filters with and/or/not, null, strings and booleans agree with the rows themselves.
    let (full, _) = all_pages(&app, "/odata/activities", admin, "1000").await;
    let expect = |f: &dyn Fn(&Value) -> bool| full.iter().filter(|r| f(r)).count() as i64;
    let cases: Vec<(&str, i64)> = vec![
        (
            "year eq 2026 and phase ne 'idea'",
            expect(&|r| r["year"] == 2026 && r["phase"] != "idea"),
        ),
        (
            "not (plan_id eq null) or municipality_wide",
            expect(&|r| !r["plan_id"].is_null() || r["municipality_wide"] == true),
        ),
        (
            "planned_budget ge 100000 and (kind eq 'project' or kind eq 'initiative')",
            expect(&|r| {
                r["planned_budget"].as_i64().is_some_and(|b| b >= 100_000)
                    && (r["kind"] == "project" || r["kind"] == "initiative")
            }),
        ),
        (
            "not (planned_budget gt 100000)",
            expect(&|r| r["planned_budget"].as_i64().is_none_or(|b| b <= 100_000)),
        ),
        (
            "start_date lt 2026-06-01",
            expect(&|r| r["start_date"].as_str().is_some_and(|d| d < "2026-06-01")),
        ),
        (
            "contains(title,'e-tjänst')",
            expect(&|r| r["title"].as_str().unwrap().contains("e-tjänst")),
        ),
    ];
    for (filter, expected) in cases {
        let path = format!(
            "/odata/activities/$count?$filter={}",
            form_urlencoded::byte_serialize(filter.as_bytes()).collect::<String>()
        );
        let r = odata(&app, &path, admin, &[]).await;
        r.assert_status(200);
        assert_eq!(r.body.as_i64(), Some(expected), "{filter}");
    }

    // $orderby with a tiebreaker, then $skip/$top are slices of the same order.
    let (ordered, _) = all_pages(
        &app,
        "/odata/activities?$orderby=year%20desc,planned_budget",
        admin,
        "1000",
    )
    .await;
    for pair in ordered.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(a["year"].as_i64() >= b["year"].as_i64());
        if a["year"] == b["year"] {
            // Nulls first ascending.
            let (x, y) = (a["planned_budget"].as_i64(), b["planned_budget"].as_i64());
            assert!(
                x.is_none() || y.is_some_and(|y| Some(y) >= x),
                "{a} before {b}"
            );
        }
    }
    let r = odata(
        &app,
        "/odata/activities?$orderby=year%20desc,planned_budget&$skip=7&$top=5",
        admin,
        &[],
    )
    .await;
    assert_eq!(
        ids(r.body["value"].as_array().unwrap()),
        ids(&ordered[7..12])
    );

    // Names order in Swedish (å, ä, ö after z).
    let (orgs, _) = all_pages(
        &app,
        "/odata/organisations?$orderby=name&$select=id,name",
        admin,
        "1000",
    )
    .await;
    let names: Vec<String> = orgs
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_owned())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| styra::domain::text::sort_key(n));
    assert_eq!(names, sorted);

    // An empty result is still a page with its context.
    let r = odata(&app, "/odata/systems?$filter=id%20eq%20'none'", admin, &[]).await;
    r.assert_status(200);
    assert_eq!(r.body["value"], Value::Array(vec![]));
    assert!(r.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("#systems"));
}

#[tokio::test]
async fn next_links_return_every_row_exactly_once() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let admin = &app.admin;
    let total = odata(&app, "/odata/activities/$count", admin, &[])
        .await
        .body
        .as_i64()
        .unwrap();
    for query in [
        "/odata/activities",
        "/odata/activities?$orderby=phase,start_date%20desc&$select=id,phase,start_date",
        "/odata/activities?$orderby=title&$count=true",
        "/odata/activities?$orderby=modified_at%20desc",
    ] {
        let (rows, pages) = all_pages(&app, query, admin, "97").await;
        let unique: BTreeSet<String> = ids(&rows).into_iter().collect();
        assert_eq!(rows.len() as i64, total, "{query}");
        assert_eq!(unique.len() as i64, total, "{query}: a row came twice");
        assert_eq!(pages as i64, (total + 96) / 97, "{query}");
    }

    // $top larger than a page: the next link carries what remains of it.
    let r = odata(
        &app,
        "/odata/activities?$top=150&api_key=k1",
        admin,
        &[("Prefer", "odata.maxpagesize=100")],
    )
    .await;
    r.assert_status(200);
    assert_eq!(r.headers["preference-applied"], "odata.maxpagesize=100");
    assert_eq!(r.body["value"].as_array().unwrap().len(), 100);
    let next = r.body["@odata.nextLink"]
        .as_str()
        .expect("next link within $top");
    assert!(next.contains("$top=50"), "{next}");
    assert!(next.contains("api_key=k1"), "{next}");
    let (rows, pages) = all_pages(&app, "/odata/activities?$top=150", admin, "100").await;
    assert_eq!((rows.len(), pages), (150, 2));

    // Default page size 1000: the first page of 500+ rows is whole, with no next link.
    let r = odata(&app, "/odata/activities", admin, &[]).await;
    assert_eq!(
        r.body["value"].as_array().unwrap().len() as i64,
        total.min(1000)
    );
}

#[tokio::test]
async fn a_committee_token_sees_only_its_subtree() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let committees = app
        .get("/api/v1/organisations?kind=committee&limit=1", &app.admin)
        .await;
    let committee = committees.ids()[0].clone();
    let subtree = app
        .get(
            &format!("/api/v1/organisations?within={committee}&limit=1000"),
            &app.admin,
        )
        .await
        .ids();
    let token = app.token("nämnd", Role::Viewer, &[&committee]);
    let (orgs, _) = all_pages(&app, "/odata/organisations", &token, "1000").await;
    let seen: BTreeSet<String> = ids(&orgs).into_iter().collect();
    assert_eq!(seen, subtree.iter().cloned().collect());
    for set in [
        "activities",
        "objects",
        "plans",
        "budget_lines",
        "documentation_items",
    ] {
        let (rows, _) = all_pages(&app, &format!("/odata/{set}"), &token, "1000").await;
        let everything = odata(&app, &format!("/odata/{set}/$count"), &app.admin, &[]).await;
        assert!(
            (rows.len() as i64) < everything.body.as_i64().unwrap(),
            "{set}"
        );
        for row in rows {
            let org = row["organisation_id"].as_str().unwrap().to_owned();
            assert!(
                subtree.contains(&org),
                "{set} row of {org} outside the subtree"
            );
        }
    }
}

/// The feed narrows a scoped page by the rows' municipality (one municipality: `=`, several:
/// `IN`) before the subtree test: neither may widen or narrow what the token sees, on any page.
#[tokio::test]
async fn scopes_across_municipalities_page_exactly_their_rows() {
    let app = TestApp::spawn().await;
    let lund = app.tree().await;
    let burlov = app.org("municipality", None, "Burlövs kommun").await;
    let burlov_ks = app.org("committee", Some(&burlov), "Kommunstyrelsen").await;
    let mut made: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (org, key, n) in [
        (&lund.social_admin, "social", 7),
        (&lund.school, "school", 5),
        (&burlov, "burlov", 4),
        (&burlov_ks, "burlov_ks", 6),
    ] {
        for i in 0..n {
            let id = app.activity(org, &format!("Aktivitet {key} {i}")).await;
            made.entry(key).or_default().insert(id);
        }
    }
    for (roots, keys) in [
        (vec![lund.social.as_str()], vec!["social"]),
        (vec![burlov.as_str()], vec!["burlov", "burlov_ks"]),
        (
            vec![lund.social.as_str(), burlov.as_str()],
            vec!["social", "burlov", "burlov_ks"],
        ),
        (
            vec![lund.municipality.as_str(), burlov_ks.as_str()],
            vec!["social", "school", "burlov_ks"],
        ),
    ] {
        let token = app.token("läsare", Role::Viewer, &roots);
        let want: BTreeSet<String> = keys.iter().flat_map(|k| made[k].iter().cloned()).collect();
        for query in [
            "/odata/activities",
            "/odata/activities?$orderby=title%20desc",
        ] {
            let (rows, pages) = all_pages(&app, query, &token, "3").await;
            let seen = ids(&rows);
            let unique: BTreeSet<String> = seen.iter().cloned().collect();
            assert_eq!(
                unique.len(),
                seen.len(),
                "{roots:?} {query}: a row came twice"
            );
            assert_eq!(unique, want, "{roots:?} {query}");
            assert_eq!(pages, want.len().div_ceil(3), "{roots:?} {query}");
        }
        let count = odata(&app, "/odata/activities/$count", &token, &[]).await;
        assert_eq!(count.body.as_i64(), Some(want.len() as i64), "{roots:?}");
    }
}

#[tokio::test]
async fn bad_options_are_400_problems_naming_the_problem() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            "/odata/activities?$filter=colour%20eq%20'red'",
            "unknown property 'colour'",
        ),
        (
            "/odata/activities?$filter=year%20eq%20'2026'",
            "'year' is Edm.Int32",
        ),
        (
            "/odata/activities?$filter=modified_at%20ge%202026-01-01",
            "Edm.DateTimeOffset",
        ),
        (
            "/odata/activities?$filter=year%20eq",
            "expected a value after the operator",
        ),
        (
            "/odata/activities?$select=id,colour",
            "$select: unknown property 'colour'",
        ),
        ("/odata/activities?$orderby=year%20up", "$orderby"),
        ("/odata/activities?$top=-1", "$top"),
        ("/odata/activities?$expand=plan", "$expand"),
        ("/odata/activities?$selct=id", "$selct"),
        ("/odata/activities?$skiptoken=garbage", "$skiptoken"),
    ];
    for (path, needle) in cases {
        let r = odata(&app, path, &app.admin, &[]).await;
        r.assert_status(400);
        let detail = r.body["detail"].as_str().unwrap_or_default();
        assert!(detail.contains(needle), "{path}: {detail}");
        assert_eq!(r.body["error"]["message"].as_str(), Some(detail));
    }
    let r = odata(&app, "/odata/people", &app.admin, &[]).await;
    r.assert_status(404);
}

#[tokio::test]
async fn report_tables_are_entity_sets_with_their_filters_as_parameters() {
    let app = TestApp::spawn().await;
    seed(&app).await;
    let admin = &app.admin;
    let rest = app.get("/api/v1/reports/portfolio?year=2026", admin).await;
    rest.assert_status(200);
    let expected = rest.body["rows"].as_array().expect("rows").len();
    assert!(expected > 10);

    // Every row once across small pages, in the report's order, keyed by row_key.
    let (rows, pages) = all_pages(&app, "/odata/portfolio?year=2026", admin, "7").await;
    assert_eq!(rows.len(), expected);
    assert_eq!(pages, expected.div_ceil(7));
    let keys: Vec<i64> = rows
        .iter()
        .map(|r| r["row_key"].as_i64().unwrap())
        .collect();
    assert_eq!(keys, (1..=expected as i64).collect::<Vec<_>>());
    assert_eq!(
        rows[0]["organisation_name"],
        rest.body["rows"][0]["organisation_name"]
    );

    // $filter, $orderby and $select on the report's columns; paging keeps the parameters.
    let path = "/odata/portfolio?year=2026&$filter=phase%20eq%20'completed'%20and%20planned_budget%20gt%200&$orderby=activities%20desc&$select=row_key,phase,activities&$count=true";
    let (rows, _) = all_pages(&app, path, admin, "3").await;
    let matching = rest.body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["phase"] == "completed" && r["planned_budget"].as_i64() > Some(0))
        .count();
    assert_eq!(rows.len(), matching);
    assert!(rows
        .windows(2)
        .all(|w| w[0]["activities"].as_i64() >= w[1]["activities"].as_i64()));
    assert!(rows
        .iter()
        .all(|r| r.as_object().unwrap().len() == 3 && r["phase"] == "completed"));
    let first = odata(&app, path, admin, &[("Prefer", "odata.maxpagesize=3")]).await;
    assert_eq!(first.body["@odata.count"].as_i64(), Some(matching as i64));
    if matching > 3 {
        let next = first.body["@odata.nextLink"].as_str().unwrap();
        assert!(next.contains("year=2026"), "{next}");
    }
    let n = odata(&app, "/odata/portfolio/$count?year=2026", admin, &[]).await;
    assert_eq!(n.body.as_i64(), Some(expected as i64));

    // A required year defaults to the current one (Power BI's preview sends no parameters);
    // a bad one is the report's own 422, an unknown parameter a 400.
    odata(&app, "/odata/model_compliance", admin, &[])
        .await
        .assert_status(200);
    let r = odata(&app, "/odata/model_compliance?year=1999", admin, &[]).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["year".to_owned()]);
    odata(&app, "/odata/portfolio?colour=red", admin, &[])
        .await
        .assert_status(400);
    odata(&app, "/odata/activities?year=2026", admin, &[])
        .await
        .assert_status(400);

    // Scope: a committee token sees only its subtree's rows.
    let committees = app
        .get("/api/v1/organisations?kind=committee&limit=1", admin)
        .await;
    let committee = committees.ids()[0].clone();
    let subtree = app
        .get(
            &format!("/api/v1/organisations?within={committee}&limit=1000"),
            admin,
        )
        .await
        .ids();
    let token = app.token("nämnd", Role::Viewer, &[&committee]);
    let (rows, _) = all_pages(&app, "/odata/portfolio?year=2026", &token, "1000").await;
    assert!(rows.len() < expected);
    for row in rows {
        assert!(subtree.contains(&row["organisation_id"].as_str().unwrap().to_owned()));
    }
}
