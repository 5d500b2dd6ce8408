//! Tuning aid: runs the injection guard many times on one of the benchmark
//! inputs, for instruction counts (`perf stat -e instructions:u`), which a
//! loaded machine does not skew the way it skews wall time.
//!
//! ```text
//! cargo run --release --example injection_cost -- chat_1k 2000 [document|heuristics]
//! ```

#[path = "../benches/common/mod.rs"]
#[allow(unused_imports)]
mod common;

use palisade::injection::InjectionConfig;
use palisade::{Guard, Profile};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "chat_1k".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let mode = args.next().unwrap_or_default();
    let profile = if mode == "document" {
        Profile::Document
    } else {
        Profile::Input
    };
    let guard = InjectionConfig {
        model: mode != "heuristics",
        ..InjectionConfig::default()
    }
    .build(profile)
    .expect("rules compile");
    let text = match which.as_str() {
        "doc_16k" => common::doc_16k(),
        "log_1m" => common::log_1m(),
        "prose_16k" => common::sprinkle(&common::chat_1k().repeat(16), "", 1 << 20),
        _ => common::chat_1k(),
    };
    let mut flagged = 0;
    for _ in 0..n {
        flagged += usize::from(!guard.check(std::hint::black_box(&text)).allowed());
    }
    println!("{which}: {n} checks, {flagged} flagged");
}
