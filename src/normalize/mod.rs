//! One normalized view of the text, with an offset map back to the original.
//!
//! Detectors that match keywords want `ignore` to match `ＩＧＮ​ＯＲＥ` and
//! `іgnоrе` (Cyrillic); detectors that report spans must point at the bytes the
//! caller sent. A [`View`] is both: normalized text plus, for every byte of it,
//! the range of original bytes that produced it.
//!
//! Views are built lazily by [`Input`](crate::Input), once per check, and
//! shared by every guard in a pipeline. Text that normalization would not
//! change (the common case: plain ASCII for [`ViewKind::Clean`]) is borrowed,
//! with an identity map, and costs nothing.

mod map;
mod tables;

use map::OffsetMap;

use tables::is_dropped;
pub(crate) use tables::{has_bad_ascii_control, is_bad_control, is_ignorable, is_private_use};

use std::borrow::Cow;
use std::ops::Range;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Which normalized view a detector asks for.
///
/// ```
/// use palisade::{Input, ViewKind};
/// let input = Input::new("ＩＧＮ\u{200B}ＯＲＥ all previous");
/// assert_eq!(input.view(ViewKind::Folded).as_str(), "ignore all previous");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViewKind {
    /// NFKC, invisible (default-ignorable) characters removed, decimal digits
    /// of every script folded to ASCII. Case and spacing kept: for PII and
    /// secrets.
    Clean,
    /// `Clean`, then lowercased, non-ASCII confusables mapped to their UTS #39
    /// skeleton (`іgnоrе` → `ignore`), leetspeak inside words folded
    /// (`ign0re` → `ignore`), whitespace runs collapsed to one space: for
    /// keyword and phrase matching.
    Folded,
    /// `Folded` with everything but letters and digits removed
    /// (`i g n o r e` → `ignore`): for spaced-out text and canaries.
    Compact,
}

/// Options for building a [`View`]; [`ViewKind`] names the three standard
/// combinations.
#[derive(Clone, Copy, Debug, Default)]
struct Options {
    lowercase: bool,
    skeleton: bool,
    leet: bool,
    collapse_whitespace: bool,
    alnum_only: bool,
}

impl Options {
    fn for_kind(kind: ViewKind) -> Options {
        Options::for_kind_const(kind)
    }

    const fn for_kind_const(kind: ViewKind) -> Options {
        match kind {
            ViewKind::Clean => Options {
                lowercase: false,
                skeleton: false,
                leet: false,
                collapse_whitespace: false,
                alnum_only: false,
            },
            ViewKind::Folded => Options {
                lowercase: true,
                skeleton: true,
                leet: true,
                collapse_whitespace: true,
                alnum_only: false,
            },
            ViewKind::Compact => Options {
                lowercase: true,
                skeleton: true,
                leet: true,
                collapse_whitespace: true,
                alnum_only: true,
            },
        }
    }
}

/// Normalized text and the map from its bytes to the original's.
///
/// ```
/// use palisade::{View, ViewKind};
/// let original = "pass\u{200B}word";
/// let view = View::new(original, ViewKind::Clean);
/// assert_eq!(view.as_str(), "password");
/// let at = view.as_str().find("word").unwrap();
/// // The span maps back over the original bytes, zero-width space excluded.
/// assert_eq!(&original[view.to_original(at..at + 4)], "word");
/// ```
#[derive(Clone, Debug)]
pub struct View<'a> {
    text: Cow<'a, str>,
    original_len: usize,
    // `None` means the identity map.
    map: Option<OffsetMap>,
}

impl<'a> View<'a> {
    /// Builds the view of `original`. Costs one pass; borrows when nothing
    /// changes.
    ///
    /// ```
    /// use palisade::{View, ViewKind};
    /// let text = "Ｐａｓｓ  ｗｏｒｄ";
    /// assert_eq!(View::new(text, ViewKind::Clean).as_str(), "Pass  word");
    /// assert_eq!(View::new(text, ViewKind::Folded).as_str(), "pass word");
    /// assert_eq!(View::new(text, ViewKind::Compact).as_str(), "password");
    /// ```
    pub fn new(original: &'a str, kind: ViewKind) -> View<'a> {
        let opts = Options::for_kind(kind);
        if is_unchanged(original, &opts) {
            return View {
                text: Cow::Borrowed(original),
                original_len: original.len(),
                map: None,
            };
        }
        build(original, &opts)
    }

    /// The normalized text.
    ///
    /// ```
    /// use palisade::{View, ViewKind};
    /// // `e` and a combining accent compose to one `é` (NFKC).
    /// assert_eq!(View::new("Cafe\u{301}", ViewKind::Clean).as_str(), "Café");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// True when the view is the original text itself (borrowed, and its
    /// offsets need no mapping).
    ///
    /// ```
    /// use palisade::{View, ViewKind};
    /// assert!(View::new("Plain ASCII", ViewKind::Clean).is_identity());
    /// assert!(!View::new("Plain ASCII", ViewKind::Folded).is_identity());
    /// assert!(!View::new("zero\u{200B}width", ViewKind::Clean).is_identity());
    /// ```
    pub fn is_identity(&self) -> bool {
        self.map.is_none()
    }

    /// Maps a byte range of the view to the smallest range of the original
    /// that covers every character which produced it. The result always lies
    /// on character boundaries of the original.
    ///
    /// ```
    /// use palisade::{View, ViewKind};
    /// let original = "say ｈｉ";
    /// let view = View::new(original, ViewKind::Folded);
    /// assert_eq!(view.as_str(), "say hi");
    /// // Two view bytes, two full-width characters of three bytes each.
    /// assert_eq!(view.to_original(4..6), 4..10);
    /// assert_eq!(&original[view.to_original(4..6)], "ｈｉ");
    /// ```
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        match &self.map {
            None => range.start.min(self.original_len)..range.end.min(self.original_len),
            Some(map) => map.to_original(range, self.original_len),
        }
    }

