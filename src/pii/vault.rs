//! A reversible vault: anonymize a prompt into placeholders, send it to the
//! model, restore the original values in the answer.
//!
//! Placeholders carry a per-vault random nonce (`[EMAIL_3f9a01c2_1]`), so a
//! placeholder the model invents (`[EMAIL_1]`, `[EMAIL_3f9a01c2_7]` that was
//! never issued) or alters is never restored: [`Vault::restore`] replaces
//! only the exact placeholders this vault issued. Only personal data
//! (findings of [`Category::Pii`]) enters the vault; anything else a guard
//! sanitizes (secrets, say) is replaced by its usual redaction and never
//! stored, so it cannot be restored into an answer.
//!
//! **Thread safety.** A `Vault` is plain data (`Send + Sync`): it can be
//! moved between threads or shared read-only for [`Vault::restore`].
//! Anonymizing takes `&mut self`. Use **one vault per request** (its nonce
//! and numbering belong to that conversation turn); drop it when the answer
//! has been restored, which also drops the personal data it holds.
//!
//! ```
//! use palisade::pii::{PiiConfig, Vault};
//! let guard = PiiConfig::default().build(palisade::Profile::Input)?;
//! let mut vault = Vault::new();
//! let prompt = vault.anonymize(&guard, "Email jane.doe@example.com about it.");
//! assert!(!prompt.contains("jane.doe"));
//! // The model answers with the placeholder it was given, and invents one.
//! let placeholder = prompt.split_whitespace().nth(1).unwrap();
//! let answer = format!("Sent to {placeholder}, cc [EMAIL_2].");
//! assert_eq!(vault.restore(&answer), "Sent to jane.doe@example.com, cc [EMAIL_2].");
//! # Ok::<(), palisade::BuildError>(())
//! ```

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::finding::{Action, Category, Finding, Redaction};
use crate::guard::Guard;

/// Holds the placeholder → original mapping of one request.
///
/// ```
/// use palisade::pii::{PiiConfig, Vault};
/// let guard = PiiConfig::default().build(palisade::Profile::Input)?;
/// let mut vault = Vault::new();
/// let prompt = vault.anonymize(&guard, "From ann@example.com");
/// assert_eq!(prompt, format!("From [EMAIL_{}_1]", vault.nonce()));
/// // Debug output shows the nonce and the size, never the values.
/// assert!(!format!("{vault:?}").contains("ann@"));
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone, Default)]
pub struct Vault {
    nonce: String,
    // placeholder -> original value
    forward: HashMap<String, String>,
    // (label, value) -> placeholder
    reverse: HashMap<(String, String), String>,
    counters: HashMap<String, usize>,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the values.
        f.debug_struct("Vault")
            .field("nonce", &self.nonce)
            .field("entries", &self.forward.len())
            .finish()
    }
}

/// 32 random bits as 8 hex digits. Seeded by `std`'s per-process random
/// hasher keys, the clock and a counter: unpredictable enough that a model
/// cannot guess a placeholder it was not shown (not a cryptographic
/// secret, and it need not be one).
fn fresh_nonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.write_u128(nanos);
    format!("{:08x}", h.finish() as u32)
}

impl Vault {
    /// An empty vault with a fresh random nonce.
    ///
    /// ```
    /// use palisade::pii::Vault;
    /// let (a, b) = (Vault::new(), Vault::new());
    /// assert!(a.is_empty());
    /// // Each vault issues its own placeholders.
    /// assert_ne!(a.nonce(), b.nonce());
    /// ```
    pub fn new() -> Vault {
        Vault {
            nonce: fresh_nonce(),
            ..Vault::default()
        }
    }

