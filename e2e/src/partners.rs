//! Partners customers can find, and the find-a-partner page a customer
//! uses.

use crate::Stack;

impl Stack {
    /// The example application (Contoso Ltd, jane.doe@contoso.com)
    /// approved, its business profile published as its admin would: in
    /// Berlin, for Azure and Microsoft 365 in healthcare, companies of
    /// 50–99, in German, English and Chinese.
    pub async fn published_partner(&self) {
        let (id, _) = self.submitted_application().await;
        self.operator(&["review", "start", &id]).await;
        self.operator(&["review", "approve", &id]).await;
        self.publish_profile().await;
    }

    /// The business profile of the approved example account published,
    /// as its admin would (see `published_partner`).
    pub async fn publish_profile(&self) {
        let store = enroll_api::store::Store::open(&self.database)
            .await
            .expect("the database");
        let admin = store
            .user_by_email("jane.doe@contoso.com")
            .await
            .expect("read")
            .expect("the account's admin");
        let profile: enroll_core::business_profile::BusinessProfile =
            serde_json::from_value(serde_json::json!({
                "description": "Cloud migrations for hospitals and clinics.",
                "website": "https://contoso.com",
                "industries": ["healthcare"],
                "products": ["azure", "microsoft_365"],
                "services": ["migration"],
                "customer_sizes": ["50_99"],
                "languages": ["de", "en", "zh"],
                "locations": [{"country": "DE", "lines": ["Unter den Linden 1"],
                    "locality": "Berlin", "postal_code": "10117"}],
                "referral_contact": admin.id,
                "published": true
            }))
            .expect("a profile");
        let body = serde_json::to_string(&profile).expect("json");
        let contact = profile.referral_contact.clone();
        store
            .save_business_profile(&admin.account_id, None, body, true, contact)
            .await
            .expect("saved");
    }

    /// A customer (Li Wei, li.wei@adatum.com) asks for a partner over
    /// HTTP, as the find-a-partner page does, and proves the address with
    /// the code from the inbox: the link to the request's page emailed
    /// (opening `/find-partner.html`).
    pub async fn customer_asked_and_proved(&self) -> String {
        use serde_json::{json, Value};
        let http = reqwest::Client::new();
        let request = json!({
            "locale": "en-US",
            "needs": {"products": ["azure"], "industry": "healthcare", "company_size": "50_99",
                "country": "DE", "city": "Berlin", "description": "Move our patient records to Azure."},
            "contact": {"name": "Li Wei", "email": "li.wei@adatum.com", "phone": "+49 30 1234567"},
            "consent_to_share": true
        });
        let post = |path: String, token: Option<String>, body: Value| {
            let mut call = http
                .post(self.url(&format!("/api/v1{path}")))
                .header("Content-Type", "application/json")
                .body(body.to_string());
            if let Some(token) = token {
                call = call.header("Authorization", format!("Bearer {token}"));
            }
            call.send()
        };
        let made = post("/partner-requests".into(), None, request)
            .await
            .expect("sent");
        assert_eq!(made.status(), 201);
        let made: Value = serde_json::from_str(&made.text().await.expect("a body")).expect("json");
        let (id, token) = (
            made["id"].as_str().expect("id"),
            made["token"].as_str().expect("token"),
        );
        let code = post(
            format!("/partner-requests/{id}/email/code"),
            Some(token.into()),
            json!({}),
        )
        .await
        .expect("sent");
        assert_eq!(code.status(), 202);
        let code = self
            .mail_to("request_code", Some("li.wei@adatum.com"), 0)
            .await
            .code();
        let body = json!({"code": code, "link_base": self.url("/find-partner.html")});
        let proven = post(
            format!("/partner-requests/{id}/email/verify"),
            Some(token.into()),
            body,
        )
        .await
        .expect("sent");
        assert_eq!(proven.status(), 200);
        let link = self
            .mail_to("request_link", Some("li.wei@adatum.com"), 0)
            .await;
        link.body
            .split_whitespace()
            .find(|w| w.contains("#partner-request="))
            .expect("the link")
            .to_owned()
    }

