use super::checks::{digits, luhn, verhoeff};
use super::*;

fn guard() -> PiiGuard {
    PiiConfig::default().build(Profile::Input).unwrap()
}

fn permissive() -> PiiGuard {
    PiiConfig {
        min_score: 0.0,
        keep_overlaps: true,
        ..PiiConfig::default()
    }
    .build(Profile::Input)
    .unwrap()
}

/// (kind, original text of the span) for every finding.
fn found(g: &PiiGuard, text: &str) -> Vec<(String, String)> {
    g.check(text)
        .findings()
        .iter()
        .map(|f| (f.kind().to_string(), text[f.span()].to_string()))
        .collect()
}

fn has(g: &PiiGuard, text: &str, kind: &str, value: &str) -> bool {
    found(g, text).iter().any(|(k, v)| k == kind && v == value)
}

fn none_of(g: &PiiGuard, text: &str, kind: &str) -> bool {
    !found(g, text).iter().any(|(k, _)| k == kind)
}

/// Completes `body` with the Luhn digit.
fn luhn_complete(body: &str) -> String {
    (0..10)
        .map(|c| format!("{body}{c}"))
        .find(|s| luhn(&digits(s)))
        .unwrap()
}

/// A card number with a brand prefix, a synthetic body and a Luhn digit.
fn card(prefix: &str, len: usize) -> String {
    let mut body = prefix.to_string();
    let mut x = 7u32;
    while body.len() < len - 1 {
        x = (x * 31 + 11) % 97;
        body.push(char::from(b'0' + (x % 10) as u8));
    }
    luhn_complete(&body)
}

fn group4(s: &str, sep: char) -> String {
    s.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(&sep.to_string())
}

/// An IBAN for `cc` with a valid check pair.
fn iban(cc: &str, bban: &str) -> String {
    (2..=98)
        .map(|ck| format!("{cc}{ck:02}{bban}"))
        .find(|s| checks::iban_mod97(s.as_bytes()))
        .unwrap()
}

#[test]
fn email() {
    let g = guard();
    assert!(has(
        &g,
        "mail me: first.last+tag@sub.example.org.",
        "email",
        "first.last+tag@sub.example.org"
    ));
    assert!(none_of(&g, "not an email: user@localhost or a@b.c1", "email"));
    assert!(none_of(&g, "see .user@example", "email"));
    assert!(none_of(&g, "x..y@example.com", "email"));
}

#[test]
fn cards() {
    let g = guard();
    for (prefix, len) in [
        ("45", 16),
        ("51", 16),
        ("2221", 16),
        ("2720", 16),
        ("34", 15),
        ("6011", 16),
        ("3530", 16),
    ] {
        let c = card(prefix, len);
        assert!(has(&g, &format!("card {c} ok"), "credit_card", &c), "{c}");
    }
    let c = card("4556", 16);
    assert!(has(
        &g,
        &format!("pay {} now", group4(&c, ' ')),
        "credit_card",
        &group4(&c, ' ')
    ));
    assert!(has(
        &g,
        &format!("pay {} now", group4(&c, '-')),
        "credit_card",
        &group4(&c, '-')
    ));
    // Mixed separators, wrong Luhn, out-of-range Mastercard, all equal.
    let mixed = format!("{} {}-{} {}", &c[..4], &c[4..8], &c[8..12], &c[12..]);
    assert!(none_of(&g, &mixed, "credit_card"));
    let mut bad = c.clone().into_bytes();
    bad[5] = if bad[5] == b'9' { b'0' } else { bad[5] + 1 };
    assert!(none_of(&g, std::str::from_utf8(&bad).unwrap(), "credit_card"));
    assert!(none_of(&g, &card("2721", 16), "credit_card"));
    assert!(none_of(&g, "0000000000000000", "credit_card"));
    // Inside a longer token: a hash, an order id.
    assert!(none_of(&g, &format!("sha{c}ab"), "credit_card"));
    assert!(none_of(&g, &format!("order-{c}"), "credit_card"));
}

#[test]
fn test_cards_switch() {
    let g = guard();
    assert!(none_of(&g, "use 4111 1111 1111 1111 in staging", "credit_card"));
    let flagged = PiiConfig {
        flag_test_cards: true,
        ..PiiConfig::default()
    }
    .build(Profile::Input)
    .unwrap();
    assert!(has(
        &flagged,
        "use 4111 1111 1111 1111 in staging",
        "credit_card",
        "4111 1111 1111 1111"
    ));
}

#[test]
fn ibans() {
    let g = guard();
    let de = iban("DE", "370400440532013000");
    assert!(has(&g, &format!("IBAN {de}."), "iban", &de));
    let spaced = group4(&de, ' ');
    assert!(has(&g, &format!("to {spaced} please"), "iban", &spaced));
    // Wrong length for the country, wrong check.
    assert!(none_of(&g, &format!("{de}1"), "iban"));
    let mut bad = de.clone().into_bytes();
    bad[8] = if bad[8] == b'1' { b'2' } else { b'1' };
    assert!(none_of(&g, std::str::from_utf8(&bad).unwrap(), "iban"));
}

