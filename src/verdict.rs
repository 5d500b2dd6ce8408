//! The verdict: allowed or not, the findings, and the sanitized text.

use std::fmt;

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeStruct, Serializer};

use crate::finding::{Action, Finding};
use crate::redact::Rewriter;

/// The result of one check.
///
/// Holds no matched value: findings carry spans into the caller's text and
/// masked evidence only. The sanitized text has every `Sanitize` finding
/// replaced.
///
/// ```
/// use palisade::{Action, Category, Finding, Verdict};
/// let text = "call me at home";
/// let f = Finding::new(Category::Custom, "word", "r", 11..15).with_action(Action::Sanitize);
/// let v = Verdict::from_findings(text, vec![f]);
/// assert!(v.allowed());
/// assert_eq!(v.sanitized(), Some("call me at [WORD]"));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    action: Action,
    findings: Vec<Finding>,
    sanitized: Option<String>,
}

impl Verdict {
    /// Builds a verdict over `text`: sorts findings by position (then
    /// category, kind and rule, so the order is deterministic), takes the
    /// strongest action, and builds the sanitized text when any finding's
    /// action is `Sanitize`.
    ///
    /// ```
    /// use palisade::{Action, Category, Finding, Verdict};
    /// let late = Finding::new(Category::Custom, "b", "r", 6..9).with_action(Action::Sanitize);
    /// let early = Finding::new(Category::Custom, "a", "r", 0..3).with_action(Action::Allow);
    /// let v = Verdict::from_findings("one - two", vec![late, early]);
    /// assert_eq!(v.findings()[0].kind(), "a"); // sorted by position
    /// assert_eq!(v.action(), Action::Sanitize); // the strongest
    /// assert_eq!(v.sanitized(), Some("one - [B]"));
    /// ```
    pub fn from_findings(text: &str, findings: Vec<Finding>) -> Verdict {
        Verdict::rewritten(text, findings, &mut Rewriter::default(), &[]).0
    }

    /// [`Verdict::from_findings`] with a rewriter shared by the rounds of a
    /// check; also returns where the sanitized text holds inserted text, and
    /// every rewrite (what the next round's guards may reuse their work
    /// across).
    pub(crate) fn rewritten(
        text: &str,
        mut findings: Vec<Finding>,
        rewriter: &mut Rewriter,
        prior: &[std::ops::Range<usize>],
    ) -> (Verdict, Vec<std::ops::Range<usize>>, Vec<crate::redact::Edit>) {
        for f in &mut findings {
            let (s, e) = (clamp_boundary(text, f.start()), clamp_boundary(text, f.end()));
            if (s, e) != (f.start(), f.end()) {
                *f = f.clone().with_span(s..e);
            }
        }
        findings.sort_by(|a, b| {
            (a.start(), a.end(), a.category(), a.kind(), a.rule())
                .cmp(&(b.start(), b.end(), b.category(), b.kind(), b.rule()))
                .then(b.score().total_cmp(&a.score()))
        });
        findings.dedup_by(|a, b| {
            a.span() == b.span() && a.category() == b.category() && a.kind() == b.kind() && a.rule() == b.rule()
        });
        let action = findings.iter().map(Finding::action).max().unwrap_or(Action::Allow);
        let (sanitized, inserted, edits) = if findings.iter().any(|f| f.action() == Action::Sanitize) {
            let r = rewriter.apply(text, &findings, prior);
            (Some(r.text), r.inserted, r.edits)
        } else {
            (None, Vec::new(), Vec::new())
        };
        let verdict = Verdict {
            action,
            findings,
            sanitized,
        };
        (verdict, inserted, edits)
    }

    /// Takes the sanitized text of the verdict on this verdict's own
    /// sanitized text (see [`Guard::check_input`](crate::Guard::check_input)).
    pub(crate) fn settled_with(mut self, next: Verdict) -> Verdict {
        if let Some(s) = next.sanitized {
            self.sanitized = Some(s);
        }
        self
    }

    /// True unless some finding's action is `Block`.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let g = CustomRules::builder().banned("forbidden topic").build()?;
    /// assert!(g.check("hello").allowed());
    /// assert!(!g.check("the forbidden topic").allowed());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn allowed(&self) -> bool {
        self.action != Action::Block
    }
    /// The strongest action among the findings (`Allow` when there are none).
    ///
    /// ```
    /// use palisade::{Action, Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// assert_eq!(rules.check("hello").action(), Action::Allow);
    /// assert_eq!(rules.check("the launch code").action(), Action::Block);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn action(&self) -> Action {
        self.action
    }
    /// The findings, sorted by position.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("beta").banned("alpha").build()?;
    /// let v = rules.check("alpha then beta");
    /// let starts: Vec<usize> = v.findings().iter().map(|f| f.start()).collect();
    /// assert_eq!(starts, [0, 11]);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }
    /// The text with every `Sanitize` finding replaced, when there is one.
    ///
    /// ```
    /// use palisade::{Action, Guard, custom::{BannedPhrase, CustomRules}};
    /// let rules = CustomRules::builder()
    ///     .banned_phrase(BannedPhrase { phrase: "codename".into(), id: None, action: Some(Action::Sanitize) })
    ///     .build()?;
    /// assert_eq!(rules.check("the codename is").sanitized(), Some("the [BANNED] is"));
    /// assert_eq!(rules.check("nothing here").sanitized(), None);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn sanitized(&self) -> Option<&str> {
        self.sanitized.as_deref()
    }
    /// The text to pass on: the sanitized text if any, else `original`.
    /// `None` when the verdict blocks.
    ///
    /// ```
    /// use palisade::{Guard, Profile};
    /// let guard = Profile::Input.build();
    /// let text = "a\u{202E}b";
    /// assert_eq!(guard.check(text).output(text), Some("ab"));
    /// ```
    pub fn output<'t>(&'t self, original: &'t str) -> Option<&'t str> {
        if !self.allowed() {
            return None;
        }
        Some(self.sanitized().unwrap_or(original))
    }
}

fn clamp_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl fmt::Display for Verdict {
    /// One line: `block: 2 findings (secret/openai_api_key 10..174, …)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} finding{}",
            self.action,
            self.findings.len(),
            if self.findings.len() == 1 { "" } else { "s" }
        )?;
        for (i, x) in self.findings.iter().enumerate() {
            f.write_str(if i == 0 { " (" } else { ", " })?;
            write!(f, "{}/{} {}..{}", x.category(), x.kind(), x.start(), x.end())?;
        }
        if !self.findings.is_empty() {
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("category", &self.category())?;
        m.serialize_entry("kind", self.kind())?;
        m.serialize_entry("rule", self.rule())?;
        m.serialize_entry("start", &self.start())?;
        m.serialize_entry("end", &self.end())?;
        m.serialize_entry("score", &((self.score() as f64 * 1000.0).round() / 1000.0))?;
        m.serialize_entry("action", &self.action())?;
        if let Some(e) = self.evidence() {
            m.serialize_entry("evidence", e)?;
        }
        if let Some(d) = self.detail() {
            m.serialize_entry("detail", d)?;
        }
        m.end()
    }
}

impl Serialize for Verdict {
    /// The CLI contract's verdict object (without `id`).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Verdict", 4)?;
        st.serialize_field("allowed", &self.allowed())?;
        st.serialize_field("action", &self.action)?;
        st.serialize_field("findings", &self.findings)?;
        st.serialize_field("sanitized", &self.sanitized)?;
        st.end()
    }
}
