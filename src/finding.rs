//! Findings: what a guard reports about one place in the text.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

/// What the policy does about a finding. Ordered: `Allow < Sanitize < Block`;
/// a verdict takes the strongest action of its findings.
///
/// ```
/// use palisade::Action;
/// assert!(Action::Allow < Action::Sanitize && Action::Sanitize < Action::Block);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Report only; the text passes unchanged.
    Allow,
    /// Replace the finding's span in the sanitized text; the text passes.
    Sanitize,
    /// Refuse the text.
    Block,
}

impl Action {
    /// The lowercase name used in JSON and policy files.
    ///
    /// ```
    /// assert_eq!(palisade::Action::Sanitize.as_str(), "sanitize");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Sanitize => "sanitize",
            Action::Block => "block",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The family a finding belongs to.
///
/// ```
/// assert_eq!(palisade::Category::Secret.as_str(), "secret");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Input limits: size, lines, tokens, repetition.
    Length,
    /// Unicode attacks: invisible, tag-block, bidi, confusable characters.
    Unicode,
    /// Prompt injection and jailbreaks.
    Injection,
    /// Personal data.
    Pii,
    /// Credentials, keys and tokens.
    Secret,
    /// Output leaks: canaries, system prompt, exfiltration.
    Leak,
    /// Rules the user wrote.
    Custom,
    /// A guard failed; reported so that failure is never silent (fail-closed).
    Error,
}

impl Category {
    /// The lowercase name used in JSON and policy files.
    ///
    /// ```
    /// use palisade::Category;
    /// assert_eq!(Category::Pii.as_str(), "pii");
    /// assert_eq!(Category::Pii.to_string(), Category::Pii.as_str());
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Length => "length",
            Category::Unicode => "unicode",
            Category::Injection => "injection",
            Category::Pii => "pii",
            Category::Secret => "secret",
            Category::Leak => "leak",
            Category::Custom => "custom",
            Category::Error => "error",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a sanitizing finding rewrites its span.
///
/// A redaction never carries the matched value: replacement text is built by
/// the detector from non-sensitive parts only.
///
/// ```
/// use palisade::{Action, Category, Finding, Redaction, Verdict};
/// let text = "ann met bob and ann";
/// let name = |span| Finding::new(Category::Pii, "name", "example.name", span)
///     .with_action(Action::Sanitize)
///     .with_redaction(Redaction::Numbered("NAME".into()));
/// let v = Verdict::from_findings(text, vec![name(0..3), name(8..11), name(16..19)]);
/// assert_eq!(v.sanitized(), Some("[NAME_1] met [NAME_2] and [NAME_1]"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Redaction {
    /// `[LABEL_n]`, numbered per label within one verdict; equal values get
    /// equal numbers. Used for PII.
    Numbered(Cow<'static, str>),
    /// `[LABEL]`, no number. Used for secrets and custom rules.
    Label(Cow<'static, str>),
    /// Fixed replacement text chosen by the detector (for example the span
    /// with invisible characters stripped). Must not contain a secret.
    Text(String),
    /// Delete the span.
    Remove,
    /// Replace every character but the last `keep_last` with `*`.
    Mask {
        /// How many trailing characters stay visible.
        keep_last: u8,
    },
}

/// One thing a guard found.
///
/// The span is a byte range in the caller's original text; the finding never
/// holds the matched value itself, only a masked `evidence` preview.
///
/// ```
/// use palisade::{Action, Category, Finding};
/// let f = Finding::new(Category::Custom, "banned_phrase", "custom.banned", 4..10)
///     .with_score(0.9)
///     .with_action(Action::Block);
/// assert_eq!(f.span(), 4..10);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    category: Category,
    kind: Cow<'static, str>,
    rule: Cow<'static, str>,
    start: usize,
    end: usize,
    score: f32,
    action: Action,
    redaction: Redaction,
    evidence: Option<String>,
    detail: Option<String>,
}

impl Finding {
    /// A finding with score 1.0, action `Block` and a `[KIND]` label redaction.
    ///
    /// ```
    /// use palisade::{Action, Category, Finding, Redaction};
    /// let f = Finding::new(Category::Custom, "ticket_id", "custom.ticket", 3..12);
    /// assert_eq!((f.score(), f.action()), (1.0, Action::Block));
    /// assert_eq!(f.redaction(), &Redaction::Label("TICKET_ID".into()));
    /// assert_eq!(f.evidence(), None);
    /// ```
    pub fn new(
        category: Category,
        kind: impl Into<Cow<'static, str>>,
        rule: impl Into<Cow<'static, str>>,
        span: Range<usize>,
    ) -> Finding {
        let kind = kind.into();
        let label = Cow::Owned(kind.to_ascii_uppercase());
        Finding {
            category,
            kind,
            rule: rule.into(),
            start: span.start,
            end: span.end.max(span.start),
            score: 1.0,
            action: Action::Block,
            redaction: Redaction::Label(label),
            evidence: None,
            detail: None,
        }
    }

