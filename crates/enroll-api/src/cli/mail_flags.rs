//! `serve`'s mail flags: the relay, the sender's identity, the pace; read
//! into the sender's options.

use std::path::PathBuf;

use crate::mail::defaults;
use crate::mail::message::Identity;
use crate::mail::relay::{parse_relay_url, RelayLogin, RelaySettings};
use crate::mail::sender::MailOptions;
use lettre::message::Mailbox;
use std::time::Duration;

/// How `serve` delivers the outbox. The relay's user and password come
/// from the environment only (`ENROLL_SMTP_USERNAME`,
/// `ENROLL_SMTP_PASSWORD`): a flag shows in `ps` and shell history.
#[derive(clap::Args, Debug, Clone)]
pub struct MailFlags {
    /// The SMTP relay: smtp://host:587 (STARTTLS required), smtps://host:465
    /// (TLS from the start), or smtp://127.0.0.1:25?tls=none (loopback only).
    /// Without it (and without --mail-dir) emails stay in the outbox.
    #[arg(long, env = "ENROLL_SMTP")]
    smtp: Option<String>,
    /// The sender, e.g. "Contoso CSP <csp@contoso.com>" (required with --smtp).
    #[arg(long)]
    mail_from: Option<String>,
    /// Where answers to the emails go.
    #[arg(long)]
    reply_to: Option<String>,
    /// A PEM file of a certificate to trust for the relay besides the
    /// public roots (a private CA); repeatable.
    #[arg(long = "smtp-root-cert")]
    smtp_root_certs: Vec<PathBuf>,
    /// Emails handed to the relay a minute, at most, by this process.
    #[arg(long, default_value_t = defaults::PER_MINUTE)]
    smtp_per_minute: u32,
    /// The longest one send may take, connecting included.
    #[arg(long, default_value_t = defaults::TIMEOUT_SECS)]
    smtp_timeout_secs: u64,
    /// Connections to the relay kept open (and so sends at once).
    #[arg(long, default_value_t = defaults::CONNECTIONS)]
    smtp_connections: u32,
    /// How long a sender holds an email it took; past it, another
    /// process takes it up (the first is taken for dead).
    #[arg(long, default_value_t = defaults::LEASE_SECS)]
    mail_lease_secs: u64,
    /// How long stopping waits for the sends in flight.
    #[arg(long, default_value_t = defaults::SHUTDOWN_WAIT_SECS)]
    mail_shutdown_secs: u64,
    /// Write every email as a .eml file here too (with no --smtp, instead
    /// of sending: for development). They hold codes and passwords.
    #[arg(long)]
    mail_dir: Option<PathBuf>,
}

impl MailFlags {
    /// The sender's options; what cannot work is said before serving.
    pub fn options(self) -> Result<MailOptions, String> {
        let mailbox = |flag: &str, value: &str| -> Result<Mailbox, String> {
            value.parse().map_err(|e| {
                format!("{flag} {value:?}: not \"Name <address>\" or an address ({e})")
            })
        };
        let identity = match &self.mail_from {
            Some(from) => Identity {
                from: mailbox("--mail-from", from)?,
                reply_to: None,
            },
            None if self.smtp.is_some() => {
                return Err(
                    "--smtp needs --mail-from \"Name <address>\": who the emails are from".into(),
                )
            }
            None => Identity::development(),
        };
        let identity = Identity {
            reply_to: self
                .reply_to
                .as_deref()
                .map(|r| mailbox("--reply-to", r))
                .transpose()?,
            ..identity
        };
        let relay = match &self.smtp {
            None => None,
            Some(url) => {
                let address = parse_relay_url(url)?;
                let username = std::env::var("ENROLL_SMTP_USERNAME")
                    .ok()
                    .filter(|u| !u.is_empty());
                let password = std::env::var("ENROLL_SMTP_PASSWORD").ok();
                let login =
                    match (username, password) {
                        (Some(username), Some(password)) => Some(RelayLogin { username, password }),
                        (None, None) => None,
                        _ => return Err(
                            "set both ENROLL_SMTP_USERNAME and ENROLL_SMTP_PASSWORD, or neither"
                                .into(),
                        ),
                    };
                let extra_roots = self
                    .smtp_root_certs
                    .iter()
                    .map(|path| {
                        std::fs::read_to_string(path)
                            .map_err(|e| format!("--smtp-root-cert {}: {e}", path.display()))
                    })
                    .collect::<Result<_, _>>()?;
                Some(RelaySettings {
                    address,
                    login,
                    extra_roots,
                    timeout: Duration::from_secs(self.smtp_timeout_secs.max(1)),
                    connections: self.smtp_connections.max(1),
                })
            }
        };
        let options = MailOptions {
            relay,
            mail_dir: self.mail_dir,
            identity,
            per_minute: self.smtp_per_minute,
            lease_secs: self.mail_lease_secs,
            shutdown_wait: Duration::from_secs(self.mail_shutdown_secs),
            poll: Duration::from_secs(defaults::POLL_SECS),
        };
        options.check()?;
        Ok(options)
    }
}
