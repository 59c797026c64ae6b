//! Facts of HTTP and the Fetch standard that both cores use: the token grammar, method
//! normalisation, default ports, and the fixed lists of forbidden methods and request headers.
//!
//! One home for them keeps the server side (what a policy may name) and the browser side
//! (what a page may send) from drifting apart.

/// Is `b` a `tchar` (RFC 9110 §5.6.2)?
///
/// A table lookup: on the request path this runs once per byte of every header value it
/// reads, and a `match` over the character classes compiles to a jump per byte.
#[inline]
pub const fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

const fn tchar_by_grammar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

const TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = tchar_by_grammar(i as u8);
        i += 1;
    }
    t
};

/// Is `s` a non-empty HTTP token?
#[inline]
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// Trims tab and space (HTTP optional whitespace) from both ends.
#[inline]
pub fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// The methods `fetch()` upper-cases whatever case they were written in (Fetch "normalize").
const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Fetch's method normalisation: the six standard names upper-cased, others unchanged, so
/// `patch` and `PATCH` are different methods to a browser.
#[inline]
pub fn normalize_method(m: &str) -> &str {
    NORMALIZED_METHODS
        .iter()
        .find(|n| n.eq_ignore_ascii_case(m))
        .copied()
        .unwrap_or(m)
}

/// CONNECT, TRACE and TRACK in any case: browsers refuse to send them.
#[inline]
pub fn is_forbidden_method(m: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(m))
}

/// GET, HEAD and POST (exact bytes, after normalisation): never preflighted.
#[inline]
pub fn is_safelisted_method(m: &[u8]) -> bool {
    matches!(m, b"GET" | b"HEAD" | b"POST")
}

/// The Fetch standard's forbidden request-header names (matched case-insensitively).
pub const FORBIDDEN_REQUEST_HEADER_NAMES: [&str; 21] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];

fn has_prefix_ignore_case(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len() && s.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Is `name` on the forbidden list or under the reserved `Proxy-` / `Sec-` prefixes?
/// (The value-dependent method-override rule lives with the browser core.)
#[inline]
pub fn is_forbidden_request_header_name(name: &str) -> bool {
    FORBIDDEN_REQUEST_HEADER_NAMES
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
        || has_prefix_ignore_case(name, "proxy-")
        || has_prefix_ignore_case(name, "sec-")
}

/// The CORS-safelisted response-header names (lower case): script can always read them.
pub const SAFELISTED_RESPONSE_HEADER_NAMES: [&str; 7] = [
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// The forbidden response-header names (lower case): script can never read them.
pub const FORBIDDEN_RESPONSE_HEADER_NAMES: [&str; 2] = ["set-cookie", "set-cookie2"];

/// Is `name` (any case) a CORS-safelisted response-header name?
#[inline]
pub fn is_safelisted_response_header_name(name: &str) -> bool {
    SAFELISTED_RESPONSE_HEADER_NAMES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// Is `name` (any case) a forbidden response-header name?
#[inline]
pub fn is_forbidden_response_header_name(name: &str) -> bool {
    FORBIDDEN_RESPONSE_HEADER_NAMES
        .iter()
        .any(|s| s.eq_ignore_ascii_case(name))
}

/// The default port of a scheme with one (URL standard), the port an origin omits.
#[inline]
pub fn default_port(scheme: impl AsRef<[u8]>) -> Option<u16> {
    match scheme.as_ref() {
        b"http" | b"ws" => Some(80),
        b"https" | b"wss" => Some(443),
        b"ftp" => Some(21),
        _ => None,
    }
}

/// Case-insensitive prefix test, shared by the name rules.
#[inline]
pub fn starts_with_ignore_case(s: &str, prefix: &str) -> bool {
    has_prefix_ignore_case(s, prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_whitespace() {
        assert!(is_token(b"X-Custom_1"));
        assert!(is_token(b"*"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b"a,b"));
        assert!(!is_token("résumé".as_bytes()));
        assert_eq!(trim_ows(b" \tx y\t "), b"x y");
    }

    #[test]
    fn methods() {
        assert_eq!(normalize_method("get"), "GET");
        assert_eq!(normalize_method("Delete"), "DELETE");
        assert_eq!(normalize_method("patch"), "patch");
        assert!(is_forbidden_method("connect"));
        assert!(is_forbidden_method("TRACK"));
        assert!(!is_forbidden_method("PATCH"));
        assert!(is_safelisted_method(b"POST"));
        assert!(!is_safelisted_method(b"get"));
    }

    #[test]
    fn forbidden_names() {
        assert!(is_forbidden_request_header_name("Connection"));
        assert!(is_forbidden_request_header_name("Sec-Fetch-Mode"));
        assert!(is_forbidden_request_header_name("proxy-authorization"));
        assert!(!is_forbidden_request_header_name("authorization"));
        assert!(!is_forbidden_request_header_name("x-sec"));
    }
}
