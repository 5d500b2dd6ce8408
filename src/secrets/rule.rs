//! Rule records: the policy form (`[[secrets.rules]]`), the built-in data
//! file format, and synthetic example values.

use serde::{Deserialize, Serialize};

/// One secret rule, as written in a policy file or in the built-in rule
/// files.
///
/// The pattern runs only in a window of `max_len` bytes around a hit of one
/// of the `anchors` (literal strings, case-sensitive; an anchor written
/// `(?i)word` matches any ASCII casing, `apiKey` and `API_KEY` alike). The secret is the first
/// capture group that took part in the match, or the whole match when the
/// pattern has no group. Validators then check the secret (see
/// [`SecretRule::validators`]).
///
/// ```toml
/// [[secrets.rules]]
/// id = "acme.token"
/// provider = "Acme"
/// kind = "acme_token"
/// anchors = ["acme_"]
/// pattern = '(?-u:\b)acme_[A-Za-z0-9]{32}(?-u:\b)'
/// validators = ["entropy=3.5"]
/// confidence = 0.9
/// examples = ["acme_{a:32}"]
/// negative_examples = ["acme_short"]
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretRule {
    /// Stable rule id, reported in findings (`github.classic`).
    pub id: String,
    /// Who issues the secret (`GitHub`).
    #[serde(default)]
    pub provider: String,
    /// The finding kind, snake_case (`github_token`).
    pub kind: String,
    /// Literal prefilter strings; at least one.
    pub anchors: Vec<String>,
    /// The pattern (Rust `regex` syntax). Use `(?-u:\b)`, never `\b`.
    pub pattern: String,
    /// Checks after the match: `len=N` or `len=MIN..MAX`, `entropy=BITS`,
    /// `digit`, `mixed`, `placeholder`, `identifier` (an unquoted value must
    /// not be a bare variable name; `mixed=made_up` and `identifier=made_up`
    /// let a made-up value through, for `not_made_up=F` to score), `crc32`, `jwt`, `pem`, `base64_pem`,
    /// `basic_auth`, `url_password`, `not_suffix=TEXT`, `base64_min=N`
    /// (decodes to at least N bytes), `discord_id`, `not_made_up` (no
    /// `abcdef`/`123456` runs, interleaved counts or repeated chunks;
    /// `not_made_up=0.5` keeps such values at half the score instead),
    /// `not_structured` (not a slug of words, base64 of a host name or a
    /// time-based UUID), `names_value` (the word before the value does not
    /// call it an id, name, size or hash: `token id …`).
    #[serde(default)]
    pub validators: Vec<String>,
    /// Score of a validated match, in `[0, 1]`.
    #[serde(default = "default_confidence")]
    pub confidence: f32,
    /// Example templates that must match (see [`synthesize`]).
    #[serde(default)]
    pub examples: Vec<String>,
    /// Example templates that must not match.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// The longest text one match can cover, in bytes (default 256).
    #[serde(default)]
    pub max_len: Option<usize>,
    /// How far before an anchor hit a match can start, in bytes (default
    /// 8; raise it when the anchor sits in the middle of the pattern).
    #[serde(default)]
    pub lookbehind: Option<usize>,
}

fn default_confidence() -> f32 {
    0.8
}

