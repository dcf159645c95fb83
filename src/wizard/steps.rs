//! The question pages: one per step, each a short form with Continue.

use enroll_core::bank::{BankField, BankScheme};
use enroll_core::company::normalize_mpn_id;
use enroll_core::{msg, MessageKey};
use enroll_core::{Field, PartnerModel, Step};
use leptos::prelude::*;

use super::use_wizard;
use crate::api::ApiClient;
use crate::i18n::{country_name, use_i18n};
use crate::ui::field::{SelectField, TextField};
use crate::ui::field_id;

/// The first question's page, in the app's first part: pressing "Start
/// now" shows it without waiting for the rest (crate::later).
pub fn first_question_page() -> AnyView {
    view! { <QuestionPage step=Step::Model body=view! { <ModelQuestion/> }.into_any()/> }.into_any()
}

/// The page of any later question, in the `wizard` part (crate::later).
pub fn question_page(step: Step) -> AnyView {
    let body = match step {
        Step::Model => return first_question_page(),
        Step::MpnId => view! { <MpnQuestion/> }.into_any(),
        Step::Company => view! { <CompanyQuestion/> }.into_any(),
        Step::Bank => view! { <BankQuestion/> }.into_any(),
        Step::Admin => view! { <AdminQuestion/> }.into_any(),
        Step::Tenant => view! { <TenantQuestion/> }.into_any(),
        // Every other step has its own page (wizard::later_page).
        _ => ().into_any(),
    };
    view! { <QuestionPage step=step body=body/> }.into_any()
}

/// A question: its title, its fields and Continue.
#[component]
fn QuestionPage(step: Step, body: AnyView) -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    view! {
        <form novalidate on:submit=move |ev| {
            ev.prevent_default();
            state.continue_step();
        }>
            <h1 class="csp-heading-l">{move || i18n.t(step.title_key())}</h1>
            {body}
            <button type="submit" class="csp-button">{move || i18n.t(msg::FORM_CONTINUE)}</button>
        </form>
    }
}

/// The supported countries as (code, name in the current language).
fn country_options() -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    let state = use_wizard();
    Signal::derive(move || {
        let locale = i18n.locale.get();
        let mut options: Vec<(String, String)> = state
            .program
            .with_value(|p| p.supported_countries.clone())
            .into_iter()
            .map(|code| {
                let name = country_name(&code, locale);
                (code, name)
            })
            .collect();
        options.sort_by(|a, b| a.1.cmp(&b.1));
        options
    })
}

#[component]
fn ModelQuestion() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let answers = state.form.answers;
    let error = move || {
        state.form.errors.with(|e| {
            e.iter()
                .find(|p| p.field == Field::Model.path())
                .map(|p| enroll_core::Catalog::get(i18n.locale.get()).problem_message(p))
        })
    };
    let (open, note) = state
        .program
        .with_value(|p| (p.direct_enrollment_open, p.direct_enrollment_note.clone()));
    let option =
        move |model: PartnerModel, id: &'static str, title: MessageKey, body: MessageKey| {
            view! {
                <div class="csp-radio">
                    <input
                        class="csp-radio__input"
                        type="radio"
                        name="model"
                        id=id
                        prop:checked=move || answers.with(|a| a.model == Some(model))
                        on:change=move |_| answers.update(|a| a.model = Some(model))
                    />
                    <label class="csp-radio__label" for=id>{move || i18n.t(title)}</label>
                    <div class="csp-hint csp-radio__hint">{move || i18n.t(body)}</div>
                </div>
            }
        };
    view! {
        <div class="csp-field" class:csp-field--error=move || error().is_some()>
            <fieldset class="csp-fieldset" aria-describedby=move || error().map(|_| "f-model-error")>
                <legend class="csp-visually-hidden">{move || i18n.t(msg::STEP_MODEL_TITLE)}</legend>
                {move || error().map(|m| view! { <p class="csp-error-message" id="f-model-error">{m}</p> })}
                <div id=field_id(&Field::Model.path()) tabindex="-1">
                    {option(PartnerModel::IndirectReseller, "f-model-indirect", msg::MODELS_INDIRECT_TITLE, msg::MODELS_INDIRECT_BODY)}
                    {option(PartnerModel::DirectPartner, "f-model-direct", msg::MODELS_DIRECT_TITLE, msg::MODELS_DIRECT_BODY)}
                </div>
            </fieldset>
        </div>
        {(!open).then(|| view! {
            <div class="csp-notice" data-direct-enrollment="closed">
                <p class="csp-notice__title">{move || i18n.t(msg::PROGRAM_DIRECT_CLOSED)}</p>
                {note.clone().map(|n| view! { <p>{n}</p> })}
            </div>
        })}
    }
}

