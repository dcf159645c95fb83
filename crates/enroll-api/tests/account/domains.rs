//! The partner account's domains: users added only in the account's
//! proven domains, and no account stalling another's approval.

use crate::common;

use test_postgres::backends;

use common::account::{
    add_user, apply_and_approve, as_user, fully_set_up, password_sent_to, problem_code, sign_in,
    signed_in_user,
};
use common::{api_with_clock, Api};
use reqwest::Method;
use serde_json::json;

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
#[backends]
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
    assert_eq!(again.refusal(), (409, "domain_proven"));
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
    assert_eq!(refused.refusal(), (403, "forbidden"));

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
    assert_eq!(own.refusal(), (409, "user_exists"));
}