    /// Opens the find-a-partner page the API serves on its own
    /// (`/find-partner.html`), once its countries are there.
    pub async fn open_find_partner(&self) {
        self.browser
            .goto(&self.url("/find-partner.html"))
            .await
            .expect("opens");
        self.wait_for("#f-needs-country option[value='DE']").await;
    }

    /// The example application as a direct partner's (Contoso Ltd in
    /// Germany, jane.doe@contoso.com), its tenants contoso.onmicrosoft.com
    /// for CSP transactions and contosocorp.onmicrosoft.com for its own
    /// use; direct enrollment opened for it.
    pub async fn direct_partner_answers(&self) -> enroll_core::Answers {
        self.operator(&["program", "set", "--direct-enrollment", "open"])
            .await;
        let mut answers = enroll_core::Answers::example();
        answers.model = Some(enroll_core::PartnerModel::DirectPartner);
        answers.tenant.corporate_domain = "contosocorp.onmicrosoft.com".into();
        answers
    }

    /// The customer of the invitation `link` (its admin `email`) accepts
    /// it over HTTP, as its page does: the address proven with the code
    /// from the inbox, `company` in Germany with `tenant`.
    pub async fn customer_accepted(
        &self,
        link: &str,
        email: &str,
        (company, tenant): (&str, &str),
    ) {
        use serde_json::{json, Value};
        let (id, token) = link
            .split_once("#invitation=")
            .and_then(|(_, opened)| opened.split_once('.'))
            .expect("an invitation's link");
        let http = reqwest::Client::new();
        let post = |what: &str, body: Value| {
            http.post(self.url(&format!("/api/v1/invitations/{id}/{what}")))
                .header("Content-Type", "application/json")
                .header("Authorization", format!("Bearer {token}"))
                .body(body.to_string())
                .send()
        };
        let asked = post("email/code", json!({"email": email}))
            .await
            .expect("sent");
        assert_eq!(asked.status(), 202);
        let code = self.mail_to("customer_code", Some(email), 0).await.code();
        let proven = post("email/verify", json!({"code": code}))
            .await
            .expect("sent");
        assert_eq!(proven.status(), 200);
        let company = json!({"company_name": company, "country": "DE", "tenant_domain": tenant});
        let accepted = post("accept", company).await.expect("sent");
        assert_eq!(accepted.status(), 200, "{:?}", accepted.text().await);
    }

    /// Another approved partner, an indirect reseller in the United
    /// Kingdom (Northwind Traders Ltd, the demo directory's MPN ID 3456789,
    /// admin ana@northwind.com), which
    /// uses northwindcsp.onmicrosoft.com for CSP transactions and
    /// northwind.onmicrosoft.com for its own use.
    pub async fn another_approved_partner(&self) {
        let mut answers = enroll_core::Answers::example();
        answers.mpn_id = "3456789".into();
        answers.company.legal_name = "Northwind Traders Ltd".into();
        answers.address = enroll_core::Address {
            country: "GB".into(),
            lines: vec!["1 High Street".into()],
            locality: "London".into(),
            postal_code: "SW1A 1AA".into(),
            ..enroll_core::Address::default()
        };
        answers.company.website = "https://northwind.com".into();
        answers.bank.account_holder = "Northwind Traders Ltd".into();
        answers.admin.email = "ana@northwind.com".into();
        answers.tenant.csp_domain = "northwindcsp.onmicrosoft.com".into();
        answers.tenant.corporate_domain = "northwind.onmicrosoft.com".into();
        let (id, _) = self.submitted_application_of(&answers).await;
        self.operator(&["review", "start", &id]).await;
        self.operator(&["review", "approve", &id]).await;
    }
}
