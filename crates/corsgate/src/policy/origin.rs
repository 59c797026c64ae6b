//! Origins exactly as browsers serialize them in the `Origin` header.
//!
//! A browser sends `scheme "://" host [":" port]`: scheme and host in lower case, the default
//! port omitted, IPv6 in compressed brackets, IPv4 as a dotted quad, international names in
//! punycode. corsgate compares origins byte for byte, so an allowed origin written any other
//! way could never match. The config side therefore refuses every other spelling and says
//! which one to use; the request side ([`Origin::from_bytes`]) checks the same grammar
//! without allocating, and treats anything else as "not a valid origin".

use std::fmt;
use std::net::Ipv6Addr;

/// A validated origin borrowed from a string. Cheap to copy; never allocates.
///
/// ```
/// use corsgate::Origin;
///
/// let o = Origin::parse("http://127.0.0.1:5500").unwrap();
/// assert_eq!((o.scheme(), o.host(), o.port()), ("http", "127.0.0.1", Some(5500)));
/// assert!(o.is_loopback());
///
/// let e = Origin::parse("https://a.com:443").unwrap_err();
/// assert_eq!(e.suggestion(), Some("https://a.com"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Origin<'a> {
    s: &'a str,
    scheme_len: usize,
    host_end: usize,
    port: Option<u16>,
}

/// The categories of [`OriginError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OriginErrorKind {
    /// `null`: sent by sandboxed documents, local files and some redirects.
    Null,
    /// A `file:` URL: its origin is opaque.
    File,
    /// No `scheme://`.
    MissingScheme,
    /// The scheme is not letters, digits, `+`, `-`, `.` starting with a letter.
    InvalidScheme,
    /// Upper-case letters in the scheme or host.
    UpperCase,
    /// A path (even a lone `/`), query or fragment.
    HasPath,
    /// `user:password@`.
    HasUserInfo,
    /// The scheme's default port written out.
    DefaultPort,
    /// A port that is not 0..=65535 in plain decimal.
    InvalidPort,
    /// An empty or malformed host.
    InvalidHost,
    /// A host with non-ASCII characters (browsers send punycode).
    NonAsciiHost,
    /// An IPv4 address not written as a canonical dotted quad.
    NonCanonicalIpv4,
    /// An IPv6 address not written in canonical compressed form.
    NonCanonicalIpv6,
    /// A `*` where no wildcard is allowed.
    InvalidWildcard,
}

/// Why a string is not an origin (or origin pattern), with the spelling to use when one can
/// be worked out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginError {
    kind: OriginErrorKind,
    suggestion: Option<String>,
}

impl OriginError {
    pub(crate) fn new(kind: OriginErrorKind, suggestion: Option<String>) -> Self {
        OriginError { kind, suggestion }
    }

    /// The category.
    pub fn kind(&self) -> OriginErrorKind {
        self.kind
    }

    /// The corrected origin or pattern, when it can be derived from the input.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use OriginErrorKind::*;
        let what = match self.kind {
            Null => {
                return f.write_str(
                    "the `null` origin is sent by sandboxed iframes, local files and redirects: any site can produce it, so it can't be allowed safely; allow the page's real origin instead",
                )
            }
            File => {
                return f.write_str(
                    "pages opened from file:// have the opaque origin `null` and can't be allowed safely; serve the page from http://localhost instead",
                )
            }
            MissingScheme => "not an origin: write scheme://host[:port]",
            InvalidScheme => "invalid scheme: it starts with a letter and has only letters, digits, +, - and .",
            UpperCase => "browsers send origins in lower case",
            HasPath => "origins have no path",
            HasUserInfo => "origins have no user name or password",
            DefaultPort => "browsers omit the scheme's default port",
            InvalidPort => "the port must be a number from 0 to 65535 without leading zeros",
            InvalidHost => "invalid host: use a domain name (letters, digits, - and _ in dot-separated labels), an IPv4 address, or a bracketed IPv6 address",
            NonAsciiHost => "non-ASCII host; browsers send the punycode form",
            NonCanonicalIpv4 => "browsers send IPv4 addresses as four decimal numbers",
            NonCanonicalIpv6 => "browsers send IPv6 addresses in compressed lower-case form",
            InvalidWildcard => "a `*` may only stand alone (`*`), as the first label of the host (`https://*.example.com`), or as the port (`http://localhost:*`)",
        };
        match &self.suggestion {
            Some(s) => write!(f, "{what}; use {s}"),
            None if self.kind == MissingScheme => write!(f, "{what}, e.g. https://example.com"),
            None => f.write_str(what),
        }
    }
}

