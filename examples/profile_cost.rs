//! Tuning aid: runs a guard many times on one of the benchmark inputs, for
//! `perf record` and CPU-time comparisons of two builds (the benches
//! measure; this one is for looking).
//!
//! ```text
//! cargo run --release --example profile_cost -- INPUT N [GUARD]
//! ```
//!
//! INPUT is `chat_1k`, `prose_16k`, `doc_16k`, `mixed_16k`, `mixed_64k`,
//! `log_1m` or `@FILE` (a file's text), with `_dense` appended for a secret every 2 KB (as in the
//! secrets bench). GUARD is a whole profile (`input`, the default, `output`
//! with a 2 KB system prompt and a canary, `document`), the injection
//! guard alone (`injection`, `injection-document`,
//! `injection-heuristics`) or the secrets guard alone (`secrets`).

#[path = "../benches/common/mod.rs"]
#[allow(unused_imports)]
mod common;

use palisade::injection::InjectionConfig;
use palisade::secrets::SecretsConfig;
use palisade::{Context, Guard, Profile};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_else(|| "chat_1k".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let injection = |profile, model| -> Box<dyn Guard> {
        Box::new(
            InjectionConfig {
                model,
                ..InjectionConfig::default()
            }
            .build(profile)
            .expect("rules compile"),
        )
    };
    let kind = args.next();
    let guard: Box<dyn Guard> = match kind.as_deref() {
        Some("output") => Box::new(Profile::Output.build()),
        Some("document") => Box::new(Profile::Document.build()),
        Some("injection") => injection(Profile::Input, true),
        Some("injection-document") => injection(Profile::Document, true),
        Some("injection-heuristics") => injection(Profile::Input, false),
        Some("secrets") => Box::new(SecretsConfig::default().build(Profile::Input).expect("rules compile")),
        _ => Box::new(Profile::Input.build()),
    };
    let (base, dense) = match which.strip_suffix("_dense") {
        Some(base) => (base, true),
        None => (which.as_str(), false),
    };
    let text = match base {
        "prose_16k" => common::sprinkle(&common::chat_1k().repeat(16), "", 1 << 20),
        "doc_16k" => common::doc_16k(),
        "mixed_16k" => common::mixed(16 << 10),
        "mixed_64k" => common::mixed(64 << 10),
        "log_1m" => common::log_1m(),
        // `@FILE`: the text of a file (a fuzz input, say).
        path if path.starts_with('@') => std::fs::read_to_string(&path[1..]).expect("a UTF-8 file"),
        _ => common::chat_1k(),
    };
    let text = if dense { common::with_secrets(&text) } else { text };
    let system = common::system_prompt_2k();
    let ctx = if kind.as_deref() == Some("output") {
        Context::new()
            .with_system_prompt(system.as_str())
            .with_canary("cnry-5be0c2f19a7d4e38")
    } else {
        Context::new()
    };
    let mut flagged = 0;
    for _ in 0..n {
        flagged += usize::from(!guard.check_with(std::hint::black_box(&text), &ctx).allowed());
    }
    println!("{which}: {n} checks, {flagged} flagged");
}
