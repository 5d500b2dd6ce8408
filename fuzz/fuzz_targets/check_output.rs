//! `check_with` with the `output` profile, the first line of the input used
//! as the system prompt and the second as a canary: no panic, spans on char
//! boundaries, and the same verdict from the shared guard (which keeps the
//! index of the last prompt it saw), from the same context again (which
//! keeps its own), and from a guard built afresh.
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
    assert_eq!(v, GUARD.check_with(answer, &ctx), "a context's kept index changed the verdict");
    let fresh = Profile::Output.build();
    let new_ctx = Context::new().with_system_prompt(prompt).with_canary(canary);
    assert_eq!(v, fresh.check_with(answer, &new_ctx), "the guard's kept index changed the verdict");
});
