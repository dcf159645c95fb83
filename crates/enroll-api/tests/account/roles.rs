//! The partner account's roles: every role may do exactly what
//! enroll-core's table gives it, grants only within one's own rights, and
//! the edges of who may change whom.

use crate::common;

use test_postgres::backends;

use common::account::{
    add_user, apply_and_approve, as_user, first_sign_in, fully_set_up, password_sent_to,
    signed_in_user,
};
use common::{api_with_clock, Checked};
use reqwest::Method;
use serde_json::json;

/// Every role against every action of the account: allowed or refused
/// (403 `forbidden`) as enroll-core's table says, over HTTP.
#[backends]
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
            (
                Action::ViewBusinessProfile,
                Method::GET,
                "/account/business-profile".to_owned(),
                None,
            ),
            (
                Action::EditBusinessProfile,
                Method::PUT,
                "/account/business-profile".to_owned(),
                Some(json!({"description": "Migrations"})),
            ),
            (
                Action::EditBusinessProfile,
                Method::DELETE,
                "/account/business-profile/logo".to_owned(),
                None,
            ),
            (
                Action::ViewReferrals,
                Method::GET,
                "/account/referrals".to_owned(),
                None,
            ),
            // No referral arrived: who may answer finds none (404).
            (
                Action::AnswerReferrals,
                Method::POST,
                format!("/account/referrals/{}/decline", "0".repeat(32)),
                Some(json!({"reason": "Not for us."})),
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
                let no_referral = path.contains("/referrals/") && answer.status() == 404;
                assert!(
                    answer.status().is_success() || no_referral,
                    "{role:?} {action:?}: {}",
                    answer.text()
                );
            }
        }
    }
}

/// Roles are given only within one's own rights (enroll-core's grant
/// column): a user management admin cannot make an account admin (who
/// edits the profile it cannot), and only a global admin touches anything
/// of a global admin, the roles beside it too.
#[backends]
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
        assert_eq!(answer.refusal(), (403, "forbidden"), "giving {role}");
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
        assert_eq!(answer.refusal(), (403, "forbidden"));
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

/// Acting on a global admin needs a global admin; nobody changes their
/// own roles; another account's users are not found; a signed-in user has
/// no invitation to resend; a profile is saved trimmed.
#[backends]
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
        assert_eq!(answer.refusal(), (403, "forbidden"), "{method} {path}");
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
    assert_eq!(resend.refusal(), (409, "signed_in_already"));

    // Another company's account: its global admin finds none of these.
    apply_and_approve(&api, "7654321", "kim@fabrikam.com", "Fabrikam GmbH")
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
