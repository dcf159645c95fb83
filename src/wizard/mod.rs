//! The enrollment wizard: its state, what Continue and Submit do, and
//! which step to show. The order of steps and the moves between them are
//! `enroll_core::Wizard`; the steps' views are in their own files.

mod check;
mod confirm_email;
mod lifecycle;
mod save;
pub mod start;
mod state;
mod steps;

use enroll_core::admin_proof::AdminProof;
use enroll_core::draft::Lifecycle;
use enroll_core::msg;
use enroll_core::{Answers, PartnerModel, ProgramSettings, ReferenceData, Step, Wizard};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ApiFailure, DraftRef};
use crate::embed::{use_host_events, HostConfig, HostErrorCode, HostEvent, HostEvents};
use crate::i18n::use_i18n;
use crate::later::{self, LaterPart};
use crate::ui::error_summary::ErrorSummary;
use crate::ui::field::FormState;
use enroll_core::contract::StatusHistory;
use save::{SaveForLater, SaveIndicator};

/// Everything the steps share, provided as context.
#[derive(Clone, Copy)]
pub struct WizardState {
    pub form: FormState,
    pub wizard: RwSignal<Wizard>,
    pub reference: RwSignal<ReferenceData>,
    pub draft: RwSignal<Option<DraftRef>>,
    /// Saving, conflicts, retries and submission (enroll_core::draft).
    pub lifecycle: RwSignal<Lifecycle>,
    /// The saved version, read after a conflict, until it is shown.
    pub reloaded: StoredValue<Option<Answers>>,
    /// A failure outside the draft's lifecycle (a resume link that cannot
    /// be opened, the resume email, the status).
    /// Kept as the failure, worded when shown: a language switch re-words it.
    pub notice: RwSignal<Option<ApiFailure>>,
    pub status: RwSignal<Option<StatusHistory>>,
    pub program: StoredValue<ProgramSettings>,
    /// Kept here, not looked up: async tasks run without the reactive
    /// owner, where `use_context` finds nothing.
    pub api: StoredValue<ApiClient>,
    pub i18n: crate::i18n::I18n,
    pub config: StoredValue<HostConfig>,
    /// Every change asks it to save; a pause in typing saves.
    pub autosave: crate::ui::debounce::Debounce,
    /// The next change of the answers is the server's, not an edit.
    pub quiet: StoredValue<bool>,
    /// "Save and come back later" is open.
    pub later_open: RwSignal<bool>,
    /// Where the resume link was emailed to.
    pub emailed_to: RwSignal<Option<String>>,
    /// The admin address's proof by an emailed code: what the server said
    /// was proven, where it sent codes (enroll_core::admin_proof).
    pub admin_proof: RwSignal<AdminProof>,
    /// The provider finder is open over the confirmation or status page.
    pub finder_open: RwSignal<bool>,
    /// The partner account is open over the status page.
    pub account_open: RwSignal<bool>,
    /// What the host page hears (none in the browser tests' bare mounts).
    pub events: StoredValue<HostEvents>,
}

