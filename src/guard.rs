//! The one trait every validator and every pipeline implements.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::GuardError;
use crate::finding::{Action, Category, Finding};
use crate::input::{Context, Input};
use crate::redact::Rewriter;
use crate::verdict::Verdict;

/// A check over text. Validators implement [`Guard::inspect`]; callers use
/// [`Guard::check`].
///
/// The trait is object safe: `Box<dyn Guard>` and `Arc<dyn Guard>` work, and
/// a [`Pipeline`](crate::Pipeline) of guards is itself a guard. Guards are
/// `Send + Sync`: build once, share everywhere.
///
/// ```
/// use palisade::{Guard, custom::CustomRules};
/// let guard = CustomRules::builder().banned("project bluebird").build()?;
/// let verdict = guard.check("Tell me about Project  Bluebird.");
/// assert!(!verdict.allowed());
/// assert_eq!(verdict.findings()[0].span(), 14..31);
/// # Ok::<(), palisade::BuildError>(())
/// ```
pub trait Guard: Send + Sync {
    /// Pushes what this guard finds in `input` onto `findings`, spans in the
    /// original text. Use the shared views of `input` rather than normalizing
    /// again.
    ///
    /// ```
    /// use palisade::{Action, Category, Finding, Guard, GuardError, Input, ViewKind};
    ///
    /// /// Flags the word "password" however it is disguised.
    /// struct PasswordWord;
    ///
    /// impl Guard for PasswordWord {
    ///     fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
    ///         let view = input.view(ViewKind::Folded);
    ///         for (at, _) in view.as_str().match_indices("password") {
    ///             let span = view.to_original(at..at + "password".len());
    ///             findings.push(Finding::new(Category::Custom, "credential_word", "example.password", span)
    ///                 .with_action(Action::Sanitize));
    ///         }
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let text = "my PASS\u{200B}WORD is";
    /// let v = PasswordWord.check(text);
    /// assert_eq!(&text[v.findings()[0].span()], "PASS\u{200B}WORD");
    /// assert_eq!(v.sanitized(), Some("my [CREDENTIAL_WORD] is"));
    /// ```
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError>;

    /// A short name for error findings and logs.
    ///
    /// ```
    /// use palisade::{Finding, Guard, GuardError, Input};
    /// struct Classifier;
    /// impl Guard for Classifier {
    ///     fn inspect(&self, _: &Input<'_>, _: &mut Vec<Finding>) -> Result<(), GuardError> {
    ///         Err(GuardError::new("model not loaded"))
    ///     }
    ///     fn name(&self) -> &str { "classifier" }
    /// }
    /// assert_eq!(Classifier.check("hi").findings()[0].rule(), "error.classifier");
    /// ```
    fn name(&self) -> &str {
        "guard"
    }

