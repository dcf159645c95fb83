//! The referrals inbox: a proven request as the partner's referrals admin
//! sees it (the customer's contact nowhere before acceptance, in any
//! answer or email), accepted, declined, expired and passed on, closed;
//! the emails to referrals admins, and past ten a day the morning's
//! digest.

use crate::common;

use common::account::{
    as_user, first_sign_in, give_code, password_sent_to, sign_in, signed_in_user, token_of,
    NEW_PASSWORD,
};
use common::partners::{contoso_health, need, partner_with_profile, profile, Customer};
use common::{api_with_clock, Answer, Api};
use enroll_api::clock::{Clock, TestClock};
use enroll_api::mail::REFERRAL_LETTERS;
use reqwest::Method;
use serde_json::{json, Value};
use test_postgres::backends;

/// What the customer typed that only a partner who accepts may see.
const CONTACT: [&str; 3] = ["li.wei@adatum.com", "李伟", "+49 30 1234567"];

fn holds_contact(text: &str) -> bool {
    CONTACT.iter().any(|c| text.contains(c))
}

/// Contoso Health's global admin (kim@contoso.com), signed in: the
/// session's token.
async fn contoso_admin(api: &Api, clock: &TestClock) -> String {
    let temporary = password_sent_to(api, "kim@contoso.com").await;
    first_sign_in(api, clock, "kim@contoso.com", &temporary)
        .await
        .0
}

/// A customer (li.wei@adatum.com) whose request was proven.
async fn proven_customer(api: &Api) -> Customer {
    let customer = Customer::asks(api, &need("zh-CN", "li.wei@adatum.com")).await;
    let proven = customer
        .proves_address(api, "https://partner.example/find")
        .await;
    assert_eq!(proven.status(), 200, "{}", proven.text());
    customer
}

async fn inbox(api: &Api, token: &str) -> Answer {
    as_user(api, token, Method::GET, "/account/referrals", None).await
}

async fn answer(api: &Api, token: &str, id: &str, what: &str, body: Value) -> Answer {
    let path = format!("/account/referrals/{id}/{what}");
    as_user(api, token, Method::POST, &path, Some(body)).await
}

fn deal() -> Value {
    json!({"deal_name": "Adatum: records to Azure", "estimated_value": "12500.00",
        "currency": "eur", "notes": "Call in the morning."})
}

/// The contact is in no list, detail or email before the partner
/// accepts, and in the answers after; only referrals admins and global
/// admins see the inbox; the customer learns who will make contact.
#[backends]
async fn the_contact_is_shown_only_once_the_partner_accepts() {
    let (api, clock) = api_with_clock().await;
    contoso_health(&api).await;
    let admin = contoso_admin(&api, &clock).await;
    let referrals = signed_in_user(
        &api,
        &clock,
        &admin,
        "ref@contoso.com",
        &["referrals_admin"],
    )
    .await;
    let billing =
        signed_in_user(&api, &clock, &admin, "bill@contoso.com", &["billing_admin"]).await;
    let customer = proven_customer(&api).await;

    // The referrals admin is emailed, with why it matched and no contact.
    let told: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "referral")
        .collect();
    assert_eq!(told.len(), 1, "to the referrals admin only: {told:?}");
    assert_eq!(told[0].to, "ref@contoso.com");
    assert!(
        told[0].body.contains("Azure · Healthcare"),
        "{}",
        told[0].body
    );
    assert!(!holds_contact(&told[0].body) && !holds_contact(&told[0].html));
    assert!(
        !told[0].body.contains("patient records"),
        "nothing the customer typed"
    );

    let list = inbox(&api, &referrals).await;
    assert_eq!(list.status(), 200, "{}", list.text());
    assert!(!holds_contact(list.text()), "{}", list.text());
    let item = &list.body["items"][0];
    assert_eq!(item["status"], "received");
    assert_eq!(item["contact"], Value::Null);
    assert_eq!(
        item["needs"]["description"],
        "Move our patient records to Azure."
    );
    assert_eq!(item["reasons"][0], "Azure");
    let id = item["id"].as_str().unwrap().to_owned();
    let detail = as_user(
        &api,
        &referrals,
        Method::GET,
        &format!("/account/referrals/{id}"),
        None,
    )
    .await;
    assert_eq!(detail.status(), 200);
    assert!(!holds_contact(detail.text()), "{}", detail.text());
    assert!(!holds_contact(&api.operator_output(&["referrals", "list"])));

    // Roles: the billing admin may not look; the global admin may.
    assert_eq!(inbox(&api, &billing).await.refusal(), (403, "forbidden"));
    assert_eq!(
        answer(&api, &billing, &id, "accept", deal())
            .await
            .refusal(),
        (403, "forbidden")
    );
    assert_eq!(inbox(&api, &admin).await.status(), 200);

    // Accepting asks for the deal, each field in the reader's language.
    let empty = api
        .request(Method::POST, &format!("/account/referrals/{id}/accept"))
        .bearer_auth(&referrals)
        .header("Accept-Language", "zh-CN")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let empty: Value = empty.json().await.unwrap();
    let fields: Vec<&str> = empty["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["deal_name", "estimated_value", "currency"]);
    assert_eq!(empty["errors"][0]["message"], "请输入交易名称");

    let accepted = answer(&api, &referrals, &id, "accept", deal()).await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text());
    assert_eq!(accepted.body["status"], "accepted");
    assert_eq!(accepted.body["contact"]["email"], "li.wei@adatum.com");
    assert_eq!(accepted.body["deal"]["currency"], "EUR");
    let page = customer.call(&api, Method::GET, "", None).await;
    assert_eq!(page.body["status"], "accepted");
    assert_eq!(page.body["partner"]["name"], "Contoso Health");
    let told = api
        .outbox()
        .await
        .into_iter()
        .find(|e| e.kind == "request_accepted")
        .unwrap();
    assert_eq!(told.to, "li.wei@adatum.com");
    assert!(told.body.contains("Contoso Health"), "{}", told.body);

    // Answered, it cannot be declined; closed, it cannot change.
    let decline = answer(&api, &referrals, &id, "decline", json!({"reason": "No."})).await;
    assert_eq!(decline.refusal(), (409, "referral_answered"));
    let won = answer(&api, &referrals, &id, "close", json!({"outcome": "won"})).await;
    assert_eq!(won.body["status"], "won", "{}", won.text());
    assert_eq!(won.body["contact"]["name"], "李伟");
    let again = answer(&api, &referrals, &id, "close", json!({"outcome": "lost"})).await;
    assert_eq!(again.refusal(), (409, "referral_answered"));
    let only_won = as_user(
        &api,
        &referrals,
        Method::GET,
        "/account/referrals?status=won",
        None,
    )
    .await;
    assert_eq!(only_won.body["items"].as_array().unwrap().len(), 1);
    let none = as_user(
        &api,
        &referrals,
        Method::GET,
        "/account/referrals?status=received",
        None,
    )
    .await;
    assert_eq!(none.body["items"], json!([]));
    let bad = as_user(
        &api,
        &referrals,
        Method::GET,
        "/account/referrals?status=maybe",
        None,
    )
    .await;
    assert_eq!(bad.refusal(), (400, "bad_query"));
}

