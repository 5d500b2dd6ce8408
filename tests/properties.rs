//! Property tests of the core: normalization offsets, span bounds,
//! redaction idempotence, determinism, and that no verdict string contains a
//! matched value.

use palisade::custom::{CustomRules, RegexRule};
use palisade::{Action, Guard, Pipeline, Profile, Stage, View, ViewKind};
use proptest::prelude::*;

/// Characters that exercise every normalization path and Unicode check.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range('a', 'z'),
        2 => Just(' '),
        1 => proptest::sample::select(vec![
            'A', 'Z', '0', '1', '3', '4', '@', '$', '!', '.', ',', '-', '\n', '\t', '\u{7}',
            'Ａ', 'ｚ', '１', '\u{0663}', 'é', 'e', '\u{0301}', '\u{0323}', 'а', 'о', 'е', 'ο', 'ß', 'İ', 'ﬁ',
            '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}', '\u{034F}',
            '\u{202E}', '\u{202C}', '\u{2066}', '\u{2069}', '\u{200F}',
            '\u{E0041}', '\u{E0061}', '\u{E007F}', '🏴', '\u{FE0F}', '\u{FE01}', '\u{E0100}',
            '\u{E000}', '👨', '🙂', '日', 'ש', 'م', 'क', '\u{094D}', '㌀', '½',
        ]),
    ]
}

fn tricky_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(tricky_char(), 0..60).prop_map(|v| v.into_iter().collect())
}

fn kinds() -> [ViewKind; 3] {
    [ViewKind::Clean, ViewKind::Folded, ViewKind::Compact]
}

fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect()
}