    /// Sets the score, clamped to `[0, 1]` (NaN becomes 0).
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Injection, "override", "example", 0..4);
    /// assert_eq!(f.clone().with_score(0.25).score(), 0.25);
    /// assert_eq!(f.clone().with_score(7.0).score(), 1.0);
    /// assert_eq!(f.with_score(f32::NAN).score(), 0.0);
    /// ```
    pub fn with_score(mut self, score: f32) -> Finding {
        self.score = if score.is_nan() { 0.0 } else { score.clamp(0.0, 1.0) };
        self
    }

    /// Sets the action.
    ///
    /// ```
    /// use palisade::{Action, Category, Finding, Verdict};
    /// let f = Finding::new(Category::Custom, "word", "example", 0..5).with_action(Action::Allow);
    /// assert_eq!(f.action(), Action::Allow);
    /// let v = Verdict::from_findings("hello", vec![f]);
    /// assert!(v.allowed() && v.sanitized().is_none()); // reported only
    /// ```
    pub fn with_action(mut self, action: Action) -> Finding {
        self.action = action;
        self
    }

    /// Sets how the span is rewritten when the action is `Sanitize`.
    ///
    /// ```
    /// use palisade::{Action, Category, Finding, Redaction, Verdict};
    /// let text = "card 0000111122223333 ok";
    /// let f = Finding::new(Category::Pii, "card", "example", 5..21)
    ///     .with_action(Action::Sanitize)
    ///     .with_redaction(Redaction::Mask { keep_last: 4 });
    /// let v = Verdict::from_findings(text, vec![f]);
    /// assert_eq!(v.sanitized(), Some("card ************3333 ok"));
    /// ```
    pub fn with_redaction(mut self, redaction: Redaction) -> Finding {
        self.redaction = redaction;
        self
    }

    /// Sets a masked evidence preview built from the matched value with
    /// [`mask`]. Pass the raw match: only its mask is stored. Personal data
    /// (category `pii`) keeps only its length: the first characters of an
    /// e-mail address or a name are themselves personal.
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let secret = Finding::new(Category::Secret, "openai_api_key", "openai", 0..34)
    ///     .with_masked_evidence("sk-proj-abcdefghijklmnopqrstuvwxyz");
    /// assert_eq!(secret.evidence(), Some("sk-p…(34)"));
    /// let email = Finding::new(Category::Pii, "email", "pii.email", 0..17)
    ///     .with_masked_evidence("alice@example.com");
    /// assert_eq!(email.evidence(), Some("…(17)"));
    /// ```
    pub fn with_masked_evidence(mut self, matched: &str) -> Finding {
        self.evidence = Some(if self.category == Category::Pii {
            format!("…({})", matched.chars().count())
        } else {
            mask(matched)
        });
        self
    }

