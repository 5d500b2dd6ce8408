//! Errors: one public type per stage, each wrapping a private kind.

use std::fmt;

/// Building a guard failed: a bad pattern, an invalid option. The message
/// names the field path when the guard came from a policy.
///
/// ```
/// let err = palisade::custom::CustomRules::builder().regex("r1", "(").build().unwrap_err();
/// assert!(err.to_string().contains("r1"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    path: String,
    kind: BuildErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum BuildErrorKind {
    Invalid(String),
}

impl BuildError {
    /// An error about the option at `path` (for example `custom.rules[2].pattern`).
    ///
    /// ```
    /// use palisade::BuildError;
    /// let e = BuildError::invalid("rules[2].pattern", "unclosed group");
    /// assert_eq!(e.path(), "rules[2].pattern");
    /// assert_eq!(e.to_string(), "rules[2].pattern: unclosed group");
    /// ```
    pub fn invalid(path: impl Into<String>, reason: impl Into<String>) -> BuildError {
        BuildError {
            path: path.into(),
            kind: BuildErrorKind::Invalid(reason.into()),
        }
    }

    /// Prefixes the field path (used when a section is built inside a policy).
    ///
    /// ```
    /// use palisade::BuildError;
    /// let e = BuildError::invalid("rules[2].pattern", "unclosed group").within("custom");
    /// assert_eq!(e.path(), "custom.rules[2].pattern");
    /// assert_eq!(BuildError::invalid("[0]", "empty").within("banned").path(), "banned[0]");
    /// ```
    pub fn within(mut self, prefix: &str) -> BuildError {
        self.path = if self.path.is_empty() {
            prefix.to_string()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }

    /// The field path the error is about.
    ///
    /// ```
    /// use palisade::custom::CustomRules;
    /// let e = CustomRules::builder().banned("ok").banned("  ").build().unwrap_err();
    /// assert_eq!(e.path(), "banned[1].phrase");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let BuildErrorKind::Invalid(reason) = &self.kind;
        // One line: regex errors span several lines.
        let reason = reason.split_whitespace().collect::<Vec<_>>().join(" ");
        if self.path.is_empty() {
            write!(f, "{reason}")
        } else {
            write!(f, "{}: {reason}", self.path)
        }
    }
}

impl std::error::Error for BuildError {}

/// A guard could not finish a check. Pipelines turn it into a blocking
/// finding (fail-closed). The message never contains checked text.
///
/// ```
/// let e = palisade::GuardError::new("model weights missing");
/// assert_eq!(e.to_string(), "model weights missing");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct GuardError {
    message: String,
}

impl GuardError {
    /// An error with a message that must not quote the checked text.
    ///
    /// ```
    /// use palisade::{Category, Finding, Guard, GuardError, Input};
    /// struct Offline;
    /// impl Guard for Offline {
    ///     fn inspect(&self, _: &Input<'_>, _: &mut Vec<Finding>) -> Result<(), GuardError> {
    ///         Err(GuardError::new("classifier offline"))
    ///     }
    /// }
    /// let v = Offline.check("anything");
    /// assert!(!v.allowed()); // fails closed
    /// assert_eq!(v.findings()[0].category(), Category::Error);
    /// assert_eq!(v.findings()[0].detail(), Some("classifier offline"));
    /// ```
    pub fn new(message: impl Into<String>) -> GuardError {
        GuardError {
            message: message.into(),
        }
    }
}
