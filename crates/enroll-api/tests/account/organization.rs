//! The partner account's organization profile (the application's until
//! saved, then saved with its version) and who sees provider requests.

use crate::common;

use test_postgres::backends;

use common::account::{as_user, fully_set_up, signed_in_user};
use common::{api_with_clock, Checked};
use reqwest::Method;
use serde_json::{json, Value};

/// The organization profile: the application's until saved, saved with
/// `If-Match` (412 on a stale one), checked by the application's rules;
/// read by every user, edited by the admins only.
#[backends]
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
    assert_eq!(stale.refusal(), (412, "profile_changed"));

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
    assert_eq!(edit.refusal(), (403, "forbidden"));
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
