//! The pii guard on the standard inputs, without and with entities
//! (synthetic valid values sprinkled every 256 bytes), each group with the
//! memchr baseline so the ratio comes from one run.

mod common;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use palisade::pii::PiiConfig;
use palisade::{Guard, Profile};

/// Synthetic entities: a Luhn-valid card built here, an e-mail on the
/// reserved example domain, a phone in the UK drama range, an SSN-shaped
/// value with context.
fn entities() -> String {
    let body = "455673758689985";
    let card = (0..10)
        .map(|c| format!("{body}{c}"))
        .find(|s| {
            let d: Vec<u32> = s.bytes().map(|b| (b - b'0') as u32).collect();
            let sum: u32 = d
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &x)| {
                    if i % 2 == 1 {
                        if x * 2 > 9 { x * 2 - 9 } else { x * 2 }
                    } else {
                        x
                    }
                })
                .sum();
            sum.is_multiple_of(10)
        })
        .unwrap();
    format!("card {card}, mail jane.doe@example.com, call +44 20 7946 0958, ssn 536-22-1234")
}

fn bench(c: &mut Criterion) {
    let guard = PiiConfig::default().build(Profile::Input).unwrap();
    let insert = entities();
    for (name, text) in common::standard() {
        for (variant, input) in [
            ("clean", text.clone()),
            ("entities", common::sprinkle(&text, &insert, 256)),
        ] {
            let mut g = c.benchmark_group(format!("pii/{name}/{variant}"));
            common::memchr_baseline(&mut g, name, &input);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_function("pii", |b| b.iter(|| guard.check(std::hint::black_box(&input))));
            g.finish();
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
