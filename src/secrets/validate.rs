//! Validators run after a rule's pattern matched: cheap structural checks
//! first (length, alphabet), then checksums and decoders.

/// The outcome of validating one candidate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Outcome {
    /// Reject the candidate.
    Reject,
    /// Keep it; the factor multiplies the rule's confidence.
    Keep(f32),
}

/// One compiled validator.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Validator {
    /// Secret length in bytes within `min..=max`.
    Len(usize, usize),
    /// Shannon entropy of the secret at least this many bits per character,
    /// or, for a hex value (16 symbols cannot reach the bits of a wider
    /// alphabet), at least what 99% of random hex values of its length
    /// reach (see [`hex_entropy_floor`]).
    Entropy(f32),
    /// At least one ASCII digit.
    Digit,
    /// At least one ASCII letter and one digit; with `true`
    /// (`mixed=made_up`), a made-up value passes too (see [`is_made_up`]):
    /// a rule that keeps such values at a lower score with
    /// `not_made_up=F` lets that validator judge them, whatever their
    /// alphabet (`1234567890…` and `abcdefgh…` alike).
    Mixed(bool),
    /// Reject placeholders, variable references and common words.
    Placeholder,
    /// GitHub / npm CRC32 base62 checksum over the 30-character body
    /// (a failure lowers the score instead of rejecting).
    Crc32,
    /// Three base64url segments, the first two decode to JSON objects.
    Jwt,
    /// A PEM private key block with a matching END line and a real body.
    Pem,
    /// Base64 that decodes to a PEM private key.
    Base64Pem,
    /// A password in a URL: not equal to the user name, not a placeholder.
    UrlPassword,
    /// The secret must not end with this suffix (docs examples).
    NotSuffix(String),
    /// Base64 of `user:password` with a real password.
    BasicAuth,
    /// An unquoted value must not be a bare identifier (a variable name);
    /// with `true` (`identifier=made_up`), a made-up value
    /// (`abcdefghijklmnopqrstuvwxyz…`) is not taken for one (see
    /// [`Validator::Mixed`]).
    Identifier(bool),
    /// The assigned key must name a credential, not its id, name, path,
    /// length or URL (`credentialsId`, `token_url`, `secret_length`).
    KeyName,
    /// Values typed by a person (`abcdef…`, `123456…`, `a1b2c3…`,
    /// repeated chunks, see [`is_made_up`]): rejected, or, with a factor
    /// (`not_made_up=0.5`), kept at a lower score.
    NotMadeUp(Option<f32>),
    /// Reject values with a visible non-random structure: see
    /// [`is_structured`].
    NotStructured,
    /// Base64 that decodes to at least this many bytes.
    Base64Min(usize),
    /// A Discord bot token: the first segment is base64 of the bot's
    /// numeric id (17 to 20 digits).
    DiscordId,
    /// The last word before the value must not say the value is an
    /// identifier, a size or a digest (`token id …`, `secret_name …`,
    /// `key hash …`): see [`names_a_value`].
    NamesValue,
}

