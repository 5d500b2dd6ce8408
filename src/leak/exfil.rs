//! Exfiltration through URLs a client renders: markdown images and links
//! (inline, reference definitions, auto-links), bare URLs, and HTML `<img>`,
//! `<a>`, `<iframe>`, `<script src>`. One forward pass over the bytes.

/// Longest URL read; a longer one is cut here (and flagged as overlong).
pub(crate) const URL_CAP: usize = 2048;
/// Longest link text or tag read.
const LABEL_CAP: usize = 512;
/// The longest construct span.
pub(crate) const MAX_SPAN: usize = URL_CAP + 2 * LABEL_CAP + 16;

/// What a URL is for: fetched automatically, or followed on a click.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Markdown or HTML image: fetched when rendered.
    Image,
    /// `<iframe>` or `<script src>`: fetched when rendered.
    Frame,
    /// A markdown reference definition (`[x]: url`): used by images or links.
    Definition,
    /// Markdown or HTML link, auto-link, bare URL.
    Link,
}

/// One URL-bearing construct.
#[derive(Clone, Debug)]
pub(crate) struct UrlRef {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) url: (usize, usize),
    pub(crate) label: Option<(usize, usize)>,
    pub(crate) target: Target,
    /// The construct is an HTML opening tag.
    pub(crate) html: bool,
}

fn starts_with_ci(b: &[u8], at: usize, pat: &[u8]) -> bool {
    b.len() >= at + pat.len() && b[at..at + pat.len()].eq_ignore_ascii_case(pat)
}

/// `at`, or the closest character boundary before it.
fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Parses every URL-bearing construct of `text`, in order. Length caps can
/// stop inside a multi-byte character: every position is moved back to a
/// character boundary.
pub(crate) fn parse(text: &str, out: &mut Vec<UrlRef>) {
    let from = out.len();
    parse_bytes(text, out);
    for r in &mut out[from..] {
        r.start = floor_boundary(text, r.start);
        r.end = floor_boundary(text, r.end).max(r.start);
        r.url.0 = floor_boundary(text, r.url.0).max(r.start);
        r.url.1 = floor_boundary(text, r.url.1).max(r.url.0);
        if let Some((a, b)) = &mut r.label {
            *a = floor_boundary(text, *a);
            *b = floor_boundary(text, *b).max(*a);
        }
    }
}

