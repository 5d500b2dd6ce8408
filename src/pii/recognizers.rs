//! The built-in recognizers: a candidate pattern, a validator and context
//! words per entity.
//!
//! Validators return the three-state outcome: `None` is *invalid* (dropped),
//! `Some((score, len))` keeps the first `len` bytes of the match with a
//! score. A score of [`VALID`] means a checksum or the structure proves the
//! value; [`STRUCT`] means a distinctive structure without a checksum (kept
//! at the default `min_score`); [`WEAK`] and [`FAINT`] are *unknown*: kept
//! only when a context word is near or when `min_score` is lowered.

use super::checks::*;

/// A checksum or an exact structure proves the value.
pub(crate) const VALID: f32 = 1.0;
/// A distinctive structure without a checksum.
pub(crate) const STRUCT: f32 = 0.6;
/// Unknown: plausible, needs a context word.
pub(crate) const WEAK: f32 = 0.4;
/// Unknown and very loose (bare digit runs): needs a context word.
pub(crate) const FAINT: f32 = 0.15;

/// The outcome of validating one candidate.
pub(crate) type Check = Option<(f32, usize)>;

/// What must occur in a window for a recognizer to be tried.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trigger {
    /// An ASCII digit.
    Digit,
    /// `@`.
    At,
    /// `:`.
    Colon,
}

/// One entity recognizer.
pub(crate) struct Recognizer {
    /// Finding kind (stable snake_case).
    pub kind: &'static str,
    /// Rule id.
    pub rule: &'static str,
    /// Candidate pattern (ASCII; no Unicode `\b`; boundaries checked by hand).
    pub pattern: &'static str,
    /// Validator over the matched text.
    pub validate: fn(&str) -> Check,
    /// Context words (lowercase, whole words).
    pub context: &'static [&'static str],
    /// What must be in the window.
    pub trigger: Trigger,
    /// Characters that may not touch the match on either side besides
    /// letters and digits (the boundary rule).
    pub email_like: bool,
    /// Bytes allowed right before the match even after a word (`user@` for
    /// an IP address).
    pub left_extra: &'static [u8],
    /// Bytes allowed right after the match even before a word (`:80`,
    /// `/24`, `%eth0` after an IP address).
    pub right_extra: &'static [u8],
    /// The highest score the validator gives without a context word: a
    /// recognizer whose `max_plain` is below the guard's `min_score` is only
    /// run where one of its context words is near.
    pub max_plain: f32,
}

const fn r(
    kind: &'static str,
    rule: &'static str,
    pattern: &'static str,
    validate: fn(&str) -> Check,
    context: &'static [&'static str],
) -> Recognizer {
    Recognizer {
        kind,
        rule,
        pattern,
        validate,
        context,
        trigger: Trigger::Digit,
        email_like: false,
        left_extra: b"",
        right_extra: b"",
        max_plain: VALID,
    }
}

fn full(s: &str, score: f32) -> Check {
    Some((score, s.len()))
}

/// Separators between digit groups: the set of distinct non-alphanumeric
/// bytes (ignoring a leading `+` and parentheses).
fn separators(s: &str) -> Vec<u8> {
    let mut v: Vec<u8> = Vec::new();
    for b in s.bytes() {
        if !b.is_ascii_alphanumeric() && !matches!(b, b'+' | b'(' | b')') && !v.contains(&b) {
            v.push(b);
        }
    }
    v
}

/// The lengths of the alphanumeric groups of `s`.
fn groups(s: &str) -> Vec<usize> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect()
}

