//! The HTTP server: the API under `/api/v1`, the built app at `/`, and the
//! headers each of them needs.

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::{middleware, Router};
use std::net::SocketAddr;
use std::path::PathBuf;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::clock::SharedClock;
use crate::directory::Directory;
use crate::guards;
use crate::limits::Limits;
use crate::mail::sender::MailOptions;
use crate::proxy::{Network, TrustedProxies};
use crate::reference::Reference;
use crate::routes::{api_v1, cacheable_v1, AppState, ResumeLinks};
use crate::runner::Runner;
use crate::secret::SecretKeys;
use crate::store::{Store, StoreError};
use crate::throttle::Throttle;
use std::sync::Arc;

/// Bodies larger than this are refused (413, JSON error) by the extractor.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

/// What a server serves and how: `serve`'s flags (the doc comments are
/// their help), and what only code sets (the clock, the mail, read from
/// `serve`'s mail flags, and the secret keys, from the environment).
#[derive(clap::Args, Clone, Debug)]
pub struct ServeOptions {
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// sqlite://target/csp-enroll.db (one instance; the file is created
    /// when missing) or postgres://user@host/database (any number of
    /// instances on one database, which must exist).
    #[arg(long, env = "ENROLL_DATABASE")]
    pub database: String,
    /// Directory of the built app (Trunk's dist/), served at `/`.
    #[arg(long = "static")]
    pub static_dir: Option<PathBuf>,
    /// A network (CIDR: 10.0.0.0/8, 2001:db8::/32) of load balancers or
    /// proxies in front of this server; repeatable. Only a connection
    /// from one may name the client in X-Forwarded-For (the right-most
    /// address not itself trusted), which the per-client limits count.
    /// Without it every client is the connection's address.
    #[arg(long = "trusted-proxy", value_name = "CIDR")]
    pub trusted_proxies: Vec<Network>,
    /// An origin allowed to call the API from a browser; repeatable.
    #[arg(long = "allow-origin")]
    pub allow_origins: Vec<String>,
    /// A CSP frame-ancestors source allowed to frame the app; repeatable.
    #[arg(long = "frame-ancestor")]
    pub frame_ancestors: Vec<String>,
    /// Load the generated demo directory (5,000 providers, demo MPN IDs)
    /// when the database has no providers yet, and add three approved demo
    /// partners with published business profiles (development only: their
    /// sign-in is printed).
    #[arg(long)]
    pub seed_demo: bool,
    /// With `seed_demo`, the demo partners too: always from the command
    /// line; a test that counts applications or accounts leaves them out.
    #[arg(skip = true)]
    pub seed_demo_partners: bool,
    /// The app's public address (e.g. https://apply.example/): resume
    /// links point here unless the app names one of --allow-origin.
    /// Default: http://LISTEN/.
    #[arg(long)]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub limits: Limits,
    /// The time of the partner account's rules and of the outbox; tests
    /// give a `TestClock`.
    #[arg(skip = crate::clock::system())]
    pub clock: SharedClock,
    /// How the outbox is delivered (a relay, a folder of `.eml` files, or
    /// nothing: it stays in the database).
    #[arg(skip)]
    pub mail: MailOptions,
    /// The server's secret key (and the previous one while rotating): the
    /// same on every instance. `new` gives one of this process alone, as
    /// the flags do until `serve` reads the environment's.
    #[arg(skip = SecretKeys::ephemeral().expect("the OS gives random bytes"))]
    pub secret_keys: SecretKeys,
}

impl ServeOptions {
    /// Serving `database` on `listen` with every other setting at its default.
    pub fn new(listen: SocketAddr, database: impl Into<String>) -> Self {
        Self {
            listen,
            database: database.into(),
            static_dir: None,
            trusted_proxies: Vec::new(),
            allow_origins: Vec::new(),
            frame_ancestors: Vec::new(),
            seed_demo: false,
            seed_demo_partners: false,
            public_url: None,
            limits: Limits::default(),
            clock: crate::clock::system(),
            mail: MailOptions::default(),
            // Only the OS's randomness failing could stop this.
            secret_keys: SecretKeys::ephemeral().expect("the OS gives random bytes"),
        }
    }
}

/// A server accepting connections in the background.
#[derive(Debug)]
pub struct RunningServer {
    pub addr: SocketAddr,
    pub store: Store,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// The background jobs (the sender), when anything delivers mail.
    runner: Option<Runner>,
    shutdown_wait: std::time::Duration,
}

