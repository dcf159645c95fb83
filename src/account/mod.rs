//! The partner account after approval: signing in, choosing one's own
//! password, setting up and giving the second factor, the account's page,
//! signing out. Which page shows is the session's stage (enroll-core's
//! `SessionStage`); the session's token lives in this module's memory only
//! and goes when the page does.

mod domains;
mod nav;
mod pages;
mod profile;
mod provider_requests;
mod users;

use enroll_core::account::{AccountView, SessionStage, SessionState};
use enroll_core::msg;
use enroll_core::{Catalog, ErrorCode, Problem, ProblemCode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

use crate::api::{ApiClient, ApiFailure};
use crate::i18n::{use_i18n, I18n};

/// What the account's pages share.
#[derive(Clone, Copy)]
pub struct AccountState {
    /// Where signing in stands; `None` before it and after signing out.
    pub session: RwSignal<Option<SessionState>>,
    /// The bearer token: in memory only.
    token: StoredValue<Option<String>>,
    pub account: RwSignal<Option<AccountView>>,
    /// Shown once, right after the second factor is set up.
    pub recovery_codes: RwSignal<Option<Vec<String>>>,
    /// What the last form's answer found wrong, by field.
    pub errors: RwSignal<Vec<Problem>>,
    /// A failure that is not one field's (a wrong password, a wait).
    pub notice: RwSignal<Option<ApiFailure>>,
    /// Signed out by the user (said on the sign-in page).
    pub signed_out: RwSignal<bool>,
    /// A request is on its way: its button says so and does nothing.
    pub busy: RwSignal<bool>,
    /// Which page of the account is open, once signed in.
    pub section: RwSignal<Section>,
    api: StoredValue<ApiClient>,
    pub i18n: I18n,
}

/// The account's pages once signed in, each shown only where the user's
/// roles allow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Home,
    Users,
    Domains,
    Profile,
    ProviderRequests,
}

/// The page a session at this stage sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    SignIn,
    MfaCode,
    ChangePassword,
    EnrolMfa,
    RecoveryCodes,
    Home,
    Users,
    Domains,
    Profile,
    ProviderRequests,
}

impl AccountState {
    fn new(i18n: I18n) -> Self {
        Self {
            session: RwSignal::new(None),
            token: StoredValue::new(None),
            account: RwSignal::new(None),
            recovery_codes: RwSignal::new(None),
            errors: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            signed_out: RwSignal::new(false),
            busy: RwSignal::new(false),
            section: RwSignal::new(Section::Home),
            api: StoredValue::new(expect_context::<ApiClient>()),
            i18n,
        }
    }

    pub fn page(&self) -> Page {
        if self.recovery_codes.with(Option::is_some) {
            return Page::RecoveryCodes;
        }
        match self.session.with(|s| s.as_ref().map(SessionState::stage)) {
            None => Page::SignIn,
            Some(SessionStage::NeedsMfaCode) => Page::MfaCode,
            Some(SessionStage::MustChangePassword) => Page::ChangePassword,
            Some(SessionStage::MustEnrolMfa) => Page::EnrolMfa,
            Some(SessionStage::Ready) => match self.section.get() {
                Section::Home => Page::Home,
                Section::Users => Page::Users,
                Section::Domains => Page::Domains,
                Section::Profile => Page::Profile,
                Section::ProviderRequests => Page::ProviderRequests,
            },
        }
    }

