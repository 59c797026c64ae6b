//! Byte classes from HTTP (RFC 9110) and Fetch shared by the browser modules.
//!
//! The token grammar itself is shared with the policy core (see `corsgate_fetch`).

pub(crate) use corsgate_fetch::{is_tchar, is_token, trim_ows};

/// Fetch's HTTP whitespace: tab, LF, CR, space (stripped when a page sets a header value).
pub(crate) const fn is_http_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\r' | b' ')
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
    }
}
