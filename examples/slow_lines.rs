//! Tuning aid: the texts of a JSONL file (one `{"text": …}` per line) that
//! cost the most per byte under a profile (those of 1 KB or more), each
//! checked twice so that the second, warm check is timed (the first
//! compiles rules on first use), with the time of each detector family
//! alone for the slowest. For finding inputs that
//! cost far more per byte than the rest; the benches measure.
//!
//! ```text
//! cargo run --release --example slow_lines -- FILE.jsonl [input|output|document] [N]
//! ```

use std::io::BufRead;
use std::time::Instant;

use palisade::{Guard, Policy, Profile};

fn timed(guard: &dyn Guard, text: &str) -> f64 {
    let start = Instant::now();
    let _ = guard.check(text);
    start.elapsed().as_secs_f64()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("a JSONL file");
    let profile = args
        .next()
        .and_then(|p| Profile::from_name(&p))
        .unwrap_or(Profile::Input);
    let show: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let guard = profile.build();
    let file = std::io::BufReader::new(std::fs::File::open(&path).expect("the file opens"));
    let mut rows: Vec<(f64, String)> = Vec::new();
    let mut total = 0.0;
    for line in file.lines().map_while(Result::ok) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let Some(text) = value.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let _ = guard.check(text);
        let secs = timed(&guard, text);
        total += secs;
        rows.push((secs, text.to_string()));
    }
    let bytes: usize = rows.iter().map(|r| r.1.len()).sum();
    rows.retain(|r| r.1.len() >= 1024);
    let per_byte = |r: &(f64, String)| r.0 / r.1.len() as f64;
    rows.sort_by(|a, b| per_byte(b).total_cmp(&per_byte(a)));
    println!(
        "{:.1} MB, {:.2} s warm ({:.1} MB/s); slowest per byte of {} texts of 1 KB or more:",
        bytes as f64 / 1e6,
        total,
        bytes as f64 / 1e6 / total,
        rows.len()
    );
    let families = ["limits", "unicode", "secrets", "pii", "injection", "leak"];
    let alone: Vec<_> = families
        .iter()
        .map(|family| {
            let mut policy = Policy::for_profile(profile);
            for other in families.iter().filter(|f| *f != family) {
                match *other {
                    "limits" => policy.limits = None,
                    "unicode" => policy.unicode = None,
                    "secrets" => policy.secrets = None,
                    "pii" => policy.pii = None,
                    "injection" => policy.injection = None,
                    _ => policy.leak = None,
                }
            }
            policy.build().expect("a built-in policy builds")
        })
        .collect();
    for (secs, text) in rows.iter().take(show) {
        let by_family: Vec<String> = families
            .iter()
            .zip(&alone)
            .map(|(name, g)| format!("{name} {:.2}", timed(g, text) * 1e3))
            .collect();
        println!(
            "{:8.2} ms {:7} bytes {:6.1} MB/s | {}",
            secs * 1e3,
            text.len(),
            text.len() as f64 / secs / 1e6,
            by_family.join(", ")
        );
    }
}
