//! The partner account's second factor: an authenticator set up once by
//! every user, a code (or a recovery code) asked at every sign-in, each
//! accepted once, and wrong codes limited per user.

use crate::common;

use test_postgres::backends;

use common::account::{
    add_user, approved, as_user, change_password, enrol_authenticator, fully_set_up, give_code,
    password_sent_to, problem_code, sign_in, sign_in_from, token_of, NEW_PASSWORD,
};
use common::{api_with_clock, Checked};
use enroll_api::clock::Clock;
use enroll_api::mfa;
use reqwest::Method;
use serde_json::json;

#[backends]
async fn a_second_factor_is_set_up_once_then_asked_at_every_sign_in() {
    let (api, clock) = api_with_clock().await;
    let (token, secret, recovery) = fully_set_up(&api, &clock).await;
    assert_eq!(recovery.len(), 10);
    let account = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(account.status(), 200, "{}", account.text());
    assert_eq!(account.body["company"], "Contoso Ltd");
    assert_eq!(account.body["status"], "approved");
    assert_eq!(
        account.body["actions"],
        json!([
            "view_account",
            "list_users",
            "add_user",
            "change_user_roles",
            "remove_user",
            "resend_invitation",
            "view_organization_profile",
            "edit_organization_profile",
            "view_provider_requests",
            "manage_own_security",
            "prove_domain",
            "view_business_profile",
            "edit_business_profile",
            "view_referrals",
            "answer_referrals"
        ])
    );

    // Sign out: the token stops working.
    let out = as_user(&api, &token, Method::DELETE, "/session", None).await;
    assert_eq!(out.status(), 204);
    let gone = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(gone.refusal(), (401, "session_expired"));

    // The password alone is not enough.
    let signed_in = sign_in(&api, "Jane.Doe@Contoso.com", NEW_PASSWORD).await;
    assert_eq!(signed_in.body["mfa_required"], true);
    let token = signed_in.body["token"].as_str().unwrap().to_owned();
    let refused = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(refused.code(), "mfa_required");
    // The code that confirmed enrolment (same time step) is not taken again.
    let replayed = give_code(&api, &token, &mfa::code_at(&secret, clock.now())).await;
    assert_eq!(
        problem_code(&replayed),
        ("code".into(), "wrong_code".into())
    );
    clock.advance(30);
    let code = mfa::code_at(&secret, clock.now());
    let passed = give_code(&api, &token, &code).await;
    assert_eq!(passed.status(), 200);
    // The token that waited for the code is spent; the new one signs in.
    let waiting = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(waiting.status(), 401);
    assert_eq!(
        as_user(&api, &token_of(&passed), Method::GET, "/account", None)
            .await
            .status(),
        200
    );

    // In a new session, the same code (its step was used) is refused; a
    // recovery code works once.
    let again = sign_in(&api, "jane.doe@contoso.com", NEW_PASSWORD).await;
    let token = again.body["token"].as_str().unwrap().to_owned();
    assert_eq!(give_code(&api, &token, &code).await.status(), 422);
    let recovery_code = recovery[3].to_uppercase();
    assert_eq!(give_code(&api, &token, &recovery_code).await.status(), 200);
    let third = sign_in(&api, "jane.doe@contoso.com", NEW_PASSWORD).await;
    let token3 = third.body["token"].as_str().unwrap().to_owned();
    let reused = give_code(&api, &token3, &recovery[3]).await;
    assert_eq!(problem_code(&reused), ("code".into(), "wrong_code".into()));
}

/// Signed in before the authenticator was set up, a session would have
/// skipped the code: it ends when another session sets it up.
#[backends]
async fn setting_up_the_authenticator_ends_the_sessions_signed_in_without_it() {
    let (api, clock) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    let first = sign_in(&api, &email, &temporary).await.body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let changed = change_password(&api, &first, &temporary, NEW_PASSWORD).await;
    assert_eq!(changed.status(), 200);
    let first = token_of(&changed);
    let second = sign_in(&api, &email, NEW_PASSWORD).await.body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (confirmed, _) = enrol_authenticator(&api, &clock, &first).await;
    let first = token_of(&confirmed);
    let later = as_user(&api, &second, Method::GET, "/account", None).await;
    assert_eq!(later.refusal(), (401, "session_expired"));
    assert_eq!(
        as_user(&api, &first, Method::GET, "/account", None)
            .await
            .status(),
        200
    );
    // Nor can a session swap the authenticator for one of its own.
    let again = as_user(&api, &first, Method::POST, "/account/mfa/totp", None).await;
    assert_eq!(again.refusal(), (409, "mfa_already_enrolled"));
}

/// Every user sets up a second factor before anything else, not only the
/// admin roles: a sales agent, a helpdesk agent and a referrals admin too.
#[backends]
async fn every_user_sets_up_a_second_factor() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    for (email, role) in [
        ("sales@contoso.com", "sales_agent"),
        ("help@contoso.com", "helpdesk_agent"),
        ("refer@contoso.com", "referrals_admin"),
    ] {
        let added = add_user(&api, &admin, email, &[role]).await;
        assert_eq!(added.status(), 201, "{}", added.text());
        let temporary = password_sent_to(&api, email).await;
        let token = sign_in(&api, email, &temporary).await.body["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let changed = change_password(&api, &token, &temporary, NEW_PASSWORD).await;
        assert_eq!(changed.status(), 200, "{}", changed.text());
        assert_eq!(changed.body["mfa_enrolment_required"], true, "{role}");
        let account = as_user(&api, &token_of(&changed), Method::GET, "/account", None).await;
        assert_eq!(account.refusal(), (403, "mfa_enrolment_required"), "{role}");
    }
}

/// Wrong codes count per user whatever passwords were right meanwhile.
#[backends]
async fn codes_cannot_be_guessed_by_signing_in_again_between_tries() {
    let (api, clock) = api_with_clock().await;
    let (_, secret, _) = fully_set_up(&api, &clock).await;
    let right = mfa::code_at(&secret, clock.now());
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let mut answers = Vec::new();
    for _ in 0..3 {
        let token = sign_in(&api, "jane.doe@contoso.com", NEW_PASSWORD)
            .await
            .body["token"]
            .as_str()
            .unwrap()
            .to_owned();
        for _ in 0..2 {
            let answer = give_code(&api, &token, wrong).await;
            answers.push(answer.status().as_u16());
        }
    }
    assert_eq!(answers, [422, 422, 422, 422, 422, 429]);
}

/// Someone holding the password cannot guess the second factor from many
/// clients: wrong codes count per user across clients too (20 in 15
/// minutes).
#[backends]
async fn codes_are_limited_per_user_across_clients() {
    let (api, clock) = api_with_clock().await;
    let (_, secret, _) = fully_set_up(&api, &clock).await;
    let email = "jane.doe@contoso.com";
    let right = mfa::code_at(&secret, clock.now());
    let wrong: &'static str = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    let give = |from: [u8; 4], token: String, code: &'static str| {
        let api = &api;
        async move {
            api.request_from(from, Method::POST, "/session/mfa")
                .bearer_auth(token)
                .json(&json!({ "code": code }))
                .checked()
                .await
        }
    };
    for client in 0..5u8 {
        let from = [127, 0, 3, client];
        let token = token_of(&sign_in_from(&api, from, email, NEW_PASSWORD).await);
        for _ in 0..4 {
            assert_eq!(give(from, token.clone(), wrong).await.status(), 422);
        }
    }
    let from = [127, 0, 3, 9];
    let token = token_of(&sign_in_from(&api, from, email, NEW_PASSWORD).await);
    assert_eq!(give(from, token, wrong).await.status(), 429);
}