fn guard() -> Pipeline {
    let custom = CustomRules::builder()
        .banned_phrase(palisade::custom::BannedPhrase {
            phrase: "bad word".into(),
            id: None,
            action: Some(Action::Sanitize),
        })
        .rule(RegexRule {
            id: "token".into(),
            kind: Some("test_token".into()),
            pattern: "TOK-[A-Z0-9]{12}".into(),
            case_insensitive: false,
            action: Some(Action::Sanitize),
        })
        .build()
        .expect("valid rules");
    let mut b = Pipeline::builder();
    b.stage(Stage::new(Profile::Input.build())).stage(Stage::new(custom));
    b.build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Every view range maps to a range on char boundaries of the original,
    /// monotonically, and covers the characters that produced it.
    #[test]
    fn view_offsets_map_to_char_boundaries(text in tricky_text()) {
        for kind in kinds() {
            let view = View::new(&text, kind);
            let vb = boundaries(view.as_str());
            let mut last = 0;
            for w in vb.windows(2) {
                let r = view.to_original(w[0]..w[1]);
                prop_assert!(r.start <= r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                prop_assert!(r.start < r.end, "a view char maps to no original bytes");
                prop_assert!(r.start >= last, "view order follows the original");
                last = r.start;
            }
            for (i, &s) in vb.iter().enumerate() {
                for &e in &vb[i..] {
                    let r = view.to_original(s..e);
                    prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                    // Covers each char inside.
                    for w in vb.windows(2).filter(|w| w[0] >= s && w[1] <= e) {
                        let c = view.to_original(w[0]..w[1]);
                        prop_assert!(r.start <= c.start && c.end <= r.end);
                    }
                }
            }
        }
    }

    /// The clean view of the original bytes a view span maps to contains the
    /// view span's text: the map points at what produced the match.
    #[test]
    fn clean_view_spans_reproduce(text in tricky_text(), a in 0usize..80, b in 0usize..80) {
        let view = View::new(&text, ViewKind::Clean);
        let vb = boundaries(view.as_str());
        let (s, e) = (vb[a % vb.len()].min(vb[b % vb.len()]), vb[a % vb.len()].max(vb[b % vb.len()]));
        let r = view.to_original(s..e);
        let again = View::new(&text[r.clone()], ViewKind::Clean);
        prop_assert!(again.as_str().contains(&view.as_str()[s..e]),
            "{:?} -> {:?} -> {:?}", &view.as_str()[s..e], &text[r], again.as_str());
    }

    /// On ASCII text (the fast path) every view byte maps to the one original
    /// byte that produced it.
    #[test]
    fn ascii_views_map_byte_for_byte(text in "[a-zA-Z0-9 @$!.\t\n-]{0,80}") {
        for kind in kinds() {
            let view = View::new(&text, kind);
            for (i, v) in view.as_str().bytes().enumerate() {
                let r = view.to_original(i..i + 1);
                prop_assert_eq!(r.len(), 1);
                let o = text.as_bytes()[r.start];
                let leet = matches!((o, v), (b'0', b'o') | (b'1' | b'!', b'i') | (b'3', b'e') | (b'4' | b'@', b'a')
                    | (b'5' | b'$', b's') | (b'7', b't') | (b'8', b'b') | (b'9', b'g'));
                prop_assert!(v == o || v == o.to_ascii_lowercase() || (v == b' ' && o.is_ascii_whitespace()) || leet,
                    "{:?} view byte {} {:?} from {:?}", kind, i, v as char, o as char);
            }
        }
    }

    /// Findings lie inside the text on char boundaries, sorted, and a check
    /// is deterministic.
    #[test]
    fn spans_bounded_sorted_deterministic(text in tricky_text()) {
        let g = guard();
        let v = g.check(&text);
        let mut prev = 0;
        for f in v.findings() {
            prop_assert!(f.start() <= f.end() && f.end() <= text.len());
            prop_assert!(text.is_char_boundary(f.start()) && text.is_char_boundary(f.end()));
            prop_assert!(f.start() >= prev);
            prop_assert!((0.0..=1.0).contains(&f.score()));
            prev = f.start();
        }
        prop_assert_eq!(v, g.check(&text));
    }

    /// Sanitizing the sanitized text finds nothing new.
    #[test]
    fn sanitizing_is_idempotent(text in tricky_text()) {
        let g = guard();
        let v = g.check(&text);
        if let Some(once) = v.sanitized() {
            let again = g.check(once);
            prop_assert!(again.sanitized().is_none_or(|t| t == once),
                "{:?} -> {:?} -> {:?} ({})", text, once, again.sanitized(), again);
        }
    }

    /// No verdict rendering contains the value a rule matched.
    #[test]
    fn verdicts_never_contain_matched_values(
        prefix in tricky_text(),
        token in "[A-Z0-9]{12}",
        suffix in tricky_text(),
    ) {
        let value = format!("TOK-{token}");
        let text = format!("{prefix} {value} {suffix}");
        let v = guard().check(&text);
        prop_assert!(v.findings().iter().any(|f| f.kind() == "test_token"));
        let json = serde_json::to_string(&v).unwrap();
        let debug = format!("{v:?}");
        let display = v.to_string();
        for rendered in [&json, &debug, &display] {
            prop_assert!(!rendered.contains(&value), "{rendered}");
            prop_assert!(!rendered.contains(&token), "{rendered}");
        }
        prop_assert!(!v.sanitized().unwrap_or("").contains(&value));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Personal values found by the PII detectors appear in no rendering of
    /// the verdict, not even their first characters (the generated values
    /// start with letter pairs no rendering uses).
    #[test]
    fn verdicts_never_contain_personal_values(
        user in "zq[a-z]{4,10}",
        domain in "xz[a-z]{4,8}",
        digits in "[2-9][0-9]{2}",
    ) {
        let email = format!("{user}.{domain}@{domain}.example.org");
        let phone = format!("+1 415 {digits} 0134");
        let text = format!("Reach me at {email} or {phone} after five.");
        let guard = palisade::pii::PiiConfig::default().build(Profile::Input).unwrap();
        let v = guard.check(&text);
        prop_assert!(v.findings().iter().any(|f| f.kind() == "email"));
        let json = serde_json::to_string(&v).unwrap();
        let debug = format!("{v:?}");
        let display = v.to_string();
        for rendered in [&json, &debug, &display] {
            prop_assert!(!rendered.contains(&user[..4]), "{rendered}");
            prop_assert!(!rendered.contains(&domain), "{rendered}");
            prop_assert!(!rendered.contains(&phone), "{rendered}");
        }
    }
}
