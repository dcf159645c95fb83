//! The enrollment wizard: its state, what Continue and Submit do, and
//! which step to show. The order of steps and the moves between them are
//! `enroll_core::Wizard`; the steps' views are in their own files.

mod check;
pub mod start;
mod steps;

use enroll_core::address::AddressFormat;
use enroll_core::{Answers, ProgramSettings, ReferenceData, Step, Wizard};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{new_idempotency_key, ApiClient, ApiFailure, DraftRef, StatusView};
use crate::embed::HostConfig;
use crate::finder::FinderPage;
use crate::i18n::use_i18n;
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::FormState;

/// Where the latest autosave is.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveState {
    Unsaved,
    Saving,
    Saved,
    Failed(ApiFailure),
}

/// Everything the steps share, provided as context.
#[derive(Clone, Copy)]
pub struct WizardState {
    pub form: FormState,
    pub wizard: RwSignal<Wizard>,
    pub reference: RwSignal<ReferenceData>,
    pub draft: RwSignal<Option<DraftRef>>,
    pub etag: RwSignal<String>,
    pub save_state: RwSignal<SaveState>,
    pub submitting: RwSignal<bool>,
    /// The key of the submission in progress, shared by double clicks.
    pub submit_key: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<String>>,
    pub status: RwSignal<Option<StatusView>>,
    pub program: StoredValue<ProgramSettings>,
    /// Kept here, not looked up: async tasks run without the reactive
    /// owner, where `use_context` finds nothing.
    pub api: StoredValue<ApiClient>,
    pub i18n: crate::i18n::I18n,
    pub config: StoredValue<HostConfig>,
    /// Answers changed while a save was under way: save again after it.
    pub save_again: RwSignal<bool>,
    /// The server has a newer version than the one these answers started
    /// from (412): the user chooses which to keep.
    pub conflict: RwSignal<bool>,
    /// Bumped by every change; a debounced autosave runs if it still holds.
    pub edits: RwSignal<u64>,
    /// "Save and come back later" is open.
    pub later_open: RwSignal<bool>,
    /// Where the resume link was emailed to.
    pub emailed_to: RwSignal<Option<String>>,
    /// The provider finder is open over the confirmation or status page.
    pub finder_open: RwSignal<bool>,
}

pub fn use_wizard() -> WizardState {
    expect_context::<WizardState>()
}

impl WizardState {
    fn api(&self) -> ApiClient {
        self.api.get_value()
    }

