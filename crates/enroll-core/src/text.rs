//! Text as applicants type and paste it: which characters an answer may
//! hold, how long each answer may be, and how an answer is shown where
//! the applicant's characters could do harm (an operator's terminal, an
//! email's subject).
//!
//! Refused everywhere: C0 and C1 control characters (ESC starts terminal
//! escape sequences, NUL ends C strings, CR/LF split email headers) and the
//! bidirectional embedding, override and isolate controls, which make text
//! display in another order than it is stored (U+202E shows "exe.txt" as
//! "txt.exe"). Line breaks are allowed only in multi-line text. Zero-width
//! joiner and non-joiner stay: Persian, Indic scripts and emoji need them.

use crate::{Answers, Field, Problem, ProblemCode};

/// Characters that come along with pasted text and mean nothing in an
/// answer: byte-order mark, zero-width space, soft hyphen. Removed.
const PASTED_INVISIBLES: [char; 3] = ['\u{FEFF}', '\u{200B}', '\u{00AD}'];

/// C0 (U+0000–001F), DEL and C1 (U+0080–009F).
pub fn is_control(c: char) -> bool {
    c.is_control()
}

/// U+202A–202E (embeddings, overrides) and U+2066–2069 (isolates).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Invisible characters that change how text reads or hide in it: the
/// directional marks (U+200E, U+200F, U+061C), the word joiner and the
/// invisible operators (U+2060–2064), interlinear annotation
/// (U+FFF9–FFFB), tag characters (U+E0000–E007F) and the Hangul fillers
/// (U+115F, U+1160, U+3164, U+FFA0). Zero-width joiner and non-joiner are
/// not among them: scripts need them.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{2060}'..='\u{2064}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

/// Whether `c` may not appear in an answer; `multiline` answers may hold
/// line breaks (LF, CR as in CRLF, and the Unicode line and paragraph
/// separators U+2028, U+2029) and tabs.
pub fn is_forbidden(c: char, multiline: bool) -> bool {
    let line_break = matches!(c, '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}');
    let allowed_in_multiline = line_break;
    is_bidi_control(c)
        || is_invisible(c)
        || ((is_control(c) || line_break) && !(multiline && allowed_in_multiline))
}

/// Whether `typed` holds an invisible character pasting brings along.
pub fn holds_pasted(typed: &str) -> bool {
    typed.chars().any(|c| PASTED_INVISIBLES.contains(&c))
}

/// `typed` without the invisible characters pasting brings along.
pub fn strip_pasted(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !PASTED_INVISIBLES.contains(c))
        .collect()
}

/// `value` safe for a terminal: every forbidden character written as
/// `\u{…}` (line breaks too), so what an operator sees is what is stored.
pub fn escape_unprintable(value: &str) -> String {
    let mut shown = String::with_capacity(value.len());
    for c in value.chars() {
        if is_forbidden(c, false) {
            shown.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            shown.push(c);
        }
    }
    shown
}

