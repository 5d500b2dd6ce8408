//! A parser for the small part of regex syntax the built-in folded rules
//! are written in, straight to `regex_syntax`'s HIR.
//!
//! Parsing is most of what building the injection guard costs, and most of
//! parsing is `regex_syntax` building, translating and dropping an abstract
//! syntax tree that these rules do not need. This parser builds the HIR
//! with the same smart constructors the translator calls, in the same
//! order, so the result is equal (`every_folded_rule_parses_the_same` checks
//! each built-in rule); anything it does not know, it leaves to
//! `regex_syntax` by returning `None`.
//!
//! Known: literal characters, `.`, escaped meta characters and `\xHH`,
//! `(?:…)`, `|`, `?`, `*`, `+`, `{m,n}` (greedy or lazy), `^`, `$`,
//! `(?-u:\b)`, and bracket classes of characters and ranges, possibly
//! negated.

use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Dot, Hir, Look, Repetition};

/// Groups nested deeper than this are left to `regex_syntax` (which has
/// its own limit and error).
const MAX_DEPTH: usize = 32;

/// The HIR of `pattern`, or `None` when it uses syntax this parser leaves to
/// `regex_syntax` (including every syntax error).
pub(super) fn parse(pattern: &str) -> Option<Hir> {
    let mut p = Parser {
        rest: pattern,
        depth: 0,
    };
    let hir = p.alternation()?;
    p.rest.is_empty().then_some(hir)
}

/// A character, or anything else.
enum Atom {
    Char(char),
    Hir(Hir),
}

struct Parser<'a> {
    rest: &'a str,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.rest.chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
    }

    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// Branches separated by `|`, up to the end or a `)`.
    fn alternation(&mut self) -> Option<Hir> {
        let mut branches = vec![self.concat()?];
        while self.eat("|") {
            branches.push(self.concat()?);
        }
        Some(if branches.len() == 1 {
            branches.pop()?
        } else {
            Hir::alternation(branches)
        })
    }

    /// Repeated atoms, up to `|`, `)` or the end.
    fn concat(&mut self) -> Option<Hir> {
        let mut items: Vec<Hir> = Vec::new();
        // Characters in a row become one literal (the translator makes one
        // per character and `Hir::concat` joins them: the same HIR).
        let mut run = String::new();
        loop {
            let atom = match self.peek() {
                None | Some('|' | ')') => break,
                Some(_) => self.atom()?,
            };
            match atom {
                Atom::Char(c) if !self.repeated() => run.push(c),
                atom => {
                    if !run.is_empty() {
                        items.push(Hir::literal(std::mem::take(&mut run).into_bytes()));
                    }
                    let hir = match atom {
                        Atom::Char(c) => literal(c),
                        Atom::Hir(hir) => hir,
                    };
                    items.push(self.repetition(hir)?);
                }
            }
        }
        if !run.is_empty() {
            items.push(Hir::literal(run.into_bytes()));
        }
        Some(Hir::concat(items))
    }

    /// Whether a repetition operator comes next.
    fn repeated(&self) -> bool {
        matches!(self.peek(), Some('?' | '*' | '+' | '{'))
    }

    fn atom(&mut self) -> Option<Atom> {
        if self.eat("(?-u:\\b)") {
            return self.assertion(Look::WordAscii).map(Atom::Hir);
        }
        if self.eat("(?:") {
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return None;
            }
            let inner = self.alternation()?;
            self.depth -= 1;
            return self.eat(")").then_some(Atom::Hir(inner));
        }
        match self.bump()? {
            // Other groups, flags and stray operators: not handled.
            '(' | ')' | '?' | '*' | '+' | '{' | '}' | ']' => None,
            '.' => Some(Atom::Hir(Hir::dot(Dot::AnyCharExceptLF))),
            '^' => self.assertion(Look::Start).map(Atom::Hir),
            '$' => self.assertion(Look::End).map(Atom::Hir),
            '[' => self.class().map(Atom::Hir),
            '\\' => Some(Atom::Char(self.escape()?)),
            c => Some(Atom::Char(c)),
        }
    }

    /// A look-around assertion; a repeated one is left to `regex_syntax`.
    fn assertion(&mut self, look: Look) -> Option<Hir> {
        (!self.repeated()).then(|| Hir::look(look))
    }

    /// A postfix operator on `atom`, if any.
    fn repetition(&mut self, atom: Hir) -> Option<Hir> {
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                let close = self.rest.find('}')?;
                let (lo, hi) = self.rest[1..close].split_once(',')?;
                let min: u32 = lo.parse().ok()?;
                let max: u32 = hi.parse().ok()?;
                if min > max || max > 1000 {
                    return None;
                }
                self.rest = &self.rest[close..];
                (min, Some(max))
            }
            _ => return Some(atom),
        };
        self.bump();
        let greedy = !self.eat("?");
        // Repeated operators are left to `regex_syntax`.
        if self.repeated() {
            return None;
        }
        Some(Hir::repetition(Repetition {
            min,
            max,
            greedy,
            sub: Box::new(atom),
        }))
    }

    /// After a `\`: escaped ASCII punctuation or `\xHH`.
    fn escape(&mut self) -> Option<char> {
        match self.bump()? {
            'x' => {
                let hex = self.rest.get(..2)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                self.rest = &self.rest[2..];
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)
            }
            // Escaped meta characters are always literal (other escapes,
            // such as `\<`, can mean something else).
            c if regex_syntax::is_meta_character(c) => Some(c),
            _ => None,
        }
    }

    /// After a `[`: characters and ranges up to `]`.
    fn class(&mut self) -> Option<Hir> {
        let negated = self.eat("^");
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let (c, escaped) = match self.bump()? {
                ']' if !first => break,
                // Nested classes, POSIX classes and set operations.
                '[' | ']' => return None,
                c @ ('&' | '~') if self.peek() == Some(c) => return None,
                '\\' => (self.escape()?, true),
                c => (c, false),
            };
            // A bare `-` is literal only first or last.
            if c == '-' && !escaped && !first && self.peek() != Some(']') {
                return None;
            }
            first = false;
            // `a-z`, but a `-` before the closing `]` is literal.
            let end = if self.rest.starts_with('-') && !self.rest[1..].starts_with(']') {
                self.bump();
                match self.bump()? {
                    '[' | ']' | '-' => return None,
                    '\\' => self.escape()?,
                    e => e,
                }
            } else {
                c
            };
            if end < c {
                return None;
            }
            ranges.push(ClassUnicodeRange::new(c, end));
        }
        let mut class = ClassUnicode::new(ranges);
        if negated {
            class.negate();
        }
        Some(Hir::class(Class::Unicode(class)))
    }
}

