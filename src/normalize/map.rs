//! The offset map from a view's bytes back to the original's, stored as
//! segments rather than per byte: long runs of characters that map one to
//! one (the common case: ASCII, lowercased or not) cost one entry.

use std::ops::Range;

/// A run of view bytes starting at `view`. A linear segment maps its bytes
/// one to one onto `orig..orig_end` (same length, character for character);
/// an atomic one maps all its bytes onto the whole of `orig..orig_end` (one
/// original character or combining sequence that became something else).
#[derive(Clone, Copy, Debug)]
struct Segment {
    view: u32,
    orig: u32,
    orig_end: u32,
    linear: bool,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct OffsetMap {
    segments: Vec<Segment>,
    view_len: u32,
}

impl OffsetMap {
    /// Records that view bytes `view_len..view_len + out_len` came from
    /// original bytes `src`, one character that became `out_len` bytes of
    /// `out_chars` characters.
    #[inline]
    pub(crate) fn push(&mut self, out_len: usize, out_chars: usize, src: (u32, u32)) {
        let out_len = out_len as u32;
        let linear = out_chars == 1 && out_len == src.1 - src.0;
        if linear
            && let Some(last) = self.segments.last_mut()
            && last.linear
            && last.orig_end == src.0
            && last.view + (last.orig_end - last.orig) == self.view_len
        {
            last.orig_end = src.1;
        } else {
            self.segments.push(Segment {
                view: self.view_len,
                orig: src.0,
                orig_end: src.1,
                linear,
            });
        }
        self.view_len += out_len;
    }

    /// Records that the next `orig.len()` view bytes map one to one onto
    /// `orig` (a run of ASCII that was kept or rewritten byte for byte).
    pub(crate) fn push_linear(&mut self, orig: std::ops::Range<usize>) {
        if orig.is_empty() {
            return;
        }
        let (start, end) = (orig.start as u32, orig.end as u32);
        self.segments.push(Segment {
            view: self.view_len,
            orig: start,
            orig_end: end,
            linear: true,
        });
        self.view_len += end - start;
    }

    fn segment_at(&self, offset: u32) -> &Segment {
        let i = self.segments.partition_point(|s| s.view <= offset);
        &self.segments[i.saturating_sub(1)]
    }

    /// See [`View::to_original`](super::View::to_original).
    pub(crate) fn to_original(&self, range: Range<usize>, original_len: usize) -> Range<usize> {
        if self.segments.is_empty() {
            return original_len..original_len;
        }
        let len = self.view_len as usize;
        let start = range.start.min(len);
        let end = range.end.min(len).max(start);
        if start == len {
            let last = self.segments[self.segments.len() - 1];
            return last.orig_end as usize..last.orig_end as usize;
        }
        let s = self.segment_at(start as u32);
        let orig_start = if s.linear {
            s.orig + (start as u32 - s.view)
        } else {
            s.orig
        };
        if start == end {
            return orig_start as usize..orig_start as usize;
        }
        let e = self.segment_at(end as u32 - 1);
        let orig_end = if e.linear {
            (e.orig + (end as u32 - e.view)).min(e.orig_end)
        } else {
            e.orig_end
        };
        orig_start as usize..orig_end as usize
    }
}