fn upper_compact(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

// ---------------------------------------------------------------- email

fn email(s: &str) -> Check {
    let at = s.find('@')?;
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || local.len() > 64 || s.len() > 254 || domain.len() > 253 {
        return None;
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    for l in &labels {
        if l.is_empty() || l.len() > 63 || l.starts_with('-') || l.ends_with('-') {
            return None;
        }
    }
    let tld = labels[labels.len() - 1];
    let tld_ok = (tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic())) || tld.starts_with("xn--");
    if !tld_ok {
        return None;
    }
    full(s, VALID)
}

// ---------------------------------------------------------------- phone

/// Country calling codes (ITU E.164), 1–3 digits.
fn country_code_len(d: &[u8]) -> Option<usize> {
    const ONE: &[u32] = &[1, 7];
    const TWO: &[u32] = &[
        20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61,
        62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
    ];
    if d.is_empty() {
        return None;
    }
    if ONE.contains(&(d[0] as u32)) {
        return Some(1);
    }
    if d.len() >= 2 && TWO.contains(&num(&d[..2])) {
        return Some(2);
    }
    if d.len() >= 3 {
        let c = num(&d[..3]);
        // Three-digit codes live in the 21x–29x, 35x–38x, 42x, 50x, 59x,
        // 67x–69x, 80x–88x, 96x–99x blocks.
        let first2 = c / 10;
        let ok = matches!(first2, 21..=29 | 35..=38 | 42 | 50 | 59 | 67..=69 | 80 | 85 | 87 | 88 | 96 | 97 | 99);
        if ok {
            return Some(3);
        }
    }
    None
}

fn phone_shape_ok(s: &str) -> bool {
    let seps = separators(s);
    if seps.len() > 1 && !(seps.len() == 2 && seps.contains(&b' ') && s.contains('(')) {
        return false;
    }
    let open = s.bytes().filter(|&b| b == b'(').count();
    let close = s.bytes().filter(|&b| b == b')').count();
    if open != close || open > 1 {
        return false;
    }
    if let (Some(o), Some(c)) = (s.find('('), s.find(')'))
        && (c < o || c - o > 6)
    {
        return false;
    }
    // No separator doubled.
    !s.as_bytes()
        .windows(2)
        .any(|w| matches!(w[0], b' ' | b'.' | b'-' | b'/') && matches!(w[1], b' ' | b'.' | b'-' | b'/'))
}

fn phone_intl(s: &str) -> Check {
    let d = digits(s);
    if !(8..=15).contains(&d.len()) || !phone_shape_ok(s) {
        return None;
    }
    let cc = country_code_len(&d)?;
    if cc == 1 {
        // NANP: area and exchange start with 2-9.
        if d[0] == 1 && (d.len() != 11 || d[1] < 2 || d[4] < 2) {
            return None;
        }
        if d[0] == 7 && d.len() != 11 {
            return None;
        }
    }
    if all_same(&d[cc..]) {
        return None;
    }
    full(s, STRUCT + 0.2)
}

fn phone_nanp(s: &str) -> Check {
    let d = digits(s);
    let d = if d.len() == 11 && d[0] == 1 { &d[1..] } else { &d[..] };
    if d.len() != 10 || d[0] < 2 || d[3] < 2 || !phone_shape_ok(s) {
        return None;
    }
    if all_same(d) || sequential(d) {
        return None;
    }
    // N11 area codes are service codes, not areas.
    if d[1] == 1 && d[2] == 1 {
        return None;
    }
    let formatted = s.bytes().any(|b| !b.is_ascii_digit());
    full(s, if formatted { STRUCT } else { WEAK })
}

/// Local numbers in digit groups (`467 3395`, `(37) 788-063`,
/// `60-56-85-91`): too common a shape to flag without a context word.
fn phone_local(s: &str) -> Check {
    let d = digits(s);
    let g = groups(s);
    if !(7..=12).contains(&d.len()) || g.len() < 2 || !phone_shape_ok(s) || all_same(&d) {
        return None;
    }
    // Dates and times are not phone numbers.
    let year_like = g.len() == 3
        && s.split(|c: char| !c.is_ascii_digit())
            .any(|p| p.len() == 4 && (p.starts_with("19") || p.starts_with("20")));
    if year_like {
        return None;
    }
    full(s, WEAK)
}

/// Turkish national numbers without the trunk 0: ten digits, geographic
/// area codes 2xx-4xx (second digit 1-8) or mobile 50x-55x. A common shape
/// of ten digits: unknown without a context word.
fn phone_tr(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 10 || !phone_shape_ok(s) || all_same(&d[3..]) {
        return None;
    }
    let ok = match d[0] {
        2..=4 => (1..=8).contains(&d[1]),
        5 => d[1] <= 5,
        _ => false,
    };
    if !ok || !matches!(groups(s)[..], [10] | [3, 3, 4] | [3, 3, 2, 2]) {
        return None;
    }
    full(s, WEAK)
}

fn phone_national(s: &str) -> Check {
    let d = digits(s);
    if !(10..=11).contains(&d.len()) || d[0] != 0 || d[1] == 0 || !phone_shape_ok(s) {
        return None;
    }
    if all_same(&d[1..]) {
        return None;
    }
    full(s, WEAK)
}

// ---------------------------------------------------------------- cards

/// Public test card numbers of the big processors.
pub(crate) const TEST_CARDS: &[&str] = &[
    "4111111111111111",
    "4012888888881881",
    "4222222222222",
    "4242424242424242",
    "4000056655665556",
    "5555555555554444",
    "5105105105105100",
    "5200828282828210",
    "2223003122003222",
    "378282246310005",
    "371449635398431",
    "378734493671000",
    "6011111111111117",
    "6011000990139424",
    "30569309025904",
    "38520000023237",
    "3530111333300000",
    "3566002020360505",
    "6200000000000005",
];

fn card_brand_ok(d: &[u8]) -> bool {
    let n = d.len();
    let p = |k: usize| num(&d[..k.min(n)]);
    let visa = d[0] == 4 && matches!(n, 13 | 16 | 19);
    let mc = (matches!(p(2), 51..=55) || matches!(p(4), 2221..=2720)) && n == 16;
    let amex = matches!(p(2), 34 | 37) && n == 15;
    let discover = (p(4) == 6011 || matches!(p(3), 644..=649) || p(2) == 65) && (16..=19).contains(&n);
    let jcb = matches!(p(4), 3528..=3589) && (16..=19).contains(&n);
    let unionpay = p(2) == 62 && (16..=19).contains(&n);
    let diners = (p(2) == 36 || matches!(p(3), 300..=305) || matches!(p(2), 38 | 39)) && (14..=19).contains(&n);
    let maestro = (p(2) == 50 || matches!(p(2), 56..=69)) && (12..=19).contains(&n);
    let uatp = d[0] == 1 && n == 15;
    visa || mc || amex || discover || jcb || unionpay || diners || maestro || uatp
}

fn credit_card(s: &str) -> Check {
    let d = digits(s);
    if !(12..=19).contains(&d.len()) || all_same(&d) || !card_brand_ok(&d) || !luhn(&d) {
        return None;
    }
    let seps = separators(s);
    if seps.len() > 1 {
        return None;
    }
    if !seps.is_empty() {
        let g = groups(s);
        let ok = matches!(
            g.as_slice(),
            [4, 4, 4, 4] | [4, 6, 5] | [4, 6, 4] | [4, 4, 4, 4, 3] | [4, 4, 4, 1..=3]
        );
        if !ok {
            return None;
        }
    }
    full(s, VALID)
}

// ---------------------------------------------------------------- banking

fn iban(s: &str) -> Check {
    let b = s.as_bytes();
    if b.len() < 4 {
        return None;
    }
    let cc = [b[0].to_ascii_uppercase(), b[1].to_ascii_uppercase()];
    let want = iban_length(&cc)?;
    // Take exactly `want` alphanumerics from the match.
    let mut compact = Vec::with_capacity(want);
    let mut end = 0;
    for (i, &c) in b.iter().enumerate() {
        if compact.len() == want {
            break;
        }
        if c.is_ascii_alphanumeric() {
            compact.push(c.to_ascii_uppercase());
            end = i + 1;
        }
    }
    if compact.len() != want {
        return None;
    }
    // Lowercase only when the whole value is lowercase.
    let cased = &s[..end];
    let mixed = cased.bytes().any(|c| c.is_ascii_lowercase()) && cased.bytes().any(|c| c.is_ascii_uppercase());
    if mixed {
        return None;
    }
    // Spaces (or dashes) only every 4 characters, one kind throughout.
    let seps = separators(cased);
    if seps.len() > 1 {
        return None;
    }
    if !seps.is_empty() {
        let g = groups(cased);
        if g.iter().rev().skip(1).any(|&n| n != 4) || g.last().is_none_or(|&n| n > 4) {
            return None;
        }
    }
    iban_mod97(&compact).then_some((VALID, end))
}

fn aba_routing(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || all_same(&d) {
        return None;
    }
    let pre = num(&d[..2]);
    if !matches!(pre, 0..=12 | 21..=32 | 61..=72 | 80) {
        return None;
    }
    weighted(&d, &[3, 7, 1, 3, 7, 1, 3, 7, 1])
        .is_multiple_of(10)
        .then_some((WEAK, s.len()))
}

// ---------------------------------------------------------------- network

/// Splits `addr%zone/prefix`; keeps the prefix only when it is in range.
fn ip_parts(s: &str, max_prefix: u32) -> (&str, usize) {
    let (head, prefix) = match s.find('/') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let addr = head.split('%').next().unwrap_or(head);
    let len = match prefix {
        Some(p) if p.parse::<u32>().is_ok_and(|n| n <= max_prefix) => s.len(),
        _ => head.len(),
    };
    (addr, len)
}

fn ipv4(s: &str) -> Check {
    let (addr, len) = ip_parts(s, 32);
    let ip: std::net::Ipv4Addr = addr.parse().ok()?;
    // Loopback and "any" addresses identify no one.
    let score = if ip.is_loopback() || ip.is_unspecified() {
        FAINT
    } else {
        STRUCT + 0.2
    };
    Some((score, len))
}

fn ipv6(s: &str) -> Check {
    let (addr, len) = ip_parts(s, 128);
    if addr.bytes().filter(|&b| b == b':').count() < 2 {
        return None;
    }
    let ip: std::net::Ipv6Addr = addr.parse().ok()?;
    // `::` names no host; `::a`, `a::b` are as likely punctuation in code
    // and logs as addresses, so short forms need a context word.
    if ip.is_unspecified() {
        return None;
    }
    let groups: Vec<&str> = addr.split(':').filter(|g| !g.is_empty() && !g.contains('.')).collect();
    let short = groups.len() < 2 || groups.iter().all(|g| g.len() < 3);
    let score = if ip.is_loopback() || short { FAINT } else { STRUCT + 0.2 };
    Some((score, len))
}

fn mac(s: &str) -> Check {
    let seps = separators(s);
    if seps.len() != 1 {
        return None;
    }
    let hex: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    if hex.len() != 12 || all_same(&hex) {
        return None;
    }
    let mixed_groups = s.bytes().any(|b| b.is_ascii_digit());
    if !mixed_groups && !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    full(s, STRUCT + 0.2)
}

// ---------------------------------------------------------------- crypto

fn btc_legacy(s: &str) -> Check {
    btc_base58(s).then_some((VALID, s.len()))
}

fn btc_segwit(s: &str) -> Check {
    btc_bech32(s).then_some((VALID, s.len()))
}

fn eth(s: &str) -> Check {
    match eth_eip55(s)? {
        true => full(s, VALID),
        // Single-case hex carries no checksum.
        false => full(s, STRUCT),
    }
}

// ---------------------------------------------------------------- US

/// Known sample SSNs (advertising, documentation, voided).
pub(crate) const SAMPLE_SSNS: &[&str] = &["078051120", "219099999", "123456789", "457555462"];

fn ssn_parts_ok(d: &[u8]) -> bool {
    if d.len() != 9 {
        return false;
    }
    let (area, group, serial) = (num(&d[..3]), num(&d[3..5]), num(&d[5..]));
    !(area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 || all_same(d))
}

fn us_ssn(s: &str) -> Check {
    let d = digits(s);
    if !ssn_parts_ok(&d) {
        return None;
    }
    let ds: String = d.iter().map(|x| (x + b'0') as char).collect();
    if SAMPLE_SSNS.contains(&ds.as_str()) || ds.starts_with("98765432") {
        return None;
    }
    let seps = separators(s);
    let nsep = s.len() - d.len();
    match (seps.len(), nsep) {
        (0, 0) => full(s, FAINT),
        (1, 2) if seps[0] == b'-' => full(s, STRUCT),
        (1, 2) => full(s, WEAK + 0.1),
        (1, 1) => full(s, 0.05),
        _ => None,
    }
}

fn us_itin(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || d[0] != 9 {
        return None;
    }
    let g = num(&d[3..5]);
    if !matches!(g, 50..=65 | 70..=88 | 90..=92 | 94..=99) {
        return None;
    }
    let seps = separators(s);
    match (seps.len(), s.len() - d.len()) {
        (0, 0) => full(s, FAINT + 0.15),
        (1, 2) => full(s, STRUCT),
        _ => None,
    }
}

fn us_npi(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 10 || !(d[0] == 1 || d[0] == 2) || all_same(&d[1..]) {
        return None;
    }
    let mut full_d = vec![8, 0, 8, 4, 0];
    full_d.extend_from_slice(&d);
    luhn(&full_d).then_some((WEAK, s.len()))
}

fn us_mbi(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 11 {
        return None;
    }
    let seps = s.len() - c.len();
    if seps != 0 && seps != 2 {
        return None;
    }
    let alpha = |b: u8| b.is_ascii_uppercase() && !matches!(b, b'S' | b'L' | b'O' | b'I' | b'B' | b'Z');
    let num_ = |b: u8| b.is_ascii_digit();
    let an = |b: u8| alpha(b) || num_(b);
    let shape = [
        matches!(c[0], b'1'..=b'9'),
        alpha(c[1]),
        an(c[2]),
        num_(c[3]),
        alpha(c[4]),
        an(c[5]),
        num_(c[6]),
        alpha(c[7]),
        alpha(c[8]),
        num_(c[9]),
        num_(c[10]),
    ];
    shape.iter().all(|&x| x).then_some((STRUCT, s.len()))
}

fn us_passport(s: &str) -> Check {
    let d = digits(s);
    if all_same(&d) || sequential(&d) {
        return None;
    }
    full(s, FAINT)
}

fn us_bank(s: &str) -> Check {
    let d = digits(s);
    if all_same(&d) || sequential(&d) {
        return None;
    }
    full(s, 0.05)
}

// ---------------------------------------------------------------- UK

fn uk_nino(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 9 {
        return None;
    }
    let pre = &c[..2];
    let bad_pre: [&[u8]; 7] = [b"BG", b"GB", b"NK", b"KN", b"TN", b"NT", b"ZZ"];
    if bad_pre.contains(&pre) || matches!(c[1], b'O') {
        return None;
    }
    // Spaces only between the standard groups (AB 12 34 56 C).
    let mut seen = 0;
    for b in s.bytes() {
        if b == b' ' {
            if !matches!(seen, 2 | 4 | 6 | 8) {
                return None;
            }
        } else {
            seen += 1;
        }
    }
    full(s, STRUCT)
}

fn uk_nhs(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 10 || all_same(&d) || separators(s).len() > 1 {
        return None;
    }
    let sum = weighted(&d, &[10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let check = (11 - sum % 11) % 11;
    if check == 10 || check != d[9] as u32 {
        return None;
    }
    full(s, WEAK)
}

fn uk_postcode(s: &str) -> Check {
    let c = upper_compact(s);
    // The one non-geographic postcode (Girobank): outside the usual rules.
    if c == b"GIR0AA" {
        return full(s, if s.contains(' ') { STRUCT } else { WEAK });
    }
    if c.len() < 5 || c.len() > 7 {
        return None;
    }
    // Inward code: digit + two letters not in C I K M O V.
    let inward = &c[c.len() - 3..];
    if !inward[0].is_ascii_digit() || inward[1..].iter().any(|b| b"CIKMOV".contains(b)) {
        return None;
    }
    let outward = &c[..c.len() - 3];
    if b"QVX".contains(&outward[0]) {
        return None;
    }
    // Without the space the shape also fits hex colours and part numbers.
    full(s, if s.contains(' ') { STRUCT } else { WEAK })
}

fn uk_vehicle(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 7 {
        return None;
    }
    // Current format: 2 letters (area), 2 digits (age), 3 letters.
    if b"IQZ".contains(&c[0]) || b"IQ".contains(&c[1]) {
        return None;
    }
    if !c[2].is_ascii_digit() || !c[3].is_ascii_digit() {
        return None;
    }
    // Age identifier: 02-26 (March series) or 51-76 (September series).
    let age = num(&[c[2] - b'0', c[3] - b'0']);
    if !matches!(age, 2..=26 | 51..=76) {
        return None;
    }
    if c[4..].iter().any(|b| b"IQ".contains(b)) {
        return None;
    }
    full(s, STRUCT)
}

/// Older UK registrations: suffix (`ABC 123D`, 1963-1982) and prefix
/// (`A123 BCD`, 1983-2001). Common shapes elsewhere: context only.
fn uk_vehicle_old(s: &str) -> Check {
    let c = upper_compact(s);
    // The year letter leads the prefix form and ends the suffix form; I, O,
    // Q, U and Z were never year letters.
    let year = if c[1].is_ascii_digit() { c[0] } else { c[c.len() - 1] };
    if b"IOQUZ".contains(&year) {
        return None;
    }
    full(s, FAINT)
}

fn uk_passport(s: &str) -> Check {
    full(s, FAINT)
}

// ---------------------------------------------------------------- CA / AU / IN

fn ca_sin(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || d[0] == 0 || d[0] == 8 || !luhn(&d) || all_same(&d) || separators(s).len() > 1 {
        return None;
    }
    let formatted = s.len() > 9;
    full(s, if formatted { WEAK + 0.05 } else { WEAK })
}

fn au_abn(s: &str) -> Check {
    let mut d = digits(s);
    if d.len() != 11 || d[0] == 0 {
        return None;
    }
    d[0] -= 1;
    weighted(&d, &[10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19])
        .is_multiple_of(89)
        .then_some((WEAK, s.len()))
}

fn au_acn(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || all_same(&d) {
        return None;
    }
    let sum = weighted(&d, &[8, 7, 6, 5, 4, 3, 2, 1]);
    ((10 - sum % 10) % 10 == d[8] as u32).then_some((WEAK, s.len()))
}

fn au_tfn(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || all_same(&d) {
        return None;
    }
    weighted(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10])
        .is_multiple_of(11)
        .then_some((WEAK, s.len()))
}

fn au_medicare(s: &str) -> Check {
    let d = digits(s);
    if d.len() < 10 || !(2..=6).contains(&d[0]) {
        return None;
    }
    let sum = weighted(&d, &[1, 3, 7, 9, 1, 3, 7, 9]);
    (sum % 10 == d[8] as u32).then_some((WEAK, s.len()))
}

fn in_aadhaar(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 12 || d[0] < 2 || all_same(&d) || !verhoeff(&d) || separators(s).len() > 1 {
        return None;
    }
    let rev: Vec<u8> = d.iter().rev().copied().collect();
    if rev == d {
        return None;
    }
    full(s, WEAK)
}

fn in_pan(s: &str) -> Check {
    full(s, STRUCT)
}

fn in_gstin(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 15 {
        return None;
    }
    let state = num(&[c[0].wrapping_sub(b'0'), c[1].wrapping_sub(b'0')]);
    if !(1..=38).contains(&state) && state != 97 && state != 99 {
        return None;
    }
    let val = |b: u8| -> Option<u32> {
        match b {
            b'0'..=b'9' => Some((b - b'0') as u32),
            b'A'..=b'Z' => Some((b - b'A') as u32 + 10),
            _ => None,
        }
    };
    let mut sum = 0u32;
    for (i, &b) in c[..14].iter().enumerate() {
        let v = val(b)? * if i % 2 == 1 { 2 } else { 1 };
        sum += v / 36 + v % 36;
    }
    let check = (36 - sum % 36) % 36;
    let want = val(c[14])?;
    // A failed check character leaves the value unknown (the structure
    // alone is distinctive; published examples often carry a wrong one).
    full(s, if check == want { VALID } else { WEAK })
}

// ---------------------------------------------------------------- Europe

fn de_vat(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || d[0] == 0 {
        return None;
    }

    full(s, if iso7064_mod11_10(&d) { VALID } else { WEAK })
}

/// Steuerliche Identifikationsnummer: 11 digits, the first not 0, an ISO
/// 7064 MOD 11,10 check digit, and the digit distribution of the first ten
/// digits: exactly one digit occurs twice or three times (three times since
/// 2016, never three in a row), every other digit at most once.
fn de_tax_id(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 11 || d[0] == 0 || !iso7064_mod11_10(&d) || !de_tax_id_distribution(&d[..10]) {
        return None;
    }
    full(s, WEAK)
}

fn de_tax_id_distribution(d: &[u8]) -> bool {
    let mut count = [0u8; 10];
    for &x in d {
        count[x as usize % 10] += 1;
    }
    let repeated: Vec<usize> = (0..10).filter(|&i| count[i] > 1).collect();
    let [digit] = repeated[..] else {
        return false;
    };
    match count[digit] {
        2 => true,
        3 => !d.windows(3).any(|w| w.iter().all(|&x| x as usize == digit)),
        _ => false,
    }
}

fn es_nif(s: &str) -> Check {
    const L: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let c = upper_compact(s);
    if !(8..=9).contains(&c.len()) {
        return None;
    }
    let n = num(&digits(&s[..s.len() - 1]));
    (L[(n % 23) as usize] == c[c.len() - 1]).then_some((VALID, s.len()))
}

fn es_nie(s: &str) -> Check {
    const L: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let c = upper_compact(s);
    if c.len() != 9 {
        return None;
    }
    let lead = match c[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        _ => return None,
    };
    let n = lead * 10_000_000 + num(&digits(&s[1..s.len() - 1]));
    (L[(n % 23) as usize] == c[8]).then_some((VALID, s.len()))
}

fn it_fiscal(s: &str) -> Check {
    const ODD: [u32; 36] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16,
        10, 22, 25, 24, 23,
    ];
    let c = upper_compact(s);
    if c.len() != 16 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &b) in c[..15].iter().enumerate() {
        let idx = match b {
            b'0'..=b'9' => (b - b'0') as usize,
            b'A'..=b'Z' => (b - b'A') as usize + 10,
            _ => return None,
        };
        sum += if i % 2 == 0 {
            ODD[idx]
        } else if idx < 10 {
            idx as u32
        } else {
            idx as u32 - 10
        };
    }
    if c[15] == b'A' + (sum % 26) as u8 {
        return full(s, VALID);
    }
    // A wrong check character on a well-formed code (month letter, day
    // 01-31 or 41-71 for women, with omocodia letters read as digits) is
    // unknown: a typo or an invented example, kept with a context word.
    let omo = |b: u8| -> Option<u32> {
        match b {
            b'0'..=b'9' => Some((b - b'0') as u32),
            _ => b"LMNPQRSTUV".iter().position(|&x| x == b).map(|p| p as u32),
        }
    };
    let day = omo(c[9]).zip(omo(c[10])).map(|(a, b)| a * 10 + b);
    let month_ok = b"ABCDEHLMPRST".contains(&c[8]);
    let day_ok = day.is_some_and(|d| matches!(d, 1..=31 | 41..=71));
    (month_ok && day_ok).then_some((FAINT, s.len()))
}

