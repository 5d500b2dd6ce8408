//! Unicode attacks: tag-block smuggling, variation-selector runs, zero-width
//! characters inside words, bidi overrides, private-use and control
//! characters, and words mixing Latin with Cyrillic or Greek look-alikes.
//!
//! Each finding sanitizes by removing or neutralizing only the attacking
//! characters, so emoji ZWJ sequences, flag tag sequences, keycaps and
//! right-to-left text pass through intact.

use serde::{Deserialize, Serialize};

use crate::error::GuardError;
use crate::finding::{Action, Category, Finding, Redaction};
use crate::guard::Guard;
use crate::input::Input;

/// Which checks the Unicode guard runs; all on by default.
///
/// ```
/// use palisade::{Guard, unicode::UnicodeGuard};
/// let guard = UnicodeGuard::default();
/// let v = guard.check("hi\u{E0069}\u{E0067}\u{E006E}");
/// assert_eq!(v.findings()[0].kind(), "tag_smuggling");
/// assert_eq!(v.sanitized(), Some("hi"));
/// // A flag emoji's tag sequence is legitimate.
/// assert!(guard.check("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}").findings().is_empty());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnicodeGuard {
    /// Tag characters U+E0000–E007F outside emoji flag sequences.
    pub tag_smuggling: bool,
    /// Runs of variation selectors, or one after a Latin, Cyrillic or Greek letter.
    pub variation_selectors: bool,
    /// Zero-width and invisible format characters inside words.
    pub zero_width: bool,
    /// Bidi overrides and unbalanced embeddings or isolates.
    pub bidi: bool,
    /// Private-use characters.
    pub private_use: bool,
    /// Terminal-rewriting controls (C0 but tab, CR, LF and separators; DEL;
    /// CSI and OSC) and noncharacters.
    pub control: bool,
    /// Words mixing Latin with Cyrillic or Greek look-alike letters.
    pub mixed_script: bool,
}

impl Default for UnicodeGuard {
    fn default() -> UnicodeGuard {
        UnicodeGuard {
            tag_smuggling: true,
            variation_selectors: true,
            zero_width: true,
            bidi: true,
            private_use: true,
            control: true,
            mixed_script: true,
        }
    }
}

fn is_tag(c: char) -> bool {
    ('\u{E0000}'..='\u{E007F}').contains(&c)
}
fn is_vs(c: char) -> bool {
    ('\u{FE00}'..='\u{FE0F}').contains(&c) || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}'
            ..='\u{2064}'
                | '\u{FEFF}'
                | '\u{00AD}'
                | '\u{034F}'
                | '\u{180E}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{3164}'
                | '\u{FFA0}'
                | '\u{17B4}'
                | '\u{17B5}'
    )
}
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}
/// Characters this guard may remove. Neighbour tests look through them, so
/// that removing one never exposes a new finding (sanitizing is idempotent).
fn is_transparent(c: char) -> bool {
    is_zero_width(c)
        || is_tag(c)
        || is_vs(c)
        || is_bidi_control(c)
        || is_private_use(c)
        || is_bad_control(c)
        || crate::normalize::is_ignorable(c)
}
use crate::normalize::{is_bad_control, is_private_use};

/// Scripts whose words legitimately use ZWJ/ZWNJ (Arabic, Persian, Indic…).
fn joins_legitimately(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0x0900..=0x0DFF | 0x0F00..=0x0FFF | 0x1000..=0x109F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}
fn is_emoji_like(c: char) -> bool {
    matches!(c as u32, 0x2190..=0x2BFF | 0x1F000..=0x1FAFF | 0xFE0F)
}
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c as u32, 0x00C0..=0x024F)
}
fn is_cyrillic_or_greek(c: char) -> bool {
    matches!(c as u32, 0x0370..=0x03FF | 0x0400..=0x052F | 0x1F00..=0x1FFF)
}
/// A Cyrillic or Greek letter whose skeleton is one ASCII letter.
fn latin_lookalike(c: char) -> Option<char> {
    let mut buf = [0u8; 4];
    let mut s = unicode_security::skeleton(c.encode_utf8(&mut buf));
    let first = s.next()?;
    (s.next().is_none() && first.is_ascii_alphabetic()).then_some(first)
}

struct Scan<'a> {
    text: &'a str,
    chars: Vec<(usize, char)>,
}

impl Scan<'_> {
    fn end_of(&self, idx: usize) -> usize {
        self.chars.get(idx + 1).map_or(self.text.len(), |&(i, _)| i)
    }
}

