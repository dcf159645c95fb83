//! The SMTP relay the outbox is delivered to (`serve --smtp URL`), and
//! what its answers mean for an email: lettre over tokio, TLS by rustls.
//!
//! `smtp://host[:587]` submits with STARTTLS, which is required (a relay
//! that does not offer it is refused: the email fails, saying so);
//! `smtps://host[:465]` speaks TLS from the first byte; `?tls=none`, only
//! for a relay on this machine's loopback, sends in the clear. The user
//! and password come from the environment (`ENROLL_SMTP_USERNAME`,
//! `ENROLL_SMTP_PASSWORD`), never from the URL or a flag.

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::net::IpAddr;
use std::time::Duration;

use enroll_core::outbox::Attempt;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Security {
    /// Plain TCP upgraded by STARTTLS, which must be offered.
    StartTls,
    /// TLS from the first byte.
    Implicit,
    /// No TLS: loopback relays only.
    None,
}

/// Where the relay is, parsed from `--smtp`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelayAddress {
    pub host: String,
    pub port: u16,
    pub security: Security,
}

/// A user name and password for the relay's AUTH. Its `Debug` shows the
/// user only: options are logged and printed in tests.
#[derive(Clone, PartialEq, Eq)]
pub struct RelayLogin {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for RelayLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "RelayLogin({:?}, password hidden)", self.username)
    }
}

/// Everything needed to talk to the relay.
#[derive(Clone, Debug)]
pub struct RelaySettings {
    pub address: RelayAddress,
    pub login: Option<RelayLogin>,
    /// PEM certificates trusted besides the usual public roots (a relay
    /// with a private CA; the tests' relay).
    pub extra_roots: Vec<String>,
    /// The longest a whole send may take (connecting included).
    pub timeout: Duration,
    /// Connections kept open to the relay, and so sends at once.
    pub connections: u32,
}

impl RelaySettings {
    /// A relay on this machine (`localhost:port`) speaking STARTTLS with a
    /// certificate of its own (`certificate_pem`, trusted besides the
    /// public roots): a development relay, or the tests'.
    pub fn on_this_machine(
        port: u16,
        certificate_pem: String,
        login: Option<RelayLogin>,
        timeout: Duration,
    ) -> Self {
        Self {
            address: RelayAddress {
                host: "localhost".into(),
                port,
                security: Security::StartTls,
            },
            login,
            extra_roots: vec![certificate_pem],
            timeout,
            connections: super::defaults::CONNECTIONS,
        }
    }
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Parses `--smtp`: `smtp://host[:port][?tls=none]` or `smtps://host[:port]`.
pub fn parse_relay_url(url: &str) -> Result<RelayAddress, String> {
    let (scheme, rest) = url
        .split_once("://")
        // The URL is not repeated: a password pasted into it stays out of
        // the terminal and the logs.
        .ok_or("--smtp: expected smtp://host:587 or smtps://host:465")?;
    let (authority, query) = match rest.split_once('?') {
        Some((authority, query)) => (authority, Some(query)),
        None => (rest, None),
    };
    let authority = authority.trim_end_matches('/');
    if authority.contains('@') {
        return Err(
            "--smtp: put no user or password in the URL; set ENROLL_SMTP_USERNAME and \
             ENROLL_SMTP_PASSWORD in the environment"
                .into(),
        );
    }
    let (mut security, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "smtp" => (Security::StartTls, 587),
        "smtps" => (Security::Implicit, 465),
        other => return Err(format!("--smtp: unknown scheme {other}: (smtp or smtps)")),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => (
            host,
            port.parse::<u16>()
                .map_err(|_| format!("--smtp: {port:?} is not a port"))?,
        ),
        _ => (authority, default_port),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err("--smtp: no host".into());
    }
    match query {
        None | Some("") => {}
        Some("tls=none") if security == Security::StartTls => {
            if !is_loopback(host) {
                return Err(format!(
                    "--smtp: tls=none sends passwords and codes in the clear; it is allowed \
                     only for a relay on this machine (localhost, 127.0.0.1, ::1), not {host}"
                ));
            }
            security = Security::None;
        }
        Some(other) => return Err(format!("--smtp: unknown option {other:?} (only tls=none)")),
    }
    Ok(RelayAddress {
        host: host.to_owned(),
        port,
        security,
    })
}

/// A pool of connections to the relay.
#[derive(Clone)]
pub struct Relay {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    timeout: Duration,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Relay")
    }
}