impl Validator {
    /// Parses `name` or `name=arg`.
    pub(crate) fn parse<'a>(spec: &'a str) -> Result<Validator, String> {
        let (name, arg) = match spec.split_once('=') {
            Some((n, a)) => (n.trim(), Some(a.trim())),
            None => (spec.trim(), None),
        };
        let need = |a: Option<&'a str>| a.ok_or_else(|| format!("validator `{name}` needs an argument"));
        Ok(match name {
            "len" => {
                let a = need(arg)?;
                let (lo, hi) = match a.split_once("..") {
                    Some((lo, hi)) => (lo, hi),
                    None => (a, a),
                };
                let lo: usize = lo.parse().map_err(|_| format!("bad length `{a}`"))?;
                let hi: usize = hi.parse().map_err(|_| format!("bad length `{a}`"))?;
                if lo > hi {
                    return Err(format!("bad length `{a}`"));
                }
                Validator::Len(lo, hi)
            }
            "entropy" => {
                let a = need(arg)?;
                let v: f32 = a.parse().map_err(|_| format!("bad entropy `{a}`"))?;
                if !(0.0..=8.0).contains(&v) {
                    return Err(format!("entropy `{a}` outside 0..8"));
                }
                Validator::Entropy(v)
            }
            "not_suffix" => Validator::NotSuffix(need(arg)?.to_string()),
            "base64_min" => {
                let a = need(arg)?;
                Validator::Base64Min(a.parse().map_err(|_| format!("bad length `{a}`"))?)
            }
            "digit" => Validator::Digit,
            "mixed" => Validator::Mixed(made_up_arg(name, arg)?),
            "placeholder" => Validator::Placeholder,
            "crc32" => Validator::Crc32,
            "jwt" => Validator::Jwt,
            "pem" => Validator::Pem,
            "base64_pem" => Validator::Base64Pem,
            "url_password" => Validator::UrlPassword,
            "basic_auth" => Validator::BasicAuth,
            "identifier" => Validator::Identifier(made_up_arg(name, arg)?),
            "keyname" => Validator::KeyName,
            "not_made_up" => Validator::NotMadeUp(match arg {
                None => None,
                Some(a) => Some(
                    a.parse::<f32>()
                        .ok()
                        .filter(|f| (0.0..=1.0).contains(f))
                        .ok_or_else(|| format!("bad factor `{a}`"))?,
                ),
            }),
            "not_structured" => Validator::NotStructured,
            "discord_id" => Validator::DiscordId,
            "names_value" => Validator::NamesValue,
            _ => return Err(format!("unknown validator `{name}`")),
        })
    }

    /// Checks `secret`; `matched` is the whole pattern match around it,
    /// `key` the identifier that ends where the match starts plus the
    /// match's own leading identifier (the assigned name), and `quoted`
    /// tells whether the secret sits between matching quotes.
    pub(crate) fn check(&self, secret: &str, matched: &str, key: &str, quoted: bool) -> Outcome {
        let ok = match self {
            Validator::Len(lo, hi) => (*lo..=*hi).contains(&secret.len()),
            Validator::Entropy(min) => {
                let e = entropy(secret);
                e >= *min || hex_entropy_floor(secret).is_some_and(|floor| e >= floor)
            }
            Validator::Digit => secret.bytes().any(|b| b.is_ascii_digit()),
            Validator::Mixed(made_up) => {
                (secret.bytes().any(|b| b.is_ascii_digit()) && secret.bytes().any(|b| b.is_ascii_alphabetic()))
                    || (*made_up && is_made_up(secret))
            }
            Validator::Placeholder => !is_placeholder(secret),
            Validator::Crc32 => {
                return if github_checksum(secret) {
                    Outcome::Keep(1.0)
                } else {
                    Outcome::Keep(0.7)
                };
            }
            Validator::Jwt => is_jwt(secret),
            Validator::Pem => is_pem(secret),
            Validator::Base64Pem => is_base64_pem(secret),
            Validator::UrlPassword => url_password_ok(secret, matched),
            Validator::NotSuffix(s) => !secret.ends_with(s.as_str()),
            Validator::BasicAuth => is_basic_auth(secret),
            Validator::Identifier(made_up) => {
                quoted
                    || escaped_quotes(secret, matched)
                    || !is_bare_identifier(secret)
                    || env_assignment(key, matched, secret)
                    || (*made_up && is_made_up(secret))
            }
            Validator::KeyName => key_name_ok(key),
            Validator::NotMadeUp(factor) => match (is_made_up(secret), factor) {
                (false, _) => true,
                (true, Some(f)) => return Outcome::Keep(*f),
                (true, None) => false,
            },
            Validator::NotStructured => !is_structured(secret),
            Validator::DiscordId => secret
                .split('.')
                .next()
                .and_then(base64_decode)
                .is_some_and(|id| (17..=20).contains(&id.len()) && id.iter().all(u8::is_ascii_digit)),
            Validator::Base64Min(n) => base64_decode(secret).is_some_and(|b| b.len() >= *n),
            Validator::NamesValue => names_a_value(secret, matched),
        };
        if ok { Outcome::Keep(1.0) } else { Outcome::Reject }
    }
}

/// Words that, just before a value, say it is not a credential but its
/// identifier, name, size or digest (`token id`, `secret_name`, `key
/// hash`).
const NOT_VALUE_WORDS: &[&str] = &["hash", "sha", "digest", "checksum", "commit", "number", "index"];

