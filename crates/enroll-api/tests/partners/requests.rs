//! A customer asking for a partner: the request checked in the customer's
//! language, the address proven with a code before any partner hears of
//! it, then the request offered to the best-matching published partner
//! and the customer emailed the link to its page; the limits of requests
//! per client and per address.

use crate::common;

use common::partners::{contoso_health, need, partner_with_profile, profile, Customer};
use common::{api_with_clock, start_with, Checked};
use enroll_api::limits::Limits;
use reqwest::Method;
use serde_json::json;
use test_postgres::backends;

/// The referrals the operator lists: (status, round, partner, why).
fn referrals(api: &common::Api) -> Vec<String> {
    api.operator_output(&["referrals", "list"])
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

#[backends]
async fn a_proven_request_goes_to_the_best_partner_and_the_customer_gets_its_link() {
    let (api, clock) = api_with_clock().await;
    // Berlin, healthcare, the customer's size and language: the best.
    contoso_health(&api).await;
    // Azure in Munich, nothing more in common.
    let mut munich = profile();
    munich["industries"] = json!(["retail"]);
    munich["languages"] = json!(["de"]);
    munich["locations"][0]["locality"] = json!("München");
    munich["locations"][0]["postal_code"] = json!("80331");
    partner_with_profile(&api, ("5550002", "max@fabrikam.com", "Fabrikam"), munich).await;
    // All in common but no location in Germany: left out.
    let mut paris = profile();
    paris["locations"] = json!([{"country": "FR", "lines": ["1 rue de Rivoli"],
        "locality": "Paris", "postal_code": "75001"}]);
    partner_with_profile(&api, ("5550003", "luc@northwind.com", "Northwind"), paris).await;

    let customer = Customer::asks(&api, &need("zh-CN", "li.wei@adatum.com")).await;
    let page = customer.call(&api, Method::GET, "", None).await;
    assert_eq!(page.status(), 200, "{}", page.text());
    assert_eq!(page.body["status"], "unproven");
    assert_eq!(page.body["contact"]["name"], "李伟");
    assert_eq!(page.body["needs"]["city"], "berlin");
    assert_eq!(page.body["partner"], json!(null));
    assert!(referrals(&api).is_empty(), "no partner hears of it yet");

    // The code, in the customer's language, with nothing typed in it.
    let sent = customer.call(&api, Method::POST, "/email/code", None).await;
    assert_eq!(sent.status(), 202, "{}", sent.text());
    assert_eq!(sent.body["to"], "li.wei@adatum.com");
    let emails = api.outbox().await;
    let code_email = emails.iter().find(|e| e.kind == "request_code").unwrap();
    assert_eq!(code_email.to, "li.wei@adatum.com");
    assert_eq!(code_email.subject, "确认你的合作伙伴请求的验证码");
    assert!(!code_email.body.contains("李伟") && !code_email.body.contains("patient"));
    let page = customer.call(&api, Method::GET, "", None).await;
    assert_eq!(page.body["code_delivery"], "sent");

    // A wrong code counts a try and proves nothing.
    let wrong = customer
        .call(
            &api,
            Method::POST,
            "/email/verify",
            Some(json!({"code": "000000"})),
        )
        .await;
    assert_eq!(wrong.status(), 422, "{}", wrong.text());
    assert_eq!(wrong.body["errors"][0]["code"], "wrong_code");
    assert_eq!(wrong.body["errors"][0]["params"]["tries_left"], "4");
    assert!(referrals(&api).is_empty());

    // The right one: the best partner has it, with its reasons.
    let code = code_email.code();
    let proof = json!({"code": code, "link_base": "https://partner.example/find"});
    let proven = customer
        .call(&api, Method::POST, "/email/verify", Some(proof.clone()))
        .await;
    assert_eq!(proven.status(), 200, "{}", proven.text());
    assert_eq!(proven.body["status"], "with_partner");
    assert_eq!(proven.body["partner"], json!(null), "named once it accepts");
    let offered = referrals(&api);
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert!(
        offered[0].contains("received")
            && offered[0].ends_with(
                "Contoso Health · Azure · Healthcare · 50 to 99 employees · Berlin · Chinese"
            ),
        "{}",
        offered[0]
    );
    assert!(!offered[0].contains("li.wei"), "no contact: {}", offered[0]);
    let link_email = api
        .outbox()
        .await
        .into_iter()
        .find(|e| e.kind == "request_link")
        .unwrap();
    assert_eq!(link_email.to, "li.wei@adatum.com");
    assert_eq!(link_email.subject, "你的合作伙伴请求已发出");
    let link = format!(
        "https://partner.example/find#partner-request={}.{}",
        customer.id, customer.token
    );
    assert!(link_email.body.contains(&link), "{}", link_email.body);
    assert!(link_email.body.contains("14 天"), "{}", link_email.body);

    // Again: the same answer, nothing more offered or sent.
    let again = customer
        .call(&api, Method::POST, "/email/verify", Some(proof))
        .await;
    assert_eq!(again.status(), 200, "{}", again.text());
    assert_eq!(referrals(&api).len(), 1);
    let links = api
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "request_link")
        .count();
    assert_eq!(links, 1);
    let late = customer.call(&api, Method::POST, "/email/code", None).await;
    assert_eq!(late.refusal(), (409, "not_editable"));

    // The token opens it for 90 days.
    clock.advance(91 * 86_400);
    let gone = customer.call(&api, Method::GET, "", None).await;
    assert_eq!(gone.refusal(), (401, "invalid_token"));
}