    /// Maps one byte offset of the view to the original (the start of the
    /// character that produced it, or the end of the text).
    ///
    /// ```
    /// use palisade::{View, ViewKind};
    /// let view = View::new("ＡＢ", ViewKind::Folded);
    /// assert_eq!(view.as_str(), "ab");
    /// assert_eq!(view.offset_to_original(1), 3); // Ｂ starts at byte 3
    /// ```
    pub fn offset_to_original(&self, offset: usize) -> usize {
        self.to_original(offset..offset).start
    }
}

/// Whether building the view would return the original unchanged.
fn is_unchanged(text: &str, opts: &Options) -> bool {
    let ascii = text.is_ascii();
    if !opts.lowercase {
        // Clean: only non-ASCII text can change.
        return if ascii {
            !has_bad_ascii_control(text.as_bytes())
        } else {
            clean_is_unchanged(text)
        };
    }
    if !ascii || has_bad_ascii_control(text.as_bytes()) {
        return false;
    }
    let bytes = text.as_bytes();
    let mut prev_space = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_uppercase() {
            return false;
        }
        let space = b.is_ascii_whitespace();
        if space && (b != b' ' || prev_space) {
            return false;
        }
        if opts.alnum_only && !b.is_ascii_alphanumeric() {
            return false;
        }
        if opts.leet {
            let left = (i > 0).then(|| bytes[i - 1] as char);
            let right = bytes.get(i + 1).map(|&r| r as char);
            if leet_applies(b as char, left, right) {
                return false;
            }
        }
        prev_space = space;
    }
    true
}

/// Whether the clean view of non-ASCII `text` is `text` itself: NFKC (by
/// the quick check) with nothing to drop or fold. ASCII runs only need the
/// control test: an ASCII character resets the quick check's state (it is
/// a starter that is always allowed), so each non-ASCII run is checked on
/// its own and the text is unchanged when every run is.
fn clean_is_unchanged(text: &str) -> bool {
    // ASCII stretches shorter than this stay inside the non-ASCII run
    // around them (spaces between words): checked with it, one call.
    const LONG_ASCII: usize = 32;
    let bytes = text.as_bytes();
    let n = bytes.len();
    let next_non_ascii = |from: usize| bytes[from..].iter().position(|&b| b >= 0x80).map_or(n, |o| from + o);
    let next_ascii = |from: usize| bytes[from..].iter().position(|&b| b < 0x80).map_or(n, |o| from + o);
    let mut i = 0;
    while i < n {
        let k = next_non_ascii(i);
        if has_bad_ascii_control(&bytes[i..k]) {
            return false;
        }
        if k == n {
            break;
        }
        // A run from `k` until a long ASCII stretch (ASCII bytes never
        // occur inside a multi-byte character: both ends are char
        // boundaries).
        let mut end = k;
        loop {
            end = next_ascii(end);
            if end == n {
                break;
            }
            let ascii_end = next_non_ascii(end);
            if ascii_end == n || ascii_end - end >= LONG_ASCII {
                break;
            }
            end = ascii_end;
        }
        let run = &text[k..end];
        if is_nfkc_quick(run.chars()) != IsNormalized::Yes || run.chars().any(needs_clean) {
            return false;
        }
        i = end;
    }
    true
}

/// Leetspeak folds only inside words: a digit next to a letter (`ign0re`,
/// `h3llo`), a symbol before a letter (`$ecret`, `pa$$word`), never trailing
/// punctuation (`done!`) or numbers in prose (`4 items`).
fn leet_applies(c: char, left: Option<char>, right: Option<char>) -> bool {
    if tables::fold_leet(c).is_none() {
        return false;
    }
    let letter = |x: Option<char>| x.is_some_and(char::is_alphabetic);
    let leet = |x: Option<char>| x.is_some_and(|x| tables::fold_leet(x).is_some());
    if c.is_ascii_digit() {
        letter(left) || letter(right)
    } else {
        letter(right) || (letter(left) && leet(right))
    }
}