fn pl_pesel(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 11 || all_same(&d) {
        return None;
    }
    let sum = weighted(&d, &[1, 3, 7, 9, 1, 3, 7, 9, 1, 3]);
    if (10 - sum % 10) % 10 != d[10] as u32 {
        return None;
    }
    let (yy, mm, dd) = (num(&d[..2]), num(&d[2..4]), num(&d[4..6]));
    let (century, m) = match mm {
        1..=12 => (1900, mm),
        21..=32 => (2000, mm - 20),
        41..=52 => (2100, mm - 40),
        61..=72 => (2200, mm - 60),
        81..=92 => (1800, mm - 80),
        _ => return None,
    };
    let y = century + yy;
    let y_check = if y > 2099 { 2000 + yy } else { y };
    valid_date(y_check, m, dd).then_some((WEAK + 0.05, s.len()))
}

fn se_personnummer(s: &str) -> Check {
    let d = digits(s);
    let d10 = match d.len() {
        10 => &d[..],
        12 => &d[2..],
        _ => return None,
    };
    let (mm, dd) = (num(&d10[2..4]), num(&d10[4..6]));
    let day = if dd > 60 { dd - 60 } else { dd };
    if !valid_date(2000 + num(&d10[..2]) % 100, mm, day) && !valid_date(1900 + num(&d10[..2]), mm, day) {
        return None;
    }
    if !luhn(d10) {
        return None;
    }
    let sep = s.contains('-') || s.contains('+');
    full(s, if sep { STRUCT + 0.1 } else { WEAK })
}

