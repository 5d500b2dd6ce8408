//! Building the sanitized text from a verdict's findings.

use std::collections::HashMap;
use std::ops::Range;

use crate::finding::{Action, Finding, Redaction};

/// Rewrites every span of a `Sanitize` finding. Overlapping spans merge into
/// one, rewritten by the widest finding of the group (the higher score on a
/// tie). `findings` must be sorted by start.
#[cfg(test)]
pub(crate) fn apply(text: &str, findings: &[Finding]) -> String {
    Rewriter::default().apply(text, findings, &[]).text
}

/// A sanitized text and where in it the rewriter put placeholders.
pub(crate) struct Rewritten {
    pub(crate) text: String,
    /// Byte ranges of the placeholders (`[EMAIL_1]`, `[SECRET]`) in the
    /// text, in order. Other rewrites (fixed text such as a look-alike
    /// letter's Latin form, masks, removals) are content, not placeholders.
    pub(crate) inserted: Vec<Range<usize>>,
    /// Every rewrite, in order: what it replaced and what it wrote.
    pub(crate) edits: Vec<Edit>,
}

/// One rewrite: the range of the text it replaced and the range of the
/// sanitized text it wrote (empty for a removal). Outside the edits, the two
/// texts are the same bytes, shifted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    pub(crate) old: Range<usize>,
    pub(crate) new: Range<usize>,
}

/// Builds sanitized texts, keeping placeholder numbers across the rounds of
/// one check, so that a value found only when the sanitized text is checked
/// again gets the next number, not a number already used for another value.
#[derive(Default)]
pub(crate) struct Rewriter {
    numbers: HashMap<(String, String), usize>,
    counters: HashMap<String, usize>,
}

impl Rewriter {
    /// Rewrites every span of a `Sanitize` finding of `text`;
    /// `prior` are the ranges of `text` a previous round inserted, carried
    /// over to the result where they survive.
    pub(crate) fn apply(&mut self, text: &str, findings: &[Finding], prior: &[Range<usize>]) -> Rewritten {
        let mut out = String::with_capacity(text.len());
        let mut inserted = Vec::new();
        let mut edits = Vec::new();
        let mut prior = prior.iter().peekable();
        // Copies text[from..to] verbatim, carrying the prior ranges in it.
        let mut copy = |out: &mut String, inserted: &mut Vec<Range<usize>>, from: usize, to: usize| {
            let shift = out.len() as isize - from as isize;
            while let Some(r) = prior.peek() {
                if r.start >= to {
                    break;
                }
                let (a, b) = (r.start.max(from), r.end.min(to));
                if a < b {
                    inserted.push((a as isize + shift) as usize..(b as isize + shift) as usize);
                }
                if r.end > to {
                    break;
                }
                prior.next();
            }
            out.push_str(&text[from..to]);
        };
        let mut cursor = 0;
        let mut iter = findings.iter().filter(|f| f.action() == Action::Sanitize).peekable();
        while let Some(first) = iter.next() {
            let (mut start, mut end) = (first.start(), first.end());
            let mut chosen = first;
            while let Some(next) = iter.peek() {
                // Touching spans stay separate; only real overlap merges.
                if next.start() >= end && !(next.start() == start && start == end) {
                    break;
                }
                let next = iter.next().expect("peeked");
                if wider(next, chosen) {
                    chosen = next;
                }
                end = end.max(next.end());
                start = start.min(next.start());
            }
            let start = start.max(cursor);
            copy(&mut out, &mut inserted, cursor, start);
            let value = &text[start..end];
            let at = out.len();
            match chosen.redaction() {
                Redaction::Numbered(label) => {
                    let next = self.counters.entry(label.to_string()).or_insert(0);
                    let n = *self
                        .numbers
                        .entry((label.to_string(), value.to_string()))
                        .or_insert_with(|| {
                            *next += 1;
                            *next
                        });
                    out.push('[');
                    out.push_str(label);
                    out.push('_');
                    out.push_str(&n.to_string());
                    out.push(']');
                }
                Redaction::Label(label) => {
                    out.push('[');
                    out.push_str(label);
                    out.push(']');
                }
                Redaction::Text(t) => out.push_str(t),
                Redaction::Remove => {}
                Redaction::Mask { keep_last } => {
                    let n = value.chars().count();
                    let keep = (*keep_last as usize).min(n);
                    out.extend(std::iter::repeat_n('*', n - keep));
                    out.extend(value.chars().skip(n - keep));
                }
            }
            let placeholder = matches!(chosen.redaction(), Redaction::Numbered(_) | Redaction::Label(_));
            if placeholder && out.len() > at {
                inserted.push(at..out.len());
            }
            edits.push(Edit {
                old: start..end,
                new: at..out.len(),
            });
            cursor = end;
        }
        copy(&mut out, &mut inserted, cursor, text.len());
        Rewritten {
            text: out,
            inserted,
            edits,
        }
    }
}

