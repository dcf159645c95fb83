//! Splits the release wasm into the part the first page needs and the
//! parts loaded later (`src/later.rs`), a step Trunk cannot run
//! (trunk-rs/trunk#1022): Trunk builds with `--cfg csp_split` and
//! relocations kept, then this takes Cargo's wasm (before wasm-bindgen),
//! splits it with `wasm_split_cli_support`, and runs wasm-bindgen on the
//! main part in place of Trunk's output.
//!
//! What the split writes to dist/:
//! - `csp-enroll.js` and `csp-enroll_bg.wasm`: the first part, as before;
//! - one `split_<part>.wasm` per part (and `chunk_<n>.wasm` for code two
//!   parts share);
//! - the loader, `__wasm_split.<placeholder>.js`, which fetches a part and
//!   links it to the first. The first part's JS imports it by that name and
//!   the wasm names it as the module of its imports; `fingerprint` writes the
//!   content hash over the placeholder (same length, so the wasm stays valid).

use std::path::Path;

use crate::{root, sh, Result};

/// The loader's name until `fingerprint` gives it a hash: 16 characters
/// where the hash goes.
pub const LOADER: &str = "__wasm_split.________________.js";
/// The placeholder itself, replaced wherever it appears: as long as the
/// hash that replaces it (the wasm is patched in place).
pub const PLACEHOLDER: &str = "________________";
const _: () = assert!(PLACEHOLDER.len() == enroll_core::contract::assets::HASH_DIGITS);

/// The flags Trunk's cargo build needs for the split: the app's split
/// points on, and the relocations wasm-split reads.
pub const RUSTFLAGS: &str = "--cfg erase_components --cfg csp_split -Clink-args=--emit-relocs";

/// `RUSTFLAGS`, and the crates' sources named without the registry's
/// directory: a panic's location is kept in the wasm as its file's path,
/// and 63 of them in the first part began with `/root/.cargo/registry/src/`
/// (they now read `index.crates.io-<hash>/reactive_graph-0.2.16/…`).
/// Removing the `index.crates.io-<hash>/` too saved 2 KB raw and cost 1.1
/// KB brotli: past a point, brotli's figure moves with where wasm-opt puts
/// things more than with the bytes removed.
///
/// Left out where the path cannot be one word of RUSTFLAGS (cargo splits
/// it at spaces), or is not known: the build works, 1.7 KB larger.
pub fn rustflags() -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| std::path::Path::new(&home).join(".cargo")))
        .and_then(|home| std::path::absolute(home).ok());
    match cargo_home.map(|home| home.join("registry/src/").display().to_string()) {
        Some(sources) if !sources.chars().any(char::is_whitespace) => {
            format!("{RUSTFLAGS} --remap-path-prefix={sources}=")
        }
        _ => RUSTFLAGS.to_owned(),
    }
}

/// Where Trunk's cargo build wrote the app's wasm: a CARGO_TARGET_DIR of
/// the caller's, else the workspace's target/ (an old wasm there must not
/// be split and shipped in its place).
pub fn cargo_wasm() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(|dir| root().join(dir))
        .unwrap_or_else(|| root().join("target"))
        .join("wasm32-unknown-unknown/release/csp-enroll.wasm")
}

/// Splits Cargo's release wasm into dist/ (after `trunk build`).
pub fn split(dist: &Path) -> Result {
    let built = cargo_wasm();
    let input = std::fs::read(&built).map_err(|e| format!("{}: {e}", built.display()))?;
    let work = root().join("target/split-out");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let main = work.join("main.wasm");
    let link_name = format!("./{LOADER}");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = dist;
    options.main_out_path = &main;
    options.link_name = &link_name;
    options.main_module = "./csp-enroll.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| format!("splitting {}: {e:#}", built.display()))?;
    if split.split_modules.is_empty() {
        return Err("the wasm has no split points: was it built with --cfg csp_split?".into());
    }
    for part in &split.split_modules {
        let size = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);
        println!("part {}: {size} bytes", part.display());
    }
    let dist_arg = dist.to_string_lossy();
    let main_arg = main.to_string_lossy();
    sh(
        "wasm-bindgen",
        &[
            "--target",
            "web",
            // The parts call into the first by these exports.
            "--keep-lld-exports",
            "--no-typescript",
            "--out-dir",
            &dist_arg,
            "--out-name",
            "csp-enroll",
            &main_arg,
        ],
    )?;
    // The loader is asked for with the page, not after the JS that imports it.
    for page in [
        "index.html",
        "finder.html",
        "find-partner.html",
        "invitation.html",
        "admin-relationship.html",
        "account.html",
    ] {
        let path = dist.join(page);
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let preload = format!("<link rel=\"modulepreload\" href=\"{LOADER}\">");
        let text = match text.find("<script type=\"module\"") {
            Some(at) => format!("{}{preload}\n    {}", &text[..at], &text[at..]),
            None => return Err(format!("{page}: no module script to preload beside")),
        };
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The features rustc's wasm32-unknown-unknown uses by default, which
/// wasm-opt cannot read from the wasm (`strip = true` drops the
/// `target_features` section): it must neither refuse them nor add others.
const FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

/// Runs `wasm-opt -Os` over the first page's wasm, after wasm-bindgen:
/// 736 → 694 KB raw, 211.9 → 208.6 KB brotli on what every visitor waits
/// for (README, "Loading"). Its imports and exports, the shared table and
/// memory the parts link to, keep their names and meaning; the parts are
/// left as they are.
pub fn optimize(dist: &Path) -> Result {
    let main = dist.join("csp-enroll_bg.wasm");
    let main_arg = main.to_string_lossy();
    let wasm_opt = crate::tools::wasm_opt_path();
    // -Os, not -Oz: smaller in brotli, what visitors download, on every
    // build tried (209.7 → 208.6 KB here; 207.6 → 206.9 KB and 208.8 →
    // 208.6 KB on two earlier ones), though 16 KB larger raw.
    let mut args = vec!["-Os"];
    args.extend(FEATURES);
    args.extend([&*main_arg, "-o", &*main_arg]);
    let before = std::fs::metadata(&main).map(|m| m.len()).unwrap_or(0);
    sh(&wasm_opt.to_string_lossy(), &args)?;
    let after = std::fs::metadata(&main).map(|m| m.len()).unwrap_or(0);
    println!("first part: {before} → {after} bytes");
    Ok(())
}
