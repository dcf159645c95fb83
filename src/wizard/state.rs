//! What the wizard does besides saving the draft: Continue, opening a
//! resume link, the code that proves the admin address, the resume email,
//! the review status, address formats.

use enroll_core::address::AddressFormat;
use enroll_core::admin_proof::{AdminProof, SendCode};
use enroll_core::draft::SaveStatus;
use enroll_core::{Application, Circumstances, Locale, Step, Wizard};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;

use super::WizardState;
use crate::api::{ApiClient, ApiFailure, DraftRef};
use crate::embed::HostEvent;

impl WizardState {
    /// Tells the host page (`csp-enroll:<name>` events).
    pub fn tell_host(&self, event: HostEvent) {
        self.events.with_value(|events| events.emit(event));
    }

    pub(super) fn api(&self) -> ApiClient {
        self.api.get_value()
    }

    /// A failure outside the draft's lifecycle, shown above the page.
    fn tell(&self, failure: ApiFailure) {
        self.notice.set(Some(failure));
    }

    /// Asks the API something about this tab's draft (none yet: nothing
    /// to ask) and hands the answer to `then`; a failure is told above
    /// the page.
    fn ask<T: 'static, F>(
        &self,
        call: impl FnOnce(ApiClient, DraftRef, Locale) -> F + 'static,
        then: impl FnOnce(T) + 'static,
    ) where
        F: Future<Output = Result<T, ApiFailure>>,
    {
        let state = *self;
        let Some(draft) = state.draft.get_untracked() else {
            return;
        };
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            match call(state.api(), draft, locale).await {
                Ok(answer) => then(answer),
                Err(failure) => state.tell(failure),
            }
        });
    }

    /// Whether the admin address now in the answers is the one the
    /// server last said was proven (`AdminProof::is_proven`). Tracked.
    pub fn admin_email_proven(&self) -> bool {
        self.admin_proof
            .with(|proof| self.form.answers.with(|a| proof.is_proven(&a.admin.email)))
    }

    fn admin_email_proven_untracked(&self) -> bool {
        untrack(|| self.admin_email_proven())
    }

    /// Keeps what an answer of the server says about the admin address.
    pub fn saw_proof(&self, application: &Application) {
        let proven = application
            .admin_email_confirmed
            .then_some(application.answers.admin.email.as_str());
        self.admin_proof.update(|proof| proof.server_said(proven));
    }

    /// Whether the server has the answers on screen (the code goes to the
    /// address it has). Tracked: the code page waits on it.
    pub fn answers_saved(&self) -> bool {
        self.lifecycle
            .with(|l| l.save_status() == SaveStatus::Saved)
    }

    /// The code page is open, and the answers it waits on may have been
    /// saved since: a code to the admin address unless it has one.
    pub fn admin_code_page_opened(&self) {
        let saved = self.answers_saved();
        let address = self.form.answers.with_untracked(|a| a.admin.email.clone());
        self.ask_admin_code(|proof| proof.page_opened(&address, saved));
    }

    /// "Send a new code".
    pub fn send_admin_code_again(&self) {
        let saved = self.answers_saved();
        self.ask_admin_code(|proof| proof.asked_again(saved));
    }

    /// Tells the proof of a request for a code, and asks the API for one
    /// if it says so; tells it the answer.
    fn ask_admin_code(&self, event: impl FnOnce(&mut AdminProof) -> Option<SendCode>) {
        // No request, nothing changed: nothing to redraw.
        let asked = self
            .admin_proof
            .try_maybe_update(|proof| {
                let send = event(proof);
                (send.is_some(), send)
            })
            .flatten();
        if asked.is_none() {
            return;
        }
        let Some(draft) = self.draft.get_untracked() else {
            // Saved answers have a draft; were there none, nothing went.
            self.admin_proof.update(AdminProof::send_failed);
            return;
        };
        let state = *self;
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            match state.api().send_admin_code(&draft, locale).await {
                Ok(to) => state.admin_proof.update(|proof| proof.code_sent(&to)),
                Err(failure) => {
                    state.admin_proof.update(AdminProof::send_failed);
                    match failure {
                        ApiFailure::Invalid(report) => state.form.errors.set(report.errors),
                        failure => state.tell(failure),
                    }
                }
            }
        });
    }

    /// The code typed on the code page: proven (the address the server
    /// proved), on to the next step; or why not, in the error summary.
    pub fn verify_admin_code(&self, code: String) {
        let state = *self;
        let saved = self.answers_saved();
        let Some(draft) = self.draft.get_untracked().filter(|_| saved) else {
            return;
        };
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            match state.api().verify_admin_code(&draft, &code, locale).await {
                Ok(proven) => {
                    state.admin_proof.update(|proof| proof.proved(&proven));
                    state.continue_step();
                }
                Err(ApiFailure::Invalid(report)) => state.form.errors.set(report.errors),
                Err(failure) => state.tell(failure),
            }
        });
    }

    /// Continue: validate this step, move on, and save.
    pub fn continue_step(&self) {
        let answers = self.form.answers.get_untracked();
        let circumstances = Circumstances {
            direct_enrollment_open: self.program.with_value(|p| p.direct_enrollment_open),
            admin_email_proven: self.admin_email_proven_untracked(),
        };
        let mut wizard = self.wizard.get_untracked();
        let moved = self
            .reference
            .with_untracked(|reference| wizard.continue_from(&answers, reference, circumstances));
        match moved {
            Err(report) => {
                self.form.warnings.set(report.warnings);
                self.form.errors.set(report.errors);
            }
            Ok(_) => {
                let from_start = self.wizard.with_untracked(|w| w.step == Step::Start);
                self.form.errors.set(Vec::new());
                self.form.warnings.set(Vec::new());
                self.wizard.set(wizard);
                // The draft is created on the first Continue of a question,
                // not by pressing Start.
                if !from_start {
                    self.save_now();
                }
            }
        }
    }

    /// Opens a draft from a resume link: at its first unfinished step, or
    /// at its status once it has been sent.
    pub fn resume(&self, id: String, token: String) {
        let state = *self;
        let draft = DraftRef { id, token };
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            match state.api().load(&draft, locale).await {
                Ok(saved) => {
                    let editable = saved.application.status.is_editable();
                    state.saw_proof(&saved.application);
                    let proven = saved.application.admin_email_confirmed;
                    let answers = saved.application.answers;
                    state.draft.set(Some(draft));
                    state.lifecycle.update(|l| l.opened(saved.etag, !editable));
                    let wizard = state
                        .reference
                        .with_untracked(|r| Wizard::resumed(editable, &answers, r, proven));
                    state.show_saved(answers);
                    state.wizard.set(wizard);
                }
                Err(failure) => state.tell(failure),
            }
        });
    }

    /// The link that reopens this draft, token in the fragment.
    pub fn resume_link(&self) -> Option<String> {
        let draft = self.draft.get()?;
        let base = self.config.with_value(|c| c.page_url.clone());
        Some(format!("{base}#resume={}.{}", draft.id, draft.token))
    }

    pub fn email_resume_link(&self) {
        let state = *self;
        let base = self.config.with_value(|c| c.page_url.clone());
        let to = state
            .form
            .answers
            .with_untracked(|a| a.admin.email.trim().to_owned());
        self.ask(
            move |api, draft, locale| async move { api.resume_email(&draft, &base, locale).await },
            move |()| state.emailed_to.set(Some(to)),
        );
    }

    /// Loads the status and its history from the API.
    pub fn refresh_status(&self) {
        let state = *self;
        self.ask(
            |api, draft, locale| async move { api.status(&draft, locale).await },
            move |view| state.status.set(Some(view)),
        );
    }

    /// The status page of a sent application (after a save found it sent).
    pub fn show_status(&self) {
        self.wizard.update(Wizard::show_status);
        self.refresh_status();
    }

    /// Reopens the answers after "more information needed": the next
    /// submission is a new one.
    pub fn edit_after_review(&self) {
        let state = *self;
        self.ask(
            |api, draft, locale| async move { api.load(&draft, locale).await },
            move |saved| {
                state.lifecycle.update(|l| l.reopened(saved.etag));
                state.show_saved(saved.application.answers);
                state.wizard.update(Wizard::reopened);
            },
        );
    }

    /// Fetches a country's address format once, for the form and the rules.
    pub fn load_address_format(&self, country: String) {
        if country.is_empty()
            || self
                .reference
                .with_untracked(|r| r.has_address_format(&country))
        {
            return;
        }
        let state = *self;
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            if let Ok(format) = state.api().address_format(&country, locale).await {
                state
                    .reference
                    .update(|r| r.add_address_format(&country, format));
            }
        });
    }

    pub fn address_format(&self, country: &str) -> Option<AddressFormat> {
        self.reference.with(|r| match r.address_format(country) {
            enroll_core::reference::Lookup::Found(format) => Some(format.clone()),
            _ => None,
        })
    }
}
