//! A direct partner's invitations to customers, and the customer's side:
//! who may invite, the link's token (used twice, expired, withdrawn,
//! guessed), the address proven with a code, the resale rule on the
//! tenant and the country, and the emails each step sends (once).

use crate::common;

use common::account::{
    as_user, first_sign_in, give_code, password_sent_to, sign_in, signed_in_user, token_of,
    NEW_PASSWORD,
};
use common::partners::partner_with_tenants;
use common::{api_with_clock, Answer, Api, Checked};
use enroll_api::clock::{Clock, TestClock};
use enroll_api::mfa;
use reqwest::Method;
use serde_json::{json, Value};
use test_postgres::backends;

/// The inviting direct partner: Fabrikam Direct, in Germany.
const FABRIKAM: (&str, &str, &str) = ("5550011", "kim@fabrikam.com", "Fabrikam Direct GmbH");
const FABRIKAM_TENANTS: (&str, &str) = (
    "fabrikamcsp.onmicrosoft.com",
    "fabrikamcorp.onmicrosoft.com",
);
/// Another approved partner, an indirect reseller with both tenants.
const CONTOSO: (&str, &str, &str) = ("5550012", "lee@contoso.com", "Contoso Ltd");
const CONTOSO_TENANTS: (&str, &str) = ("contosocsp.onmicrosoft.com", "contosocorp.onmicrosoft.com");

/// Both partners approved; Fabrikam's global admin signed in: its token.
async fn partners(api: &Api, clock: &TestClock) -> String {
    partners_and_secret(api, clock).await.0
}

/// `partners`, and the global admin's authenticator key.
async fn partners_and_secret(api: &Api, clock: &TestClock) -> (String, mfa::Secret) {
    partner_with_tenants(api, "direct_partner", FABRIKAM, FABRIKAM_TENANTS).await;
    partner_with_tenants(api, "indirect_reseller", CONTOSO, CONTOSO_TENANTS).await;
    let temporary = password_sent_to(api, FABRIKAM.1).await;
    let (token, secret, _) = first_sign_in(api, clock, FABRIKAM.1, &temporary).await;
    (token, secret)
}

pub async fn invite(api: &Api, token: &str, body: Value) -> Answer {
    as_user(
        api,
        token,
        Method::POST,
        "/account/customer-invitations",
        Some(body),
    )
    .await
}

pub fn adatum(locale: &str) -> Value {
    json!({"company_name": "Adatum Corporation", "admin_email": "li.wei@adatum.com",
        "locale": locale})
}

/// An invitation (or admin relationship) as its link gave it: id and
/// token.
pub struct Link {
    pub id: String,
    pub token: String,
}

impl Link {
    pub fn of(made: &Answer) -> Link {
        let link = made.body["link"].as_str().unwrap();
        let (_, fragment) = link
            .split_once("#invitation=")
            .expect("the token in the fragment");
        let (id, token) = fragment.split_once('.').unwrap();
        assert_eq!(id, made.body["id"]);
        assert_eq!(token, made.body["token"]);
        Link {
            id: id.to_owned(),
            token: token.to_owned(),
        }
    }

    /// `method` on `/invitations/{id}{rest}` with the token.
    pub async fn call(&self, api: &Api, method: Method, rest: &str, body: Option<Value>) -> Answer {
        let mut request = api
            .request(method, &format!("/invitations/{}{rest}", self.id))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.checked().await
    }

    /// Proves `email` with the code emailed to it.
    pub async fn prove(&self, api: &Api, email: &str) -> Answer {
        let sent = self
            .call(
                api,
                Method::POST,
                "/email/code",
                Some(json!({ "email": email })),
            )
            .await;
        assert_eq!(sent.status(), 202, "{}", sent.text());
        let code = api
            .outbox()
            .await
            .iter()
            .rev()
            .find(|e| e.kind == "customer_code" && e.to == email)
            .expect("a code emailed")
            .code();
        self.call(
            api,
            Method::POST,
            "/email/verify",
            Some(json!({ "code": code })),
        )
        .await
    }

    async fn accept(&self, api: &Api, country: &str, tenant: &str) -> Answer {
        let body = json!({"company_name": "Adatum Corporation", "country": country,
            "tenant_domain": tenant});
        self.call(api, Method::POST, "/accept", Some(body)).await
    }
}

