//! Byte-class bit sets, eight bytes at a time (SWAR): one bit per byte of
//! a text, so that scans for rare shapes (one-letter words) look at words
//! of 64 bytes instead of branching on every byte.

/// `x` in every byte.
const fn splat(x: u8) -> u64 {
    x as u64 * 0x0101_0101_0101_0101
}

/// The top bit of each byte of `x` that is an ASCII letter or digit.
#[inline]
fn alnum8(x: u64) -> u64 {
    let high = x & splat(0x80);
    // Seven-bit values: adding at most 0x80 cannot carry into the next byte.
    let t = x & splat(0x7F);
    let l = t | splat(0x20);
    // The top bit of `v + (0x80 - lo)` is set when v >= lo, that of
    // `v + (0x7F - hi)` when v > hi.
    let alpha = l.wrapping_add(splat(0x80 - b'a')) & !l.wrapping_add(splat(0x7F - b'z'));
    let digit = t.wrapping_add(splat(0x80 - b'0')) & !t.wrapping_add(splat(0x7F - b'9'));
    (alpha | digit) & !high & splat(0x80)
}

/// The top bits of the 8 bytes of `x` as the low 8 bits (byte `i`, bit
/// `i`).
#[inline]
fn movemask(x: u64) -> u64 {
    ((x >> 7) & splat(1)).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// One bit per byte of `b` (word `k`, bit `i` for byte `64 * k + i`), set
/// for the ASCII letters and digits.
pub(super) fn alnum_words(b: &[u8]) -> Vec<u64> {
    class_words(b, alnum8)
}

/// Like [`alnum_words`], also set for every non-ASCII byte: the bytes of
/// the model's words.
pub(super) fn alnum_or_high_words(b: &[u8]) -> Vec<u64> {
    class_words(b, |x| alnum8(x) | x & splat(0x80))
}

/// One bit per byte of `b`, set where `class` (top bit of each byte of 8)
/// sets it.
#[inline]
fn class_words(b: &[u8], class: impl Fn(u64) -> u64) -> Vec<u64> {
    let mut out = Vec::with_capacity(b.len().div_ceil(64));
    let mut chunks = b.chunks_exact(64);
    for chunk in &mut chunks {
        let mut w = 0u64;
        for (j, eight) in chunk.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes([
                eight[0], eight[1], eight[2], eight[3], eight[4], eight[5], eight[6], eight[7],
            ]);
            w |= movemask(class(x)) << (8 * j);
        }
        out.push(w);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = 0u64;
        for (j, part) in rest.chunks(8).enumerate() {
            // Zero padding is in no class.
            let mut x = [0u8; 8];
            x[..part.len()].copy_from_slice(part);
            w |= movemask(class(u64::from_le_bytes(x))) << (8 * j);
        }
        out.push(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alnum_words_match_a_plain_scan() {
        let text: Vec<u8> = (0..=255u8).cycle().take(700).chain(*b"ab1 .Z9").collect();
        for len in [0, 1, 7, 8, 9, 63, 64, 65, 128, 300, text.len()] {
            let b = &text[..len];
            let words = alnum_words(b);
            assert_eq!(words.len(), len.div_ceil(64));
            let with_high = alnum_or_high_words(b);
            for (i, &c) in b.iter().enumerate() {
                assert_eq!(words[i / 64] >> (i % 64) & 1 == 1, c.is_ascii_alphanumeric(), "{c}");
                let high = c.is_ascii_alphanumeric() || c >= 0x80;
                assert_eq!(with_high[i / 64] >> (i % 64) & 1 == 1, high, "{c}");
            }
            // No bit past the end.
            if len % 64 != 0 {
                assert_eq!(words[len / 64] >> (len % 64), 0);
            }
        }
    }
}
