//! Origins exactly as browsers serialize them in the `Origin` header.
//!
//! A browser sends the WHATWG URL "ASCII serialization of an origin":
//! `scheme "://" host [":" port]`, with scheme and host in lower case, the scheme's default
//! port omitted, IPv6 in compressed brackets, IPv4 as a dotted quad and international names
//! in punycode. corsgate compares origins byte for byte, so an allowed origin written any
//! other way could never match. The config side ([`Origin::parse`]) therefore refuses every
//! other spelling and says which one to use; the request side ([`Origin::from_bytes`]) checks
//! the same grammar in one pass without allocating, and treats anything else as "not a valid
//! origin".
//!
//! # The accepted grammar
//!
//! - **scheme**: a lower-case ASCII letter, then lower-case letters, digits, `+`, `-`, `.`.
//!   Any such scheme is accepted, so application origins work (`capacitor://localhost`,
//!   `tauri://localhost`, `chrome-extension://<id>`, `moz-extension://<uuid>`), except
//!   `file`, whose origin is opaque.
//! - **host**, one of:
//!   - a domain: dot-separated labels of `a-z`, `0-9`, `-` and `_`, each 1 to 63 bytes, at
//!     most 253 bytes in all, no trailing dot. `_` is accepted because browsers accept it
//!     (it is not a forbidden host code point in the URL standard) and send it unchanged,
//!     e.g. `http://my_service.internal`. Punycode (`xn--`) labels are checked against
//!     IDNA by [`OriginPattern::parse`](super::pattern::OriginPattern::parse) only: that
//!     needs to allocate, and an invalid one can never come from a browser anyway.
//!   - an IPv4 address as four decimal numbers without leading zeros. A host whose last
//!     label is a number is an IPv4 address to a browser, so `127.1` or `0x7f.0.0.1` are
//!     refused (with the dotted quad to use), never read as domains.
//!   - an IPv6 address in brackets, exactly as the URL standard serializes it (RFC 5952
//!     style: lower-case hex, no leading zeros, the first longest run of two or more zero
//!     pieces compressed to `::`), and never with a dotted IPv4 tail: browsers send
//!     `[::ffff:7f00:1]`, not `[::ffff:127.0.0.1]` (which is what Rust's `Display` for
//!     [`Ipv6Addr`] prints).
//! - **port**: optional, decimal `0..=65535` without leading zeros, and never the scheme's
//!   default (80 for `http`/`ws`, 443 for `https`/`wss`, 21 for `ftp`).
//!
//! Nothing else: no path (not even `/`), query, fragment, user name, or surrounding space.
//! `null` is refused: see [`OriginErrorKind::Null`].

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
/// assert_eq!(e.to_string(), "browsers omit the scheme's default port; use https://a.com");
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
    /// `null`: the serialization of an opaque origin. Sandboxed iframes, `data:` documents,
    /// local files and some cross-origin redirects all send it, so any site can produce it
    /// and allowing it allows everyone.
    Null,
    /// A `file:` URL: its origin is opaque (`null`).
    File,
    /// Spaces or control characters before or after the origin.
    Whitespace,
    /// No `scheme://`.
    MissingScheme,
    /// The scheme is not a letter followed by letters, digits, `+`, `-`, `.`.
    InvalidScheme,
    /// Upper-case letters in the scheme or host.
    UpperCase,
    /// A path, even a lone trailing `/`.
    HasPath,
    /// A query (`?`) or fragment (`#`).
    HasQuery,
    /// `user:password@`.
    HasUserInfo,
    /// The scheme's default port written out (`https://a.com:443`).
    DefaultPort,
    /// A port that is not `0..=65535` in plain decimal without leading zeros.
    InvalidPort,
    /// An empty or malformed host.
    InvalidHost,
    /// A host with non-ASCII characters: browsers send the punycode form.
    NonAsciiHost,
    /// A punycode (`xn--`) label that is not valid IDNA: browsers refuse such a host.
    InvalidPunycode,
    /// An IPv4 address not written as a canonical dotted quad.
    NonCanonicalIpv4,
    /// An IPv6 address not written in canonical compressed form.
    NonCanonicalIpv6,
    /// A `*` anywhere but the allowed pattern positions.
    InvalidWildcard,
    /// A `*.` wildcard on an IP address instead of a domain name.
    WildcardBase,
}

/// Why a string is not an origin (or origin pattern), with the spelling to use when one can
/// be worked out from the input.
///
/// Its message is one line: what is wrong, then how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginError {
    kind: OriginErrorKind,
    suggestion: Option<String>,
    /// For [`OriginErrorKind::MissingScheme`]: the input with a likely scheme, shown as an
    /// example only (the scheme is a guess, so it is not offered as the fix).
    example: Option<String>,
}

impl OriginError {
    /// An error of `kind` for `input`, with the suggestion derived from the input.
    pub(crate) fn for_input(kind: OriginErrorKind, input: &str) -> Self {
        let example = match kind {
            OriginErrorKind::MissingScheme => with_guessed_scheme(input),
            _ => None,
        };
        OriginError {
            kind,
            suggestion: suggest(input),
            example,
        }
    }

    /// The category.
    pub fn kind(&self) -> OriginErrorKind {
        self.kind
    }

