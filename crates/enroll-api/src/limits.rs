//! Every number that bounds what one client can make the server do: the
//! transport's timeouts and sizes, and the rate limits of the routes that
//! cost something (an email, a stored draft, a directory lookup). One
//! place, each a `serve` flag with its default, so tests and benches can
//! set their own and the README lists them from here.
//!
//! Routes that serve every visitor on every keystroke or page load
//! (`/program`, `/validate`, `/providers`, `/providers/index`,
//! `/reference/*`, static files) are deliberately not rate-limited.

use enroll_core::partner_request::limits::REQUESTS_PER_CLIENT_HOUR;
use std::time::Duration;

#[derive(clap::Args, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Seconds a client may take to send a request's headers.
    #[arg(long, default_value_t = 15)]
    pub header_timeout_secs: u64,
    /// Seconds a client may take to send a request's body.
    #[arg(long, default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Seconds an idle keep-alive connection stays open.
    #[arg(long, default_value_t = 75)]
    pub idle_timeout_secs: u64,
    /// Seconds an answer may wait for the client to take more of it: a
    /// client that stops reading is cut off.
    #[arg(long, default_value_t = 30)]
    pub answer_stall_secs: u64,
    /// Connections served at once; further ones wait to be accepted.
    #[arg(long, default_value_t = 1024)]
    pub max_connections: usize,
    /// Longest request target (path and query), in bytes: 414 beyond.
    #[arg(long, default_value_t = 8 * 1024)]
    pub max_uri_bytes: usize,
    /// Largest sum of header names and values, in bytes: 431 beyond.
    #[arg(long, default_value_t = 16 * 1024)]
    pub max_header_bytes: usize,

    /// Resume-link emails one application may send an hour.
    #[arg(long, default_value_t = 3)]
    pub resume_emails_per_application: u32,
    /// Resume-link emails one recipient address may receive an hour.
    #[arg(long, default_value_t = 3)]
    pub resume_emails_per_recipient: u32,
    /// Resume-link emails one client (IP address) may ask for an hour.
    #[arg(long, default_value_t = 10)]
    pub resume_emails_per_client: u32,
    /// Codes proving an admin address one address may receive an hour,
    /// from all drafts together (one draft may send 3 an hour whatever
    /// this says).
    #[arg(long, default_value_t = 3)]
    pub admin_codes_per_recipient: u32,
    /// Drafts one client (IP address) may create an hour. Generous: an
    /// office behind one address is many applicants.
    #[arg(long, default_value_t = 100)]
    pub drafts_per_client: u32,
    /// MPN lookups one client may make an hour: the 7-digit space (10⁷ IDs)
    /// takes one client almost four years at 300 an hour. A client is an
    /// IPv4 address or an IPv6 /64, and a /48 shares 16 clients' worth.
    #[arg(long, default_value_t = 300)]
    pub mpn_lookups_per_client: u32,
    /// Partnership requests an applicant may have open (pending) at once.
    #[arg(long, default_value_t = 10)]
    pub open_provider_requests: u32,
    /// Requests for a partner one client (IP address) may make an hour
    /// (the 5); one customer address may make 3 a day whatever
    /// this says.
    #[arg(long, default_value_t = REQUESTS_PER_CLIENT_HOUR)]
    pub partner_requests_per_client: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            header_timeout_secs: 15,
            body_timeout_secs: 30,
            idle_timeout_secs: 75,
            answer_stall_secs: 30,
            max_connections: 1024,
            max_uri_bytes: 8 * 1024,
            max_header_bytes: 16 * 1024,
            resume_emails_per_application: 3,
            resume_emails_per_recipient: 3,
            resume_emails_per_client: 10,
            admin_codes_per_recipient: 3,
            drafts_per_client: 100,
            mpn_lookups_per_client: 300,
            open_provider_requests: 10,
            partner_requests_per_client: REQUESTS_PER_CLIENT_HOUR,
        }
    }
}

impl Limits {
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.header_timeout_secs)
    }
    pub fn body_timeout(&self) -> Duration {
        Duration::from_secs(self.body_timeout_secs)
    }
    pub fn idle_timeout(&self) -> Duration {
        Duration::from_secs(self.idle_timeout_secs)
    }
    pub fn answer_stall_timeout(&self) -> Duration {
        Duration::from_secs(self.answer_stall_secs)
    }
    /// Limits high enough never to get in a test's way; a test of one
    /// limit lowers that one.
    pub fn generous() -> Self {
        Self {
            resume_emails_per_application: 1_000,
            resume_emails_per_recipient: 1_000,
            resume_emails_per_client: 1_000,
            admin_codes_per_recipient: 1_000,
            drafts_per_client: 100_000,
            mpn_lookups_per_client: 100_000,
            partner_requests_per_client: 1_000,
            ..Self::default()
        }
    }
}

/// The window every per-hour limit above counts in.
pub const RATE_WINDOW: Duration = Duration::from_secs(3600);

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Flags {
        #[command(flatten)]
        limits: Limits,
    }

    #[test]
    fn the_flags_defaults_are_the_defaults() {
        let flags = Flags::try_parse_from(["x"]).unwrap();
        assert_eq!(flags.limits, Limits::default());
        let flags = Flags::try_parse_from(["x", "--drafts-per-client", "7"]).unwrap();
        assert_eq!(flags.limits.drafts_per_client, 7);
    }
}
