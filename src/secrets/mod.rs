//! The `secrets` detector family: API keys, tokens, private keys, passwords.
//!
//! Every rule is a record ([`SecretRule`]): literal anchors, a pattern,
//! validators, a confidence, and examples that must (and must not) match.
//! The built-in rules live in data files under `src/secrets/rules/`,
//! embedded in the crate; a policy adds its own with `[[secrets.rules]]` in
//! the same shape.
//!
//! Checking is anchor-first: one prefilter pass over the original bytes
//! (ASCII case-insensitive, no copy of the text; each anchor is found
//! through its rarest three-byte fingerprint in a hashed table) finds
//! every rule's anchors, then each rule's pattern only in a bounded window
//! around its anchor hits (windows of one rule are merged, so every byte is
//! searched at most once per rule; a rule whose match starts just before
//! its anchor runs anchored searches from the few bytes there that can
//! start it, so a hit that leads nowhere costs a few steps, not a scan of
//! the window), then validators (length, alphabet, entropy, placeholders,
//! CRC32 checksums, JWT and PEM structure). Rules run by decreasing
//! confidence, and a generic assignment whose value a stronger rule
//! already claimed is not validated again. Overlapping matches keep the
//! strongest (most specific) rule. A finding's span is
//! exactly the secret value; its redaction is `[SECRET_<KIND>]`; nothing
//! is restorable.
//!
//! ```
//! use palisade::{Guard, Profile, secrets::SecretsConfig};
//! let guard = SecretsConfig::default().build(Profile::Input)?;
//! let key = palisade::secrets::synthesize("ghp_{c:30}", 1);
//! let text = format!("token = {key}");
//! let v = guard.check(&text);
//! assert_eq!(v.findings()[0].kind(), "github_token");
//! assert_eq!(v.sanitized(), Some("token = [SECRET_GITHUB_TOKEN]"));
//! # Ok::<(), palisade::BuildError>(())
//! ```

mod prefilter;
mod reuse;
mod rule;
mod starts;
mod validate;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, OnceLock};

use regex_automata::meta::Regex;
use regex_automata::{Anchored, Input as ReInput, util::syntax};
use serde::{Deserialize, Serialize};

use crate::error::{BuildError, GuardError};
use crate::finding::{Action, Category, Finding, Redaction};
use crate::guard::Guard;
use crate::input::Input;
use crate::policy::{Profile, Section};

use reuse::{Checked, Kept, Shift, Window};
pub use rule::{SecretRule, synthesize};
use validate::{Outcome, Validator};

/// The built-in rule files, embedded at compile time.
const RULE_FILES: &[(&str, &str)] = &[
    ("ai.rules", include_str!("rules/ai.rules")),
    ("cloud.rules", include_str!("rules/cloud.rules")),
    ("code.rules", include_str!("rules/code.rules")),
    ("saas.rules", include_str!("rules/saas.rules")),
    ("keys.rules", include_str!("rules/keys.rules")),
    ("services.rules", include_str!("rules/services.rules")),
    ("generic.rules", include_str!("rules/generic.rules")),
];

/// Default window (bytes) on each side of an anchor hit.
const DEFAULT_MAX_LEN: usize = 256;
/// The largest `max_len` a rule may declare (PEM keys are the longest).
///
/// ```
/// use palisade::{Profile, secrets::{MAX_SECRET_LEN, SecretsConfig, builtin_rules}};
/// let mut rule = builtin_rules()[0].clone();
/// rule.id = "mine.long".into();
/// rule.max_len = Some(MAX_SECRET_LEN);
/// let mut config = SecretsConfig { rules: vec![rule], ..SecretsConfig::default() };
/// assert!(config.build(Profile::Input).is_ok());
/// config.rules[0].max_len = Some(MAX_SECRET_LEN + 1);
/// assert_eq!(config.build(Profile::Input).unwrap_err().path(), "rules[0].max_len");
/// ```
pub const MAX_SECRET_LEN: usize = 16 * 1024;

/// The built-in rules, parsed once.
///
/// ```
/// assert!(palisade::secrets::builtin_rules().len() >= 250);
/// ```
pub fn builtin_rules() -> &'static [SecretRule] {
    static RULES: LazyLock<Vec<SecretRule>> = LazyLock::new(|| {
        let mut all = Vec::new();
        for (name, text) in RULE_FILES {
            // A malformed built-in file is caught by the crate's tests; at
            // run time its rules are skipped rather than panicking.
            if let Ok(rules) = rule::parse_rule_file(name, text) {
                all.extend(rules);
            }
        }
        all
    });
    &RULES
}

static BUILTIN: LazyLock<Result<Arc<Engine>, BuildError>> = LazyLock::new(|| {
    let compiled = compile_all(builtin_rules(), "builtin", Compile::OnFirstUse)?;
    Ok(Arc::new(Engine::new(compiled)?))
});

/// The `[secrets]` policy section.
///
/// ```toml
/// [secrets]
/// disabled = ["generic.secret_spaced"]
///
/// [[secrets.rules]]
/// id = "acme.token"
/// kind = "acme_token"
/// anchors = ["acme_"]
/// pattern = 'acme_[A-Za-z0-9]{32}'
/// examples = ["acme_{a:32}"]
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecretsConfig {
    /// Extra rules, checked at build time (examples must match, negative
    /// examples must not).
    pub rules: Vec<SecretRule>,
    /// Built-in rules to turn off, by id (`generic.password`) or kind
    /// (`password_assignment`).
    pub disabled: Vec<String>,
}

