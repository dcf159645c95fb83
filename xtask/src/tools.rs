//! Pinned tools: each is checked first and installed only when missing or
//! at another version, so a second run spends seconds here.

use crate::{sh, step, Result};
use std::process::Command;

pub const TRUNK: &str = "trunk";
const TRUNK_VERSION: &str = "0.21.14";
/// Must equal `wasm-bindgen` in Cargo.toml/Cargo.lock (TOOLCHAIN.md).
const WASM_BINDGEN_VERSION: &str = "0.2.130";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    WasmTarget,
    Trunk,
    WasmBindgen,
    Chromium,
    /// PostgreSQL's server programs (Debian's), for the API's tests on
    /// PostgreSQL: crates/test-postgres runs initdb and the server from
    /// `pg_config --bindir`.
    Postgres,
    /// axe-core from npm, for the accessibility checks of the e2e tests.
    Axe,
    /// FlexSearch and MiniSearch from npm, for `cargo xtask bench finder`.
    FinderBenchLibraries,
    /// Binaryen's wasm-opt from npm, which every release build runs over
    /// the first page's wasm (`split::optimize`).
    Binaryen,
}

impl Need {
    pub const ALL: &'static [Need] = &[
        Need::WasmTarget,
        Need::Trunk,
        Need::WasmBindgen,
        Need::Chromium,
        Need::Postgres,
        Need::Axe,
        Need::Binaryen,
    ];

    /// What a release build of the app needs (`build_app`).
    pub const APP: &'static [Need] = &[
        Need::WasmTarget,
        Need::Trunk,
        Need::WasmBindgen,
        Need::Binaryen,
    ];
}

pub fn ensure(needs: &[Need]) -> Result {
    ensure_debian_packages(needs)?;
    for need in needs {
        match need {
            Need::WasmTarget => ensure_wasm_target()?,
            Need::Trunk => ensure_cargo_tool(
                TRUNK,
                TRUNK_VERSION,
                &["install", "--locked", &format!("trunk@{TRUNK_VERSION}")],
            )?,
            // Not --locked: its lockfile pins a crate the registry no
            // longer serves (TOOLCHAIN.md).
            Need::WasmBindgen => ensure_cargo_tool(
                "wasm-bindgen",
                WASM_BINDGEN_VERSION,
                &[
                    "install",
                    &format!("wasm-bindgen-cli@{WASM_BINDGEN_VERSION}"),
                ],
            )?,
            // Both Debian packages, installed together above.
            Need::Chromium | Need::Postgres => {}
            Need::Axe => ensure_npm("axe", &[("axe-core", AXE_VERSION)])?,
            Need::Binaryen => ensure_npm("binaryen", &[("binaryen", BINARYEN_VERSION)])?,
            Need::FinderBenchLibraries => ensure_npm(
                "bench-finder",
                &[
                    ("flexsearch", FLEXSEARCH_VERSION),
                    ("minisearch", MINISEARCH_VERSION),
                ],
            )?,
        }
    }
    Ok(())
}

/// The first line a command prints for `--version`, if it runs.
fn version_of(program: &str) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned()
    })
}

fn ensure_wasm_target() -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("wasm32-unknown-unknown"))
        .unwrap_or(false);
    if installed {
        println!("ok: wasm32-unknown-unknown target");
        return Ok(());
    }
    step("install the wasm32-unknown-unknown target", || {
        sh("rustup", &["target", "add", "wasm32-unknown-unknown"])
    })
}

fn ensure_cargo_tool(program: &str, version: &str, install: &[&str]) -> Result {
    let found = version_of(program);
    // `trunk 0.21.14`, `wasm-bindgen 0.2.130`: the version is the 2nd word.
    if found.as_deref().and_then(|v| v.split_whitespace().nth(1)) == Some(version) {
        println!("ok: {program} {version}");
        return Ok(());
    }
    let now = found.unwrap_or_else(|| "not installed".into());
    step(
        &format!("install {program} {version} (now: {now}; takes minutes once)"),
        || sh("cargo", install),
    )
}

