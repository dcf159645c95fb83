//! The message catalog shared by the app and the API.
//!
//! Messages live in `locales/<locale>.txt` at the repository root, one
//! `key = text` per line, `{name}` for a parameter, `\n` for a line break
//! and `\\` for a backslash. A tiny format instead of
//! an i18n crate keeps the wasm small and leaves the host page's `<html>`,
//! cookies and storage alone.

use crate::Problem;
use std::borrow::Cow;
use std::sync::OnceLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    #[default]
    EnUs,
    ZhCn,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::EnUs, Locale::ZhCn];

    /// The language's name in itself, for a switch between them.
    pub fn own_name(self) -> &'static str {
        match self {
            Self::EnUs => "English",
            Self::ZhCn => "中文",
        }
    }

    /// BCP 47 tag, as used in `lang` attributes and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::EnUs => "en-US",
            Self::ZhCn => "zh-CN",
        }
    }

    /// The best supported locale for a tag or an `Accept-Language` list;
    /// English when nothing matches.
    pub fn negotiate(accept: &str) -> Self {
        let mut ranked: Vec<(f32, &str)> = accept
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse::<f32>().ok())
                    .unwrap_or(1.0);
                (!tag.is_empty()).then_some((quality, tag))
            })
            .collect();
        // Stable sort keeps the listed order among equal qualities.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked
            .into_iter()
            .filter(|(q, _)| *q > 0.0)
            .find_map(|(_, tag)| Self::from_tag(tag))
            .unwrap_or_default()
    }

    /// A supported locale for one language tag (`zh`, `zh-Hans-CN`, `en-GB`).
    pub fn from_tag(tag: &str) -> Option<Self> {
        let language = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        match language.as_str() {
            "en" => Some(Self::EnUs),
            "zh" => Some(Self::ZhCn),
            _ => None,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Self::EnUs => include_str!("../../../locales/en-US.txt"),
            Self::ZhCn => include_str!("../../../locales/zh-CN.txt"),
        }
    }
}

/// The messages of one locale, falling back to en-US for a missing key.
#[derive(Debug)]
pub struct Catalog {
    locale: Locale,
    entries: Vec<(&'static str, Cow<'static, str>)>,
}

