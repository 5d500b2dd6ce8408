//! Pipelines: guards composed into one guard.

use std::sync::Arc;

use crate::error::GuardError;
use crate::finding::{Action, Finding};
use crate::guard::{Guard, Pass, inspect_guarded};
use crate::input::Input;

/// One guard in a pipeline, with the policy applied to its findings.
///
/// ```
/// use palisade::{Action, Stage, custom::CustomRules};
/// let rules = CustomRules::builder().banned("secret plan").build()?;
/// let stage = Stage::new(rules).action(Action::Sanitize).threshold(0.5);
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone)]
pub struct Stage {
    guard: Arc<dyn Guard>,
    action: Option<Action>,
    threshold: f32,
    gate: bool,
}

impl Stage {
    /// A stage that keeps the guard's own actions and every finding.
    ///
    /// ```
    /// use palisade::{Guard, Pipeline, Stage, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let guard = Pipeline::builder().stage(Stage::new(rules)).build();
    /// assert!(!guard.check("the launch code").allowed()); // the rule's own action: block
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn new(guard: impl Guard + 'static) -> Stage {
        Stage {
            guard: Arc::new(guard),
            action: None,
            threshold: 0.0,
            gate: false,
        }
    }

    /// A stage around a shared guard.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use palisade::{Action, Guard, Pipeline, Stage, custom::CustomRules};
    /// let rules: Arc<dyn Guard> = Arc::new(CustomRules::builder().banned("launch code").build()?);
    /// let strict = Pipeline::builder().stage(Stage::shared(rules.clone())).build();
    /// let lenient = Pipeline::builder().stage(Stage::shared(rules).action(Action::Allow)).build();
    /// assert!(!strict.check("the launch code").allowed());
    /// assert!(lenient.check("the launch code").allowed());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn shared(guard: Arc<dyn Guard>) -> Stage {
        Stage {
            guard,
            action: None,
            threshold: 0.0,
            gate: false,
        }
    }

    /// Overrides the action of every finding of this stage.
    ///
    /// ```
    /// use palisade::{Action, Guard, Pipeline, Stage, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let guard = Pipeline::builder().stage(Stage::new(rules).action(Action::Sanitize)).build();
    /// assert_eq!(guard.check("the launch code now").sanitized(), Some("the [BANNED] now"));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn action(mut self, action: Action) -> Stage {
        self.action = Some(action);
        self
    }

    /// Drops findings scoring below `threshold`.
    ///
    /// ```
    /// use palisade::{Category, Finding, Guard, GuardError, Input, Pipeline, Stage};
    /// /// Reports every text with a score of 0.4.
    /// struct Unsure;
    /// # impl Guard for Unsure {
    /// #     fn inspect(&self, input: &Input<'_>, out: &mut Vec<Finding>) -> Result<(), GuardError> {
    /// #         out.push(Finding::new(Category::Custom, "unsure", "example", 0..input.text().len()).with_score(0.4));
    /// #         Ok(())
    /// #     }
    /// # }
    /// let low = Pipeline::builder().stage(Stage::new(Unsure).threshold(0.3)).build();
    /// let high = Pipeline::builder().stage(Stage::new(Unsure).threshold(0.5)).build();
    /// assert_eq!(low.check("text").findings().len(), 1);
    /// assert!(high.check("text").findings().is_empty());
    /// ```
    pub fn threshold(mut self, threshold: f32) -> Stage {
        self.threshold = if threshold.is_nan() {
            0.0
        } else {
            threshold.clamp(0.0, 1.0)
        };
        self
    }

    /// When this stage blocks, later stages do not run (for limits: an
    /// oversized input is refused before the costly detectors see it).
    ///
    /// ```
    /// use palisade::{Category, Guard, Pipeline, Stage, custom::CustomRules, limits::Limits};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let limits = Limits::builder().max_bytes(10).build();
    /// let text = "tell me the launch code";
    /// let gated = Pipeline::builder().stage(Stage::new(limits.clone()).gate(true)).guard(rules.clone()).build();
    /// assert!(gated.check(text).findings().iter().all(|f| f.category() == Category::Length));
    /// let ungated = Pipeline::builder().guard(limits).guard(rules).build();
    /// assert!(ungated.check(text).findings().iter().any(|f| f.category() == Category::Custom));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn gate(mut self, gate: bool) -> Stage {
        self.gate = gate;
        self
    }
}