/// `value` as one line of at most `max_chars` characters, for an email's
/// subject or greeting: forbidden characters dropped, overlong text cut
/// with an ellipsis. Drafts may hold anything the applicant typed.
pub fn one_line(value: &str, max_chars: usize) -> String {
    let clean: String = value
        .trim()
        .chars()
        .filter(|c| !is_forbidden(*c, false) && !PASTED_INVISIBLES.contains(c))
        .collect();
    if clean.chars().count() <= max_chars {
        return clean;
    }
    let mut cut: String = clean.chars().take(max_chars.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The longest answer a field may hold, in characters: checked on every
/// save (a draft is not a free store of text) and by validation. Stated
/// here once; the section rules use these numbers.
pub mod caps {
    /// A person's given or family name.
    pub const PERSON_NAME: usize = 100;
    /// A company's legal name.
    pub const LEGAL_NAME: usize = 160;
    /// The bank account holder's name (SEPA allows 70; SWIFT up to 140).
    pub const ACCOUNT_HOLDER: usize = 140;
    /// One address field or street line.
    pub const ADDRESS_FIELD: usize = 200;
    /// Street lines in an address.
    pub const ADDRESS_LINES: usize = 4;
    /// An email address (RFC 5321's path limit).
    pub const EMAIL: usize = 254;
    /// A web address.
    pub const WEBSITE: usize = 2000;
    /// A DNS name (RFC 1035).
    pub const DOMAIN: usize = 253;
    /// Codes and numbers (IBAN, BIC, routing codes, tax IDs, phone numbers,
    /// postal codes, country codes): far above any real one, with spaces.
    pub const CODE: usize = 64;
    /// Free text an applicant writes (a message to a provider).
    pub const MESSAGE: usize = 1000;
}

/// The cap of a text answer (every text answer has one).
pub fn max_chars(field: Field) -> usize {
    match field {
        Field::FirstName | Field::LastName => caps::PERSON_NAME,
        Field::LegalName => caps::LEGAL_NAME,
        Field::AccountHolder => caps::ACCOUNT_HOLDER,
        Field::Email => caps::EMAIL,
        Field::Website => caps::WEBSITE,
        Field::CspDomain | Field::CorporateDomain => caps::DOMAIN,
        Field::Locality | Field::Region | Field::DependentLocality | Field::StreetLine(_) => {
            caps::ADDRESS_FIELD
        }
        _ => caps::CODE,
    }
}

/// The answers a save refuses: any over its cap, or too many street
/// lines. What a save keeps otherwise is what was typed, control
/// characters included (nothing typed is lost; validation asks for them
/// to go).
pub fn cap_problems(answers: &Answers) -> Vec<Problem> {
    let mut problems = Vec::new();
    if answers.address.lines.len() > caps::ADDRESS_LINES {
        problems.push(
            Problem::new(Field::StreetLines, ProblemCode::TooLong)
                .with_param("max", caps::ADDRESS_LINES.to_string()),
        );
    }
    answers.each_text(|field, value| {
        let max = max_chars(field);
        if value.chars().count() > max {
            problems
                .push(Problem::new(field, ProblemCode::TooLong).with_param("max", max.to_string()));
        }
    });
    problems
}

/// The answers holding a character no answer may hold, one problem each.
pub fn character_problems(answers: &Answers) -> Vec<Problem> {
    let mut problems = Vec::new();
    answers.each_text(|field, value| {
        if value.chars().any(|c| is_forbidden(c, false)) {
            problems.push(Problem::new(field, ProblemCode::ControlCharacter));
        }
    });
    problems
}

/// What is wrong with `value` as one line of at most `max` characters,
/// where `path` names it: a character no answer may hold, or too long.
/// For text outside the application's answers (a user added to an
/// account), refused as the answers' are, never silently changed.
pub fn line_problem(path: &str, value: &str, max: usize) -> Option<Problem> {
    if value.chars().any(|c| is_forbidden(c, false)) {
        Some(Problem::at(path, ProblemCode::ControlCharacter))
    } else if value.chars().count() > max {
        Some(Problem::at(path, ProblemCode::TooLong).with_param("max", max.to_string()))
    } else {
        None
    }
}

/// A line that must be given: required, then `line_problem`.
pub fn required_line(path: &str, value: &str, max: usize) -> Option<Problem> {
    if value.is_empty() {
        return Some(Problem::at(path, ProblemCode::Required));
    }
    line_problem(path, value, max)
}

/// Removes what pasting brings along from every answer.
pub fn strip_pasted_answers(answers: &mut Answers) {
    answers.each_text_mut(|_, value| {
        if holds_pasted(value) {
            *value = strip_pasted(value);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_refused_for_a_control_character_then_for_its_length() {
        assert_eq!(line_problem("name", "Sam Lee", 7), None);
        let long = line_problem("name", "Sam Lee!", 7).expect("too long");
        assert_eq!(
            (long.code, long.params.get("max").map(String::as_str)),
            (ProblemCode::TooLong, Some("7"))
        );
        let control = line_problem("name", "Sam\u{1b}", 100).expect("a control");
        assert_eq!(control.code, ProblemCode::ControlCharacter);
        assert_eq!(
            line_problem("name", "Zoë\u{200d}", 100),
            None,
            "joiners stay"
        );
    }

    #[test]
    fn invisible_characters_are_forbidden_the_joiners_are_not() {
        for c in [
            '\u{200e}',
            '\u{200f}',
            '\u{61c}',
            '\u{2060}',
            '\u{2064}',
            '\u{fff9}',
            '\u{fffb}',
            '\u{e0001}',
            '\u{e007f}',
            '\u{115f}',
            '\u{1160}',
            '\u{3164}',
            '\u{ffa0}',
        ] {
            assert!(is_forbidden(c, false), "{c:?}");
            assert!(is_forbidden(c, true), "{c:?} in multi-line text");
            assert!(
                escape_unprintable(&format!("a{c}b")).contains("\\u{"),
                "{c:?} shown escaped"
            );
        }
        for c in ['\u{2028}', '\u{2029}'] {
            assert!(is_forbidden(c, false), "{c:?} breaks a one-line answer");
            assert!(!is_forbidden(c, true), "{c:?} is a line break in a message");
        }
        for c in ['\u{200d}', '\u{200c}', 'é', '中', '👍'] {
            assert!(!is_forbidden(c, false), "{c:?}");
        }
    }

    #[test]
    fn controls_and_bidi_controls_are_forbidden_joiners_are_not() {
        for c in [
            '\0', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{202e}', '\u{2066}',
        ] {
            assert!(is_forbidden(c, false), "{c:?}");
            assert!(is_forbidden(c, true), "{c:?} in multi-line text");
        }
        for c in ['\n', '\r', '\t'] {
            assert!(is_forbidden(c, false), "{c:?} in one line");
            assert!(!is_forbidden(c, true), "{c:?} in multi-line text");
        }
        for c in ['a', 'é', '中', '\u{200c}', '\u{200d}', ' ', '\u{a0}'] {
            assert!(!is_forbidden(c, false), "{c:?}");
        }
    }

    #[test]
    fn pasted_invisibles_are_removed_and_nothing_else() {
        assert_eq!(
            strip_pasted("\u{feff}Con\u{ad}toso\u{200b} Ltd"),
            "Contoso Ltd"
        );
        assert_eq!(strip_pasted("می\u{200c}خواهم"), "می\u{200c}خواهم");
    }

    #[test]
    fn terminals_see_escapes_not_controls() {
        assert_eq!(
            escape_unprintable("Contoso\u{1b}[31m\u{202e}Ltd\n"),
            "Contoso\\u{1b}[31m\\u{202e}Ltd\\u{a}"
        );
    }

    #[test]
    fn email_lines_are_clean_and_short() {
        assert_eq!(one_line(" Jane\r\nBcc: x@y.z ", 100), "JaneBcc: x@y.z");
        assert_eq!(one_line(&"a".repeat(60_000), 5), "aaaa…");
        assert_eq!(one_line("简体中文", 4), "简体中文");
    }

    #[test]
    fn caps_name_the_field_and_the_number() {
        let mut answers = Answers::example();
        answers.admin.first_name = "x".repeat(60_000);
        answers.address.lines = vec!["y".repeat(201)];
        answers.bank.iban = "D".repeat(65);
        let found: Vec<(String, String)> = cap_problems(&answers)
            .into_iter()
            .map(|p| (p.field, p.params["max"].clone()))
            .collect();
        assert_eq!(
            found,
            [
                ("address.lines.0".to_owned(), "200".to_owned()),
                ("bank.iban".to_owned(), "64".to_owned()),
                ("admin.first_name".to_owned(), "100".to_owned()),
            ]
        );
        assert!(cap_problems(&Answers::example()).is_empty());
        answers.address.lines = vec![String::new(); 5];
        assert_eq!(cap_problems(&answers)[0].field, "address.lines");
    }

    #[test]
    fn every_text_answer_is_checked_for_characters() {
        let mut answers = Answers::default();
        answers.address.lines = vec![String::new(); 3];
        let mut paths = Vec::new();
        answers.each_text_mut(|field, value| {
            value.push('\u{1b}');
            paths.push(field.path().into_owned());
        });
        let found: Vec<String> = character_problems(&answers)
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(found, paths);
        assert_eq!(paths.len(), 26, "{paths:?}");
    }
}
