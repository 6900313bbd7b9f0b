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
    // The first candidate at the smallest distance wins, so once one is
    // found only a strictly closer one matters: later comparisons stop as
    // soon as they cannot beat it (an exact match ends the search).
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates
        .into_iter()
        .filter(|c| could_match(length, c.chars().count()))
        .take(MAX_COMPARED)
    {
        let limit = allowed(candidate.chars().count());
        let limit = match best {
            Some((0, _)) => break,
            Some((d, _)) => limit.min(d - 1),
            None => limit,
        };
        if let Some(d) = bounded_distance(&lower, candidate, limit) {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
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

/// The edit distance (Levenshtein, in characters) from the lowercased word
/// to `candidate` with ASCII case ignored, when it is at most `limit`.
///
/// Thousands of lookups compare up to [`MAX_COMPARED`] names each, so this
/// is the inner loop of `check` on a formula with many names: it works on
/// the stack (both words are at most [`MAX_WORD_CHARS`]) and stops at the
/// first row whose every cell is past `limit`.
fn bounded_distance(lower: &str, candidate: &str, limit: usize) -> Option<usize> {
    const N: usize = MAX_WORD_CHARS + 1;
    if lower.chars().nth(MAX_WORD_CHARS).is_some() {
        return None;
    }
    let mut word = ['\0'; N];
    let mut word_len = 0;
    for (slot, c) in word.iter_mut().zip(lower.chars()) {
        *slot = c;
        word_len += 1;
    }
    let word = word.get(..word_len).unwrap_or_default();
    // One row of the table, updated in place: `diagonal` and `left` hold the
    // cells of the previous and the current row that the next cell needs.
    let mut row = [0usize; N];
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    let mut rows = 0;
    for (i, c) in candidate.chars().take(MAX_WORD_CHARS).enumerate() {
        let c = c.to_ascii_lowercase();
        let (first, rest) = row.split_first_mut()?;
        let mut diagonal = *first;
        *first = i + 1;
        let mut left = i + 1;
        let mut row_min = left;
        for (cell, &w) in rest.iter_mut().zip(word) {
            let up = *cell;
            let value = (diagonal + usize::from(w != c)).min(up + 1).min(left + 1);
            diagonal = up;
            *cell = value;
            left = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        rows = i + 1;
    }
    if rows < candidate.chars().count() {
        return None;
    }
    let d = row.get(word_len).copied()?;
    (d <= limit).then_some(d)
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
    fn the_bounded_distance_is_levenshtein_up_to_its_limit() {
        let words = [
            "",
            "a",
            "$totl",
            "$total",
            "$totals",
            "kitten",
            "sitting",
            "$PendingTasks",
            "$pendingtask",
            "é€x",
            "e€",
            "$v123",
            "$u124",
            "abcdef",
            "fedcba",
        ];
        for a in words {
            let lower = a.to_ascii_lowercase();
            for b in words {
                let exact = strsim::levenshtein(&lower, &b.to_ascii_lowercase());
                for limit in 0..8 {
                    let expected = (exact <= limit).then_some(exact);
                    assert_eq!(
                        bounded_distance(&lower, b, limit),
                        expected,
                        "{a} {b} {limit}"
                    );
                }
            }
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
