//! The API's routes against the contract: every documented operation
//! served and nothing else, and bad inputs answered 4xx with a JSON
//! error, never 500.

mod common;

use test_postgres::backends;

use common::{start, Checked};
use reqwest::Method;
use serde_json::{json, Value};

/// The document against the router, both ways, from the document alone (no
/// list or count of routes here): every documented operation is served
/// (answers something other than `no_such_route` or 405), and on every
/// documented path the methods it does not document are not served (405).
/// Paths nobody documented cannot be served at all: routes are registered
/// only through `OpenApiRouter::routes` (clippy.toml), which documents them.
#[backends]
async fn the_contract_and_the_router_agree() {
    let api = start(false).await;
    let document: Value = api.get_json("/openapi.json").await;
    assert_eq!(
        &document,
        enroll_api::openapi::document(),
        "served as built"
    );
    let paths = document["paths"].as_object().unwrap();
    assert!(!paths.is_empty());
    for (template, operations) in paths {
        let concrete: String = template
            .split('/')
            .map(|segment| match segment.starts_with('{') {
                true => "x",
                false => segment,
            })
            .collect::<Vec<_>>()
            .join("/");
        for method in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::DELETE,
            Method::PATCH,
        ] {
            let documented = operations.get(method.as_str().to_lowercase()).is_some();
            let answer = api.request(method.clone(), &concrete).checked().await;
            if documented {
                assert_ne!(answer.status(), 405, "{method} {template}");
                assert_ne!(answer.code(), "no_such_route", "{method} {template}");
            } else {
                assert_eq!(answer.status(), 405, "{method} {template} is served");
            }
        }
    }
}

#[backends]
async fn bad_inputs_get_4xx_json_never_500() {
    let api = start(false).await;
    let draft = api.create(&json!({})).await;
    let id = draft.id.clone();
    /// (method, path, Authorization, body, expected status)
    type Case = (Method, String, Option<&'static str>, Vec<u8>, u16);
    let cases: Vec<Case> = vec![
        (
            Method::POST,
            "/applications".into(),
            None,
            b"{oops".to_vec(),
            400,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            b"[1,2]".to_vec(),
            422,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            br#"{"mpn_id": 5}"#.to_vec(),
            422,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            br#"{"attestations": {"terms_accepted": "yes"}}"#.to_vec(),
            422,
        ),
        (
            Method::POST,
            "/applications".into(),
            None,
            vec![b'{'; 65 * 1024],
            413,
        ),
        (
            Method::PUT,
            format!("/applications/{id}"),
            Some("Bearer nope"),
            b"{}".to_vec(),
            401,
        ),
        (
            Method::PUT,
            format!("/applications/{id}"),
            Some("Basic abc"),
            b"{}".to_vec(),
            401,
        ),
        (
            Method::GET,
            "/applications/does-not-exist".into(),
            Some("Bearer x"),
            vec![],
            404,
        ),
        (Method::GET, "/providers?page=0".into(), None, vec![], 400),
        (
            Method::GET,
            "/providers?per_page=abc".into(),
            None,
            vec![],
            400,
        ),
        (Method::GET, "/providers/nope".into(), None, vec![], 404),
        (Method::GET, "/mpn/12ab".into(), None, vec![], 400),
        (Method::GET, "/mpn/9999999".into(), None, vec![], 404),
        (Method::DELETE, "/program".into(), None, vec![], 405),
        (Method::GET, "/nothing".into(), None, vec![], 404),
    ];
    for (method, path, auth, body, expected) in cases {
        let mut request = api
            .request(method.clone(), &path)
            .header("Content-Type", "application/json")
            .body(body);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        let response = request.checked().await;
        assert_eq!(response.status().as_u16(), expected, "{method} {path}");
        let json = &response.body;
        assert!(json["error"]["code"].is_string(), "{method} {path}: {json}");
    }
}
