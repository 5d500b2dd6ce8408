//! The differential check shared by the `stream_differential` fuzz target
//! and its replayed regressions: checking a whole text gives the same
//! findings, and the same sanitized text before settling, as streaming it
//! through [`StreamGuard`] in chunks chosen by the input.
//!
//! Input layout: byte 0 picks the guard (low two bits) and a prefix of
//! ordinary prose in KiB (the rest), so that the interesting bytes land
//! past the hold-back of guards with long bounds; byte 1 picks the chunk
//! sizes (small or large); bytes 2..6 seed them; the rest is UTF-8 text
//! `system prompt \n canary \n answer` (the leak guards read the first two).

use std::sync::{Arc, LazyLock};

use palisade::leak::LeakConfig;
use palisade::pii::PiiConfig;
use palisade::secrets::SecretsConfig;
use palisade::{Action, Context, Finding, Guard, Pipeline, Profile, Stage, StreamGuard};

const PROSE: &str = "The fjord cruise leaves at nine and returns before dinner; prices are in euros. ";

/// The bounded guards of the `output` profile, each sanitizing so that the
/// sanitized text is compared too.
static GUARDS: LazyLock<[Arc<dyn Guard>; 4]> = LazyLock::new(|| {
    let profile = Profile::Output;
    let pii = || Stage::new(PiiConfig::default().build(profile).unwrap()).action(Action::Sanitize);
    let secrets = || Stage::new(SecretsConfig::default().build(profile).unwrap()).action(Action::Sanitize);
    let leak = || Stage::new(LeakConfig::default().build(profile).unwrap()).action(Action::Sanitize);
    [
        Arc::new(Pipeline::builder().stage(pii()).build()),
        Arc::new(Pipeline::builder().stage(secrets()).build()),
        Arc::new(Pipeline::builder().stage(leak()).build()),
        Arc::new(Pipeline::builder().stage(secrets()).stage(pii()).stage(leak()).build()),
    ]
});

/// Checks one input; panics (with no text in the message) on a difference.
pub fn check(data: &[u8]) {
    if data.len() < 6 {
        return;
    }
    let Ok(rest) = std::str::from_utf8(&data[6..]) else {
        return;
    };
    let guard = &GUARDS[usize::from(data[0] & 3)];
    let leak = data[0] & 3 >= 2;
    let prefix_kib = usize::from(data[0] >> 2) % 24;
    let large = data[1] & 1 == 1;
    let mut seed = u32::from_le_bytes([data[2], data[3], data[4], data[5]]) | 1;

    let mut context = Context::new();
    let answer = if leak {
        let mut parts = rest.splitn(3, '\n');
        let (prompt, canary, answer) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        if !prompt.trim().is_empty() {
            context = context.with_system_prompt(prompt);
        }
        // A canary too short to be one is a usage error (it fails closed).
        if canary.chars().filter(|c| c.is_alphanumeric()).count() >= 8 {
            context = context.with_canary(canary);
        }
        answer
    } else {
        rest
    };
    let mut text = PROSE.repeat(prefix_kib * 1024 / PROSE.len());
    text.push_str(answer);

    let whole = guard.check_with(&text, &context);
    // A stream releases the first rewrite; a whole-text check also settles
    // it (see the `stream` module docs), so compare with one rewrite round.
    let once = palisade::Verdict::from_findings(&text, whole.findings().to_vec());
    let mut stream = StreamGuard::builder(guard.clone()).context(context).build();
    let (mut findings, mut released): (Vec<Finding>, String) = (Vec::new(), String::new());
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let size = 1 + (seed as usize) % if large { 4096 } else { 24 };
        let next = (at + size).min(bytes.len());
        let out = stream.push(&bytes[at..next]);
        findings.extend(out.findings);
        released.push_str(&out.released);
        at = next;
    }
    let out = stream.finish();
    findings.extend(out.findings);
    released.push_str(&out.released);

    assert!(
        whole.findings() == &findings[..],
        "streamed findings differ from the whole-text check"
    );
    if std::env::var_os("STREAM_DIFF_DEBUG").is_some() {
        // Only for a developer replaying a fuzz input: shows the texts.
        let w = once.sanitized().unwrap_or(&text);
        let at = w.bytes().zip(released.bytes()).take_while(|(a, b)| a == b).count();
        let show = |s: &str| s[..at.min(s.len())].chars().rev().take(120).count();
        let (bw, br) = (show(w), show(&released));
        let tail = |s: &str, n: usize| {
            s.chars()
                .skip(s[..at.min(s.len())].chars().count() - n)
                .take(240)
                .collect::<String>()
        };
        eprintln!(
            "differ at byte {at}\nwhole:  {:?}\nstream: {:?}",
            tail(w, bw),
            tail(&released, br)
        );
    }
    assert!(
        once.sanitized().unwrap_or(&text) == released,
        "streamed text differs from the whole-text sanitized text"
    );
}
