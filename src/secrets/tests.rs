use super::*;

fn guard(profile: Profile) -> SecretsGuard {
    SecretsConfig::default().build(profile).unwrap()
}

#[test]
fn rule_files_parse() {
    let mut ids = std::collections::HashSet::new();
    let mut total = 0;
    for (name, text) in RULE_FILES {
        let rules = rule::parse_rule_file(name, text).unwrap();
        for r in &rules {
            assert!(ids.insert(r.id.clone()), "duplicate rule id {}", r.id);
            assert!(!r.provider.is_empty(), "{}: provider", r.id);
            assert!(!r.examples.is_empty(), "{}: needs an example", r.id);
        }
        total += rules.len();
    }
    assert_eq!(total, builtin_rules().len());
    assert!(total >= 250, "only {total} rules");
}

/// Every rule's examples match (that rule alone, and the whole guard flags
/// them), and its negative examples do not match that rule.
#[test]
fn every_rule_example() {
    let g = guard(Profile::Input);
    let compiled = compile_all(builtin_rules(), "builtin", Compile::Now).unwrap();
    let mut failures = Vec::new();
    for (i, spec) in builtin_rules().iter().enumerate() {
        let one = Engine::new(vec![Arc::clone(&compiled[i])]).unwrap();
        for (j, ex) in spec.examples.iter().enumerate() {
            let text = synthesize(ex, j as u64);
            if one.candidates(&text).is_empty() {
                failures.push(format!("{}: example {j} does not match: {text}", spec.id));
            } else if g.check(&text).findings().is_empty() {
                failures.push(format!("{}: example {j} not flagged by the guard", spec.id));
            }
        }
        for (j, ex) in spec.negative_examples.iter().enumerate() {
            let text = synthesize(ex, j as u64);
            if !one.candidates(&text).is_empty() {
                failures.push(format!("{}: negative {j} matches: {text}", spec.id));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn start_bytes_of_patterns() {
    let set = start_bytes("(?i-u:secret|token)[=:]");
    assert!(set[b's' as usize] && set[b'T' as usize] && !set[b'(' as usize] && !set[b'x' as usize]);
    let set = start_bytes("(?:^|[^A-Za-z0-9_.])(ghp_[A-Za-z0-9]{36})");
    assert!(set[b' ' as usize] && set[b'g' as usize] && !set[b'a' as usize] && set[0xC3]);
    assert!(start_bytes("a*").iter().all(|&b| b));
    assert!(start_bytes("(").iter().all(|&b| b));
}

#[test]
fn anchors_inside_secret_labels_are_ignored() {
    let t = b"key = [SECRET_GITHUB_TOKEN] and [secret_x] [SECRET_A";
    assert!(in_secret_label(t, 14, 20)); // GITHUB
    assert!(in_secret_label(t, 7, 13)); // SECRET
    assert!(!in_secret_label(t, 0, 3)); // key
    assert!(!in_secret_label(t, 33, 39)); // lower case
    assert!(!in_secret_label(t, 44, 50)); // not closed
    // Sanitizing a sanitized text finds nothing more.
    let g = guard(Profile::Input);
    let text = format!(
        "token = {}\npassword = \"Q{}\"",
        synthesize("ghp_{c:30}", 2),
        synthesize("{a:14}", 3)
    );
    let once = g.check(&text);
    let clean = once.sanitized().unwrap().to_string();
    assert!(g.check(&clean).findings().is_empty(), "{clean}");
}

#[test]
fn span_is_the_value_and_redaction_is_a_label() {
    let g = guard(Profile::Input);
    let key = synthesize("AKIA{B:16}", 5);
    let text = format!("aws_access_key_id = {key}\n");
    let v = g.check(&text);
    let f = &v.findings()[0];
    assert_eq!(&text[f.span()], key);
    assert_eq!(f.kind(), "aws_access_key_id");
    assert_eq!(f.action(), Action::Sanitize);
    assert_eq!(v.sanitized(), Some("aws_access_key_id = [SECRET_AWS_ACCESS_KEY_ID]\n"));
    assert_eq!(guard(Profile::Output).check(&text).action(), Action::Block);
}

#[test]
fn github_checksum_raises_confidence() {
    let g = guard(Profile::Input);
    let good = synthesize("ghp_{c:30}", 9);
    let mut bad = good.clone();
    bad.replace_range(39..40, if good.ends_with('A') { "B" } else { "A" });
    let sg = g.check(&good).findings()[0].score();
    let sb = g.check(&bad).findings()[0].score();
    assert!(sg > sb, "{sg} {sb}");
}

#[test]
fn placeholders_are_not_flagged() {
    let g = guard(Profile::Input);
    for t in [
        "password = \"${DB_PASSWORD}\"",
        "password: $PASSWORD",
        "api_key = process.env.API_KEY",
        "token: <YOUR_TOKEN>",
        "secret = \"xxxxxxxxxxxxxxxx\"",
        "password=********",
        "password = changeme",
        "api_key = \"example-api-key-goes-here\"",
        "password = \"\"",
        "postgres://user:${PGPASSWORD}@db:5432/app",
        "key = AKIAIOSFODNN7EXAMPLE",
    ] {
        let v = g.check(t);
        assert!(v.findings().is_empty(), "{t}: {:?}", v.findings());
    }
}

#[test]
fn overlapping_matches_keep_the_specific_rule() {
    let g = guard(Profile::Input);
    let key = synthesize("ghp_{c:30}", 2);
    let v = g.check(&format!("GITHUB_TOKEN=\"{key}\""));
    assert_eq!(v.findings().len(), 1);
    assert_eq!(v.findings()[0].kind(), "github_token");
}

#[test]
fn user_rules_from_config() {
    let rule = SecretRule {
        id: "acme.token".into(),
        provider: "Acme".into(),
        kind: "acme_token".into(),
        anchors: vec!["acme_".into()],
        pattern: "acme_[A-Za-z0-9]{32}".into(),
        validators: vec!["entropy=3.5".into()],
        confidence: 0.9,
        examples: vec!["acme_{a:32}".into()],
        negative_examples: vec!["acme_short".into()],
        max_len: None,
        lookbehind: None,
    };
    let cfg = SecretsConfig {
        rules: vec![rule.clone()],
        disabled: vec!["password_assignment".into()],
    };
    let g = cfg.build(Profile::Input).unwrap();
    assert_eq!(
        g.check(&synthesize("x acme_{a:32} y", 1)).findings()[0].kind(),
        "acme_token"
    );
    assert!(g.check("password = \"Tr0ub4dor&3xQ\"").findings().is_empty());

    let mut bad = rule.clone();
    bad.pattern = "acme_(".into();
    let e = SecretsConfig {
        rules: vec![rule.clone(), bad],
        ..Default::default()
    }
    .build(Profile::Input)
    .unwrap_err();
    assert_eq!(e.path(), "rules[1].pattern");
    let mut bad = rule.clone();
    bad.examples = vec!["acme_tooshort".into()];
    let e = SecretsConfig {
        rules: vec![bad],
        ..Default::default()
    }
    .build(Profile::Input)
    .unwrap_err();
    assert_eq!(e.path(), "rules[0].examples[0]");
    let mut bad = rule.clone();
    bad.pattern = r"\bacme_[a-z]+".into();
    let e = SecretsConfig {
        rules: vec![bad],
        ..Default::default()
    }
    .build(Profile::Input)
    .unwrap_err();
    assert_eq!(e.path(), "rules[0].pattern");
    let e = SecretsConfig {
        disabled: vec!["no.such.rule".into()],
        ..Default::default()
    }
    .build(Profile::Input)
    .unwrap_err();
    assert_eq!(e.path(), "disabled[0]");
    let mut bad = rule;
    bad.validators = vec!["bogus".into()];
    let e = SecretsConfig {
        rules: vec![bad],
        ..Default::default()
    }
    .build(Profile::Input)
    .unwrap_err();
    assert_eq!(e.path(), "rules[0].validators");
}

#[cfg(feature = "policy")]
#[test]
fn policy_rules_name_their_fields() {
    let e =
        crate::Policy::from_toml("[[secrets.rules]]\nid = \"x\"\nkind = \"x\"\nanchors = [\"x_\"]\npattern = \"x_(\"")
            .unwrap()
            .build()
            .err()
            .unwrap();
    assert!(e.to_string().starts_with("secrets.rules[0].pattern:"), "{e}");
    let e = crate::Policy::from_toml("[[secrets.rules]]\nid = \"x\"\nkind = \"x\"\nanchors = [\"x_\"]\npatern = \"x\"")
        .unwrap_err();
    assert!(e.to_string().starts_with("secrets.rules[0].patern:"), "{e}");
}

#[test]
fn max_span_is_bounded() {
    assert_eq!(guard(Profile::Input).max_span(), Some(MAX_SECRET_LEN));
}

#[test]
fn no_panics_on_odd_text() {
    let g = guard(Profile::Input);
    for t in [
        "",
        "é",
        "sk-ant-api03-é",
        "-----BEGIN RSA PRIVATE KEY-----é",
        "password=é€€€€€€€€",
        "ghp_",
        "://:@",
    ] {
        let _ = g.check(t);
    }
    let long = "password=".repeat(5000);
    let _ = g.check(&long);
}

/// A generic value typed by a person (`abcdef…`, `a1b2c3…`) is still
/// reported (fixtures of some scanners are such values) but at half the
/// score of a random one, so a policy threshold can drop it.
#[test]
fn made_up_generic_values_score_lower() {
    let g = guard(Profile::Input);
    let score = |t: &str| g.check(t).findings().first().map(|f| f.score());
    let random = score(&synthesize("api_key = \"{a:32}\"", 5)).unwrap();
    let made_up = score("api_key = \"a1b2c3d4e5f6g7h8i9j0QxZk\"").unwrap();
    assert!((made_up - random / 2.0).abs() < 1e-6, "{made_up} vs {random}");
    // The password rule rejects them outright.
    assert_eq!(score("password = \"abcdef4821\""), None);
}

/// Tuning aid, not a check: `SECRETS_EXPLAIN=FILE cargo test --lib
/// secrets::tests::explain -- --ignored --nocapture` reads one JSON string
/// per line from FILE (kept outside the repository) and prints, for every
/// rule whose pattern matches anywhere in it (anchors ignored), the masked
/// secret and the first validator that rejects it.
#[test]
#[ignore]
fn explain() {
    let Some(path) = std::env::var_os("SECRETS_EXPLAIN") else {
        return;
    };
    let compiled = compile_all(builtin_rules(), "builtin", Compile::Now).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        let Ok(t) = serde_json::from_str::<String>(line) else {
            continue;
        };
        // Masked as evidence is (a few leading characters and the length),
        // never whole.
        let peek = |v: &str| {
            let c: Vec<char> = v.chars().collect();
            let head: String = c.iter().take((c.len() / 4).min(4)).collect();
            format!("{head}…({})", c.len())
        };
        println!("== {}", peek(&t));
        for r in &compiled {
            let Some(matcher) = r.matcher.get() else { continue };
            let re = &matcher.re;
            let mut caps = re.create_captures();
            for m in re.find_iter(t.as_str()) {
                re.search_captures(&ReInput::new(&t).range(m.range()).anchored(Anchored::Yes), &mut caps);
                let span = (1..caps.group_len())
                    .find_map(|g| caps.get_group(g))
                    .unwrap_or_else(|| m.span());
                let secret = &t[span.start..span.end];
                let before = span.start.checked_sub(1).map(|i| t.as_bytes()[i]);
                let after = t.as_bytes().get(span.end).copied();
                let quoted = before.is_some_and(|b| matches!(b, b'"' | b'\'' | b'`')) && before == after;
                let key = key_name(&t, m.start());
                let verdict = r
                    .validators
                    .iter()
                    .find(|v| v.check(secret, &t[m.range()], key, quoted) == Outcome::Reject)
                    .map_or("kept".to_string(), |v| format!("rejected by {v:?}"));
                let anchored = r.anchors.iter().any(|a| match a.strip_prefix("(?i)") {
                    Some(w) => t.to_ascii_lowercase().contains(&w.to_ascii_lowercase()),
                    None => t.contains(a.as_str()),
                });
                println!(
                    "   {:<32} {} key={:?} anchor_hit={anchored} {verdict}",
                    r.id,
                    peek(secret),
                    key
                );
            }
        }
    }
}

#[test]
fn warm_up_compiles_every_rule() {
    let g = guard(Profile::Input);
    g.warm_up();
    for rule in &g.engine.rules {
        assert!(rule.matcher.compiled.get().is_some_and(Option::is_some), "{}", rule.id);
    }
}

/// For every built-in rule whose pattern is a framed group (see [`Frame`]),
/// the group read off a match's edges is the one the capture search finds,
/// over its examples and negative examples between all kinds of boundary
/// characters (ASCII, multi-byte, none at the text's edges).
#[test]
fn framed_groups_match_the_capture_search() {
    let (mut framed, mut compared, mut deferred) = (0, 0, 0);
    let edges = ["", " ", "=", "\"", "\n", "é", "日本", "x", "_", "-", "€ ", "\t'", "ab "];
    for spec in builtin_rules() {
        let m = Matcher::new(&spec.pattern, spec.lookbehind.unwrap_or(DEFAULT_LOOKBEHIND)).unwrap();
        let Some(frame) = m.frame else { continue };
        framed += 1;
        let mut caps = m.re.create_captures();
        for (j, ex) in spec.examples.iter().chain(&spec.negative_examples).enumerate() {
            let value = synthesize(ex, j as u64);
            for before in edges {
                for after in edges {
                    let text = format!("{before}{value}{after}");
                    for whole in m.re.find_iter(text.as_str()) {
                        let Some(group) = frame.group(&text, whole.range()) else {
                            deferred += 1;
                            continue;
                        };
                        m.re.search_captures(
                            &ReInput::new(&text).range(whole.range()).anchored(Anchored::Yes),
                            &mut caps,
                        );
                        assert_eq!(
                            caps.get_match().map(|w| w.range()),
                            Some(whole.range()),
                            "{}: {text:?}",
                            spec.id
                        );
                        assert_eq!(
                            caps.get_group(1).map(|g| g.range()),
                            Some(group),
                            "{}: {text:?}",
                            spec.id
                        );
                        compared += 1;
                    }
                }
            }
        }
    }
    assert!(framed >= 150, "only {framed} framed rules");
    assert!(
        compared > 10 * framed && deferred > framed,
        "{compared} compared, {deferred} deferred"
    );
}

/// A Secret's data block with several values, and data blocks before a
/// `kind: Secret`: every value is rewritten by one check, and a check of
/// the sanitized text finds nothing new (the one-match-per-block rules
/// once moved on to the next value with each rewrite).
#[test]
fn every_value_of_a_secret_manifest_in_one_check() {
    let values = [
        "c2VjcmV0LXBhc3N3b3JkLTk4MjM0",
        "dG9rZW4tN2Y4YTI5YzFkNGU2YjA=",
        "YXBpLWtleS1xOThmbjJrcjBzbDE=",
        "ZGItcGFzcy1tMnA4dzRrOXIzeg==",
        "Y2VydC1rZXktdjdoMnE5ZjRuMWo=",
    ];
    let mut manifest = String::from("apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n");
    for (i, v) in values.iter().enumerate() {
        manifest.push_str(&format!("  key{i}: {v}\n"));
    }
    let mut blocks = String::new();
    for (i, v) in values.iter().enumerate() {
        blocks.push_str(&format!("data:\n  key{i}: {v}\nnote: {i}\n"));
    }
    blocks.push_str("kind: Secret\n");
    let g = guard(Profile::Input);
    for text in [manifest, blocks] {
        let v = g.check(&text);
        let sanitized = v.sanitized().expect("values found").to_string();
        for value in values {
            assert!(!sanitized.contains(value), "{value} left in:\n{sanitized}");
        }
        assert!(
            g.check(&sanitized).sanitized().is_none_or(|s| s == sanitized),
            "{sanitized}"
        );
    }
}
