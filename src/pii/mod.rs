//! The `pii` detector family: personal data found by validated patterns.
//!
//! Every entity has a candidate pattern, a validator and context words. A
//! candidate is **valid** (a checksum or exact structure proves it: kept),
//! **invalid** (dropped), or **unknown** (a low score: kept only when a
//! context word stands among the few words before or after it, whole word,
//! case-folded, or when [`PiiConfig::min_score`] is lowered).
//!
//! Matching runs on the [`ViewKind::Clean`] view, so full-width and
//! Arabic-Indic digits, zero-width splits and soft hyphens inside an entity
//! are caught; spans are mapped back to the original text. A cheap scan for
//! digits, `@` and `:` picks the windows the patterns run in, so prose
//! without such characters costs one byte pass.
//!
//! Kinds (stable): `email`, `phone`, `credit_card`, `iban`, `ip_address`,
//! `mac_address`, `crypto_wallet`, `us_ssn`, `us_itin`, `us_bank_routing`,
//! `us_npi`, `us_mbi`, `us_passport`, `us_bank_account`, `us_driver_license`,
//! `uk_nino`, `uk_nhs`, `uk_postcode`, `uk_vehicle_registration`,
//! `uk_passport`, `ca_sin`, `au_abn`, `au_acn`, `au_tfn`, `au_medicare`,
//! `in_aadhaar`, `in_pan`, `in_gstin`, `de_vat_id`, `de_tax_id`, `es_nif`,
//! `es_nie`, `it_fiscal_code`, `pl_pesel`, `se_personnummer`,
//! `se_organisationsnummer`, `fi_personal_identity_code`, `tr_national_id`,
//! `sg_nric`, `kr_rrn`, `kr_passport`, `th_tnin`, `za_id_number`,
//! `date_of_birth`.
//!
//! **Sample values.** Published sample SSNs (078-05-1120, 219-09-9999,
//! 123-45-6789, 987-65-432x) were never issued or were voided: they are
//! always invalid. Public processor test cards (4111 1111 1111 1111 and the
//! like) pass every check but belong to no one: they are dropped unless
//! [`PiiConfig::flag_test_cards`] is set.
//!
//! ```
//! use palisade::Guard;
//! use palisade::pii::PiiConfig;
//! let guard = PiiConfig::default().build(palisade::Profile::Input)?;
//! let v = guard.check("write to jane.doe@example.com or call +44 20 7946 0958");
//! let kinds: Vec<&str> = v.findings().iter().map(|f| f.kind()).collect();
//! assert_eq!(kinds, ["email", "phone"]);
//! assert_eq!(v.sanitized(), Some("write to [EMAIL_1] or call [PHONE_1]"));
//! # Ok::<(), palisade::BuildError>(())
//! ```

mod checks;
mod digest;
mod recognizers;
pub mod vault;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use regex_automata::meta::Regex;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{Anchored, Input as Haystack, MatchKind, PatternSet};
use serde::{Deserialize, Serialize};

use crate::error::{BuildError, GuardError};
use crate::finding::{Action, Category, Finding, Redaction};
use crate::guard::Guard;
use crate::input::Input;
use crate::normalize::ViewKind;
use crate::policy::{Profile, Section};
use crate::redact::Edit;

use recognizers::{Recognizer, Trigger};

pub use vault::Vault;

/// How a finding of one kind is rewritten in the sanitized text.
///
/// ```
/// use palisade::pii::Operator;
/// let op: Operator = serde_json::from_str(r#"{"op": "mask", "keep_last": 4}"#).unwrap();
/// assert_eq!(op, Operator::Mask { keep_last: 4 });
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Operator {
    /// `[EMAIL_1]`: the kind's placeholder, numbered per value.
    #[default]
    Replace,
    /// Every character but the last `keep_last` becomes `*`.
    Mask {
        /// Trailing characters kept.
        keep_last: u8,
    },
    /// `[EMAIL_9f3c…]`: a keyed hash of the value, stable for one
    /// [`PiiConfig::hash_key`] (SipHash-2-4, 64 bits: a pseudonym, not an
    /// encryption; equal values get equal pseudonyms).
    Hash,
    /// The value is deleted.
    Remove,
}

/// The `[pii]` policy section.
///
/// ```
/// use palisade::Policy;
/// let policy = Policy::from_toml(r#"
///     profile = "input"
///     [pii]
///     min_score = 0.5
///     disabled = ["uk_postcode"]
///     [pii.operators]
///     credit_card = { op = "mask", keep_last = 4 }
/// "#)?;
/// let guard = policy.build()?;
/// use palisade::Guard;
/// let v = guard.check("card 4556 7375 8689 9855");
/// assert_eq!(v.sanitized(), Some("card ***************9855"));
/// # Ok::<(), palisade::PolicyError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PiiConfig {
    /// Only these kinds (empty: every built-in kind).
    pub only: Vec<String>,
    /// Kinds turned off.
    pub disabled: Vec<String>,
    /// Findings scoring below this are dropped. Valid entities score 1.0,
    /// distinctive structures 0.6–0.8, unknown candidates 0.05–0.5 (plus
    /// 0.4 with a context word). Default 0.5; 0.0 keeps every candidate.
    pub min_score: f32,
    /// How many words before and after a candidate are searched for a
    /// context word.
    pub context_words: usize,
    /// Flag public processor test card numbers (default: dropped).
    pub flag_test_cards: bool,
    /// Report every interpretation of overlapping candidates of different
    /// kinds (default: keep the best-scoring one).
    pub keep_overlaps: bool,
    /// Rewriting per kind (default: `replace`).
    pub operators: BTreeMap<String, Operator>,
    /// Key of the `hash` operator (required when any kind uses it).
    pub hash_key: String,
}

impl Default for PiiConfig {
    fn default() -> PiiConfig {
        PiiConfig {
            only: Vec::new(),
            disabled: Vec::new(),
            min_score: 0.5,
            context_words: 5,
            flag_test_cards: false,
            keep_overlaps: false,
            operators: BTreeMap::new(),
            hash_key: String::new(),
        }
    }
}

/// Every built-in kind, in recognizer order (duplicates removed).
///
/// ```
/// assert!(palisade::pii::kinds().contains(&"iban"));
/// ```
pub fn kinds() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = Vec::new();
    for r in recognizers::all() {
        if !v.contains(&r.kind) {
            v.push(r.kind);
        }
    }
    v
}