fn needs_clean(c: char) -> bool {
    is_dropped(c) || tables::fold_digit(c).is_some()
}

struct Builder {
    out: String,
    map: OffsetMap,
}

impl Builder {
    #[inline]
    fn push(&mut self, c: char, src: (u32, u32)) {
        self.out.push(c);
        self.map.push(c.len_utf8(), 1, src);
    }

    /// Several characters from one original character (a skeleton or a
    /// lowercase expansion).
    fn push_many(&mut self, chars: impl Iterator<Item = char>, src: (u32, u32)) {
        let (before, mut n) = (self.out.len(), 0);
        for c in chars {
            self.out.push(c);
            n += 1;
        }
        if n > 0 {
            self.map.push(self.out.len() - before, n, src);
        }
    }
}

/// Per ASCII byte, for one combination of options: the byte is kept as is
/// (lowercased if asked) and leaves no space pending: not a dropped
/// control, not whitespace being collapsed, not a leetspeak candidate, not
/// a symbol the compact view removes.
const fn plain_bytes(opts: Options) -> [bool; 128] {
    let mut t = [false; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        let control = (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x1C..=0x1F)) || b == 0x7F;
        let leet = matches!(
            b,
            b'0' | b'1' | b'!' | b'|' | b'3' | b'4' | b'@' | b'5' | b'$' | b'7' | b'8' | b'9'
        );
        let collapsed = opts.collapse_whitespace && b.is_ascii_whitespace();
        let folded = opts.leet && leet;
        let removed = opts.alnum_only && !b.is_ascii_alphanumeric();
        t[i] = !(control || collapsed || folded || removed);
        i += 1;
    }
    t
}

const CLEAN_PLAIN: [bool; 128] = plain_bytes(Options::for_kind_const(ViewKind::Clean));
const FOLDED_PLAIN: [bool; 128] = plain_bytes(Options::for_kind_const(ViewKind::Folded));
const COMPACT_PLAIN: [bool; 128] = plain_bytes(Options::for_kind_const(ViewKind::Compact));

/// The fast path for ASCII text: no NFKC, no skeleton, no digit folding
/// (none applies to ASCII). Every kept byte maps to one original byte, so
/// the map only records where bytes were dropped.
fn build_ascii<'a>(original: &'a str, opts: &Options) -> View<'a> {
    let mut out = Vec::with_capacity(original.len());
    let mut map = OffsetMap::default();
    let mut prev_space = true;
    let run = AsciiRun {
        bytes: original.as_bytes(),
        start: 0,
        end: original.len(),
        left: None,
        right: None,
    };
    fold_ascii_run(&run, opts, &mut prev_space, &mut out, &mut map);
    View {
        text: Cow::Owned(String::from_utf8(out).unwrap_or_default()),
        original_len: original.len(),
        map: Some(map),
    }
}

/// ASCII bytes `start..end` of the original that normalization keeps one
/// for one (each its own NFKC segment), with the characters standing
/// before and after them in the NFKC output (for leetspeak).
struct AsciiRun<'t> {
    bytes: &'t [u8],
    start: usize,
    end: usize,
    left: Option<char>,
    right: Option<char>,
}

/// Folds an ASCII run into `out` and `map` as the per-character rules do.
/// Runs of plain bytes (see [`plain_bytes`]), and single spaces inside
/// them, are copied in bulk; the other bytes go one at a time.
fn fold_ascii_run(run: &AsciiRun<'_>, opts: &Options, prev_space: &mut bool, out: &mut Vec<u8>, map: &mut OffsetMap) {
    let plain: &[bool; 128] = match (opts.lowercase, opts.alnum_only) {
        (false, _) if !opts.collapse_whitespace && !opts.leet && !opts.alnum_only => &CLEAN_PLAIN,
        (true, false) if opts.collapse_whitespace && opts.leet && opts.skeleton => &FOLDED_PLAIN,
        (true, true) if opts.collapse_whitespace && opts.leet && opts.skeleton => &COMPACT_PLAIN,
        _ => &plain_bytes(*opts),
    };
    // A space right after a kept non-space byte is kept as is.
    let space_in_run = opts.collapse_whitespace && !opts.alnum_only;
    let (bytes, n) = (run.bytes, run.end);
    let mut kept_from = run.start; // original offset where the current kept stretch began
    let mut i = run.start;
    while i < n {
        let s = i;
        loop {
            while i < n && plain[bytes[i] as usize & 0x7F] {
                i += 1;
            }
            if space_in_run && i < n && i > s && bytes[i] == b' ' && bytes[i - 1] != b' ' {
                i += 1;
                continue;
            }
            break;
        }
        if i > s {
            if opts.lowercase {
                out.extend(bytes[s..i].iter().map(u8::to_ascii_lowercase));
            } else {
                out.extend_from_slice(&bytes[s..i]);
            }
            *prev_space = space_in_run && bytes[i - 1] == b' ';
        }
        if i == n {
            break;
        }
        let c = bytes[i];
        let kept = if is_bad_control(c as char) {
            None
        } else if opts.collapse_whitespace && c.is_ascii_whitespace() {
            let keep = !*prev_space && !opts.alnum_only;
            *prev_space = true;
            keep.then_some(b' ')
        } else if opts.leet
            && tables::fold_leet(c as char).is_some()
            && leet_applies(
                c as char,
                if i > run.start {
                    Some(bytes[i - 1] as char)
                } else {
                    run.left
                },
                if i + 1 < n {
                    Some(bytes[i + 1] as char)
                } else {
                    run.right
                },
            )
        {
            *prev_space = false;
            tables::fold_leet(c as char).map(|l| l as u8)
        } else if opts.alnum_only && !c.is_ascii_alphanumeric() {
            None
        } else {
            *prev_space = false;
            Some(if opts.lowercase { c.to_ascii_lowercase() } else { c })
        };
        match kept {
            Some(k) => out.push(k),
            None => {
                map.push_linear(kept_from..i);
                kept_from = i + 1;
            }
        }
        i += 1;
    }
    map.push_linear(kept_from..n);
}