#[test]
fn ssn_and_samples() {
    let g = guard();
    assert!(has(&g, "my ssn is 536-22-1234", "us_ssn", "536-22-1234"));
    // Bare nine digits need a context word.
    assert!(none_of(&g, "ticket 536221234 closed", "us_ssn"));
    assert!(has(&g, "SSN: 536221234", "us_ssn", "536221234"));
    // Invalid areas, groups, serials and published samples.
    for v in [
        "000-12-3456",
        "666-12-3456",
        "912-12-3456",
        "536-00-1234",
        "536-22-0000",
        "078-05-1120",
        "123-45-6789",
    ] {
        assert!(none_of(&g, &format!("ssn {v}"), "us_ssn"), "{v}");
    }
}

#[test]
fn context_is_whole_word() {
    let g = guard();
    // "ssnx" and "classn" are not the word "ssn".
    assert!(none_of(&g, "ssnx 536221234", "us_ssn"));
    assert!(has(
        &g,
        "The patient's NHS number: 943 476 5919",
        "uk_nhs",
        "943 476 5919"
    ));
    assert!(none_of(&g, "reference 943 476 5919", "uk_nhs"));
}

#[test]
fn phones() {
    let g = guard();
    assert!(has(&g, "call +44 20 7946 0958 today", "phone", "+44 20 7946 0958"));
    assert!(has(&g, "call (415) 555-2671", "phone", "(415) 555-2671"));
    assert!(has(&g, "Telefon: 0532 123 45 67", "phone", "0532 123 45 67"));
    // Bare digit runs without context, versions, timestamps.
    assert!(none_of(&g, "build 4155552671 passed", "phone"));
    assert!(none_of(&g, "version 1.415.555.2671.3", "phone"));
    assert!(none_of(&g, "at 2024-05-06T10:15:30Z", "phone"));
}

#[test]
fn network() {
    let g = guard();
    assert!(has(&g, "host 192.168.10.254 is down", "ip_address", "192.168.10.254"));
    assert!(has(&g, "ssh root@10.0.0.7:22", "ip_address", "10.0.0.7"));
    assert!(has(
        &g,
        "via 2001:db8::8a2e:370:7334 ok",
        "ip_address",
        "2001:db8::8a2e:370:7334"
    ));
    assert!(none_of(
        &g,
        "version 1.2.3.4.5 and 256.1.1.1 and 01.2.3.4",
        "ip_address"
    ));
    assert!(none_of(&g, "at 10:15:30 sharp", "ip_address"));
    assert!(has(&g, "mac 00:1A:2B:3C:4D:5E", "mac_address", "00:1A:2B:3C:4D:5E"));
    assert!(none_of(&g, "mac 00:1A-2B:3C:4D:5E", "mac_address"));
}

#[test]
fn crypto() {
    let g = guard();
    // BIP-173 / EIP-55 published vectors.
    assert!(has(
        &g,
        "send to bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "crypto_wallet",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"
    ));
    let eth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
    assert!(has(&g, &format!("eth {eth}"), "crypto_wallet", eth));
    assert!(none_of(
        &g,
        "eth 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        "crypto_wallet"
    ));
    assert!(none_of(&g, "btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyU", "crypto_wallet"));
}

#[test]
fn national_ids() {
    let p = permissive();
    // Aadhaar: find a Verhoeff-valid body.
    let body = "23412341234";
    let aadhaar = (0..10)
        .map(|c| format!("{body}{c}"))
        .find(|s| verhoeff(&digits(s)))
        .unwrap();
    assert!(has(&p, &format!("aadhaar {aadhaar}"), "in_aadhaar", &aadhaar));
    let wrong = format!("{body}{}", (aadhaar.as_bytes()[11] - b'0' + 1) % 10);
    assert!(none_of(&p, &format!("aadhaar {wrong}"), "in_aadhaar"));
    // Spanish NIF letter: 12345678 % 23 = 14 -> 'Z'.
    assert!(has(&p, "NIF 12345678Z", "es_nif", "12345678Z"));
    assert!(none_of(&p, "NIF 12345678A", "es_nif"));
    // Canadian SIN is Luhn.
    let sin = luhn_complete("04645413");
    let sin = if sin.starts_with('0') {
        luhn_complete("14645413")
    } else {
        sin
    };
    assert!(has(&p, &format!("SIN {sin}"), "ca_sin", &sin));
    // UK NINO structure, forbidden prefixes.
    let g = guard();
    assert!(has(&g, "NI number AB 12 34 56 C", "uk_nino", "AB 12 34 56 C"));
    assert!(none_of(&g, "NI number GB 12 34 56 C", "uk_nino"));
}

#[test]
fn normalization_aware_spans() {
    let g = guard();
    // Full-width digits in an SSN.
    let t = "ssn ５３６-２２-１２３４ end";
    let f = found(&g, t);
    assert_eq!(f, vec![("us_ssn".to_string(), "５３６-２２-１２３４".to_string())]);
    // Arabic-Indic digits.
    let t = "ssn ٥٣٦-٢٢-١٢٣٤.";
    assert!(has(&g, t, "us_ssn", "٥٣٦-٢٢-١٢٣٤"));
    // A zero-width space splitting an email, a soft hyphen inside a card.
    let t = "write jane\u{200B}.doe@example.com now";
    assert!(has(&g, t, "email", "jane\u{200B}.doe@example.com"));
    let c = card("4556", 16);
    let split = format!("{}\u{00AD}{}", &c[..8], &c[8..]);
    let t = format!("card {split} ok");
    assert!(has(&g, &t, "credit_card", &split));
}

