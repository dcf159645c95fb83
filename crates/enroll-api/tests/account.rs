//! The partner account's rules over real HTTP, on a real database, with
//! the API's clock moved by the test instead of waiting: the admin's
//! proven address, the account made on approval, the temporary password,
//! sessions, throttled sign-in, and the second factor.

mod common;

use common::{complete, start_with, Api, Checked};
use enroll_api::clock::{Clock, TestClock};
use enroll_api::mfa;
use reqwest::Method;
use serde_json::{json, Value};

async fn api_with_clock() -> (Api, TestClock) {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| options.clock = std::sync::Arc::new(shared)).await;
    (api, clock)
}

/// Creates, submits and approves the example application: the admin's
/// address and temporary password.
async fn approved(api: &Api) -> (String, String) {
    let draft = api.create(&complete()).await;
    let submitted = api.submit(&draft, &draft.etag, "k").await;
    assert_eq!(submitted.status(), 200, "{}", submitted.text());
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&["review", "approve", &draft.id])
        .await
        .unwrap();
    (
        "jane.doe@contoso.com".into(),
        password_sent_to(api, "jane.doe@contoso.com").await,
    )
}

async fn sign_in(api: &Api, email: &str, password: &str) -> common::Answer {
    api.request(Method::POST, "/session")
        .json(&json!({"email": email, "password": password}))
        .checked()
        .await
}

async fn as_user(
    api: &Api,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> common::Answer {
    let request = api.request(method, path).bearer_auth(token);
    match body {
        Some(body) => request.json(&body).checked().await,
        None => request.checked().await,
    }
}

async fn change_password(api: &Api, token: &str, current: &str, new: &str) -> common::Answer {
    as_user(
        api,
        token,
        Method::POST,
        "/session/password",
        Some(json!({"current_password": current, "new_password": new})),
    )
    .await
}

/// The session's token an answer gives: on signing in, and at each later
/// step of it (the one before stops working).
fn token_of(answer: &common::Answer) -> String {
    answer.body["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {}", answer.text()))
        .to_owned()
}

fn problem_code(answer: &common::Answer) -> (String, String) {
    let problem = &answer.body["errors"][0];
    (
        problem["field"].as_str().unwrap_or_default().to_owned(),
        problem["code"].as_str().unwrap_or_default().to_owned(),
    )
}

const NEW_PASSWORD: &str = "violet quarry tandem";

/// Approves the example application and signs its admin in for the first
/// time: the session's token, the secret and the recovery codes.
async fn fully_set_up(api: &Api, clock: &TestClock) -> (String, mfa::Secret, Vec<String>) {
    let (email, temporary) = approved(api).await;
    first_sign_in(api, clock, &email, &temporary).await
}

/// Signs `email` in with its temporary password, chooses a new one and
/// sets up an authenticator, as every user does the first time: the
/// session's token, the secret and the recovery codes.
async fn first_sign_in(
    api: &Api,
    clock: &TestClock,
    email: &str,
    temporary: &str,
) -> (String, mfa::Secret, Vec<String>) {
    let token = token_of(&sign_in(api, email, temporary).await);
    let changed = change_password(api, &token, temporary, NEW_PASSWORD).await;
    assert_eq!(changed.status(), 200, "{}", changed.text());
    assert_eq!(changed.body["mfa_enrolment_required"], true);
    let (confirmed, secret) = enrol_authenticator(api, clock, &token_of(&changed)).await;
    let codes = confirmed.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    (token_of(&confirmed), secret, codes)
}

/// Sets up an authenticator for the session `token`, its password chosen:
/// the confirmation's answer (with the session's new token) and the key.
async fn enrol_authenticator(
    api: &Api,
    clock: &TestClock,
    token: &str,
) -> (common::Answer, mfa::Secret) {
    let offer = as_user(api, token, Method::POST, "/account/mfa/totp", None).await;
    let secret = mfa::Secret::from_base32(offer.body["secret"].as_str().unwrap()).unwrap();
    let code = json!({ "code": mfa::code_at(&secret, clock.now()) });
    let confirmed = as_user(
        api,
        token,
        Method::POST,
        "/account/mfa/totp/confirm",
        Some(code),
    )
    .await;
    assert_eq!(confirmed.status(), 200, "{}", confirmed.text());
    (confirmed, secret)
}

#[tokio::test]
async fn submitting_needs_the_admin_address_proven_and_a_new_address_needs_it_again() {
    let (api, _) = api_with_clock().await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("");
    let draft = api.create(&answers).await;
    // No address yet: no code, and the report says why.
    let refused = api.send_admin_code(&draft).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        problem_code(&refused),
        ("admin.email".into(), "required".into())
    );

    let (etag, mut stored) = api.get(&draft).await;
    stored["admin"]["email"] = json!("jane.doe@contoso.com");
    let saved = api.put(&draft, &etag, &stored).await;
    let submit = api.submit(&draft, &saved.etag(), "a").await;
    assert_eq!(submit.status(), 422);
    assert_eq!(
        problem_code(&submit),
        ("admin.email".into(), "admin_email_unverified".into())
    );
    api.confirm_admin_email(&draft).await;
    let (etag, mut stored) = api.get(&draft).await;
    assert_eq!(stored["admin_email_confirmed"], true);

    // A new address takes the proof away; proving it again submits.
    stored["admin"]["email"] = json!("john.roe@contoso.com");
    let saved = api.put(&draft, &etag, &stored).await;
    assert_eq!(saved.body["admin_email_confirmed"], false);
    let submit = api.submit(&draft, &saved.etag(), "b").await;
    assert_eq!(
        problem_code(&submit),
        ("admin.email".into(), "admin_email_unverified".into())
    );
    api.confirm_admin_email(&draft).await;
    let codes: Vec<_> = api
        .all_emails()
        .await
        .into_iter()
        .filter(|e| e.kind == "admin_code")
        .map(|e| e.to)
        .collect();
    assert_eq!(codes, ["jane.doe@contoso.com", "john.roe@contoso.com"]);
    assert_eq!(api.submit(&draft, &saved.etag(), "c").await.status(), 200);
}

