//! `check` with the `input` profile on arbitrary text; the verdict's spans
//! must be valid and sanitizing must be idempotent.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use palisade::{Guard, Pipeline, Profile};

static GUARD: LazyLock<Pipeline> = LazyLock::new(|| Profile::Input.build());

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let v = GUARD.check(text);
    for f in v.findings() {
        assert!(f.end() <= text.len() && text.is_char_boundary(f.start()) && text.is_char_boundary(f.end()));
    }
    if let Some(s) = v.sanitized() {
        let again = GUARD.check(s);
        assert!(again.sanitized().is_none_or(|t| t == s), "sanitizing is not idempotent");
    }
});