/// A request whose address is not proven reaches no partner: a code that
/// ran out, or tried five times wrong, proves nothing.
#[backends]
async fn an_unproven_request_reaches_no_partner() {
    let (api, clock) = api_with_clock().await;
    contoso_health(&api).await;
    let customer = Customer::asks(&api, &need("en-US", "li.wei@adatum.com")).await;
    customer.call(&api, Method::POST, "/email/code", None).await;
    let code = customer.newest_code(&api).await;
    clock.advance(10 * 60);
    let late = customer.verify(&api, &code).await;
    assert_eq!(
        late.body["errors"][0]["code"],
        "code_expired",
        "{}",
        late.text()
    );

    customer.call(&api, Method::POST, "/email/code", None).await;
    let code = customer.newest_code(&api).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    for _ in 0..5 {
        let tried = customer.verify(&api, wrong).await;
        assert_eq!(tried.status(), 422);
    }
    let right_too_late = customer.verify(&api, &code).await;
    assert_eq!(right_too_late.body["errors"][0]["code"], "code_expired");
    assert!(referrals(&api).is_empty());
    let page = customer.call(&api, Method::GET, "", None).await;
    assert_eq!(page.body["status"], "unproven");
    let sent: Vec<String> = api.outbox().await.into_iter().map(|e| e.kind).collect();
    assert!(!sent.contains(&"request_link".to_owned()), "{sent:?}");
}

/// Nothing matches: the customer is told so, and nobody has the contact.
#[backends]
async fn with_no_partner_matching_the_customer_is_told_so() {
    let (api, _) = api_with_clock().await;
    let mut unpublished = profile();
    unpublished["published"] = json!(false);
    partner_with_profile(&api, ("5550001", "kim@contoso.com", "Contoso"), unpublished).await;
    let mut other_product = profile();
    other_product["products"] = json!(["dynamics_365"]);
    partner_with_profile(
        &api,
        ("5550002", "max@fabrikam.com", "Fabrikam"),
        other_product,
    )
    .await;
    let customer = Customer::asks(&api, &need("en-US", "li.wei@adatum.com")).await;
    let proven = customer
        .proves_address(&api, "https://partner.example/find")
        .await;
    assert_eq!(proven.status(), 200, "{}", proven.text());
    assert_eq!(proven.body["status"], "no_partner");
    assert!(referrals(&api).is_empty());
    let told = api
        .outbox()
        .await
        .into_iter()
        .find(|e| e.kind == "request_link")
        .unwrap();
    assert!(
        told.body
            .contains("No partner's profile matches your request"),
        "{}",
        told.body
    );
}

/// Each answer checked at its field, in the customer's language; the
/// token required, and only the request's own.
#[backends]
async fn requests_are_checked_and_opened_by_their_own_token() {
    let (api, _) = api_with_clock().await;
    let mut wrong = need("zh-CN", "li@qq.com");
    wrong["needs"]["products"] = json!([]);
    wrong["consent_to_share"] = json!(false);
    let refused = api
        .request(Method::POST, "/partner-requests")
        .header("Accept-Language", "zh-CN")
        .json(&wrong)
        .checked()
        .await;
    assert_eq!(refused.status(), 422, "{}", refused.text());
    let problems: Vec<(&str, &str)> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["field"].as_str().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    let fields: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        ["needs.products", "contact.email", "consent_to_share"]
    );
    assert!(problems.iter().all(|(_, m)| !m.is_ascii()), "{problems:?}");

    let one = Customer::asks(&api, &need("en-US", "li.wei@adatum.com")).await;
    let other = Customer::asks(&api, &need("en-US", "sam@adatum.com")).await;
    let none = api
        .request(Method::GET, &format!("/partner-requests/{}", one.id))
        .checked()
        .await;
    assert_eq!(none.refusal(), (401, "token_required"));
    let crossed = api
        .request(Method::GET, &format!("/partner-requests/{}", one.id))
        .bearer_auth(&other.token)
        .checked()
        .await;
    assert_eq!(crossed.refusal(), (401, "invalid_token"));
    let unknown = api
        .request(
            Method::GET,
            &format!("/partner-requests/{}", "0".repeat(32)),
        )
        .bearer_auth(&one.token)
        .checked()
        .await;
    assert_eq!(unknown.refusal(), (404, "not_found"));
    let elsewhere = one
        .call(
            &api,
            Method::POST,
            "/email/verify",
            Some(json!({"code": "123456", "link_base": "https://evil.example/"})),
        )
        .await;
    assert_eq!(elsewhere.refusal(), (422, "bad_link_base"));
}

