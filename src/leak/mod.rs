//! The `leak` detector family (work in progress: reports nothing yet, and
//! no built-in profile enables it).

use serde::{Deserialize, Serialize};

use crate::error::{BuildError, GuardError};
use crate::finding::Finding;
use crate::guard::Guard;
use crate::input::Input;
use crate::policy::{Profile, Section};

/// The `[leak]` policy section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LeakConfig {}

impl LeakConfig {
    /// Compiles the section for a profile.
    pub fn build(&self, _profile: Profile) -> Result<LeakGuard, BuildError> {
        Ok(LeakGuard {})
    }
}

/// The section a built-in profile starts with (`None`: not enabled).
pub(crate) fn default_section(_profile: Profile) -> Option<Section<LeakConfig>> {
    None
}

/// The leak guard.
#[derive(Clone, Debug)]
pub struct LeakGuard {}

impl Guard for LeakGuard {
    fn inspect(&self, _input: &Input<'_>, _findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        Ok(())
    }

    fn name(&self) -> &str {
        "leak"
    }
}