/// Parses the built-in rule file format: `[id]` headers followed by
/// `key = value` lines; `example` and `negative` may repeat; `#` starts a
/// comment line. Errors name the line.
pub(crate) fn parse_rule_file(name: &str, text: &str) -> Result<Vec<SecretRule>, String> {
    let mut rules: Vec<SecretRule> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("{name}:{}", n + 1);
        if let Some(id) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            rules.push(SecretRule {
                id: id.trim().to_string(),
                provider: String::new(),
                kind: String::new(),
                anchors: Vec::new(),
                pattern: String::new(),
                validators: Vec::new(),
                confidence: default_confidence(),
                examples: Vec::new(),
                negative_examples: Vec::new(),
                max_len: None,
                lookbehind: None,
            });
            continue;
        }
        let Some(rule) = rules.last_mut() else {
            return Err(format!("{}: field before the first [rule]", at()));
        };
        let Some((key, value)) = line.split_once(" = ") else {
            return Err(format!("{}: expected `key = value`", at()));
        };
        let value = value.trim().to_string();
        match key.trim() {
            "provider" => rule.provider = value,
            "kind" => rule.kind = value,
            // `\s` in an anchor stands for a space (anchors are
            // whitespace-separated); a `[...]` class expands to one anchor
            // per byte, so that short prefixes (`SK` + hex) get anchors of
            // three bytes or more, which the prefilter finds cheaply.
            "anchors" => {
                for a in value.split_whitespace() {
                    let before = rule.anchors.len();
                    expand_anchor(&a.replace("\\s", " "), &mut rule.anchors);
                    if rule.anchors.len() - before > 256 {
                        return Err(format!("{}: anchor `{a}` expands to too many anchors", at()));
                    }
                }
            }
            "pattern" => rule.pattern = value,
            "validators" => rule.validators.extend(value.split_whitespace().map(str::to_string)),
            "confidence" => {
                rule.confidence = value.parse().map_err(|_| format!("{}: bad confidence", at()))?;
            }
            "max_len" => rule.max_len = Some(value.parse().map_err(|_| format!("{}: bad max_len", at()))?),
            "lookbehind" => {
                rule.lookbehind = Some(value.parse().map_err(|_| format!("{}: bad lookbehind", at()))?);
            }
            "example" => rule.examples.push(value),
            "negative" => rule.negative_examples.push(value),
            other => return Err(format!("{}: unknown field `{other}`", at())),
        }
    }
    Ok(rules)
}

/// Expands the first `[...]` byte class of a built-in anchor (ranges
/// `a-f`, `\t` for a tab; no nesting) and recurses on the rest. An
/// anchor without a class is pushed as is.
fn expand_anchor(anchor: &str, out: &mut Vec<String>) {
    let Some(open) = anchor.find('[') else {
        out.push(anchor.to_string());
        return;
    };
    let Some(close) = anchor[open..].find(']').map(|c| open + c) else {
        out.push(anchor.to_string());
        return;
    };
    let class = anchor[open + 1..close].replace("\\t", "\t");
    let b = class.as_bytes();
    let mut bytes = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if i + 2 < b.len() && b[i + 1] == b'-' {
            bytes.extend(b[i]..=b[i + 2]);
            i += 3;
        } else {
            bytes.push(b[i]);
            i += 1;
        }
    }
    for c in bytes {
        if c.is_ascii() {
            let one = format!("{}{}{}", &anchor[..open], c as char, &anchor[close + 1..]);
            expand_anchor(&one, out);
        }
    }
}

/// Builds a synthetic text from an example template, deterministically from
/// `seed`. Placeholders: `{a:N}` base62, `{h:N}` lowercase hex, `{H:N}`
/// uppercase hex, `{L:N}` letters, `{d:N}` digits, `{u:N}` `A-Z0-9`, `{l:N}` `a-z0-9`,
/// `{w:N}` `A-Za-z0-9_-`, `{b:N}` base64 (`A-Za-z0-9+/`), `{B:N}` base32
/// (`A-Z2-7`), `{z:N}` lowercase base32, `{c:N}` N base62 characters followed by their 6-character
/// CRC32 checksum (GitHub/npm style), `{uuid}`, `{jwt}`, `{pem:LABEL}` (a
/// private key block), `{pem64}` (base64 of a PEM key), `{basic}` (base64 of
/// `user:password`), `{nl}` a newline.
/// Anything else is literal.
///
/// ```
/// use palisade::secrets::synthesize;
/// let s = synthesize("ghp_{c:30}", 7);
/// assert_eq!(s.len(), 40);
/// assert_eq!(synthesize("ghp_{c:30}", 7), s);
/// ```
pub fn synthesize(template: &str, seed: u64) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03);
    let mut out = String::with_capacity(template.len() * 2);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let token = after.find('}').map(|close| (&after[..close], close));
        match token.and_then(|(t, close)| expand(t, &mut rng).map(|s| (s, close))) {
            Some((s, close)) => {
                out.push_str(&s);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0 | 1;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[(self.next() >> 33) as usize % alphabet.len()] as char)
            .collect()
    }
}

const ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn b64_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = match chunk.len() {
            3 => (chunk[0] as u32) << 16 | (chunk[1] as u32) << 8 | chunk[2] as u32,
            2 => (chunk[0] as u32) << 16 | (chunk[1] as u32) << 8,
            _ => (chunk[0] as u32) << 16,
        };
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn pem(rng: &mut Rng, label: &str) -> String {
    let mut s = format!("-----BEGIN {label}-----\n");
    for _ in 0..4 {
        s.push_str(&rng.pick(B64, 64));
        s.push('\n');
    }
    s.push_str(&format!("-----END {label}-----"));
    s
}

fn expand(token: &str, rng: &mut Rng) -> Option<String> {
    match token {
        "uuid" => {
            let h = rng.pick(b"0123456789abcdef", 32);
            return Some(format!(
                "{}-{}-4{}-a{}-{}",
                &h[..8],
                &h[8..12],
                &h[13..16],
                &h[17..20],
                &h[20..]
            ));
        }
        "nl" => return Some("\n".into()),
        "jwt" => {
            let header = b64_encode(br#"{"alg":"HS256","typ":"JWT"}"#);
            let body = format!(r#"{{"sub":"{}","iat":1700000000}}"#, rng.pick(ALNUM, 12));
            let body = b64_encode(body.as_bytes());
            let sig = rng.pick(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 43);
            let url = |s: String| s.trim_end_matches('=').replace('+', "-").replace('/', "_");
            return Some(format!("{}.{}.{}", url(header), url(body), sig));
        }
        "pem64" => return Some(b64_encode(pem(rng, "RSA PRIVATE KEY").as_bytes())),
        "basic" => return Some(b64_encode(format!("svc:{}", rng.pick(ALNUM, 14)).as_bytes())),
        _ => {}
    }
    if let Some(label) = token.strip_prefix("pem:") {
        return Some(pem(rng, label));
    }
    let (class, n) = token.split_once(':')?;
    let n: usize = n.parse().ok().filter(|&n| n <= 4096)?;
    let alphabet: &[u8] = match class {
        "a" | "c" => ALNUM,
        "h" => b"0123456789abcdef",
        "H" => b"0123456789ABCDEF",
        "d" => b"0123456789",
        "u" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "L" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        "z" => b"abcdefghijklmnopqrstuvwxyz234567",
        "l" => b"abcdefghijklmnopqrstuvwxyz0123456789",
        "w" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        "b" => B64,
        "B" => b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        _ => return None,
    };
    let mut s = rng.pick(alphabet, n);
    if class == "c" {
        let sum = super::validate::base62_6(super::validate::crc32(s.as_bytes()));
        s.push_str(std::str::from_utf8(&sum).unwrap_or("000000"));
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_expand() {
        let s = synthesize("x{h:8}y{nl}{uuid}{bogus}{", 1);
        assert!(s.starts_with('x') && s.contains("y\n") && s.ends_with("{bogus}{"));
        assert!(super::super::validate::github_checksum(&synthesize("ghp_{c:30}", 3)));
        assert!(super::super::validate::is_jwt(&synthesize("{jwt}", 3)));
        assert!(super::super::validate::is_pem(&synthesize("{pem:RSA PRIVATE KEY}", 3)));
        assert!(super::super::validate::is_base64_pem(&synthesize("{pem64}", 3)));
    }

    #[test]
    fn anchor_classes_expand() {
        let mut out = Vec::new();
        expand_anchor("SK[0-2a]", &mut out);
        assert_eq!(out, ["SK0", "SK1", "SK2", "SKa"]);
        out.clear();
        expand_anchor("[0-1][x-y]|", &mut out);
        assert_eq!(out, ["0x|", "0y|", "1x|", "1y|"]);
        out.clear();
        expand_anchor("-H[\\t ]", &mut out);
        assert_eq!(out, ["-H\t", "-H "]);
    }

    #[test]
    fn rule_file_errors_name_the_line() {
        let e = parse_rule_file("t", "[a]\nbogus = 1").unwrap_err();
        assert_eq!(e, "t:2: unknown field `bogus`");
        assert!(parse_rule_file("t", "kind = x").is_err());
    }
}
