//! The partner account: signing in, the second factor, sessions, users and
//! roles, domains, the organization and business profiles, the account's
//! messages: one test binary (each is compiled and linked on its own, and
//! that was most of CI's minutes).

mod business_profile;
#[path = "../common/mod.rs"]
mod common;
mod domains;
mod messages;
mod organization;
mod passwords;
mod roles;
mod second_factor;
mod sessions;
mod sign_in;
mod users;
