//! The anchor prefilter: finds every occurrence of every rule anchor
//! (ASCII case-insensitively; case-sensitive anchors are re-checked by the
//! caller) in one pass over the original bytes, without a lowercased copy.
//!
//! The pass is a skip loop over 3-byte fingerprints: each position's next
//! three bytes, ASCII-folded with `| 0x20` (a superset folding: it can only
//! add false candidates, never lose one), are hashed into an 8 KiB bitset
//! holding the fingerprints of every anchor's first three bytes. Only
//! positions whose bit is set are verified, against the few anchors that
//! share the position's lowercased first two bytes. Text without anchors
//! costs a handful of register operations per byte and no allocation.

/// Bits in the fingerprint bitset (a power of two).
const BITS: usize = 1 << 16;

/// A compiled anchor set.
pub(super) struct Prefilter {
    /// The fingerprint bitset.
    bits: Box<[u64; BITS / 64]>,
    /// For each bucket (top bits of a fingerprint hash), where its entries
    /// start in `entries`; one more element than there are buckets.
    starts: Box<[u32]>,
    /// `(fingerprint hash, pattern index)`, sorted by bucket.
    entries: Box<[(u16, u32)]>,
    /// One-byte patterns: `(byte, pattern index)`, found with memchr.
    singles: Vec<(u8, u32)>,
    /// The lowercased patterns.
    patterns: Vec<Box<[u8]>>,
    /// The shortest pattern length.
    min_len: usize,
}

/// Buckets of the verification table (a power of two).
const BUCKETS: usize = 1 << 12;

