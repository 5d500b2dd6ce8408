//! `check` with the `input` profile on arbitrary text: no panic, spans on
//! char boundaries, deterministic, and sanitizing idempotent (checking the
//! sanitized text rewrites nothing more), for the whole profile and for the
//! core guards (limits, Unicode, custom rules) alone.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use palisade::custom::CustomRules;
use palisade::limits::Limits;
use palisade::unicode::UnicodeGuard;
use palisade::{Guard, Pipeline, Profile, Stage};

static FULL: LazyLock<Pipeline> = LazyLock::new(|| Profile::Input.build());
static CORE: LazyLock<Pipeline> = LazyLock::new(|| {
    let custom = CustomRules::builder()
        .banned("secret plan")
        .build()
        .expect("valid rules");
    Pipeline::builder()
        .stage(Stage::new(Limits::default()).gate(true))
        .stage(Stage::new(UnicodeGuard::default()))
        .stage(Stage::new(custom).action(palisade::Action::Sanitize))
        .build()
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let v = FULL.check(text);
    for f in v.findings() {
        assert!(f.end() <= text.len() && text.is_char_boundary(f.start()) && text.is_char_boundary(f.end()));
    }
    assert_eq!(v, FULL.check(text), "not deterministic");
    if let Some(s) = v.sanitized() {
        let again = FULL.check(s);
        assert!(again.sanitized().is_none_or(|t| t == s), "whole-profile sanitizing is not idempotent");
    }
    let core = CORE.check(text);
    if let Some(s) = core.sanitized() {
        let again = CORE.check(s);
        assert!(again.sanitized().is_none_or(|t| t == s), "sanitizing is not idempotent");
    }
});
