//! Policies: the whole configuration as data, loadable from TOML or JSON,
//! compiled once into a guard.
//!
//! A policy names a base [`Profile`] and overrides any of its sections.
//! Every section takes `enabled`, `action` (overrides the detector's own
//! actions) and `threshold` (drops findings scoring below it), plus its own
//! options. Unknown fields are errors, and every error names the field.
//!
//! ```toml
//! profile = "input"
//!
//! [limits]
//! max_bytes = 65536
//!
//! [custom]
//! action = "block"
//! banned = ["project bluebird"]
//! ```

use std::fmt;
use std::sync::Arc;

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};

use crate::custom::CustomConfig;
use crate::error::BuildError;
use crate::finding::Action;
use crate::guard::Guard;
use crate::injection::InjectionConfig;
use crate::leak::LeakConfig;
use crate::limits::Limits;
use crate::pii::PiiConfig;
use crate::pipeline::{Pipeline, Stage};
use crate::secrets::SecretsConfig;
use crate::unicode::UnicodeGuard;

/// The built-in starting points.
///
/// ```
/// use palisade::{Guard, Profile};
/// let guard = Profile::Input.build();
/// assert!(guard.check("What is the capital of France?").allowed());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Users' prompts before they reach the model.
    #[default]
    Input,
    /// Model answers before they reach the user.
    Output,
    /// Untrusted context fed to the model: RAG chunks, web pages, tool output.
    Document,
}

impl Profile {
    /// The profile's default policy.
    ///
    /// ```
    /// use palisade::Profile;
    /// assert_eq!(Profile::Output.policy().profile, Profile::Output);
    /// assert!(Profile::Output.policy().leak.is_some()); // leak checks are for answers
    /// assert!(Profile::Input.policy().leak.is_none());
    /// ```
    pub fn policy(self) -> Policy {
        Policy::for_profile(self)
    }

    /// Builds the profile's default guard.
    ///
    /// ```
    /// use palisade::Profile;
    /// let names = Profile::Output.build().stage_names().join(",");
    /// assert!(names.starts_with("limits,unicode") && names.ends_with("leak"), "{names}");
    /// ```
    pub fn build(self) -> Pipeline {
        self.policy().build().expect("built-in profiles are valid")
    }

    /// Parses `input`, `output` or `document`.
    ///
    /// ```
    /// use palisade::Profile;
    /// assert_eq!(Profile::from_name("document"), Some(Profile::Document));
    /// assert_eq!(Profile::from_name("Document"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Profile> {
        match name {
            "input" => Some(Profile::Input),
            "output" => Some(Profile::Output),
            "document" => Some(Profile::Document),
            _ => None,
        }
    }

    /// The lowercase name.
    ///
    /// ```
    /// use palisade::Profile;
    /// for p in [Profile::Input, Profile::Output, Profile::Document] {
    ///     assert_eq!(Profile::from_name(p.as_str()), Some(p));
    /// }
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Input => "input",
            Profile::Output => "output",
            Profile::Document => "document",
        }
    }
}

/// Options every section shares, plus the section's own.
///
/// ```
/// use palisade::{Action, Guard, Policy, policy::Section, custom::{BannedEntry, CustomConfig}};
/// let custom = CustomConfig { banned: vec![BannedEntry::Phrase("launch code".into())], ..Default::default() };
/// let mut policy = Policy::default();
/// policy.custom = Some(Section { threshold: Some(0.5), ..Section::new(custom, Some(Action::Sanitize)) });
/// let guard = policy.build()?;
/// assert_eq!(guard.check("the launch code").sanitized(), Some("the [BANNED]"));
/// # Ok::<(), palisade::PolicyError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Section<T> {
    /// Run this detector family.
    pub enabled: bool,
    /// Overrides the action of every finding of the family (`None`: the
    /// base profile's, else the detector's own).
    pub action: Option<Action>,
    /// Drops findings scoring below this (`None`: the base profile's, else
    /// none are dropped).
    pub threshold: Option<f32>,
    /// The family's own options.
    #[serde(flatten)]
    pub options: T,
}

impl<T: Default> Default for Section<T> {
    fn default() -> Section<T> {
        Section {
            enabled: true,
            action: None,
            threshold: None,
            options: T::default(),
        }
    }
}

impl<T> Section<T> {
    /// An enabled section with the given options and action.
    ///
    /// ```
    /// use palisade::{Action, policy::Section, custom::CustomConfig};
    /// let s = Section::new(CustomConfig::default(), Some(Action::Block));
    /// assert!(s.enabled);
    /// assert_eq!((s.action, s.threshold), (Some(Action::Block), None));
    /// ```
    pub fn new(options: T, action: Option<Action>) -> Section<T> {
        Section {
            enabled: true,
            action,
            threshold: None,
            options,
        }
    }

