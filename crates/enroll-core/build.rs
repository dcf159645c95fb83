//! The message keys as constants, written from the catalogs in `locales/`
//! at build time (`enroll_core::msg`): code names a message by a constant,
//! so a key that no catalog has does not compile. Each book's locales must
//! have the same keys (but for the plural forms a language lacks), or the
//! build stops here, naming the keys.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// The books (`enroll_core::i18n::Book`) and the module each one's
/// constants go in: the core book's at `msg::`, the others one level down,
/// so the book a key comes from shows where it is named.
const BOOKS: [(&str, &str); 5] = [
    ("", ""),
    ("account/", "account"),
    ("emails/", "email"),
    ("partners/", "partners"),
    ("finder/", "finder"),
];

const LOCALES: [&str; 2] = ["en-US", "zh-CN"];

/// Plural categories a language may leave out (Chinese has no `one`);
/// `other` every language has.
const OPTIONAL_PLURAL_FORMS: [&str; 5] = ["zero", "one", "two", "few", "many"];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    let mut out =
        String::from("// Written by build.rs from locales/: one constant per message key.\n");
    let mut problems = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    for (folder, module) in BOOKS {
        let mut books = Vec::new();
        for locale in LOCALES {
            let path = root.join(format!("{folder}{locale}.txt"));
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            books.push((locale, entries(&text)));
        }
        let (first, english) = &books[0];
        for (locale, other) in &books[1..] {
            // A plural form one language has and another lacks (Chinese
            // has no `one`, Russian adds `few`) is no disagreement.
            let is_plural_form = |key: &str| {
                key.rsplit_once('.').is_some_and(|(stem, form)| {
                    OPTIONAL_PLURAL_FORMS.contains(&form)
                        && english.contains_key(&format!("{stem}.other"))
                })
            };
            for key in english.keys().filter(|k| !is_plural_form(k)) {
                if !other.contains_key(key) {
                    problems.push(format!("{locale}/{folder}: no `{key}` (en-US has it)"));
                }
            }
            for key in other
                .keys()
                .filter(|k| !english.contains_key(*k) && !is_plural_form(k))
            {
                problems.push(format!("{first}/{folder}: no `{key}` ({locale} has it)"));
            }
        }
        if !module.is_empty() {
            writeln!(out, "pub mod {module} {{\n    use super::*;").unwrap();
        }
        let plural_stems: BTreeSet<&str> = english
            .keys()
            .filter_map(|k| k.strip_suffix(".other"))
            .collect();
        for (key, text) in english {
            let plural_stem = plural_stems
                .iter()
                .find(|stem| key.strip_prefix(**stem).is_some_and(is_form_suffix));
            let (key, kind) = match plural_stem {
                // A plural message is one constant, named by its stem.
                Some(stem) if key.ends_with(".other") => (*stem, "PluralKey"),
                Some(_) => continue,
                None => (key.as_str(), "MessageKey"),
            };
            let name = const_name(key);
            if let Some(earlier) = names.insert(name.clone(), key.to_owned()) {
                problems.push(format!("`{earlier}` and `{key}` both make {name}"));
            }
            let shown: String = text.chars().take(120).collect();
            writeln!(
                out,
                "/// {}\npub const {name}: {kind} = {kind}({key:?});",
                shown.replace('\n', " ")
            )
            .unwrap();
        }
        if !module.is_empty() {
            out.push_str("}\n");
        }
    }
    if !problems.is_empty() {
        panic!(
            "the message catalogs in locales/ do not agree:\n{}",
            problems.join("\n")
        );
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("message_keys.rs");
    std::fs::write(target, out).unwrap();
}

/// A book's `key = text` lines, as `i18n.rs` reads them.
fn entries(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (key, text) = line.split_once('=')?;
            Some((key.trim().to_owned(), text.trim().to_owned()))
        })
        .collect()
}

/// Whether `rest` (what follows a plural stem) is one of its forms.
fn is_form_suffix(rest: &str) -> bool {
    rest.strip_prefix('.')
        .is_some_and(|form| form == "other" || OPTIONAL_PLURAL_FORMS.contains(&form))
}

/// `start.need_mpn` → `START_NEED_MPN`.
fn const_name(key: &str) -> String {
    let name: String = key
        .chars()
        .map(|c| match c {
            '.' => '_',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    assert!(
        name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && name.starts_with(|c: char| c.is_ascii_alphabetic()),
        "`{key}` cannot name a constant: keys are lower-case words, digits and `_`, between dots"
    );
    name
}
