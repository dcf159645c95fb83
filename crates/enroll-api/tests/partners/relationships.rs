//! Admin relationships over HTTP: asked of an accepted customer, refused
//! with Global Administrator and auto-extend, approved from the customer's
//! link, reminded 30, 7 and 1 days before the end (each once, however
//! often the runner looks), expired, terminated by either side; an
//! unanswered request expires after 90 days; who may ask.

use crate::common;
use crate::customers::{accepted_customer, adatum, invite, Link};

use common::account::{as_user, signed_in_user};
use common::{api_with_clock, Answer, Api, Checked};
use enroll_api::clock::{Clock, TestClock};
use enroll_api::mail::RELATIONSHIP_LETTERS;
use enroll_api::store::Store;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;
use test_postgres::backends;

const DAY: u64 = 86_400;

fn helpdesk(name: &str) -> Value {
    json!({"name": name, "duration_days": 100,
        "roles": ["helpdesk_administrator", "global_reader"], "auto_extend": false})
}

async fn ask(api: &Api, token: &str, customer: &str, body: Value) -> Answer {
    let path = format!("/account/customers/{customer}/admin-relationships");
    as_user(api, token, Method::POST, &path, Some(body)).await
}

/// The customer's link of a relationship just made.
fn link_of(made: &Answer) -> Link {
    let link = made.body["link"].as_str().unwrap();
    let (_, fragment) = link.split_once("#admin-relationship=").unwrap();
    let (id, token) = fragment.split_once('.').unwrap();
    Link {
        id: id.to_owned(),
        token: token.to_owned(),
    }
}

async fn customer_side(api: &Api, link: &Link, method: Method, rest: &str) -> Answer {
    api.request(
        method,
        &format!("/admin-relationship-requests/{}{rest}", link.id),
    )
    .bearer_auth(&link.token)
    .header("Accept-Language", "zh-CN")
    .checked()
    .await
}

/// The customer's admin (`to`) answers (`what`: approve, reject,
/// terminate) with the code emailed to them for it.
async fn answer(api: &Api, link: &Link, to: &str, what: &str) -> Answer {
    let sent = customer_side(api, link, Method::POST, "/email/code").await;
    assert_eq!(sent.status(), 202, "{}", sent.text());
    assert_eq!(sent.body["to"], to);
    let code = api
        .outbox()
        .await
        .iter()
        .rev()
        .find(|e| e.kind == "relationship_code" && e.to == to)
        .expect("a code emailed")
        .code();
    let path = format!("/admin-relationship-requests/{}/{what}", link.id);
    api.request(Method::POST, &path)
        .bearer_auth(&link.token)
        .header("Accept-Language", "zh-CN")
        .json(&json!({ "code": code }))
        .checked()
        .await
}

/// How many emails of `kind` went to each side: (partner's agents,
/// customer's admin).
async fn told(api: &Api, kind: &str) -> (usize, usize) {
    let emails = api.outbox().await;
    let of = |to: &str| {
        emails
            .iter()
            .filter(|e| e.kind == kind && e.to == to)
            .count()
    };
    (of("agent@fabrikam.com"), of("li.wei@adatum.com"))
}

/// A store of its own on the server's database, on the test's clock (as
/// another instance).
async fn store(api: &Api, clock: &TestClock) -> Store {
    Store::open_with(&api.database, Arc::new(clock.clone()))
        .await
        .unwrap()
}

/// The status of relationship `id` as the store reads it now (the
/// partner's sessions end long before a relationship does).
async fn status_of(api: &Api, clock: &TestClock, id: &str) -> String {
    let relationship = store(api, clock)
        .await
        .relationship(id)
        .await
        .unwrap()
        .unwrap();
    relationship.status.as_str().to_owned()
}

/// The runner's look, as an instance's would be (the server's own runs
/// too, on its own clock: neither may send anything twice).
async fn settle(api: &Api, clock: &TestClock) {
    store(api, clock)
        .await
        .settle_relationships(clock.now(), &RELATIONSHIP_LETTERS)
        .await
        .unwrap();
}

