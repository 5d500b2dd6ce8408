//! The leak guard on 1 KB and 16 KB answers with a 2 KB system prompt
//! (synthetic), the output profile, and the streaming guard's overhead on
//! the 16 KB answer in 64-byte chunks; memchr in each group for the ratio.

mod common;

use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade::leak::LeakConfig;
use palisade::{Context, Guard, Profile, StreamGuard};

/// A deterministic 2 KB system prompt.
fn system_prompt() -> String {
    const WORDS: &[&str] = &[
        "assistant",
        "customer",
        "orders",
        "refund",
        "policy",
        "never",
        "reveal",
        "shipping",
        "within",
        "days",
        "answer",
        "politely",
        "account",
        "escalate",
        "manager",
        "warehouse",
        "tracking",
        "number",
        "always",
        "confirm",
        "identity",
        "before",
        "discussing",
        "billing",
        "details",
        "and",
        "the",
        "of",
    ];
    let mut s = String::from("You are the support assistant of Example Store. ");
    let mut x: u32 = 7;
    while s.len() < 2048 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        s.push_str(WORDS[(x >> 16) as usize % WORDS.len()]);
        s.push(if (x >> 8).is_multiple_of(11) { '.' } else { ' ' });
        if s.ends_with('.') {
            s.push(' ');
        }
    }
    s.truncate(2048);
    s
}

fn answer(text: &str) -> String {
    // An answer with a benign link and image every ~1 KB.
    common::sprinkle(
        text,
        "See [the guide](https://docs.example.com/guide#setup) ![logo](https://cdn.example.com/logo.png)",
        1024,
    )
}

fn bench(c: &mut Criterion) {
    let prompt = system_prompt();
    let leak = LeakConfig {
        system_prompt: Some(prompt.clone()),
        canaries: vec!["cnry-5be0c7a91f3d28e4b6a0".into()],
        ..LeakConfig::default()
    }
    .build(Profile::Output)
    .expect("valid config");
    let output = Profile::Output.build();
    let ctx = Context::new().with_system_prompt(prompt.clone());
    for (name, text) in [
        ("chat_1k", answer(&common::chat_1k())),
        ("doc_16k", answer(&common::doc_16k())),
    ] {
        let mut g = c.benchmark_group(format!("leak/{name}"));
        g.throughput(Throughput::Bytes(text.len() as u64));
        common::memchr_baseline(&mut g, name, &text);
        g.bench_function("leak_guard", |b| b.iter(|| leak.check(&text)));
        g.bench_function("output_profile_ctx_prompt", |b| {
            b.iter(|| output.check_with(&text, &ctx))
        });
        g.finish();
    }

    // Streaming vs whole text, same 16 KB answer, same run.
    let text = answer(&common::doc_16k());
    let guard: Arc<dyn Guard> = Arc::new(leak.clone());
    let mut g = c.benchmark_group("leak/stream_16k");
    g.throughput(Throughput::Bytes(text.len() as u64));
    common::memchr_baseline(&mut g, "doc_16k", &text);
    g.bench_function("whole_text", |b| b.iter(|| guard.check(&text)));
    g.bench_function("stream_64b_chunks", |b| {
        b.iter(|| {
            let mut s = StreamGuard::new(guard.clone());
            let mut n = 0;
            for chunk in text.as_bytes().chunks(64) {
                n += s.push(chunk).released.len();
            }
            n + s.finish().released.len()
        })
    });
    // Fewer re-checks (one per hold-back), more latency.
    let hold = StreamGuard::new(guard.clone()).hold_back().unwrap_or(0);
    g.bench_function("stream_64b_chunks_check_every_hold", |b| {
        b.iter(|| {
            let mut s = StreamGuard::builder(guard.clone()).check_every(hold).build();
            let mut n = 0;
            for chunk in text.as_bytes().chunks(64) {
                n += s.push(chunk).released.len();
            }
            n + s.finish().released.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
