//! The anchor prefilter: finds every occurrence of every anchor (ASCII case
//! folded) in one pass over the original bytes.
//!
//! Hundreds of case-folded literals defeat SIMD literal search (Teddy
//! handles a few dozen case-sensitive ones) and an Aho-Corasick automaton of
//! that size runs at a few hundred MB/s. Instead, each anchor is given one
//! *fingerprint*: its rarest three-byte substring (scored by letter
//! frequency, so `passwd` is found through `swd` and `ghp_` through `hp_`).
//! The scan hashes every three-byte window of the text (case folded by
//! setting bit 5 of each byte) into a 64 KiB table of one byte per slot,
//! twelve windows at a time from two 8-byte loads, OR-ing their slots so
//! that the loop has one branch per block and no dependency between
//! windows; only when a block hits does it look the windows up exactly and
//! compare the anchors that own that fingerprint at their offsets. The hash
//! is one multiplication per window (no masking: see [`slot`]), by the
//! multiplier of a few dozen under which the fewest windows of ordinary
//! text share a slot with a fingerprint. Anchors
//! shorter than three bytes (possible in policy rules; the built-in rules
//! have none, their short prefixes are spelled out with a byte class such
//! as `SK[0-9a-f]`) are found with `memchr` on their first byte. Every
//! occurrence of every anchor is reported, overlapping ones included, in
//! linear time.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hasher for the 24-bit fingerprint keys (the keys are
/// not attacker-chosen: they come from the rules).
#[derive(Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type Owners = HashMap<u32, Vec<(u32, usize)>, BuildHasherDefault<FingerprintHasher>>;

/// Bits in the fingerprint table (a power of two).
const TABLE_BITS: u32 = 16;

/// One anchor occurrence: pattern index and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) pattern: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The compiled prefilter over lowercase patterns.
pub(crate) struct Prefilter {
    /// The lowercase patterns.
    patterns: Vec<Box<[u8]>>,
    /// One byte per fingerprint hash slot: 1 when an anchor's fingerprint
    /// hashes there (a byte, not a bit: testing it is one load, no shift).
    bits: Box<[u8]>,
    /// Folded 24-bit fingerprint -> (pattern, offset of the fingerprint in it).
    owners: Owners,
    /// The multiplier of the slot hash (see [`slot`]).
    mul: u64,
    /// Patterns shorter than three bytes.
    short: Vec<u32>,
}

/// Folds a little-endian 24-bit window for hashing: ASCII letters lose
/// their case (other bytes may collide, which verification sorts out).
#[inline(always)]
fn fold(k: u32) -> u32 {
    k | 0x0020_2020
}

/// The little-endian 24-bit value of a three-byte window.
fn window(w: &[u8]) -> u32 {
    u32::from(w[0]) | u32::from(w[1]) << 8 | u32::from(w[2]) << 16
}

/// The table slot of a folded window held in the low three bytes of `x`
/// (the bytes above it are ignored): a multiplicative hash modulo 2^24,
/// by an odd 24-bit constant placed in the top bits of `mul` so that the
/// product's top bits depend on the low 24 bits of `x` only. The scan gets
/// each window of an 8-byte load with one shift, no mask.
#[inline(always)]
fn slot(x: u64, mul: u64) -> usize {
    (x.wrapping_mul(mul) >> (64 - TABLE_BITS)) as usize
}

/// Odd 24-bit multipliers tried for the slot hash, the golden-ratio one
/// first; the prefilter takes the one under which the fewest windows of
/// the reference sample share a slot with a fingerprint (a window that
/// does sends its block down the slow path for nothing).
fn multipliers() -> impl Iterator<Item = u64> {
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    std::iter::once(0x009E_3779).chain(
        std::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 40) | 1
        })
        .filter(|m| (10..=14).contains(&m.count_ones()))
        .take(63),
    )
}

/// Eight bytes folded like [`fold`].
const FOLD8: u64 = 0x2020_2020_2020_2020;

