//! The relay against the client the API uses: lettre, async on tokio, TLS by
//! rustls (ring).

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use test_relay::{Behaviour, Outcome, Relay, RelayOptions};

type Transport = AsyncSmtpTransport<Tokio1Executor>;

const WAIT: Duration = Duration::from_secs(2);

/// STARTTLS required, trusting the relay's own certificate for "localhost".
fn required_tls(relay: &Relay) -> Tls {
    let certificate = Certificate::from_pem(relay.certificate_pem().as_bytes()).unwrap();
    let parameters = TlsParameters::builder("localhost".into())
        .add_root_certificate(certificate)
        .build()
        .unwrap();
    Tls::Required(parameters)
}

fn transport(relay: &Relay, tls: Tls, credentials: Option<(&str, &str)>) -> Transport {
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(relay.addr().port())
        .tls(tls)
        .timeout(Some(WAIT))
        .pool_config(PoolConfig::new().max_size(4));
    if let Some((user, password)) = credentials {
        builder = builder.credentials(Credentials::new(user.into(), password.into()));
    }
    builder.build()
}

/// Over STARTTLS, as the relay's default user.
fn default_transport(relay: &Relay) -> Transport {
    transport(
        relay,
        required_tls(relay),
        Some(("relay-user", "relay-secret")),
    )
}

fn message(to: &str, subject: &str) -> Message {
    Message::builder()
        .from("测试 <from@example.com>".parse::<Mailbox>().unwrap())
        .to(to.parse::<Mailbox>().unwrap())
        .subject(subject)
        .message_id(None)
        .multipart(MultiPart::alternative_plain_html(
            format!("Plain: {subject}\n.leading dot\n"),
            format!("<p>Html: {subject}</p>"),
        ))
        .unwrap()
}

fn outcomes(relay: &Relay) -> Vec<Outcome> {
    relay.attempts().into_iter().map(|a| a.outcome).collect()
}

#[tokio::test]
async fn delivers_over_starttls_with_auth_and_parses_back() {
    let relay = Relay::start(RelayOptions::default()).await;
    let subject = "您的申请已收到 – application received";
    let response = default_transport(&relay)
        .send(message("Someone@Example.com", subject))
        .await
        .expect("delivered");
    assert_eq!(u16::from(response.code()), 250);

    let received = relay.next_to("someone@example.com", 0, WAIT).await;
    assert_eq!(relay.count_to("SOMEONE@example.com"), 1);
    assert_eq!(received.from, "from@example.com");
    assert_eq!(received.to, ["Someone@Example.com"]);
    assert!(received.tls);
    assert_eq!(received.authenticated_as.as_deref(), Some("relay-user"));
    assert!(!received.data.ends_with(b"\r\n.\r\n"));

    let parsed = received.parsed();
    assert_eq!(parsed.subject(), subject);
    assert_eq!(parsed.content_type(), "multipart/alternative");
    assert_eq!(
        parsed.text().as_deref().map(|t| t.replace("\r\n", "\n")),
        Some(format!("Plain: {subject}\n.leading dot\n"))
    );
    assert_eq!(parsed.html(), Some(format!("<p>Html: {subject}</p>")));
    let id = parsed.message_id().expect("a Message-ID");
    assert!(!id.starts_with('<') && !id.ends_with('>'), "{id}");
    assert_eq!(parsed.header("message-id"), Some(format!("<{id}>")));
    assert_eq!(parsed.header("To").as_deref(), Some("Someone@Example.com"));
    assert!(parsed.header("Date").is_some());
    assert_eq!(parsed.header("Auto-Submitted"), None);

    assert_eq!(relay.messages(), [received]);
    assert_eq!(outcomes(&relay), [Outcome::Accepted]);
}

#[tokio::test]
async fn scripted_replies_apply_in_order_then_accept() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay.script(
        "A@example.com",
        [Behaviour::Reply(451), Behaviour::Reply(550)],
    );
    relay.script("a@EXAMPLE.com", [Behaviour::Reply(421)]);
    let mailer = default_transport(&relay);

    let error = mailer
        .send(message("a@example.com", "one"))
        .await
        .unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    assert_eq!(error.status().map(u16::from), Some(451));
    assert!(relay.messages().is_empty());

    let error = mailer
        .send(message("a@example.com", "two"))
        .await
        .unwrap_err();
    assert!(error.is_permanent(), "{error:?}");
    assert_eq!(error.status().map(u16::from), Some(550));

    // 421 closes the connection: lettre must open a new one next time.
    let error = mailer
        .send(message("a@example.com", "three"))
        .await
        .unwrap_err();
    assert!(error.is_transient(), "{error:?}");
    assert_eq!(error.status().map(u16::from), Some(421));

    mailer
        .send(message("a@example.com", "four"))
        .await
        .expect("script used up");
    let received = relay.next_to("a@example.com", 0, WAIT).await;
    assert_eq!(received.parsed().subject(), "four");
    assert_eq!(
        outcomes(&relay),
        [
            Outcome::Replied(451),
            Outcome::Replied(550),
            Outcome::Replied(421),
            Outcome::Accepted
        ]
    );
    // Scripts belong to their recipient only.
    relay.script("b@example.com", [Behaviour::Reply(550)]);
    mailer
        .send(message("c@example.com", "five"))
        .await
        .expect("unscripted");
    assert_eq!(relay.count_to("c@example.com"), 1);
}

