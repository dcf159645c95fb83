//! The finder's pages: search with filters and results, a provider's
//! details, and the partnership requests. Thin: the searching is in
//! enroll-finder, the state in `FinderState`.

use enroll_core::provider::service_label;
use enroll_core::Provider;
use enroll_core::{msg, MessageKey};
use enroll_finder::SortOrder;
use leptos::prelude::*;

use super::{DirectoryCache, FinderState, Row, Source};
use crate::api::{ApiClient, DraftRef};
use crate::embed::parse_resume_fragment;
use crate::i18n::{country_name, language_name, number, use_i18n, I18n};
use crate::ui::debounce::Debounce;
use crate::ui::{focus_after_render, root_of};

/// The finder. `applicant` sends the requests (the submitted application
/// it was opened from); without one, requesting first asks for the
/// application's link. `on_back` returns to the application.
#[component]
pub fn FinderPage(
    applicant: Option<DraftRef>,
    #[prop(optional)] on_back: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let cache = use_context::<DirectoryCache>().unwrap_or(DirectoryCache(RwSignal::new(None)));
    let limit = use_context::<crate::embed::HostConfig>()
        .map_or(crate::embed::IN_BROWSER_LIMIT, |c| {
            c.finder_in_browser_limit
        });
    let state = FinderState::new(expect_context::<ApiClient>(), i18n, cache, applicant, limit);
    provide_context(state);
    state.follow_searches();
    view! {
        <section class="csp-finder" data-finder="">
            // One way back at a time: to the results from a provider.
            {move || on_back.filter(|_| state.selected.get().is_none()).map(|back| view! {
                <button type="button" class="csp-back-link" on:click=move |_| back.run(())>
                    {move || i18n.t(msg::finder::FINDER_BACK_TO_APPLICATION)}
                </button>
            })}
            {move || match state.selected.get() {
                Some(id) => view! { <ProviderDetail id=id/> }.into_any(),
                None => view! { <SearchPage/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    view! {
        <h1 class="csp-heading-l" id="finder-title">{move || i18n.t(msg::finder::FINDER_TITLE)}</h1>
        <p class="csp-lead">{move || i18n.t(msg::finder::FINDER_LEAD)}</p>
        <RequestsList/>
        {move || {
            // The search form's option names are worded when it is drawn:
            // drawn again in a new language (its answers are the state's).
            i18n.locale.track();
            // A retry says it is loading again.
            let retry = move |_| {
                state.directory.set(None);
                state.directory.refetch();
            };
            match state.directory.get() {
                Some(Err(failure)) => view! {
                    <div class="csp-notice csp-notice--problem" role="alert">
                        <p>{failure.describe(&i18n)}</p>
                        <button type="button" class="csp-button csp-button--secondary" on:click=retry>
                            {i18n.t(msg::APP_RETRY)}
                        </button>
                    </div>
                }.into_any(),
                None => view! { <p class="csp-loading" role="status">{i18n.t(msg::finder::FINDER_LOADING)}</p> }.into_any(),
                Some(Ok(source)) => view! { <SearchForm source=source/> <Results/> }.into_any(),
            }
        }}
    }
}

/// A filter's `<select>`: "any" first, then the options.
#[component]
fn FilterSelect(
    id: &'static str,
    label_key: MessageKey,
    any_key: MessageKey,
    value: RwSignal<String>,
    /// (value, shown text), in display order.
    options: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="csp-field csp-finder__filter">
            <label class="csp-label" for=id>{move || i18n.t(label_key)}</label>
            <select class="csp-select" id=id on:change:target=move |ev| value.set(ev.target().value())>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.t(any_key)}</option>
                {options.into_iter().map(|(v, text)| {
                    let selected = { let v = v.clone(); move || value.get() == v };
                    view! { <option value=v selected=selected>{text}</option> }
                }).collect::<Vec<_>>()}
            </select>
        </div>
    }
}

/// Options sorted by what the user reads, not by code.
fn options_by_text(values: &[String], text: impl Fn(&str) -> String) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = values.iter().map(|v| (v.clone(), text(v))).collect();
    options.sort_by_key(|(_, text)| text.to_lowercase());
    options
}

/// A service as the directory names it, in the reader's language where
/// the catalog words it.
fn service_name(i18n: I18n, service: &str) -> String {
    service_label(service).map_or_else(|| service.to_owned(), |key| i18n.t(key))
}

#[component]
fn SearchForm(source: Source) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    let facets = source.facets().clone();
    let locale = i18n.locale.get_untracked();
    let countries = options_by_text(&facets.countries, |c| country_name(c, locale));
    let products = options_by_text(&facets.products, str::to_owned);
    let languages = options_by_text(&facets.languages, |l| language_name(l, locale));
    let services = options_by_text(&facets.services, |s| untrack(|| service_name(i18n, s)));
    view! {
        <form class="csp-finder__form" role="search" aria-labelledby="finder-title" on:submit=|ev| ev.prevent_default()>
            <div class="csp-field">
                <label class="csp-label" for="finder-q">{move || i18n.t(msg::finder::FINDER_SEARCH_LABEL)}</label>
                <div class="csp-hint" id="finder-q-hint">{move || i18n.t(msg::finder::FINDER_SEARCH_HINT)}</div>
                <input class="csp-input" id="finder-q" type="search" autocomplete="off" spellcheck="false"
                    aria-describedby="finder-q-hint"
                    prop:value=move || state.text.get()
                    on:input:target=move |ev| state.text.set(ev.target().value())/>
            </div>
            <div class="csp-finder__filters">
                <FilterSelect id="finder-country" label_key=msg::finder::FINDER_FILTER_COUNTRY any_key=msg::finder::FINDER_FILTER_ANY_COUNTRY value=state.country options=countries/>
                <FilterSelect id="finder-product" label_key=msg::finder::FINDER_FILTER_PRODUCT any_key=msg::finder::FINDER_FILTER_ANY_PRODUCT value=state.product options=products/>
                <FilterSelect id="finder-language" label_key=msg::finder::FINDER_FILTER_LANGUAGE any_key=msg::finder::FINDER_FILTER_ANY_LANGUAGE value=state.language options=languages/>
                <FilterSelect id="finder-service" label_key=msg::finder::FINDER_FILTER_SERVICE any_key=msg::finder::FINDER_FILTER_ANY_SERVICE value=state.service options=services/>
                <div class="csp-field csp-finder__filter">
                    <label class="csp-label" for="finder-sort">{move || i18n.t(msg::finder::FINDER_SORT)}</label>
                    <select class="csp-select" id="finder-sort" on:change:target=move |ev| {
                        state.sort.set(if ev.target().value() == "name" { SortOrder::Name } else { SortOrder::Relevance });
                    }>
                        <option value="relevance" selected=move || state.sort.get() == SortOrder::Relevance>{move || i18n.t(msg::finder::FINDER_SORT_RELEVANCE)}</option>
                        <option value="name" selected=move || state.sort.get() == SortOrder::Name>{move || i18n.t(msg::finder::FINDER_SORT_NAME)}</option>
                    </select>
                </div>
            </div>
        </form>
    }
}