#[test]
fn operators_and_hash() {
    let cfg = PiiConfig {
        operators: [
            ("email".to_string(), Operator::Hash),
            ("us_ssn".to_string(), Operator::Mask { keep_last: 4 }),
            ("phone".to_string(), Operator::Remove),
        ]
        .into_iter()
        .collect(),
        hash_key: "k1".into(),
        ..PiiConfig::default()
    };
    let g = cfg.build(Profile::Input).unwrap();
    let v = g.check("a@example.com ssn 536-22-1234 tel +44 20 7946 0958 a@example.com");
    let s = v.sanitized().unwrap();
    assert!(s.contains("*******1234"), "{s}");
    assert!(!s.contains("+44"));
    let tags: Vec<&str> = s.split_whitespace().filter(|w| w.starts_with("[EMAIL_")).collect();
    assert_eq!(tags.len(), 2);
    assert_eq!(tags[0], tags[1]);
    // Another key gives another pseudonym; the same key the same one.
    let other = PiiConfig {
        hash_key: "k2".into(),
        ..cfg.clone()
    }
    .build(Profile::Input)
    .unwrap();
    let s2 = other.check("a@example.com").sanitized().unwrap().to_string();
    assert_ne!(s2, tags[0]);
    let again = cfg.build(Profile::Input).unwrap();
    assert_eq!(again.check("a@example.com").sanitized().unwrap(), tags[0]);
    // The hash operator needs a key.
    let no_key = PiiConfig {
        hash_key: String::new(),
        ..cfg
    };
    assert_eq!(no_key.build(Profile::Input).unwrap_err().path(), "hash_key");
}

#[test]
fn findings_hold_no_value() {
    let g = guard();
    let v = g.check("jane.doe@example.com");
    let f = &v.findings()[0];
    let dbg = format!("{f:?}");
    assert!(!dbg.contains("jane.doe@example.com"));
    assert_eq!(f.category(), Category::Pii);
    assert_eq!(f.action(), Action::Sanitize);
}

#[test]
fn profiles_enable_pii() {
    for p in [Profile::Input, Profile::Output, Profile::Document] {
        let s = default_section(p).unwrap();
        assert_eq!(s.action, Some(Action::Sanitize));
    }
    let v = Profile::Input.build().check("mail jane.doe@example.com");
    assert_eq!(v.sanitized(), Some("mail [EMAIL_1]"));
}

#[test]
fn no_panic_on_odd_input() {
    let g = permissive();
    for t in [
        "",
        "@",
        ":::::",
        "٠١٢٣٤٥٦٧٨٩@",
        "1\u{200B}2\u{200B}3-45-6789",
        "+((((((((((1",
        "ａ@ｂ.ｃｏｍ 1.1.1.1/99999999999999999999",
    ] {
        let _ = g.check(t);
    }
    let long = "1 ".repeat(5000) + &"@".repeat(3000);
    let _ = g.check(&long);
}

/// Changes the digit at `i` (to make a checksum fail).
fn bump(s: &str, i: usize) -> String {
    let mut b = s.as_bytes().to_vec();
    b[i] = if b[i] == b'9' { b'0' } else { b[i] + 1 };
    String::from_utf8(b).unwrap()
}

#[test]
fn published_examples_and_look_alikes() {
    let p = permissive();
    // Specification / documentation examples.
    let cases = [
        ("fi_personal_identity_code", "131052-308T", 7),
        ("pl_pesel", "44051401359", 10),
        ("sg_nric", "S1234567D", 3),
        ("es_nie", "X1234567L", 4),
    ];
    for (kind, value, tamper) in cases {
        assert!(has(&p, &format!("id {value} ok"), kind, value), "{kind}");
        let bad = bump(value, tamper);
        assert!(none_of(&p, &format!("id {bad} ok"), kind), "{kind} {bad}");
    }
    // Dates inside identifiers must exist.
    assert!(none_of(&p, "id 44053201359 ok", "pl_pesel"));
}

/// ICAO 9303 check digit, computed independently of the validator.
fn icao_digit(serial: &str) -> char {
    let value = |c: char| c.to_digit(36).unwrap();
    let sum: u32 = serial
        .chars()
        .zip([7, 3, 1].iter().cycle())
        .map(|(c, w)| value(c) * w)
        .sum();
    char::from_digit(sum % 10, 10).unwrap()
}