    /// The longest span, in bytes, that one finding of this guard can cover,
    /// if bounded. Streaming uses it to decide how much text to hold back;
    /// `None` means unbounded (the guard needs the whole text).
    ///
    /// ```
    /// use palisade::{Guard, Pipeline, Profile, custom::CustomRules, leak::LeakConfig};
    /// let leak = LeakConfig::default().build(Profile::Output)?;
    /// assert!(leak.max_span().is_some());
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// assert_eq!(rules.max_span(), None);
    /// // A pipeline is bounded only when every stage is.
    /// assert_eq!(Pipeline::builder().guard(leak.clone()).build().max_span(), leak.max_span());
    /// assert_eq!(Pipeline::builder().guard(leak).guard(rules).build().max_span(), None);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    fn max_span(&self) -> Option<usize> {
        None
    }

    /// Inspects a text that sanitizing produced, when only the findings
    /// that rewrite text matter (the settle rounds of
    /// [`check_input`](Guard::check_input)). The default is
    /// [`inspect`](Guard::inspect); a guard that knows part of its work
    /// never sanitizes may skip it (a [`Pipeline`](crate::Pipeline) skips
    /// the stages whose action is fixed to allow or block, which is most of
    /// the cost of a profile's injection scoring).
    ///
    /// ```
    /// use palisade::{Action, Guard, Input, Pipeline, Stage, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("secret plan").build()?;
    /// let report_only = Pipeline::builder().stage(Stage::new(rules).action(Action::Block)).build();
    /// let mut found = Vec::new();
    /// report_only.inspect_rewrites(&Input::new("the secret plan"), &mut found)?;
    /// assert!(found.is_empty()); // a blocking stage never rewrites text
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn inspect_rewrites(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        self.inspect(input, findings)
    }

    /// Compiles now what the guard would otherwise compile the first time a
    /// text needs it: the built-in secret rules, PII recognizers and the
    /// injection rules for spaced-out text compile on first use, once per
    /// process, so that building stays cheap; a
    /// first check that needs many of them pays for it (up to about 100 ms
    /// when one text hits every rule). A service that wants no such pause
    /// calls this once after building; it costs what the lazy compilation
    /// saves (for the `input` profile about 0.2 s and 36 MiB, measured by
    /// `examples/build_cost.rs`). The default does nothing; a
    /// [`Pipeline`](crate::Pipeline) warms up every stage.
    ///
    /// ```
    /// use palisade::{Guard, Profile};
    /// let guard = Profile::Input.build();
    /// guard.warm_up(); // every built-in rule is compiled now
    /// assert!(guard.check("hello").allowed());
    /// ```
    fn warm_up(&self) {}

    /// Checks `text` with an empty context.
    ///
    /// ```
    /// use palisade::{Context, Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// assert!(!rules.check("the launch code").allowed());
    /// let text = "the launch code";
    /// assert_eq!(rules.check(text), rules.check_with(text, &Context::new()));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    fn check(&self, text: &str) -> Verdict {
        self.check_input(&Input::new(text))
    }

    /// Checks `text` with a per-call context (system prompt, canaries).
    ///
    /// ```
    /// use palisade::{Context, Guard, Profile};
    /// let guard = Profile::Output.build();
    /// let ctx = Context::new().with_system_prompt("You are the ACME support bot.");
    /// assert!(guard.check_with("Happy to help!", &ctx).allowed());
    /// ```
    fn check_with(&self, text: &str, context: &Context) -> Verdict {
        self.check_input(&Input::with_context(text, context))
    }

    /// Checks a prepared input. Fails closed: an error or a panic inside the
    /// guard becomes a blocking finding.
    ///
    /// The sanitized text is settled: rewriting one span can expose something
    /// another detector reads across it (a control character removed from
    /// inside a phone number, a look-alike letter replaced), so the sanitized
    /// text is checked again, up to [`SETTLE_ROUNDS`] times, until nothing
    /// new needs rewriting. Sanitizing a sanitized text then finds nothing.
    /// Only rewrites carry over from those rounds: the verdict's action and
    /// findings are the original text's (a check of what is *absent*, such
    /// as an echoed canary that sanitizing removed, must not fire there).
    ///
    /// Placeholder numbers continue across rounds. A finding inside a
    /// placeholder inserted by an earlier round is dropped (the placeholder
    /// is Palisade's text, not the input's); a finding across placeholders
    /// (a secret value with a phone number in the middle) is rewritten whole,
    /// placeholders included, because a later check of the sanitized text
    /// cannot tell them from input. (Detectors also ignore placeholder
    /// labels as context words, so that the rounds see what a later check of
    /// the sanitized text sees.)
    ///
    /// ```
    /// use palisade::{Action, Finding, Guard, GuardError, Input};
    /// struct Buggy;
    /// impl Guard for Buggy {
    ///     fn inspect(&self, input: &Input<'_>, _: &mut Vec<Finding>) -> Result<(), GuardError> {
    ///         let _ = &input.text()[usize::MAX..]; // panics
    ///         Ok(())
    ///     }
    /// }
    /// let v = Buggy.check_input(&Input::new("text"));
    /// assert_eq!(v.action(), Action::Block);
    /// assert_eq!(v.findings()[0].kind(), "guard_failure");
    /// ```
    fn check_input(&self, input: &Input<'_>) -> Verdict {
        let first = inspect_all(self, input, Pass::Full);
        let mut rewriter = Rewriter::default();
        let (mut verdict, mut inserted, mut edits) = Verdict::rewritten(input.text(), first, &mut rewriter, &[]);
        // Guards may leave work on a round's text that the next round reuses
        // where the rewrites did not reach.
        let mut left = input.take_left();
        for _ in 0..SETTLE_ROUNDS {
            let Some(sanitized) = verdict.sanitized() else { break };
            let round = Input::with_context(sanitized, input.context()).after(left, edits);
            let again = inspect_all(self, &round, Pass::Rewrites);
            left = round.take_left();
            let again: Vec<Finding> = again
                .into_iter()
                .filter_map(|f| over_placeholders(f, &inserted))
                .collect();
            if !again.iter().any(|f| f.action() == Action::Sanitize) {
                break;
            }
            let (next, next_inserted, next_edits) = Verdict::rewritten(sanitized, again, &mut rewriter, &inserted);
            inserted = next_inserted;
            edits = next_edits;
            verdict = verdict.settled_with(next);
        }
        verdict
    }
}

/// A settle round's finding, seen against the placeholders earlier rounds
/// inserted (`inserted`: sorted, disjoint):
/// - inside one placeholder, it is about Palisade's own text: dropped;
/// - across placeholders (a value with a phone number in the middle), it
///   grows to cover them whole, so the rewrite replaces them with it. A
///   later check of the sanitized text, which cannot tell placeholders
///   from input, then finds nothing left to rewrite there.
///
/// Each finding costs a binary search, so that settling stays near-linear
/// with many placeholders.
fn over_placeholders(f: Finding, inserted: &[std::ops::Range<usize>]) -> Option<Finding> {
    let (start, end) = (f.start(), f.end());
    let first = inserted.partition_point(|r| r.end <= start);
    let overlapping = inserted[first..].iter().take_while(|r| r.start < end.max(start + 1));
    let (mut lo, mut hi) = (start, end);
    for r in overlapping {
        if r.start <= start && end <= r.end {
            return None;
        }
        (lo, hi) = (lo.min(r.start), hi.max(r.end));
    }
    Some(if (lo, hi) == (start, end) {
        f
    } else {
        f.with_span(lo..hi)
    })
}

