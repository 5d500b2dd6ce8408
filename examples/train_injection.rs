//! Trains the embedded injection model and writes `src/injection/model.bin`.
//!
//! ```text
//! cargo run --release --example train_injection -- [--corpus DIR] [--out FILE] [--no-write] [--loso]
//! ```
//!
//! Only the `dev` split of permissively licensed sources is used (never
//! instructionwild, alpaca_seed or tensortrust). Training is deterministic:
//! fixed hash functions, a fixed-seed shuffle, a fixed number of epochs.
//! `--loso` also trains once per source without it and tests on that
//! source's `test` rows (leave-one-source-out).

use std::path::PathBuf;

use palisade::injection::model::{BITS, SMOOTHING, encode, window_features};
use palisade::{View, ViewKind};
use serde_json::Value;

const SOURCES: &[&str] = &[
    "deepset",
    "jackhhao",
    "jailbreak_llms",
    "purplellama_cyberseceval",
    "bipia_indirect",
    "giskard",
    "notinject",
    "wildguard_benign",
    "awesome_chatgpt_prompts",
    // Evaluation only: read to report how the model does on them, never
    // trained on (licences forbid it, or they are held out by design).
    "instructionwild",
    "alpaca_seed",
    "tensortrust",
];

/// Sources at and after this index are never trained on.
const FIRST_EVAL_ONLY: usize = 9;

const EPOCHS: usize = 6;
const LR: f32 = 0.5;
const L2: f32 = 1e-6;
const MAX_WINDOWS: usize = 8;

struct Example {
    source: usize,
    label: f32,
    weight: f32,
    feats: Vec<u32>,
}

struct Doc {
    source: usize,
    english: bool,
    train: bool,
    split_test: bool,
    attack: bool,
    windows: Vec<Vec<u32>>,
}

