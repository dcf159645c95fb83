//! A received message read back with mail-parser.

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

/// A received message, parsed (see [`crate::Received::parsed`]).
#[derive(Clone, Debug)]
pub struct Parsed {
    message: Message<'static>,
}

impl Parsed {
    pub(crate) fn new(data: &[u8]) -> Parsed {
        let message = MessageParser::default()
            .parse(data)
            .expect("test-relay: mail-parser cannot parse the message")
            .into_owned();
        Parsed { message }
    }

    /// The subject, RFC 2047 encoded words decoded; empty if none.
    pub fn subject(&self) -> String {
        self.message.subject().unwrap_or_default().to_owned()
    }

    /// The value of the first header called `name` (ASCII case-insensitive),
    /// as it was sent, unfolded and trimmed (encoded words are left
    /// encoded), e.g. for "Message-ID", "Content-Language",
    /// "Auto-Submitted", "Date", "From", "To", "Reply-To".
    pub fn header(&self, name: &str) -> Option<String> {
        let header = self
            .message
            .headers()
            .iter()
            .find(|header| header.name().eq_ignore_ascii_case(name))?;
        let raw = self
            .message
            .raw_message
            .get(header.offset_start() as usize..header.offset_end() as usize)?;
        let value = String::from_utf8_lossy(raw);
        let unfolded: Vec<&str> = value
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        Some(unfolded.join(" "))
    }

    /// The Message-ID, without angle brackets.
    pub fn message_id(&self) -> Option<String> {
        self.message.message_id().map(str::to_owned)
    }

    /// The text/plain body part, decoded (transfer encoding and charset).
    pub fn text(&self) -> Option<String> {
        self.body(&self.message.text_body, "plain")
    }

    /// The text/html body part, decoded (transfer encoding and charset).
    pub fn html(&self) -> Option<String> {
        self.body(&self.message.html_body, "html")
    }

    /// The top-level content type, lowercase, e.g. "multipart/alternative"
    /// ("text/plain" when the message has none).
    pub fn content_type(&self) -> String {
        match self.message.content_type() {
            Some(content_type) => match &content_type.c_subtype {
                Some(subtype) => format!("{}/{}", content_type.c_type, subtype),
                None => content_type.c_type.to_string(),
            }
            .to_ascii_lowercase(),
            None => "text/plain".to_owned(),
        }
    }

    /// The first of the body parts `ids` that really is text/`subtype`
    /// (mail-parser lists an HTML part among the text bodies when there is
    /// no plain one, and the other way round; those are skipped).
    fn body(&self, ids: &[u32], subtype: &str) -> Option<String> {
        ids.iter().find_map(|&id| {
            let part = self.message.part(id)?;
            if !is_text(part, subtype) {
                return None;
            }
            match &part.body {
                PartType::Text(text) | PartType::Html(text) => Some(text.to_string()),
                _ => None,
            }
        })
    }
}

/// Whether `part` is text/`subtype` (no Content-Type counts as text/plain).
fn is_text(part: &MessagePart<'_>, subtype: &str) -> bool {
    match part.content_type() {
        None => subtype == "plain",
        Some(content_type) => {
            content_type.c_type.eq_ignore_ascii_case("text")
                && content_type
                    .c_subtype
                    .as_deref()
                    .is_some_and(|s| s.eq_ignore_ascii_case(subtype))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = "From: =?utf-8?b?5rWL6K+V?= <from@example.com>\r\n\
        To: to@example.com\r\n\
        Subject: =?utf-8?b?5oKo55qE55Sz6K+35bey5pS25Yiw?=\r\n\
        Message-ID: <abc@example.com>\r\n\
        Auto-Submitted: auto-generated\r\n\
        X-Folded: one\r\n two\r\n\
        MIME-Version: 1.0\r\n\
        Content-Type: multipart/alternative; boundary=\"b\"\r\n\
        \r\n\
        --b\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\
        \r\n\
        caf=C3=A9\r\n\
        --b\r\n\
        Content-Type: text/html; charset=utf-8\r\n\
        \r\n\
        <p>caf\u{e9}</p>\r\n\
        --b--\r\n";

    #[test]
    fn reads_back_headers_and_parts() {
        let parsed = Parsed::new(MESSAGE.as_bytes());
        assert_eq!(parsed.subject(), "您的申请已收到");
        assert_eq!(parsed.message_id().as_deref(), Some("abc@example.com"));
        assert_eq!(
            parsed.header("auto-submitted").as_deref(),
            Some("auto-generated")
        );
        assert_eq!(parsed.header("X-FOLDED").as_deref(), Some("one two"));
        assert_eq!(parsed.header("To").as_deref(), Some("to@example.com"));
        assert_eq!(parsed.header("Reply-To"), None);
        assert_eq!(parsed.content_type(), "multipart/alternative");
        assert_eq!(parsed.text().as_deref(), Some("café"));
        assert_eq!(parsed.html().as_deref().map(str::trim), Some("<p>café</p>"));
    }

    #[test]
    fn plain_only_has_no_html() {
        let parsed = Parsed::new(b"Subject: hi\r\n\r\nbody\r\n");
        assert_eq!(parsed.content_type(), "text/plain");
        assert_eq!(parsed.text().as_deref().map(str::trim), Some("body"));
        assert_eq!(parsed.html(), None);
    }
}
