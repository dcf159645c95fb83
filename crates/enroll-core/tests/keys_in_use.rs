//! Every message key the code names is in every catalog: a key that is
//! missing shows as the bare key (`app.part_loading`) in front of the user,
//! and only in the language whose catalog lacks it. The catalogs' keys
//! against each other are checked in `i18n.rs`; this checks the code's.
//!
//! Read from the sources of the app, the API and enroll-core: every string
//! literal shaped like a key (`word.word…`) that is the key of a catalog
//! call (`i18n.t("…")`), or whose first word starts some catalog key,
//! except field paths (`bank.iban`), which share those first words. Keys
//! put together at run time (`format!("status.{}")`) are not seen here.
//! Tests' own literals (after `#[cfg(test)]`) are left out.

use enroll_core::{Catalog, Field, Locale};
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

/// The calls that take a message key first.
const CATALOG_CALLS: [&str; 7] = [
    ".t(",
    ".tf(",
    ".t_or(",
    ".text(",
    ".format(",
    ".has(",
    PLURAL_CALL,
];

/// A plural message is named by its stem (`finder.count`); each catalog
/// needs its `other` form, and may have more (`.one`).
const PLURAL_CALL: &str = ".plural(";

/// The string literals in `source` that look like message keys, each
/// with whether it is the key argument of a catalog call (`i18n.t("…")`),
/// plural stems with `.other` added.
fn key_shaped(source: &str) -> Vec<(String, bool)> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    let pieces: Vec<&str> = code.split('"').collect();
    pieces
        .iter()
        .enumerate()
        .skip(1)
        .step_by(2)
        .map(|(i, text)| {
            let before = pieces[i - 1].trim_end();
            let key = if before.ends_with(PLURAL_CALL) {
                format!("{text}.other")
            } else {
                (*text).to_owned()
            };
            (key, CATALOG_CALLS.iter().any(|call| before.ends_with(call)))
        })
        .filter(|(text, _)| {
            let mut words = text.split('.');
            words.clone().count() >= 2
                && words.all(|w| {
                    !w.is_empty()
                        && w.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                })
        })
        .collect()
}

#[test]
fn every_key_the_code_names_is_in_every_catalog() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    for dir in ["src", "crates/enroll-api/src", "crates/enroll-core/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 30, "the sources were not found: {files:?}");
    let english = Catalog::get(Locale::EnUs);
    let first_words: Vec<&str> = english
        .keys()
        .filter_map(|key| key.split('.').next())
        .collect();
    let mut named = 0;
    let mut missing = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).expect("a source file");
        for (key, in_a_call) in key_shaped(&source) {
            let first = key.split('.').next().unwrap_or_default();
            let looks_like_a_key = first_words.contains(&first) && Field::parse(&key).is_none();
            if !in_a_call && !looks_like_a_key {
                continue;
            }
            named += 1;
            // Each catalog's own keys: `lookup` would fall back to English.
            for locale in Locale::ALL {
                if !Catalog::get(locale).keys().any(|k| k == key) {
                    missing.push(format!("{} in {}: {key}", locale.tag(), file.display()));
                }
            }
        }
    }
    assert!(
        named > 100,
        "only {named} keys found: is the scan still right?"
    );
    assert!(
        missing.is_empty(),
        "keys the code names, not in the catalog:\n{}",
        missing.join("\n")
    );
}

/// The keys put together at run time from the domain's values, which the
/// scan above cannot see: each status's name, what happens next and its
/// email; each country's names for its address fields; each bank scheme's
/// account types; each role's name.
#[test]
fn every_key_built_from_a_domain_value_is_in_every_catalog() {
    use enroll_core::address::AddressField;
    use enroll_core::bank::BankScheme;
    use enroll_core::reference::vendored_address_formats;
    use enroll_core::ApplicationStatus;

    let mut built = Vec::new();
    for status in ApplicationStatus::ALL {
        built.push(format!("status.{}", status.as_str()));
        built.push(format!("status.{}.next", status.as_str()));
        if let Some(email) = status.email_key() {
            built.extend([format!("{email}.subject"), format!("{email}.body")]);
        }
    }
    let fields = [
        AddressField::StreetLines,
        AddressField::DependentLocality,
        AddressField::Locality,
        AddressField::Region,
        AddressField::PostalCode,
        AddressField::SortingCode,
    ];
    for (country, format) in vendored_address_formats() {
        built.extend(fields.map(|field| format.label_key(field)));
        let scheme = BankScheme::for_country(&country);
        built.extend(
            scheme
                .account_types()
                .iter()
                .map(|kind| format!("bank.account_type.{kind}")),
        );
    }
    for role in enroll_core::account::Role::ALL {
        built.push(format!("role.{}", role.as_str()));
    }
    built.sort();
    built.dedup();
    let missing: Vec<String> = Locale::ALL
        .into_iter()
        .flat_map(|locale| {
            let catalog = Catalog::get(locale);
            built
                .iter()
                .filter(|key| !catalog.keys().any(|k| k == key.as_str()))
                .map(move |key| format!("{}: {key}", locale.tag()))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "keys built at run time, not in the catalog:\n{}",
        missing.join("\n")
    );
}

/// The app carries one book of messages (`locales/<locale>.txt`) and
/// fetches the account's with the account's part: every key the app names
/// outside `src/account/` must be in the book it carries, or it shows as
/// the bare key. (These tests see every book: enroll-core's tests build
/// with all of them.)
#[test]
fn the_app_names_outside_its_account_part_only_keys_of_the_book_it_carries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    files.retain(|f| !f.starts_with(root.join("src/account")));
    let english = Catalog::get(Locale::EnUs);
    let first_words: Vec<&str> = english
        .keys()
        .filter_map(|key| key.split('.').next())
        .collect();
    let mut outside = Vec::new();
    for locale in Locale::ALL {
        let book = std::fs::read_to_string(root.join(format!("locales/{}.txt", locale.tag())))
            .expect("the core book");
        let carried: Vec<&str> = book
            .lines()
            .filter(|line| !line.starts_with('#'))
            .filter_map(|line| Some(line.split_once('=')?.0.trim()))
            .collect();
        for file in &files {
            let source = std::fs::read_to_string(file).expect("a source file");
            for (key, in_a_call) in key_shaped(&source) {
                let first = key.split('.').next().unwrap_or_default();
                let looks_like_a_key = first_words.contains(&first) && Field::parse(&key).is_none();
                if (in_a_call || looks_like_a_key) && !carried.contains(&key.as_str()) {
                    outside.push(format!("{} in {}: {key}", locale.tag(), file.display()));
                }
            }
        }
    }
    assert!(
        outside.is_empty(),
        "keys the app needs before the account's book is fetched, in another book:\n{}",
        outside.join("\n")
    );
}
