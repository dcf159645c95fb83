//! Partners with published business profiles, and customers asking for
//! one, for the tests of partner requests and referrals.

use enroll_core::business_profile::BusinessProfile;
use reqwest::Method;
use serde_json::{json, Value};

use super::account::apply_and_approve;
use super::{Answer, Api, Checked};

/// A complete business profile in Germany (Berlin), for Azure and
/// healthcare, companies of 50–99, in German and Chinese; a test changes
/// what it is about.
pub fn profile() -> Value {
    json!({
        "description": "Cloud migrations for hospitals.",
        "website": "https://contoso.com",
        "industries": ["healthcare"],
        "products": ["azure"],
        "services": ["migration"],
        "customer_sizes": ["50_99"],
        "languages": ["de", "zh"],
        "locations": [{"country": "DE", "lines": ["Unter den Linden 1"], "locality": "Berlin",
            "postal_code": "10117"}],
        "published": true
    })
}

/// An approved partner (`company`, MPN ID `mpn`, its admin `admin`) whose
/// business profile is `profile`, its admin the referral contact: its
/// account's id.
pub async fn partner_with_profile(
    api: &Api,
    (mpn, admin, company): (&str, &str, &str),
    mut profile: Value,
) -> String {
    apply_and_approve(api, mpn, admin, company).await.unwrap();
    let store = api.store().await;
    let user = store.user_by_email(admin).await.unwrap().unwrap();
    profile["referral_contact"] = json!(user.id);
    let parsed: BusinessProfile = serde_json::from_value(profile).unwrap();
    let saved = store
        .save_business_profile(
            &user.account_id,
            None,
            serde_json::to_string(&parsed).unwrap(),
            parsed.published,
            parsed.referral_contact.clone(),
        )
        .await
        .unwrap();
    assert!(matches!(saved, enroll_api::store::Saved::Version(_)));
    user.account_id
}

/// Contoso Health: approved, its profile `profile()`, the best match
/// for `need`.
pub async fn contoso_health(api: &Api) -> String {
    let partner = ("5550001", "kim@contoso.com", "Contoso Health");
    partner_with_profile(api, partner, profile()).await
}

/// A request for a partner in Berlin for Azure in healthcare, from a
/// company of 50–99 writing in `locale`, by `email`.
pub fn need(locale: &str, email: &str) -> Value {
    json!({
        "locale": locale,
        "needs": {"products": ["azure"], "industry": "healthcare", "company_size": "50_99",
            "country": "DE", "city": "berlin", "description": "Move our patient records to Azure."},
        "contact": {"name": "李伟", "email": email, "phone": "+49 30 1234567"},
        "consent_to_share": true
    })
}

/// A customer's request as made: its id and token, and the address its
/// codes go to.
pub struct Customer {
    pub id: String,
    pub token: String,
    pub email: String,
}

impl Customer {
    /// `POST /partner-requests` with `body`, which must be kept.
    pub async fn asks(api: &Api, body: &Value) -> Customer {
        let made = api
            .request(Method::POST, "/partner-requests")
            .json(body)
            .checked()
            .await;
        assert_eq!(made.status(), 201, "{}", made.text());
        Customer {
            id: made.body["id"].as_str().unwrap().to_owned(),
            token: made.body["token"].as_str().unwrap().to_owned(),
            email: body["contact"]["email"].as_str().unwrap().to_owned(),
        }
    }

    /// `method` on `/partner-requests/{id}{rest}` with the token.
    pub async fn call(&self, api: &Api, method: Method, rest: &str, body: Option<Value>) -> Answer {
        let mut request = api
            .request(method, &format!("/partner-requests/{}{rest}", self.id))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.checked().await
    }

    /// `POST …/email/verify` with `code` (and no `link_base`).
    pub async fn verify(&self, api: &Api, code: &str) -> Answer {
        let body = json!({ "code": code });
        self.call(api, Method::POST, "/email/verify", Some(body))
            .await
    }

    /// The code in the newest email proving this customer's address (of
    /// several customers' codes, which arrives first is not fixed).
    pub async fn newest_code(&self, api: &Api) -> String {
        api.outbox()
            .await
            .iter()
            .rev()
            .find(|e| e.kind == "request_code" && e.to == self.email)
            .expect("a code emailed")
            .code()
    }

    /// Asks for a code, and types the one emailed: the answer.
    pub async fn proves_address(&self, api: &Api, link_base: &str) -> Answer {
        let sent = self.call(api, Method::POST, "/email/code", None).await;
        assert_eq!(sent.status(), 202, "{}", sent.text());
        let code = self.newest_code(api).await;
        let body = json!({"code": code, "link_base": link_base});
        self.call(api, Method::POST, "/email/verify", Some(body))
            .await
    }
}

/// An approved partner in Germany of `model` (`direct_partner`,
/// `indirect_reseller`), named `company`, its admin `admin`, its MPN ID
/// `mpn`, with the CSP tenant `csp` and the corporate tenant `corporate`
/// ("" for none). Direct enrollment is opened for it.
pub async fn partner_with_tenants(
    api: &Api,
    model: &str,
    (mpn, admin, company): (&str, &str, &str),
    (csp, corporate): (&str, &str),
) {
    api.operator(&["program", "set", "--direct-enrollment", "open"])
        .await
        .unwrap();
    let mut answers = super::complete();
    answers["model"] = json!(model);
    answers["mpn_id"] = json!(mpn);
    answers["admin"]["email"] = json!(admin);
    answers["company"]["legal_name"] = json!(company);
    answers["tenant"] = json!({"csp_domain": csp, "corporate_domain": corporate});
    super::account::approve_answers(api, &answers)
        .await
        .unwrap();
}