impl std::error::Error for OriginError {}

/// The default port of the schemes that have one.
pub(crate) fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

fn valid_scheme(s: &str) -> bool {
    valid_scheme_any_case(s) && !s.bytes().any(|b| b.is_ascii_uppercase())
}

fn valid_scheme_any_case(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

/// Does the host end in a number, so that the URL parser reads it as IPv4?
fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    let last = host.rsplit('.').next().unwrap_or("");
    !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || ((last.starts_with("0x") || last.starts_with("0X"))
                && last[2..].bytes().all(|b| b.is_ascii_hexdigit())))
}

/// A canonical dotted quad: four decimal numbers 0..=255 without leading zeros.
fn canonical_ipv4(host: &str) -> bool {
    let mut n = 0;
    for part in host.split('.') {
        n += 1;
        let ok = !part.is_empty()
            && part.len() <= 3
            && part.bytes().all(|b| b.is_ascii_digit())
            && !(part.len() > 1 && part.starts_with('0'))
            && part.parse::<u16>().is_ok_and(|v| v <= 255);
        if !ok {
            return false;
        }
    }
    n == 4
}

fn valid_domain(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// WHATWG URL's IPv6 serializer: lower-case hex, no leading zeros, the first longest run of
/// two or more zero pieces compressed, never a dotted tail.
pub(crate) fn serialize_ipv6(addr: &Ipv6Addr) -> String {
    let mut buf = [0u8; 48];
    let n = write_ipv6(addr, &mut buf);
    String::from_utf8_lossy(&buf[..n]).into_owned()
}

/// Checks the IPv6 literal between brackets without allocating: canonical iff it equals the
/// serializer's output, compared piece by piece.
fn canonical_ipv6(inner: &str) -> bool {
    let Ok(addr) = inner.parse::<Ipv6Addr>() else {
        return false;
    };
    if inner.contains('.') || inner.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    // Compare against the canonical form in a stack buffer.
    let mut buf = [0u8; 48];
    let n = write_ipv6(&addr, &mut buf);
    &buf[..n] == inner.as_bytes()
}

fn write_ipv6(addr: &Ipv6Addr, buf: &mut [u8; 48]) -> usize {
    let seg = addr.segments();
    let (mut best, mut best_len) = (None, 1);
    let mut i = 0;
    while i < 8 {
        if seg[i] == 0 {
            let start = i;
            while i < 8 && seg[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best = Some(start);
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let mut n = 0;
    let mut push = |b: u8, n: &mut usize| {
        buf[*n] = b;
        *n += 1;
    };
    let mut i = 0;
    while i < 8 {
        if Some(i) == best {
            if i == 0 {
                push(b':', &mut n);
            }
            push(b':', &mut n);
            i += best_len;
            continue;
        }
        let v = seg[i];
        let mut started = false;
        for shift in [12u16, 8, 4, 0] {
            let d = ((v >> shift) & 0xf) as u8;
            if d != 0 || started || shift == 0 {
                started = true;
                push(b"0123456789abcdef"[d as usize], &mut n);
            }
        }
        if i < 7 {
            push(b':', &mut n);
        }
        i += 1;
    }
    n
}

impl<'a> Origin<'a> {
    /// Parses an origin that must already be in the form browsers send.
    pub fn parse(s: &'a str) -> Result<Origin<'a>, OriginError> {
        check(s).map_err(|kind| OriginError::new(kind, suggest(s)))
    }

    /// Reads an `Origin` header value. `None` for anything that is not a valid serialized
    /// origin (`null` included). Never allocates, O(length).
    pub fn from_bytes(b: &'a [u8]) -> Option<Origin<'a>> {
        // Origins are short; a long value is not one (and is not worth reading).
        if b.len() > 2048 {
            return None;
        }
        check(std::str::from_utf8(b).ok()?).ok()
    }

    /// The whole serialized origin.
    pub fn as_str(&self) -> &'a str {
        self.s
    }

    /// The scheme, e.g. `https`.
    pub fn scheme(&self) -> &'a str {
        &self.s[..self.scheme_len]
    }

    /// The host, with brackets for IPv6 (`[::1]`).
    pub fn host(&self) -> &'a str {
        &self.s[self.scheme_len + 3..self.host_end]
    }

    /// The explicit port, if any (never the scheme's default).
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`: the machine itself.
    pub fn is_loopback(&self) -> bool {
        host_is_loopback(self.host())
    }

    /// Whether a browser treats this origin as potentially trustworthy (Secure Contexts):
    /// `https`/`wss`, loopback, and application schemes (`capacitor:`, `tauri:`,
    /// `chrome-extension:`...). Plain `http`/`ws`/`ftp` elsewhere is not.
    pub fn is_potentially_trustworthy(&self) -> bool {
        !matches!(self.scheme(), "http" | "ws" | "ftp") || self.is_loopback()
    }
}

pub(crate) fn host_is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || (canonical_ipv4(host) && host.starts_with("127."))
}

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.s)
    }
}

/// The grammar, without allocating: the first problem found.
fn check(s: &str) -> Result<Origin<'_>, OriginErrorKind> {
    use OriginErrorKind::*;
    if s == "null" {
        return Err(Null);
    }
    let Some(scheme_len) = s.find("://") else {
        if s.starts_with("file:") {
            return Err(File);
        }
        return Err(MissingScheme);
    };
    let scheme = &s[..scheme_len];
    if scheme.eq_ignore_ascii_case("file") {
        return Err(File);
    }
    if !valid_scheme_any_case(scheme) {
        return Err(InvalidScheme);
    }
    if scheme.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(UpperCase);
    }
    let rest = &s[scheme_len + 3..];
    if !rest.is_ascii() {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        if !authority.is_ascii() {
            return Err(NonAsciiHost);
        }
    }
    if rest.contains(['/', '?', '#']) {
        return Err(HasPath);
    }
    if rest.contains('@') {
        return Err(HasUserInfo);
    }
    if rest.contains('*') {
        return Err(InvalidWildcard);
    }
    if rest.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(InvalidHost);
    }
    // Host and port.
    let (host, port_str) = if let Some(after) = rest.strip_prefix('[') {
        let Some(close) = after.find(']') else {
            return Err(InvalidHost);
        };
        let host = &rest[..close + 2];
        let tail = &rest[close + 2..];
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':').ok_or(InvalidHost)?),
        };
        if !canonical_ipv6(&after[..close]) {
            return Err(if after[..close].parse::<Ipv6Addr>().is_ok() {
                NonCanonicalIpv6
            } else {
                InvalidHost
            });
        }
        (host, port)
    } else {
        match rest.find(':') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        }
    };
    if host.is_empty() {
        return Err(InvalidHost);
    }
    if !host.starts_with('[') {
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(UpperCase);
        }
        if ends_in_number(host) {
            if !canonical_ipv4(host) {
                return Err(NonCanonicalIpv4);
            }
        } else if !valid_domain(host) {
            return Err(InvalidHost);
        }
    }
    let port = match port_str {
        None => None,
        Some(p) => {
            let ok = !p.is_empty()
                && p.len() <= 5
                && p.bytes().all(|b| b.is_ascii_digit())
                && !(p.len() > 1 && p.starts_with('0'));
            let v = ok
                .then(|| p.parse::<u16>().ok())
                .flatten()
                .ok_or(InvalidPort)?;
            if default_port(scheme) == Some(v) {
                return Err(DefaultPort);
            }
            Some(v)
        }
    };
    Ok(Origin {
        s,
        scheme_len,
        host_end: scheme_len + 3 + host.len(),
        port,
    })
}

/// The WHATWG URL IPv4 parser (for suggestions only): `127.1`, `0x7f.0.0.1`, `0177.0.0.1`
/// all mean 127.0.0.1 to a browser.
fn whatwg_ipv4(host: &str) -> Option<[u8; 4]> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        let (digits, radix) = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X"))
        {
            (h, 16)
        } else if p.len() > 1 && p.starts_with('0') {
            (&p[1..], 8)
        } else {
            (*p, 10)
        };
        let v = if digits.is_empty() {
            0
        } else {
            u64::from_str_radix(digits, radix).ok()?
        };
        nums.push(v);
    }
    let last = nums.pop()?;
    if nums.iter().any(|&n| n > 255) || last >= 256u64.pow(4 - nums.len() as u32) {
        return None;
    }
    let mut v = last;
    for (i, n) in nums.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    Some((v as u32).to_be_bytes())
}

/// The spelling a browser would send for what the user meant, when it can be worked out.
pub(crate) fn suggest(s: &str) -> Option<String> {
    let s = s.trim();
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "file" || !valid_scheme(&scheme) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if authority.starts_with('[') {
        let close = authority.find(']')?;
        let inner = &authority[1..close];
        let addr: Ipv6Addr = inner.parse().ok()?;
        let port = authority[close + 1..].strip_prefix(':');
        (format!("[{}]", serialize_ipv6(&addr)), port)
    } else {
        let (h, p) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let mut host = if h.is_ascii() {
            h.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(h).ok()?
        };
        if ends_in_number(&host) {
            let [a, b, c, d] = whatwg_ipv4(&host)?;
            host = format!("{a}.{b}.{c}.{d}");
        }
        (host, p)
    };
    let port = match port {
        None | Some("") => None,
        Some(p) if p == "*" => Some(p.to_string()),
        Some(p) => {
            let v: u16 = p.parse().ok()?;
            (default_port(&scheme) != Some(v)).then(|| v.to_string())
        }
    };
    let mut out = format!("{scheme}://{host}");
    if let Some(p) = port {
        out.push(':');
        out.push_str(&p);
    }
    let valid = if out.contains('*') {
        super::pattern::OriginPattern::parse_strict(&out).is_ok()
    } else {
        check(&out).is_ok()
    };
    (valid && out != s).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OriginErrorKind::*;

    fn err(s: &str) -> (OriginErrorKind, Option<String>) {
        let e = Origin::parse(s).unwrap_err();
        (e.kind(), e.suggestion().map(String::from))
    }

    #[test]
    fn accepts_serialized_origins() {
        for s in [
            "https://a.com",
            "http://127.0.0.1:5500",
            "http://localhost:3000",
            "http://[::1]:8080",
            "http://[2001:db8::1]",
            "http://[::ffff:7f00:1]",
            "capacitor://localhost",
            "tauri://localhost",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "moz-extension://0b6b1b40-1c8e-4d0e-9b1a-3a5c6c3c9a11",
            "https://xn--bcher-kva.example",
            "https://my_host.example:0",
            "https://a.com:8443",
        ] {
            let o = Origin::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(o.as_str(), s);
            assert_eq!(Origin::from_bytes(s.as_bytes()), Some(o));
        }
        let o = Origin::parse("http://[::1]:8080").unwrap();
        assert_eq!(
            (o.scheme(), o.host(), o.port()),
            ("http", "[::1]", Some(8080))
        );
    }

    #[test]
    fn refuses_other_spellings_with_the_right_one() {
        let cases: &[(&str, OriginErrorKind, Option<&str>)] = &[
            ("https://a.com:443", DefaultPort, Some("https://a.com")),
            ("http://a.com:80", DefaultPort, Some("http://a.com")),
            ("wss://a.com:443", DefaultPort, Some("wss://a.com")),
            ("https://a.com/", HasPath, Some("https://a.com")),
            ("https://a.com/app?x#y", HasPath, Some("https://a.com")),
            ("https://a.com?x", HasPath, Some("https://a.com")),
            ("HTTPS://A.com", UpperCase, Some("https://a.com")),
            ("https://A.com", UpperCase, Some("https://a.com")),
            ("https://u:p@a.com", HasUserInfo, Some("https://a.com")),
            ("http://127.1", NonCanonicalIpv4, Some("http://127.0.0.1")),
            (
                "http://0x7f.0.0.1:80",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            (
                "http://127.000.0.1",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            (
                "http://[0:0:0:0:0:0:0:1]",
                NonCanonicalIpv6,
                Some("http://[::1]"),
            ),
            (
                "http://[::FFFF:127.0.0.1]",
                NonCanonicalIpv6,
                Some("http://[::ffff:7f00:1]"),
            ),
            (
                "https://bücher.example",
                NonAsciiHost,
                Some("https://xn--bcher-kva.example"),
            ),
            ("null", Null, None),
            ("file:///tmp/x.html", File, None),
            ("file://", File, None),
            ("a.com", MissingScheme, None),
            ("https://", InvalidHost, None),
            ("https://a..com", InvalidHost, None),
            ("https://a.com:", InvalidPort, Some("https://a.com")),
            ("https://a.com:99999", InvalidPort, None),
            ("https://a.com:080", InvalidPort, Some("https://a.com:80")),
            ("https://*.a.com", InvalidWildcard, None),
            ("https://[::1", InvalidHost, None),
            ("1http://a.com", InvalidScheme, None),
        ];
        for (input, kind, sugg) in cases {
            assert_eq!(err(input), (*kind, sugg.map(String::from)), "{input}");
            assert_eq!(Origin::from_bytes(input.as_bytes()), None);
        }
        assert_eq!(
            Origin::parse("https://a.com/").unwrap_err().to_string(),
            "origins have no path; use https://a.com"
        );
        assert!(Origin::parse("https://bücher.example")
            .unwrap_err()
            .to_string()
            .contains("browsers send the punycode form; use https://xn--bcher-kva.example"));
    }

    #[test]
    fn trust_and_loopback() {
        let o = |s| Origin::parse(s).unwrap();
        assert!(o("http://localhost:3000").is_loopback());
        assert!(o("http://app.localhost").is_loopback());
        assert!(o("http://127.8.9.1").is_loopback());
        assert!(o("http://[::1]").is_loopback());
        assert!(!o("http://128.0.0.1").is_loopback());
        assert!(o("https://a.com").is_potentially_trustworthy());
        assert!(o("capacitor://localhost").is_potentially_trustworthy());
        assert!(!o("http://a.com").is_potentially_trustworthy());
    }

    #[test]
    fn ipv6_serializer_matches_whatwg() {
        let s = |t: &str| serialize_ipv6(&t.parse().unwrap());
        assert_eq!(s("0:0:0:0:0:0:0:1"), "::1");
        assert_eq!(s("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(s("::ffff:127.0.0.1"), "::ffff:7f00:1");
        assert_eq!(s("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
        assert_eq!(s("::"), "::");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_round_trips(s in "\\PC{0,40}") {
            if let Ok(o) = Origin::parse(&s) {
                proptest::prop_assert_eq!(o.as_str(), s.as_str());
                let again = Origin::parse(o.as_str()).unwrap();
                proptest::prop_assert_eq!(again, o);
            }
        }

        #[test]
        fn origin_like_strings(s in "(https?|HTTP|ws|capacitor)://[a-zA-Z0-9.\\-\\[\\]:_]{0,20}(:[0-9]{0,6})?(/[a-z]*)?") {
            match Origin::parse(&s) {
                Ok(o) => proptest::prop_assert_eq!(o.as_str(), s.as_str()),
                Err(e) => {
                    if let Some(fix) = e.suggestion() {
                        proptest::prop_assert!(Origin::parse(fix).is_ok(), "suggestion {} invalid", fix);
                    }
                }
            }
        }
    }
}
