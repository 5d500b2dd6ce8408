//! The injection corpus files the tuning and evaluation examples read, in
//! report order (`train_injection.rs` keeps its own list: its order marks
//! the sources it may never train on).

/// Every injection source, by file stem under `corpus/injection/`.
pub const SOURCES: &[&str] = &[
    "deepset",
    "jackhhao",
    "jailbreak_llms",
    "purplellama_cyberseceval",
    "tensortrust",
    "bipia_indirect",
    "giskard",
    "notinject",
    "wildguard_benign",
    "awesome_chatgpt_prompts",
    "instructionwild",
    "alpaca_seed",
];

/// Every parsed row of every source under `corpus`, with its source and
/// index within the file; a missing file is reported on stderr and skipped.
pub fn rows(corpus: &str) -> Vec<(&'static str, usize, serde_json::Value)> {
    let mut out = Vec::new();
    for &source in SOURCES {
        let path = format!("{corpus}/injection/{source}.jsonl");
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("skipped {path}");
            continue;
        };
        let parsed = text.lines().filter_map(|l| serde_json::from_str(l).ok());
        out.extend(parsed.enumerate().map(|(i, row)| (source, i, row)));
    }
    out
}