/// The byte-at-a-time ASCII builder [`build_ascii`] replaced, kept as the
/// reference of the differential test.
#[cfg(test)]
fn build_ascii_reference<'a>(original: &'a str, opts: &Options) -> View<'a> {
    let bytes = original.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut map = OffsetMap::default();
    let mut run_start = 0; // original offset where the current kept run began
    let mut prev_space = true;
    for (i, &c) in bytes.iter().enumerate() {
        let kept = if is_bad_control(c as char) {
            None
        } else if opts.collapse_whitespace && c.is_ascii_whitespace() {
            let keep = !prev_space && !opts.alnum_only;
            prev_space = true;
            keep.then_some(b' ')
        } else if opts.leet
            && tables::fold_leet(c as char).is_some()
            && leet_applies(
                c as char,
                (i > 0).then(|| bytes[i - 1] as char),
                bytes.get(i + 1).map(|&r| r as char),
            )
        {
            prev_space = false;
            tables::fold_leet(c as char).map(|l| l as u8)
        } else if opts.alnum_only && !c.is_ascii_alphanumeric() {
            None
        } else {
            prev_space = false;
            Some(if opts.lowercase { c.to_ascii_lowercase() } else { c })
        };
        match kept {
            Some(k) => out.push(k),
            None => {
                map.push_linear(run_start..i);
                run_start = i + 1;
            }
        }
    }
    map.push_linear(run_start..bytes.len());
    let text = String::from_utf8(out).unwrap_or_default();
    View {
        text: Cow::Owned(text),
        original_len: original.len(),
        map: Some(map),
    }
}

/// One entry of the NFKC stage: a run of ASCII bytes kept one for one, or
/// one output character and the original range of its segment.
enum Stage1 {
    Ascii(u32, u32),
    Char(char, (u32, u32)),
}

/// ASCII runs shorter than this go character by character (cheaper than
/// a run of their own).
const SHORT_ASCII: usize = 8;

fn build<'a>(original: &'a str, opts: &Options) -> View<'a> {
    if original.is_ascii() {
        return build_ascii(original, opts);
    }
    // Mostly ASCII (a few accents, emoji or invisible characters in
    // English text, code or logs): run by run. Text in other scripts:
    // character by character (its ASCII runs are short).
    let non_ascii = original.bytes().filter(|&b| b >= 0x80).count();
    if non_ascii <= original.len() / 8 {
        build_runs(original, opts)
    } else {
        build_chars(original, opts)
    }
}

/// Stage 2 of the builders that go character by character: the folds of
/// one character after NFKC (dropped characters, digits, whitespace runs,
/// leetspeak, letters-and-digits only, lowercase, skeleton).
struct CharFold {
    /// Whether the output ends in a collapsed space (true at the start, so
    /// leading whitespace is dropped when collapsing).
    prev_space: bool,
    /// Scratch for a character's skeleton.
    skel: String,
    /// More scratch, for [`case_free_skeleton`].
    scratch: String,
}

impl Default for CharFold {
    fn default() -> CharFold {
        CharFold {
            prev_space: true,
            skel: String::new(),
            scratch: String::new(),
        }
    }
}

