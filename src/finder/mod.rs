//! The provider finder: where an indirect reseller finds an indirect
//! provider and asks it to partner.
//!
//! Up to the host's in-browser limit (`embed::IN_BROWSER_LIMIT` unless it
//! sets one) providers, the whole directory is downloaded
//! once (`GET /providers/index`, revalidated by its ETag) and searched in
//! the browser on every keystroke with enroll-finder's index. Beyond that the
//! download would outweigh the app itself, so each search goes to
//! `GET /providers`, which ranks with the same index.

mod views;

use std::sync::Arc;

use enroll_core::{Locale, Provider, ProviderRequest};
use enroll_finder::{Facets, FinderQuery, Listing, ProviderIndex, SortOrder};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{ApiClient, ApiFailure, DraftRef};
use crate::i18n::I18n;

pub use views::FinderPage;

/// The finder as the `finder` part gives it (crate::later).
pub fn finder_page(applicant: Option<DraftRef>, on_back: Option<Callback<()>>) -> AnyView {
    FinderPage(views::FinderPageProps { applicant, on_back }).into_any()
}

/// Results shown at first and added by "Show more".
pub const PAGE_SIZE: usize = 20;
/// Server searches wait this long after the last keystroke.
const SERVER_DEBOUNCE_MS: u32 = 150;

/// Where searches run.
#[derive(Clone)]
pub enum Source {
    InBrowser(Arc<ProviderIndex>),
    Server(Arc<Facets>),
}

impl Source {
    pub fn facets(&self) -> &Facets {
        match self {
            Self::InBrowser(index) => index.facets(),
            Self::Server(facets) => facets,
        }
    }
}

/// The directory, loaded once per app: reopening the finder does not
/// download it again.
#[derive(Clone, Copy)]
pub struct DirectoryCache(pub RwSignal<Option<Source>>);

/// A result as the list shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    pub name: String,
    pub city: String,
    pub country: String,
    pub products: Vec<String>,
    pub languages: Vec<String>,
}

impl Row {
    fn from_listing(index: &ProviderIndex, listing: Listing<'_>) -> Self {
        use enroll_finder::Facet;
        Self {
            id: listing.id.to_owned(),
            name: listing.name.to_owned(),
            city: listing.city.to_owned(),
            country: listing.country.to_owned(),
            products: index
                .values(Facet::Products, listing.products)
                .map(str::to_owned)
                .collect(),
            languages: index
                .values(Facet::Languages, listing.languages)
                .map(str::to_owned)
                .collect(),
        }
    }

    fn from_provider(provider: &Provider) -> Self {
        Self {
            id: provider.id.clone(),
            name: provider.name.clone(),
            city: provider.city.clone(),
            country: provider.country.clone(),
            products: provider.products.clone(),
            languages: provider.languages.clone(),
        }
    }
}

#[derive(Clone, Copy)]
pub struct FinderState {
    api: StoredValue<ApiClient>,
    pub i18n: I18n,
    pub source: RwSignal<Option<Source>>,
    pub load_failure: RwSignal<Option<ApiFailure>>,
    pub text: RwSignal<String>,
    /// Filters: empty means any.
    pub country: RwSignal<String>,
    pub product: RwSignal<String>,
    pub language: RwSignal<String>,
    pub service: RwSignal<String>,
    pub sort: RwSignal<SortOrder>,
    /// How many providers match; `None` until the first search answers.
    pub total: RwSignal<Option<usize>>,
    pub rows: RwSignal<Vec<Row>>,
    pub search_failure: RwSignal<Option<ApiFailure>>,
    /// Every match, in order, when searching in the browser.
    hits: StoredValue<Vec<u32>>,
    /// Largest directory searched in the browser.
    in_browser_limit: usize,
    /// Bumped by each search: a slower, older answer is dropped.
    searches: StoredValue<u64>,
    /// The provider whose details are open.
    pub selected: RwSignal<Option<String>>,
    /// Who sends partnership requests: a submitted applicant.
    pub applicant: RwSignal<Option<DraftRef>>,
    pub requests: RwSignal<Vec<ProviderRequest>>,
    /// Why the requests could not be loaded or sent, in the user's words.
    /// Worded when shown, so a language switch re-words it.
    pub request_problem: RwSignal<Option<ApiFailure>>,
    pub sending: RwSignal<bool>,
}