impl RunningServer {
    /// Binds, then serves on the current tokio runtime with
    /// `options.limits`' timeouts and connection cap (`transport`).
    pub async fn start(options: ServeOptions) -> Result<Self, StartError> {
        options.mail.check().map_err(StartError::Mail)?;
        let store = Store::open_with(&options.database, options.clock.clone()).await?;
        if options.seed_demo && store.provider_count().await? == 0 {
            crate::seed::seed(&store, DEMO_PROVIDERS).await?;
        }
        if options.seed_demo && options.seed_demo_partners {
            crate::seed::seed_demo_partners(&store).await?;
        }
        let directory = Arc::new(Directory::new(store.providers().await?));
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|source| StartError::Bind {
                addr: options.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: options.listen,
            source,
        })?;
        // Links point at the address bound (a port 0 asked for becomes
        // the one given), not the one asked for.
        let options = ServeOptions {
            listen: addr,
            ..options
        };
        let app = router(store.clone(), directory, &options);
        let limits = options.limits.clone();
        let task = tokio::spawn(crate::transport::serve(listener, app, limits));
        // The one background runner: the sender (when emails are
        // delivered), and the customers' requests' housekeeping.
        let mut runner = Runner::new(options.clock.clone(), options.mail.poll);
        if options.mail.delivers() {
            let (store, mail) = (store.clone(), options.mail.clone());
            runner.spawn(move |context| crate::mail::sender::run(store, mail, context));
        }
        let jobs_store = store.clone();
        runner.spawn(move |context| crate::partner_requests::run(jobs_store, context));
        let runner = Some(runner);
        Ok(Self {
            addr,
            store,
            task,
            runner,
            shutdown_wait: options.mail.shutdown_wait,
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, stops taking emails and waits (up to
    /// the shutdown wait) for the sends in flight, then closes the
    /// database (what a restart does to the file).
    pub async fn shutdown(self) {
        self.task.abort();
        if let Some(runner) = self.runner {
            // The sender waits `shutdown_wait` for its sends itself, then
            // gives back what is still under way: a moment more for that.
            runner
                .shutdown(self.shutdown_wait + std::time::Duration::from_secs(2))
                .await;
        }
        self.store.close().await;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}")]
    Mail(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Providers `--seed-demo` generates.
pub const DEMO_PROVIDERS: usize = 5_000;

pub fn router(store: Store, directory: Arc<Directory>, options: &ServeOptions) -> Router {
    // The documents of both are `openapi::document()`'s; here only their
    // routes are served.
    let (api, _) = api_v1().merge(crate::openapi::router()).split_for_parts();
    let (reference, _) = cacheable_v1().split_for_parts();
    let api = api
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(cors(&options.allow_origins))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES));

    // The provider index is megabytes of JSON at 100,000 providers; it and
    // the app's files are worth compressing (the small API answers are not).
    let reference = reference
        .layer(CompressionLayer::new())
        .layer(cors(&options.allow_origins))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES));
    // Outside CORS and compression, so it sees (and keeps) their headers.
    let v1 = reference
        .merge(api)
        .layer(middleware::from_fn(guards::json_errors));
    let mut app = Router::new().nest("/api/v1", v1);
    if let Some(dir) = &options.static_dir {
        // `cargo xtask` builds write `x.br` and `x.gz` beside each file:
        // sent as they are to browsers that take them. Anything else
        // (a `trunk build` of its own) is compressed as it goes out.
        let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
        let site = Router::new()
            .fallback_service(files)
            .layer(CompressionLayer::new())
            .layer(SetResponseHeaderLayer::overriding(
                header::CONTENT_SECURITY_POLICY,
                content_security_policy(&options.frame_ancestors),
            ))
            .layer(middleware::from_fn(cache_control))
            // What is sent depends on Accept-Encoding (the `.br` and `.gz`
            // copies): a cache in front must keep one copy per encoding.
            .layer(SetResponseHeaderLayer::appending(
                header::VARY,
                HeaderValue::from_static("accept-encoding"),
            ))
            .layer(public_files());
        app = app.merge(site);
    }
    app.layer(middleware::from_fn_with_state(
        options.limits.clone(),
        guards::request_size,
    ))
    // Outside every layer and route that can fail a request.
    .layer(middleware::from_fn(crate::error::word_failures))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ))
    .with_state(AppState {
        store: store.clone(),
        reference: Reference::vendored(),
        directory,
        limits: Arc::new(options.limits.clone()),
        // A page that embeds the app (calling the API: `--allow-origin`) or
        // frames it (`--frame-ancestor`) is a host: links may lead back to
        // it.
        links: Arc::new(ResumeLinks::new(
            options.public_url.as_deref(),
            options.listen,
            &[&options.allow_origins[..], &options.frame_ancestors[..]].concat(),
        )),
        throttle: Throttle::new(store),
        proxies: Arc::new(TrustedProxies::new(options.trusted_proxies.clone())),
        clock: options.clock.clone(),
        secrets: Arc::new(options.secret_keys.clone()),
    })
}

/// The app's CSP. No `'unsafe-inline'` anywhere: the app starts from a
/// loader file, and its CSS is a constructed stylesheet adopted by its
/// shadow root, which CSP does not govern.
pub fn content_security_policy(frame_ancestors: &[String]) -> HeaderValue {
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors {ancestors}"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| {
        // Only reachable with a frame-ancestors value that is not a header
        // value; the safe reading of a bad setting is "nobody may frame".
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'none'",
        )
    })
}

/// Every method the contract's operations use (`openapi::document`): what
/// a partner's page may send. Read from the contract, so an operation
/// added with a new method is callable from another origin too.
fn contract_methods() -> Vec<Method> {
    let mut methods: Vec<Method> = crate::openapi::document()["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(|operations| operations.as_object())
        .flat_map(|operations| operations.keys())
        .filter_map(|name| Method::from_bytes(name.to_ascii_uppercase().as_bytes()).ok())
        .collect();
    methods.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    methods.dedup();
    methods
}

fn cors(origins: &[String]) -> CorsLayer {
    let allowed: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(allowed))
        .allow_methods(contract_methods())
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::IF_MATCH,
            header::ACCEPT_LANGUAGE,
            HeaderName::from_static("idempotency-key"),
        ])
        // The app reads both: the draft's version, and when to try again.
        .expose_headers([header::ETAG, header::RETRY_AFTER])
}

/// The app's files are public: any page may load the module script, the
/// wasm and its parts (module scripts and `fetch` are CORS requests, so a
/// partner's page on another origin needs this). The API keeps its list.
fn public_files() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([Method::GET, Method::HEAD])
}

/// How long browsers keep the app's files: a year for those with a content
/// hash in their name (a new build has new names), revalidated every time
/// for the rest (`boot.js`, a partner's stable URL, and the pages).
async fn cache_control(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let hashed = enroll_core::contract::assets::is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value = if hashed && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}
