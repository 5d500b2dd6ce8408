//! Shared evaluation plumbing: corpus reading, counting, floors, summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

/// A committed lower (or upper) bound on a metric.
pub struct Floor {
    /// Metric name as recorded with [`Eval::metric`].
    pub metric: &'static str,
    /// The bound.
    pub bound: f64,
    /// `true`: metric must be ≤ bound (rates of false positives).
    pub at_most: bool,
}

/// `metric >= bound`.
pub const fn at_least(metric: &'static str, bound: f64) -> Floor {
    Floor {
        metric,
        bound,
        at_most: false,
    }
}
/// `metric <= bound`.
pub const fn at_most(metric: &'static str, bound: f64) -> Floor {
    Floor {
        metric,
        bound,
        at_most: true,
    }
}

/// Confusion counts for one slice.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub tp: u64,
    pub fp: u64,
    pub tn: u64,
    pub r#fn: u64,
}

impl Counts {
    /// Adds one labelled outcome.
    pub fn add(&mut self, positive: bool, predicted: bool) {
        match (positive, predicted) {
            (true, true) => self.tp += 1,
            (true, false) => self.r#fn += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
        }
    }
    pub fn positives(&self) -> u64 {
        self.tp + self.r#fn
    }
    pub fn negatives(&self) -> u64 {
        self.tn + self.fp
    }
    pub fn recall(&self) -> Option<f64> {
        ratio(self.tp, self.positives())
    }
    pub fn precision(&self) -> Option<f64> {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn fpr(&self) -> Option<f64> {
        ratio(self.fp, self.negatives())
    }
    pub fn accuracy(&self) -> Option<f64> {
        ratio(self.tp + self.tn, self.positives() + self.negatives())
    }
    /// (TPR + TNR) / 2.
    pub fn balanced_accuracy(&self) -> Option<f64> {
        Some((self.recall()? + 1.0 - self.fpr()?) / 2.0)
    }
}

pub fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

pub fn fmt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// The whole evaluation run.
pub struct Eval {
    corpus: PathBuf,
    section: String,
    metrics: BTreeMap<String, f64>,
    floors: Vec<(String, Floor)>,
}

impl Eval {
    pub fn new(corpus: PathBuf) -> Eval {
        Eval {
            corpus,
            section: String::new(),
            metrics: BTreeMap::new(),
            floors: Vec::new(),
        }
    }

    pub fn corpus(&self) -> &Path {
        &self.corpus
    }

    pub fn section(&mut self, name: &str) {
        self.section = name.to_string();
        println!("\n=== {name} ===");
    }

    /// Reads a JSONL corpus file (relative to the corpus root); `None` with a
    /// note when it is missing.
    pub fn rows(&self, rel: &str) -> Option<Vec<Value>> {
        let path = self.corpus.join(rel);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                println!("  (skipped {rel}: {e})");
                return None;
            }
        };
        Some(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect(),
        )
    }

    /// Records a metric as `<section>.<name>`; `None` values are not recorded.
    pub fn metric(&mut self, name: &str, value: Option<f64>) {
        if let Some(v) = value {
            self.metrics.insert(format!("{}.{name}", self.section), v);
        }
    }

    /// Registers this section's floors (metric names without the section).
    pub fn floors(&mut self, floors: &'static [Floor]) {
        for f in floors {
            self.floors
                .push((format!("{}.{}", self.section, f.metric), Floor { ..*f }));
        }
    }

    /// Prints the floor table, writes the summary, and fails below a floor.
    pub fn finish(self, out: &Path) -> ExitCode {
        println!("\n=== floors ===");
        let mut failed = 0;
        for (name, f) in &self.floors {
            let (status, got) = match self.metrics.get(name) {
                None => ("MISSING", "-".to_string()),
                Some(&v) if (f.at_most && v <= f.bound) || (!f.at_most && v >= f.bound) => ("ok", format!("{v:.4}")),
                Some(&v) => ("BELOW", format!("{v:.4}")),
            };
            if status != "ok" {
                failed += 1;
            }
            println!(
                "  {status:<8} {name:<60} {got:>8} {} {}",
                if f.at_most { "<=" } else { ">=" },
                f.bound
            );
        }
        let summary = serde_json::json!({
            "metrics": self.metrics,
            "floors": self.floors.iter().map(|(n, f)| serde_json::json!({"metric": n, "bound": f.bound, "at_most": f.at_most})).collect::<Vec<_>>(),
            "failed_floors": failed,
        });
        if let Err(e) = std::fs::write(out, serde_json::to_string_pretty(&summary).unwrap_or_default()) {
            eprintln!("evaluate: cannot write {}: {e}", out.display());
            return ExitCode::from(2);
        }
        println!("\nsummary written to {}", out.display());
        if failed > 0 {
            eprintln!("evaluate: {failed} floor(s) not met");
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }
}

impl Clone for Floor {
    fn clone(&self) -> Floor {
        Floor { ..*self }
    }
}

/// `row["split"]` as a str ("dev" or "test").
pub fn split(row: &Value) -> &str {
    row.get("split").and_then(Value::as_str).unwrap_or("dev")
}

/// A string field.
pub fn str_field<'a>(row: &'a Value, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("")
}
