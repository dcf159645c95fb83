//! Benchmarks that print figures; nothing here asserts a time or a size.

use crate::compress::{brotli, gzip};
use crate::{build_app, root, sh, sh_env, step, Result};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Time to validate a complete application natively, release build.
pub fn validate() -> Result {
    sh(
        "cargo",
        &[
            "run",
            "--quiet",
            "--release",
            "-p",
            "enroll-core",
            "--features",
            "vendored-data",
            "--example",
            "bench_validate",
        ],
    )
}

/// Raw, gzip -9 and brotli -11 bytes of every file in dist/ (today every
/// one of them is fetched on first load), and the totals.
pub fn size() -> Result {
    build_app()?;
    let dist = root().join("dist");
    let mut files: Vec<_> = std::fs::read_dir(&dist)
        .map_err(|e| format!("cannot read {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_file())
        // The precompressed copies are counted in the columns.
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            !name.ends_with(".br") && !name.ends_with(".gz")
        })
        .collect();
    files.sort_by_key(|entry| entry.file_name());

    println!("\n| file | raw bytes | gzip -9 | brotli -11 |");
    println!("|---|---:|---:|---:|");
    let mut totals = [0usize; 3];
    for entry in files {
        let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
        let sizes = [bytes.len(), gzip(&bytes)?.len(), brotli(&bytes)?.len()];
        for (total, size) in totals.iter_mut().zip(sizes) {
            *total += size;
        }
        println!(
            "| {} | {} | {} | {} |",
            entry.file_name().to_string_lossy(),
            sizes[0],
            sizes[1],
            sizes[2]
        );
    }
    println!(
        "| **total** | {} | {} | {} |",
        totals[0], totals[1], totals[2]
    );
    Ok(())
}

/// Draft autosave throughput and latency on loopback: the release API on a
/// fresh SQLite file, then on a fresh PostgreSQL database (test-postgres's
/// server: Debian's PostgreSQL 15 with fsync off, as SQLite here runs
/// without a sync per commit), driven by wrk (Debian's package, installed when
/// missing) with `xtask/bench/autosave.lua`, where one request in ten asks
/// for a resume-link email. Twice: with no sender (the outbox stays in the
/// database), then with the sender delivering to a relay that takes
/// `SLOW_RELAY_MS` to answer each message (test-relay's `slow_relay`): the
/// sender must cost the requests nothing.
pub fn api() -> Result {
    if Command::new("wrk").arg("--version").output().is_err() {
        step("install wrk (Debian package)", || {
            sh("apt-get", &["install", "-y", "-qq", "wrk"]).or_else(|_| {
                sh("apt-get", &["update", "-qq"])
                    .and_then(|_| sh("apt-get", &["install", "-y", "-qq", "wrk"]))
            })
        })?;
    }
    step("build enroll-api (release) and the slow relay", || {
        sh("cargo", &["build", "--release", "-p", "enroll-api"])?;
        sh(
            "cargo",
            &[
                "build",
                "--release",
                "-p",
                "test-relay",
                "--example",
                "slow_relay",
            ],
        )
    })?;
    let dir = root().join("target/bench-api");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let fresh = |engine: &str, name: &str| match engine {
        "sqlite" => format!("sqlite://{}", dir.join(format!("{name}.db")).display()),
        _ => test_postgres::fresh_database_blocking(),
    };
    for engine in ENGINES {
        println!("\n## {engine}, no sender: emails stay in the outbox\n");
        serve_and_load(&fresh(engine, "none"), &[])?;
    }
    let certificate = dir.join("relay.pem");
    let mut relay = Command::new(root().join("target/release/examples/slow_relay"))
        .args(["--delay-ms", &SLOW_RELAY_MS.to_string()])
        .arg("--certificate")
        .arg(&certificate)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the slow relay: {e}"))?;
    let port = {
        use std::io::BufRead;
        let stdout = relay.stdout.take().ok_or("the relay's output")?;
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim()
            .strip_prefix("listening on ")
            .map(str::to_owned)
            .ok_or_else(|| format!("the relay said {line:?}"))?
    };
    let smtp = format!("smtp://localhost:{port}");
    let certificate = certificate.display().to_string();
    let mut result = Ok(());
    for engine in ENGINES {
        println!(
            "\n## {engine}, the sender delivering to a relay answering each message after {SLOW_RELAY_MS} ms\n"
        );
        result = result.and(serve_and_load(
            &fresh(engine, "sender"),
            &[
                "--smtp",
                &smtp,
                "--mail-from",
                "CSP bench <bench@contoso.example>",
                "--smtp-root-cert",
                &certificate,
            ],
        ));
    }
    let _ = relay.kill();
    let _ = relay.wait();
    result
}

/// The database engines the API bench runs on, in order.
const ENGINES: [&str; 2] = ["sqlite", "postgres"];

/// How long the bench's relay takes to answer each message.
const SLOW_RELAY_MS: u64 = 500;

