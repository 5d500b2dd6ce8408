//! The injection guard on the standard inputs (1 KB chat, 16 KB document,
//! 1 MB log) and on 16 KB of prose, each beside a memchr scan of the same
//! text so the ratio comes from one run.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use palisade::injection::InjectionConfig;
use palisade::{Guard, Profile};

fn bench(c: &mut Criterion) {
    let guard = InjectionConfig::default()
        .build(Profile::Input)
        .expect("built-in rules compile");
    let heuristics = InjectionConfig {
        model: false,
        ..InjectionConfig::default()
    }
    .build(Profile::Input)
    .expect("built-in rules compile");
    let prose_16k = common::sprinkle(&common::chat_1k().repeat(16), "", 1 << 20);
    let mut inputs = common::standard();
    inputs.push(("prose_16k", prose_16k));
    for (name, text) in &inputs {
        let mut g = c.benchmark_group(format!("injection/{name}"));
        common::memchr_baseline(&mut g, name, text);
        g.bench_function(format!("injection/{name}"), |b| {
            b.iter(|| guard.check(std::hint::black_box(text)))
        });
        g.bench_function(format!("injection_no_model/{name}"), |b| {
            b.iter(|| heuristics.check(std::hint::black_box(text)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