fn parse_bytes(text: &str, out: &mut Vec<UrlRef>) {
    let b = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\n' if b.get(i + 1) == Some(&b'\n') => stack.clear(),
            b'[' => {
                if stack.len() == 32 {
                    stack.remove(0);
                }
                stack.push(i);
            }
            b']' => {
                let Some(o) = stack.pop() else {
                    i += 1;
                    continue;
                };
                if i - o > LABEL_CAP {
                    i += 1;
                    continue;
                }
                if b.get(i + 1) == Some(&b'(') {
                    let image = o > 0 && b[o - 1] == b'!';
                    let (us, ue, end) = inline_destination(b, i + 2);
                    out.push(UrlRef {
                        start: if image { o - 1 } else { o },
                        end,
                        url: (us, ue),
                        label: Some((o + 1, i)),
                        target: if image { Target::Image } else { Target::Link },
                        html: false,
                    });
                    i = end;
                    continue;
                }
                if b.get(i + 1) == Some(&b':') && at_line_start(b, o) {
                    let mut us = i + 2;
                    while us < b.len() && (b[us] == b' ' || b[us] == b'\t') {
                        us += 1;
                    }
                    let angle = b.get(us) == Some(&b'<');
                    if angle {
                        us += 1;
                    }
                    let mut ue = us;
                    while ue < b.len() && ue - us < URL_CAP && !b[ue].is_ascii_whitespace() && !(angle && b[ue] == b'>')
                    {
                        ue += 1;
                    }
                    let mut end = ue;
                    while end < b.len() && b[end] != b'\n' && end - ue < LABEL_CAP {
                        end += 1;
                    }
                    if ue > us {
                        out.push(UrlRef {
                            start: o,
                            end,
                            url: (us, ue),
                            label: None,
                            target: Target::Definition,
                            html: false,
                        });
                        stack.clear();
                        i = end;
                        continue;
                    }
                }
            }
            b'<' => {
                if let Some(r) = html_or_autolink(b, i) {
                    i = r.end;
                    out.push(r);
                    continue;
                }
            }
            b'h' | b'H' if (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && is_http(b, i) => {
                let ue = bare_url_end(b, i);
                out.push(UrlRef {
                    start: i,
                    end: ue,
                    url: (i, ue),
                    label: None,
                    target: Target::Link,
                    html: false,
                });
                i = ue;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

fn is_http(b: &[u8], i: usize) -> bool {
    starts_with_ci(b, i, b"http://") || starts_with_ci(b, i, b"https://")
}

fn at_line_start(b: &[u8], o: usize) -> bool {
    let mut k = o;
    let mut spaces = 0;
    while k > 0 && b[k - 1] == b' ' && spaces < 4 {
        k -= 1;
        spaces += 1;
    }
    spaces <= 3 && (k == 0 || b[k - 1] == b'\n')
}

/// `(url_start, url_end, construct_end)` of an inline destination starting
/// at `p` (just after `(`).
fn inline_destination(b: &[u8], mut p: usize) -> (usize, usize, usize) {
    while p < b.len() && (b[p] == b' ' || b[p] == b'\t' || b[p] == b'\n') && p < b.len() {
        p += 1;
    }
    let (us, ue);
    if b.get(p) == Some(&b'<') {
        us = p + 1;
        let mut q = us;
        while q < b.len() && b[q] != b'>' && b[q] != b'\n' && q - us < URL_CAP {
            q += 1;
        }
        ue = q;
        p = (q + 1).min(b.len());
    } else {
        us = p;
        let mut depth = 0usize;
        let mut q = p;
        while q < b.len() && q - us < URL_CAP && !b[q].is_ascii_whitespace() {
            match b[q] {
                b'(' => depth += 1,
                b')' if depth == 0 => break,
                b')' => depth -= 1,
                _ => {}
            }
            q += 1;
        }
        ue = q;
        p = q;
    }
    // An optional title, then `)`.
    let mut q = p;
    while q < b.len() && q - p < LABEL_CAP && b[q] != b')' {
        if b[q] == b'\n' && b.get(q + 1) == Some(&b'\n') {
            break;
        }
        q += 1;
    }
    let end = if b.get(q) == Some(&b')') { q + 1 } else { ue };
    (us, ue, end)
}

fn bare_url_end(b: &[u8], start: usize) -> usize {
    let mut q = start;
    let mut depth = 0usize;
    while q < b.len() && q - start < URL_CAP {
        let c = b[q];
        if c.is_ascii_whitespace() || matches!(c, b'<' | b'>' | b'"' | b'\'' | b'`' | b']') {
            break;
        }
        if c == b'(' {
            depth += 1;
        } else if c == b')' {
            if depth == 0 {
                break;
            }
            depth -= 1;
        }
        q += 1;
    }
    while q > start && matches!(b[q - 1], b'.' | b',' | b';' | b':' | b'!' | b'?' | b'*' | b'_') {
        q -= 1;
    }
    q
}

fn html_or_autolink(b: &[u8], i: usize) -> Option<UrlRef> {
    let name_start = i + 1;
    let mut k = name_start;
    while k < b.len() && b[k].is_ascii_alphanumeric() && k - name_start < 12 {
        k += 1;
    }
    let name = &b[name_start..k];
    // Auto-link: <scheme:...>
    if !name.is_empty() && b.get(k) == Some(&b':') && name[0].is_ascii_alphabetic() {
        let mut q = k + 1;
        while q < b.len() && q - i < URL_CAP && b[q] != b'>' && b[q] != b'<' && !b[q].is_ascii_whitespace() {
            q += 1;
        }
        if b.get(q) == Some(&b'>') {
            return Some(UrlRef {
                start: i,
                end: q + 1,
                url: (name_start, q),
                label: None,
                target: Target::Link,
                html: false,
            });
        }
        return None;
    }
    let target = if name.eq_ignore_ascii_case(b"img") {
        Target::Image
    } else if name.eq_ignore_ascii_case(b"iframe") || name.eq_ignore_ascii_case(b"script") {
        Target::Frame
    } else if name.eq_ignore_ascii_case(b"a") {
        Target::Link
    } else {
        return None;
    };
    if !b.get(k).is_some_and(|c| c.is_ascii_whitespace() || *c == b'/') {
        return None;
    }
    // The tag, up to `>` (quotes respected), bounded.
    let mut q = k;
    let mut quote = 0u8;
    let mut url = None;
    while q < b.len() && q - i < URL_CAP + LABEL_CAP {
        let c = b[q];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
            q += 1;
            continue;
        }
        if c == b'>' {
            break;
        }
        if url.is_none() && (b[q - 1].is_ascii_whitespace() || b[q - 1] == b'/') {
            let attr = if target == Target::Link {
                &b"href"[..]
            } else {
                &b"src"[..]
            };
            if starts_with_ci(b, q, attr) {
                let mut v = q + attr.len();
                while v < b.len() && b[v] == b' ' {
                    v += 1;
                }
                if b.get(v) == Some(&b'=') {
                    v += 1;
                    while v < b.len() && b[v] == b' ' {
                        v += 1;
                    }
                    let (vs, ve) = match b.get(v) {
                        Some(&qc @ (b'"' | b'\'')) => {
                            let mut e = v + 1;
                            while e < b.len() && b[e] != qc && e - v < URL_CAP {
                                e += 1;
                            }
                            url = Some((v + 1, e));
                            q = (e + 1).min(b.len());
                            continue;
                        }
                        _ => {
                            let mut e = v;
                            while e < b.len() && !b[e].is_ascii_whitespace() && b[e] != b'>' && e - v < URL_CAP {
                                e += 1;
                            }
                            (v, e)
                        }
                    };
                    url = Some((vs, ve));
                    q = ve;
                    continue;
                }
            }
        }
        if c == b'"' || c == b'\'' {
            quote = c;
        }
        q += 1;
    }
    let end = if b.get(q) == Some(&b'>') { q + 1 } else { q };
    let url = url?;
    Some(UrlRef {
        start: i,
        end,
        url,
        label: None,
        target,
        html: true,
    })
}

/// Decodes `%XX` escapes (and `+` as space when `plus`), lossily.
pub(crate) fn percent_decode(s: &str, plus: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                let h = |c: u8| (c as char).to_digit(16);
                match (h(b[i + 1]), h(b[i + 2])) {
                    (Some(x), Some(y)) => {
                        out.push((x * 16 + y) as u8);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parts of an absolute URL.
pub(crate) struct Parts<'u> {
    pub(crate) scheme: String,
    pub(crate) userinfo: &'u str,
    pub(crate) host: String,
    pub(crate) path: &'u str,
    pub(crate) query: &'u str,
    pub(crate) fragment: &'u str,
}

/// Splits `url`; `None` for relative URLs (which resolve to the app's own
/// host).
pub(crate) fn split(url: &str) -> Option<Parts<'_>> {
    let (scheme, rest) = if let Some(r) = url.strip_prefix("//") {
        ("https".to_string(), r)
    } else {
        let colon = url.find(':')?;
        let s = &url[..colon];
        if s.is_empty()
            || !s
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
        {
            return None;
        }
        (s.to_ascii_lowercase(), url[colon + 1..].strip_prefix("//")?)
    };
    let auth_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (&authority[..at], &authority[at + 1..]),
        None => ("", authority),
    };
    let host = match hostport.rfind(':') {
        Some(c) if !hostport.ends_with(']') => &hostport[..c],
        _ => hostport,
    };
    let after = &rest[auth_end..];
    let (before_frag, fragment) = after.split_once('#').unwrap_or((after, ""));
    let (path, query) = before_frag.split_once('?').unwrap_or((before_frag, ""));
    Some(Parts {
        scheme,
        userinfo,
        host: host.trim_end_matches('.').to_ascii_lowercase(),
        path,
        query,
        fragment,
    })
}

/// True when `token` (letters, digits, `+/=_-`) looks like encoded data:
/// long, and either hex or a mix of letters and digits or of cases.
pub(crate) fn looks_encoded(token: &str, min: usize) -> bool {
    if token.len() < min {
        return false;
    }
    // Pure hex is also how hashes and ids look (commit ids, SHA-256 digests,
    // avatars): count it as data only beyond a SHA-256 digest.
    if token.bytes().all(|c| c.is_ascii_hexdigit()) && token.len() <= HEX_HASH {
        return false;
    }
    let b = token.as_bytes();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let upper = b.iter().filter(|c| c.is_ascii_uppercase()).count();
    let lower = b.iter().filter(|c| c.is_ascii_lowercase()).count();
    let letters = upper + lower;
    let hex = b.iter().all(u8::is_ascii_hexdigit) && digits > 0 && letters > 0;
    let mixed = digits * 8 >= b.len() && letters * 4 >= b.len();
    let cases = upper * 6 >= b.len() && lower * 6 >= b.len();
    hex || mixed || cases
}

/// Longest hex digest (SHA-256) not counted as data in URLs.
const HEX_HASH: usize = 64;

/// Splits a URL component into runs of base64/hex-alphabet characters.
pub(crate) fn tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '=' | '_')))
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Target, String)> {
        let mut v = Vec::new();
        parse(text, &mut v);
        v.into_iter()
            .map(|r| (r.target, text[r.url.0..r.url.1].to_string()))
            .collect()
    }

    #[test]
    fn parses_forms() {
        let t = "a ![alt](https://x.io/a.png \"t\") b [l](http://y.io/p?q=1) \n[ref]: https://z.io/r\n\
                 <https://auto.io/x> see https://bare.io/x. <img src=\"https://i.io/i.png\" alt=x> \
                 <a href='https://a.io/'>x</a> <iframe src=https://f.io/></iframe> <script src=\"//s.io/s.js\"></script>";
        let got = kinds(t);
        let want = [
            (Target::Image, "https://x.io/a.png"),
            (Target::Link, "http://y.io/p?q=1"),
            (Target::Definition, "https://z.io/r"),
            (Target::Link, "https://auto.io/x"),
            (Target::Link, "https://bare.io/x"),
            (Target::Image, "https://i.io/i.png"),
            (Target::Link, "https://a.io/"),
            (Target::Frame, "https://f.io/"),
            (Target::Frame, "//s.io/s.js"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1.as_str()), w);
        }
    }

    #[test]
    fn nested_image_in_link() {
        let got = kinds("[![x](https://i.io/a.png)](https://l.io/)");
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn url_parts() {
        let p = split("https://user@Sub.Evil.com:8080/p/a?x=1&y=2#f").unwrap();
        assert_eq!(p.host, "sub.evil.com");
        assert_eq!(
            (p.userinfo, p.path, p.query, p.fragment),
            ("user", "/p/a", "x=1&y=2", "f")
        );
        assert!(split("/relative/path.png").is_none());
        assert_eq!(percent_decode("a%20b+c", true), "a b c");
        assert!(looks_encoded("U2VjcmV0IHN5c3RlbSBwcm9tcHQ", 20));
        assert!(!looks_encoded("understanding", 10));
        assert!(!looks_encoded("3f1c2a9b7e4d6f8a0b2c4d6e8f0a1b3c5d7e9f1a", 20));
        assert!(looks_encoded(&"3f1c2a9b".repeat(10), 20));
    }
}
