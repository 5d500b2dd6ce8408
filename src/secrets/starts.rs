//! Which two bytes a rule's match can start with.
//!
//! A rule searched from each possible start before an anchor hit (see
//! `Engine::search_at`) tries every byte its pattern can start with, and
//! most of them fail at once: `(?:^|[^A-Za-z])` can start at any space or
//! `=`, `secret|token|api_key` at any `s`, `t` or `a`. Each try is a regex
//! search with its fixed cost. The first two bytes tell most of them apart
//! (`[^A-Za-z]` then `s`, `se`, `to`, `ap`), so the possible pairs are
//! worked out from the pattern once and tested before a search.

use regex_syntax::hir::{Class, Hir, HirKind};

/// What the strings of a pattern (or part of one) can start with, as a
/// superset: look-around assertions count as empty strings.
struct Shape {
    /// The empty string is one.
    empty: bool,
    /// The strings of one byte.
    one: [bool; 256],
    /// The first byte of the longer strings and of the strings of one.
    first: [bool; 256],
    /// The first two bytes of the strings of two or more, 256 × 256 bits.
    pairs: Box<[u64; 1024]>,
}

impl Shape {
    fn empty() -> Shape {
        Shape {
            empty: true,
            one: [false; 256],
            first: [false; 256],
            pairs: Box::new([0; 1024]),
        }
    }

    fn nothing() -> Shape {
        Shape {
            empty: false,
            ..Shape::empty()
        }
    }

    fn add_pair(&mut self, a: u8, b: u8) {
        let i = usize::from(a) << 8 | usize::from(b);
        self.pairs[i >> 6] |= 1 << (i & 63);
    }

    /// Adds every pair of a byte in `a` and a byte in `b`.
    fn add_pairs(&mut self, a: &[bool; 256], b: &[bool; 256]) {
        let mut row = [0u64; 4];
        for (i, &x) in b.iter().enumerate() {
            if x {
                row[i >> 6] |= 1 << (i & 63);
            }
        }
        for (i, &x) in a.iter().enumerate() {
            if x {
                for (w, r) in self.pairs[i * 4..i * 4 + 4].iter_mut().zip(row) {
                    *w |= r;
                }
            }
        }
    }

    fn union(&mut self, other: &Shape) {
        self.empty |= other.empty;
        or(&mut self.one, &other.one);
        or(&mut self.first, &other.first);
        for (w, o) in self.pairs.iter_mut().zip(other.pairs.iter()) {
            *w |= o;
        }
    }

    /// The shape of this followed by `next`.
    fn then(mut self, next: &Shape) -> Shape {
        // A string of this of one byte, then a non-empty one of `next`.
        let one = self.one;
        self.add_pairs(&one, &next.first);
        if self.empty {
            for (w, o) in self.pairs.iter_mut().zip(next.pairs.iter()) {
                *w |= o;
            }
            or(&mut self.first, &next.first);
        }
        let mut ones = [false; 256];
        if next.empty {
            or(&mut ones, &self.one);
        }
        if self.empty {
            or(&mut ones, &next.one);
        }
        self.one = ones;
        self.empty &= next.empty;
        self
    }

    /// One or more of this, one after another.
    fn repeated(mut self) -> Shape {
        let one = self.one;
        let first = self.first;
        self.add_pairs(&one, &first);
        self
    }

    fn of(hir: &Hir) -> Shape {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => Shape::empty(),
            HirKind::Literal(lit) => {
                let mut s = Shape::nothing();
                match *lit.0 {
                    [] => s.empty = true,
                    [a] => {
                        s.one[usize::from(a)] = true;
                        s.first[usize::from(a)] = true;
                    }
                    [a, b, ..] => {
                        s.first[usize::from(a)] = true;
                        s.add_pair(a, b);
                    }
                }
                s
            }
            HirKind::Class(Class::Bytes(c)) => {
                let mut s = Shape::nothing();
                for r in c.iter() {
                    for b in r.start()..=r.end() {
                        s.one[usize::from(b)] = true;
                        s.first[usize::from(b)] = true;
                    }
                }
                s
            }
            HirKind::Class(Class::Unicode(c)) => {
                let mut s = Shape::nothing();
                let mut wide = false;
                for r in c.iter() {
                    let (lo, hi) = (r.start() as u32, r.end() as u32);
                    for b in lo.min(128)..hi.saturating_add(1).min(128) {
                        s.one[b as usize] = true;
                        s.first[b as usize] = true;
                    }
                    wide |= hi >= 128;
                }
                if wide {
                    // Any lead byte, then any continuation byte.
                    let mut lead = [false; 256];
                    let mut cont = [false; 256];
                    lead[0xC0..].iter_mut().for_each(|x| *x = true);
                    cont[0x80..0xC0].iter_mut().for_each(|x| *x = true);
                    or(&mut s.first, &lead);
                    s.add_pairs(&lead, &cont);
                }
                s
            }
            HirKind::Capture(cap) => Shape::of(&cap.sub),
            HirKind::Repetition(rep) => {
                if rep.max == Some(0) {
                    return Shape::empty();
                }
                let mut s = Shape::of(&rep.sub);
                if rep.max != Some(1) {
                    s = s.repeated();
                }
                s.empty |= rep.min == 0;
                s
            }
            HirKind::Concat(items) => items
                .iter()
                .fold(Shape::empty(), |acc, item| acc.then(&Shape::of(item))),
            HirKind::Alternation(items) => {
                let mut s = Shape::nothing();
                for item in items {
                    s.union(&Shape::of(item));
                }
                s
            }
        }
    }
}

