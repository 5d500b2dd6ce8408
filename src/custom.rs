//! Custom rules: banned phrases and user regexes, each with its own action.
//!
//! Banned phrases match whole words on the [`Folded`](crate::ViewKind::Folded)
//! view, so `b​a​n​n​e​d`, `ＢＡＮＮＥＤ`, `bаnned` (Cyrillic а) and `b4nned` all
//! match `banned`. Regexes run on the [`Clean`](crate::ViewKind::Clean) view
//! (NFKC, invisible characters removed, case kept).

use aho_corasick::{AhoCorasick, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{BuildError, GuardError};
use crate::finding::{Action, Category, Finding, Redaction};
use crate::guard::Guard;
use crate::input::Input;
use crate::normalize::{View, ViewKind};

/// A banned phrase as written in a policy file.
///
/// ```toml
/// [[custom.banned]]
/// phrase = "project bluebird"
/// action = "sanitize"
/// ```
///
/// ```
/// use palisade::{Guard, Policy};
/// let policy = Policy::from_toml(r#"
///     [[custom.banned]]
///     phrase = "project bluebird"
///     action = "sanitize"
/// "#)?;
/// let rules = policy.custom.unwrap().options.build()?;
/// assert_eq!(rules.check("about Project Bluebird").sanitized(), Some("about [BANNED]"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BannedPhrase {
    /// The phrase; matched whole-word and case-insensitively.
    pub phrase: String,
    /// Rule id; defaults to `custom.banned`.
    #[serde(default)]
    pub id: Option<String>,
    /// What to do on a match; defaults to `block`.
    #[serde(default)]
    pub action: Option<Action>,
}

/// A user regex as written in a policy file.
///
/// ```toml
/// [[custom.rules]]
/// id = "ticket"
/// kind = "ticket_id"
/// pattern = 'TICKET-[0-9]{4,}'
/// action = "sanitize"
/// ```
///
/// ```
/// use palisade::{Guard, Policy};
/// let policy = Policy::from_toml(r#"
///     [[custom.rules]]
///     id = "ticket"
///     kind = "ticket_id"
///     pattern = 'TICKET-[0-9]{4,}'
///     action = "sanitize"
/// "#)?;
/// let rules = policy.custom.unwrap().options.build()?;
/// assert_eq!(rules.check("see TICKET-12345").sanitized(), Some("see [TICKET_ID]"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegexRule {
    /// Rule id, reported in findings.
    pub id: String,
    /// The finding kind (snake_case); defaults to `custom_pattern`.
    #[serde(default)]
    pub kind: Option<String>,
    /// The pattern (Rust `regex` syntax; linear time, no look-around).
    pub pattern: String,
    /// Match case-insensitively.
    #[serde(default)]
    pub case_insensitive: bool,
    /// What to do on a match; defaults to `block`.
    #[serde(default)]
    pub action: Option<Action>,
}

/// The `[custom]` policy section.
///
/// ```
/// use palisade::{Guard, custom::{BannedEntry, CustomConfig}};
/// let config = CustomConfig {
///     banned: vec![BannedEntry::Phrase("launch code".into())],
///     ..CustomConfig::default()
/// };
/// assert!(!config.build()?.check("the launch code").allowed());
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomConfig {
    /// Banned phrases: plain strings or tables.
    pub banned: Vec<BannedEntry>,
    /// Regex rules.
    pub rules: Vec<RegexRule>,
}

/// A banned phrase: a plain string, or a table with options.
///
/// ```
/// use palisade::{Action, Policy, custom::BannedEntry};
/// let policy = Policy::from_toml(r#"
///     [custom]
///     banned = ["launch code", { phrase = "codename", action = "sanitize" }]
/// "#)?;
/// let banned = &policy.custom.unwrap().options.banned;
/// assert_eq!(banned[0], BannedEntry::Phrase("launch code".into()));
/// assert!(matches!(&banned[1], BannedEntry::Full(p) if p.action == Some(Action::Sanitize)));
/// # Ok::<(), palisade::PolicyError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BannedEntry {
    /// Just the phrase.
    Phrase(String),
    /// The phrase with options.
    Full(BannedPhrase),
}

impl CustomConfig {
    /// Compiles the section; errors name the entry (`rules[1].pattern`).
    ///
    /// ```
    /// use palisade::custom::{CustomConfig, RegexRule};
    /// let bad = RegexRule { id: "r".into(), kind: None, pattern: "(".into(), case_insensitive: false, action: None };
    /// let config = CustomConfig { rules: vec![bad], ..CustomConfig::default() };
    /// assert_eq!(config.build().unwrap_err().path(), "rules[0].pattern");
    /// ```
    pub fn build(&self) -> Result<CustomRules, BuildError> {
        let mut b = CustomRules::builder();
        for entry in &self.banned {
            match entry {
                BannedEntry::Phrase(p) => b.banned(p),
                BannedEntry::Full(p) => b.banned_phrase(p.clone()),
            };
        }
        for rule in &self.rules {
            b.rule(rule.clone());
        }
        b.build()
    }
}