fn count_text(i18n: I18n, total: usize) -> String {
    if total == 0 {
        i18n.t(msg::finder::FINDER_COUNT_NONE)
    } else {
        i18n.plural(msg::finder::FINDER_COUNT, total)
    }
}

#[component]
fn Results() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    // The count is announced once typing pauses, not on every keystroke.
    let announced = RwSignal::new(String::new());
    let announce = Debounce::new(700);
    Effect::new(move |_| {
        if let Some(total) = state.total.get() {
            let text = count_text(i18n, total);
            announce.run(move || announced.set(text));
        }
    });
    // "Show more" moves focus to the first new result once it is shown.
    let focus_from = StoredValue::new_local(None::<(Option<web_sys::Node>, usize)>);
    Effect::new(move |_| {
        let shown = state.rows.with(Vec::len);
        let due = focus_from
            .try_update_value(|from| from.take_if(|(_, first_new)| shown > *first_new))
            .flatten();
        if let Some((root, first_new)) = due {
            focus_after_render(root, format!("finder-result-{first_new}"));
        }
    });
    let more = move |ev: leptos::ev::MouseEvent| {
        let root = ev.target().as_ref().and_then(root_of);
        focus_from.set_value(Some((root, state.rows.with_untracked(Vec::len))));
        state.show_more();
    };
    view! {
        <p class="csp-finder__count" id="finder-count" data-total=move || state.total.get().map(|t| t.to_string())>
            {move || state.total.get().map(|total| count_text(i18n, total))}
        </p>
        <div class="csp-visually-hidden" role="status" aria-live="polite" aria-atomic="true">{move || announced.get()}</div>
        {move || state.search_failure().map(|failure| view! {
            <div class="csp-notice csp-notice--problem" role="alert"><p>{failure.describe(&i18n)}</p></div>
        })}
        <ul class="csp-results" aria-labelledby="finder-count">
            <For
                each=move || state.rows.get().into_iter().enumerate()
                key=|(position, row)| (*position, row.id.clone())
                children=move |(position, row)| view! { <ResultItem position=position row=row/> }
            />
        </ul>
        {move || {
            let shown = state.rows.with(Vec::len);
            let total = state.total.get().unwrap_or(0);
            (shown < total).then(|| view! {
                <button type="button" class="csp-button csp-button--secondary" data-show-more="" on:click=more>
                    {i18n.tf(msg::finder::FINDER_SHOW_MORE, &[
                        ("shown", &number(shown, i18n.locale.get())),
                        ("total", &number(total, i18n.locale.get())),
                    ])}
                </button>
            })
        }}
    }
}

