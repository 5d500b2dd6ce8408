//! The secrets section: recall on each scanner's `secret` rows and the share
//! of `none` rows flagged.
//!
//! A `secret` row counts as found when the guard reports any secret finding
//! in the row's text (the corpora label rows, not spans). A `none` row is a
//! per-rule negative of the source scanner: *that* rule must not fire, but
//! the text may still hold another credential (a Slack token given as a
//! negative for a different Slack rule, a JWT given as a negative for a
//! Basic-auth rule). The headline figure counts every flagged `none` row as
//! a false positive; the per-kind table shows what fired so those cases can
//! be told apart.

use std::collections::BTreeMap;

use palisade::secrets::SecretsConfig;
use palisade::{Guard, Profile};
use serde_json::Value;

use crate::report::{Counts, Eval, Floor, at_least, at_most, fmt, split, str_field};

const FLOORS: &[Floor] = &[
    at_least("noseyparker.test.recall", 0.97),
    at_least("gitleaks.test.recall", 0.97),
    at_least("kingfisher.test.recall", 0.80),
    at_most("none.test.flagged", 0.05),
];

const FILES: &[&str] = &["noseyparker", "gitleaks", "kingfisher", "ripsecrets", "detect_secrets"];

pub fn run(eval: &mut Eval) {
    eval.floors(FLOORS);
    let guard = match SecretsConfig::default().build(Profile::Input) {
        Ok(g) => g,
        Err(e) => {
            println!("  cannot build the secrets guard: {e}");
            return;
        }
    };
    println!("  {} rules", guard.rule_count());
    println!(
        "  {:<16} {:>6} {:>8} {:>8} {:>8} {:>10}",
        "file", "split", "secret", "recall", "none", "flagged"
    );
    let mut none_total = [Counts::default(), Counts::default()];
    let mut misses: BTreeMap<String, usize> = BTreeMap::new();
    let mut fired_on_none: BTreeMap<String, usize> = BTreeMap::new();
    // Tuning aid: `SECRETS_DUMP=FILE` writes dev misses and flagged dev
    // `none` rows there (never into the repository).
    let mut dump = std::env::var_os("SECRETS_DUMP").and_then(|p| std::fs::File::create(p).ok());
    for file in FILES {
        let Some(rows) = eval.rows(&format!("secrets/{file}.jsonl")) else {
            continue;
        };
        for (si, sp) in ["dev", "test"].iter().enumerate() {
            let mut pos = Counts::default();
            let mut neg = Counts::default();
            for row in rows.iter().filter(|r| split(r) == *sp) {
                let text = str_field(row, "text");
                let v = guard.check(text);
                let flagged = !v.findings().is_empty();
                match str_field(row, "expect") {
                    "secret" => {
                        pos.add(true, flagged);
                        if !flagged && *sp == "dev" {
                            if let Some(d) = dump.as_mut() {
                                use std::io::Write;
                                let _ = writeln!(d, "MISS {file} {} {:?}", rule_name(row), text);
                            }
                        }
                        if !flagged && *sp == "test" {
                            *misses.entry(format!("{file}: {}", rule_name(row))).or_default() += 1;
                        }
                    }
                    "none" => {
                        neg.add(false, flagged);
                        if flagged && *sp == "dev" {
                            if let Some(d) = dump.as_mut() {
                                use std::io::Write;
                                let rules: Vec<&str> = v.findings().iter().map(|f| f.rule()).collect();
                                let _ = writeln!(d, "NONE {file} {} {rules:?} {:?}", rule_name(row), text);
                            }
                        }
                        if flagged && *sp == "test" {
                            for f in v.findings() {
                                *fired_on_none
                                    .entry(format!("{} (none row of {file}: {})", f.rule(), rule_name(row)))
                                    .or_default() += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
            none_total[si].fp += neg.fp;
            none_total[si].tn += neg.tn;
            println!(
                "  {:<16} {:>6} {:>8} {:>8} {:>8} {:>10}",
                file,
                sp,
                pos.positives(),
                fmt(pos.recall()),
                neg.negatives(),
                fmt(neg.fpr())
            );
            eval.metric(&format!("{file}.{sp}.recall"), pos.recall());
            eval.metric(&format!("{file}.{sp}.none_flagged"), neg.fpr());
        }
    }
    eval.metric("none.dev.flagged", none_total[0].fpr());
    eval.metric("none.test.flagged", none_total[1].fpr());
    println!(
        "  none rows flagged, all files: dev {} of {}, test {} of {}",
        fmt(none_total[0].fpr()),
        none_total[0].negatives(),
        fmt(none_total[1].fpr()),
        none_total[1].negatives()
    );
    let mut misses: Vec<_> = misses.into_iter().collect();
    misses.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("  test misses by source rule (top 30 of {}):", misses.len());
    for (rule, n) in misses.iter().take(30) {
        println!("    {n:>4}  {rule}");
    }
    let mut fired: Vec<_> = fired_on_none.into_iter().collect();
    fired.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    println!("  findings on test none rows (our rule, and the source rule the row is a negative for):");
    for (rule, n) in fired.iter().take(40) {
        println!("    {n:>4}  {rule}");
    }
}

fn rule_name(row: &Value) -> String {
    let r = str_field(row, "rule");
    if r.is_empty() || r == "*" {
        row.get("plugin")
            .and_then(Value::as_str)
            .unwrap_or("generic")
            .to_string()
    } else {
        r.to_string()
    }
}
