//! Canary tokens: minting, and finding them in every form a model may
//! re-encode them in.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use memchr::memmem;

use super::text::{self, Stream};
use crate::normalize::{View, ViewKind};

/// The shortest canary accepted, in letters and digits.
pub(crate) const MIN_CANARY: usize = 8;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// 64 random bits without a dependency: `RandomState` keys come from the
/// operating system's random source (once per thread, then incremented);
/// mixing in the time, a counter and a fresh `RandomState` gives distinct
/// unpredictable values per call.
fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.write_u64(&h as *const _ as usize as u64);
    h.finish()
}

/// Mints a canary: `prefix` followed by 20 lowercase hex digits (80 random
/// bits). Put it in the system prompt; [`LeakConfig::canaries`] or
/// [`Context::with_canary`](crate::Context::with_canary) then detect it in
/// answers.
///
/// ```
/// let c = palisade::leak::mint_canary("cnry-");
/// assert!(c.starts_with("cnry-") && c.len() == 25);
/// assert_ne!(c, palisade::leak::mint_canary("cnry-"));
/// ```
///
/// [`LeakConfig::canaries`]: super::LeakConfig::canaries
pub fn mint_canary(prefix: &str) -> String {
    let (a, b) = (random_u64(), random_u64());
    let mut s = String::with_capacity(prefix.len() + 20);
    s.push_str(prefix);
    s.push_str(&format!("{a:016x}{:04x}", b & 0xFFFF));
    s
}

/// One canary compiled into the forms searched (no `Debug`: it is secret).
#[derive(Clone)]
pub(crate) struct CanaryPatterns {
    /// Letters and digits, lowercase (searched in the alnum stream and the
    /// tag stream).
    compact: Vec<u8>,
    reversed: Vec<u8>,
    hex: Vec<u8>,
    base64: Vec<Vec<u8>>,
    /// The canary's own `Compact` view (confusables folded).
    folded: String,
    /// Longest encoded form, in source bytes (for `max_span`).
    pub(crate) max_len: usize,
}

impl CanaryPatterns {
    /// `None` when the canary has fewer than [`MIN_CANARY`] letters and digits.
    pub(crate) fn new(canary: &str) -> Option<CanaryPatterns> {
        let compact = text::alnum(canary).bytes;
        if compact.len() < MIN_CANARY {
            return None;
        }
        let mut reversed = compact.clone();
        reversed.reverse();
        let hex = text::hex_lower(canary.as_bytes());
        let mut base64 = text::base64_cores(canary.as_bytes());
        let lower = canary.to_lowercase();
        if lower != canary {
            base64.extend(text::base64_cores(lower.as_bytes()));
        }
        let folded = View::new(canary, ViewKind::Compact).as_str().to_string();
        // Spaced-out hex (`41 42 …`) and tag characters are the widest forms.
        let max_len = (canary.len() * 4).max(hex.len() * 3 / 2) + 16;
        Some(CanaryPatterns {
            compact,
            reversed,
            hex,
            base64,
            folded,
            max_len,
        })
    }
}

/// The streams of one output that canaries are searched in, built once per
/// check.
pub(crate) struct Streams<'v> {
    /// The original text (the tag stream's source).
    pub(crate) original: &'v str,
    pub(crate) clean: &'v View<'v>,
    pub(crate) alnum: Stream,
    pub(crate) b64: Stream,
    pub(crate) tags: Stream,
    /// The `Compact` view, for non-ASCII text only.
    pub(crate) compact: Option<&'v View<'v>>,
}

/// One place a canary was found: original byte range and the form.
pub(crate) struct Hit {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) form: &'static str,
}

/// Finds every occurrence of the canary, in original byte ranges; one hit
/// per region (the first form that matched it).
pub(crate) fn find(p: &CanaryPatterns, s: &Streams<'_>, hits: &mut Vec<Hit>) {
    // The regions taken so far (disjoint, by start): an overlap test is one
    // ordered lookup, so that many occurrences cost linear time.
    let mut taken: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut push = |hits: &mut Vec<Hit>, start: usize, end: usize, form: &'static str| {
        // Of the regions starting before `end`, the last one ends furthest.
        if taken
            .range(..end.max(start + 1))
            .next_back()
            .is_some_and(|(_, &e)| e > start)
        {
            return;
        }
        taken.insert(start, end);
        hits.push(Hit { start, end, form });
    };
    let via_clean = |st: &Stream, s0: usize, e0: usize| {
        let (a, b) = st.source(s.clean.as_str(), s0, e0);
        let r = s.clean.to_original(a..b);
        (r.start, r.end)
    };
    for (pat, form) in [
        (&p.compact, "verbatim or normalized"),
        (&p.reversed, "reversed"),
        (&p.hex, "hex"),
    ] {
        for at in memmem::find_iter(&s.alnum.bytes, pat) {
            let (a, b) = via_clean(&s.alnum, at, at + pat.len());
            push(hits, a, b, form);
        }
    }
    for core in &p.base64 {
        for at in memmem::find_iter(&s.b64.bytes, core) {
            let (a, b) = via_clean(&s.b64, at, at + core.len());
            push(hits, a, b, "base64");
        }
    }
    for at in memmem::find_iter(&s.tags.bytes, &p.compact) {
        let (a, b) = s.tags.source(s.original, at, at + p.compact.len());
        push(hits, a, b, "tag characters");
    }
    // Confusables are non-ASCII; on ASCII text the letters-and-digits
    // stream has found everything already.
    if let Some(compact) = s.compact.filter(|_| !p.folded.is_empty()) {
        for at in memmem::find_iter(compact.as_str().as_bytes(), p.folded.as_bytes()) {
            let r = compact.to_original(at..at + p.folded.len());
            push(hits, r.start, r.end, "confusable characters");
        }
    }
}

impl CanaryPatterns {
    /// True when the canary appears in these streams of a decoded URL.
    pub(crate) fn in_streams(&self, alnum: &Stream, b64: &Stream) -> bool {
        [&self.compact, &self.reversed, &self.hex]
            .iter()
            .any(|p| memmem::find(&alnum.bytes, p).is_some())
            || self.base64.iter().any(|p| memmem::find(&b64.bytes, p).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_canaries_differ_and_have_shape() {
        let a = mint_canary("x-");
        let b = mint_canary("x-");
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(a[2..].bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