    /// Runs one request of a form: its failure shown at its fields or
    /// above the form, a session that ended back to signing in, and
    /// `then` given the answer. One at a time: a second press waits.
    pub(super) fn run<T: 'static, F>(
        &self,
        call: impl FnOnce(ApiClient, Option<String>, enroll_core::Locale) -> F + 'static,
        then: impl FnOnce(AccountState, T) + 'static,
    ) where
        F: Future<Output = Result<T, ApiFailure>>,
    {
        if self.busy.get_untracked() {
            return;
        }
        let state = *self;
        state.busy.set(true);
        let (api, token) = (self.api.get_value(), self.token.get_value());
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            let answer = call(api, token, locale).await;
            state.busy.set(false);
            match answer {
                Ok(value) => {
                    state.errors.set(Vec::new());
                    state.notice.set(None);
                    then(state, value);
                }
                Err(ApiFailure::Invalid(report)) => {
                    state.notice.set(None);
                    state.errors.set(report.errors);
                }
                Err(failure) => {
                    let ended = matches!(
                        failure.code(),
                        Some(ErrorCode::SessionExpired | ErrorCode::SessionRequired)
                    );
                    if ended {
                        // The session ended (idle, revoked): sign in again.
                        state.forget_session();
                    }
                    state.errors.set(Vec::new());
                    state.notice.set(Some(failure));
                }
            }
        });
    }

    fn forget_session(&self) {
        self.token.set_value(None);
        self.session.set(None);
        self.account.set(None);
        self.section.set(Section::Home);
    }

    /// Whether the signed-in user's roles allow `action` (what the API
    /// said in `GET /account`).
    pub fn may(&self, action: enroll_core::account::Action) -> bool {
        self.account
            .with(|a| a.as_ref().is_some_and(|a| a.actions.contains(&action)))
    }

    /// Opens a page of the account; its problems and notices start empty.
    pub fn open(&self, section: Section) {
        self.errors.set(Vec::new());
        self.notice.set(None);
        self.section.set(section);
    }

    /// A new state of the session (the token, when it is a new one).
    fn entered(&self, state: SessionState) {
        if let Some(token) = &state.token {
            self.token.set_value(Some(token.clone()));
        }
        let ready = state.stage() == SessionStage::Ready;
        // The token stays in `token` only.
        self.session.set(Some(SessionState {
            token: None,
            ..state
        }));
        if ready {
            self.load_account();
        }
    }

    /// Problems at the fields left empty, shown at once: an empty sign-in
    /// would count as a failed one. True when none is empty.
    fn filled(&self, fields: &[(&str, &str)]) -> bool {
        let empty: Vec<Problem> = fields
            .iter()
            .filter(|(_, value)| value.trim().is_empty())
            .map(|(path, _)| Problem::at(path, ProblemCode::Required))
            .collect();
        let filled = empty.is_empty();
        if !filled {
            self.notice.set(None);
            self.errors.set(empty);
        }
        filled
    }

    pub fn sign_in(&self, email: String, password: String) {
        self.signed_out.set(false);
        if !self.filled(&[("email", &email), ("password", &password)]) {
            return;
        }
        self.run(
            move |api, _, locale| async move { api.sign_in(&email, &password, locale).await },
            |state, session| state.entered(session),
        );
    }

    pub fn give_mfa_code(&self, code: String) {
        if !self.filled(&[("code", &code)]) {
            return;
        }
        self.run(
            move |api, token, locale| async move {
                api.give_mfa_code(&token.unwrap_or_default(), &code, locale)
                    .await
            },
            |state, session| state.entered(session),
        );
    }

    pub fn change_password(&self, current: String, new: String) {
        if !self.filled(&[("current_password", &current), ("new_password", &new)]) {
            return;
        }
        self.run(
            move |api, token, locale| async move {
                api.change_password(&token.unwrap_or_default(), &current, &new, locale)
                    .await
            },
            |state, session| state.entered(session),
        );
    }

    pub fn start_totp(&self, then: impl FnOnce(enroll_core::account::TotpOffer) + 'static) {
        self.run(
            move |api, token, locale| async move {
                api.start_totp(&token.unwrap_or_default(), locale).await
            },
            move |_, offer| then(offer),
        );
    }

    pub fn confirm_totp(&self, code: String) {
        if !self.filled(&[("code", &code)]) {
            return;
        }
        self.run(
            move |api, token, locale| async move {
                api.confirm_totp(&token.unwrap_or_default(), &code, locale)
                    .await
            },
            |state, confirmed| {
                // A new stage, a new token: the one before stops working.
                if let Some(token) = confirmed.token {
                    state.token.set_value(Some(token));
                }
                state.recovery_codes.set(Some(confirmed.recovery_codes));
                // Confirming gave the code: the session is signed in.
                state.session.update(|s| {
                    if let Some(s) = s {
                        s.mfa_enrolment_required = false;
                    }
                });
            },
        );
    }

    /// The recovery codes are kept: on to the account.
    pub fn codes_kept(&self) {
        self.recovery_codes.set(None);
        self.load_account();
    }

    fn load_account(&self) {
        self.run(
            move |api, token, locale| async move {
                api.account(&token.unwrap_or_default(), locale).await
            },
            |state, account| state.account.set(Some(account)),
        );
    }

    pub fn sign_out(&self) {
        self.run(
            move |api, token, locale| async move {
                api.sign_out(&token.unwrap_or_default(), locale).await
            },
            |state, ()| {
                state.forget_session();
                state.signed_out.set(true);
            },
        );
    }
}

/// Adds the account's messages (a book the first page's download does
/// not carry) to every locale's catalog, so a language switch finds them
/// too.
async fn add_messages(api: ApiClient, locale: enroll_core::Locale) -> Result<(), ApiFailure> {
    let texts = api.messages("account", locale).await?;
    for (tag, text) in texts {
        if let Some(locale) = enroll_core::Locale::from_tag(&tag) {
            // Kept for the page's life: the catalog refers to it.
            Catalog::add(locale, Box::leak(text.into_boxed_str()));
        }
    }
    Ok(())
}

/// The partner account: its pages, from signing in on, once its messages
/// are here. `email` fills the sign-in form's address (the admin's, from
/// the status page); `on_back` returns to where it was opened from.
pub fn account_page(email: Option<String>, on_back: Option<Callback<()>>) -> AnyView {
    let i18n = use_i18n();
    let state = AccountState::new(i18n);
    provide_context(state);
    let api = state.api.get_value();
    let messages =
        LocalResource::new(move || add_messages(api.clone(), i18n.locale.get_untracked()));
    let email = email.unwrap_or_default();
    (move || match messages.get() {
        None => view! { <p class="csp-loading" role="status">{move || i18n.t(msg::APP_PART_LOADING)}</p> }.into_any(),
        Some(Ok(())) => view! { <pages::AccountPages email=email.clone() on_back=on_back/> }.into_any(),
        Some(Err(failure)) => view! {
            <div class="csp-notice csp-notice--problem" role="alert">
                <p>{move || failure.describe(&i18n)}</p>
                <button type="button" class="csp-button csp-button--secondary" on:click=move |_| messages.refetch()>
                    {move || i18n.t(msg::APP_RETRY)}
                </button>
            </div>
        }
        .into_any(),
    })
    .into_any()
}