fn se_org(s: &str) -> Check {
    let d = digits(s);
    let d10 = match d.len() {
        10 => &d[..],
        12 if d[0] == 1 && d[1] == 6 => &d[2..],
        _ => return None,
    };
    // Third digit ≥ 2 separates organisations from persons.
    if d10[2] < 2 || !luhn(d10) {
        return None;
    }
    full(s, if s.contains('-') { STRUCT } else { WEAK })
}

fn fi_hetu(s: &str) -> Check {
    const C: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let b = s.as_bytes();
    if b.len() != 11 {
        return None;
    }
    let d = digits(&s[..6]);
    let serial = digits(&s[7..10]);
    if d.len() != 6 || serial.len() != 3 {
        return None;
    }
    let century = match b[6] {
        b'+' => 1800,
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => 1900,
        b'A'..=b'F' => 2000,
        _ => return None,
    };
    if !valid_date(century + num(&d[4..6]), num(&d[2..4]), num(&d[..2])) {
        return None;
    }
    let n = num(&d) as u64 * 1000 + num(&serial) as u64;
    (C[(n % 31) as usize] == b[10].to_ascii_uppercase()).then_some((VALID, s.len()))
}

fn tr_id(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 11 || d[0] == 0 {
        return None;
    }
    let odd: u32 = [0, 2, 4, 6, 8].iter().map(|&i| d[i] as u32).sum();
    let even: u32 = [1, 3, 5, 7].iter().map(|&i| d[i] as u32).sum();
    let c10 = ((odd * 7 + 90 - even) % 10) as u8;
    let c11 = (d[..10].iter().map(|&x| x as u32).sum::<u32>() % 10) as u8;
    (c10 == d[9] && c11 == d[10]).then_some((STRUCT + 0.2, s.len()))
}

