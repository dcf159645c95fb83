//! The release build's files compressed once, at build time: the server
//! sends `x.br` or `x.gz` for `x` to browsers that take them, instead of
//! compressing on every request (and brotli, which it does not do live,
//! saves a quarter of the wasm's gzip bytes).

use crate::Result;
use std::io::Write;
use std::path::Path;

pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).map_err(|e| e.to_string())?;
    encoder.finish().map_err(|e| e.to_string())
}

pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Writes `name.br` and `name.gz` beside every file of `dir` worth it
/// (text and wasm), replacing older ones.
pub fn precompress(dir: &Path) -> Result {
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let worth_it = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "wasm" | "js" | "html" | "css" | "json"));
        if !path.is_file() || !worth_it {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        for (suffix, packed) in [("br", brotli(&bytes)?), ("gz", gzip(&bytes)?)] {
            let mut name = path.as_os_str().to_owned();
            name.push(format!(".{suffix}"));
            std::fs::write(&name, packed).map_err(|e| format!("{name:?}: {e}"))?;
        }
    }
    Ok(())
}

/// What the first page may cost, in brotli bytes of the files it needs
/// before it works (the page, its CSS, boot.js, the JS, the split loader
/// and the first part of the wasm). Fails `cargo xtask test` when a change
/// grows it: 285,531 bytes with the wasm in one piece, 204,7xx since the
/// later pages and the finder are parts of their own (README, "Loading"),
/// 219,6xx with the embedding contract, which the first page needs (the
/// attributes and their problems, the events, following the element, the
/// custom element and iframe mode in boot.js, the language switch: +12 KB
/// of wasm, +1.7 KB of boot.js). The product's budget is 150 KB; what
/// stands between is in the README.
pub const FIRST_STEP_BROTLI_BUDGET: usize = 222_000;

/// The brotli bytes of the files the first page loads, from a release
/// build in `dist` (precompressed, with content-hashed names).
pub fn first_step_bytes(dist: &Path) -> Result<Vec<(String, usize)>> {
    let needed = |name: &str| {
        name.strip_suffix(".br").is_some_and(|file| {
            matches!(file, "index.html" | "page.css" | "boot.js")
                || crate::fingerprint::FIRST_PART.iter().any(|original| {
                    enroll_core::contract::assets::is_hashed_form_of(file, original)
                })
        })
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if needed(&name) {
            let size = entry.metadata().map_err(|e| e.to_string())?.len();
            found.push((name, size as usize));
        }
    }
    if found.len() != 6 {
        return Err(format!(
            "the first page's files are not all in {} (found {found:?})",
            dist.display()
        ));
    }
    found.sort();
    Ok(found)
}
