//! Policy parsing (TOML and JSON) and building: errors, never panics; a
//! built policy checks its own source text.
//!
//! Building a whole profile compiles hundreds of patterns (milliseconds), so
//! guards are cached by the parsed policy: every distinct policy is still
//! built once, and parsing and checking run on every input.
#![no_main]

use std::cell::RefCell;
use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use palisade::{Guard, Pipeline, Policy};

thread_local! {
    static BUILT: RefCell<HashMap<String, Option<Pipeline>>> = RefCell::new(HashMap::new());
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for parsed in [Policy::from_toml(text), Policy::from_json(text)] {
        match parsed {
            Ok(policy) => {
                let key = format!("{policy:?}");
                BUILT.with(|cache| {
                    let mut cache = cache.borrow_mut();
                    if cache.len() > 512 {
                        cache.clear();
                    }
                    let guard = cache.entry(key).or_insert_with(|| match policy.build() {
                        Ok(g) => Some(g),
                        Err(e) => {
                            assert!(!e.to_string().contains('\n'));
                            None
                        }
                    });
                    if let Some(g) = guard {
                        let _ = g.check(text);
                    }
                });
            }
            Err(e) => assert!(!e.to_string().contains('\n')),
        }
    }
});
