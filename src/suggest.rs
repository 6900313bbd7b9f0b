//! "Did you mean" hints: the closest known name to a misspelt one.
//!
//! Each lookup does bounded work whatever the number of names, so a formula
//! with thousands of undefined names is still checked in linear time: only
//! names whose length could be within the allowed edit distance are compared,
//! at most [`MAX_COMPARED`] of them, and words longer than [`MAX_WORD_CHARS`]
//! get no hint (see docs/guarantees-io.md).

use std::collections::BTreeMap;

/// Most candidates compared by edit distance in one lookup; past it the hint
/// may miss a name (the nearest lengths are tried first).
pub const MAX_COMPARED: usize = 256;

/// Longest word (in characters) that gets a hint: edit distance costs the
/// product of the two lengths, and no real name is longer.
pub const MAX_WORD_CHARS: usize = 128;

/// The closest of `candidates` to `word`, ignoring ASCII case: within an edit
/// distance of a third of the candidate's length (at least 1).
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let length = lower.chars().count();
    if length > MAX_WORD_CHARS {
        return None;
    }
    candidates
        .into_iter()
        .filter(|c| could_match(length, c.chars().count()))
        .take(MAX_COMPARED)
        .filter_map(|c| distance(&lower, c).map(|d| (d, c)))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Names grouped by length, for many lookups against a growing set of names
/// (the checker's assigned variables).
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    by_length: BTreeMap<usize, Vec<String>>,
}

impl NameIndex {
    /// An empty index.
    #[cfg_attr(not(feature = "cli"), allow(dead_code))]
    pub fn new() -> Self {
        NameIndex::default()
    }

    /// Adds a name (a name added twice is kept once per addition; harmless).
    pub fn insert(&mut self, name: &str) {
        self.by_length
            .entry(name.chars().count())
            .or_default()
            .push(name.to_string());
    }

    /// The closest name to `word`, as [`did_you_mean`] chooses it.
    pub fn closest(&self, word: &str) -> Option<&str> {
        let length = word.chars().count();
        if length > MAX_WORD_CHARS {
            return None;
        }
        // Lengths nearest the word's first, so the cap drops the least likely.
        let mut lengths: Vec<usize> = self
            .by_length
            .range(length.saturating_sub(length / 2 + 1)..=length * 2 + 2)
            .map(|(l, _)| *l)
            .filter(|&l| could_match(length, l))
            .collect();
        lengths.sort_by_key(|&l| (l.abs_diff(length), l));
        let candidates = lengths
            .into_iter()
            .filter_map(|l| self.by_length.get(&l))
            .flat_map(|names| names.iter().map(String::as_str));
        did_you_mean(word, candidates)
    }
}

/// Whether a candidate of `candidate` characters can be within the allowed
/// distance of a word of `word` characters (distance is at least the difference
/// in length).
fn could_match(word: usize, candidate: usize) -> bool {
    word.abs_diff(candidate) <= allowed(candidate) && candidate <= MAX_WORD_CHARS
}

fn allowed(candidate_chars: usize) -> usize {
    (candidate_chars / 3).max(1)
}

/// The edit distance from the lowercased word to `candidate`, when close enough.
fn distance(lower: &str, candidate: &str) -> Option<usize> {
    let d = strsim::levenshtein(lower, &candidate.to_ascii_lowercase());
    let chars = candidate.chars().count();
    (d <= allowed(chars) || d == 0).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_tolerate_case_and_small_edits() {
        let names = ["$PendingTasks", "$ActiveTasks"];
        assert_eq!(did_you_mean("$PendingTask", names), Some("$PendingTasks"));
        assert_eq!(did_you_mean("$pendingtasks", names), Some("$PendingTasks"));
        assert_eq!(did_you_mean("$Zebra", names), None);
    }

    #[test]
    fn the_index_agrees_with_a_scan() {
        let names = ["$a", "$total", "$totals", "$PendingTasks", "$Totally"];
        let mut index = NameIndex::new();
        for n in names {
            index.insert(n);
        }
        for word in ["$totl", "$TOTAL", "$pendingtask", "$b", "$x", "$zzzzzzzzz"] {
            assert_eq!(index.closest(word), did_you_mean(word, names), "{word}");
        }
    }

    #[test]
    fn work_per_lookup_is_capped() {
        // 10,000 names all one edit from the word: only the first MAX_COMPARED
        // are compared, and the answer is still one of them at distance 1.
        let names: Vec<String> = (0..10_000).map(|i| format!("$v{:05}", i)).collect();
        let mut index = NameIndex::new();
        for n in &names {
            index.insert(n);
        }
        let hint = index.closest("$v0000x");
        assert!(hint.is_some_and(|h| h.starts_with("$v0000")), "{hint:?}");
        let long = "x".repeat(MAX_WORD_CHARS + 1);
        assert_eq!(did_you_mean(&long, [long.as_str()]), None);
    }
}
