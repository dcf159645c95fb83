//! Emails that arrive: the outbox delivered over real SMTP (test-relay, over
//! TCP, STARTTLS and AUTH) and every way a relay can let it down. Time is
//! moved on the API's clock, never slept through, for backoff.

mod common;

use common::{complete, start_with, start_with_relay, Api, Checked, MAIL_PATIENCE};
use enroll_api::clock::TestClock;
use enroll_api::mail::relay::Security;
use enroll_api::secret::SecretKeys;
use enroll_api::store::Delivery;
use reqwest::Method;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};
use test_relay::mail::Mail;
use test_relay::{Behaviour, Outcome, Relay, RelayOptions};

const JANE: &str = "jane.doe@contoso.com";

async fn api_with_clock() -> (Api, TestClock) {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| options.clock = Arc::new(shared)).await;
    (api, clock)
}

/// Sends given up after 4 s (a debug build's TLS handshake on a busy
/// machine fits): for the tests of a relay that never answers.
fn short_timeout(options: &mut enroll_api::ServeOptions) {
    if let Some(relay) = &mut options.mail.relay {
        relay.timeout = Duration::from_secs(4);
    }
}

async fn api_with_short_timeout() -> (Api, TestClock) {
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with(move |options| {
        options.clock = Arc::new(shared);
        short_timeout(options);
    })
    .await;
    (api, clock)
}

/// A draft created over HTTP, its admin address not yet proven (no code
/// asked for): its id and token.
async fn unproven_draft(api: &Api) -> (String, String) {
    let created = api.request(Method::POST, "/applications").json(&complete());
    let created = created.checked().await;
    assert_eq!(created.status(), 201);
    let field = |name: &str| created.body[name].as_str().unwrap().to_owned();
    (field("id"), field("resume_token"))
}

/// Asks `/applications/{id}/{path}` for an email (a code, a link): 202.
async fn ask(api: &Api, id: &str, token: &str, path: &str) {
    let asked = api
        .request(Method::POST, &format!("/applications/{id}/{path}"))
        .bearer_auth(token)
        .json(&json!({}))
        .checked()
        .await;
    assert_eq!(asked.status(), 202, "{}", asked.text());
}

/// The newest outbox row of `kind`.
async fn newest(api: &Api, kind: &str) -> enroll_api::store::Email {
    let rows = api.outbox_rows().await;
    rows.into_iter()
        .rev()
        .find(|e| e.kind == kind)
        .unwrap_or_else(|| panic!("no {kind} email queued"))
}

/// Waits until the email's row has made `attempts` attempts.
async fn attempted(api: &Api, id: i64, attempts: u32) -> enroll_api::store::Email {
    let what = format!("attempted {attempts} time(s)");
    api.email_when(id, &what, |row| {
        row.attempts >= attempts && row.state != Delivery::Sending
    })
    .await
}

/// Every kind of email, each delivered once over STARTTLS with AUTH, read
/// back as a mail program would: both parts, the same words, the headers
/// a receiver relies on, the subject fixed and decoded (Chinese too).
#[tokio::test]
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

/// A relay that does not offer STARTTLS is not sent a code in the clear:
/// the email fails, saying why. `?tls=none` on loopback delivers.
#[tokio::test]
async fn a_relay_without_starttls_is_refused_unless_told_it_is_on_loopback() {
    let plain = Relay::start(RelayOptions {
        starttls: false,
        credentials: None,
        ..RelayOptions::default()
    })
    .await;
    let api = start_with_relay(plain.clone(), |options| {
        if let Some(relay) = &mut options.mail.relay {
            relay.login = None;
        }
    })
    .await;
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    let row = newest(&api, "admin_code").await;
    let row = api.email_reaches(row.id, Delivery::Failed).await;
    assert!(
        row.last_reply.as_deref().unwrap_or("").contains("STARTTLS"),
        "{row:#?}"
    );
    assert!(
        row.erased && row.body.is_empty(),
        "the code is gone: {row:#?}"
    );
    assert!(plain.attempts().is_empty(), "nothing was handed over");
    // The applicant waiting on the code page is told.
    let delivery = api
        .request(Method::GET, &format!("/applications/{id}/admin-email/code"))
        .bearer_auth(&token)
        .checked()
        .await;
    assert_eq!(delivery.body["delivery"], "failed");

    let api = start_with_relay(plain.clone(), |options| {
        if let Some(relay) = &mut options.mail.relay {
            relay.login = None;
            relay.address.security = Security::None;
        }
    })
    .await;
    api.create(&complete()).await;
    let mail = api.all_emails().await;
    assert_eq!(mail.len(), 1);
    assert!(!plain.messages()[0].tls);
}

