//! Protected texts (the system prompt, hidden instructions, secret phrases):
//! indexed once, then found in outputs verbatim, reformatted, partially, or
//! base64/hex-encoded.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use memchr::memmem;

use super::text::{self, Stream, Word};

/// Words per n-gram.
pub(crate) const N: usize = 5;
/// Most non-word bytes between two words of one leaked run (bullets,
/// numbering, markdown, line breaks).
const MAX_GAP: usize = 64;
/// Words of a short phrase must appear within this many output words.
const PROXIMITY: usize = 16;
/// Shortest compact form matched inside other letters (shorter phrases must
/// match as whole words).
const MIN_COMPACT: usize = 8;

/// Where a protected text came from, for the rule id and detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    SystemPrompt,
    Protected,
}

impl Source {
    pub(crate) fn rule(self) -> &'static str {
        match self {
            Source::SystemPrompt => "leak.system_prompt",
            Source::Protected => "leak.protected",
        }
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            Source::SystemPrompt => "the system prompt",
            Source::Protected => "a protected text",
        }
    }
}

/// N-gram hashes are already mixed: hash them as themselves.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The n-gram hashes of a long protected text, with a 4096-bit filter in
/// front: almost every n-gram of an answer is not in the set, and the
/// filter says so without a table probe.
#[derive(Clone)]
struct GramSet {
    set: HashSet<u64, BuildHasherDefault<IdHasher>>,
    filter: Box<[u64; 64]>,
}

impl GramSet {
    fn new(hashes: impl ExactSizeIterator<Item = u64>) -> GramSet {
        let mut g = GramSet {
            set: HashSet::with_capacity_and_hasher(hashes.len(), Default::default()),
            filter: Box::new([0; 64]),
        };
        for h in hashes {
            let bit = (h >> 52) as usize;
            g.filter[bit >> 6] |= 1 << (bit & 63);
            g.set.insert(h);
        }
        g
    }

    #[inline]
    fn contains(&self, h: u64) -> bool {
        let bit = (h >> 52) as usize;
        self.filter[bit >> 6] >> (bit & 63) & 1 != 0 && self.set.contains(&h)
    }
}

#[derive(Clone)]
enum Mode {
    /// Long texts: word n-grams.
    Long { grams: GramSet, words: usize },
    /// Short phrases (an access code, a password): whole-phrase containment.
    Phrase {
        words: Vec<u64>,
        /// Distinctive words (two or more characters), deduplicated.
        key_words: Vec<u64>,
        compact: Vec<u8>,
        reversed: Vec<u8>,
        rot13: Vec<u8>,
        /// Every non-space character (for phrases of symbols or emoji).
        symbols: Vec<u8>,
    },
}

/// Every character but whitespace, case kept.
fn non_space(text: &str) -> Stream {
    let mut st = Stream::default();
    for (i, c) in text.char_indices() {
        if !c.is_whitespace() {
            let mut buf = [0u8; 4];
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                st.bytes.push(b);
                st.src.push((i as u32, (i + c.len_utf8()) as u32));
            }
        }
    }
    st
}

/// The first character of every line (the first letter or digit,
/// lowercased, when `alnum`): acrostics.
fn line_initials(text: &str, alnum: bool) -> Stream {
    let mut st = Stream::default();
    let mut want = true;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            want = true;
            continue;
        }
        if !want || c.is_whitespace() || (alnum && !c.is_alphanumeric()) {
            continue;
        }
        want = false;
        let at = (i as u32, (i + c.len_utf8()) as u32);
        let mut buf = [0u8; 4];
        let l = if alnum { c.to_lowercase().next().unwrap_or(c) } else { c };
        for &b in l.encode_utf8(&mut buf).as_bytes() {
            st.bytes.push(b);
            st.src.push(at);
        }
    }
    st
}

/// One indexed protected text (no `Debug`: it is secret).
#[derive(Clone)]
pub(crate) struct Protected {
    pub(crate) source: Source,
    mode: Mode,
    /// Bytes of the text (bounds spans).
    len: usize,
    min_run: usize,
}

/// A leak found in some text: byte range in that text and the share of
/// the protected text it covers (0–100).
pub(crate) struct Leak {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) percent: u32,
}

fn gram_hash(ws: &[Word]) -> u64 {
    gram_hash_of(ws.iter().map(|w| w.hash))
}

