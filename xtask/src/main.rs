//! `cargo xtask <command>`: the project's own tasks, in Rust so they run
//! wherever cargo does.
//!
//!   setup          install the pinned tools that are missing
//!   run [--listen ADDR]   build the app and serve it with the API
//!   test           every check and test, stopping at the first failure
//!   wasm-crates    build the app, failing if it links regex or idna (every build does)
//!   bench size     bytes the browser downloads on first load
//!   bench validate time to validate an application natively
//!   bench api      draft autosave throughput and latency (wrk, loopback)
//!   fuzz [CASES]   the property tests with many cases (default 100000)

mod bench;
mod compress;
mod fingerprint;
mod split;
mod tools;
mod wasm_crates;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

pub type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["setup"] => tools::ensure(tools::Need::ALL),
        ["run", rest @ ..] => run(rest),
        ["test"] => test(),
        // The check is a step of every release build of the app.
        ["wasm-crates"] => build_app(),
        ["bench", "size"] => bench::size(),
        ["bench", "validate"] => bench::validate(),
        ["bench", "api"] => bench::api(),
        ["bench", "finder"] => bench::finder(),
        ["bench", "load"] => bench::load(),
        ["fuzz"] => fuzz("100000"),
        ["fuzz", cases] => fuzz(cases),
        _ => {
            eprintln!(
                "usage: cargo xtask setup | run [--listen ADDR] | test | wasm-crates | bench size|validate|api|finder|load | fuzz [CASES]\n\
                 see README.md"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (this crate lives in `<root>/xtask`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Runs a command in the workspace root, failing with its name when it does.
pub fn sh(program: &str, args: &[&str]) -> Result {
    sh_env(program, args, &[])
}

pub fn sh_env(program: &str, args: &[&str], env: &[(&str, &str)]) -> Result {
    let status = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot start `{program}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

/// Runs one named step and prints how long it took.
pub fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    println!("\n==> {name}");
    let started = Instant::now();
    let result = f();
    let took = started.elapsed().as_secs_f64();
    let disk = disk_use();
    match &result {
        Ok(()) => println!("<== {name}: ok in {took:.1} s{disk}"),
        Err(_) => println!("<== {name}: FAILED after {took:.1} s{disk}"),
    }
    result
}

/// How much the build holds and the disk has left, after each step: a fresh
/// `cargo xtask test` once ran a CI machine out of disk, and this is where
/// the next one shows first. Empty where `du` or `df` cannot tell.
fn disk_use() -> String {
    let kib = |program: &str, args: &[&str], column: usize| -> Option<u64> {
        let out = Command::new(program)
            .args(args)
            .current_dir(root())
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        text.lines()
            .last()?
            .split_whitespace()
            .nth(column)?
            .parse()
            .ok()
    };
    let gib = |k: u64| k as f64 / (1024.0 * 1024.0);
    match (
        kib("du", &["-sk", "target"], 0),
        kib("df", &["-Pk", "."], 3),
    ) {
        (Some(held), Some(free)) => {
            format!(" (target/ {:.1} GiB, {:.1} GiB free)", gib(held), gib(free))
        }
        _ => String::new(),
    }
}

/// Builds the release app into dist/ with Trunk, offline (TOOLCHAIN.md).
pub fn build_app() -> Result {
    // Seconds when they are there (`bench size` ensures nothing else).
    tools::ensure(tools::Need::APP)?;
    step("fetch crates for the wasm build", || {
        sh("cargo", &["fetch"])
    })?;
    step("trunk build --release (split points on)", || {
        sh_env(
            tools::TRUNK,
            &["build", "--release", "--offline"],
            &[("RUSTFLAGS", &split::rustflags()), wasm_crates::KEEP_NAMES],
        )
    })?;
    step(
        "no regex or idna in the app's wasm (read by function names)",
        || wasm_crates::check(&split::cargo_wasm()),
    )?;
    step(
        "split the wasm: the first page's part, the parts loaded later",
        || split::split(&root().join("dist")),
    )?;
    step("drop the wasm's names and other custom sections", || {
        wasm_crates::strip_custom_sections(&root().join("dist"))
    })?;
    step("wasm-opt -Os over the first page's wasm", || {
        split::optimize(&root().join("dist"))
    })?;
    step("content hashes in the names boot.js loads", || {
        fingerprint::fingerprint(&root().join("dist"))
    })?;
    step("precompress dist/ (brotli, gzip)", || {
        compress::precompress(&root().join("dist"))
    })
}

fn run(args: &[&str]) -> Result {
    let listen = match args {
        [] => "127.0.0.1:8080",
        ["--listen", addr] => addr,
        _ => return Err("usage: cargo xtask run [--listen ADDR]".into()),
    };
    tools::ensure(tools::Need::APP)?;
    build_app()?;
    step("build enroll-api", || {
        sh("cargo", &["build", "--release", "-p", "enroll-api"])
    })?;
    let database = format!("sqlite://{}", root().join("target/csp-enroll.db").display());
    // A partner's page on another origin (another port), embedding the app
    // as the README's snippet does: the API allows it to call and to frame.
    let app = format!("http://{listen}");
    let partner_listen = partner_address(listen)?;
    let partner = format!("http://{partner_listen}");
    let mut partner_page = Command::new(root().join("target/release/enroll-api"))
        .args(["example-host", "--listen", &partner_listen, "--app", &app])
        .args(["--dir", "examples/host"])
        .current_dir(root())
        .spawn()
        .map_err(|e| format!("cannot start the example host page: {e}"))?;
    println!("\nThe app: {app}/   (API under {app}/api/v1, Ctrl-C stops)");
    println!("A partner's page embedding it, from another origin: {partner}/ (iframe mode: {partner}/iframe.html)");
    println!("Database: {database}");
    // No relay here: every email is written as a .eml file, opened with any
    // mail program (codes, temporary passwords and resume links are there).
    let mail_dir = root().join("target/mail");
    println!("Emails: {}  (one .eml file each)", mail_dir.display());
    let mail_dir = mail_dir.display().to_string();
    let served = sh(
        "target/release/enroll-api",
        &[
            "serve",
            "--listen",
            listen,
            "--database",
            &database,
            "--static",
            "dist",
            "--seed-demo",
            "--allow-origin",
            &partner,
            "--frame-ancestor",
            &partner,
            "--mail-dir",
            &mail_dir,
            // A development key (made once, kept under target/): production
            // sets ENROLL_SECRET_KEY instead (README, "Security").
            "--dev-secret-key",
            "target/dev-secret-key",
        ],
    );
    let _ = partner_page.kill();
    served
}

/// The example host page's address: the app's, ten ports up.
fn partner_address(listen: &str) -> Result<String> {
    let (host, port) = listen
        .rsplit_once(':')
        .and_then(|(host, port)| Some((host, port.parse::<u16>().ok()?)))
        .ok_or_else(|| format!("--listen {listen}: expected HOST:PORT"))?;
    let port = port
        .checked_add(10)
        .ok_or_else(|| format!("--listen {listen}: no port ten above it"))?;
    Ok(format!("{host}:{port}"))
}

/// The property tests, long: every rule against arbitrary input (enroll-core)
/// and the finder's index against its definition (enroll-finder), outside
/// `cargo xtask test` because it takes minutes.
fn fuzz(cases: &str) -> Result {
    if cases.parse::<u64>().is_err() {
        return Err(format!("CASES must be a number, not {cases:?}"));
    }
    for package in ["enroll-core", "enroll-finder"] {
        step(
            &format!("{package} property tests with {cases} cases each"),
            || {
                sh_env(
                    "cargo",
                    &["test", "--release", "-p", package, "--test", "properties"],
                    &[("PROPTEST_CASES", cases)],
                )
            },
        )?;
    }
    Ok(())
}

fn test() -> Result {
    let started = Instant::now();
    tools::ensure(tools::Need::ALL)?;
    let chromedriver = tools::chromedriver_path();
    step("cargo fmt --check", || {
        sh("cargo", &["fmt", "--all", "--check"])
    })?;
    step("cargo clippy (native)", || {
        sh(
            "cargo",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        )
    })?;
    step("cargo clippy (wasm app)", || {
        sh(
            "cargo",
            &[
                "clippy",
                "-p",
                "csp-enroll",
                "--all-targets",
                "--target",
                "wasm32-unknown-unknown",
                "--",
                "-D",
                "warnings",
            ],
        )
    })?;
    step("native tests", || {
        sh("cargo", &["test", "--workspace", "--exclude", "e2e"])
    })?;
    step(
        "browser tests (wasm-bindgen-test, headless Chromium)",
        || {
            sh_env(
                "cargo",
                &[
                    "test",
                    "-p",
                    "csp-enroll",
                    "--target",
                    "wasm32-unknown-unknown",
                ],
                &[("CHROMEDRIVER", &chromedriver)],
            )
        },
    )?;
    build_app()?;
    step("the first page's bytes within budget", || {
        let files = compress::first_step_bytes(&root().join("dist"))?;
        let total: usize = files.iter().map(|(_, size)| size).sum();
        let budget = compress::FIRST_STEP_BROTLI_BUDGET;
        println!("{total} brotli bytes until the first page works (budget {budget}): {files:?}");
        if total > budget {
            return Err(format!(
                "the first page now needs {total} brotli bytes, over its budget of {budget}: \
                 load what it does not need later (README, \"Loading\")"
            ));
        }
        Ok(())
    })?;
    let axe = tools::axe_path().to_string_lossy().into_owned();
    step("end-to-end tests (Chromium, API, release build)", || {
        sh_env(
            "cargo",
            &["test", "-p", "e2e"],
            &[("CHROMEDRIVER", &chromedriver), ("AXE_CORE_JS", &axe)],
        )
    })?;
    println!(
        "\nall checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
