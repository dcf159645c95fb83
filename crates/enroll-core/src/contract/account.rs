//! Signing in to the partner account, and its lists.

use serde::{Deserialize, Serialize};

use crate::account::UserView;

/// `POST /session`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

/// `POST /session/mfa`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct MfaCode {
    /// 6 digits from the authenticator app, or a recovery code.
    pub code: String,
}

/// `POST /session/password`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// `POST /account/mfa/totp/confirm`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct TotpConfirmation {
    /// A code from the authenticator app.
    pub code: String,
}

/// `GET /account/users`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Users {
    /// In the order they were added.
    pub items: Vec<UserView>,
}