#[tokio::test]
async fn a_code_lasts_ten_minutes_and_five_tries_and_three_are_sent_an_hour() {
    let (api, clock) = api_with_clock().await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("not yet");
    let draft = api.create(&answers).await;
    let (etag, mut stored) = api.get(&draft).await;
    stored["admin"]["email"] = json!("jane.doe@contoso.com");
    api.put(&draft, &etag, &stored).await;

    // Expired after 10 minutes.
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    clock.advance(600);
    let late = api.verify_admin_code(&draft, &code).await;
    assert_eq!(problem_code(&late), ("code".into(), "code_expired".into()));

    // Five wrong tries use the code up, the right one included after.
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for tries_left in (1..=4).rev() {
        let answer = api.verify_admin_code(&draft, wrong).await;
        assert_eq!(problem_code(&answer), ("code".into(), "wrong_code".into()));
        assert_eq!(
            answer.body["errors"][0]["params"]["tries_left"],
            tries_left.to_string()
        );
    }
    let fifth = api.verify_admin_code(&draft, wrong).await;
    assert_eq!(problem_code(&fifth), ("code".into(), "code_expired".into()));
    let used_up = api.verify_admin_code(&draft, &code).await;
    assert_eq!(
        problem_code(&used_up),
        ("code".into(), "code_expired".into())
    );

    // A third send this hour works; the fourth waits for the first to age.
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let fourth = api.send_admin_code(&draft).await;
    assert_eq!(fourth.status(), 429);
    assert_eq!(fourth.code(), "too_many_codes");
    let wait: u64 = fourth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((2990..=3000).contains(&wait), "{wait}");
    clock.advance(wait);
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    assert_eq!(
        api.verify_admin_code(&draft, &format!(" {code} "))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn approval_makes_the_account_and_a_temporary_password_allows_only_changing_it() {
    let (api, _) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    assert!(temporary.chars().count() >= 16, "{temporary}");
    let listing = api.operator_output(&["accounts", "list"]);
    assert!(
        listing.contains("jane.doe@contoso.com") && listing.contains("[global_admin]"),
        "{listing}"
    );
    assert!(!listing.contains(&temporary), "{listing}");

    let signed_in = sign_in(&api, &email, &temporary).await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(signed_in.body["must_change_password"], true);
    assert_eq!(signed_in.body["user"]["roles"], json!(["global_admin"]));
    let token = signed_in.body["token"].as_str().unwrap().to_owned();
    for (method, path) in [
        (Method::GET, "/account"),
        (Method::POST, "/account/mfa/totp"),
    ] {
        let refused = as_user(&api, &token, method, path, None).await;
        assert_eq!(refused.status(), 403, "{path}");
        assert_eq!(refused.code(), "password_change_required", "{path}");
    }

    // The new password's rules, each with its reason.
    for (current, new, expected) in [
        (
            "wrong",
            NEW_PASSWORD,
            ("current_password", "wrong_password"),
        ),
        (
            temporary.as_str(),
            "short one",
            ("new_password", "too_short"),
        ),
        (
            temporary.as_str(),
            temporary.as_str(),
            ("new_password", "same_as_previous"),
        ),
        (
            temporary.as_str(),
            "Password2026!",
            ("new_password", "common_password"),
        ),
    ] {
        let answer = change_password(&api, &token, current, new).await;
        assert_eq!(answer.status(), 422, "{new}");
        assert_eq!(
            problem_code(&answer),
            (expected.0.into(), expected.1.into())
        );
    }
    let changed = change_password(&api, &token, &temporary, NEW_PASSWORD).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(changed.body["must_change_password"], false);
    // A new stage, a new token: the one that signed in with the temporary
    // password no longer works.
    let old = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(
        (old.status().as_u16(), old.code()),
        (401, "session_expired")
    );
    let token = token_of(&changed);
    // A global admin sets up a second factor before anything else.
    assert_eq!(changed.body["mfa_enrolment_required"], true);
    let refused = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(refused.code(), "mfa_enrolment_required");
    // The temporary password is spent.
    assert_eq!(sign_in(&api, &email, &temporary).await.status(), 401);
}

#[tokio::test]
async fn a_temporary_password_lasts_seven_days() {
    let (api, clock) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    clock.advance(7 * 24 * 3600 + 60);
    let late = sign_in(&api, &email, &temporary).await;
    assert_eq!(late.status(), 401);
    assert_eq!(late.code(), "temporary_password_expired");
}

#[tokio::test]
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
            "prove_domain"
        ])
    );

    // Sign out: the token stops working.
    let out = as_user(&api, &token, Method::DELETE, "/session", None).await;
    assert_eq!(out.status(), 204);
    let gone = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(
        (gone.status().as_u16(), gone.code()),
        (401, "session_expired")
    );

    // The password alone is not enough.
    let signed_in = sign_in(&api, "Jane.Doe@Contoso.com", NEW_PASSWORD).await;
    assert_eq!(signed_in.body["mfa_required"], true);
    let token = signed_in.body["token"].as_str().unwrap().to_owned();
    let refused = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(refused.code(), "mfa_required");
    let give = |code: String| {
        let token = token.clone();
        let api = &api;
        async move {
            as_user(
                api,
                &token,
                Method::POST,
                "/session/mfa",
                Some(json!({ "code": code })),
            )
            .await
        }
    };
    // The code that confirmed enrolment (same time step) is not taken again.
    let replayed = give(mfa::code_at(&secret, clock.now())).await;
    assert_eq!(
        problem_code(&replayed),
        ("code".into(), "wrong_code".into())
    );
    clock.advance(30);
    let code = mfa::code_at(&secret, clock.now());
    let passed = give(code.clone()).await;
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
    let give = |code: String| {
        let token = token.clone();
        let api = &api;
        async move {
            as_user(
                api,
                &token,
                Method::POST,
                "/session/mfa",
                Some(json!({ "code": code })),
            )
            .await
        }
    };
    assert_eq!(give(code).await.status(), 422);
    assert_eq!(give(recovery[3].to_uppercase()).await.status(), 200);
    let third = sign_in(&api, "jane.doe@contoso.com", NEW_PASSWORD).await;
    let token3 = third.body["token"].as_str().unwrap().to_owned();
    let reused = as_user(
        &api,
        &token3,
        Method::POST,
        "/session/mfa",
        Some(json!({ "code": recovery[3] })),
    )
    .await;
    assert_eq!(problem_code(&reused), ("code".into(), "wrong_code".into()));
}

