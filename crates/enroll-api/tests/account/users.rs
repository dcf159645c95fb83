//! The partner account's users: added, changed and removed within the
//! rules and at once, invited again, an undelivered invitation shown to
//! the admins, and names refused at their field.

use crate::common;

use test_postgres::backends;

use common::account::{
    add_user, as_user, fully_set_up, password_sent_to, problem_code, sign_in, signed_in_user,
};
use common::wait::eventually;
use common::{api_with_clock, Api};
use reqwest::Method;
use serde_json::json;

/// Sends user `id` their invitation again as the session `admin`.
async fn resend_invitation(api: &Api, admin: &str, id: &str) -> common::Answer {
    let path = format!("/account/users/{id}/invitation");
    as_user(api, admin, Method::POST, &path, None).await
}

/// Only a global admin makes a global admin; the last one stays; a
/// removed user is signed out at once, a demoted one loses the action at
/// once; an address that signs in already, or an unknown role, is refused.
#[backends]
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
    assert_eq!(refused.refusal(), (403, "forbidden"));
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
    assert_eq!(again.refusal(), (409, "user_exists"));
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
    assert_eq!(demote.refusal(), (403, "forbidden"));
    let remove = as_user(
        &api,
        &admin,
        Method::DELETE,
        &format!("/account/users/{me}"),
        None,
    )
    .await;
    assert_eq!(remove.refusal(), (403, "forbidden"));

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
    assert_eq!(now_refused.refusal(), (403, "forbidden"));

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
    assert_eq!(gone.refusal(), (401, "session_expired"));

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

/// An invitation whose email the relay refuses is shown to the admins on
/// the users list (the invited user cannot be told); sent again, and
/// delivered, it is not.
#[backends]
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
    eventually("the undelivered invitation shown", flag).await;
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
    let gone = || async { !flag().await };
    eventually("the flag gone once the newest one arrived", gone).await;
}

/// A user's names are refused as the application's are, at their field,
/// never silently changed: a control character, over 100 characters.
#[backends]
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
