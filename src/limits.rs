//! Input limits: size, characters, lines, estimated tokens, and repetition.
//!
//! Oversized and repetitive prompts exhaust context windows and budgets. This
//! guard counts in one pass over the bytes and, placed first in a pipeline as
//! a gate, stops the costly detectors from ever seeing such input.

use serde::{Deserialize, Serialize};

use crate::error::GuardError;
use crate::finding::{Action, Category, Finding};
use crate::guard::Guard;
use crate::input::Input;

/// Limits on one text. A limit of `None` is not checked.
///
/// ```
/// use palisade::{Guard, limits::Limits};
/// let limits = Limits::builder().max_chars(10).build();
/// assert!(limits.check("short").allowed());
/// let v = limits.check("much too long for it");
/// assert_eq!(v.findings()[0].kind(), "too_many_chars");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Most UTF-8 bytes.
    pub max_bytes: Option<usize>,
    /// Most characters (Unicode scalar values).
    pub max_chars: Option<usize>,
    /// Most lines.
    pub max_lines: Option<usize>,
    /// Most estimated tokens (see [`estimate_tokens`]).
    pub max_tokens: Option<usize>,
    /// Longest run of one repeated character (whitespace excluded).
    pub max_char_run: Option<usize>,
    /// Longest run of one repeated word.
    pub max_word_run: Option<usize>,
}

impl Default for Limits {
    /// 256 KiB, 64 Ki lines, 64 Ki tokens, runs of 256 chars or 64 words.
    fn default() -> Limits {
        Limits {
            max_bytes: Some(256 * 1024),
            max_chars: None,
            max_lines: Some(64 * 1024),
            max_tokens: Some(64 * 1024),
            max_char_run: Some(256),
            max_word_run: Some(64),
        }
    }
}

/// Builds [`Limits`], starting with none set.
///
/// ```
/// use palisade::limits::Limits;
/// let limits = Limits::builder().max_bytes(4096).max_lines(100).build();
/// assert_eq!(limits.max_bytes, Some(4096));
/// // Only what was set is checked.
/// assert_eq!(limits.max_tokens, None);
/// ```
#[derive(Clone, Debug)]
pub struct LimitsBuilder(Limits);

