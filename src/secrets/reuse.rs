//! Reusing a check's work in its settle rounds.
//!
//! A settle round checks the sanitized text again (see
//! [`Guard::check_input`](crate::Guard::check_input)), and that text is the
//! one before it with a few spans rewritten. Far from those rewrites the
//! bytes are the same, so the anchor hits and the matches found there are
//! the same, shifted. The guard keeps its anchor hits and what each hit's
//! searches matched (each window's, for rules searched window by window:
//! [`Kept`]); the next round scans for anchors only around the rewrites,
//! searches again only where a search reads bytes near them, and replays
//! the rest.
//! The result is exactly what a fresh scan finds: which hits and windows
//! count as far is decided from how far the scan and the validators read.

use std::ops::Range;

use crate::redact::Edit;

/// How far around an anchor hit its filters read: the redaction-label test
/// reads the 64 bytes either side and the byte past them. A hit further
/// than this from every edit reads the same bytes in both texts.
pub(super) const HIT_REACH: usize = 65;

/// How far around a window its search and validators read (a key name is
/// read up to 90 bytes before a match, look-around one byte), with room.
pub(super) const WINDOW_REACH: usize = 128;

/// Groups and matches replayed, for the tests to tell that they exercise
/// replays.
#[cfg(test)]
pub(super) static REPLAYED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// One anchor hit of one rule, and the window its rule is searched in.
/// Ordered by rule rank, then position: the order windows are searched in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Window {
    pub(super) rank: u32,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) hit: usize,
    pub(super) hit_end: usize,
}

/// What validating one match gave.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Checked {
    /// Not validated: a stronger rule had claimed its value.
    Pending,
    Rejected,
    /// The secret's span and score.
    Valid {
        start: usize,
        end: usize,
        score: f32,
    },
}

/// One match of a rule's pattern in a window (not cut by its edge).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Match {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) checked: Checked,
}

impl Match {
    fn shifted(self, by: isize) -> Match {
        let at = |i: usize| i.wrapping_add_signed(by);
        Match {
            start: at(self.start),
            end: at(self.end),
            checked: match self.checked {
                Checked::Valid { start, end, score } => Checked::Valid {
                    start: at(start),
                    end: at(end),
                    score,
                },
                other => other,
            },
        }
    }
}

/// One searched window (hits of one rule merged): its matches are
/// `Kept::matches[matches]`.
#[derive(Clone, Debug)]
pub(super) struct Group {
    pub(super) rank: u32,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) windows: usize,
    pub(super) matches: Range<usize>,
}

/// One anchor hit's run of anchored searches (see `Engine::search_at`):
/// the starts `first..=hit` (those not tried for an earlier hit), each
/// searched up to `end`; its matches are `Kept::matches[matches]`, and
/// `next` is the first start left untried after it.
#[derive(Clone, Debug)]
pub(super) struct Run {
    pub(super) rank: u32,
    pub(super) hit: usize,
    pub(super) first: usize,
    pub(super) end: usize,
    /// Whether `first` is its window's start (a match starting there is
    /// taken for one the window cut).
    pub(super) at_window_start: bool,
    pub(super) matches: Range<usize>,
    pub(super) next: usize,
}

/// The work one check of a text leaves for the next round: its windows
/// (sorted), the matches of the rules searched window by window (per
/// group) and of the rules searched from each hit (per run).
#[derive(Debug, Default)]
pub(super) struct Kept {
    pub(super) windows: Vec<Window>,
    pub(super) groups: Vec<Group>,
    pub(super) runs: Vec<Run>,
    pub(super) matches: Vec<Match>,
}

impl Kept {
    /// The earlier run that searched what `run` (this text's, its matches
    /// not yet known) would search, and how far it moved: one whose starts
    /// and bound are the same bytes, with no edit within reach of what its
    /// searches and validators read. `cursor` walks the runs in order
    /// across calls made in search order.
    pub(super) fn run(&self, cursor: &mut usize, shift: &Shift<'_>, run: &Run) -> Option<(&Run, isize)> {
        let by = shift.unedited_window(run.first, run.end)?;
        let at = |i: usize| i.wrapping_add_signed(-by);
        let key = (run.rank, at(run.hit));
        while self.runs.get(*cursor).is_some_and(|r| (r.rank, r.hit) < key) {
            *cursor += 1;
        }
        self.runs[*cursor..]
            .iter()
            .take_while(|r| (r.rank, r.hit) == key)
            .find(|r| r.first == at(run.first) && r.end == at(run.end) && r.at_window_start == run.at_window_start)
            .map(|r| (r, by))
    }

