//! The CSP enrollment app: views and browser glue only. The domain (types,
//! rules, messages) is `enroll-core`; the host page is `embed`; HTTP is `api`.

pub mod account;
pub mod api;
pub mod app;
pub mod embed;
pub mod finder;
pub mod i18n;
pub mod later;
pub mod partners;
pub mod ui;
pub mod wizard;

pub use app::App;