#[tokio::test]
async fn sessions_end_after_twelve_hours_idle_or_seven_days_and_on_revocation() {
    let (api, clock) = api_with_clock().await;
    let (token, _, _) = fully_set_up(&api, &clock).await;
    clock.advance(12 * 3600 - 1);
    assert_eq!(
        as_user(&api, &token, Method::GET, "/account", None)
            .await
            .status(),
        200
    );
    clock.advance(12 * 3600);
    let idle = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(
        (idle.status().as_u16(), idle.code()),
        (401, "session_expired")
    );

    // Busy every 11 hours, it still ends 7 days after signing in.
    let (api, clock) = api_with_clock().await;
    let (token, _, _) = fully_set_up(&api, &clock).await;
    let mut waited = 0;
    while waited + 11 * 3600 < 7 * 24 * 3600 {
        clock.advance(11 * 3600);
        waited += 11 * 3600;
        assert_eq!(
            as_user(&api, &token, Method::GET, "/account", None)
                .await
                .status(),
            200
        );
    }
    clock.advance(7 * 24 * 3600 - waited);
    assert_eq!(
        as_user(&api, &token, Method::GET, "/account", None)
            .await
            .status(),
        401
    );

    // The operator ends a user's sessions at once.
    let (api, clock) = api_with_clock().await;
    let (token, _, _) = fully_set_up(&api, &clock).await;
    let said = api.operator_output(&[
        "accounts",
        "revoke-sessions",
        "--email",
        "JANE.DOE@contoso.com",
    ]);
    assert!(said.contains("1 session(s)"), "{said}");
    assert_eq!(
        as_user(&api, &token, Method::GET, "/account", None)
            .await
            .status(),
        401
    );
}

#[tokio::test]
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

/// Signed in before the authenticator was set up, a session would have
/// skipped the code: it ends when another session sets it up.
#[tokio::test]
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
    assert_eq!(
        (later.status().as_u16(), later.code()),
        (401, "session_expired")
    );
    assert_eq!(
        as_user(&api, &first, Method::GET, "/account", None)
            .await
            .status(),
        200
    );
    // Nor can a session swap the authenticator for one of its own.
    let again = as_user(&api, &first, Method::POST, "/account/mfa/totp", None).await;
    assert_eq!(
        (again.status().as_u16(), again.code()),
        (409, "mfa_already_enrolled")
    );
}

/// Wrong codes count per user whatever passwords were right meanwhile.
#[tokio::test]
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
            let answer = as_user(
                &api,
                &token,
                Method::POST,
                "/session/mfa",
                Some(json!({ "code": wrong })),
            )
            .await;
            answers.push(answer.status().as_u16());
        }
    }
    assert_eq!(answers, [422, 422, 422, 422, 422, 429]);
}

/// Attempts sent at once are counted before any is checked: five wrong
/// passwords for one address are told so, the rest wait.
#[tokio::test]
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

/// Three codes an hour reach one address, however many drafts ask.
#[tokio::test]
async fn an_address_gets_three_codes_an_hour_from_all_drafts_together() {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| {
        options.clock = std::sync::Arc::new(shared);
        options.limits.admin_codes_per_recipient = 3;
    })
    .await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("not yet");
    let mut sent = Vec::new();
    for _ in 0..4 {
        let draft = api.create(&answers).await;
        let (etag, mut stored) = api.get(&draft).await;
        stored["admin"]["email"] = json!("victim@fabrikam.com");
        api.put(&draft, &etag, &stored).await;
        sent.push(api.send_admin_code(&draft).await.status().as_u16());
    }
    assert_eq!(sent, [202, 202, 202, 429]);

    // One inbox however it is written: a +tag or capitals are no way
    // round the limit.
    let mut sent = Vec::new();
    for address in [
        "target+1@fabrikam.com",
        "Target+2@fabrikam.com",
        "target@FABRIKAM.com",
        "target+4@fabrikam.com",
    ] {
        let draft = api.create(&answers).await;
        let (etag, mut stored) = api.get(&draft).await;
        stored["admin"]["email"] = json!(address);
        api.put(&draft, &etag, &stored).await;
        sent.push(api.send_admin_code(&draft).await.status().as_u16());
    }
    assert_eq!(sent, [202, 202, 202, 429]);
}

/// Applications sent before the proof existed: approving one would send
/// the password to an address nobody proved; the operator is told what
/// to do instead.
#[tokio::test]
async fn an_application_without_a_proven_address_is_not_approved() {
    let (api, _) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    let store = enroll_api::store::Store::open(&api.database).await.unwrap();
    store.forget_admin_email_proof(&draft.id).await.unwrap();
    let refused = api
        .operator(&["review", "approve", &draft.id])
        .await
        .unwrap_err();
    assert!(
        refused.contains("not proven") && refused.contains("request-info"),
        "{refused}"
    );
    assert!(api
        .outbox()
        .await
        .iter()
        .all(|e| e.kind != "temporary_password"));
    assert!(api.operator_output(&["accounts", "list"]).trim().is_empty());
}

/// The account's messages, which the app fetches with the account's part,
/// in both languages; no other book is served (the emails' stay here).
#[tokio::test]
async fn the_account_messages_are_served_in_every_language_and_nothing_else_is() {
    let (api, _) = api_with_clock().await;
    let books = api.get_json("/reference/messages/account").await;
    for (tag, sign_out) in [("en-US", "Sign out"), ("zh-CN", "退出登录")] {
        let text = books[tag].as_str().unwrap_or_default();
        assert!(
            text.lines()
                .any(|l| l == format!("account.sign_out = {sign_out}")),
            "{tag}: {text}"
        );
        assert!(!text.contains("email.status"), "{tag}");
    }
    let emails = api
        .request(Method::GET, "/reference/messages/emails")
        .checked()
        .await;
    assert_eq!(emails.status(), 404);
}

/// The temporary password in the newest email to `to`.
async fn password_sent_to(api: &Api, to: &str) -> String {
    let emails = api.outbox().await;
    emails
        .iter()
        .rev()
        .find(|e| e.kind == "temporary_password" && e.to == to)
        .unwrap_or_else(|| panic!("no password emailed to {to}"))
        .temporary_password()
}

/// Sends user `id` their invitation again as the session `admin`.
async fn resend_invitation(api: &Api, admin: &str, id: &str) -> common::Answer {
    let path = format!("/account/users/{id}/invitation");
    as_user(api, admin, Method::POST, &path, None).await
}

/// Adds a user with `roles` as the session `admin`: the answer.
async fn add_user(api: &Api, admin: &str, email: &str, roles: &[&str]) -> common::Answer {
    let body = json!({"email": email, "first_name": "Sam", "last_name": "Lee", "roles": roles});
    as_user(api, admin, Method::POST, "/account/users", Some(body)).await
}

/// Signs a newly added user in all the way (their own password, and an
/// authenticator where their roles need one): their session's token.
async fn signed_in_user(
    api: &Api,
    clock: &TestClock,
    admin: &str,
    email: &str,
    roles: &[&str],
) -> String {
    let added = add_user(api, admin, email, roles).await;
    assert_eq!(added.status(), 201, "{}", added.text());
    let temporary = password_sent_to(api, email).await;
    first_sign_in(api, clock, email, &temporary).await.0
}

