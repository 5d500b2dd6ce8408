//! Trains the embedded injection model and writes `src/injection/model.bin`.
//!
//! ```text
//! cargo run --release --example train_injection -- [--corpus DIR] [--out FILE] [--no-write] [--loso] [--cv K]
//! ```
//!
//! Only the `dev` split of permissively licensed sources is used (never
//! instructionwild, alpaca_seed or tensortrust). Training is deterministic:
//! fixed hash functions, a fixed-seed shuffle, a fixed number of epochs.
//! `--loso` also trains once per source without it and tests on that
//! source's `test` rows (leave-one-source-out).
//!
//! `--cv K` only cross-validates on the `dev` split (it neither writes the
//! model nor reads a `test` row): the dev documents are cut into K folds by
//! a hash of their first letters and digits (duplicates and most
//! near-duplicate templates land in one fold), a model is trained on the
//! trainable rows of K - 1 folds and scores the held-out fold. It reports,
//! per source, out-of-fold figures of the model alone (AUC, and recall / FPR
//! at the logit that keeps the benign dev rows at 2% FPR) and of the whole
//! guard with that model (recall / FPR at the threshold chosen as the
//! evaluation command does), and one summary line to compare configurations.
//!
//! Hyperparameters can be overridden for experiments through the
//! environment: `INJ_EPOCHS`, `INJ_LR`, `INJ_L2`, `INJ_MAX_WINDOWS`,
//! `INJ_SRC_BAL`.

use std::path::PathBuf;

use palisade::Profile;
use palisade::injection::model::{BITS, Model, SMOOTHING, encode, window_features};
use palisade::injection::{DOCUMENT_THRESHOLD, InjectionConfig, InjectionGuard};
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
const L2: f32 = 3e-6;
const MAX_WINDOWS: usize = 8;
/// Each source's weight within its class scales with its size to the
/// power `1 - SRC_BAL` (0: rows count alike; 1: sources count alike).
const SRC_BAL: f32 = 0.0;

/// The hyperparameters, with the environment's overrides.
#[derive(Clone, Copy, Debug)]
struct Params {
    epochs: usize,
    lr: f32,
    l2: f32,
    max_windows: usize,
    src_bal: f32,
}

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

impl Params {
    fn from_env() -> Params {
        Params {
            epochs: env("INJ_EPOCHS", EPOCHS),
            lr: env("INJ_LR", LR),
            l2: env("INJ_L2", L2),
            max_windows: env("INJ_MAX_WINDOWS", MAX_WINDOWS).max(1),
            src_bal: env("INJ_SRC_BAL", SRC_BAL),
        }
    }
}

struct Example {
    source: usize,
    label: f32,
    weight: f32,
    feats: Vec<u32>,
}

struct Doc {
    source: usize,
    /// The original text (the cross-validation scores it with the guard).
    text: String,
    /// Cross-validation group: a hash of the first letters and digits.
    group: u64,
    context_dependent: bool,
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

/// Picks at most `max` evenly spaced items.
fn spread<T: Clone>(v: &[T], max: usize) -> Vec<T> {
    if v.len() <= max {
        return v.to_vec();
    }
    (0..max).map(|i| v[i * v.len() / max].clone()).collect()
}

/// FNV-1a of the first 80 letters and digits of the folded text: exact
/// duplicates, and templates that differ only further on, share a group.
fn group_of(folded: &str) -> u64 {
    folded
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(80)
        .flat_map(|c| {
            let mut b = [0u8; 4];
            c.encode_utf8(&mut b);
            b.into_iter().take(c.len_utf8())
        })
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        })
}