fn filter(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

impl FinderState {
    pub fn new(
        api: ApiClient,
        i18n: I18n,
        cache: DirectoryCache,
        applicant: Option<DraftRef>,
        in_browser_limit: usize,
    ) -> Self {
        Self {
            in_browser_limit,
            api: StoredValue::new(api),
            i18n,
            source: cache.0,
            load_failure: RwSignal::new(None),
            text: RwSignal::new(String::new()),
            country: RwSignal::new(String::new()),
            product: RwSignal::new(String::new()),
            language: RwSignal::new(String::new()),
            service: RwSignal::new(String::new()),
            sort: RwSignal::new(SortOrder::Relevance),
            total: RwSignal::new(None),
            rows: RwSignal::new(Vec::new()),
            search_failure: RwSignal::new(None),
            hits: StoredValue::new(Vec::new()),
            searches: StoredValue::new(0),
            selected: RwSignal::new(None),
            applicant: RwSignal::new(applicant),
            requests: RwSignal::new(Vec::new()),
            request_problem: RwSignal::new(None),
            sending: RwSignal::new(false),
        }
    }

    fn locale(&self) -> Locale {
        self.i18n.locale.get_untracked()
    }

    /// The query as the controls set it (tracked).
    pub fn query(&self) -> FinderQuery {
        FinderQuery {
            text: self.text.get(),
            country: filter(self.country.get()),
            product: filter(self.product.get()),
            language: filter(self.language.get()),
            service: filter(self.service.get()),
            sort: self.sort.get(),
        }
    }

    /// Loads the directory unless this app already has it.
    pub fn load(self) {
        if self.source.with_untracked(Option::is_some) {
            return;
        }
        self.load_failure.set(None);
        let api = self.api.get_value();
        let locale = self.locale();
        let limit = self.in_browser_limit;
        spawn_local(async move {
            let loaded = async {
                let count = api.provider_count(locale).await?;
                if count <= limit {
                    let compact = api.provider_index(locale).await?;
                    Ok(Source::InBrowser(Arc::new(ProviderIndex::new(compact))))
                } else {
                    Ok(Source::Server(Arc::new(
                        api.provider_filters(locale).await?,
                    )))
                }
            };
            match loaded.await {
                Ok(source) => self.source.set(Some(source)),
                Err(failure) => self.load_failure.set(Some(failure)),
            }
        });
    }

    /// Runs `query` and shows its first page.
    pub fn search(self, query: FinderQuery) {
        let Some(source) = self.source.get_untracked() else {
            return;
        };
        let generation = self.searches.get_value() + 1;
        self.searches.set_value(generation);
        match source {
            Source::InBrowser(index) => {
                let hits = index.search(&query);
                let rows = hits
                    .iter()
                    .take(PAGE_SIZE)
                    .map(|&doc| Row::from_listing(&index, index.listing(doc)))
                    .collect();
                self.total.set(Some(hits.len()));
                self.hits.set_value(hits);
                self.rows.set(rows);
            }
            Source::Server(_) => {
                let api = self.api.get_value();
                let locale = self.locale();
                spawn_local(async move {
                    gloo_timers::future::TimeoutFuture::new(SERVER_DEBOUNCE_MS).await;
                    if self.searches.get_value() != generation {
                        return;
                    }
                    let page = api.search_providers(&query, 1, PAGE_SIZE, locale).await;
                    if self.searches.get_value() != generation {
                        return;
                    }
                    match page {
                        Ok(page) => {
                            self.search_failure.set(None);
                            self.total.set(Some(page.total));
                            self.rows
                                .set(page.items.iter().map(Row::from_provider).collect());
                        }
                        Err(failure) => self.search_failure.set(Some(failure)),
                    }
                });
            }
        }
    }

    /// Adds the next page of results; `then` runs once they are in.
    pub fn show_more(self, then: impl FnOnce() + 'static) {
        let Some(source) = self.source.get_untracked() else {
            return;
        };
        let shown = self.rows.with_untracked(Vec::len);
        match source {
            Source::InBrowser(index) => {
                let more: Vec<Row> = self.hits.with_value(|hits| {
                    hits.iter()
                        .skip(shown)
                        .take(PAGE_SIZE)
                        .map(|&doc| Row::from_listing(&index, index.listing(doc)))
                        .collect()
                });
                self.rows.update(|rows| rows.extend(more));
                then();
            }
            Source::Server(_) => {
                let generation = self.searches.get_value();
                let query = self.query_untracked();
                let api = self.api.get_value();
                let locale = self.locale();
                spawn_local(async move {
                    let page = shown / PAGE_SIZE + 1;
                    let result = api.search_providers(&query, page, PAGE_SIZE, locale).await;
                    if self.searches.get_value() != generation {
                        return;
                    }
                    match result {
                        Ok(page) => {
                            self.rows.update(|rows| {
                                rows.extend(page.items.iter().map(Row::from_provider))
                            });
                            then();
                        }
                        Err(failure) => self.search_failure.set(Some(failure)),
                    }
                });
            }
        }
    }

    fn query_untracked(&self) -> FinderQuery {
        untrack(|| self.query())
    }

    /// Loads the applicant's partnership requests.
    pub fn load_requests(self) {
        let Some(draft) = self.applicant.get_untracked() else {
            return;
        };
        let api = self.api.get_value();
        let locale = self.locale();
        spawn_local(async move {
            match api.partnership_requests(&draft, locale).await {
                Ok(requests) => {
                    self.request_problem.set(None);
                    self.requests.set(requests);
                }
                Err(failure) => self.report(failure),
            }
        });
    }

    /// Asks `provider_id` to partner, once: a second click while the first
    /// is under way does nothing, and the API keeps one request per pair.
    pub fn request(self, provider_id: String, message: String, then: impl FnOnce() + 'static) {
        let Some(draft) = self.applicant.get_untracked() else {
            return;
        };
        if self.sending.get_untracked() {
            return;
        }
        self.sending.set(true);
        self.request_problem.set(None);
        let api = self.api.get_value();
        let locale = self.locale();
        spawn_local(async move {
            let sent = api
                .request_partnership(&draft, &provider_id, message.trim(), locale)
                .await;
            self.sending.set(false);
            match sent {
                Ok(request) => {
                    self.requests.update(|list| {
                        if !list.iter().any(|r| r.id == request.id) {
                            list.push(request);
                        }
                    });
                    then();
                }
                Err(failure) => self.report(failure),
            }
        });
    }

    /// The server's own message when it gave one (in the user's language),
    /// else ours.
    fn report(self, failure: ApiFailure) {
        self.request_problem.set(Some(failure));
    }
}