impl LimitsBuilder {
    /// Sets the byte limit. Over it, nothing else is counted.
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let limits = Limits::builder().max_bytes(8).build();
    /// assert!(limits.check("8 bytes!").allowed());
    /// assert_eq!(limits.check("9 bytes!!").findings()[0].kind(), "too_many_bytes");
    /// ```
    pub fn max_bytes(&mut self, n: usize) -> &mut Self {
        self.0.max_bytes = Some(n);
        self
    }
    /// Sets the character limit. Characters, not bytes, are counted.
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let limits = Limits::builder().max_chars(5).build();
    /// // Five characters in six bytes.
    /// assert!(limits.check("héllo").allowed());
    /// assert_eq!(limits.check("héllo!").findings()[0].kind(), "too_many_chars");
    /// ```
    pub fn max_chars(&mut self, n: usize) -> &mut Self {
        self.0.max_chars = Some(n);
        self
    }
    /// Sets the line limit.
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let limits = Limits::builder().max_lines(2).build();
    /// assert!(limits.check("one\ntwo").allowed());
    /// assert_eq!(limits.check("one\ntwo\nthree").findings()[0].kind(), "too_many_lines");
    /// ```
    pub fn max_lines(&mut self, n: usize) -> &mut Self {
        self.0.max_lines = Some(n);
        self
    }
    /// Sets the estimated-token limit (see [`estimate_tokens`]).
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let limits = Limits::builder().max_tokens(6).build();
    /// assert!(limits.check("Hello, world!").allowed());
    /// assert_eq!(limits.check("Hello, world!!").findings()[0].kind(), "too_many_tokens");
    /// ```
    pub fn max_tokens(&mut self, n: usize) -> &mut Self {
        self.0.max_tokens = Some(n);
        self
    }
    /// Sets the longest allowed run of one character. Whitespace runs
    /// (indentation, padding) are not counted.
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let limits = Limits::builder().max_char_run(3).build();
    /// assert!(limits.check("Nooo,      no").allowed());
    /// let verdict = limits.check("Noooooo");
    /// assert_eq!(verdict.findings()[0].kind(), "repeated_char_run");
    /// assert_eq!(verdict.findings()[0].span(), 1..7);
    /// ```
    pub fn max_char_run(&mut self, n: usize) -> &mut Self {
        self.0.max_char_run = Some(n);
        self
    }
    /// Sets the longest allowed run of one word. Words are separated by
    /// whitespace, `,` and `.`.
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let limits = Limits::builder().max_word_run(3).build();
    /// assert!(limits.check("no, no, no. Fine.").allowed());
    /// let verdict = limits.check("no, no, no, no.");
    /// assert_eq!(verdict.findings()[0].kind(), "repeated_word_run");
    /// assert_eq!(verdict.findings()[0].span(), 0..14);
    /// ```
    pub fn max_word_run(&mut self, n: usize) -> &mut Self {
        self.0.max_word_run = Some(n);
        self
    }
    /// The configured limits. The builder stays usable, for variants.
    ///
    /// ```
    /// use palisade::limits::Limits;
    /// let mut builder = Limits::builder();
    /// let strict = builder.max_chars(100).build();
    /// let loose = builder.max_chars(1000).build();
    /// assert_eq!(strict.max_chars, Some(100));
    /// assert_eq!(loose.max_chars, Some(1000));
    /// ```
    pub fn build(&self) -> Limits {
        self.0.clone()
    }
}

impl Limits {
    /// A builder with no limit set, unlike [`Limits::default`].
    ///
    /// ```
    /// use palisade::{Guard, limits::Limits};
    /// let none = Limits::builder().build();
    /// assert_eq!(none.max_bytes, None);
    /// assert_eq!(Limits::default().max_bytes, Some(256 * 1024));
    /// assert!(none.check(&"x".repeat(300 * 1024)).allowed());
    /// ```
    pub fn builder() -> LimitsBuilder {
        LimitsBuilder(Limits {
            max_bytes: None,
            max_chars: None,
            max_lines: None,
            max_tokens: None,
            max_char_run: None,
            max_word_run: None,
        })
    }
}

/// Estimates the number of tokens a BPE tokenizer would produce: each run of
/// ASCII letters or digits counts one token per started 4 bytes, every other
/// non-space ASCII character counts one, and every non-ASCII character counts
/// one (CJK text tokenizes near one token per character). It over-counts
/// English by about 10–30%, which errs on the safe side for a limit.
///
/// ```
/// assert_eq!(palisade::limits::estimate_tokens("Hello, world!"), 6);
/// ```
pub fn estimate_tokens(text: &str) -> usize {
    // Byte classes: 0 word byte, 1 counts one token, 2 neither (space,
    // UTF-8 continuation, control).
    const CLASS: [u8; 256] = {
        let mut t = [2u8; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = if c.is_ascii_alphanumeric() {
                0
            } else if c.is_ascii_graphic() || c >= 0xC0 {
                1
            } else {
                2
            };
            b += 1;
        }
        t
    };
    let mut tokens = 0;
    let mut run = 0usize;
    for &b in text.as_bytes() {
        match CLASS[b as usize] {
            0 => run += 1,
            class => {
                tokens += run.div_ceil(4) + (class == 1) as usize;
                run = 0;
            }
        }
    }
    tokens + run.div_ceil(4)
}