    /// The matches of the group that searched `start..end` (this text's
    /// coordinates) for rule `rank` over `windows` windows, if there was
    /// one. `cursor` walks the groups in order across calls made in
    /// search order.
    pub(super) fn group(
        &self,
        cursor: &mut usize,
        rank: u32,
        start: usize,
        end: usize,
        windows: usize,
    ) -> Option<&[Match]> {
        while self
            .groups
            .get(*cursor)
            .is_some_and(|g| (g.rank, g.start) < (rank, start))
        {
            *cursor += 1;
        }
        let g = self.groups.get(*cursor)?;
        (g.rank == rank && g.start == start && g.end == end && g.windows == windows)
            .then(|| &self.matches[g.matches.clone()])
    }
}

/// The rewrites from the text a [`Kept`] describes (old) to this one (new).
pub(super) struct Shift<'e> {
    edits: &'e [Edit],
    /// `grow[i]`: how many bytes longer the text is after the first `i`
    /// edits.
    grow: Vec<isize>,
}

impl<'e> Shift<'e> {
    pub(super) fn new(edits: &'e [Edit]) -> Shift<'e> {
        let mut grow = Vec::with_capacity(edits.len() + 1);
        let mut total = 0isize;
        grow.push(0);
        for e in edits {
            total += e.new.len() as isize - e.old.len() as isize;
            grow.push(total);
        }
        Shift { edits, grow }
    }

    /// Where an old hit `start..end` is in the new text (how far it moved),
    /// unless an edit lies within [`HIT_REACH`] of it.
    pub(super) fn far_old_hit(&self, start: usize, end: usize) -> Option<isize> {
        let i = self.edits.partition_point(|e| e.old.end + HIT_REACH <= start);
        match self.edits.get(i) {
            Some(e) if e.old.start < end + HIT_REACH => None,
            _ => Some(self.grow[i]),
        }
    }

    /// Whether an edit lies within [`HIT_REACH`] of the new hit
    /// `start..end` (the test [`Shift::far_old_hit`] makes, in the new
    /// text: the bytes between a hit and an edit are the same in both).
    pub(super) fn near_new_hit(&self, start: usize, end: usize) -> bool {
        let i = self.edits.partition_point(|e| e.new.end + HIT_REACH <= start);
        self.edits.get(i).is_some_and(|e| e.new.start < end + HIT_REACH)
    }

    /// The regions of the new text to scan for anchors again: each edit
    /// with `pad` bytes either side, merged, within `0..len`.
    pub(super) fn regions(&self, len: usize, pad: usize) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for e in self.edits {
            let r = e.new.start.saturating_sub(pad)..(e.new.end + pad).min(len);
            match out.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => out.push(r),
            }
        }
        out
    }

    /// How far the new window `start..end` moved from the old text, when no
    /// edit touches it or comes within [`WINDOW_REACH`] of it (so its bytes,
    /// and all its search and validators read, are the old ones).
    pub(super) fn unedited_window(&self, start: usize, end: usize) -> Option<isize> {
        let i = self.edits.partition_point(|e| e.new.end + WINDOW_REACH < start);
        match self.edits.get(i) {
            Some(e) if e.new.start <= end + WINDOW_REACH => None,
            _ => Some(self.grow[i]),
        }
    }
}

