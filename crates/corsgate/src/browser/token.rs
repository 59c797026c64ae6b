//! Byte classes from HTTP (RFC 9110) and Fetch shared by the browser modules.
//!
//! Kept private to `browser` so this module stays self-contained and the server-side policy
//! code can evolve its own helpers independently.

/// Is `b` a `tchar` (RFC 9110 §5.6.2)?
pub(crate) const fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`'
        | b'|' | b'~' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// Is `s` a non-empty HTTP token?
pub(crate) fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// HTTP whitespace for header values: tab or space (what parsers strip around values).
pub(crate) const fn is_tab_or_space(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Fetch's HTTP whitespace: tab, LF, CR, space (stripped when a page sets a header value).
pub(crate) const fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
}

/// Trims tab and space from both ends.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if is_tab_or_space(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_tab_or_space(*last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

/// Renders bytes as text the way Chrome decodes header bytes (each byte is one Latin-1 char).
pub(crate) fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token(b"x-foo"));
        assert!(is_token(b"*"));
        assert!(!is_token(b""));
        assert!(!is_token(b"a b"));
        assert!(!is_token(b"[bad]"));
        assert!(!is_token(b"a;"));
    }

    #[test]
    fn trimming_and_latin1() {
        assert_eq!(trim_ows(b" \tabc \t"), b"abc");
        assert_eq!(trim_ows(b"  "), b"");
        assert_eq!(latin1(&[b'a', 0xE9]), "a\u{e9}");
        assert!(is_http_whitespace(b'\r'));
        assert!(!is_tab_or_space(b'\n'));
    }
}