impl Guard for Limits {
    // Reads the whole text, once: every limit is a count over all of it.
    // It runs first, as a gate, so an oversized text costs nothing more.
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        let text = input.text();
        let whole = 0..text.len();
        let over = |kind: &'static str, count: usize, limit: usize| {
            Finding::new(Category::Length, kind, format!("limits.{kind}"), whole.clone())
                .with_action(Action::Block)
                .with_detail(format!("{count} > {limit}"))
        };
        if let Some(max) = self.max_bytes
            && text.len() > max
        {
            findings.push(over("too_many_bytes", text.len(), max));
            // Nothing else is worth counting on an oversized input.
            return Ok(());
        }
        // Each count below is at most the byte length (lines: one more), so a
        // text no longer than a limit cannot exceed it and is not counted.
        let len = text.len();
        if let Some(max) = self.max_chars.filter(|&m| len > m) {
            let n = text.as_bytes().iter().filter(|&&b| (b as i8) >= -0x40).count();
            if n > max {
                findings.push(over("too_many_chars", n, max));
            }
        }
        if let Some(max) = self.max_lines.filter(|&m| len >= m) {
            let n = if text.is_empty() {
                0
            } else {
                memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
            };
            if n > max {
                findings.push(over("too_many_lines", n, max));
            }
        }
        if let Some(max) = self.max_tokens.filter(|&m| len > m) {
            let n = estimate_tokens(text);
            if n > max {
                findings.push(over("too_many_tokens", n, max));
            }
        }
        if let Some(max) = self.max_char_run {
            char_runs(text, max, findings);
        }
        // More than `max` equal words need separators between them.
        if let Some(max) = self.max_word_run.filter(|&m| len > m.saturating_mul(2)) {
            word_runs(text, max, findings);
        }
        Ok(())
    }

    fn name(&self) -> &str {
        "limits"
    }
}

/// Byte length of the UTF-8 sequence a lead byte starts.
#[inline]
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

fn run_finding(
    kind: &'static str,
    rule: &'static str,
    span: std::ops::Range<usize>,
    len: usize,
    max: usize,
) -> Finding {
    Finding::new(Category::Length, kind, rule, span)
        .with_action(Action::Block)
        .with_detail(format!("{len} > {max}"))
}

/// Runs of more than `max` of one repeated character (ASCII whitespace
/// excluded), compared as UTF-8 bytes.
///
/// Samples every `max / 2` bytes and scans exactly only around samples
/// where four bytes in a row equal the four 1–4 bytes later (the period of
/// a repeated character), the first not whitespace: a run longer than
/// `max` (at least 16) characters holds a sample at least `max / 2` bytes
/// before its end, where that holds. Ordinary text (doubled letters,
/// indentation) costs a few comparisons per sample instead of one per
/// byte.
fn char_runs(text: &str, max: usize, findings: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    if bytes.len() <= max {
        return;
    }
    if max < 16 {
        exact_char_runs(text, 0, bytes.len(), max, findings);
        return;
    }
    let step = max / 2;
    let mut scanned_to = 0;
    let mut p = 0;
    while p < bytes.len() {
        let periodic = !bytes[p].is_ascii_whitespace()
            && (1..=4).any(|k| p + k + 3 < bytes.len() && (0..4).all(|j| bytes[p + j] == bytes[p + j + k]));
        if p >= scanned_to && periodic {
            let mut lo = p.saturating_sub(step).max(scanned_to);
            while !text.is_char_boundary(lo) {
                lo += 1;
            }
            scanned_to = exact_char_runs(text, lo, p + step, max, findings);
        }
        p += step;
    }
}