fn load(corpus: &std::path::Path) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (si, &source) in SOURCES.iter().enumerate() {
        for row in read(corpus, source) {
            let text = field(&row, "text");
            let folded = View::new(text, ViewKind::Folded);
            let f = folded.as_str();
            let group = group_of(f);
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
                            text: text.to_string(),
                            group,
                            context_dependent: cd,
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
                text: text.to_string(),
                group,
                context_dependent: cd,
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

/// The training windows of the trainable dev documents that `keep` accepts.
fn examples(docs: &[Doc], p: &Params, keep: impl Fn(&Doc) -> bool) -> Vec<Example> {
    let mut out = Vec::new();
    for d in docs.iter().filter(|d| d.train && !d.split_test && keep(d)) {
        let w = spread(&d.windows, p.max_windows);
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
    let alpha = p.src_bal;
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

fn train(ex: &[Example], p: &Params) -> Trained {
    let n = 1usize << BITS;
    let mut w = vec![0f32; n];
    let mut g2 = vec![1e-3f32; n];
    let mut bias = 0f32;
    let mut bias_g2 = 1e-3f32;
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut seed: u64 = 0x5EED_1234_ABCD_0001;
    let (epochs, lr, l2) = (p.epochs, p.lr, p.l2);
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
                let gi = g * inv + l2 * w[b];
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

/// A group of rows the cross-validation reports on.
struct Group {
    name: &'static str,
    member: fn(&Doc) -> bool,
}

fn source_is(d: &Doc, name: &str) -> bool {
    SOURCES[d.source] == name
}

const GROUPS: &[Group] = &[
    Group {
        name: "deepset",
        member: |d| source_is(d, "deepset"),
    },
    Group {
        name: "jackhhao",
        member: |d| source_is(d, "jackhhao"),
    },
    Group {
        name: "jailbreak_llms",
        member: |d| source_is(d, "jailbreak_llms"),
    },
    Group {
        name: "cyberseceval_en",
        member: |d| source_is(d, "purplellama_cyberseceval") && d.english,
    },
    Group {
        name: "  of which context-free",
        member: |d| source_is(d, "purplellama_cyberseceval") && d.english && !d.context_dependent,
    },
    Group {
        name: "cyberseceval_non_en",
        member: |d| source_is(d, "purplellama_cyberseceval") && !d.english,
    },
    Group {
        name: "tensortrust (eval only)",
        member: |d| source_is(d, "tensortrust"),
    },
    Group {
        name: "bipia_indirect",
        member: |d| source_is(d, "bipia_indirect"),
    },
    Group {
        name: "giskard",
        member: |d| source_is(d, "giskard"),
    },
    Group {
        name: "notinject",
        member: |d| source_is(d, "notinject"),
    },
    Group {
        name: "wildguard_benign",
        member: |d| source_is(d, "wildguard_benign"),
    },
    Group {
        name: "awesome_chatgpt_prompts",
        member: |d| source_is(d, "awesome_chatgpt_prompts"),
    },
    Group {
        name: "instructionwild (eval only)",
        member: |d| source_is(d, "instructionwild"),
    },
    Group {
        name: "alpaca_seed (eval only)",
        member: |d| source_is(d, "alpaca_seed"),
    },
];

/// The attack groups whose recall the summary averages.
const ATTACK_GROUPS: &[&str] = &[
    "deepset",
    "jackhhao",
    "jailbreak_llms",
    "cyberseceval_en",
    "cyberseceval_non_en",
    "tensortrust (eval only)",
    "bipia_indirect",
    "giskard",
];

/// How far below the threshold `INJ_CV_MISSES` still lists benign rows.
const NEAR_THRESHOLD: f32 = 0.08;

/// The lowest guard threshold (in steps of 0.01) that keeps each trainable
/// benign source's dev rows at ≤ 2% FPR (notinject and
/// awesome_chatgpt_prompts, the hard negatives, at ≤ 5%), as the evaluation
/// command picks it.
fn guard_threshold(docs: &[&Doc], score: &[f32]) -> f32 {
    (1..100)
        .map(|i| i as f32 / 100.0)
        .find(|&t| {
            (0..FIRST_EVAL_ONLY).all(|si| {
                let neg: Vec<f32> = docs
                    .iter()
                    .zip(score)
                    .filter(|(d, _)| d.source == si && !d.attack)
                    .map(|(_, &s)| s)
                    .collect();
                let cap = if matches!(SOURCES[si], "notinject" | "awesome_chatgpt_prompts") {
                    0.05
                } else {
                    0.02
                };
                neg.is_empty() || neg.iter().filter(|&&s| s >= t).count() as f64 <= cap * neg.len() as f64
            })
        })
        .unwrap_or(1.0)
}

/// K-fold cross-validation on the dev split (see the module comment).
fn cross_validate(all: &[Doc], p: &Params, k: usize) {
    let docs: Vec<&Doc> = all.iter().filter(|d| !d.split_test).collect();
    // INJ_CV_SEED reshuffles the folds (to see how much figures move).
    let seed: u64 = env("INJ_CV_SEED", 0u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let fold = |d: &Doc| ((d.group ^ seed).wrapping_mul(0x0100_0000_01b3) % k as u64) as usize;
    // INJ_GAIN scales the model's log-odds inside the guard, as a change of
    // its MODEL_WEIGHT would.
    let gain: f32 = env("INJ_GAIN", 1.0);
    let base = InjectionConfig::default()
        .build(Profile::Input)
        .expect("built-in rules compile");
    let mut model_score = vec![0f32; docs.len()];
    let mut guard_score = vec![0f32; docs.len()];
    // bipia_indirect is also scored with the document profile, at its
    // committed threshold.
    let document = InjectionConfig::default()
        .build(Profile::Document)
        .expect("built-in rules compile");
    let mut document_score = vec![None; docs.len()];
    for f in 0..k {
        let ex = examples(all, p, |d| fold(d) != f);
        let t = train(&ex, p);
        // The guard reads the quantized weights, as it does the shipped ones.
        let w: Vec<f32> = t.w.iter().map(|w| w * gain).collect();
        let bytes: &'static [u8] = Box::leak(encode(&w, t.bias * gain).into_boxed_slice());
        let guard: InjectionGuard = base
            .clone()
            .with_model(Model::from_bytes(bytes).expect("encoded model loads"));
        for (i, d) in docs.iter().enumerate().filter(|(_, d)| fold(d) == f) {
            model_score[i] = doc_score(&t, d);
            guard_score[i] = guard.score(&d.text);
            if source_is(d, "bipia_indirect") {
                let m = Model::from_bytes(bytes).expect("encoded model loads");
                document_score[i] = Some(document.clone().with_model(m).score(&d.text));
            }
        }
    }
    let mut neg: Vec<f32> = docs
        .iter()
        .zip(&model_score)
        .filter(|(d, _)| !d.attack)
        .map(|(_, &s)| s)
        .collect();
    neg.sort_by(f32::total_cmp);
    let cut = neg.get(neg.len() * 98 / 100).copied().unwrap_or(0.0);
    let thr = guard_threshold(&docs, &guard_score);
    println!("{p:?}, {k} folds by text group, out-of-fold dev figures");
    println!(
        "  {:<28} {:>6} {:>6} {:>7} | {:>8} {:>8} | {:>8} {:>8}",
        "", "", "", "model", "model at", "2% FPR", "guard at", "thr"
    );
    println!(
        "  {:<28} {:>6} {:>6} {:>7} | {:>8} {:>8} | {:>8} {:>8}",
        "source", "attack", "benign", "auc", "recall", "fpr", "recall", "fpr"
    );
    let rate = |n: usize, of: usize| {
        if of == 0 {
            "-".to_string()
        } else {
            format!("{:.3}", n as f64 / of as f64)
        }
    };
    let (mut aucs, mut model_recalls, mut guard_recalls) = (Vec::new(), Vec::new(), Vec::new());
    let mut named = std::collections::HashMap::new();
    for g in GROUPS {
        let inside: Vec<usize> = (0..docs.len()).filter(|&i| (g.member)(docs[i])).collect();
        let pos: Vec<usize> = inside.iter().copied().filter(|&i| docs[i].attack).collect();
        let negs: Vec<usize> = inside.iter().copied().filter(|&i| !docs[i].attack).collect();
        // AUC within the group, or against the other class of every source
        // when the group holds one class only.
        let (ap, an): (Vec<usize>, Vec<usize>) = match (pos.is_empty(), negs.is_empty()) {
            (false, false) => (pos.clone(), negs.clone()),
            (false, true) => (pos.clone(), (0..docs.len()).filter(|&i| !docs[i].attack).collect()),
            _ => ((0..docs.len()).filter(|&i| docs[i].attack).collect(), negs.clone()),
        };
        let scores: Vec<(f32, bool)> = ap
            .iter()
            .map(|&i| (model_score[i], true))
            .chain(an.iter().map(|&i| (model_score[i], false)))
            .collect();
        let a = auc(&scores);
        let count = |v: &[usize], s: &[f32], t: f32| v.iter().filter(|&&i| s[i] >= t).count();
        let (mr, gr) = (count(&pos, &model_score, cut), count(&pos, &guard_score, thr));
        println!(
            "  {:<28} {:>6} {:>6} {:>7} | {:>8} {:>8} | {:>8} {:>8}",
            g.name,
            pos.len(),
            negs.len(),
            a.map_or("-".to_string(), |a| format!("{a:.3}")),
            rate(mr, pos.len()),
            rate(count(&negs, &model_score, cut), negs.len()),
            rate(gr, pos.len()),
            rate(count(&negs, &guard_score, thr), negs.len()),
        );
        if let Some(a) = a {
            aucs.push(a);
        }
        if ATTACK_GROUPS.contains(&g.name) && !pos.is_empty() {
            model_recalls.push(mr as f64 / pos.len() as f64);
            guard_recalls.push(gr as f64 / pos.len() as f64);
            named.insert(g.name, gr as f64 / pos.len() as f64);
        }
    }
    // Tuning aid: INJ_CV_MISSES=group1,group2 prints the dev attack rows of
    // those groups the guard misses out of fold, and their benign rows that
    // score at the threshold (FP) or within NEAR_THRESHOLD below it (NEAR:
    // the rows that hold the threshold up), to the terminal only.
    if let Ok(which) = std::env::var("INJ_CV_MISSES") {
        for g in GROUPS.iter().filter(|g| which.split(',').any(|w| w == g.name)) {
            for (i, d) in docs.iter().enumerate() {
                if (g.member)(d) && d.attack && guard_score[i] < thr {
                    let head: String = d.text.chars().take(200).collect();
                    println!("MISS {} {:.2} {head:?}", g.name, guard_score[i]);
                }
                if (g.member)(d) && !d.attack && guard_score[i] >= thr - NEAR_THRESHOLD {
                    let head: String = d.text.chars().take(300).collect();
                    let what = if guard_score[i] >= thr { "FP" } else { "NEAR" };
                    println!("{what} {} {:.2} {head:?}", g.name, guard_score[i]);
                }
            }
        }
    }
    let at = |attack: bool| {
        let s: Vec<f32> = (0..docs.len())
            .filter(|&i| docs[i].attack == attack)
            .filter_map(|i| document_score[i])
            .collect();
        s.iter().filter(|&&s| s >= DOCUMENT_THRESHOLD).count() as f64 / s.len().max(1) as f64
    };
    println!(
        "  bipia_indirect, document profile at its threshold {DOCUMENT_THRESHOLD}: recall {:.3} fpr {:.3}",
        at(true),
        at(false)
    );
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (np, nn) = (
        docs.iter().filter(|d| d.attack).count(),
        docs.iter().filter(|d| !d.attack).count(),
    );
    let tp = (0..docs.len())
        .filter(|&i| docs[i].attack && guard_score[i] >= thr)
        .count();
    let fp = (0..docs.len())
        .filter(|&i| !docs[i].attack && guard_score[i] >= thr)
        .count();
    let bal = (tp as f64 / np as f64 + 1.0 - fp as f64 / nn as f64) / 2.0;
    println!(
        "  model: logit cut {cut:.2}, mean auc {:.3}, mean attack recall {:.3}; guard: threshold {thr:.2}, pooled recall {:.3} fpr {:.3} balanced accuracy {:.3}, mean attack recall {:.3}",
        mean(&aucs),
        mean(&model_recalls),
        tp as f64 / np as f64,
        fp as f64 / nn as f64,
        bal,
        mean(&guard_recalls),
    );
    println!(
        "CV-SUMMARY bal {:.4} mean_rec {:.4} deepset {:.3} cse_en {:.3} model_auc {:.4} model_rec {:.4} thr {thr:.2}",
        bal,
        mean(&guard_recalls),
        named.get("deepset").copied().unwrap_or(0.0),
        named.get("cyberseceval_en").copied().unwrap_or(0.0),
        mean(&aucs),
        mean(&model_recalls),
    );
}

fn main() {
    let mut corpus = PathBuf::from("../shared/corpus");
    let mut out = PathBuf::from("src/injection/model.bin");
    let mut write = true;
    let mut loso = false;
    let mut cv: Option<usize> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--corpus" => corpus = args.next().map(PathBuf::from).unwrap_or(corpus),
            "--out" => out = args.next().map(PathBuf::from).unwrap_or(out),
            "--no-write" => write = false,
            "--loso" => loso = true,
            "--cv" => cv = args.next().and_then(|k| k.parse().ok()).filter(|&k| k >= 2).or(Some(5)),
            _ => {
                eprintln!("usage: train_injection [--corpus DIR] [--out FILE] [--no-write] [--loso] [--cv K]");
                std::process::exit(2);
            }
        }
    }
    let params = Params::from_env();
    let docs = load(&corpus);
    if let Some(k) = cv {
        cross_validate(&docs, &params, k);
        return;
    }
    let ex = examples(&docs, &params, |_| true);
    println!(
        "training on {} windows from {} dev documents",
        ex.len(),
        docs.iter().filter(|d| !d.split_test).count()
    );
    let model = train(&ex, &params);
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
            let ex = examples(&docs, &params, |d| d.source != si);
            let m = train(&ex, &params);
            let test: Vec<&Doc> = docs.iter().filter(|d| d.split_test && d.source == si).collect();
            report(s, &m, &test);
        }
    }
}