impl SecretsConfig {
    /// Compiles the section for a profile. The built-in rules are compiled
    /// once per process and shared. Secrets are sanitized in the `input`
    /// and `document` profiles and blocked in `output`.
    ///
    /// ```
    /// use palisade::{Action, Guard, Profile, secrets::{SecretsConfig, synthesize}};
    /// let text = format!("token = {}", synthesize("ghp_{c:30}", 7));
    /// let config = SecretsConfig::default();
    /// assert_eq!(config.build(Profile::Input)?.check(&text).action(), Action::Sanitize);
    /// assert_eq!(config.build(Profile::Output)?.check(&text).action(), Action::Block);
    /// // A rule to disable that does not exist is an error, not a no-op.
    /// let typo = SecretsConfig { disabled: vec!["github.clasic".into()], ..SecretsConfig::default() };
    /// assert_eq!(typo.build(Profile::Input).unwrap_err().path(), "disabled[0]");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn build(&self, profile: Profile) -> Result<SecretsGuard, BuildError> {
        let builtin = BUILTIN.as_ref().map_err(Clone::clone)?;
        for (i, d) in self.disabled.iter().enumerate() {
            if !builtin.rules.iter().any(|r| r.id == *d || r.kind == *d) {
                return Err(BuildError::invalid(
                    format!("disabled[{i}]"),
                    format!("no built-in rule has the id or kind `{d}`"),
                ));
            }
        }
        let engine = if self.rules.is_empty() && self.disabled.is_empty() {
            Arc::clone(builtin)
        } else {
            let mut rules: Vec<Arc<Compiled>> = builtin
                .rules
                .iter()
                .filter(|r| !self.disabled.iter().any(|d| *d == r.id || *d == r.kind))
                .cloned()
                .collect();
            let user = compile_all(&self.rules, "rules", Compile::Now)?;
            for (i, r) in user.iter().enumerate() {
                check_examples(r, &self.rules[i], &format!("rules[{i}]"))?;
            }
            rules.extend(user);
            Arc::new(Engine::new(rules)?)
        };
        let action = match profile {
            Profile::Output => Action::Block,
            Profile::Input | Profile::Document => Action::Sanitize,
        };
        Ok(SecretsGuard { engine, action })
    }
}

/// The section a built-in profile starts with: enabled everywhere;
/// secrets are sanitized in prompts and documents and blocked in answers.
pub(crate) fn default_section(profile: Profile) -> Option<Section<SecretsConfig>> {
    let action = match profile {
        Profile::Output => Action::Block,
        Profile::Input | Profile::Document => Action::Sanitize,
    };
    Some(Section::new(SecretsConfig::default(), Some(action)))
}

/// One compiled rule.
struct Compiled {
    id: String,
    kind: String,
    label: String,
    anchors: Vec<String>,
    matcher: RuleMatcher,
    validators: Vec<Validator>,
    confidence: f32,
    max_len: usize,
    lookbehind: usize,
    /// A generic assignment rule (`provider = generic`): its secret is the
    /// value at the end of its match.
    generic: bool,
}

/// Default window before an anchor hit: room for the boundary byte before
/// a keyword or prefix; rules whose anchor sits inside the match declare a
/// larger `lookbehind`.
const DEFAULT_LOOKBEHIND: usize = 8;

/// Rules whose matches start at most this far before an anchor hit are
/// searched with anchored searches from each possible start.
const ANCHORED_LOOKBEHIND: usize = 16;

/// Room for the anchor itself past a hit's start (see
/// [`Engine::search_at`]).
const ANCHOR_SLACK: usize = 64;

/// Rules that may repeat a wildcard further than this are searched in one
/// pass, not anchored from every hit (see [`pattern_shape`]).
const MAX_ANCHORED_MATCH: usize = 4096;

/// When a rule's regex is compiled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Compile {
    /// While the guard is built: a user's rule, so that a bad pattern is a
    /// build error that names it.
    Now,
    /// The first time the rule's anchor is hit, once per process: the
    /// built-in rules, which the crate's tests compile and run. Most texts
    /// hit a few of hundreds of rules, and compiling them all is most of a
    /// profile's build time and memory.
    OnFirstUse,
}

/// A rule's pattern, compiled now or on first use (see [`Compile`]).
struct RuleMatcher {
    pattern: String,
    lookbehind: usize,
    compiled: OnceLock<Option<Matcher>>,
}

/// What a rule's pattern compiles to.
struct Matcher {
    re: Regex,
    /// The bytes a match can start with (all of them when unknown).
    first: Box<[bool; 256]>,
    /// The two bytes a match can start with, when known.
    starts: Option<starts::Starts>,
    /// Searched with anchored searches from each possible start before an
    /// anchor hit (see [`Engine::search_at`]) rather than a scan of the
    /// whole window.
    anchored: bool,
    /// The shape of a pattern whose secret is its match less a boundary
    /// character on either side, when it has that shape (see [`Frame`]).
    frame: Option<Frame>,
}

/// A pattern `P(G)S` with one capture group `G`, where the boundary `P`
/// is one character of a class or, first alternative or second, the start
/// of the text (`(?:^|[^A-Za-z0-9_])`), or absent, and `S` likewise one
/// character or the end of the text, or absent. In a match that does not
/// start at the start of the text (when `P` may be empty) nor end at its
/// end (when `S` may be), `P` and `S` took exactly one character each, so
/// the group is the match less those: found without the capture search
/// that [`Engine::validate`] runs otherwise (a backtracking search whose
/// cost grows with the pattern's size times the match's length: counted
/// repetitions such as `{20,120}` make it the largest cost of a long
/// token).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Frame {
    /// `P` takes one character; `P` may be empty at the start of the text.
    prefix: bool,
    prefix_may_be_empty: bool,
    suffix: bool,
    suffix_may_be_empty: bool,
}