fn or(a: &mut [bool; 256], b: &[bool; 256]) {
    a.iter_mut().zip(b).for_each(|(x, &y)| *x |= y);
}

/// The two-byte starts of a pattern's matches (see the module docs).
#[derive(Debug)]
pub(super) struct Starts {
    /// The bytes a match of one byte can be.
    one: [bool; 256],
    pairs: Box<[u64; 1024]>,
}

impl Starts {
    /// The starts of `hir`'s matches; `None` when it matches the empty
    /// string (a match can start anywhere).
    pub(super) fn of(hir: &Hir) -> Option<Starts> {
        let s = Shape::of(hir);
        (!s.empty).then_some(Starts {
            one: s.one,
            pairs: s.pairs,
        })
    }

    /// Whether a match may start at `at` in `text`, reading no further
    /// than `end`.
    #[inline]
    pub(super) fn may_start(&self, text: &[u8], at: usize, end: usize) -> bool {
        match (text.get(at), text.get(at + 1)) {
            (Some(&a), Some(&b)) if at + 1 < end => {
                let i = usize::from(a) << 8 | usize::from(b);
                self.pairs[i >> 6] & (1 << (i & 63)) != 0 || self.one[usize::from(a)]
            }
            (Some(&a), _) => self.one[usize::from(a)],
            (None, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(pattern: &str) -> Starts {
        let hir = regex_syntax::ParserBuilder::new()
            .crlf(true)
            .build()
            .parse(pattern)
            .unwrap();
        Starts::of(&hir).unwrap()
    }

    /// Every start the analysis rules out is one where the regex finds no
    /// match, over patterns of every construct and texts of their bytes.
    #[test]
    fn ruled_out_starts_never_match() {
        let patterns = [
            r"(?i-u:secret|token|api[_.-]?key)[A-Za-z0-9_.-]{0,24}\s*[=:]\s*([A-Za-z0-9]{8,})",
            r"(?:^|[^A-Za-z0-9_.])(sk-(?:[A-Za-z0-9-]{1,40}-)?[A-Za-z0-9]{20}T3BlbkFJ)",
            r"a?b*c+(?:de|f)",
            r"(?:ab){2,3}x|y",
            r"\bkey\b\s{0,3}é+z",
            r"[^a]b|\d{2}",
        ];
        let alphabet = b"abcdefxyzsktoenpSK-_.= 1234\n\xc3\xa9T3BlbkFJ";
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        for p in patterns {
            let s = starts(p);
            let re = regex_automata::meta::Regex::new(p).unwrap();
            let mut ruled_out = 0;
            for _ in 0..3000 {
                let len = 1 + (next() % 40) as usize;
                let bytes: Vec<u8> = (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                let Ok(text) = String::from_utf8(bytes) else { continue };
                for at in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                    let input = regex_automata::Input::new(&text)
                        .range(at..)
                        .anchored(regex_automata::Anchored::Yes);
                    if !s.may_start(text.as_bytes(), at, text.len()) {
                        ruled_out += 1;
                        assert!(re.find(input).is_none(), "{p} matches {text:?} at {at}");
                    }
                }
            }
            assert!(ruled_out > 100, "{p}: rules out too little to test ({ruled_out})");
        }
    }

    #[test]
    fn pairs_of_keywords_and_boundaries() {
        let s = starts(r"(?i-u:token|secret)=");
        assert!(s.may_start(b"TOken=", 0, 6) && s.may_start(b"se", 0, 2));
        assert!(!s.may_start(b"ta", 0, 2) && !s.may_start(b"xs", 0, 2));
        let s = starts(r"(?:^|[^A-Za-z])sk-");
        assert!(s.may_start(b" sk-", 0, 4) && s.may_start(b"sk-", 0, 3));
        assert!(!s.may_start(b"_x", 0, 2) && !s.may_start(b"ab", 0, 2));
    }
}
