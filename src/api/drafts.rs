//! The applicant's own application: create, read, save, submit, the
//! resume email and the review status. Each call needs the draft's token.

use super::{
    body_of, new_idempotency_key, read, read_text, ApiClient, ApiFailure, DraftRef, Saved,
};
use enroll_core::contract::{
    AdminEmailCode, AdminEmailConfirmed, AdminEmailDelivery, CreatedApplication, DraftAnswers,
    EmailCodeSent, ProviderRequests, ResumeEmailRequest, StatusHistory,
};
use enroll_core::outbox::Delivery;
use enroll_core::{Answers, Locale, ProviderRequest};
use gloo_net::http::Request;

impl ApiClient {
    /// Creates the draft (on the first Continue).
    pub async fn create(
        &self,
        answers: &Answers,
        locale: Locale,
    ) -> Result<(DraftRef, Saved), ApiFailure> {
        let response = self
            .request("POST", "/applications", locale, None)
            .json(&answers_body(answers, locale)?)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (created, etag): (serde_json::Value, _) = read(response).await?;
        let CreatedApplication {
            application,
            resume_token,
        } = CreatedApplication::from_json(created).map_err(|_| ApiFailure::Unreadable)?;
        let draft = DraftRef {
            id: application.id.clone(),
            token: resume_token,
        };
        Ok((
            draft,
            Saved {
                application,
                etag: etag.unwrap_or_default(),
            },
        ))
    }

    pub async fn load(&self, draft: &DraftRef, locale: Locale) -> Result<Saved, ApiFailure> {
        let path = format!("/applications/{}", draft.id);
        exchange(self.request("GET", &path, locale, Some(draft)).build()).await
    }

    /// Autosave with If-Match; 412 comes back as a `Status` failure.
    pub async fn save(
        &self,
        draft: &DraftRef,
        etag: &str,
        answers: &Answers,
        locale: Locale,
    ) -> Result<Saved, ApiFailure> {
        let path = format!("/applications/{}", draft.id);
        let request = self
            .request("PUT", &path, locale, Some(draft))
            .header("If-Match", etag)
            .json(&answers_body(answers, locale)?);
        exchange(request).await
    }

    /// Submits exactly the version `etag` names; the same `key` always gets
    /// the same answer, so a retry or a double click submits once.
    pub async fn submit(
        &self,
        draft: &DraftRef,
        etag: &str,
        key: &str,
        locale: Locale,
    ) -> Result<Saved, ApiFailure> {
        let path = format!("/applications/{}/submit", draft.id);
        let request = self
            .request("POST", &path, locale, Some(draft))
            .header("If-Match", etag)
            .header("Idempotency-Key", key)
            .build();
        exchange(request).await
    }

    /// Emails the resume link (`link_base` + the fragment) to the admin.
    pub async fn resume_email(
        &self,
        draft: &DraftRef,
        link_base: &str,
        locale: Locale,
    ) -> Result<(), ApiFailure> {
        let response = self
            .request(
                "POST",
                &format!("/applications/{}/resume-email", draft.id),
                locale,
                Some(draft),
            )
            // One key per press: should this request be sent again (a
            // retry, a proxy), the server queues the email once.
            .header("Idempotency-Key", &new_idempotency_key())
            .json(&body_of(&ResumeEmailRequest {
                link_base: Some(link_base.to_owned()),
            })?)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        // What was queued is not shown: the page says the link is on its way.
        read_text(response).await.map(|_| ())
    }

    /// Emails a code to the admin address of the saved answers; where it
    /// went.
    pub async fn send_admin_code(
        &self,
        draft: &DraftRef,
        locale: Locale,
    ) -> Result<String, ApiFailure> {
        let path = format!("/applications/{}/admin-email/code", draft.id);
        let response = self
            .request("POST", &path, locale, Some(draft))
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read::<EmailCodeSent>(response)
            .await
            .map(|(sent, _)| sent.to)
    }

    /// Proves the admin address with the emailed code: the address the
    /// server proved.
    pub async fn verify_admin_code(
        &self,
        draft: &DraftRef,
        code: &str,
        locale: Locale,
    ) -> Result<String, ApiFailure> {
        let path = format!("/applications/{}/admin-email/verify", draft.id);
        let response = self
            .request("POST", &path, locale, Some(draft))
            .json(&body_of(&AdminEmailCode {
                code: code.to_owned(),
            })?)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read::<AdminEmailConfirmed>(response)
            .await
            .map(|(proven, _)| proven.email)
    }

    /// Where the email with the newest code is on its way.
    pub async fn admin_code_delivery(
        &self,
        draft: &DraftRef,
        locale: Locale,
    ) -> Result<Delivery, ApiFailure> {
        let path = format!("/applications/{}/admin-email/code", draft.id);
        let answer: AdminEmailDelivery = self.get(&path, locale, Some(draft)).await?;
        Ok(answer.delivery)
    }

    /// This applicant's partnership requests, oldest first.
    pub async fn partnership_requests(
        &self,
        draft: &DraftRef,
        locale: Locale,
    ) -> Result<Vec<ProviderRequest>, ApiFailure> {
        let list: ProviderRequests = self
            .get(
                &format!("/applications/{}/provider-requests", draft.id),
                locale,
                Some(draft),
            )
            .await?;
        Ok(list.items)
    }

    pub async fn status(
        &self,
        draft: &DraftRef,
        locale: Locale,
    ) -> Result<StatusHistory, ApiFailure> {
        self.get(
            &format!("/applications/{}/status", draft.id),
            locale,
            Some(draft),
        )
        .await
    }
}

/// The answers as a save sends them, with the applicant's language (for
/// the emails the server sends later).
fn answers_body(answers: &Answers, locale: Locale) -> Result<serde_json::Value, ApiFailure> {
    DraftAnswers::json_of(answers, Some(locale.tag())).map_err(|_| ApiFailure::Unreadable)
}

/// Sends a request about the draft; the application it answers with, and
/// its ETag.
async fn exchange(request: Result<Request, gloo_net::Error>) -> Result<Saved, ApiFailure> {
    let response = request
        .map_err(|_| ApiFailure::Unreadable)?
        .send()
        .await
        .map_err(|_| ApiFailure::Unreachable)?;
    let (application, etag) = read(response).await?;
    Ok(Saved {
        application,
        etag: etag.unwrap_or_default(),
    })
}