/// Both partners approved, and Adatum (li.wei@adatum.com, in Chinese) a
/// customer of Fabrikam Direct with the tenant adatum.onmicrosoft.com:
/// Fabrikam's global admin's session, and the customer's id.
pub async fn accepted_customer(api: &Api, clock: &TestClock) -> (String, String) {
    let admin = partners(api, clock).await;
    let link = Link::of(&invite(api, &admin, adatum("zh-CN")).await);
    assert_eq!(link.prove(api, "li.wei@adatum.com").await.status(), 200);
    let accepted = link.accept(api, "DE", "adatum.onmicrosoft.com").await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text());
    let customers = as_user(api, &admin, Method::GET, "/account/customers", None).await;
    let id = customers.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    (admin, id)
}

fn problems(answer: &Answer) -> Vec<(String, String)> {
    answer.body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|p| {
                    (
                        p["field"].as_str().unwrap_or_default().to_owned(),
                        p["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn at(field: &str, code: &str) -> Vec<(String, String)> {
    vec![(field.to_owned(), code.to_owned())]
}

/// The whole way: invited in Chinese, the email sent once, the address
/// proven, the resale rule's refusals each on its field with the reason
/// in the page's language, then accepted with another partner's corporate
/// tenant; the admin agent is told, and the customer is listed.
#[backends]
async fn a_customer_proves_the_address_and_accepts_within_the_resale_rule() {
    let (api, clock) = api_with_clock().await;
    let admin = partners(&api, &clock).await;
    let agent = signed_in_user(&api, &clock, &admin, "agent@fabrikam.com", &["admin_agent"]).await;

    let made = invite(&api, &agent, adatum("zh-CN")).await;
    assert_eq!(made.status(), 201, "{}", made.text());
    assert_eq!(made.body["status"], "sent");
    let link = Link::of(&made);
    // On the server's own customer's page unless another is asked for.
    assert!(made.body["link"]
        .as_str()
        .unwrap()
        .contains("/invitation.html#invitation="));
    // The email text, in the customer's language, names both companies
    // and holds the link.
    let body = made.body["email"]["body"].as_str().unwrap();
    assert_eq!(made.body["email"]["subject"], "经销商关系邀请");
    assert!(
        body.contains("Fabrikam Direct GmbH 邀请 Adatum Corporation"),
        "{body}"
    );
    assert!(body.contains(made.body["link"].as_str().unwrap()), "{body}");

    // Sent by the product once, however often asked.
    let send_path = format!("/account/customer-invitations/{}/send", link.id);
    for _ in 0..2 {
        let sent = as_user(
            &api,
            &agent,
            Method::POST,
            &send_path,
            Some(json!({ "token": link.token })),
        )
        .await;
        assert_eq!(sent.status(), 202, "{}", sent.text());
        assert!(sent.body["emailed_at"].is_string());
    }
    let emailed: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "customer_invitation")
        .collect();
    assert_eq!(emailed.len(), 1, "{emailed:?}");
    assert_eq!(emailed[0].to, "li.wei@adatum.com");
    assert!(emailed[0]
        .body
        .contains(made.body["link"].as_str().unwrap()));
    assert!(
        !emailed[0].subject.contains(&link.token),
        "no token in a header"
    );
    // A token that is not the invitation's sends nothing.
    let wrong = as_user(
        &api,
        &agent,
        Method::POST,
        &send_path,
        Some(json!({"token": "x"})),
    )
    .await;
    assert_eq!(
        (wrong.status().as_u16(), problems(&wrong)),
        (422, at("token", "invalid_format"))
    );

    // The customer's page: who invites, before any proof.
    let seen = link.call(&api, Method::GET, "", None).await;
    assert_eq!(seen.status(), 200, "{}", seen.text());
    assert_eq!(seen.body["partner"]["name"], "Fabrikam Direct GmbH");
    assert_eq!(seen.body["partner"]["country"], "DE");
    assert_eq!(seen.body["proven_email"], Value::Null);
    let early = link.accept(&api, "DE", "adatum.onmicrosoft.com").await;
    assert_eq!(early.refusal(), (409, "admin_email_unverified"));
    let declined_early = link.call(&api, Method::POST, "/decline", None).await;
    assert_eq!(declined_early.refusal(), (409, "admin_email_unverified"));

    // A free-mail address is refused; a wrong code counts down.
    let free = link
        .call(
            &api,
            Method::POST,
            "/email/code",
            Some(json!({"email": "li.wei@gmail.com"})),
        )
        .await;
    assert_eq!(
        (free.status().as_u16(), problems(&free)),
        (422, at("email", "free_email_domain"))
    );
    // An address at the inviting partner cannot answer for the customer
    // (the link is the partner's too).
    let own = link
        .call(
            &api,
            Method::POST,
            "/email/code",
            Some(json!({"email": "kim@fabrikam.com"})),
        )
        .await;
    assert_eq!(
        (own.status().as_u16(), problems(&own)),
        (422, at("email", "partner_address"))
    );
    let proven = link.prove(&api, "li.wei@adatum.com").await;
    assert_eq!(proven.status(), 200, "{}", proven.text());
    assert_eq!(proven.body["proven_email"], "li.wei@adatum.com");

    // The resale rule, each refusal on its field, worded in Chinese.
    for (country, tenant, expected) in [
        (
            "DE",
            " ContosoCSP.onmicrosoft.com ",
            at("tenant_domain", "csp_tenant_of_another_partner"),
        ),
        (
            "DE",
            "fabrikamcsp.onmicrosoft.com",
            at("tenant_domain", "own_tenant"),
        ),
        (
            "DE",
            "FabrikamCorp.onmicrosoft.com",
            at("tenant_domain", "own_tenant"),
        ),
        (
            "FR",
            "adatum.onmicrosoft.com",
            at("country", "other_country"),
        ),
        ("DE", "adatum", at("tenant_domain", "tenant_domain_format")),
    ] {
        let refused = link
            .call(
                &api,
                Method::POST,
                "/accept",
                Some(
                    json!({"company_name": "Adatum", "country": country, "tenant_domain": tenant}),
                ),
            )
            .await;
        assert_eq!(
            (refused.status().as_u16(), problems(&refused)),
            (422, expected),
            "{tenant}"
        );
    }
    // Worded in the customer's language, with what to do.
    let refused = api
        .request(Method::POST, &format!("/invitations/{}/accept", link.id))
        .bearer_auth(&link.token)
        .header("Accept-Language", "zh-CN")
        .json(&json!({"company_name": "Adatum", "country": "DE",
            "tenant_domain": "contosocsp.onmicrosoft.com"}))
        .checked()
        .await;
    let message = refused.body["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("CSP 交易"), "{}", refused.text());
    assert!(api
        .outbox()
        .await
        .iter()
        .all(|e| e.kind != "customer_accepted"));

    // Another partner's corporate (non-CSP) tenant may buy.
    let accepted = link.accept(&api, "de", "ContosoCorp.onmicrosoft.com").await;
    assert_eq!(accepted.status(), 200, "{}", accepted.text());
    assert_eq!(accepted.body["status"], "accepted");
    assert_eq!(
        accepted.body["customer"]["tenant_domain"],
        "contosocorp.onmicrosoft.com"
    );
    // Used twice, the token answers nothing but where it stands.
    let again = link.accept(&api, "DE", "adatum.onmicrosoft.com").await;
    assert_eq!(again.refusal(), (409, "not_editable"));
    let code_again = link
        .call(
            &api,
            Method::POST,
            "/email/code",
            Some(json!({"email": "li.wei@adatum.com"})),
        )
        .await;
    assert_eq!(code_again.refusal(), (409, "not_editable"));

    // The admin agent is told, in the partner's language, once.
    let told: Vec<_> = api
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "customer_accepted")
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].to, "agent@fabrikam.com");
    assert!(
        told[0].body.contains("Adatum Corporation accepted"),
        "{}",
        told[0].body
    );

    let customers = as_user(&api, &agent, Method::GET, "/account/customers", None).await;
    assert_eq!(customers.status(), 200, "{}", customers.text());
    let customer = &customers.body["items"][0];
    assert_eq!(customer["company_name"], "Adatum Corporation");
    assert_eq!(customer["admin_email"], "li.wei@adatum.com");
    assert_eq!(customer["reseller_relationship"]["status"], "active");
    let listed = as_user(
        &api,
        &agent,
        Method::GET,
        "/account/customer-invitations",
        None,
    )
    .await;
    assert_eq!(listed.body["items"][0]["status"], "accepted");

    // The same tenant cannot become the partner's customer twice.
    let second = Link::of(&invite(&api, &agent, adatum("en-US")).await);
    assert_eq!(second.prove(&api, "li.wei@adatum.com").await.status(), 200);
    let twice = second
        .accept(&api, "DE", "contosocorp.onmicrosoft.com")
        .await;
    assert_eq!(
        (twice.status().as_u16(), problems(&twice)),
        (422, at("tenant_domain", "already_customer"))
    );
}

