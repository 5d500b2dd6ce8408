//! What building the built-in profiles costs: wall time and resident
//! memory, each profile measured in a fresh process (this program re-runs
//! itself), so that nothing built earlier is shared.
//!
//! ```text
//! cargo run --release --example build_cost
//! BY_FAMILY=1 cargo run --release --example build_cost   # also each family alone
//! ```
//!
//! Reported per profile: the first build (cold: it also compiles the
//! crate-wide tables built once per process), a second build (warm), the
//! first check of a short prompt after it (anything built lazily), the
//! growth of the resident set from before the first build to after the
//! first check, and then what `Guard::warm_up` (compiling every lazily
//! compiled rule) costs in time and memory. Each profile runs `RUNS` times
//! (default 7) in fresh processes: times are the median, with the fastest run in brackets (a
//! busy machine only ever adds time), memory the largest. A measurement
//! tool, not a test.

use std::process::Command;
use std::time::Instant;

use palisade::{Guard, Policy, Profile};

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<f64>().ok()
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The profile's policy with only `family` enabled (`None`: all).
fn policy(profile: Profile, family: Option<&str>) -> Policy {
    let mut p = Policy::for_profile(profile);
    if let Some(family) = family {
        let keep = |name: &str| name == family;
        if !keep("limits") {
            p.limits = None;
        }
        if !keep("unicode") {
            p.unicode = None;
        }
        if !keep("secrets") {
            p.secrets = None;
        }
        if !keep("pii") {
            p.pii = None;
        }
        if !keep("injection") {
            p.injection = None;
        }
        if !keep("leak") {
            p.leak = None;
        }
    }
    p
}

fn measure(profile: Profile, family: Option<&str>) {
    let policy = policy(profile, family);
    let before = rss_mib();
    let start = Instant::now();
    let guard = policy.build().expect("the default policy builds");
    let cold = start.elapsed();
    let after_build = rss_mib();
    let start = Instant::now();
    let verdict = guard.check("Summarize this e-mail from dana@example.org in two sentences, please.");
    let first_check = start.elapsed();
    let after_check = rss_mib();
    let start = Instant::now();
    let again = policy.build();
    let warm = start.elapsed();
    drop((again, verdict));
    let start = Instant::now();
    guard.warm_up();
    let warm_up = start.elapsed();
    let after_warm_up = rss_mib();
    println!(
        "{} {} {} {} {} {} {}",
        cold.as_secs_f64() * 1e3,
        warm.as_secs_f64() * 1e3,
        first_check.as_secs_f64() * 1e3,
        after_build - before,
        after_check - before,
        warm_up.as_secs_f64() * 1e3,
        after_warm_up - before,
    );
}

/// Runs one profile (and family) `runs` times in fresh processes and
/// prints its row.
fn row(exe: &std::path::Path, args: &[&str], runs: usize) {
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); 7];
    for _ in 0..runs {
        let out = Command::new(exe).args(args).output().expect("run one profile");
        let line = String::from_utf8_lossy(&out.stdout);
        for (column, value) in samples.iter_mut().zip(line.split_whitespace()) {
            column.push(value.parse().unwrap_or(f64::NAN));
        }
    }
    for column in &mut samples {
        column.sort_by(f64::total_cmp);
    }
    let median = |c: &Vec<f64>| c.get(c.len() / 2).copied().unwrap_or(f64::NAN);
    let min = |c: &Vec<f64>| c.first().copied().unwrap_or(f64::NAN);
    let max = |c: &Vec<f64>| c.last().copied().unwrap_or(f64::NAN);
    println!(
        "| {}{} | {:.1} ms ({:.1}) | {:.2} ms | {:.2} ms ({:.2}) | {:.1} MiB | {:.1} MiB | {:.1} ms | {:.1} MiB |",
        args[0],
        args.get(1).map(|f| format!(" ({f} only)")).unwrap_or_default(),
        median(&samples[0]),
        min(&samples[0]),
        median(&samples[1]),
        median(&samples[2]),
        min(&samples[2]),
        max(&samples[3]),
        max(&samples[4]),
        median(&samples[5]),
        max(&samples[6]),
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(name) = args.first() {
        let profile = Profile::from_name(name).expect("input, output or document");
        measure(profile, args.get(1).map(String::as_str));
        return;
    }
    let by_family = args.is_empty() && std::env::var_os("BY_FAMILY").is_some();
    let runs = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7)
        .max(1);
    println!(
        "| profile | first build | second build | first check | RSS growth after build | after first check | warm_up | after warm_up |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let exe = std::env::current_exe().expect("the path of this program");
    for name in ["input", "output", "document"] {
        row(&exe, &[name], runs);
        if by_family {
            for family in ["limits", "unicode", "secrets", "pii", "injection", "leak"] {
                row(&exe, &[name, family], runs);
            }
        }
    }
}
