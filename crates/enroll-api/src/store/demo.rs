//! Demo partners for `--seed-demo` (development only): approved accounts
//! with published business profiles, whose global admins sign in with a
//! known password and a known second factor, so that a request made on
//! the find-a-partner page reaches someone a developer can be.

use enroll_core::account::Role;
use enroll_core::business_profile::BusinessProfile;
use enroll_core::{Answers, ApplicationStatus};

use super::accounts::{insert_account, NewAccount};
use super::applications::add_history;
use super::{secs, NewUser, Store, StoreError};
use crate::clock::iso;

/// One demo partner to add.
pub struct DemoPartner {
    pub application_id: String,
    pub account_id: String,
    pub user_id: String,
    pub mpn_id: String,
    /// The company, its address, its admin.
    pub answers: Answers,
    pub password_hash: String,
    /// Base32, as an authenticator app takes it.
    pub totp_secret: String,
    /// Published; its referral contact becomes the admin.
    pub profile: BusinessProfile,
}

impl Store {
    /// Adds `demo` unless an application of its MPN ID exists (a database
    /// seeded before keeps its partners): whether it did.
    pub async fn seed_demo_partner(&self, demo: DemoPartner) -> Result<bool, StoreError> {
        let now = self.now();
        self.write(move |tx| {
            Box::pin(async move {
                let exists: bool = on!(tx, c => sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM applications WHERE mpn_id = $1)"
                )
                .bind(&demo.mpn_id)
                .fetch_one(c)
                .await)?;
                if exists {
                    return Ok(false);
                }
                let admin = &demo.answers.admin;
                let answers = serde_json::to_string(&demo.answers)
                    .map_err(|e| StoreError::Corrupt(format!("demo answers: {e}")))?;
                let at = iso(now);
                execute!(tx, c => sqlx::query(
                    "INSERT INTO applications (id, token_hash, token_expires_at, status, locale,
                         answers, mpn_id, created_at, updated_at, admin_email_confirmed)
                     VALUES ($1, $2, $3, $4, 'en-US', $5, $6, $3, $3, $7)"
                )
                .bind(&demo.application_id)
                // No resume link opens a demo application.
                .bind(format!("demo-{}", demo.application_id))
                .bind(&at)
                .bind(ApplicationStatus::Approved.as_str())
                .bind(&answers)
                .bind(&demo.mpn_id)
                .bind(&admin.email))?;
                add_history(
                    tx,
                    &demo.application_id,
                    ApplicationStatus::Approved,
                    None,
                    &at,
                )
                .await?;
                let account = NewAccount {
                    id: demo.account_id.clone(),
                    created_at: now,
                    user: NewUser {
                        id: demo.user_id.clone(),
                        email: admin.email.clone(),
                        first_name: admin.first_name.clone(),
                        last_name: admin.last_name.clone(),
                        roles: vec![Role::GlobalAdmin],
                        password_hash: demo.password_hash.clone(),
                        password_expires_at: now,
                    },
                };
                insert_account(tx, &demo.application_id, &account).await?;
                // Its own password and second factor already: signing in
                // asks for both, as every user's does.
                execute!(tx, c => sqlx::query(
                    "UPDATE users SET password_temporary = FALSE, password_expires_at = NULL,
                         totp_secret = $1, totp_last_step = 0
                     WHERE id = $2"
                )
                .bind(&demo.totp_secret)
                .bind(&demo.user_id))?;
                let profile = BusinessProfile {
                    referral_contact: Some(demo.user_id.clone()),
                    published: true,
                    ..demo.profile
                };
                let body = serde_json::to_string(&profile)
                    .map_err(|e| StoreError::Corrupt(format!("demo profile: {e}")))?;
                execute!(tx, c => sqlx::query(
                    "INSERT INTO business_profiles (account_id, version, body, published, logo,
                         updated_at, first_published_at)
                     VALUES ($1, 1, $2, $3, NULL, $4, $4)"
                )
                .bind(&demo.account_id)
                .bind(&body)
                .bind(true)
                .bind(secs(now)))?;
                Ok(true)
            })
        })
        .await
    }
}
