//! Runs the draft's lifecycle (`enroll_core::draft`): tells it what
//! happened and carries out its commands. The only place the wizard sends
//! drafts to the API; what to send, when, and what an answer means is the
//! lifecycle's.

use enroll_core::draft::{Answer, Command, Lifecycle, Request};
use enroll_core::Wizard;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::WizardState;
use crate::api::{new_idempotency_key, ApiFailure, Saved};
use crate::embed::HostEvent;

/// A pause in typing this long saves the answers.
pub(super) const AUTOSAVE_AFTER_MILLIS: u32 = 1_200;

impl WizardState {
    /// An answer changed: the lifecycle counts it, and the answers are
    /// saved once typing pauses (on the question pages, once a draft
    /// exists).
    pub fn edited(&self) {
        if self.quiet.try_update_value(std::mem::take) == Some(true) {
            return;
        }
        let state = *self;
        self.lifecycle.update(Lifecycle::edited);
        self.autosave.run(move || {
            let asking = state
                .wizard
                .with_untracked(|w| enroll_core::Step::QUESTIONS.contains(&w.step));
            if asking {
                state.drive(Lifecycle::autosave_due);
            }
        });
    }

    /// Continue, or "Save and come back later": save now.
    pub fn save_now(&self) {
        self.drive(Lifecycle::save_now);
    }

    /// Accept and send.
    pub fn submit(&self) {
        self.drive(|lifecycle| lifecycle.submit_pressed(new_idempotency_key()));
    }

    pub fn retry_now(&self) {
        self.drive(Lifecycle::retry_now);
    }

    pub fn keep_mine(&self) {
        self.drive(Lifecycle::keep_mine);
    }

    pub fn take_saved(&self) {
        self.drive(Lifecycle::take_saved);
    }

    /// After an expired link or a deleted draft: these answers as a new one.
    /// The old link is of no use any more: not shown, not emailed.
    pub fn start_again(&self) {
        self.draft.set(None);
        self.emailed_to.set(None);
        self.drive(Lifecycle::start_again);
    }

    /// Answers the server has, shown in place of the ones on screen: not
    /// an edit, so not saved back.
    pub fn show_saved(&self, answers: enroll_core::Answers) {
        self.quiet.set_value(true);
        self.form.answers.set(answers);
    }

    /// Tells the lifecycle something and carries out what it answers.
    fn drive(&self, event: impl FnOnce(&mut Lifecycle) -> Vec<Command>) {
        let commands = self.lifecycle.try_update(event).unwrap_or_default();
        for command in commands {
            self.carry_out(command);
        }
    }

    fn carry_out(&self, command: Command) {
        let state = *self;
        match command {
            Command::RetryAfter { millis, token } => spawn_local(async move {
                gloo_timers::future::TimeoutFuture::new(millis).await;
                state.drive(|lifecycle| lifecycle.retry_due(token));
            }),
            Command::ShowReloaded => {
                if let Some(answers) = state.reloaded.try_update_value(Option::take).flatten() {
                    state.show_saved(answers);
                }
            }
            request => spawn_local(async move {
                let (request, answer) = state.send(request).await;
                let done = matches!(answer, Answer::Done { .. });
                state.drive(|lifecycle| lifecycle.answered(request, answer));
                let application_id = state.draft.get_untracked().map(|d| d.id);
                if request == Request::Submit
                    && state.lifecycle.with_untracked(Lifecycle::submitted)
                {
                    state.wizard.update(Wizard::submitted);
                    if let Some(application_id) = application_id {
                        state.tell_host(HostEvent::Submitted { application_id });
                    }
                } else if request == Request::Save && done {
                    if let Some(application_id) = application_id {
                        state.tell_host(HostEvent::Saved { application_id });
                    }
                }
            }),
        }
    }

    /// Sends one request of the lifecycle's, with the answers on screen
    /// now (the latest win), and keeps what the app needs from the answer.
    async fn send(&self, command: Command) -> (Request, Answer) {
        let api = self.api.get_value();
        let locale = self.i18n.locale.get_untracked();
        let answers = self.form.answers.get_untracked();
        let draft = self.draft.get_untracked();
        let (request, result): (Request, Result<Saved, ApiFailure>) = match (command, draft) {
            (Command::Create, _) => {
                let created = api.create(&answers, locale).await;
                let saved = created.map(|(draft, saved)| {
                    // Unless a resume link opened another draft meanwhile.
                    if self.lifecycle.with_untracked(Lifecycle::creating) {
                        self.draft.set(Some(draft));
                    }
                    saved
                });
                (Request::Save, saved)
            }
            (Command::Save { etag }, Some(draft)) => (
                Request::Save,
                api.save(&draft, &etag, &answers, locale).await,
            ),
            (Command::Submit { etag, key }, Some(draft)) => (
                Request::Submit,
                api.submit(&draft, &etag, &key, locale).await,
            ),
            (Command::Reload, Some(draft)) => {
                let loaded = api.load(&draft, locale).await;
                if let Ok(saved) = &loaded {
                    self.reloaded
                        .set_value(Some(saved.application.answers.clone()));
                }
                (Request::Reload, loaded)
            }
            (command, _) => {
                // Only Create is ever asked for without a draft.
                debug_assert!(false, "{command:?} without a draft");
                return (Request::Save, Answer::Gone);
            }
        };
        let answer = match result {
            Ok(saved) => {
                self.saw_proof(&saved.application);
                Answer::Done { etag: saved.etag }
            }
            Err(failure) => {
                // Refused answers are shown at their fields.
                if let ApiFailure::Invalid(report) = &failure {
                    self.form.errors.set(report.errors.clone());
                }
                failure.into()
            }
        };
        (request, answer)
    }
}