/// Serves the fresh database at `database` (a URL) with `extra` flags and
/// runs wrk against it; then prints how the outbox ended.
fn serve_and_load(database: &str, extra: &[&str]) -> Result {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())?;
    let listen = format!("127.0.0.1:{port}");
    let unlimited = "1000000";
    let mut server = Command::new(root().join("target/release/enroll-api"))
        .args(["serve", "--listen", &listen, "--database", database])
        .args(["--dev-secret-key", "target/dev-secret-key"])
        .args(["--resume-emails-per-application", unlimited])
        .args(["--resume-emails-per-recipient", unlimited])
        .args(["--resume-emails-per-client", unlimited])
        .args(extra)
        .env("ENROLL_SMTP_USERNAME", "relay-user")
        .env("ENROLL_SMTP_PASSWORD", "relay-secret")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start enroll-api: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(&listen).is_err() {
        if Instant::now() > deadline {
            let _ = server.kill();
            return Err("enroll-api did not start".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let script = root().join("xtask/bench/autosave.lua");
    let url = format!("http://{listen}");
    let script = script.to_string_lossy();
    // One connection per thread: each owns a draft and its ETag.
    let result = sh(
        "wrk",
        &["-t4", "-c4", "-d15s", "--latency", "-s", &script, &url],
    );
    let _ = server.kill();
    let _ = server.wait();
    let states = Command::new(root().join("target/release/enroll-api"))
        .args(["outbox", "--database", database])
        .output()
        .map_err(|e| e.to_string())?;
    let listing = String::from_utf8_lossy(&states.stdout);
    let mut counts = std::collections::BTreeMap::new();
    for state in listing
        .lines()
        .filter(|l| l.starts_with('#'))
        .filter_map(|l| l.split('[').nth(1)?.split(',').next())
    {
        *counts.entry(state.to_owned()).or_insert(0) += 1;
    }
    println!("outbox after the run: {counts:?}");
    result
}

/// The finder bench: our index (wasm) beside FlexSearch, MiniSearch and a
/// linear scan, then the real app's finder, at 10,000 and 100,000
/// providers, in one headless Chromium (e2e/examples/bench_finder.rs).
pub fn finder() -> Result {
    use crate::tools::{self, Need};
    tools::ensure(&[
        Need::WasmTarget,
        Need::Trunk,
        Need::WasmBindgen,
        Need::Chromium,
        Need::FinderBenchLibraries,
    ])?;
    build_app()?;
    let site = root().join("target/bench-finder/site");
    step("build our index for the bench page (wasm)", || {
        sh(
            "cargo",
            &[
                "build",
                "--release",
                "-p",
                "finder-bench",
                "--target",
                "wasm32-unknown-unknown",
            ],
        )?;
        let wasm = root().join("target/wasm32-unknown-unknown/release/finder_bench.wasm");
        let pkg = site.join("pkg");
        sh(
            "wasm-bindgen",
            &[
                "--target",
                "web",
                "--no-typescript",
                "--out-dir",
                &pkg.to_string_lossy(),
                &wasm.to_string_lossy(),
            ],
        )
    })?;
    step("assemble the bench site", || {
        let copy = |from: std::path::PathBuf, to: std::path::PathBuf| {
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::copy(&from, &to)
                .map(|_| ())
                .map_err(|e| format!("copy {}: {e}", from.display()))
        };
        copy_files(&root().join("dist"), &site)?;
        copy_files(&root().join("xtask/bench/finder/page"), &site)?;
        let modules = tools::bench_finder_modules();
        copy(
            modules.join("flexsearch/dist/flexsearch.bundle.min.js"),
            site.join("lib/flexsearch.bundle.min.js"),
        )?;
        copy(
            modules.join("minisearch/dist/umd/index.js"),
            site.join("lib/minisearch.umd.js"),
        )
    })?;
    run_browser_bench("bench_finder", &site)
}

/// Copies the files of `from` (not its folders) into `to`, made if needed.
fn copy_files(from: &std::path::Path, to: &std::path::Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap_or_default()))
                .map_err(|e| format!("copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// Runs the e2e example `name` (release build), serving `site`.
fn run_browser_bench(name: &str, site: &std::path::Path) -> Result {
    let chromedriver = crate::tools::chromedriver_path();
    let site = site.to_string_lossy();
    let args = [
        "run",
        "--quiet",
        "--release",
        "-p",
        "e2e",
        "--example",
        name,
        "--",
        &site,
    ];
    sh_env("cargo", &args, &[("CHROMEDRIVER", &chromedriver)])
}

/// `cargo xtask bench load`: the release app and its static twin, loaded
/// cold in headless Chromium on loopback and as a phone on slow 4G
/// (e2e/examples/bench_load.rs). Prints a table; JSON in target/.
pub fn load() -> Result {
    use crate::tools::{self, Need};
    tools::ensure(&[
        Need::WasmTarget,
        Need::Trunk,
        Need::WasmBindgen,
        Need::Chromium,
    ])?;
    build_app()?;
    let site = root().join("target/bench-load/site");
    step("copy the release build to the bench site", || {
        let _ = std::fs::remove_dir_all(&site);
        copy_files(&root().join("dist"), &site)
    })?;
    run_browser_bench("bench_load", &site)
}
