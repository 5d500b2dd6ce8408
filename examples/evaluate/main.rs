//! The evaluation command: runs each detector family over the public corpora
//! in `../shared/corpus/` (never copied into this repository), prints
//! per-source precision/recall/FPR on the `dev` and `test` splits, writes a
//! JSON summary, and exits non-zero when a metric falls below its committed
//! floor.
//!
//! ```text
//! cargo run --release --example evaluate -- [--corpus DIR] [--out FILE] [--only FAMILY]...
//! ```
//!
//! Floors live beside each family's code (`FLOORS` in each module): tuned on
//! `dev`, enforced on `test`.

mod core;
mod injection;
mod leak;
mod pii;
#[allow(dead_code)]
mod report;
mod secrets;

use std::path::PathBuf;
use std::process::ExitCode;

use report::Eval;

/// A section name and the function that evaluates it.
type Family = (&'static str, fn(&mut Eval));

fn main() -> ExitCode {
    let mut corpus = PathBuf::from("../shared/corpus");
    let mut out = PathBuf::from("eval-summary.json");
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from).unwrap_or(corpus),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--only" => only.extend(args.next()),
            "-h" | "--help" => {
                println!("usage: evaluate [--corpus DIR] [--out FILE] [--only core|secrets|pii|injection|leak]...");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("evaluate: unknown argument {other}");
                return ExitCode::from(2);
            }
        }
    }
    if !corpus.is_dir() {
        eprintln!("evaluate: corpus directory {} not found", corpus.display());
        return ExitCode::from(2);
    }
    let mut eval = Eval::new(corpus);
    let families: [Family; 5] = [
        ("core", core::run),
        ("secrets", secrets::run),
        ("pii", pii::run),
        ("injection", injection::run),
        ("leak", leak::run),
    ];
    for (name, run) in families {
        if only.is_empty() || only.iter().any(|o| o == name) {
            eval.section(name);
            run(&mut eval);
        }
    }
    eval.finish(&out)
}
