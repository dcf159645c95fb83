//! A small matcher for the regular-expression subset that libaddressinput's
//! postal-code patterns use: literals, `\d`, `\b`, `^`, `$`, `.`, classes
//! (`[A-HJ-NP-Z]`, `[\dA-Z]`, `[^...]`), groups (`(...)`, `(?:...)`),
//! alternation and the quantifiers `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`.
//!
//! Written here instead of using the `regex` crate, whose Unicode tables
//! would add hundreds of KB to the wasm (TOOLCHAIN.md). Patterns are
//! matched against the whole input (the data's patterns are unanchored).
//! Backtracking is fine: inputs are short (a postal code) and capped.

use std::cell::RefCell;

/// Inputs longer than this never match: no postal code is anywhere near it,
/// and it bounds the backtracking.
const MAX_INPUT_CHARS: usize = 64;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    root: Alternation,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Alternation(Vec<Vec<Item>>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct Item {
    atom: Atom,
    min: u32,
    max: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Atom {
    Char(char),
    Any,
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    Group(Alternation),
    Start,
    End,
    WordBoundary,
}

/// Why a pattern could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(pub String);

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unsupported pattern: {}", self.0)
    }
}

const UNBOUNDED: u32 = u32::MAX;
const DIGITS: (char, char) = ('0', '9');

/// Characters people type between the parts of a code, which the canonical
/// form may or may not have.
pub fn is_separator(c: char) -> bool {
    c == ' ' || c == '-'
}

impl Pattern {
    pub fn parse(source: &str) -> Result<Self, PatternError> {
        let chars: Vec<char> = source.chars().collect();
        let mut parser = Parser {
            chars: &chars,
            pos: 0,
        };
        let root = parser.alternation()?;
        if parser.pos != chars.len() {
            return Err(PatternError(format!("unexpected `)` in {source}")));
        }
        Ok(Self { root })
    }

    /// Whether the whole of `input` matches.
    pub fn is_full_match(&self, input: &str) -> bool {
        let chars: Vec<char> = input.chars().collect();
        if chars.len() > MAX_INPUT_CHARS {
            return false;
        }
        let matcher = Matcher {
            input: &chars,
            lenient: false,
            insertions: RefCell::new(Vec::new()),
        };
        matcher.alternation(&self.root, 0, &mut |pos| pos == chars.len())
    }

    /// Matches `core` (a code with its spaces and hyphens removed) as if
    /// the pattern's separators were optional, and returns the canonical
    /// form: `core` with the separators the pattern prefers put back.
    pub fn match_inserting_separators(&self, core: &str) -> Option<String> {
        let chars: Vec<char> = core.chars().collect();
        if chars.len() > MAX_INPUT_CHARS || chars.iter().any(|c| is_separator(*c)) {
            return None;
        }
        let matcher = Matcher {
            input: &chars,
            lenient: true,
            insertions: RefCell::new(Vec::new()),
        };
        if !matcher.alternation(&self.root, 0, &mut |pos| pos == chars.len()) {
            return None;
        }
        let insertions = matcher.insertions.into_inner();
        let mut out = String::with_capacity(chars.len() + insertions.len());
        let mut next = insertions.iter().peekable();
        for (i, c) in chars.iter().enumerate() {
            while let Some((_, sep)) = next.next_if(|(at, _)| *at == i) {
                out.push(*sep);
            }
            out.push(*c);
        }
        for (_, sep) in next {
            out.push(*sep);
        }
        Some(out)
    }
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Result<char, PatternError> {
        let c = self
            .peek()
            .ok_or_else(|| PatternError("unexpected end".into()))?;
        self.pos += 1;
        Ok(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Result<Alternation, PatternError> {
        let mut branches = vec![self.sequence()?];
        while self.eat('|') {
            branches.push(self.sequence()?);
        }
        Ok(Alternation(branches))
    }

    fn sequence(&mut self) -> Result<Vec<Item>, PatternError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let (min, max) = self.quantifier()?;
            items.push(Item { atom, min, max });
        }
        Ok(items)
    }

    fn atom(&mut self) -> Result<Atom, PatternError> {
        Ok(match self.next()? {
            '(' => {
                if self.eat('?') && !self.eat(':') {
                    return Err(PatternError("only (?:...) groups are supported".into()));
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return Err(PatternError("unclosed group".into()));
                }
                Atom::Group(inner)
            }
            '[' => self.class()?,
            '^' => Atom::Start,
            '$' => Atom::End,
            '.' => Atom::Any,
            '\\' => match self.next()? {
                'd' => Atom::Class {
                    ranges: vec![DIGITS],
                    negated: false,
                },
                'b' => Atom::WordBoundary,
                's' => Atom::Class {
                    ranges: vec![(' ', ' '), ('\t', '\t')],
                    negated: false,
                },
                c if c.is_ascii_alphanumeric() => {
                    return Err(PatternError(format!("unsupported escape \\{c}")))
                }
                c => Atom::Char(c),
            },
            c => Atom::Char(c),
        })
    }

