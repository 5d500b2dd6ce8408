//! The `pii` detector family (work in progress: reports nothing yet, and
//! no built-in profile enables it).

use serde::{Deserialize, Serialize};

use crate::error::{BuildError, GuardError};
use crate::finding::Finding;
use crate::guard::Guard;
use crate::input::Input;
use crate::policy::{Profile, Section};

/// The `[pii]` policy section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PiiConfig {}

impl PiiConfig {
    /// Compiles the section for a profile.
    pub fn build(&self, _profile: Profile) -> Result<PiiGuard, BuildError> {
        Ok(PiiGuard {})
    }
}

/// The section a built-in profile starts with (`None`: not enabled).
pub(crate) fn default_section(_profile: Profile) -> Option<Section<PiiConfig>> {
    None
}

/// The pii guard.
#[derive(Clone, Debug)]
pub struct PiiGuard {}

impl Guard for PiiGuard {
    fn inspect(&self, _input: &Input<'_>, _findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        Ok(())
    }

    fn name(&self) -> &str {
        "pii"
    }
}