fn read(corpus: &std::path::Path, source: &str) -> Vec<Value> {
    let path = corpus.join("injection").join(format!("{source}.jsonl"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

fn field<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

/// Picks at most `MAX_WINDOWS` evenly spaced items.
fn spread<T: Clone>(v: &[T]) -> Vec<T> {
    if v.len() <= MAX_WINDOWS {
        return v.to_vec();
    }
    (0..MAX_WINDOWS).map(|i| v[i * v.len() / MAX_WINDOWS].clone()).collect()
}

fn load(corpus: &std::path::Path) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (si, &source) in SOURCES.iter().enumerate() {
        for row in read(corpus, source) {
            let text = field(&row, "text");
            let folded = View::new(text, ViewKind::Folded);
            let f = folded.as_str();
            let wins = window_features(f);
            let attack = field(&row, "label") != "benign";
            // CyberSecEval rows that only violate their system prompt stay in
            // training: leaving them out was measured worse on dev (balanced
            // accuracy 0.852 vs 0.867 at the dev-chosen threshold).
            let cd = row
                .get("meta")
                .and_then(|m| m.get("context_dependent"))
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let held_out_only = si >= FIRST_EVAL_ONLY || (cd && std::env::var("INJ_DROP_CD").is_ok());
            let mut windows: Vec<Vec<u32>> = wins.iter().map(|(_, b)| b.clone()).collect();
            // An indirect injection sits in one place of a long document:
            // only the windows holding it are positive.
            if attack && source == "bipia_indirect" {
                let inj = row
                    .get("meta")
                    .and_then(|m| m.get("attack"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                if std::env::var("INJ_BIPIA_INSTR").is_ok() {
                    // The injected instruction itself, without the code it
                    // asks to include and without the document around it.
                    let instr = inj.split("```").next().unwrap_or("");
                    let f = View::new(instr, ViewKind::Folded);
                    windows = window_features(f.as_str()).into_iter().map(|(_, b)| b).collect();
                    if !windows.is_empty() {
                        docs.push(Doc {
                            source: si,
                            english: true,
                            train: true,
                            split_test: field(&row, "split") == "test",
                            attack,
                            windows,
                        });
                    }
                    continue;
                }
                let needle = View::new(inj, ViewKind::Folded).as_str().trim().to_string();
                let at = if needle.len() >= 8 {
                    f.find(&needle[..needle.len().min(60)])
                } else {
                    None
                };
                match at {
                    Some(p) => {
                        windows = wins
                            .iter()
                            .filter(|(w, _)| w.start <= p && p < w.end)
                            .map(|(_, b)| b.clone())
                            .collect();
                    }
                    None => windows.clear(),
                }
            }
            if windows.is_empty() {
                continue;
            }
            docs.push(Doc {
                source: si,
                english: field(&row, "lang") == "en",
                train: !held_out_only,
                split_test: field(&row, "split") == "test",
                attack,
                windows,
            });
        }
    }
    docs
}

fn examples(docs: &[Doc], exclude: Option<usize>) -> Vec<Example> {
    let mut out = Vec::new();
    for d in docs
        .iter()
        .filter(|d| d.train && !d.split_test && Some(d.source) != exclude)
    {
        let w = spread(&d.windows);
        let weight = 1.0 / w.len() as f32;
        for feats in w {
            out.push(Example {
                source: d.source,
                label: if d.attack { 1.0 } else { 0.0 },
                weight,
                feats,
            });
        }
    }
    // Damp the big sources: each source's weight within its class scales
    // with its size to the power 1 - alpha.
    let alpha: f32 = std::env::var("INJ_SRC_BAL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    if alpha > 0.0 {
        let mut tot = std::collections::HashMap::new();
        for e in &out {
            *tot.entry((e.source, e.label > 0.5)).or_insert(0f32) += e.weight;
        }
        for e in &mut out {
            let t = tot[&(e.source, e.label > 0.5)];
            e.weight *= t.powf(-alpha);
        }
    }
    // Balance the classes: equal total weight.
    let pos: f32 = out.iter().filter(|e| e.label > 0.5).map(|e| e.weight).sum();
    let neg: f32 = out.iter().filter(|e| e.label < 0.5).map(|e| e.weight).sum();
    for e in &mut out {
        let scale = if e.label > 0.5 {
            (pos + neg) / (2.0 * pos)
        } else {
            (pos + neg) / (2.0 * neg)
        };
        e.weight *= scale;
    }
    let _ = out.iter().map(|e| e.source).max();
    out
}

struct Trained {
    w: Vec<f32>,
    bias: f32,
}

fn logit(w: &[f32], bias: f32, feats: &[u32]) -> f32 {
    if feats.is_empty() {
        return bias;
    }
    let s: f32 = feats.iter().map(|&b| w[b as usize]).sum();
    bias + s / (feats.len() as f32 + SMOOTHING)
}

fn train(ex: &[Example]) -> Trained {
    let n = 1usize << BITS;
    let mut w = vec![0f32; n];
    let mut g2 = vec![1e-3f32; n];
    let mut bias = 0f32;
    let mut bias_g2 = 1e-3f32;
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut seed: u64 = 0x5EED_1234_ABCD_0001;
    let epochs: usize = std::env::var("INJ_EPOCHS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(EPOCHS);
    let lr: f32 = std::env::var("INJ_LR").ok().and_then(|v| v.parse().ok()).unwrap_or(LR);
    for _ in 0..epochs {
        // Fisher-Yates with xorshift: deterministic.
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let j = (seed % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let e = &ex[i];
            if e.feats.is_empty() {
                continue;
            }
            let z = logit(&w, bias, &e.feats);
            let p = 1.0 / (1.0 + (-z).exp());
            let g = (p - e.label) * e.weight;
            let inv = 1.0 / (e.feats.len() as f32 + SMOOTHING);
            // Accumulate counts per bucket by iterating (duplicates add up).
            for &b in &e.feats {
                let b = b as usize;
                let gi = g * inv + L2 * w[b];
                g2[b] += gi * gi;
                w[b] -= lr * gi / g2[b].sqrt();
            }
            bias_g2 += g * g;
            bias -= lr * g / bias_g2.sqrt();
        }
    }
    Trained { w, bias }
}

fn doc_score(t: &Trained, d: &Doc) -> f32 {
    d.windows
        .iter()
        .map(|f| logit(&t.w, t.bias, f))
        .fold(f32::NEG_INFINITY, f32::max)
}

fn auc(scores: &[(f32, bool)]) -> Option<f64> {
    let pos: Vec<f32> = scores.iter().filter(|s| s.1).map(|s| s.0).collect();
    let neg: Vec<f32> = scores.iter().filter(|s| !s.1).map(|s| s.0).collect();
    if pos.is_empty() || neg.is_empty() {
        return None;
    }
    let mut all: Vec<(f32, bool)> = scores.to_vec();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0f64;
    for (i, s) in all.iter().enumerate() {
        if s.1 {
            rank_sum += (i + 1) as f64;
        }
    }
    let np = pos.len() as f64;
    let nn = neg.len() as f64;
    Some((rank_sum - np * (np + 1.0) / 2.0) / (np * nn))
}

fn report(name: &str, t: &Trained, docs: &[&Doc]) {
    let scores: Vec<(f32, bool)> = docs.iter().map(|d| (doc_score(t, d), d.attack)).collect();
    let pos = scores.iter().filter(|s| s.1).count();
    let neg = scores.len() - pos;
    let tp = scores.iter().filter(|s| s.1 && s.0 >= 0.0).count();
    let fp = scores.iter().filter(|s| !s.1 && s.0 >= 0.0).count();
    let f = |a: usize, b: usize| {
        if b == 0 {
            "-".to_string()
        } else {
            format!("{:.3}", a as f64 / b as f64)
        }
    };
    println!(
        "  {:<28} {:>6} {:>6} {:>8} {:>8} {:>8}",
        name,
        pos,
        neg,
        f(tp, pos),
        f(fp, neg),
        auc(&scores).map_or("-".to_string(), |a| format!("{a:.3}"))
    );
}

/// Recall per attack source at the logit that keeps the evaluation-only
/// benign sources' dev rows (real user prompts) at 2% false positives.
fn operating_point(t: &Trained, docs: &[Doc]) {
    let mut neg: Vec<f32> = docs
        .iter()
        .filter(|d| !d.split_test && d.source >= FIRST_EVAL_ONLY && !d.attack)
        .map(|d| doc_score(t, d))
        .collect();
    neg.sort_by(f32::total_cmp);
    let Some(&cut) = neg.get(neg.len() * 98 / 100) else {
        return;
    };
    print!("  at 2% FPR on held-out benign dev (logit {cut:.2}), test:");
    for (si, s) in SOURCES.iter().enumerate() {
        for english in [true, false] {
            for attack in [true, false] {
                let rows: Vec<&Doc> = docs
                    .iter()
                    .filter(|d| d.split_test && d.source == si && d.english == english && d.attack == attack)
                    .collect();
                if rows.len() < 20 {
                    continue;
                }
                let flagged = rows.iter().filter(|d| doc_score(t, d) > cut).count();
                let lang = if english { "" } else { "/xx" };
                let what = if attack { "rec" } else { "fpr" };
                print!(" {s}{lang}.{what} {:.2}", flagged as f64 / rows.len() as f64);
            }
        }
    }
    println!();
}

fn main() {
    let mut corpus = PathBuf::from("../shared/corpus");
    let mut out = PathBuf::from("src/injection/model.bin");
    let mut write = true;
    let mut loso = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from).unwrap_or(corpus),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--no-write" => write = false,
            "--loso" => loso = true,
            _ => {
                eprintln!("usage: train_injection [--corpus DIR] [--out FILE] [--no-write] [--loso]");
                std::process::exit(2);
            }
        }
    }
    let docs = load(&corpus);
    let ex = examples(&docs, None);
    println!(
        "training on {} windows from {} dev documents",
        ex.len(),
        docs.iter().filter(|d| !d.split_test).count()
    );
    let model = train(&ex);
    println!(
        "\n  model alone (threshold p=0.5), test split\n  {:<28} {:>6} {:>6} {:>8} {:>8} {:>8}",
        "source", "attack", "benign", "recall", "fpr", "auc"
    );
    for (si, s) in SOURCES.iter().enumerate() {
        let test: Vec<&Doc> = docs.iter().filter(|d| d.split_test && d.source == si).collect();
        report(s, &model, &test);
    }
    println!("  (evaluation-only sources, dev split)");
    for (si, s) in SOURCES.iter().enumerate().skip(FIRST_EVAL_ONLY) {
        let dev: Vec<&Doc> = docs.iter().filter(|d| !d.split_test && d.source == si).collect();
        report(s, &model, &dev);
    }
    println!("  bias {:.3}", model.bias);
    operating_point(&model, &docs);
    if write {
        let bytes = encode(&model.w, model.bias);
        std::fs::write(&out, &bytes).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
        println!("\nwrote {} ({} bytes)", out.display(), bytes.len());
    }
    if loso {
        println!(
            "\n  leave-one-source-out (train on dev of the others, test on the held-out source's test rows)\n  {:<28} {:>6} {:>6} {:>8} {:>8} {:>8}",
            "held-out source", "attack", "benign", "recall", "fpr", "auc"
        );
        for (si, s) in SOURCES.iter().enumerate() {
            let ex = examples(&docs, Some(si));
            let m = train(&ex);
            let test: Vec<&Doc> = docs.iter().filter(|d| d.split_test && d.source == si).collect();
            report(s, &m, &test);
        }
    }
}