#[component]
fn MpnQuestion() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let api = expect_context::<ApiClient>();
    let typed =
        Memo::new(move |_| normalize_mpn_id(&state.form.answers.with(|a| a.mpn_id.clone())));
    // The live lookup: once the ID has the length of one, ask who it is.
    let lookup = LocalResource::new(move || {
        let id = typed.get();
        let api = api.clone();
        let locale = i18n.locale.get_untracked();
        async move {
            if enroll_core::company::mpn_id(&id).is_ok() {
                Some(api.mpn(&id, locale).await)
            } else {
                None
            }
        }
    });
    let join = state.program.with_value(|p| p.links.join_mpn.clone());
    view! {
        <TextField field=Field::MpnId label_key=msg::MPN_LABEL hint_key=msg::MPN_HINT width="csp-input--10" autocomplete="off"/>
        <div class="csp-lookup" role="status" aria-live="polite">
            {move || match lookup.get().flatten() {
                Some(Ok(Some(entry))) => {
                    let country = country_name(&entry.country, i18n.locale.get());
                    view! {
                        <div class="csp-notice csp-notice--open" data-mpn-lookup="found">
                            <p>{i18n.tf(msg::MPN_FOUND, &[("company", &entry.company_name), ("country", &country)])}</p>
                        </div>
                    }
                    .into_any()
                }
                Some(Ok(None)) => view! {
                    <div class="csp-notice" data-mpn-lookup="not_found">
                        <p>{i18n.t(msg::MPN_NOT_FOUND)}</p>
                        <p><a class="csp-link" href=join.clone() target="_blank" rel="noopener noreferrer">{i18n.t(msg::START_NO_MPN)}</a></p>
                    </div>
                }
                .into_any(),
                _ => ().into_any(),
            }}
        </div>
    }
}

#[component]
fn CompanyQuestion() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let country = Memo::new(move |_| state.form.answers.with(|a| a.address.country.clone()));
    Effect::new(move |_| state.load_address_format(country.get()));
    let format = Memo::new(move |_| state.address_format(&country.get()));
    view! {
        <TextField field=Field::LegalName label_key=msg::COMPANY_LEGAL_NAME autocomplete="organization"/>
        <TextField field=Field::Website label_key=msg::COMPANY_WEBSITE optional=true input_type="url" autocomplete="url"/>
        <TextField field=Field::TaxId label_key=msg::COMPANY_TAX_ID optional=true width="csp-input--20"/>
        <h2 class="csp-heading-m">{move || i18n.t(msg::COMPANY_ADDRESS_HEADING)}</h2>
        <SelectField field=Field::AddressCountry label_key=msg::COMPANY_COUNTRY options=country_options()/>
        {move || {
            if country.get().is_empty() {
                return ().into_any();
            }
            // Until (or unless) the country's format arrives, the fields
            // every address has, so nobody is stuck; the API checks the rest.
            let format = format.get().unwrap_or_else(enroll_core::address::AddressFormat::fallback);
            let fields = format.fields();
            let label = move |field: enroll_core::address::AddressField| {
                fields.iter().find(|f| f.field == field).map(|f| (f.label_key, f.required))
            };
            let regions: Vec<(String, String)> = format
                .regions
                .iter()
                .map(|r| (r.key.clone(), r.display_name().to_owned()))
                .collect();
            use enroll_core::address::AddressField as F;
            view! {
                <TextField field=Field::StreetLine(0) label_key=msg::ADDRESS_LINE1 autocomplete="address-line1"/>
                <TextField field=Field::StreetLine(1) label_key=msg::ADDRESS_LINE2 optional=true autocomplete="address-line2"/>
                {label(F::DependentLocality).map(|(key, required)| view! { <TextField field=Field::DependentLocality label_key=key optional=!required/> })}
                {label(F::Locality).map(|(key, required)| view! { <TextField field=Field::Locality label_key=key optional=!required autocomplete="address-level2" width="csp-input--20"/> })}
                {label(F::Region).map(|(key, _)| if regions.is_empty() {
                    view! { <TextField field=Field::Region label_key=key autocomplete="address-level1" width="csp-input--20"/> }.into_any()
                } else {
                    view! { <SelectField field=Field::Region label_key=key options=regions.clone()/> }.into_any()
                })}
                {label(F::PostalCode).map(|(key, required)| view! { <TextField field=Field::PostalCode label_key=key optional=!required autocomplete="postal-code" width="csp-input--10"/> })}
                {label(F::SortingCode).map(|(key, required)| view! { <TextField field=Field::SortingCode label_key=key optional=!required width="csp-input--10"/> })}
            }
            .into_any()
        }}
    }
}

