//! Content hashes in the names of the files `boot.js` loads, so that the
//! server can tell browsers to keep them for a year (`immutable`): a new
//! build has new names, and a repeat visit downloads none of the app's code
//! again. `boot.js`, `index.html` and `finder.html` keep their names (a
//! partner embeds `boot.js` by URL) and are revalidated instead.

use crate::Result;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The files renamed, as Trunk writes them (`filehash = false`).
pub const HASHED: [&str; 2] = ["csp-enroll.js", "csp-enroll_bg.wasm"];
/// The files that name them.
const REFERRERS: [&str; 3] = ["boot.js", "index.html", "finder.html"];

/// Whether `name` is `original` (one of `HASHED`) with its content hash.
pub fn is_hashed(name: &str, original: &str) -> bool {
    let (stem, extension) = original.rsplit_once('.').unwrap_or((original, ""));
    name.strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(extension))
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `csp-enroll.js` → `csp-enroll.<16 hex>.js`, and the references to it.
pub fn fingerprint(dist: &Path) -> Result {
    let mut renames = Vec::new();
    for name in HASHED {
        let bytes = std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))?;
        let digest = Sha256::digest(&bytes);
        let hash: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
        let hashed = format!("{stem}.{hash}.{extension}");
        std::fs::rename(dist.join(name), dist.join(&hashed)).map_err(|e| e.to_string())?;
        renames.push((name, hashed));
    }
    for referrer in REFERRERS {
        let path = dist.join(referrer);
        let Ok(mut text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (name, hashed) in &renames {
            // Quoted names only: `./csp-enroll.js"` in boot.js, `href="csp-enroll.js"`.
            for quote in ['"', '\''] {
                text = text.replace(&format!("/{name}{quote}"), &format!("/{hashed}{quote}"));
                text = text.replace(
                    &format!("{quote}{name}{quote}"),
                    &format!("{quote}{hashed}{quote}"),
                );
            }
        }
        std::fs::write(&path, text).map_err(|e| e.to_string())?;
    }
    Ok(())
}
