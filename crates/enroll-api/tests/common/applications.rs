//! The application's routes as the applicant's app calls them: a draft
//! created (its admin address proven), read, saved, submitted.

use reqwest::Method;
use serde_json::{json, Value};

use super::{Answer, Api, Checked};

/// A draft as the API answered its creation.
pub struct Draft {
    pub id: String,
    pub token: String,
    pub etag: String,
    pub body: Value,
}

/// The statuses an application went through, oldest first, as its status
/// answer lists them.
pub fn history_of(status: &Value) -> Vec<&str> {
    let history = status["history"].as_array().unwrap();
    history
        .iter()
        .map(|h| h["status"].as_str().unwrap())
        .collect()
}

/// Answers naming only an admin address (and a first name).
pub fn with_admin(email: &str) -> Value {
    json!({"admin": {"email": email, "first_name": "Jane"}})
}

/// The contract's example application (valid).
pub fn complete() -> Value {
    json!({
        "model": "indirect_reseller",
        "mpn_id": "1234567",
        "company": {"legal_name": "Contoso Ltd", "website": "https://contoso.com"},
        "address": {"country": "DE", "lines": ["Unter den Linden 1"], "locality": "Berlin", "postal_code": "10117"},
        "bank": {"country": "DE", "account_holder": "Contoso Ltd", "iban": "DE89 3704 0044 0532 0130 00", "bic": "COBADEFFXXX"},
        "admin": {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@contoso.com"},
        "tenant": {"csp_domain": "contoso.onmicrosoft.com"},
        "attestations": {"no_resale_to_csp_partners": true, "terms_accepted": true}
    })
}

impl Api {
    pub async fn create(&self, answers: &Value) -> Draft {
        let response = self
            .request(Method::POST, "/applications")
            .json(answers)
            .checked()
            .await;
        assert_eq!(response.status(), 201);
        let etag = response.etag();
        let body = response.body;
        let draft = Draft {
            id: body["id"].as_str().unwrap().to_owned(),
            token: body["resume_token"].as_str().unwrap().to_owned(),
            etag,
            body,
        };
        // Every test's applicant proves the admin address, as the wizard
        // has them do before sending (tests of the proof itself change or
        // clear the address afterwards).
        let email = answers["admin"]["email"].as_str().unwrap_or_default();
        if enroll_core::email::parse_email(email).is_some() {
            self.confirm_admin_email(&draft).await;
        }
        draft
    }

    /// Proves the draft's admin address as an applicant does: asks for a
    /// code, reads it in the inbox, types it back.
    pub async fn confirm_admin_email(&self, draft: &Draft) {
        let sent = self.send_admin_code(draft).await;
        assert_eq!(sent.status(), 202, "{}", sent.text());
        let code = self.last_admin_code().await;
        let verified = self.verify_admin_code(draft, &code).await;
        assert_eq!(verified.status(), 200, "{}", verified.text());
    }

    pub async fn send_admin_code(&self, draft: &Draft) -> Answer {
        self.request(
            Method::POST,
            &format!("/applications/{}/admin-email/code", draft.id),
        )
        .bearer_auth(&draft.token)
        .checked()
        .await
    }

    pub async fn verify_admin_code(&self, draft: &Draft, code: &str) -> Answer {
        self.request(
            Method::POST,
            &format!("/applications/{}/admin-email/verify", draft.id),
        )
        .bearer_auth(&draft.token)
        .json(&serde_json::json!({ "code": code }))
        .checked()
        .await
    }

    /// The code in the latest admin-code email that arrived.
    pub async fn last_admin_code(&self) -> String {
        let emails = self.all_emails().await;
        let email = emails
            .iter()
            .rev()
            .find(|e| e.kind == "admin_code")
            .expect("an admin code email");
        email.code()
    }

    pub async fn get(&self, draft: &Draft) -> (String, Value) {
        let response = self
            .request(Method::GET, &format!("/applications/{}", draft.id))
            .bearer_auth(&draft.token)
            .checked()
            .await;
        assert_eq!(response.status(), 200);
        (response.etag(), response.body)
    }

    pub async fn put(&self, draft: &Draft, etag: &str, answers: &Value) -> Answer {
        self.request(Method::PUT, &format!("/applications/{}", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", etag)
            .json(answers)
            .checked()
            .await
    }

    pub async fn submit(&self, draft: &Draft, etag: &str, key: &str) -> Answer {
        self.request(Method::POST, &format!("/applications/{}/submit", draft.id))
            .bearer_auth(&draft.token)
            .header("If-Match", etag)
            .header("Idempotency-Key", key)
            .checked()
            .await
    }

    pub async fn status(&self, draft: &Draft) -> Value {
        let url = format!("/applications/{}/status", draft.id);
        let request = self.request(Method::GET, &url).bearer_auth(&draft.token);
        request.checked().await.body
    }

    /// `POST /validate` of `answers`, its report.
    pub async fn validate(&self, answers: &Value) -> Value {
        let request = self.request(Method::POST, "/validate").json(answers);
        request.checked().await.body
    }
}