/// Whether the last word of `matched` before `secret` (after a `_`, `-` or
/// `.`) may introduce a credential: not one of [`KEY_SUFFIXES`] or
/// [`NOT_VALUE_WORDS`].
fn names_a_value(secret: &str, matched: &str) -> bool {
    let Some(at) = matched.rfind(secret) else {
        return true;
    };
    let before = matched[..at].trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    let word = before.rsplit(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
    // camelCase: the last hump (`tokenId`).
    let word = word
        .rfind(|c: char| c.is_ascii_uppercase())
        .filter(|&i| i > 0 && word[..i].bytes().any(|b| b.is_ascii_lowercase()))
        .map_or(word, |i| &word[i..]);
    let word = word.to_ascii_lowercase();
    !(KEY_SUFFIXES.contains(&word.as_str()) || NOT_VALUE_WORDS.contains(&word.as_str()))
}

/// Whether `secret` sits between escaped quotes in `matched` (`\"value\"`
/// inside a JSON or C string): a quoted literal, not a variable name.
fn escaped_quotes(secret: &str, matched: &str) -> bool {
    ["\\\"", "\\'"]
        .iter()
        .any(|q| matched.contains(&format!("{q}{secret}{q}")))
}

/// The optional argument of `mixed` and `identifier`: none, or `made_up`.
fn made_up_arg(name: &str, arg: Option<&str>) -> Result<bool, String> {
    match arg {
        None => Ok(false),
        Some("made_up") => Ok(true),
        Some(a) => Err(format!("validator `{name}` takes `made_up` or nothing, not `{a}`")),
    }
}

/// A value typed by a person rather than generated: a run of 6 or more
/// consecutive characters of the alphabet or of the digits (`abcdef`,
/// `123456`, `987654`), many short runs (`wxyz1234-klmn5678`), an
/// interleaved count (`a1b2c3d4e5`), or a short
/// chunk repeated (`abcdabcdabcd`, `Asdf1234asdf1234`). A random value of
/// a real token has such a pattern with a probability far below 10^-5.
pub(crate) fn is_made_up(v: &str) -> bool {
    let b = v.as_bytes();
    let n = b.len();
    let alnum = |c: u8| c.is_ascii_alphanumeric();
    let step = |x: u8, y: u8, d: i16| alnum(x) && alnum(y) && y as i16 - x as i16 == d;
    for stride in [1usize, 2] {
        let need = if stride == 1 { 5 } else { 6 };
        for d in [1i16, -1] {
            let mut run = 0;
            for i in 0..n.saturating_sub(stride) {
                if step(b[i], b[i + stride], d) {
                    run += 1;
                    if run >= need {
                        return true;
                    }
                } else {
                    run = 0;
                }
            }
        }
    }
    // Many short runs (`XYZ98765-WXYZ1234`, `abcde123-fghij456`): places
    // where three characters count up or down, at least one per four
    // characters (and four). A random hex value has about 0.3 of them per
    // 40 characters.
    let triples = (0..n.saturating_sub(2))
        .filter(|&i| {
            [1i16, -1]
                .iter()
                .any(|&d| step(b[i], b[i + 1], d) && step(b[i + 1], b[i + 2], d))
        })
        .count();
    if triples >= 4 && triples * 4 >= n {
        return true;
    }
    // A chunk of 1 to 16 characters repeated over 3 periods (at least 12
    // characters), ignoring case.
    for p in 1..=16usize {
        let need = (3 * p).max(12);
        if n < need {
            break;
        }
        let mut run = 0;
        for i in 0..n - p {
            if b[i].eq_ignore_ascii_case(&b[i + p]) && alnum(b[i]) {
                run += 1;
                if run + p >= need {
                    return true;
                }
            } else {
                run = 0;
            }
        }
    }
    false
}

/// A value whose structure shows it is not key material:
/// - a slug of words (`are-correct_280`, `cmp2-qat-1208358310`): three or
///   more parts split by `-`, `_` or `.`, each letters then digits, whose
///   letters read as a word (one case, or one capital first, or a short
///   upper-case tail like `correctAB`), not all hex;
/// - base64 that decodes to a bare host name (`bedrock.amazonaws.com`):
///   encoded text, not a key;
///
/// A made-up value (see [`is_made_up`]) is left to that check.
pub(crate) fn is_structured(v: &str) -> bool {
    (is_slug(v) && !is_made_up(v)) || is_base64_host(v)
}

fn is_slug(v: &str) -> bool {
    let (mut parts, mut lettered, mut beyond_hex) = (0usize, 0usize, false);
    for p in v.split(['-', '_', '.']) {
        let letters = p.trim_end_matches(|c: char| c.is_ascii_digit());
        if p.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
            return false;
        }
        // Case changes inside the letters: a word has at most two
        // (`Hello`, `correctAB`, `HelloWorld`); random letters have many.
        let b = letters.as_bytes();
        let changes = b
            .windows(2)
            .filter(|w| w[0].is_ascii_uppercase() != w[1].is_ascii_uppercase())
            .count();
        if changes > 2 {
            return false;
        }
        parts += 1;
        lettered += usize::from(!letters.is_empty());
        // Hex groups (`ab12-cd34-…`) are not words.
        beyond_hex |= b.iter().any(|c| !c.is_ascii_hexdigit());
    }
    parts >= 3 && lettered >= 2 && beyond_hex
}