/// Who may invite and see customers: a direct partner's global admins,
/// admin agents and sales agents; no other role, and nobody of an
/// indirect reseller.
#[backends]
async fn only_agents_and_global_admins_of_a_direct_partner_have_customers() {
    let (api, clock) = api_with_clock().await;
    let admin = partners(&api, &clock).await;
    let made = invite(&api, &admin, adatum("en-US")).await;
    assert_eq!(made.status(), 201, "{}", made.text());
    let link = Link::of(&made);
    let actions = |id: &str| {
        vec![
            (
                Method::GET,
                "/account/customer-invitations".to_owned(),
                None,
            ),
            (
                Method::POST,
                "/account/customer-invitations".to_owned(),
                Some(adatum("en-US")),
            ),
            (
                Method::POST,
                format!("/account/customer-invitations/{id}/send"),
                Some(json!({"token": "nope"})),
            ),
            (
                Method::DELETE,
                format!("/account/customer-invitations/{id}"),
                None,
            ),
            (Method::GET, "/account/customers".to_owned(), None),
        ]
    };
    let roles = [
        ("account_admin", false),
        ("user_management_admin", false),
        ("billing_admin", false),
        ("helpdesk_agent", false),
        ("business_profile_admin", false),
        ("referrals_admin", false),
        ("sales_agent", true),
        ("admin_agent", true),
    ];
    for (i, (role, may)) in roles.into_iter().enumerate() {
        let user =
            signed_in_user(&api, &clock, &admin, &format!("u{i}@fabrikam.com"), &[role]).await;
        let account = as_user(&api, &user, Method::GET, "/account", None).await;
        let listed = account.body["actions"].as_array().unwrap();
        assert_eq!(listed.contains(&json!("invite_customers")), may, "{role}");
        for (method, path, body) in actions("0123456789abcdef0123456789abcdef") {
            let answer = as_user(&api, &user, method.clone(), &path, body).await;
            if may {
                assert_ne!(
                    answer.status(),
                    403,
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
    }
    // An indirect reseller's global admin has no customers here.
    let temporary = password_sent_to(&api, CONTOSO.1).await;
    let reseller = first_sign_in(&api, &clock, CONTOSO.1, &temporary).await.0;
    let account = as_user(&api, &reseller, Method::GET, "/account", None).await;
    assert!(!account.body["actions"]
        .as_array()
        .unwrap()
        .contains(&json!("view_customers")));
    for (method, path, body) in actions(&link.id) {
        let answer = as_user(&api, &reseller, method.clone(), &path, body).await;
        assert_eq!(answer.refusal(), (403, "forbidden"), "{method} {path}");
    }
    // Nor does one direct partner's user reach another's invitation: it is
    // not found for them (here, the reseller's is refused before).
    let listed = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/customer-invitations",
        None,
    )
    .await;
    assert_eq!(
        listed.body["items"].as_array().unwrap().len(),
        1 + 2,
        "{}",
        listed.text()
    );
}

/// The token: none, guessed, another invitation's, withdrawn, expired.
#[backends]
async fn an_invitation_opens_only_with_its_own_token_while_it_is_open() {
    let (api, clock) = api_with_clock().await;
    let (admin, secret) = partners_and_secret(&api, &clock).await;
    let first = Link::of(&invite(&api, &admin, adatum("en-US")).await);
    clock.advance(1);
    let second = Link::of(&invite(&api, &admin, adatum("en-US")).await);

    let none = api
        .request(Method::GET, &format!("/invitations/{}", first.id))
        .checked()
        .await;
    assert_eq!(none.refusal(), (401, "token_required"));
    let guessed = Link {
        id: first.id.clone(),
        token: "0".repeat(64),
    };
    assert_eq!(
        guessed.call(&api, Method::GET, "", None).await.refusal(),
        (401, "invalid_token")
    );
    let crossed = Link {
        id: first.id.clone(),
        token: second.token.clone(),
    };
    assert_eq!(
        crossed.call(&api, Method::GET, "", None).await.refusal(),
        (401, "invalid_token")
    );
    let unknown = Link {
        id: "0123456789abcdef0123456789abcdef".into(),
        token: first.token.clone(),
    };
    assert_eq!(
        unknown.call(&api, Method::GET, "", None).await.status(),
        404
    );

    // Withdrawn: the page says so, and nothing can be answered.
    let path = format!("/account/customer-invitations/{}", first.id);
    let withdrawn = as_user(&api, &admin, Method::DELETE, &path, None).await;
    assert_eq!(withdrawn.status(), 200, "{}", withdrawn.text());
    assert_eq!(withdrawn.body["status"], "withdrawn");
    let again = as_user(&api, &admin, Method::DELETE, &path, None).await;
    assert_eq!(again.refusal(), (409, "not_editable"));
    let seen = first.call(&api, Method::GET, "", None).await;
    assert_eq!(seen.body["status"], "withdrawn");
    let code = first
        .call(
            &api,
            Method::POST,
            "/email/code",
            Some(json!({"email": "li.wei@adatum.com"})),
        )
        .await;
    assert_eq!(code.refusal(), (409, "not_editable"));

    // Proven, then 30 days pass: expired, and neither answer nor
    // withdrawal is possible.
    assert_eq!(second.prove(&api, "li.wei@adatum.com").await.status(), 200);
    clock.advance(30 * 86_400);
    let seen = second.call(&api, Method::GET, "", None).await;
    assert_eq!(seen.body["status"], "expired");
    let late = second.accept(&api, "DE", "adatum.onmicrosoft.com").await;
    assert_eq!(late.refusal(), (409, "not_editable"));
    let late_decline = second.call(&api, Method::POST, "/decline", None).await;
    assert_eq!(late_decline.refusal(), (409, "not_editable"));
    // The admin's session ended meanwhile: signed in again.
    let password = token_of(&sign_in(&api, FABRIKAM.1, NEW_PASSWORD).await);
    let admin = token_of(&give_code(&api, &password, &mfa::code_at(&secret, clock.now())).await);
    let path = format!("/account/customer-invitations/{}", second.id);
    let too_late = as_user(&api, &admin, Method::DELETE, &path, None).await;
    assert_eq!(too_late.refusal(), (409, "not_editable"));
    let listed = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/customer-invitations",
        None,
    )
    .await;
    let statuses: Vec<&Value> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["status"])
        .collect();
    assert_eq!(statuses, [&json!("expired"), &json!("withdrawn")]);
}