impl Catalog {
    /// The catalog of a locale, parsed once per process.
    pub fn get(locale: Locale) -> &'static Catalog {
        static EN: OnceLock<Catalog> = OnceLock::new();
        static ZH: OnceLock<Catalog> = OnceLock::new();
        let cell = match locale {
            Locale::EnUs => &EN,
            Locale::ZhCn => &ZH,
        };
        cell.get_or_init(|| Catalog::parse(locale, locale.source()))
    }

    fn parse(locale: Locale, source: &'static str) -> Self {
        let mut entries: Vec<(&str, Cow<'static, str>)> = source
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .filter_map(|line| {
                let (key, text) = line.split_once('=')?;
                Some((key.trim(), unescape(text.trim())))
            })
            .collect();
        entries.sort_by_key(|(key, _)| *key);
        Self { locale, entries }
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// This locale's own keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|(key, _)| *key)
    }

    /// The raw text of a key, if this locale or en-US has it.
    pub fn lookup(&self, key: &str) -> Option<&str> {
        let own = self
            .entries
            .binary_search_by_key(&key, |(k, _)| *k)
            .ok()
            .map(|i| self.entries[i].1.as_ref());
        match (own, self.locale) {
            (Some(text), _) => Some(text),
            (None, Locale::EnUs) => None,
            (None, _) => Catalog::get(Locale::EnUs).lookup(key),
        }
    }

    /// The text of a key; the key itself when no catalog has it, so a
    /// missing message is visible rather than blank.
    pub fn text(&self, key: &str) -> String {
        self.lookup(key).unwrap_or(key).to_owned()
    }

    /// The text of a key with its `{name}` placeholders filled in, in one
    /// pass over the message: a value is put in as given, so a value that
    /// itself holds `{name}` is never filled in again. A placeholder with
    /// no value stays as written.
    pub fn format(&self, key: &str, params: &[(&str, &str)]) -> String {
        let text = self.lookup(key).unwrap_or(key);
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let value = after.find('}').and_then(|close| {
                let name = &after[..close];
                let value = params.iter().find(|(n, _)| *n == name)?.1;
                Some((value, close))
            });
            match value {
                Some((value, close)) => {
                    out.push_str(value);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The message for a problem: `problem.<field>.<code>` when the field has
    /// its own wording (GOV.UK style: "Enter your MPN ID"), else
    /// `problem.<code>`.
    pub fn problem_message(&self, problem: &Problem) -> String {
        let field_key = format!("problem.{}.{}", problem.field, problem.code.as_str());
        let key = if self.lookup(&field_key).is_some() {
            field_key
        } else {
            format!("problem.{}", problem.code.as_str())
        };
        // A `label_key` param names a catalog entry ("address.label.zip"):
        // its text fills `{label}`, so "Enter your {label}" reads "Enter
        // your ZIP code" in the US and "Enter your postcode" elsewhere.
        let label = problem.params.get("label_key").map(|k| self.text(k));
        let params: Vec<(&str, &str)> = problem
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(label.as_deref().map(|l| ("label", l)))
            .collect();
        self.format(&key, &params)
    }
}

/// A catalog text as written in the file: `\n` a line break, `\\` a
/// backslash; any other backslash stays as it is.
fn unescape(text: &'static str) -> Cow<'static, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Field, ProblemCode};

    #[test]
    fn line_breaks_and_backslashes_are_written_escaped() {
        assert_eq!(unescape(r"Hello,\n\nBye"), "Hello,\n\nBye");
        assert_eq!(unescape(r"C:\\dir \t"), r"C:\dir \t");
        for locale in Locale::ALL {
            let body = Catalog::get(locale).format("email.status.submitted.body", &[]);
            assert!(
                body.contains('\n') && !body.contains(r"\n"),
                "{}: {body}",
                locale.tag()
            );
        }
    }

    #[test]
    fn values_are_put_in_once_and_as_given() {
        let en = Catalog::get(Locale::EnUs);
        let text = en.format(
            "email.reason",
            &[("reason", "Use {reason} and {name}, 100% \\n")],
        );
        assert_eq!(text, "Reviewer's note: Use {reason} and {name}, 100% \\n");
        let text = en.format(
            "email.status.submitted.subject",
            &[("company", "{company}")],
        );
        assert!(text.ends_with("for {company}"), "{text}");
        // A placeholder without a value, or a lone brace, stays.
        assert_eq!(en.format("email.reason", &[]), "Reviewer's note: {reason}");
        assert_eq!(en.format("{ {x} }{", &[("x", "1")]), "{ 1 }{");
    }

    #[test]
    fn accept_language_picks_the_best_supported_locale() {
        assert_eq!(Locale::negotiate("zh-CN,zh;q=0.9,en;q=0.8"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("fr-FR, en;q=0.5, zh;q=0.4"), Locale::EnUs);
        assert_eq!(Locale::negotiate("de, zh-Hans;q=0.9"), Locale::ZhCn);
        assert_eq!(Locale::negotiate("zh;q=0, en"), Locale::EnUs);
        assert_eq!(Locale::negotiate(""), Locale::EnUs);
        assert_eq!(Locale::negotiate(";;,,q=x"), Locale::EnUs);
    }

    /// The plural forms a language does not have (Chinese has no "one")
    /// may be missing from its catalog; `other` may not.
    fn is_plural_form(key: &str) -> bool {
        ["zero", "one", "two", "few", "many"]
            .iter()
            .any(|category| key.rsplit('.').next() == Some(category))
    }

    #[test]
    fn every_key_exists_in_every_locale() {
        let en = Catalog::get(Locale::EnUs);
        for locale in Locale::ALL {
            let catalog = Catalog::get(locale);
            let has = |catalog: &Catalog, key: &str| catalog.entries.iter().any(|(k, _)| *k == key);
            for key in en.keys().filter(|key| !is_plural_form(key)) {
                assert!(has(catalog, key), "{} lacks {key}", locale.tag());
            }
            for key in catalog.keys() {
                assert!(
                    has(en, key),
                    "{} has {key}, which en-US lacks",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn field_specific_wording_wins_over_the_generic_one() {
        let en = Catalog::get(Locale::EnUs);
        let specific = en.problem_message(&Problem::new(Field::MpnId, ProblemCode::Required));
        // The tax ID is optional: no wording of its own for "required".
        let generic = en.problem_message(&Problem::new(Field::TaxId, ProblemCode::Required));
        assert_eq!(specific, "Enter your MPN ID");
        assert_ne!(specific, generic);
        let zh = Catalog::get(Locale::ZhCn)
            .problem_message(&Problem::new(Field::MpnId, ProblemCode::Required));
        assert_ne!(zh, specific);
    }

    #[test]
    fn parameters_are_filled_in() {
        let en = Catalog::get(Locale::EnUs);
        let text = en.format("start.heading", &[("program", "Example program")]);
        assert!(text.contains("Example program"), "{text}");
        assert!(!text.contains('{'));
    }
}