fn is_base64_host(v: &str) -> bool {
    if v.len() < 16 {
        return false;
    }
    let Some(bytes) = base64_decode(v) else {
        return false;
    };
    // The last group may carry stray bits: judge all but the last byte.
    let text = &bytes[..bytes.len().saturating_sub(1)];
    text.len() >= 10
        && text.iter().filter(|&&b| b == b'.').count() >= 2
        && text
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// For a hex value of 16 to 64 characters with both digits and letters
/// (one case), the entropy that 99% of uniformly random hex values of that
/// length reach: about `4 - 18 / n^0.93` bits (2.7 at 16 characters, 3.3
/// at 32, 3.6 at 64, fitted to simulation). A fixed threshold made for
/// base62 values rejects random hex: 3.5 bits turns away a fifth of random
/// 32-character hex keys and most 20-character ones. `None` for any other
/// value, which keeps the rule's own threshold.
pub(crate) fn hex_entropy_floor(v: &str) -> Option<f32> {
    let b = v.as_bytes();
    let n = b.len();
    if !(16..=64).contains(&n) || !b.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let lower = b.iter().any(|c| matches!(c, b'a'..=b'f'));
    let upper = b.iter().any(|c| matches!(c, b'A'..=b'F'));
    let digit = b.iter().any(u8::is_ascii_digit);
    if lower == upper || !digit {
        return None;
    }
    Some(4.0 - 18.0 / (n as f32).powf(0.93))
}

/// Shannon entropy in bits per byte.
pub(crate) fn entropy(s: &str) -> f32 {
    if s.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f32;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f32 / n;
            -p * p.log2()
        })
        .sum()
}