impl Relay {
    pub fn new(settings: &RelaySettings) -> Result<Self, String> {
        let address = &settings.address;
        let tls = match address.security {
            Security::None => Tls::None,
            security => {
                let mut parameters = TlsParameters::builder(address.host.clone());
                for pem in &settings.extra_roots {
                    let root = Certificate::from_pem(pem.as_bytes())
                        .map_err(|e| format!("--smtp-root-cert: not a PEM certificate ({e})"))?;
                    parameters = parameters.add_root_certificate(root);
                }
                let parameters = parameters
                    .build()
                    .map_err(|e| format!("--smtp: TLS settings: {e}"))?;
                if security == Security::Implicit {
                    Tls::Wrapper(parameters)
                } else {
                    Tls::Required(parameters)
                }
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&address.host)
            .port(address.port)
            .tls(tls)
            .timeout(Some(settings.timeout))
            .pool_config(
                PoolConfig::new()
                    .max_size(settings.connections.max(1))
                    .idle_timeout(Duration::from_secs(60)),
            );
        if let Some(login) = &settings.login {
            builder = builder.credentials(Credentials::new(
                login.username.clone(),
                login.password.clone(),
            ));
        }
        Ok(Self {
            transport: builder.build(),
            timeout: settings.timeout,
        })
    }

    /// Hands `message` to the relay: what the relay said, as the outbox's
    /// rules read it.
    pub async fn send(&self, message: &Message) -> Attempt {
        match tokio::time::timeout(self.timeout, self.transport.send(message.clone())).await {
            Err(_) => Attempt::Transient(format!(
                "no answer from the relay within {} s",
                self.timeout.as_secs_f32()
            )),
            Ok(Ok(response)) => {
                let words: Vec<&str> = response.message().collect();
                Attempt::Accepted(format!("{} {}", response.code(), words.join(" ")))
            }
            Ok(Err(error)) => classify(&error),
        }
    }

    /// Closes the pooled connections.
    pub async fn close(&self) {
        self.transport.shutdown().await;
    }
}

/// Replies refusing our login (RFC 4954): the relay's settings or ours
/// are wrong, not the email; retried while the operator fixes them.
const LOGIN_REFUSED: [&str; 4] = ["530", "534", "535", "538"];

/// A failed send, as "later" or "never". "Never" is for the email alone
/// (a 5xx to its message or recipient) and for a relay that would take it
/// in the clear; a relay that refuses our login or whose certificate does
/// not check out fails every email alike, so those are retried (and
/// logged as the operator's to fix) rather than given up, which would
/// erase every code and password waiting.
fn classify(error: &lettre::transport::smtp::Error) -> Attempt {
    let said = error.to_string();
    let code = error.status().map(|code| code.to_string());
    if error.is_client() && said.contains("STARTTLS") {
        Attempt::Permanent(
            "refused: the relay does not offer STARTTLS, and emails are not sent in the clear \
             (smtps:// for TLS from the start, or ?tls=none for a relay on this machine)"
                .into(),
        )
    } else if code.as_deref().is_some_and(|c| LOGIN_REFUSED.contains(&c)) {
        tracing::warn!(
            "the relay refused our login: check ENROLL_SMTP_USERNAME and ENROLL_SMTP_PASSWORD"
        );
        Attempt::Transient(format!("the relay refused our login: {said}"))
    } else if error.is_permanent() {
        Attempt::Permanent(said)
    } else if error.is_transient() || error.is_timeout() {
        Attempt::Transient(said)
    } else if error.is_tls() {
        tracing::warn!("TLS with the relay failed: check its certificate (--smtp-root-cert)");
        Attempt::Transient(format!("TLS with the relay failed: {said}"))
    } else {
        // Refused or cut connections, and answers cut short: the relay may
        // have taken the email; the resend carries the same Message-ID.
        Attempt::Transient(format!("{said} ({})", source_chain(error)))
    }
}

fn source_chain(error: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut source = error.source();
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_as_an_operator_writes_them() {
        let relay = parse_relay_url("smtp://relay.example:587").unwrap();
        assert_eq!(
            relay,
            RelayAddress {
                host: "relay.example".into(),
                port: 587,
                security: Security::StartTls
            }
        );
        assert_eq!(parse_relay_url("smtp://relay.example").unwrap().port, 587);
        let implicit = parse_relay_url("smtps://relay.example").unwrap();
        assert_eq!(
            (implicit.port, implicit.security),
            (465, Security::Implicit)
        );
        let local = parse_relay_url("smtp://127.0.0.1:2525?tls=none").unwrap();
        assert_eq!(local.security, Security::None);
        assert_eq!(
            parse_relay_url("smtp://[::1]:25?tls=none").unwrap().host,
            "::1"
        );
        assert!(parse_relay_url("smtp://localhost:25?tls=none").is_ok());
    }

    #[test]
    fn the_clear_only_on_loopback_and_no_password_in_the_url() {
        let remote = parse_relay_url("smtp://relay.example:25?tls=none").unwrap_err();
        assert!(
            remote.contains("only for a relay on this machine"),
            "{remote}"
        );
        let login = parse_relay_url("smtp://user:secret@relay.example").unwrap_err();
        assert!(login.contains("ENROLL_SMTP_PASSWORD"), "{login}");
        assert!(!login.contains("secret"), "the password is not repeated");
        assert!(parse_relay_url("http://relay.example").is_err());
        let pasted = parse_relay_url("mailer:hunter2@relay.example").unwrap_err();
        assert!(!pasted.contains("hunter2"), "{pasted}");
        assert!(parse_relay_url("smtp://relay.example:x").is_err());
        assert!(parse_relay_url("smtps://127.0.0.1?tls=none").is_err());
    }

    #[test]
    fn a_login_never_shows_its_password() {
        let login = RelayLogin {
            username: "mailer".into(),
            password: "hunter2-long".into(),
        };
        assert!(!format!("{login:?}").contains("hunter2"));
    }
}