    /// Continue: validate this step, move on, and save.
    pub fn continue_step(&self) {
        let reference = self.reference.read_untracked();
        let answers = self.form.answers.get_untracked();
        let open = self.program.with_value(|p| p.direct_enrollment_open);
        let mut wizard = self.wizard.get_untracked();
        match wizard.continue_from(&answers, &reference, open) {
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
                    self.save(answers);
                }
            }
        }
        drop(reference);
    }

    /// Creates the draft on the first save, then autosaves with If-Match.
    pub fn save(&self, answers: Answers) {
        let state = *self;
        let locale = self.i18n.locale.get_untracked();
        if state.save_state.get_untracked() == SaveState::Saving {
            state.save_again.set(true);
            return;
        }
        if state.conflict.get_untracked() {
            return;
        }
        state.save_state.set(SaveState::Saving);
        spawn_local(async move {
            let api = state.api();
            let result = match state.draft.get_untracked() {
                None => api.create(&answers, locale).await.map(|(draft, saved)| {
                    state.draft.set(Some(draft));
                    saved
                }),
                Some(draft) => {
                    api.save(&draft, &state.etag.get_untracked(), &answers, locale)
                        .await
                }
            };
            match result {
                Ok(saved) => {
                    state.etag.set(saved.etag);
                    state.save_state.set(SaveState::Saved);
                    if state.save_again.get_untracked() {
                        state.save_again.set(false);
                        state.save(state.form.answers.get_untracked());
                    }
                }
                Err(failure) => {
                    match &failure {
                        ApiFailure::Status { status: 412, .. } => state.conflict.set(true),
                        // An answer over its cap: shown at its field.
                        ApiFailure::Invalid(report) => state.form.errors.set(report.errors.clone()),
                        _ => {}
                    }
                    state.save_state.set(SaveState::Failed(failure));
                }
            }
        });
    }

    /// After a 412: keep the answers on screen (saved over the newer
    /// version), or take the newer version instead.
    pub fn resolve_conflict(&self, keep_mine: bool) {
        let state = *self;
        let Some(draft) = state.draft.get_untracked() else {
            return;
        };
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            match state.api().load(&draft, locale).await {
                Ok(saved) => {
                    state.etag.set(saved.etag);
                    state.conflict.set(false);
                    state.save_state.set(SaveState::Saved);
                    if keep_mine {
                        state.save(state.form.answers.get_untracked());
                    } else {
                        state.form.answers.set(saved.application.answers);
                    }
                }
                Err(failure) => state.notice.set(Some(failure.describe(&state.i18n))),
            }
        });
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
                    let status = saved.application.status;
                    let answers = saved.application.answers;
                    state.draft.set(Some(draft));
                    state.etag.set(saved.etag);
                    state.save_state.set(SaveState::Saved);
                    let step = if status.is_editable() {
                        state
                            .reference
                            .with_untracked(|r| Wizard::resume_at(&answers, r))
                    } else {
                        Step::Status
                    };
                    state.form.answers.set(answers);
                    state.wizard.set(Wizard {
                        step,
                        returning_to_check: false,
                    });
                }
                Err(failure) => {
                    state.notice.set(Some(failure.describe(&state.i18n)));
                }
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
        let Some(draft) = state.draft.get_untracked() else {
            return;
        };
        let base = self.config.with_value(|c| c.page_url.clone());
        let locale = self.i18n.locale.get_untracked();
        let to = state
            .form
            .answers
            .with_untracked(|a| a.admin.email.trim().to_owned());
        spawn_local(async move {
            match state.api().resume_email(&draft, &base, locale).await {
                Ok(()) => state.emailed_to.set(Some(to)),
                Err(failure) => {
                    state.notice.set(Some(failure.describe(&state.i18n)));
                }
            }
        });
    }

    /// Submits what Check your answers shows, once, however often pressed.
    pub fn submit(&self) {
        let state = *self;
        if state.submitting.get_untracked() || state.save_state.get_untracked() != SaveState::Saved
        {
            return;
        }
        let Some(draft) = state.draft.get_untracked() else {
            return;
        };
        let key = state
            .submit_key
            .get_untracked()
            .unwrap_or_else(new_idempotency_key);
        state.submit_key.set(Some(key.clone()));
        state.submitting.set(true);
        state.notice.set(None);
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            let api = state.api();
            match api
                .submit(&draft, &state.etag.get_untracked(), &key, locale)
                .await
            {
                Ok(saved) => {
                    state.etag.set(saved.etag);
                    state.wizard.update(|w| w.step = Step::Confirmation);
                }
                Err(ApiFailure::Invalid(report)) => {
                    state.submit_key.set(None);
                    state.form.errors.set(report.errors);
                }
                Err(failure) => {
                    // Unreachable: keep the key, so pressing again cannot
                    // submit twice. A refusal: a new attempt needs a new key.
                    if failure != ApiFailure::Unreachable {
                        state.submit_key.set(None);
                    }
                    state.notice.set(Some(failure.describe(&state.i18n)));
                }
            }
            state.submitting.set(false);
        });
    }

    /// Loads the status and its history from the API.
    pub fn refresh_status(&self) {
        let state = *self;
        let Some(draft) = state.draft.get_untracked() else {
            return;
        };
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            match state.api().status(&draft, locale).await {
                Ok(view) => state.status.set(Some(view)),
                Err(failure) => state.notice.set(Some(failure.describe(&state.i18n))),
            }
        });
    }

    /// Reopens the answers after "more information needed".
    pub fn edit_after_review(&self) {
        let state = *self;
        let Some(draft) = state.draft.get_untracked() else {
            return;
        };
        let locale = self.i18n.locale.get_untracked();
        spawn_local(async move {
            if let Ok(saved) = state.api().load(&draft, locale).await {
                state.etag.set(saved.etag);
                state.form.answers.set(saved.application.answers);
                state.submit_key.set(None);
                state.save_state.set(SaveState::Saved);
                state.wizard.set(Wizard {
                    step: Step::Check,
                    returning_to_check: false,
                });
            }
        });
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

#[component]
pub fn WizardView(
    /// The program settings from the API.
    program: ProgramSettings,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = FormState {
        answers: RwSignal::new(Answers::default()),
        errors: RwSignal::new(Vec::new()),
        warnings: RwSignal::new(Vec::new()),
    };
    provide_context(form);
    let state = WizardState {
        form,
        wizard: RwSignal::new(Wizard::default()),
        reference: RwSignal::new(ReferenceData::none()),
        draft: RwSignal::new(None),
        etag: RwSignal::new(String::new()),
        save_state: RwSignal::new(SaveState::Unsaved),
        submitting: RwSignal::new(false),
        submit_key: RwSignal::new(None),
        notice: RwSignal::new(None),
        status: RwSignal::new(None),
        program: StoredValue::new(program.clone()),
        api: StoredValue::new(expect_context::<ApiClient>()),
        i18n,
        config: StoredValue::new(expect_context::<HostConfig>()),
        save_again: RwSignal::new(false),
        conflict: RwSignal::new(false),
        edits: RwSignal::new(0),
        later_open: RwSignal::new(false),
        emailed_to: RwSignal::new(None),
        finder_open: RwSignal::new(false),
    };
    provide_context(state);
    if let Some((id, token)) = state.config.with_value(|c| c.resume.clone()) {
        state.resume(id, token);
    }
    // Autosave as the user goes: 1.2 s after the last change, once a draft
    // exists (it is created by the first Continue).
    Effect::new(move |previous: Option<()>| {
        state.form.answers.track();
        if previous.is_none() {
            return;
        }
        let edit = state.edits.get_untracked() + 1;
        state.edits.set(edit);
        spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(1_200).await;
            let editing = state
                .wizard
                .with_untracked(|w| Step::QUESTIONS.contains(&w.step));
            if state.edits.get_untracked() == edit
                && editing
                && state.draft.get_untracked().is_some()
            {
                state.save(state.form.answers.get_untracked());
            }
        });
    });
    // Warnings (a likely typo) show as the user types; they never block.
    Effect::new(move |_| {
        let step = state.wizard.with(|w| w.step);
        let warnings: Vec<_> = state.form.answers.with(|answers| {
            state.reference.with(|reference| {
                step.sections()
                    .iter()
                    .flat_map(|s| enroll_core::validate_section(*s, answers, reference).warnings)
                    .collect()
            })
        });
        state.form.warnings.set(warnings);
    });
    // When the app is the page, its title says where the user is, and
    // "Error: " first when Continue found problems.
    if state.config.with_value(|c| c.owns_page) {
        let program_name = program.program_name.clone();
        Effect::new(move |_| {
            let step = state.wizard.with(|w| w.step);
            let prefix = if state.form.errors.with(Vec::is_empty) {
                String::new()
            } else {
                format!("{} ", i18n.t("form.error_prefix"))
            };
            let title = format!("{prefix}{} – {program_name}", i18n.t(step.title_key()));
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&title);
            }
        });
    }
    // The free-mail list is needed on the admin step: fetch it once, early.
    let api = state.api();
    spawn_local(async move {
        if let Ok(domains) = api.free_email_domains(i18n.locale.get_untracked()).await {
            state.reference.update(|r| r.set_free_mail_domains(domains));
        }
    });
    let step = Memo::new(move |_| state.wizard.with(|w| w.step));
    let back = Memo::new(move |_| state.wizard.with(Wizard::back_target));

    let wizard_page = move || {
        let program = program.clone();
        view! {
        {move || back.get().map(|_| view! {
            <button type="button" class="csp-back-link" on:click=move |_| {
                state.form.errors.set(Vec::new());
                state.wizard.update(Wizard::back);
            }>{move || i18n.t("form.back")}</button>
        })}
        {move || (Step::QUESTIONS.contains(&step.get()) || step.get() == Step::Check).then(|| view! { <SaveIndicator/> })}
        {move || state.notice.get().map(|message| view! {
            <div class="csp-notice csp-notice--problem" role="alert"><p>{message}</p></div>
        })}
        {move || state.conflict.get().then(|| view! {
            <div class="csp-notice csp-notice--problem" role="alert" data-conflict="">
                <p>{i18n.t("save.conflict")}</p>
                <button type="button" class="csp-button" on:click=move |_| state.resolve_conflict(true)>{i18n.t("save.keep_mine")}</button>
                " "
                <button type="button" class="csp-button csp-button--secondary" on:click=move |_| state.resolve_conflict(false)>{i18n.t("save.take_theirs")}</button>
            </div>
        })}
        <ErrorSummary errors=form.errors/>
        {move || match step.get() {
            Step::Start => view! { <start::StartPage program=program.clone() on_start=move || state.continue_step()/> }.into_any(),
            Step::Check => view! { <check::CheckAnswers/> }.into_any(),
            Step::Confirmation => view! { <check::Confirmation/> }.into_any(),
            Step::Status => view! { <check::StatusPage/> }.into_any(),
            question => view! { <steps::QuestionPage step=question/> }.into_any(),
        }}
        {move || (Step::QUESTIONS.contains(&step.get()) || step.get() == Step::Check).then(|| view! { <SaveForLater/> })}
        }
    };
    // The finder replaces the page it was opened from; back returns to it.
    let close_finder = Callback::new(move |_: ()| {
        state.finder_open.set(false);
        state.refresh_status();
    });
    move || {
        if state.finder_open.get() {
            view! { <FinderPage applicant=state.draft.get_untracked() on_back=close_finder/> }
                .into_any()
        } else {
            wizard_page().into_any()
        }
    }
}

