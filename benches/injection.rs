//! The injection guard (filled in by its issue).

mod common;

use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let text = common::chat_1k();
    let mut g = c.benchmark_group("injection/chat_1k");
    common::memchr_baseline(&mut g, "chat_1k", &text);
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