impl CharFold {
    /// Folds `c` (from the original bytes `src`) into `b`; `neighbours`
    /// gives the characters on each side, read only for leetspeak.
    fn push(
        &mut self,
        b: &mut Builder,
        c: char,
        src: (u32, u32),
        opts: &Options,
        neighbours: impl FnOnce() -> (Option<char>, Option<char>),
    ) {
        if is_dropped(c) {
            return;
        }
        let c = tables::fold_digit(c).unwrap_or(c);
        if opts.collapse_whitespace && c.is_whitespace() {
            if !self.prev_space && !opts.alnum_only {
                b.push(' ', src);
            }
            self.prev_space = true;
            return;
        }
        if opts.leet
            && let Some(l) = tables::fold_leet(c)
        {
            let (left, right) = neighbours();
            if leet_applies(c, left, right) {
                b.push(l, src);
                self.prev_space = false;
                return;
            }
        }
        if opts.alnum_only && !c.is_alphanumeric() {
            return;
        }
        self.prev_space = false;
        if !opts.lowercase {
            b.push(c, src);
            return;
        }
        if opts.skeleton && !c.is_ascii() {
            case_free_skeleton(c, &mut self.skel, &mut self.scratch);
            let alnum_only = opts.alnum_only;
            b.push_many(
                self.skel
                    .chars()
                    .filter(|s| !alnum_only || s.is_alphanumeric())
                    .flat_map(char::to_lowercase),
                src,
            );
            return;
        }
        if c.is_ascii() {
            b.push(c.to_ascii_lowercase(), src);
        } else {
            b.push_many(c.to_lowercase(), src);
        }
    }
}

/// The UTS #39 skeleton `c` folds to: the same for both cases of a letter,
/// except two Greek letters (and two Warang Citi ones) whose two cases look
/// like two different Latin letters (written to `out`; `scratch` is work space).
///
/// Skeletons are case-sensitive (Cyrillic `Н` looks like `H`, `н` like
/// `ʜ`; `И` has no look-alike, `и` looks like `ᴎ`), and a fold that took
/// each case's own would let capitals evade every non-Latin phrase. So a
/// letter takes the skeleton of its lowercase when that is ASCII (`і` →
/// `i`), else that of its uppercase when that is one character with an
/// ASCII skeleton (`н`, `Н` → `H`), else that of its lowercase (`И`, `и` →
/// `ᴎ`; `ß` stays `ß`, its uppercase being `SS`). "Its lowercase" is that
/// of its uppercase, so that final `ς` folds like `σ`.
///
/// When both cases look like Latin letters and not the same one (Greek
/// `Ν` like `N`, `ν` like `v`; also `Υ`/`υ`), each case keeps
/// its own: `IGΝORE` written with a Greek capital is an attack, and
/// matching it matters more than matching Greek words in capitals. (`Ι`
/// and `І` look like `l` to UTS #39 only because `I` does; in text they
/// stand for `I`, so they take their lowercase's `i`.)
fn case_free_skeleton(c: char, out: &mut String, scratch: &mut String) {
    let skeleton = |s: &str, out: &mut String| {
        out.clear();
        out.extend(unicode_security::skeleton(s));
    };
    let mut buf = [0u8; 4];
    if !c.is_lowercase() && !c.is_uppercase() {
        skeleton(c.encode_utf8(&mut buf), out);
        return;
    }
    // The lowercase of the uppercase, when that is one character: final
    // `ς` and `σ` are one letter (`Σ`).
    let mut upper = c.to_uppercase();
    let upper = match (upper.next(), upper.next()) {
        (Some(u), None) => Some(u),
        _ => None,
    };
    scratch.clear();
    scratch.extend(upper.unwrap_or(c).to_lowercase());
    skeleton(scratch, out);
    let Some(upper) = upper else { return };
    let lower_is_latin = out.is_ascii();
    skeleton(upper.encode_utf8(&mut buf), scratch);
    let letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    let use_upper = match (lower_is_latin, scratch.is_ascii()) {
        (false, true) => true,
        (true, true) => {
            c.is_uppercase() && letters(out) && letters(scratch) && !scratch.eq_ignore_ascii_case(out) && scratch != "l"
        }
        _ => false,
    };
    if use_upper {
        std::mem::swap(out, scratch);
    }
}