/// Every role against every action of the account: allowed or refused
/// (403 `forbidden`) as enroll-core's table says, over HTTP.
#[tokio::test]
async fn every_role_may_do_exactly_what_the_table_gives_it() {
    use enroll_core::account::{allowed_actions, Action, Role};
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let profile = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/organization-profile",
        None,
    )
    .await
    .body;
    for (n, role) in Role::ALL.into_iter().enumerate() {
        let email = format!("user{n}@contoso.com");
        let token = signed_in_user(&api, &clock, &admin, &email, &[role.as_str()]).await;
        let allowed = allowed_actions(&[role]);
        // Someone to act on, added by the global admin each time.
        let victim = add_user(
            &api,
            &admin,
            &format!("victim{n}@contoso.com"),
            &["sales_agent"],
        )
        .await;
        let victim = victim.body["id"].as_str().unwrap().to_owned();
        let tries = [
            (
                Action::ViewAccount,
                Method::GET,
                "/account".to_owned(),
                None,
            ),
            (
                Action::ListUsers,
                Method::GET,
                "/account/users".to_owned(),
                None,
            ),
            (
                Action::AddUser,
                Method::POST,
                "/account/users".to_owned(),
                Some(
                    json!({"email": format!("new{n}@contoso.com"), "first_name": "A", "last_name": "B", "roles": ["helpdesk_agent"]}),
                ),
            ),
            (
                Action::ChangeUserRoles,
                Method::PATCH,
                format!("/account/users/{victim}"),
                Some(json!({"roles": ["helpdesk_agent"]})),
            ),
            (
                Action::ResendInvitation,
                Method::POST,
                format!("/account/users/{victim}/invitation"),
                None,
            ),
            (
                Action::RemoveUser,
                Method::DELETE,
                format!("/account/users/{victim}"),
                None,
            ),
            (
                Action::ViewOrganizationProfile,
                Method::GET,
                "/account/organization-profile".to_owned(),
                None,
            ),
            (
                Action::EditOrganizationProfile,
                Method::PUT,
                "/account/organization-profile".to_owned(),
                Some(profile.clone()),
            ),
            (
                Action::ViewProviderRequests,
                Method::GET,
                "/account/provider-relationships".to_owned(),
                None,
            ),
        ];
        for (action, method, path, body) in tries {
            let answer = match method == Method::PUT {
                // Any version: who may save is what is tried here.
                true => {
                    api.request(method.clone(), &path)
                        .bearer_auth(&token)
                        .header("If-Match", "*")
                        .json(&body)
                        .checked()
                        .await
                }
                false => as_user(&api, &token, method.clone(), &path, body).await,
            };
            let refused = answer.status() == 403 && answer.code() == "forbidden";
            assert_eq!(
                !refused,
                allowed.contains(&action),
                "{role:?} {action:?} {method} {path}: {} {}",
                answer.status(),
                answer.text()
            );
            if !refused {
                assert!(
                    answer.status().is_success(),
                    "{role:?} {action:?}: {}",
                    answer.text()
                );
            }
        }
    }
}

/// Only a global admin makes a global admin; the last one stays; a
/// removed user is signed out at once, a demoted one loses the action at
/// once; an address that signs in already, or an unknown role, is refused.
#[tokio::test]
async fn users_are_changed_within_the_rules_and_at_once() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let manager = signed_in_user(
        &api,
        &clock,
        &admin,
        "um@contoso.com",
        &["user_management_admin"],
    )
    .await;

    // A user management admin cannot grant global admin, nor make one.
    let refused = add_user(&api, &manager, "boss@contoso.com", &["global_admin"]).await;
    assert_eq!(
        (refused.status().as_u16(), refused.code()),
        (403, "forbidden")
    );
    let agent = add_user(&api, &manager, "agent@contoso.com", &["sales_agent"]).await;
    assert_eq!(agent.status(), 201);
    let agent_id = agent.body["id"].as_str().unwrap().to_owned();
    let promote = as_user(
        &api,
        &manager,
        Method::PATCH,
        &format!("/account/users/{agent_id}"),
        Some(json!({"roles": ["global_admin"]})),
    )
    .await;
    assert_eq!(promote.status(), 403);

    // 409 for an address that signs in already; 422 for an unknown role.
    let again = add_user(&api, &admin, "Agent@Contoso.com", &["sales_agent"]).await;
    assert_eq!(
        (again.status().as_u16(), again.code()),
        (409, "user_exists")
    );
    let unknown = add_user(&api, &admin, "x@contoso.com", &["owner"]).await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(
        problem_code(&unknown),
        ("roles".into(), "unknown_role".into())
    );

    // The last global admin can neither be demoted nor removed: only a
    // global admin acts on one, and nobody on themselves (the store's own
    // last-admin guard stays behind that, for any other way in).
    let me = as_user(&api, &admin, Method::GET, "/account", None)
        .await
        .body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let demote = as_user(
        &api,
        &admin,
        Method::PATCH,
        &format!("/account/users/{me}"),
        Some(json!({"roles": ["account_admin"]})),
    )
    .await;
    assert_eq!(
        (demote.status().as_u16(), demote.code()),
        (403, "forbidden")
    );
    let remove = as_user(
        &api,
        &admin,
        Method::DELETE,
        &format!("/account/users/{me}"),
        None,
    )
    .await;
    assert_eq!(
        (remove.status().as_u16(), remove.code()),
        (403, "forbidden")
    );

    // Demoted: the manager's next request lacks the action.
    let manager_id = as_user(&api, &manager, Method::GET, "/account", None)
        .await
        .body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        as_user(&api, &manager, Method::GET, "/account/users", None)
            .await
            .status(),
        200
    );
    let demoted = as_user(
        &api,
        &admin,
        Method::PATCH,
        &format!("/account/users/{manager_id}"),
        Some(json!({"roles": ["helpdesk_agent"]})),
    )
    .await;
    assert_eq!(demoted.status(), 200);
    let now_refused = as_user(&api, &manager, Method::GET, "/account/users", None).await;
    assert_eq!(
        (now_refused.status().as_u16(), now_refused.code()),
        (403, "forbidden")
    );

    // Removed: signed out at once.
    let removed = as_user(
        &api,
        &admin,
        Method::DELETE,
        &format!("/account/users/{manager_id}"),
        None,
    )
    .await;
    assert_eq!(removed.status(), 204);
    let gone = as_user(&api, &manager, Method::GET, "/account", None).await;
    assert_eq!(
        (gone.status().as_u16(), gone.code()),
        (401, "session_expired")
    );

    // The invitation again: a new password, the old one stops working.
    let first = password_sent_to(&api, "agent@contoso.com").await;
    let resent = resend_invitation(&api, &admin, &agent_id).await;
    assert_eq!(resent.status(), 202);
    let second = password_sent_to(&api, "agent@contoso.com").await;
    assert_ne!(first, second);
    assert_eq!(
        sign_in(&api, "agent@contoso.com", &first).await.status(),
        401
    );
    assert_eq!(
        sign_in(&api, "agent@contoso.com", &second).await.status(),
        200
    );
    let users = as_user(&api, &admin, Method::GET, "/account/users", None).await;
    let listed: Vec<&str> = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert_eq!(listed, ["jane.doe@contoso.com", "agent@contoso.com"]);
}