    /// Takes `action` and `threshold` from `base` where this section leaves
    /// them out, so that overriding one option of a profile's section keeps
    /// the profile's action and threshold.
    fn inheriting(mut self, base: Option<&Section<T>>) -> Section<T> {
        if let Some(base) = base {
            self.action = self.action.or(base.action);
            self.threshold = self.threshold.or(base.threshold);
        }
        self
    }
}

// Hand-written because serde's `flatten` cannot be combined with
// `deny_unknown_fields`: the common keys are taken out, the rest goes to `T`,
// which rejects unknown fields itself, and inner field paths are kept.
impl<'de, T: DeserializeOwned> Deserialize<'de> for Section<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Section<T>, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let serde_json::Value::Object(mut map) = value else {
            return Err(D::Error::custom("invalid type: expected a table"));
        };
        let enabled = match map.remove("enabled") {
            None => true,
            Some(serde_json::Value::Bool(b)) => b,
            Some(_) => {
                return Err(D::Error::custom(nested("enabled", "invalid type: expected a boolean")));
            }
        };
        let action = match map.remove("action") {
            None => None,
            Some(v) => Some(
                serde_json::from_value::<Action>(v)
                    .map_err(|_| D::Error::custom(nested("action", "expected one of `allow`, `sanitize`, `block`")))?,
            ),
        };
        let threshold = match map.remove("threshold") {
            None => None,
            Some(v) => match v.as_f64() {
                Some(t) if (0.0..=1.0).contains(&t) => Some(t as f32),
                _ => {
                    return Err(D::Error::custom(nested("threshold", "expected a number from 0 to 1")));
                }
            },
        };
        let options = inner_deserialize::<T>(serde_json::Value::Object(map)).map_err(D::Error::custom)?;
        Ok(Section {
            enabled,
            action,
            threshold,
            options,
        })
    }
}

// Marks a nested path inside an error message; `PolicyError` splices it into
// the outer path.
const PATH_MARK: char = '\u{1}';

fn nested(path: &str, msg: &str) -> String {
    format!("{PATH_MARK}{path}{PATH_MARK}{msg}")
}

#[cfg(feature = "policy")]
fn inner_deserialize<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
    serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let path = e.path().to_string();
        let msg = e.inner().to_string();
        if path == "." || path.is_empty() {
            msg
        } else {
            nested(&path, &msg)
        }
    })
}

#[cfg(not(feature = "policy"))]
fn inner_deserialize<T: DeserializeOwned>(v: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| e.to_string())
}

/// A whole configuration.
///
/// ```
/// use palisade::{Guard, Policy};
/// let policy = Policy::from_toml(r#"
///     profile = "input"
///     [custom]
///     banned = ["project bluebird"]
/// "#)?;
/// let guard = policy.build()?;
/// assert!(!guard.check("what is Project Bluebird?").allowed());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The base profile whose sections apply where this policy gives none.
    #[serde(default)]
    pub profile: Profile,
    /// **Dangerous.** A failing guard is skipped instead of blocking.
    #[serde(default)]
    pub dangerous_fail_open: bool,
    /// Input limits (always a gate: an input over them is blocked before
    /// anything else runs).
    #[serde(default)]
    pub limits: Option<Section<Limits>>,
    /// Unicode attacks.
    #[serde(default)]
    pub unicode: Option<Section<UnicodeGuard>>,
    /// Banned phrases and user regexes.
    #[serde(default)]
    pub custom: Option<Section<CustomConfig>>,
    /// Secrets: API keys, tokens, private keys, passwords.
    #[serde(default)]
    pub secrets: Option<Section<SecretsConfig>>,
    /// Personal data.
    #[serde(default)]
    pub pii: Option<Section<PiiConfig>>,
    /// Prompt injection and jailbreaks.
    #[serde(default)]
    pub injection: Option<Section<InjectionConfig>>,
    /// Output leaks: canaries, system prompt, exfiltration.
    #[serde(default)]
    pub leak: Option<Section<LeakConfig>>,
}

/// A policy file could not be read or compiled. One line, naming the field.
///
/// ```
/// let err = palisade::Policy::from_toml("[limits]\nmax_bytez = 3").unwrap_err();
/// assert!(err.to_string().starts_with("limits.max_bytez"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    path: String,
    message: String,
}

