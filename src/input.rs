//! The text under check, its per-call context, and its lazily built views.

use std::any::Any;
use std::cell::{OnceCell, RefCell};
use std::sync::{Arc, OnceLock};

use crate::normalize::{View, ViewKind};
use crate::redact::Edit;

/// Per-call facts that some guards need: the application's system prompt,
/// canary tokens, and other protected texts. Guards that need none ignore it.
///
/// Protected texts known when the guard is built belong in the guard's
/// configuration instead (they are indexed once there); this is for texts
/// that change per request. A context reused across checks (one system
/// prompt for many answers) is indexed once, on its first check, and the
/// index is shared by its clones.
///
/// ```
/// use palisade::Context;
/// let ctx = Context::new()
///     .with_system_prompt("You are a helpful assistant for ACME.")
///     .with_canary("cnry-4f9a1c2e8b7d6a5f");
/// assert_eq!(ctx.canaries().len(), 1);
/// // Debug never shows the canary or the prompt.
/// assert!(!format!("{ctx:?}").contains("cnry"));
/// ```
#[derive(Clone, Default)]
pub struct Context {
    system_prompt: Option<String>,
    canaries: Vec<String>,
    protected: Vec<String>,
    /// What a guard derived from these texts on a first check (the leak
    /// guard's index of them), for later checks with this context. Every
    /// builder method starts it afresh.
    derived: OnceLock<Arc<dyn Derived>>,
}

impl Context {
    /// An empty context.
    ///
    /// ```
    /// let ctx = palisade::Context::new();
    /// assert!(ctx.system_prompt().is_none() && ctx.canaries().is_empty() && ctx.protected().is_empty());
    /// ```
    pub fn new() -> Context {
        Context::default()
    }
    /// Sets the system prompt that outputs must not leak.
    ///
    /// ```
    /// use palisade::{Context, Guard, leak::LeakConfig, Profile};
    /// let prompt = "You are the helpdesk bot of Example Corp. Answer questions about printers, \
    ///     scanners and network shares only, briefly and in plain words.";
    /// let ctx = Context::new().with_system_prompt(prompt);
    /// let guard = LeakConfig::default().build(Profile::Output)?;
    /// assert!(!guard.check_with(prompt, &ctx).allowed());
    /// assert!(guard.check(prompt).allowed()); // no context, nothing to protect
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn with_system_prompt(mut self, prompt: impl Into<String>) -> Context {
        self.system_prompt = Some(prompt.into());
        self.derived = OnceLock::new();
        self
    }
    /// Adds a canary token that outputs must not contain.
    ///
    /// ```
    /// use palisade::{Context, Guard, leak::{LeakConfig, mint_canary}, Profile};
    /// let canary = mint_canary("cnry-");
    /// let ctx = Context::new().with_canary(canary.clone());
    /// let guard = LeakConfig::default().build(Profile::Output)?;
    /// let v = guard.check_with(&format!("The marker is {canary}."), &ctx);
    /// assert_eq!(v.findings()[0].kind(), "canary");
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn with_canary(mut self, canary: impl Into<String>) -> Context {
        self.canaries.push(canary.into());
        self.derived = OnceLock::new();
        self
    }
    /// Adds another protected text (hidden instructions, a secret phrase).
    ///
    /// ```
    /// use palisade::Context;
    /// let ctx = Context::new().with_protected("first hidden rule").with_protected("second hidden rule");
    /// assert_eq!(ctx.protected(), ["first hidden rule", "second hidden rule"]);
    /// ```
    pub fn with_protected(mut self, text: impl Into<String>) -> Context {
        self.protected.push(text.into());
        self.derived = OnceLock::new();
        self
    }
    /// The system prompt, if any.
    ///
    /// ```
    /// use palisade::Context;
    /// assert_eq!(Context::new().system_prompt(), None);
    /// assert_eq!(Context::new().with_system_prompt("Be brief.").system_prompt(), Some("Be brief."));
    /// ```
    pub fn system_prompt(&self) -> Option<&str> {
        self.system_prompt.as_deref()
    }
    /// The canary tokens.
    ///
    /// ```
    /// use palisade::Context;
    /// let ctx = Context::new().with_canary("cnry-aaaa").with_canary("cnry-bbbb");
    /// assert_eq!(ctx.canaries(), ["cnry-aaaa", "cnry-bbbb"]);
    /// ```
    pub fn canaries(&self) -> &[String] {
        &self.canaries
    }
    /// Other protected texts.
    ///
    /// ```
    /// use palisade::Context;
    /// assert!(Context::new().protected().is_empty());
    /// assert_eq!(Context::new().with_protected("hidden rule").protected().len(), 1);
    /// ```
    pub fn protected(&self) -> &[String] {
        &self.protected
    }

