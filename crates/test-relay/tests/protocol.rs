//! The relay's SMTP, line by line, over a plain TCP connection.

use std::time::Duration;

use test_relay::{Relay, RelayOptions};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

struct Client {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
}

impl Client {
    async fn connect(relay: &Relay) -> Client {
        let (read, writer) = TcpStream::connect(relay.addr()).await.unwrap().into_split();
        Client {
            reader: BufReader::new(read),
            writer,
        }
    }

    /// One whole reply (all its lines), without line endings.
    async fn reply(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            let read =
                tokio::time::timeout(Duration::from_secs(2), self.reader.read_line(&mut line))
                    .await
                    .expect("a reply in time")
                    .unwrap();
            assert!(read > 0, "connection closed; got {lines:?}");
            let Some(line) = line.strip_suffix("\r\n").map(str::to_owned) else {
                panic!("not ended by CRLF: {line:?}");
            };
            let more = line.as_bytes().get(3) == Some(&b'-');
            lines.push(line);
            if !more {
                return lines;
            }
        }
    }

    async fn send(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).await.unwrap();
    }

    /// Sends `line` (CRLF added) and returns the reply's code.
    async fn command(&mut self, line: &str) -> u16 {
        self.send(&format!("{line}\r\n")).await;
        self.reply().await[0][..3].parse().unwrap()
    }

    async fn closed(&mut self) -> bool {
        let mut rest = String::new();
        matches!(
            tokio::time::timeout(Duration::from_secs(2), self.reader.read_line(&mut rest)).await,
            Ok(Ok(0))
        )
    }
}

#[tokio::test]
async fn a_plain_session() {
    let relay = Relay::start(RelayOptions {
        starttls: false,
        ..RelayOptions::default()
    })
    .await;
    let mut client = Client::connect(&relay).await;
    assert_eq!(client.reply().await, ["220 test-relay ESMTP"]);
    assert_eq!(client.command("MAIL FROM:<a@example.com>").await, 503);
    client.send("ehlo client.example\r\n").await;
    let ehlo = client.reply().await;
    assert_eq!(ehlo[0], "250-test-relay greets client.example");
    assert!(ehlo.contains(&"250-8BITMIME".to_owned()), "{ehlo:?}");
    assert_eq!(ehlo.last().unwrap(), "250 AUTH PLAIN");
    assert!(!ehlo.iter().any(|l| l.contains("STARTTLS")), "{ehlo:?}");
    assert_eq!(client.command("STARTTLS").await, 502);
    assert_eq!(client.command("MAIL FROM:<a@example.com>").await, 530);
    assert_eq!(client.command("AUTH LOGIN").await, 504);

    // Two steps, a wrong password ("\0relay-user\0nope"), then inline and right.
    client.send("AUTH PLAIN\r\n").await;
    assert_eq!(client.reply().await, ["334 "]);
    assert_eq!(client.command("AHJlbGF5LXVzZXIAbm9wZQ==").await, 535);
    client.send("AUTH PLAIN\r\n").await;
    assert_eq!(client.reply().await, ["334 "]);
    assert_eq!(client.command("*").await, 501);
    // "\0relay-user\0relay-secret"
    assert_eq!(
        client
            .command("AUTH PLAIN AHJlbGF5LXVzZXIAcmVsYXktc2VjcmV0")
            .await,
        235
    );
    assert_eq!(
        client
            .command("AUTH PLAIN AHJlbGF5LXVzZXIAcmVsYXktc2VjcmV0")
            .await,
        503
    );

    assert_eq!(client.command("RCPT TO:<b@example.com>").await, 503);
    assert_eq!(client.command("DATA").await, 503);
    assert_eq!(
        client
            .command("MAIL FROM:<dropped@example.com> BODY=8BITMIME")
            .await,
        250
    );
    assert_eq!(client.command("MAIL FROM:<nested@example.com>").await, 503);
    assert_eq!(client.command("DATA").await, 554);
    assert_eq!(client.command("RSET").await, 250);
    assert_eq!(client.command("RCPT TO:<b@example.com>").await, 503);

    assert_eq!(
        client
            .command("MAIL FROM:<a@example.com> BODY=8BITMIME SMTPUTF8")
            .await,
        250
    );
    assert_eq!(client.command("RCPT TO:<b@example.com>").await, 250);
    assert_eq!(client.command("rcpt to:<C@example.com>").await, 250);
    assert_eq!(client.command("DATA").await, 354);
    // Bare LF tolerated; doubled leading dots undone; a lone dot ends it.
    assert_eq!(
        client
            .command("Subject: hi\r\n\r\n..dot\r\nbare\n...\r\nend\r\n.")
            .await,
        250
    );
    assert_eq!(client.command("NOOP").await, 250);
    assert_eq!(client.command("VRFY b@example.com").await, 502);
    assert_eq!(client.command("").await, 502);
    assert_eq!(client.command("QUIT").await, 221);
    assert!(client.closed().await);

    let received = relay
        .next_to("c@EXAMPLE.com", 0, Duration::from_secs(2))
        .await;
    assert_eq!(received.from, "a@example.com");
    assert_eq!(received.to, ["b@example.com", "C@example.com"]);
    assert_eq!(
        received.data,
        b"Subject: hi\r\n\r\n.dot\r\nbare\n..\r\nend\r\n"
    );
    assert!(!received.tls);
    assert_eq!(received.authenticated_as.as_deref(), Some("relay-user"));
    assert_eq!(received.parsed().subject(), "hi");
}