    /// The corrected origin or pattern, when it can be derived from the input. It always
    /// parses.
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
                    "the `null` origin can't be allowed safely: sandboxed iframes, data: URLs, local files and redirects all send it, so any site can; allow the page's real origin instead",
                )
            }
            File => {
                return f.write_str(
                    "pages opened from file:// have the opaque origin `null`, which can't be allowed safely; serve the page from http://localhost instead",
                )
            }
            MissingScheme => {
                let example = self.example.as_deref().unwrap_or("https://example.com");
                return write!(f, "not an origin: write scheme://host[:port], e.g. {example}");
            }
            NonAsciiHost => {
                return match &self.suggestion {
                    Some(s) => write!(f, "non-ASCII host; browsers send the punycode form: {s}"),
                    None => f.write_str(
                        "non-ASCII host; browsers send the punycode (xn--) form, and this one has none",
                    ),
                }
            }
            Whitespace => "origins have no surrounding spaces or control characters",
            InvalidScheme => {
                "invalid scheme: it starts with a letter and has only letters, digits, +, - and ."
            }
            UpperCase => "browsers send origins in lower case",
            HasPath => "origins have no path",
            HasQuery => "origins have no query or fragment",
            HasUserInfo => "origins have no user name or password",
            DefaultPort => "browsers omit the scheme's default port",
            InvalidPort => "the port must be a number from 0 to 65535 without leading zeros",
            InvalidHost => {
                "invalid host: use a domain name (dot-separated labels of a-z, 0-9, - and _), an IPv4 address, or a bracketed IPv6 address"
            }
            InvalidPunycode => "invalid punycode (xn--) label: browsers refuse this host",
            NonCanonicalIpv4 => {
                "browsers send IPv4 addresses as four decimal numbers without leading zeros"
            }
            NonCanonicalIpv6 => {
                "browsers send IPv6 addresses in compressed lower-case form without a dotted tail"
            }
            InvalidWildcard => {
                "a `*` may only stand alone (`*`), start the host (`https://*.example.com`), or be the port (`http://localhost:*`, `https://*.example.com:*`)"
            }
            WildcardBase => "the base of a `*.` wildcard must be a domain name, not an IP address",
        };
        match &self.suggestion {
            Some(s) => write!(f, "{what}; use {s}"),
            None => f.write_str(what),
        }
    }
}

impl std::error::Error for OriginError {}

/// The default port of the schemes that have one (the URL standard's special schemes).
pub(crate) use corsgate_fetch::default_port;