/// A polynomial hash of `N` word hashes, so that a scan can roll it from
/// one window to the next (see [`LongScan::feed`]).
fn gram_hash_of(hashes: impl IntoIterator<Item = u64>) -> u64 {
    hashes
        .into_iter()
        .fold(0, |h, x| h.wrapping_mul(GRAM_BASE).wrapping_add(x))
}

/// The base of [`gram_hash_of`] (odd, well mixed).
const GRAM_BASE: u64 = 0xff51_afd7_ed55_8ccd;
/// `GRAM_BASE` to the power `N`: the weight of the word leaving a window.
const GRAM_BASE_N: u64 = {
    let mut p: u64 = 1;
    let mut i = 0;
    while i < N {
        p = p.wrapping_mul(GRAM_BASE);
        i += 1;
    }
    p
};

/// Whether a word takes part in n-grams (see [`gram_words`]).
fn is_gram_word(w: &Word) -> bool {
    !(w.digits && w.chars <= 2)
}

/// The scan of a long protected text over an output's words, fed one word
/// at a time: n-gram words go through a ring of the last `N`, so neither
/// the output's words nor its n-gram words need a vector.
struct LongScan<'p> {
    grams: &'p GramSet,
    total: usize,
    min_run: usize,
    cap: usize,
    /// The last `N` n-gram words (index `k % N` for the `k`-th): hashes and
    /// byte ranges.
    hashes: [u64; N],
    spans: [(usize, usize); N],
    /// [`gram_hash_of`] the last `N` (or fewer) n-gram words.
    rolling: u64,
    seen: usize,
    run: Option<Run>,
}

/// Consecutive matching windows: first and last window (n-gram word
/// index), source bytes, and how many windows.
struct Run {
    first: usize,
    last: usize,
    start: usize,
    end: usize,
    grams: usize,
}

impl<'p> LongScan<'p> {
    fn new(p: &'p Protected, cap: usize) -> LongScan<'p> {
        let Mode::Long { grams, words } = &p.mode else {
            unreachable!("LongScan is only built for long texts")
        };
        LongScan {
            grams,
            total: *words,
            min_run: p.min_run,
            cap,
            hashes: [0; N],
            spans: [(0, 0); N],
            rolling: 0,
            seen: 0,
            run: None,
        }
    }

    fn feed(&mut self, w: Word, out: &mut Vec<Leak>) {
        if !is_gram_word(&w) {
            return;
        }
        let k = self.seen;
        self.seen += 1;
        // The slot being overwritten holds the word leaving the window.
        let leaving = if k >= N { self.hashes[k % N] } else { 0 };
        self.rolling = self
            .rolling
            .wrapping_mul(GRAM_BASE)
            .wrapping_add(w.hash)
            .wrapping_sub(leaving.wrapping_mul(GRAM_BASE_N));
        self.hashes[k % N] = w.hash;
        self.spans[k % N] = (w.start, w.end);
        if k + 1 < N {
            return;
        }
        // The window of n-gram words i..=k, oldest first.
        let i = k + 1 - N;
        let tight = (i..k).all(|x| self.spans[(x + 1) % N].0 - self.spans[x % N].1 <= MAX_GAP);
        let hit = tight && self.grams.contains(self.rolling);
        let first = self.spans[i % N].0;
        match (&mut self.run, hit) {
            (Some(r), true) if i == r.last + 1 && w.end - r.start <= self.cap => {
                r.last = i;
                r.end = w.end;
                r.grams += 1;
            }
            (_, true) => {
                self.close(out);
                self.run = Some(Run {
                    first: i,
                    last: i,
                    start: first,
                    end: w.end,
                    grams: 1,
                });
            }
            (_, false) => self.close(out),
        }
    }

    fn close(&mut self, out: &mut Vec<Leak>) {
        if let Some(r) = self.run.take() {
            let n_words = r.last - r.first + N;
            if n_words >= self.min_run {
                let covered = (r.grams + N - 1).min(self.total);
                out.push(Leak {
                    start: r.start,
                    end: r.end,
                    percent: (covered * 100 / self.total.max(1)) as u32,
                });
            }
        }
    }

    fn finish(mut self, out: &mut Vec<Leak>) {
        self.close(out);
    }
}

/// Words that take part in n-grams: list numbers (`1`, `12`) are dropped so
/// that re-numbering or bullets do not break runs.
fn gram_words(all: &[Word]) -> Vec<Word> {
    all.iter().copied().filter(is_gram_word).collect()
}

impl Protected {
    /// Indexes `text`; `None` when it holds no word.
    pub(crate) fn new(text: &str, source: Source, min_run: usize) -> Option<Protected> {
        let clean = crate::normalize::View::new(text, crate::normalize::ViewKind::Clean);
        let clean = clean.as_str();
        if clean.chars().all(char::is_whitespace) {
            return None;
        }
        let mut all = Vec::new();
        text::words(clean, &mut all);
        let gw = gram_words(&all);
        let mode = if gw.len() >= min_run.max(N) {
            let grams = GramSet::new(gw.windows(N).map(gram_hash));
            Mode::Long { grams, words: gw.len() }
        } else {
            let words: Vec<u64> = all.iter().map(|w| w.hash).collect();
            let mut key_words: Vec<u64> = all.iter().filter(|w| w.chars >= 2).map(|w| w.hash).collect();
            key_words.sort_unstable();
            key_words.dedup();
            let compact = text::alnum(clean).bytes;
            let mut reversed = compact.clone();
            reversed.reverse();
            let rot13 = text::rot13(&compact);
            let symbols: Vec<u8> = clean
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .into_bytes();
            Mode::Phrase {
                words,
                key_words,
                compact,
                reversed,
                rot13,
                symbols,
            }
        };
        Some(Protected {
            source,
            mode,
            len: text.len(),
            min_run: min_run.max(N),
        })
    }

