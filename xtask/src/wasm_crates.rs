//! Which crates the app's wasm carries, read from Cargo's release wasm
//! before the split and wasm-bindgen: `build_app` builds it keeping its
//! function names (`strip = false` for that build only), checks it here,
//! then drops every custom section from what it ships
//! ([`strip_custom_sections`]). Some crates are too big for a page a phone
//! loads: `regex` with its Unicode tables and `idna` cost ~900 KB of wasm
//! for one e-mail rule (TOOLCHAIN.md), and they sit in the app's dependency
//! tree already (leptos → server_fn → url), so only the linked code tells
//! whether one came in.
//!
//! The check once had a release build of its own (108 s of every `cargo
//! xtask test`); reading the build that ships costs nothing and checks
//! exactly what ships.

use std::path::Path;

use crate::Result;

/// Crates the app must not link, as they appear in mangled names (the
/// name's length, then the name).
const FORBIDDEN: &[(&str, &str)] = &[
    ("regex", "5regex"),
    ("regex-automata", "14regex_automata"),
    ("regex-syntax", "12regex_syntax"),
    ("idna", "4idna"),
];

/// The environment Trunk's cargo build gets so that its wasm keeps the
/// function names [`check`] reads (the release profile's `strip = true`
/// would drop them; they are dropped after the split instead).
pub const KEEP_NAMES: (&str, &str) = ("CARGO_PROFILE_RELEASE_STRIP", "false");

/// Fails if any function of a forbidden crate is in `wasm` (Cargo's
/// release wasm, built with [`KEEP_NAMES`]).
pub fn check(wasm: &Path) -> Result {
    let bytes = std::fs::read(wasm).map_err(|e| format!("cannot read {}: {e}", wasm.display()))?;
    if !contains(&bytes, b"11enroll_core") {
        return Err(format!(
            "{} has no function names: the check would see nothing",
            wasm.display()
        ));
    }
    let found: Vec<&str> = FORBIDDEN
        .iter()
        .filter(|(_, mangled)| contains(&bytes, mangled.as_bytes()))
        .map(|(name, _)| *name)
        .collect();
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

/// Drops every custom section (function names, producers, target
/// features) from each `.wasm` in `dir`: a browser needs none of them, and
/// the names alone are 120 KB. Fails if a file is not a wasm module it can
/// read, rather than ship it unread.
pub fn strip_custom_sections(dir: &Path) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("wasm") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let stripped =
            without_custom_sections(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        if stripped.len() != bytes.len() {
            println!(
                "{}: {} → {} bytes",
                path.file_name().unwrap_or_default().to_string_lossy(),
                bytes.len(),
                stripped.len()
            );
            std::fs::write(&path, stripped).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    Ok(())
}

/// The module without its custom sections (id 0). A module is its 8-byte
/// header, then sections: an id byte, the content's length (unsigned
/// LEB128), the content.
fn without_custom_sections(module: &[u8]) -> std::result::Result<Vec<u8>, String> {
    const HEADER: &[u8] = b"\0asm\x01\0\0\0";
    if !module.starts_with(HEADER) {
        return Err("not a version 1 wasm module".into());
    }
    let mut out = HEADER.to_vec();
    let mut at = HEADER.len();
    while at < module.len() {
        let id = module[at];
        let (length, digits) = leb128(&module[at + 1..]).ok_or("a section's length is cut off")?;
        let end = at + 1 + digits + length;
        if end > module.len() {
            return Err("a section runs past the end".into());
        }
        if id != 0 {
            out.extend_from_slice(&module[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// An unsigned LEB128 number at the start of `bytes`, and how many bytes
/// it took.
fn leb128(bytes: &[u8]) -> Option<(usize, usize)> {
    let mut value = 0usize;
    for (i, byte) in bytes.iter().enumerate().take(5) {
        value |= usize::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_sections_go_and_the_others_stay() {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        // A type section (id 1) of 4 bytes, a custom section "name" with a
        // 200-byte body (length in two LEB128 bytes), a code section (10).
        let types = [1u8, 4, 1, 0x60, 0, 0];
        module.extend_from_slice(&types);
        let mut custom = vec![4u8, b'n', b'a', b'm', b'e'];
        custom.extend(std::iter::repeat_n(7u8, 200));
        module.push(0);
        module.extend_from_slice(&[
            (custom.len() as u8 & 0x7f) | 0x80,
            (custom.len() >> 7) as u8,
        ]);
        module.extend_from_slice(&custom);
        let code = [10u8, 1, 0];
        module.extend_from_slice(&code);
        let stripped = without_custom_sections(&module).unwrap();
        let mut expected = b"\0asm\x01\0\0\0".to_vec();
        expected.extend_from_slice(&types);
        expected.extend_from_slice(&code);
        assert_eq!(stripped, expected);
        assert!(without_custom_sections(&module[..module.len() - 1]).is_err());
        assert!(without_custom_sections(b"not wasm").is_err());
    }
}
