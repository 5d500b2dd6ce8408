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
    pub fn new(guard: impl Guard + 'static) -> Stage {
        Stage {
            guard: Arc::new(guard),
            action: None,
            threshold: 0.0,
            gate: false,
        }
    }

    /// A stage around a shared guard.
    pub fn shared(guard: Arc<dyn Guard>) -> Stage {
        Stage {
            guard,
            action: None,
            threshold: 0.0,
            gate: false,
        }
    }

    /// Overrides the action of every finding of this stage.
    pub fn action(mut self, action: Action) -> Stage {
        self.action = Some(action);
        self
    }

    /// Drops findings scoring below `threshold`.
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

/// Configures a [`Pipeline`].
#[derive(Clone, Default)]
pub struct PipelineBuilder {
    stages: Vec<Stage>,
    fail_open: bool,
}

impl PipelineBuilder {
    /// Appends a guard with default stage options.
    pub fn guard(&mut self, guard: impl Guard + 'static) -> &mut PipelineBuilder {
        self.stages.push(Stage::new(guard));
        self
    }

    /// Appends a stage.
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
    pub fn build(&self) -> Pipeline {
        Pipeline {
            stages: self.stages.clone(),
            fail_open: self.fail_open,
        }
    }
}

impl Pipeline {
    /// A builder.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Number of stages.
    pub fn len(&self) -> usize {
        self.stages.len()
    }

    /// True when the pipeline has no stages (it allows everything).
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

    fn name(&self) -> &str {
        "pipeline"
    }

    fn max_span(&self) -> Option<usize> {
        self.stages
            .iter()
            .try_fold(0usize, |m, s| s.guard.max_span().map(|x| m.max(x)))
    }
}