// ---------------------------------------------------------------- Asia / Africa

fn sg_nric(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 9 {
        return None;
    }
    let d = digits(&s[1..s.len() - 1]);
    if d.len() != 7 {
        return None;
    }
    let mut sum = weighted(&d, &[2, 7, 6, 5, 4, 3, 2]);
    if matches!(c[0], b'T' | b'G') {
        sum += 4;
    }
    if c[0] == b'M' {
        sum += 3;
    }
    let r = (sum % 11) as usize;
    let table: &[u8] = match c[0] {
        b'S' | b'T' => b"JZIHGFEDCBA",
        b'F' | b'G' => b"XWUTRQPNMLK",
        b'M' => b"KLJNPQRTUWX",
        _ => return None,
    };
    let want = if c[0] == b'M' { table[10 - r] } else { table[r] };
    (want == c[8]).then_some((VALID, s.len()))
}

fn kr_rrn(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 13 {
        return None;
    }
    let century = match d[6] {
        1 | 2 => 1900,
        3 | 4 => 2000,
        _ => return None,
    };
    if !valid_date(century + num(&d[..2]), num(&d[2..4]), num(&d[4..6])) {
        return None;
    }
    let sum = weighted(&d, &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]);
    let check = ((11 - sum % 11) % 10) as u8;
    // Numbers issued since October 2020 carry no check digit.
    let score = if check != d[12] {
        FAINT
    } else if s.contains('-') {
        VALID
    } else {
        WEAK
    };
    full(s, score)
}

fn kr_passport(s: &str) -> Check {
    let has_letter_mid = s.as_bytes().get(4).is_some_and(u8::is_ascii_alphabetic);
    full(s, if has_letter_mid { 0.1 } else { 0.05 })
}

fn th_tnin(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 13 || d[0] == 0 || d[0] == 9 {
        return None;
    }
    // Digits 2-3 are a province code (ISO 3166-2:TH numbering): the second
    // digit is never 0, and these pairs are not assigned.
    const UNASSIGNED: &[u32] = &[28, 29, 59, 68, 69, 78, 79, 87, 88, 89, 97, 98, 99];
    if d[1] == 0 || UNASSIGNED.contains(&num(&d[1..3])) {
        return None;
    }
    let sum = weighted(&d, &[13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]);
    let check = ((11 - sum % 11) % 10) as u8;
    (check == d[12]).then_some((WEAK, s.len()))
}

fn za_id(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 13 || !luhn(&d) || d[10] > 2 {
        return None;
    }
    let (yy, mm, dd) = (num(&d[..2]), num(&d[2..4]), num(&d[4..6]));
    if !valid_date(1900 + yy, mm, dd) && !valid_date(2000 + yy, mm, dd) {
        return None;
    }
    full(s, WEAK)
}

fn loose(s: &str) -> Check {
    full(s, FAINT)
}

fn dob(s: &str) -> Check {
    let d = digits(s);
    // Accept d/m/y, m/d/y and y-m-d with a 4-digit year.
    let parts: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| num(&digits(p)))
        .collect();
    if parts.len() != 3 || d.len() < 6 {
        return None;
    }
    let (a, b, c) = (parts[0], parts[1], parts[2]);
    let ok = if a >= 1800 {
        valid_date(a, b, c)
    } else {
        valid_date(c, b, a) || valid_date(c, a, b)
    };
    ok.then_some((0.1, s.len()))
}

// ---------------------------------------------------------------- added

fn uk_driving(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 16 {
        return None;
    }
    let d = digits(&s[5..11]);
    if d.len() != 6 {
        return None;
    }
    // Month (+50 for women) and day of birth.
    let month = num(&d[1..3]);
    let day = num(&d[3..5]);
    if !matches!(month, 1..=12 | 51..=62) || !(1..=31).contains(&day) {
        return None;
    }
    // Surname field: letters, padded with 9s at the end only.
    let surname = &c[..5];
    let letters = surname.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || surname[letters..].iter().any(|&b| b != b'9') {
        return None;
    }
    full(s, WEAK + 0.1)
}

fn kr_frn(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 13 || !(5..=8).contains(&d[6]) {
        return None;
    }
    let century = if matches!(d[6], 5 | 6) { 1900 } else { 2000 };
    if !valid_date(century + num(&d[..2]), num(&d[2..4]), num(&d[4..6])) {
        return None;
    }
    let sum = weighted(&d, &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]);
    let check = ((11 - sum % 11) % 10) as u8;
    full(
        s,
        if check != d[12] {
            FAINT
        } else if s.contains('-') {
            VALID
        } else {
            WEAK
        },
    )
}

fn kr_brn(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 10 || all_same(&d) {
        return None;
    }
    let mut sum = weighted(&d[..9], &[1, 3, 7, 1, 3, 7, 1, 3, 5]);
    sum += (d[8] as u32 * 5) / 10;
    if (10 - sum % 10) % 10 != d[9] as u32 {
        return None;
    }
    full(s, if s.contains('-') { STRUCT } else { WEAK })
}

fn ng_nin(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 11 || all_same(&d) || !verhoeff(&d) {
        return None;
    }
    full(s, WEAK)
}

fn sg_uen(s: &str) -> Check {
    let c = upper_compact(s);
    match c.len() {
        // Businesses: 8 digits + letter; local companies: year + 5 digits + letter.
        9 => full(s, WEAK),
        10 if c[0].is_ascii_digit() => {
            let year = num(&digits(&s[..4]));
            if (1900..=2099).contains(&year) {
                full(s, WEAK)
            } else {
                None
            }
        }
        // Others: T/S/R + year + entity type + serial + letter.
        10 => full(s, WEAK),
        _ => None,
    }
}

fn tr_plate(s: &str) -> Check {
    let d = digits(&s[..2]);
    if d.len() != 2 || !(1..=81).contains(&num(&d)) {
        return None;
    }
    full(s, FAINT)
}

// ---------------------------------------------------------------- Germany

fn alnum_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some((b - b'0') as u32),
        b'A'..=b'Z' => Some((b - b'A') as u32 + 10),
        _ => None,
    }
}

/// ICAO 9303 check digit (weights 7, 3, 1) over the first 8 characters of
/// German identity card and passport serial numbers.
fn de_icao(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 9 || !c[8].is_ascii_digit() {
        return None;
    }
    // Letters that can be mistaken for digits are never issued.
    if c[..8].iter().any(|b| b"ABDEIOQSU".contains(b)) {
        return None;
    }
    let mut sum = 0u32;
    for (i, &b) in c[..8].iter().enumerate() {
        sum += alnum_value(b)? * [7, 3, 1][i % 3];
    }
    if sum % 10 == (c[8] - b'0') as u32 {
        return full(s, STRUCT + 0.1);
    }
    // Old identity cards: T + 8 digits without a check this form can prove.
    if c[0] == b'T' && c[1..].iter().all(u8::is_ascii_digit) {
        return full(s, WEAK);
    }
    None
}

fn de_kvnr(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 10 || !c[0].is_ascii_uppercase() {
        return None;
    }
    let letter = (c[0] - b'A') as u32 + 1;
    let mut d: Vec<u32> = vec![letter / 10, letter % 10];
    d.extend(c[1..9].iter().map(|&b| (b - b'0') as u32));
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            let p = x * if i % 2 == 0 { 1 } else { 2 };
            p / 10 + p % 10
        })
        .sum();
    (sum % 10 == (c[9] - b'0') as u32).then_some((STRUCT + 0.1, s.len()))
}