/// Builds the view of non-ASCII text with long ASCII runs: the ASCII runs
/// through [`fold_ascii_run`] (with the NFKC neighbours at their ends),
/// the rest character by character.
fn build_runs<'a>(original: &'a str, opts: &Options) -> View<'a> {
    let bytes = original.as_bytes();
    let n = bytes.len();
    // Stage 1: NFKC per segment (a starter and the non-starters after it), so
    // composition works and every output char maps to its segment. ASCII
    // runs are their own segments (but a last byte that combining marks
    // follow) and are recorded as ranges.
    let mut stage1: Vec<Stage1> = Vec::with_capacity(n / 2);
    let mut scratch = String::new();
    let mut i = 0;
    // The character at `i` when the previous segment's look-ahead decoded it.
    let mut next: Option<char> = None;
    let starts_segment = |d: char| d.is_ascii() || canonical_combining_class(d) == 0 || is_dropped(d);
    while i < n {
        if bytes[i] < 0x80 {
            next = None;
            let mut j = bytes[i..].iter().position(|&b| b >= 0x80).map_or(n, |o| i + o);
            if j < n
                && let Some(d) = original[j..].chars().next()
                && !starts_segment(d)
            {
                j -= 1;
            }
            if j >= i + SHORT_ASCII {
                stage1.push(Stage1::Ascii(i as u32, j as u32));
                i = j;
                continue;
            }
            // A short run (a space between words): byte by byte.
            if j > i {
                stage1.extend((i..j).map(|k| Stage1::Char(bytes[k] as char, (k as u32, k as u32 + 1))));
                i = j;
                continue;
            }
        }
        // One segment from `i`: a character and the combining marks after it.
        let c = match next.take() {
            Some(c) => c,
            None => original[i..].chars().next().unwrap_or('\u{FFFD}'),
        };
        let mut end = i + c.len_utf8();
        for d in original[end..].chars() {
            if starts_segment(d) {
                next = Some(d);
                break;
            }
            end += d.len_utf8();
        }
        let seg = &original[i..end];
        let src = (i as u32, end as u32);
        if seg.len() == 1 {
            stage1.push(Stage1::Char(c, src));
        } else if seg.len() == c.len_utf8() && is_dropped(c) {
            // Dropped below; keep the position for nothing.
        } else {
            scratch.clear();
            scratch.extend(seg.chars().filter(|&d| !is_dropped(d)).nfkc());
            for d in scratch.chars() {
                stage1.push(Stage1::Char(d, src));
            }
        }
        i = end;
    }
    // Stage 2: per-character folds.
    let first = |e: &Stage1| match *e {
        Stage1::Ascii(s, _) => bytes[s as usize] as char,
        Stage1::Char(c, _) => c,
    };
    let last = |e: &Stage1| match *e {
        Stage1::Ascii(_, e) => bytes[e as usize - 1] as char,
        Stage1::Char(c, _) => c,
    };
    let left = |idx: usize| idx.checked_sub(1).map(|k| last(&stage1[k]));
    let right = |idx: usize| stage1.get(idx + 1).map(first);
    let mut b = Builder {
        out: String::with_capacity(n),
        map: OffsetMap::default(),
    };
    let mut ascii_out: Vec<u8> = Vec::new();
    let mut fold = CharFold::default();
    for (idx, entry) in stage1.iter().enumerate() {
        let (c, src) = match *entry {
            Stage1::Ascii(start, end) => {
                let run = AsciiRun {
                    bytes,
                    start: start as usize,
                    end: end as usize,
                    left: left(idx),
                    right: right(idx),
                };
                ascii_out.clear();
                fold_ascii_run(&run, opts, &mut fold.prev_space, &mut ascii_out, &mut b.map);
                b.out.push_str(std::str::from_utf8(&ascii_out).unwrap_or_default());
                continue;
            }
            Stage1::Char(c, src) => (c, src),
        };
        fold.push(&mut b, c, src, opts, || (left(idx), right(idx)));
    }
    View {
        text: Cow::Owned(b.out),
        original_len: original.len(),
        map: Some(b.map),
    }
}