impl PolicyError {
    /// The field path, such as `custom.rules[0].pattern` (empty when the
    /// error is about the file as a whole).
    ///
    /// ```
    /// use palisade::Policy;
    /// let e = Policy::from_toml("[[custom.rules]]\nid = \"r\"\npattern = \"(\"")?.build().err().unwrap();
    /// assert_eq!(e.path(), "custom.rules[0].pattern");
    /// assert_eq!(Policy::from_toml("profile = [").unwrap_err().path(), "");
    /// # Ok::<(), palisade::PolicyError>(())
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    fn from_parts(outer: &str, message: &str) -> PolicyError {
        let (mut path, mut message) = (outer.trim_matches('.').to_string(), message.to_string());
        if let Some(rest) = message.strip_prefix(PATH_MARK)
            && let Some((inner, msg)) = rest.split_once(PATH_MARK)
        {
            let inner = inner.to_string();
            let msg = msg.to_string();
            path = if path.is_empty() {
                inner
            } else if inner.starts_with('[') {
                format!("{path}{inner}")
            } else {
                format!("{path}.{inner}")
            };
            message = msg;
        }
        // serde reports unknown fields at the parent; name the field itself.
        if let Some(rest) = message.strip_prefix("unknown field `")
            && let Some(end) = rest.find('`')
        {
            let field = &rest[..end];
            if path.rsplit('.').next() != Some(field) {
                path = if path.is_empty() {
                    field.to_string()
                } else {
                    format!("{path}.{field}")
                };
            }
        }
        let message = one_line(&message);
        PolicyError {
            path: one_line(&path),
            message,
        }
    }
}

