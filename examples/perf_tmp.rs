use palisade::{Guard, Profile};
#[path = "../benches/common/mod.rs"]
mod common;
fn main() {
    let g = Profile::Input.build();
    let t = common::chat_1k();
    let mut n = 0;
    let start = std::time::Instant::now();
    for _ in 0..100_000 {
        n += g.check(std::hint::black_box(&t)).findings().len();
    }
    println!("{n} {:?}/check", start.elapsed() / 100_000);
}
