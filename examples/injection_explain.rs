//! Tuning aid: prints the per-window evidence for a text given on stdin.
//!
//! ```text
//! echo "text" | cargo run --example injection_explain -- [document]
//! ```

use palisade::injection::InjectionConfig;
use palisade::{Guard, Profile};
use std::io::Read;

fn main() {
    let doc = std::env::args().nth(1).as_deref() == Some("document");
    let profile = if doc { Profile::Document } else { Profile::Input };
    let g = InjectionConfig::default().build(profile).expect("rules compile");
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("stdin");
    for w in g.debug_windows(&text) {
        println!("{w:?}");
    }
    for f in g.check(&text).findings() {
        println!("{} {} {:?} {:?}", f.kind(), f.rule(), f.score(), f.detail());
    }
}