/// The organization profile: the application's until saved, saved with
/// `If-Match` (412 on a stale one), checked by the application's rules;
/// read by every user, edited by the admins only.
#[tokio::test]
async fn the_organization_profile_is_the_applications_then_saved_with_its_version() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let read = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/organization-profile",
        None,
    )
    .await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.etag(), "\"0\"");
    assert_eq!(read.body["legal_name"], "Contoso Ltd");
    assert_eq!(read.body["address"]["postal_code"], "10117");
    assert_eq!(
        read.body["primary_contact"]["email"],
        "jane.doe@contoso.com"
    );

    let put = |token: String, etag: Option<&'static str>, body: Value| {
        let api = &api;
        async move {
            let request = api
                .request(Method::PUT, "/account/organization-profile")
                .bearer_auth(token)
                .json(&body);
            let request = match etag {
                Some(etag) => request.header("If-Match", etag),
                None => request,
            };
            request.checked().await
        }
    };
    let mut profile = read.body.clone();
    profile["support_contact"] =
        json!({"first_name": "Help", "last_name": "Desk", "email": "help@contoso.com"});
    assert_eq!(
        put(admin.clone(), None, profile.clone()).await.status(),
        428
    );
    let saved = put(admin.clone(), Some("\"0\""), profile.clone()).await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    assert_eq!(saved.etag(), "\"1\"");
    let stale = put(admin.clone(), Some("\"0\""), profile.clone()).await;
    assert_eq!(
        (stale.status().as_u16(), stale.code()),
        (412, "profile_changed")
    );

    let mut wrong = profile.clone();
    wrong["address"]["postal_code"] = json!("1011");
    wrong["support_contact"]["email"] = json!("help@qq.com");
    let refused = put(admin.clone(), Some("\"1\""), wrong).await;
    assert_eq!(refused.status(), 422);
    let fields: Vec<&str> = refused.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["address.postal_code", "support_contact.email"]);

    // A sales agent reads it, and cannot change it; sees the provider
    // requests, which a helpdesk agent does not.
    let agent = signed_in_user(&api, &clock, &admin, "sales@contoso.com", &["sales_agent"]).await;
    let seen = as_user(
        &api,
        &agent,
        Method::GET,
        "/account/organization-profile",
        None,
    )
    .await;
    assert_eq!(seen.body["support_contact"]["email"], "help@contoso.com");
    let edit = put(agent.clone(), Some("\"1\""), profile.clone()).await;
    assert_eq!((edit.status().as_u16(), edit.code()), (403, "forbidden"));
    let requests = as_user(
        &api,
        &agent,
        Method::GET,
        "/account/provider-relationships",
        None,
    )
    .await;
    assert_eq!(requests.status(), 200);
    assert_eq!(requests.body["items"], json!([]));
    let helpdesk = signed_in_user(
        &api,
        &clock,
        &admin,
        "help@contoso.com",
        &["helpdesk_agent"],
    )
    .await;
    let hidden = as_user(
        &api,
        &helpdesk,
        Method::GET,
        "/account/provider-relationships",
        None,
    )
    .await;
    assert_eq!(hidden.status(), 403);
}

/// Acting on a global admin needs a global admin; nobody changes their
/// own roles; another account's users are not found; a signed-in user has
/// no invitation to resend; a profile is saved trimmed.
#[tokio::test]
async fn the_edges_of_who_may_change_whom() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let second = signed_in_user(&api, &clock, &admin, "ga2@contoso.com", &["global_admin"]).await;
    let account_admin =
        signed_in_user(&api, &clock, &admin, "aa@contoso.com", &["account_admin"]).await;
    let id_of = |token: String| {
        let api = &api;
        async move {
            as_user(api, &token, Method::GET, "/account", None)
                .await
                .body["user"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        }
    };
    let ga2 = id_of(second.clone()).await;
    let me = id_of(account_admin.clone()).await;
    for (method, path, body) in [
        (
            Method::PATCH,
            format!("/account/users/{ga2}"),
            Some(json!({"roles": ["sales_agent"]})),
        ),
        (Method::DELETE, format!("/account/users/{ga2}"), None),
        (
            Method::POST,
            format!("/account/users/{ga2}/invitation"),
            None,
        ),
        // Their own rights, up or away.
        (
            Method::PATCH,
            format!("/account/users/{me}"),
            Some(json!({"roles": ["account_admin", "billing_admin"]})),
        ),
        (Method::DELETE, format!("/account/users/{me}"), None),
    ] {
        let answer = as_user(&api, &account_admin, method.clone(), &path, body).await;
        assert_eq!(
            (answer.status().as_u16(), answer.code()),
            (403, "forbidden"),
            "{method} {path}"
        );
    }
    // A global admin may; a user who signed in has no invitation to resend.
    let resend = as_user(
        &api,
        &admin,
        Method::POST,
        &format!("/account/users/{ga2}/invitation"),
        None,
    )
    .await;
    assert_eq!(
        (resend.status().as_u16(), resend.code()),
        (409, "signed_in_already")
    );

    // Another company's account: its global admin finds none of these.
    let mut answers = complete();
    answers["mpn_id"] = json!("7654321");
    answers["admin"]["email"] = json!("kim@fabrikam.com");
    answers["company"]["legal_name"] = json!("Fabrikam GmbH");
    let draft = api.create(&answers).await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&["review", "approve", &draft.id])
        .await
        .unwrap();
    let kims = password_sent_to(&api, "kim@fabrikam.com").await;
    let (kim, _, _) = first_sign_in(&api, &clock, "kim@fabrikam.com", &kims).await;
    for (method, path) in [
        (Method::GET, format!("/account/users/{ga2}")),
        (Method::DELETE, format!("/account/users/{ga2}")),
        (Method::POST, format!("/account/users/{ga2}/invitation")),
    ] {
        let answer = as_user(&api, &kim, method.clone(), &path, None).await;
        assert_eq!(answer.status(), 404, "{method} {path}");
    }
    let theirs = as_user(&api, &kim, Method::GET, "/account/users", None).await;
    assert_eq!(theirs.body["items"].as_array().unwrap().len(), 1);

    // Saved as typed, without the spaces around.
    let mut profile = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/organization-profile",
        None,
    )
    .await
    .body;
    profile["legal_name"] = json!("   Contoso Ltd   ");
    profile["support_contact"] = json!({"first_name": " ", "last_name": " ", "email": "  "});
    let saved = api
        .request(Method::PUT, "/account/organization-profile")
        .bearer_auth(&admin)
        .header("If-Match", "\"0\"")
        .json(&profile)
        .checked()
        .await;
    assert_eq!(saved.status(), 200, "{}", saved.text());
    assert_eq!(saved.body["legal_name"], "Contoso Ltd");
    assert_eq!(saved.body["support_contact"]["email"], "");
}