impl PiiConfig {
    /// Compiles the section for a profile.
    ///
    /// ```
    /// use palisade::pii::PiiConfig;
    /// let mut cfg = PiiConfig::default();
    /// cfg.disabled.push("no_such_kind".into());
    /// assert!(cfg.build(palisade::Profile::Input).is_err());
    /// ```
    pub fn build(&self, _profile: Profile) -> Result<PiiGuard, BuildError> {
        let known = kinds();
        for (field, list) in [("only", &self.only), ("disabled", &self.disabled)] {
            for (i, k) in list.iter().enumerate() {
                if !known.contains(&k.as_str()) {
                    return Err(BuildError::invalid(format!("{field}[{i}]"), "unknown pii kind"));
                }
            }
        }
        for k in self.operators.keys() {
            if !known.contains(&k.as_str()) {
                return Err(BuildError::invalid(format!("operators.{k}"), "unknown pii kind"));
            }
        }
        if !(0.0..=1.0).contains(&self.min_score) {
            return Err(BuildError::invalid("min_score", "expected a number from 0 to 1"));
        }
        let uses_hash = self.operators.values().any(|o| *o == Operator::Hash);
        if uses_hash && self.hash_key.is_empty() {
            return Err(BuildError::invalid("hash_key", "required by the hash operator"));
        }
        let key = self.hash_key.as_bytes();
        let k0 = digest::siphash24(0x70616c6973616465, 0x7069692d6b657930, key);
        let k1 = digest::siphash24(0x70616c6973616465, 0x7069692d6b657931, key);
        let engine = if self.only.is_empty() && self.disabled.is_empty() {
            // Every recognizer: compiled once per process and shared.
            static ALL: OnceLock<Result<Arc<Engine>, BuildError>> = OnceLock::new();
            ALL.get_or_init(|| Engine::build(recognizers::all()).map(Arc::new))
                .clone()?
        } else {
            let chosen: Vec<Recognizer> = recognizers::all()
                .into_iter()
                .filter(|r| self.only.is_empty() || self.only.iter().any(|k| k == r.kind))
                .filter(|r| !self.disabled.iter().any(|k| k == r.kind))
                .collect();
            Arc::new(Engine::build(chosen)?)
        };
        Ok(PiiGuard {
            engine,
            min_score: self.min_score,
            context_words: self.context_words.min(20),
            flag_test_cards: self.flag_test_cards,
            keep_overlaps: self.keep_overlaps,
            operators: self.operators.clone(),
            hash_key: (k0, k1),
        })
    }
}

/// The compiled recognizers of a guard: patterns, the fused pattern set and
/// the context-word index. The full set is built once per process.
struct Engine {
    recognizers: Vec<Recognizer>,
    /// Each recognizer's own regex, compiled the first time the fused set
    /// says it may match (most texts need few of them).
    regexes: Vec<OnceLock<Option<Regex>>>,
    set: Regex,
    /// Two-byte prefixes after which the fused patterns are all dead,
    /// per look-behind class: the pattern pass is skipped there.
    prefix: Box<PrefixTable>,
    /// Bytes some recognizer accepts right before a match.
    left_extra: [bool; 256],
    /// Context words → mask of the recognizers (the first 128) using them.
    ctx_words: WordMap,
    /// Per lowercase ASCII first byte, the lengths (bit `len`, below 64) of
    /// the context words starting with it: most words skip the hash.
    ctx_shape: [u64; 128],
    /// The same per lowercase ASCII last byte.
    ctx_shape_last: [u64; 128],
    /// Longest context word, in bytes.
    ctx_max_len: usize,
    /// The ASCII context words of up to 16 bytes, packed.
    ctx_short: ShortWords,
    /// Every `@`-triggered pattern starts with a run of e-mail local-part
    /// bytes and then `@` (see [`LOCAL_PART`]).
    at_after_local_part: bool,
}

/// Every search is anchored at a token start and reads only the whole
/// match: no prefilter and no capture states to build.
fn anchored_only() -> regex_automata::meta::Config {
    Regex::config()
        .auto_prefilter(false)
        .which_captures(WhichCaptures::Implicit)
}

impl Engine {
    /// Recognizer `idx`'s regex, compiled on first use; `None` only if its
    /// pattern does not compile, which the fused set's build rules out.
    fn regex(&self, idx: usize) -> Option<&Regex> {
        self.regexes[idx]
            .get_or_init(|| {
                Regex::builder()
                    .configure(anchored_only())
                    .build(self.recognizers[idx].pattern)
                    .ok()
            })
            .as_ref()
    }

    fn build(recognizers: Vec<Recognizer>) -> Result<Engine, BuildError> {
        // The fused set is compiled now: a bad pattern is a build error.
        // The recognizers' own regexes compile on first use (the set
        // compiles each pattern, and `patterns_compile` tests them).
        let compiled = recognizers.iter().map(|_| OnceLock::new()).collect();
        // All patterns fused, every match kind reported: one anchored pass
        // per token start tells which recognizers can match there.
        let patterns: Vec<&str> = recognizers.iter().map(|r| r.pattern).collect();
        let set = Regex::builder()
            .configure(anchored_only().match_kind(MatchKind::All))
            .build_many(&patterns)
            .map_err(|e| BuildError::invalid("patterns", e.to_string()))?;
        let prefix = Box::new(PrefixTable::build(&patterns));
        let mut left_extra = [false; 256];
        let mut ctx_words = WordMap::default();
        for (i, r) in recognizers.iter().enumerate() {
            for &b in r.left_extra {
                left_extra[b as usize] = true;
            }
            if i < 128 {
                for w in r.context {
                    *ctx_words.entry(w.trim_matches('\'').to_lowercase()).or_default() |= 1u128 << i;
                }
            }
        }
        let ctx_max_len = ctx_words.keys().map(String::len).max().unwrap_or(0);
        let mut ctx_shape = [0u64; 128];
        let mut ctx_shape_last = [0u64; 128];
        for w in ctx_words.keys() {
            if let (Some(&b), Some(&l)) = (w.as_bytes().first(), w.as_bytes().last())
                && w.is_ascii()
                && w.len() < 64
            {
                ctx_shape[b as usize] |= 1 << w.len();
                ctx_shape_last[l as usize] |= 1 << w.len();
            }
        }
        let ctx_short = ShortWords::build(
            ctx_words
                .iter()
                .filter(|(w, _)| w.is_ascii() && !w.is_empty() && w.len() <= 16)
                .map(|(w, &m)| (w.as_bytes(), m)),
        );
        let at_after_local_part = recognizers
            .iter()
            .filter(|r| r.trigger == Trigger::At)
            .all(|r| r.pattern.starts_with(LOCAL_PART));
        Ok(Engine {
            at_after_local_part,
            ctx_short,
            recognizers,
            regexes: compiled,
            set,
            prefix,
            left_extra,
            ctx_words,
            ctx_max_len,
            ctx_shape,
            ctx_shape_last,
        })
    }
}

/// The section a built-in profile starts with: enabled in every profile,
/// findings sanitized.
pub(crate) fn default_section(_profile: Profile) -> Option<Section<PiiConfig>> {
    Some(Section::new(PiiConfig::default(), Some(Action::Sanitize)))
}

