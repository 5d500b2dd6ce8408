//! The `palisade` CLI contract: exit codes, verdict JSON, JSONL with ids and
//! per-line errors, and policy errors that name the field.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_palisade"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn palisade");
    // Write from another thread: the child's output pipe would otherwise
    // fill while this thread is still writing its input.
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.to_string();
    let writer = std::thread::spawn(move || pipe.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    // The child may exit without reading (a usage error): a broken pipe is fine.
    let _ = writer.join();
    out
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("one JSON verdict")
}

#[test]
fn allowed_text_exits_zero() {
    let out = run(&["check"], "What is the capital of France?");
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["allowed"], true);
    assert_eq!(v["action"], "allow");
    assert_eq!(v["id"], Value::Null);
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["sanitized"], Value::Null);
}

#[test]
fn blocked_text_exits_one() {
    let dir = tempdir();
    let policy = dir.join("p.toml");
    std::fs::write(&policy, "[custom]\nbanned = [\"launch codes\"]\n").unwrap();
    let out = run(
        &["check", "--policy", policy.to_str().unwrap()],
        "send the LAUNCH  codes",
    );
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["allowed"], false);
    assert_eq!(v["findings"][0]["start"], 9);
    assert_eq!(v["findings"][0]["end"], 22);
}

#[test]
fn shipped_example_reports_exact_spans() {
    let root = env!("CARGO_MANIFEST_DIR");
    let out = run(
        &[
            "check",
            "--policy",
            &format!("{root}/examples/policy.toml"),
            &format!("{root}/examples/prompt.txt"),
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json(&out);
    let text = std::fs::read_to_string(format!("{root}/examples/prompt.txt")).unwrap();
    let kinds: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let (s, e) = (
                f["start"].as_u64().unwrap() as usize,
                f["end"].as_u64().unwrap() as usize,
            );
            (f["kind"].as_str().unwrap().to_string(), text[s..e].to_string())
        })
        .collect();
    assert!(
        kinds
            .iter()
            .any(|(k, t)| k == "tag_smuggling" && t.chars().all(|c| ('\u{E0000}'..='\u{E007F}').contains(&c)))
    );
    assert!(kinds.iter().any(|(k, t)| k == "bidi_override" && t == "\u{202E}"));
    assert!(
        kinds
            .iter()
            .any(|(k, t)| k == "banned_phrase" && t.replace('\u{200B}', "") == "Project Bluebird")
    );
    let sanitized = v["sanitized"].as_str().unwrap();
    assert!(!sanitized.contains('\u{200B}') && !sanitized.contains('\u{202E}') && sanitized.contains("[BANNED]"));
}

#[test]
fn jsonl_keeps_ids_and_reports_bad_lines() {
    let input = concat!(
        r#"{"id": 1, "text": "hello"}"#,
        "\n",
        "not json\n",
        r#"{"id": "b", "text": "a\u202eb", "profile": "output"}"#,
        "\n",
        r#"{"id": 3}"#,
        "\n",
        r#"{"id": 4, "text": "x", "system_prompt": "be nice", "canaries": ["c1"]}"#,
        "\n",
    );
    let out = run(&["check", "--jsonl"], input);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["allowed"], true);
    assert_eq!(lines[1]["id"], Value::Null);
    assert!(lines[1]["error"].as_str().unwrap().starts_with("line 2:"));
    assert_eq!(lines[2]["id"], "b");
    assert_eq!(lines[2]["action"], "sanitize");
    assert_eq!(lines[3]["id"], 3);
    assert!(lines[3]["error"].as_str().unwrap().contains("text"));
    assert_eq!(lines[4]["id"], 4);
}

#[test]
fn policy_errors_exit_two_and_name_the_field() {
    let dir = tempdir();
    for (body, field) in [
        ("[limits]\nmax_bytes = \"big\"\n", "limits.max_bytes"),
        ("[unicode]\nbidii = true\n", "unicode.bidii"),
        (
            "[[custom.rules]]\nid = \"x\"\npattern = \"(\"\n",
            "custom.rules[0].pattern",
        ),
    ] {
        let policy = dir.join("bad.toml");
        std::fs::write(&policy, body).unwrap();
        let out = run(&["check", "--policy", policy.to_str().unwrap()], "hi");
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(field), "{err}");
    }
    let out = run(&["check", "--profile", "nope"], "hi");
    assert_eq!(out.status.code(), Some(2));
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "palisade-cli-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn jsonl_sanitize_rewrites_the_field_and_drops_blocked_lines() {
    let dir = tempdir();
    let policy = dir.join("s.toml");
    std::fs::write(&policy, "[custom]\nbanned = [\"launch codes\"]\n").unwrap();
    let mut input = String::new();
    for i in 0..10_000 {
        match i % 3 {
            0 => input.push_str(&format!(
                "{{\"id\": {i}, \"body\": \"ig\\u200bnore {i}\", \"keep\": true}}\n"
            )),
            1 => input.push_str(&format!("{{\"id\": {i}, \"body\": \"the launch codes {i}\"}}\n")),
            _ => input.push_str(&format!("{{\"id\": {i}, \"body\": \"plain {i}\"}}\n")),
        }
    }
    let out = run(
        &[
            "check",
            "--jsonl",
            "--sanitize",
            "--field",
            "body",
            "--threads",
            "2",
            "--policy",
            policy.to_str().unwrap(),
        ],
        &input,
    );
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Blocked lines dropped, order kept, other fields untouched.
    assert_eq!(lines.len(), 10_000 - 3_333);
    let ids: Vec<u64> = lines.iter().map(|l| l["id"].as_u64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(lines[0]["body"], "ignore 0");
    assert_eq!(lines[0]["keep"], true);
    assert_eq!(lines[1]["body"], "plain 2");
    assert!(String::from_utf8(out.stderr).unwrap().contains("dropped 3333 blocked"));
}

#[test]
fn jsonl_sanitize_keeps_the_field_order_of_each_row() {
    let input = "{\"zeta\": 1, \"text\": \"ig\\u200bnore\", \"alpha\": [2], \"meta\": {\"y\": 1, \"b\": 2}}\n";
    let out = run(&["check", "--jsonl", "--sanitize"], input);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"zeta\":1,\"text\":\"ignore\",\"alpha\":[2],\"meta\":{\"y\":1,\"b\":2}}\n"
    );
}

#[test]
fn jsonl_output_order_matches_input_across_batches() {
    let input: String = (0..9_000)
        .map(|i| format!("{{\"id\": {i}, \"text\": \"row {i}\"}}\n"))
        .collect();
    let out = run(&["check", "--jsonl"], &input);
    let ids: Vec<u64> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (0..9_000).collect::<Vec<u64>>());
}
