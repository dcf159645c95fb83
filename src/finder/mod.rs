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

use enroll_core::{Provider, ProviderPage, ProviderRequest};
use enroll_finder::{Facets, FinderQuery, Listing, ProviderIndex, SortOrder};
use leptos::prelude::*;

use crate::api::{ApiClient, ApiFailure, DraftRef};
use crate::i18n::I18n;
use crate::ui::debounce::Debounce;

pub use views::FinderPage;

/// The finder as the `finder` part gives it (crate::later).
pub fn finder_page(applicant: Option<DraftRef>, on_back: Option<Callback<()>>) -> AnyView {
    crate::i18n::with_book(enroll_core::i18n::Book::Finder, move || {
        let (applicant, on_back) = (applicant.clone(), on_back);
        FinderPage(views::FinderPageProps { applicant, on_back }).into_any()
    })
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

/// The finder's state. What is loaded is a `LocalResource` (the directory,
/// the server's pages of results, the applicant's requests); what the user
/// does that changes something on the server is an `Action` (asking a
/// provider to partner): each says whether it is under way and how it went.
#[derive(Clone, Copy)]
pub struct FinderState {
    pub i18n: I18n,
    /// Where searches run, loaded once per app (`DirectoryCache`); a
    /// retry loads it again.
    pub directory: LocalResource<Result<Source, ApiFailure>>,
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
    /// Every match, in order, when searching in the browser.
    hits: StoredValue<Vec<u32>>,
    /// The page of results the server is asked for, of the controls'
    /// query: the first once they pause, the next one for "Show more"
    /// (0: none yet).
    asked: RwSignal<usize>,
    /// Searching on the server waits for the controls to pause.
    pause: Debounce,
    /// The server's answer for `asked`, with what it answers.
    page: LocalResource<Option<Searched>>,
    /// The provider whose details are open.
    pub selected: RwSignal<Option<String>>,
    /// Who sends partnership requests: a submitted applicant.
    pub applicant: RwSignal<Option<DraftRef>>,
    /// The applicant's partnership requests, loaded again after each ask.
    pub requests: LocalResource<Result<Vec<ProviderRequest>, ApiFailure>>,
    /// Asking a provider to partner: (applicant, provider id, message) →
    /// the request made.
    pub ask: Action<(DraftRef, String, String), Result<ProviderRequest, ApiFailure>>,
}

/// A server search's answer, with the query and page it is for.
type Searched = (FinderQuery, usize, Result<ProviderPage, ApiFailure>);

fn filter(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

/// The query the controls set (tracked).
fn query_of(
    text: RwSignal<String>,
    [country, product, language, service]: [RwSignal<String>; 4],
    sort: RwSignal<SortOrder>,
) -> FinderQuery {
    FinderQuery {
        text: text.get(),
        country: filter(country.get()),
        product: filter(product.get()),
        language: filter(language.get()),
        service: filter(service.get()),
        sort: sort.get(),
    }
}

impl FinderState {
    pub fn new(
        api: ApiClient,
        i18n: I18n,
        cache: DirectoryCache,
        applicant: Option<DraftRef>,
        in_browser_limit: usize,
    ) -> Self {
        let api = StoredValue::new(api);
        let locale = move || i18n.locale.get_untracked();
        let directory = LocalResource::new(move || {
            let cached = cache.0.get_untracked();
            let (api, locale) = (api.get_value(), locale());
            async move {
                if let Some(source) = cached {
                    return Ok(source);
                }
                let count = api.provider_count(locale).await?;
                let source = if count <= in_browser_limit {
                    let compact = api.provider_index(locale).await?;
                    Source::InBrowser(Arc::new(ProviderIndex::new(compact)))
                } else {
                    Source::Server(Arc::new(api.provider_filters(locale).await?))
                };
                cache.0.set(Some(source.clone()));
                Ok(source)
            }
        });
        let text = RwSignal::new(String::new());
        let filters = [(); 4].map(|_| RwSignal::new(String::new()));
        let sort = RwSignal::new(SortOrder::Relevance);
        let asked = RwSignal::new(0);
        let page = LocalResource::new(move || {
            let page = asked.get();
            let query = untrack(|| query_of(text, filters, sort));
            let (api, locale) = (api.get_value(), locale());
            async move {
                if page == 0 {
                    return None;
                }
                let answer = api.search_providers(&query, page, PAGE_SIZE, locale).await;
                Some((query, page, answer))
            }
        });
        let ask = Action::new_local(
            move |(draft, provider_id, message): &(DraftRef, String, String)| {
                let (draft, provider_id) = (draft.clone(), provider_id.clone());
                let message = message.trim().to_owned();
                let (api, locale) = (api.get_value(), locale());
                async move {
                    api.request_partnership(&draft, &provider_id, &message, locale)
                        .await
                }
            },
        );
        let applicant = RwSignal::new(applicant);
        let asks_answered = ask.version();
        let requests = LocalResource::new(move || {
            // Loaded again once an ask is answered (and for another applicant).
            asks_answered.track();
            let draft = applicant.get();
            let (api, locale) = (api.get_value(), locale());
            async move {
                match draft {
                    Some(draft) => api.partnership_requests(&draft, locale).await,
                    None => Ok(Vec::new()),
                }
            }
        });
        Self {
            i18n,
            directory,
            text,
            country: filters[0],
            product: filters[1],
            language: filters[2],
            service: filters[3],
            sort,
            total: RwSignal::new(None),
            rows: RwSignal::new(Vec::new()),
            hits: StoredValue::new(Vec::new()),
            asked,
            pause: Debounce::new(SERVER_DEBOUNCE_MS),
            page,
            selected: RwSignal::new(None),
            applicant,
            requests,
            ask,
        }
    }

    /// The query as the controls set it (tracked).
    pub fn query(&self) -> FinderQuery {
        let filters = [self.country, self.product, self.language, self.service];
        query_of(self.text, filters, self.sort)
    }

    fn query_untracked(&self) -> FinderQuery {
        untrack(|| self.query())
    }

    /// The directory once it is loaded (tracked).
    pub fn source(&self) -> Option<Source> {
        self.directory.get().and_then(Result::ok)
    }

    /// Every change of the text, a filter or the order searches again;
    /// the server's answers are shown as they come, unless the controls
    /// changed meanwhile (a slower, older answer is dropped).
    pub fn follow_searches(self) {
        Effect::new(move |_| {
            let query = self.query();
            match self.source() {
                Some(Source::InBrowser(index)) => self.search_in_browser(&index, &query),
                // Once typing pauses.
                Some(Source::Server(_)) => {
                    self.pause.run(move || self.asked.set(1));
                }
                None => {}
            }
        });
        Effect::new(move |_| {
            self.page.with(|answer| {
                let Some(Some((query, page, Ok(found)))) = answer else {
                    return;
                };
                if *query != self.query_untracked() {
                    return;
                }
                let rows = found.items.iter().map(Row::from_provider);
                if *page == 1 {
                    self.total.set(Some(found.total));
                    self.rows.set(rows.collect());
                } else {
                    self.rows.update(|shown| shown.extend(rows));
                }
            });
        });
    }

    /// Why the last server search for the query shown failed, if it did
    /// (tracked).
    pub fn search_failure(&self) -> Option<ApiFailure> {
        let query = self.query();
        self.page.with(|answer| match answer {
            Some(Some((asked, _, Err(failure)))) if *asked == query => Some(failure.clone()),
            _ => None,
        })
    }

    fn search_in_browser(&self, index: &ProviderIndex, query: &FinderQuery) {
        let hits = index.search(query);
        let rows = hits
            .iter()
            .take(PAGE_SIZE)
            .map(|&doc| Row::from_listing(index, index.listing(doc)))
            .collect();
        self.total.set(Some(hits.len()));
        self.hits.set_value(hits);
        self.rows.set(rows);
    }

    /// Adds the next page of results (at once in the browser, when the
    /// server answers otherwise; a click while it is on its way asks for
    /// the same page, and only the last asking is answered).
    pub fn show_more(self) {
        let Some(source) = untrack(|| self.source()) else {
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
            }
            Source::Server(_) => {
                self.asked.set(shown / PAGE_SIZE + 1);
            }
        }
    }

    /// Asks `provider_id` to partner, once: a second click while the first
    /// is under way does nothing, and the API keeps one request per pair.
    pub fn request(self, provider_id: String, message: String) {
        let Some(draft) = self.applicant.get_untracked() else {
            return;
        };
        if !self.ask.pending().get_untracked() {
            self.ask.dispatch_local((draft, provider_id, message));
        }
    }

    /// The request made to `provider_id`, if there is one (tracked): the
    /// one just made, else (only then tracking the list) the one loaded.
    pub fn request_to(&self, provider_id: &str) -> Option<ProviderRequest> {
        let of = |r: &ProviderRequest| r.provider_id == provider_id;
        let sent = self.ask.value().with(|answer| {
            answer
                .as_ref()
                .and_then(|a| a.as_ref().ok())
                .filter(|r| of(r))
                .cloned()
        });
        sent.or_else(|| {
            self.requests.with(|loaded| {
                let list = loaded.as_ref()?.as_ref().ok()?;
                list.iter().find(|r| of(r)).cloned()
            })
        })
    }

    /// The requests loaded, none until they are (tracked).
    pub fn request_list(&self) -> Vec<ProviderRequest> {
        self.requests.get().and_then(Result::ok).unwrap_or_default()
    }

    /// Why the requests could not be loaded or sent, in the user's words
    /// when shown (tracked): none while an ask is under way, its failure
    /// after it, else the loading's.
    pub fn request_problem(&self) -> Option<ApiFailure> {
        if self.ask.pending().get() {
            return None;
        }
        match self.ask.value().get() {
            Some(Err(failure)) => Some(failure),
            _ => self.requests.get().and_then(Result::err),
        }
    }
}
