//! Policy parsing (TOML and JSON) and building: errors, never panics; a
//! built policy checks its own source text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::{Guard, Policy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in [Policy::from_toml(text), Policy::from_json(text)] {
        match parsed {
            Ok(policy) => {
                if let Ok(guard) = policy.build() {
                    let _ = guard.check(text);
                }
            }
            Err(e) => assert!(!e.to_string().contains('\n')),
        }
    }
});
