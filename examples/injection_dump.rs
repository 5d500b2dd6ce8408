//! Tuning aid: writes, for every corpus row, the per-window evidence of the
//! injection guard (input and document profiles) as JSON lines, so that the
//! way signals and the model combine can be studied on the `dev` split.
//!
//! ```text
//! cargo run --release --example injection_dump -- CORPUS_DIR OUT.jsonl
//! ```

use palisade::Profile;
use palisade::injection::InjectionConfig;
use serde_json::{Value, json};

#[path = "shared/injection_sources.rs"]
mod injection_sources;

fn main() {
    let mut args = std::env::args().skip(1);
    let corpus = args.next().unwrap_or_else(|| "../shared/corpus".into());
    let out = args.next().unwrap_or_else(|| "/tmp/injection_dump.jsonl".into());
    let input = InjectionConfig::default().build(Profile::Input).expect("rules compile");
    let doc = InjectionConfig::default()
        .build(Profile::Document)
        .expect("rules compile");
    let mut lines = String::new();
    for (source, i, row) in injection_sources::rows(&corpus) {
        let t = row.get("text").and_then(Value::as_str).unwrap_or("");
        let w = |g: &palisade::injection::InjectionGuard| -> Vec<Value> {
            g.debug_windows(t)
                .into_iter()
                .map(|(l, m, f, n, p)| json!([l, m, f, n, p]))
                .collect()
        };
        let cd = row
            .get("meta")
            .and_then(|m| m.get("context_dependent"))
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let o = json!({
            "source": source,
            "i": i,
            "split": row.get("split").and_then(Value::as_str).unwrap_or("dev"),
            "attack": row.get("label").and_then(Value::as_str) != Some("benign"),
            "en": row.get("lang").and_then(Value::as_str) == Some("en"),
            "cd": cd,
            "len": t.len(),
            "input": w(&input),
            "doc": if source == "bipia_indirect" { Value::Array(w(&doc)) } else { Value::Null },
        });
        lines.push_str(&o.to_string());
        lines.push('\n');
    }
    std::fs::write(&out, lines).expect("write dump");
}