    /// True for a text long enough to be matched by word n-grams.
    pub(crate) fn is_long(&self) -> bool {
        matches!(self.mode, Mode::Long { .. })
    }

    /// [`Protected::scan`] for a long text, reading `hay`'s words one at a
    /// time (no word vector for the whole output).
    pub(crate) fn scan_words_of(&self, hay: &str, cap: usize, out: &mut Vec<Leak>) {
        let mut scan = LongScan::new(self, cap);
        text::each_word(hay, |w| scan.feed(w, out));
        scan.finish(out);
    }

    /// The longest span one leak of this text can cover in an output.
    pub(crate) fn max_span(&self) -> usize {
        2 * self.len + 512
    }

    /// True when `hay` holds any piece of this text: one n-gram of a long
    /// text, or a short phrase (used on URLs).
    pub(crate) fn mentioned(&self, hay: &str) -> bool {
        let mut words = Vec::new();
        text::words(hay, &mut words);
        match &self.mode {
            Mode::Long { grams, .. } => gram_words(&words).windows(N).any(|w| grams.contains(gram_hash(w))),
            Mode::Phrase { .. } => {
                let mut out = Vec::new();
                self.scan(hay, &words, &mut None, usize::MAX, &mut out);
                !out.is_empty()
            }
        }
    }

