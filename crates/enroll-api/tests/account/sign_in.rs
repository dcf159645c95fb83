//! Signing in to the partner account, throttled: per address (known or
//! not) and per client, counted before checking, and locked out in a way
//! an attacker cannot aim at the owner.

use crate::common;

use test_postgres::backends;

use common::account::{approved, fully_set_up, sign_in, sign_in_from, NEW_PASSWORD};
use common::{api_with_clock, Checked};
use enroll_api::clock::Clock;
use enroll_api::mfa;
use reqwest::Method;
use serde_json::json;

#[backends]
async fn sign_in_is_throttled_per_address_known_or_not_and_per_client() {
    let (api, clock) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    // An unknown address and a wrong password get the same answer.
    let unknown = sign_in(&api, "nobody@contoso.com", "whatever it is").await;
    let wrong = sign_in(&api, &email, "whatever it is").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(
        (unknown.status(), unknown.text()),
        (wrong.status(), wrong.text())
    );
    for _ in 0..4 {
        sign_in(&api, &email, "whatever it is").await;
        sign_in(&api, "nobody@contoso.com", "whatever it is").await;
    }
    // Five failures each: the right password waits too, and the unknown
    // address is told the same.
    for address in [email.as_str(), "nobody@contoso.com"] {
        let throttled = sign_in(&api, address, &temporary).await;
        assert_eq!(throttled.status(), 429, "{address}");
        assert_eq!(throttled.code(), "too_many_attempts");
        let wait: u64 = throttled.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=900).contains(&wait), "{wait}");
    }
    clock.advance(900);
    assert_eq!(sign_in(&api, &email, &temporary).await.status(), 200);

    // Twenty failures from one client, over many addresses: the client waits.
    for i in 0..20 {
        let answer = sign_in(&api, &format!("guess{i}@contoso.com"), "whatever it is").await;
        assert_eq!(answer.status(), 401, "try {i}");
    }
    let throttled = sign_in(&api, &email, NEW_PASSWORD).await;
    assert_eq!(throttled.status(), 429);
}

/// Attempts sent at once are counted before any is checked: five wrong
/// passwords for one address are told so, the rest wait.
#[backends]
async fn attempts_sent_at_once_cannot_pass_the_count_together() {
    let (api, _) = api_with_clock().await;
    let (email, _) = approved(&api).await;
    let api = std::sync::Arc::new(api);
    let tries: Vec<_> = (0..15)
        .map(|_| {
            let (api, email) = (api.clone(), email.clone());
            tokio::spawn(async move {
                sign_in(&api, &email, "wrong password here")
                    .await
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tries {
        statuses.push(task.await.unwrap());
    }
    statuses.sort();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        10,
        "{statuses:?}"
    );
}

/// Lockouts an attacker cannot aim: failures for an address hold back only
/// the client they come from (passwords, and second-factor codes too);
/// 100 in a row from everywhere lock the address for an hour and tell its
/// owner, once.
#[backends]
async fn an_attacker_cannot_lock_the_owner_out() {
    let (api, clock) = api_with_clock().await;
    let (_, secret, _) = fully_set_up(&api, &clock).await;
    let email = "jane.doe@contoso.com";
    let attacker = [127, 0, 0, 2];
    let owner = [127, 0, 0, 3];
    for _ in 0..5 {
        let wrong = sign_in_from(&api, attacker, email, "not the password").await;
        assert_eq!(wrong.status(), 401);
    }
    // The attacker's client waits, even with the right password...
    let held = sign_in_from(&api, attacker, email, NEW_PASSWORD).await;
    assert_eq!(held.status(), 429);
    // ...and the owner, elsewhere, signs in.
    let signed_in = sign_in_from(&api, owner, email, NEW_PASSWORD).await;
    assert_eq!(signed_in.status(), 200, "{}", signed_in.text());

    // Wrong codes count per address and client too: the owner's client
    // after 5, not the attacker's.
    let token = signed_in.body["token"].as_str().unwrap().to_owned();
    for _ in 0..5 {
        let wrong = api
            .request_from(owner, Method::POST, "/session/mfa")
            .bearer_auth(&token)
            .json(&json!({"code": "000000"}))
            .checked()
            .await;
        assert_eq!(wrong.status(), 422);
    }
    let code = json!({ "code": mfa::code_at(&secret, clock.now()) });
    let held = api
        .request_from(owner, Method::POST, "/session/mfa")
        .bearer_auth(&token)
        .json(&code)
        .checked()
        .await;
    assert_eq!(held.status(), 429);
    clock.advance(900);

    // 100 failures within 24 hours from many clients (4 each, under every
    // client's limit; the 10 above count) lock the address for an hour,
    // for everyone, and its owner is told.
    let emails_before = api.outbox().await.len();
    for failure in 10..100u8 {
        let client = [127, 0, 1, failure / 4];
        let wrong = sign_in_from(&api, client, email, "not the password").await;
        assert_eq!(wrong.status(), 401, "failure {failure}");
    }
    let locked = sign_in_from(&api, [127, 0, 2, 1], email, NEW_PASSWORD).await;
    assert_eq!(locked.status(), 429);
    let wait: u64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3000..=3600).contains(&wait), "{wait}");
    let again = sign_in_from(&api, [127, 0, 2, 2], email, NEW_PASSWORD).await;
    assert_eq!(again.status(), 429);
    let told: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .skip(emails_before)
        .filter(|e| e.kind == "sign_in_locked")
        .collect();
    assert_eq!(told.len(), 1, "told once");
    assert_eq!(told[0].to, email);
    assert!(
        told[0].body.contains("100 failed attempts"),
        "{}",
        told[0].body
    );
    // After the hour it locks again while 100 failures are left in the 24
    // hours (at most 100 guesses a day, however many clients), and the
    // owner is not told twice that day.
    clock.advance(3600);
    let still = sign_in_from(&api, [127, 0, 2, 3], email, NEW_PASSWORD).await;
    assert_eq!(still.status(), 429);
    let told_again = api
        .outbox()
        .await
        .iter()
        .filter(|e| e.kind == "sign_in_locked")
        .count();
    assert_eq!(told_again, 1, "told once a day");
    // Once they are older than 24 hours, the right password signs in.
    clock.advance(23 * 3600);
    let back = sign_in_from(&api, [127, 0, 2, 4], email, NEW_PASSWORD).await;
    assert_eq!(back.status(), 200, "{}", back.text());
}
