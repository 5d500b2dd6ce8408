//! Core validators (limits, unicode, custom rules) and their pipeline.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade::custom::CustomRules;
use palisade::limits::Limits;
use palisade::unicode::UnicodeGuard;
use palisade::{Guard, Pipeline, Stage};

fn core(c: &mut Criterion) {
    let limits = Limits::default();
    let unicode = UnicodeGuard::default();
    let custom = CustomRules::builder()
        .banned("project bluebird")
        .banned("internal only")
        .regex("ticket", "TICKET-[0-9]{4,}")
        .build()
        .expect("valid rules");
    let pipeline = Pipeline::builder()
        // The default limits, with room for the 1 MB log.
        .stage(
            Stage::new(Limits {
                max_bytes: Some(4 << 20),
                max_lines: None,
                max_tokens: None,
                ..Limits::default()
            })
            .gate(true),
        )
        .stage(Stage::new(unicode.clone()))
        .stage(Stage::new(custom.clone()))
        .build();
    for (name, text) in common::standard() {
        let mut g = c.benchmark_group(format!("core/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        common::memchr_baseline(&mut g, name, &text);
        if text.len() <= limits.max_bytes.unwrap_or(usize::MAX) {
            g.bench_function("limits", |b| b.iter(|| limits.check(&text)));
        }
        g.bench_function("unicode", |b| b.iter(|| unicode.check(&text)));
        g.bench_function("custom", |b| b.iter(|| custom.check(&text)));
        g.bench_function("pipeline", |b| b.iter(|| pipeline.check(&text)));
        g.finish();
    }
}

criterion_group!(benches, core);
criterion_main!(benches);
