//! The names of the app's files that never change: a content hash before
//! the extension (`csp-enroll.0123456789abcdef.js`). The build (xtask)
//! gives them, and the server tells browsers to keep such a file for a
//! year; one rule, so what the build names is what the server caches.

/// Hex digits of the content hash in a name (the first 8 bytes of its
/// SHA-256).
pub const HASH_DIGITS: usize = 16;

/// `name` with `hash` before its extension.
pub fn with_content_hash(name: &str, hash: &str) -> String {
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    format!("{stem}.{hash}.{extension}")
}

/// Whether `hash` is a content hash as names carry it.
fn is_hash(hash: &str) -> bool {
    hash.len() == HASH_DIGITS && hash.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether the last part of `path` is some file's name with its content
/// hash (`stem.hash.extension`).
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let mut parts = name.rsplit('.');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_extension), Some(hash), Some(_stem)) => is_hash(hash),
        _ => false,
    }
}

/// Whether `name` is `original` with its content hash.
pub fn is_hashed_form_of(name: &str, original: &str) -> bool {
    let (stem, extension) = original.rsplit_once('.').unwrap_or((original, ""));
    name.strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(extension))
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(is_hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_the_build_names_the_server_knows_as_hashed() {
        let named = with_content_hash("csp-enroll_bg.wasm", "0123456789abcdef");
        assert_eq!(named, "csp-enroll_bg.0123456789abcdef.wasm");
        assert!(is_content_hashed(&format!("/assets/{named}")));
        assert!(is_hashed_form_of(&named, "csp-enroll_bg.wasm"));
        assert!(!is_hashed_form_of(&named, "csp-enroll.js"));
        for plain in [
            "boot.js",
            "index.html",
            "csp-enroll.0123.js",
            "a.0123456789abcdeg.js",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }
}
