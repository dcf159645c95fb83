//! The MIME message of an outbox email: what the relay receives, and what
//! `--mail-dir` writes as a `.eml` file. Every header is ours or fixed per
//! kind and language, but the To address (validated before it was
//! queued, parsed again here).

use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;
use std::time::{Duration, UNIX_EPOCH};

use crate::store::Claimed;

/// Who the emails are from (`--mail-from`) and where answers go
/// (`--reply-to`).
#[derive(Clone, Debug)]
pub struct Identity {
    pub from: Mailbox,
    pub reply_to: Option<Mailbox>,
}

impl Identity {
    /// The sender used when none is given (`--mail-dir` alone, tests).
    pub fn development() -> Self {
        Self {
            from: Mailbox::new(
                Some("CSP enrollment".into()),
                "no-reply@csp-enroll.localhost"
                    .parse()
                    .expect("a valid address"),
            ),
            reply_to: None,
        }
    }

    /// The right side of every Message-ID: the sender's domain.
    fn domain(&self) -> &str {
        self.from.email.domain()
    }
}

/// `Content-Language` (RFC 3282): the language the words are in.
#[derive(Clone, Debug)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): no vacation replies, no
/// loops with auto-responders.
#[derive(Clone, Debug)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_owned())
    }
}

/// The Message-ID of an outbox email: its left part fixed when queued,
/// the sender's domain on the right.
pub fn message_id(email: &Claimed, identity: &Identity) -> String {
    format!("<{}@{}>", email.message_id, identity.domain())
}

/// The message for `email`; an error (said for the operator) when its To
/// address is not one a relay can take.
pub fn build(email: &Claimed, identity: &Identity) -> Result<Message, String> {
    let to: lettre::Address = email
        .to
        .trim()
        .parse()
        .map_err(|e| format!("not sent: the address is not deliverable ({e})"))?;
    // Locale tags are ours (en-US, zh-CN); anything else is dropped.
    let language = if email
        .locale
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        email.locale.clone()
    } else {
        "en-US".to_owned()
    };
    let mut builder = Message::builder()
        .from(identity.from.clone())
        .to(Mailbox::new(None, to))
        .subject(email.subject.clone())
        // The time it was queued: a resend is the same message.
        .date(UNIX_EPOCH + Duration::from_secs(email.queued_at))
        .message_id(Some(message_id(email, identity)))
        .header(ContentLanguage(language))
        .header(AutoSubmitted);
    if let Some(reply_to) = &identity.reply_to {
        builder = builder.reply_to(reply_to.clone());
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            email.body.clone(),
            email.html.clone(),
        ))
        .map_err(|e| format!("not sent: the message could not be made ({e})"))
}
