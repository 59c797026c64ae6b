//! HTTP tokens and the Fetch standard's fixed name lists.
//!
//! Methods and header names in a policy are HTTP tokens (RFC 9110 §5.6.2). Fetch adds lists of
//! names a page can never use: forbidden methods, forbidden request headers, and response
//! headers that are always (safelisted) or never (`Set-Cookie`) readable. A policy that names
//! them is a mistake the user should hear about at build time.

/// Is `b` a `tchar` (RFC 9110 §5.6.2)?
#[inline]
pub(crate) const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Is `s` a non-empty HTTP token?
#[inline]
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// CONNECT, TRACE and TRACK (compared case-insensitively, as Fetch does).
pub(crate) fn is_forbidden_method(m: &str) -> bool {
    ["CONNECT", "TRACE", "TRACK"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(m))
}

/// The six methods `fetch()` upper-cases whatever case the page wrote them in.
const NORMALIZED_METHODS: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];

/// Fetch's method normalisation: the six standard names upper-cased, others unchanged.
///
/// `patch` and `PATCH` are different methods to a browser, so a policy that lists `PATCH`
/// does not allow `fetch(url, {method: "patch"})`.
pub(crate) fn normalize_method(m: &str) -> &str {
    NORMALIZED_METHODS
        .iter()
        .find(|n| n.eq_ignore_ascii_case(m))
        .copied()
        .unwrap_or(m)
}

/// CORS-safelisted methods: they never need a preflight, so they are always allowed.
pub(crate) fn is_safelisted_method(m: &[u8]) -> bool {
    matches!(m, b"GET" | b"HEAD" | b"POST")
}

/// Fetch "forbidden request-header" names (lower-case).
const FORBIDDEN_REQUEST_HEADERS: [&str; 22] = [
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
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

/// A header `fetch()` never lets a page set: listing it in `allow_headers` can't do anything.
pub(crate) fn is_forbidden_request_header(name: &str) -> bool {
    FORBIDDEN_REQUEST_HEADERS
        .iter()
        .any(|f| f.eq_ignore_ascii_case(name))
        || has_prefix_ignore_case(name, "proxy-")
        || has_prefix_ignore_case(name, "sec-")
}

/// `Access-Control-*`: the protocol's own headers, never application headers.
pub(crate) fn is_cors_protocol_header(name: &str) -> bool {
    has_prefix_ignore_case(name, "access-control-")
}

/// `Set-Cookie` and `Set-Cookie2`: browsers never let scripts read them.
pub(crate) fn is_forbidden_response_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("set-cookie") || name.eq_ignore_ascii_case("set-cookie2")
}

/// CORS-safelisted response-header names: always readable, never need exposing.
pub(crate) fn is_safelisted_response_header(name: &str) -> bool {
    [
        "cache-control",
        "content-language",
        "content-length",
        "content-type",
        "expires",
        "last-modified",
        "pragma",
    ]
    .iter()
    .any(|s| s.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"X-Custom_1"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b"a,b"));
        assert!(!is_token("résumé".as_bytes()));
    }

    #[test]
    fn method_normalisation_matches_fetch() {
        assert_eq!(normalize_method("get"), "GET");
        assert_eq!(normalize_method("Delete"), "DELETE");
        assert_eq!(normalize_method("patch"), "patch");
        assert_eq!(normalize_method("PATCH"), "PATCH");
        assert!(is_forbidden_method("connect"));
        assert!(is_forbidden_method("TRACK"));
        assert!(!is_forbidden_method("PATCH"));
    }

    #[test]
    fn forbidden_and_protocol_names() {
        assert!(is_forbidden_request_header("Connection"));
        assert!(is_forbidden_request_header("Sec-Fetch-Mode"));
        assert!(is_forbidden_request_header("proxy-authorization"));
        assert!(!is_forbidden_request_header("authorization"));
        assert!(!is_forbidden_request_header("x-sec"));
        assert!(is_cors_protocol_header("Access-Control-Allow-Origin"));
        assert!(!is_cors_protocol_header("access-control"));
        assert!(is_forbidden_response_header("Set-Cookie2"));
        assert!(is_safelisted_response_header("Content-Type"));
        assert!(!is_safelisted_response_header("x-total"));
    }
}