/// Scans runs exactly from `from` (a char boundary) until at least `until`
/// and the end of the run under way there; returns where it stopped (a char
/// boundary where a new run starts, or the end).
fn exact_char_runs(text: &str, from: usize, until: usize, max: usize, findings: &mut Vec<Finding>) -> usize {
    let bytes = text.as_bytes();
    let (mut run_start, mut run_len, mut prev) = (from, 0usize, &bytes[..0]);
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        // ASCII fast path: one byte compare per character.
        let n = if b < 0x80 { 1 } else { utf8_len(b).min(bytes.len() - i) };
        let same = if n == 1 {
            prev.len() == 1 && prev[0] == b && !b.is_ascii_whitespace()
        } else {
            prev == &bytes[i..i + n]
        };
        if same {
            run_len += 1;
        } else {
            if run_len > max {
                findings.push(run_finding(
                    "repeated_char_run",
                    "limits.max_char_run",
                    run_start..i,
                    run_len,
                    max,
                ));
            }
            if i >= until {
                return i;
            }
            (run_start, run_len, prev) = (i, 1, &bytes[i..i + n]);
        }
        i += n;
    }
    if run_len > max {
        findings.push(run_finding(
            "repeated_char_run",
            "limits.max_char_run",
            run_start..bytes.len(),
            run_len,
            max,
        ));
    }
    bytes.len()
}

/// Word separators: ASCII whitespace, `,` and `.`.
const WORD_SEP: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_whitespace() || c == b',' || c == b'.';
        b += 1;
    }
    t
};

#[inline]
fn is_word_sep(b: u8) -> bool {
    WORD_SEP[b as usize]
}

/// Runs of more than `max` of one repeated word, words split at ASCII
/// whitespace, `,` and `.`.
///
/// Tests one word every `max` bytes or so: a run of more than `max` words
/// spans more than `2 * max` bytes, so some tested word is in it and equals
/// the word after it. Only there is the run scanned exactly, from its first
/// word (found by walking back over equal words). Ordinary text costs a few
/// comparisons per test instead of one per byte.
fn word_runs(text: &str, max: usize, findings: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    if max < 8 {
        exact_word_runs(bytes, 0, n, max, findings);
        return;
    }
    let step = max;
    // Where the exact scan stopped: a new run starts there.
    let mut scanned_to = 0;
    let mut p = 0;
    while p < n {
        // The first word starting at or after `p`: `[a, ae)`, then the
        // next one at `b`.
        let mut a = p;
        if a > 0 && !is_word_sep(bytes[a - 1]) {
            while a < n && !is_word_sep(bytes[a]) {
                a += 1;
            }
        }
        while a < n && is_word_sep(bytes[a]) {
            a += 1;
        }
        if a >= n {
            break;
        }
        let mut ae = a;
        while ae < n && !is_word_sep(bytes[ae]) {
            ae += 1;
        }
        let mut b = ae;
        while b < n && is_word_sep(bytes[b]) {
            b += 1;
        }
        let len = ae - a;
        let be = b + len;
        let repeated = be <= n && bytes[b..be] == bytes[a..ae] && (be == n || is_word_sep(bytes[be]));
        if !repeated {
            p = a + step;
            continue;
        }
        // Back to the run's first word (a run never starts before
        // `scanned_to`), then exactly to the end of the run.
        let word = &bytes[a..ae];
        let mut q = a;
        loop {
            let mut pe = q;
            while pe > scanned_to && is_word_sep(bytes[pe - 1]) {
                pe -= 1;
            }
            if pe < scanned_to + len {
                break;
            }
            let ps = pe - len;
            if &bytes[ps..pe] != word || (ps > 0 && !is_word_sep(bytes[ps - 1])) {
                break;
            }
            q = ps;
        }
        scanned_to = exact_word_runs(bytes, q, a + 1, max, findings);
        p = scanned_to;
    }
}