#[component]
fn BankQuestion() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let scheme = Memo::new(move |_| {
        BankScheme::for_country(&state.form.answers.with(|a| a.bank.country.clone()))
    });
    let chosen = Memo::new(move |_| state.form.answers.with(|a| !a.bank.country.is_empty()));
    view! {
        <p>{move || i18n.t(msg::BANK_INTRO)}</p>
        <SelectField field=Field::BankCountry label_key=msg::BANK_COUNTRY options=country_options()/>
        {move || chosen.get().then(|| {
            let scheme = scheme.get();
            let fields: Vec<_> = scheme
                .fields()
                .iter()
                .map(|&BankField { field, label, hint, required }| {
                    if field == Field::AccountType {
                        let types: Vec<(String, String)> = scheme
                            .account_types()
                            .iter()
                            .map(|(kind, name)| ((*kind).to_owned(), i18n.t(*name)))
                            .collect();
                        view! { <SelectField field=field label_key=label options=types/> }.into_any()
                    } else {
                        let secret = enroll_core::bank::is_secret(field);
                        view! { <TextField field=field label_key=label hint_key=hint optional=!required width="csp-input--20" autocomplete="off" secret=secret/> }.into_any()
                    }
                })
                .collect();
            view! {
                <TextField field=Field::AccountHolder label_key=msg::BANK_ACCOUNT_HOLDER autocomplete="off"/>
                {fields}
            }
        })}
    }
}

#[component]
fn AdminQuestion() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p>{move || i18n.t(msg::ADMIN_INTRO)}</p>
        <TextField field=Field::FirstName label_key=msg::ADMIN_FIRST_NAME autocomplete="given-name" width="csp-input--20"/>
        <TextField field=Field::LastName label_key=msg::ADMIN_LAST_NAME autocomplete="family-name" width="csp-input--20"/>
        <TextField field=Field::Email label_key=msg::ADMIN_EMAIL hint_key=msg::ADMIN_EMAIL_HINT input_type="email" autocomplete="email"/>
        <TextField field=Field::Phone label_key=msg::ADMIN_PHONE optional=true input_type="tel" autocomplete="tel" width="csp-input--20"/>
    }
}

#[component]
fn TenantQuestion() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_wizard();
    let answers = state.form.answers;
    let checkbox = move |field: Field,
                         label: MessageKey,
                         get: fn(&enroll_core::Answers) -> bool,
                         set: fn(&mut enroll_core::Answers, bool)| {
        let id = field_id(&field.path());
        let error = move || {
            state.form.errors.with(|e| {
                e.iter()
                    .find(|p| p.field == field.path())
                    .map(|p| enroll_core::Catalog::get(i18n.locale.get()).problem_message(p))
            })
        };
        view! {
            <div class="csp-field csp-checkbox" class:csp-field--error=move || error().is_some()>
                {move || error().map(|m| view! { <p class="csp-error-message">{m}</p> })}
                <input class="csp-checkbox__input" type="checkbox" id=id.clone()
                    prop:checked=move || answers.with(get)
                    on:change:target=move |ev| { let on = ev.target().checked(); answers.update(|a| set(a, on)); }/>
                <label class="csp-checkbox__label" for=id>{move || i18n.t(label)}</label>
            </div>
        }
    };
    view! {
        <div class="csp-inset">
            <p>{move || i18n.t(msg::TENANT_RULE)}</p>
            <p>{move || i18n.t(msg::TENANT_RULE_CORPORATE)}</p>
        </div>
        <TextField field=Field::CspDomain label_key=msg::TENANT_CSP_DOMAIN hint_key=msg::TENANT_CSP_DOMAIN_HINT autocomplete="off"/>
        <TextField field=Field::CorporateDomain label_key=msg::TENANT_CORPORATE_DOMAIN hint_key=msg::TENANT_CORPORATE_DOMAIN_HINT optional=true autocomplete="off"/>
        {checkbox(Field::NoResale, msg::TENANT_ATTEST_NO_RESALE, |a| a.attestations.no_resale_to_csp_partners, |a, v| a.attestations.no_resale_to_csp_partners = v)}
        {checkbox(Field::TermsAccepted, msg::TENANT_ATTEST_TERMS, |a| a.attestations.terms_accepted, |a, v| a.attestations.terms_accepted = v)}
    }
}