/// The pii guard. Build it once (patterns compile here), share it
/// everywhere: it is `Send + Sync`.
///
/// ```
/// use std::sync::Arc;
/// use palisade::{Guard, pii::PiiConfig};
/// let guard = Arc::new(PiiConfig::default().build(palisade::Profile::Input)?);
/// let shared = Arc::clone(&guard);
/// let worker = std::thread::spawn(move || shared.check("mail ann@example.com").sanitized().map(String::from));
/// assert_eq!(worker.join().unwrap().as_deref(), Some("mail [EMAIL_1]"));
/// assert_eq!(guard.name(), "pii");
/// # Ok::<(), palisade::BuildError>(())
/// ```
pub struct PiiGuard {
    engine: Arc<Engine>,
    min_score: f32,
    context_words: usize,
    flag_test_cards: bool,
    keep_overlaps: bool,
    operators: BTreeMap<String, Operator>,
    hash_key: (u64, u64),
}

impl fmt::Debug for PiiGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PiiGuard")
            .field("recognizers", &self.engine.recognizers.len())
            .field("min_score", &self.min_score)
            .finish_non_exhaustive()
    }
}

/// Longest entity (an e-mail address of 254 bytes, with room for invisible
/// characters the clean view removed).
const MAX_SPAN: usize = 512;

/// How far from a cut a value found in a settle round's stretch must lie
/// to count: what it depends on lies within [`MAX_SPAN`] bytes of it, and
/// twice that leaves room (a window's chain of digits is read a little
/// further than that past a short value).
const SETTLE_MARGIN: usize = 2 * MAX_SPAN;

/// Values found by settle rounds' scans around rewrites, for the tests to
/// tell that they exercise them.
#[cfg(test)]
static SETTLE_FOUND: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The stretches of `text` a settle round scans again (see
/// [`PiiGuard::inspect_rewrites`]): each rewrite with `2 * MAX_SPAN +
/// SETTLE_MARGIN` bytes either side, merged, on char boundaries. A value
/// that depends on a rewrite lies within `2 * MAX_SPAN` bytes of it (it is
/// at most `MAX_SPAN` long and depends on text at most `MAX_SPAN` away), so
/// it is [`SETTLE_MARGIN`] bytes from a cut.
fn near_rewrites(text: &str, edits: &[Edit]) -> Vec<std::ops::Range<usize>> {
    const REACH: usize = 2 * MAX_SPAN + SETTLE_MARGIN;
    let mut around: Vec<std::ops::Range<usize>> = edits
        .iter()
        .map(|e| {
            let mut from = e.new.start.min(text.len()).saturating_sub(REACH);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = e.new.end.saturating_add(REACH).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            from..to
        })
        .collect();
    around.sort_unstable_by_key(|r| r.start);
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(around.len());
    for r in around {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// Where an anchored search from `p` inside a window ending at `e` stops:
/// no entity is longer than [`MAX_SPAN`], and searching to the end of a
/// long window from every start (`%41%41…` merges into one window of
/// token starts) would cost quadratic time.
fn search_end(view: &str, p: usize, e: usize) -> usize {
    let mut end = e.min(p + MAX_SPAN + 1);
    while !view.is_char_boundary(end) {
        end -= 1;
    }
    end
}

const T_DIGIT: u8 = 1;
const T_AT: u8 = 2;
const T_COLON: u8 = 4;

static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = b'0';
    while i <= b'9' {
        t[i as usize] = T_DIGIT;
        i += 1;
    }
    t[b'@' as usize] = T_AT;
    t[b':' as usize] = T_COLON;
    t
};

/// A window of the clean view worth running the patterns on, and which
/// triggers it holds.
struct Window {
    start: usize,
    end: usize,
    mask: u8,
}

/// The first byte at or after `from` that [`CLASS`] marks: whole 32-byte
/// blocks without one are skipped with a branch-free test that vectorizes
/// (digits and `:` are `0x30..=0x3A`, then `@`).
fn next_trigger(text: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(block) = text.get(i..i + 32) {
        if block.iter().fold(false, |any, &b| {
            any | (b.wrapping_sub(b'0') <= b':' - b'0') | (b == b'@')
        }) {
            break;
        }
        i += 32;
    }
    text[i..]
        .iter()
        .position(|&b| CLASS[b as usize] != 0)
        .map(|off| i + off)
}

/// How the `@`-triggered patterns start: a run of e-mail local-part bytes
/// (see [`is_local_part`]), then `@`.
const LOCAL_PART: &str = r"[A-Za-z0-9._%+\-]+@";

/// The bytes of [`LOCAL_PART`]'s class.
fn is_local_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// Finds the windows worth running patterns on: around `@` (for e-mail
/// addresses: room for a 64-byte local part and a long domain) and around
/// digits and `hex:hex` colons (for everything else: every other entity has
/// its first digit within a few characters of its start). Returns
/// `(email windows, other windows)`.
fn windows(text: &[u8]) -> (Vec<Window>, Vec<Window>) {
    let mut at: Vec<Window> = Vec::new();
    let mut other: Vec<Window> = Vec::new();
    let n = text.len();
    let mut i = 0;
    while i < n {
        // Fast skip over bytes that trigger nothing.
        let Some(at_trigger) = next_trigger(text, i) else {
            break;
        };
        i = at_trigger;
        let class = CLASS[text[i] as usize];
        let hex = |j: usize| text.get(j).is_some_and(u8::is_ascii_hexdigit);
        if class == T_COLON && !(i > 0 && hex(i - 1) && hex(i + 1)) {
            i += 1;
            continue;
        }
        // Digits right after `_` (`[PHONE_1]`, `x86_64`) are in no entity:
        // none starts after a word byte and no pattern but e-mail (whose
        // windows open at `@`) holds `_`.
        if class == T_DIGIT && i > 0 && text[i - 1] == b'_' {
            while i < n && text[i].is_ascii_digit() {
                i += 1;
            }
            continue;
        }
        let (list, before, after) = if class == T_AT {
            (&mut at, 72, 264)
        } else {
            (&mut other, 24, 48)
        };
        let start = i.saturating_sub(before);
        let end = (i + after).min(n);
        match list.last_mut() {
            Some(w) if start <= w.end => {
                w.end = w.end.max(end);
                w.mask |= class;
            }
            _ => list.push(Window {
                start,
                end,
                mask: class,
            }),
        }
        i += 1;
    }
    (at, other)
}

/// ASCII bytes of a word for context matching: letters, digits, `'`, `#`.
static CTX_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'\'' || b == b'#';
        i += 1;
    }
    t
};

/// A cheap hasher for the fixed context-word table (keys are known at build
/// time and lookups probe a fixed table: no flooding concern).
#[derive(Default, Clone, Copy)]
struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut a = [0u8; 8];
            a[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(a));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// An open-addressing table of short ASCII words (1 to 16 bytes, stored
/// lowercase and packed into a `u128`) → recognizer mask: a lookup packs
/// and lowercases the word in registers, with no string built or hashed.
struct ShortWords {
    slots: Vec<(u128, u128)>,
    shift: u32,
}

