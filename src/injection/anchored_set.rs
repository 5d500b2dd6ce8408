//! A set of rules searched only anchored, at positions chosen beforehand.
//!
//! The meta regex also builds a reverse automaton (to find where an
//! unanchored match starts), a literal prefilter and capture states; an
//! anchored search needs none of them, and they are most of the build. A
//! forward lazy DFA gives the end and the rule of the leftmost-first match
//! from a known start.

use std::ops::Range;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, NFA, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::Hir;

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// Compiled rules and a pool of per-thread search caches.
pub(super) struct AnchoredSet {
    dfa: DFA,
    caches: CachePool,
}

impl AnchoredSet {
    /// Compiles `hirs` as one set; a match reports its index in `hirs`.
    pub(super) fn new(hirs: &[Hir]) -> Result<AnchoredSet, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                NFA::config()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(64 << 20)),
            )
            .build_many_from_hir(hirs)
            .map_err(|e| e.to_string())?;
        // The cache is bounded (it is cleared when full) and, with no
        // minimum clear count and no Unicode word boundary (the build fails
        // on one), a search never gives up or quits: it cannot fail.
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .cache_capacity(8 << 20)
                    .minimum_cache_clear_count(None),
            )
            .build_from_nfa(nfa)
            .map_err(|e| e.to_string())?;
        let d = dfa.clone();
        let create: Box<dyn Fn() -> Cache + Send + Sync> = Box::new(move || d.create_cache());
        Ok(AnchoredSet {
            dfa,
            caches: Pool::new(create),
        })
    }

    /// A searcher holding this thread's cache: take one per text, not per
    /// search (taking a cache from the pool is a lock off its first
    /// thread).
    pub(super) fn searcher(&self) -> Searcher<'_> {
        Searcher {
            dfa: &self.dfa,
            cache: self.caches.get(),
        }
    }

    /// One search (see [`Searcher::search`]).
    #[cfg(test)]
    fn search(&self, hay: &str, range: Range<usize>) -> Option<(usize, usize)> {
        self.searcher().search(hay, range)
    }
}

/// Searches an [`AnchoredSet`] with one cache.
pub(super) struct Searcher<'a> {
    dfa: &'a DFA,
    cache: PoolGuard<'a, Cache, Box<dyn Fn() -> Cache + Send + Sync>>,
}

impl Searcher<'_> {
    /// The rule and end of the leftmost-first match starting exactly at
    /// `range.start` and ending by `range.end` (a char boundary).
    pub(super) fn search(&mut self, hay: &str, range: Range<usize>) -> Option<(usize, usize)> {
        let input = Input::new(hay).range(range).anchored(Anchored::Yes);
        // Cannot fail (see `AnchoredSet::new`).
        let found = self.dfa.try_search_fwd(&mut self.cache, &input).ok()??;
        Some((found.pattern().as_usize(), found.offset()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hirs(patterns: &[&str]) -> Vec<Hir> {
        patterns.iter().map(|p| regex_syntax::parse(p).unwrap()).collect()
    }

    /// The same answers as the meta regex the set replaces, anchored and
    /// leftmost-first, on every start of a text.
    #[test]
    fn agrees_with_the_meta_regex() {
        let patterns = [
            "ignore (?:all )?previous",
            "ignore",
            "a+b",
            "(?-u:\\b)you are now",
            "忽略(?:你)?",
        ];
        let set = AnchoredSet::new(&hirs(&patterns)).unwrap();
        let meta = regex_automata::meta::Regex::builder()
            .configure(regex_automata::meta::Regex::config().match_kind(MatchKind::LeftmostFirst))
            .build_many(&patterns)
            .unwrap();
        let text = "please ignore all previous aaab, you are now 忽略你 ignore";
        for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let input = Input::new(text).range(start..text.len()).anchored(Anchored::Yes);
            let want = meta.search(&input).map(|m| (m.pattern().as_usize(), m.end()));
            assert_eq!(set.search(text, start..text.len()), want, "at {start}");
        }
    }

    /// A cache far too small for the rules still answers like the meta
    /// regex: it is cleared and refilled, and never gives up.
    #[test]
    fn a_thrashing_cache_still_answers() {
        let patterns: Vec<String> = (0..200).map(|i| format!("w{i}(?:[a-z]+ ){{0,3}}end{i}")).collect();
        let hirs: Vec<Hir> = patterns.iter().map(|p| regex_syntax::parse(p).unwrap()).collect();
        let mut set = AnchoredSet::new(&hirs).unwrap();
        let small = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .cache_capacity(0)
                    .skip_cache_capacity_check(true)
                    .minimum_cache_clear_count(None),
            )
            .build_from_nfa(set.dfa.get_nfa().clone())
            .unwrap();
        let d = small.clone();
        set.caches = Pool::new(Box::new(move || d.create_cache()));
        set.dfa = small;
        for i in (0..200).step_by(7) {
            let text = format!("w{i}abc def ghi end{i} tail");
            assert_eq!(set.search(&text, 0..text.len()), Some((i, text.len() - 5)), "{text}");
            assert_eq!(set.search(&text, 1..text.len()), None);
        }
    }
}
