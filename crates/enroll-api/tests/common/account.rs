//! The partner account's steps as its users take them, for the account's
//! tests: an application approved, signing in (the first time: a new
//! password and an authenticator), a user added, requests as a user.

use enroll_api::clock::{Clock, TestClock};
use enroll_api::mfa;
use reqwest::Method;
use serde_json::{json, Value};

use super::{complete, Answer, Api, Checked};

/// Creates, submits and approves the example application: the admin's
/// address and temporary password.
pub async fn approved(api: &Api) -> (String, String) {
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

/// Submits (with its admin address proven) and approves an application of
/// `company` whose admin is `admin`, under the MPN ID `mpn`: the
/// operator's answer to approving.
pub async fn apply_and_approve(
    api: &Api,
    mpn: &str,
    admin: &str,
    company: &str,
) -> Result<(), String> {
    let mut answers = complete();
    answers["mpn_id"] = json!(mpn);
    answers["admin"]["email"] = json!(admin);
    answers["company"]["legal_name"] = json!(company);
    approve_answers(api, &answers).await
}

/// Submits (with its admin address proven) and approves an application
/// of `answers`: the operator's answer to approving.
pub async fn approve_answers(api: &Api, answers: &Value) -> Result<(), String> {
    let draft = api.create(answers).await;
    let submitted = api.submit(&draft, &draft.etag, "k").await;
    assert_eq!(submitted.status(), 200, "{}", submitted.text());
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&["review", "approve", &draft.id]).await
}

pub async fn sign_in(api: &Api, email: &str, password: &str) -> Answer {
    api.request(Method::POST, "/session")
        .json(&json!({"email": email, "password": password}))
        .checked()
        .await
}

pub async fn as_user(
    api: &Api,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> Answer {
    let request = api.request(method, path).bearer_auth(token);
    match body {
        Some(body) => request.json(&body).checked().await,
        None => request.checked().await,
    }
}

pub async fn change_password(api: &Api, token: &str, current: &str, new: &str) -> Answer {
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
pub fn token_of(answer: &Answer) -> String {
    answer.body["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {}", answer.text()))
        .to_owned()
}

pub fn problem_code(answer: &Answer) -> (String, String) {
    let problem = &answer.body["errors"][0];
    (
        problem["field"].as_str().unwrap_or_default().to_owned(),
        problem["code"].as_str().unwrap_or_default().to_owned(),
    )
}

pub const NEW_PASSWORD: &str = "violet quarry tandem";

/// Approves the example application and signs its admin in for the first
/// time: the session's token, the secret and the recovery codes.
pub async fn fully_set_up(api: &Api, clock: &TestClock) -> (String, mfa::Secret, Vec<String>) {
    let (email, temporary) = approved(api).await;
    first_sign_in(api, clock, &email, &temporary).await
}

/// Signs `email` in with its temporary password, chooses a new one and
/// sets up an authenticator, as every user does the first time: the
/// session's token, the secret and the recovery codes.
pub async fn first_sign_in(
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

/// Gives the second factor's `code` (or a recovery code) for the session
/// `token`, signed in with its password: the answer.
pub async fn give_code(api: &Api, token: &str, code: &str) -> Answer {
    let body = json!({ "code": code });
    as_user(api, token, Method::POST, "/session/mfa", Some(body)).await
}

/// Sets up an authenticator for the session `token`, its password chosen:
/// the confirmation's answer (with the session's new token) and the key.
pub async fn enrol_authenticator(
    api: &Api,
    clock: &TestClock,
    token: &str,
) -> (Answer, mfa::Secret) {
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

/// The temporary password in the newest email to `to`.
pub async fn password_sent_to(api: &Api, to: &str) -> String {
    let emails = api.outbox().await;
    emails
        .iter()
        .rev()
        .find(|e| e.kind == "temporary_password" && e.to == to)
        .unwrap_or_else(|| panic!("no password emailed to {to}"))
        .temporary_password()
}

/// Adds a user with `roles` as the session `admin`: the answer.
pub async fn add_user(api: &Api, admin: &str, email: &str, roles: &[&str]) -> Answer {
    let body = json!({"email": email, "first_name": "Sam", "last_name": "Lee", "roles": roles});
    as_user(api, admin, Method::POST, "/account/users", Some(body)).await
}

/// Signs a newly added user in all the way (their own password, and an
/// authenticator where their roles need one): their session's token.
pub async fn signed_in_user(
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

/// Signs in from the client at loopback address `from`.
pub async fn sign_in_from(api: &Api, from: [u8; 4], email: &str, password: &str) -> Answer {
    api.request_from(from, Method::POST, "/session")
        .json(&json!({"email": email, "password": password}))
        .checked()
        .await
}
