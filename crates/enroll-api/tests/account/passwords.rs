//! The partner account's passwords: the temporary one the approval
//! emails (only for choosing a new one, seven days), and the rules a new
//! one meets (guessable ones refused with the reason).

use crate::common;

use test_postgres::backends;

use common::account::{
    approved, as_user, change_password, problem_code, sign_in, token_of, NEW_PASSWORD,
};
use common::{api_with_clock, Checked};
use reqwest::Method;
use serde_json::json;

#[backends]
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
    assert_eq!(old.refusal(), (401, "session_expired"));
    let token = token_of(&changed);
    // A global admin sets up a second factor before anything else.
    assert_eq!(changed.body["mfa_enrolment_required"], true);
    let refused = as_user(&api, &token, Method::GET, "/account", None).await;
    assert_eq!(refused.code(), "mfa_enrolment_required");
    // The temporary password is spent.
    assert_eq!(sign_in(&api, &email, &temporary).await.status(), 401);
}

#[backends]
async fn a_temporary_password_lasts_seven_days() {
    let (api, clock) = api_with_clock().await;
    let (email, temporary) = approved(&api).await;
    clock.advance(7 * 24 * 3600 + 60);
    let late = sign_in(&api, &email, &temporary).await;
    assert_eq!(late.status(), 401);
    assert_eq!(late.code(), "temporary_password_expired");
}

/// A new password that an attacker would try early is refused with the
/// reason, in the user's language (NIST SP 800-63B, by the zxcvbn
/// estimator given the user's own words); passphrases pass.
#[backends]
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