#[test]
fn german_documents() {
    let p = permissive();
    let serial = "CFGH1234";
    let id = format!("{serial}{}", icao_digit(serial));
    assert!(has(&p, &format!("Personalausweis {id}"), "de_id_card", &id));
    assert!(none_of(&p, &format!("Personalausweis {}", bump(&id, 8)), "de_id_card"));
    // Forbidden letters (A, B, D, E, I, O, Q, S, U) never occur.
    let bad_serial = "CFGA1234";
    let bad = format!("{bad_serial}{}", icao_digit(bad_serial));
    assert!(none_of(&p, &bad, "de_id_card"));
    // Tax id: ISO 7064 mod 11,10, computed here.
    let body = "8609574271";
    let mut prod = 10u32;
    for c in body.chars() {
        let mut s = (c.to_digit(10).unwrap() + prod) % 10;
        if s == 0 {
            s = 10;
        }
        prod = (2 * s) % 11;
    }
    let tax = format!("{body}{}", (11 - prod) % 10);
    assert!(has(&p, &format!("Steuer-ID {tax}"), "de_tax_id", &tax));
    assert!(none_of(&p, &format!("Steuer-ID {}", bump(&tax, 10)), "de_tax_id"));
    // Digit distribution of the first ten digits: one digit twice or three
    // times (not three in a row), the others at most once.
    for (body, ok) in [
        ("1234567891", true),  // 1 twice
        ("1213456789", true),  // 1 twice
        ("1213145678", true),  // 1 three times, apart
        ("1112345678", false), // 1 three times in a row
        ("1234567890", false), // no digit repeated
        ("1122345678", false), // two digits repeated
        ("1212134567", false), // 1 four times
    ] {
        let tax = with_mod11_10(body);
        assert_eq!(has(&p, &format!("Steuer-ID {tax}"), "de_tax_id", &tax), ok, "{body}");
    }
}

/// Appends the ISO 7064 MOD 11,10 check digit.
fn with_mod11_10(body: &str) -> String {
    let mut prod = 10u32;
    for c in body.chars() {
        let mut s = (c.to_digit(10).unwrap() + prod) % 10;
        if s == 0 {
            s = 10;
        }
        prod = (2 * s) % 11;
    }
    format!("{body}{}", (11 - prod) % 10)
}

#[test]
fn korean_resident_numbers() {
    let p = permissive();
    let body = "900101123456";
    let d: Vec<u32> = body.chars().map(|c| c.to_digit(10).unwrap()).collect();
    let w = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = d.iter().zip(w).map(|(a, b)| a * b).sum();
    let rrn = format!("{}-{}{}", &body[..6], &body[6..], (11 - sum % 11) % 10);
    assert!(has(&p, &format!("RRN {rrn}"), "kr_rrn", &rrn));
    // Month 13 does not exist.
    assert!(none_of(&p, "RRN 901301-1234567", "kr_rrn"));
}

#[test]
fn uk_documents() {
    let g = guard();
    assert!(has(
        &g,
        "Licence: MORGA753116SM9IJ",
        "uk_driving_licence",
        "MORGA753116SM9IJ"
    ));
    // Month 13 is not a month of birth.
    assert!(none_of(&g, "Licence: MORGA713116SM9IJ", "uk_driving_licence"));
    assert!(has(&g, "reg BD51 SMR seen", "uk_vehicle_registration", "BD51 SMR"));
    assert!(none_of(&g, "reg BD00 SMR seen", "uk_vehicle_registration"));
    assert!(has(&g, "post to SW1A 1AA", "uk_postcode", "SW1A 1AA"));
}

#[test]
fn date_of_birth_needs_context() {
    let g = guard();
    assert!(has(&g, "I was born on 14/03/1987.", "date_of_birth", "14/03/1987"));
    assert!(has(&g, "DOB: 1987-03-14", "date_of_birth", "1987-03-14"));
    assert!(none_of(&g, "The meeting is on 14/03/1987.", "date_of_birth"));
    assert!(none_of(&g, "born on 31/02/1987", "date_of_birth"));
}

#[test]
fn bare_digit_runs_need_context() {
    let g = guard();
    for t in [
        "invoice 4821937650 paid",
        "id 482193765",
        "uuid 3f2a9c1e-4821-4937-8650-1a2b3c4d5e6f",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "v10.4.1234567",
        "ts 1716239022123",
        "order #12345678901",
    ] {
        let f = found(&g, t);
        assert!(f.is_empty(), "{t}: {f:?}");
    }
}