/// Builds the view of text in other scripts character by character (also
/// the reference of the differential tests).
fn build_chars<'a>(original: &'a str, opts: &Options) -> View<'a> {
    let mut b = Builder {
        out: String::with_capacity(original.len()),
        map: OffsetMap::default(),
    };
    // Stage 1: NFKC per segment (a starter and the non-starters after it), so
    // composition works and every output char maps to its segment.
    let mut stage1: Vec<(char, (u32, u32))> = Vec::with_capacity(original.len());
    let mut seg_start = 0usize;
    let mut chars = original.char_indices().peekable();
    let mut scratch = String::new();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        // Extend the segment over following combining marks.
        while let Some(&(j, d)) = chars.peek() {
            if canonical_combining_class(d) != 0 && !is_dropped(d) {
                end = j + d.len_utf8();
                chars.next();
            } else {
                break;
            }
        }
        let seg = &original[seg_start.max(i)..end];
        let src = (i as u32, end as u32);
        if seg.len() == 1 {
            stage1.push((c, src));
        } else if seg.chars().count() == 1 && is_dropped(c) {
            // Dropped below; keep the position for nothing.
        } else {
            scratch.clear();
            scratch.extend(seg.chars().filter(|&d| !is_dropped(d)).nfkc());
            for d in scratch.chars() {
                stage1.push((d, src));
            }
        }
        seg_start = end;
    }
    // Stage 2: per-character folds.
    let mut fold = CharFold::default();
    for idx in 0..stage1.len() {
        let (c, src) = stage1[idx];
        let neighbours = || ((idx > 0).then(|| stage1[idx - 1].0), stage1.get(idx + 1).map(|p| p.0));
        fold.push(&mut b, c, src, opts, neighbours);
    }
    View {
        text: Cow::Owned(b.out),
        original_len: original.len(),
        map: Some(b.map),
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    /// The folded view does not depend on case, in any script but for four
    /// letters (two Greek): a letter and its one-character uppercase fold alike (so `ИГНОРИРУЙ` reads as
    /// `игнорируй`), and a look-alike of a Latin letter folds to it in
    /// either case.
    #[test]
    fn folded_is_case_free_in_every_script() {
        let fold = |s: &str| View::new(s, ViewKind::Folded).as_str().to_string();
        let mut differ = Vec::new();
        for c in (0..=0x1_FFFF).filter_map(char::from_u32).filter(|c| c.is_lowercase()) {
            let mut upper = c.to_uppercase();
            let (Some(u), None) = (upper.next(), upper.next()) else {
                continue;
            };
            // Only case pairs: `u` lowercases back to `c`.
            if u == c || u.to_lowercase().ne([c]) {
                continue;
            }
            let (lower, upper) = (fold(&c.to_string()), fold(&u.to_string()));
            if lower != upper {
                differ.push(format!("{c} {u}: {lower:?} {upper:?}"));
            }
        }
        // The Greek letters whose two cases look like two Latin letters
        // (see `case_free_skeleton`), and only those, fold apart.
        assert_eq!(
            differ,
            [
                "ν Ν: \"v\" \"n\"",
                "υ Υ: \"u\" \"y\"",
                "𑣃 𑢣: \"i\" \"l\"",
                "𑣜 𑢼: \"y\" \"t\""
            ]
        );
        for (text, want) in [
            ("іgnоrе", "ignore"),       // Cyrillic і, о, е
            ("ІGNОRЕ", "ignore"),       // and their capitals
            ("ИГНОРИРУЙ", "игнорируй"), // a Russian word in capitals
            ("ΛΌΓΟΣ", "λόγος"),         // a Greek one, final sigma
            ("IGΝORE", "ignore"),       // a Greek capital Ν for N
            ("preνious", "previous"),   // a Greek ν for v
        ] {
            assert_eq!(fold(text), fold(want), "{text}");
        }
        assert_eq!(fold("іgnоrе"), "ignore");
    }

    /// Two builds of one view agree: the same text, and every range of it
    /// maps to the same original bytes.
    fn assert_same_view(a: &View<'_>, b: &View<'_>, what: &str) {
        assert_eq!(a.as_str(), b.as_str(), "{what}");
        let n = a.as_str().len();
        for s in 0..=n + 1 {
            for e in s..=n + 1 {
                assert_eq!(a.to_original(s..e), b.to_original(s..e), "{what} {s}..{e}");
            }
        }
    }

    fn folded(s: &str) -> String {
        View::new(s, ViewKind::Folded).as_str().to_string()
    }

    #[test]
    fn ascii_clean_is_borrowed() {
        let v = View::new("Hello, World 123", ViewKind::Clean);
        assert!(v.is_identity());
        assert_eq!(v.to_original(3..5), 3..5);
    }

    #[test]
    fn folded_forms() {
        assert_eq!(folded("IGNORE  all\tprevious"), "ignore all previous");
        assert_eq!(folded("ＩＧＮＯＲＥ"), "ignore");
        assert_eq!(folded("ig\u{200B}nore"), "ignore");
        assert_eq!(folded("іgnоrе"), "ignore"); // Cyrillic і, о, е
        assert_eq!(folded("ign0r3 4ll"), "ignore all");
        assert_eq!(folded("version 4 of 10"), "version 4 of 10");
        assert_eq!(folded("𝐢𝐠𝐧𝐨𝐫𝐞"), "ignore");
    }

    #[test]
    fn views_drop_what_sanitizing_removes() {
        // Controls and private-use characters split nothing a detector sees.
        let s = "+1\u{0}\u{0}415\u{7F}555\u{E000}0134";
        let v = View::new(s, ViewKind::Clean);
        assert_eq!(v.as_str(), "+14155550134");
        assert_eq!(v.to_original(0..v.as_str().len()), 0..s.len());
        assert_eq!(View::new("a\u{1}b", ViewKind::Folded).as_str(), "ab");
        assert!(View::new("tab\tand\nnewline", ViewKind::Clean).is_identity());
    }

    /// The bulk-copying ASCII builder gives the text and the offset map of
    /// the byte-at-a-time one, for every view kind, on text dense in the
    /// bytes that take the slow path (controls, whitespace runs, leetspeak
    /// digits and symbols, uppercase).
    #[test]
    fn ascii_builder_matches_reference() {
        let alphabet = b"aZ0134578 9 \t\n\r\x0b\x0c\x00\x1c\x7f!|@$,.-_#'Kx";
        let mut seed = 0x9e37_79b9_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed
        };
        for round in 0..3000 {
            let len = (next() % 40) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() as usize) % alphabet.len()] as char)
                .collect();
            for kind in [ViewKind::Clean, ViewKind::Folded, ViewKind::Compact] {
                let opts = Options::for_kind(kind);
                let (a, b) = (build_ascii(&text, &opts), build_ascii_reference(&text, &opts));
                assert_same_view(&a, &b, &format!("{round} {kind:?} {text:?}"));
            }
        }
    }

    /// The run-by-run test of an unchanged clean view agrees with the
    /// whole-text one, on text mixing ASCII with combining marks (in and out
    /// of order), compatibility characters, invisible characters and digits
    /// of other scripts.
    #[test]
    fn clean_unchanged_by_runs_matches_whole_text() {
        let pieces = [
            "a",
            "e",
            " ",
            "\n",
            "\u{1}",
            "\u{301}",
            "\u{323}",
            "é",
            "ｆ",
            "\u{200B}",
            "\u{663}",
            "語",
            "ﬁ",
            "Å",
            "\u{E000}",
            "x\u{323}\u{301}",
            "x\u{301}\u{323}",
            "\u{FDD0}",
            "🙂",
            "a long stretch of plain ASCII text, over 32 bytes",
            "another long ASCII stretch \u{1} with a control",
        ];
        let mut seed = 0x7a3c_91e5_u32;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        let mut changed = 0;
        for _ in 0..20000 {
            let text: String = (0..next(8)).map(|_| pieces[next(pieces.len())]).collect();
            let whole = if text.is_ascii() {
                !has_bad_ascii_control(text.as_bytes())
            } else {
                is_nfkc_quick(text.chars()) == IsNormalized::Yes && !text.chars().any(needs_clean)
            };
            assert_eq!(
                is_unchanged(&text, &Options::for_kind(ViewKind::Clean)),
                whole,
                "{text:?}"
            );
            changed += usize::from(!whole);
        }
        assert!(changed > 1000 && changed < 19000, "{changed}");
    }

    /// The run-splitting builder gives the text and the offset map of the
    /// character-at-a-time one, for every view kind, on text mixing ASCII
    /// (leetspeak, whitespace, controls) with combining marks after ASCII
    /// and non-ASCII letters, invisible and private-use characters,
    /// compatibility forms, confusables and digits of other scripts.
    #[test]
    fn builder_matches_reference() {
        let pieces = [
            "a",
            "Z",
            "0",
            "1",
            "3",
            "$",
            "@",
            "!",
            " ",
            "  ",
            "\t",
            "\n",
            "\u{1}",
            "\u{7f}",
            ".",
            "e\u{301}",
            "\u{301}",
            "\u{323}\u{301}",
            "é",
            "Ｅ",
            "ｆ",
            "\u{200B}",
            "\u{AD}",
            "\u{E000}",
            "\u{663}",
            "\u{FF11}",
            "語",
            "ﬁ",
            "і",
            "о",
            "Σ",
            "İ",
            "ß",
            "\u{A0}",
            "\u{3000}",
            "𝐢",
            "🙂",
            "\u{FDD0}",
            "\u{E0041}",
            "\u{2028}",
            "The Quick br0wn  f0x\tjumps",
            "p@$$w0rd 1s $ecret",
            "  \n\n  spaced   out  ",
            "abc\u{1}def ghi",
        ];
        let mut seed = 0x51f1_5eed_u32;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        for round in 0..6000 {
            let text: String = (0..next(14)).map(|_| pieces[next(pieces.len())]).collect();
            for kind in [ViewKind::Clean, ViewKind::Folded, ViewKind::Compact] {
                let opts = Options::for_kind(kind);
                let reference = if text.is_ascii() {
                    build_ascii_reference(&text, &opts)
                } else {
                    build_chars(&text, &opts)
                };
                let (a, b) = (build(&text, &opts), reference);
                if !text.is_ascii() {
                    let runs = build_runs(&text, &opts);
                    assert_same_view(&runs, &b, &format!("{round} {kind:?} {text:?}"));
                }
                assert_same_view(&a, &b, &format!("{round} {kind:?} {text:?}"));
            }
        }
    }

    #[test]
    fn compact() {
        assert_eq!(View::new("i g n-o r e!", ViewKind::Compact).as_str(), "ignore");
    }

    #[test]
    fn clean_keeps_case_and_folds_digits() {
        let s = "Card ４１１１ \u{0663}\u{0664}";
        let v = View::new(s, ViewKind::Clean);
        assert_eq!(v.as_str(), "Card 4111 34");
        let at = v.as_str().find("4111").unwrap();
        assert_eq!(&s[v.to_original(at..at + 4)], "４１１１");
    }

    #[test]
    fn combining_marks_compose() {
        let s = "cafe\u{0301} x";
        let v = View::new(s, ViewKind::Clean);
        assert_eq!(v.as_str(), "café x");
        assert_eq!(v.to_original(3..5), 3..6);
    }

    #[test]
    fn spans_cover_hidden_chars() {
        let s = "say ba\u{200B}nned now";
        let v = View::new(s, ViewKind::Folded);
        let at = v.as_str().find("banned").unwrap();
        assert_eq!(&s[v.to_original(at..at + 6)], "ba\u{200B}nned");
    }
}