    /// Finds leaks in `hay` (already split into `words`; `alnum` is its
    /// letters-and-digits stream, built by the caller when needed).
    pub(crate) fn scan(&self, hay: &str, words: &[Word], alnum: &mut Option<Stream>, cap: usize, out: &mut Vec<Leak>) {
        match &self.mode {
            Mode::Long { .. } => {
                let mut scan = LongScan::new(self, cap);
                for w in words {
                    scan.feed(*w, out);
                }
                scan.finish(out);
            }
            Mode::Phrase {
                words: pw,
                key_words,
                compact,
                reversed,
                rot13,
                symbols,
            } => {
                // Every match is kept, overlapping or not (the verdict
                // merges overlaps), and duplicates go at the end: whether a
                // span is reported then depends only on the text around it,
                // not on what came before, so a stream that starts reading
                // later reports the same spans, and the cost stays linear.
                let before = out.len();
                let push = |out: &mut Vec<Leak>, s: usize, e: usize| {
                    if e - s <= cap {
                        out.push(Leak {
                            start: s,
                            end: e,
                            percent: 100,
                        });
                    }
                };
                // The phrase's words, consecutive.
                if !pw.is_empty() && words.len() >= pw.len() {
                    for i in 0..=words.len() - pw.len() {
                        if words[i..i + pw.len()].iter().zip(pw).all(|(w, &h)| w.hash == h) {
                            push(out, words[i].start, words[i + pw.len() - 1].end);
                        }
                    }
                }
                // Its letters and digits inside other text (spaced out,
                // re-punctuated), reversed, or ROT13.
                if compact.len() >= MIN_COMPACT {
                    let st = alnum.get_or_insert_with(|| text::alnum(hay));
                    for pat in [compact, reversed, rot13] {
                        for at in memmem::find_iter(&st.bytes, pat) {
                            let (s, e) = st.source(hay, at, at + pat.len());
                            push(out, s, e);
                        }
                    }
                }
                // A phrase without letters or digits (emoji, symbols):
                // its characters, whitespace aside.
                if compact.len() < 3 && symbols.len() >= 2 && symbols.len() > compact.len() {
                    let st = non_space(hay);
                    for at in memmem::find_iter(&st.bytes, symbols) {
                        let (s, e) = st.source(hay, at, at + symbols.len());
                        push(out, s, e);
                    }
                    let st = line_initials(hay, false);
                    for at in memmem::find_iter(&st.bytes, symbols) {
                        let (s, e) = st.source(hay, at, at + symbols.len());
                        push(out, s, e);
                    }
                }
                // An acrostic: the first letters of consecutive lines.
                if compact.len() >= 5 {
                    let st = line_initials(hay, true);
                    for at in memmem::find_iter(&st.bytes, compact) {
                        let (s, e) = st.source(hay, at, at + compact.len());
                        push(out, s, e);
                    }
                }
                // Its distinctive words, close together in any order
                // (`"tram" equal to "32"` for `tram=32`).
                if (2..=PROXIMITY / 2).contains(&key_words.len()) {
                    let k = key_words.len();
                    let mut last: Vec<Option<usize>> = vec![None; k];
                    for (i, w) in words.iter().enumerate() {
                        let Ok(slot) = key_words.binary_search(&w.hash) else {
                            continue;
                        };
                        last[slot] = Some(i);
                        // The smallest window ending here that holds them
                        // all (no reset after a match: that would make the
                        // next window depend on where reading started).
                        if last.iter().all(|l| l.is_some_and(|j| i - j < PROXIMITY)) {
                            let first = last.iter().flatten().min().copied().unwrap_or(i);
                            push(out, words[first].start, w.end);
                        }
                    }
                }
                let mut found = out.split_off(before);
                found.sort_unstable_by_key(|l| (l.start, l.end));
                found.dedup_by_key(|l| (l.start, l.end));
                out.append(&mut found);
            }
        }
    }
}

/// Bytes of the base64 alphabets (standard and URL-safe).
static B64_CLASS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
        c += 1;
    }
    t
};

