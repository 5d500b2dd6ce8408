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

thread_local! {
    static PANICKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` and fails if anything panicked inside it, also a panic that a
/// guard's fail-closed `check` caught (libFuzzer aborts on those too).
fn no_panic<R>(name: &str, f: impl FnOnce() -> R) -> R {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICKED.with(|p| p.set(true));
            default(info);
        }));
    });
    PANICKED.with(|p| p.set(false));
    let r = f();
    assert!(!PANICKED.with(|p| p.get()), "{name}: a panic was caught inside a check");
    r
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
        let v = no_panic(&name, || full.check(text));
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
    for (name, data) in inputs("check_output") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        let mut parts = text.splitn(3, '\n');
        let (p, c, a) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let v = no_panic(&name, || {
            g.check_with(a, &Context::new().with_system_prompt(p).with_canary(c))
        });
        spans_ok(a, &v);
    }
}

#[test]
fn policy_regressions() {
    for (name, data) in inputs("policy") {
        let Ok(text) = std::str::from_utf8(&data) else { continue };
        no_panic(&name, || {
            for parsed in [Policy::from_toml(text), Policy::from_json(text)] {
                if let Ok(Ok(g)) = parsed.map(|p| p.build()) {
                    let _ = g.check(text);
                }
            }
        });
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
    for (name, data) in inputs("stream_differential") {
        no_panic(&name, || stream_differential::check(&data));
    }
}