#[tokio::test]
async fn close_after_data_is_an_error_and_a_cut_attempt() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay.script("cut@example.com", [Behaviour::CloseAfterData]);
    let mailer = default_transport(&relay);

    let error = mailer
        .send(message("cut@example.com", "cut"))
        .await
        .unwrap_err();
    assert!(!error.is_permanent(), "{error:?}");
    assert!(relay.messages().is_empty());
    let attempts = relay.attempts();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].outcome, Outcome::Cut);
    assert_eq!(attempts[0].to, ["cut@example.com"]);
    assert!(attempts[0].data.windows(4).any(|w| w == b"cut\r"));

    mailer
        .send(message("cut@example.com", "again"))
        .await
        .expect("second try");
    assert_eq!(relay.count_to("cut@example.com"), 1);
}

#[tokio::test]
async fn stall_never_answers_the_data() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay.script("slow@example.com", [Behaviour::Stall]);
    let mailer = default_transport(&relay);
    // lettre's own timeout covers connecting only on tokio, not the replies.
    let sent = tokio::time::timeout(
        Duration::from_secs(1),
        mailer.send(message("slow@example.com", "stalled")),
    )
    .await;
    assert!(sent.is_err(), "answered: {sent:?}");
    assert_eq!(outcomes(&relay), [Outcome::Stalled]);
    assert!(relay.messages().is_empty());
}

#[tokio::test]
async fn a_silent_relay_never_greets_new_connections() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay.set_silent(true);
    let sent = tokio::time::timeout(
        Duration::from_secs(1),
        default_transport(&relay).send(message("x@example.com", "silent")),
    )
    .await;
    assert!(sent.is_err(), "answered: {sent:?}");
    assert!(relay.attempts().is_empty());

    relay.set_silent(false);
    default_transport(&relay)
        .send(message("x@example.com", "heard"))
        .await
        .expect("delivered once talking again");
    assert_eq!(relay.count_to("x@example.com"), 1);
}

#[tokio::test]
async fn required_tls_fails_when_starttls_is_not_offered() {
    let relay = Relay::start(RelayOptions {
        starttls: false,
        ..RelayOptions::default()
    })
    .await;
    let error = default_transport(&relay)
        .send(message("x@example.com", "no tls"))
        .await
        .unwrap_err();
    assert!(error.is_client() || error.is_tls(), "{error:?}");
    assert!(relay.attempts().is_empty());
}

#[tokio::test]
async fn without_starttls_auth_happens_in_the_clear() {
    let relay = Relay::start(RelayOptions {
        starttls: false,
        ..RelayOptions::default()
    })
    .await;
    let mailer = transport(&relay, Tls::None, Some(("relay-user", "relay-secret")));
    mailer
        .send(message("x@example.com", "plain"))
        .await
        .expect("delivered");
    let received = relay.next_to("x@example.com", 0, WAIT).await;
    assert!(!received.tls);
    assert_eq!(received.authenticated_as.as_deref(), Some("relay-user"));

    // lettre's URL form: "smtp://" without a "tls" parameter is plain
    // (it refuses "?tls=none").
    let from_url = AsyncSmtpTransport::<Tokio1Executor>::from_url(&format!(
        "smtp://relay-user:relay-secret@127.0.0.1:{}",
        relay.addr().port()
    ))
    .unwrap()
    .build();
    assert_eq!(
        relay.url(),
        format!("smtp://127.0.0.1:{}", relay.addr().port())
    );
    from_url
        .send(message("x@example.com", "url"))
        .await
        .expect("delivered");
    assert_eq!(
        relay
            .next_to("x@example.com", 1, WAIT)
            .await
            .parsed()
            .subject(),
        "url"
    );
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused() {
    let relay = Relay::start(RelayOptions::default()).await;
    let error = transport(&relay, required_tls(&relay), Some(("relay-user", "wrong")))
        .send(message("x@example.com", "bad password"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(u16::from), Some(535), "{error:?}");

    let error = transport(&relay, required_tls(&relay), None)
        .send(message("x@example.com", "no auth"))
        .await
        .unwrap_err();
    assert_eq!(error.status().map(u16::from), Some(530), "{error:?}");
    assert!(relay.attempts().is_empty());
}

#[tokio::test]
async fn a_relay_without_credentials_takes_mail_unauthenticated() {
    let relay = Relay::start(RelayOptions {
        credentials: None,
        ..RelayOptions::default()
    })
    .await;
    transport(&relay, required_tls(&relay), None)
        .send(message("x@example.com", "anonymous"))
        .await
        .expect("delivered");
    let received = relay.next_to("x@example.com", 0, WAIT).await;
    assert!(received.tls);
    assert_eq!(received.authenticated_as, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_deliveries() {
    let relay = Relay::start(RelayOptions::default()).await;
    let mailer = default_transport(&relay);
    let sends: Vec<_> = (0..20)
        .map(|i| {
            let mailer = mailer.clone();
            tokio::spawn(async move {
                let to = format!("user{}@example.com", i % 4);
                mailer.send(message(&to, &format!("n{i}"))).await
            })
        })
        .collect();
    for send in sends {
        send.await.unwrap().expect("delivered");
    }
    assert_eq!(relay.messages().len(), 20);
    for user in 0..4 {
        assert_eq!(relay.count_to(&format!("USER{user}@example.com")), 5);
    }
    let fifth = relay.next_to("user0@example.com", 4, WAIT).await;
    assert!(fifth.tls);
}

#[tokio::test]
#[should_panic(expected = "no message to nobody@example.com beyond the first 0")]
async fn next_to_panics_after_its_timeout() {
    let relay = Relay::start(RelayOptions::default()).await;
    relay
        .next_to("nobody@example.com", 0, Duration::from_millis(100))
        .await;
}
