//! `check_with` with the `output` profile, the first line of the input used
//! as the system prompt and the second as a canary.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use palisade::{Context, Guard, Pipeline, Profile};

static GUARD: LazyLock<Pipeline> = LazyLock::new(|| Profile::Output.build());

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\n');
    let (prompt, canary, answer) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    let ctx = Context::new().with_system_prompt(prompt).with_canary(canary);
    let v = GUARD.check_with(answer, &ctx);
    for f in v.findings() {
        assert!(f.end() <= answer.len() && answer.is_char_boundary(f.start()) && answer.is_char_boundary(f.end()));
    }
});