/// Three-letter sequences frequent in English prose and in code; a
/// fingerprint avoids them when the anchor offers another window.
const COMMON_TRIGRAMS: &[&[u8; 3]] = &[
    b"the", b"and", b"ing", b"ion", b"tio", b"ent", b"ati", b"for", b"her", b"ter", b"hat", b"tha", b"ere", b"ate",
    b"his", b"con", b"res", b"ver", b"all", b"ons", b"nce", b"men", b"ith", b"ted", b"ers", b"pro", b"thi", b"wit",
    b"are", b"ess", b"not", b"ive", b"was", b"ect", b"rea", b"com", b"eve", b"per", b"int", b"est", b"sta", b"cti",
    b"ica", b"ist", b"ear", b"ain", b"one", b"our", b"iti", b"rat", b"nte", b"tin", b"ine", b"der", b"ome", b"man",
    b"pre", b"rom", b"tra", b"whi", b"ave", b"str", b"act", b"ill", b"ure", b"ide", b"ove", b"cal", b"ble", b"out",
    b"sti", b"tic", b"oun", b"enc", b"ore", b"ant", b"ity", b"fro", b"art", b"tur", b"par", b"red", b"oth", b"eri",
    b"ies", b"ste", b"ght", b"ich", b"igh", b"und", b"you", b"ort", b"era", b"wer", b"nti", b"nde", b"ind", b"tho",
    b"hou", b"nal", b"use", b"han", b"hin", b"lin", b"ine", b"get", b"set", b"ret", b"urn", b"val", b"lue", b"nam",
    b"ame", b"typ", b"ype", b"err", b"ror", b"fig", b"log", b"tim", b"ime", b"req", b"que", b"ues", b"ser", b"dat",
    b"ata", b"pat", b"ath", b"htt", b"ttp", b"ser", b"st_", b"_id", b"id_", b"ess", b"acc", b"cce", b"sum", b"ary",
    b"rev", b"ady", b"iew", b"mar", b"ark", b"riz", b"pos", b"ost", b"sec", b"ecu", b"cur", b"ode", b"cod", b"ing",
    b"ted", b"ple", b"amp", b"mpl", b"exa", b"xam", b"ser", b"fil", b"ile", b"new", b"ope", b"ela", b"ran", b"ngs",
];

/// A sample of ordinary prompts, prose, code, configuration and logs
/// (written for this purpose): fingerprints avoid its three-byte windows.
const REFERENCE: &str = r#"Please summarize the following document and list the main points.
The standard index of the report shows that under these conditions the model
performs better than expected; however, the results depend on the data set,
the training schedule and the evaluation protocol. Could you translate this
paragraph into French and explain the grammar? Write a short story about a
lighthouse keeper who finds a message in a bottle. What is the difference
between a process and a thread, and when should I use async code instead?
Our customers reported that the checkout page was slow after the last release.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let config = Config::from_file(&args[1])?;
    for (index, item) in config.items.iter().enumerate() {
        println!("{index}: {} ({} bytes)", item.name, item.size);
    }
    Ok(())
}
def load_settings(path):
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    return {key: value for key, value in data.items() if value is not None}
const response = await fetch(`${baseUrl}/api/v1/users/${userId}`, { method: "GET" });
if (!response.ok) { throw new Error(`request failed: ${response.status}`); }
SELECT id, name, created_at FROM orders WHERE status = 'pending' ORDER BY created_at DESC;
{"id": 42, "name": "example", "tags": ["alpha", "beta"], "enabled": true, "count": 17}
server:
  host: localhost
  port: 8080
  timeout_seconds: 30
  log_level: info
2026-01-15T08:30:12.345Z INFO  request_id=3c9a1e07 method=POST path=/api/v2/orders status=201 duration_ms=48
2026-01-15T08:30:13.001Z WARN  connection pool exhausted, retrying in 250ms (attempt 2 of 5)
| Name | Version | Description |
|------|---------|-------------|
| parser | 1.2.0 | Reads the configuration and validates the schema |
"#;

/// How common a byte is in ordinary text and code, roughly in percent.
fn commonness(b: u8) -> f32 {
    match b.to_ascii_lowercase() {
        b'e' => 12.7,
        b't' => 9.1,
        b'a' => 8.2,
        b'o' => 7.5,
        b'i' => 7.0,
        b'n' => 6.7,
        b's' => 6.3,
        b'h' => 6.1,
        b'r' => 6.0,
        b'd' => 4.3,
        b'l' => 4.0,
        b'c' | b'u' => 2.8,
        b'm' | b'w' => 2.4,
        b'f' => 2.2,
        b'g' | b'y' => 2.0,
        b'p' => 1.9,
        b'b' => 1.5,
        b'v' => 1.0,
        b'k' => 0.8,
        b'j' | b'x' => 0.15,
        b'q' | b'z' => 0.1,
        b' ' => 15.0,
        b'0'..=b'9' => 0.6,
        b'-' | b'.' | b',' | b'\n' => 1.0,
        _ => 0.3,
    }
}

