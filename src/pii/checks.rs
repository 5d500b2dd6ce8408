//! Checksums and structural checks used by the recognizers. Each returns
//! `true` only when the value passes; none panics on any input.

use super::digest::{keccak256, sha256};

/// The ASCII digits of `s` as values 0–9, everything else skipped.
pub(crate) fn digits(s: &str) -> Vec<u8> {
    s.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect()
}

/// Luhn (mod 10) over digit values.
pub(crate) fn luhn(d: &[u8]) -> bool {
    if d.is_empty() {
        return false;
    }
    let mut sum = 0u32;
    for (i, &x) in d.iter().rev().enumerate() {
        let mut v = x as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// All digits equal (`0000…`, `1111…`).
pub(crate) fn all_same(d: &[u8]) -> bool {
    d.windows(2).all(|w| w[0] == w[1])
}

/// Ascending or descending runs like `123456789`.
pub(crate) fn sequential(d: &[u8]) -> bool {
    d.len() > 2 && (d.windows(2).all(|w| w[1] == (w[0] + 1) % 10) || d.windows(2).all(|w| w[0] == (w[1] + 1) % 10))
}

/// Verhoeff check digit scheme (Aadhaar).
pub(crate) fn verhoeff(d: &[u8]) -> bool {
    const M: [[u8; 10]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
        [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
        [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
        [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
        [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
        [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
        [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
        [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
    ];
    const P: [[u8; 10]; 8] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
        [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
        [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
        [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
        [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
        [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
        [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
        [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
    ];
    if d.is_empty() {
        return false;
    }
    let mut c = 0usize;
    for (i, &x) in d.iter().rev().enumerate() {
        c = M[c][P[i % 8][x as usize % 10] as usize] as usize;
    }
    c == 0
}

/// Weighted sum of digits.
pub(crate) fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&x, &w)| x as u32 * w).sum()
}

/// ISO 7064 mod 11,10 (German VAT id, German tax id).
pub(crate) fn iso7064_mod11_10(d: &[u8]) -> bool {
    if d.len() < 2 {
        return false;
    }
    let mut p = 10u32;
    for &x in &d[..d.len() - 1] {
        let mut s = (x as u32 + p) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    let check = (11 - p) % 10;
    check == d[d.len() - 1] as u32
}

/// IBAN length per country (ISO 13616 registry).
pub(crate) fn iban_length(cc: &[u8]) -> Option<usize> {
    const T: &[(&[u8; 2], usize)] = &[
        (b"AD", 24),
        (b"AE", 23),
        (b"AL", 28),
        (b"AT", 20),
        (b"AZ", 28),
        (b"BA", 20),
        (b"BE", 16),
        (b"BG", 22),
        (b"BH", 22),
        (b"BI", 27),
        (b"BR", 29),
        (b"BY", 28),
        (b"CH", 21),
        (b"CR", 22),
        (b"CY", 28),
        (b"CZ", 24),
        (b"DE", 22),
        (b"DJ", 27),
        (b"DK", 18),
        (b"DO", 28),
        (b"EE", 20),
        (b"EG", 29),
        (b"ES", 24),
        (b"FI", 18),
        (b"FK", 18),
        (b"FO", 18),
        (b"FR", 27),
        (b"GB", 22),
        (b"GE", 22),
        (b"GI", 23),
        (b"GL", 18),
        (b"GR", 27),
        (b"GT", 28),
        (b"HN", 28),
        (b"HR", 21),
        (b"HU", 28),
        (b"IE", 22),
        (b"IL", 23),
        (b"IQ", 23),
        (b"IS", 26),
        (b"IT", 27),
        (b"JO", 30),
        (b"KW", 30),
        (b"KZ", 20),
        (b"LB", 28),
        (b"LC", 32),
        (b"LI", 21),
        (b"LT", 20),
        (b"LU", 20),
        (b"LV", 21),
        (b"LY", 25),
        (b"MC", 27),
        (b"MD", 24),
        (b"ME", 22),
        (b"MK", 19),
        (b"MN", 20),
        (b"MR", 27),
        (b"MT", 31),
        (b"MU", 30),
        (b"NI", 28),
        (b"NL", 18),
        (b"NO", 15),
        (b"OM", 23),
        (b"PK", 24),
        (b"PL", 28),
        (b"PS", 29),
        (b"PT", 25),
        (b"QA", 29),
        (b"RO", 24),
        (b"RS", 22),
        (b"RU", 33),
        (b"SA", 24),
        (b"SC", 31),
        (b"SD", 18),
        (b"SE", 24),
        (b"SI", 19),
        (b"SK", 24),
        (b"SM", 27),
        (b"SO", 23),
        (b"ST", 25),
        (b"SV", 28),
        (b"TL", 23),
        (b"TN", 24),
        (b"TR", 26),
        (b"UA", 29),
        (b"VA", 22),
        (b"VG", 24),
        (b"XK", 20),
        (b"YE", 30),
    ];
    T.iter().find(|(c, _)| c.as_slice() == cc).map(|&(_, n)| n)
}

/// IBAN mod-97 over the compact form (uppercase letters and digits only).
pub(crate) fn iban_mod97(compact: &[u8]) -> bool {
    if compact.len() < 5 {
        return false;
    }
    let check = (compact[2].wrapping_sub(b'0') as u32) * 10 + compact[3].wrapping_sub(b'0') as u32;
    if !(2..=98).contains(&check) {
        return false;
    }
    let mut rem = 0u32;
    for &c in compact[4..].iter().chain(&compact[..4]) {
        let v = match c {
            b'0'..=b'9' => (c - b'0') as u32,
            b'A'..=b'Z' => (c - b'A') as u32 + 10,
            _ => return false,
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Decodes base58 (Bitcoin alphabet); `None` on a bad character or overflow
/// of the 25-byte payload Bitcoin addresses use.
fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::with_capacity(32);
    for c in s.bytes() {
        let mut carry = B58.iter().position(|&b| b == c)? as u32;
        for b in out.iter_mut().rev() {
            carry += (*b as u32) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
        if out.len() > 40 {
            return None;
        }
    }
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut full = vec![0u8; zeros];
    full.extend(out);
    Some(full)
}

/// Bitcoin legacy / P2SH address: base58check, 25 bytes, version 0x00 or 0x05.
pub(crate) fn btc_base58(s: &str) -> bool {
    let Some(b) = base58_decode(s) else {
        return false;
    };
    if b.len() != 25 || !(b[0] == 0 || b[0] == 5) {
        return false;
    }
    let h = sha256(&sha256(&b[..21]));
    h[..4] == b[21..]
}

/// Bitcoin segwit address: bech32 (v0) or bech32m (v1+) checksum.
pub(crate) fn btc_bech32(s: &str) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let lower = s.to_ascii_lowercase();
    if s != lower && s != s.to_ascii_uppercase() {
        return false;
    }
    let Some(pos) = lower.rfind('1') else {
        return false;
    };
    let (hrp, data) = (&lower[..pos], &lower[pos + 1..]);
    // Version (1) + at least a 2-byte program (4) + checksum (6).
    if hrp != "bc" || data.len() < 11 {
        return false;
    }
    let mut values = Vec::with_capacity(data.len());
    for c in data.bytes() {
        match CHARSET.iter().position(|&x| x == c) {
            Some(v) => values.push(v as u32),
            None => return false,
        }
    }
    let mut chk: u32 = 1;
    let generator = [0x3b6a57b2u32, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut feed = |v: u32| {
        let top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (i, g) in generator.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    };
    for c in hrp.bytes() {
        feed((c >> 5) as u32);
    }
    feed(0);
    for c in hrp.bytes() {
        feed((c & 31) as u32);
    }
    for &v in &values {
        feed(v);
    }
    let version = values[0];
    let program_len = values.len().saturating_sub(7) * 5 / 8;
    match version {
        0 => chk == 1 && (program_len == 20 || program_len == 32),
        1..=16 => chk == 0x2bc830a3 && (2..=40).contains(&program_len),
        _ => false,
    }
}

/// Ethereum address `0x` + 40 hex: all-lowercase or all-uppercase hex is
/// accepted as is; mixed case must match the EIP-55 checksum.
pub(crate) fn eth_eip55(s: &str) -> Option<bool> {
    let hex = s.get(2..)?;
    if hex.len() != 40 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let has_lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    let has_upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    if !(has_lower && has_upper) {
        return Some(false);
    }
    let lower = hex.to_ascii_lowercase();
    let h = keccak256(lower.as_bytes());
    for (i, c) in hex.bytes().enumerate() {
        if c.is_ascii_alphabetic() {
            let nibble = (h[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0xf;
            if (nibble >= 8) != c.is_ascii_uppercase() {
                return None;
            }
        }
    }
    Some(true)
}

/// A real calendar date (years 1800–2099).
pub(crate) fn valid_date(year: u32, month: u32, day: u32) -> bool {
    if !(1..=12).contains(&month) || day == 0 || !(1800..=2099).contains(&year) {
        return false;
    }
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    day <= days[(month - 1) as usize]
}

/// Two digits as a number.
pub(crate) fn num(d: &[u8]) -> u32 {
    d.iter()
        .fold(0u32, |a, &x| a.saturating_mul(10).saturating_add(x as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends a Luhn check digit.
    pub(crate) fn with_luhn(body: &str) -> String {
        for c in 0..10 {
            let s = format!("{body}{c}");
            if luhn(&digits(&s)) {
                return s;
            }
        }
        unreachable!()
    }

    #[test]
    fn luhn_works() {
        let v = with_luhn("401288888888188");
        assert!(luhn(&digits(&v)));
        let mut bad = digits(&v);
        bad[3] = (bad[3] + 1) % 10;
        assert!(!luhn(&bad));
    }

    #[test]
    fn verhoeff_works() {
        // Find the check digit for a body, then break it.
        let body = [2u8, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4];
        let ok: Vec<Vec<u8>> = (0..10)
            .map(|c| {
                let mut v = body.to_vec();
                v.push(c);
                v
            })
            .filter(|v| verhoeff(v))
            .collect();
        assert_eq!(ok.len(), 1);
    }

    #[test]
    fn iban_check() {
        // Build a GB IBAN with a computed check.
        let bban = "WEST12345698765432";
        for ck in 2..=98u32 {
            let s = format!("GB{ck:02}{bban}");
            if iban_mod97(s.as_bytes()) {
                assert_eq!(s.len(), iban_length(b"GB").unwrap());
                let mut t = s.clone().into_bytes();
                t[10] = if t[10] == b'9' { b'8' } else { b'9' };
                assert!(!iban_mod97(&t));
                return;
            }
        }
        panic!("no check digits found");
    }

    #[test]
    fn dates() {
        assert!(valid_date(2000, 2, 29));
        assert!(!valid_date(1900, 2, 29));
        assert!(!valid_date(2001, 13, 1));
    }

    #[test]
    fn bech32_and_base58() {
        // BIP-173 / BIP-350 published test vectors.
        assert!(btc_bech32("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4"));
        assert!(!btc_bech32("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
        // Too short to hold a version, a program and a checksum (no overflow).
        for short in ["bc1qqqqqq", "bc1qqqqqqq", "bc1", "bc1qqqqqqqqqq"] {
            assert!(!btc_bech32(short), "{short}");
        }
        assert!(btc_bech32(
            "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"
        ));
        assert!(btc_base58("1BoatSLRHtKNngkdXEeobR76b53LETtpyT"));
        assert!(!btc_base58("1BoatSLRHtKNngkdXEeobR76b53LETtpyU"));
    }

    #[test]
    fn eip55() {
        // EIP-55 specification examples.
        assert_eq!(eth_eip55("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), Some(true));
        assert_eq!(eth_eip55("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"), None);
        assert_eq!(eth_eip55("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"), Some(false));
    }
}