/// Builds [`CustomRules`].
///
/// ```
/// use palisade::{Guard, custom::CustomRules};
/// let rules = CustomRules::builder()
///     .banned("launch code")
///     .regex("ticket", "TCK-[0-9]{4}")
///     .build()?;
/// assert_eq!(rules.check("launch code for TCK-1234").findings().len(), 2);
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct CustomRulesBuilder {
    banned: Vec<BannedPhrase>,
    rules: Vec<RegexRule>,
}

impl CustomRulesBuilder {
    /// Bans a phrase (block on match).
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().banned("launch code").build()?;
    /// assert!(!rules.check("the LAUNCH   Code!").allowed()); // case and spacing folded
    /// assert!(rules.check("the launch codes").allowed()); // whole words only
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn banned(&mut self, phrase: &str) -> &mut Self {
        self.banned.push(BannedPhrase {
            phrase: phrase.to_string(),
            id: None,
            action: None,
        });
        self
    }
    /// Bans a phrase with options.
    ///
    /// ```
    /// use palisade::{Action, Guard, custom::{BannedPhrase, CustomRules}};
    /// let phrase = BannedPhrase { phrase: "codename".into(), id: Some("ops.codename".into()), action: Some(Action::Sanitize) };
    /// let v = CustomRules::builder().banned_phrase(phrase).build()?.check("our codename is");
    /// assert_eq!(v.findings()[0].rule(), "ops.codename");
    /// assert_eq!(v.sanitized(), Some("our [BANNED] is"));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn banned_phrase(&mut self, phrase: BannedPhrase) -> &mut Self {
        self.banned.push(phrase);
        self
    }
    /// Adds a regex rule that blocks.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let rules = CustomRules::builder().regex("ticket", "TCK-[0-9]{4}").build()?;
    /// assert!(!rules.check("see TCK-1234").allowed());
    /// assert!(rules.check("see tck-1234").allowed()); // case kept
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn regex(&mut self, id: &str, pattern: &str) -> &mut Self {
        self.rules.push(RegexRule {
            id: id.to_string(),
            kind: None,
            pattern: pattern.to_string(),
            case_insensitive: false,
            action: None,
        });
        self
    }
    /// Adds a regex rule with options.
    ///
    /// ```
    /// use palisade::{Action, Guard, custom::{CustomRules, RegexRule}};
    /// let rule = RegexRule {
    ///     id: "ticket".into(),
    ///     kind: Some("ticket_id".into()),
    ///     pattern: "tck-[0-9]{4}".into(),
    ///     case_insensitive: true,
    ///     action: Some(Action::Sanitize),
    /// };
    /// let v = CustomRules::builder().rule(rule).build()?.check("see TCK-1234");
    /// assert_eq!(v.sanitized(), Some("see [TICKET_ID]"));
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn rule(&mut self, rule: RegexRule) -> &mut Self {
        self.rules.push(rule);
        self
    }
    /// Compiles every phrase and pattern.
    ///
    /// ```
    /// use palisade::custom::{CustomRules, RegexRule};
    /// assert_eq!(CustomRules::builder().banned(" \u{200B} ").build().unwrap_err().path(), "banned[0].phrase");
    /// let rule = RegexRule { id: "r".into(), kind: Some("Ticket-ID".into()), pattern: "x".into(), case_insensitive: false, action: None };
    /// assert_eq!(CustomRules::builder().rule(rule).build().unwrap_err().path(), "rules[0].kind");
    /// ```
    pub fn build(&self) -> Result<CustomRules, BuildError> {
        let mut phrases = Vec::new();
        let mut folded = Vec::new();
        for (i, p) in self.banned.iter().enumerate() {
            let f = View::new(&p.phrase, ViewKind::Folded).as_str().trim().to_string();
            if f.is_empty() {
                return Err(BuildError::invalid(format!("banned[{i}].phrase"), "is empty"));
            }
            folded.push(f);
            phrases.push(Compiled {
                id: p.id.clone().unwrap_or_else(|| "custom.banned".into()),
                kind: "banned_phrase".into(),
                action: p.action.unwrap_or(Action::Block),
            });
        }
        let matcher = if folded.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(&folded)
                    .map_err(|e| BuildError::invalid("banned", e.to_string()))?,
            )
        };
        let mut regexes = Vec::new();
        for (i, r) in self.rules.iter().enumerate() {
            let re = regex::RegexBuilder::new(&r.pattern)
                .case_insensitive(r.case_insensitive)
                .size_limit(1 << 22)
                .build()
                .map_err(|e| {
                    BuildError::invalid(
                        format!("rules[{i}].pattern"),
                        format!("rule {}: invalid regex: {e}", r.id),
                    )
                })?;
            let kind = r.kind.clone().unwrap_or_else(|| "custom_pattern".into());
            if !kind
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                || kind.is_empty()
            {
                return Err(BuildError::invalid(format!("rules[{i}].kind"), "must be snake_case"));
            }
            regexes.push((
                re,
                Compiled {
                    id: r.id.clone(),
                    kind,
                    action: r.action.unwrap_or(Action::Block),
                },
            ));
        }
        Ok(CustomRules {
            matcher,
            phrases,
            regexes,
        })
    }
}