#[component]
fn ResultItem(position: usize, row: Row) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    let Row {
        id,
        name,
        city,
        country,
        products,
        languages,
    } = row;
    let open = {
        let id = id.clone();
        move |_| {
            state.selected.set(Some(id.clone()));
        }
    };
    let place = move || i18n.place(&city, &country_name(&country, i18n.locale.get()));
    let languages = move || {
        let locale = i18n.locale.get();
        let names: Vec<String> = languages.iter().map(|l| language_name(l, locale)).collect();
        i18n.list(&names)
    };
    view! {
        <li class="csp-result" data-provider=id.clone()>
            <h2 class="csp-result__name">
                <button type="button" class="csp-link-button" id=format!("finder-result-{position}") on:click=open>{name}</button>
            </h2>
            <p class="csp-result__place">{place}</p>
            <p class="csp-result__meta">{products.join(" · ")}</p>
            <p class="csp-result__meta csp-hint">{languages}</p>
        </li>
    }
}

#[component]
fn ProviderDetail(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    let api = expect_context::<ApiClient>();
    let provider = {
        let id = id.clone();
        LocalResource::new(move || {
            let (api, id) = (api.clone(), id.clone());
            let locale = i18n.locale.get_untracked();
            async move { api.provider(&id, locale).await }
        })
    };
    let back = {
        let id = id.clone();
        move |ev: leptos::ev::MouseEvent| {
            let root = ev.target().as_ref().and_then(root_of);
            let position = state
                .rows
                .with_untracked(|rows| rows.iter().position(|r| r.id == id));
            state.selected.set(None);
            let target = position.map_or("finder-q".to_owned(), |p| format!("finder-result-{p}"));
            focus_after_render(root, target);
        }
    };
    view! {
        <button type="button" class="csp-back-link" data-back-to-results="" on:click=back>{move || i18n.t(msg::finder::FINDER_BACK_TO_RESULTS)}</button>
        {move || match provider.get() {
            None => view! { <p class="csp-loading" role="status">{i18n.t(msg::finder::FINDER_LOADING_PROVIDER)}</p> }.into_any(),
            Some(Err(failure)) => view! {
                <h1 class="csp-heading-l" id="provider-title" tabindex="-1">{i18n.t(msg::finder::FINDER_PROVIDER_UNAVAILABLE)}</h1>
                <p>{failure.describe(&i18n)}</p>
            }.into_any(),
            Some(Ok(provider)) => {
                // The facts follow the language; the request form (and what
                // is typed in it) stays.
                let facts = provider.clone();
                let facts = move || {
                    i18n.locale.track();
                    view! { <ProviderFacts provider=facts.clone()/> }
                };
                view! { {facts} <RequestPanel provider=provider/> }.into_any()
            }
        }}
    }
}