impl Frame {
    fn of(hir: &regex_syntax::hir::Hir) -> Option<Frame> {
        use regex_syntax::hir::{HirKind, Look};
        if hir.properties().explicit_captures_len() != 1 {
            return None;
        }
        let HirKind::Concat(items) = hir.kind() else {
            return None;
        };
        // One character of a class, or that or the look `edge` (in either
        // order): (takes a character, may be empty).
        let boundary = |h: &regex_syntax::hir::Hir, edge: Look| -> Option<bool> {
            match h.kind() {
                HirKind::Class(_) => Some(false),
                HirKind::Alternation(alts) if alts.len() == 2 => {
                    let is_edge = |h: &regex_syntax::hir::Hir| matches!(h.kind(), HirKind::Look(l) if *l == edge);
                    let is_class = |h: &regex_syntax::hir::Hir| matches!(h.kind(), HirKind::Class(_));
                    ((is_edge(&alts[0]) && is_class(&alts[1])) || (is_class(&alts[0]) && is_edge(&alts[1])))
                        .then_some(true)
                }
                _ => None,
            }
        };
        let group = items
            .iter()
            .position(|h| matches!(h.kind(), HirKind::Capture(c) if c.index == 1))?;
        let (before, after) = (&items[..group], &items[group + 1..]);
        if before.len() > 1 || after.len() > 1 {
            return None;
        }
        let (prefix, prefix_may_be_empty) = match before.first() {
            Some(h) => (true, boundary(h, Look::Start)?),
            None => (false, false),
        };
        let (suffix, suffix_may_be_empty) = match after.first() {
            Some(h) => (true, boundary(h, Look::End)?),
            None => (false, false),
        };
        Some(Frame {
            prefix,
            prefix_may_be_empty,
            suffix,
            suffix_may_be_empty,
        })
    }

    /// The group of the match `whole` of the framed pattern, or `None` when
    /// a boundary may have been empty (the capture search tells).
    fn group(&self, text: &str, whole: std::ops::Range<usize>) -> Option<std::ops::Range<usize>> {
        if (self.prefix_may_be_empty && whole.start == 0) || (self.suffix_may_be_empty && whole.end == text.len()) {
            return None;
        }
        let m = text.get(whole.clone())?;
        let start = if self.prefix {
            whole.start + m.chars().next()?.len_utf8()
        } else {
            whole.start
        };
        let end = if self.suffix {
            whole.end - m.chars().next_back()?.len_utf8()
        } else {
            whole.end
        };
        (start <= end).then_some(start..end)
    }
}

impl RuleMatcher {
    fn new(pattern: &str, lookbehind: usize, when: Compile) -> Result<RuleMatcher, String> {
        let compiled = OnceLock::new();
        if when == Compile::Now {
            let _ = compiled.set(Some(Matcher::new(pattern, lookbehind)?));
        }
        Ok(RuleMatcher {
            pattern: pattern.to_string(),
            lookbehind,
            compiled,
        })
    }

    /// `None` only for a built-in pattern that does not compile, which
    /// `every_rule_example` rules out: it compiles every one.
    fn get(&self) -> Option<&Matcher> {
        self.compiled
            .get_or_init(|| Matcher::new(&self.pattern, self.lookbehind).ok())
            .as_ref()
    }
}

impl Matcher {
    fn new(pattern: &str, lookbehind: usize) -> Result<Matcher, String> {
        let re = compile_regex(pattern)?;
        let (first, far) = pattern_shape(pattern);
        let hir = regex_syntax::ParserBuilder::new()
            .crlf(true)
            .build()
            .parse(pattern)
            .ok();
        let starts = hir.as_ref().and_then(starts::Starts::of);
        let frame = hir.as_ref().and_then(Frame::of);
        // Few possible starts: a short lookbehind, or a pattern that starts
        // at a boundary or with a literal, so that few of the (mostly
        // alphanumeric) bytes before a hit can start a match. A pattern
        // whose matches read far (`BEGIN … END` with anything between) is
        // searched in one pass instead: an anchored search from each of
        // many hits close together would each read on through the window,
        // quadratic in the number of hits.
        let alnum_starts = first
            .iter()
            .enumerate()
            .filter(|&(b, &x)| x && (b as u8).is_ascii_alphanumeric())
            .count();
        let anchored = !far && (lookbehind <= ANCHORED_LOOKBEHIND || (lookbehind <= 128 && alnum_starts <= 12));
        Ok(Matcher {
            re,
            first: Box::new(first),
            starts,
            anchored,
            frame,
        })
    }
}

fn compile_regex(pattern: &str) -> Result<Regex, String> {
    Regex::builder()
        .syntax(syntax::Config::new().crlf(true))
        .configure(
            Regex::config()
                .nfa_size_limit(Some(4 << 20))
                .hybrid_cache_capacity(1 << 20)
                // Patterns run on small windows: the lazy DFA serves them;
                // full and one-pass DFAs per rule would cost build time and
                // memory for every one of hundreds of rules.
                .dfa(false)
                .onepass(false),
        )
        .build(pattern)
        .map_err(|e| e.to_string())
}

fn compile_all(specs: &[SecretRule], prefix: &str, when: Compile) -> Result<Vec<Arc<Compiled>>, BuildError> {
    specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            compile(s, when)
                .map(Arc::new)
                .map_err(|(f, why)| BuildError::invalid(format!("{prefix}[{i}].{f}"), why))
        })
        .collect()
}

