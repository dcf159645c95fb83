//! How the emails read when they arrive (over real SMTP, test-relay): as
//! a mail program reads them, every kind once, and nothing typed reaching
//! a header or starting a line.

use crate::common;

use test_postgres::backends;

use common::mail::{ask, JANE};
use common::{api_with_clock, complete};
use serde_json::json;

/// Every kind of email, each delivered once over STARTTLS with AUTH, read
/// back as a mail program would: both parts, the same words, the headers
/// a receiver relies on, the subject fixed and decoded (Chinese too).
#[backends]
async fn every_kind_of_email_arrives_once_as_a_mail_program_reads_it() {
    let (api, _) = api_with_clock().await;
    let mut answers = complete();
    answers["locale"] = json!("zh-CN");
    let draft = api.create(&answers).await;
    ask(&api, &draft.id, &draft.token, "resume-email").await;
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    api.operator(&["review", "approve", &draft.id])
        .await
        .unwrap();
    let emails = api.all_emails().await;
    let mut kinds: Vec<&str> = emails.iter().map(|m| m.kind.as_str()).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "admin_code",
            "resume",
            "status",
            "status",
            "status",
            "temporary_password"
        ],
        "{emails:#?}"
    );
    assert_eq!(
        api.relay.attempts().len(),
        emails.len(),
        "each handed over once"
    );
    let mut ids: Vec<&str> = emails.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), emails.len(), "a Message-ID of its own each");
    let received = api.relay.messages();
    for (mail, raw) in emails.iter().zip(&received) {
        let what = format!("{} email", mail.kind);
        assert!(raw.tls, "{what}: over STARTTLS");
        assert_eq!(
            raw.authenticated_as.as_deref(),
            Some("relay-user"),
            "{what}"
        );
        assert_eq!(mail.to, JANE, "{what}");
        let parsed = &mail.parsed;
        assert_eq!(parsed.content_type(), "multipart/alternative", "{what}");
        assert_eq!(
            parsed.header("Content-Language").as_deref(),
            Some("zh-CN"),
            "{what}"
        );
        assert_eq!(
            parsed.header("Auto-Submitted").as_deref(),
            Some("auto-generated"),
            "{what}"
        );
        assert!(parsed.header("Date").is_some(), "{what}");
        assert!(
            mail.message_id.ends_with("@csp-enroll.localhost"),
            "{what}: {}",
            mail.message_id
        );
        assert!(
            parsed
                .header("From")
                .is_some_and(|f| f.contains("no-reply@csp-enroll.localhost")),
            "{what}"
        );
        assert!(
            mail.subject
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{what}: a Chinese subject, decoded: {}",
            mail.subject
        );
        assert!(
            !mail.subject.chars().any(|c| c.is_ascii_digit()) && !mail.subject.contains("Contoso"),
            "{what}: no code and nothing typed in a subject: {}",
            mail.subject
        );
        // The same words in both parts: each line of the text is in the
        // HTML's text, under the subject as a heading.
        assert!(mail.html.contains("<html lang=\"zh-CN\">"), "{what}");
        assert!(
            mail.html.contains(&format!(
                "<h1 style=\"font-size:1.4em\">{}</h1>",
                mail.subject
            )),
            "{what}"
        );
        let shown = html_text(&mail.html);
        for line in mail.body.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                shown.contains(line),
                "{what}: {line:?} in the HTML: {shown}"
            );
        }
        assert!(!mail.html.contains("<img"), "{what}: no remote images");
        for secret in ["DE89", "3704 0044", "0532 0130", "370400440532013000"] {
            assert!(!raw_text(raw).contains(secret), "{what}: no bank detail");
        }
    }
    let resume = &emails[1];
    let link = resume
        .body
        .lines()
        .find(|l| l.starts_with("http"))
        .expect("the link");
    assert!(
        resume.html.contains(&format!(
            "<a href=\"{link}\" style=\"overflow-wrap:anywhere\">{link}</a>"
        )),
        "a real link: {}",
        resume.html
    );
    let code = emails[0].code();
    assert!(
        emails[0].html.contains(&format!(">{code}</strong>")),
        "{}",
        emails[0].html
    );
}

/// The text a browser shows of `html`: tags dropped, entities read.
fn html_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn raw_text(received: &test_relay::Received) -> String {
    String::from_utf8_lossy(&received.data).into_owned()
}

/// Names with CR/LF and the Unicode line and paragraph separators, through
/// every kind of email: nothing typed reaches a header, no line of the
/// body is started by them, and the email goes to the admin alone.
#[backends]
async fn typed_line_breaks_reach_no_header_and_start_no_line() {
    let (api, _) = api_with_clock().await;
    // A draft may hold control characters: the code and the link go out
    // from drafts.
    let mut raw = complete();
    raw["admin"]["first_name"] = json!("Jane\r\nBcc: evil@attacker.example\r\n\r\nClick");
    let draft = api.create(&raw).await;
    ask(&api, &draft.id, &draft.token, "resume-email").await;
    raw["admin"]["first_name"] = json!("Jane\u{2028}Bcc: evil@attacker.example\u{2029}Click");
    let separators = api.create(&raw).await;
    ask(&api, &separators.id, &separators.token, "resume-email").await;
    // Validation refuses line breaks in names: a submission carries what
    // it lets through, a header's words on the name's line.
    let mut submitted = complete();
    submitted["mpn_id"] = json!("7654321");
    submitted["admin"]["first_name"] = json!("Jane Bcc: evil@attacker.example");
    submitted["company"]["legal_name"] = json!("Contoso Subject: You won");
    let other = api.create(&submitted).await;
    let answer = api.submit(&other, &other.etag, "k").await;
    assert_eq!(answer.status(), 200, "{}", answer.text());
    api.operator(&["review", "start", &other.id]).await.unwrap();
    api.operator(&["review", "approve", &other.id])
        .await
        .unwrap();
    let emails = api.all_emails().await;
    let mut kinds: Vec<&str> = emails.iter().map(|m| m.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();
    assert_eq!(
        kinds,
        ["admin_code", "resume", "status", "temporary_password"]
    );
    for (mail, received) in emails.iter().zip(api.relay.messages()) {
        let what = format!("{} email", mail.kind);
        assert_eq!(received.to, [JANE], "{what}: to the admin alone");
        let text = raw_text(&received);
        let headers = text.split("\r\n\r\n").next().unwrap_or_default();
        assert!(
            !headers.contains("evil") && !headers.contains("won") && !headers.contains("Click"),
            "{what}: {headers}"
        );
        assert!(mail.parsed.header("Bcc").is_none(), "{what}");
        for line in mail.body.lines() {
            assert!(
                !line.starts_with("Bcc:") && !line.starts_with("Subject:") && line != "Click",
                "{what}: a line of its own: {line:?}"
            );
        }
        assert!(
            !mail.body.contains(['\u{2028}', '\u{2029}', '\r']),
            "{what}: {:?}",
            mail.body
        );
    }
}