    fn class(&mut self) -> Result<Atom, PatternError> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        loop {
            let c = self.next()?;
            let start = match c {
                ']' if ranges.is_empty() => return Err(PatternError("empty class".into())),
                ']' => break,
                '\\' => match self.next()? {
                    'd' => {
                        ranges.push(DIGITS);
                        continue;
                    }
                    'w' => {
                        ranges.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                        continue;
                    }
                    's' => {
                        ranges.extend([(' ', ' '), ('\t', '\t')]);
                        continue;
                    }
                    escaped => escaped,
                },
                c => c,
            };
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']') {
                self.pos += 1;
                let end = match self.next()? {
                    '\\' => self.next()?,
                    e => e,
                };
                if end < start {
                    return Err(PatternError(format!("bad range {start}-{end}")));
                }
                ranges.push((start, end));
            } else {
                ranges.push((start, start));
            }
        }
        Ok(Atom::Class { ranges, negated })
    }

    fn quantifier(&mut self) -> Result<(u32, u32), PatternError> {
        Ok(match self.peek() {
            Some('?') => {
                self.pos += 1;
                (0, 1)
            }
            Some('*') => {
                self.pos += 1;
                (0, UNBOUNDED)
            }
            Some('+') => {
                self.pos += 1;
                (1, UNBOUNDED)
            }
            Some('{') => {
                self.pos += 1;
                let min = self.number()?;
                let max = if self.eat(',') {
                    if self.peek() == Some('}') {
                        UNBOUNDED
                    } else {
                        self.number()?
                    }
                } else {
                    min
                };
                if !self.eat('}') || max < min {
                    return Err(PatternError("bad {n,m} quantifier".into()));
                }
                (min, max)
            }
            _ => (1, 1),
        })
    }

    fn number(&mut self) -> Result<u32, PatternError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars[start..self.pos].iter().collect();
        digits
            .parse()
            .map_err(|_| PatternError(format!("bad number `{digits}`")))
    }
}

struct Matcher<'a> {
    input: &'a [char],
    /// In lenient mode the input has no separators: a pattern separator is
    /// matched by inserting it (recorded in `insertions`).
    lenient: bool,
    insertions: RefCell<Vec<(usize, char)>>,
}

type Continuation<'k> = dyn FnMut(usize) -> bool + 'k;

impl Matcher<'_> {
    fn alternation(&self, alt: &Alternation, pos: usize, k: &mut Continuation) -> bool {
        alt.0.iter().any(|branch| self.sequence(branch, 0, pos, k))
    }

    fn sequence(&self, items: &[Item], index: usize, pos: usize, k: &mut Continuation) -> bool {
        match items.get(index) {
            None => k(pos),
            Some(_) => self.repeat(items, index, 0, pos, k),
        }
    }

    /// Greedy repetition of `items[index]`, `count` times matched so far.
    fn repeat(
        &self,
        items: &[Item],
        index: usize,
        count: u32,
        pos: usize,
        k: &mut Continuation,
    ) -> bool {
        let item = &items[index];
        if count < item.max {
            let more = self.atom(&item.atom, pos, &mut |next| {
                // An unbounded repeat of something empty would never end.
                if next == pos && item.max == UNBOUNDED {
                    return false;
                }
                self.repeat(items, index, count + 1, next, k)
            });
            if more {
                return true;
            }
        }
        count >= item.min && self.sequence(items, index + 1, pos, k)
    }

    fn atom(&self, atom: &Atom, pos: usize, k: &mut Continuation) -> bool {
        let current = self.input.get(pos).copied();
        match atom {
            Atom::Group(alt) => self.alternation(alt, pos, k),
            Atom::Start => pos == 0 && k(pos),
            Atom::End => pos == self.input.len() && k(pos),
            Atom::WordBoundary => {
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
                let before = pos.checked_sub(1).and_then(|p| self.input.get(p).copied());
                word(before) != word(current) && k(pos)
            }
            Atom::Char(c) if self.lenient && is_separator(*c) => self.insert(*c, pos, k),
            Atom::Class {
                ranges,
                negated: false,
            } if self.lenient && separators_only(ranges) => {
                // `[ \-]`: the hyphen is the more common canonical choice.
                let sep = if in_ranges(ranges, '-') { '-' } else { ' ' };
                self.insert(sep, pos, k)
            }
            Atom::Char(c) => current == Some(*c) && k(pos + 1),
            Atom::Any => current.is_some() && k(pos + 1),
            Atom::Class { ranges, negated } => {
                current.is_some_and(|c| in_ranges(ranges, c) != *negated) && k(pos + 1)
            }
        }
    }

    fn insert(&self, sep: char, pos: usize, k: &mut Continuation) -> bool {
        self.insertions.borrow_mut().push((pos, sep));
        if k(pos) {
            return true;
        }
        self.insertions.borrow_mut().pop();
        false
    }
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
}