impl Prefilter {
    /// Builds the prefilter over `patterns` (already lowercase, non-empty).
    pub(crate) fn new(patterns: Vec<String>) -> Prefilter {
        let mut bits = vec![0u8; 1usize << TABLE_BITS].into_boxed_slice();
        let mut owners = Owners::default();
        let mut short = Vec::new();
        let mut seen: HashMap<u32, u32> = HashMap::new();
        for w in REFERENCE.as_bytes().windows(3) {
            *seen.entry(fold(window(w))).or_default() += 1;
        }
        let common: HashMap<u32, u32> = COMMON_TRIGRAMS.iter().map(|t| (fold(window(*t)), 1)).collect();
        for (pi, p) in patterns.iter().enumerate() {
            let b = p.as_bytes();
            if b.len() < 3 {
                short.push(pi as u32);
                continue;
            }
            // The rarest three-byte window: absent from the reference sample
            // and the list of common trigrams, then the lowest product of
            // letter frequencies.
            let score = |o: usize| {
                let w = &b[o..o + 3];
                let common = COMMON_TRIGRAMS.iter().any(|t| w.eq_ignore_ascii_case(*t));
                let seen = seen.get(&fold(window(w))).copied().unwrap_or(0) as f32;
                w.iter().map(|&c| commonness(c).ln()).sum::<f32>() + if common { 6.0 } else { 0.0 } + 3.0 * seen
            };
            // Each window scored once; the first of equal scores wins.
            let best = (0..=b.len() - 3)
                .map(|o| (score(o), o))
                .min_by(|x, y| x.0.total_cmp(&y.0))
                .map_or(0, |(_, o)| o);
            let k = fold(window(&b[best..best + 3]));
            owners.entry(k).or_default().push((pi as u32, best));
        }
        // The reference windows that are no fingerprint, by how often they
        // occur.
        let others: Vec<(u32, u32)> = seen
            .iter()
            .chain(&common)
            .filter(|(k, _)| !owners.contains_key(k))
            .map(|(&k, &n)| (k, n))
            .collect();
        let mut best = (u32::MAX, 0);
        for m in multipliers() {
            let mul = m << 40;
            bits.fill(0);
            for &k in owners.keys() {
                bits[slot(u64::from(k), mul)] = 1;
            }
            let collisions = others
                .iter()
                .filter(|&&(k, _)| bits[slot(u64::from(k), mul)] != 0)
                .map(|&(_, n)| n)
                .sum::<u32>();
            if collisions < best.0 {
                best = (collisions, mul);
            }
        }
        let mul = best.1;
        bits.fill(0);
        for &k in owners.keys() {
            bits[slot(u64::from(k), mul)] = 1;
        }
        Prefilter {
            patterns: patterns
                .into_iter()
                .map(|p| p.into_bytes().into_boxed_slice())
                .collect(),
            bits,
            owners,
            mul,
            short,
        }
    }

    /// The length of the longest pattern.
    pub(crate) fn longest(&self) -> usize {
        self.patterns.iter().map(|p| p.len()).max().unwrap_or(0)
    }

    /// Calls `f` for every occurrence of every pattern in `text` (ASCII
    /// case-insensitive), in no particular order.
    pub(crate) fn for_each(&self, text: &[u8], mut f: impl FnMut(Hit)) {
        for &pi in &self.short {
            let p = &self.patterns[pi as usize];
            let (lo, up) = (p[0], p[0].to_ascii_uppercase());
            for i in memchr::memchr2_iter(lo, up, text) {
                if text.get(i..i + p.len()).is_some_and(|w| w.eq_ignore_ascii_case(p)) {
                    f(Hit {
                        pattern: pi,
                        start: i,
                        end: i + p.len(),
                    });
                }
            }
        }
        if text.len() < 3 || self.owners.is_empty() {
            return;
        }
        let bits: &[u8; 1 << TABLE_BITS] = match (*self.bits).try_into() {
            Ok(b) => b,
            Err(_) => return,
        };
        // Blocks of 8 windows are hashed independently and their table
        // bytes OR-ed together: no branch per byte and no dependency from
        // one window to the next. A set slot is rare in ordinary text, so
        // finding which window of the block hit is cold.
        let mul = self.mul;
        let mut i = 0;
        while let Some(block) = text.get(i..i + 14) {
            // Two 8-byte loads give the 12 windows starting at i..i + 12.
            let (Ok(lo), Ok(hi)) = (<[u8; 8]>::try_from(&block[..8]), <[u8; 8]>::try_from(&block[6..])) else {
                break;
            };
            let (lo, hi) = (u64::from_le_bytes(lo) | FOLD8, u64::from_le_bytes(hi) | FOLD8);
            let mut any = 0u8;
            for j in 0..6 {
                any |= bits[slot(lo >> (8 * j), mul)];
                any |= bits[slot(hi >> (8 * j), mul)];
            }
            if any != 0 {
                self.block(text, i, lo, hi, &mut f);
            }
            i += 12;
        }
        // The tail, one window at a time.
        for at in i..text.len().saturating_sub(2) {
            let k = fold(window(&text[at..at + 3]));
            if bits[slot(u64::from(k), mul)] != 0 {
                self.verify(text, at, k, &mut f);
            }
        }
    }