#[backends]
async fn a_relationship_is_approved_reminded_once_each_and_expires() {
    let (api, clock) = api_with_clock().await;
    let (admin, customer) = accepted_customer(&api, &clock).await;
    let agent = signed_in_user(&api, &clock, &admin, "agent@fabrikam.com", &["admin_agent"]).await;

    // Global Administrator never extends itself.
    let global = json!({"name": "Everything", "roles": ["global_administrator"],
        "auto_extend": true});
    let refused = ask(&api, &agent, &customer, global).await;
    assert_eq!(refused.status(), 422, "{}", refused.text());
    assert_eq!(refused.body["errors"][0]["field"], "auto_extend");
    assert_eq!(
        refused.body["errors"][0]["code"],
        "auto_extend_global_admin"
    );

    let made = ask(&api, &agent, &customer, helpdesk("Adatum helpdesk")).await;
    assert_eq!(made.status(), 201, "{}", made.text());
    assert_eq!(made.body["relationship"]["status"], "approval_pending");
    assert_eq!(made.body["relationship"]["ends_at"], Value::Null);
    let link = link_of(&made);
    // One name once for a partner, whatever its case.
    let again = ask(&api, &agent, &customer, helpdesk("ADATUM HELPDESK")).await;
    assert_eq!(
        again.body["errors"][0]["code"],
        "name_taken",
        "{}",
        again.text()
    );

    // The customer's admin is emailed the link, in the customer's language.
    let request = api
        .outbox()
        .await
        .into_iter()
        .find(|e| e.kind == "relationship_request")
        .expect("the request emailed");
    assert_eq!(request.to, "li.wei@adatum.com");
    assert!(request.body.contains(made.body["link"].as_str().unwrap()));
    assert!(request.body.contains("支持人员管理员"), "{}", request.body);

    let seen = customer_side(&api, &link, Method::GET, "").await;
    assert_eq!(seen.status(), 200, "{}", seen.text());
    assert_eq!(seen.body["name"], "Adatum helpdesk");
    assert_eq!(seen.body["partner"]["name"], "Fabrikam Direct GmbH");
    assert_eq!(seen.body["role_details"][0]["name"], "全局读取者");
    let wrong = Link {
        id: link.id.clone(),
        token: "0".repeat(64),
    };
    assert_eq!(
        customer_side(&api, &wrong, Method::GET, "").await.refusal(),
        (401, "invalid_token")
    );

    // The link is the partner's too: it alone approves nothing; the code
    // emailed to the customer's admin does.
    let bare = api
        .request(
            Method::POST,
            &format!("/admin-relationship-requests/{}/approve", link.id),
        )
        .bearer_auth(&link.token)
        .json(&json!({"code": "000000"}))
        .checked()
        .await;
    assert_eq!(bare.status(), 422, "{}", bare.text());
    assert_eq!(bare.body["errors"][0]["field"], "code");
    assert_eq!(told(&api, "relationship_approved").await, (0, 0));
    clock.advance(DAY);
    let approved = answer(&api, &link, "li.wei@adatum.com", "approve").await;
    assert_eq!(approved.status(), 200, "{}", approved.text());
    assert_eq!(approved.body["status"], "active");
    let start = clock.now();
    assert_eq!(told(&api, "relationship_approved").await, (1, 1));
    let twice = answer(&api, &link, "li.wei@adatum.com", "approve").await;
    assert_eq!(twice.refusal(), (409, "not_editable"));

    // Reminded 30, 7 and 1 days before the end (day 100), each once.
    for (day, status, reminders) in [
        (69, "active", 0),
        (70, "expiring", 1),
        (71, "expiring", 1),
        (93, "expiring", 2),
        (99, "expiring", 3),
    ] {
        clock.advance(start + day * DAY - clock.now());
        settle(&api, &clock).await;
        settle(&api, &clock).await;
        assert_eq!(status_of(&api, &clock, &link.id).await, status, "day {day}");
        assert_eq!(
            told(&api, "relationship_reminder").await,
            (reminders, reminders),
            "day {day}"
        );
    }
    let reminder = api
        .outbox()
        .await
        .into_iter()
        .rfind(|e| e.kind == "relationship_reminder" && e.to == "agent@fabrikam.com")
        .unwrap();
    // The end's day, not a count that a relationship shorter than 30 days
    // would get wrong.
    let end = approved.body["ends_at"].as_str().unwrap();
    assert!(reminder.body.contains(&end[..10]), "{}", reminder.body);

    clock.advance(DAY);
    settle(&api, &clock).await;
    settle(&api, &clock).await;
    assert_eq!(status_of(&api, &clock, &link.id).await, "expired");
    assert_eq!(told(&api, "relationship_expired").await, (1, 1));
    let late = customer_side(&api, &link, Method::POST, "/email/code").await;
    assert_eq!(late.refusal(), (409, "not_editable"));
}