#[derive(Clone, Debug)]
struct Compiled {
    id: String,
    kind: String,
    action: Action,
}

/// Banned phrases and user regexes.
///
/// ```
/// use palisade::{Guard, custom::CustomRules};
/// let rules = CustomRules::builder().banned("banned").build()?;
/// let text = "a b\u{200B}a\u{200B}n\u{200B}n\u{200B}e\u{200B}d word";
/// let v = rules.check(text);
/// assert_eq!(&text[v.findings()[0].span()], "b\u{200B}a\u{200B}n\u{200B}n\u{200B}e\u{200B}d");
/// assert!(rules.check("unbanned").allowed()); // whole words only
/// # Ok::<(), palisade::BuildError>(())
/// ```
#[derive(Clone, Debug)]
pub struct CustomRules {
    matcher: Option<AhoCorasick>,
    phrases: Vec<Compiled>,
    regexes: Vec<(Regex, Compiled)>,
}

impl CustomRules {
    /// A builder with no rules.
    ///
    /// ```
    /// use palisade::{Guard, custom::CustomRules};
    /// let none = CustomRules::builder().build()?;
    /// assert!(none.check("anything at all").findings().is_empty());
    /// # Ok::<(), palisade::BuildError>(())
    /// ```
    pub fn builder() -> CustomRulesBuilder {
        CustomRulesBuilder::default()
    }
}

fn finding(c: &Compiled, span: std::ops::Range<usize>, label: &str) -> Finding {
    Finding::new(Category::Custom, c.kind.clone(), c.id.clone(), span)
        .with_action(c.action)
        .with_redaction(Redaction::Label(label.to_string().into()))
}

impl Guard for CustomRules {
    // Banned phrases are one automaton pass over the folded view (shared
    // with the other detectors). Each user regex runs over the whole clean
    // view: a user's pattern need not have a literal to anchor on (the
    // regex engine's own prefilter skips ahead when it has one).
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        if let Some(ac) = &self.matcher {
            let view = input.view(ViewKind::Folded);
            let hay = view.as_str();
            let bytes = hay.as_bytes();
            for m in ac.find_iter(hay) {
                let (s, e) = (m.start(), m.end());
                let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
                let left_ok = s == 0 || !word(bytes[s - 1]) || !word(bytes[s]);
                let right_ok = e == bytes.len() || !word(bytes[e]) || !word(bytes[e - 1]);
                if left_ok && right_ok {
                    let c = &self.phrases[m.pattern().as_usize()];
                    findings.push(finding(c, view.to_original(s..e), "BANNED"));
                }
            }
        }
        if !self.regexes.is_empty() {
            let view = input.view(ViewKind::Clean);
            for (re, c) in &self.regexes {
                for m in re.find_iter(view.as_str()) {
                    if m.is_empty() {
                        continue;
                    }
                    let label = c.kind.to_ascii_uppercase();
                    findings.push(finding(c, view.to_original(m.range()), &label).with_masked_evidence(m.as_str()));
                }
            }
        }
        Ok(())
    }

    fn name(&self) -> &str {
        "custom"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscations_match() {
        let r = CustomRules::builder().banned("Project Bluebird").build().unwrap();
        for t in [
            "project bluebird",
            "PROJECT   BLUEBIRD!",
            "ＰＲＯＪＥＣＴ ＢＬＵＥＢＩＲＤ",
            "prоject bluebird",
            "pr0ject blu3bird",
        ] {
            assert!(!r.check(t).allowed(), "{t}");
        }
        assert!(r.check("project bluebirds").allowed());
    }

    #[test]
    fn non_latin_phrases_match_in_any_case() {
        let r = CustomRules::builder()
            .banned("секретный план")
            .banned("Επιχείρηση Γλαύκα")
            .build()
            .unwrap();
        for t in [
            "это секретный план",
            "ЭТО СЕКРЕТНЫЙ ПЛАН",
            "Секретный План",
            "сЕкРеТнЫй пЛаН",
            "ΕΠΙΧΕΊΡΗΣΗ ΓΛΑΎΚΑ",
            "επιχείρηση γλαύκα",
        ] {
            assert!(!r.check(t).allowed(), "{t}");
        }
        assert!(r.check("секретный планшет").allowed());
    }

    #[test]
    fn regex_rules() {
        let r = CustomRules::builder()
            .rule(RegexRule {
                id: "ticket".into(),
                kind: Some("ticket_id".into()),
                pattern: "TICKET-[0-9]{4,}".into(),
                case_insensitive: false,
                action: Some(Action::Sanitize),
            })
            .build()
            .unwrap();
        let v = r.check("see TICKET-12345 and TICKET-99999");
        assert_eq!(v.findings().len(), 2);
        assert_eq!(v.sanitized(), Some("see [TICKET_ID] and [TICKET_ID]"));
    }

    #[test]
    fn bad_regex_names_rule() {
        let e = CustomRules::builder().regex("r1", "a(").build().unwrap_err();
        assert_eq!(e.path(), "rules[0].pattern");
        assert!(!e.to_string().contains('\n'));
    }
}
