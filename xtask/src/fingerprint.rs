//! Content hashes in the names of the files `boot.js` loads, so that the
//! server can tell browsers to keep them for a year (`immutable`): a new
//! build has new names, and a repeat visit downloads none of the app's code
//! again. `boot.js` and the pages (`index.html`, `finder.html`,
//! `find-partner.html`, `invitation.html`, `admin-relationship.html`,
//! `account.html`) keep their names (a partner embeds `boot.js` by URL)
//! and are revalidated instead.

use crate::{split, Result};
use base64::Engine;
use enroll_core::contract::assets::{with_content_hash, HASH_DIGITS};
use enroll_core::encoding::hex;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The files renamed, as Trunk writes them (`filehash = false`).
pub const HASHED: [&str; 2] = ["csp-enroll.js", "csp-enroll_bg.wasm"];
/// What the first page loads besides index.html, page.css and boot.js:
/// the files in `HASHED` and the split loader the JS imports, as named
/// before their hashes.
pub const FIRST_PART: [&str; 3] = [HASHED[0], HASHED[1], "__wasm_split.js"];
/// The files that name them.
const REFERRERS: [&str; 7] = [
    "boot.js",
    "index.html",
    "finder.html",
    "find-partner.html",
    "invitation.html",
    "admin-relationship.html",
    "account.html",
];

/// The first 16 hex digits of the SHA-256 of `parts`, one after another.
fn content_hash(parts: &[&[u8]]) -> String {
    let mut digest = Sha256::new();
    for part in parts {
        digest.update(part);
    }
    hex(&digest.finalize()[..HASH_DIGITS / 2])
}

fn read(dist: &Path, name: &str) -> Result<Vec<u8>> {
    std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))
}

fn write(dist: &Path, name: &str, bytes: &[u8]) -> Result {
    std::fs::write(dist.join(name), bytes).map_err(|e| format!("{name}: {e}"))
}

/// Replaces every quoted mention of `name` in `text` (`"./name"`,
/// `'name'`, `href="name"`) with `hashed`.
fn rename_in(text: &str, name: &str, hashed: &str) -> String {
    let mut text = text.to_owned();
    for quote in ['"', '\''] {
        text = text.replace(&format!("/{name}{quote}"), &format!("/{hashed}{quote}"));
        text = text.replace(
            &format!("{quote}{name}{quote}"),
            &format!("{quote}{hashed}{quote}"),
        );
    }
    text
}

/// Hashes in every name boot.js loads, directly or not, and the references
/// to them. In order, because names are content: the parts loaded later
/// (named by the split loader), the two JS modules (which import each
/// other, so one hash covers both), the first wasm (named by boot.js).
pub fn fingerprint(dist: &Path) -> Result {
    let [main_js, main_wasm] = HASHED;
    let mut loader = String::from_utf8(read(dist, split::LOADER)?).map_err(|e| e.to_string())?;
    let mut parts: Vec<String> = std::fs::read_dir(dist)
        .map_err(|e| e.to_string())?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_part(name))
        .collect();
    parts.sort();
    for part in &parts {
        let hashed = with_content_hash(part, &content_hash(&[&read(dist, part)?]));
        std::fs::rename(dist.join(part), dist.join(&hashed)).map_err(|e| e.to_string())?;
        if !loader.contains(&format!("/{part}\"")) {
            return Err(format!("the split loader does not name {part}"));
        }
        loader = rename_in(&loader, part, &hashed);
    }

    let js = String::from_utf8(read(dist, main_js)?).map_err(|e| e.to_string())?;
    let hash = content_hash(&[js.as_bytes(), loader.as_bytes()]);
    let hashed_js = with_content_hash(main_js, &hash);
    let hashed_loader = split::LOADER.replace(split::PLACEHOLDER, &hash);
    write(
        dist,
        &hashed_js,
        js.replace(split::LOADER, &hashed_loader).as_bytes(),
    )?;
    std::fs::remove_file(dist.join(main_js)).map_err(|e| e.to_string())?;
    write(
        dist,
        &hashed_loader,
        rename_in(&loader, main_js, &hashed_js).as_bytes(),
    )?;
    std::fs::remove_file(dist.join(split::LOADER)).map_err(|e| e.to_string())?;

    // The wasm names the loader as the module of its imports.
    let mut wasm = read(dist, main_wasm)?;
    let placeholder = split::LOADER.as_bytes();
    let mut found = 0;
    for at in 0..wasm.len().saturating_sub(placeholder.len()) {
        if wasm[at..].starts_with(placeholder) {
            wasm[at..at + placeholder.len()].copy_from_slice(hashed_loader.as_bytes());
            found += 1;
        }
    }
    if found == 0 {
        return Err(format!("{main_wasm} does not name the split loader"));
    }
    let hashed_wasm = with_content_hash(main_wasm, &content_hash(&[&wasm]));
    write(dist, &hashed_wasm, &wasm)?;
    std::fs::remove_file(dist.join(main_wasm)).map_err(|e| e.to_string())?;

    for referrer in REFERRERS {
        let Ok(text) = std::fs::read_to_string(dist.join(referrer)) else {
            continue;
        };
        let text = rename_in(&text, main_js, &hashed_js);
        let text = rename_in(&text, main_wasm, &hashed_wasm);
        let text = rename_in(&text, split::LOADER, &hashed_loader);
        write(dist, referrer, text.as_bytes())?;
    }
    pin_boot(dist)?;
    // The unhashed name left anywhere would be a file no browser finds.
    for entry in std::fs::read_dir(dist).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if std::fs::read(&path).is_ok_and(|bytes| {
            bytes
                .windows(split::LOADER.len())
                .any(|w| w == split::LOADER.as_bytes())
        }) {
            return Err(format!(
                "{} still names the unhashed split loader",
                path.display()
            ));
        }
    }
    Ok(())
}

/// A part of the app loaded later, as the split writes it.
pub fn is_part(name: &str) -> bool {
    (name.starts_with("split_") || name.starts_with("chunk_"))
        && name.ends_with(".wasm")
        && name.matches('.').count() == 1
}

/// A copy of boot.js under a name with its hash, for partners who pin a
/// release: that name never changes content, so its Subresource Integrity
/// hash (printed here, and in the README's second snippet) holds. boot.js
/// itself changes with every release and takes no SRI.
fn pin_boot(dist: &Path) -> Result {
    let boot = read(dist, "boot.js")?;
    let pinned = with_content_hash("boot.js", &content_hash(&[&boot]));
    write(dist, &pinned, &boot)?;
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(&boot))
    );
    println!(
        "pinned loader: {pinned}\n  <script type=\"module\" src=\"https://APP/{pinned}\" \
         integrity=\"{integrity}\" crossorigin=\"anonymous\"></script>"
    );
    Ok(())
}
