//! The organization profile: shown, and edited by who may.

use enroll_core::account::Action;
use enroll_core::organization::OrganizationProfile;
use enroll_core::{msg, MessageKey};
use leptos::html::H1;
use leptos::prelude::*;

use super::{AccountState, Request};
use crate::api::{Profile, Versioned};
use crate::i18n::{country_name, use_i18n};
use crate::ui::field::{capitalized, PlainField};

#[component]
pub fn ProfilePage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let saved = RwSignal::new(false);
    // The profile shown: the one just saved, as the server kept it, or
    // the one loaded last. A failed save leaves it (and the form) as is.
    let shown = RwSignal::new(None::<Profile>);
    // Loads again when a save finds the profile saved by someone else
    // meanwhile: shown as it is now, to change again (the notice says
    // so); the old version would fail every save.
    let changed_elsewhere = RwSignal::new(0);
    let save = state.request(
        move |api, token, locale, sent: Profile| async move {
            let answer = api.save_organization_profile(&token, &sent, locale).await;
            if Versioned::changed_elsewhere(&answer) {
                editing.set(false);
                changed_elsewhere.update(|n| *n += 1);
            }
            answer
        },
        move |_, saved_now: Profile| {
            shown.set(Some(saved_now));
            editing.set(false);
            saved.set(true);
        },
    );
    let loaded = state.loaded(
        move || {
            changed_elsewhere.get();
        },
        |api, token, locale| async move { api.organization_profile(&token, locale).await },
    );
    Effect::new(move |_| {
        // Never under the user's typing: the form keeps what they typed.
        if let Some(profile) = loaded.get().flatten().filter(|_| !editing.get_untracked()) {
            shown.set(Some(profile));
        }
    });
    let profile = move || shown.get();
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(msg::account::ACCOUNT_PROFILE_TITLE)}</h1>
        {move || saved.get().then(|| view! { <p class="csp-notice" role="status">{move || i18n.t(msg::account::ACCOUNT_PROFILE_SAVED)}</p> })}
        {move || match (profile(), editing.get()) {
            (None, _) => ().into_any(),
            (Some(current), false) => view! {
                <ProfileView profile=current.profile.clone()/>
                {state.may(Action::EditOrganizationProfile).then(|| view! {
                    <button type="button" class="csp-button csp-button--secondary" data-edit-profile on:click=move |_| {
                        saved.set(false);
                        editing.set(true);
                    }>{move || i18n.t(msg::account::ACCOUNT_PROFILE_EDIT)}</button>
                })}
            }.into_any(),
            (Some(current), true) => view! {
                <ProfileForm current=current save=save/>
            }.into_any(),
        }}
    }
}

/// The profile as written.
#[component]
fn ProfileView(profile: OrganizationProfile) -> impl IntoView {
    let i18n = use_i18n();
    let address = profile.address.clone();
    let address = move || {
        let a = &address;
        let country = country_name(&a.country, i18n.locale.get());
        a.lines
            .iter()
            .chain([&a.locality, &a.region, &a.postal_code, &country])
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    };
    let contact = |c: &enroll_core::organization::Contact| {
        [
            format!("{} {}", c.first_name, c.last_name),
            c.email.clone(),
            c.phone.clone(),
        ]
        .into_iter()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
    };
    let row = move |key: MessageKey, value: String| {
        view! {
            <div class="csp-summary__row">
                <dt class="csp-summary__key">{move || capitalized(i18n.t(key))}</dt>
                <dd class="csp-summary__value">{value}</dd>
            </div>
        }
    };
    view! {
        <dl class="csp-summary" data-profile>
            {row(msg::account::ACCOUNT_PROFILE_LEGAL_NAME, profile.legal_name.clone())}
            <div class="csp-summary__row">
                <dt class="csp-summary__key">{move || i18n.t(msg::account::ACCOUNT_PROFILE_ADDRESS)}</dt>
                <dd class="csp-summary__value">{address}</dd>
            </div>
            {row(msg::account::ACCOUNT_PROFILE_PRIMARY_CONTACT, contact(&profile.primary_contact))}
            {row(msg::account::ACCOUNT_PROFILE_SUPPORT_CONTACT, contact(&profile.support_contact))}
        </dl>
    }
}