/// A small deterministic generator (xorshift) for the differential test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// The routed engine finds exactly what the previous engine (every token
/// start tried, window-wide context gate) finds, on digit-dense text mixing
/// entities, look-alikes and context words.
#[test]
fn engine_matches_reference() {
    let pieces = [
        "2026-11-26T00:41:13.512Z",
        "INFO",
        "request_id=7f3a2c91",
        "path=/api/v2/items",
        "status=200",
        "bytes=5123",
        "ssn",
        "536-22-1234",
        "phone",
        "+44 20 7946 0958",
        "(415) 555-2671",
        "jane.doe@example.com",
        "born",
        "14/03/1987",
        "account",
        "12345678",
        "tax",
        "id",
        "DE136695976",
        "10.0.0.1",
        "fe80::1ff:fe23:4567:890a",
        "00:1A:2B:3C:4D:5E",
        "SW1A 1AA",
        "AB123456C",
        "passport",
        "X1234567",
        "v1.2.3-4111",
        "3f2a9c1e-4821-4937-8650-1a2b3c4d5e6f",
        "routing",
        "011000015",
        "plz",
        "10115",
        "27ABCDE1234F1Z5",
        "ABCDE1234F",
        "RSSMRAURTMLARSNL",
        "RSSMRA85T10A562S",
        "aabb.ccdd.eeff",
        "dead:beef::1",
        "ABC 123D",
        "GIR 0AA",
        "B-MK 1234",
        "MORGA753116SM9IJ",
        "CFGHJKLM1",
        "request_id",
        "Quarterly",
        "INFO",
        ",",
        ".",
        "(",
        ")",
        "-",
        ":",
        "/",
        "=",
        "\n",
    ];
    let seps = [" ", " ", " ", "", "-", "/", ".", ": ", "\n"];
    for (g, name) in [(guard(), "default"), (permissive(), "permissive")] {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut total = 0;
        for _ in 0..300 {
            let mut t = String::new();
            for _ in 0..(4 + rng.next() % 40) {
                t.push_str(rng.pick(&pieces));
                t.push_str(rng.pick(&seps));
            }
            let a: Vec<(usize, usize, usize)> = g.candidates(&t).iter().map(|c| (c.idx, c.start, c.end)).collect();
            let b: Vec<(usize, usize, usize)> = g
                .candidates_reference(&t)
                .iter()
                .map(|c| (c.idx, c.start, c.end))
                .collect();
            assert_eq!(a, b, "{name}: {t:?}");
            total += a.len();
        }
        assert!(total > 300, "{name}: only {total} candidates");
    }
}

#[test]
fn placeholder_labels_are_no_context_words() {
    let g = guard();
    // A bare ten-digit number needs a context word; `phone` inside an
    // earlier redaction placeholder is not one.
    for p in [
        "[PHONE_1]",
        "[PHONE]",
        "[PHONE_3f9a_2]",
        "[MOBILE_PHONE_1]",
        "[SECRET_PHONE]",
    ] {
        assert!(none_of(&g, &format!("{p} a b 4155552672"), "phone"), "{p}");
    }
    assert!(has(&g, "phone a b 4155552672", "phone", "4155552672"));
    // A word in brackets that is not followed by `_` or `]` still counts.
    assert!(has(&g, "[phone: 4155552672]", "phone", "4155552672"));
}

/// A placeholder stands for the value it replaced: a number glued to it
/// is read as it was glued to that value (not found), so that sanitizing
/// does not unlock one more number of a glued run per round.
#[test]
fn placeholders_keep_their_values_boundaries() {
    let g = guard();
    // The second number of a glued pair continues the first one's token.
    let glued = found(&g, "+447700900123+447700900456");
    assert_eq!(glued, vec![("phone".to_string(), "+447700900123".to_string())]);
    assert!(none_of(&g, "[PHONE_1]+447700900456", "phone"));
    assert!(none_of(&g, "+447700900456[PHONE_1]", "phone"));
    // Brackets that are no placeholder are ordinary punctuation.
    assert!(has(&g, "[note]+447700900456", "phone", "+447700900456"));
    assert!(has(&g, "+447700900456[note]", "phone", "+447700900456"));
}

#[test]
fn digits_after_plus_are_not_a_national_number() {
    let g = guard();
    // `+880 8888888` fails the international check (all-same subscriber
    // digits); its digits are not re-read as the NANP `880-888-8888`.
    assert!(none_of(&g, "call +8808888888", "phone"));
    assert!(has(&g, "call 8808888881", "phone", "8808888881"));
    assert!(has(&g, "call +1 415 555 2671", "phone", "+1 415 555 2671"));
}

#[test]
fn it_fiscal_code_with_a_wrong_check_letter_is_unknown() {
    let (p, g) = (permissive(), guard());
    assert!(has(&g, "id RSSMRA85T10A562S ok", "it_fiscal_code", "RSSMRA85T10A562S"));
    // A wrong check letter on a well-formed code: kept only with context.
    let bad = "RSSMRA85T10A562T";
    assert!(none_of(&g, &format!("id {bad} ok"), "it_fiscal_code"));
    assert!(has(&g, &format!("codice fiscale {bad}"), "it_fiscal_code", bad));
    assert!(has(&p, &format!("id {bad} ok"), "it_fiscal_code", bad));
    // A malformed one (month letter Z, day 35) stays invalid.
    assert!(none_of(&p, "id RSSMRA85Z10A562T ok", "it_fiscal_code"));
    assert!(none_of(&p, "id RSSMRA85T35A562T ok", "it_fiscal_code"));
}

#[test]
fn uk_postcode_girobank_and_old_year_letters() {
    let g = guard();
    assert!(has(&g, "send it to GIR 0AA please", "uk_postcode", "GIR 0AA"));
    let p = permissive();
    assert!(has(&p, "GIR0AA", "uk_postcode", "GIR0AA"));
    // Prefix registrations: I, O, Q, U and Z were never year letters.
    assert!(has(&p, "A123 BCD", "uk_vehicle_registration", "A123 BCD"));
    for y in ["I", "O", "Q", "U", "Z"] {
        assert!(none_of(&p, &format!("{y}123 BCD"), "uk_vehicle_registration"), "{y}");
    }
}