    /// Sets a non-sensitive detail (for example "3 hidden characters" or
    /// "rot13"). Callers must not put matched values here.
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Unicode, "invisible", "example", 0..9)
    ///     .with_detail("3 hidden characters");
    /// assert_eq!(f.detail(), Some("3 hidden characters"));
    /// ```
    pub fn with_detail(mut self, detail: impl Into<String>) -> Finding {
        self.detail = Some(detail.into());
        self
    }

    /// Moves the span (used when mapping from a normalized view or a window).
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Custom, "word", "example", 0..4);
    /// assert_eq!(f.clone().with_span(10..14).span(), 10..14);
    /// assert_eq!(f.with_span(9..2).span(), 9..9); // never reversed
    /// ```
    pub fn with_span(mut self, span: Range<usize>) -> Finding {
        self.start = span.start;
        self.end = span.end.max(span.start);
        self
    }

    /// The finding's family.
    ///
    /// ```
    /// use palisade::{Category, Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let v = rules.check("what is the launch code?");
    /// assert_eq!(v.findings()[0].category(), Category::Custom);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn category(&self) -> Category {
        self.category
    }
    /// The stable snake_case name of what was found (`email`, `tag_smuggling`…).
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let v = rules.check("what is the launch code?");
    /// assert_eq!(v.findings()[0].kind(), "banned_phrase");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn kind(&self) -> &str {
        &self.kind
    }
    /// The id of the rule that fired.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().regex("ticket", "TCK-[0-9]+").build()?;
    /// let v = rules.check("see TCK-42");
    /// assert_eq!(v.findings()[0].rule(), "ticket");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn rule(&self) -> &str {
        &self.rule
    }
    /// The byte span in the original text.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let text = "what is the LAUNCH CODE?";
    /// let span = rules.check(text).findings()[0].span();
    /// assert_eq!(&text[span], "LAUNCH CODE");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
    /// Start of the span (bytes).
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Custom, "word", "example", 4..10);
    /// assert_eq!(f.start(), f.span().start);
    /// assert_eq!(f.start(), 4);
    /// ```
    pub fn start(&self) -> usize {
        self.start
    }
    /// End of the span (bytes, exclusive).
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Custom, "word", "example", 4..10);
    /// assert_eq!(f.end(), 10);
    /// assert_eq!(f.end() - f.start(), 6);
    /// ```
    pub fn end(&self) -> usize {
        self.end
    }
    /// Confidence in `[0, 1]`.
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Injection, "override", "example", 0..4);
    /// assert_eq!(f.score(), 1.0);
    /// assert_eq!(f.with_score(0.6).score(), 0.6);
    /// ```
    pub fn score(&self) -> f32 {
        self.score
    }
    /// What the policy assigned.
    ///
    /// ```
    /// use palisade::{Action, Guard, custom::{BannedPhrase, CustomRules}};
    /// let rules = CustomRules::builder()
    ///     .banned("launch code")
    ///     .banned_phrase(BannedPhrase { phrase: "codename".into(), id: None, action: Some(Action::Sanitize) })
    ///     .build()?;
    /// let v = rules.check("the codename and the launch code");
    /// let actions: Vec<Action> = v.findings().iter().map(|f| f.action()).collect();
    /// assert_eq!(actions, [Action::Sanitize, Action::Block]);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn action(&self) -> Action {
        self.action
    }
    /// How the span is rewritten when sanitizing.
    ///
    /// ```
    /// use palisade::{Category, Finding, Redaction};
    /// let f = Finding::new(Category::Leak, "exfiltration", "example", 0..8)
    ///     .with_redaction(Redaction::Remove);
    /// assert_eq!(f.redaction(), &Redaction::Remove);
    /// ```
    pub fn redaction(&self) -> &Redaction {
        &self.redaction
    }
    /// A masked preview of the match, such as `sk-p…(164)`.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().regex("token", "tok_[a-z0-9]{16,}").build()?;
    /// let v = rules.check("use tok_0123456789abcdefxyz now");
    /// assert_eq!(v.findings()[0].evidence(), Some("tok_…(23)"));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn evidence(&self) -> Option<&str> {
        self.evidence.as_deref()
    }
    /// A non-sensitive explanation.
    ///
    /// ```
    /// use palisade::{Category, Finding};
    /// let f = Finding::new(Category::Custom, "word", "example", 0..4);
    /// assert_eq!(f.detail(), None);
    /// assert_eq!(f.with_detail("rot13").detail(), Some("rot13"));
    /// ```
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }
}

/// Masks a matched value for display: at most the first 4 characters of
/// values of 16 characters or more (none for shorter ones), then `…` and the
/// length in characters.
///
/// ```
/// assert_eq!(palisade::mask("sk-proj-abcdefghijklmnopqrstuvwxyz"), "sk-p…(34)");
/// assert_eq!(palisade::mask("alice@example.com"), "alic…(17)");
/// assert_eq!(palisade::mask("4111"), "…(4)");
/// ```
pub fn mask(value: &str) -> String {
    let n = value.chars().count();
    if n >= 16 {
        let head: String = value.chars().take(4).filter(|c| !c.is_control()).collect();
        format!("{head}…({n})")
    } else {
        format!("…({n})")
    }
}