/// "Save and come back later": the resume link to copy, or emailed.
#[component]
fn SaveForLater() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let open = move |_| {
        if state.draft.get_untracked().is_none() {
            state.save(state.form.answers.get_untracked());
        }
        state.later_open.set(true);
    };
    view! {
        <div class="csp-later">
            <button type="button" class="csp-link-button" aria-expanded=move || state.later_open.get().to_string() on:click=open>
                {move || i18n.t("later.button")}
            </button>
            {move || state.later_open.get().then(|| view! {
                <div class="csp-inset" data-resume-panel="">
                    {move || match state.resume_link() {
                        None => view! { <p>{i18n.t("save.saving")}</p> }.into_any(),
                        Some(link) => {
                            let email = state.form.answers.with(|a| a.admin.email.trim().to_owned());
                            view! {
                                <p>{i18n.t("later.explain")}</p>
                                <label class="csp-label" for="f-resume-link">{i18n.t("later.link_label")}</label>
                                <input class="csp-input" id="f-resume-link" readonly value=link on:focus=|ev| {
                                    use wasm_bindgen::JsCast;
                                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                        input.select();
                                    }
                                }/>
                                <p class="csp-hint">{i18n.t("later.private")}</p>
                                {if email.is_empty() {
                                    view! { <p>{i18n.t("later.no_email")}</p> }.into_any()
                                } else {
                                    view! {
                                        <button type="button" class="csp-button csp-button--secondary" on:click=move |_| state.email_resume_link()>
                                            {i18n.tf("later.email_button", &[("email", &email)])}
                                        </button>
                                    }.into_any()
                                }}
                                {move || state.emailed_to.get().map(|to| view! {
                                    <p role="status" data-resume-emailed="">{i18n.tf("later.emailed", &[("email", &to)])}</p>
                                })}
                            }.into_any()
                        }
                    }}
                </div>
            })}
        </div>
    }
}

/// "Saving…" / "Saved" / why not, announced politely.
#[component]
fn SaveIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    view! {
        <p class="csp-save-state" role="status" aria-live="polite">
            {move || match state.save_state.get() {
                SaveState::Unsaved => String::new(),
                SaveState::Saving => i18n.t("save.saving"),
                SaveState::Saved => i18n.t("save.saved"),
                SaveState::Failed(ApiFailure::Status { status: 412, .. }) => i18n.t("save.conflict"),
                SaveState::Failed(failure) => failure.describe(&i18n),
            }}
        </p>
    }
}
