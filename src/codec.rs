//! Small decoders shared by the detector families.

/// The value of one base64 character, standard (`+/`) or URL-safe (`-_`).
fn base64_value(b: u8) -> Option<u8> {
    Some(match b {
        b'A'..=b'Z' => b - b'A',
        b'a'..=b'z' => b - b'a' + 26,
        b'0'..=b'9' => b - b'0' + 52,
        b'+' | b'-' => 62,
        b'/' | b'_' => 63,
        _ => return None,
    })
}

/// Decodes unpadded base64 in either alphabet; callers strip padding by
/// their own rule first. `None` on any character outside the alphabet.
pub(crate) fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in s {
        acc = (acc << 6) | u32::from(base64_value(b)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_both_alphabets() {
        assert_eq!(super::base64_decode(b"aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(super::base64_decode(b"-_-_"), super::base64_decode(b"+/+/"));
        assert_eq!(super::base64_decode(b"a="), None);
    }
}
