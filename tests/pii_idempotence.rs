//! Sanitizing with the whole `input` profile settles in one check on text
//! dense with digit runs, separators, controls and look-alike letters: the
//! PII detector reports every number of a list in one pass (a rewritten
//! placeholder is no context word, the digits after `+` are not a national
//! number), so checking the sanitized text finds nothing new.

use palisade::{Guard, Profile};
use proptest::prelude::*;

/// Pieces that make phone numbers, identifiers and their neighbours.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[0-9]{1,12}",
        3 => "[2-9][0-9]{2}[2-9][0-9]{6}",
        2 => "[2-9][0-9]{2}-[2-9][0-9]{2}-[0-9]{4}",
        1 => "\\+[1-9][0-9]{7,12}",
        2 => proptest::sample::select(vec![
            " ", " ", " ", " ", " ", ", ", "-", ".", "+", "(", ")", "/", ":", "@", "\n", "_", "#",
        ]).prop_map(String::from),
        2 => proptest::sample::select(vec![
            "\u{0}", "\u{4}", "\u{1f}", "\u{7f}", "\u{200b}", "\u{ad}", "\u{202e}",
            "Ԝ", "а", "о", "ο", "Ｏ", "１", "\u{663}",
        ]).prop_map(String::from),
        2 => proptest::sample::select(vec![
            "phone", "call", "tel", "ssn", "iban", "card", "account", "ip", "id", "born", "passport",
            "nhs", "tax", "a", "x", "de", "GB", "AB", "mail", "user@example.com", "[PHONE_1]",
        ]).prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn whole_profile_sanitizing_is_idempotent(t in text()) {
        let guard = Profile::Input.build();
        if let Some(s) = guard.check(&t).sanitized() {
            let again = guard.check(s);
            prop_assert!(again.sanitized().is_none_or(|x| x == s), "{:?} -> {:?} -> {:?}", t, s, again.sanitized());
        }
    }
}

#[test]
fn a_phone_list_settles_in_one_check() {
    // Before: `[PHONE_1]` counted as the context word `phone` for the next
    // bare number, so each settle round found one more and a second check
    // of the sanitized text still rewrote the rest.
    let mut t = String::from("415-555-2671");
    for i in 2..9 {
        t.push_str(&format!(" a b 415555267{i}"));
    }
    let guard = Profile::Input.build();
    let s = guard
        .check(&t)
        .sanitized()
        .expect("the formatted number is rewritten")
        .to_string();
    assert!(s.starts_with("[PHONE_1] a b 4155552672"), "{s}");
    assert_eq!(guard.check(&s).sanitized(), None);
}

#[test]
fn fuzz_regressions_settle_with_the_whole_profile() {
    // The inputs the `check_input` fuzz target kept, including the PII
    // cascades: sanitizing with the whole profile is idempotent on them.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions/check_input");
    let guard = Profile::Input.build();
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("regression inputs") {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("readable");
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        seen += 1;
        if let Some(s) = guard.check(text).sanitized() {
            let again = guard.check(s);
            assert!(again.sanitized().is_none_or(|x| x == s), "{}", path.display());
        }
    }
    assert!(seen > 0);
}

/// A context word before a list of bare numbers: each number is one word,
/// and context reaches a few words. Had a rewritten number's placeholder
/// not stopped the context, each settle round would have brought the next
/// number one word nearer and found it, and a list longer than the rounds
/// would have left one number for a later check (a fuzz find).
#[test]
fn placeholders_bring_no_number_nearer_to_its_context() {
    let guard = Profile::Input.build();
    for context in ["fax", "phone", "call"] {
        for sep in [" ", "\n", " a ", "%"] {
            let numbers = [
                "8802270978",
                "4404422222",
                "4402222222",
                "4404422223",
                "4404422224",
                "4404422225",
            ];
            let text = format!("{context} A\n{}", numbers.join(sep));
            let first = guard.check(&text);
            let Some(sanitized) = first.sanitized() else { continue };
            let again = guard.check(sanitized);
            assert!(
                again.sanitized().is_none_or(|s| s == sanitized),
                "{text:?} -> {sanitized:?}"
            );
        }
    }
}
