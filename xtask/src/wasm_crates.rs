//! Which crates the app's wasm carries, read from a release build that
//! keeps its function names (the shipped one strips them). Some crates are
//! too big for a page a phone loads: `regex` with its Unicode tables and
//! `idna` cost ~900 KB of wasm for one e-mail rule (TOOLCHAIN.md), and
//! they sit in the app's dependency tree already (leptos → server_fn →
//! url), so only the linked code tells whether one came in.

use crate::{root, sh_env, Result};

/// Crates the app must not link, as they appear in mangled names (the
/// name's length, then the name).
const FORBIDDEN: &[(&str, &str)] = &[
    ("regex", "5regex"),
    ("regex-automata", "14regex_automata"),
    ("regex-syntax", "12regex_syntax"),
    ("idna", "4idna"),
];

/// Builds the app (release, names kept) and fails if any function of a
/// forbidden crate is in it.
pub fn check() -> Result {
    let target_dir = root().join("target/names");
    let target_dir = target_dir.to_string_lossy();
    sh_env(
        "cargo",
        &[
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--bin",
            "csp-enroll",
            "--target-dir",
            &target_dir,
        ],
        &[("CARGO_PROFILE_RELEASE_STRIP", "false")],
    )?;
    let wasm = root().join("target/names/wasm32-unknown-unknown/release/csp-enroll.wasm");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    let found: Vec<&str> = FORBIDDEN
        .iter()
        .filter(|(_, mangled)| contains(&bytes, mangled.as_bytes()))
        .map(|(name, _)| *name)
        .collect();
    if !contains(&bytes, b"11enroll_core") {
        return Err(format!(
            "{} has no function names: the check would see nothing",
            wasm.display()
        ));
    }
    if found.is_empty() {
        println!("the app's wasm links none of: regex, regex-automata, regex-syntax, idna");
        Ok(())
    } else {
        Err(format!(
            "the app's wasm now links {}: find the dependency or rule that brought it in \
             (cargo tree --target wasm32-unknown-unknown -i <crate>) and write that rule \
             without it",
            found.join(", ")
        ))
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}