/// The IEEE CRC32 (as used by zlib and GitHub's token checksum).
pub(crate) fn crc32(data: &[u8]) -> u32 {
    const fn table() -> [u32; 256] {
        let mut t = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
                k += 1;
            }
            t[n] = c;
            n += 1;
        }
        t
    }
    static TABLE: [u32; 256] = table();
    let mut crc = !0u32;
    for &b in data {
        crc = TABLE[((crc ^ b as u32) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `n` in base62 (`0-9A-Za-z`), left-padded with `0` to 6 characters.
pub(crate) fn base62_6(mut n: u32) -> [u8; 6] {
    let mut out = [b'0'; 6];
    let mut i = 6;
    while n > 0 && i > 0 {
        i -= 1;
        out[i] = BASE62[(n % 62) as usize];
        n /= 62;
    }
    out
}

/// GitHub classic / npm token checksum: `prefix_` + 30 base62 + 6 base62
/// digits of the CRC32 of those 30.
pub(crate) fn github_checksum(token: &str) -> bool {
    let Some((_, rest)) = token.rsplit_once('_') else {
        return false;
    };
    let b = rest.as_bytes();
    if b.len() != 36 || !b.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    base62_6(crc32(&b[..30])) == b[30..]
}

/// Decodes base64 (standard or URL alphabet, padding optional, whitespace
/// not allowed). `None` on any invalid character.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    crate::codec::base64_decode(s.trim_end_matches('=').as_bytes())
}

/// Three dot-separated base64url segments; the first two decode to JSON
/// objects and the header names an algorithm or a type.
pub(crate) fn is_jwt(s: &str) -> bool {
    let mut parts = s.split('.');
    let (Some(h), Some(p), Some(sig)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    if parts.next().is_some() || sig.is_empty() {
        return false;
    }
    let object = |seg: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
        let bytes = base64_decode(seg)?;
        match serde_json::from_slice::<serde_json::Value>(&bytes).ok()? {
            serde_json::Value::Object(m) => Some(m),
            _ => None,
        }
    };
    match (object(h), object(p)) {
        (Some(h), Some(_)) => h.contains_key("alg") || h.contains_key("typ"),
        // A damaged header or payload still reads as JSON text.
        _ => json_like(h) && json_like(p) && sig.len() >= 16,
    }
}

fn json_like(seg: &str) -> bool {
    base64_decode(seg).is_some_and(|b| {
        let t = String::from_utf8_lossy(&b);
        t.starts_with("{\"") && t.contains("\":") && t.trim_end().ends_with('}')
    })
}

/// A PEM private-key block: `-----BEGIN X PRIVATE KEY-----`, a body of at
/// least 64 base64 characters (`\n` escapes and headers allowed), and an END
/// line with the same label.
pub(crate) fn is_pem(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("-----BEGIN ") else {
        return false;
    };
    let Some(label_end) = rest.find("-----") else {
        return false;
    };
    let label = &rest[..label_end];
    let body_and_end = &rest[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let Some(body) = body_and_end.strip_suffix(end_marker.as_str()) else {
        return false;
    };
    let body = body.replace("\\n", "\n").replace("\\r", "\n");
    let (mut b64, mut other) = (0usize, 0usize);
    for line in body.lines() {
        let line = line.trim();
        if line.contains(": ") {
            continue; // Proc-Type / DEK-Info headers
        }
        for b in line.bytes() {
            match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' | b'=' => b64 += 1,
                // Quoted and concatenated lines in source code.
                b'"' | b'\'' | b',' | b' ' | b'\t' | b'\\' => {}
                _ => other += 1,
            }
        }
    }
    b64 >= 64 && other * 20 <= b64 && !is_placeholder_body(&body)
}

fn is_placeholder_body(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("xxxxxxxx") || lower.contains("...") || entropy(body.trim()) < 3.0
}

/// Base64 text whose decoding is a PEM private key.
pub(crate) fn is_base64_pem(s: &str) -> bool {
    let take = s.len().min(4096) / 4 * 4;
    let Some(bytes) = base64_decode(&s[..take]) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    text.starts_with("-----BEGIN ") && text.contains("PRIVATE KEY-----")
}

/// Base64 that decodes to printable `user:password` with a password that is
/// not a placeholder.
pub(crate) fn is_basic_auth(s: &str) -> bool {
    let Some(bytes) = base64_decode(s) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    if text.chars().any(char::is_control) {
        return false;
    }
    match text.split_once(':') {
        Some((user, pass)) => !user.is_empty() && pass.len() >= 3 && !is_placeholder(pass) && user != pass,
        None => false,
    }
}

fn url_password_ok(secret: &str, matched: &str) -> bool {
    if is_placeholder(secret) {
        return false;
    }
    // `scheme://user:password@`: reject user == password.
    if let Some((user, _)) = matched.split("://").nth(1).and_then(|a| a.split_once(':'))
        && user == secret
    {
        return false;
    }
    true
}

const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "key",
    "null",
    "nil",
    "none",
    "true",
    "false",
    "undefined",
    "test",
    "testing",
    "admin",
    "root",
    "user",
    "username",
    "default",
    "empty",
    "string",
    "value",
    "changeit",
    "letmein",
    "guest",
    "foo",
    "bar",
    "foobar",
    "qwerty",
    "abc123",
    "hunter2",
    "123456",
    "12345678",
    "mypassword",
    "yourpassword",
    "my_password",
    "your_password",
    "required",
    "optional",
    "redacted",
    "hidden",
    "masked",
    "private",
    "public",
    "demo",
    "sample",
];

const PLACEHOLDER_PARTS: &[&str] = &[
    "xxxx",
    "****",
    "....",
    "____",
    "----",
    "####",
    "changeme",
    "change_me",
    "change-me",
    "example",
    "your_",
    "your-",
    "yourkey",
    "yourtoken",
    "yoursecret",
    "<your",
    "placeholder",
    "dummy",
    "redacted",
    "insert",
    "replace",
    "fake",
    "mock",
    "process.env",
    "os.environ",
    "getenv",
    "env[",
    "env.",
    "environ",
    "secrets.",
    "settings.",
    "config.",
    "vault:",
    "${",
    "$(",
    "{{",
    "#{",
    "%(",
    "<%",
    "lorem",
];

/// Example credentials published in vendor documentation, compared
/// without case, `-`, `_` or spaces: the passwords of the NuGet
/// `nuget.config` reference (`packageSourceCredentials`). (AWS's
/// documented keys end in `EXAMPLE`, caught by the `example` part.)
const DOCUMENTED_FAKES: &[&str] = &["33f!!lloppa", "hal+9oooda!sy"];

/// One automaton over [`PLACEHOLDER_PARTS`] (a `contains` per part costs a
/// searcher set-up each: forty of them dominated the cost of a match).
fn placeholder_parts() -> Option<&'static aho_corasick::AhoCorasick> {
    static AC: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(PLACEHOLDER_PARTS).ok());
    AC.as_ref()
}