/// An invitation whose email the relay refuses is shown to the admins on
/// the users list (the invited user cannot be told); sent again, and
/// delivered, it is not.
#[tokio::test]
async fn an_invitation_that_could_not_be_delivered_is_shown_to_the_admins() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    api.relay
        .script("agent@contoso.com", [test_relay::Behaviour::Reply(550)]);
    let added = add_user(&api, &admin, "agent@contoso.com", &["sales_agent"]).await;
    assert_eq!(added.status(), 201);
    let agent_id = added.body["id"].as_str().unwrap().to_owned();
    let flag = || async {
        let list = as_user(&api, &admin, Method::GET, "/account/users", None).await;
        let items = list.body["items"].as_array().unwrap().clone();
        let agent = items.iter().find(|u| u["id"] == agent_id.as_str()).unwrap();
        agent["invitation_undelivered"].as_bool().unwrap()
    };
    let deadline = std::time::Instant::now() + common::MAIL_PATIENCE;
    while !flag().await {
        assert!(std::time::Instant::now() < deadline, "never shown");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let read = as_user(
        &api,
        &admin,
        Method::GET,
        &format!("/account/users/{agent_id}"),
        None,
    )
    .await;
    assert_eq!(read.body["invitation_undelivered"], true);
    let resent = resend_invitation(&api, &admin, &agent_id).await;
    assert_eq!(resent.status(), 202);
    let arrived = api
        .relay
        .next_to("agent@contoso.com", 0, common::MAIL_PATIENCE)
        .await;
    assert!(!test_relay::mail::Mail::from(&arrived)
        .temporary_password()
        .is_empty());
    let deadline = std::time::Instant::now() + common::MAIL_PATIENCE;
    while flag().await {
        assert!(
            std::time::Instant::now() < deadline,
            "the newest one arrived"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A user's names are refused as the application's are, at their field,
/// never silently changed: a control character, over 100 characters.
#[tokio::test]
async fn a_users_names_are_refused_at_their_field_not_changed() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let long = "L".repeat(101);
    for (first, last, field, code) in [
        ("Sam\u{1b}[2J", "Lee", "first_name", "control_character"),
        ("Sam", "Lee\u{202e}", "last_name", "control_character"),
        ("Sam", long.as_str(), "last_name", "too_long"),
    ] {
        let body = json!({"email": "sam@contoso.com", "first_name": first, "last_name": last,
                          "roles": ["sales_agent"]});
        let refused = as_user(&api, &admin, Method::POST, "/account/users", Some(body)).await;
        assert_eq!(
            refused.status(),
            422,
            "{first:?} {last:?}: {}",
            refused.text()
        );
        assert_eq!(problem_code(&refused), (field.to_owned(), code.to_owned()));
    }
    let list = as_user(&api, &admin, Method::GET, "/account/users", None).await;
    assert_eq!(
        list.body["items"].as_array().unwrap().len(),
        1,
        "nobody added"
    );
    // What pasting brings along (a zero-width space) goes, as in answers.
    let body = json!({"email": "sam@contoso.com", "first_name": "Sam\u{200b}", "last_name": "Lee",
                      "roles": ["sales_agent"]});
    let added = as_user(&api, &admin, Method::POST, "/account/users", Some(body)).await;
    assert_eq!(added.status(), 201, "{}", added.text());
    assert_eq!(added.body["first_name"], "Sam");
}

/// Roles are given only within one's own rights (enroll-core's grant
/// column): a user management admin cannot make an account admin (who
/// edits the profile it cannot), and only a global admin touches anything
/// of a global admin, the roles beside it too.
#[tokio::test]
async fn roles_are_granted_only_within_ones_own_rights() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let users = signed_in_user(
        &api,
        &clock,
        &admin,
        "uma@contoso.com",
        &["user_management_admin"],
    )
    .await;
    let account_admin =
        signed_in_user(&api, &clock, &admin, "aa@contoso.com", &["account_admin"]).await;
    let added = add_user(
        &api,
        &admin,
        "ga2@contoso.com",
        &["global_admin", "sales_agent"],
    )
    .await;
    let ga2 = added.body["id"].as_str().unwrap().to_owned();

    for (token, role) in [
        (&users, "account_admin"),
        (&users, "billing_admin"),
        (&users, "global_admin"),
        (&account_admin, "global_admin"),
    ] {
        let answer = add_user(&api, token, "new@contoso.com", &[role]).await;
        assert_eq!(
            (answer.status().as_u16(), answer.code()),
            (403, "forbidden"),
            "giving {role}"
        );
    }
    for token in [&users, &account_admin] {
        let answer = as_user(
            &api,
            token,
            Method::PATCH,
            &format!("/account/users/{ga2}"),
            Some(json!({"roles": ["global_admin"]})),
        )
        .await;
        assert_eq!(
            (answer.status().as_u16(), answer.code()),
            (403, "forbidden")
        );
    }
    // Within their rights, they may.
    let agent = add_user(&api, &users, "agent@contoso.com", &["helpdesk_agent"]).await;
    assert_eq!(agent.status(), 201, "{}", agent.text());
    let another = add_user(&api, &account_admin, "aa2@contoso.com", &["account_admin"]).await;
    assert_eq!(another.status(), 201, "{}", another.text());
    let by_global = as_user(
        &api,
        &admin,
        Method::PATCH,
        &format!("/account/users/{ga2}"),
        Some(json!({"roles": ["global_admin"]})),
    )
    .await;
    assert_eq!(by_global.status(), 200, "{}", by_global.text());
}

/// Submits (with its admin address proven) and approves an application of
/// `company` whose admin is `admin`, under the MPN ID `mpn`: the
/// operator's answer to approving.
async fn apply_and_approve(api: &Api, mpn: &str, admin: &str, company: &str) -> Result<(), String> {
    let mut answers = complete();
    answers["mpn_id"] = json!(mpn);
    answers["admin"]["email"] = json!(admin);
    answers["company"]["legal_name"] = json!(company);
    let draft = api.create(&answers).await;
    let submitted = api.submit(&draft, &draft.etag, "k").await;
    assert_eq!(submitted.status(), 200, "{}", submitted.text());
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&["review", "approve", &draft.id]).await
}

