//! Property: for every built-in rule's examples (synthetic values), no
//! verdict rendering (`Debug`, JSON, sanitized text), no finding field and no
//! build error contains the secret value.

use palisade::secrets::{SecretRule, SecretsConfig, builtin_rules, synthesize};
use palisade::{Guard, Policy, Profile};
use proptest::prelude::*;

/// Every example template with its rule index.
fn examples() -> Vec<(usize, String)> {
    builtin_rules()
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.examples.iter().map(move |e| (i, e.clone())))
        .collect()
}

/// The secret values a verdict over `text` found (exact spans).
fn found_values(text: &str, guard: &dyn Guard) -> Vec<String> {
    guard
        .check(text)
        .findings()
        .iter()
        .map(|f| text[f.span()].to_string())
        .filter(|v| v.len() >= 8)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_rendering_contains_a_secret(
        pick in 0usize..10_000,
        seed in any::<u64>(),
        before in "[ a-z=:\"'\\n]{0,12}",
        after in "[ a-z;,\"'\\n]{0,12}",
        output in any::<bool>(),
    ) {
        let all = examples();
        let (_, template) = &all[pick % all.len()];
        let text = format!("{before}{}{after}", synthesize(template, seed));
        let profile = if output { Profile::Output } else { Profile::Input };
        let guard = SecretsConfig::default().build(profile).unwrap();
        let secrets = found_values(&text, &guard);
        let verdict = guard.check(&text);
        let pipeline = Profile::Input.build();
        let pv = pipeline.check(&text);
        let renderings = [
            format!("{verdict:?}"),
            serde_json::to_string(&verdict).unwrap(),
            verdict.sanitized().unwrap_or("").to_string(),
            format!("{pv:?}"),
            serde_json::to_string(&pv).unwrap(),
            pv.sanitized().unwrap_or("").to_string(),
            format!("{guard:?}"),
        ];
        for f in verdict.findings() {
            for field in [f.kind(), f.rule(), f.evidence().unwrap_or(""), f.detail().unwrap_or("")] {
                for s in &secrets {
                    prop_assert!(!field.contains(s.as_str()), "finding field leaks a secret");
                }
            }
        }
        for r in &renderings {
            for s in &secrets {
                prop_assert!(!r.contains(s.as_str()), "rendering leaks a secret");
            }
        }
    }

    /// A user rule whose example or negative example is a real-looking
    /// secret: the build error names the field but never quotes the value.
    #[test]
    fn build_errors_do_not_quote_examples(pick in 0usize..10_000, seed in any::<u64>()) {
        let all = examples();
        let (i, template) = &all[pick % all.len()];
        let value = synthesize(template, seed);
        let mut rule: SecretRule = builtin_rules()[*i].clone();
        rule.id = "user.rule".into();
        // The example is matched by the rule, so listing it as a negative
        // example must fail the build.
        rule.examples = vec![];
        rule.negative_examples = vec![value.clone()];
        let err = SecretsConfig { rules: vec![rule.clone()], ..Default::default() }
            .build(Profile::Input)
            .err();
        if let Some(e) = err {
            let shown = format!("{e} {e:?}");
            prop_assert!(!shown.contains(&value) || value.len() < 8);
            prop_assert_eq!(e.path(), "rules[0].negative_examples[0]");
        }
        // A bad pattern: the error names the field, not the examples.
        rule.pattern = format!("({}", rule.pattern);
        rule.negative_examples = vec![];
        rule.examples = vec![value.clone()];
        let e = SecretsConfig { rules: vec![rule], ..Default::default() }.build(Profile::Input).unwrap_err();
        let shown = format!("{e} {e:?}");
        prop_assert!(!shown.contains(&value) || value.len() < 8);
    }
}

/// The same through a policy file: errors name `secrets.rules[i].field`.
#[cfg(feature = "policy")]
#[test]
fn policy_errors_name_fields_without_values() {
    let secret = synthesize("ghp_{c:30}", 11);
    let toml = format!(
        "[[secrets.rules]]\nid = \"acme\"\nkind = \"acme_token\"\nanchors = [\"ghp_\"]\npattern = 'ghp_[A-Za-z0-9]{{36}}'\nnegative_examples = [\"{secret}\"]\n"
    );
    let e = Policy::from_toml(&toml).unwrap().build().err().unwrap();
    let shown = format!("{e} {e:?}");
    assert!(shown.starts_with("secrets.rules[0].negative_examples[0]"), "{shown}");
    assert!(!shown.contains(&secret));
}
