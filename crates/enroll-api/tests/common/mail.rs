//! The outbox and the relay's inbox: the emails a test reads, and waits
//! for, as a person reads their mail.

use enroll_api::store::Delivery;
use reqwest::Method;
use serde_json::json;
use std::time::Duration;
use test_relay::mail::Mail;

use super::wait::{eventually, PATIENCE};
use super::{complete, Api, Checked};

/// How long a test waits for an email to arrive: as long as for anything.
pub const MAIL_PATIENCE: Duration = PATIENCE;

impl Api {
    /// The emails that arrived, oldest first, once everything queued was
    /// handed over, but for the admin codes the harness asked for itself
    /// (`create` proves every admin address): the emails a test is about.
    pub async fn outbox(&self) -> Vec<Mail> {
        let mut emails = self.all_emails().await;
        emails.retain(|e| e.kind != "admin_code");
        emails
    }

    /// Every email that arrived at the relay, oldest first, once nothing
    /// is queued or being sent; every email queued must have arrived (a
    /// test of "nothing was sent" fails on one queued and failed too).
    pub async fn all_emails(&self) -> Vec<Mail> {
        self.settle().await;
        let rows = self.outbox_rows().await;
        let undelivered: Vec<_> = rows.iter().filter(|r| r.state != Delivery::Sent).collect();
        assert!(
            undelivered.is_empty(),
            "emails not delivered: {undelivered:#?}"
        );
        let arrived = self.relay.messages();
        assert_eq!(arrived.len(), rows.len(), "each email arrived once");
        arrived.iter().map(Mail::from).collect()
    }

    /// Waits until the outbox has no email queued or being sent (each was
    /// handed over, or is waiting for a retry, or was given up).
    pub async fn settle(&self) {
        let what = "every email queued handed over (or put off, or given up)";
        eventually(what, || async {
            let rows = self.outbox_rows().await;
            let pending: Vec<_> = rows
                .into_iter()
                .filter(|e| matches!(e.state, Delivery::Queued | Delivery::Sending))
                .collect();
            if pending.is_empty() {
                Ok(())
            } else {
                Err(pending)
            }
        })
        .await
    }

    /// The outbox table as the operator's `enroll-api outbox` reads it.
    pub async fn outbox_rows(&self) -> Vec<enroll_api::store::Email> {
        self.server.store.outbox(None).await.unwrap()
    }

    /// Waits until email `id` of the outbox is in `state`, and returns it.
    pub async fn email_reaches(&self, id: i64, state: Delivery) -> enroll_api::store::Email {
        self.email_when(id, &format!("{state:?}"), |row| row.state == state)
            .await
    }

    /// Waits until email `id` of the outbox is as `wanted` says (`what`
    /// words it for a failure), and returns it.
    pub async fn email_when(
        &self,
        id: i64,
        what: &str,
        wanted: impl Fn(&enroll_api::store::Email) -> bool,
    ) -> enroll_api::store::Email {
        eventually(&format!("email #{id} {what}"), || async {
            let rows = self.outbox_rows().await;
            let row = rows.into_iter().find(|e| e.id == id).expect("the email");
            if wanted(&row) {
                Ok(row)
            } else {
                Err(row)
            }
        })
        .await
    }
}

/// The example application's admin, whom its emails go to.
pub const JANE: &str = "jane.doe@contoso.com";

/// Sends given up after 4 s (a debug build's TLS handshake on a busy
/// machine fits): for the tests of a relay that never answers.
pub fn short_timeout(options: &mut enroll_api::ServeOptions) {
    if let Some(relay) = &mut options.mail.relay {
        relay.timeout = Duration::from_secs(4);
    }
}

/// A draft created over HTTP, its admin address not yet proven (no code
/// asked for): its id and token.
pub async fn unproven_draft(api: &Api) -> (String, String) {
    let created = api.request(Method::POST, "/applications").json(&complete());
    let created = created.checked().await;
    assert_eq!(created.status(), 201);
    let field = |name: &str| created.body[name].as_str().unwrap().to_owned();
    (field("id"), field("resume_token"))
}

/// Asks `/applications/{id}/{path}` for an email (a code, a link): 202.
pub async fn ask(api: &Api, id: &str, token: &str, path: &str) {
    let asked = api
        .request(Method::POST, &format!("/applications/{id}/{path}"))
        .bearer_auth(token)
        .json(&json!({}))
        .checked()
        .await;
    assert_eq!(asked.status(), 202, "{}", asked.text());
}

/// The newest outbox row of `kind`.
pub async fn newest(api: &Api, kind: &str) -> enroll_api::store::Email {
    let rows = api.outbox_rows().await;
    rows.into_iter()
        .rev()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} email queued"))
}

/// Waits until the email's row has made `attempts` attempts.
pub async fn attempted(api: &Api, id: i64, attempts: u32) -> enroll_api::store::Email {
    let what = format!("attempted {attempts} time(s)");
    api.email_when(id, &what, |row| {
        row.attempts >= attempts && row.state != Delivery::Sending
    })
    .await
}
