//! Harness for the end-to-end tests: the real API (in-process, real HTTP,
//! a fresh SQLite file) serving the real release build from dist/,
//! delivering its emails over SMTP to a real relay (test-relay) where the
//! tests read them, and a real headless Chromium driven through
//! chromedriver.
//!
//! One `Stack` for a test, its methods in rooms of one concern each:
//!
//! - `harness`: starting the API, the relay, chromedriver and the browser
//!   (and the partner's page), and stopping them;
//! - `waiting`: waiting for a condition, never for a length of time;
//! - `page`: reading and acting on the app in its shadow root (click, fill,
//!   choose, text, focus, storage, screenshots);
//! - `keyboard`: real key presses (Tab to a field, type, the arrow keys);
//! - `account`: the partner account reached and signed in to for the first
//!   time;
//! - `answers`: the wizard walk's answers, page by page, and an application
//!   submitted over HTTP;
//! - `inbox`: the emails the relay received (codes, temporary passwords);
//! - `network`: offline, throttled, and DevTools commands;
//! - `axe`: accessibility checks with axe-core;
//! - `host_page`: the partner's page that embeds the app, and its iframe;
//! - `partners`: a partner with a published business profile, and the
//!   find-a-partner page.

mod account;
mod answers;
mod axe;
mod harness;
mod host_page;
mod inbox;
mod keyboard;
mod network;
mod page;
mod partners;
mod waiting;

pub use harness::{dist_dir, Stack};
pub use network::Network;
pub use waiting::{eventually, eventually_within, PATIENCE};