    /// What `make` derives from this context, made on the first call and
    /// kept for later ones (and for clones made after it). One guard type
    /// derives here; another type asked for is made afresh every time.
    pub(crate) fn derived<T: Derived>(&self, make: impl FnOnce() -> T) -> Arc<T> {
        if let Some(kept) = self.derived.get() {
            let kept: Arc<dyn Derived> = Arc::clone(kept);
            let kept: Arc<dyn Any + Send + Sync> = kept;
            return kept.downcast::<T>().unwrap_or_else(|_| Arc::new(make()));
        }
        let made = Arc::new(make());
        // Two threads may both make it on a first check: one is kept.
        let _ = self.derived.set(Arc::clone(&made) as Arc<dyn Derived>);
        made
    }
}

impl std::fmt::Debug for Context {
    /// Shows sizes only: a context holds canaries and system prompts, which
    /// must not reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("system_prompt_bytes", &self.system_prompt.as_ref().map(String::len))
            .field("canaries", &self.canaries.len())
            .field("protected", &self.protected.len())
            .finish()
    }
}

/// What a guard may keep in a [`Context`]: shared across threads, and
/// safe to observe after a panic (a context stays `UnwindSafe`).
pub(crate) trait Derived: Any + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe {}

impl<T: Any + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe> Derived for T {}

static EMPTY_CONTEXT: Context = Context {
    system_prompt: None,
    canaries: Vec::new(),
    protected: Vec::new(),
    derived: OnceLock::new(),
};

/// One text being checked: the original, the context, and the normalized
/// views, each built at most once and only when a guard asks for it.
///
/// ```
/// use palisade::{Input, ViewKind};
/// let input = Input::new("Ｈｅｌｌｏ");
/// assert_eq!(input.view(ViewKind::Clean).as_str(), "Hello");
/// ```
pub struct Input<'a> {
    text: &'a str,
    context: &'a Context,
    views: [OnceCell<View<'a>>; 3],
    memo: RefCell<Memo>,
}

/// What guards left on one round's text (see [`Memo`]).
pub(crate) struct Left(Vec<(usize, Box<dyn Any + Send>)>);

/// What guards keep of one check's work for its settle rounds (see
/// [`Guard::check_input`](crate::Guard::check_input)): a sanitized text is
/// the text before it with a few spans rewritten, so a guard that knows
/// where (the edits) can reuse its work on the rest instead of redoing it.
/// Entries are keyed by the guard (its address) and private to it.
#[derive(Default)]
pub(crate) struct Memo {
    /// The rewrites from the text `earlier` describes to this one.
    edits: Option<Arc<[Edit]>>,
    /// What guards left on the previous round's text.
    earlier: Vec<(usize, Box<dyn Any + Send>)>,
    /// What guards leave on this text for the next round.
    current: Vec<(usize, Box<dyn Any + Send>)>,
}

