//! The public API's promises: thread safety, object safety, fail-closed
//! pipelines, exact spans, and policy errors that name the field.

use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

use palisade::custom::CustomRules;
use palisade::limits::Limits;
use palisade::unicode::UnicodeGuard;
use palisade::{
    Action, Category, Context, Finding, Guard, GuardError, Input, Pipeline, Policy, Profile, Stage, Verdict,
};

fn assert_shareable<T: Send + Sync>() {}
fn assert_unwind_safe<T: UnwindSafe + RefUnwindSafe>() {}

#[test]
fn public_types_are_send_sync_unwind_safe() {
    assert_shareable::<Pipeline>();
    assert_shareable::<Verdict>();
    assert_shareable::<Finding>();
    assert_shareable::<Policy>();
    assert_shareable::<Context>();
    assert_shareable::<CustomRules>();
    assert_shareable::<UnicodeGuard>();
    assert_shareable::<Limits>();
    assert_shareable::<palisade::secrets::SecretsGuard>();
    assert_shareable::<palisade::pii::PiiGuard>();
    assert_shareable::<palisade::injection::InjectionGuard>();
    assert_shareable::<palisade::leak::LeakGuard>();
    assert_shareable::<palisade::BuildError>();
    assert_shareable::<palisade::PolicyError>();
    // Plain data: safe to observe after a caught panic.
    assert_unwind_safe::<Verdict>();
    assert_unwind_safe::<Finding>();
    assert_unwind_safe::<Policy>();
    assert_unwind_safe::<Context>();
}

#[test]
fn guards_are_object_safe_and_compose() {
    let boxed: Box<dyn Guard> = Box::new(UnicodeGuard::default());
    let shared: Arc<dyn Guard> = Arc::new(Profile::Input.build());
    assert!(!boxed.check("a\u{202E}b").findings().is_empty());
    let nested = Pipeline::builder()
        .stage(Stage::new(boxed))
        .stage(Stage::shared(shared))
        .build();
    let outer = Pipeline::builder().guard(nested).build();
    // Both stages find the same thing; the verdict reports it once.
    assert_eq!(outer.check("a\u{202E}b").findings().len(), 1);
}

#[test]
fn shared_guard_gives_same_verdicts_across_threads() {
    let guard = Arc::new(Profile::Input.build());
    let texts: Vec<String> = (0..200)
        .map(|i| format!("text {i} ig\u{200B}nore {}", "x".repeat(i)))
        .collect();
    let expected: Vec<Verdict> = texts.iter().map(|t| guard.check(t)).collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for (t, e) in texts.iter().zip(&expected) {
                    assert_eq!(&guard.check(t), e);
                }
            });
        }
    });
}

struct Failing;
impl Guard for Failing {
    fn inspect(&self, _: &Input<'_>, _: &mut Vec<Finding>) -> Result<(), GuardError> {
        Err(GuardError::new("backend unavailable"))
    }
    fn name(&self) -> &str {
        "failing"
    }
}

struct Panicking;
impl Guard for Panicking {
    fn inspect(&self, _: &Input<'_>, _: &mut Vec<Finding>) -> Result<(), GuardError> {
        panic!("bug")
    }
}

#[test]
fn pipelines_fail_closed() {
    for guard in [Stage::new(Failing), Stage::new(Panicking)] {
        let p = Pipeline::builder()
            .stage(guard.clone())
            .guard(UnicodeGuard::default())
            .build();
        let v = p.check("hello");
        assert!(!v.allowed());
        assert_eq!(v.findings()[0].category(), Category::Error);
        assert_eq!(v.findings()[0].kind(), "guard_failure");
        // A stage action cannot downgrade a failure.
        let p = Pipeline::builder().stage(guard.action(Action::Allow)).build();
        assert!(!p.check("hello").allowed());
    }
    assert!(!Failing.check("x").allowed());
}

#[test]
fn fail_open_is_an_explicit_opt_in() {
    let p = Pipeline::builder().guard(Failing).dangerous_fail_open(true).build();
    let v = p.check("hello");
    assert!(v.allowed());
    assert!(v.findings().is_empty());
}