#[tokio::test]
async fn starttls_is_offered_and_auth_only_after_it() {
    let relay = Relay::start(RelayOptions::default()).await;
    let mut client = Client::connect(&relay).await;
    client.reply().await;
    client.send("EHLO client\r\n").await;
    let ehlo = client.reply().await;
    assert_eq!(ehlo.last().unwrap(), "250 STARTTLS");
    assert!(!ehlo.iter().any(|l| l.contains("AUTH")), "{ehlo:?}");
    assert_eq!(
        client
            .command("AUTH PLAIN AHJlbGF5LXVzZXIAcmVsYXktc2VjcmV0")
            .await,
        538
    );
    assert_eq!(client.command("MAIL FROM:<a@example.com>").await, 530);
    assert_eq!(client.command("STARTTLS").await, 220);
}

#[tokio::test]
async fn a_421_reply_closes_the_connection() {
    let relay = Relay::start(RelayOptions {
        starttls: false,
        credentials: None,
        ..RelayOptions::default()
    })
    .await;
    relay.script("b@example.com", [test_relay::Behaviour::Reply(421)]);
    let mut client = Client::connect(&relay).await;
    client.reply().await;
    assert_eq!(client.command("HELO client").await, 250);
    assert_eq!(client.command("MAIL FROM:<>").await, 250);
    assert_eq!(client.command("RCPT TO:<b@example.com>").await, 250);
    assert_eq!(client.command("DATA").await, 354);
    assert_eq!(client.command("Subject: x\r\n\r\nbody\r\n.").await, 421);
    assert!(client.closed().await);
    let attempts = relay.attempts();
    assert_eq!(attempts[0].outcome, test_relay::Outcome::Replied(421));
    assert_eq!(attempts[0].data, b"Subject: x\r\n\r\nbody\r\n");
    assert!(relay.messages().is_empty());
}

#[tokio::test]
async fn stop_and_drop_end_the_relay() {
    let relay = Relay::start(RelayOptions::default()).await;
    let mut open = Client::connect(&relay).await;
    open.reply().await;
    let addr = relay.addr();
    relay.clone().stop();
    assert!(open.closed().await, "open connections end on stop");
    assert!(
        refused_soon(addr).await,
        "the port still accepts after stop"
    );

    let relay = Relay::start(RelayOptions::default()).await;
    let addr = relay.addr();
    let clone = relay.clone();
    drop(relay);
    assert!(
        TcpStream::connect(addr).await.is_ok(),
        "a clone keeps it running"
    );
    drop(clone);
    assert!(
        refused_soon(addr).await,
        "the port still accepts after the last drop"
    );
}

/// Whether connecting to `addr` is refused within a second.
async fn refused_soon(addr: std::net::SocketAddr) -> bool {
    for _ in 0..50 {
        if TcpStream::connect(addr).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

/// The API's tests may pause tokio's clock: `next_to` must neither time out
/// at once nor push the clock forward (which would fire their timers).
#[tokio::test(start_paused = true)]
async fn next_to_waits_in_real_time_under_a_paused_clock() {
    let relay = Relay::start(RelayOptions {
        starttls: false,
        credentials: None,
        ..RelayOptions::default()
    })
    .await;
    let addr = relay.addr();
    let hour = tokio::spawn(tokio::time::sleep(Duration::from_secs(3600)));
    let virtual_start = tokio::time::Instant::now();
    let real_start = std::time::Instant::now();
    let client = tokio::spawn(async move {
        tokio::task::spawn_blocking(|| std::thread::sleep(Duration::from_millis(200)))
            .await
            .unwrap();
        let mut stream = TcpStream::connect(addr).await.unwrap();
        // Pipelined: the relay reads one command at a time anyway.
        stream
            .write_all(
                b"HELO c\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<late@example.com>\r\n\
                  DATA\r\nSubject: late\r\n\r\nbody\r\n.\r\nQUIT\r\n",
            )
            .await
            .unwrap();
        let mut answers = String::new();
        stream.read_to_string(&mut answers).await.unwrap();
        answers
    });
    let received = relay
        .next_to("late@example.com", 0, Duration::from_secs(5))
        .await;
    assert_eq!(received.parsed().subject(), "late");
    assert!(real_start.elapsed() >= Duration::from_millis(200));
    assert!(
        virtual_start.elapsed() < Duration::from_secs(1),
        "the clock moved"
    );
    assert!(!hour.is_finished());
    let answers = client.await.unwrap();
    let codes: Vec<&str> = answers.lines().map(|line| &line[..3]).collect();
    assert_eq!(codes, ["220", "250", "250", "250", "354", "250", "221"]);
}