/// Guards run in order over one shared [`Input`]; the pipeline is itself a
/// [`Guard`].
///
/// Fails closed: a stage that errors or panics yields a blocking `error`
/// finding. [`PipelineBuilder::dangerous_fail_open`] turns that off.
///
/// ```
/// use palisade::{Guard, Pipeline, Stage, limits::Limits, unicode::UnicodeGuard};
/// let guard = Pipeline::builder()
///     .stage(Stage::new(Limits::builder().max_bytes(1 << 16).build()).gate(true))
///     .stage(Stage::new(UnicodeGuard::default()))
///     .build();
/// assert!(guard.check("plain text").allowed());
/// ```
#[derive(Clone)]
pub struct Pipeline {
    stages: Vec<Stage>,
    fail_open: bool,
}

/// Shows each stage's guard name and settings, never a guard's contents
/// (rules and protected texts stay out of logs).
///
/// ```
/// use palisade::{Pipeline, unicode::UnicodeGuard};
/// let mut builder = Pipeline::builder();
/// builder.guard(UnicodeGuard::default());
/// let shown = format!("{:?}", builder.build());
/// assert!(shown.contains("unicode"));
/// ```
impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Shown<'a>(&'a Stage);
        impl std::fmt::Debug for Shown<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Stage")
                    .field("guard", &self.0.guard.name())
                    .field("action", &self.0.action)
                    .field("threshold", &self.0.threshold)
                    .field("gate", &self.0.gate)
                    .finish()
            }
        }
        f.debug_struct("Pipeline")
            .field("stages", &self.stages.iter().map(Shown).collect::<Vec<_>>())
            .field("fail_open", &self.fail_open)
            .finish()
    }
}

/// Configures a [`Pipeline`].
///
/// ```
/// use palisade::{Guard, Pipeline, Stage, custom::CustomRules, unicode::UnicodeGuard};
/// let mut builder = Pipeline::builder();
/// builder.guard(UnicodeGuard::default());
/// builder.stage(Stage::new(CustomRules::builder().banned("launch code").build()?));
/// let guard = builder.build();
/// assert_eq!(guard.stage_names(), ["unicode", "custom"]);
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone, Default)]
pub struct PipelineBuilder {
    stages: Vec<Stage>,
    fail_open: bool,
}

impl PipelineBuilder {
    /// Appends a guard with default stage options.
    ///
    /// ```
    /// use palisade::{Guard, Pipeline, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let guard = Pipeline::builder().guard(rules).build();
    /// assert_eq!(guard.stage_names(), ["custom"]);
    /// assert!(!guard.check("the launch code").allowed());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn guard(&mut self, guard: impl Guard + 'static) -> &mut PipelineBuilder {
        self.stages.push(Stage::new(guard));
        self
    }

    /// Appends a stage.
    ///
    /// ```
    /// use palisade::{Action, Guard, Pipeline, Stage, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// let guard = Pipeline::builder().stage(Stage::new(rules).action(Action::Allow)).build();
    /// let v = guard.check("the launch code");
    /// assert!(v.allowed() && v.findings().len() == 1); // reported, not blocked
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn stage(&mut self, stage: Stage) -> &mut PipelineBuilder {
        self.stages.push(stage);
        self
    }

    /// **Dangerous.** When a guard fails, skip it and allow the text instead
    /// of blocking. Only for deployments that prefer availability to safety.
    ///
    /// ```
    /// use palisade::{Guard, Pipeline, unicode::UnicodeGuard};
    /// let guard = Pipeline::builder().guard(UnicodeGuard::default()).dangerous_fail_open(true).build();
    /// assert!(guard.check("text").allowed());
    /// ```
    pub fn dangerous_fail_open(&mut self, yes: bool) -> &mut PipelineBuilder {
        self.fail_open = yes;
        self
    }

    /// Builds the pipeline; the builder can be reused.
    ///
    /// ```
    /// use palisade::{Pipeline, unicode::UnicodeGuard};
    /// let mut builder = Pipeline::builder();
    /// builder.guard(UnicodeGuard::default());
    /// let one = builder.build();
    /// builder.guard(UnicodeGuard::default());
    /// assert_eq!((one.len(), builder.build().len()), (1, 2));
    /// ```
    pub fn build(&self) -> Pipeline {
        Pipeline {
            stages: self.stages.clone(),
            fail_open: self.fail_open,
        }
    }
}