/// Declined (with a reason), the request goes to the next partner; that
/// one not answering in 14 days, it expires, and with nobody left the
/// customer is told.
#[backends]
async fn declined_or_expired_the_request_goes_on_until_nobody_is_left() {
    let (api, clock) = api_with_clock().await;
    contoso_health(&api).await;
    let mut munich = profile();
    munich["locations"][0]["locality"] = json!("München");
    munich["locations"][0]["postal_code"] = json!("80331");
    partner_with_profile(&api, ("5550002", "max@fabrikam.com", "Fabrikam"), munich).await;
    let admin = contoso_admin(&api, &clock).await;
    let customer = proven_customer(&api).await;
    let list = inbox(&api, &admin).await;
    let id = list.body["items"][0]["id"].as_str().unwrap().to_owned();

    let no_reason = answer(&api, &admin, &id, "decline", json!({"reason": " "})).await;
    assert_eq!(no_reason.status(), 422);
    assert_eq!(no_reason.body["errors"][0]["field"], "reason");
    let declined = answer(
        &api,
        &admin,
        &id,
        "decline",
        json!({"reason": "We are fully booked until spring."}),
    )
    .await;
    assert_eq!(declined.status(), 200, "{}", declined.text());
    assert_eq!(
        declined.body["contact"],
        Value::Null,
        "declined: never shown"
    );
    let rows = api.operator_output(&["referrals", "list"]);
    let fabrikam = rows
        .lines()
        .find(|l| l.contains("Fabrikam"))
        .expect("passed on");
    assert!(
        fabrikam.contains("received") && fabrikam.contains(" 2 "),
        "{rows}"
    );
    assert_eq!(
        customer.call(&api, Method::GET, "", None).await.body["status"],
        "with_partner"
    );

    // Fabrikam does not answer: 14 days later it expires (answering then
    // is refused, and shows nothing), nobody is left.
    let temporary = password_sent_to(&api, "max@fabrikam.com").await;
    let (fabrikam_admin, secret, _) =
        first_sign_in(&api, &clock, "max@fabrikam.com", &temporary).await;
    let theirs = inbox(&api, &fabrikam_admin).await;
    let theirs = theirs.body["items"][0]["id"].as_str().unwrap().to_owned();
    clock.advance(14 * 86_400);
    // A session lasts 7 days: signed in again, with a code.
    let again = token_of(&sign_in(&api, "max@fabrikam.com", NEW_PASSWORD).await);
    let code = enroll_api::mfa::code_at(&secret, clock.now());
    let fabrikam_admin = token_of(&give_code(&api, &again, &code).await);
    let late = answer(&api, &fabrikam_admin, &theirs, "accept", deal()).await;
    assert_eq!(late.refusal(), (409, "referral_answered"));
    assert!(!holds_contact(late.text()));
    common::wait::eventually("the customer is told no partner is left", || async {
        let page = customer.call(&api, Method::GET, "", None).await;
        (page.body["status"] == "no_partner").then_some(())
    })
    .await;
    let rows = api.operator_output(&["referrals", "list"]);
    assert!(
        rows.lines()
            .any(|l| l.contains("expired") && l.contains("Fabrikam")),
        "{rows}"
    );
    let told = api
        .outbox()
        .await
        .into_iter()
        .find(|e| e.kind == "request_no_partner")
        .unwrap();
    assert_eq!(told.to, "li.wei@adatum.com");
    assert!(!told.body.contains("Contoso") && !told.body.contains("Fabrikam"));
}