/// Placeholders, variable references, common words, and values too regular
/// to be a credential.
pub(crate) fn is_placeholder(v: &str) -> bool {
    let v = v.trim();
    if v.len() < 4 {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let bare: String = lower.chars().filter(|c| !matches!(c, '-' | '_' | ' ')).collect();
    if DOCUMENTED_FAKES.contains(&bare.as_str()) {
        return true;
    }
    // A common word, also with a number after it (`token123`, `password1`).
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit());
    if PLACEHOLDER_WORDS.contains(&lower.as_str()) || PLACEHOLDER_WORDS.contains(&stem) {
        return true;
    }
    if placeholder_parts().map_or_else(
        || PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p)),
        |ac| ac.is_match(lower.as_bytes()),
    ) {
        return true;
    }
    // A value that names itself (`my-secret-token`, `#add-password`).
    let has_digit = v.bytes().any(|b| b.is_ascii_digit());
    if !has_digit
        && ["password", "secret", "token", "apikey", "api_key", "api-key"]
            .iter()
            .any(|w| lower.contains(w))
    {
        return true;
    }
    let first = v.as_bytes()[0];
    if matches!(first, b'$' | b'%' | b'<' | b'[' | b'{' | b'@' | b'&' | b'*') {
        return true;
    }
    if v.ends_with('>') || v.ends_with(')') || v.ends_with('}') || v.ends_with(']') {
        return true;
    }
    // One repeated character, or only two distinct ones.
    let mut seen = [false; 256];
    let mut distinct = 0;
    for b in v.bytes() {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    if distinct <= 2 {
        return true;
    }
    // CONSTANT_NAMES, digits allowed (`CF_R2_ACCESS_KEY_ID`).
    if v.contains('_')
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
    {
        return true;
    }
    // File paths (`outputs/names.txt`).
    if let Some((_, ext)) = v.rsplit_once('.')
        && v.contains('/')
        && (2..=4).contains(&ext.len())
        && ext.bytes().all(|b| b.is_ascii_lowercase())
    {
        return true;
    }
    // References: CONSTANT_NAME, dotted.path.name.
    let ident = v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
    if ident && !v.bytes().any(|b| b.is_ascii_digit()) {
        if v.contains('_') && v.bytes().all(|b| b.is_ascii_uppercase() || b == b'_') {
            return true;
        }
        if v.contains('.') && !v.starts_with('.') && !v.ends_with('.') {
            return true;
        }
    }
    // `Module.attribute_name`: a dotted reference ending in a plain name.
    if let Some((head, tail)) = v.rsplit_once('.') {
        let word = |s: &str| s.len() >= 3 && s.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_');
        let ident_head = head.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && head
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.');
        if ident_head && word(tail) {
            return true;
        }
    }
    // Paths and URLs.
    if v.starts_with('/') || v.starts_with("./") || v.contains("://") {
        return true;
    }
    false
}

const KEY_SUFFIXES: &[&str] = &[
    "id",
    "ids",
    "name",
    "names",
    "url",
    "uri",
    "path",
    "file",
    "filename",
    "dir",
    "length",
    "len",
    "size",
    "type",
    "count",
    "field",
    "header",
    "prefix",
    "format",
    "version",
    "endpoint",
    "host",
    "label",
    "hint",
    "policy",
    "ref",
    "regex",
    "pattern",
    "mode",
    "method",
    "scope",
    "scopes",
    "expiry",
    "expires",
    "ttl",
    "timeout",
    "algorithm",
];
const KEY_PREFIXES: &[&str] = &[
    "authenticity",
    "csrf",
    "xsrf",
    "public",
    "author",
    "next",
    "page",
    "cursor",
    // Keys that index data, not credentials.
    "cache",
    "primary",
    "foreign",
    "sort",
    "partition",
    "idempotency",
    "routing",
    "lookup",
    "composite",
    "unique",
    "dedup",
    "shard",
];

