//! The `enroll-api` command line: `serve`, and the operator actions, so
//! everything can be driven without a browser.

use clap::{Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::server::{RunningServer, ServeOptions};
use crate::store::Store;

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
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// e.g. sqlite://target/csp-enroll.db (created when missing).
        #[arg(long, env = "ENROLL_DATABASE")]
        database: String,
        /// Directory of the built app (Trunk's dist/), served at `/`.
        #[arg(long = "static")]
        static_dir: Option<PathBuf>,
        /// An origin allowed to call the API from a browser; repeatable.
        #[arg(long = "allow-origin")]
        allow_origins: Vec<String>,
        /// A CSP frame-ancestors source allowed to frame the app; repeatable.
        #[arg(long = "frame-ancestor")]
        frame_ancestors: Vec<String>,
    },
    /// Read or change the program settings.
    Program {
        #[command(subcommand)]
        action: ProgramAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProgramAction {
    /// Print the settings as JSON.
    Show {
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
            listen,
            database,
            static_dir,
            allow_origins,
            frame_ancestors,
        } => {
            let server = RunningServer::start(ServeOptions {
                listen,
                database,
                static_dir,
                allow_origins,
                frame_ancestors,
            })
            .await?;
            println!("enroll-api listening on {}", server.url());
            tokio::select! {
                result = server.task => result??,
                _ = tokio::signal::ctrl_c() => println!("enroll-api: stopped"),
            }
        }
        Command::Program { action } => match action {
            ProgramAction::Show { database } => {
                let settings = Store::open(&database).await?.program_settings().await?;
                println!("{}", serde_json::to_string_pretty(&settings)?);
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

/// Parses operator arguments as the binary would (`["program", "set", ...]`).
pub fn parse(args: &[&str]) -> Result<Command, clap::Error> {
    Cli::try_parse_from(std::iter::once("enroll-api").chain(args.iter().copied()))
        .map(|cli| cli.command)
}