/// 451 twice, then accepted: three attempts, one message, the clock moved
/// past each backoff.
#[tokio::test]
async fn a_relay_saying_later_twice_gets_the_email_on_the_third_attempt() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay
        .script(JANE, [Behaviour::Reply(451), Behaviour::Reply(451)]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let first = attempted(&api, id, 1).await;
    assert_eq!(first.state, Delivery::Retrying, "{first:#?}");
    assert!(first.last_reply.as_deref().unwrap_or("").contains("451"));
    assert!(first.next_attempt_at.is_some());
    // Not before its time.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(attempted(&api, id, 1).await.attempts, 1);
    clock.advance(60);
    let second = attempted(&api, id, 2).await;
    assert_eq!(second.state, Delivery::Retrying);
    clock.advance(120);
    let third = api.email_reaches(id, Delivery::Sent).await;
    assert_eq!(third.attempts, 3);
    let receipts: Vec<Mail> = api
        .outbox()
        .await
        .into_iter()
        .filter(|m| m.kind == "status")
        .collect();
    assert_eq!(receipts.len(), 1, "delivered once");
    let tries = api.relay.attempts();
    let outcomes: Vec<Outcome> = tries.iter().skip(1).map(|a| a.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Replied(451),
            Outcome::Replied(451),
            Outcome::Accepted
        ]
    );
}

/// 550: failed, shown to the operator, never tried again by itself;
/// `outbox retry` sends it.
#[tokio::test]
async fn a_relay_saying_never_fails_the_email_until_the_operator_retries_it() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::Reply(550)]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let failed = api.email_reaches(id, Delivery::Failed).await;
    assert_eq!(failed.attempts, 1);
    assert!(
        !failed.erased,
        "a status email carries no secret: kept to retry"
    );
    let shown = api.operator_output(&["outbox", "--state", "failed"]);
    assert!(shown.contains(&format!("#{id} ")), "{shown}");
    assert!(
        shown.contains("failed, 1 attempt(s)")
            && shown.contains("Relay: ")
            && shown.contains("550"),
        "{shown}"
    );
    assert!(!api
        .operator_output(&["outbox", "--state", "sent"])
        .contains(&format!("#{id} ")));
    clock.advance(3 * 3600);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(attempted(&api, id, 1).await.attempts, 1, "never by itself");
    api.operator(&["outbox", "retry", &id.to_string()])
        .await
        .unwrap();
    api.email_reaches(id, Delivery::Sent).await;
    assert_eq!(api.outbox().await.len(), 1);
    let again = api
        .operator(&["outbox", "retry", &id.to_string()])
        .await
        .unwrap_err();
    assert!(again.contains("only a failed email"), "{again}");
    // A failed code was erased: the operator is told to have a new one sent.
    let editable = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::Reply(550)]);
    let sent = api.send_admin_code(&editable).await;
    assert_eq!(sent.status(), 202);
    let code = newest(&api, "admin_code").await;
    api.email_reaches(code.id, Delivery::Failed).await;
    let erased = api
        .operator(&["outbox", "retry", &code.id.to_string()])
        .await
        .unwrap_err();
    assert!(
        erased.contains("erased") && erased.contains("new one"),
        "{erased}"
    );
}