/// Folds whitespace runs to one space and escapes other control characters,
/// so an error is always one line (field names in a file can hold anything).
fn one_line(s: &str) -> String {
    let folded = s.split_whitespace().collect::<Vec<_>>().join(" ");
    folded
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for PolicyError {}

impl From<BuildError> for PolicyError {
    fn from(e: BuildError) -> PolicyError {
        let s = e.to_string();
        let msg = s.strip_prefix(&format!("{}: ", e.path())).unwrap_or(&s);
        PolicyError {
            path: e.path().to_string(),
            message: msg.to_string(),
        }
    }
}

impl Default for Policy {
    /// The `input` profile.
    fn default() -> Policy {
        Policy::for_profile(Profile::Input)
    }
}

impl Policy {
    /// The default policy of a profile.
    ///
    /// ```
    /// use palisade::{Policy, Profile};
    /// let input = Policy::for_profile(Profile::Input).limits.unwrap().options;
    /// let output = Policy::for_profile(Profile::Output).limits.unwrap().options;
    /// assert!(output.max_bytes > input.max_bytes); // answers run longer than prompts
    /// assert_eq!(Policy::for_profile(Profile::Input), Policy::default());
    /// ```
    pub fn for_profile(profile: Profile) -> Policy {
        let limits = match profile {
            Profile::Input => Limits::default(),
            // Answers and documents run longer than prompts.
            Profile::Output | Profile::Document => Limits {
                max_bytes: Some(1024 * 1024),
                max_lines: Some(256 * 1024),
                max_tokens: Some(256 * 1024),
                ..Limits::default()
            },
        };
        Policy {
            profile,
            dangerous_fail_open: false,
            limits: Some(Section::new(limits, None)),
            unicode: Some(Section::new(UnicodeGuard::default(), None)),
            custom: None,
            secrets: crate::secrets::default_section(profile),
            pii: crate::pii::default_section(profile),
            injection: crate::injection::default_section(profile),
            leak: crate::leak::default_section(profile),
        }
    }

    /// Parses a TOML policy; errors name the field path.
    ///
    /// ```
    /// use palisade::{Policy, Profile};
    /// let p = Policy::from_toml("profile = \"output\"\n[unicode]\nenabled = false")?;
    /// assert_eq!(p.profile, Profile::Output);
    /// assert!(!p.unicode.unwrap().enabled);
    /// assert!(p.leak.is_some()); // sections left out come from the profile
    /// let e = Policy::from_toml("[unicode]\nthreshold = 2").unwrap_err();
    /// assert_eq!(e.path(), "unicode.threshold");
    /// # Ok::<(), palisade::PolicyError>(())
    /// ```
    #[cfg(feature = "policy")]
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let de = toml::Deserializer::parse(text).map_err(|e| PolicyError::from_parts("", e.message()))?;
        let raw: Policy = serde_path_to_error::deserialize(de)
            .map_err(|e| PolicyError::from_parts(&e.path().to_string(), e.inner().message()))?;
        Ok(raw.resolved())
    }

    /// Parses a JSON policy; errors name the field path.
    ///
    /// ```
    /// let p = palisade::Policy::from_json(r#"{"profile": "output", "unicode": {"action": "block"}}"#)?;
    /// assert_eq!(p.profile, palisade::Profile::Output);
    /// let e = palisade::Policy::from_json(r#"{"unicode": {"action": "maybe"}}"#).unwrap_err();
    /// assert_eq!(e.path(), "unicode.action");
    /// # Ok::<(), palisade::PolicyError>(())
    /// ```
    #[cfg(feature = "policy")]
    pub fn from_json(text: &str) -> Result<Policy, PolicyError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let raw: Policy = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner().to_string();
            // serde_json appends " at line L column C": keep it, it helps.
            PolicyError::from_parts(&e.path().to_string(), &inner)
        })?;
        Ok(raw.resolved())
    }

    /// Parses a policy file, TOML or JSON by its extension (`.json` is JSON,
    /// anything else TOML).
    ///
    /// ```
    /// use palisade::{Policy, Profile};
    /// let path = std::env::temp_dir().join(format!("palisade-doc-{}.json", std::process::id()));
    /// std::fs::write(&path, r#"{"profile": "document"}"#).unwrap();
    /// let policy = Policy::from_file(&path);
    /// std::fs::remove_file(&path).unwrap();
    /// assert_eq!(policy?.profile, Profile::Document); // `.json`: read as JSON
    /// assert!(Policy::from_file("no/such/policy.toml".as_ref()).unwrap_err().to_string().starts_with("cannot read"));
    /// # Ok::<(), palisade::PolicyError>(())
    /// ```
    #[cfg(feature = "policy")]
    pub fn from_file(path: &std::path::Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|e| PolicyError {
            path: String::new(),
            message: format!("cannot read {}: {e}", path.display()),
        })?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            Policy::from_json(&text)
        } else {
            Policy::from_toml(&text)
        }
    }

    /// Fills the sections this policy leaves out from its base profile.
    fn resolved(mut self) -> Policy {
        fn merge<T>(own: Option<Section<T>>, base: Option<Section<T>>) -> Option<Section<T>> {
            match own {
                Some(s) => Some(s.inheriting(base.as_ref())),
                None => base,
            }
        }
        let base = Policy::for_profile(self.profile);
        self.limits = merge(self.limits, base.limits);
        self.unicode = merge(self.unicode, base.unicode);
        self.custom = merge(self.custom, base.custom);
        self.secrets = merge(self.secrets, base.secrets);
        self.pii = merge(self.pii, base.pii);
        self.injection = merge(self.injection, base.injection);
        self.leak = merge(self.leak, base.leak);
        self
    }

    /// Compiles the policy into one guard. The cost is here, and checking
    /// with the result is cheap. Errors name the field.
    ///
    /// What the built-in detectors compile is shared by every guard of the
    /// process: the first build pays for it (tens of milliseconds, with the
    /// injection rules compiling on a second thread meanwhile), later
    /// builds take microseconds. Each built-in secret rule's pattern
    /// compiles the first time its anchor is seen, once per process:
    /// texts hit few of hundreds of rules ([`Guard::warm_up`] compiles them
    /// all now).
    ///
    /// ```
    /// use palisade::{Guard, Policy, Profile};
    /// let guard = Policy::for_profile(Profile::Output).build()?;
    /// let shared = std::sync::Arc::new(guard); // Send + Sync: share it
    /// assert!(shared.check("Here is your answer.").allowed());
    /// # Ok::<(), palisade::PolicyError>(())
    /// ```
    pub fn build(&self) -> Result<Pipeline, PolicyError> {
        std::thread::scope(|scope| {
            if self.injection.as_ref().is_some_and(|s| s.enabled) {
                crate::injection::compile_rules_in(scope);
            }
            self.build_stages()
        })
    }

    fn build_stages(&self) -> Result<Pipeline, PolicyError> {
        let mut p = Pipeline::builder();
        p.dangerous_fail_open(self.dangerous_fail_open);
        if let Some(s) = self.limits.as_ref().filter(|s| s.enabled) {
            p.stage(stage(s, Arc::new(s.options.clone())).gate(true));
        }
        if let Some(s) = self.unicode.as_ref().filter(|s| s.enabled) {
            p.stage(stage(s, Arc::new(s.options.clone())));
        }
        if let Some(s) = self.custom.as_ref().filter(|s| s.enabled) {
            let g = s.options.build().map_err(|e| e.within("custom"))?;
            p.stage(stage(s, Arc::new(g)));
        }
        if let Some(s) = self.secrets.as_ref().filter(|s| s.enabled) {
            let g = s.options.build(self.profile).map_err(|e| e.within("secrets"))?;
            p.stage(stage(s, Arc::new(g)));
        }
        if let Some(s) = self.pii.as_ref().filter(|s| s.enabled) {
            let g = s.options.build(self.profile).map_err(|e| e.within("pii"))?;
            p.stage(stage(s, Arc::new(g)));
        }
        if let Some(s) = self.injection.as_ref().filter(|s| s.enabled) {
            let g = s.options.build(self.profile).map_err(|e| e.within("injection"))?;
            p.stage(stage(s, Arc::new(g)));
        }
        if let Some(s) = self.leak.as_ref().filter(|s| s.enabled) {
            let g = s.options.build(self.profile).map_err(|e| e.within("leak"))?;
            p.stage(stage(s, Arc::new(g)));
        }
        Ok(p.build())
    }
}

