//! Small character tables the normalizer needs and `unicode-normalization`
//! does not provide.

/// Default-ignorable code points (Unicode `Default_Ignorable_Code_Point`),
/// plus the Hangul fillers that render blank. Sorted, inclusive ranges.
const IGNORABLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
];

/// True for characters that render as nothing and so can hide inside words.
pub(crate) fn is_ignorable(c: char) -> bool {
    let c = c as u32;
    if c < 0xAD {
        return false;
    }
    in_ranges(IGNORABLE, c)
}

fn in_ranges(ranges: &[(u32, u32)], c: u32) -> bool {
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Private-use characters: no meaning of their own, often invisible.
pub(crate) fn is_private_use(c: char) -> bool {
    matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{FFFFD}' | '\u{100000}'..='\u{10FFFD}')
}

/// Controls that hide or rewrite text on terminals and in logs: C0 but tab,
/// line feed, carriage return and the information separators U+001C–001F
/// (data delimiters), DEL, the C1 introducers CSI and OSC (U+009B, U+009D;
/// other C1 characters mostly come from mojibake), and noncharacters.
pub(crate) fn is_bad_control(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{1C}'..='\u{1F}'))
        || matches!(u, 0x7F | 0x9B | 0x9D)
        || (0xFDD0..=0xFDEF).contains(&u)
        || (u & 0xFFFE) == 0xFFFE
}

/// Characters every view drops: the ones the Unicode guard's sanitizing
/// removes, so that a detector sees the same text before and after it
/// (sanitizing stays idempotent across detectors).
pub(crate) fn is_dropped(c: char) -> bool {
    is_ignorable(c) || is_bad_control(c) || is_private_use(c)
}

/// Whether ASCII bytes hold a control [`is_bad_control`] matches;
/// branch-free per 64-byte block so it vectorizes.
pub(crate) fn has_bad_ascii_control(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block.iter().fold(false, |acc, &b| {
            acc | ((b < 0x20 && b != b'\n' && b != b'\t' && b != b'\r' && !(0x1C..=0x1F).contains(&b)) | (b == 0x7F))
        })
    })
}

/// Code points of the digit zero in the decimal-digit (Nd) blocks that NFKC
/// leaves alone; each block holds 0–9 in order.
const DIGIT_ZEROS: &[u32] = &[
    0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0DE6, 0x0E50,
    0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50,
    0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// Maps a decimal digit of any common script to its ASCII digit.
pub(crate) fn fold_digit(c: char) -> Option<char> {
    let u = c as u32;
    if u < 0x0660 {
        return None;
    }
    // The blocks are sorted and disjoint: the one that may hold `u` starts
    // at the last zero not above it.
    let i = DIGIT_ZEROS.partition_point(|&z| z <= u);
    let z = DIGIT_ZEROS[i.checked_sub(1)?];
    (u < z + 10).then(|| char::from(b'0' + (u - z) as u8))
}

/// Leetspeak digits and symbols to the letters they stand for.
pub(crate) fn fold_leet(c: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' => 't',
        '8' => 'b',
        '9' => 'g',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignorables() {
        for c in ['\u{200B}', '\u{00AD}', '\u{E0041}', '\u{FEFF}', '\u{202E}', '\u{2066}'] {
            assert!(is_ignorable(c), "{c:?}");
        }
        for c in ['a', ' ', 'é', '\u{2028}', '🙂'] {
            assert!(!is_ignorable(c), "{c:?}");
        }
    }

    #[test]
    fn digit_blocks_sorted_and_every_code_point_folds_as_by_scan() {
        assert!(DIGIT_ZEROS.windows(2).all(|w| w[0] + 10 <= w[1]));
        for u in 0..0x20000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let scan = DIGIT_ZEROS
                .iter()
                .find(|&&z| u >= z && u < z + 10)
                .map(|&z| char::from(b'0' + (u - z) as u8));
            assert_eq!(fold_digit(c), scan, "{u:x}");
        }
    }

    #[test]
    fn digits() {
        assert_eq!(fold_digit('\u{0663}'), Some('3'));
        assert_eq!(fold_digit('\u{0969}'), Some('3'));
        assert_eq!(fold_digit('3'), None);
        assert_eq!(fold_digit('a'), None);
    }
}