/// The connection closes after the message, before the relay's answer:
/// the outcome is unknown, so it is sent again, as the same message.
#[tokio::test]
async fn a_connection_cut_before_the_answer_sends_the_same_message_again() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::CloseAfterData]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let cut = attempted(&api, id, 1).await;
    assert_eq!(cut.state, Delivery::Retrying, "{cut:#?}");
    clock.advance(60);
    api.email_reaches(id, Delivery::Sent).await;
    let tries = api.relay.attempts();
    let (cut, accepted) = (&tries[tries.len() - 2], &tries[tries.len() - 1]);
    assert_eq!(
        (cut.outcome, accepted.outcome),
        (Outcome::Cut, Outcome::Accepted)
    );
    let parsed = |data: &[u8]| {
        test_relay::Received {
            from: String::new(),
            to: vec![],
            data: data.to_vec(),
            tls: true,
            authenticated_as: None,
        }
        .parsed()
    };
    let (first, again) = (parsed(&cut.data), parsed(&accepted.data));
    assert!(first.message_id().is_some());
    assert_eq!(
        first.message_id(),
        again.message_id(),
        "the same Message-ID"
    );
    assert_eq!(first.header("Date"), again.header("Date"), "the same Date");
    assert_eq!((first.text(), first.html()), (again.text(), again.html()));
}

/// A relay that accepts the connection and never answers: saves and
/// submits made meanwhile answer as usual; the send times out and is
/// retried.
#[tokio::test]
async fn a_relay_that_never_answers_holds_up_no_request() {
    let (api, clock) = api_with_short_timeout().await;
    let draft = api.create(&complete()).await;
    // New connections get no greeting; one the pool kept from the code's
    // delivery gets no answer to its message.
    api.relay.set_silent(true);
    api.relay.script(JANE, [Behaviour::Stall; 8]);
    // Queue emails the sender will hang on: resume links ask for them.
    for _ in 0..3 {
        ask(&api, &draft.id, &draft.token, "resume-email").await;
    }
    let mut etag = draft.etag.clone();
    for n in 0..10 {
        let mut answers = complete();
        answers["company"]["legal_name"] = json!(format!("Contoso Ltd {n}"));
        let saved = api.put(&draft, &etag, &answers).await;
        assert_eq!(saved.status(), 200, "{}", saved.text());
        etag = saved.etag();
    }
    assert_eq!(api.submit(&draft, &etag, "k").await.status(), 200);
    let id = newest(&api, "resume").await.id;
    let timed_out = attempted(&api, id, 1).await;
    assert_eq!(timed_out.state, Delivery::Retrying, "{timed_out:#?}");
    assert!(
        timed_out
            .last_reply
            .as_deref()
            .unwrap_or("")
            .contains("no answer"),
        "{timed_out:#?}"
    );
    api.relay.set_silent(false);
    api.relay.clear_script(JANE);
    clock.advance(3600);
    api.email_reaches(id, Delivery::Sent).await;
}

