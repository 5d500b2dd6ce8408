//! Differential: `check` on a text equals the same text fed through the
//! streaming guard in random chunks (findings and sanitized text). The
//! logic is shared with the replayed regressions in `tests/`.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/support/stream_differential.rs"]
mod stream_differential;

fuzz_target!(|data: &[u8]| stream_differential::check(data));