fn compile(s: &SecretRule, when: Compile) -> Result<Compiled, (&'static str, String)> {
    if s.id.trim().is_empty() {
        return Err(("id", "is empty".into()));
    }
    let snake = |k: &str| {
        !k.is_empty()
            && k.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    if !snake(&s.kind) {
        return Err(("kind", format!("rule {}: must be snake_case", s.id)));
    }
    if s.anchors.is_empty() || s.anchors.iter().any(|a| a.trim_start_matches("(?i)").is_empty()) {
        return Err(("anchors", format!("rule {}: needs at least one non-empty anchor", s.id)));
    }
    // Unicode `\b` falls back to the slow engine: only `(?-u:\b)` is allowed.
    if s.pattern.matches("\\b").count() != s.pattern.matches("(?-u:\\b)").count() {
        return Err(("pattern", format!("rule {}: use (?-u:\\b), not \\b", s.id)));
    }
    let validators = s
        .validators
        .iter()
        .map(|v| Validator::parse(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ("validators", format!("rule {}: {e}", s.id)))?;
    if !(0.0..=1.0).contains(&s.confidence) {
        return Err(("confidence", format!("rule {}: must be from 0 to 1", s.id)));
    }
    let max_len = s.max_len.unwrap_or(DEFAULT_MAX_LEN);
    if max_len == 0 || max_len > MAX_SECRET_LEN {
        return Err(("max_len", format!("rule {}: must be from 1 to {MAX_SECRET_LEN}", s.id)));
    }
    let lookbehind = s.lookbehind.unwrap_or(DEFAULT_LOOKBEHIND);
    if lookbehind > MAX_SECRET_LEN {
        return Err(("lookbehind", format!("rule {}: must be at most {MAX_SECRET_LEN}", s.id)));
    }
    let matcher = RuleMatcher::new(&s.pattern, lookbehind, when)
        .map_err(|e| ("pattern", format!("rule {}: invalid regex: {e}", s.id)))?;
    Ok(Compiled {
        matcher,
        lookbehind,
        generic: s.provider.eq_ignore_ascii_case("generic"),
        id: s.id.clone(),
        kind: s.kind.clone(),
        label: format!("SECRET_{}", s.kind.to_ascii_uppercase()),
        anchors: s.anchors.clone(),
        validators,
        confidence: s.confidence,
        max_len,
    })
}

/// The bytes a match of `hir` can start with, and whether it can match
/// the empty string (then what follows it can start the match too).
/// Conservative: a look-around is treated as empty, a non-ASCII class
/// allows every byte from 0x80.
fn first_bytes(hir: &regex_syntax::hir::Hir) -> ([bool; 256], bool) {
    use regex_syntax::hir::{Class, HirKind};
    let mut set = [false; 256];
    let nullable = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => {
                set[b as usize] = true;
                false
            }
            None => true,
        },
        HirKind::Class(Class::Bytes(c)) => {
            for r in c.iter() {
                for b in r.start()..=r.end() {
                    set[b as usize] = true;
                }
            }
            false
        }
        HirKind::Class(Class::Unicode(c)) => {
            for r in c.iter() {
                let (lo, hi) = (r.start() as u32, r.end() as u32);
                for b in lo.min(128)..hi.saturating_add(1).min(128) {
                    set[b as usize] = true;
                }
                if hi >= 128 {
                    set[128..].iter_mut().for_each(|x| *x = true);
                }
            }
            false
        }
        HirKind::Repetition(rep) => {
            let (sub, nullable) = first_bytes(&rep.sub);
            set = sub;
            nullable || rep.min == 0
        }
        HirKind::Capture(cap) => {
            let (sub, nullable) = first_bytes(&cap.sub);
            set = sub;
            nullable
        }
        HirKind::Concat(items) => {
            let mut nullable = true;
            for item in items {
                let (sub, n) = first_bytes(item);
                set.iter_mut().zip(sub).for_each(|(x, y)| *x |= y);
                if !n {
                    nullable = false;
                    break;
                }
            }
            nullable
        }
        HirKind::Alternation(items) => {
            let mut nullable = false;
            for item in items {
                let (sub, n) = first_bytes(item);
                set.iter_mut().zip(sub).for_each(|(x, y)| *x |= y);
                nullable |= n;
            }
            nullable
        }
    };
    (set, nullable)
}

/// The bytes a match of `pattern` can start with: every byte when the
/// pattern does not parse here or can match the empty string.
#[cfg(test)]
fn start_bytes(pattern: &str) -> [bool; 256] {
    pattern_shape(pattern).0
}

/// The bytes a match of `pattern` can start with (all of them when
/// unknown), and whether a match can read far through ordinary text: it
/// repeats a wildcard (a class holding the space and most printable ASCII:
/// `.`, `[^;]`) with no bound or one over [`MAX_ANCHORED_MATCH`] (`BEGIN …
/// END` with anything between). Other repeated classes (`\s*`,
/// `[A-Za-z0-9+/]{12,}`) soon meet a byte they do not hold.
fn pattern_shape(pattern: &str) -> ([bool; 256], bool) {
    match regex_syntax::ParserBuilder::new().crlf(true).build().parse(pattern) {
        Ok(hir) => {
            let far = reads_far(&hir);
            match first_bytes(&hir) {
                (set, false) => (set, far),
                (_, true) => ([true; 256], far),
            }
        }
        Err(_) => ([true; 256], true),
    }
}