impl Guard for UnicodeGuard {
    // Reads the whole text: the characters it looks for (invisible, tag,
    // bidi, look-alike letters) are anywhere and share no anchor. ASCII text
    // is one vectorized `is_ascii` pass plus a control-byte check.
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        let text = input.text();
        // Plain ASCII text carries none of these attacks but controls.
        if text.is_ascii() {
            if self.control && crate::normalize::has_bad_ascii_control(text.as_bytes()) {
                controls(text, findings);
            }
            return Ok(());
        }
        // Most non-ASCII text (accents, CJK, typographic quotes) holds none
        // of the characters any check looks at.
        if !text.chars().any(|c| is_transparent(c) || is_cyrillic_or_greek(c)) {
            return Ok(());
        }
        let scan = Scan {
            text,
            chars: text.char_indices().collect(),
        };
        if self.tag_smuggling {
            tags(&scan, findings);
        }
        if self.variation_selectors {
            variation_selectors(&scan, findings);
        }
        if self.zero_width {
            zero_width(&scan, findings);
        }
        if self.bidi {
            bidi(&scan, findings);
        }
        if self.private_use || self.control {
            // One finding per run of one kind: a text of a million control
            // characters gets one finding, not a million.
            let mut run: Option<(&'static str, std::ops::Range<usize>)> = None;
            for (idx, &(i, c)) in scan.chars.iter().enumerate() {
                let kind = if self.private_use && is_private_use(c) {
                    "private_use"
                } else if self.control && is_bad_control(c) {
                    "control_character"
                } else {
                    continue;
                };
                let end = scan.end_of(idx);
                match &mut run {
                    Some((k, r)) if *k == kind && r.end == i => r.end = end,
                    _ => {
                        if let Some((k, r)) = run.replace((kind, i..end)) {
                            findings.push(remove(k, r, 0.6));
                        }
                    }
                }
            }
            if let Some((k, r)) = run {
                findings.push(remove(k, r, 0.6));
            }
        }
        if self.mixed_script {
            mixed_script(&scan, findings);
        }
        Ok(())
    }

    fn name(&self) -> &str {
        "unicode"
    }
}

fn remove(kind: &'static str, span: std::ops::Range<usize>, score: f32) -> Finding {
    Finding::new(Category::Unicode, kind, format!("unicode.{kind}"), span)
        .with_score(score)
        .with_action(Action::Sanitize)
        .with_redaction(Redaction::Remove)
}

/// The runs of control characters in ASCII `text`, one finding each.
fn controls(text: &str, findings: &mut Vec<Finding>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !is_bad_control(bytes[i] as char) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_bad_control(bytes[i] as char) {
            i += 1;
        }
        findings.push(remove("control_character", start..i, 0.6));
    }
}

fn tags(scan: &Scan<'_>, findings: &mut Vec<Finding>) {
    let chars = &scan.chars;
    let mut idx = 0;
    while idx < chars.len() {
        if !is_tag(chars[idx].1) {
            idx += 1;
            continue;
        }
        let start = idx;
        while idx < chars.len() && is_tag(chars[idx].1) {
            idx += 1;
        }
        // 🏴 + tag letters + CANCEL TAG is an emoji flag (England, Scotland…).
        let flag = start > 0
            && chars[start - 1].1 == '\u{1F3F4}'
            && chars[idx - 1].1 == '\u{E007F}'
            && idx - start <= 8
            && chars[start..idx - 1]
                .iter()
                .all(|&(_, c)| matches!(c as u32, 0xE0030..=0xE0039 | 0xE0061..=0xE007A));
        if flag {
            continue;
        }
        let hidden: String = chars[start..idx]
            .iter()
            .filter_map(|&(_, c)| char::from_u32(c as u32 - 0xE0000).filter(|a| a.is_ascii_graphic() || *a == ' '))
            .collect();
        let span = chars[start].0..scan.end_of(idx - 1);
        findings.push(
            remove("tag_smuggling", span, 1.0)
                .with_action(Action::Sanitize)
                .with_detail(format!("{} hidden characters: {}", idx - start, crate::mask(&hidden))),
        );
    }
}

fn variation_selectors(scan: &Scan<'_>, findings: &mut Vec<Finding>) {
    let chars = &scan.chars;
    let mut idx = 0;
    while idx < chars.len() {
        if !is_vs(chars[idx].1) {
            idx += 1;
            continue;
        }
        let start = idx;
        while idx < chars.len() && is_vs(chars[idx].1) {
            idx += 1;
        }
        let after_letter = chars[..start]
            .iter()
            .rev()
            .find(|&&(_, c)| !is_transparent(c))
            .is_some_and(|&(_, c)| is_latin(c) || is_cyrillic_or_greek(c));
        if idx - start >= 2 || after_letter {
            let score = if idx - start >= 4 { 1.0 } else { 0.8 };
            findings.push(
                remove("variation_selector", chars[start].0..scan.end_of(idx - 1), score)
                    .with_detail(format!("{} selectors", idx - start)),
            );
        }
    }
}

/// Zero-width characters in one run from which the run is hidden data.
const HIDDEN_RUN: usize = 4;

