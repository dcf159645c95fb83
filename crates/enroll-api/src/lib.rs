//! The reference REST API of the CSP enrollment app (ARCHITECTURE.md has
//! the contract). `cli` is the binary's entry point; `server` holds the HTTP
//! side (`transport` its accept loop, `guards` its middleware); `store` is
//! the only module that speaks SQL.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod directory;
pub mod error;
pub mod guards;
pub mod host_page;
pub mod json;
pub mod limits;
pub mod logo;
pub mod mail;
pub mod mfa;
pub mod openapi;
pub mod partner_requests;
pub mod passwords;
pub mod proxy;
pub mod reference;
pub mod review;
pub mod routes;
pub mod runner;
pub mod secret;
pub mod seed;
pub mod server;
pub mod store;
pub mod throttle;
pub mod transport;

pub use server::{RunningServer, ServeOptions};
pub use store::Store;