/// Editing the profile: the fields of the one loaded, saved against its
/// version.
#[component]
fn ProfileForm(current: Profile, save: Request<Profile, ()>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let p = &current.profile;
    let field = |value: &str| RwSignal::new(value.to_owned());
    let legal_name = field(&p.legal_name);
    let country = field(&p.address.country);
    let line1 = field(
        p.address
            .lines
            .first()
            .map(String::as_str)
            .unwrap_or_default(),
    );
    let line2 = field(
        p.address
            .lines
            .get(1)
            .map(String::as_str)
            .unwrap_or_default(),
    );
    let locality = field(&p.address.locality);
    let region = field(&p.address.region);
    let postal_code = field(&p.address.postal_code);
    let contact_fields = |c: &enroll_core::organization::Contact| {
        (
            field(&c.first_name),
            field(&c.last_name),
            field(&c.email),
            field(&c.phone),
        )
    };
    let primary = contact_fields(&p.primary_contact);
    let support = contact_fields(&p.support_contact);
    let etag = current.etag.clone();
    let base = current.profile.clone();
    let save = move || {
        let mut profile = base.clone();
        profile.legal_name = legal_name.get_untracked();
        profile.address.country = country.get_untracked().trim().to_uppercase();
        // The form shows two lines; a third and fourth (the API takes four)
        // are kept as they were.
        let more = base.address.lines.iter().skip(2).cloned();
        profile.address.lines = [line1.get_untracked(), line2.get_untracked()]
            .into_iter()
            .chain(more)
            .filter(|l| !l.trim().is_empty())
            .collect();
        profile.address.locality = locality.get_untracked();
        profile.address.region = region.get_untracked();
        profile.address.postal_code = postal_code.get_untracked();
        let read = |(f, l, e, ph): (
            RwSignal<String>,
            RwSignal<String>,
            RwSignal<String>,
            RwSignal<String>,
        )| {
            enroll_core::organization::Contact {
                first_name: f.get_untracked(),
                last_name: l.get_untracked(),
                email: e.get_untracked(),
                phone: ph.get_untracked(),
            }
        };
        profile.primary_contact = read(primary);
        profile.support_contact = read(support);
        let sent = Profile {
            profile,
            etag: etag.clone(),
        };
        save.send(sent);
    };
    let contact_view = move |prefix: &'static str,
                             legend: MessageKey,
                             (f, l, e, ph): (
        RwSignal<String>,
        RwSignal<String>,
        RwSignal<String>,
        RwSignal<String>,
    )| {
        let path = |name: &str| format!("{prefix}.{name}");
        view! {
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(legend)}</legend>
                <PlainField path=path("first_name") label_key=msg::account::ACCOUNT_USERS_FIRST_NAME width="csp-input--20" value=f errors=state.errors/>
                <PlainField path=path("last_name") label_key=msg::account::ACCOUNT_USERS_LAST_NAME width="csp-input--20" value=l errors=state.errors/>
                <PlainField path=path("email") label_key=msg::account::ACCOUNT_USERS_EMAIL input_type="email" value=e errors=state.errors/>
                <PlainField path=path("phone") label_key=msg::account::ACCOUNT_PROFILE_PHONE input_type="tel" width="csp-input--20" value=ph errors=state.errors/>
            </fieldset>
        }
    };
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); save(); }>
            <PlainField path="legal_name" label_key=msg::account::ACCOUNT_PROFILE_LEGAL_NAME value=legal_name errors=state.errors/>
            <fieldset class="csp-fieldset">
                <legend class="csp-heading-m">{move || i18n.t(msg::account::ACCOUNT_PROFILE_ADDRESS)}</legend>
                <PlainField path="address.country" label_key=msg::account::ACCOUNT_PROFILE_COUNTRY hint_key=msg::account::ACCOUNT_PROFILE_COUNTRY_HINT width="csp-input--4" value=country errors=state.errors/>
                <PlainField path="address.lines.0" label_key=msg::account::ACCOUNT_PROFILE_LINE1 value=line1 errors=state.errors/>
                <PlainField path="address.lines.1" label_key=msg::account::ACCOUNT_PROFILE_LINE2 value=line2 errors=state.errors/>
                <PlainField path="address.locality" label_key=msg::account::ACCOUNT_PROFILE_LOCALITY width="csp-input--20" value=locality errors=state.errors/>
                <PlainField path="address.region" label_key=msg::account::ACCOUNT_PROFILE_REGION width="csp-input--20" value=region errors=state.errors/>
                <PlainField path="address.postal_code" label_key=msg::account::ACCOUNT_PROFILE_POSTAL_CODE width="csp-input--10" value=postal_code errors=state.errors/>
            </fieldset>
            {contact_view("primary_contact", msg::account::ACCOUNT_PROFILE_PRIMARY_CONTACT, primary)}
            {contact_view("support_contact", msg::account::ACCOUNT_PROFILE_SUPPORT_CONTACT, support)}
            <button type="submit" class="csp-button">{move || i18n.t(msg::account::ACCOUNT_PROFILE_SAVE)}</button>
        </form>
    }
}