const CRED_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "passcode",
    "secret",
    "token",
    "key",
    "apikey",
    "api",
    "auth",
    "credential",
    "credentials",
    "private",
    "privatekey",
    "access",
    "accesskey",
    "pat",
    "sk",
    "license",
];
const CRED_SUFFIXES: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "secretkey",
    "accesskey",
    "authkey",
    "signingkey",
    "masterkey",
    "credential",
];

/// Splits an identifier into lowercase words at `_`, `-`, `.` and camelCase
/// humps.
fn key_words(raw: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in raw.chars() {
        if !c.is_ascii_alphanumeric() {
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

/// Checks the assigned name of a `key = value` match.
fn key_name_ok(raw: &str) -> bool {
    let key = raw.to_ascii_lowercase();
    let key = key.rsplit('.').next().unwrap_or("");
    let last = key.rsplit(['_', '-']).next().unwrap_or("");
    // camelCase: the suffix after the last capital in the original.
    let camel_tail = raw
        .rfind(|c: char| c.is_ascii_uppercase())
        .map(|i| raw[i..].to_ascii_lowercase())
        .unwrap_or_default();
    // A key named just `key` is a map key, not a credential.
    if matches!(key, "key" | "keys" | "k") {
        return false;
    }
    // One of the key's words must name a credential (`overpass`,
    // `passive` and `monkey` do not).
    if !key_words(raw)
        .iter()
        .any(|w| CRED_WORDS.contains(&w.as_str()) || CRED_SUFFIXES.iter().any(|s| w.ends_with(s)))
    {
        return false;
    }
    !(KEY_SUFFIXES.contains(&last)
        || KEY_SUFFIXES.contains(&camel_tail.as_str())
        || KEY_PREFIXES.iter().any(|p| key.starts_with(p)))
}

/// An env-file line, `DB_PASSWORD=hunter42x`: an upper-case name joined
/// to the value by a bare `=`. There the unquoted value is a literal, not a
/// variable reference.
fn env_assignment(key: &str, matched: &str, secret: &str) -> bool {
    key.bytes().any(|b| b.is_ascii_uppercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && matched.contains(&format!("={secret}"))
}

/// A bare word that reads as a variable name in code (`db_password`,
/// `userToken`, `secretValue`): letters and `_` only, no digit, unquoted.
pub(crate) fn is_bare_identifier(v: &str) -> bool {
    v.bytes()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_values() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(&base62_6(0), b"000000");
        assert_eq!(&base62_6(61), b"00000z");
        assert_eq!(&base62_6(62), b"000010");
    }

    #[test]
    fn base64_and_jwt() {
        assert_eq!(base64_decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert!(base64_decode("a b").is_none());
        // {"alg":"HS256","typ":"JWT"} . {"sub":"1"} . sig
        assert!(is_jwt(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"
        ));
        assert!(!is_jwt("eyJBB.eyJCC.eyJDDDD"));
        assert!(!is_jwt("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0"));
    }

    #[test]
    fn placeholders() {
        for p in [
            "${DB_PASSWORD}",
            "$PASSWORD",
            "process.env.API_KEY",
            "<YOUR_TOKEN>",
            "xxxxxxxxxxxx",
            "********",
            "changeme",
            "example-key-123",
            "",
            "password",
            "settings.GITHUB_API_SECRET",
            "PROJECT_NAME_ALIAS",
            "getPassword()",
            "token123",
            "Password1",
            "33F!!lloppa",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for s in ["Qm+7oow_dx!tY", "Tr0ub4dor&3", "a8Kd93jJx0qPz"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn made_up_values() {
        for v in [
            "sk_abcdefghijklmnopqrstuvwxyz123",
            "OOzkR1+hF+1ABCsIFDJMEUtqmtnZ1234567890",
            "a1b2c3d4e5f6g7h8i9j0k1l2",
            "px-dep-d4c3b2a1-f6e5-h8g7",
            "Asdf1234asdf1234asdf1234",
            "abcdefabcdefabcdefabcdef",
            "zyxwvutsrq",
            "AIzaaaaaaaaaaaaaaaaaaaaaa",
            "QRS98765-WXYZ4321-KLMN5678",
        ] {
            assert!(is_made_up(v), "{v}");
        }
        for seed in 0..200 {
            for t in ["{a:40}", "{h:40}", "{w:64}", "{b:88}", "{B:16}"] {
                let v = crate::secrets::synthesize(t, seed);
                assert!(!is_made_up(&v), "{v}");
            }
        }
    }

    #[test]
    fn structured_values() {
        for v in [
            "are-correctAB38_280",
            "cmp2-qat-1208358310",
            "my-app-prod-42",
            // base64 of a host name
            "YmVkcm9jay5hbWF6b25hd3MuY29t",
        ] {
            assert!(is_structured(v), "{v}");
        }
        for seed in 0..200 {
            for t in [
                "{uuid}",
                "{w:40}",
                "{a:8}-{a:8}-{a:8}",
                "{b:40}",
                "xoxb-{d:12}-{d:13}-{a:24}",
            ] {
                let v = crate::secrets::synthesize(t, seed);
                assert!(!is_structured(&v), "{v}");
            }
        }
    }

    #[test]
    fn entropy_bounds() {
        assert_eq!(entropy("aaaa"), 0.0);
        assert!((entropy("abcd") - 2.0).abs() < 1e-6);
    }

    #[test]
    fn escaped_quotes_make_a_literal() {
        let id = Validator::parse("identifier").unwrap();
        let m = r#"$password = \"bluemoon\";"#;
        assert_eq!(id.check("bluemoon", m, "password", false), Outcome::Keep(1.0));
        assert_eq!(
            id.check("bluemoon", "$password = bluemoon;", "password", false),
            Outcome::Reject
        );
    }

    #[test]
    fn the_word_before_a_value_names_it() {
        let v = "3f9a0c1d2e4b5a6978c0d1e2f3a4b5c6";
        for ok in [
            "acme SECRET ",
            "access token is ",
            "acmePRIVATE.",
            "acme ACCESS code ",
            "secret_key ",
        ] {
            assert!(names_a_value(v, &format!("{ok}{v}")), "{ok}");
        }
        for not in [
            "access token id ",
            "token_id ",
            "secret_name ",
            "key hash ",
            "tokenId ",
            "SECRET_LENGTH ",
        ] {
            assert!(!names_a_value(v, &format!("{not}{v}")), "{not}");
        }
    }

    #[test]
    fn made_up_values_pass_alphabet_checks_only_when_asked() {
        let letters = "abcdefghijklmnopqrstuvwxyzABCDEF";
        let digits = "123456789012345678901234567890";
        for (spec, v) in [("mixed", letters), ("mixed", digits), ("identifier", letters)] {
            assert_eq!(
                Validator::parse(spec).unwrap().check(v, v, "", false),
                Outcome::Reject,
                "{spec} {v}"
            );
            let lenient = Validator::parse(&format!("{spec}=made_up")).unwrap();
            assert_eq!(lenient.check(v, v, "", false), Outcome::Keep(1.0), "{spec} {v}");
        }
        // Random values of one alphabet are not made up: still rejected.
        let random_digits = crate::secrets::synthesize("{d:30}", 5);
        assert_eq!(
            Validator::parse("mixed=made_up")
                .unwrap()
                .check(&random_digits, &random_digits, "", false),
            Outcome::Reject
        );
        assert!(Validator::parse("mixed=maybe").is_err());
    }

    #[test]
    fn hex_values_meet_a_hex_entropy_floor() {
        // Random hex keys pass `entropy=3.5` with the hex floor: at most
        // a few in a hundred are turned away, at every length.
        for n in [16usize, 20, 24, 32, 40] {
            let template = format!("{{h:{n}}}");
            let pass = (0..400u64)
                .filter(|&seed| {
                    let v = crate::secrets::synthesize(&template, seed);
                    Validator::Entropy(3.5).check(&v, &v, "", false) != Outcome::Reject
                })
                .count();
            assert!(pass >= 388, "{n}: {pass} of 400");
        }
        assert!((hex_entropy_floor("0123456789abcdef0123456789abcdef").unwrap() - 3.30).abs() < 0.05);
        // Not hex, mixed case, or digits only: the rule's threshold.
        assert_eq!(hex_entropy_floor("0123456789abcdeg0123456789abcdef"), None);
        assert_eq!(hex_entropy_floor("0123456789abcdefABCDEF0123456789"), None);
        assert_eq!(hex_entropy_floor("01234567890123456789"), None);
        assert_eq!(hex_entropy_floor("0123abcd"), None);
        // A low-entropy hex value stays rejected.
        let v = "aaaaaaaa1aaaaaaaaaaaaaaaaaaaaaaa";
        assert_eq!(Validator::Entropy(3.5).check(v, v, "", false), Outcome::Reject);
    }
}