#[backends]
async fn either_side_ends_one_and_an_unanswered_request_expires() {
    let (api, clock) = api_with_clock().await;
    let (admin, customer) = accepted_customer(&api, &clock).await;
    let agent = signed_in_user(&api, &clock, &admin, "agent@fabrikam.com", &["admin_agent"]).await;

    // A second customer, Zeta, with a relationship of 20 days approved:
    // expiring at once, and first in the customers list though Adatum
    // comes first by name.
    let zeta = Link::of(&invite(&api, &admin, adatum("en-US")).await);
    assert_eq!(zeta.prove(&api, "kim@zeta.com").await.status(), 200);
    let body = json!({"company_name": "Zeta Corporation", "country": "DE",
        "tenant_domain": "zeta.onmicrosoft.com"});
    let accepted = zeta.call(&api, Method::POST, "/accept", Some(body)).await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text());
    let customers = as_user(&api, &agent, Method::GET, "/account/customers", None).await;
    assert_eq!(
        customers.body["items"][0]["company_name"],
        "Adatum Corporation"
    );
    let zeta_id = customers.body["items"][1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let short = json!({"name": "Zeta month", "duration_days": 20, "roles": ["global_reader"]});
    let short = link_of(&ask(&api, &agent, &zeta_id, short).await);
    let approved = answer(&api, &short, "kim@zeta.com", "approve").await;
    assert_eq!(approved.body["status"], "expiring", "{}", approved.text());
    let customers = as_user(&api, &agent, Method::GET, "/account/customers", None).await;
    assert_eq!(
        customers.body["items"][0]["company_name"],
        "Zeta Corporation"
    );
    assert_eq!(
        customers.body["items"][0]["admin_relationships"][0]["status"],
        "expiring"
    );

    // The partner ends one the customer approved; both are told.
    let first = link_of(&ask(&api, &agent, &customer, helpdesk("First")).await);
    let approved = answer(&api, &first, "li.wei@adatum.com", "approve").await;
    assert_eq!(approved.status(), 200, "{}", approved.text());
    let path = format!(
        "/account/customers/{customer}/admin-relationships/{}",
        first.id
    );
    let ended = as_user(&api, &agent, Method::DELETE, &path, None).await;
    assert_eq!(ended.status(), 200, "{}", ended.text());
    assert_eq!(ended.body["status"], "terminated");
    assert_eq!(ended.body["ended_by"], "partner");
    assert_eq!(told(&api, "relationship_ended").await, (1, 1));

    // The customer ends one, and rejects another.
    let second = link_of(&ask(&api, &agent, &customer, helpdesk("Second")).await);
    let by_customer = answer(&api, &second, "li.wei@adatum.com", "terminate").await;
    assert_eq!(
        by_customer.body["status"],
        "terminated",
        "{}",
        by_customer.text()
    );
    assert_eq!(by_customer.body["ended_by"], "customer");
    let third = link_of(&ask(&api, &agent, &customer, helpdesk("Third")).await);
    let rejected = answer(&api, &third, "li.wei@adatum.com", "reject").await;
    assert_eq!(rejected.body["status"], "terminated");
    assert_eq!(told(&api, "relationship_ended").await, (3, 3));

    // Auto-extend: not while the customer has yet to answer the request;
    // once approved, on (an expiring one is then active again, and both
    // sides are told); never with Global Administrator.
    let fourth = ask(&api, &agent, &customer, helpdesk("Fourth")).await;
    let id = fourth.body["relationship"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/account/customers/{customer}/admin-relationships/{id}");
    let on = json!({"auto_extend": true});
    let pending = as_user(&api, &agent, Method::PATCH, &path, Some(on.clone())).await;
    assert_eq!(pending.refusal(), (409, "not_editable"));
    let short_path = format!(
        "/account/customers/{zeta_id}/admin-relationships/{}",
        short.id
    );
    let extended = as_user(&api, &agent, Method::PATCH, &short_path, Some(on.clone())).await;
    assert_eq!(extended.body["auto_extend"], true, "{}", extended.text());
    assert_eq!(extended.body["status"], "active");
    let changed: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "relationship_changed")
        .map(|e| e.to)
        .collect();
    // (Which of the two arrives first is not fixed.)
    let mut changed = changed;
    changed.sort();
    assert_eq!(changed, ["agent@fabrikam.com", "kim@zeta.com"]);
    let global = json!({"name": "Global", "roles": ["global_administrator"]});
    let global = link_of(&ask(&api, &agent, &customer, global).await);
    assert_eq!(
        answer(&api, &global, "li.wei@adatum.com", "approve")
            .await
            .status(),
        200
    );
    let global_path = format!(
        "/account/customers/{customer}/admin-relationships/{}",
        global.id
    );
    let refused = as_user(&api, &agent, Method::PATCH, &global_path, Some(on)).await;
    assert_eq!(
        refused.body["errors"][0]["code"],
        "auto_extend_global_admin",
        "{}",
        refused.text()
    );

    // A template saved, its name once, and deleted.
    let templates = "/account/admin-relationship-templates";
    let saved = as_user(
        &api,
        &agent,
        Method::POST,
        templates,
        Some(helpdesk("Helpdesk")),
    )
    .await;
    assert_eq!(saved.status(), 201, "{}", saved.text());
    assert_eq!(
        saved.body["items"][0]["roles"],
        json!(["global_reader", "helpdesk_administrator"])
    );
    let twice = as_user(
        &api,
        &agent,
        Method::POST,
        templates,
        Some(helpdesk("helpdesk")),
    )
    .await;
    assert_eq!(
        twice.body["errors"][0]["code"],
        "name_taken",
        "{}",
        twice.text()
    );
    let template = saved.body["items"][0]["id"].as_str().unwrap();
    let path = format!("{templates}/{template}");
    let deleted = as_user(&api, &agent, Method::DELETE, &path, None).await;
    assert_eq!(deleted.body["items"], json!([]), "{}", deleted.text());
    let sales = signed_in_user(&api, &clock, &admin, "sales@fabrikam.com", &["sales_agent"]).await;
    let refused = as_user(&api, &sales, Method::GET, templates, None).await;
    assert_eq!(refused.refusal(), (403, "forbidden"));

    // Unanswered for 90 days, a request expires: no approving it after.
    clock.advance(90 * DAY);
    settle(&api, &clock).await;
    let fourth_link = link_of(&fourth);
    let late = api
        .request(
            Method::POST,
            &format!("/admin-relationship-requests/{}/approve", fourth_link.id),
        )
        .bearer_auth(&fourth_link.token)
        .json(&json!({"code": "000000"}))
        .checked()
        .await;
    assert_eq!(late.refusal(), (409, "not_editable"));
    assert_eq!(
        told(&api, "relationship_expired").await.1,
        1,
        "the request's expiry"
    );
    let seen = customer_side(&api, &fourth_link, Method::GET, "").await;
    assert_eq!(seen.body["status"], "expired");
}

