//! Email delivery: the messages' content, delivery to a real relay,
//! retries, secrets erased, relays that misbehave: one test binary (each is
//! compiled and linked on its own, and that was most of CI's minutes).

#[path = "../common/mod.rs"]
mod common;
mod content;
mod delivery;
mod retries;
mod secrets;
mod servers;