impl<'a> Input<'a> {
    /// Input with an empty context.
    ///
    /// ```
    /// use palisade::Input;
    /// let input = Input::new("hello");
    /// assert_eq!(input.text(), "hello");
    /// assert!(input.context().canaries().is_empty());
    /// ```
    pub fn new(text: &'a str) -> Input<'a> {
        Input::with_context(text, &EMPTY_CONTEXT)
    }

    /// Input with a per-call context.
    ///
    /// ```
    /// use palisade::{Context, Input};
    /// let ctx = Context::new().with_system_prompt("Be brief.");
    /// let input = Input::with_context("hello", &ctx);
    /// assert_eq!(input.context().system_prompt(), Some("Be brief."));
    /// ```
    pub fn with_context(text: &'a str, context: &'a Context) -> Input<'a> {
        Input {
            text,
            context,
            views: [OnceCell::new(), OnceCell::new(), OnceCell::new()],
            memo: RefCell::default(),
        }
    }

    /// This input as the next settle round of a check: its text is the
    /// previous round's with `edits` applied, and `left` is what guards left
    /// on the previous round's text ([`Input::take_left`]).
    pub(crate) fn after(self, left: Left, edits: Vec<Edit>) -> Input<'a> {
        *self.memo.borrow_mut() = Memo {
            edits: Some(edits.into()),
            earlier: left.0,
            current: Vec::new(),
        };
        self
    }

    /// Takes what guards left on this input for the next round.
    pub(crate) fn take_left(&self) -> Left {
        Left(std::mem::take(&mut self.memo.borrow_mut().current))
    }

    /// Leaves `value` for the next round, under `key` (the guard's own).
    pub(crate) fn remember(&self, key: usize, value: Box<dyn Any + Send>) {
        let mut memo = self.memo.borrow_mut();
        memo.current.retain(|(k, _)| *k != key);
        memo.current.push((key, value));
    }

    /// The rewrites that made this text from the previous round's, when
    /// this input is a settle round (sorted, disjoint, in this text's
    /// offsets as `new`).
    pub(crate) fn edits(&self) -> Option<Arc<[Edit]>> {
        self.memo.borrow().edits.clone()
    }

    /// What the guard `key` left on the previous round's text, with the
    /// rewrites from that text to this one; taken, so asked once.
    pub(crate) fn recall<T: Any>(&self, key: usize) -> Option<(Box<T>, Arc<[Edit]>)> {
        let mut memo = self.memo.borrow_mut();
        let edits = memo.edits.clone()?;
        let at = memo.earlier.iter().position(|(k, _)| *k == key)?;
        let (_, value) = memo.earlier.swap_remove(at);
        value.downcast::<T>().ok().map(|v| (v, edits))
    }

    /// The caller's original text; finding spans index into it.
    ///
    /// ```
    /// use palisade::{Input, ViewKind};
    /// let input = Input::new("Ｈｉ there");
    /// assert_eq!(input.text(), "Ｈｉ there"); // never normalized
    /// assert_eq!(input.view(ViewKind::Clean).as_str(), "Hi there");
    /// ```
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The per-call context.
    ///
    /// ```
    /// use palisade::{Context, Input};
    /// let ctx = Context::new().with_canary("cnry-aaaa");
    /// assert_eq!(Input::with_context("hi", &ctx).context().canaries().len(), 1);
    /// assert_eq!(Input::new("hi").context().canaries().len(), 0);
    /// ```
    pub fn context(&self) -> &'a Context {
        self.context
    }

    /// The normalized view of the given kind, built on first use and shared
    /// by every guard that asks for it during this check.
    ///
    /// ```
    /// use palisade::{Input, ViewKind};
    /// let input = Input::new("Ign0re  ALL");
    /// assert_eq!(input.view(ViewKind::Folded).as_str(), "ignore all");
    /// assert_eq!(input.view(ViewKind::Compact).as_str(), "ignoreall");
    /// assert!(input.view(ViewKind::Clean).is_identity()); // ASCII: borrowed
    /// ```
    pub fn view(&self, kind: ViewKind) -> &View<'a> {
        let slot = match kind {
            ViewKind::Clean => &self.views[0],
            ViewKind::Folded => &self.views[1],
            ViewKind::Compact => &self.views[2],
        };
        slot.get_or_init(|| View::new(self.text, kind))
    }
}