pub fn use_wizard() -> WizardState {
    expect_context::<WizardState>()
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
        lifecycle: RwSignal::new(Lifecycle::new()),
        reloaded: StoredValue::new(None),
        notice: RwSignal::new(None),
        status: RwSignal::new(None),
        program: StoredValue::new(program.clone()),
        api: StoredValue::new(expect_context::<ApiClient>()),
        i18n,
        config: StoredValue::new(expect_context::<HostConfig>()),
        autosave: crate::ui::debounce::Debounce::new(lifecycle::AUTOSAVE_AFTER_MILLIS),
        quiet: StoredValue::new(false),
        later_open: RwSignal::new(false),
        emailed_to: RwSignal::new(None),
        admin_proof: RwSignal::new(AdminProof::new()),
        finder_open: RwSignal::new(false),
        account_open: RwSignal::new(false),
        events: StoredValue::new(use_host_events()),
    };
    provide_context(state);
    // The host may have chosen the way of selling already (`data-model`);
    // the applicant sees it chosen on the first question and may change it.
    match state.config.with_value(|c| c.model) {
        Some(PartnerModel::DirectPartner) if !program.direct_enrollment_open => {
            state.tell_host(HostEvent::Error {
                code: HostErrorCode::BadAttribute,
                message: "data-model=\"direct_partner\": direct enrollment is closed; \
                          the applicant chooses"
                    .into(),
            })
        }
        Some(model) => form.answers.update_untracked(|a| a.model = Some(model)),
        None => {}
    }
    if let Some((id, token)) = state.config.with_value(|c| c.resume.clone()) {
        state.resume(id, token);
    }
    // Every change counts; a pause in typing saves it.
    Effect::new(move |previous: Option<()>| {
        state.form.answers.track();
        if previous.is_some() {
            state.edited();
        }
    });
    // Warnings (a likely typo) show as the user types; they never block.
    Effect::new(move |_| {
        let step = state.wizard.with(|w| w.step);
        let warnings: Vec<_> = state.form.answers.with(|answers| {
            state.reference.with(|reference| {
                enroll_core::validate_sections(step.sections(), answers, reference).warnings
            })
        });
        state.form.warnings.set(warnings);
    });
    // When the app is the page, its title says where the user is, and
    // "Error: " first when Continue found problems.
    if state.config.with_value(|c| c.owns_page) {
        let program = program.clone();
        Effect::new(move |_| {
            let step = state.wizard.with(|w| w.step);
            let prefix = if state.form.errors.with(Vec::is_empty) {
                String::new()
            } else {
                format!("{} ", i18n.t(msg::FORM_ERROR_PREFIX))
            };
            let locale = i18n.locale.get();
            let title = format!(
                "{prefix}{} – {}",
                i18n.t(step.title_key()),
                program.name_in(locale)
            );
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                document.set_title(&title);
            }
        });
    }
    // The free-mail list (78 KB) is for the admin's email: fetched when
    // the admin step opens, not with the first page. Until it arrives the
    // app skips that rule; the API checks it on submit.
    let free_mail_asked = StoredValue::new(false);
    Effect::new(move |_| {
        let step = state.wizard.with(|w| w.step);
        let needed = matches!(step, Step::Admin | Step::Tenant | Step::Check);
        if !needed || free_mail_asked.get_value() {
            return;
        }
        free_mail_asked.set_value(true);
        let api = state.api();
        spawn_local(async move {
            match api.free_email_domains(i18n.locale.get_untracked()).await {
                Ok(domains) => state.reference.update(|r| r.set_free_mail_domains(domains)),
                // Asked again the next time a step needs it.
                Err(_) => free_mail_asked.set_value(false),
            }
        });
    });
    // The later pages download while the applicant reads the first one.
    Effect::new(|_| later::fetch_soon());
    let step = Memo::new(move |_| state.wizard.with(|w| w.step));
    Effect::new(move |_| state.tell_host(HostEvent::Step(step.get())));
    let back = Memo::new(move |_| state.wizard.with(Wizard::back_target));

    let wizard_page = move || {
        let program = program.clone();
        view! {
        {move || back.get().map(|_| view! {
            <button type="button" class="csp-back-link" on:click=move |_| {
                state.form.errors.set(Vec::new());
                state.wizard.update(Wizard::back);
            }>{move || i18n.t(msg::FORM_BACK)}</button>
        })}
        {move || (Step::QUESTIONS.contains(&step.get()) || step.get() == Step::Check).then(|| view! { <SaveIndicator/> })}
        {move || state.notice.get().map(|failure| view! {
            <div class="csp-notice csp-notice--problem" role="alert"><p>{move || failure.describe(&i18n)}</p></div>
        })}
        <ErrorSummary errors=form.errors/>
        {move || match step.get() {
            Step::Start => view! { <start::StartPage program=program.clone() on_start=move || state.continue_step()/> }.into_any(),
            Step::Model => steps::first_question_page(),
            later_step => view! { <LaterPart load=Box::new(move || later::page(later_step))/> }.into_any(),
        }}
        {move || (Step::QUESTIONS.contains(&step.get()) || step.get() == Step::Check).then(|| view! { <SaveForLater/> })}
        }
    };
    // The finder replaces the page it was opened from; back returns to it.
    let close_finder = Callback::new(move |_: ()| {
        state.finder_open.set(false);
        state.refresh_status();
    });
    // The account opens from the status page, at the admin's address.
    let close_account = Callback::new(move |_: ()| {
        state.account_open.set(false);
        state.refresh_status();
    });
    move || {
        if state.finder_open.get() {
            let applicant = state.draft.get_untracked();
            view! { <LaterPart load=Box::new(move || later::finder(applicant.clone(), Some(close_finder)))/> }
                .into_any()
        } else if state.account_open.get() {
            let email = state
                .form
                .answers
                .with_untracked(|a| a.admin.email.trim().to_owned());
            view! { <LaterPart load=Box::new(move || later::account(Some(email.clone()), Some(close_account)))/> }
                .into_any()
        } else {
            wizard_page().into_any()
        }
    }
}

/// The pages in the app's `wizard` part (crate::later): every step after
/// the first question.
pub fn later_page(step: Step) -> AnyView {
    match step {
        Step::Check => view! { <check::CheckAnswers/> }.into_any(),
        Step::Confirmation => view! { <check::Confirmation/> }.into_any(),
        Step::Status => view! { <check::StatusPage/> }.into_any(),
        Step::ConfirmEmail => view! { <confirm_email::ConfirmEmail/> }.into_any(),
        question => steps::question_page(question),
    }
}