    /// The nonce inside this vault's placeholders: 8 hex digits.
    ///
    /// ```
    /// use palisade::pii::{PiiConfig, Vault};
    /// let guard = PiiConfig::default().build(palisade::Profile::Input)?;
    /// let mut vault = Vault::new();
    /// assert_eq!(vault.nonce().len(), 8);
    /// assert!(vault.nonce().bytes().all(|b| b.is_ascii_hexdigit()));
    /// let prompt = vault.anonymize(&guard, "mail ann@example.com");
    /// assert!(prompt.contains(vault.nonce()));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    /// How many distinct values the vault holds.
    ///
    /// ```
    /// use palisade::pii::{PiiConfig, Vault};
    /// let guard = PiiConfig::default().build(palisade::Profile::Input)?;
    /// let mut vault = Vault::new();
    /// vault.anonymize(&guard, "ann@example.com, bob@example.com");
    /// vault.anonymize(&guard, "ann@example.com again");
    /// assert_eq!(vault.len(), 2);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn len(&self) -> usize {
        self.forward.len()
    }

    /// True when nothing was anonymized.
    ///
    /// ```
    /// use palisade::pii::{PiiConfig, Vault};
    /// let guard = PiiConfig::default().build(palisade::Profile::Input)?;
    /// let mut vault = Vault::new();
    /// assert_eq!(vault.anonymize(&guard, "no personal data here"), "no personal data here");
    /// assert!(vault.is_empty());
    /// vault.anonymize(&guard, "but ann@example.com is");
    /// assert!(!vault.is_empty());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.forward.is_empty()
    }

    /// Checks `text` with `guard` and returns it with every personal value
    /// replaced by a vault placeholder (equal values share one). Other
    /// sanitized findings get their usual redaction and are not stored;
    /// text a guard would block is returned redacted the same way (the
    /// caller should still look at the guard's verdict before sending).
    ///
    /// ```
    /// use palisade::pii::{PiiConfig, Vault};
    /// let guard = PiiConfig::default().build(palisade::Profile::Input)?;
    /// let mut vault = Vault::new();
    /// let text = "ann@example.com wrote to bob@example.com, then ann@example.com again";
    /// let n = vault.nonce().to_string();
    /// assert_eq!(
    ///     vault.anonymize(&guard, text),
    ///     format!("[EMAIL_{n}_1] wrote to [EMAIL_{n}_2], then [EMAIL_{n}_1] again")
    /// );
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn anonymize<G: Guard + ?Sized>(&mut self, guard: &G, text: &str) -> String {
        if self.nonce.is_empty() {
            self.nonce = fresh_nonce();
        }
        let verdict = guard.check(text);
        let mut spans: Vec<&Finding> = verdict
            .findings()
            .iter()
            .filter(|f| f.action() != Action::Allow || f.category() == Category::Pii)
            .filter(|f| f.start() < f.end())
            .collect();
        spans.sort_by_key(|f| (f.start(), std::cmp::Reverse(f.end())));
        let mut out = String::with_capacity(text.len());
        let mut cursor = 0;
        let mut i = 0;
        while i < spans.len() {
            let first = spans[i];
            let (start, mut end) = (first.start(), first.end());
            let mut all_pii = first.category() == Category::Pii;
            let mut chosen = first;
            i += 1;
            while i < spans.len() && spans[i].start() < end {
                let f = spans[i];
                all_pii &= f.category() == Category::Pii;
                if f.end() - f.start() > chosen.end() - chosen.start() {
                    chosen = f;
                }
                end = end.max(f.end());
                i += 1;
            }
            let start = start.max(cursor);
            if start > end || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            out.push_str(&text[cursor..start]);
            let value = &text[start..end];
            if all_pii {
                let label = chosen.kind().to_ascii_uppercase();
                out.push_str(&self.placeholder(&label, value));
            } else {
                match chosen.redaction() {
                    Redaction::Remove => {}
                    Redaction::Text(t) => out.push_str(t),
                    Redaction::Label(l) | Redaction::Numbered(l) => {
                        out.push('[');
                        out.push_str(l);
                        out.push(']');
                    }
                    _ => {
                        out.push('[');
                        out.push_str(&chosen.kind().to_ascii_uppercase());
                        out.push(']');
                    }
                }
            }
            cursor = end;
        }
        out.push_str(&text[cursor..]);
        out
    }

    fn placeholder(&mut self, label: &str, value: &str) -> String {
        if let Some(p) = self.reverse.get(&(label.to_string(), value.to_string())) {
            return p.clone();
        }
        let n = self.counters.entry(label.to_string()).or_insert(0);
        *n += 1;
        let p = format!("[{label}_{}_{n}]", self.nonce);
        self.forward.insert(p.clone(), value.to_string());
        self.reverse.insert((label.to_string(), value.to_string()), p.clone());
        p
    }

    /// Replaces every exact placeholder this vault issued with its original
    /// value; everything else, including look-alike or invented
    /// placeholders, stays as it is. Linear in the length of `text`.
    ///
    /// ```
    /// use palisade::pii::{PiiConfig, Vault};
    /// let guard = PiiConfig::default().build(palisade::Profile::Input)?;
    /// let mut vault = Vault::new();
    /// let prompt = vault.anonymize(&guard, "Reply to ann@example.com");
    /// let issued = prompt.trim_start_matches("Reply to ");
    /// let answer = format!("Done: {issued}. Not [EMAIL_1], not {}.", issued.to_lowercase());
    /// let restored = vault.restore(&answer);
    /// assert!(restored.starts_with("Done: ann@example.com. Not [EMAIL_1], not [email_"));
    /// // Another vault's placeholders are not this one's.
    /// assert_eq!(Vault::new().restore(issued), issued);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn restore(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let bytes = text.as_bytes();
        let mut cursor = 0;
        let mut at = 0;
        while let Some(off) = memchr::memchr(b'[', &bytes[at..]) {
            let open = at + off;
            at = open + 1;
            // Placeholders are short: look for the closing bracket nearby.
            let limit = (open + 64).min(bytes.len());
            let Some(close) = memchr::memchr(b']', &bytes[open + 1..limit]).map(|c| open + 1 + c) else {
                continue;
            };
            let candidate = &text[open..=close];
            if let Some(original) = self.forward.get(candidate) {
                out.push_str(&text[cursor..open]);
                out.push_str(original);
                cursor = close + 1;
                at = close + 1;
            }
        }
        out.push_str(&text[cursor..]);
        out
    }
}
