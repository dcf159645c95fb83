//! The `enroll-api` command line: `serve`, and the operator actions, so
//! everything can be driven without a browser.

use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::clock::{Clock, SystemClock};
use crate::review;
use crate::secret::{SecretKeyError, SecretKeys};
use crate::seed::seed;
use crate::server::{RunningServer, ServeOptions};
use crate::store::Delivery;
use crate::store::Store;
use enroll_core::text::escape_unprintable;
use enroll_core::{Change, Locale};

mod listings;
mod mail_flags;

use listings::{accounts_list, referrals_list, review_list, shown};
pub use mail_flags::MailFlags;

#[derive(Parser, Debug)]
#[command(
    name = "enroll-api",
    version,
    about = "Reference API of the CSP enrollment app"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API (and the built app, with --static).
    Serve {
        #[command(flatten)]
        options: Box<ServeOptions>,
        /// Development only: keep the secret key in FILE (made the first
        /// time) when ENROLL_SECRET_KEY is not set. `cargo xtask run`
        /// passes one under target/.
        #[arg(long, value_name = "FILE")]
        dev_secret_key: Option<PathBuf>,
        #[command(flatten)]
        mail: Box<MailFlags>,
    },
    /// Copy a whole database into a new, empty one (of either engine):
    /// every table, read as one snapshot, written in one transaction on
    /// the target. Stop the servers on the source first: what they write
    /// after the snapshot is not copied.
    Copy {
        /// The database to copy, e.g. sqlite://target/csp-enroll.db.
        #[arg(long)]
        from: String,
        /// The new database, e.g. postgres://enroll@db.internal/enroll
        /// (created by the operator, and empty).
        #[arg(long)]
        to: String,
    },
    /// Print a new secret key (32 random bytes, base64) for
    /// ENROLL_SECRET_KEY.
    NewSecretKey,
    /// Print the current code of an authenticator secret (base32): to sign
    /// in as a demo partner (`serve --seed-demo`) without an app.
    TotpCode {
        #[arg(long)]
        secret: String,
    },
    /// Serve a partner's page that embeds the app (examples/host/) from
    /// another origin, for trying the embedding; `{{APP}}` in its pages
    /// becomes --app.
    ExampleHost {
        #[arg(long, default_value = "127.0.0.1:8090")]
        listen: SocketAddr,
        #[arg(long, default_value = "examples/host")]
        dir: PathBuf,
        /// Where the app and the API are served (the `serve` address).
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        app: String,
    },
    /// Replace the directory with a generated one of COUNT providers.
    Seed {
        #[arg(long, default_value_t = crate::server::DEMO_PROVIDERS)]
        providers: usize,
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
    /// Reviewers' decisions on applications.
    Review {
        #[command(subcommand)]
        action: ReviewAction,
    },
    /// The emails: each one's state, attempts, next attempt and the
    /// relay's last reply (`outbox retry ID` sends a failed one again).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Outbox {
        #[command(subcommand)]
        action: Option<OutboxAction>,
        /// Only the emails in this state.
        #[arg(long, value_enum)]
        state: Option<OutboxState>,
        #[arg(long, env = "ENROLL_DATABASE", required = true)]
        database: Option<String>,
    },
    /// Read or change the program settings.
    Program {
        #[command(subcommand)]
        action: ProgramAction,
    },
    /// Partner accounts (made on approval) and their users.
    Accounts {
        #[command(subcommand)]
        action: AccountsAction,
    },
    /// Customers' requests for a partner, as partners received them.
    Referrals {
        #[command(subcommand)]
        action: ReferralsAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReferralsAction {
    /// Every referral, newest first: its partner, where it stands, when
    /// it must be answered and why it matched (never the customer's
    /// contact).
    List {
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum OutboxAction {
    /// Queue a failed email again (a status email; one that carried a
    /// code, a password or a link was erased: ask for a new one instead).
    Retry {
        id: i64,
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
}

/// The states `outbox --state` filters on.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutboxState {
    Queued,
    Sending,
    Retrying,
    Failed,
    Sent,
    Expired,
}

impl OutboxState {
    fn delivery(self) -> Delivery {
        match self {
            Self::Queued => Delivery::Queued,
            Self::Sending => Delivery::Sending,
            Self::Retrying => Delivery::Retrying,
            Self::Failed => Delivery::Failed,
            Self::Sent => Delivery::Sent,
            Self::Expired => Delivery::Expired,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum AccountsAction {
    /// Every account and its users, with their roles and sign-in state.
    List {
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
    /// Sign a user out everywhere: every session of theirs ends now.
    RevokeSessions {
        /// The address the user signs in with.
        #[arg(long)]
        email: String,
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProgramAction {
    /// Print the settings as JSON.
    Show {
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
    /// Name the program in a language (what applicants reading it see).
    Name {
        /// en-US or zh-CN.
        #[arg(long)]
        locale: String,
        #[arg(long)]
        name: String,
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
    /// Open or close direct enrollment.
    Set {
        #[arg(long, value_enum)]
        direct_enrollment: OpenClosed,
        /// When it reopens, or any words for applicants; omitted clears it.
        #[arg(long)]
        note: Option<String>,
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReviewAction {
    /// Applications, newest first.
    List {
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
    },
    /// Start reviewing a submitted application.
    Start(Decide),
    /// Approve an application in review.
    Approve(Decide),
    /// Turn an application down (needs --reason).
    Reject(Decide),
    /// Send an application back for changes (needs --reason).
    RequestInfo(Decide),
}

#[derive(clap::Args, Debug)]
pub struct Decide {
    pub id: String,
    /// Why; the applicant reads it in the email and on the status page.
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long, env = "ENROLL_DATABASE")]
    pub database: String,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenClosed {
    Open,
    Closed,
}

/// The binary's entry point.
pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "enroll_api=info".into()),
        )
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("enroll-api: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("enroll-api: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs one command; also what tests call to act as an operator.
pub async fn run(command: Command) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match command {
        Command::Serve {
            mut options,
            dev_secret_key,
            mail,
        } => {
            let (secret_keys, which) = secret_keys(dev_secret_key.as_deref())?;
            options.secret_keys = secret_keys;
            options.mail = mail.options()?;
            let mail = &options.mail;
            let delivery = match (&mail.relay, &mail.mail_dir) {
                (Some(relay), dir) => format!(
                    "emails go to the relay {}:{}{}",
                    relay.address.host,
                    relay.address.port,
                    dir.as_ref()
                        .map(|d| format!(", and as .eml files to {}", d.display()))
                        .unwrap_or_default()
                ),
                (None, Some(dir)) => format!(
                    "emails are written as .eml files to {} (no relay: nothing is sent)",
                    dir.display()
                ),
                (None, None) => "no --smtp: emails stay in the outbox (`enroll-api outbox` \
                                 lists them); nothing is sent"
                    .to_owned(),
            };
            let demo = options.seed_demo;
            let mut server = RunningServer::start(*options).await?;
            println!("enroll-api listening on {}", server.url());
            if demo {
                // Development only: whoever runs the demo signs in as its
                // partners, to see the referrals a request becomes.
                println!(
                    "enroll-api: demo partners (password \"{}\"; the second factor from the \
                     secret, in an authenticator app or `enroll-api totp-code --secret …`):",
                    crate::seed::DEMO_PARTNER_PASSWORD
                );
                for demo in crate::seed::demo_sign_ins() {
                    println!(
                        "  {}  {}  TOTP secret {}",
                        demo.email, demo.company, demo.totp_secret
                    );
                }
            }
            println!("enroll-api: {delivery}");
            println!("enroll-api: {which}");
            if !server.store.has_mpn_directory().await? {
                println!(
                    "enroll-api: no MPN directory: submit does not check MPN IDs \
                     (load one with `enroll-api seed`, or serve with --seed-demo)"
                );
            }
            let RunningServer { task, .. } = &mut server;
            tokio::select! {
                result = task => {
                    result??;
                    return Ok(());
                }
                _ = stop_signal() => {}
            }
            // Stops taking emails and waits briefly for those in flight.
            server.shutdown().await;
            println!("enroll-api: stopped");
        }
        Command::NewSecretKey => println!("{}", SecretKeys::new_base64()?),
        Command::TotpCode { secret } => {
            let secret = crate::mfa::Secret::from_base32(&secret)
                .ok_or("--secret is not a base32 authenticator secret")?;
            println!("{}", crate::mfa::code_at(&secret, SystemClock.now()));
        }
        Command::Copy { from, to } => {
            let (source, target) = (Store::open(&from).await?, Store::open(&to).await?);
            let copied = source.copy_to(&target).await??;
            for (table, rows) in copied {
                println!("{table}: {rows} rows");
            }
            let (from, to) = (crate::store::redacted(&from), crate::store::redacted(&to));
            println!("copied {from} into {to}");
        }
        Command::ExampleHost { listen, dir, app } => {
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            println!("example host page on http://{listen}/ (the app from {app})");
            let task = crate::host_page::serve(listener, dir, &app);
            tokio::select! {
                result = task => result?,
                _ = tokio::signal::ctrl_c() => println!("example host page: stopped"),
            }
        }
        Command::Seed {
            providers,
            database,
        } => {
            let store = Store::open(&database).await?;
            seed(&store, providers).await?;
            println!("directory replaced: {providers} providers, demo MPN IDs (1234567 is Contoso Ltd, DE)");
        }
        Command::Outbox {
            action: Some(OutboxAction::Retry { id, database }),
            ..
        } => {
            let store = Store::open(&database).await?;
            match store.retry_email(id, SystemClock.now()).await? {
                Ok(()) => println!("email #{id} is queued again"),
                Err(refused) => return Err(refused.to_string().into()),
            }
        }
        Command::Outbox {
            action: None,
            state,
            database,
        } => {
            let database = database.ok_or("--database (or ENROLL_DATABASE) is required")?;
            let store = Store::open(&database).await?;
            for email in store.outbox(state.map(OutboxState::delivery)).await? {
                print!("{}", shown(&email));
            }
        }
        Command::Review { action } => {
            let (decision, args) = match action {
                ReviewAction::List { database } => {
                    review_list(&Store::open(&database).await?).await?;
                    return Ok(());
                }
                ReviewAction::Start(args) => (Change::StartReview, args),
                ReviewAction::Approve(args) => (Change::Approve, args),
                ReviewAction::Reject(args) => (Change::Reject, args),
                ReviewAction::RequestInfo(args) => (Change::RequestInfo, args),
            };
            let store = Store::open(&args.database).await?;
            let record = review::decide(
                &store,
                &SystemClock,
                &args.id,
                decision,
                args.reason.as_deref(),
            )
            .await?;
            println!("{} is now {}", record.id, record.status.as_str());
        }
        Command::Accounts { action } => match action {
            AccountsAction::List { database } => {
                accounts_list(&Store::open(&database).await?).await?
            }
            AccountsAction::RevokeSessions { email, database } => {
                match Store::open(&database)
                    .await?
                    .revoke_sessions(&email)
                    .await?
                {
                    Some(ended) => println!(
                        "{ended} session(s) of {} ended",
                        escape_unprintable(email.trim())
                    ),
                    None => {
                        return Err(format!(
                            "no user signs in as {}",
                            escape_unprintable(email.trim())
                        )
                        .into())
                    }
                }
            }
        },
        Command::Referrals {
            action: ReferralsAction::List { database },
        } => referrals_list(&Store::open(&database).await?).await?,
        Command::Program { action } => match action {
            ProgramAction::Show { database } => {
                let settings = Store::open(&database).await?.program_settings().await?;
                println!("{}", serde_json::to_string_pretty(&settings)?);
            }
            ProgramAction::Name {
                locale,
                name,
                database,
            } => {
                let locale = Locale::from_tag(&locale)
                    .filter(|l| l.tag() == locale)
                    .ok_or_else(|| format!("--locale {locale}: en-US or zh-CN"))?;
                if name.trim().is_empty() {
                    return Err("--name: the program's name, not empty".into());
                }
                Store::open(&database)
                    .await?
                    .set_program_name(locale, &name)
                    .await?;
                println!(
                    "the program is now named {:?} in {}",
                    name.trim(),
                    locale.tag()
                );
            }
            ProgramAction::Set {
                direct_enrollment,
                note,
                database,
            } => {
                let store = Store::open(&database).await?;
                let open = direct_enrollment == OpenClosed::Open;
                store.set_direct_enrollment(open, note.as_deref()).await?;
                println!(
                    "direct enrollment is now {}",
                    if open { "open" } else { "closed" }
                );
            }
        },
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM (what a service manager or container stop sends).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// The server's secret keys: ENROLL_SECRET_KEY (and, while rotating,
/// ENROLL_PREVIOUS_SECRET_KEY) from the environment, never a flag (a flag
/// shows in the process list); else the development key in `dev_file`;
/// else none, and `serve` does not start. With what was used, to print.
fn secret_keys(dev_file: Option<&std::path::Path>) -> Result<(SecretKeys, String), SecretKeyError> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    match (var("ENROLL_SECRET_KEY"), dev_file) {
        (Some(key), _) => {
            let previous = var("ENROLL_PREVIOUS_SECRET_KEY");
            let keys = SecretKeys::from_base64(&key, previous.as_deref())?;
            let which = if previous.is_some() {
                "secret key from ENROLL_SECRET_KEY; codes made under ENROLL_PREVIOUS_SECRET_KEY still work"
            } else {
                "secret key from ENROLL_SECRET_KEY"
            };
            Ok((keys, which.to_owned()))
        }
        (None, Some(path)) => Ok((
            SecretKeys::development(path)?,
            format!(
                "a development secret key, kept in {} (set ENROLL_SECRET_KEY in production)",
                path.display()
            ),
        )),
        (None, None) => Err(SecretKeyError::Missing),
    }
}

/// Parses operator arguments as the binary would (`["program", "set", ...]`).
pub fn parse(args: &[&str]) -> Result<Command, clap::Error> {
    Cli::try_parse_from(std::iter::once("enroll-api").chain(args.iter().copied()))
        .map(|cli| cli.command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serving_with_the_demo_from_the_command_line_adds_the_demo_partners() {
        let command = parse(&["serve", "--seed-demo", "--database", "sqlite://x.db"]).unwrap();
        let Command::Serve { options, .. } = command else {
            panic!("not serve");
        };
        assert!(options.seed_demo && options.seed_demo_partners);
        // Built in code (tests, the end-to-end harness): left out unless asked.
        let options = ServeOptions::new("127.0.0.1:0".parse().unwrap(), "sqlite://x.db");
        assert!(!options.seed_demo_partners);
    }
}