/// A code whose email still fails past its 10 minutes is not sent: it
/// expires, its body goes, and the code page is told.
#[tokio::test]
async fn a_code_still_undelivered_after_its_ten_minutes_expires() {
    let (api, clock) = api_with_clock().await;
    api.relay.script(JANE, [Behaviour::Reply(451); 20]);
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    let delivery = || async {
        let answer = api
            .request(Method::GET, &format!("/applications/{id}/admin-email/code"))
            .bearer_auth(&token)
            .checked()
            .await;
        answer.body["delivery"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let row = newest(&api, "admin_code").await;
    let mut attempts = 1;
    loop {
        let now = attempted(&api, row.id, attempts).await;
        if now.state == Delivery::Expired {
            assert!(now.erased && now.body.is_empty() && now.html.is_empty());
            break;
        }
        assert_eq!(now.state, Delivery::Retrying, "{now:#?}");
        assert_eq!(delivery().await, "retrying");
        clock.advance(4 * 60);
        attempts += 1;
        assert!(attempts < 10, "never expired");
    }
    assert_eq!(delivery().await, "expired");
    assert!(
        api.relay.messages().is_empty(),
        "the code was never delivered"
    );
}

/// Bodies carrying a code, a password or a link are in the database until
/// delivered, and not after: neither in the rows nor in the file's bytes.
#[tokio::test]
async fn secrets_leave_the_database_once_delivered() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay.set_silent(true);
    let clock = TestClock::new();
    let shared = clock.clone();
    let api = start_with_relay(relay.clone(), move |options| {
        options.clock = Arc::new(shared);
        short_timeout(options);
    })
    .await;
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    // The relay is silent: the code is read where it waits, to prove the
    // address, which a resume link needs.
    let waiting = api.outbox_rows().await;
    let code = waiting[0]
        .body
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 6)
        .expect("the code in the queued body")
        .to_owned();
    let verified = api
        .request(
            Method::POST,
            &format!("/applications/{id}/admin-email/verify"),
        )
        .bearer_auth(&token)
        .json(&json!({ "code": code }))
        .checked()
        .await;
    assert_eq!(verified.status(), 200, "{}", verified.text());
    ask(&api, &id, &token, "resume-email").await;
    let rows = api.outbox_rows().await;
    assert!(rows.iter().all(|r| !r.body.is_empty() && !r.erased));
    let code_line = rows[0]
        .html
        .lines()
        .find(|l| l.contains("</strong>"))
        .expect("the code's line")
        .to_owned();
    assert!(database_bytes(&api).contains(&code_line));
    assert!(database_bytes(&api).contains(&token));
    for row in &rows {
        attempted(&api, row.id, 1).await;
    }
    relay.set_silent(false);
    clock.advance(61);
    for row in &rows {
        api.email_reaches(row.id, Delivery::Sent).await;
    }
    let rows = api.outbox_rows().await;
    assert!(rows
        .iter()
        .all(|r| r.erased && r.body.is_empty() && r.html.is_empty()));
    let shown = api.operator_output(&["outbox"]);
    assert!(
        shown.contains("[sent, ") && shown.contains("(body erased"),
        "{shown}"
    );
    // The write-ahead log is emptied at once, or when the sender is next
    // idle if a reader held it.
    let deadline = Instant::now() + MAIL_PATIENCE;
    loop {
        let bytes = database_bytes(&api);
        if !bytes.contains(&code_line) && !bytes.contains(&token) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the code or the link is still in the file"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = api.all_emails().await;
    let link = mail.iter().find(|m| m.kind == "resume").expect("the link");
    assert!(link.body.contains(&token), "the link arrived");
}

/// The database file and its write-ahead log, as someone copying them gets.
fn database_bytes(api: &Api) -> String {
    let path = api.database.trim_start_matches("sqlite://");
    let mut bytes = std::fs::read(path).unwrap();
    if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
        bytes.extend(wal);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `enroll-api serve` as an operator runs it, delivering to `relay`.
fn serve(
    database: &str,
    relay: &Relay,
    certificate: &std::path::Path,
) -> (std::process::Child, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_enroll-api"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
        .args([
            "--smtp",
            &format!("smtp://localhost:{}", relay.addr().port()),
        ])
        .args(["--mail-from", "CSP enrollment <csp@contoso.example>"])
        .arg("--smtp-root-cert")
        .arg(certificate)
        .args(["--smtp-timeout-secs", "5", "--mail-lease-secs", "10"])
        .env("ENROLL_SMTP_USERNAME", "relay-user")
        .env("ENROLL_SMTP_PASSWORD", "relay-secret")
        .env("ENROLL_SECRET_KEY", SecretKeys::new_base64().unwrap())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("enroll-api listening on ")
                .map(str::to_owned)
        })
        .expect("the server says where it listens");
    // Keep reading what it prints, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

/// The server is killed while the relay has the email but has not
/// answered; started again on the same database, it sends the email once
/// the dead one's lease has run out. Nothing is lost.
#[tokio::test]
async fn a_server_killed_mid_send_delivers_after_the_lease() {
    let relay = Relay::start(RelayOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("api.db").display());
    let certificate = dir.path().join("relay.pem");
    std::fs::write(&certificate, relay.certificate_pem()).unwrap();
    relay.script(JANE, [Behaviour::Stall]);
    let (mut first, url) = serve(&database, &relay, &certificate);
    let client = reqwest::Client::new();
    let created: serde_json::Value = client
        .post(format!("{url}/api/v1/applications"))
        .json(&complete())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (id, token) = (
        created["id"].as_str().unwrap(),
        created["resume_token"].as_str().unwrap(),
    );
    let asked = client
        .post(format!("{url}/api/v1/applications/{id}/admin-email/code"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    let deadline = Instant::now() + MAIL_PATIENCE;
    while relay.attempts().is_empty() {
        assert!(Instant::now() < deadline, "the relay never got the email");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(relay.attempts()[0].outcome, Outcome::Stalled);
    first.kill().unwrap();
    first.wait().unwrap();
    let store = enroll_api::store::Store::open(&database).await.unwrap();
    let rows = store.outbox(None).await.unwrap();
    assert_eq!(rows[0].state, Delivery::Sending, "claimed when it died");
    let (mut second, _) = serve(&database, &relay, &certificate);
    let mail = relay.next_to(JANE, 0, MAIL_PATIENCE).await;
    let mail = Mail::from(&mail);
    assert_eq!(mail.kind, "admin_code");
    let deadline = Instant::now() + MAIL_PATIENCE;
    let row = loop {
        let row = store.outbox(None).await.unwrap().remove(0);
        if row.state != Delivery::Sending || Instant::now() > deadline {
            break row;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    second.kill().unwrap();
    second.wait().unwrap();
    assert_eq!((row.state, row.attempts), (Delivery::Sent, 2));
    assert_eq!(relay.messages().len(), 1);
}

/// `--mail-dir` alone: each email is written as a `.eml` file a mail
/// program opens, and that is its delivery.
#[tokio::test]
async fn with_a_mail_dir_and_no_relay_each_email_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("mail");
    let to = folder.clone();
    let api = start_with(move |options| {
        options.mail.relay = None;
        options.mail.mail_dir = Some(to);
    })
    .await;
    let (id, token) = unproven_draft(&api).await;
    ask(&api, &id, &token, "admin-email/code").await;
    let row = newest(&api, "admin_code").await;
    let row = api.email_reaches(row.id, Delivery::Sent).await;
    assert!(row.last_reply.unwrap_or_default().contains("written to"));
    let files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|f| f.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].extension().is_some_and(|e| e == "eml"));
    let received = test_relay::Received {
        from: String::new(),
        to: vec![JANE.into()],
        data: std::fs::read(&files[0]).unwrap(),
        tls: false,
        authenticated_as: None,
    };
    let mail = Mail::from(&received);
    assert_eq!(mail.kind, "admin_code");
    assert_eq!(mail.code().len(), 6);
    assert!(api.relay.attempts().is_empty());
}

/// Two servers on one database send each email once between them.
#[tokio::test]
async fn two_servers_on_one_database_never_send_one_email_twice() {
    let api = common::start(false).await;
    let mut second_options = api.options().clone();
    second_options.listen = "127.0.0.1:0".parse().unwrap();
    let second = enroll_api::RunningServer::start(second_options)
        .await
        .unwrap();
    let mut drafts = Vec::new();
    for n in 0..8 {
        let mut answers = complete();
        answers["admin"]["email"] = json!(format!("jane{n}@contoso.com"));
        drafts.push(api.create(&answers).await);
    }
    for draft in &drafts {
        // A link asked of each server.
        for server in [api.server.url(), second.url()] {
            let asked = reqwest::Client::new()
                .post(format!(
                    "{server}/api/v1/applications/{}/resume-email",
                    draft.id
                ))
                .bearer_auth(&draft.token)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(asked.status(), 202);
        }
    }
    let emails = api.all_emails().await;
    assert_eq!(emails.len(), 8 * 3, "a code and two links each");
    let mut ids: Vec<&str> = emails.iter().map(|m| m.message_id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), emails.len(), "none twice");
    assert_eq!(api.relay.attempts().len(), emails.len());
    second.shutdown().await;
}

/// Names with CR/LF and the Unicode line and paragraph separators, through
/// every kind of email: nothing typed reaches a header, no line of the
/// body is started by them, and the email goes to the admin alone.
#[tokio::test]
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

/// Status emails about one application arrive in the order they tell:
/// "in review" waits behind a "received" that the relay put off.
#[tokio::test]
async fn status_emails_arrive_in_the_order_of_what_happened() {
    let (api, clock) = api_with_clock().await;
    let draft = api.create(&complete()).await;
    api.relay.script(JANE, [Behaviour::Reply(451)]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let received = newest(&api, "status").await.id;
    assert_eq!(attempted(&api, received, 1).await.state, Delivery::Retrying);
    api.operator(&["review", "start", &draft.id]).await.unwrap();
    let in_review = newest(&api, "status").await.id;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        attempted(&api, in_review, 0).await.state,
        Delivery::Queued,
        "waits its turn"
    );
    clock.advance(60);
    api.email_reaches(in_review, Delivery::Sent).await;
    let subjects: Vec<String> = api.outbox().await.into_iter().map(|m| m.subject).collect();
    assert_eq!(
        subjects,
        [
            "We have received your CSP application",
            "Your CSP application is being reviewed"
        ]
    );
}

/// A new code replaces the last: the earlier email, put off by the relay,
/// is never sent (its code no longer works), the new one arrives.
#[tokio::test]
async fn a_replaced_code_is_never_sent() {
    let (api, clock) = api_with_clock().await;
    let mut answers = complete();
    answers["admin"]["email"] = json!("not yet");
    let draft = api.create(&answers).await;
    let (etag, mut stored) = api.get(&draft).await;
    stored["admin"]["email"] = json!(JANE);
    assert_eq!(api.put(&draft, &etag, &stored).await.status(), 200);
    api.relay.script(JANE, [Behaviour::Reply(451)]);
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let first = newest(&api, "admin_code").await.id;
    assert_eq!(attempted(&api, first, 1).await.state, Delivery::Retrying);
    assert_eq!(api.send_admin_code(&draft).await.status(), 202);
    let replaced = api.email_reaches(first, Delivery::Expired).await;
    assert!(replaced.erased, "{replaced:#?}");
    clock.advance(120);
    let mail = api.relay.next_to(JANE, 0, MAIL_PATIENCE).await;
    let code = Mail::from(&mail).code();
    let verified = api.verify_admin_code(&draft, &code).await;
    assert_eq!(verified.status(), 200, "the code that arrived works");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        api.relay.messages().len(),
        1,
        "the replaced code never came"
    );
}

/// Stopping waits briefly for a send; one still under way then is ended
/// and its email is due again at once, not after its lease.
#[tokio::test]
async fn a_send_cut_short_by_shutdown_is_due_again_at_once() {
    let relay = Relay::start(RelayOptions::default()).await;
    let api = start_with_relay(relay.clone(), |options| {
        options.mail.shutdown_wait = Duration::from_millis(300);
    })
    .await;
    let draft = api.create(&complete()).await;
    relay.script(JANE, [Behaviour::Stall]);
    assert_eq!(api.submit(&draft, &draft.etag, "k").await.status(), 200);
    let id = newest(&api, "status").await.id;
    let deadline = Instant::now() + MAIL_PATIENCE;
    while relay.attempts().len() < 2 {
        assert!(Instant::now() < deadline, "never handed over");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let store = api.store().await;
    api.server.shutdown().await;
    let row = store
        .outbox(None)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap();
    assert_eq!(row.state, Delivery::Retrying, "{row:#?}");
}