/// Scans word runs exactly from `from` (the start of a run, or of the
/// text) until a new run starts at or after `until`; returns where it
/// starts (or the end).
fn exact_word_runs(bytes: &[u8], from: usize, until: usize, max: usize, findings: &mut Vec<Finding>) -> usize {
    let n = bytes.len();
    let (mut prev, mut run_start, mut run_end, mut run_len) = (&bytes[..0], from, from, 0usize);
    let mut i = from;
    while i < n {
        if is_word_sep(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && !is_word_sep(bytes[i]) {
            i += 1;
        }
        let word = &bytes[start..i];
        if word == prev {
            run_len += 1;
            run_end = i;
            continue;
        }
        if run_len > max {
            findings.push(run_finding(
                "repeated_word_run",
                "limits.max_word_run",
                run_start..run_end,
                run_len,
                max,
            ));
        }
        if start >= until {
            return start;
        }
        (prev, run_start, run_end, run_len) = (word, start, i, 1);
    }
    if run_len > max {
        findings.push(run_finding(
            "repeated_word_run",
            "limits.max_word_run",
            run_start..run_end,
            run_len,
            max,
        ));
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let l = Limits::builder().max_bytes(10).build();
        assert_eq!(l.check("0123456789").findings().len(), 0);
        assert_eq!(l.check("0123456789a").findings()[0].kind(), "too_many_bytes");
        let l = Limits::builder().max_lines(2).build();
        assert!(l.check("a\nb").allowed());
        assert!(!l.check("a\nb\nc").allowed());
    }

    #[test]
    fn skipping_short_texts_changes_nothing() {
        // Every text of up to six pieces, against limits near its size:
        // the counts that are skipped for short texts could not exceed them.
        let pieces = ["a", "\n", " ", ",", "é", "ab"];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let next: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(next);
            texts.sort();
            texts.dedup();
        }
        for max in 0..4 {
            let l = Limits {
                max_bytes: None,
                max_chars: Some(max),
                max_lines: Some(max),
                max_tokens: Some(max),
                max_char_run: None,
                max_word_run: Some(max),
            };
            for t in &texts {
                let verdict = l.check(t);
                let kinds: Vec<&str> = verdict.findings().iter().map(|f| f.kind()).collect();
                let lines = if t.is_empty() { 0 } else { t.matches('\n').count() + 1 };
                assert_eq!(kinds.contains(&"too_many_chars"), t.chars().count() > max, "{t:?}");
                assert_eq!(kinds.contains(&"too_many_lines"), lines > max, "{t:?}");
                assert_eq!(kinds.contains(&"too_many_tokens"), estimate_tokens(t) > max, "{t:?}");
                let mut longest = 0;
                let mut run = 0;
                let mut prev = "";
                for w in t
                    .split(|c: char| c.is_ascii_whitespace() || c == ',' || c == '.')
                    .filter(|w| !w.is_empty())
                {
                    run = if w == prev { run + 1 } else { 1 };
                    prev = w;
                    longest = longest.max(run);
                }
                assert_eq!(kinds.contains(&"repeated_word_run"), longest > max, "{t:?}");
            }
        }
    }

    #[test]
    fn sampled_runs_equal_exact_runs() {
        // Runs of one-, two-, three- and four-byte characters at every
        // offset and length around the limit, in text with near-misses.
        let mut seed = 0x2545_f491_u32;
        let mut next = |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % n
        };
        for max in [16, 17, 31, 64] {
            for _ in 0..400 {
                let mut text = String::new();
                while text.len() < 600 {
                    let c = ['a', 'é', '€', '😀', ' ', 'b'][next(6) as usize];
                    let n = next(max as u32 + 8) as usize;
                    text.extend(std::iter::repeat_n(c, n));
                    text.push_str(["xy", "ab ab", "\n", "1"][next(4) as usize]);
                }
                let mut sampled = Vec::new();
                char_runs(&text, max, &mut sampled);
                let mut exact = Vec::new();
                exact_char_runs(&text, 0, text.len(), max, &mut exact);
                let spans = |v: &[Finding]| v.iter().map(Finding::span).collect::<Vec<_>>();
                assert_eq!(spans(&sampled), spans(&exact), "{max}: {text:?}");
            }
        }
    }

    #[test]
    fn runs() {
        let l = Limits::builder().max_char_run(5).max_word_run(3).build();
        let text = format!("ok {} fine", "x".repeat(9));
        let v = l.check(&text);
        assert_eq!(v.findings()[0].kind(), "repeated_char_run");
        assert_eq!(v.findings()[0].span(), 3..12);
        let v = l.check("say go go go go now");
        assert_eq!(v.findings()[0].kind(), "repeated_word_run");
        assert_eq!(v.findings()[0].span(), 4..15);
        assert!(l.check("go go go").allowed());
    }

    #[test]
    fn sampled_runs_match_exact_runs() {
        // Runs of every length around the limit, of 1- to 4-byte characters,
        // at every alignment against the sampling step.
        for max in [16usize, 17, 40, 256] {
            for ch in ["a", "é", "語", "🙂"] {
                for len in [max - 1, max, max + 1, max + 2, 3 * max] {
                    for pad in 0..(max / 2 + 3) {
                        let text = format!("{}{}{}", "xy".repeat(pad).get(..pad).unwrap(), ch.repeat(len), " tail");
                        let mut sampled = Vec::new();
                        char_runs(&text, max, &mut sampled);
                        let mut exact = Vec::new();
                        exact_char_runs(&text, 0, text.len(), max, &mut exact);
                        assert_eq!(sampled, exact, "max {max} {ch:?} len {len} pad {pad}");
                        assert_eq!(exact.len(), usize::from(len > max));
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn sampled_runs_equal_exact_on_random_text(
            parts in proptest::collection::vec((proptest::sample::select(vec!["a", "b", " ", "é", "語", "🙂", "ab"]), 1usize..60), 0..12),
            max in 16usize..40,
        ) {
            let text: String = parts.iter().map(|(s, n)| s.repeat(*n)).collect();
            let mut sampled = Vec::new();
            char_runs(&text, max, &mut sampled);
            let mut exact = Vec::new();
            exact_char_runs(&text, 0, text.len(), max, &mut exact);
            proptest::prop_assert_eq!(sampled, exact);
        }
    }

    #[test]
    fn sampled_word_runs_equal_exact_word_runs() {
        // Runs of words of every length around the limit, with separators
        // of every kind and length, near-miss words and long words.
        let mut seed = 0x1d87_2b41_u32;
        let mut next = |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % n
        };
        let words = [
            "a",
            "b",
            "ab",
            "ba",
            "aa",
            "abcdefghijklmnopqrstuvwxyz0123456789",
            "é",
            "語",
        ];
        let seps = [" ", ",", ".", "\n", "  ", ", ", " . ", "\t\t\t\t\t\t\t\t\t\t\t\t\t\t"];
        let mut found = 0;
        for max in [1, 2, 7, 8, 9, 16, 17, 31, 64] {
            for _ in 0..400 {
                let mut text = String::new();
                if next(2) == 0 {
                    text.push_str(seps[next(seps.len() as u32) as usize]);
                }
                while text.len() < 700 {
                    let w = words[next(words.len() as u32) as usize];
                    let n = match next(4) {
                        0 => 1,
                        1 => next(4) as usize + 1,
                        _ => (max + next(5) as usize).saturating_sub(2),
                    };
                    for _ in 0..n {
                        text.push_str(w);
                        text.push_str(seps[next(seps.len() as u32) as usize]);
                    }
                    if next(3) == 0 {
                        text.push_str(["x", "ab", "a", ""][next(4) as usize]);
                    }
                }
                let mut sampled = Vec::new();
                word_runs(&text, max, &mut sampled);
                let mut exact = Vec::new();
                exact_word_runs(text.as_bytes(), 0, text.len(), max, &mut exact);
                assert_eq!(sampled, exact, "{max}: {text:?}");
                found += exact.len();
            }
        }
        assert!(found > 1000, "{found}");
    }

    #[test]
    fn tokens() {
        assert_eq!(estimate_tokens(""), 0);
        assert_eq!(estimate_tokens("你好"), 2);
    }
}
