//! The MPN lookup, the provider directory and partnership requests, over
//! real HTTP against a fresh database (SQLite, then PostgreSQL) seeded with the demo directory.

mod common;

use test_postgres::backends;

use common::Checked;

use common::{complete, start};
use enroll_finder::fold;
use reqwest::Method;
use serde_json::{json, Value};

#[backends]
async fn the_mpn_lookup_answers_from_the_demo_directory() {
    let api = start(true).await;
    let found: Value = api.get_json("/mpn/123 4567").await;
    assert_eq!(
        found,
        json!({"mpn_id": "1234567", "company_name": "Contoso Ltd", "country": "DE"})
    );
    let missing = api.request(Method::GET, "/mpn/9999999").checked().await;
    assert_eq!(missing.status(), 404);
    let body: Value = missing.body.clone();
    assert_eq!(body["error"]["code"], "mpn_not_found");
}

#[backends]
async fn providers_are_filtered_sorted_and_paged() {
    let api = start(true).await;
    let all: Value = api.get_json("/providers?per_page=1").await;
    assert_eq!(all["total"], 5_000, "--seed-demo loads 5,000 providers");

    let page: Value = api
        .request(
            Method::GET,
            "/providers?country=BR&product=Azure&language=pt&per_page=100&sort=name",
        )
        .checked()
        .await
        .body
        .clone();
    let total = page["total"].as_u64().unwrap();
    assert!(total > 0 && total < 5_000);
    let items = page["items"].as_array().unwrap();
    for p in items {
        assert!(p["countries_served"]
            .as_array()
            .unwrap()
            .contains(&json!("BR")));
        assert!(p["products"].as_array().unwrap().contains(&json!("Azure")));
        assert!(p["languages"].as_array().unwrap().contains(&json!("pt")));
    }
    let names: Vec<String> = items
        .iter()
        .map(|p| fold(p["name"].as_str().unwrap()))
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    let second: Value = api.get_json("/providers?per_page=10&page=2").await;
    let first: Value = api.get_json("/providers?per_page=20").await;
    assert_eq!(second["items"][0], first["items"][10]);

    let chinese: Value = api.get_json("/providers?q=%E7%A7%91%E6%8A%80").await;
    assert!(
        chinese["total"].as_u64().unwrap() > 0,
        "q=科技 finds Chinese names"
    );

    // Ranked by the finder's index: without diacritics, by fragment.
    let muller: Value = api.get_json("/providers?q=muller&per_page=5").await;
    assert!(muller["total"].as_u64().unwrap() > 0);
    for p in muller["items"].as_array().unwrap() {
        assert!(p["name"].as_str().unwrap().starts_with("Müller"), "{p}");
    }

    let filters: Value = api.get_json("/providers/filters").await;
    for (list, value) in [
        ("countries", "BR"),
        ("products", "Azure"),
        ("languages", "zh-CN"),
        ("services", "migration"),
    ] {
        assert!(
            filters[list].as_array().unwrap().contains(&json!(value)),
            "{list}"
        );
    }

    let id = first["items"][0]["id"].as_str().unwrap();
    let one: Value = api.get_json(&format!("/providers/{id}")).await;
    assert_eq!(one, first["items"][0]);
}

#[backends]
async fn the_index_is_compact_and_revalidates_by_etag() {
    let api = start(true).await;
    let response = api.request(Method::GET, "/providers/index").checked().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-cache");
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    let index: Value = response.body.clone();
    // Each product named once, providers as arrays referring to it.
    let products = index["products"].as_array().unwrap();
    assert!(products.contains(&json!("Azure")));
    let items = index["items"].as_array().unwrap();
    assert_eq!(items.len(), 5_000);
    assert!(items[0][1].is_string(), "the name");
    let first_product = items[0][5][0].as_u64().unwrap() as usize;
    let provider: Value = api
        .get_json(&format!("/providers/{}", items[0][0].as_str().unwrap()))
        .await;
    assert_eq!(provider["name"], items[0][1]);
    assert!(provider["products"]
        .as_array()
        .unwrap()
        .contains(&products[first_product]));
    assert!(
        !items[0].to_string().contains('@'),
        "no contact details in the index"
    );

    // Not held to the contract: the body is gzip, which this client does not
    // decode; the same answer, uncompressed, was checked just above.
    let gzipped = api
        .request(Method::GET, "/providers/index")
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    let raw = index.to_string().len();
    let sent = gzipped.bytes().await.unwrap().len();
    assert!(sent * 4 < raw, "compressed: {sent} of {raw} bytes");

    let again = api
        .request(Method::GET, "/providers/index")
        .header("If-None-Match", &etag)
        .checked()
        .await;
    assert_eq!(again.status(), 304);
    assert!(again.text().is_empty());
}

#[backends]
async fn a_submitted_indirect_reseller_asks_a_provider_to_partner() {
    let api = start(true).await;
    let draft = api.create(&complete()).await;
    let provider = "p000042";
    let ask = |token: String| {
        api.request(Method::POST, &format!("/providers/{provider}/requests"))
            .bearer_auth(token)
            .json(&json!({"message": "We sell in Berlin and Munich."}))
    };
    let too_early = ask(draft.token.clone()).checked().await;
    assert_eq!(too_early.status(), 409, "a draft cannot ask yet");

    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let created = ask(draft.token.clone()).checked().await;
    assert_eq!(created.status(), 201);
    let request: Value = created.body.clone();
    assert_eq!(request["provider_id"], provider);
    assert_eq!(request["status"], "pending");

    let repeated = ask(draft.token.clone()).checked().await;
    assert_eq!(
        repeated.status(),
        200,
        "asking twice gives the same request"
    );
    let repeated: Value = repeated.body.clone();
    assert_eq!(repeated["id"], request["id"]);

    let listed: Value = api
        .request(
            Method::GET,
            &format!("/applications/{}/provider-requests", draft.id),
        )
        .bearer_auth(&draft.token)
        .checked()
        .await
        .body
        .clone();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        listed["items"][0]["message"],
        "We sell in Berlin and Munich."
    );

    let wrong = ask("not-a-token".into()).checked().await;
    assert_eq!(wrong.status(), 401);
    let unknown = api
        .request(Method::POST, "/providers/p999999/requests")
        .bearer_auth(&draft.token)
        .checked()
        .await;
    assert_eq!(unknown.status(), 404);

    // A direct partner has no indirect provider. (Fabrikam's MPN ID is
    // registered in the US; direct enrollment must be open.)
    api.operator(&["program", "set", "--direct-enrollment", "open"])
        .await
        .unwrap();
    let mut direct = complete();
    direct["model"] = json!("direct_partner");
    direct["mpn_id"] = json!("7654321");
    direct["company"]["legal_name"] = json!("Fabrikam Inc.");
    direct["address"] = json!({"country": "US", "lines": ["1 Main St"], "locality": "Redmond",
                               "region": "WA", "postal_code": "98052"});
    let direct = api.create(&direct).await;
    assert_eq!(api.submit(&direct, &direct.etag, "k").await.status(), 200);
    assert_eq!(ask(direct.token.clone()).checked().await.status(), 409);
}
