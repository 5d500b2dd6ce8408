//! Linear-time text streams the leak detectors search: lowercase
//! letters-and-digits, base64 alphabet, tag-block characters, and words.

/// A stream of bytes derived from a source text, and a way back from each
/// byte to the source byte range of the character that produced it.
///
/// Streams built by a per-character [`Filter`] keep only a checkpoint every
/// [`TEXT_STRIDE`] source bytes and re-run the filter from the nearest one
/// when asked for a position: hits are rare, and a range per byte would
/// cost eight bytes of memory per byte of text.
#[derive(Default)]
pub(crate) struct Stream {
    pub(crate) bytes: Vec<u8>,
    /// Exact source ranges, one per byte (streams with no filter).
    pub(crate) src: Vec<(u32, u32)>,
    /// `(stream position, source position)` at character starts.
    marks: Vec<(u32, u32)>,
    filter: Option<Filter>,
}

const TEXT_STRIDE: usize = 256;

/// What a filtered stream keeps of each character.
#[derive(Clone, Copy)]
enum Filter {
    /// Letters and digits, lowercased.
    Alnum,
    /// The base64 alphabet, URL-safe `-_` mapped to `+/`.
    Base64,
}

impl Filter {
    /// Appends what a non-ASCII character becomes; returns the byte count.
    fn other(self, c: char, out: &mut Vec<u8>) -> usize {
        match self {
            Filter::Alnum if c.is_alphanumeric() => {
                let before = out.len();
                let mut buf = [0u8; 4];
                for l in c.to_lowercase() {
                    out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
                }
                out.len() - before
            }
            _ => 0,
        }
    }

    /// What each ASCII byte becomes (0: dropped).
    const fn table(self) -> [u8; 128] {
        let mut t = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            let c = b as u8;
            t[b] = match self {
                Filter::Alnum if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
                Filter::Base64 if c.is_ascii_alphanumeric() || c == b'+' || c == b'/' => c,
                Filter::Base64 if c == b'-' => b'+',
                Filter::Base64 if c == b'_' => b'/',
                _ => 0,
            };
            b += 1;
        }
        t
    }

    fn bytes(self) -> &'static [u8; 128] {
        const ALNUM: [u8; 128] = Filter::Alnum.table();
        const BASE64: [u8; 128] = Filter::Base64.table();
        match self {
            Filter::Alnum => &ALNUM,
            Filter::Base64 => &BASE64,
        }
    }

    fn stream(self, text: &str) -> Stream {
        let table = self.bytes();
        let mut bytes = Vec::with_capacity(text.len());
        let mut marks = Vec::with_capacity(text.len() / TEXT_STRIDE + 1);
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            // A checkpoint at the first character start of every block.
            marks.push((bytes.len() as u32, i as u32));
            let block_end = (i + TEXT_STRIDE).min(b.len());
            let block = &b[i..block_end];
            if block.is_ascii() {
                // Branch-free: write every byte, advance past the kept ones.
                let start = bytes.len();
                bytes.resize(start + block.len(), 0);
                let out = &mut bytes[start..];
                let mut n = 0;
                for &c in block {
                    let x = table[usize::from(c)];
                    out[n] = x;
                    n += usize::from(x != 0);
                }
                bytes.truncate(start + n);
                i = block_end;
                continue;
            }
            while i < block_end {
                let c = b[i];
                if c < 0x80 {
                    let x = table[usize::from(c)];
                    if x != 0 {
                        bytes.push(x);
                    }
                    i += 1;
                } else {
                    let ch = text[i..].chars().next().unwrap_or(' ');
                    self.other(ch, &mut bytes);
                    i += ch.len_utf8();
                }
            }
        }
        Stream {
            bytes,
            src: Vec::new(),
            marks,
            filter: Some(self),
        }
    }

    /// The source range of the character that produced stream byte `k`,
    /// walking from the checkpoint before it.
    fn locate(self, text: &str, marks: &[(u32, u32)], k: usize) -> (usize, usize) {
        let m = marks.partition_point(|&(pos, _)| pos as usize <= k).saturating_sub(1);
        let (mut pos, mut i) = marks.get(m).map_or((0, 0), |&(p, t)| (p as usize, t as usize));
        let mut scratch = Vec::new();
        while i < text.len() {
            let ch = text[i..].chars().next().unwrap_or(' ');
            let n = if ch.is_ascii() {
                usize::from(self.bytes()[ch as usize] != 0)
            } else {
                scratch.clear();
                self.other(ch, &mut scratch)
            };
            if pos + n > k {
                return (i, i + ch.len_utf8());
            }
            pos += n;
            i += ch.len_utf8();
        }
        (text.len(), text.len())
    }
}