impl ShortWords {
    fn build<'w>(words: impl Iterator<Item = (&'w [u8], u128)>) -> ShortWords {
        let words: Vec<(u128, u128)> = words.map(|(w, m)| (Self::pack(w), m)).collect();
        let size = (words.len() * 4).next_power_of_two().max(16);
        let mut table = ShortWords {
            slots: vec![(0, 0); size],
            shift: 64 - size.trailing_zeros(),
        };
        for (key, mask) in words {
            let mut h = table.slot(key);
            while table.slots[h].0 != 0 && table.slots[h].0 != key {
                h = (h + 1) & (size - 1);
            }
            table.slots[h] = (key, table.slots[h].1 | mask);
        }
        table
    }

    /// The lowercase bytes of `w` (1 to 16 ASCII bytes), little-endian;
    /// never 0.
    fn pack(w: &[u8]) -> u128 {
        let mut a = [0u8; 16];
        for (d, s) in a.iter_mut().zip(w) {
            *d = s.to_ascii_lowercase();
        }
        u128::from_le_bytes(a)
    }

    fn slot(&self, key: u128) -> usize {
        let x = (key as u64) ^ ((key >> 64) as u64).rotate_left(29);
        (x.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// The mask of the word `w` (1 to 16 ASCII bytes, any case).
    fn get(&self, w: &[u8]) -> Option<u128> {
        let key = Self::pack(w);
        let mask = self.slots.len() - 1;
        let mut h = self.slot(key);
        loop {
            match self.slots[h] {
                (0, _) => return None,
                (k, m) if k == key => return Some(m),
                _ => h = (h + 1) & mask,
            }
        }
    }
}

/// The context-word table: lowercase word → mask of recognizers.
type WordMap = std::collections::HashMap<String, u128, std::hash::BuildHasherDefault<WordHasher>>;

/// ASCII letters, digits and `_`.
static WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric() || b == b'_';
        i += 1;
    }
    t
};

fn is_word(b: u8) -> bool {
    WORD[b as usize]
}

/// Whether the token at `p` opens with a run of four or more ASCII letters
/// that no recognizer (but e-mail, tried in its own windows) can start
/// with: every letter-led pattern has a digit right after its letters or a
/// separator after at most three of them (`GB82`, `ABCDE1234F`, `AB-CD 12`,
/// `ABC 123D`), except hex groups before `:` or `.` (IPv6, dotted MACs) and
/// the fully omocodic Italian fiscal code (16 letters). Checked by the
/// differential test against the engine that tries every token start.
fn dead_letter_run(bytes: &[u8], p: usize) -> bool {
    let mut j = p;
    let mut hex = true;
    while j < bytes.len() && bytes[j].is_ascii_alphabetic() {
        hex &= bytes[j].is_ascii_hexdigit();
        j += 1;
    }
    let len = j - p;
    if len < 4 || len == 16 {
        return false;
    }
    match bytes.get(j) {
        Some(b) if b.is_ascii_digit() => false,
        Some(b':' | b'.') => !hex,
        _ => true,
    }
}

/// The left half of the boundary rule without a recognizer's extra bytes:
/// the byte before `start` does not continue a longer token.
fn generic_left_ok(text: &[u8], start: usize) -> bool {
    if start == 0 {
        return true;
    }
    let p = text[start - 1];
    if is_word(p) || p == b'@' || p == b'.' {
        return false;
    }
    // A placeholder stands for the value it replaced, which continued the
    // token (it would have been found with it otherwise): `[PHONE_1]+44…`
    // must read as `+4479…+44…` read, or each settle round would unlock
    // one more number of a run of glued ones.
    if p == b']' && is_placeholder_label(text, start - 1, start - 1) {
        return false;
    }
    if matches!(p, b'-' | b'/' | b'\\') && start >= 2 && (is_word(text[start - 2]) || placeholder_ends(text, start - 1))
    {
        return false;
    }
    true
}

/// Whether a redaction placeholder ends at `end` (`…[UK_NINO_1]` then
/// `end`): it stands for the value it replaced, so a joiner next to it
/// (`-`, `:`, `.`) joins as it did before the value was rewritten
/// (`[UK_NINO_1]:JZ103759A` reads as `AB123456C:JZ103759A`). Otherwise each
/// settle round would unlock one more value of a run of joined ones.
fn placeholder_ends(text: &[u8], end: usize) -> bool {
    end >= 1 && text[end - 1] == b']' && is_placeholder_label(text, end - 1, end - 1)
}

/// Whether a redaction placeholder starts at `start` (see
/// [`placeholder_ends`]).
fn placeholder_starts(text: &[u8], start: usize) -> bool {
    text.get(start) == Some(&b'[') && is_placeholder_label(text, start + 1, start + 1)
}

/// Hand-written boundary rule, left side: the candidate may not continue a
/// longer alphanumeric token (`v1.2.3-4111…`, `a1b2…`, `order_123…`).
fn left_ok(text: &[u8], start: usize, rec: &Recognizer) -> bool {
    if start == 0 {
        return true;
    }
    let p = text[start - 1];
    // Colon forms (IPv6, MAC) do not start in the middle of a colon run.
    if rec.trigger == Trigger::Colon && matches!(p, b':' | b'.') {
        return false;
    }
    if rec.left_extra.contains(&p) {
        return true;
    }
    if rec.email_like && matches!(p, b'.' | b'%' | b'+' | b'-') {
        return false;
    }
    generic_left_ok(text, start)
}

/// Hand-written boundary rule, right side: `x.pdf`, `a/b`, `12-34`
/// continue the token; `-Office` after a number does not.
fn right_ok(text: &[u8], end: usize, rec: &Recognizer) -> bool {
    if end < text.len() {
        let q = text[end];
        if rec.right_extra.contains(&q) {
            return true;
        }
        // A placeholder after the candidate stands for a value that
        // continued it (see `generic_left_ok`).
        if is_word(q) || q == b'@' || (q == b'[' && is_placeholder_label(text, end + 1, end + 1)) {
            return false;
        }
        if end + 1 < text.len() {
            let next = text[end + 1];
            let joins = match q {
                b'-' => next.is_ascii_digit() || placeholder_starts(text, end + 1),
                b'.' | b'/' | b'\\' | b':' => is_word(next) || placeholder_starts(text, end + 1),
                _ => false,
            };
            if joins {
                return false;
            }
        }
    }
    true
}

/// The whole boundary rule.
fn boundary_ok(text: &[u8], start: usize, end: usize, rec: &Recognizer) -> bool {
    left_ok(text, start, rec) && right_ok(text, end, rec)
}

/// Whether the context index holds a word of recognizer `idx` overlapping
/// the bytes `has_context` may read around `[start, end)`: a superset test,
/// the exact one follows.
fn context_near(index: &[(usize, usize, u128)], idx: usize, start: usize, end: usize) -> bool {
    if idx >= 128 {
        return true;
    }
    let lo = start.saturating_sub(124);
    let hi = end + 104;
    let first = index.partition_point(|&(_, e, _)| e <= lo);
    index[first..]
        .iter()
        .take_while(|&&(s, _, _)| s < hi)
        .any(|&(_, _, m)| m & (1u128 << idx) != 0)
}