#[component]
fn ProviderFacts(provider: Provider) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.locale.get_untracked();
    let join = |items: Vec<String>| i18n.list(&items);
    let rows: Vec<(MessageKey, String)> = vec![
        (
            msg::finder::FINDER_DETAIL_BASED,
            i18n.place(&provider.city, &country_name(&provider.country, locale)),
        ),
        (
            msg::finder::FINDER_DETAIL_SERVES,
            join(
                provider
                    .countries_served
                    .iter()
                    .map(|c| country_name(c, locale))
                    .collect(),
            ),
        ),
        (
            msg::finder::FINDER_DETAIL_PRODUCTS,
            join(provider.products.clone()),
        ),
        (
            msg::finder::FINDER_DETAIL_SERVICES,
            join(
                provider
                    .services
                    .iter()
                    .map(|s| untrack(|| service_name(i18n, s)))
                    .collect(),
            ),
        ),
        (
            msg::finder::FINDER_DETAIL_LANGUAGES,
            join(
                provider
                    .languages
                    .iter()
                    .map(|l| language_name(l, locale))
                    .collect(),
            ),
        ),
    ];
    // The page changed under the user's focus: move it to the new heading
    // once it is in the document (the details arrive after a fetch).
    let heading = NodeRef::<leptos::html::H1>::new();
    Effect::new(move |_| {
        if let Some(heading) = heading.get() {
            let _ = heading.focus();
        }
    });
    let website = provider.website.clone();
    let email = provider.email.clone();
    let phone = provider.phone.clone();
    view! {
        <h1 class="csp-heading-l" id="provider-title" tabindex="-1" node_ref=heading>{provider.name.clone()}</h1>
        {(!provider.description.is_empty()).then(|| view! { <p class="csp-lead">{provider.description.clone()}</p> })}
        <dl class="csp-summary">
            {rows.into_iter().map(|(key, value)| view! {
                <div class="csp-summary__row">
                    <dt class="csp-summary__key">{move || i18n.t(key)}</dt>
                    <dd class="csp-summary__value">{value}</dd>
                </div>
            }).collect::<Vec<_>>()}
            <div class="csp-summary__row">
                <dt class="csp-summary__key">{move || i18n.t(msg::finder::FINDER_DETAIL_CONTACT)}</dt>
                <dd class="csp-summary__value">
                    {(!website.is_empty()).then(|| view! { <a class="csp-link" href=website.clone() rel="noopener noreferrer" target="_blank">{website.clone()}</a><br/> })}
                    {(!email.is_empty()).then(|| view! { <a class="csp-link" href=format!("mailto:{email}")>{email.clone()}</a><br/> })}
                    {phone}
                </dd>
            </div>
        </dl>
    }
}

#[component]
fn RequestPanel(provider: Provider) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    let message = RwSignal::new(String::new());
    let provider_id = provider.id.clone();
    let name = provider.name.clone();
    // Whether a request to it is made: the form is drawn again only when
    // that changes (not when an ask fails, taking the focus from the
    // button, nor when the list loads again after an ask).
    let made = {
        let provider_id = provider_id.clone();
        Memo::new(move |_| state.request_to(&provider_id).is_some())
    };
    // Once a request is made, focus moves to what replaces the button.
    // (The same type as Results' `focus_from`: one more type costs the
    // first page bytes, as each does.)
    let sent_from = StoredValue::new_local(None::<(Option<web_sys::Node>, usize)>);
    Effect::new(move |_| {
        if made.get() {
            if let Some((root, _)) = sent_from.try_update_value(Option::take).flatten() {
                focus_after_render(root, "request-sent".to_owned());
            }
        }
    });
    view! {
        <h2 class="csp-heading-m" id="request-title">{move || i18n.t(msg::finder::FINDER_REQUEST_TITLE)}</h2>
        {move || {
            let existing = made.get().then(|| untrack(|| state.request_to(&provider_id))).flatten();
            if let Some(request) = existing {
                let status = i18n.request_status(&request);
                return view! {
                    <div class="csp-inset" id="request-sent" tabindex="-1" role="status" data-request-status=request.status.clone()>
                        <p>{i18n.tf(msg::finder::FINDER_REQUEST_SENT, &[("provider", &request.provider_name), ("date", &i18n.date(&request.created_at, false))])}</p>
                        <p><strong class="csp-tag">{status}</strong></p>
                    </div>
                }.into_any();
            }
            if state.applicant.get().is_none() {
                return view! { <ResumePrompt/> }.into_any();
            }
            let provider_id = provider_id.clone();
            let send = move |ev: leptos::ev::MouseEvent| {
                // The button goes away once the request is in: focus what replaces it.
                sent_from.set_value(Some((ev.target().as_ref().and_then(root_of), 0)));
                state.request(provider_id.clone(), message.get_untracked());
            };
            view! {
                <p>{i18n.tf(msg::finder::FINDER_REQUEST_EXPLAIN, &[("provider", &name)])}</p>
                {move || state.request_problem().map(|problem| view! {
                    <div class="csp-notice csp-notice--problem" role="alert"><p>{move || problem.describe(&i18n)}</p></div>
                })}
                <div class="csp-field">
                    <label class="csp-label" for="request-message">
                        {i18n.t(msg::finder::FINDER_REQUEST_MESSAGE)}" "<span class="csp-optional">{i18n.t(msg::FORM_OPTIONAL)}</span>
                    </label>
                    <textarea class="csp-input csp-textarea" id="request-message" rows="4" maxlength="1000"
                        prop:value=move || message.get()
                        on:input:target=move |ev| message.set(ev.target().value())></textarea>
                </div>
                <button type="button" class="csp-button" data-request-partner="" aria-disabled=move || state.ask.pending().get().to_string() on:click=send>
                    {move || if state.ask.pending().get() { i18n.t(msg::finder::FINDER_REQUEST_SENDING) } else { i18n.t(msg::finder::FINDER_REQUEST_BUTTON) }}
                </button>
            }.into_any()
        }}
    }
}