/// See [`pattern_shape`].
fn reads_far(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Repetition(rep) => {
            // A wildcard: the space and most other printable ASCII.
            let printable = |ranges: &mut dyn Iterator<Item = (u32, u32)>| -> u32 {
                ranges
                    .map(|(a, b)| b.min(0x7E).saturating_add(1).saturating_sub(a.max(0x20)))
                    .sum()
            };
            let (holds_space, count) = match rep.sub.kind() {
                HirKind::Class(Class::Unicode(c)) => (
                    c.ranges().iter().any(|r| r.start() <= ' ' && ' ' <= r.end()),
                    printable(&mut c.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end())))),
                ),
                HirKind::Class(Class::Bytes(c)) => (
                    c.ranges().iter().any(|r| r.start() <= b' ' && b' ' <= r.end()),
                    printable(&mut c.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end())))),
                ),
                _ => (false, 0),
            };
            let wide = holds_space && count >= 80;
            (wide && rep.max.is_none_or(|m| m as usize > MAX_ANCHORED_MATCH)) || reads_far(&rep.sub)
        }
        HirKind::Capture(c) => reads_far(&c.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().any(reads_far),
        _ => false,
    }
}

/// Checks that a user rule's examples match and its negative examples do
/// not. Messages never quote the example values.
fn check_examples(rule: &Arc<Compiled>, spec: &SecretRule, path: &str) -> Result<(), BuildError> {
    let engine = Engine::new(vec![Arc::clone(rule)])?;
    for (j, ex) in spec.examples.iter().enumerate() {
        let text = synthesize(ex, j as u64);
        if engine.candidates(&text).is_empty() {
            return Err(BuildError::invalid(
                format!("{path}.examples[{j}]"),
                format!("rule {}: example does not match", spec.id),
            ));
        }
    }
    for (j, ex) in spec.negative_examples.iter().enumerate() {
        let text = synthesize(ex, j as u64);
        if !engine.candidates(&text).is_empty() {
            return Err(BuildError::invalid(
                format!("{path}.negative_examples[{j}]"),
                format!("rule {}: negative example matches", spec.id),
            ));
        }
    }
    Ok(())
}

/// The prefilter and the rules it dispatches to.
struct Engine {
    rules: Vec<Arc<Compiled>>,
    pre: prefilter::Prefilter,
    /// For each prefilter pattern, the rules it triggers.
    dispatch: Vec<Vec<Dispatch>>,
    /// Rule indexes by decreasing confidence: the order windows are
    /// searched in, so that a value a provider rule claimed is known when
    /// a weaker generic rule matches it.
    order: Vec<u32>,
    /// Position of each rule in `order`.
    rank: Vec<u32>,
    max_len: usize,
}

/// One rule behind a prefilter pattern; `exact` holds the anchor's bytes
/// when it is case-sensitive.
#[derive(Clone, Debug, PartialEq)]
struct Dispatch {
    rule: u32,
    exact: Option<Box<[u8]>>,
}

/// A validated match before overlap resolution.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    start: usize,
    end: usize,
    rule: u32,
    score: f32,
}

impl Engine {
    fn new(rules: Vec<Arc<Compiled>>) -> Result<Engine, BuildError> {
        // The prefilter matches every anchor ASCII case-insensitively on the
        // original bytes (no lowercased copy of the text, no allocation per
        // check), so keyword anchors (`(?i)secret`) match any casing,
        // camelCase included; case-sensitive anchors are re-checked against
        // the original bytes (see `prefilter` for how the pass works).
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut dispatch: Vec<Vec<Dispatch>> = Vec::new();
        for (ri, r) in rules.iter().enumerate() {
            for a in &r.anchors {
                let (exact, word) = match a.strip_prefix("(?i)") {
                    Some(w) => (None, w),
                    None => (Some(a.as_bytes().to_vec().into_boxed_slice()), a.as_str()),
                };
                let lower = word.to_ascii_lowercase();
                let pi = *index.entry(lower.clone()).or_insert_with(|| {
                    patterns.push(lower);
                    dispatch.push(Vec::new());
                    patterns.len() - 1
                });
                let d = Dispatch { rule: ri as u32, exact };
                if !dispatch[pi].contains(&d) {
                    dispatch[pi].push(d);
                }
            }
        }
        let pre = prefilter::Prefilter::new(patterns);
        let max_len = rules
            .iter()
            .map(|r| r.max_len.max(r.lookbehind))
            .max()
            .unwrap_or(DEFAULT_MAX_LEN);
        let mut order: Vec<u32> = (0..rules.len() as u32).collect();
        order.sort_by(|&a, &b| {
            rules[b as usize]
                .confidence
                .total_cmp(&rules[a as usize].confidence)
                .then(a.cmp(&b))
        });
        let mut rank = vec![0u32; rules.len()];
        for (r, &ri) in order.iter().enumerate() {
            rank[ri as usize] = r as u32;
        }
        Ok(Engine {
            rules,
            pre,
            dispatch,
            order,
            rank,
            max_len,
        })
    }

    /// Every validated, non-overlapping match in `text`.
    fn candidates(&self, text: &str) -> Vec<Candidate> {
        self.candidates_after(text, None).0
    }