/// A partner's referrals admins are emailed for each of the day's first
/// ten referrals; the rest wait for one digest at 08:00 UTC, sent once.
#[backends]
async fn past_ten_a_day_the_rest_wait_for_the_morning_digest() {
    let (api, clock) = api_with_clock().await;
    contoso_health(&api).await;
    // The day's first second, and its morning's digest, by the clock.
    let now = clock.now();
    let today = now - now % 86_400;
    for n in 0..12 {
        let customer = Customer::asks(&api, &need("en-US", &format!("buyer{n}@adatum.com"))).await;
        let proven = customer
            .proves_address(&api, "https://partner.example/find")
            .await;
        assert_eq!(proven.status(), 200, "{}", proven.text());
    }
    let referral_emails = |emails: &[test_relay::mail::Mail], kind: &str| {
        emails
            .iter()
            .filter(|e| e.kind == kind && e.to == "kim@contoso.com")
            .count()
    };
    let emails = api.outbox().await;
    assert_eq!(
        referral_emails(&emails, "referral"),
        10,
        "the global admin: no referrals admin"
    );
    assert_eq!(referral_emails(&emails, "referral_digest"), 0);

    clock.advance(today + 86_400 + 8 * 3600 - now);
    let digest = common::wait::eventually("the morning's digest", || async {
        api.outbox()
            .await
            .into_iter()
            .find(|e| e.kind == "referral_digest")
    })
    .await;
    assert!(
        digest.body.contains("Waiting for your answer: 2."),
        "{}",
        digest.body
    );
    // Once: whoever looks next (another instance, the next morning) finds
    // every referral told.
    let store = api.store().await;
    let again = store
        .send_referral_digests(clock.now(), &REFERRAL_LETTERS)
        .await;
    assert_eq!(again.unwrap(), 0);
    let next_morning = store
        .send_referral_digests(clock.now() + 86_400, &REFERRAL_LETTERS)
        .await;
    assert_eq!(next_morning.unwrap(), 0);
    let emails = api.outbox().await;
    assert_eq!(referral_emails(&emails, "referral_digest"), 1);
    assert_eq!(referral_emails(&emails, "referral"), 10);
}

/// `--seed-demo` adds partners a developer can be: their admins sign in
/// with the printed password and second factor, and a request in Berlin
/// reaches the one in Berlin. Seeding again adds nothing.
#[tokio::test]
async fn the_demo_partners_receive_requests_and_their_admins_sign_in() {
    let api = common::start_with(|options| {
        options.seed_demo = true;
        options.seed_demo_partners = true;
    })
    .await;
    let customer = proven_customer(&api).await;
    let berlin = &enroll_api::seed::demo_sign_ins()[0];
    let signed_in = sign_in(&api, berlin.email, enroll_api::seed::DEMO_PARTNER_PASSWORD).await;
    assert_eq!(signed_in.status(), 200, "{}", signed_in.text());
    let secret = enroll_api::mfa::Secret::from_base32(berlin.totp_secret).unwrap();
    let code = enroll_api::mfa::code_at(&secret, enroll_api::clock::SystemClock.now());
    let token = token_of(&give_code(&api, &token_of(&signed_in), &code).await);
    let list = inbox(&api, &token).await;
    assert_eq!(list.status(), 200, "{}", list.text());
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "{}",
        list.text()
    );
    assert_eq!(
        customer.call(&api, Method::GET, "", None).await.body["status"],
        "with_partner"
    );
    enroll_api::seed::seed_demo_partners(&api.store().await)
        .await
        .unwrap();
    let rows = api.operator_output(&["accounts", "list"]);
    assert_eq!(rows.matches("Spreeblick Cloud GmbH").count(), 1, "{rows}");
}