#[test]
fn th_tnin_province_digits() {
    // Build a TNIN with a valid check digit for a given 12-digit body.
    fn tnin(body: &str) -> String {
        let d = digits(body);
        let sum: u32 = d.iter().zip((2..=13).rev()).map(|(&x, w)| x as u32 * w).sum();
        format!("{body}{}", (11 - sum % 11) % 10)
    }
    let p = permissive();
    let ok = tnin("110170012345");
    assert!(has(&p, &ok, "th_tnin", &ok));
    for body in ["197456789012", "188456789012", "159456789012", "101456789012"] {
        let t = tnin(body);
        assert!(none_of(&p, &t, "th_tnin"), "{t}");
    }
}

#[test]
fn iban_with_dashes_and_de_vat_with_dots() {
    let g = guard();
    assert!(has(
        &g,
        "iban GB82-WEST-1234-5698-7654-32",
        "iban",
        "GB82-WEST-1234-5698-7654-32"
    ));
    // One separator kind throughout.
    assert!(none_of(&g, "iban GB82-WEST 1234-5698-7654-32", "iban"));
    // DE VAT ids: ISO 7064 check digit, dots as separators.
    let body = "13669597";
    let vat = (0..10)
        .map(|c| format!("{body}{c}"))
        .find(|v| super::checks::iso7064_mod11_10(&digits(v)))
        .unwrap();
    let dotted = format!("DE.{}.{}.{}", &vat[..3], &vat[3..6], &vat[6..]);
    assert!(has(&g, &dotted, "de_vat_id", &dotted));
    // The check digit carries the precision: mixed separators are fine.
    let mixed = format!("DE {}-{}.{}", &vat[..3], &vat[3..6], &vat[6..]);
    assert!(has(&g, &mixed, "de_vat_id", &mixed));
    assert!(none_of(&g, &bump(&dotted, 13), "de_vat_id"));
}

#[test]
fn turkish_and_korean_numbers() {
    let (p, g) = (permissive(), guard());
    // Turkish national numbers without the trunk 0: context needed.
    assert!(has(&g, "telefon: 532 123 45 67", "phone", "532 123 45 67"));
    assert!(has(&p, "3121234567", "phone", "3121234567"));
    assert!(none_of(&g, "ref 3121234567", "phone"));
    // A number does not start inside a longer run of digit groups.
    assert!(none_of(&g, "phone 1234 5678 9012 3456 78", "phone"));
    assert!(has(&g, "phone 345 6789", "phone", "345 6789"));
    // Korean driver's licences: region 11-26 or 28, one separator kind.
    assert!(has(
        &g,
        "licence 11-22-123456-12",
        "kr_driver_license",
        "11-22-123456-12"
    ));
    assert!(has(&p, "28 22 123456 12", "kr_driver_license", "28 22 123456 12"));
    assert!(none_of(&p, "27-22-123456-12", "kr_driver_license"));
    assert!(none_of(&p, "11-22 123456-12", "kr_driver_license"));
}

#[test]
fn de_fuehrerschein_starts_with_a_letter() {
    let p = permissive();
    assert!(has(&p, "B012345678A", "de_fuehrerschein", "B012345678A"));
    assert!(none_of(&p, "12345678901", "de_fuehrerschein"));
}

#[test]
fn non_ascii_context_words_count() {
    let g = guard();
    // Context words with non-ASCII letters between ASCII ends.
    assert!(has(&g, "Führerschein B012345678A", "de_fuehrerschein", "B012345678A"));
    assert!(has(&g, "'führerschein' B012345678A", "de_fuehrerschein", "B012345678A"));
    assert!(none_of(&g, "Fuhrerschein B012345678A", "de_fuehrerschein"));
}

#[test]
fn digits_after_underscore_open_no_window() {
    let g = guard();
    // Placeholders of a sanitized text hold digits after `_`: nothing there.
    assert!(found(&g, "[PHONE_1] and [CREDIT_CARD_2] and [EMAIL_3f9a_1]").is_empty());
    // Entities next to them are still found.
    assert!(has(&g, "[PHONE_1] call 415-555-2671", "phone", "415-555-2671"));
    assert!(has(&g, "x86_64 host 10.20.30.40", "ip_address", "10.20.30.40"));
}

/// The context words indexed lazily around candidates answer every query
/// as the whole-text index does, whatever the order of the queries: on
/// text with quotes, long words, non-ASCII separators and words, and
/// placeholder labels.
#[test]
fn lazy_context_index_matches_whole_index() {
    let g = guard();
    // Longer than the distance a scan position is looked for.
    let long = "語b".repeat(100);
    let pieces = [
        long.as_str(),
        "phone",
        "'phone'",
        "''call",
        "Telefon",
        "TELÉFONO",
        "téléphone",
        "\u{212A}ontonummer",
        "account",
        "xphone",
        "phonex",
        "[PHONE_1]",
        "[UK_VEHICLE_REGISTRATION_2]",
        "ss#",
        "born",
        "dob",
        "—",
        "語語語語",
        "…",
        "12345",
        "415 555 2671",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "'''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''''",
        "#",
    ];
    let seps = [" ", "", "-", "\n", "é", "、", " — ", "  "];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for _ in 0..300 {
        let mut t = String::new();
        for _ in 0..(2 + rng.next() % 120) {
            t.push_str(rng.pick(&pieces));
            t.push_str(rng.pick(&seps));
        }
        let whole = g.context_index(&t);
        let mut lazy = ContextCache::default();
        // Queries in text order with jumps back and forth.
        let mut at = 0usize;
        for _ in 0..40 {
            at = match rng.next() % 4 {
                0 => (rng.next() as usize) % (t.len() + 1),
                _ => (at + (rng.next() as usize) % 300).min(t.len()),
            };
            let end = (at + (rng.next() as usize) % 30).min(t.len());
            for idx in 0..g.engine.recognizers.len() {
                assert_eq!(
                    lazy.near(&g, &t, idx, at, end),
                    context_near(&whole, idx, at, end),
                    "{idx} {at}..{end} in {t:?}"
                );
            }
        }
    }
}

