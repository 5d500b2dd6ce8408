//! The secrets guard alone on the standard inputs, without secrets and with
//! a synthetic secret every 2 KB, next to a plain memchr scan of the same
//! bytes (the ratio comes from one run).

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade::secrets::SecretsConfig;
use palisade::{Guard, Profile};

fn bench(c: &mut Criterion) {
    let guard = SecretsConfig::default()
        .build(Profile::Input)
        .expect("built-in rules build");
    for (name, text) in common::standard() {
        let mut g = c.benchmark_group(format!("secrets/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        common::memchr_baseline(&mut g, name, &text);
        g.bench_function("clean", |b| b.iter(|| guard.check(std::hint::black_box(&text))));
        let dense = common::with_secrets(&text);
        g.throughput(Throughput::Bytes(dense.len() as u64));
        common::memchr_baseline(&mut g, &format!("{name}_dense"), &dense);
        g.bench_function("dense", |b| b.iter(|| guard.check(std::hint::black_box(&dense))));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