/// Proves `domain` for the account of the global admin `admin` with a
/// code emailed to `email`: the answer to the code.
async fn prove_domain(api: &Api, admin: &str, domain: &str, email: &str) -> common::Answer {
    let asked = as_user(
        api,
        admin,
        Method::POST,
        "/account/domains",
        Some(json!({"domain": domain, "email": email})),
    )
    .await;
    assert_eq!(asked.status(), 202, "{}", asked.text());
    let code = api
        .outbox()
        .await
        .iter()
        .rev()
        .find(|e| e.kind == "domain_code" && e.to == email)
        .unwrap_or_else(|| panic!("no domain code emailed to {email}"))
        .code();
    let path = format!("/account/domains/{domain}/verify");
    as_user(
        api,
        admin,
        Method::POST,
        &path,
        Some(json!({ "code": code })),
    )
    .await
}

/// An account adds users only in its own domains (its admin address's,
/// and those its global admin proves), answers another account's address
/// as any outside one, and can never stall another's approval: an
/// invitation of the new admin's address that was never used is
/// withdrawn (its admins told); one that was used stops the approval
/// with the operator told what to do.
#[tokio::test]
async fn users_are_added_only_in_proven_domains_and_no_account_stalls_an_approval() {
    let (api, clock) = api_with_clock().await;
    let (admin, _, _) = fully_set_up(&api, &clock).await;
    let outside = |answer: &common::Answer| {
        assert_eq!(answer.status(), 422, "{}", answer.text());
        assert_eq!(
            problem_code(answer),
            ("email".into(), "outside_account_domains".into())
        );
    };
    outside(&add_user(&api, &admin, "kim@fabrikam.com", &["sales_agent"]).await);
    // Look-alikes and subdomains are other domains.
    outside(&add_user(&api, &admin, "kim@eu.contoso.com", &["sales_agent"]).await);
    let ours = add_user(&api, &admin, "Sam@CONTOSO.com", &["sales_agent"]).await;
    assert_eq!(ours.status(), 201, "{}", ours.text());

    // Proving another domain: a real domain, not free mail, an address in it.
    for (body, field, code) in [
        (
            json!({"domain": "gmail.com", "email": "a@gmail.com"}),
            "domain",
            "free_email_domain",
        ),
        (
            json!({"domain": "fabrikam.com", "email": "it@contoso.com"}),
            "email",
            "not_in_domain",
        ),
        (
            json!({"domain": "fabrikam", "email": "it@fabrikam"}),
            "domain",
            "invalid_format",
        ),
    ] {
        let answer = as_user(&api, &admin, Method::POST, "/account/domains", Some(body)).await;
        assert_eq!(answer.status(), 422, "{}", answer.text());
        assert_eq!(problem_code(&answer), (field.into(), code.into()));
    }
    let again = as_user(
        &api,
        &admin,
        Method::POST,
        "/account/domains",
        Some(json!({"domain": "contoso.com", "email": "it@contoso.com"})),
    )
    .await;
    assert_eq!(
        (again.status().as_u16(), again.code()),
        (409, "domain_proven")
    );
    let wrong = as_user(
        &api,
        &admin,
        Method::POST,
        "/account/domains/fabrikam.com/verify",
        Some(json!({"code": "000000"})),
    )
    .await;
    assert_eq!(wrong.status(), 422);
    let proven = prove_domain(&api, &admin, "fabrikam.com", "it@fabrikam.com").await;
    assert_eq!(proven.status(), 200, "{}", proven.text());
    let domains: Vec<&str> = proven.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["domain"].as_str().unwrap())
        .collect();
    assert_eq!(domains, ["contoso.com", "fabrikam.com"]);
    // Only a global admin proves one.
    let users = signed_in_user(
        &api,
        &clock,
        &admin,
        "uma@contoso.com",
        &["user_management_admin"],
    )
    .await;
    let refused = as_user(
        &api,
        &users,
        Method::POST,
        "/account/domains",
        Some(json!({"domain": "northwind.com", "email": "it@northwind.com"})),
    )
    .await;
    assert_eq!(
        (refused.status().as_u16(), refused.code()),
        (403, "forbidden")
    );

    // Contoso invites Kim and Lee of Fabrikam; Lee signs in, Kim never does.
    let kim = add_user(&api, &admin, "kim@fabrikam.com", &["sales_agent"]).await;
    assert_eq!(kim.status(), 201, "{}", kim.text());
    signed_in_user(&api, &clock, &admin, "lee@fabrikam.com", &["sales_agent"]).await;

    // Fabrikam's own application, Kim its admin, is approved all the same.
    apply_and_approve(&api, "5550001", "kim@fabrikam.com", "Fabrikam Inc.")
        .await
        .unwrap();
    let listed = as_user(&api, &admin, Method::GET, "/account/users", None).await;
    let emails: Vec<&str> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap())
        .collect();
    assert!(!emails.contains(&"kim@fabrikam.com"), "{emails:?}");
    // Told: each of Contoso's users who may add users, once.
    let told: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "invitation_withdrawn")
        .collect();
    let mut recipients: Vec<&str> = told.iter().map(|e| e.to.as_str()).collect();
    recipients.sort();
    assert_eq!(recipients, ["jane.doe@contoso.com", "uma@contoso.com"]);
    assert!(
        told[0].body.contains("kim@fabrikam.com"),
        "{}",
        told[0].body
    );
    let kims = password_sent_to(&api, "kim@fabrikam.com").await;
    assert_eq!(sign_in(&api, "kim@fabrikam.com", &kims).await.status(), 200);

    // Lee has signed in to Contoso's account: that approval stops, and the
    // operator is told what to do.
    let stopped = apply_and_approve(&api, "5550002", "lee@fabrikam.com", "Fabrikam Labs")
        .await
        .unwrap_err();
    assert!(stopped.contains("request-info"), "{stopped}");

    // Kim now signs in to Fabrikam's account: Contoso is told exactly what
    // it is told for any address outside its domains.
    outside(&add_user(&api, &admin, "kim@fabrikam.com", &["sales_agent"]).await);
    let own = add_user(&api, &admin, "sam@contoso.com", &["sales_agent"]).await;
    assert_eq!((own.status().as_u16(), own.code()), (409, "user_exists"));
}