    /// Every validated, non-overlapping match in `text`, and the work kept
    /// for a settle round. `earlier` is the work kept on the text that
    /// `shift`'s edits rewrote into `text`: the anchors are then scanned
    /// for only around the edits, and windows far from them replay their
    /// matches (see [`reuse`]).
    fn candidates_after(&self, text: &str, earlier: Option<(&Kept, &Shift<'_>)>) -> (Vec<Candidate>, Kept) {
        let mut windows: Vec<Window> = Vec::new();
        match earlier {
            None => self.scan(text, 0..text.len(), |_, _| true, &mut windows),
            Some((kept, shift)) => {
                for w in &kept.windows {
                    if let Some(by) = shift.far_old_hit(w.hit, w.hit_end) {
                        let hit = w.hit.wrapping_add_signed(by);
                        windows.push(self.window(text, w.rank, hit, w.hit_end.wrapping_add_signed(by)));
                    }
                }
                let carried = windows.len();
                let pad = reuse::HIT_REACH + self.pre.longest();
                for region in shift.regions(text.len(), pad) {
                    self.scan(text, region, |s, e| shift.near_new_hit(s, e), &mut windows);
                }
                // The carried windows are (nearly) in order already: sort
                // the new ones, then merge the two runs.
                windows[carried..].sort_unstable();
                windows.sort();
            }
        }
        let mut kept = Kept::default();
        if windows.is_empty() {
            return (Vec::new(), kept);
        }
        kept.runs.reserve(windows.len());
        if earlier.is_none() {
            windows.sort_unstable();
        }
        let mut found: Vec<Candidate> = Vec::new();
        // Candidates by start, to tell whether a stronger one lies inside a
        // generic match.
        let mut by_start: BTreeMap<usize, (usize, f32)> = BTreeMap::new();
        let mut caps_for: Option<(u32, regex_automata::util::captures::Captures)> = None;
        // Where the walks over the earlier groups and hit runs are.
        let (mut cursor, mut run_cursor) = (0, 0);
        let mut i = 0;
        while i < windows.len() {
            let first = i;
            let Window {
                rank,
                start: s,
                end: mut e,
                ..
            } = windows[i];
            i += 1;
            while i < windows.len() && windows[i].rank == rank && windows[i].start <= e {
                e = e.max(windows[i].end);
                i += 1;
            }
            let ri = self.order[rank as usize];
            let Some(m) = self.rules[ri as usize].matcher.get() else {
                continue;
            };
            let from = kept.matches.len();
            if m.anchored {
                let starts = windows[first..i].iter().map(|w| (w.start, w.hit));
                let mut replay = earlier.map(|(old, shift)| (old, shift, &mut run_cursor));
                self.search_at(rank, m, text, s, e, starts, &mut replay, &mut kept);
            } else {
                let replayed = earlier.and_then(|(old, shift)| {
                    let by = shift.unedited_window(s, e)?;
                    let at = |i: usize| i.wrapping_add_signed(-by);
                    old.group(&mut cursor, rank, at(s), at(e), i - first).map(|ms| (ms, by))
                });
                match replayed {
                    Some((ms, by)) => {
                        #[cfg(test)]
                        reuse::REPLAYED.fetch_add(1 + ms.len(), std::sync::atomic::Ordering::Relaxed);
                        kept.matches.extend(reuse::shifted(ms, by))
                    }
                    None => self.search(m, text, s, e, &mut kept.matches),
                }
                kept.groups.push(reuse::Group {
                    rank,
                    start: s,
                    end: e,
                    windows: i - first,
                    matches: from..kept.matches.len(),
                });
            }
            let rule = &self.rules[ri as usize];
            let from_found = found.len();
            for mt in &mut kept.matches[from..] {
                // A generic rule's secret is the value its match ends with:
                // when a stronger rule already claimed a value there, this
                // match cannot win the overlap, so its captures and
                // validators are skipped (rules run by decreasing
                // confidence).
                if rule.generic
                    && by_start
                        .range(mt.start..mt.end)
                        .any(|(_, &(end, score))| score > rule.confidence && end <= mt.end && end + 2 >= mt.end)
                {
                    continue;
                }
                if mt.checked == Checked::Pending {
                    let caps = match &mut caps_for {
                        Some((r, caps)) if *r == ri => caps,
                        slot => &mut slot.insert((ri, m.re.create_captures())).1,
                    };
                    mt.checked = self.validate(ri, m, text, mt.start..mt.end, caps);
                }
                if let Checked::Valid { start, end, score } = mt.checked {
                    found.push(Candidate {
                        start,
                        end,
                        rule: ri,
                        score,
                    });
                }
            }
            for c in &found[from_found..] {
                let slot = by_start.entry(c.start).or_insert((c.end, c.score));
                if c.score > slot.1 || (c.score == slot.1 && c.end > slot.0) {
                    *slot = (c.end, c.score);
                }
            }
        }
        kept.windows = windows;
        (resolve_overlaps(found), kept)
    }

    /// Scans `text[region]` for anchors and adds a window for each hit that
    /// passes its filters and `keep`.
    fn scan(
        &self,
        text: &str,
        region: std::ops::Range<usize>,
        keep: impl Fn(usize, usize) -> bool,
        windows: &mut Vec<Window>,
    ) {
        let bytes = text.as_bytes();
        let Some(part) = bytes.get(region.clone()) else {
            return;
        };
        self.pre.for_each(part, |h| {
            let (start, end) = (region.start + h.start, region.start + h.end);
            if in_secret_label(bytes, start, end) || !keep(start, end) {
                return;
            }
            for d in &self.dispatch[h.pattern as usize] {
                if d.exact.as_deref().is_some_and(|a| bytes.get(start..end) != Some(a)) {
                    continue;
                }
                windows.push(self.window(text, self.rank[d.rule as usize], start, end));
            }
        });
    }

    /// The window of rule `rank` around the hit `hit..hit_end`.
    fn window(&self, text: &str, rank: u32, hit: usize, hit_end: usize) -> Window {
        let rule = &self.rules[self.order[rank as usize] as usize];
        Window {
            rank,
            start: floor_boundary(text, hit.saturating_sub(rule.lookbehind)),
            end: ceil_boundary(text, (hit_end + rule.max_len).min(text.len())),
            hit,
            hit_end,
        }
    }

    /// The matches in the window `ws..we`, not cut by its edges.
    fn search(&self, m: &Matcher, text: &str, ws: usize, we: usize, out: &mut Vec<reuse::Match>) {
        let input = ReInput::new(text).range(ws..we);
        for whole in m.re.find_iter(input) {
            push_uncut(text, ws, we, whole, out);
        }
    }

    /// Searches a window of a rule whose matches start at most
    /// `lookbehind` bytes before an anchor hit: an anchored search from
    /// each possible start (`starts`: the range from each hit's window
    /// start to the hit, in order) instead of an unanchored scan of the
    /// whole window, which costs a scan to the window's end when nothing
    /// matches. Matches do not overlap, as with an unanchored scan.
    ///
    /// Each hit's run (its starts and what they matched) is kept; in a
    /// settle round, a hit whose run reads nothing an edit reached replays
    /// the earlier run instead (`replay`: the earlier work, the edits, and
    /// where the walk over the earlier runs is).
    #[allow(clippy::too_many_arguments)]
    fn search_at(
        &self,
        rank: u32,
        m: &Matcher,
        text: &str,
        ws: usize,
        we: usize,
        starts: impl Iterator<Item = (usize, usize)>,
        replay: &mut Option<(&Kept, &Shift<'_>, &mut usize)>,
        kept: &mut Kept,
    ) {
        let max_len = self.rules[self.order[rank as usize] as usize].max_len;
        // The first start not tried yet: a match ends the starts it covers,
        // and the start ranges of nearby hits overlap (`api_key` holds
        // `key`), so each start is tried once, with the bound of the first
        // hit whose range holds it.
        let mut untried = ws;
        for (from, to) in starts {
            // A match from before this hit ends within the hit's own window
            // (`max_len` past it, anchor included): searching on to the end
            // of a window merged from many hits would read it again from
            // every hit (quadratic in glued tokens with no space).
            let end = ceil_boundary(text, (to + max_len + ANCHOR_SLACK).min(we));
            let mut p = from.max(untried);
            let mut run = reuse::Run {
                rank,
                hit: to,
                first: p,
                end,
                at_window_start: p == ws && ws > 0,
                matches: kept.matches.len()..kept.matches.len(),
                next: p,
            };
            if let Some((old, shift, cursor)) = replay
                && let Some((earlier, by)) = old.run(cursor, shift, &run)
            {
                #[cfg(test)]
                reuse::REPLAYED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                kept.matches
                    .extend(reuse::shifted(&old.matches[earlier.matches.clone()], by));
                p = earlier.next.wrapping_add_signed(by);
            } else {
                while p <= to {
                    if m.first[text.as_bytes()[p] as usize]
                        && m.starts.as_ref().is_none_or(|s| s.may_start(text.as_bytes(), p, end))
                        && text.is_char_boundary(p)
                        && let Some(whole) = m.re.find(ReInput::new(text).range(p..end).anchored(Anchored::Yes))
                    {
                        push_uncut(text, ws, end, whole, &mut kept.matches);
                        p = whole.end().max(p + 1);
                    } else {
                        p += 1;
                    }
                }
            }
            untried = p;
            run.matches.end = kept.matches.len();
            run.next = p;
            kept.runs.push(run);
        }
    }

    /// Validates the match `whole` of rule `ri`: its secret (the first
    /// capture group that took part, or the whole match) and score.
    fn validate(
        &self,
        ri: u32,
        m: &Matcher,
        text: &str,
        whole: std::ops::Range<usize>,
        caps: &mut regex_automata::util::captures::Captures,
    ) -> Checked {
        let rule = &self.rules[ri as usize];
        let span = match m.frame.and_then(|f| f.group(text, whole.clone())) {
            Some(span) => span,
            None => {
                m.re.search_captures(&ReInput::new(text).range(whole.clone()).anchored(Anchored::Yes), caps);
                if caps.get_match().map(|w| w.range()) != Some(whole.clone()) {
                    return Checked::Rejected;
                }
                (1..caps.group_len())
                    .find_map(|g| caps.get_group(g))
                    .map_or(whole.clone(), |g| g.range())
            }
        };
        if span.start >= span.end || !text.is_char_boundary(span.start) || !text.is_char_boundary(span.end) {
            return Checked::Rejected;
        }
        let secret = &text[span.clone()];
        // Palisade's own placeholder (some rules match one, so that their
        // match does not move on once a value is rewritten) is no secret.
        if is_own_label(secret) {
            return Checked::Rejected;
        }
        let matched = &text[whole.clone()];
        let before = span.start.checked_sub(1).map(|i| text.as_bytes()[i]);
        let after = text.as_bytes().get(span.end).copied();
        let quoted = before.is_some_and(|b| matches!(b, b'"' | b'\'' | b'`')) && before == after;
        let key = key_name(text, whole.start);
        let mut score = rule.confidence;
        for v in &rule.validators {
            match v.check(secret, matched, key, quoted) {
                Outcome::Reject => return Checked::Rejected,
                Outcome::Keep(f) => score *= f,
            }
        }
        Checked::Valid {
            start: span.start,
            end: span.end,
            score,
        }
    }
}

/// Adds `whole` to `out` unless the window edge `ws..we` cut it (a match
/// that ends at the window's end may be truncated).
fn push_uncut(text: &str, ws: usize, we: usize, whole: regex_automata::Match, out: &mut Vec<reuse::Match>) {
    if (whole.start() == ws && ws > 0) || (whole.end() == we && we < text.len()) {
        return;
    }
    out.push(reuse::Match {
        start: whole.start(),
        end: whole.end(),
        checked: Checked::Pending,
    });
}

/// Whether `start..end` lies inside a `[SECRET_…]` redaction label (an
/// upper-case word in brackets): the settle rounds check sanitized text,
/// whose labels hold anchor words (`SECRET`, `TOKEN`, `PASSWORD`) but never
/// a secret.
fn in_secret_label(text: &[u8], start: usize, end: usize) -> bool {
    let word = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_';
    let mut s = start;
    while s > 0 && start - s < 64 && word(text[s - 1]) {
        s -= 1;
    }
    if s == 0 || text[s - 1] != b'[' || !text[s..].starts_with(b"SECRET_") {
        return false;
    }
    let mut e = end;
    while e < text.len() && e - end < 64 && word(text[e]) {
        e += 1;
    }
    text.get(e) == Some(&b']') && text[start..end].iter().all(|&b| word(b))
}

/// Keeps the strongest of overlapping candidates: highest score, then the
/// longest span, then the earliest rule.
fn resolve_overlaps(mut found: Vec<Candidate>) -> Vec<Candidate> {
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(a.rule.cmp(&b.rule))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: BTreeMap<usize, (usize, Candidate)> = BTreeMap::new();
    for c in found {
        let before = taken.range(..c.end).next_back();
        if before.is_some_and(|(_, (end, _))| *end > c.start) {
            continue;
        }
        taken.insert(c.start, (c.end, c));
    }
    taken.into_values().map(|(_, c)| c).collect()
}

/// The identifier around `start`: identifier bytes just before it (at most
/// 64) and from it onwards (the name a generic rule's match starts with).
/// A bare name after one space takes the word before it too (`API key`,
/// `Stripe key`, `cache key`), so the pair is judged as one name.
fn key_name(text: &str, start: usize) -> &str {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-');
    let mut s = start;
    while s > 0 && start - s < 64 && ident(b[s - 1]) {
        s -= 1;
    }
    if s == start && s >= 2 && b[s - 1] == b' ' && b[s - 2].is_ascii_alphanumeric() {
        let mut w = s - 1;
        while w > 0 && s - w <= 24 && b[w - 1].is_ascii_alphanumeric() {
            w -= 1;
        }
        if s - 1 - w >= 2 && (w == 0 || !ident(b[w - 1])) {
            s = w;
        }
    }
    let mut e = start;
    while e < b.len() && e - start < 64 && ident(b[e]) {
        e += 1;
    }
    &text[s..e]
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// The secrets guard. Build it with [`SecretsConfig::build`]; cheap to
/// clone (the compiled rules are shared).
///
/// ```
/// use palisade::{Guard, Profile, secrets::{SecretsConfig, synthesize}};
/// let guard = SecretsConfig::default().build(Profile::Input)?;
/// let key = synthesize("ghp_{c:30}", 2);
/// let v = guard.clone().check(&format!("token = {key}"));
/// // The span is exactly the secret; the verdict never shows it.
/// assert_eq!(v.findings()[0].span(), 8..8 + key.len());
/// assert!(!format!("{v:?}").contains(&key));
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone)]
pub struct SecretsGuard {
    engine: Arc<Engine>,
    action: Action,
}

impl std::fmt::Debug for SecretsGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretsGuard")
            .field("rules", &self.engine.rules.len())
            .field("action", &self.action)
            .finish()
    }
}

