//! The wizard walk's answers, page by page, as the tests give them through
//! the pages; and an application submitted over HTTP, for the tests that
//! start after it.

use crate::Stack;
use serde_json::{json, Value};

impl Stack {
    /// Opens the app, presses "Start now" and chooses how the company sells
    /// (`indirect` or `direct`).
    pub async fn open_and_choose(&self, model: &str) {
        self.browser
            .goto(&self.url("/"))
            .await
            .expect("the page opens");
        self.start_as(model).await;
    }

    /// A new application for an indirect reseller, saved with its MPN ID, on
    /// the company page.
    pub async fn at_the_company_page(&self) {
        self.open_and_choose("indirect").await;
        self.answer_mpn_id("1234567").await;
    }

    /// From the start page: "Start now", the way of selling (`indirect`
    /// or `direct`), Continue.
    pub async fn start_as(&self, model: &str) {
        self.click(".csp-button--start").await;
        self.click(&format!("#f-model-{model}")).await;
        self.click("button[type=submit]").await;
    }

    /// Answers the MPN ID question with `mpn`, on to the company page,
    /// once the draft is saved.
    pub async fn answer_mpn_id(&self, mpn: &str) {
        self.fill("#f-mpn_id", mpn).await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "Your company").await;
        self.wait_for_text(".csp-save-state", "Your answers are saved")
            .await;
    }

    /// Answers the company page (a German company), on to the bank page.
    pub async fn answer_company(&self) {
        self.wait_for_text("h1", "Your company").await;
        self.fill("#f-company-legal_name", "Contoso Ltd").await;
        self.choose("#f-address-country", "DE").await;
        self.wait_for("#f-address-postal_code").await;
        self.fill("#f-address-lines-0", "Unter den Linden 1").await;
        self.fill("#f-address-locality", "Berlin").await;
        self.fill("#f-address-postal_code", "10117").await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "Where should the program pay you?")
            .await;
    }

    /// Answers the questions from the company page to Check your answers.
    pub async fn answer_company_to_tenant(&self) {
        self.answer_company().await;
        self.answer_bank_to_tenant("Contoso Ltd").await;
    }

    /// Answers the bank (a German account held by `holder`), admin and
    /// tenant pages, on to Check your answers.
    pub async fn answer_bank_to_tenant(&self, holder: &str) {
        self.answer_bank_and_admin(holder).await;
        self.confirm_admin_email().await;
        self.wait_for_text("h1", "tenants").await;
        self.fill("#f-tenant-csp_domain", "contoso.onmicrosoft.com")
            .await;
        self.click("#f-attestations-no_resale_to_csp_partners")
            .await;
        self.click("#f-attestations-terms_accepted").await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "Check your answers").await;
    }

    /// Answers the bank (a German account held by `holder`) and admin
    /// pages, on to the code page.
    pub async fn answer_bank_and_admin(&self, holder: &str) {
        self.choose("#f-bank-country", "DE").await;
        self.fill("#f-bank-account_holder", holder).await;
        self.fill("#f-bank-iban", "DE89370400440532013000").await;
        self.fill("#f-bank-bic", "COBADEFF").await;
        self.click("button[type=submit]").await;
        self.wait_for_text("h1", "admin").await;
        self.fill("#f-admin-first_name", "Jane").await;
        self.fill("#f-admin-last_name", "Doe").await;
        self.fill("#f-admin-email", "jane.doe@contoso.com").await;
        self.click("button[type=submit]").await;
    }

    /// On the code page: types the emailed code and continues.
    pub async fn confirm_admin_email(&self) {
        self.wait_for("#f-code").await;
        let code = self.admin_code(0).await;
        self.fill("#f-code", &code).await;
        self.click("button[type=submit]").await;
    }

    /// Creates and submits the contract's example application over HTTP
    /// (the wizard's own tests go through the pages): `(id, resume token)`.
    pub async fn submitted_application(&self) -> (String, String) {
        self.submitted_application_of(&enroll_core::Answers::example())
            .await
    }

    /// Creates and submits an application of `answers` over HTTP, its
    /// admin's address proven from the inbox: `(id, resume token)`.
    pub async fn submitted_application_of(
        &self,
        answers: &enroll_core::Answers,
    ) -> (String, String) {
        let answers = serde_json::to_string(answers).expect("answers");
        let http = reqwest::Client::new();
        let created = http
            .post(self.url("/api/v1/applications"))
            .header("Content-Type", "application/json")
            .body(answers)
            .send()
            .await
            .expect("create");
        assert_eq!(created.status(), 201);
        let etag = created.headers()["etag"].to_str().expect("etag").to_owned();
        let body: Value = serde_json::from_str(&created.text().await.expect("body")).expect("json");
        let id = body["id"].as_str().expect("id").to_owned();
        let token = body["resume_token"].as_str().expect("token").to_owned();
        // The admin address proven, as the wizard's code page does.
        let sent_before = self.admin_codes_sent().await;
        let asked = http
            .post(self.url(&format!("/api/v1/applications/{id}/admin-email/code")))
            .header("Authorization", format!("Bearer {token}"))
            .send()
            .await
            .expect("a code");
        assert_eq!(asked.status(), 202);
        let code = self.admin_code(sent_before).await;
        let proven = http
            .post(self.url(&format!("/api/v1/applications/{id}/admin-email/verify")))
            .header("Authorization", format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .body(json!({ "code": code }).to_string())
            .send()
            .await
            .expect("verify");
        assert_eq!(proven.status(), 200);
        let submitted = http
            .post(self.url(&format!("/api/v1/applications/{id}/submit")))
            .header("Authorization", format!("Bearer {token}"))
            .header("If-Match", etag)
            .header("Idempotency-Key", "e2e-finder")
            .send()
            .await
            .expect("submit");
        assert_eq!(submitted.status(), 200, "{:?}", submitted.text().await);
        (id, token)
    }
}
