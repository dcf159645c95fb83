//! The message catalog shared by the app and the API.
//!
//! Messages live in `locales/` at the repository root, one `key = text`
//! per line, `{name}` for a parameter, `\n` for a line break and `\\` for
//! a backslash. A tiny format instead of an i18n crate keeps the wasm small
//! and leaves the host page's `<html>`, cookies and storage alone.
//!
//! They come in books (`Book`): what the first page and the wizard say is
//! compiled into every build; the emails only into the server's; the
//! partner account's the server compiles in and the app fetches with the
//! account's part (`Catalog::add`), so the first page's download does not
//! carry them.

use crate::Problem;
use std::borrow::Cow;
use std::sync::OnceLock;

type Entry = (&'static str, Cow<'static, str>);

/// A message's key: one of the constants in `crate::msg`, which build.rs
/// writes from the catalogs, so the code cannot name a key they lack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MessageKey(pub(crate) &'static str);

impl MessageKey {
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

/// The two messages an email is worded by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmailWording {
    pub subject: MessageKey,
    pub body: MessageKey,
}

/// A message with plural forms, named by its stem (`finder.count`): the
/// catalogs hold `<stem>.other` and the forms a language adds (`.one`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PluralKey(pub(crate) &'static str);

impl PluralKey {
    /// The key of one plural category's form (`one`, `other`, …).
    pub fn form(self, category: &str) -> String {
        format!("{}.{category}", self.0)
    }
}

/// The books each locale's catalog was given at run time (by `Locale as
/// usize`, then `Book::added_slot`).
static ADDED: [[OnceLock<Vec<Entry>>; 3]; 2] = [
    [OnceLock::new(), OnceLock::new(), OnceLock::new()],
    [OnceLock::new(), OnceLock::new(), OnceLock::new()],
];

fn sorted(mut entries: Vec<Entry>) -> Vec<Entry> {
    entries.sort_by_key(|(key, _)| *key);
    entries
}

fn find_in<'a>(entries: &'a [Entry], key: &str) -> Option<&'a str> {
    entries
        .binary_search_by_key(&key, |(k, _)| *k)
        .ok()
        .map(|i| entries[i].1.as_ref())
}

/// The `key = text` lines of a book.
fn entries_of(source: &'static str) -> impl Iterator<Item = Entry> {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let (key, text) = line.split_once('=')?;
            Some((key.trim(), unescape(text.trim())))
        })
}

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

    /// The text of the core book in this locale.
    fn core_source(self) -> &'static str {
        match self {
            Self::EnUs => include_str!("../../../locales/en-US.txt"),
            Self::ZhCn => include_str!("../../../locales/zh-CN.txt"),
        }
    }

    /// The text of `book` in this locale. Only where every book is built
    /// in: in the app, naming the others would put their text in the wasm.
    #[cfg(feature = "all-messages")]
    pub fn source(self, book: Book) -> &'static str {
        match (book, self) {
            (Book::Core, _) => self.core_source(),
            (Book::Emails, Self::EnUs) => include_str!("../../../locales/emails/en-US.txt"),
            (Book::Emails, Self::ZhCn) => include_str!("../../../locales/emails/zh-CN.txt"),
            (Book::Account, Self::EnUs) => include_str!("../../../locales/account/en-US.txt"),
            (Book::Account, Self::ZhCn) => include_str!("../../../locales/account/zh-CN.txt"),
            (Book::Partners, Self::EnUs) => include_str!("../../../locales/partners/en-US.txt"),
            (Book::Partners, Self::ZhCn) => include_str!("../../../locales/partners/zh-CN.txt"),
            (Book::Finder, Self::EnUs) => include_str!("../../../locales/finder/en-US.txt"),
            (Book::Finder, Self::ZhCn) => include_str!("../../../locales/finder/zh-CN.txt"),
        }
    }

    /// The texts of the books this build carries.
    fn built_in(self) -> Vec<&'static str> {
        #[cfg(feature = "all-messages")]
        return Book::ALL.iter().map(|book| self.source(*book)).collect();
        #[cfg(not(feature = "all-messages"))]
        return vec![self.core_source()];
    }
}