/// Chromium (with chromedriver) and PostgreSQL, from Debian, for those of
/// them `needs` names and the machine lacks: one `apt-get update` and one
/// `apt-get install` for all (the update alone takes a while).
fn ensure_debian_packages(needs: &[Need]) -> Result {
    let mut missing: Vec<(&str, &[&str])> = Vec::new();
    if needs.contains(&Need::Chromium) {
        match (version_of("chromium"), version_of("chromedriver")) {
            (Some(browser), Some(driver)) => println!("ok: {browser}; {driver}"),
            _ => missing.push((
                "Chromium and chromedriver",
                &["chromium", "chromium-driver"],
            )),
        }
    }
    if needs.contains(&Need::Postgres) {
        match postgres_version() {
            Some(version) => println!("ok: {version}"),
            None => missing.push(("PostgreSQL", &["postgresql"])),
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|(name, _)| *name).collect();
    let packages: Vec<&str> = missing
        .iter()
        .flat_map(|(_, packages)| packages.iter().copied())
        .collect();
    step(
        &format!("install {} (Debian packages)", names.join(", ")),
        || {
            let root = Command::new("id")
                .arg("-u")
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
                .unwrap_or(false);
            let apt = |args: &[&str]| {
                if root {
                    sh("apt-get", args)
                } else {
                    sh("sudo", &[&["apt-get"], args].concat())
                }
            };
            apt(&["update", "-qq"])?;
            apt(&[&["install", "-y", "-qq"], packages.as_slice()].concat())
        },
    )
}

/// `postgres (PostgreSQL) 15.20 (Debian ...)` when the server's programs
/// are where `pg_config --bindir` says: the way crates/test-postgres finds
/// them. libpq-dev's pg_config alone names a directory without them.
fn postgres_version() -> Option<String> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let bindir = std::path::PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    if !bindir.join("initdb").is_file() {
        return None;
    }
    version_of(bindir.join("postgres").to_str()?)
}

const AXE_VERSION: &str = "4.14.1";

/// Debian's binaryen (108) is too old for rustc's wasm (TOOLCHAIN.md).
const BINARYEN_VERSION: &str = "132.0.0";

/// wasm-opt, installed under target/tools (not tracked).
pub fn wasm_opt_path() -> std::path::PathBuf {
    crate::root().join("target/tools/binaryen/node_modules/.bin/wasm-opt")
}

/// axe-core's browser build, installed under target/tools (not tracked).
pub fn axe_path() -> std::path::PathBuf {
    crate::root().join("target/tools/axe/node_modules/axe-core/axe.min.js")
}

/// The libraries the finder bench compares against (the versions the
/// issue names: FlexSearch 0.8, MiniSearch 7).
const FLEXSEARCH_VERSION: &str = "0.8.212";
const MINISEARCH_VERSION: &str = "7.2.0";

/// Where the finder bench's npm packages are installed.
pub fn bench_finder_modules() -> std::path::PathBuf {
    crate::root().join("target/tools/bench-finder/node_modules")
}

/// Installs the npm `packages` (name, version) under target/tools/`dir`
/// unless all are there at those versions. One `npm install` for all: npm
/// removes what a `--no-save` install of another package did not name.
fn ensure_npm(dir: &str, packages: &[(&str, &str)]) -> Result {
    let prefix = crate::root().join("target/tools").join(dir);
    let present = |(package, version): &(&str, &str)| {
        let manifest = prefix
            .join("node_modules")
            .join(package)
            .join("package.json");
        std::fs::read_to_string(manifest)
            .unwrap_or_default()
            .contains(&format!("\"version\": \"{version}\""))
    };
    let wanted: Vec<String> = packages.iter().map(|(p, v)| format!("{p}@{v}")).collect();
    if packages.iter().all(present) {
        println!("ok: {}", wanted.join(", "));
        return Ok(());
    }
    step(&format!("install {} (npm)", wanted.join(", ")), || {
        std::fs::create_dir_all(&prefix).map_err(|e| e.to_string())?;
        let prefix = prefix.to_string_lossy().into_owned();
        let mut args = vec![
            "install",
            "--no-save",
            "--no-audit",
            "--no-fund",
            "--prefix",
            &prefix,
        ];
        args.extend(wanted.iter().map(String::as_str));
        if version_of("npm").is_none() {
            return Err(format!(
                "{} come from npm, which is not installed: install Node.js and npm \
                 (Debian: apt-get install nodejs npm), then run this again",
                wanted.join(", ")
            ));
        }
        sh("npm", &args)
    })
}

/// Where chromedriver is: `$CHROMEDRIVER`, else Debian's path.
pub fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}
