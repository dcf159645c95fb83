//! POST /api/v1/validate and the reference data, over real HTTP.

mod common;

use test_postgres::backends;

use common::Checked;

use common::{complete, start};
use enroll_api::RunningServer;
use reqwest::Method;
use serde_json::{json, Value};

async fn validate(server: &RunningServer, body: &Value, query: &str, lang: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/validate{query}", server.url()))
        .header("Accept-Language", lang)
        .json(body)
        .checked()
        .await;
    (response.status().as_u16(), response.body.clone())
}

#[backends]
async fn a_complete_application_is_valid() {
    let api = start(false).await;
    let server = &api.server;
    let (status, body) = validate(server, &complete(), "", "en-US").await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"valid": true, "errors": [], "warnings": []}));
}

#[backends]
async fn problems_come_with_codes_params_and_messages_in_the_request_locale() {
    let api = start(false).await;
    let server = &api.server;
    let mut answers = complete();
    answers["bank"]["iban"] = json!("DE89 3704 0044 0532 0130 01");
    answers["admin"]["email"] = json!("li.wei@qq.com");
    answers["address"]["postal_code"] = json!("1011");

    let (status, body) = validate(server, &answers, "", "en-US").await;
    assert_eq!(status, 200);
    assert_eq!(body["valid"], false);
    let errors = body["errors"].as_array().unwrap();
    let find = |field: &str| errors.iter().find(|e| e["field"] == field).unwrap().clone();
    assert_eq!(find("bank.iban")["code"], "checksum");
    assert_eq!(
        find("bank.iban")["message"],
        "Check your IBAN: one of its characters is mistyped"
    );
    assert_eq!(find("admin.email")["code"], "free_email_domain");
    assert_eq!(find("admin.email")["params"]["domain"], "qq.com");
    assert_eq!(find("address.postal_code")["code"], "postal_code_format");
    assert_eq!(
        find("address.postal_code")["message"],
        "Enter a real postcode, like 26133"
    );

    let (_, body) = validate(server, &answers, "", "zh-CN,zh;q=0.9").await;
    let message = body["errors"][0]["message"].as_str().unwrap().to_owned();
    assert!(
        message
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{message}"
    );
}

#[backends]
async fn warnings_do_not_make_an_application_invalid() {
    let api = start(false).await;
    let server = &api.server;
    let mut answers = complete();
    answers["admin"]["email"] = json!("jane.doe@contoso.con");
    let (_, body) = validate(server, &answers, "", "en-US").await;
    assert_eq!(body["valid"], true);
    assert_eq!(body["warnings"][0]["code"], "email_domain_typo");
    assert_eq!(
        body["warnings"][0]["message"],
        "Did you mean jane.doe@contoso.com?"
    );
}

#[backends]
async fn one_section_can_be_validated_alone() {
    let api = start(false).await;
    let server = &api.server;
    let partial = json!({"bank": {"country": "GB", "account_holder": "Contoso", "routing_code": "12-34-5", "account_number": "12345678"}});
    let (status, body) = validate(server, &partial, "?sections=bank", "en-US").await;
    assert_eq!(status, 200);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{body}");
    assert_eq!(errors[0]["field"], "bank.routing_code");
    assert_eq!(errors[0]["message"], "Enter a sort code like 12-34-56");

    let (status, body) = validate(server, &partial, "?sections=bank,nonsense", "en-US").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["code"], "unknown_section");
}

#[backends]
async fn bad_bodies_get_json_errors_not_500s() {
    let api = start(false).await;
    let server = &api.server;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/validate", server.url());
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            "application/json",
            b"{not json".to_vec(),
            400,
            "invalid_json",
        ),
        (
            "application/json",
            br#"{"mpn_id": 42}"#.to_vec(),
            422,
            "wrong_shape",
        ),
        (
            "application/json",
            br#"{"model": "reseller"}"#.to_vec(),
            422,
            "wrong_shape",
        ),
        ("text/plain", b"{}".to_vec(), 415, "json_required"),
        ("application/json", vec![b' '; 70 * 1024], 413, "too_large"),
    ];
    for (content_type, body, status, code) in cases {
        let response = client
            .post(&url)
            .header("Content-Type", content_type)
            .body(body)
            .checked()
            .await;
        assert_eq!(response.status().as_u16(), status, "{code}");
        let json: Value = response.body.clone();
        assert_eq!(json["error"]["code"], code);
        assert!(json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
}

#[backends]
async fn reference_data_is_served_per_country_and_cacheable() {
    let api = start(false).await;
    let response = api
        .request(Method::GET, "/reference/address-formats/jp")
        .checked()
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=86400");
    let format = &response.body;
    assert_eq!(format["zip"], r"\d{3}-?\d{4}");
    assert!(
        format["regions"].as_array().unwrap().len() == 47,
        "47 prefectures"
    );

    let response = api
        .request(Method::GET, "/reference/address-formats/XX")
        .checked()
        .await;
    assert_eq!(response.status(), 404);

    let domains: Vec<String> =
        serde_json::from_value(api.get_json("/reference/free-email-domains").await).unwrap();
    assert!(domains.iter().any(|d| d == "163.com"));
}