impl Stream {
    /// The source range covering stream bytes `s..e` (non-empty); `text` is
    /// the text the stream was built from.
    pub(crate) fn source(&self, text: &str, s: usize, e: usize) -> (usize, usize) {
        match self.filter {
            None => (self.src[s].0 as usize, self.src[e - 1].1 as usize),
            Some(f) => (f.locate(text, &self.marks, s).0, f.locate(text, &self.marks, e - 1).1),
        }
    }
}

/// Lowercase letters and digits of `text`; everything else dropped.
pub(crate) fn alnum(text: &str) -> Stream {
    Filter::Alnum.stream(text)
}

/// Base64 alphabet characters of `text`, case kept, URL-safe `-_` mapped to
/// `+/`; everything else (whitespace, line breaks, padding) dropped.
pub(crate) fn base64_chars(text: &str) -> Stream {
    Filter::Base64.stream(text)
}

/// The ASCII letters and digits hidden as Unicode tag characters
/// (U+E0020–E007E), lowercased.
pub(crate) fn tag_chars(text: &str) -> Stream {
    let mut st = Stream::default();
    // Tag characters are 4-byte sequences starting F3 A0.
    if memchr::memmem::find(text.as_bytes(), b"\xF3\xA0").is_none() {
        return st;
    }
    for (i, c) in text.char_indices() {
        let u = c as u32;
        if (0xE0020..=0xE007E).contains(&u) {
            let a = (u - 0xE0000) as u8;
            if a.is_ascii_alphanumeric() {
                st.bytes.push(a.to_ascii_lowercase());
                st.src.push((i as u32, (i + 4) as u32));
            }
        }
    }
    st
}

/// One word: a maximal run of letters and digits, hashed lowercase.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Word {
    pub(crate) hash: u64,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// Number of characters.
    pub(crate) chars: u32,
    /// True for words of ASCII digits only.
    pub(crate) digits: bool,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a over bytes.
#[cfg(test)]
pub(crate) fn fnv(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// Splits `text` into words (letters and digits; case folded). ASCII is
/// handled byte by byte; other characters are decoded.
pub(crate) fn words(text: &str, out: &mut Vec<Word>) {
    each_word(text, |w| out.push(w));
}

/// [`words`], one at a time, with no vector.
pub(crate) fn each_word(text: &str, mut push: impl FnMut(Word)) {
    const NONE: usize = usize::MAX;
    let b = text.as_bytes();
    let (mut start, mut h, mut n, mut digits) = (NONE, FNV_OFFSET, 0u32, true);
    let mut buf = [0u8; 4];
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if c.is_ascii_alphanumeric() {
                if start == NONE {
                    (start, h, n, digits) = (i, FNV_OFFSET, 0, true);
                }
                h = (h ^ c.to_ascii_lowercase() as u64).wrapping_mul(FNV_PRIME);
                n += 1;
                digits &= c.is_ascii_digit();
            } else if start != NONE {
                push(Word {
                    hash: h,
                    start,
                    end: i,
                    chars: n,
                    digits,
                });
                start = NONE;
            }
            i += 1;
            continue;
        }
        let ch = text[i..].chars().next().unwrap_or(' ');
        if ch.is_alphanumeric() {
            if start == NONE {
                (start, h, n) = (i, FNV_OFFSET, 0);
            }
            for l in ch.to_lowercase() {
                for &x in l.encode_utf8(&mut buf).as_bytes() {
                    h = (h ^ x as u64).wrapping_mul(FNV_PRIME);
                }
            }
            n += 1;
            digits = false;
        } else if start != NONE {
            push(Word {
                hash: h,
                start,
                end: i,
                chars: n,
                digits,
            });
            start = NONE;
        }
        i += ch.len_utf8();
    }
    if start != NONE {
        push(Word {
            hash: h,
            start,
            end: text.len(),
            chars: n,
            digits,
        });
    }
}