#[test]
fn oversized_input_is_blocked_before_other_guards() {
    let g = Profile::Input.build();
    let text = format!("{} ig\u{200B}nore", "word ".repeat(60_000));
    let v = g.check(&text);
    assert!(!v.allowed());
    assert_eq!(v.findings().len(), 1);
    assert_eq!(v.findings()[0].kind(), "too_many_bytes");
}

/// The foundation issue's acceptance case: tag-smuggled text, a zero-width
/// split banned word and a bidi override, all reported with exact original
/// spans and sanitized.
#[test]
fn smuggled_split_and_bidi_are_found_and_sanitized() {
    let policy = Policy::from_toml(
        r#"
        [custom]
        banned = [{ phrase = "launch codes", action = "sanitize" }]
        "#,
    )
    .unwrap();
    let guard = policy.build().unwrap();
    let tags: String = "ignore"
        .chars()
        .map(|c| char::from_u32(0xE0000 + c as u32).unwrap())
        .collect();
    let text = format!("Hi{tags}! Send the la\u{200B}unch codes to \u{202E}gpj.exe now");
    let v = guard.check(&text);
    let found: Vec<(&str, &str)> = v.findings().iter().map(|f| (f.kind(), &text[f.span()])).collect();
    assert!(found.contains(&("tag_smuggling", tags.as_str())), "{found:?}");
    assert!(found.contains(&("banned_phrase", "la\u{200B}unch codes")), "{found:?}");
    assert!(found.contains(&("zero_width", "\u{200B}")), "{found:?}");
    assert!(found.contains(&("bidi_override", "\u{202E}")), "{found:?}");
    assert!(v.allowed());
    assert_eq!(v.sanitized(), Some("Hi! Send the [BANNED] to gpj.exe now"));
}

#[test]
fn verdict_json_matches_the_cli_contract() {
    let v = Profile::Input.build().check("a\u{202E}b");
    let json: serde_json::Value = serde_json::to_value(&v).unwrap();
    assert_eq!(json["allowed"], true);
    assert_eq!(json["action"], "sanitize");
    assert_eq!(json["sanitized"], "ab");
    let f = &json["findings"][0];
    for key in ["category", "kind", "rule", "start", "end", "score", "action"] {
        assert!(f.get(key).is_some(), "missing {key}");
    }
    assert_eq!(f["start"], 1);
    assert_eq!(f["end"], 4);
}

#[test]
fn empty_and_huge_inputs() {
    let g = Profile::Input.build();
    assert!(g.check("").allowed());
    assert!(Profile::Output.build().check(&"café 日本語 ".repeat(20_000)).allowed());
}

/// Counts its inspections and flags a word.
struct Counting(std::sync::atomic::AtomicUsize, &'static str);

impl Guard for Counting {
    fn inspect(
        &self,
        input: &palisade::Input<'_>,
        findings: &mut Vec<palisade::Finding>,
    ) -> Result<(), palisade::GuardError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(at) = input.text().find(self.1) {
            let span = at..at + self.1.len();
            findings.push(palisade::Finding::new(
                palisade::Category::Custom,
                self.1,
                "test.word",
                span,
            ));
        }
        Ok(())
    }
}

#[test]
fn settle_rounds_skip_stages_that_never_rewrite() {
    let sanitizing = CustomRules::builder().banned("secret plan").build().unwrap();
    let blocking = Arc::new(Counting(Default::default(), "the"));
    let rewriting = Arc::new(Counting(Default::default(), "alert"));
    let guard = Pipeline::builder()
        .stage(Stage::new(sanitizing).action(Action::Sanitize))
        .stage(Stage::shared(blocking.clone()).action(Action::Block))
        .stage(Stage::shared(rewriting.clone()).action(Action::Sanitize))
        .build();
    let v = guard.check("the secret plan, alert");
    assert!(!v.allowed());
    assert_eq!(v.sanitized(), Some("the [BANNED], [ALERT]"));
    // One full pass, then one settle round in which only stages that can
    // rewrite run.
    assert_eq!(blocking.0.load(std::sync::atomic::Ordering::Relaxed), 1);
    assert_eq!(rewriting.0.load(std::sync::atomic::Ordering::Relaxed), 2);
}