impl SecretsGuard {
    /// The number of active rules.
    ///
    /// ```
    /// use palisade::{Profile, secrets::SecretsConfig};
    /// assert!(SecretsConfig::default().build(Profile::Input)?.rule_count() >= 250);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn rule_count(&self) -> usize {
        self.engine.rules.len()
    }
}

impl Guard for SecretsGuard {
    // One prefilter pass over the bytes finds every rule's anchors; rules
    // run only in windows around their hits.
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        // Secrets are ASCII: scan the original text, spans need no mapping.
        let text = input.text();
        // The work of the round before, when this is a settle round.
        let key = Arc::as_ptr(&self.engine) as usize;
        let earlier = input.recall::<Kept>(key);
        let (candidates, kept) = match &earlier {
            Some((kept, edits)) => self.engine.candidates_after(text, Some((kept, &Shift::new(edits)))),
            None => self.engine.candidates_after(text, None),
        };
        // Kept when this guard found something, which its rewrites settle.
        // On a text with no secret, keeping would cost a clean check more
        // than it saves: a settle round that another guard's rewrite causes
        // then scans afresh.
        if !candidates.is_empty() {
            input.remember(key, Box::new(kept));
        }
        for c in candidates {
            let r = &self.engine.rules[c.rule as usize];
            findings.push(
                Finding::new(Category::Secret, r.kind.clone(), r.id.clone(), c.start..c.end)
                    .with_score(c.score)
                    .with_action(self.action)
                    .with_redaction(Redaction::Label(r.label.clone().into()))
                    .with_masked_evidence(&text[c.start..c.end]),
            );
        }
        Ok(())
    }

    /// Compiles every rule not compiled yet (the built-in ones compile on
    /// first use).
    fn warm_up(&self) {
        for rule in &self.engine.rules {
            let _ = rule.matcher.get();
        }
    }

    fn name(&self) -> &str {
        "secrets"
    }

    /// The longest rule window (PEM keys: 16 KiB).
    fn max_span(&self) -> Option<usize> {
        Some(self.engine.max_len)
    }
}

/// Whether `s` is a secret placeholder this guard writes (`[SECRET_<KIND>]`).
fn is_own_label(s: &str) -> bool {
    s.strip_prefix("[SECRET_")
        .and_then(|rest| rest.strip_suffix(']'))
        .is_some_and(|kind| {
            !kind.is_empty()
                && kind
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        })
}

#[cfg(test)]
mod tests;
