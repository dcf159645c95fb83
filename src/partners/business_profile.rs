//! The business profile: edited by its admins (and global admins), read by
//! referrals and account admins; the logo uploaded on its own. The rules
//! are enroll-core's, applied by the API: the page shows what it says, at
//! the fields and in the error summary.

use enroll_core::account::Action;
use enroll_core::business_profile::{BusinessProfile as Profile, ContactChoice};
use enroll_core::msg::partners as words;
use enroll_core::vocabulary::{self, Vocabulary};
use enroll_core::{Address, MessageKey};
use leptos::html::{Input, H1};
use leptos::prelude::*;

use crate::account::AccountState;
use crate::api::{BusinessProfile, Versioned};
use crate::i18n::{country_name, use_i18n};
use crate::ui::field::{capitalized, message_at, PlainField};
use crate::ui::field_id;

use super::fields::{Checkbox, Choices, SummaryRow, TextArea};

/// What a field of the profile is called on the page (and in "still
/// needed before publishing").
fn label_of(field: &str) -> MessageKey {
    match field {
        "description" => words::BUSINESS_DESCRIPTION,
        "industries" => words::BUSINESS_INDUSTRIES,
        "products" => words::BUSINESS_PRODUCTS,
        "services" => words::BUSINESS_SERVICES,
        "customer_sizes" => words::BUSINESS_CUSTOMER_SIZES,
        "languages" => words::BUSINESS_LANGUAGES,
        "locations" => words::BUSINESS_LOCATIONS,
        _ => words::BUSINESS_REFERRAL_CONTACT,
    }
}

/// One location's fields: those the form shows, and the address as
/// loaded, whose other parts (a third street line, a sorting code saved
/// through the API) are kept as they were.
#[derive(Clone, Copy)]
struct LocationFields {
    loaded: StoredValue<Address>,
    country: RwSignal<String>,
    line1: RwSignal<String>,
    line2: RwSignal<String>,
    locality: RwSignal<String>,
    region: RwSignal<String>,
    postal_code: RwSignal<String>,
}

impl LocationFields {
    fn of(address: &Address) -> Self {
        let line = |n: usize| RwSignal::new(address.lines.get(n).cloned().unwrap_or_default());
        Self {
            loaded: StoredValue::new(address.clone()),
            country: RwSignal::new(address.country.clone()),
            line1: line(0),
            line2: line(1),
            locality: RwSignal::new(address.locality.clone()),
            region: RwSignal::new(address.region.clone()),
            postal_code: RwSignal::new(address.postal_code.clone()),
        }
    }

    fn address(&self) -> Address {
        let loaded = self.loaded.get_value();
        let more = loaded.lines.iter().skip(2).cloned();
        Address {
            country: self.country.get_untracked().trim().to_uppercase(),
            lines: [self.line1.get_untracked(), self.line2.get_untracked()]
                .into_iter()
                .chain(more)
                .filter(|l| !l.trim().is_empty())
                .collect(),
            locality: self.locality.get_untracked(),
            region: self.region.get_untracked(),
            postal_code: self.postal_code.get_untracked(),
            ..loaded
        }
    }
}

/// The form's fields, made from the profile as loaded.
#[derive(Clone, Copy)]
struct Form {
    description: RwSignal<String>,
    website: RwSignal<String>,
    linkedin: RwSignal<String>,
    /// The codes chosen of each of `vocabulary::ALL`, in its order.
    codes: [RwSignal<Vec<String>>; 5],
    only_listed_sizes: RwSignal<bool>,
    locations: RwSignal<Vec<LocationFields>>,
    referral_contact: RwSignal<String>,
    published: RwSignal<bool>,
}

impl Form {
    fn of(profile: &Profile) -> Self {
        Self {
            description: RwSignal::new(profile.description.clone()),
            website: RwSignal::new(profile.website.clone()),
            linkedin: RwSignal::new(profile.linkedin.clone()),
            codes: vocabulary::ALL.map(|v| RwSignal::new(profile.codes(v).to_vec())),
            only_listed_sizes: RwSignal::new(profile.only_listed_sizes),
            locations: RwSignal::new(profile.locations.iter().map(LocationFields::of).collect()),
            referral_contact: RwSignal::new(profile.referral_contact.clone().unwrap_or_default()),
            published: RwSignal::new(profile.published),
        }
    }