impl<'a> Origin<'a> {
    /// Parses an origin that must already be in the form browsers send.
    ///
    /// Succeeding costs one pass over `s` and no allocation; only the error (with its
    /// suggestion) allocates.
    pub fn parse(s: &'a str) -> Result<Origin<'a>, OriginError> {
        scan(s).ok_or_else(|| OriginError::for_input(classify(s), s))
    }

    /// Reads an `Origin` header value. `None` for anything that is not a valid serialized
    /// origin: `null`, non-UTF-8 or non-ASCII bytes, other spellings, and values longer than
    /// 2048 bytes. Never allocates; one pass over the bytes.
    pub fn from_bytes(b: &'a [u8]) -> Option<Origin<'a>> {
        // Origins are short; a long value is not one (and is not worth reading).
        if b.len() > 2048 {
            return None;
        }
        // `scan` accepts ASCII only, so this check is a formality on its success path.
        scan(std::str::from_utf8(b).ok()?)
    }

    /// The whole serialized origin, e.g. `https://a.com:8443`.
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

    /// The explicit port, if any (never the scheme's default, which browsers omit).
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`: the machine itself, as the Secure
    /// Contexts specification counts it (an IPv4-mapped `[::ffff:7f00:1]` is not included).
    pub fn is_loopback(&self) -> bool {
        host_is_loopback(self.host())
    }

    /// Whether a browser treats this origin as potentially trustworthy (Secure Contexts):
    /// `https`/`wss`, loopback hosts, and application schemes (`capacitor:`, `tauri:`,
    /// `chrome-extension:`...), which only the user's own software can send. Plain
    /// `http`/`ws`/`ftp` elsewhere is not.
    pub fn is_potentially_trustworthy(&self) -> bool {
        !matches!(self.scheme(), "http" | "ws" | "ftp") || self.is_loopback()
    }
}

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.s)
    }
}

/// `localhost`, `*.localhost`, 127.0.0.0/8 or `[::1]`, for a host already validated.
pub(crate) fn host_is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || (host.starts_with("127.") && canonical_ipv4(host.as_bytes()))
}

// ---------------------------------------------------------------------------------------
// The request path: one pass, no allocation, accept or refuse.
// ---------------------------------------------------------------------------------------

/// Validates a serialized origin in one pass without allocating.
///
/// Exactly the strings [`check`] accepts (the tests hold the two to that); `check` is the
/// slower twin that also says what is wrong.
fn scan(s: &str) -> Option<Origin<'_>> {
    let b = s.as_bytes();
    if !b.first()?.is_ascii_lowercase() {
        return None;
    }
    let mut i = 1;
    while i < b.len() && SCHEME_BYTE[usize::from(b[i])] {
        i += 1;
    }
    let scheme_len = i;
    if !b[i..].starts_with(b"://") || &b[..i] == b"file" {
        return None;
    }
    i += 3;
    let host_start = i;
    if b.get(i) == Some(&b'[') {
        // The canonical form is at most 39 bytes ("1111:...:8888").
        let inner_len = b[i + 1..].iter().take(40).position(|&c| c == b']')?;
        let inner = &s[i + 1..i + 1 + inner_len];
        if !canonical_ipv6(inner) {
            return None;
        }
        i += inner_len + 2;
    } else {
        i += labels_len(&b[i..])?;
        if i - host_start > 253 {
            return None;
        }
        let host = &b[host_start..i];
        let last_label = host
            .iter()
            .rposition(|&c| c == b'.')
            .map_or(0, |dot| dot + 1);
        if is_ipv4_number(&host[last_label..]) && !canonical_ipv4(host) {
            return None;
        }
    }
    let host_end = i;
    let port = match b.get(i) {
        None => None,
        Some(b':') => {
            let v = parse_port(&b[i + 1..])?;
            if default_port(&s[..scheme_len]) == Some(v) {
                return None;
            }
            Some(v)
        }
        Some(_) => return None,
    };
    Some(Origin {
        s,
        scheme_len,
        host_end,
        port,
    })
}

/// The scheme, host and explicit port of `raw` as [`scan`] would read them, without
/// validating anything, so that a request's `Origin` can be looked up in an index before it
/// is parsed (most are refused, and a refusal needs no parsing).
///
/// On a valid origin the parts are exactly those of the parsed [`Origin`] (the scheme ends
/// at the first `:`, which no scheme contains; the port is the digits after the last `:`).
/// On anything else they are unspecified, so a caller that accepts the origin because of
/// them must validate it afterwards. Bounded work whatever the input: the scheme is looked
/// for in the first `max_scheme_len + 1` bytes and the port in the last seven.
pub(crate) fn split_unchecked(
    raw: &[u8],
    max_scheme_len: usize,
) -> Option<(&[u8], &[u8], Option<u16>)> {
    let head = &raw[..raw.len().min(max_scheme_len + 1)];
    let scheme_len = head.iter().position(|&c| c == b':')?;
    let rest = raw[scheme_len..].strip_prefix(b"://")?;
    // The port: one to five digits after the last `:` (a sixth digit means there is none
    // that a valid origin could have).
    let digits = rest
        .iter()
        .rev()
        .take(6)
        .take_while(|c| c.is_ascii_digit())
        .count();
    let (host, port) = match rest.len().checked_sub(digits + 1) {
        Some(colon) if digits <= 5 && rest[colon] == b':' => {
            (&rest[..colon], Some(parse_port(&rest[colon + 1..])?))
        }
        _ => (rest, None),
    };
    Some((&raw[..scheme_len], host, port))
}

/// The length of the dot-separated labels `b` starts with (each 1 to 63 bytes of
/// `a-z 0-9 - _`, single dots between them), up to the first byte that continues neither a
/// label nor the list; `None` when they are not well formed (an empty or long label).
pub(crate) fn labels_len(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && LABEL_BYTE[usize::from(b[i])] {
            i += 1;
        }
        if !(1..=63).contains(&(i - start)) {
            return None;
        }
        if b.get(i) != Some(&b'.') {
            return Some(i);
        }
        i += 1;
    }
}

/// The bytes allowed after a scheme's first letter: `a-z 0-9 + - .`.
static SCHEME_BYTE: [bool; 256] = byte_table(b"+-.");

/// The bytes allowed in a host label: `a-z 0-9 - _`.
static LABEL_BYTE: [bool; 256] = byte_table(b"-_");

/// Lower-case letters, digits and `extra`.
const fn byte_table(extra: &[u8]) -> [bool; 256] {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] = (c >= b'a' as usize && c <= b'z' as usize)
            || (c >= b'0' as usize && c <= b'9' as usize);
        c += 1;
    }
    let mut k = 0;
    while k < extra.len() {
        t[extra[k] as usize] = true;
        k += 1;
    }
    t
}

/// A port as browsers write it: 1 to 5 digits, no leading zero (except `0` itself), at most
/// 65535.
fn parse_port(p: &[u8]) -> Option<u16> {
    if p.is_empty() || p.len() > 5 || (p.len() > 1 && p[0] == b'0') {
        return None;
    }
    let mut v: u32 = 0;
    for &c in p {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    u16::try_from(v).ok()
}

/// Is this (non-empty) last host label a number to the URL parser, so that the whole host
/// is read as IPv4? Decimal digits, or `0x`/`0X` and hex digits (possibly none).
fn is_ipv4_number(label: &[u8]) -> bool {
    match label {
        [] => false,
        [b'0', b'x' | b'X', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
        digits => digits.iter().all(u8::is_ascii_digit),
    }
}

/// A canonical dotted quad: four decimal numbers 0..=255 without leading zeros.
fn canonical_ipv4(host: &[u8]) -> bool {
    let mut parts = 0;
    for part in host.split(|&c| c == b'.') {
        parts += 1;
        let ok = matches!(part.len(), 1..=3)
            && part.iter().all(u8::is_ascii_digit)
            && !(part.len() > 1 && part[0] == b'0')
            && part.iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0')) <= 255;
        if !ok || parts > 4 {
            return false;
        }
    }
    parts == 4
}

/// Is the IPv6 literal between the brackets exactly the URL standard's serialization?
/// Compared in a stack buffer: no allocation.
fn canonical_ipv6(inner: &str) -> bool {
    if inner.len() > 39
        || !inner
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'a'..=b'f' | b':'))
    {
        return false;
    }
    let Ok(addr) = inner.parse::<Ipv6Addr>() else {
        return false;
    };
    let mut buf = [0u8; 40];
    let n = write_ipv6(&addr, &mut buf);
    &buf[..n] == inner.as_bytes()
}

/// The URL standard's IPv6 serializer (without brackets), into `buf`; returns the length.
///
/// Lower-case hex without leading zeros; the first longest run of two or more zero pieces is
/// written `::`; never a dotted IPv4 tail (unlike `Ipv6Addr`'s `Display`, which prints
/// `::ffff:127.0.0.1`).
fn write_ipv6(addr: &Ipv6Addr, buf: &mut [u8; 40]) -> usize {
    let seg = addr.segments();
    // The first longest run of zero pieces, if at least two long.
    let (mut best_start, mut best_len) = (8, 1);
    let mut i = 0;
    while i < 8 {
        let start = i;
        while i < 8 && seg[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best_start, best_len) = (start, i - start);
        }
        i = i.max(start + 1);
    }
    let mut n = 0;
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            let sep: &[u8] = if i == 0 { b"::" } else { b":" };
            buf[n..n + sep.len()].copy_from_slice(sep);
            n += sep.len();
            i += best_len;
            continue;
        }
        let v = seg[i];
        let digits = (4 - v.leading_zeros() / 4).max(1);
        for k in (0..digits).rev() {
            buf[n] = b"0123456789abcdef"[usize::from((v >> (4 * k)) & 0xf)];
            n += 1;
        }
        if i < 7 {
            buf[n] = b':';
            n += 1;
        }
        i += 1;
    }
    n
}

/// The URL standard's IPv6 serialization of `addr`, without brackets.
pub(crate) fn serialize_ipv6(addr: &Ipv6Addr) -> String {
    let mut buf = [0u8; 40];
    let n = write_ipv6(addr, &mut buf);
    buf[..n].iter().map(|&c| char::from(c)).collect()
}

// ---------------------------------------------------------------------------------------
// The config path: what is wrong, and the spelling to use.
// ---------------------------------------------------------------------------------------

/// Validates `s` as a serialized origin: the [`Origin::parse`] grammar, but the error is only
/// its kind (no suggestion is computed, nothing is allocated).
pub(crate) fn validate(s: &str) -> Result<Origin<'_>, OriginErrorKind> {
    scan(s).ok_or_else(|| classify(s))
}

/// Without the spaces and control characters a browser's URL parser would strip.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
}

/// What is wrong with `s`, which [`scan`] refused.
pub(crate) fn classify(s: &str) -> OriginErrorKind {
    match check(s) {
        Err(kind) => kind,
        // Unreachable while `scan` and `check` agree (the tests hold them to it); refuse
        // rather than accept if they ever do not.
        Ok(_) => {
            debug_assert!(false, "scan and check disagree on {s:?}");
            OriginErrorKind::InvalidHost
        }
    }
}

/// The same grammar as [`scan`], checked step by step to report the first problem. Never
/// allocates either, but makes several passes.
fn check(s: &str) -> Result<Origin<'_>, OriginErrorKind> {
    use OriginErrorKind::*;
    if s.eq_ignore_ascii_case("null") {
        return Err(Null);
    }
    let trimmed = trim(s);
    if trimmed.len() != s.len() {
        return Err(if trimmed.eq_ignore_ascii_case("null") {
            Null
        } else {
            Whitespace
        });
    }
    let Some(scheme_len) = s.find("://") else {
        return Err(if starts_with_ignore_case(s, "file:") {
            File
        } else {
            MissingScheme
        });
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
    let authority_len = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    if !authority.is_ascii() {
        return Err(NonAsciiHost);
    }
    match rest.as_bytes().get(authority_len) {
        Some(b'/' | b'\\') => return Err(HasPath),
        Some(_) => return Err(HasQuery),
        None => {}
    }
    if authority.contains('@') {
        return Err(HasUserInfo);
    }
    if authority.contains('*') {
        return Err(InvalidWildcard);
    }
    let (host, port) = if let Some(after) = authority.strip_prefix('[') {
        let Some((inner, tail)) = after.split_once(']') else {
            return Err(InvalidHost);
        };
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':').ok_or(InvalidHost)?),
        };
        if !canonical_ipv6(inner) {
            return Err(if inner.parse::<Ipv6Addr>().is_ok() {
                NonCanonicalIpv6
            } else {
                InvalidHost
            });
        }
        (&authority[..inner.len() + 2], port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if host.is_empty() || host.bytes().any(|b| b <= b' ' || b == 0x7f) {
            return Err(InvalidHost);
        }
        if host.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(UpperCase);
        }
        if ends_in_number(host) {
            if !canonical_ipv4(host.as_bytes()) {
                return Err(if whatwg_ipv4(host).is_some() {
                    NonCanonicalIpv4
                } else {
                    InvalidHost
                });
            }
        } else if !valid_domain(host) {
            return Err(InvalidHost);
        }
        (host, port)
    };
    let port = match port {
        None => None,
        Some(p) => {
            let v = parse_port(p.as_bytes()).ok_or(InvalidPort)?;
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

fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

fn valid_scheme_any_case(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphabetic()
        && b[1..]
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

/// The URL standard's "ends in a number" check: is the last label (ignoring one trailing
/// dot) a number, so that the host is parsed as IPv4?
pub(crate) fn ends_in_number(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    is_ipv4_number(host.rsplit('.').next().unwrap_or("").as_bytes())
}

fn valid_domain(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            matches!(label.len(), 1..=63)
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

/// The URL standard's IPv4 parser, for suggestions: `127.1`, `0x7f.0.0.1`, `0177.0.0.1` and
/// `2130706433` all mean 127.0.0.1 to a browser. `None` where a browser would refuse the
/// host. Does not allocate.
fn whatwg_ipv4(host: &str) -> Option<[u8; 4]> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let mut nums = [0u64; 4];
    let mut count = 0;
    for part in host.split('.') {
        if count == 4 {
            return None;
        }
        let (digits, radix) =
            if let Some(h) = part.strip_prefix("0x").or_else(|| part.strip_prefix("0X")) {
                (h, 16)
            } else if part.len() > 1 && part.starts_with('0') {
                (&part[1..], 8)
            } else if part.is_empty() {
                return None;
            } else {
                (part, 10)
            };
        nums[count] = if digits.is_empty() {
            0
        } else if digits.bytes().all(|c| c.is_ascii_hexdigit()) {
            // Saturate: anything this long is out of range anyway.
            u64::from_str_radix(&digits[..digits.len().min(16)], radix).ok()?
                | u64::from(digits.len() > 16) << 63
        } else {
            return None;
        };
        count += 1;
    }
    let (init, last) = (&nums[..count - 1], nums[count - 1]);
    if init.iter().any(|&n| n > 255) || last >= 1u64 << (8 * (5 - count)) {
        return None;
    }
    let mut v = last;
    for (i, n) in init.iter().enumerate() {
        v += n << (8 * (3 - i));
    }
    u32::try_from(v).ok().map(u32::to_be_bytes)
}

/// The spelling a browser would send for what the user meant, when it can be worked out
/// from `input` (an origin or an origin pattern). The result always parses, and differs
/// from the input.
pub(crate) fn suggest(input: &str) -> Option<String> {
    let s = trim(input);
    if s == "*" {
        return (s != input).then(|| s.to_owned());
    }
    let (scheme, rest) = s.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "file" || !valid_scheme_any_case(&scheme) {
        return None;
    }
    let authority = rest.split(['/', '\\', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let (host, port) = if let Some(after) = authority.strip_prefix('[') {
        let (inner, tail) = after.split_once(']')?;
        let addr: Ipv6Addr = inner.parse().ok()?;
        let port = match tail {
            "" => None,
            t => Some(t.strip_prefix(':')?),
        };
        (format!("[{}]", serialize_ipv6(&addr)), port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let (wildcard, host) = match host.strip_prefix("*.") {
            Some(base) => ("*.", base),
            None => ("", host),
        };
        let mut host = if host.is_ascii() {
            host.to_ascii_lowercase()
        } else {
            idna::domain_to_ascii(host).ok()?
        };
        if ends_in_number(&host) {
            let [a, b, c, d] = whatwg_ipv4(&host)?;
            host = format!("{a}.{b}.{c}.{d}");
        } else if host.ends_with('.') {
            host.pop();
        }
        (format!("{wildcard}{host}"), port)
    };
    let port = match port {
        None | Some("") => None,
        Some("*") => Some("*".to_owned()),
        Some(p) => {
            if !p.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
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
        super::pattern::OriginPattern::parse_kind(&out).is_ok()
    } else {
        scan(&out).is_some() && super::pattern::punycode_ok(&host)
    };
    (valid && out != input).then_some(out)
}

/// For a missing scheme: the input with the scheme a browser would most likely send
/// (`http` for loopback hosts, `https` otherwise), if that makes a valid origin.
fn with_guessed_scheme(input: &str) -> Option<String> {
    let rest = trim(input).trim_start_matches('/');
    if rest.is_empty() || rest.contains("://") {
        return None;
    }
    let host = rest.split([':', '/']).next().unwrap_or("");
    let scheme = if host_is_loopback(&host.to_ascii_lowercase()) {
        "http"
    } else {
        "https"
    };
    let guess = format!("{scheme}://{rest}");
    if scan(&guess).is_some() {
        Some(guess)
    } else {
        suggest(&guess).filter(|s| !s.contains('*'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use OriginErrorKind::*;

    fn err(s: &str) -> (OriginErrorKind, Option<String>) {
        let e = Origin::parse(s).unwrap_err();
        (e.kind(), e.suggestion().map(String::from))
    }

    fn msg(s: &str) -> String {
        Origin::parse(s).unwrap_err().to_string()
    }

    #[test]
    fn accepts_serialized_origins() {
        for s in [
            "https://a.com",
            "http://127.0.0.1:5500",
            "http://localhost:3000",
            "http://app.localhost",
            "http://[::1]:8080",
            "http://[2001:db8::1]",
            "http://[::ffff:7f00:1]",
            "http://[::]",
            "http://[1::]",
            "http://[1:2:3:4:5:6:7:8]",
            "http://0.0.0.0",
            "http://255.255.255.255:65535",
            "capacitor://localhost",
            "tauri://localhost",
            "ionic://localhost",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
            "moz-extension://0b6b1b40-1c8e-4d0e-9b1a-3a5c6c3c9a11",
            "safari-web-extension://0b6b1b40-1c8e-4d0e-9b1a-3a5c6c3c9a11",
            "https://xn--bcher-kva.example",
            "https://my_host.example:0",
            "https://a.com:8443",
            "https://a.com:80",
            "http://a.com:443",
            "ws://a.com:8080",
            "a+b-c.d://x",
            "https://0x1g.com",
            "https://a.1b",
            "https://-a-.com",
            "https://1.2.3.com",
        ] {
            let o = Origin::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(o.as_str(), s);
            assert_eq!(o.to_string(), s);
            assert_eq!(Origin::from_bytes(s.as_bytes()), Some(o));
            assert_eq!(check(s), Ok(o), "{s}");
        }
        let o = Origin::parse("http://[::1]:8080").unwrap();
        assert_eq!(
            (o.scheme(), o.host(), o.port()),
            ("http", "[::1]", Some(8080))
        );
        let o = Origin::parse("chrome-extension://abcdefghijklmnopabcdefghijklmnop").unwrap();
        assert_eq!(
            (o.scheme(), o.host(), o.port()),
            ("chrome-extension", "abcdefghijklmnopabcdefghijklmnop", None)
        );
        let o = Origin::parse("https://a.com:0").unwrap();
        assert_eq!(o.port(), Some(0));
    }

    #[test]
    fn refuses_other_spellings_with_the_right_one() {
        let cases: &[(&str, OriginErrorKind, Option<&str>)] = &[
            ("https://a.com:443", DefaultPort, Some("https://a.com")),
            ("http://a.com:80", DefaultPort, Some("http://a.com")),
            ("ws://a.com:80", DefaultPort, Some("ws://a.com")),
            ("wss://a.com:443", DefaultPort, Some("wss://a.com")),
            ("ftp://a.com:21", DefaultPort, Some("ftp://a.com")),
            ("https://a.com/", HasPath, Some("https://a.com")),
            ("https://a.com/app?x#y", HasPath, Some("https://a.com")),
            ("https://a.com\\", HasPath, Some("https://a.com")),
            ("https://a.com?x", HasQuery, Some("https://a.com")),
            ("https://a.com#top", HasQuery, Some("https://a.com")),
            ("https://a.com:8443/x", HasPath, Some("https://a.com:8443")),
            ("HTTPS://A.com", UpperCase, Some("https://a.com")),
            ("https://A.com", UpperCase, Some("https://a.com")),
            (
                "Capacitor://localhost",
                UpperCase,
                Some("capacitor://localhost"),
            ),
            ("HTTPS://A.COM:443/", UpperCase, Some("https://a.com")),
            ("https://u:p@a.com", HasUserInfo, Some("https://a.com")),
            (
                "https://u@a.com:8443",
                HasUserInfo,
                Some("https://a.com:8443"),
            ),
            (" https://a.com", Whitespace, Some("https://a.com")),
            ("https://a.com\n", Whitespace, Some("https://a.com")),
            (" null", Null, None),
            ("http://127.1", NonCanonicalIpv4, Some("http://127.0.0.1")),
            (
                "http://0x7f.0.0.1:80",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            ("http://0X7F.0.0.1", UpperCase, Some("http://127.0.0.1")),
            (
                "http://127.000.0.1",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            (
                "http://0177.0.0.1",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            (
                "http://2130706433",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            (
                "http://127.0.0.1.",
                NonCanonicalIpv4,
                Some("http://127.0.0.1"),
            ),
            ("http://1.2.3.4.5", InvalidHost, None),
            ("http://256.0.0.1", InvalidHost, None),
            ("http://a.1", InvalidHost, None),
            ("http://1.2.3.0x", NonCanonicalIpv4, Some("http://1.2.3.0")),
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
                "http://[::ffff:127.0.0.1]",
                NonCanonicalIpv6,
                Some("http://[::ffff:7f00:1]"),
            ),
            (
                "http://[2001:DB8::1]:8080",
                NonCanonicalIpv6,
                Some("http://[2001:db8::1]:8080"),
            ),
            (
                "http://[2001:db8:0:0:1:0:0:1]",
                NonCanonicalIpv6,
                Some("http://[2001:db8::1:0:0:1]"),
            ),
            ("http://[0001::1]", NonCanonicalIpv6, Some("http://[1::1]")),
            ("http://[1:0::1]", NonCanonicalIpv6, Some("http://[1::1]")),
            ("http://[1::0:1]", NonCanonicalIpv6, Some("http://[1::1]")),
            (
                "http://[1:0:2:3:4:5:6:7]:80",
                DefaultPort,
                Some("http://[1:0:2:3:4:5:6:7]"),
            ),
            ("http://[::1]x", InvalidHost, None),
            ("http://[::1%25eth0]", InvalidHost, None),
            ("https://[::1", InvalidHost, None),
            (
                "https://bücher.example",
                NonAsciiHost,
                Some("https://xn--bcher-kva.example"),
            ),
            (
                "https://Bücher.example:443",
                NonAsciiHost,
                Some("https://xn--bcher-kva.example"),
            ),
            ("null", Null, None),
            ("NULL", Null, None),
            ("file:///tmp/x.html", File, None),
            ("file://", File, None),
            ("file:x", File, None),
            ("FILE://host/x", File, None),
            ("a.com", MissingScheme, None),
            ("localhost:3000", MissingScheme, None),
            ("", MissingScheme, None),
            ("https:/a.com", MissingScheme, None),
            ("https://", InvalidHost, None),
            ("https://:8080", InvalidHost, None),
            ("https://a..com", InvalidHost, None),
            ("https://.a.com", InvalidHost, None),
            ("https://a.com.", InvalidHost, Some("https://a.com")),
            ("https://a b.com", InvalidHost, None),
            ("https://a%41.com", InvalidHost, None),
            ("https://a.com:", InvalidPort, Some("https://a.com")),
            ("https://a.com:99999", InvalidPort, None),
            ("https://a.com:65536", InvalidPort, None),
            ("https://a.com:+80", InvalidPort, None),
            ("https://a.com:8a", InvalidPort, None),
            ("https://a.com:1:2", InvalidPort, None),
            ("https://a.com:080", InvalidPort, Some("https://a.com:80")),
            ("http://a.com:080", InvalidPort, Some("http://a.com")),
            ("https://*.a.com", InvalidWildcard, None),
            ("https://a.com:*", InvalidWildcard, None),
            ("1http://a.com", InvalidScheme, None),
            ("ht_tp://a.com", InvalidScheme, None),
            ("://a.com", InvalidScheme, None),
        ];
        for (input, kind, sugg) in cases {
            assert_eq!(err(input), (*kind, sugg.map(String::from)), "{input:?}");
            assert_eq!(Origin::from_bytes(input.as_bytes()), None, "{input:?}");
        }
    }

    #[test]
    fn the_wildcard_suggestion_is_only_for_patterns() {
        // `https://*.a.com` is a valid pattern, so suggesting it for an origin would be
        // circular; the error still explains the wildcard rules.
        let e = Origin::parse("https://*.a.com").unwrap_err();
        assert!(e.to_string().starts_with("a `*` may only stand alone"));
    }

    #[test]
    fn messages_are_one_line_and_say_how_to_fix() {
        assert_eq!(
            msg("https://a.com/"),
            "origins have no path; use https://a.com"
        );
        assert_eq!(
            msg("HTTPS://A.com"),
            "browsers send origins in lower case; use https://a.com"
        );
        assert_eq!(
            msg("http://a.com:80"),
            "browsers omit the scheme's default port; use http://a.com"
        );
        assert_eq!(
            msg("https://bücher.example"),
            "non-ASCII host; browsers send the punycode form: https://xn--bcher-kva.example"
        );
        assert_eq!(
            msg("http://[::ffff:127.0.0.1]:8080"),
            "browsers send IPv6 addresses in compressed lower-case form without a dotted tail; use http://[::ffff:7f00:1]:8080"
        );
        assert_eq!(
            msg("http://127.1:3000"),
            "browsers send IPv4 addresses as four decimal numbers without leading zeros; use http://127.0.0.1:3000"
        );
        assert_eq!(
            msg("a.com"),
            "not an origin: write scheme://host[:port], e.g. https://a.com"
        );
        assert_eq!(
            msg("localhost:3000"),
            "not an origin: write scheme://host[:port], e.g. http://localhost:3000"
        );
        assert_eq!(
            msg("A.com/"),
            "not an origin: write scheme://host[:port], e.g. https://a.com"
        );
        assert_eq!(
            msg("nothing at all"),
            "not an origin: write scheme://host[:port], e.g. https://example.com"
        );
        assert!(msg("null").starts_with("the `null` origin can't be allowed safely: "));
        assert!(msg("null").contains("any site"));
        assert!(msg("file:///x").contains("serve the page from http://localhost"));
        for input in [
            "null",
            "file:///x",
            "https://a.com/",
            "https://a..b",
            "x",
            "https://a.com:99999",
            "https://é",
            "https://*.a.com",
            " https://a.com ",
        ] {
            let m = msg(input);
            assert!(!m.contains('\n'), "{m}");
            assert!(m.starts_with(|c: char| !c.is_ascii_uppercase()), "{m}");
        }
    }

    #[test]
    fn non_ascii_without_a_punycode_form() {
        let e = Origin::parse("https://a\u{200b}\u{0}.com").unwrap_err();
        assert_eq!(e.kind(), NonAsciiHost);
        assert_eq!(e.suggestion(), None);
        assert!(e
            .to_string()
            .starts_with("non-ASCII host; browsers send the punycode"));
        assert_eq!(
            Origin::from_bytes("https://bücher.example".as_bytes()),
            None
        );
        assert_eq!(Origin::from_bytes(b"https://b\xffcher.example"), None);
    }

    #[test]
    fn from_bytes_bounds_the_length() {
        let long = format!("https://{}.com", "a.".repeat(1100));
        assert_eq!(Origin::from_bytes(long.as_bytes()), None);
        let long_scheme = format!("{}://a.com", "s".repeat(3000));
        assert!(Origin::parse(&long_scheme).is_ok());
        assert_eq!(Origin::from_bytes(long_scheme.as_bytes()), None);
    }

    #[test]
    fn host_length_limits() {
        let label63 = "a".repeat(63);
        assert!(Origin::parse(&format!("https://{label63}.com")).is_ok());
        assert_eq!(err(&format!("https://{label63}a.com")), (InvalidHost, None));
        // 253 bytes in all is the most.
        let host253 = format!("{}a", "a.".repeat(126));
        assert_eq!(host253.len(), 253);
        assert!(Origin::parse(&format!("https://{host253}")).is_ok());
        assert_eq!(err(&format!("https://a{host253}")).0, InvalidHost);
        assert_eq!(err(&format!("https://a.{host253}")).0, InvalidHost);
    }

    #[test]
    fn trust_and_loopback() {
        let o = |s| Origin::parse(s).unwrap();
        assert!(o("http://localhost:3000").is_loopback());
        assert!(o("http://app.localhost").is_loopback());
        assert!(o("http://127.8.9.1").is_loopback());
        assert!(o("http://127.0.0.1").is_loopback());
        assert!(o("http://[::1]").is_loopback());
        assert!(!o("http://[::ffff:7f00:1]").is_loopback());
        assert!(!o("http://128.0.0.1").is_loopback());
        assert!(!o("http://127.example").is_loopback());
        assert!(!o("http://localhost.example").is_loopback());
        assert!(!o("http://mylocalhost").is_loopback());
        assert!(o("https://a.com").is_potentially_trustworthy());
        assert!(o("wss://a.com").is_potentially_trustworthy());
        assert!(o("http://localhost:5173").is_potentially_trustworthy());
        assert!(o("ws://127.0.0.1:9000").is_potentially_trustworthy());
        assert!(o("capacitor://localhost").is_potentially_trustworthy());
        assert!(o("tauri://localhost").is_potentially_trustworthy());
        assert!(
            o("chrome-extension://abcdefghijklmnopabcdefghijklmnop").is_potentially_trustworthy()
        );
        assert!(!o("http://a.com").is_potentially_trustworthy());
        assert!(!o("ws://a.com").is_potentially_trustworthy());
        assert!(!o("ftp://a.com").is_potentially_trustworthy());
        assert!(!o("http://10.0.0.1").is_potentially_trustworthy());
    }

    #[test]
    fn ipv6_serializer_matches_the_url_standard() {
        let s = |t: &str| serialize_ipv6(&t.parse().unwrap());
        assert_eq!(s("0:0:0:0:0:0:0:1"), "::1");
        assert_eq!(s("1:0:0:0:0:0:0:0"), "1::");
        assert_eq!(s("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(s("1:0:0:2:0:0:0:3"), "1:0:0:2::3");
        assert_eq!(s("::ffff:127.0.0.1"), "::ffff:7f00:1");
        assert_eq!(s("::127.0.0.1"), "::7f00:1");
        assert_eq!(s("64:ff9b::192.0.2.33"), "64:ff9b::c000:221");
        assert_eq!(s("1:0:2:3:4:5:6:7"), "1:0:2:3:4:5:6:7");
        assert_eq!(
            s("ABCD:EF01:2345:6789:ABCD:EF01:2345:6789"),
            "abcd:ef01:2345:6789:abcd:ef01:2345:6789"
        );
        assert_eq!(s("::"), "::");
        // Rust's own Display differs for IPv4-mapped addresses; browsers never use dots.
        let mapped: Ipv6Addr = "::ffff:127.0.0.1".parse().unwrap();
        assert_eq!(mapped.to_string(), "::ffff:127.0.0.1");
    }

    #[test]
    fn whatwg_ipv4_parser() {
        assert_eq!(whatwg_ipv4("127.1"), Some([127, 0, 0, 1]));
        assert_eq!(whatwg_ipv4("127.0.1"), Some([127, 0, 0, 1]));
        assert_eq!(whatwg_ipv4("0x7f.1"), Some([127, 0, 0, 1]));
        assert_eq!(whatwg_ipv4("0x.0x.0x.0x"), Some([0, 0, 0, 0]));
        assert_eq!(whatwg_ipv4("4294967295"), Some([255, 255, 255, 255]));
        assert_eq!(whatwg_ipv4("4294967296"), None);
        assert_eq!(whatwg_ipv4("1.16777216"), None);
        assert_eq!(whatwg_ipv4("1.16777215"), Some([1, 255, 255, 255]));
        assert_eq!(whatwg_ipv4("08.0.0.1"), None);
        assert_eq!(whatwg_ipv4("1..2"), None);
        assert_eq!(whatwg_ipv4("99999999999999999999999"), None);
        assert_eq!(whatwg_ipv4("0x10000000000000000000"), None);
    }

    /// A strategy for strings close to origins, to reach the interesting branches.
    fn origin_like() -> impl Strategy<Value = String> {
        let scheme = prop_oneof![
            Just("https"),
            Just("http"),
            Just("HTTP"),
            Just("ws"),
            Just("wss"),
            Just("file"),
            Just("capacitor"),
            Just("1x"),
            Just(""),
        ];
        let host = "[a-zA-Z0-9.\\-_:\\[\\]*%@ ]{0,20}";
        let port = prop_oneof![
            Just(String::new()),
            "(:[0-9]{0,6})".prop_map(|p| p),
            Just(":*".to_owned()),
        ];
        let tail = "([/?#\\\\][a-z]{0,3})?";
        (scheme, "(://|:/|:)?", host, port, tail)
            .prop_map(|(a, b, c, d, e)| format!("{a}{b}{c}{d}{e}"))
    }

    fn assert_consistent(s: &str) -> Result<(), TestCaseError> {
        let fast = scan(s);
        prop_assert_eq!(fast, check(s).ok(), "scan and check disagree on {:?}", s);
        for max_scheme_len in [0, 4, 5, 64] {
            let _ = split_unchecked(s.as_bytes(), max_scheme_len);
        }
        match Origin::parse(s) {
            Ok(o) => {
                prop_assert_eq!(Some(o), fast);
                // The unchecked split reads a valid origin exactly as the parser does.
                prop_assert_eq!(
                    split_unchecked(s.as_bytes(), o.scheme().len()),
                    Some((o.scheme().as_bytes(), o.host().as_bytes(), o.port()))
                );
                if o.scheme().len() > 1 {
                    prop_assert_eq!(split_unchecked(s.as_bytes(), o.scheme().len() - 1), None);
                }
                prop_assert_eq!(o.as_str(), s);
                prop_assert_eq!(Origin::parse(o.as_str()), Ok(o));
                prop_assert_eq!(
                    format!(
                        "{}://{}{}",
                        o.scheme(),
                        o.host(),
                        o.port().map(|p| format!(":{p}")).unwrap_or_default()
                    ),
                    s
                );
            }
            Err(e) => {
                prop_assert!(fast.is_none());
                let m = e.to_string();
                prop_assert!(!m.is_empty() && !m.contains('\n'));
                if let Some(fix) = e.suggestion() {
                    prop_assert_ne!(fix, s);
                    prop_assert!(
                        super::super::pattern::OriginPattern::parse(fix).is_ok(),
                        "suggestion {} for {:?} does not parse",
                        fix,
                        s
                    );
                    if !fix.contains('*') {
                        prop_assert!(Origin::parse(fix).is_ok(), "{} for {:?}", fix, s);
                    }
                }
            }
        }
        if s.len() <= 2048 {
            prop_assert_eq!(Origin::from_bytes(s.as_bytes()), fast);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn never_panics_and_round_trips(s in "\\PC{0,40}") {
            assert_consistent(&s)?;
        }

        #[test]
        fn never_panics_on_any_bytes(b in proptest::collection::vec(any::<u8>(), 0..48)) {
            let _ = Origin::from_bytes(&b);
            assert_consistent(&String::from_utf8_lossy(&b))?;
        }

        #[test]
        fn origin_like_strings(s in origin_like()) {
            assert_consistent(&s)?;
        }

        #[test]
        fn ipv6_forms(a in any::<[u16; 8]>(), zeros in any::<u8>(), port in proptest::option::of(any::<u16>())) {
            // Zero out some pieces so that compression cases come up often.
            let mut seg = a;
            for (i, s) in seg.iter_mut().enumerate() {
                if zeros & (1 << i) != 0 {
                    *s = 0;
                }
            }
            let addr = Ipv6Addr::from(seg);
            let port = port.map(|p| format!(":{p}")).unwrap_or_default();
            let canonical = format!("http://[{}]{port}", serialize_ipv6(&addr));
            // Whatever Rust's `Display` prints is valid IPv6; canonical iff the same bytes.
            let rust = format!("http://[{addr}]{port}");
            assert_consistent(&canonical)?;
            assert_consistent(&rust)?;
            if port != ":80" {
                let o = Origin::parse(&canonical).unwrap();
                prop_assert_eq!(o.host(), format!("[{}]", serialize_ipv6(&addr)));
                if rust != canonical {
                    prop_assert_eq!(err(&rust), (NonCanonicalIpv6, Some(canonical.clone())));
                }
            }
            // Rust's parser agrees with ours on what the canonical form means.
            prop_assert_eq!(serialize_ipv6(&addr).parse::<Ipv6Addr>().unwrap(), addr);
        }

        #[test]
        fn ipv4_forms(a in any::<[u8; 4]>(), port in proptest::option::of(1u16..)) {
            let port = port.filter(|&p| p != 80).map(|p| format!(":{p}")).unwrap_or_default();
            let [w, x, y, z] = a;
            let quad = format!("http://{w}.{x}.{y}.{z}{port}");
            prop_assert!(Origin::parse(&quad).is_ok());
            let n = u32::from_be_bytes(a);
            for other in [
                format!("http://{n}{port}"),
                format!("http://{w}.{}{port}", n & 0xff_ffff),
                format!("http://0x{w:x}.{x}.{y}.{z}{port}"),
                format!("http://0{w:o}.{x}.{y}.{z}{port}"),
            ] {
                assert_consistent(&other)?;
                if other != quad {
                    prop_assert_eq!(err(&other), (NonCanonicalIpv4, Some(quad.clone())));
                }
            }
        }
    }
}
