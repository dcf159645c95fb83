//! The product's emails as their reader sees them: which kind each is (its
//! subject, fixed per kind and language), the code or temporary password
//! in it. What the API tests and the end-to-end tests both read.

use enroll_core::outbox::EmailKind;
use enroll_core::{Catalog, Locale};

use crate::{Parsed, Received};

/// One email as it arrived.
#[derive(Clone, Debug)]
pub struct Mail {
    /// `admin_code`, `temporary_password`, `resume` or `status` (from
    /// the subject); `unknown` for any other.
    pub kind: String,
    /// The envelope's recipient.
    pub to: String,
    /// The decoded subject.
    pub subject: String,
    /// The text/plain part, lines ending in `\n`.
    pub body: String,
    /// The text/html part, lines ending in `\n`.
    pub html: String,
    /// The Message-ID, without angle brackets.
    pub message_id: String,
    /// The whole message, parsed.
    pub parsed: Parsed,
    /// Whether it came over TLS.
    pub tls: bool,
}

/// The kind of email `subject` is the subject of, in either language.
pub fn kind_of(subject: &str) -> &'static str {
    for locale in Locale::ALL {
        let catalog = Catalog::get(locale);
        for key in catalog.keys() {
            let Some(kind) = key
                .strip_prefix("email.")
                .and_then(|k| k.strip_suffix(".subject"))
            else {
                continue;
            };
            if catalog.text_of(key) == subject {
                let kind = kind.split('.').next().unwrap_or_default();
                return EmailKind::parse(kind).map_or("unknown", EmailKind::as_str);
            }
        }
    }
    "unknown"
}

impl From<&Received> for Mail {
    fn from(received: &Received) -> Mail {
        let parsed = received.parsed();
        let subject = parsed.subject();
        Mail {
            kind: kind_of(&subject).to_owned(),
            to: received.to.first().cloned().unwrap_or_default(),
            // Lines as a mail program shows them (CRLF on the wire).
            body: parsed.text().unwrap_or_default().replace("\r\n", "\n"),
            html: parsed.html().unwrap_or_default().replace("\r\n", "\n"),
            message_id: parsed.message_id().unwrap_or_default(),
            subject,
            parsed,
            tls: received.tls,
        }
    }
}

impl Mail {
    /// The 6-digit code in it, as a person would copy it.
    pub fn code(&self) -> String {
        self.body
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == 6)
            .unwrap_or_else(|| panic!("no 6-digit code in {:?}", self.body))
            .to_owned()
    }

    /// The temporary password in it, in English or in Chinese.
    pub fn temporary_password(&self) -> String {
        self.body
            .lines()
            .find_map(|line| {
                line.strip_prefix("Temporary password: ")
                    .or_else(|| line.strip_prefix("临时密码："))
            })
            .unwrap_or_else(|| panic!("no temporary password in {:?}", self.body))
            .trim()
            .to_owned()
    }
}
