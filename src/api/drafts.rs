//! The applicant's own application: create, read, save, submit, the
//! resume email and the review status. Each call needs the draft's token.

use super::{new_idempotency_key, read, ApiClient, ApiFailure, DraftRef, Saved, StatusView};
use enroll_core::{Answers, Application, Locale, ProviderRequest};
use serde::Deserialize;

impl ApiClient {
    /// Creates the draft (on the first Continue).
    pub async fn create(
        &self,
        answers: &Answers,
        locale: Locale,
    ) -> Result<(DraftRef, Saved), ApiFailure> {
        let mut body = serde_json::to_value(answers).map_err(|_| ApiFailure::Unreadable)?;
        body["locale"] = serde_json::Value::String(locale.tag().to_owned());
        let response = self
            .request("POST", "/applications", locale, None)
            .json(&body)
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (value, etag): (serde_json::Value, _) = read(response).await?;
        let token = value["resume_token"]
            .as_str()
            .ok_or(ApiFailure::Unreadable)?
            .to_owned();
        let application: Application =
            serde_json::from_value(value).map_err(|_| ApiFailure::Unreadable)?;
        let draft = DraftRef {
            id: application.id.clone(),
            token,
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
        let response = self
            .request(
                "GET",
                &format!("/applications/{}", draft.id),
                locale,
                Some(draft),
            )
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (application, etag) = read(response).await?;
        Ok(Saved {
            application,
            etag: etag.unwrap_or_default(),
        })
    }

    /// Autosave with If-Match; 412 comes back as a `Status` failure.
    pub async fn save(
        &self,
        draft: &DraftRef,
        etag: &str,
        answers: &Answers,
        locale: Locale,
    ) -> Result<Saved, ApiFailure> {
        let mut body = serde_json::to_value(answers).map_err(|_| ApiFailure::Unreadable)?;
        body["locale"] = serde_json::Value::String(locale.tag().to_owned());
        let response = self
            .request(
                "PUT",
                &format!("/applications/{}", draft.id),
                locale,
                Some(draft),
            )
            .header("If-Match", etag)
            .json(&body)
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

    /// Submits exactly the version `etag` names; the same `key` always gets
    /// the same answer, so a retry or a double click submits once.
    pub async fn submit(
        &self,
        draft: &DraftRef,
        etag: &str,
        key: &str,
        locale: Locale,
    ) -> Result<Saved, ApiFailure> {
        let response = self
            .request(
                "POST",
                &format!("/applications/{}/submit", draft.id),
                locale,
                Some(draft),
            )
            .header("If-Match", etag)
            .header("Idempotency-Key", key)
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        let (application, etag) = read(response).await?;
        Ok(Saved {
            application,
            etag: etag.unwrap_or_default(),
        })
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
            .json(&serde_json::json!({ "link_base": link_base }))
            .map_err(|_| ApiFailure::Unreadable)?
            .send()
            .await
            .map_err(|_| ApiFailure::Unreachable)?;
        read::<serde_json::Value>(response).await.map(|_| ())
    }

    /// This applicant's partnership requests, oldest first.
    pub async fn partnership_requests(
        &self,
        draft: &DraftRef,
        locale: Locale,
    ) -> Result<Vec<ProviderRequest>, ApiFailure> {
        #[derive(Deserialize)]
        struct Requests {
            items: Vec<ProviderRequest>,
        }
        let list: Requests = self
            .get(
                &format!("/applications/{}/provider-requests", draft.id),
                locale,
                Some(draft),
            )
            .await?;
        Ok(list.items)
    }

    pub async fn status(&self, draft: &DraftRef, locale: Locale) -> Result<StatusView, ApiFailure> {
        self.get(
            &format!("/applications/{}/status", draft.id),
            locale,
            Some(draft),
        )
        .await
    }
}