fn de_lanr(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || all_same(&d) {
        return None;
    }
    let sum = weighted(&d[..6], &[4, 9, 4, 9, 4, 9]);
    ((10 - sum % 10) % 10 == d[6] as u32).then_some((WEAK, s.len()))
}

fn de_bsnr(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 9 || all_same(&d) {
        return None;
    }
    full(s, FAINT)
}

fn de_rvnr(s: &str) -> Check {
    let c = upper_compact(s);
    if c.len() != 12 || !c[8].is_ascii_uppercase() {
        return None;
    }
    let d = digits(s);
    if d.len() != 11 {
        return None;
    }
    let (day, month) = (num(&d[2..4]), num(&d[4..6]));
    if !matches!(day, 1..=31 | 51..=81) || !(1..=12).contains(&month) {
        return None;
    }
    let letter = (c[8] - b'A') as u32 + 1;
    let mut v: Vec<u32> = d[..8].iter().map(|&x| x as u32).collect();
    v.push(letter / 10);
    v.push(letter % 10);
    v.extend(d[8..10].iter().map(|&x| x as u32));
    let w = [2, 1, 2, 5, 7, 1, 2, 1, 2, 1, 2, 1];
    let sum: u32 = v.iter().zip(w).map(|(&x, w)| (x * w) / 10 + (x * w) % 10).sum();
    (sum % 10 == d[10] as u32).then_some((STRUCT + 0.1, s.len()))
}

// ---------------------------------------------------------------- weak formats (context only)

fn faint(s: &str) -> Check {
    full(s, FAINT)
}

fn very_faint(s: &str) -> Check {
    full(s, 0.05)
}

fn weak(s: &str) -> Check {
    full(s, WEAK)
}

fn kr_driver(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 12 {
        return None;
    }
    // Region codes 11-26 and 28 (27 is not assigned).
    let region = num(&d[..2]);
    if !(11..=28).contains(&region) || region == 27 || separators(s).len() > 1 {
        return None;
    }
    // Dashed (`11-22-123456-12`) is the printed form; spaced or bare
    // twelve digits are a common shape: unknown without a context word.
    let groups_ok = groups(s) == [2, 2, 6, 2];
    let score = if s.contains('-') && groups_ok {
        STRUCT + 0.1
    } else if groups_ok || !s.bytes().any(|b| !b.is_ascii_digit()) {
        FAINT
    } else {
        return None;
    };
    full(s, score)
}

fn it_vat(s: &str) -> Check {
    let d = digits(s);
    if d.len() != 11 || all_same(&d) || num(&d[..7]) == 0 || !luhn(&d) {
        return None;
    }
    full(s, WEAK)
}

fn de_plz(s: &str) -> Check {
    let n = num(&digits(s));
    (1001..=99998).contains(&n).then_some((0.05, s.len()))
}

fn de_tax_number(s: &str) -> Check {
    let d = digits(s);
    if s.contains('/') {
        return full(s, WEAK);
    }
    // 13-digit federal form: state code 01-16 first.
    (d.len() == 13 && (1..=16).contains(&num(&d[..2]))).then_some((FAINT, s.len()))
}

/// The built-in recognizers, in priority order.
pub(crate) fn all() -> Vec<Recognizer> {
    let mut v = table();
    for r in &mut v {
        r.max_plain = match r.rule {
            "pii.phone.national" | "pii.phone.local" | "pii.phone.tr" | "pii.us_aba_routing" | "pii.us_npi"
            | "pii.uk_nhs" | "pii.au_abn" | "pii.au_acn" | "pii.au_tfn" | "pii.au_medicare" | "pii.sg_uen"
            | "pii.ng_nin" | "pii.de_lanr" | "pii.in_aadhaar" | "pii.de_tax_id" | "pii.th_tnin" | "pii.za_id" => WEAK,
            "pii.pl_pesel" => WEAK + 0.05,
            "pii.es_passport"
            | "pii.in_passport"
            | "pii.in_voter"
            | "pii.it_vat_code"
            | "pii.de_plz"
            | "pii.de_kfz"
            | "pii.de_fuehrerschein"
            | "pii.de_tax_number"
            | "pii.it_driver_license" => WEAK,
            "pii.ca_sin" => WEAK + 0.05,
            "pii.us_passport"
            | "pii.uk_passport"
            | "pii.us_driver_license"
            | "pii.tr_license_plate"
            | "pii.de_bsnr" => FAINT,
            "pii.us_bank_account" | "pii.kr_passport" | "pii.date_of_birth" => 0.1,
            _ => VALID,
        };
    }
    v
}