#[backends]
async fn only_admin_agents_and_global_admins_ask_for_admin_roles() {
    let (api, clock) = api_with_clock().await;
    let (admin, customer) = accepted_customer(&api, &clock).await;
    let made = ask(&api, &admin, &customer, helpdesk("Made by the admin")).await;
    assert_eq!(made.status(), 201, "{}", made.text());
    let id = made.body["relationship"]["id"].as_str().unwrap().to_owned();
    let list = format!("/account/customers/{customer}/admin-relationships");
    let one = format!("{list}/{id}");
    // Approved, so that auto-extend may be changed.
    let approved = answer(&api, &link_of(&made), "li.wei@adatum.com", "approve").await;
    assert_eq!(approved.status(), 200, "{}", approved.text());
    let templates = "/account/admin-relationship-templates".to_owned();
    // Every role but global admin, against every route of relationships:
    // whether it may change them (ask, auto-extend, end, templates), and
    // whether it may see them.
    for (role, may_change, may_see) in [
        ("account_admin", false, false),
        ("user_management_admin", false, false),
        ("billing_admin", false, false),
        ("helpdesk_agent", false, false),
        ("business_profile_admin", false, false),
        ("referrals_admin", false, false),
        ("sales_agent", false, true),
        ("admin_agent", true, true),
    ] {
        let email = format!("{role}@fabrikam.com");
        let user = signed_in_user(&api, &clock, &admin, &email, &[role]).await;
        let changes = [
            (Method::POST, list.clone(), Some(helpdesk(role))),
            (
                Method::PATCH,
                one.clone(),
                Some(json!({"auto_extend": false})),
            ),
            (Method::GET, templates.clone(), None),
            (Method::POST, templates.clone(), Some(helpdesk(role))),
        ];
        for (method, path, body) in changes {
            let answer = as_user(&api, &user, method.clone(), &path, body).await;
            if may_change {
                assert!(
                    answer.status().is_success(),
                    "{role} {method} {path}: {}",
                    answer.text()
                );
            } else {
                assert_eq!(
                    answer.refusal(),
                    (403, "forbidden"),
                    "{role} {method} {path}"
                );
            }
        }
        let seen = as_user(&api, &user, Method::GET, &list, None).await;
        assert_eq!(seen.status() == 200, may_see, "{role}: {}", seen.text());
        if !may_see {
            assert_eq!(seen.refusal(), (403, "forbidden"), "{role}");
        }
    }
    // Ended last, by the admin agent's peer, the global admin.
    let ended = as_user(&api, &admin, Method::DELETE, &one, None).await;
    assert_eq!(ended.body["status"], "terminated", "{}", ended.text());
    // Another partner's customer is not found.
    let other = ask(
        &api,
        &admin,
        "0123456789abcdef0123456789abcdef",
        helpdesk("x"),
    )
    .await;
    assert_eq!(other.status(), 404, "{}", other.text());
}