fn literal(c: char) -> Hir {
    let mut buf = [0; 4];
    Hir::literal(c.encode_utf8(&mut buf).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_regex_syntax(p: &str) -> Hir {
        regex_syntax::ParserBuilder::new().utf8(true).build().parse(p).unwrap()
    }

    #[test]
    fn every_folded_rule_parses_the_same() {
        for rule in super::super::rules::FOLDED {
            let p = super::super::fold_pattern(rule.pattern);
            let quick = parse(&p).unwrap_or_else(|| panic!("{}: not handled", rule.id));
            assert_eq!(quick, by_regex_syntax(&p), "{}", rule.id);
        }
    }

    #[test]
    fn clean_rules_parse_the_same_or_are_left_alone() {
        for rule in super::super::rules::CLEAN {
            if let Some(quick) = parse(rule.pattern) {
                assert_eq!(quick, by_regex_syntax(rule.pattern), "{}", rule.id);
            }
        }
    }

    #[test]
    fn handled_syntax_parses_the_same() {
        for p in [
            "abc",
            "a|b|c",
            "(?:ab|ac)d?",
            "x{0,3}y+z*",
            "(?:(?:all|any) ){0,3}the",
            "^start|end$",
            "(?-u:\\b)word(?-u:\\b)",
            "[a-z0-9._%+-]+@[a-z]",
            "[^ .!?]+",
            "[.!:\\-=#\\]]",
            "[-a]",
            "\\x20?\\.\\[\\]",
            "é+ü|ж",
            "",
            "a||b",
            "(?:)",
            ".{0,30}?b",
            "a??c+?d*?",
        ] {
            let quick = parse(p).unwrap_or_else(|| panic!("{p:?}: not handled"));
            assert_eq!(quick, by_regex_syntax(p), "{p:?}");
        }
    }

    #[test]
    fn other_syntax_is_left_to_regex_syntax() {
        for p in [
            "(a)",
            "(?i)a",
            "(?m)^a",
            "(?s).",
            "\\s",
            "\\d",
            "\\b",
            "a???",
            "a+??",
            "a{3}",
            "a{2,}",
            "[[:alpha:]]",
            "[a&&b]",
            "[a--b]",
            "[a-]b]",
            "(?:a",
            "a)",
            "[a",
            "[z-a]",
            "\\xZZ",
            "\\q",
            "\\<",
            "*a",
            "a{5,2}",
            "^*",
            "(?-u:\\b)?",
            "[a-b-c]",
            "[]a]",
        ] {
            assert!(parse(p).is_none(), "{p:?}");
        }
    }

    /// Random strings of syntax pieces: whatever this parser accepts,
    /// `regex_syntax` accepts and parses to the same HIR.
    #[test]
    fn random_patterns_parse_the_same_or_are_left_alone() {
        const PIECES: &[&str] = &[
            "a",
            "b",
            "é",
            "ж",
            " ",
            "-",
            "|",
            "(?:",
            ")",
            "?",
            "*",
            "+",
            "{0,3}",
            "{2,1}",
            "{1,1}",
            "[",
            "]",
            "^",
            "$",
            "\\.",
            "\\-",
            "\\]",
            "\\x20",
            "(?-u:\\b)",
            "a-z",
            "[^",
            "&&",
            ".",
        ];
        let mut next = crate::testing::xorshift(0x5eed_9a75);
        let mut accepted = 0;
        for _ in 0..100_000 {
            let len = (next() % 12) as usize;
            let p: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            if let Some(quick) = parse(&p) {
                accepted += 1;
                let full = regex_syntax::ParserBuilder::new().utf8(true).build().parse(&p);
                assert_eq!(Some(&quick), full.as_ref().ok(), "{p:?}");
            }
        }
        // Enough of them are accepted for the comparison to mean something.
        assert!(accepted > 10_000, "{accepted}");
    }
}