fn table() -> Vec<Recognizer> {
    const PHONE: &[&str] = &[
        "office",
        "desk",
        "sms",
        "answering",
        "phone",
        "tel",
        "telephone",
        "mobile",
        "cell",
        "call",
        "fax",
        "contact",
        "whatsapp",
        "telefon",
        "numaram",
        "cep",
        "téléphone",
        "telefono",
        "teléfono",
    ];
    let email_r = Recognizer {
        trigger: Trigger::At,
        email_like: true,
        ..r(
            "email",
            "pii.email",
            r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
            email,
            &["email", "mail", "e-mail"],
        )
    };
    let mac_colon = Recognizer {
        trigger: Trigger::Colon,
        ..r(
            "mac_address",
            "pii.mac_address",
            r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}",
            mac,
            &["mac", "hardware", "ethernet", "wifi"],
        )
    };
    let ipv6_r = Recognizer {
        trigger: Trigger::Colon,
        left_extra: b"@",
        right_extra: b":@%/",
        ..r(
            "ip_address",
            "pii.ipv6",
            r"(?:(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?:%[0-9A-Za-z]{1,15})?(?:/[0-9]{1,4})?",
            ipv6,
            &["ip", "ipv6", "address", "host"],
        )
    };
    vec![
        email_r,
        r(
            "phone",
            "pii.phone.international",
            r"\+[0-9](?:[ .\-/]?\(?[0-9]{1,5}\)?){2,8}",
            phone_intl,
            PHONE,
        ),
        r(
            "phone",
            "pii.phone.nanp",
            r"(?:1[ .\-])?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}[ .\-]?)[2-9][0-9]{2}[ .\-]?[0-9]{4}",
            phone_nanp,
            PHONE,
        ),
        r(
            "phone",
            "pii.phone.national",
            r"0[ .\-]?(?:\([1-9][0-9]{1,3}\)|[1-9][0-9]{1,3})(?:[ .\-]?[0-9]{2,4}){2,4}",
            phone_national,
            PHONE,
        ),
        r(
            "phone",
            "pii.phone.tr",
            r"[2-5][0-9]{2}(?:[ \-]?[0-9]{3}[ \-]?[0-9]{2}[ \-]?[0-9]{2}|[ \-]?[0-9]{3}[ \-]?[0-9]{4})",
            phone_tr,
            PHONE,
        ),
        r(
            "phone",
            "pii.phone.local",
            r"\(?[0-9]{1,4}\)?(?:[ .\-][0-9]{2,4}){1,4}",
            phone_local,
            PHONE,
        ),
        r(
            "credit_card",
            "pii.credit_card",
            r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{1,4}(?:-[0-9]{3})?|[0-9]{4} [0-9]{4} [0-9]{4} [0-9]{1,4}(?: [0-9]{3})?|[0-9]{4}[ \-][0-9]{6}[ \-][0-9]{4,5}|[0-9]{12,19}",
            credit_card,
            &["card", "credit", "visa", "mastercard", "amex", "cc", "debit"],
        ),
        r(
            "iban",
            "pii.iban",
            r"[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]{4}){1,7}(?:[ \-]?[A-Za-z0-9]{1,3})?",
            iban,
            &["iban", "account", "bank"],
        ),
        Recognizer {
            left_extra: b"@",
            right_extra: b":@%/",
            ..r(
                "ip_address",
                "pii.ipv4",
                r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?:/[0-9]{1,4})?",
                ipv4,
                &["ip", "ipv4", "address", "host", "server"],
            )
        },
        ipv6_r,
        mac_colon,
        r(
            "mac_address",
            "pii.mac_address",
            r"[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}",
            mac,
            &["mac", "hardware", "ethernet", "wifi"],
        ),
        r(
            "crypto_wallet",
            "pii.crypto.btc_base58",
            r"[13][1-9A-HJ-NP-Za-km-z]{25,34}",
            btc_legacy,
            &["bitcoin", "btc", "wallet", "crypto"],
        ),
        r(
            "crypto_wallet",
            "pii.crypto.btc_bech32",
            r"(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{6,87}",
            btc_segwit,
            &["bitcoin", "btc", "wallet", "crypto"],
        ),
        r(
            "crypto_wallet",
            "pii.crypto.eth",
            r"0x[0-9a-fA-F]{40}",
            eth,
            &["ethereum", "eth", "wallet", "crypto"],
        ),
        r(
            "us_ssn",
            "pii.us_ssn",
            r"[0-9]{3}[ .\-]?[0-9]{2}[ .\-]?[0-9]{4}",
            us_ssn,
            &["ssn", "social", "security", "ssns", "ss#"],
        ),
        r(
            "us_itin",
            "pii.us_itin",
            r"9[0-9]{2}[ \-]?[5-9][0-9][ \-]?[0-9]{4}",
            us_itin,
            &["itin", "taxpayer", "tax"],
        ),
        r(
            "us_bank_routing",
            "pii.us_aba_routing",
            r"[0-9]{4}\-?[0-9]{4}\-?[0-9]",
            aba_routing,
            &["routing", "aba", "rtn", "bank", "transit"],
        ),
        r(
            "us_npi",
            "pii.us_npi",
            r"[12][0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}",
            us_npi,
            &["npi", "provider", "prescriber"],
        ),
        r(
            "us_mbi",
            "pii.us_mbi",
            r"[1-9][A-Za-z][A-Za-z0-9][0-9]-?[A-Za-z][A-Za-z0-9][0-9]-?[A-Za-z]{2}[0-9]{2}",
            us_mbi,
            &["mbi", "medicare", "beneficiary"],
        ),
        r(
            "us_passport",
            "pii.us_passport",
            r"[A-Z][0-9]{8}|[0-9]{9}",
            us_passport,
            &["passport", "travel"],
        ),
        r(
            "us_bank_account",
            "pii.us_bank_account",
            r"[0-9]{8,17}",
            us_bank,
            &["account", "acct", "checking", "savings", "bank"],
        ),
        r(
            "uk_nino",
            "pii.uk_nino",
            r"[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z] ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[A-Da-d]",
            uk_nino,
            &["nino", "national", "insurance", "ni"],
        ),
        r(
            "uk_nhs",
            "pii.uk_nhs",
            r"[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{4}",
            uk_nhs,
            &["nhs", "health", "patient"],
        ),
        r(
            "uk_postcode",
            "pii.uk_postcode",
            r"[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|GIR ?0AA",
            uk_postcode,
            &["postcode", "post", "address"],
        ),
        r(
            "uk_vehicle_registration",
            "pii.uk_vehicle_registration",
            r"[A-Za-z]{2}[0-9]{2}[ \-]?[A-Za-z]{3}",
            uk_vehicle,
            &["registration", "reg", "vehicle", "car", "plate"],
        ),
        r(
            "uk_vehicle_registration",
            "pii.uk_vehicle_registration.old",
            r"[A-Za-z]{3} ?[0-9]{1,3}[A-Za-z]|[A-Za-z][0-9]{1,3} ?[A-Za-z]{3}",
            uk_vehicle_old,
            &["registration", "reg", "vehicle", "car", "plate"],
        ),
        r(
            "uk_passport",
            "pii.uk_passport",
            r"[A-Z]{2}[0-9]{7}",
            uk_passport,
            &["passport"],
        ),
        r(
            "ca_sin",
            "pii.ca_sin",
            r"[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{3}",
            ca_sin,
            &["sin", "social", "insurance", "nas"],
        ),
        r(
            "au_abn",
            "pii.au_abn",
            r"[0-9]{2} ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
            au_abn,
            &["abn", "business", "australian"],
        ),
        r(
            "au_acn",
            "pii.au_acn",
            r"[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
            au_acn,
            &["acn", "company", "australian"],
        ),
        r(
            "au_tfn",
            "pii.au_tfn",
            r"[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
            au_tfn,
            &["tfn", "tax", "file"],
        ),
        r(
            "au_medicare",
            "pii.au_medicare",
            r"[2-6][0-9]{3} ?[0-9]{5} ?[0-9](?:[ \-/]?[0-9])?",
            au_medicare,
            &["medicare", "health"],
        ),
        r(
            "in_aadhaar",
            "pii.in_aadhaar",
            r"[2-9][0-9]{3}[ :\-]?[0-9]{4}[ :\-]?[0-9]{4}",
            in_aadhaar,
            &["aadhaar", "aadhar", "uid", "uidai"],
        ),
        r(
            "in_pan",
            "pii.in_pan",
            r"[A-Za-z]{3}[ABCFGHLJPTabcfghljpt][A-Za-z][0-9]{4}[A-Za-z]",
            in_pan,
            &["pan", "permanent", "income", "tax"],
        ),
        r(
            "in_gstin",
            "pii.in_gstin",
            r"[0-9]{2}[A-Za-z]{5}[0-9]{4}[A-Za-z][1-9A-Za-z][Zz][0-9A-Za-z]",
            in_gstin,
            &["gstin", "gst"],
        ),
        r(
            "de_vat_id",
            "pii.de_vat_id",
            r"(?:DE|de)[ .\-]?[0-9]{3}[ .\-]?[0-9]{3}[ .\-]?[0-9]{3}",
            de_vat,
            &["ust", "vat", "umsatzsteuer"],
        ),
        r(
            "de_tax_id",
            "pii.de_tax_id",
            r"[1-9][0-9] ?[0-9]{3} ?[0-9]{3} ?[0-9]{3}",
            de_tax_id,
            &["steuer", "steueridentifikationsnummer", "idnr", "tin", "steuerid"],
        ),
        r("es_nif", "pii.es_nif", r"[0-9]{7,8}-?[A-Za-z]", es_nif, &["nif", "dni"]),
        r(
            "es_nie",
            "pii.es_nie",
            r"[XYZxyz]-?[0-9]{7}-?[A-Za-z]",
            es_nie,
            &["nie", "extranjero"],
        ),
        r(
            "it_fiscal_code",
            "pii.it_fiscal_code",
            r"[A-Za-z]{6}[0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{2}[A-Za-z][0-9LMNPQRSTUVlmnpqrstuv]{3}[A-Za-z]",
            it_fiscal,
            &["codice", "fiscale", "cf"],
        ),
        r("pl_pesel", "pii.pl_pesel", r"[0-9]{11}", pl_pesel, &["pesel"]),
        r(
            "se_personnummer",
            "pii.se_personnummer",
            r"(?:[0-9]{2})?[0-9]{6}[\-+]?[0-9]{4}",
            se_personnummer,
            &["personnummer", "personnr"],
        ),
        r(
            "se_organisationsnummer",
            "pii.se_organisationsnummer",
            r"(?:16)?[0-9]{6}-?[0-9]{4}",
            se_org,
            &["organisationsnummer", "orgnr", "org"],
        ),
        r(
            "fi_personal_identity_code",
            "pii.fi_hetu",
            r"[0-9]{6}[\-+A-FYXWVU][0-9]{3}[0-9A-Ya-y]",
            fi_hetu,
            &["hetu", "henkilötunnus", "henkilotunnus"],
        ),
        r(
            "tr_national_id",
            "pii.tr_national_id",
            r"[1-9][0-9]{10}",
            tr_id,
            &["tc", "kimlik", "tckn"],
        ),
        r(
            "sg_nric",
            "pii.sg_nric",
            r"[STFGMstfgm][0-9]{7}[A-Za-z]",
            sg_nric,
            &["nric", "fin", "ic"],
        ),
        r(
            "kr_rrn",
            "pii.kr_rrn",
            r"[0-9]{6}-?[0-9]{7}",
            kr_rrn,
            &["rrn", "resident", "주민등록번호"],
        ),
        r(
            "kr_passport",
            "pii.kr_passport",
            r"[MSRODGmsrodg][0-9]{3}[A-Za-z][0-9]{4}|[MSRODGmsrodg][0-9]{8}",
            kr_passport,
            &["passport", "여권", "여권번호"],
        ),
        r(
            "th_tnin",
            "pii.th_tnin",
            r"[1-8][0-9]{12}",
            th_tnin,
            &["thai", "tnin", "id"],
        ),
        r(
            "za_id_number",
            "pii.za_id",
            r"[0-9]{13}",
            za_id,
            &["id", "identity", "south"],
        ),
        r(
            "uk_driving_licence",
            "pii.uk_driving_licence",
            r"[A-Za-z][A-Za-z9]{4}[0-9]{6}[A-Za-z9]{2}[0-9][A-Za-z0-9]{2}",
            uk_driving,
            &["licence", "license", "driving", "driver", "dvla"],
        ),
        r(
            "kr_frn",
            "pii.kr_frn",
            r"[0-9]{6}-?[5-8][0-9]{6}",
            kr_frn,
            &["frn", "foreigner", "외국인등록번호"],
        ),
        r(
            "kr_brn",
            "pii.kr_brn",
            r"[0-9]{3}-?[0-9]{2}-?[0-9]{5}",
            kr_brn,
            &["brn", "business", "사업자등록번호"],
        ),
        r(
            "ng_nin",
            "pii.ng_nin",
            r"[0-9]{11}",
            ng_nin,
            &["nin", "nimc", "national"],
        ),
        r(
            "sg_uen",
            "pii.sg_uen",
            r"[0-9]{8}[A-Z]|[0-9]{9}[A-Z]|[TSR][0-9]{2}[A-Z]{2}[0-9]{4}[A-Z]",
            sg_uen,
            &["uen", "acra", "entity"],
        ),
        r(
            "tr_license_plate",
            "pii.tr_license_plate",
            r"[0-9]{2} ?[A-Za-z]{1,3} ?[0-9]{2,4}",
            tr_plate,
            &["plaka", "plakası", "plate", "araç"],
        ),
        r(
            "de_id_card",
            "pii.de_id_card",
            r"[C-Zc-z][0-9C-Zc-z]{7}[0-9]",
            de_icao,
            &["personalausweis", "ausweis", "ausweisnummer", "id"],
        ),
        r(
            "de_passport",
            "pii.de_passport",
            r"[C-Zc-z][0-9C-Zc-z]{7}[0-9]",
            de_icao,
            &["reisepass", "pass", "passport", "passnummer"],
        ),
        r(
            "de_health_insurance",
            "pii.de_health_insurance",
            r"[A-Za-z][0-9]{9}",
            de_kvnr,
            &[
                "krankenversichertennummer",
                "kvnr",
                "versichertennummer",
                "egk",
                "krankenkasse",
            ],
        ),
        r(
            "de_social_security",
            "pii.de_social_security",
            r"[0-9]{8}[A-Za-z][0-9]{3}",
            de_rvnr,
            &["rentenversicherungsnummer", "sozialversicherungsnummer", "rvnr", "svnr"],
        ),
        r("de_lanr", "pii.de_lanr", r"[0-9]{9}", de_lanr, &["lanr", "arztnummer"]),
        r(
            "de_bsnr",
            "pii.de_bsnr",
            r"[0-9]{9}",
            de_bsnr,
            &["bsnr", "betriebsstättennummer"],
        ),
        r(
            "es_passport",
            "pii.es_passport",
            r"[A-Za-z]{3}[0-9]{6}",
            very_faint,
            &["pasaporte", "passport"],
        ),
        r(
            "in_passport",
            "pii.in_passport",
            r"[A-Z][1-9][0-9]{6}",
            faint,
            &["passport"],
        ),
        r(
            "in_voter",
            "pii.in_voter",
            r"[A-Z]{3}[0-9]{7}",
            weak,
            &["voter", "epic", "electoral"],
        ),
        r(
            "kr_driver_license",
            "pii.kr_driver_license",
            r"[0-9]{2}[ \-]?[0-9]{2}[ \-]?[0-9]{6}[ \-]?[0-9]{2}",
            kr_driver,
            &["license", "licence", "운전면허", "운전면허번호"],
        ),
        r(
            "it_vat_code",
            "pii.it_vat_code",
            r"[0-9]{11}",
            it_vat,
            &["iva", "partita", "vat"],
        ),
        r("de_plz", "pii.de_plz", r"[0-9]{5}", de_plz, &["plz", "postleitzahl"]),
        r(
            "de_kfz",
            "pii.de_kfz",
            r"[A-Za-z]{1,3}[ \-][A-Za-z]{1,2}[ \-][0-9]{1,4}[EHeh]?",
            faint,
            &["kennzeichen", "kfz", "nummernschild"],
        ),
        r(
            "de_fuehrerschein",
            "pii.de_fuehrerschein",
            r"[A-Za-z][A-Za-z0-9][0-9]{8}[A-Za-z0-9]",
            weak,
            &["führerschein", "führerscheinnummer", "fahrerlaubnis"],
        ),
        r(
            "de_tax_number",
            "pii.de_tax_number",
            r"[0-9]{2,3}/[0-9]{3,4}/[0-9]{4,5}|[0-9]{13}",
            de_tax_number,
            &["steuernummer", "stnr", "st"],
        ),
        r(
            "it_driver_license",
            "pii.it_driver_license",
            r"[A-Za-z]{2}[0-9]{7}[A-Za-z]|[Uu]1[A-Za-z0-9]{7}[A-Za-z]",
            faint,
            &["patente", "license", "licence"],
        ),
        r(
            "date_of_birth",
            "pii.date_of_birth",
            r"[0-9]{1,4}[./\-][0-9]{1,2}[./\-][0-9]{1,4}",
            dob,
            &[
                "born",
                "birth",
                "dob",
                "birthday",
                "birthdate",
                "geboren",
                "né",
                "née",
                "nacimiento",
            ],
        ),
        r(
            "us_driver_license",
            "pii.us_driver_license",
            r"[A-Z][0-9]{6,12}",
            loose,
            &["driver", "driver's", "license", "licence", "dl"],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile() {
        for r in all() {
            assert!(regex::Regex::new(r.pattern).is_ok(), "{}", r.rule);
        }
    }
}
