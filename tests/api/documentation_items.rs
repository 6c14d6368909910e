//! `/documentation-items` and their files: the evidence per activity the audits asked for.

use reqwest::Method;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use styra::auth::Role;

use crate::helpers::{Reply, TestApp};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

async fn item(app: &TestApp, activity: &str, kind: &str, extra: Value) -> String {
    let mut body = json!({"activity_id": activity, "kind": kind});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let r = app
        .post("/api/v1/documentation-items", &app.admin, body)
        .await;
    r.assert_status(201);
    r.id()
}

/// PUT a raw file; `headers` add to (or replace) the Content-Type.
async fn put_file(
    app: &TestApp,
    token: &str,
    id: &str,
    content_type: &str,
    bytes: &[u8],
    headers: &[(&str, &str)],
    query: &[(&str, &str)],
) -> Reply {
    let mut req = app
        .client
        .put(app.url(&format!("/api/v1/documentation-items/{id}/file")))
        .bearer_auth(token)
        .query(query)
        .header("content-type", content_type)
        .body(bytes.to_vec());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("upload");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body");
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
    }
}

async fn download(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/documentation-items/{id}/file")))
        .bearer_auth(token)
        .send()
        .await
        .expect("download")
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn list_items(app: &TestApp, query: String) -> Reply {
    let r = app
        .get(&format!("/api/v1/documentation-items?{query}"), &app.admin)
        .await;
    r.assert_status(200);
    r
}

fn kinds(r: &Reply) -> Vec<String> {
    r.body["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|e| e["kind"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn crud_roundtrip_with_history() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app.activity(&t.social_admin, "E-arkiv").await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let r = app
        .post(
            "/api/v1/documentation-items",
            &editor,
            json!({"activity_id": activity, "kind": "risk_analysis"}),
        )
        .await;
    r.assert_status(201);
    let id = r.id();
    assert_eq!(r.body["status"], "missing");
    assert_eq!(r.body["organisation_id"], json!(t.social_admin));
    assert_eq!(r.body["municipality_id"], json!(t.municipality));
    assert_eq!(r.body["has_file"], false);
    assert!(r.body.get("attachment_id").is_none());
    assert_eq!(
        r.headers.get("location").and_then(|v| v.to_str().ok()),
        Some(format!("/api/v1/documentation-items/{id}").as_str())
    );
    let path = format!("/api/v1/documentation-items/{id}");
    let got = app.get(&path, &editor).await;
    got.assert_status(200);
    assert_eq!(got.etag(), "\"v1\"");
    let r = app
        .patch_if(
            &path,
            &editor,
            &got.etag(),
            json!({"status": "done", "document_date": "2026-03-12", "url": "https://intranat.lund.se/diarium/KS-2026-0142"}),
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["document_date"], "2026-03-12");
    app.patch_if(&path, &editor, &got.etag(), json!({"status": "draft"}))
        .await
        .assert_status(412);
    let r = app
        .patch(&path, &editor, json!({"url": null, "reason": "  "}))
        .await;
    r.assert_status(200);
    assert_eq!(r.body["url"], Value::Null);
    assert_eq!(r.body["reason"], Value::Null);
    app.send(
        Method::DELETE,
        &path,
        Some(&editor),
        None,
        &[("If-Match", "\"v1\"")],
    )
    .await
    .assert_status(412);
    app.delete(&path, &editor).await.assert_status(204);
    app.get(&path, &editor).await.assert_status(404);
    let h = app
        .get(
            &format!("/api/v1/changes?resource=documentation-items&id={id}"),
            &editor,
        )
        .await;
    let actions: Vec<&str> = h.body["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["action"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(actions, vec!["create", "update", "update", "delete"]);
    assert_eq!(h.body["items"][1]["before"]["status"], "missing");
    assert_eq!(h.body["items"][1]["after"]["status"], "done");
    assert_eq!(h.body["items"][0]["actor"], "anna");
}

#[tokio::test]
async fn validation_names_each_field() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app.activity(&t.social, "Mina sidor").await;
    let post = |body: Value| app.post("/api/v1/documentation-items", &app.admin, body);
    let r =
        post(json!({"activity_id": activity, "kind": "project_plan", "status": "not_applicable"}))
            .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    let r = post(json!({"activity_id": activity, "kind": "project_plan", "status": "not_applicable", "reason": "   "})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    let r =
        post(json!({"activity_id": activity, "kind": "project_plan", "url": "inte en länk"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["url"]);
    let r = post(
        json!({"activity_id": activity, "kind": "project_plan", "url": "javascript:alert(1)"}),
    )
    .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["url"]);
    let r = post(json!({"activity_id": activity, "kind": "budget"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["kind"]);
    let r = post(json!({"kind": "project_plan"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id"]);
    let r = post(json!({"activity_id": "missing", "kind": "project_plan"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id"]);
    let r = post(json!({"activity_id": activity, "kind": "project_plan", "owner": "Anna", "file_name": "x.pdf"})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["file_name", "owner"]);

    let id = item(&app, &activity, "project_plan", json!({})).await;
    let path = format!("/api/v1/documentation-items/{id}");
    let r = app
        .patch(&path, &app.admin, json!({"status": "not_applicable"}))
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    app.patch(
        &path,
        &app.admin,
        json!({"status": "not_applicable", "reason": "Ingen upphandling; driftas av e-nämnden"}),
    )
    .await
    .assert_status(200);
    let r = app.patch(&path, &app.admin, json!({"reason": null})).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["reason"]);
    let r = app
        .patch(
            &path,
            &app.admin,
            json!({"activity_id": activity, "sha256": "x"}),
        )
        .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["activity_id", "sha256"]);
}

#[tokio::test]
async fn one_item_per_kind_and_activity() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let a = app.activity(&t.social, "Trygghetskameror").await;
    let b = app.activity(&t.social, "Digital signering").await;
    item(&app, &a, "risk_analysis", json!({})).await;
    let plan = item(&app, &a, "project_plan", json!({})).await;
    item(&app, &b, "risk_analysis", json!({})).await;
    let r = app
        .post(
            "/api/v1/documentation-items",
            &app.admin,
            json!({"activity_id": a, "kind": "risk_analysis", "status": "done"}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("risk_analysis"));
    let r = app
        .patch(
            &format!("/api/v1/documentation-items/{plan}"),
            &app.admin,
            json!({"kind": "risk_analysis"}),
        )
        .await;
    r.assert_status(409);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("risk_analysis"));
}

#[tokio::test]
async fn filters_sorting_and_paging() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let other = app.org("municipality", None, "Burlövs kommun").await;
    let social = app
        .activity(&t.social_admin, "Ekonomiskt bistånd e-tjänst")
        .await;
    let school = app.activity(&t.school_admin, "Ny lärplattform").await;
    let burlov = app.activity(&other, "Nyttokalkyler enligt ESV").await;
    let needs = item(&app, &social, "needs_analysis", json!({"status": "done"})).await;
    item(&app, &social, "risk_analysis", json!({})).await;
    item(
        &app,
        &social,
        "final_report",
        json!({"status": "not_applicable", "reason": "Pågår"}),
    )
    .await;
    item(&app, &school, "risk_analysis", json!({"status": "draft"})).await;
    item(
        &app,
        &school,
        "benefit_calculation",
        json!({"status": "done"}),
    )
    .await;
    item(
        &app,
        &burlov,
        "benefit_calculation",
        json!({"status": "done"}),
    )
    .await;
    put_file(&app, &app.admin, &needs, "application/pdf", PDF, &[], &[])
        .await
        .assert_status(200);

    let list = |q: String| list_items(&app, q);
    let r = list("sort=kind".into()).await;
    assert_eq!(r.total(), 6);
    assert_eq!(
        kinds(&r),
        vec![
            "benefit_calculation",
            "benefit_calculation",
            "final_report",
            "needs_analysis",
            "risk_analysis",
            "risk_analysis"
        ]
    );
    assert_eq!(list(format!("activity_id={social}")).await.total(), 3);
    assert_eq!(list("kind=risk_analysis".into()).await.total(), 2);
    assert_eq!(list("status=done".into()).await.total(), 3);
    assert_eq!(
        list("status=done&kind=benefit_calculation".into())
            .await
            .total(),
        2
    );
    assert_eq!(
        list(format!("organisation_id={}", t.school_admin))
            .await
            .total(),
        2
    );
    assert_eq!(
        list(format!("organisation_id={}", t.school)).await.total(),
        0
    );
    assert_eq!(list(format!("within={}", t.school)).await.total(), 2);
    assert_eq!(list(format!("within={}", t.municipality)).await.total(), 5);
    assert_eq!(list(format!("municipality_id={other}")).await.total(), 1);
    let r = list("has_file=true".into()).await;
    assert_eq!(r.ids(), vec![needs.clone()]);
    assert_eq!(r.body["items"][0]["has_file"], true);
    assert_eq!(list("has_file=false".into()).await.total(), 5);
    let r = list("sort=-status&limit=1".into()).await;
    assert_eq!(r.body["items"][0]["status"], "not_applicable");
    let r = list("sort=-kind&limit=2&offset=1".into()).await;
    assert_eq!(kinds(&r), vec!["risk_analysis", "needs_analysis"]);
    assert_eq!(r.total(), 6);
    assert!(r.body["next"].as_str().is_some());
    let r = list("sort=kind&limit=2&offset=4".into()).await;
    assert_eq!(r.body["items"].as_array().map(Vec::len), Some(2));
    assert!(r.body["next"].is_null());
    assert_eq!(
        list("sort=-created_at&limit=1".into()).await.body["items"][0]["activity_id"],
        json!(burlov)
    );
    for bad in ["sort=title", "q=risk", "kind=budget"] {
        let r = app
            .get(&format!("/api/v1/documentation-items?{bad}"), &app.admin)
            .await;
        assert!(
            r.status.as_u16() == 400 || r.status.as_u16() == 422,
            "{bad}: {}",
            r.status
        );
    }
}

#[tokio::test]
async fn scope_limits_reads_writes_lists_and_files() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let social = app.activity(&t.social_admin, "Försörjningsstöd").await;
    let school = app.activity(&t.school_admin, "Skolskjuts").await;
    let mine = item(&app, &social, "risk_analysis", json!({})).await;
    let theirs = item(&app, &school, "risk_analysis", json!({})).await;
    put_file(&app, &app.admin, &theirs, "application/pdf", PDF, &[], &[])
        .await
        .assert_status(200);
    let editor = app.token("e", Role::Editor, &[&t.social]);
    let viewer = app.token("v", Role::Viewer, &[&t.social]);

    let r = app.get("/api/v1/documentation-items", &viewer).await;
    assert_eq!(r.ids(), vec![mine.clone()]);
    assert_eq!(r.total(), 1);
    let r = app
        .get(
            &format!(
                "/api/v1/documentation-items?organisation_id={}",
                t.school_admin
            ),
            &viewer,
        )
        .await;
    assert_eq!(r.total(), 0);
    let theirs_path = format!("/api/v1/documentation-items/{theirs}");
    app.get(&theirs_path, &viewer).await.assert_status(403);
    app.patch(&theirs_path, &editor, json!({"status": "done"}))
        .await
        .assert_status(403);
    app.delete(&theirs_path, &editor).await.assert_status(403);
    app.post(
        "/api/v1/documentation-items",
        &editor,
        json!({"activity_id": school, "kind": "project_plan"}),
    )
    .await
    .assert_status(403);
    app.post(
        "/api/v1/documentation-items",
        &viewer,
        json!({"activity_id": social, "kind": "project_plan"}),
    )
    .await
    .assert_status(403);
    app.patch(
        &format!("/api/v1/documentation-items/{mine}"),
        &viewer,
        json!({"status": "done"}),
    )
    .await
    .assert_status(403);
    assert_eq!(
        download(&app, &viewer, &theirs).await.status().as_u16(),
        403
    );
    put_file(&app, &editor, &theirs, "application/pdf", PDF, &[], &[])
        .await
        .assert_status(403);
    put_file(&app, &viewer, &mine, "application/pdf", PDF, &[], &[])
        .await
        .assert_status(403);
    app.delete(&format!("{theirs_path}/file"), &editor)
        .await
        .assert_status(403);
    assert_eq!(
        download(&app, &app.admin, &theirs).await.status().as_u16(),
        200
    );
}

#[tokio::test]
async fn upload_download_replace_and_remove_a_file() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app
        .activity(&t.social_admin, "Nytt verksamhetssystem IFO")
        .await;
    let id = item(&app, &activity, "risk_analysis", json!({"status": "done"})).await;
    let editor = app.token("anna", Role::Editor, &[&t.social]);
    let path = format!("/api/v1/documentation-items/{id}");

    let r = put_file(
        &app,
        &editor,
        &id,
        "application/pdf",
        PDF,
        &[("If-Match", "\"v1\"")],
        &[("file_name", "Riskanalys ÅÄÖ 2026.pdf")],
    )
    .await;
    r.assert_status(200);
    let sha = hex_sha256(PDF);
    assert_eq!(r.body["sha256"], json!(sha));
    assert_eq!(r.body["size_bytes"], json!(PDF.len()));
    assert_eq!(r.body["content_type"], "application/pdf");
    assert_eq!(r.body["file_name"], "Riskanalys ÅÄÖ 2026.pdf");
    assert_eq!(r.body["has_file"], true);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.etag(), "\"v2\"");

    let res = download(&app, &editor, &id).await;
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(header(&res, "content-type"), "application/pdf");
    assert_eq!(header(&res, "etag"), format!("\"{sha}\""));
    let disposition = header(&res, "content-disposition");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''Riskanalys%20%C3%85%C3%84%C3%96%202026.pdf"),
        "{disposition}"
    );
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PDF);
    let cached = app
        .client
        .get(app.url(&format!("{path}/file")))
        .bearer_auth(&editor)
        .header("If-None-Match", format!("\"{sha}\""))
        .send()
        .await
        .expect("conditional get");
    assert_eq!(cached.status().as_u16(), 304);

    // A stale If-Match changes nothing.
    put_file(
        &app,
        &editor,
        &id,
        "text/csv",
        b"a;b\n",
        &[("If-Match", "\"v1\"")],
        &[],
    )
    .await
    .assert_status(412);
    // Replacing, named by Content-Disposition.
    let csv = "aktivitet;risk;sannolikhet\nE-arkiv;Leverantören går i konkurs;låg\n";
    let r = put_file(
        &app,
        &editor,
        &id,
        "text/csv; charset=utf-8",
        csv.as_bytes(),
        &[(
            "Content-Disposition",
            "attachment; filename*=UTF-8''Riskmatris%20v%C3%A5r.csv",
        )],
        &[],
    )
    .await;
    r.assert_status(200);
    assert_eq!(r.body["file_name"], "Riskmatris vår.csv");
    assert_eq!(r.body["content_type"], "text/csv");
    assert_eq!(r.body["sha256"], json!(hex_sha256(csv.as_bytes())));
    assert_eq!(r.body["version"], 3);
    let res = download(&app, &editor, &id).await;
    assert_eq!(header(&res, "content-type"), "text/csv; charset=utf-8");
    assert_eq!(res.text().await.expect("text"), csv);

    // Without a name the kind names the file.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let r = put_file(&app, &editor, &id, "image/png", png, &[], &[]).await;
    r.assert_status(200);
    assert_eq!(r.body["file_name"], "risk_analysis.png");

    let r = app
        .send(
            Method::DELETE,
            &format!("{path}/file"),
            Some(&editor),
            None,
            &[("If-Match", "\"v4\"")],
        )
        .await;
    r.assert_status(200);
    assert_eq!(r.body["has_file"], false);
    assert_eq!(r.body["sha256"], Value::Null);
    assert_eq!(r.body["file_name"], Value::Null);
    assert_eq!(r.body["version"], 5);
    assert_eq!(download(&app, &editor, &id).await.status().as_u16(), 404);
    app.delete(&format!("{path}/file"), &editor)
        .await
        .assert_status(404);

    let h = app
        .get(
            &format!("/api/v1/changes?resource=documentation-items&id={id}"),
            &editor,
        )
        .await;
    assert_eq!(h.total(), 5);
    assert_eq!(h.body["items"][1]["before"]["has_file"], false);
    assert_eq!(h.body["items"][1]["after"]["sha256"], json!(sha));
    assert_eq!(h.body["items"][2]["before"]["sha256"], json!(sha));
    assert_eq!(h.body["items"][4]["after"]["has_file"], false);
    assert_eq!(h.body["items"][4]["actor"], "anna");

    // Deleting the item takes its file along.
    put_file(&app, &editor, &id, "application/pdf", PDF, &[], &[])
        .await
        .assert_status(200);
    app.delete(&path, &editor).await.assert_status(204);
    assert_eq!(download(&app, &editor, &id).await.status().as_u16(), 404);
}

#[tokio::test]
async fn files_must_be_an_accepted_type_with_matching_content() {
    let app = TestApp::spawn().await;
    let t = app.tree().await;
    let activity = app.activity(&t.social, "Chattbot").await;
    let id = item(&app, &activity, "needs_analysis", json!({})).await;
    let put = |ct: &'static str, bytes: &'static [u8]| {
        put_file(&app, &app.admin, &id, ct, bytes, &[], &[])
    };

    let r = put("application/zip", b"PK\x03\x04rest").await;
    r.assert_status(415);
    let detail = r.body["detail"].as_str().unwrap_or_default().to_owned();
    assert!(
        detail.contains("application/pdf") && detail.contains("image/png"),
        "{detail}"
    );
    put("text/html", b"<script>alert(1)</script>")
        .await
        .assert_status(415);
    put("text/plain; charset=iso-8859-1", b"hej")
        .await
        .assert_status(415);
    let r = put("image/png", PDF).await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["file"]);
    let r = put(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        PDF,
    )
    .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["file"]);
    let r = put("text/plain", b"Sm\xe5land").await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["file"]);
    put("application/pdf", b"").await.assert_status(422);
    put("application/pdf", b"not a pdf")
        .await
        .assert_status(422);
    let r = put_file(
        &app,
        &app.admin,
        &id,
        "application/pdf",
        PDF,
        &[],
        &[("file_name", &"x".repeat(300))],
    )
    .await;
    r.assert_status(422);
    assert_eq!(r.error_fields(), vec!["file_name"]);
    put_file(
        &app,
        &app.admin,
        "missing",
        "application/pdf",
        PDF,
        &[],
        &[],
    )
    .await
    .assert_status(404);
    // None of it stuck.
    let r = app
        .get(&format!("/api/v1/documentation-items/{id}"), &app.admin)
        .await;
    assert_eq!(r.body["version"], 1);
    assert_eq!(r.body["has_file"], false);
    put("application/pdf", PDF).await.assert_status(200);
}

#[tokio::test]
async fn files_over_the_body_limit_are_refused() {
    let app = TestApp::spawn_with(|s| s.max_body_bytes = 1024).await;
    let t = app.tree().await;
    let activity = app.activity(&t.social, "Skanning av arkiv").await;
    let id = item(&app, &activity, "final_report", json!({})).await;
    let mut big = PDF.to_vec();
    big.resize(4096, b' ');
    let r = put_file(&app, &app.admin, &id, "application/pdf", &big, &[], &[]).await;
    r.assert_status(413);
    assert!(r.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains("1024"));
    let mut fits = PDF.to_vec();
    fits.resize(1024, b' ');
    let r = put_file(&app, &app.admin, &id, "application/pdf", &fits, &[], &[]).await;
    r.assert_status(200);
    assert_eq!(r.body["size_bytes"], 1024);
}