/// Shifts matches found in the old text by `by` bytes.
pub(super) fn shifted(matches: &[Match], by: isize) -> impl Iterator<Item = Match> + '_ {
    matches.iter().map(move |m| m.shifted(by))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Profile;
    use crate::secrets::{Candidate, SecretsConfig, builtin_rules, synthesize};

    fn spans(found: &[Candidate]) -> Vec<(usize, usize, u32, u32)> {
        found
            .iter()
            .map(|c| (c.start, c.end, c.rule, c.score.to_bits()))
            .collect()
    }

    /// An edit before a window but within the name a validator reads
    /// (`cache_…_key` names no credential) is not replayed over.
    #[test]
    fn an_edit_to_the_name_before_a_window_is_seen() {
        let guard = SecretsConfig::default().build(Profile::Input).unwrap();
        let engine = &guard.engine;
        let value = synthesize("{a:20}", 7);
        for (old_word, new_word) in [("cache", "yyyyy"), ("yyyyy", "cache")] {
            let name = "partition_index_value_store_xxxxxxxxxxxxxxxx_key";
            let old = format!("x {old_word}_{name} = \"{value}\"");
            let new = format!("x {new_word}_{name} = \"{value}\"");
            let (_, kept) = engine.candidates_after(&old, None);
            let edits = [Edit { old: 2..7, new: 2..7 }];
            let (again, _) = engine.candidates_after(&new, Some((&kept, &Shift::new(&edits))));
            assert_eq!(spans(&again), spans(&engine.candidates(&new)), "{new}");
            assert_eq!(again.is_empty(), new_word == "cache", "{new}");
        }
    }

    /// Texts of rule examples, anchor words and filler, rewritten at random
    /// spans (found secrets and arbitrary ones, with labels, removals, other
    /// rule examples and anchor words written in): a round that reuses the
    /// work of the text before finds exactly what a fresh scan finds, over
    /// three rounds.
    #[test]
    fn reusing_a_round_finds_what_a_fresh_scan_finds() {
        let guard = SecretsConfig::default().build(Profile::Input).unwrap();
        let engine = &guard.engine;
        let rules = builtin_rules();
        let mut rng = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut next = move |n: usize| (rng() % n.max(1) as u64) as usize;
        let words = [
            " ",
            "\n",
            " password = ",
            "token: ",
            "\"secret\": \"",
            "api_key=",
            "[SECRET_TOKEN]",
            "key",
            "é",
            "-----BEGIN RSA PRIVATE KEY-----\n",
            "-----END RSA PRIVATE KEY-----",
            "https://user:",
            "@host/db",
            "ghp_",
            "AKIA",
            "sk-",
            "xoxb-",
            "Authorization: Basic ",
            "the quick brown fox ",
            "cache_",
            "primary_",
            "my_service_name_and_more_",
            "stripe ",
        ];
        let piece = |next: &mut dyn FnMut(usize) -> usize| -> String {
            if next(3) == 0 {
                let r = &rules[next(rules.len())];
                synthesize(&r.examples[next(r.examples.len())], next(1000) as u64)
            } else {
                words[next(words.len())].to_string()
            }
        };
        let mut reused_groups = 0;
        for round in 0..400 {
            let mut text = String::new();
            while text.len() < 300 + next(3000) {
                text.push_str(&piece(&mut next));
            }
            let (mut found, mut kept) = engine.candidates_after(&text, None);
            for depth in 0..3 {
                // Rewrite some found secrets and some arbitrary spans.
                let mut cuts: Vec<Range<usize>> =
                    found.iter().filter(|_| next(3) > 0).map(|c| c.start..c.end).collect();
                // Edits just before a secret change the name it is
                // assigned to, which validators read.
                for c in &found {
                    if next(2) == 0 {
                        let a = c.start.saturating_sub(1 + next(100));
                        cuts.push(a..(a + next(3)).min(c.start));
                    }
                }
                for _ in 0..next(4) {
                    let a = next(text.len() + 1);
                    let b = (a + next(40)).min(text.len());
                    cuts.push(a..b);
                }
                cuts.retain(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                cuts.sort_by_key(|r| (r.start, r.end));
                let mut edits = Vec::new();
                let mut out = String::new();
                let mut at = 0;
                for r in cuts {
                    if r.start < at {
                        continue;
                    }
                    out.push_str(&text[at..r.start]);
                    let written = match next(6) {
                        0 => String::new(),
                        1 => ["x", "cache_", "my_", "-", " ", "db."][next(6)].to_string(),
                        2 => "[SECRET_GITHUB_TOKEN]".to_string(),
                        3 => piece(&mut next),
                        _ => "[SECRET_GITHUB_TOKEN]".to_string(),
                    };
                    let new_start = out.len();
                    out.push_str(&written);
                    edits.push(Edit {
                        old: r.clone(),
                        new: new_start..out.len(),
                    });
                    at = r.end;
                }
                out.push_str(&text[at..]);
                let shift = Shift::new(&edits);
                let (again, again_kept) = engine.candidates_after(&out, Some((&kept, &shift)));
                let fresh = engine.candidates(&out);
                assert_eq!(spans(&again), spans(&fresh), "round {round} depth {depth}:\n{out}");
                reused_groups += kept.groups.len();
                (text, found, kept) = (out, again, again_kept);
            }
        }
        let replayed = REPLAYED.load(std::sync::atomic::Ordering::Relaxed);
        assert!(
            replayed > 1000,
            "the texts exercise few replays: {replayed} of {reused_groups}"
        );
    }

    fn edit(old: Range<usize>, new: Range<usize>) -> Edit {
        Edit { old, new }
    }

    #[test]
    fn far_hits_move_by_the_edits_before_them() {
        // 0..10 became 0..3, 500..510 became 493..493 (removed).
        let edits = [edit(0..10, 0..3), edit(500..510, 493..493)];
        let s = Shift::new(&edits);
        assert_eq!(s.far_old_hit(300, 305), Some(-7));
        assert_eq!(s.far_old_hit(80, 85), Some(-7)); // 0..10 is 70 bytes before
        assert_eq!(s.far_old_hit(900, 905), Some(-17));
        assert_eq!(s.far_old_hit(60, 65), None); // within reach of 0..10
        assert_eq!(s.far_old_hit(560, 565), None); // within reach of 500..510
        assert!(!s.near_new_hit(293, 298));
        assert!(s.near_new_hit(50, 55));
        assert!(s.near_new_hit(540, 545));
        assert_eq!(s.unedited_window(300, 340), Some(-7));
        assert_eq!(s.unedited_window(300, 400), None);
        assert_eq!(s.regions(1000, 50), [0..53, 443..543]);
        assert_eq!(s.regions(520, 50), [0..53, 443..520]);
    }
}