fn zero_width(scan: &Scan<'_>, findings: &mut Vec<Finding>) {
    let chars = &scan.chars;
    let mut idx = 0;
    while idx < chars.len() {
        if !is_transparent(chars[idx].1) {
            idx += 1;
            continue;
        }
        // A maximal run of removable characters; it matters when it holds a
        // zero-width character and sits inside a word.
        let start = idx;
        while idx < chars.len() && is_transparent(chars[idx].1) {
            idx += 1;
        }
        let run = &chars[start..idx];
        let zw: Vec<char> = run
            .iter()
            .map(|&(_, c)| c)
            .filter(|&c| is_zero_width(c) && !(c == '\u{FEFF}' && start == 0))
            .collect();
        if zw.is_empty() {
            continue;
        }
        // A long run is a hidden payload (zero-width steganography encodes
        // bits in these characters), wherever it sits; no script or emoji
        // sequence needs that many in a row.
        let payload = zw.len() >= HIDDEN_RUN;
        let before = start.checked_sub(1).map(|i| chars[i].1);
        let after = chars.get(idx).map(|&(_, c)| c);
        if !payload {
            let (Some(b), Some(a)) = (before, after) else { continue };
            let only_joiners = zw.iter().all(|&c| c == '\u{200D}' || c == '\u{200C}');
            if only_joiners
                && zw.len() == run.len()
                && (is_emoji_like(b) || is_emoji_like(a) || joins_legitimately(b) || joins_legitimately(a))
            {
                continue;
            }
            if !(b.is_alphanumeric() && a.is_alphanumeric()) {
                continue;
            }
        }
        let detail = if payload {
            format!("{} invisible characters in a row", zw.len())
        } else {
            format!("{} invisible character(s) inside a word", zw.len())
        };
        // Remove the run but its bidi controls: the bidi check owns those,
        // and removing one half of a balanced pair would unbalance it.
        let mut k = 0;
        while k < run.len() {
            if is_bidi_control(run[k].1) {
                k += 1;
                continue;
            }
            let sub = k;
            while k < run.len() && !is_bidi_control(run[k].1) {
                k += 1;
            }
            let end = run.get(k).map_or_else(|| scan.end_of(idx - 1), |&(i, _)| i);
            findings.push(remove("zero_width", run[sub].0..end, 0.9).with_detail(detail.clone()));
        }
    }
}

fn bidi(scan: &Scan<'_>, findings: &mut Vec<Finding>) {
    // Per line: overrides always; embeddings and isolates when unbalanced.
    let mut open: Vec<usize> = Vec::new(); // char indices of unclosed openers
    let chars = &scan.chars;
    let flush_open = |open: &mut Vec<usize>, findings: &mut Vec<Finding>| {
        for &o in open.iter() {
            let c = chars[o].1;
            if !matches!(c, '\u{202D}' | '\u{202E}') {
                findings.push(remove("bidi_unbalanced", chars[o].0..scan.end_of(o), 0.8));
            }
        }
        open.clear();
    };
    for (idx, &(i, c)) in chars.iter().enumerate() {
        match c {
            '\u{202D}' | '\u{202E}' => {
                findings.push(remove("bidi_override", i..scan.end_of(idx), 1.0));
                open.push(idx);
            }
            '\u{202A}' | '\u{202B}' | '\u{2066}'..='\u{2068}' => open.push(idx),
            '\u{202C}' | '\u{2069}' => {
                // UAX #9: a PDF closes the innermost embedding or override
                // only if no isolate is open inside it; a PDI closes the
                // innermost isolate and everything opened within it.
                let is_isolate = |o: usize| matches!(chars[o].1, '\u{2066}'..='\u{2068}');
                let matched = if c == '\u{2069}' {
                    open.iter().rposition(|&o| is_isolate(o))
                } else {
                    open.last().filter(|&&o| !is_isolate(o)).map(|_| open.len() - 1)
                };
                match matched {
                    Some(p) => {
                        // Closing an override goes with it when it is removed.
                        if matches!(chars[open[p]].1, '\u{202D}' | '\u{202E}') {
                            findings.push(remove("bidi_override", i..scan.end_of(idx), 1.0));
                        }
                        open.truncate(p);
                    }
                    None => findings.push(remove("bidi_unbalanced", i..scan.end_of(idx), 0.8)),
                }
            }
            '\n' | '\r' | '\u{2029}' => flush_open(&mut open, findings),
            _ => {}
        }
    }
    flush_open(&mut open, findings);
}

