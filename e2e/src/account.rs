//! The partner account as its users reach it: from an approved
//! application to the account, signed in for the first time.

use enroll_api::clock::{Clock, SystemClock};
use enroll_api::mfa;

use crate::Stack;

impl Stack {
    /// From the sign-in page: signs in with `password` and, for a first
    /// sign-in, chooses `new_password` and sets up an authenticator, as
    /// every user does: its key.
    pub async fn sign_in_first_time(
        &self,
        email: &str,
        password: &str,
        new_password: &str,
    ) -> mfa::Secret {
        self.fill("#f-email", email).await;
        self.fill("#f-password", password).await;
        self.click("button[type=submit]").await;
        self.wait_for("#f-new_password").await;
        self.fill("#f-current_password", password).await;
        self.fill("#f-new_password", new_password).await;
        self.click("button[type=submit]").await;
        // Every user sets up an authenticator before the account opens.
        self.wait_for("[data-secret]").await;
        self.wait_for(".csp-qr svg").await;
        let secret = self.text("[data-secret]").await.expect("the key is shown");
        let secret = mfa::Secret::from_base32(&secret).expect("base32");
        self.fill("#f-code", &mfa::code_at(&secret, SystemClock.now()))
            .await;
        self.click("button[type=submit]").await;
        self.wait_for("[data-recovery-codes]").await;
        self.click(".csp-button").await;
        self.wait_for("[data-account]").await;
        secret
    }

    /// An application submitted and approved, opened from its resume link
    /// and its admin (jane.doe@contoso.com) signed in for the first time,
    /// on the account's first page: the admin's authenticator key.
    pub async fn approved_admin_signed_in(&self) -> mfa::Secret {
        self.approved_admin_signed_in_of(&enroll_core::Answers::example())
            .await
    }

    /// `approved_admin_signed_in` for an application of `answers` (its
    /// admin's address being jane.doe@contoso.com).
    pub async fn approved_admin_signed_in_of(&self, answers: &enroll_core::Answers) -> mfa::Secret {
        let (id, token) = self.submitted_application_of(answers).await;
        self.operator(&["review", "start", &id]).await;
        self.operator(&["review", "approve", &id]).await;
        self.browser
            .goto(&self.url(&format!("/#resume={id}.{token}")))
            .await
            .expect("opens");
        self.wait_for_text("[data-status]", "Approved").await;
        self.click("[data-open-account]").await;
        self.wait_for("#f-password").await;
        let temporary = self.temporary_password("jane.doe@contoso.com").await;
        self.sign_in_first_time("jane.doe@contoso.com", &temporary, "violet quarry tandem")
            .await
    }

    /// Signs in again as jane.doe@contoso.com (her password chosen by
    /// `approved_admin_signed_in`), on the account's own page, with the
    /// code of `secret`: the account's first page. The next step's code
    /// (one step either side is taken): the current one may be the very
    /// code that set the authenticator up, which is taken once.
    pub async fn signed_in_again(&self, secret: &mfa::Secret) {
        self.browser
            .goto(&self.url("/account.html"))
            .await
            .expect("opens");
        self.fill("#f-email", "jane.doe@contoso.com").await;
        self.fill("#f-password", "violet quarry tandem").await;
        self.click("button[type=submit]").await;
        self.wait_for("#f-code").await;
        self.fill("#f-code", &mfa::code_at(secret, SystemClock.now() + 30))
            .await;
        self.click("button[type=submit]").await;
        self.wait_for("[data-account]").await;
    }

    /// axe-core on the page as it is, in English, then in Chinese, then
    /// back.
    pub async fn accessible_in_both_languages(&self, page: &str) {
        self.assert_accessible(&format!("{page} (en-US)")).await;
        self.click(".csp-language__option[lang=zh-CN]").await;
        self.wait_for(".csp-app[lang=zh-CN]").await;
        self.assert_accessible(&format!("{page} (zh-CN)")).await;
        self.click(".csp-language__option[lang=en-US]").await;
        self.wait_for(".csp-app[lang=en-US]").await;
    }
}