/// A new password that an attacker would try early is refused with the
/// reason, in the user's language (NIST SP 800-63B, by the zxcvbn
/// estimator given the user's own words); passphrases pass.
#[tokio::test]
async fn guessable_passwords_are_refused_with_the_reason() {
    let (api, _clock) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    let token = sign_in(&api, &email, &temporary).await.body["token"]
        .as_str()
        .unwrap()
        .to_owned();
    for (weak, why) in [
        ("123456789012", "a sequence"),
        ("aaaaaaaaaaaa", "repeats"),
        ("abcdefghijkl", "a sequence"),
        ("qwertyuiopas", "common password"),
        (
            "jane.doe@contoso.com",
            "your name, your email address, your company",
        ),
        ("contosocontoso", "your company"),
        ("Contoso Ltd. 2026", "your company"),
    ] {
        let refused = change_password(&api, &token, &temporary, weak).await;
        assert_eq!(refused.status(), 422, "{weak}: {}", refused.text());
        assert_eq!(
            problem_code(&refused),
            ("new_password".into(), "weak_password".into()),
            "{weak}"
        );
        let message = refused.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(why), "{weak}: {message}");
    }
    // In Chinese for a reader of Chinese.
    let chinese = api
        .request(Method::POST, "/session/password")
        .bearer_auth(&token)
        .header("Accept-Language", "zh-CN")
        .json(&json!({"current_password": temporary, "new_password": "abcdefghijkl"}))
        .checked()
        .await;
    let message = chinese.body["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("序列"), "{message}");
    // Passphrases pass: one in place of the temporary password, the next
    // in place of that (the session may change it again).
    let (mut current, mut token) = (temporary, token);
    for strong in [
        "correct horse battery staple lantern",
        "Seven tall ships sail at noon",
    ] {
        let changed = change_password(&api, &token, &current, strong).await;
        assert_eq!(changed.status(), 200, "{strong}: {}", changed.text());
        current = strong.to_owned();
        token = token_of(&changed);
    }
}

/// Every user sets up a second factor before anything else, not only the
/// admin roles: a sales agent, a helpdesk agent and a referrals admin too.
#[tokio::test]
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
        assert_eq!(
            (account.status().as_u16(), account.code()),
            (403, "mfa_enrolment_required"),
            "{role}"
        );
    }
}

/// Signs in from the client at loopback address `from`.
async fn sign_in_from(api: &Api, from: [u8; 4], email: &str, password: &str) -> common::Answer {
    api.request_from(from, Method::POST, "/session")
        .json(&json!({"email": email, "password": password}))
        .checked()
        .await
}

/// Lockouts an attacker cannot aim: failures for an address hold back only
/// the client they come from (passwords, and second-factor codes too);
/// 100 in a row from everywhere lock the address for an hour and tell its
/// owner, once.
#[tokio::test]
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

/// The database keeps an emailed code only as HMAC-SHA-256 under a key
/// derived from the server's secret key (a copy of the database does not
/// give the code back, as SHA-256 of six digits would); while rotating,
/// codes made under the previous key still work, and once it is dropped
/// they do not.
#[tokio::test]
async fn emailed_codes_are_stored_keyed_and_survive_a_key_rotation() {
    use enroll_api::secret::SecretKeys;
    let (a, b) = (
        SecretKeys::new_base64().unwrap(),
        SecretKeys::new_base64().unwrap(),
    );
    let keys =
        |current: &str, previous: Option<&str>| SecretKeys::from_base64(current, previous).unwrap();
    let only_a = keys(&a, None);
    let api = common::start_with(move |o| o.secret_keys = only_a).await;
    let created = api
        .request(Method::POST, "/applications")
        .json(&complete())
        .checked()
        .await;
    let draft = common::Draft {
        id: created.body["id"].as_str().unwrap().to_owned(),
        token: created.body["resume_token"].as_str().unwrap().to_owned(),
        etag: created.etag(),
        body: created.body.clone(),
    };
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    let path = api.database.trim_start_matches("sqlite://").to_owned();
    let stored = std::fs::read(&path).unwrap();
    let wal = std::fs::read(format!("{path}-wal")).unwrap_or_default();
    let bytes = String::from_utf8_lossy(&[stored, wal].concat()).into_owned();
    let plain = enroll_api::auth::token_hash(&code);
    assert!(
        !bytes.contains(&plain),
        "the code's plain SHA-256 is stored"
    );

    // Rotating to B with A kept as the previous key: A's code works.
    let rotating = keys(&b, Some(&a));
    let api = api.restart_with(move |o| o.secret_keys = rotating).await;
    let verified = api.verify_admin_code(&draft, &code).await;
    assert_eq!(verified.status(), 200, "{}", verified.text());

    // A code made under A, then A dropped: it no longer matches.
    let only_a = keys(&a, None);
    let api = api.restart_with(move |o| o.secret_keys = only_a).await;
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let code = api.last_admin_code().await;
    let only_b = keys(&b, None);
    let api = api.restart_with(move |o| o.secret_keys = only_b).await;
    let refused = api.verify_admin_code(&draft, &code).await;
    assert_eq!(problem_code(&refused), ("code".into(), "wrong_code".into()));
}

/// `serve` does not start without the secret key (unless told to keep a
/// development one), and says how to make one.
#[test]
fn serve_refuses_to_start_without_a_secret_key() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("db.sqlite").display());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", &database])
        .env_remove("ENROLL_SECRET_KEY")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("ENROLL_SECRET_KEY is not set") && said.contains("new-secret-key"),
        "{said}"
    );
    let made = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
        .arg("new-secret-key")
        .output()
        .unwrap();
    let key = String::from_utf8(made.stdout).unwrap();
    assert!(enroll_api::secret::SecretKeys::from_base64(key.trim(), None).is_ok());
}

/// Someone holding the password cannot guess the second factor from many
/// clients: wrong codes count per user across clients too (20 in 15
/// minutes).
#[tokio::test]
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

/// The same step taken twice at once with one token: each answer that
/// says it worked carries a token that works; the other is told the
/// session ended.
#[tokio::test]
async fn a_step_taken_twice_at_once_never_answers_a_dead_token() {
    let (api, _) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    let token = token_of(&sign_in(&api, &email, &temporary).await);
    let (one, two) = tokio::join!(
        change_password(&api, &token, &temporary, NEW_PASSWORD),
        change_password(&api, &token, &temporary, "amber canyon lantern"),
    );
    let mut worked = 0;
    for answer in [one, two] {
        match answer.status().as_u16() {
            200 => {
                worked += 1;
                let next = as_user(&api, &token_of(&answer), Method::GET, "/account", None).await;
                assert_eq!(next.code(), "mfa_enrolment_required", "{}", next.text());
            }
            _ => assert_eq!(
                (answer.status().as_u16(), answer.code()),
                (401, "session_expired")
            ),
        }
    }
    assert_eq!(worked, 1);
}