    fn profile(&self) -> Profile {
        let [industries, products, services, customer_sizes, languages] =
            self.codes.map(|c| c.get_untracked());
        let contact = self.referral_contact.get_untracked();
        Profile {
            description: self.description.get_untracked(),
            website: self.website.get_untracked(),
            linkedin: self.linkedin.get_untracked(),
            industries,
            products,
            services,
            customer_sizes,
            only_listed_sizes: self.only_listed_sizes.get_untracked(),
            languages,
            locations: self
                .locations
                .get_untracked()
                .iter()
                .map(LocationFields::address)
                .collect(),
            referral_contact: (!contact.is_empty()).then_some(contact),
            published: self.published.get_untracked(),
            ..Profile::default()
        }
    }
}

#[component]
pub fn BusinessProfilePage(heading: NodeRef<H1>) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    // The profile as the server last gave it (its version, its logo, what
    // is published); the form keeps what is typed apart from it.
    let current = RwSignal::new(None::<BusinessProfile>);
    let form = RwSignal::new(None::<Form>);
    // "Saved", above the form: focused, so a user at the form's end (and
    // a screen reader) is taken to it.
    let told = RwSignal::new(None::<MessageKey>);
    let notice = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| {
        if told.get().is_some() {
            request_animation_frame(move || {
                if let Some(p) = notice.get_untracked() {
                    let _ = p.focus();
                }
            });
        }
    });
    // The logo's own "saved" or "removed", beside it.
    let logo_told = RwSignal::new(None::<MessageKey>);
    // Loads again when a save finds the profile saved by someone else
    // meanwhile: shown as it is now, to change again.
    let changed_elsewhere = RwSignal::new(0);
    let save = state.request(
        move |api, token, locale, sent: BusinessProfile| async move {
            let answer = api.save_business_profile(&token, &sent, locale).await;
            if Versioned::changed_elsewhere(&answer) {
                changed_elsewhere.update(|n| *n += 1);
            }
            answer
        },
        move |_, saved: BusinessProfile| {
            current.set(Some(saved));
            told.set(Some(words::BUSINESS_SAVED));
        },
    );
    let logo = state.request(
        |api, token, locale, file: Option<web_sys::File>| async move {
            api.set_business_logo(&token, file, locale).await
        },
        move |_, saved: BusinessProfile| {
            let removed = saved.profile.logo_url.is_none();
            // Only the logo changed: the form keeps what is typed.
            current.update(|c| {
                if let Some(c) = c {
                    c.profile.logo_url = saved.profile.logo_url.clone();
                }
            });
            logo_told.set(Some(if removed {
                words::BUSINESS_LOGO_REMOVED
            } else {
                words::BUSINESS_LOGO_SAVED
            }));
        },
    );
    let loaded = state.loaded(
        move || {
            changed_elsewhere.get();
        },
        |api, token, locale| async move { api.business_profile(&token, locale).await },
    );
    Effect::new(move |_| {
        if let Some(profile) = loaded.get().flatten() {
            form.set(Some(Form::of(&profile.profile)));
            current.set(Some(profile));
        }
    });
    let may_edit = move || state.may(Action::EditBusinessProfile);
    // The account's pages focus their heading as they open; this one
    // arrives later, with its part and its messages: focused as it does.
    Effect::new(move |_| {
        request_animation_frame(move || {
            if let Some(h1) = heading.get_untracked() {
                let _ = h1.focus();
            }
        });
    });
    // The logo's section is drawn once: an upload or a removal changes its
    // picture, and focus stays on the button pressed.
    let loaded_once = Memo::new(move |_| current.with(Option::is_some));
    let logo_url =
        Memo::new(move |_| current.with(|c| c.as_ref().and_then(|c| c.profile.logo_url.clone())));
    view! {
        <h1 class="csp-heading-l" tabindex="-1" node_ref=heading>{move || i18n.t(words::BUSINESS_TITLE)}</h1>
        <p>{move || i18n.t(words::BUSINESS_INTRO)}</p>
        {move || told.get().map(|key| view! { <p class="csp-notice" role="status" tabindex="-1" node_ref=notice>{move || i18n.t(key)}</p> })}
        {move || current.get().map(|c| view! { <Standing profile=c.profile/> })}
        {move || loaded_once.get().then(|| view! { <Logo url=logo_url editable=may_edit() logo=logo told=logo_told/> })}
        {move || match (current.get_untracked(), form.get(), may_edit()) {
            (Some(c), Some(fields), true) => view! {
                <ProfileForm form=fields contacts=c.profile.contacts on_save=Callback::new(move |()| {
                    told.set(None);
                    let etag = current.with_untracked(|c| c.as_ref().map(|c| c.etag.clone()).unwrap_or_default());
                    save.send(BusinessProfile { profile: fields.profile(), etag });
                }) pending=save.pending()/>
            }.into_any(),
            (Some(c), _, false) => view! { <ProfileView profile=c.profile/> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

/// Published or not, and what publishing still needs.
#[component]
fn Standing(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let missing = profile.missing();
    let published = profile.published;
    view! {
        <div class="csp-inset" data-standing=if published { "published" } else { "draft" }>
            <p>{move || i18n.t(if published { words::BUSINESS_STATUS_PUBLISHED } else { words::BUSINESS_STATUS_DRAFT })}</p>
            {(!published && !missing.is_empty()).then(|| view! {
                <p>{move || i18n.t(words::BUSINESS_MISSING)}</p>
                <ul class="csp-list" data-missing>
                    {missing.iter().map(|field| {
                        let key = label_of(field);
                        view! { <li>{move || capitalized(i18n.t(key))}</li> }
                    }).collect::<Vec<_>>()}
                </ul>
            })}
        </div>
    }
}

/// The logo: shown, and for an editor uploaded or removed on its own (the
/// form's answers stay as typed).
#[component]
fn Logo(
    url: Memo<Option<String>>,
    editable: bool,
    logo: crate::account::Request<Option<web_sys::File>, ()>,
    told: RwSignal<Option<MessageKey>>,
) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let input = NodeRef::<Input>::new();
    // What is wrong with the file chosen, told before sending it.
    let refused = RwSignal::new(None::<MessageKey>);
    let company = move || {
        state
            .account
            .with(|a| a.as_ref().map(|a| a.company.clone()).unwrap_or_default())
    };
    let has_logo = move || url.with(Option::is_some);
    let error = move || {
        refused
            .get()
            .map(|key| i18n.t(key))
            .or_else(|| message_at(&state.errors, "logo"))
    };
    let upload = move || {
        let file = input
            .get_untracked()
            .and_then(|i| i.files())
            .and_then(|f| f.get(0));
        // Without sending a megabyte the server refuses.
        let too_large = |file: &web_sys::File| {
            file.size() > enroll_core::business_profile::limits::LOGO_MAX_BYTES as f64
        };
        match file {
            None => refused.set(Some(words::BUSINESS_LOGO_CHOOSE_FIRST)),
            Some(file) if too_large(&file) => refused.set(Some(words::BUSINESS_LOGO_TOO_LARGE)),
            Some(file) => {
                refused.set(None);
                logo.send(Some(file));
            }
        }
    };
    view! {
        <section class="csp-section" aria-labelledby="logo-heading">
            <h2 class="csp-heading-m" id="logo-heading">{move || i18n.t(words::BUSINESS_LOGO)}</h2>
            {move || told.get().map(|key| view! { <p class="csp-notice" role="status" data-logo-status>{move || i18n.t(key)}</p> })}
            {move || match url.get() {
                Some(url) => view! {
                    <img class="csp-logo" src=url alt=move || i18n.tf(words::BUSINESS_LOGO_ALT, &[("company", &company())])/>
                }.into_any(),
                None => view! { <p>{move || i18n.t(words::BUSINESS_LOGO_NONE)}</p> }.into_any(),
            }}
            {editable.then(|| view! {
                <div class="csp-field" class:csp-field--error=move || error().is_some()>
                    <label class="csp-label" for=field_id("logo")>{move || capitalized(i18n.t(words::BUSINESS_LOGO_CHOOSE))}</label>
                    <div class="csp-hint" id="logo-hint">{move || i18n.t(words::BUSINESS_LOGO_HINT)}</div>
                    {move || error().map(|m| view! { <p class="csp-error-message" id="logo-error">{m}</p> })}
                    <input class="csp-file" type="file" id=field_id("logo") accept="image/png,image/jpeg" node_ref=input
                        aria-describedby=move || if error().is_some() { "logo-hint logo-error" } else { "logo-hint" }
                        aria-invalid=move || error().is_some().to_string()
                        on:change=move |_| refused.set(None)/>
                </div>
                <div class="csp-actions-row">
                    <button type="button" class="csp-button csp-button--secondary" data-upload-logo aria-disabled=move || logo.pending().get().to_string()
                        on:click=move |_| { told.set(None); upload() }>{move || i18n.t(words::BUSINESS_LOGO_UPLOAD)}</button>
                    {move || has_logo().then(|| view! {
                        <button type="button" class="csp-button csp-button--warning" data-remove-logo on:click=move |_| logo.send(None)>
                            {move || i18n.t(words::BUSINESS_LOGO_REMOVE)}
                        </button>
                    })}
                </div>
            })}
        </section>
    }
}

#[component]
fn ProfileForm(
    form: Form,
    contacts: Vec<ContactChoice>,
    on_save: Callback<()>,
    pending: Signal<bool>,
) -> impl IntoView {
    let state = expect_context::<AccountState>();
    let i18n = use_i18n();
    let contact_error = Memo::new(move |_| message_at(&state.errors, "referral_contact"));
    let locations_error = Memo::new(move |_| message_at(&state.errors, "locations"));
    let [industries, products, services, sizes, languages] = form.codes;
    let location_views = move || {
        form.locations
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, l)| {
                let number = (i + 1).to_string();
                let path = move |name: &str| format!("locations.{i}.{name}");
                let legend = {
                    let number = number.clone();
                    move || i18n.tf(words::BUSINESS_LOCATION, &[("number", &number)])
                };
                let remove = move || i18n.tf(words::BUSINESS_REMOVE_LOCATION, &[("number", &number)]);
                view! {
                    <fieldset class="csp-fieldset csp-location" data-location=i>
                        <legend class="csp-heading-s">{legend}</legend>
                        <PlainField path=path("country") label_key=words::BUSINESS_COUNTRY hint_key=words::BUSINESS_COUNTRY_HINT width="csp-input--4" value=l.country errors=state.errors/>
                        <PlainField path=path("lines.0") label_key=words::BUSINESS_LINE1 value=l.line1 errors=state.errors/>
                        <PlainField path=path("lines.1") label_key=words::BUSINESS_LINE2 value=l.line2 errors=state.errors/>
                        <PlainField path=path("locality") label_key=words::BUSINESS_LOCALITY width="csp-input--20" value=l.locality errors=state.errors/>
                        <PlainField path=path("region") label_key=words::BUSINESS_REGION width="csp-input--20" value=l.region errors=state.errors/>
                        <PlainField path=path("postal_code") label_key=words::BUSINESS_POSTAL_CODE width="csp-input--10" value=l.postal_code errors=state.errors/>
                        <button type="button" class="csp-button csp-button--secondary" on:click=move |_| {
                            form.locations.update(|all| { all.remove(i); });
                        }>{remove}</button>
                    </fieldset>
                }
            })
            .collect::<Vec<_>>()
    };
    let options = contacts
        .into_iter()
        .map(|c| {
            let label = format!("{} ({})", c.name, c.email);
            let id = c.id.clone();
            view! { <option value=c.id selected=move || form.referral_contact.with(|v| *v == id)>{label}</option> }
        })
        .collect::<Vec<_>>();
    view! {
        <form novalidate on:submit=move |ev| { ev.prevent_default(); on_save.run(()); }>
            <TextArea path="description" label=words::BUSINESS_DESCRIPTION hint=words::BUSINESS_DESCRIPTION_HINT value=form.description errors=state.errors/>
            <PlainField path="website" label_key=words::BUSINESS_WEBSITE hint_key=words::BUSINESS_WEBSITE_HINT input_type="url" autocomplete="url" value=form.website errors=state.errors/>
            <PlainField path="linkedin" label_key=words::BUSINESS_LINKEDIN hint_key=words::BUSINESS_LINKEDIN_HINT input_type="url" value=form.linkedin errors=state.errors/>
            // In the order of "still needed" and of the error summary.
            <Choices vocabulary=vocabulary::INDUSTRIES chosen=industries errors=state.errors label=label_of("industries")/>
            <Choices vocabulary=vocabulary::PRODUCTS chosen=products errors=state.errors label=label_of("products")/>
            <Choices vocabulary=vocabulary::SERVICES chosen=services errors=state.errors label=label_of("services")/>
            <Choices vocabulary=vocabulary::CUSTOMER_SIZES chosen=sizes errors=state.errors label=label_of("customer_sizes")/>
            <Checkbox path="only_listed_sizes" label=words::BUSINESS_ONLY_LISTED_SIZES value=form.only_listed_sizes/>
            <Choices vocabulary=vocabulary::LANGUAGES chosen=languages errors=state.errors label=label_of("languages")/>
            <fieldset class="csp-fieldset csp-field" class:csp-group--error=move || locations_error.get().is_some() id=field_id("locations") tabindex="-1"
                aria-describedby=move || if locations_error.get().is_some() { "locations-hint locations-error" } else { "locations-hint" }>
                <legend class="csp-heading-m">{move || i18n.t(words::BUSINESS_LOCATIONS)}</legend>
                <div class="csp-hint" id="locations-hint">{move || i18n.t(words::BUSINESS_LOCATIONS_HINT)}</div>
                {move || locations_error.get().map(|m| view! { <p class="csp-error-message" id="locations-error">{m}</p> })}
                {location_views}
                <button type="button" class="csp-button csp-button--secondary csp-add-location" data-add-location on:click=move |ev| {
                    form.locations.update(|all| all.push(LocationFields::of(&Address::default())));
                    // On to the new location's first answer.
                    let last = form.locations.with_untracked(Vec::len) - 1;
                    let root = ev.target().and_then(|t| crate::ui::root_of(&t));
                    crate::ui::focus_after_render(root, field_id(&format!("locations.{last}.country")));
                }>{move || i18n.t(words::BUSINESS_ADD_LOCATION)}</button>
            </fieldset>
            <div class="csp-field" class:csp-field--error=move || contact_error.get().is_some()>
                <label class="csp-label" for=field_id("referral_contact")>{move || i18n.t(words::BUSINESS_REFERRAL_CONTACT)}</label>
                <div class="csp-hint" id="contact-hint">{move || i18n.t(words::BUSINESS_REFERRAL_CONTACT_HINT)}</div>
                {move || contact_error.get().map(|m| view! { <p class="csp-error-message" id="contact-error">{m}</p> })}
                <select class="csp-select" id=field_id("referral_contact")
                    aria-invalid=move || contact_error.get().is_some().to_string()
                    aria-describedby=move || if contact_error.get().is_some() { "contact-hint contact-error" } else { "contact-hint" }
                    on:change:target=move |ev| form.referral_contact.set(ev.target().value())>
                    <option value="">{move || i18n.t(words::BUSINESS_CHOOSE_CONTACT)}</option>
                    {options}
                </select>
            </div>
            <Checkbox path="published" label=words::BUSINESS_PUBLISHED value=form.published/>
            <button type="submit" class="csp-button" aria-disabled=move || pending.get().to_string()>
                {move || i18n.t(words::BUSINESS_SAVE)}
            </button>
        </form>
    }
}

/// The profile as written, for those who read it only.
#[component]
fn ProfileView(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let empty = move || i18n.t(words::BUSINESS_EMPTY);
    let or_empty = move |text: String| {
        if text.trim().is_empty() {
            empty()
        } else {
            text
        }
    };
    let names = move |vocabulary: Vocabulary, codes: Vec<String>| {
        let named: Vec<String> = codes
            .iter()
            .filter_map(|c| vocabulary.term(c))
            .map(|t| i18n.t(t.name))
            .collect();
        or_empty(i18n.list(&named))
    };
    let row = |key: MessageKey, value: String| view! { <SummaryRow key=key value=value/> };
    let locations: Vec<String> = profile
        .locations
        .iter()
        .map(|a| {
            let country = country_name(&a.country, i18n.locale.get_untracked());
            a.lines
                .iter()
                .chain([&a.locality, &a.region, &a.postal_code, &country])
                .filter(|l| !l.trim().is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    let contact = profile
        .referral_contact
        .as_ref()
        .and_then(|id| profile.contacts.iter().find(|c| c.id == *id))
        .map(|c| format!("{} ({})", c.name, c.email))
        .unwrap_or_default();
    let code_rows = vocabulary::ALL
        .into_iter()
        .map(|v| row(label_of(v.field), names(v, profile.codes(v).to_vec())))
        .collect::<Vec<_>>();
    let only_listed = profile.only_listed_sizes.then(|| {
        view! { <p data-only-listed>{move || i18n.t(words::BUSINESS_ONLY_LISTED_SIZES_ON)}</p> }
    });
    view! {
        {only_listed}
        <dl class="csp-summary" data-business-profile>
            {row(words::BUSINESS_DESCRIPTION, or_empty(profile.description.clone()))}
            {row(words::BUSINESS_WEBSITE, or_empty(profile.website.clone()))}
            {row(words::BUSINESS_LINKEDIN, or_empty(profile.linkedin.clone()))}
            {code_rows}
            {row(words::BUSINESS_LOCATIONS, or_empty(locations.join("\n")))}
            {row(words::BUSINESS_REFERRAL_CONTACT, or_empty(contact))}
        </dl>
    }
}
