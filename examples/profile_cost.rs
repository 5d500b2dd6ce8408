//! Tuning aid: runs a built-in profile many times on one of the benchmark
//! inputs, for `perf record` (the benches measure; this one is for looking).
//!
//! ```text
//! cargo run --release --example profile_cost -- chat_1k 20000 [input|output|document]
//! ```

#[path = "../benches/common/mod.rs"]
#[allow(unused_imports)]
mod common;

use palisade::{Context, Guard, Profile};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "chat_1k".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let profile = match args.next().as_deref() {
        Some("output") => Profile::Output,
        Some("document") => Profile::Document,
        _ => Profile::Input,
    };
    let guard = profile.build();
    let text = match which.as_str() {
        "doc_16k" => common::doc_16k(),
        "log_1m" => common::log_1m(),
        "mixed_16k" => common::mixed(16 << 10),
        "mixed_64k" => common::mixed(64 << 10),
        _ => common::chat_1k(),
    };
    // The output profile reads the answer against a system prompt and a
    // canary, as in `benches/profile.rs`.
    let system = common::system_prompt_2k();
    let ctx = Context::new()
        .with_system_prompt(system.as_str())
        .with_canary("cnry-5be0c2f19a7d4e38");
    let mut flagged = 0;
    for _ in 0..n {
        flagged += usize::from(!guard.check_with(std::hint::black_box(&text), &ctx).allowed());
    }
    println!("{which}: {n} checks, {flagged} flagged");
}