fn mixed_script(scan: &Scan<'_>, findings: &mut Vec<Finding>) {
    let chars = &scan.chars;
    let mut idx = 0;
    while idx < chars.len() {
        if !chars[idx].1.is_alphanumeric() {
            idx += 1;
            continue;
        }
        let start = idx;
        let (mut latin, mut lookalike) = (false, false);
        while idx < chars.len() && (chars[idx].1.is_alphanumeric() || is_transparent(chars[idx].1)) {
            let c = chars[idx].1;
            latin |= is_latin(c);
            lookalike |= is_cyrillic_or_greek(c) && latin_lookalike(c).is_some();
            idx += 1;
        }
        if !(latin && lookalike) {
            continue;
        }
        // Neutralize: each look-alike becomes the Latin letter it imitates.
        // One finding per run of letters, so that the invisible characters
        // between them stay with the checks that own them.
        let word = &chars[start..idx];
        let mut k = 0;
        while k < word.len() {
            if !word[k].1.is_alphanumeric() {
                k += 1;
                continue;
            }
            let run_start = k;
            while k < word.len() && word[k].1.is_alphanumeric() {
                k += 1;
            }
            let run = &word[run_start..k];
            if !run
                .iter()
                .any(|&(_, c)| is_cyrillic_or_greek(c) && latin_lookalike(c).is_some())
            {
                continue;
            }
            let fixed: String = run
                .iter()
                .map(|&(_, c)| {
                    if is_cyrillic_or_greek(c) {
                        latin_lookalike(c).unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect();
            let end = word.get(k).map_or_else(|| scan.end_of(idx - 1), |&(i, _)| i);
            findings.push(
                Finding::new(Category::Unicode, "mixed_script", "unicode.mixed_script", run[0].0..end)
                    .with_score(0.8)
                    .with_action(Action::Sanitize)
                    .with_redaction(Redaction::Text(fixed)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        UnicodeGuard::default()
            .check(text)
            .findings()
            .iter()
            .map(|f| f.kind().to_string())
            .collect()
    }

    #[test]
    fn legitimate_text_passes() {
        for text in [
            "family: 👨\u{200D}👩\u{200D}👧 and 🏳\u{FE0F}\u{200D}🌈",
            "keycap 1\u{FE0F}\u{20E3}",
            "Persian: می\u{200C}خواهم",
            "Hindi: क्\u{200D}ष",
            "Hebrew \u{2067}שלום\u{2069} mark \u{200F}",
            "Ελληνικά και русский текст",
            "\u{FEFF}BOM at start",
            "μs and πr² are fine",
            "日本語のテキスト",
        ] {
            assert!(kinds(text).is_empty(), "{text:?}: {:?}", kinds(text));
        }
    }

    #[test]
    fn attacks_found() {
        assert_eq!(kinds("ig\u{200B}nore"), ["zero_width"]);
        // A run of them is hidden data even between words or at the ends.
        assert_eq!(kinds("a \u{200B}\u{200C}\u{200D}\u{2060} b"), ["zero_width"]);
        assert_eq!(kinds("\u{200C}\u{200D}\u{200C}\u{200C}text"), ["zero_width"]);
        assert!(kinds("a \u{200B}\u{200C}\u{200D} b").is_empty());
        assert_eq!(kinds("a\u{202E}txt.exe"), ["bidi_override"]);
        assert_eq!(kinds("x \u{2066}open"), ["bidi_unbalanced"]);
        assert_eq!(kinds("pаypal"), ["mixed_script"]); // Cyrillic а
        assert_eq!(kinds("a\u{FE01}\u{FE02}\u{FE03}"), ["variation_selector"]);
        assert_eq!(kinds("bell\u{7}"), ["control_character"]);
        assert_eq!(kinds("pua \u{E000}"), ["private_use"]);
    }

    /// A run of control or private-use characters is one finding, in ASCII
    /// and non-ASCII text, and sanitizing still removes every character.
    #[test]
    fn runs_are_one_finding() {
        let g = UnicodeGuard::default();
        for (text, spans, clean) in [
            ("a\u{7}\u{8}\u{7}b\u{1b}c", vec![1..4, 5..6], "abc"),
            ("é\u{7}\u{8}\u{E000}\u{E001}x\u{7}", vec![2..4, 4..10, 11..12], "éx"),
        ] {
            let v = g.check(text);
            let got: Vec<_> = v.findings().iter().map(|f| f.start()..f.end()).collect();
            assert_eq!(got, spans, "{text:?}");
            assert_eq!(v.sanitized(), Some(clean), "{text:?}");
        }
        let many = "\u{19}".repeat(100_000);
        assert_eq!(g.check(&format!("x{many}y")).findings().len(), 1);
    }

    #[test]
    fn sanitizes() {
        let g = UnicodeGuard::default();
        assert_eq!(g.check("pаypal").sanitized(), Some("paypal"));
        assert_eq!(g.check("ig\u{200B}\u{200C}nore").sanitized(), Some("ignore"));
        let v = g.check("ok\u{E0041}\u{E0042}");
        assert!(v.findings()[0].detail().unwrap().starts_with("2 hidden"));
    }
}
