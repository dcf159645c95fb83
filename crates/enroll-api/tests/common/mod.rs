//! A real server on a loopback port with a fresh database, a client,
//! and a real SMTP relay (test-relay) the server delivers its emails to:
//! the tests read their mail there, as a person reads their inbox.
#![allow(dead_code)] // each test file uses its own part of this

pub mod account;
mod applications;
mod contract;
pub mod instances;
pub mod mail;
pub mod partners;
mod server;
pub mod storm;
pub mod wait;

// Each test file uses its own part of these too.
#[allow(unused_imports)]
pub use {
    applications::{complete, history_of, with_admin, Draft},
    contract::{assert_matches_contract, error_code, Answer, Checked},
    mail::MAIL_PATIENCE,
    server::{
        api_with_clock, fresh_database, mail_to, start, start_with, start_with_relay, stored_text,
        Api,
    },
};
