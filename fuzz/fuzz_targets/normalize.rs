//! Every view's offset map lands on char boundaries of the original.
#![no_main]

use libfuzzer_sys::fuzz_target;
use palisade::{View, ViewKind};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for kind in [ViewKind::Clean, ViewKind::Folded, ViewKind::Compact] {
        let view = View::new(text, kind);
        let s = view.as_str();
        let mut last = 0;
        for (i, c) in s.char_indices() {
            let r = view.to_original(i..i + c.len_utf8());
            assert!(r.start < r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            assert!(r.start >= last);
            last = r.start;
        }
        let whole = view.to_original(0..s.len());
        assert!(whole.end <= text.len());
    }
});