/// Standalone finder: a request needs the application it comes from. The
/// user pastes the link "Save and come back later" gave them; the token in
/// it stays in memory only.
#[component]
fn ResumePrompt() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    let link = RwSignal::new(String::new());
    // The message's key, worded when shown (a language switch re-words it).
    let problem = RwSignal::new(None::<MessageKey>);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = link.get_untracked();
        let fragment = text.split_once('#').map_or(text.as_str(), |(_, f)| f);
        match parse_resume_fragment(fragment) {
            Some((id, token)) => {
                problem.set(None);
                // The requests are loaded for it.
                state.applicant.set(Some(DraftRef { id, token }));
            }
            None => problem.set(Some(msg::finder::FINDER_RESUME_INVALID)),
        }
    };
    view! {
        <p>{move || i18n.t(msg::finder::FINDER_RESUME_EXPLAIN)}</p>
        {move || state.request_problem().map(|p| view! {
            <div class="csp-notice csp-notice--problem" role="alert"><p>{move || p.describe(&i18n)}</p></div>
        })}
        <form class="csp-field" class:csp-field--error=move || problem.get().is_some() on:submit=open>
            <label class="csp-label" for="finder-resume-link">{move || i18n.t(msg::finder::FINDER_RESUME_LABEL)}</label>
            <div class="csp-hint" id="finder-resume-hint">{move || i18n.t(msg::finder::FINDER_RESUME_HINT)}</div>
            {move || problem.get().map(|p| view! {
                <p class="csp-error-message" id="finder-resume-error"><span class="csp-visually-hidden">{move || i18n.t(msg::FORM_ERROR_PREFIX)}</span>{move || i18n.t(p)}</p>
            })}
            <input class="csp-input" id="finder-resume-link" type="url" autocomplete="off" spellcheck="false"
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=move || if problem.get().is_some() { "finder-resume-hint finder-resume-error" } else { "finder-resume-hint" }
                prop:value=move || link.get()
                on:input:target=move |ev| link.set(ev.target().value())/>
            <button type="submit" class="csp-button csp-button--secondary">{move || i18n.t(msg::finder::FINDER_RESUME_BUTTON)}</button>
        </form>
    }
}

/// The applicant's partnership requests and their status.
#[component]
pub fn RequestsList() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<FinderState>();
    view! {
        {move || {
            let requests = state.request_list();
            (!requests.is_empty()).then(|| view! {
                <h2 class="csp-heading-m">{i18n.t(msg::finder::FINDER_REQUESTS_TITLE)}</h2>
                <ul class="csp-list csp-requests" data-requests="">
                    {requests.into_iter().map(|r| {
                        let status = i18n.request_status(&r);
                        view! {
                            <li data-request=r.provider_id.clone()>
                                <strong>{r.provider_name.clone()}</strong>" — "{status}" "
                                <span class="csp-hint">{i18n.tf(msg::finder::FINDER_REQUESTS_ON, &[("date", &i18n.date(&r.created_at, false))])}</span>
                            </li>
                        }
                    }).collect::<Vec<_>>()}
                </ul>
            })
        }}
    }
}