fn stage<T>(s: &Section<T>, guard: Arc<dyn Guard>) -> Stage {
    let mut st = Stage::shared(guard).threshold(s.threshold.unwrap_or(0.0));
    if let Some(a) = s.action {
        st = st.action(a);
    }
    st
}

#[cfg(all(test, feature = "policy"))]
mod tests {
    use super::*;

    fn err(toml: &str) -> String {
        match Policy::from_toml(toml).map(|p| p.build()) {
            Err(e) => e.to_string(),
            Ok(Err(e)) => e.to_string(),
            Ok(Ok(_)) => panic!("accepted: {toml}"),
        }
    }

    #[test]
    fn errors_name_fields() {
        assert!(
            err("nonsense = 1").starts_with("nonsense: unknown field"),
            "{}",
            err("nonsense = 1")
        );
        assert!(err("[limits]\nmax_bytes = \"x\"").starts_with("limits.max_bytes: invalid type"));
        assert!(err("[limits]\naction = \"explode\"").starts_with("limits.action: expected one of"));
        assert!(err("[unicode]\nthreshold = 3").starts_with("unicode.threshold:"));
        let e = err("[[custom.rules]]\nid = \"r\"\npattern = \"a(\"");
        assert!(e.starts_with("custom.rules[0].pattern: rule r: invalid regex"), "{e}");
        assert!(!e.contains('\n'));
        let e = err("[[custom.rules]]\nid = \"r\"\npatern = \"a\"");
        assert!(e.starts_with("custom.rules[0].patern: unknown field"), "{e}");
        assert!(err("profile = \"nope\"").starts_with("profile: unknown variant"));
        assert!(err("[limits\n").contains("TOML") || !err("[limits\n").is_empty());
    }

    #[test]
    fn overriding_a_section_keeps_the_profiles_action_and_threshold() {
        let p = Policy::from_toml("profile = \"output\"\n[secrets]\ndisabled = []").unwrap();
        let base = Policy::for_profile(Profile::Output);
        assert_eq!(
            p.secrets.as_ref().unwrap().action,
            base.secrets.as_ref().unwrap().action
        );
        let p = Policy::from_toml("[injection]\ndecode = true").unwrap();
        let base = Policy::for_profile(Profile::Input);
        assert_eq!(
            p.injection.as_ref().unwrap().threshold,
            base.injection.as_ref().unwrap().threshold
        );
        let p = Policy::from_toml("[injection]\nthreshold = 0.9\naction = \"allow\"").unwrap();
        assert_eq!(p.injection.as_ref().unwrap().threshold, Some(0.9));
        assert_eq!(p.injection.as_ref().unwrap().action, Some(Action::Allow));
    }

    #[test]
    fn json_policies() {
        let p = Policy::from_json(r#"{"profile":"output","custom":{"banned":["x y"]}}"#).unwrap();
        assert_eq!(p.profile, Profile::Output);
        let e = Policy::from_json(r#"{"limits":{"max_lines":-1}}"#).unwrap_err();
        assert!(e.to_string().starts_with("limits.max_lines:"), "{e}");
    }

    #[test]
    fn sections_override_profile() {
        let p = Policy::from_toml("[unicode]\nenabled = false").unwrap();
        let g = p.build().unwrap();
        assert!(g.check("ig\u{200B}nore").allowed());
        assert!(g.check("ig\u{200B}nore").findings().is_empty());
        assert!(!Profile::Input.build().check("ig\u{200B}nore").findings().is_empty());
    }
}
