//! The applicant's inbox: the emails the API delivered to the test relay,
//! and what the tests read in them (codes, temporary passwords).

use crate::waiting::eventually;
use crate::Stack;
use test_relay::mail::Mail;

impl Stack {
    /// The emails that arrived so far, oldest first.
    pub fn inbox(&self) -> Vec<Mail> {
        self.relay.messages().iter().map(Mail::from).collect()
    }

    /// The newest email of `kind` (to `to`, when given) once more than
    /// `before` of them arrived, waiting for it as a person waits for
    /// their mail.
    pub async fn mail_to(&self, kind: &str, to: Option<&str>, before: usize) -> Mail {
        let what = format!("email {} of kind {kind} arrived for {to:?}", before + 1);
        eventually(what, async || {
            let inbox = self.inbox();
            let mine: Vec<&Mail> = inbox
                .iter()
                .filter(|m| m.kind == kind && to.is_none_or(|to| m.to.eq_ignore_ascii_case(to)))
                .collect();
            match mine.get(before..).and_then(<[_]>::last) {
                Some(newest) => Ok((*newest).clone()),
                // What did arrive, kind and address.
                None => Err(inbox
                    .iter()
                    .map(|m| (m.kind.clone(), m.to.clone()))
                    .collect::<Vec<_>>()),
            }
        })
        .await
    }

    /// The code in the newest email proving an admin address, once more
    /// than `sent_before` such emails arrived.
    pub async fn admin_code(&self, sent_before: usize) -> String {
        self.mail_to("admin_code", None, sent_before).await.code()
    }

    /// The temporary password in the newest email giving one to `to`
    /// (English or Chinese), waiting for it to arrive.
    pub async fn temporary_password(&self, to: &str) -> String {
        self.mail_to("temporary_password", Some(to), 0)
            .await
            .temporary_password()
    }

    /// How many admin codes arrived so far.
    pub async fn admin_codes_sent(&self) -> usize {
        let inbox = self.inbox();
        inbox.iter().filter(|m| m.kind == "admin_code").count()
    }
}