/// Context words indexed lazily, only around the candidates that need one:
/// a stretch `[from, to)` of the whole-text index (what
/// [`PiiGuard::context_scan`] finds from the text start), extended forward
/// while candidates come in text order and restarted at a new stretch when
/// one lies elsewhere.
#[derive(Default)]
struct ContextCache {
    words: Vec<(usize, usize, u128)>,
    /// A scan position at or before every indexed word.
    from: usize,
    /// Where the scan stopped: every word starting in `[from, to)` is indexed.
    to: usize,
    /// The whole text is indexed (the fallback when no scan position is
    /// found near a candidate: one long word, or text without ASCII
    /// separators).
    whole: bool,
}

/// How far back from a candidate's context range a scan position is looked
/// for before the whole text is indexed instead.
const CTX_SYNC: usize = 256;

impl ContextCache {
    /// The whole text indexed at once (the previous behaviour).
    #[cfg(test)]
    fn whole(guard: &PiiGuard, view: &str) -> ContextCache {
        let mut c = ContextCache::default();
        c.index_whole(guard, view);
        c
    }

    fn index_whole(&mut self, guard: &PiiGuard, view: &str) {
        self.words.clear();
        self.from = 0;
        self.to = guard.context_scan(view, 0, view.len(), &mut self.words);
        self.whole = true;
    }

    /// [`context_near`] on the words around `[start, end)`, indexing them
    /// first if needed.
    fn near(&mut self, guard: &PiiGuard, view: &str, idx: usize, start: usize, end: usize) -> bool {
        if idx >= 128 {
            return true;
        }
        // The range `context_near` reads: words ending after `lo` and
        // starting before `hi`.
        let lo = start.saturating_sub(124);
        let hi = (end + 104).min(view.len());
        let covered = self.from <= lo && hi <= self.to;
        if !self.whole && !covered {
            if self.from <= lo && lo <= self.to {
                // Just ahead: continue the scan.
                self.to = guard.context_scan(view, self.to, hi, &mut self.words);
            } else {
                // Elsewhere: restart at a scan position at or before `lo`.
                let bytes = view.as_bytes();
                let floor = lo.saturating_sub(CTX_SYNC);
                let mut f = lo;
                // An ASCII separator ends every word: the scan stands right
                // after it.
                let separator = |b: u8| b < 0x80 && !CTX_WORD[b as usize];
                while f > floor && !separator(bytes[f - 1]) {
                    f -= 1;
                }
                if f == 0 || separator(bytes[f - 1]) {
                    self.words.clear();
                    self.from = f;
                    self.to = guard.context_scan(view, f, hi, &mut self.words);
                } else {
                    self.index_whole(guard, view);
                }
            }
        }
        context_near(&self.words, idx, start, end)
    }
}

/// Whether one of `words` stands among the `n` words before `start` or the
/// `n` words after `end` (whole words, ASCII case-folded).
fn has_context(text: &str, start: usize, end: usize, words: &[&str], n: usize) -> bool {
    if words.is_empty() || n == 0 {
        return false;
    }
    let mut lo = start.saturating_sub(120);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (end + 100).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let is_sep = |c: char| !(c.is_alphanumeric() || c == '\'' || c == '#');
    let matches = |w: &str| {
        let w = w.trim_matches('\'');
        if w.is_empty() {
            return false;
        }
        if w.is_ascii() {
            words.iter().any(|k| k.eq_ignore_ascii_case(w))
        } else {
            let lower = w.to_lowercase();
            words.iter().any(|k| *k == lower)
        }
    };
    let bytes = text.as_bytes();
    // Offset of a word (a subslice of `text`) in `text`.
    let at = |w: &str| w.as_ptr() as usize - text.as_ptr() as usize;
    // Context does not reach across a redaction placeholder. The value it
    // replaced counted as one or more words there, and the placeholder's
    // label counts differently, so a settle round would see the words
    // beyond it nearer or further than the first check did. If the next
    // number came one word nearer with each rewrite, each round would find
    // one more (a chain longer than the settle rounds leaves one for a
    // later check to find).
    let placeholder = |w: &&str| is_placeholder_label(bytes, at(w), at(w) + w.len());
    let before = text[lo..start]
        .split(is_sep)
        .filter(|w| !w.is_empty())
        .rev()
        .take_while(|w| !placeholder(w))
        .take(n);
    if before.clone().any(matches) {
        return true;
    }
    let after = text[end..hi]
        .split(is_sep)
        .filter(|w| !w.is_empty())
        .take_while(|w| !placeholder(w))
        .take(n);
    after.clone().any(matches)
}

/// Whether the word `[start, end)` is the label of a redaction placeholder
/// (`[PHONE_1]`, `[PHONE]`, `[EMAIL_3f9a_1]`): a value already rewritten
/// is no context word for its neighbours, or sanitizing would find the
/// next number only once the previous one became `[PHONE_1]`.
fn is_placeholder_label(text: &[u8], start: usize, end: usize) -> bool {
    // Any word of the label counts (`[UK_VEHICLE_REGISTRATION_1]`): walk
    // out over label bytes, a bounded distance, to the brackets.
    const MAX: usize = 64;
    let label = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut s = start;
    while s > 0 && start - s < MAX && label(text[s - 1]) {
        s -= 1;
    }
    let mut e = end;
    while e < text.len() && e - end < MAX && label(text[e]) {
        e += 1;
    }
    s > 0 && text[s - 1] == b'[' && text.get(e) == Some(&b']') && text.get(s).is_some_and(u8::is_ascii_uppercase)
}

/// The lowercase words within a few words of the window `[s, e)`.
#[cfg(test)]
fn window_words(text: &str, s: usize, e: usize) -> Vec<String> {
    let mut lo = s.saturating_sub(120);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = (e + 100).min(text.len());
    while !text.is_char_boundary(hi) {
        hi -= 1;
    }
    text[lo..hi]
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '#'))
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_matches('\'').to_lowercase())
        .collect()
}

/// Which two-byte prefixes can start a match of any pattern, computed once
/// with a lazy DFA of all patterns (exact: a prefix is marked dead only when
/// the automaton is dead after it). Indexed by the look-behind class of the
/// byte before the token (text start, `\n`, `\r`, any other non-word byte).
struct PrefixTable {
    live: Vec<u64>,
}