impl Pipeline {
    /// A builder.
    ///
    /// ```
    /// use palisade::{Guard, Pipeline};
    /// let empty = Pipeline::builder().build();
    /// assert!(empty.is_empty());
    /// assert!(empty.check("anything at all").allowed());
    /// ```
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Number of stages.
    ///
    /// ```
    /// use palisade::{Pipeline, limits::Limits, unicode::UnicodeGuard};
    /// let guard = Pipeline::builder().guard(Limits::default()).guard(UnicodeGuard::default()).build();
    /// assert_eq!(guard.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.stages.len()
    }

    /// True when the pipeline has no stages (it allows everything).
    ///
    /// ```
    /// use palisade::{Pipeline, Profile};
    /// assert!(Pipeline::builder().build().is_empty());
    /// assert!(!Profile::Input.build().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// Names of the stages' guards, in order.
    ///
    /// ```
    /// let names = palisade::Profile::Input.build().stage_names().join(",");
    /// assert!(names.starts_with("limits,unicode"));
    /// ```
    pub fn stage_names(&self) -> Vec<&str> {
        self.stages.iter().map(|s| s.guard.name()).collect()
    }
}

impl Stage {
    /// True when no finding of this stage can rewrite text: its action is
    /// fixed to allow or block, and it is not a gate (whose block would stop
    /// later stages).
    fn never_rewrites(&self) -> bool {
        matches!(self.action, Some(Action::Allow | Action::Block)) && !self.gate
    }
}

impl Pipeline {
    fn run(&self, input: &Input<'_>, findings: &mut Vec<Finding>, pass: Pass) {
        let mut local = Vec::new();
        for stage in &self.stages {
            if pass == Pass::Rewrites && stage.never_rewrites() {
                continue;
            }
            local.clear();
            match inspect_guarded(&*stage.guard, input, &mut local, pass) {
                None => {}
                Some(_) if self.fail_open => continue,
                Some(failure) => local = vec![failure],
            }
            let mut blocked = false;
            for f in local.drain(..) {
                if f.score() < stage.threshold && f.category() != crate::Category::Error {
                    continue;
                }
                let f = match stage.action {
                    Some(a) if f.category() != crate::Category::Error => f.with_action(a),
                    _ => f,
                };
                blocked |= f.action() == Action::Block;
                findings.push(f);
            }
            if blocked && stage.gate {
                break;
            }
        }
    }
}

impl Guard for Pipeline {
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        self.run(input, findings, Pass::Full);
        Ok(())
    }

    /// Skips the stages whose findings never rewrite text.
    fn inspect_rewrites(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        self.run(input, findings, Pass::Rewrites);
        Ok(())
    }

    fn warm_up(&self) {
        for stage in &self.stages {
            stage.guard.warm_up();
        }
    }

    fn name(&self) -> &str {
        "pipeline"
    }

    fn max_span(&self) -> Option<usize> {
        self.stages
            .iter()
            .try_fold(0usize, |m, s| s.guard.max_span().map(|x| m.max(x)))
    }
}
