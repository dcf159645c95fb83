//! Building the index's term list: every term of every provider, folded,
//! given an id as it is first seen (a hash table of its own), posted to its
//! providers, then sorted so that a prefix is a contiguous run.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::{gather, nth, Field};
use crate::fold::{fold_words, is_cjk};

/// FxHash (the multiply-rotate hash of Firefox and rustc): several times
/// faster than the default SipHash on short words, and the index is built
/// from the directory's own data, so there is no attacker to resist.
#[derive(Default, Clone, Copy)]
pub(super) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Collects terms and their postings while the index is built: the terms'
/// text in one string, found again through an open-addressing table, and
/// every posting as (term, posting), gathered by term into one array at the
/// end. A few large vectors instead of a `String` and a `Vec` per term:
/// allocation was most of the build time in the browser.
pub(super) struct Terms {
    text: String,
    ends: Vec<u32>,
    /// Term id + 1 per slot (0: empty); a power of two long.
    slots: Vec<u32>,
    /// (term, `id << 3 | field`), in the order they were posted.
    posted: Vec<(u32, u32)>,
}

impl Terms {
    pub(super) fn new() -> Self {
        Self {
            text: String::new(),
            ends: Vec::new(),
            slots: vec![0; 1 << 12],
            posted: Vec::new(),
        }
    }

    fn text(&self, id: u32) -> &str {
        nth(&self.text, &self.ends, id as usize)
    }

    fn hash(term: &str) -> usize {
        let mut hasher = FxHasher::default();
        hasher.write(term.as_bytes());
        hasher.finish() as usize
    }

    fn id(&mut self, term: &str) -> u32 {
        let mask = self.slots.len() - 1;
        let mut slot = Self::hash(term) & mask;
        loop {
            match self.slots[slot] {
                0 => break,
                taken if self.text(taken - 1) == term => return taken - 1,
                _ => slot = (slot + 1) & mask,
            }
        }
        let id = self.ends.len() as u32;
        self.text.push_str(term);
        self.ends.push(self.text.len() as u32);
        self.slots[slot] = id + 1;
        // At most half full, so probes stay short.
        if self.ends.len() * 2 > self.slots.len() {
            self.grow();
        }
        id
    }

    fn grow(&mut self) {
        let mut slots = vec![0u32; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for id in 0..self.ends.len() as u32 {
            let mut slot = Self::hash(self.text(id)) & mask;
            while slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
        }
        self.slots = slots;
    }

    /// The terms of `text` with the field each is in: the first word (or
    /// a CJK run's first suffix) in `first`, the rest in `rest`.
    pub(super) fn of(&mut self, text: &str, first: Field, rest: Field) -> Vec<(u32, Field)> {
        let mut out = Vec::new();
        self.of_folded(&fold_words(text), first, rest, &mut out);
        out
    }

    /// Like `of`, for text already folded, into `out` (cleared first).
    pub(super) fn of_folded(
        &mut self,
        folded: &str,
        first: Field,
        rest: Field,
        out: &mut Vec<(u32, Field)>,
    ) {
        out.clear();
        // `fold_words` left one space between words: no need to tokenize.
        for (position, word) in folded.split(' ').filter(|w| !w.is_empty()).enumerate() {
            let field = |at_start: bool| if at_start { first } else { rest };
            if word.chars().next().is_some_and(is_cjk) {
                for (offset, _) in word.char_indices() {
                    let id = self.id(&word[offset..]);
                    out.push((id, field(position == 0 && offset == 0)));
                }
            } else {
                out.push((self.id(word), field(position == 0)));
            }
        }
    }

    /// Posts `terms` for `id`: a document, or a city, product or service
    /// (see `ProviderIndex::postings`).
    pub(super) fn post(&mut self, terms: &[(u32, Field)], id: u32) {
        for &(term, field) in terms {
            self.posted.push((term, id << 3 | field as u32));
        }
    }

    /// The terms in sorted order, one after another with their ends, and
    /// their postings likewise.
    pub(super) fn finish(self) -> (String, Vec<u32>, Vec<u32>, Vec<u32>) {
        let mut sorted: Vec<u32> = (0..self.ends.len() as u32).collect();
        sorted.sort_unstable_by(|&a, &b| self.text(a).cmp(self.text(b)));
        let mut text = String::with_capacity(self.text.len());
        let mut ends = Vec::with_capacity(sorted.len());
        // Each term's place in sorted order, by term id.
        let mut rank = vec![0u32; sorted.len()];
        for (place, &id) in sorted.iter().enumerate() {
            text.push_str(self.text(id));
            ends.push(text.len() as u32);
            rank[id as usize] = place as u32;
        }
        let ranked = self
            .posted
            .iter()
            .map(|&(term, posting)| (rank[term as usize], posting));
        let (postings, posting_ends) = gather(sorted.len(), ranked);
        (text, ends, postings, posting_ends)
    }
}