/// Declined once the address is proven; the partner sees it declined and
/// has no customer.
#[backends]
async fn a_customer_declines() {
    let (api, clock) = api_with_clock().await;
    let admin = partners(&api, &clock).await;
    let link = Link::of(&invite(&api, &admin, adatum("en-US")).await);
    assert_eq!(link.prove(&api, "li.wei@adatum.com").await.status(), 200);
    let declined = link.call(&api, Method::POST, "/decline", None).await;
    assert_eq!(declined.status(), 200, "{}", declined.text());
    assert_eq!(declined.body["status"], "declined");
    let again = link.call(&api, Method::POST, "/decline", None).await;
    assert_eq!(again.refusal(), (409, "not_editable"));
    let listed = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/customer-invitations",
        None,
    )
    .await;
    assert_eq!(listed.body["items"][0]["status"], "declined");
    assert!(listed.body["items"][0]["answered_at"].is_string());
    let customers = as_user(&api, &admin, Method::GET, "/account/customers", None).await;
    assert_eq!(customers.body["items"], json!([]));

    // A user who invited a customer can still be removed; the invitation
    // stays the partner's.
    let agent = signed_in_user(&api, &clock, &admin, "agent@fabrikam.com", &["sales_agent"]).await;
    assert_eq!(invite(&api, &agent, adatum("en-US")).await.status(), 201);
    let users = as_user(&api, &admin, Method::GET, "/account/users", None).await;
    let id = users.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "agent@fabrikam.com")
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .expect("the agent listed");
    let removed = as_user(
        &api,
        &admin,
        Method::DELETE,
        &format!("/account/users/{id}"),
        None,
    )
    .await;
    assert!(removed.status().is_success(), "{}", removed.text());
    let listed = as_user(
        &api,
        &admin,
        Method::GET,
        "/account/customer-invitations",
        None,
    )
    .await;
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 2);
}
