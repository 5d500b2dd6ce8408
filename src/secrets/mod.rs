//! The `secrets` detector family (work in progress: reports nothing yet, and
//! no built-in profile enables it).

use serde::{Deserialize, Serialize};

use crate::error::{BuildError, GuardError};
use crate::finding::Finding;
use crate::guard::Guard;
use crate::input::Input;
use crate::policy::{Profile, Section};

/// The `[secrets]` policy section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecretsConfig {}

impl SecretsConfig {
    /// Compiles the section for a profile.
    pub fn build(&self, _profile: Profile) -> Result<SecretsGuard, BuildError> {
        Ok(SecretsGuard {})
    }
}

/// The section a built-in profile starts with (`None`: not enabled).
pub(crate) fn default_section(_profile: Profile) -> Option<Section<SecretsConfig>> {
    None
}

/// The secrets guard.
#[derive(Clone, Debug)]
pub struct SecretsGuard {}

impl Guard for SecretsGuard {
    fn inspect(&self, _input: &Input<'_>, _findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        Ok(())
    }

    fn name(&self) -> &str {
        "secrets"
    }
}
