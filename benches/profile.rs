//! The whole built-in profiles, as applications run them: the `input`
//! profile on mixed text from 1 KB to 100 MB (throughput should stay flat),
//! a 1 KB prompt, and the `output` profile with a system prompt on an
//! answer. Each group carries a memchr scan of the same bytes.
//!
//! `PALISADE_BENCH_MAX` (bytes, default 100 MB) caps the largest size.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade::{Context, Guard, Pipeline, Policy, Profile};

/// The `input` profile with the size limits lifted, so that large inputs
/// are scanned rather than rejected at the gate.
fn input_unlimited() -> Pipeline {
    let mut policy = Policy::for_profile(Profile::Input);
    if let Some(limits) = policy.limits.as_mut() {
        limits.options.max_bytes = None;
        limits.options.max_lines = None;
        limits.options.max_tokens = None;
    }
    policy.build().expect("the default policy builds")
}

fn sizes(c: &mut Criterion) {
    let guard = input_unlimited();
    let cap: usize = std::env::var("PALISADE_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100 << 20);
    let mut g = c.benchmark_group("profile/input");
    g.sample_size(10);
    for (name, size) in [
        ("1k", 1 << 10),
        ("64k", 64 << 10),
        ("1m", 1 << 20),
        ("16m", 16 << 20),
        ("100m", 100 << 20),
    ] {
        if size > cap {
            continue;
        }
        let text = common::mixed(size);
        g.throughput(Throughput::Bytes(text.len() as u64));
        common::memchr_baseline(&mut g, name, &text);
        g.bench_function(format!("mixed/{name}"), |b| b.iter(|| guard.check(&text)));
    }
    g.finish();
}

fn prompt(c: &mut Criterion) {
    let guard = Profile::Input.build();
    let text = common::chat_1k();
    let mut g = c.benchmark_group("profile/prompt");
    g.throughput(Throughput::Bytes(text.len() as u64));
    common::memchr_baseline(&mut g, "chat_1k", &text);
    g.bench_function("input/chat_1k", |b| b.iter(|| guard.check(&text)));
    g.finish();
}

fn output(c: &mut Criterion) {
    let guard = Profile::Output.build();
    let system = common::system_prompt_2k();
    let ctx = Context::new()
        .with_system_prompt(system.as_str())
        .with_canary("cnry-5be0c2f19a7d4e38");
    let answer = common::mixed(16 << 10);
    let mut g = c.benchmark_group("profile/output");
    g.throughput(Throughput::Bytes(answer.len() as u64));
    common::memchr_baseline(&mut g, "answer_16k", &answer);
    // One context for every answer (its index is built on the first check
    // and kept), and a context built per answer (a canary minted per
    // request): the system prompt is indexed on every check.
    g.bench_function("output/answer_16k", |b| b.iter(|| guard.check_with(&answer, &ctx)));
    g.bench_function("output/answer_16k_new_context", |b| {
        b.iter(|| {
            let ctx = Context::new()
                .with_system_prompt(system.as_str())
                .with_canary("cnry-5be0c2f19a7d4e38");
            guard.check_with(&answer, &ctx)
        })
    });
    g.finish();
}

criterion_group!(benches, prompt, output, sizes);
criterion_main!(benches);