#[inline(always)]
fn hash(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

#[inline(always)]
fn bucket(h: usize) -> usize {
    h >> 4
}

#[inline(always)]
fn fold3(b0: u8, b1: u8, b2: u8) -> u32 {
    u32::from_le_bytes([b0, b1, b2, 0]) | 0x0020_2020
}

impl Prefilter {
    /// Builds the set; `patterns` are matched ASCII case-insensitively,
    /// each at least one byte long.
    pub(super) fn new(patterns: &[String]) -> Prefilter {
        let mut bits = Box::new([0u64; BITS / 64]);
        let mut entries: Vec<(u16, u32)> = Vec::new();
        let mut singles = Vec::new();
        let mut min_len = usize::MAX;
        let mut stored = Vec::with_capacity(patterns.len());
        for (i, p) in patterns.iter().enumerate() {
            let p = p.as_bytes().to_ascii_lowercase();
            min_len = min_len.min(p.len());
            let mut add = |key: u32| {
                let h = hash(key);
                bits[h >> 6] |= 1 << (h & 63);
                entries.push((h as u16, i as u32));
            };
            match *p.as_slice() {
                [a, b, c, ..] => add(fold3(a, b, c)),
                // The third byte is anything (zero padding at the end of
                // the text included).
                [a, b] => (0..=255u8).for_each(|c| add(fold3(a, b, c))),
                [a] => singles.push((a, i as u32)),
                [] => {}
            }
            stored.push(p.into_boxed_slice());
        }
        entries.sort_unstable_by_key(|&(h, pi)| (bucket(h as usize), h, pi));
        entries.dedup();
        let mut starts = vec![0u32; BUCKETS + 1].into_boxed_slice();
        for &(h, _) in &entries {
            starts[bucket(h as usize) + 1] += 1;
        }
        for b in 0..BUCKETS {
            starts[b + 1] += starts[b];
        }
        Prefilter {
            bits,
            starts,
            entries: entries.into_boxed_slice(),
            singles,
            patterns: stored,
            min_len: if min_len == usize::MAX { 1 } else { min_len },
        }
    }

    #[inline(always)]
    fn hit(&self, key: u32) -> bool {
        let h = hash(key);
        (self.bits[h >> 6] >> (h & 63)) & 1 != 0
    }

    /// Calls `f(pattern, start, end)` for every occurrence of every
    /// pattern in `hay` (ASCII case-insensitively, overlapping), in no
    /// particular order.
    pub(super) fn for_each(&self, hay: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let n = hay.len();
        if n < self.min_len {
            return;
        }
        for &(b, pi) in &self.singles {
            for at in memchr::memchr2_iter(b, b.to_ascii_uppercase(), hay) {
                f(pi as usize, at, at + 1);
            }
        }
        // Main loop: 8 bytes loaded at a time, 6 fingerprints per load,
        // one branch per 6 positions.
        let mut i = 0;
        while i + 8 <= n {
            let Some(Ok(w)) = hay.get(i..i + 8).map(<[u8; 8]>::try_from) else {
                break;
            };
            let w = u64::from_le_bytes(w) | 0x2020_2020_2020_2020;
            let k = |s: u32| ((w >> s) as u32) & 0x00FF_FFFF;
            let any =
                self.hit(k(0)) | self.hit(k(8)) | self.hit(k(16)) | self.hit(k(24)) | self.hit(k(32)) | self.hit(k(40));
            if any {
                for j in 0..6 {
                    self.verify(hay, i + j as usize, k(8 * j), &mut f);
                }
            }
            i += 6;
        }
        // Tail: the last positions, padded with zero bytes.
        while i < n {
            let b = |j: usize| hay.get(i + j).copied().unwrap_or(0);
            self.verify(hay, i, fold3(b(0), b(1), b(2)), &mut f);
            i += 1;
        }
    }

    #[inline(always)]
    fn verify(&self, hay: &[u8], at: usize, key: u32, f: &mut impl FnMut(usize, usize, usize)) {
        let h = hash(key);
        if (self.bits[h >> 6] >> (h & 63)) & 1 == 0 {
            return;
        }
        let b = bucket(h);
        let (lo, hi) = (self.starts[b] as usize, self.starts[b + 1] as usize);
        for &(eh, pi) in self.entries.get(lo..hi).unwrap_or(&[]) {
            if eh as usize != h {
                continue;
            }
            let p = &self.patterns[pi as usize];
            if let Some(s) = hay.get(at..at + p.len())
                && s.eq_ignore_ascii_case(p)
            {
                f(pi as usize, at, at + p.len());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Prefilter;

    fn all(p: &Prefilter, hay: &str) -> Vec<(usize, usize, usize)> {
        let mut v = Vec::new();
        p.for_each(hay.as_bytes(), |a, b, c| v.push((a, b, c)));
        v.sort_unstable();
        v
    }

    /// Naive reference: every case-insensitive occurrence.
    fn naive(pats: &[String], hay: &str) -> Vec<(usize, usize, usize)> {
        let h = hay.as_bytes().to_ascii_lowercase();
        let mut v = Vec::new();
        for (i, p) in pats.iter().enumerate() {
            let p = p.as_bytes();
            for s in 0..h.len() {
                if h[s..].starts_with(p) {
                    v.push((i, s, s + p.len()));
                }
            }
        }
        v.sort_unstable();
        v
    }

    #[test]
    fn finds_every_occurrence_like_a_naive_scan() {
        let pats: Vec<String> = ["key", "api_key", "sk", "q~", "-----begin", "ghp_", "x", "token", "j"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let p = Prefilter::new(&pats);
        for hay in [
            "",
            "k",
            "sk",
            "Q~",
            "x",
            "my API_KEY = ghp_abc and TOKEN; -----BEGIN RSA sk",
            "keykeykey apikey api_Key SKSK q~q~ ghp ghp_ tokentoken x",
            "ends with key",
            "ends with ke",
            "ünïcödé key sk-ä ghp_é",
            "jJ j",
        ] {
            assert_eq!(all(&p, hay), naive(&pats, hay), "{hay:?}");
        }
    }

    #[test]
    fn no_hits_on_text_without_anchors() {
        let pats = vec!["password".to_string(), "ghp_".to_string()];
        let p = Prefilter::new(&pats);
        assert!(all(&p, &"the quarterly report shows growth ".repeat(40)).is_empty());
    }
}