/// The packed table of short context words answers as the word map does:
/// for every context word in any case, and for near misses of them.
#[test]
fn short_word_table_matches_word_map() {
    let g = guard();
    let engine = &g.engine;
    let mut probes: Vec<String> = Vec::new();
    for w in engine.ctx_words.keys().filter(|w| w.is_ascii()) {
        probes.push(w.clone());
        probes.push(w.to_ascii_uppercase());
        probes.push(format!("{w}s"));
        probes.push(format!("x{w}"));
        probes.push(w[..w.len() - 1].to_string());
        probes.push(w.replacen(|c: char| c.is_ascii_lowercase(), "q", 1));
    }
    let mut hits = 0;
    for p in probes.iter().filter(|p| !p.is_empty() && p.len() <= 16) {
        let expected = engine.ctx_words.get(p.to_ascii_lowercase().as_str()).copied();
        assert_eq!(engine.ctx_short.get(p.as_bytes()), expected, "{p}");
        hits += usize::from(expected.is_some());
    }
    assert!(hits > 100, "{hits}");
}

#[test]
fn warm_up_compiles_every_recognizer() {
    let g = PiiConfig::default().build(Profile::Input).unwrap();
    g.warm_up();
    for (i, slot) in g.engine.regexes.iter().enumerate() {
        assert!(
            slot.get().is_some_and(Option::is_some),
            "{}",
            g.engine.recognizers[i].rule
        );
    }
}

/// A placeholder next to a joiner stands for the value it replaced: a value
/// joined to it by `:`, `-` or `/` reads as joined to that value, as it did
/// before the rewrite (found by the `check_input` fuzz target: each settle
/// round unlocked one more NINO of a run joined by colons).
#[test]
fn a_placeholder_joins_as_the_value_it_replaced() {
    let g = guard();
    for (text, found) in [
        ("NI number JZ103759A: ok", true),
        ("NI number JZ103759A:[UK_NINO_1]", false),
        ("NI number JZ103759A-[UK_NINO_1]", false),
        ("NI number [UK_NINO_1]/JZ103759A", false),
        ("NI number JZ103759A:[not a label]", true),
    ] {
        let v = g.check(text);
        let kinds: Vec<&str> = v.findings().iter().map(|f| f.kind()).collect();
        assert_eq!(kinds.contains(&"uk_nino"), found, "{text}: {kinds:?}");
    }
}

/// The prefix table steps each (state, byte class) once; it must equal the
/// table that steps every state on every byte.
#[test]
fn prefix_table_equals_stepping_every_byte() {
    use regex_automata::hybrid::dfa::DFA;
    use regex_automata::util::start;
    let every_byte = |patterns: &[&str]| -> Vec<u64> {
        let dfa = DFA::builder()
            .configure(DFA::config().match_kind(MatchKind::All))
            .build_many(patterns)
            .unwrap();
        let mut cache = dfa.create_cache();
        let mut live = vec![0u64; 4 * 256 * 256 / 64];
        for (class, behind) in [None, Some(b'\n'), Some(b'\r'), Some(b' ')].into_iter().enumerate() {
            let cfg = start::Config::new().anchored(Anchored::Yes).look_behind(behind);
            let s0 = dfa.start_state(&mut cache, &cfg).unwrap();
            for b0 in 0..=255u8 {
                let s1 = dfa.next_state(&mut cache, s0, b0).unwrap();
                if s1.is_dead() {
                    continue;
                }
                for b1 in 0..=255u8 {
                    let s2 = dfa.next_state(&mut cache, s1, b1).unwrap();
                    if !s2.is_dead() || s1.is_match() {
                        let bit = (class << 16) | ((b0 as usize) << 8) | b1 as usize;
                        live[bit / 64] |= 1 << (bit % 64);
                    }
                }
            }
        }
        live
    };
    let all = recognizers::all();
    let patterns: Vec<&str> = all.iter().map(|r| r.pattern).collect();
    let sets: Vec<Vec<&str>> = vec![
        patterns.clone(),
        patterns.iter().step_by(3).copied().collect(),
        vec![r"(?m)^\d{3}-\d{2}", r"[a-z]+@x\.y", r"(?-u:\b)AB\d"],
    ];
    for set in sets {
        assert_eq!(PrefixTable::build(&set).live, every_byte(&set));
    }
}

/// The same guard with the default settle round: every round scans the
/// whole text.
struct WholeRescan(PiiGuard);

