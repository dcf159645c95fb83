//! Proving the admin's address: the applicant types a code the server
//! emailed to it. Review emails and the partner account's password go only
//! to a proven address, so the wizard asks for the proof before the
//! application can be sent.
//!
//! Plain data, in the manner of `draft::Lifecycle`: the app tells it what
//! happened (the code page opened, a press, the server's answer) and
//! carries out the command it returns; the tests drive it the same way.
//! Its rules:
//! - a code is sent once per address as the code page opens, and again
//!   only when the applicant asks for a new one;
//! - only once the answers are saved: the server sends to the address it
//!   has, not to the one on screen;
//! - one request for a code at a time;
//! - where the server says it sent the code is what counts, not what the
//!   page shows;
//! - an address counts as proven only if it is the one the server last
//!   said was proven, compared as `address_key` has it (the server's own
//!   comparison): so a changed address is no longer proven.

use crate::email::address_key;

/// What the app must do: ask the server to email a code to the admin
/// address of the saved answers, then tell `AdminProof::code_sent` where
/// it says it went, or `AdminProof::send_failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendCode;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdminProof {
    /// The address the server last said was proven, as `address_key` has
    /// it.
    proven: Option<String>,
    /// Where the server last said it emailed a code, as `address_key` has
    /// it.
    sent_to: Option<String>,
    /// Whether that code was a new one the applicant asked for (the page
    /// says so).
    resent: bool,
    /// A request for a code is on its way: whether the applicant asked
    /// for it (a new code) or the page did as it opened.
    asking: Option<bool>,
}

impl AdminProof {
    /// Nothing proven, no code sent.
    pub fn new() -> Self {
        Self::default()
    }

    /// The code page shows `address`; `saved` says whether the server has
    /// the answers on screen. Called as the page opens and again when the
    /// answers it waits on are saved: a code goes to an address that has
    /// none yet (going back and forth between the pages sends no more).
    pub fn page_opened(&mut self, address: &str, saved: bool) -> Option<SendCode> {
        if self.code_went_to(address) {
            return None;
        }
        self.ask(saved, false)
    }

    /// "Send a new code" pressed: another code to the same address (the
    /// first may not have arrived), unless one is already on its way.
    pub fn asked_again(&mut self, saved: bool) -> Option<SendCode> {
        self.ask(saved, true)
    }

    /// The server emailed a code, to `to` (its answer names the address it
    /// has, which is what counts).
    pub fn code_sent(&mut self, to: &str) {
        // An answer not awaited cannot come with one request at a time;
        // where it says a code went is the truth all the same.
        let again = self.asking.take().unwrap_or(false);
        self.sent_to = Some(address_key(to));
        self.resent = again;
    }

    /// The request for a code failed (the app tells why): another may go.
    pub fn send_failed(&mut self) {
        self.asking = None;
    }

    /// An answer of the server's about the application: the admin address
    /// it has proven, if it is proven (`Application::admin_email_confirmed`).
    /// The server has the last word: no earlier proof outlives it.
    pub fn server_said(&mut self, proven_address: Option<&str>) {
        self.proven = proven_address.map(address_key);
    }

    /// The server took the code typed and proved `address`.
    pub fn proved(&mut self, address: &str) {
        self.proven = Some(address_key(address));
    }

    /// Whether `address` (the one in the answers now) is the one the
    /// server last said was proven.
    pub fn is_proven(&self, address: &str) -> bool {
        self.proven.as_deref() == Some(address_key(address).as_str())
    }

    /// Whether the last code the server said it sent went to `address`
    /// (the page says a code was emailed there only then).
    pub fn code_went_to(&self, address: &str) -> bool {
        self.sent_to.as_deref() == Some(address_key(address).as_str())
    }

    /// Where the server last said it emailed a code, as `address_key` has
    /// it.
    pub fn sent_to(&self) -> Option<&str> {
        self.sent_to.as_deref()
    }

    /// Whether the last code sent was a new one the applicant asked for
    /// (false again from the next request on).
    pub fn resent(&self) -> bool {
        self.resent
    }

    /// Whether a request for a code is on its way.
    pub fn sending(&self) -> bool {
        self.asking.is_some()
    }

    fn ask(&mut self, saved: bool, again: bool) -> Option<SendCode> {
        // The server sends to the address it has: asked before the answers
        // are saved, a code would go to an older address (or none).
        if !saved || self.sending() {
            return None;
        }
        self.asking = Some(again);
        // "A new code was sent" is about the code being asked for now,
        // once the server has sent it.
        self.resent = false;
        Some(SendCode)
    }
}

#[cfg(test)]
mod tests;