/// A book of messages: which builds carry it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Book {
    /// The first page's and the wizard's: every build.
    Core,
    /// The emails: the server's build only.
    Emails,
    /// The partner account's pages: the server's build, and the app once
    /// the account's part loads.
    Account,
    /// The business profile's, the referrals' and the find-a-partner
    /// page's, with the vocabularies they share: the server's build, and
    /// the app once one of those parts loads.
    Partners,
    /// The provider finder's: the server's build, and the app once the
    /// finder's part loads (its 5.9 KB of text, both languages, are not
    /// the first page's download).
    Finder,
}

impl Book {
    pub const ALL: [Book; 5] = [
        Book::Core,
        Book::Emails,
        Book::Account,
        Book::Partners,
        Book::Finder,
    ];

    /// Its name where it is served (`/reference/messages/{name}`) and
    /// in `locales/`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Core => "core",
            Self::Emails => "emails",
            Self::Account => "account",
            Self::Partners => "partners",
            Self::Finder => "finder",
        }
    }

    /// Its place among the books the app adds at run time; none for the
    /// ones it carries or never shows.
    fn added_slot(self) -> Option<usize> {
        match self {
            Self::Account => Some(0),
            Self::Partners => Some(1),
            Self::Finder => Some(2),
            Self::Core | Self::Emails => None,
        }
    }
}

/// The messages of one locale, falling back to en-US for a missing key.
#[derive(Debug)]
pub struct Catalog {
    locale: Locale,
    entries: Vec<Entry>,
}