/// How many times [`Guard::check_input`] re-checks a sanitized text.
///
/// ```
/// use palisade::{Action, Category, Finding, Guard, GuardError, Input, Redaction, SETTLE_ROUNDS};
/// /// Removes every "ab": removing one can join an `a` and a `b` into a new one.
/// struct DropAb;
/// # impl Guard for DropAb {
/// #     fn inspect(&self, input: &Input<'_>, out: &mut Vec<Finding>) -> Result<(), GuardError> {
/// #         for (at, _) in input.text().match_indices("ab") {
/// #             out.push(Finding::new(Category::Custom, "ab", "example.ab", at..at + 2)
/// #                 .with_action(Action::Sanitize)
/// #                 .with_redaction(Redaction::Remove));
/// #         }
/// #         Ok(())
/// #     }
/// # }
/// let n = SETTLE_ROUNDS + 3;
/// let text = format!("{}{}", "a".repeat(n), "b".repeat(n));
/// // The first check and each settle round remove one nested pair.
/// let left = n - 1 - SETTLE_ROUNDS;
/// let expected = format!("{}{}", "a".repeat(left), "b".repeat(left));
/// assert_eq!(DropAb.check(&text).sanitized(), Some(expected.as_str()));
/// ```
pub const SETTLE_ROUNDS: usize = 3;

/// Which inspection a check runs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Pass {
    /// [`Guard::inspect`]: every finding.
    Full,
    /// [`Guard::inspect_rewrites`]: the findings that rewrite text.
    Rewrites,
}

/// `guard.inspect` (or `inspect_rewrites`), failing closed into one finding.
fn inspect_all<G: Guard + ?Sized>(guard: &G, input: &Input<'_>, pass: Pass) -> Vec<Finding> {
    let mut findings = Vec::new();
    if let Some(failure) = inspect_guarded(guard, input, &mut findings, pass) {
        findings.clear();
        findings.push(failure);
    }
    findings
}

/// Runs `guard.inspect` (or `inspect_rewrites`); an error or a panic comes
/// back as a blocking `error` finding over the whole text.
pub(crate) fn inspect_guarded<G: Guard + ?Sized>(
    guard: &G,
    input: &Input<'_>,
    findings: &mut Vec<Finding>,
    pass: Pass,
) -> Option<Finding> {
    let outcome = catch_unwind(AssertUnwindSafe(|| match pass {
        Pass::Full => guard.inspect(input, findings),
        Pass::Rewrites => guard.inspect_rewrites(input, findings),
    }));
    let why = match outcome {
        Ok(Ok(())) => return None,
        Ok(Err(e)) => e.to_string(),
        Err(_) => "the guard panicked".to_string(),
    };
    Some(
        Finding::new(
            Category::Error,
            "guard_failure",
            format!("error.{}", guard.name()),
            0..input.text().len(),
        )
        .with_action(Action::Block)
        .with_detail(why),
    )
}

impl<G: Guard + ?Sized> Guard for Box<G> {
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        (**self).inspect(input, findings)
    }
    fn warm_up(&self) {
        (**self).warm_up()
    }
    fn inspect_rewrites(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        (**self).inspect_rewrites(input, findings)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn max_span(&self) -> Option<usize> {
        (**self).max_span()
    }
}

impl<G: Guard + ?Sized> Guard for std::sync::Arc<G> {
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        (**self).inspect(input, findings)
    }
    fn warm_up(&self) {
        (**self).warm_up()
    }
    fn inspect_rewrites(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        (**self).inspect_rewrites(input, findings)
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn max_span(&self) -> Option<usize> {
        (**self).max_span()
    }
}

#[cfg(test)]
mod overlap_tests {
    use super::over_placeholders;
    use crate::{Category, Finding};

    /// Settle-round findings against placeholders: the binary search agrees
    /// with a plain reading of the rule at every span.
    #[test]
    fn over_placeholders_matches_a_linear_scan() {
        let ranges = [2..5, 9..12, 12..14, 20..21];
        for start in 0..25 {
            for end in start..26 {
                let touching: Vec<_> = ranges
                    .iter()
                    .filter(|r| r.start < end.max(start + 1) && start < r.end)
                    .collect();
                let expect = if touching.iter().any(|r| r.start <= start && end <= r.end) {
                    None
                } else {
                    let lo = touching.iter().map(|r| r.start).chain([start]).min();
                    let hi = touching.iter().map(|r| r.end).chain([end]).max();
                    lo.zip(hi).map(|(lo, hi)| lo..hi)
                };
                let f = Finding::new(Category::Pii, "phone", "test", start..end);
                let got = over_placeholders(f, &ranges).map(|f| f.start()..f.end());
                assert_eq!(got, expect, "{start}..{end}");
            }
        }
    }
}