/// A run of base64 or hex in `text` that may encode a protected text:
/// `(start, end, decoded)`.
pub(crate) fn encoded_blobs(text: &str, max_len: usize, out: &mut Vec<(usize, usize, String)>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let is_b64 = |c: u8| B64_CLASS[c as usize];
        if !is_b64(b[i]) || (i > 0 && is_b64(b[i - 1])) {
            i += 1;
            continue;
        }
        let mut run_end = i;
        while run_end < b.len() && is_b64(b[run_end]) {
            run_end += 1;
        }
        // Too short for base64, and not the first pair of spaced hex.
        let spaced = run_end - i == 2 && run_end + 2 < b.len() && matches!(b[run_end], b' ' | b':');
        if run_end - i < 16 && !spaced {
            i = run_end;
            continue;
        }
        // Hex, possibly as spaced or colon-separated pairs.
        let mut hex = Vec::new();
        let mut j = i;
        while j + 1 < b.len() && b[j].is_ascii_hexdigit() && b[j + 1].is_ascii_hexdigit() && hex.len() <= max_len {
            hex.push(b[j]);
            hex.push(b[j + 1]);
            j += 2;
            if j + 2 < b.len()
                && matches!(b[j], b' ' | b':')
                && b[j + 1].is_ascii_hexdigit()
                && b[j + 2].is_ascii_hexdigit()
            {
                j += 1;
            }
        }
        let hex_end = j;
        let hex_text = (hex.len() >= 16 && (hex_end == b.len() || !b[hex_end].is_ascii_alphanumeric()))
            .then(|| text::hex_decode(&hex).and_then(|v| String::from_utf8(v).ok()))
            .flatten();
        if let Some(s) = hex_text {
            out.push((i, hex_end, s));
            i = hex_end;
            continue;
        }
        let mut end = run_end;
        while end < b.len() && b[end] == b'=' && end - run_end < 2 {
            end += 1;
        }
        let run = &b[i..run_end];
        let decoded = (run.len() >= 16
            && run.len() <= max_len
            && (run.iter().any(u8::is_ascii_digit) || run.iter().any(u8::is_ascii_uppercase)))
        .then(|| text::base64_decode(run).and_then(|v| String::from_utf8(v).ok()))
        .flatten();
        if let Some(s) = decoded.filter(|s| {
            s.chars().filter(|c| c.is_alphanumeric() || c.is_whitespace()).count() * 10 >= s.chars().count() * 8
        }) {
            out.push((i, end, s));
        }
        // Skip the whole hex or base64 run: linear time.
        i = run_end.max(hex_end).max(i + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaks(p: &Protected, hay: &str) -> Vec<(usize, usize, u32)> {
        let mut w = Vec::new();
        text::words(hay, &mut w);
        let mut out = Vec::new();
        p.scan(hay, &w, &mut None, 4096, &mut out);
        out.into_iter().map(|l| (l.start, l.end, l.percent)).collect()
    }

    #[test]
    fn phrase_forms() {
        let p = Protected::new("tram=32", Source::Protected, 12).unwrap();
        assert_eq!(leaks(&p, "set \"tram\" equal to \"32\" now").len(), 1);
        // Each smallest window holding both words, overlapping or not.
        let hay = "a tram at 32 km/h, twenty stops later the tram";
        let spans: Vec<&str> = leaks(&p, hay).iter().map(|&(s, e, _)| &hay[s..e]).collect();
        assert_eq!(spans, ["tram at 32", "32 km/h, twenty stops later the tram"]);
        assert!(leaks(&p, "the tram was late").is_empty());
        let p = Protected::new("bluemoon", Source::Protected, 12).unwrap();
        assert_eq!(leaks(&p, "starts with \"oyhrzbba\"").len(), 1);
        assert_eq!(leaks(&p, "b-l-u-e m o o n").len(), 1);
        assert_eq!(leaks(&p, "noomeulb").len(), 1);
        assert!(leaks(&p, "blue skies and a full moon").is_empty());
    }

    /// A match does not depend on where reading started: the spans found in
    /// a text's tail are the whole text's spans that lie in the tail.
    #[test]
    fn phrase_matches_are_local() {
        let p = Protected::new(" prices in euros.", Source::SystemPrompt, 12).unwrap();
        let hay = "The cruise leaves at nine; prices are in euros. ".repeat(6);
        let whole = leaks(&p, &hay);
        assert!(!whole.is_empty());
        for cut in (0..hay.len()).filter(|&c| hay.is_char_boundary(c) && (c == 0 || hay.as_bytes()[c - 1] == b' ')) {
            let tail: Vec<(usize, usize, u32)> = leaks(&p, &hay[cut..])
                .into_iter()
                .map(|(s, e, pc)| (s + cut, e + cut, pc))
                .collect();
            let expected: Vec<_> = whole.iter().copied().filter(|l| l.0 >= cut).collect();
            assert_eq!(tail, expected, "reading from {cut}");
        }
    }

    #[test]
    fn blobs() {
        let mut out = Vec::new();
        encoded_blobs("x 68656c6c6f20776f726c64 y aGVsbG8gd29ybGQgaGVsbG8=", 1000, &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].2, "hello world");
        assert_eq!(out[1].2, "hello world hello");
    }

    /// The scan's rolling hash equals the hash of each window of n-gram
    /// words, so a leak found word by word is found at every offset.
    #[test]
    fn rolling_hash_matches_windows() {
        let text = "alpha beta 1 gamma delta epsilon 22 zeta eta theta iota kappa lambda mu";
        let secret = "the quick brown fox jumps over the lazy dog near the river bank today";
        let p = Protected::new(secret, Source::Protected, 12).unwrap();
        assert!(p.is_long());
        let mut scan = LongScan::new(&p, 4096);
        let mut all = Vec::new();
        text::words(text, &mut all);
        let gw = gram_words(&all);
        let mut out = Vec::new();
        for (k, w) in gw.iter().enumerate() {
            scan.feed(*w, &mut out);
            if k + 1 >= N {
                assert_eq!(scan.rolling, gram_hash(&gw[k + 1 - N..=k]), "window ending at {k}");
            }
        }
        // And a leak of a long text is found wherever it starts.
        for pad in ["", "so ", "well, as said: ", "1 2 3 "] {
            let hay = format!("{pad}{secret} and more");
            assert_eq!(leaks(&p, &hay).len(), 1, "{hay}");
        }
    }
}