fn separators_only(ranges: &[(char, char)]) -> bool {
    ranges.iter().all(|(lo, hi)| lo == hi && is_separator(*lo))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(pattern: &str, input: &str) -> bool {
        Pattern::parse(pattern).unwrap().is_full_match(input)
    }

    #[test]
    fn matches_the_whole_input_only() {
        assert!(full(r"\d{5}", "10117"));
        assert!(!full(r"\d{5}", "101170"), "unanchored data, anchored use");
        assert!(!full(r"\d{5}", "1011"));
        assert!(full(r"\d{3}-?\d{4}", "150-0001"));
        assert!(full(r"\d{3}-?\d{4}", "1500001"));
        assert!(!full(r"\d{3}-?\d{4}", "150--0001"));
    }

    #[test]
    fn classes_ranges_and_negation() {
        let ca = r"[ABCEGHJKLMNPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d";
        assert!(full(ca, "K1A 0B1"));
        assert!(!full(ca, "D1A 0B1"), "D is not a Canadian first letter");
        assert!(full(r"[^0-9]{2}", "AB"));
        assert!(!full(r"[^0-9]{2}", "A1"));
        assert!(full(r"[\dA-Z]{3}", "A1Z"));
        assert!(full(r"[ \-]", "-") && full(r"[ \-]", " "));
    }

    #[test]
    fn groups_alternation_and_counted_repeats() {
        let us = r"(\d{5})(?:[ \-](\d{4}))?";
        assert!(full(us, "94043"));
        assert!(full(us, "94043-1351"));
        assert!(!full(us, "94043-135"));
        assert!(full(r"\d{4,5}|\d{3}-\d{4}", "123-4567"));
        assert!(full(r"\d{4,5}|\d{3}-\d{4}", "1234"));
        assert!(!full(r"\d{4,5}|\d{3}-\d{4}", "123456"));
        assert!(full(r"(?:LIMA \d{1,2}|CALLAO 0?\d)|[0-2]\d{4}", "LIMA 12"));
        assert!(full(r"a{2,}", "aaaa") && !full(r"a{2,}", "a"));
        assert!(full(r"(?:^|\b)(?:1[0-2]|[1-9])\d{2}(?:$|\b)", "1234"));
    }

    #[test]
    fn separators_are_put_back_where_the_pattern_prefers_them() {
        let jp = Pattern::parse(r"\d{3}-?\d{4}").unwrap();
        assert_eq!(
            jp.match_inserting_separators("1500001").as_deref(),
            Some("150-0001")
        );
        let pl = Pattern::parse(r"\d{2}-\d{3}").unwrap();
        assert_eq!(
            pl.match_inserting_separators("00950").as_deref(),
            Some("00-950")
        );
        let us = Pattern::parse(r"(\d{5})(?:[ \-](\d{4}))?").unwrap();
        assert_eq!(
            us.match_inserting_separators("940431351").as_deref(),
            Some("94043-1351")
        );
        assert_eq!(
            us.match_inserting_separators("94043").as_deref(),
            Some("94043")
        );
        assert_eq!(pl.match_inserting_separators("0095"), None);
    }

    #[test]
    fn unsupported_syntax_is_an_error_not_a_wrong_answer() {
        assert!(Pattern::parse(r"(?=lookahead)").is_err());
        assert!(Pattern::parse(r"\p{L}").is_err());
        assert!(Pattern::parse(r"(open").is_err());
        assert!(Pattern::parse(r"a{3,1}").is_err());
        assert!(Pattern::parse(r"[z-a]").is_err());
    }

    #[test]
    fn very_long_input_never_matches() {
        assert!(!full(r"\d*", &"1".repeat(MAX_INPUT_CHARS + 1)));
        assert!(full(r"\d*", &"1".repeat(MAX_INPUT_CHARS)));
    }
}