fn wider(a: &Finding, b: &Finding) -> bool {
    let (la, lb) = (a.end() - a.start(), b.end() - b.start());
    la > lb || (la == lb && a.score() > b.score())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Category;

    fn f(kind: &'static str, r: std::ops::Range<usize>, red: Redaction) -> Finding {
        Finding::new(Category::Pii, kind, "t", r)
            .with_action(Action::Sanitize)
            .with_redaction(red)
    }

    #[test]
    fn numbered_per_value() {
        let text = "a@x.io b@x.io a@x.io";
        let l = || Redaction::Numbered("EMAIL".into());
        let fs = vec![f("email", 0..6, l()), f("email", 7..13, l()), f("email", 14..20, l())];
        assert_eq!(apply(text, &fs), "[EMAIL_1] [EMAIL_2] [EMAIL_1]");
    }

    #[test]
    fn overlaps_merge_to_widest() {
        let text = "key=abcdef123 rest";
        let fs = vec![
            f("secret", 4..13, Redaction::Label("SECRET".into())),
            f("phone", 7..13, Redaction::Numbered("PHONE".into())),
        ];
        assert_eq!(apply(text, &fs), "key=[SECRET] rest");
    }

    #[test]
    fn mask_and_remove() {
        let text = "card 4111111111111111 x\u{200B}y";
        let fs = vec![
            f("card", 5..21, Redaction::Mask { keep_last: 4 }),
            f("zw", 23..26, Redaction::Remove),
        ];
        assert_eq!(apply(text, &fs), "card ************1111 xy");
    }

    #[test]
    fn rounds_keep_numbers_and_track_inserted_text() {
        let mut rw = Rewriter::default();
        let l = || Redaction::Numbered("EMAIL".into());
        let first = rw.apply("a@x.io and b@x.io", &[f("email", 0..6, l())], &[]);
        assert_eq!(first.text, "[EMAIL_1] and b@x.io");
        assert_eq!(first.inserted, [Range { start: 0, end: 9 }]);
        let second = rw.apply(&first.text, &[f("email", 14..20, l())], &first.inserted);
        // A value found in a later round gets the next number.
        assert_eq!(second.text, "[EMAIL_1] and [EMAIL_2]");
        assert_eq!(second.inserted, [0..9, 14..23]);
        // Rewriting around earlier insertions shifts them.
        let earlier = [Range { start: 6, end: 15 }];
        let third = rw.apply("x\u{200B}y [EMAIL_1] z", &[f("zw", 1..4, Redaction::Remove)], &earlier);
        assert_eq!(third.text, "xy [EMAIL_1] z");
        assert_eq!(third.inserted, [Range { start: 3, end: 12 }]);
        // Fixed text and masks are content, not placeholders.
        let fourth = rw.apply(
            "Ԝ 4111111111111111",
            &[
                f("lookalike", 0..2, Redaction::Text("W".into())),
                f("card", 3..19, Redaction::Mask { keep_last: 4 }),
            ],
            &[],
        );
        assert_eq!(fourth.text, "W ************1111");
        assert!(fourth.inserted.is_empty());
    }
}
