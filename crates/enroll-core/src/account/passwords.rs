//! The rule for a new password (NIST SP 800-63B): long enough, not a
//! common one, and (where the estimator is built in) not easy to guess
//! from the user's own words.

use std::collections::HashSet;

use super::limits;
use crate::{msg, MessageKey, ProblemCode};

/// Passwords too common to be chosen: a vendored list (the API loads it;
/// the app, which does not carry it, checks only the length).
#[derive(Clone, Debug, Default)]
pub struct CommonPasswords(HashSet<String>);

impl CommonPasswords {
    pub fn from_lines(text: &str) -> Self {
        Self(
            text.lines()
                .map(|line| line.trim().to_lowercase())
                .filter(|line| !line.is_empty())
                .collect(),
        )
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `password` is on the list, or is a listed word with only
    /// digits and symbols around it ("Password2026!", "!!qwertyuiop1"):
    /// what people add to a common password to pass a length rule.
    pub fn contains(&self, password: &str) -> bool {
        let lower = password.trim().to_lowercase();
        let core = lower.trim_matches(|c: char| !c.is_alphabetic());
        self.0.contains(&lower) || (core.chars().count() >= 4 && self.0.contains(core))
    }
}

/// What is wrong with `new` as a new password, if anything: too short,
/// too long, on the common list, or the same as `previous` (the temporary
/// password, or the one being changed). Checked on both sides; the app
/// passes an empty list.
pub fn new_password_problem(
    new: &str,
    previous: &str,
    common: &CommonPasswords,
) -> Option<ProblemCode> {
    let chars = new.chars().count();
    if new.trim().is_empty() {
        Some(ProblemCode::Required)
    } else if chars < limits::PASSWORD_MIN_CHARS {
        Some(ProblemCode::TooShort)
    } else if chars > limits::PASSWORD_MAX_CHARS {
        Some(ProblemCode::TooLong)
    } else if new == previous {
        Some(ProblemCode::SameAsPrevious)
    } else if common.contains(new) {
        Some(ProblemCode::CommonPassword)
    } else {
        None
    }
}

/// Words of the product itself, which a password should not lean on.
pub const PRODUCT_WORDS: &[&str] = &[
    "csp",
    "cloud solution provider",
    "partner",
    "partner center",
    "enroll",
    "enrollment",
];

/// Why a new password is easy to guess: the part that weighs most in the
/// estimate, each with its words (`label_key`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guessable {
    /// It leans on the user's own address, name, company, or the product.
    OwnWords,
    /// Common words, names or passwords.
    CommonWords,
    /// A row or pattern of keys (`qwertyuiop`).
    Keyboard,
    /// One character or a group repeated (`aaaa`, `abcabc`).
    Repeat,
    /// A sequence (`abcdef`, `123456`).
    Sequence,
    /// Dates and recent years.
    Dates,
    /// Too little of anything to be hard to guess.
    Short,
}

impl Guessable {
    pub const ALL: [Guessable; 7] = [
        Self::OwnWords,
        Self::CommonWords,
        Self::Keyboard,
        Self::Repeat,
        Self::Sequence,
        Self::Dates,
        Self::Short,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OwnWords => "own_words",
            Self::CommonWords => "common_words",
            Self::Keyboard => "keyboard",
            Self::Repeat => "repeat",
            Self::Sequence => "sequence",
            Self::Dates => "dates",
            Self::Short => "short",
        }
    }

    /// Why, in the words that end "This password is easy to guess: …".
    pub fn label_key(self) -> MessageKey {
        use msg::account::*;
        match self {
            Self::OwnWords => PASSWORD_WHY_OWN_WORDS,
            Self::CommonWords => PASSWORD_WHY_COMMON_WORDS,
            Self::Keyboard => PASSWORD_WHY_KEYBOARD,
            Self::Repeat => PASSWORD_WHY_REPEAT,
            Self::Sequence => PASSWORD_WHY_SEQUENCE,
            Self::Dates => PASSWORD_WHY_DATES,
            Self::Short => PASSWORD_WHY_SHORT,
        }
    }
}

/// The words a password of this user should not lean on: the address and
/// its parts, the names, the company's words, the product's words; lower
/// case, each of 3 characters or more.
pub fn own_words(email: &str, names: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = vec![email.trim().to_lowercase()];
    for text in std::iter::once(email).chain(names.iter().copied()) {
        let lower = text.trim().to_lowercase();
        words.push(lower.clone());
        words.extend(
            lower
                .split(|c: char| !c.is_alphanumeric())
                .map(str::to_owned),
        );
    }
    words.extend(PRODUCT_WORDS.iter().map(|w| (*w).to_owned()));
    // In the order given: the estimator ranks the first as likeliest.
    let mut seen = std::collections::HashSet::new();
    words.retain(|w| w.chars().count() >= 3 && seen.insert(w.clone()));
    words
}

/// What is left of `password` (lower case) once the user's own words are
/// taken out, in letters: fewer than `OWN_WORDS_MIN_REST` and the password
/// is only those words dressed up ("Contoso Ltd. 2026").
#[cfg(feature = "password-strength")]
fn letters_beside_own_words(password: &str, own_words: &[String]) -> Option<usize> {
    let lower = password.to_lowercase();
    let mut longest_first: Vec<&String> = own_words.iter().collect();
    longest_first.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let mut rest = lower.clone();
    for word in longest_first {
        rest = rest.replace(word.as_str(), " ");
    }
    (rest != lower).then(|| rest.chars().filter(|c| c.is_alphabetic()).count())
}

/// Fewer letters than this beside the user's own words, and a password is
/// refused as built on them.
#[cfg(feature = "password-strength")]
const OWN_WORDS_MIN_REST: usize = 6;

/// Whether `new` is too easy to guess (NIST SP 800-63B: compare it with
/// what attackers try first), and why: the zxcvbn estimator, given the
/// user's `own_words`, scores it below `limits::PASSWORD_MIN_SCORE`.
/// Only the API has the estimator (feature `password-strength`).
#[cfg(feature = "password-strength")]
pub fn guessable_password(new: &str, own_words: &[String]) -> Option<Guessable> {
    use zxcvbn::matching::patterns::MatchPattern;
    let new: String = new.chars().take(limits::PASSWORD_ESTIMATE_CHARS).collect();
    let new = new.as_str();
    let beside_own = letters_beside_own_words(new, own_words);
    if beside_own.is_some_and(|letters| letters < OWN_WORDS_MIN_REST) {
        return Some(Guessable::OwnWords);
    }
    let inputs: Vec<&str> = own_words.iter().map(String::as_str).collect();
    let estimate = zxcvbn::zxcvbn(new, &inputs);
    if u8::from(estimate.score()) >= limits::PASSWORD_MIN_SCORE {
        return None;
    }
    if beside_own.is_some() {
        return Some(Guessable::OwnWords);
    }
    // The pattern covering most of the password says why.
    let widest = estimate
        .sequence()
        .iter()
        .filter(|m| !matches!(m.pattern, MatchPattern::BruteForce))
        .max_by_key(|m| m.j + 1 - m.i);
    Some(match widest.map(|m| &m.pattern) {
        Some(MatchPattern::Dictionary(_)) => Guessable::CommonWords,
        Some(MatchPattern::Spatial(_)) => Guessable::Keyboard,
        Some(MatchPattern::Repeat(_)) => Guessable::Repeat,
        Some(MatchPattern::Sequence(_)) => Guessable::Sequence,
        Some(MatchPattern::Date(_) | MatchPattern::Regex(_)) => Guessable::Dates,
        Some(MatchPattern::BruteForce) | None => Guessable::Short,
    })
}