impl PrefixTable {
    fn build(patterns: &[&str]) -> PrefixTable {
        use regex_automata::hybrid::{LazyStateID, dfa::DFA};
        use regex_automata::util::start;
        let all_live = PrefixTable {
            live: vec![u64::MAX; 4 * 256 * 256 / 64],
        };
        let Ok(dfa) = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_many(patterns)
        else {
            return all_live;
        };
        let mut cache = dfa.create_cache();
        let mut live = vec![0u64; 4 * 256 * 256 / 64];
        // Bytes of one equivalence class lead to the same state, and many
        // first bytes to the same second state: each (state, class) pair is
        // stepped once.
        let classes = dfa.byte_classes();
        let mut seconds: std::collections::HashMap<LazyStateID, [bool; 256]> = std::collections::HashMap::new();
        for (class, behind) in [None, Some(b'\n'), Some(b'\r'), Some(b' ')].into_iter().enumerate() {
            let cfg = start::Config::new().anchored(Anchored::Yes).look_behind(behind);
            let Ok(s0) = dfa.start_state(&mut cache, &cfg) else {
                return all_live;
            };
            let mut firsts: [Option<LazyStateID>; 256] = [None; 256];
            for b0 in 0..=255u8 {
                let c0 = usize::from(classes.get(b0));
                let s1 = match firsts[c0] {
                    Some(s1) => s1,
                    None => {
                        let Ok(s1) = dfa.next_state(&mut cache, s0, b0) else {
                            return all_live;
                        };
                        firsts[c0] = Some(s1);
                        s1
                    }
                };
                if s1.is_dead() {
                    continue;
                }
                if let std::collections::hash_map::Entry::Vacant(entry) = seconds.entry(s1) {
                    // Whether the automaton lives on after each class.
                    let mut after: [Option<bool>; 256] = [None; 256];
                    let mut alive = [false; 256];
                    for b1 in 0..=255u8 {
                        let c1 = usize::from(classes.get(b1));
                        alive[usize::from(b1)] = match after[c1] {
                            Some(a) => a,
                            None => {
                                let Ok(s2) = dfa.next_state(&mut cache, s1, b1) else {
                                    return all_live;
                                };
                                after[c1] = Some(!s2.is_dead());
                                !s2.is_dead()
                            }
                        };
                    }
                    entry.insert(alive);
                }
                let alive = &seconds[&s1];
                for b1 in 0..=255u8 {
                    if alive[usize::from(b1)] || s1.is_match() {
                        let bit = (class << 16) | ((b0 as usize) << 8) | b1 as usize;
                        live[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
        // State ids are only valid until the cache is cleared (it never is
        // for these few states; if it were, every prefix stays live).
        if cache.clear_count() > 0 {
            return all_live;
        }
        PrefixTable { live }
    }

    /// Whether a match may start at `p` (which is followed by at least two
    /// bytes and not preceded by a word byte).
    fn may_start(&self, text: &[u8], p: usize) -> bool {
        let class = match p.checked_sub(1).map(|i| text[i]) {
            None => 0,
            Some(b'\n') => 1,
            Some(b'\r') => 2,
            Some(_) => 3,
        };
        let bit = (class << 16) | ((text[p] as usize) << 8) | text[p + 1] as usize;
        self.live[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// One accepted candidate, in view coordinates.
struct Candidate {
    idx: usize,
    start: usize,
    end: usize,
    score: f32,
}

impl PiiGuard {
    fn candidates(&self, view: &str) -> Vec<Candidate> {
        let bytes = view.as_bytes();
        let mut out = Vec::new();
        let (at, other) = windows(bytes);
        // Context words near candidates, indexed on need around them.
        let mut ctx = ContextCache::default();
        let mut hits = PatternSet::new(self.engine.set.pattern_len());
        for (email_only, w) in at
            .into_iter()
            .map(|w| (true, w))
            .chain(other.into_iter().map(|w| (false, w)))
        {
            let mut s = w.start;
            while !view.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = w.end;
            while !view.is_char_boundary(e) {
                e += 1;
            }
            // End of the run of e-mail local-part bytes last measured.
            let mut local_end = 0;
            // Where matches may start: the whole window, or in e-mail
            // windows only the local-part runs right before an `@` (the
            // test below fails everywhere else).
            let mut starts: Vec<std::ops::Range<usize>> = Vec::with_capacity(1);
            if !(email_only && self.engine.at_after_local_part) {
                starts.push(s..e);
            } else {
                for k in memchr::memchr_iter(b'@', &bytes[s..e]).map(|k| s + k) {
                    let mut r = k;
                    while r > s && is_local_part(bytes[r - 1]) {
                        r -= 1;
                    }
                    starts.push(r..k);
                }
            }
            for p in starts.into_iter().flatten() {
                // Entities start at a token start: not after a letter or digit.
                let b = bytes[p];
                let opens = b.is_ascii_alphanumeric()
                    || b == b'+'
                    || b == b'('
                    || (b == b':' && bytes.get(p + 1) == Some(&b':'));
                if !opens || (p > 0 && is_word(bytes[p - 1])) {
                    continue;
                }
                // A plain word of four or more letters starts no entity.
                if !email_only && b.is_ascii_alphabetic() && dead_letter_run(bytes, p) {
                    continue;
                }
                // No recognizer accepts a match starting here (`v1.2`,
                // `12-34`, `a/b`): skip the pattern pass.
                if p > 0 && !generic_left_ok(bytes, p) && !self.engine.left_extra[bytes[p - 1] as usize] {
                    continue;
                }
                if p + 2 <= e && !self.engine.prefix.may_start(bytes, p) {
                    continue;
                }
                // An e-mail address has its `@` right after the run of
                // local-part bytes that starts here (the run's end is
                // shared by every start inside it: found once).
                if email_only && self.engine.at_after_local_part {
                    if p >= local_end {
                        local_end = p + bytes[p..e].iter().take_while(|&&b| is_local_part(b)).count();
                    }
                    if local_end == p || bytes.get(local_end) != Some(&b'@') || local_end >= e {
                        continue;
                    }
                }
                hits.clear();
                let end = search_end(view, p, e);
                let input = Haystack::new(view).range(p..end).anchored(Anchored::Yes);
                self.engine.set.which_overlapping_matches(&input, &mut hits);
                if hits.is_empty() {
                    continue;
                }
                // `take`: the iterator would scan every pattern slot after the last hit.
                for pid in hits.iter().take(hits.len()) {
                    let idx = pid.as_usize();
                    let rec = &self.engine.recognizers[idx];
                    if email_only != (rec.trigger == Trigger::At) || !left_ok(bytes, p, rec) {
                        continue;
                    }
                    let input = Haystack::new(view).range(p..end).anchored(Anchored::Yes);
                    let Some(m) = self.engine.regex(idx).and_then(|re| re.find(input)) else {
                        continue;
                    };
                    if m.end() == end && end < e {
                        continue; // cut short by the bound: no entity is that long
                    }
                    // Kept only with a context word: `consider` looks for one
                    // of this recognizer's words near the match once the
                    // cheap checks pass.
                    let gated = rec.max_plain < self.min_score;
                    self.consider(idx, view, m.start(), m.end(), gated, &mut ctx, &mut out);
                }
            }
        }
        self.resolve(out)
    }

    /// Every word of `view` that is a context word of a context-gated
    /// recognizer: `(start, end, recognizer mask)`, in text order.
    #[cfg(test)]
    fn context_index(&self, view: &str) -> Vec<(usize, usize, u128)> {
        let mut out = Vec::new();
        self.context_scan(view, 0, view.len(), &mut out);
        out
    }

    /// Indexes the context words (every word that is a context word of a
    /// context-gated recognizer: `(start, end, recognizer mask)`) starting
    /// at `from` and before `until`, appending them to `out`; returns where
    /// the scan stopped (at or after `until`). `from` must be a scan
    /// position of the whole-text scan (the text start, a position after an
    /// ASCII separator, or a position this returned): the words found are
    /// then exactly those the whole-text scan finds there.
    fn context_scan(&self, view: &str, from: usize, until: usize, out: &mut Vec<(usize, usize, u128)>) -> usize {
        let bytes = view.as_bytes();
        let mut buf = String::new();
        let mut i = from;
        let n = bytes.len();
        let until = until.min(n);
        while i < until {
            let b = bytes[i];
            if b < 0x80 && !CTX_WORD[b as usize] {
                i += 1;
                continue;
            }
            // A word: up to the next separator (same rule as `has_context`).
            let start = i;
            let mut j = start;
            while j < n && CTX_WORD[bytes[j] as usize] {
                j += 1;
            }
            if j > start && (j == n || bytes[j] < 0x80) {
                // All-ASCII word (the common case).
                i = j;
            } else {
                let rest = &view[start..];
                let len = rest
                    .char_indices()
                    .find(|&(_, c)| !(c.is_alphanumeric() || c == '\'' || c == '#'))
                    .map_or(rest.len(), |(j, _)| j);
                i = start + len.max(1);
                while i < n && !view.is_char_boundary(i) {
                    i += 1;
                }
            }
            // Quotes around the word are not part of it.
            let (mut s, mut e) = (start, i);
            while s < e && bytes[s] == b'\'' {
                s += 1;
            }
            while e > s && bytes[e - 1] == b'\'' {
                e -= 1;
            }
            let len = e - s;
            if len == 0 || len > self.engine.ctx_max_len || bytes[s].is_ascii_digit() {
                continue;
            }
            let (first, last) = (bytes[s], bytes[e - 1]);
            let ascii = bytes[s..e].is_ascii();
            if ascii
                && len < 64
                && (self.engine.ctx_shape[first.to_ascii_lowercase() as usize] & (1 << len) == 0
                    || self.engine.ctx_shape_last[last.to_ascii_lowercase() as usize] & (1 << len) == 0)
            {
                continue;
            }
            if ascii && len <= 16 {
                // Short ASCII words (nearly all): the packed table.
                if let Some(mask) = self.engine.ctx_short.get(&bytes[s..e])
                    && !is_placeholder_label(bytes, start, i)
                {
                    out.push((start, i, mask));
                }
                continue;
            }
            let word = &view[s..e];
            buf.clear();
            if word.is_ascii() {
                buf.extend(word.bytes().map(|b| b.to_ascii_lowercase() as char));
            } else {
                buf.push_str(&word.to_lowercase());
            }
            if let Some(&mask) = self.engine.ctx_words.get(buf.as_str())
                && !is_placeholder_label(bytes, start, i)
            {
                out.push((start, i, mask));
            }
        }
        i
    }

    /// Validates a match and keeps it as a candidate. A `gated` recognizer's
    /// match (see [`Recognizer::max_plain`]) is dropped unless one of its
    /// context words stands near the whole match.
    #[allow(clippy::too_many_arguments)]
    fn consider(
        &self,
        idx: usize,
        view: &str,
        ms: usize,
        me: usize,
        gated: bool,
        ctx: &mut ContextCache,
        out: &mut Vec<Candidate>,
    ) {
        let bytes = view.as_bytes();
        let match_end = me;
        let rec = &self.engine.recognizers[idx];
        if !boundary_ok(bytes, ms, me, rec) {
            return;
        }
        // `+` opens an international number: the digits after it are not a
        // national or local one (`+880 8888888` is not `880-888-8888`).
        if rec.kind == "phone" && rec.rule != "pii.phone.international" && ms > 0 && bytes[ms - 1] == b'+' {
            return;
        }
        // Nor do they start inside a longer run of digit groups (`123 4567`
        // in `917 123 4567`, which failed as a whole).
        if rec.kind == "phone"
            && rec.rule != "pii.phone.international"
            && ms >= 2
            && matches!(bytes[ms - 1], b' ' | b'-' | b'.')
            && bytes[ms - 2].is_ascii_digit()
        {
            return;
        }
        let Some((score, len)) = (rec.validate)(&view[ms..me]) else {
            return;
        };
        let full_len = me - ms;
        let me = ms + len.min(full_len);
        if len < full_len && !boundary_ok(bytes, ms, me, rec) {
            return;
        }
        let value = &view[ms..me];
        if rec.kind == "credit_card" && !self.flag_test_cards {
            let d: String = value.chars().filter(char::is_ascii_digit).collect();
            if recognizers::TEST_CARDS.contains(&d.as_str()) {
                return;
            }
        }
        if gated && !ctx.near(self, view, idx, ms, match_end) {
            return;
        }
        let mut score = score;
        if score < recognizers::VALID
            && ctx.near(self, view, idx, ms, me)
            && has_context(view, ms, me, rec.context, self.context_words)
        {
            score = (score + 0.4).min(0.95);
        }
        if score >= self.min_score {
            out.push(Candidate {
                idx,
                start: ms,
                end: me,
                score,
            });
        }
    }

    /// Removes duplicates: per kind, overlapping candidates keep the best
    /// (score, then length); across kinds the same unless `keep_overlaps`.
    fn resolve(&self, mut c: Vec<Candidate>) -> Vec<Candidate> {
        // Within a kind, a candidate inside a longer one is part of it
        // (`415 555 2671` inside `+1 415 555 2671`): drop it first.
        c.sort_by(|a, b| {
            let (ka, kb) = (self.engine.recognizers[a.idx].kind, self.engine.recognizers[b.idx].kind);
            ka.cmp(kb).then(a.start.cmp(&b.start)).then(b.end.cmp(&a.end))
        });
        let mut outer: Option<(&str, usize, usize)> = None;
        c.retain(|x| {
            let kind = self.engine.recognizers[x.idx].kind;
            match outer {
                Some((k, s, e)) if k == kind && x.start >= s && x.end <= e && (x.start, x.end) != (s, e) => false,
                _ => {
                    if outer.is_none_or(|(k, _, e)| k != kind || x.end > e) {
                        outer = Some((kind, x.start, x.end));
                    }
                    true
                }
            }
        });
        c.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then((b.end - b.start).cmp(&(a.end - a.start)))
                .then(a.start.cmp(&b.start))
        });
        let mut kept: Vec<Candidate> = Vec::with_capacity(c.len());
        // Kept spans that may not be overlapped, disjoint by construction:
        // one map overall, or one per kind with `keep_overlaps`
        // (start → end), so each test looks at one neighbour.
        let mut taken: BTreeMap<&str, BTreeMap<usize, usize>> = BTreeMap::new();
        for cand in c {
            let kind = if self.keep_overlaps {
                self.engine.recognizers[cand.idx].kind
            } else {
                ""
            };
            let spans = taken.entry(kind).or_default();
            let clash = spans
                .range(..cand.end)
                .next_back()
                .is_some_and(|(_, &end)| end > cand.start);
            if !clash {
                spans.insert(cand.start, cand.end);
                kept.push(cand);
            }
        }
        kept.sort_by_key(|k| (k.start, k.end));
        kept
    }

    /// The finding for a candidate of the clean view `view`.
    fn finding(&self, view: &crate::normalize::View<'_>, c: Candidate) -> Finding {
        let rec = &self.engine.recognizers[c.idx];
        let value = &view.as_str()[c.start..c.end];
        Finding::new(Category::Pii, rec.kind, rec.rule, view.to_original(c.start..c.end))
            .with_score(c.score)
            .with_action(Action::Sanitize)
            .with_redaction(self.redaction(rec.kind, value))
            .with_masked_evidence(value)
    }

    fn redaction(&self, kind: &'static str, value: &str) -> Redaction {
        let label = kind.to_ascii_uppercase();
        match self.operators.get(kind).cloned().unwrap_or_default() {
            Operator::Replace => Redaction::Numbered(label.into()),
            Operator::Mask { keep_last } => Redaction::Mask { keep_last },
            Operator::Remove => Redaction::Remove,
            Operator::Hash => {
                let h = digest::siphash24(self.hash_key.0, self.hash_key.1, value.as_bytes());
                Redaction::Text(format!("[{label}_{h:016x}]"))
            }
        }
    }
}

impl Guard for PiiGuard {
    // Reads the whole clean view: personal values (phone numbers, card
    // numbers, names of streets) have no literal anchor. One byte-class
    // pass finds token starts; the fused recognizers run only at those
    // that can open one, validation and context words only after a match.
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        let view = input.view(ViewKind::Clean);
        let text = view.as_str();
        for c in self.candidates(text) {
            findings.push(self.finding(view, c));
        }
        Ok(())
    }

    // A settle round's text is the previous round's with a few spans
    // rewritten, and that round rewrote every value it found. A finding
    // depends only on the text within `MAX_SPAN` bytes of it (the bound
    // streaming relies on), so a value with no rewrite that near was there
    // before and was rewritten then: only the stretches around the
    // rewrites are scanned again (`near_rewrites`), and a value found
    // there counts only if the stretch holds everything it depends on.
    // Texts whose clean view is not the text itself (invisible characters
    // left in, so that bytes of the text and of the view differ) are
    // scanned whole.
    fn inspect_rewrites(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        let view = input.view(ViewKind::Clean);
        let Some(edits) = input.edits().filter(|_| view.is_identity()) else {
            return self.inspect(input, findings);
        };
        let text = view.as_str();
        for stretch in near_rewrites(text, &edits) {
            let (from, to) = (stretch.start, stretch.end);
            for c in self.candidates(&text[stretch]) {
                // Too near a cut: what it depends on may lie outside.
                let cut_before = from > 0 && c.start < SETTLE_MARGIN;
                let cut_after = to < text.len() && c.end + SETTLE_MARGIN > to - from;
                if cut_before || cut_after {
                    continue;
                }
                #[cfg(test)]
                SETTLE_FOUND.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                findings.push(self.finding(
                    view,
                    Candidate {
                        start: from + c.start,
                        end: from + c.end,
                        ..c
                    },
                ));
            }
        }
        Ok(())
    }

    /// Compiles every recognizer not compiled yet (they compile on first
    /// use).
    fn warm_up(&self) {
        for idx in 0..self.engine.recognizers.len() {
            let _ = self.engine.regex(idx);
        }
    }

    fn name(&self) -> &str {
        "pii"
    }

    fn max_span(&self) -> Option<usize> {
        Some(MAX_SPAN)
    }
}

impl PiiGuard {
    /// The previous engine (window-wide context gate, every token start
    /// tried), kept as the reference for the differential test.
    #[cfg(test)]
    fn candidates_reference(&self, view: &str) -> Vec<Candidate> {
        let bytes = view.as_bytes();
        let mut out = Vec::new();
        let mut ctx = ContextCache::whole(self, view);
        let (at, other) = windows(bytes);
        for (email_only, w) in at
            .into_iter()
            .map(|w| (true, w))
            .chain(other.into_iter().map(|w| (false, w)))
        {
            let mut s = w.start;
            while !view.is_char_boundary(s) {
                s -= 1;
            }
            let mut e = w.end;
            while !view.is_char_boundary(e) {
                e += 1;
            }
            // Lowercase words around the window, built only when a
            // context-only recognizer needs them.
            let mut words: Option<Vec<String>> = None;
            // Per recognizer: may it run in this window (context gate)?
            let mut gate: Vec<Option<bool>> = vec![None; self.engine.recognizers.len()];
            let mut hits = PatternSet::new(self.engine.set.pattern_len());
            for p in s..e {
                // Entities start at a token start: not after a letter or digit.
                let b = bytes[p];
                let opens = b.is_ascii_alphanumeric()
                    || b == b'+'
                    || b == b'('
                    || (b == b':' && bytes.get(p + 1) == Some(&b':'));
                if !opens || (p > 0 && is_word(bytes[p - 1])) {
                    continue;
                }
                hits.clear();
                let end = search_end(view, p, e);
                let input = Haystack::new(view).range(p..end).anchored(Anchored::Yes);
                self.engine.set.which_overlapping_matches(&input, &mut hits);
                if hits.is_empty() {
                    continue;
                }
                for pid in hits.iter() {
                    let idx = pid.as_usize();
                    let rec = &self.engine.recognizers[idx];
                    if email_only != (rec.trigger == Trigger::At) {
                        continue;
                    }
                    if rec.max_plain < self.min_score {
                        let open = *gate[idx].get_or_insert_with(|| {
                            let ws = words.get_or_insert_with(|| window_words(view, s, e));
                            rec.context.iter().any(|c| ws.iter().any(|w| w == c))
                        });
                        if !open {
                            continue;
                        }
                    }
                    let input = Haystack::new(view).range(p..end).anchored(Anchored::Yes);
                    if let Some(m) = self.engine.regex(idx).and_then(|re| re.find(input))
                        && !(m.end() == end && end < e)
                    {
                        self.consider(idx, view, m.start(), m.end(), false, &mut ctx, &mut out);
                    }
                }
            }
        }
        self.resolve(out)
    }
}

#[cfg(test)]
mod tests;