impl Guard for WholeRescan {
    fn inspect(&self, input: &Input<'_>, findings: &mut Vec<Finding>) -> Result<(), GuardError> {
        self.0.inspect(input, findings)
    }
}

/// Texts of a few KB of context words, e-mail addresses, numbers and
/// filler of every length (so that stretches are cut inside the text), and
/// now and then an invisible character (so that some texts take the
/// whole-text path). Rewrites expose some values to settle rounds (about
/// 30 in 300 texts; context no longer reaches across a placeholder, which
/// exposed most of them before).
fn settle_texts(n: usize) -> Vec<String> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    (0..n)
        .map(|_| {
            let mut t = String::new();
            let target = 1000 + next(9000) as usize;
            while t.len() < target {
                match next(10) {
                    0 => t.push_str("call "),
                    1 => t.push_str("phone: "),
                    2 => {
                        let subs = 1 + next(40) as usize;
                        t.push_str(&format!("jo.smith@{}example.com ", "mail.".repeat(subs)));
                    }
                    3 => t.push_str(&format!("41555526{:02} ", next(100))),
                    4 => t.push_str("+1 415 555 0134 "),
                    5 if next(20) == 0 => t.push('\u{200b}'),
                    _ => {
                        let most = if next(4) == 0 { 200 } else { 12 };
                        let words = next(most) as usize;
                        t.push_str(&"lorem ipsum ".repeat(words));
                    }
                }
            }
            t
        })
        .collect()
}

/// Settle rounds scan only around the rewrites; the verdict is the one a
/// whole rescan of every round gives, for the guard alone and behind a
/// Unicode guard that removes invisible characters first.
#[test]
fn settle_rounds_near_rewrites_equal_whole_rescans() {
    use crate::Pipeline;
    use crate::unicode::UnicodeGuard;
    let local = guard();
    let whole = WholeRescan(guard());
    let local_pipe = Pipeline::builder()
        .guard(UnicodeGuard::default())
        .guard(guard())
        .build();
    let whole_pipe = Pipeline::builder()
        .guard(UnicodeGuard::default())
        .guard(WholeRescan(guard()))
        .build();
    let before = SETTLE_FOUND.load(std::sync::atomic::Ordering::Relaxed);
    for t in settle_texts(300) {
        assert_eq!(local.check(&t), whole.check(&t), "{t:?}");
        assert_eq!(local_pipe.check(&t), whole_pipe.check(&t), "{t:?}");
    }
    // The texts exercise what the test is about: values that only a
    // rewrite exposed, found by the scan around it.
    assert!(SETTLE_FOUND.load(std::sync::atomic::Ordering::Relaxed) - before > 20);
}

/// The stretches around rewrites: merged, clipped to the text, on char
/// boundaries.
#[test]
fn stretches_around_rewrites() {
    const R: usize = 2 * MAX_SPAN + SETTLE_MARGIN;
    let edit = |new: std::ops::Range<usize>| Edit { old: new.clone(), new };
    let text = "é".repeat(10_000);
    let one = |r: std::ops::Range<usize>| vec![r];
    assert!(near_rewrites(&text, &[]).is_empty());
    assert_eq!(near_rewrites(&text, &[edit(100..110)]), one(0..110 + R));
    // Far apart: two stretches; near: one.
    let far = near_rewrites(&text, &[edit(5000..5010), edit(15000..15010)]);
    assert_eq!(far, [5000 - R..5010 + R, 15000 - R..15010 + R]);
    let near = near_rewrites(&text, &[edit(5000..5010), edit(5100..5100)]);
    assert_eq!(near, one(5000 - R..5100 + R));
    // Clipped at the end; an odd offset moves out to a char boundary.
    assert_eq!(near_rewrites(&text, &[edit(19_990..20_000)]), one(19_990 - R..20_000));
    let odd = near_rewrites(&text, &[edit(5001..5001)]);
    assert_eq!(odd, one(5000 - R..5002 + R));
}

/// A stretch cut inside a token reads a different token (`x4155552612`
/// cut after the `x` reads as a bare number next to its context word):
/// what is found that near a cut does not count.
#[test]
fn values_at_a_stretch_cut_do_not_count() {
    const R: usize = 2 * MAX_SPAN + SETTLE_MARGIN;
    let (local, whole) = (guard(), WholeRescan(guard()));
    let head = "x4155552612 is my phone number ";
    let email = "jo.smith@example.com";
    let filler = "lorem ipsum ".repeat(R / 4);
    // The stretch around the e-mail's placeholder starts R bytes before
    // it: sweep the cut across the whole head.
    let mut cut_inside = 0;
    for pad in R - 4..R + head.len() + 4 {
        // The e-mail address starts at `pad`, after a space.
        let Some(gap) = pad.checked_sub(head.len() + 1).filter(|&g| g < filler.len()) else {
            continue;
        };
        let t = format!("{head}{} {email} end", &filler[..gap]);
        let verdict = local.check(&t);
        assert_eq!(verdict, whole.check(&t), "{pad}");
        assert_eq!(verdict.findings().len(), 1, "{pad}: {verdict:?}");
        cut_inside += usize::from((1..11).contains(&pad.saturating_sub(R)));
    }
    assert_eq!(cut_inside, 10);
}
