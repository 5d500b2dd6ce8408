//! Building the sanitized text from a verdict's findings.

use std::collections::HashMap;

use crate::finding::{Action, Finding, Redaction};

/// Rewrites every span of a `Sanitize` finding. Overlapping spans merge into
/// one, rewritten by the widest finding of the group (the higher score on a
/// tie). `findings` must be sorted by start.
pub(crate) fn apply(text: &str, findings: &[Finding]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut numbers: HashMap<(&str, &str), usize> = HashMap::new();
    let mut counters: HashMap<&str, usize> = HashMap::new();
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
        out.push_str(&text[cursor..start]);
        let value = &text[start..end];
        match chosen.redaction() {
            Redaction::Numbered(label) => {
                let next = counters.entry(label.as_ref()).or_insert(0);
                let n = *numbers.entry((label.as_ref(), value)).or_insert_with(|| {
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
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
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
}