    /// The hits among the 12 windows of a block whose table slots were
    /// set (kept out of the scan loop, so that the loop holds no window
    /// for it).
    #[cold]
    #[inline(never)]
    fn block(&self, text: &[u8], i: usize, lo: u64, hi: u64, f: &mut impl FnMut(Hit)) {
        for j in 0..12 {
            let (w, s) = if j < 6 { (lo, j) } else { (hi, j - 6) };
            let k = w >> (8 * s);
            if self.bits.get(slot(k, self.mul)).is_some_and(|&b| b != 0) {
                self.verify(text, i + j, k as u32 & 0x00FF_FFFF, f);
            }
        }
    }

    #[cold]
    fn verify(&self, text: &[u8], at: usize, k: u32, f: &mut impl FnMut(Hit)) {
        let Some(list) = self.owners.get(&fold(k)) else {
            return;
        };
        for &(pi, off) in list {
            let p = &self.patterns[pi as usize];
            let Some(start) = at.checked_sub(off) else {
                continue;
            };
            if text
                .get(start..start + p.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(p))
            {
                f(Hit {
                    pattern: pi,
                    start,
                    end: start + p.len(),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(patterns: &[&str], text: &str) -> Vec<(u32, usize)> {
        let lower = text.to_ascii_lowercase();
        let mut out = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            let mut from = 0;
            while let Some(i) = lower[from..].find(p) {
                out.push((pi as u32, from + i));
                from += i + 1;
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn finds_every_occurrence_like_a_naive_search() {
        let patterns = [
            "password", "pass", "key", "ghp_", "|", "-h", "sk-ant-", "api_key", "apikey",
        ];
        let pre = Prefilter::new(patterns.iter().map(|s| s.to_string()).collect());
        for text in [
            "PASSWORD=x; apiKey=1; API_KEY=2 | ghp_abc -H 'x' sk-ant-api03",
            "passpasspass keykey",
            "",
            "ke",
            "k",
            "Ünïcödé pass wörd ключ key",
        ] {
            let mut got: Vec<(u32, usize)> = Vec::new();
            pre.for_each(text.as_bytes(), |h| got.push((h.pattern, h.start)));
            got.sort_unstable();
            assert_eq!(got, naive(&patterns, text), "{text}");
        }
    }

    /// Every built-in anchor planted at random offsets, in random casing,
    /// among random bytes: the prefilter finds exactly what a naive search
    /// finds.
    #[test]
    fn builtin_anchors_match_a_naive_search() {
        let mut patterns: Vec<String> = Vec::new();
        for r in crate::secrets::builtin_rules() {
            for a in &r.anchors {
                let w = a.trim_start_matches("(?i)").to_ascii_lowercase();
                if !patterns.contains(&w) {
                    patterns.push(w);
                }
            }
        }
        let pre = Prefilter::new(patterns.clone());
        let refs: Vec<&str> = patterns.iter().map(String::as_str).collect();
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        for round in 0..200 {
            let mut text = String::new();
            while text.len() < 600 {
                match next() % 4 {
                    0 => {
                        let p = &patterns[(next() % patterns.len() as u64) as usize];
                        for c in p.chars() {
                            text.push(if next().is_multiple_of(2) {
                                c.to_ascii_uppercase()
                            } else {
                                c
                            });
                        }
                    }
                    1 => text.push(' '),
                    _ => text.push((b' ' + (next() % 95) as u8) as char),
                }
            }
            let mut got: Vec<(u32, usize)> = Vec::new();
            pre.for_each(text.as_bytes(), |h| {
                assert_eq!(h.end - h.start, patterns[h.pattern as usize].len());
                got.push((h.pattern, h.start));
            });
            got.sort_unstable();
            assert_eq!(got, naive(&refs, &text), "round {round}");
        }
    }
}
