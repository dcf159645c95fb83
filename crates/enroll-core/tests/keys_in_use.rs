//! The code names every message by a constant of `enroll_core::msg`,
//! written by build.rs from the catalogs: a key no catalog has does not
//! compile, and the catalogs' locales are checked against each other
//! there. What the compiler cannot see is checked here: a message that no
//! code names any more (words a translator keeps up for nothing), and the
//! app naming, outside its account part, a message of a book it only
//! fetches with that part (it would show as the bare key).
//!
//! Two families are named by data that comes over the wire, not by a
//! constant: `problem.<code>` and `problem.<field>.<code>` (a validation
//! problem's words, chosen by `Catalog::problem_message`) and
//! `api.error.<code>` (an `ErrorCode`'s). Those are in use when their code
//! (and field) exist.

use enroll_core::{Catalog, ErrorCode, Locale, ProblemCode};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The code of the app, the API and enroll-core, without tests: a message
/// only a test names is not in use.
fn product_sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in ["src", "crates/enroll-api/src", "crates/enroll-core/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 30, "the sources were not found: {files:?}");
    files
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n != "tests.rs"))
        .map(|f| {
            let source = std::fs::read_to_string(&f).expect("a source file");
            let code = source.split("#[cfg(test)]").next().unwrap_or("");
            // Comments name messages without using them.
            let code: Vec<&str> = code
                .lines()
                .map(|line| line.split("//").next().unwrap_or(""))
                .collect();
            (f, code.join("\n"))
        })
        .collect()
}

/// The constant build.rs writes for `key` (`start.need_mpn` →
/// `START_NEED_MPN`; a plural form is its stem's, where the stem has an
/// `.other`: `finder.count.one` → `FINDER_COUNT`).
fn constant_of(key: &str) -> String {
    let english = Catalog::get(Locale::EnUs);
    let stem = ["zero", "one", "two", "few", "many", "other"]
        .iter()
        .filter_map(|form| key.strip_suffix(&format!(".{form}")))
        .find(|stem| english.lookup(&format!("{stem}.other")).is_some())
        .unwrap_or(key);
    stem.replace('.', "_").to_uppercase()
}

/// Whether `word` is in `code` as a whole identifier.
fn names(code: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    code.match_indices(word).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        let after = code[at + word.len()..].chars().next();
        !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
    })
}

/// Whether `key` is a problem's or an error code's words, for a code
/// (and field) that exists.
fn worded_from_the_wire(key: &str) -> bool {
    if let Some(code) = key.strip_prefix("api.error.") {
        return ErrorCode::ALL.iter().any(|known| known.as_str() == code);
    }
    let Some(rest) = key.strip_prefix("problem.") else {
        return false;
    };
    // The field is a path of any form (`admin.email`, `new_password`).
    let code = rest.rsplit('.').next().unwrap_or(rest);
    ProblemCode::parse(code).as_str() == code
}

#[test]
fn every_message_in_the_catalogs_is_named_by_the_code() {
    let sources = product_sources();
    let unused: Vec<&str> = Catalog::get(Locale::EnUs)
        .keys()
        .filter(|key| !key.starts_with("test."))
        .filter(|key| !worded_from_the_wire(key))
        .filter(|key| {
            let constant = constant_of(key);
            !sources.iter().any(|(_, code)| names(code, &constant))
        })
        .collect();
    assert!(
        unused.is_empty(),
        "messages no code names (remove them from every locale, or name them):\n{}",
        unused.join("\n")
    );
}

/// The check above, on a catalog key the code stopped naming and on one
/// that a problem's code words: it can fail, and it knows the families.
#[test]
fn the_check_sees_a_message_no_code_names() {
    let sources = product_sources();
    let named = |key: &str| {
        let constant = constant_of(key);
        sources.iter().any(|(_, code)| names(code, &constant))
    };
    assert!(named("start.heading"));
    assert!(named("finder.count.one"), "a plural form, by its stem");
    assert!(!named("start.heading_that_no_code_names"));
    assert!(!names("msg::START_HEADING_2", "START_HEADING"));
    assert_eq!(constant_of("finder.count.none"), "FINDER_COUNT_NONE");
    assert!(worded_from_the_wire("problem.required"));
    assert!(worded_from_the_wire("problem.mpn_id.required"));
    assert!(worded_from_the_wire("api.error.stale_etag"));
    assert!(!worded_from_the_wire("problem.no_such_code"));
    assert!(!worded_from_the_wire("api.error.no_such_code"));
}

/// The app carries one book of messages (`locales/<locale>.txt`, the
/// constants at `msg::`) and fetches the account's (`msg::account::`) with
/// the account's part and the partners' (`msg::partners::`) with the
/// business profile's, the referrals' and the find-a-partner page's parts
/// (`src/partners`) and the finder's (`msg::finder::`) with the finder's
/// part (`src/finder`); the emails' (`msg::email::`) only the server has.
#[test]
fn the_app_names_a_fetched_book_only_in_the_parts_that_fetch_it() {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut outside = Vec::new();
    for file in files {
        let code = std::fs::read_to_string(&file).expect("a source file");
        for (book, part) in [
            ("account", Some("src/account")),
            ("partners", Some("src/partners")),
            ("finder", Some("src/finder")),
            ("email", None),
        ] {
            if part.is_some_and(|part| file.starts_with(root.join(part))) {
                continue;
            }
            // `msg::account::X`, or a `use` of that module.
            let named = names(&code, &format!("msg::{book}"))
                || code.contains(&format!("msg::{{{book}"))
                || code.contains(&format!(", {book}}}"));
            if named {
                outside.push(format!("{}: msg::{book}", file.display()));
            }
        }
    }
    assert!(
        outside.is_empty(),
        "messages the app names where their book is not loaded:\n{}",
        outside.join("\n")
    );
}