impl Catalog {
    /// The catalog of a locale: the books built in, parsed once per
    /// process, and the one added since, if any.
    pub fn get(locale: Locale) -> &'static Catalog {
        static EN: OnceLock<Catalog> = OnceLock::new();
        static ZH: OnceLock<Catalog> = OnceLock::new();
        let cell = match locale {
            Locale::EnUs => &EN,
            Locale::ZhCn => &ZH,
        };
        cell.get_or_init(|| Catalog::parse(locale, locale.built_in().into_iter()))
    }

    /// Adds `book`, fetched at run time (`text`, in the format above), to
    /// the locale's catalog; once: the same book again is left out (the
    /// app fetches the account's and the partners' books, each with the
    /// part that shows it).
    pub fn add(locale: Locale, book: Book, text: &'static str) {
        if let Some(slot) = book.added_slot() {
            let _ = ADDED[locale as usize][slot].set(sorted(entries_of(text).collect()));
        }
    }

    /// Whether `book` was added at run time already (to every locale at
    /// once, as the app adds them): a part opened again need not fetch it.
    pub fn added(book: Book) -> bool {
        book.added_slot()
            .is_some_and(|slot| ADDED.iter().all(|books| books[slot].get().is_some()))
    }

    fn parse(locale: Locale, sources: impl Iterator<Item = &'static str>) -> Self {
        Self {
            locale,
            entries: sorted(sources.flat_map(entries_of).collect()),
        }
    }

    /// The text of a key in this locale: its built-in books, then the one
    /// added at run time.
    fn lookup_own(&self, key: &str) -> Option<&str> {
        find_in(&self.entries, key).or_else(|| {
            ADDED[self.locale as usize]
                .iter()
                .find_map(|added| find_in(added.get()?, key))
        })
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
        let own = self.lookup_own(key);
        match (own, self.locale) {
            (Some(text), _) => Some(text),
            (None, Locale::EnUs) => None,
            (None, _) => Catalog::get(Locale::EnUs).lookup(key),
        }
    }

    /// The text of a message.
    pub fn text(&self, key: MessageKey) -> String {
        self.text_of(key.as_str())
    }

    /// The text of a key that comes from data (a problem's `label_key`);
    /// the key itself when no catalog has it, so a missing message is
    /// visible rather than blank.
    pub fn text_of(&self, key: &str) -> String {
        self.lookup(key).unwrap_or(key).to_owned()
    }

    /// The text of a key with its `{name}` placeholders filled in, in one
    /// pass over the message: a value is put in as given, so a value that
    /// itself holds `{name}` is never filled in again. A placeholder with
    /// no value stays as written.
    pub fn format(&self, key: MessageKey, params: &[(&str, &str)]) -> String {
        self.format_of(key.as_str(), params)
    }

    /// `format` for a key that comes from data (see `text_of`).
    pub fn format_of(&self, key: &str, params: &[(&str, &str)]) -> String {
        Self::fill(self.lookup(key).unwrap_or(key), params)
    }

    /// `text` with its `{name}` placeholders filled in, as `format` does
    /// (the API's emails fill an HTML-escaped message this way).
    pub fn fill(text: &str, params: &[(&str, &str)]) -> String {
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
        let label = problem.params.get("label_key").map(|k| self.text_of(k));
        let params: Vec<(&str, &str)> = problem
            .params
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(label.as_deref().map(|l| ("label", l)))
            .collect();
        self.format_of(&key, &params)
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
    use crate::msg;
    use crate::{Field, ProblemCode};

    #[test]
    fn line_breaks_and_backslashes_are_written_escaped() {
        assert_eq!(unescape(r"Hello,\n\nBye"), "Hello,\n\nBye");
        assert_eq!(unescape(r"C:\\dir \t"), r"C:\dir \t");
        for locale in Locale::ALL {
            let body = Catalog::get(locale).format(msg::email::EMAIL_STATUS_SUBMITTED_BODY, &[]);
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
            msg::email::EMAIL_REASON,
            &[("reason", "Use {reason} and {name}, 100% \\n")],
        );
        assert_eq!(text, "Reviewer's note: Use {reason} and {name}, 100% \\n");
        let text = en.format(
            msg::email::EMAIL_STATUS_SUBMITTED_BODY,
            &[("company", "{company}"), ("name", "{name}")],
        );
        assert!(text.starts_with("Hello {name},"), "{text}");
        assert!(text.contains("application of {company}."), "{text}");
        // A placeholder without a value, or a lone brace, stays.
        assert_eq!(
            en.format(msg::email::EMAIL_REASON, &[]),
            "Reviewer's note: {reason}"
        );
        assert_eq!(Catalog::fill("{ {x} }{", &[("x", "1")]), "{ 1 }{");
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
    fn each_key_is_in_one_book() {
        for locale in Locale::ALL {
            let mut seen = std::collections::HashSet::new();
            for book in Book::ALL {
                for (key, _) in entries_of(locale.source(book)) {
                    assert!(seen.insert(key), "{key} twice in {}", locale.tag());
                }
            }
        }
    }

    #[test]
    fn a_book_is_looked_up_after_the_built_in_ones() {
        // Built here without the account's book, which is added after.
        let core = Catalog::parse(Locale::ZhCn, std::iter::once(Locale::ZhCn.core_source()));
        assert_eq!(
            find_in(&core.entries, msg::account::ACCOUNT_SIGN_OUT.as_str()),
            None
        );
        let added = sorted(entries_of(Locale::ZhCn.source(Book::Account)).collect());
        assert_eq!(
            find_in(&added, msg::account::ACCOUNT_SIGN_OUT.as_str()),
            Some("退出登录")
        );
        // What a book added at run time holds is found after the built-in
        // ones (a key no book has: the shared catalog is built with every
        // book in the tests).
        assert_eq!(
            Catalog::get(Locale::ZhCn).lookup("test.added_at_run_time"),
            None
        );
        Catalog::add(
            Locale::ZhCn,
            Book::Account,
            "test.added_at_run_time = 运行时加上的",
        );
        // A second book is found beside the first; the same book again is
        // left out.
        Catalog::add(Locale::ZhCn, Book::Partners, "test.added_second = 第二本");
        Catalog::add(
            Locale::ZhCn,
            Book::Account,
            "test.added_at_run_time = 又一次",
        );
        let zh = Catalog::get(Locale::ZhCn);
        assert_eq!(zh.text_of("test.added_at_run_time"), "运行时加上的");
        assert!(!Catalog::added(Book::Account), "not yet in every locale");
        Catalog::add(
            Locale::EnUs,
            Book::Account,
            "test.added_at_run_time = added",
        );
        assert!(Catalog::added(Book::Account));
        assert_eq!(zh.text_of("test.added_second"), "第二本");
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
        let text = en.format(msg::START_HEADING, &[("program", "Example program")]);
        assert!(text.contains("Example program"), "{text}");
        assert!(!text.contains('{'));
    }
}
