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

use enroll_core::account::{AccountView, SessionStage, SessionState, TotpOffer};
use enroll_core::i18n::Book;
use enroll_core::{ErrorCode, Locale, Problem, ProblemCode};
use leptos::prelude::*;
use std::future::Future;
use std::rc::Rc;

use crate::api::{ApiClient, ApiFailure};
use crate::i18n::{use_i18n, with_book, I18n};

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
    BusinessProfile,
    Referrals,
    Customers,
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
    BusinessProfile,
    Referrals,
    Customers,
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
                Section::BusinessProfile => Page::BusinessProfile,
                Section::Referrals => Page::Referrals,
                Section::Customers => Page::Customers,
            },
        }
    }

    /// A kind of request of the account's pages: `call` asks the API
    /// (with the session's token, empty before signing in), `then` takes
    /// a success's answer and gives what `Request::answer` holds. A
    /// failure is shown at its fields or above the form; a session that
    /// ended goes back to signing in.
    pub(crate) fn request<I, T, O, F>(
        &self,
        call: impl Fn(ApiClient, String, Locale, I) -> F + 'static,
        then: impl Fn(AccountState, T) -> O + 'static,
    ) -> Request<I, O>
    where
        I: Clone + 'static,
        T: 'static,
        O: 'static,
        F: Future<Output = Result<T, ApiFailure>> + 'static,
    {
        let state = *self;
        let then = Rc::new(then);
        let succeeded = RwSignal::new(0);
        let action = Action::new_local(move |input: &I| {
            let token = state.token.get_value().unwrap_or_default();
            let locale = state.i18n.locale.get_untracked();
            let answer = call(state.api.get_value(), token, locale, input.clone());
            let then = Rc::clone(&then);
            async move {
                let value = state.settle(answer.await)?;
                let done = then(state, value);
                succeeded.update(|n| *n += 1);
                Some(done)
            }
        });
        Request { action, succeeded }
    }

    /// What a page shows, loaded as it opens and again each time `again`
    /// changes (the versions of the requests that change it). A failure
    /// is shown above the page, as a request's is; a success leaves what
    /// the last request said where it is.
    pub(crate) fn loaded<T, F>(
        &self,
        again: impl Fn() + 'static,
        call: impl Fn(ApiClient, String, Locale) -> F + 'static,
    ) -> LocalResource<Option<T>>
    where
        T: Clone + 'static,
        F: Future<Output = Result<T, ApiFailure>> + 'static,
    {
        let state = *self;
        // A reload that fails keeps showing the last one loaded.
        let last = StoredValue::new_local(None::<T>);
        LocalResource::new(move || {
            again();
            let token = state.token.get_value().unwrap_or_default();
            let locale = state.i18n.locale.get_untracked();
            let answer = call(state.api.get_value(), token, locale);
            async move {
                match answer.await {
                    Ok(value) => {
                        last.set_value(Some(value.clone()));
                        Some(value)
                    }
                    Err(failure) => {
                        state.told(failure);
                        last.get_value()
                    }
                }
            }
        })
    }

    /// Shows what went wrong with a request, if anything; the answer if
    /// nothing did.
    fn settle<T>(&self, answer: Result<T, ApiFailure>) -> Option<T> {
        match answer {
            Ok(value) => {
                self.errors.set(Vec::new());
                self.notice.set(None);
                Some(value)
            }
            Err(ApiFailure::Invalid(report)) => {
                self.notice.set(None);
                self.errors.set(report.errors);
                None
            }
            Err(failure) => {
                self.errors.set(Vec::new());
                self.told(failure);
                None
            }
        }
    }

    /// A failure above the page; a session that ended (idle, revoked)
    /// goes back to signing in.
    fn told(&self, failure: ApiFailure) {
        let ended = matches!(
            failure.code(),
            Some(ErrorCode::SessionExpired | ErrorCode::SessionRequired)
        );
        if ended {
            self.forget_session();
        }
        self.notice.set(Some(failure));
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
        // The token stays in `token` only.
        self.session.set(Some(SessionState {
            token: None,
            ..state
        }));
    }

    /// Problems at the fields left empty, shown at once: an empty sign-in
    /// would count as a failed one. True when none is empty.
    pub fn filled(&self, fields: &[(&str, &str)]) -> bool {
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

    pub fn signing_in(&self) -> Request<(String, String), ()> {
        self.request(
            |api, _, locale, (email, password): (String, String)| async move {
                api.sign_in(&email, &password, locale).await
            },
            |state, session| state.entered(session),
        )
    }

    pub fn giving_mfa_code(&self) -> Request<String, ()> {
        self.request(
            |api, token, locale, code: String| async move {
                api.give_mfa_code(&token, &code, locale).await
            },
            |state, session| state.entered(session),
        )
    }

    /// The current password, then the new one.
    pub fn changing_password(&self) -> Request<(String, String), ()> {
        self.request(
            |api, token, locale, (current, new): (String, String)| async move {
                api.change_password(&token, &current, &new, locale).await
            },
            |state, session| state.entered(session),
        )
    }

    /// A new secret for an authenticator app, to scan or type.
    pub fn offering_totp(&self) -> Request<(), TotpOffer> {
        self.request(
            |api, token, locale, ()| async move { api.start_totp(&token, locale).await },
            |_, offer| offer,
        )
    }

    pub fn confirming_totp(&self) -> Request<String, ()> {
        self.request(
            |api, token, locale, code: String| async move {
                api.confirm_totp(&token, &code, locale).await
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
        )
    }

    /// The recovery codes are kept: on to the account.
    pub fn codes_kept(&self) {
        self.recovery_codes.set(None);
    }

    /// The account as the API describes it: loaded each time the session
    /// becomes ready for it (signed in, and the recovery codes kept).
    fn load_account_when_ready(&self) {
        let state = *self;
        let ready = Memo::new(move |_| {
            let ready = state.session.with(|s| s.as_ref().map(SessionState::stage))
                == Some(SessionStage::Ready);
            ready && state.recovery_codes.with(Option::is_none)
        });
        // A resource, not a request: an answer for a session that has
        // since ended (signed out, and in again) is dropped unread.
        let load = LocalResource::new(move || {
            let ready = ready.get();
            let token = state.token.get_value().unwrap_or_default();
            let (api, locale) = (state.api.get_value(), state.i18n.locale.get_untracked());
            async move {
                match ready {
                    true => Some(api.account(&token, locale).await),
                    false => None,
                }
            }
        });
        Effect::new(move |_| {
            if let Some(Some(answer)) = load.get() {
                if let Some(account) = state.settle(answer) {
                    state.account.set(Some(account));
                }
            }
        });
    }

    pub fn signing_out(&self) -> Request<(), ()> {
        self.request(
            |api, token, locale, ()| async move { api.sign_out(&token, locale).await },
            |state, ()| {
                state.forget_session();
                state.signed_out.set(true);
            },
        )
    }
}

/// A kind of request of the account's pages (signing in, adding a user),
/// as a Leptos action. `send` runs it unless one is on its way: a second
/// press of its button does nothing, while other requests go on.
pub struct Request<I: 'static, O: 'static> {
    action: Action<I, Option<O>>,
    /// How many succeeded (the action's own version counts failures).
    succeeded: RwSignal<usize>,
}

impl<I, O> Clone for Request<I, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<I, O> Copy for Request<I, O> {}

impl<I: 'static, O: 'static> Request<I, O> {
    pub fn send(&self, input: I) {
        if !self.action.pending().get_untracked() {
            self.action.dispatch_local(input);
        }
    }

    /// Whether one is on its way (tracked: its button says so).
    pub fn pending(&self) -> Signal<bool> {
        self.action.pending().into()
    }

    /// How many have succeeded (tracked): a list keyed on it loads again
    /// after each success, and not after a refusal (a row being edited
    /// stays as it is).
    pub fn version(&self) -> usize {
        self.succeeded.get()
    }
}

impl<I: 'static, O: Clone + Send + Sync + 'static> Request<I, O> {
    /// What the last success gave (tracked); `None` before one, and after
    /// a failure.
    pub fn answer(&self) -> Option<O> {
        self.action.value().get().flatten()
    }
}

/// The partner account: its pages, from signing in on, once its messages
/// are here. `email` fills the sign-in form's address (the admin's, from
/// the status page); `on_back` returns to where it was opened from.
pub fn account_page(email: Option<String>, on_back: Option<Callback<()>>) -> AnyView {
    let i18n = use_i18n();
    let state = AccountState::new(i18n);
    state.load_account_when_ready();
    provide_context(state);
    let email = email.unwrap_or_default();
    with_book(Book::Account, move || {
        view! { <pages::AccountPages email=email.clone() on_back=on_back/> }.into_any()
    })
}
