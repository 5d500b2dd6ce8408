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