/// Hex digits, lowercase.
pub(crate) fn hex_lower(bytes: &[u8]) -> Vec<u8> {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(H[(b >> 4) as usize]);
        out.push(H[(b & 15) as usize]);
    }
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 without padding.
pub(crate) fn base64_encode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.len();
        let v =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for k in 0..=n {
            out.push(B64[((v >> (18 - 6 * k)) & 63) as usize]);
        }
    }
    out
}

/// The base64 substrings that encode `value` wherever it sits in a longer
/// encoded text: one per byte alignment, keeping only the characters fully
/// determined by `value`'s bytes.
pub(crate) fn base64_cores(value: &[u8]) -> Vec<Vec<u8>> {
    let mut cores = Vec::new();
    for k in 0..3usize {
        let mut padded = vec![0u8; k];
        padded.extend_from_slice(value);
        let enc = base64_encode(&padded);
        let first = (8 * k).div_ceil(6);
        let last = (8 * (k + value.len())) / 6; // exclusive
        if last > first && last <= enc.len() {
            cores.push(enc[first..last].to_vec());
        }
    }
    cores
}

/// Decodes base64 (standard or URL-safe, padding optional); `None` when a
/// character is outside the alphabet.
pub(crate) fn base64_decode(s: &[u8]) -> Option<Vec<u8>> {
    let s = s.strip_suffix(b"==").or_else(|| s.strip_suffix(b"=")).unwrap_or(s);
    crate::codec::base64_decode(s)
}

/// Decodes hex digits (pairs), ignoring nothing; `None` on odd length or a
/// non-hex byte.
pub(crate) fn hex_decode(s: &[u8]) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    let v = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    s.chunks(2).map(|p| Some(v(p[0])? << 4 | v(p[1])?)).collect()
}

/// ROT13 of ASCII letters.
pub(crate) fn rot13(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| match b {
            b'a'..=b'z' => (b - b'a' + 13) % 26 + b'a',
            b'A'..=b'Z' => (b - b'A' + 13) % 26 + b'A',
            _ => b,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip_and_cores() {
        let v = b"hello canary 1234";
        let enc = base64_encode(v);
        assert_eq!(base64_decode(&enc).unwrap(), v);
        for pre in ["", "x", "xy", "xyz"] {
            let mut s = pre.as_bytes().to_vec();
            s.extend_from_slice(v);
            s.extend_from_slice(b" tail");
            let enc = base64_encode(&s);
            assert!(
                base64_cores(v).iter().any(|c| memchr::memmem::find(&enc, c).is_some()),
                "{pre}"
            );
        }
    }

    #[test]
    fn filtered_streams_map_back_exactly() {
        // Every byte of the stream maps to the character that produced it,
        // also past many checkpoints and across long runs of dropped text.
        let text = format!(
            "Ab-c_d {} É߀ŉ x{}y {} z9",
            "q1 ".repeat(200),
            " ".repeat(3000),
            "İstanbul ÄÖÜ ".repeat(30)
        );
        for stream in [alnum(&text), base64_chars(&text)] {
            let mut exact = Vec::new();
            for (i, c) in text.char_indices() {
                let mut once = Vec::new();
                let n = match stream.filter {
                    Some(f) if c.is_ascii() => usize::from(f.bytes()[c as usize] != 0),
                    Some(f) => f.other(c, &mut once),
                    None => unreachable!(),
                };
                exact.extend(std::iter::repeat_n((i, i + c.len_utf8()), n));
            }
            assert_eq!(exact.len(), stream.bytes.len());
            for (k, &want) in exact.iter().enumerate() {
                assert_eq!(stream.source(&text, k, k + 1), want, "byte {k}");
            }
        }
    }

    #[test]
    fn words_split() {
        let mut w = Vec::new();
        words("Hello, WORLD 42", &mut w);
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].hash, fnv(b"hello"));
        assert_eq!(w[1].hash, fnv(b"world"));
        assert!(w[2].digits);
        assert_eq!((w[1].start, w[1].end), (7, 12));
    }

    #[test]
    fn hex_and_rot13() {
        assert_eq!(hex_lower(b"Az"), b"417a");
        assert_eq!(hex_decode(b"417A").unwrap(), b"Az");
        assert_eq!(rot13(b"bluemoon"), b"oyhrzbba");
    }
}
