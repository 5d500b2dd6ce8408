//! Replays every input the fuzzers ever crashed on (files under
//! `tests/fuzz-regressions/<target>/`) through the same checks as the
//! fuzz targets, as ordinary tests on stable Rust.

use palisade::{Context, Guard, Policy, Profile, View, ViewKind};

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<u8>)> = entries
        .filter_map(|e| e.ok())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn spans_ok(text: &str, v: &palisade::Verdict) {
    for f in v.findings() {
        assert!(f.end() <= text.len() && text.is_char_boundary(f.start()) && text.is_char_boundary(f.end()));
    }
}

#[test]
fn check_input_regressions() {
    let full = Profile::Input.build();
    let core = {
        let custom = palisade::custom::CustomRules::builder()
            .banned("secret plan")
            .build()
            .unwrap();
        palisade::Pipeline::builder()
            .stage(palisade::Stage::new(palisade::limits::Limits::default()).gate(true))
            .stage(palisade::Stage::new(palisade::unicode::UnicodeGuard::default()))
            .stage(palisade::Stage::new(custom).action(palisade::Action::Sanitize))
            .build()
    };
    for (name, data) in inputs("check_input") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let v = full.check(text);
        spans_ok(text, &v);
        assert_eq!(v, full.check(text), "{name}");
        if let Some(s) = v.sanitized() {
            assert!(full.check(s).sanitized().is_none_or(|t| t == s), "{name}");
        }
        let v = core.check(text);
        if let Some(s) = v.sanitized() {
            assert!(core.check(s).sanitized().is_none_or(|t| t == s), "{name}");
        }
    }
}

#[test]
fn check_output_regressions() {
    let g = Profile::Output.build();
    for (_, data) in inputs("check_output") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let mut parts = text.splitn(3, '\n');
        let (p, c, a) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        spans_ok(
            a,
            &g.check_with(a, &Context::new().with_system_prompt(p).with_canary(c)),
        );
    }
}

#[test]
fn policy_regressions() {
    for (_, data) in inputs("policy") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        for parsed in [Policy::from_toml(text), Policy::from_json(text)] {
            if let Ok(Ok(g)) = parsed.map(|p| p.build()) {
                let _ = g.check(text);
            }
        }
    }
}

#[test]
fn normalize_regressions() {
    for (_, data) in inputs("normalize") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        for kind in [ViewKind::Clean, ViewKind::Folded, ViewKind::Compact] {
            let view = View::new(text, kind);
            let r = view.to_original(0..view.as_str().len());
            assert!(r.end <= text.len());
        }
    }
}

#[path = "support/stream_differential.rs"]
mod stream_differential;

#[test]
fn stream_differential_regressions() {
    for (_, data) in inputs("stream_differential") {
        stream_differential::check(&data);
    }
}