/// At most 5 requests an hour from one client.
#[backends]
async fn requests_are_limited_per_client() {
    let api = start_with(|options| {
        options.limits = Limits {
            partner_requests_per_client: Limits::default().partner_requests_per_client,
            ..Limits::generous()
        };
    })
    .await;
    let ask = |from: [u8; 4], n: usize| {
        api.request_from(from, Method::POST, "/partner-requests")
            .json(&need("en-US", &format!("buyer{n}@adatum.com")))
            .checked()
    };
    for n in 0..5 {
        assert_eq!(ask([127, 0, 0, 2], n).await.status(), 201);
    }
    let sixth = ask([127, 0, 0, 2], 5).await;
    assert_eq!(sixth.refusal(), (429, "too_many_partner_requests"));
    let retry: u64 = sixth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    assert_eq!(ask([127, 0, 0, 3], 6).await.status(), 201, "another client");
}

/// One address proves at most 3 requests a day (its spellings one inbox);
/// requests naming it are made freely, as anyone may type someone's
/// address, and one not proven within a day is forgotten.
#[backends]
async fn an_address_proves_at_most_three_requests_a_day() {
    let (api, clock) = api_with_clock().await;
    let spellings = [
        "li.wei@adatum.com",
        "Li.Wei+2@adatum.com",
        "li.wei+3@ADATUM.com",
        "LI.WEI@adatum.com",
    ];
    let mut customers = Vec::new();
    for email in spellings {
        customers.push(Customer::asks(&api, &need("en-US", email)).await);
    }
    // The fourth's code, asked for before the others are proven.
    let fourth = customers.pop().unwrap();
    fourth.call(&api, Method::POST, "/email/code", None).await;
    let fourth_code = fourth.newest_code(&api).await;
    for customer in &customers {
        let proven = customer
            .proves_address(&api, "https://partner.example/find")
            .await;
        assert_eq!(proven.status(), 200, "{}", proven.text());
    }
    let body = json!({"code": fourth_code});
    let refused = fourth
        .call(&api, Method::POST, "/email/verify", Some(body.clone()))
        .await;
    assert_eq!(refused.refusal(), (429, "too_many_partner_requests"));
    assert_eq!(refused.headers()["retry-after"], "86400");
    let page = fourth.call(&api, Method::GET, "", None).await;
    assert_eq!(page.body["status"], "unproven");
    let no_code = fourth.call(&api, Method::POST, "/email/code", None).await;
    assert_eq!(no_code.refusal(), (429, "too_many_partner_requests"));

    // A day later it may (and it is not forgotten yet: a day, not more).
    clock.advance(86_400);
    let proven = fourth
        .proves_address(&api, "https://partner.example/find")
        .await;
    assert_eq!(proven.status(), 200, "{}", proven.text());
}

/// A request whose address is not proven within a day is forgotten, with
/// its codes and their emails; a proven one stays.
#[backends]
async fn an_unproven_request_is_forgotten_after_a_day() {
    let (api, clock) = api_with_clock().await;
    let unproven = Customer::asks(&api, &need("en-US", "sam@adatum.com")).await;
    unproven.call(&api, Method::POST, "/email/code", None).await;
    let proven = Customer::asks(&api, &need("en-US", "li.wei@adatum.com")).await;
    proven
        .proves_address(&api, "https://partner.example/find")
        .await;
    api.settle().await;
    clock.advance(86_401);
    common::wait::eventually("the unproven request is forgotten", || async {
        let page = unproven.call(&api, Method::GET, "", None).await;
        if page.status() == 404 {
            Ok(())
        } else {
            Err(page.text().to_owned())
        }
    })
    .await;
    let rows = api.outbox_rows().await;
    assert!(
        rows.iter().all(|e| e.to != "sam@adatum.com"),
        "its code's email is gone: {rows:?}"
    );
    let stays = proven.call(&api, Method::GET, "", None).await;
    assert_eq!(stays.status(), 200, "{}", stays.text());
}
