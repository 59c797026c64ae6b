//! The MIME type parser of the MIME Sniffing standard, as Fetch uses it for `Content-Type`.
//!
//! Whether `Content-Type` needs a preflight depends on its *essence* (`type/subtype`, lower
//! case) after a strict parse: `text/plain;charset=utf-8` is fine, `text/plain garbage` and
//! `text /plain` fail to parse and need a preflight. Fetch deliberately uses this parser, not
//! the forgiving "extract a MIME type", so that a server's naïve parser cannot be tricked into
//! reading a body as something a preflight would have caught. The parameters after the
//! essence are not parsed: the standard's parameter steps never fail, so they cannot change
//! the verdict.
//!
//! Input is a header value's bytes, each byte one code point (isomorphic decoding).

use crate::token::{is_http_whitespace, is_tchar};

/// Strips trailing HTTP whitespace.
fn trim_end(mut bytes: &[u8]) -> &[u8] {
    while let [rest @ .., last] = bytes {
        if !is_http_whitespace(*last) {
            break;
        }
        bytes = rest;
    }
    bytes
}

/// Parses a MIME type and returns its essence, `type/subtype` ASCII lower-cased; `None` is
/// the standard's "failure".
pub fn essence(input: &[u8]) -> Option<String> {
    let start = input
        .iter()
        .position(|&b| !is_http_whitespace(b))
        .unwrap_or(input.len());
    let input = trim_end(&input[start..]);

    let slash = input.iter().position(|&b| b == b'/')?;
    let type_ = &input[..slash];
    let rest = &input[slash + 1..];
    let subtype_end = rest.iter().position(|&b| b == b';').unwrap_or(rest.len());
    let subtype = trim_end(&rest[..subtype_end]);
    let token = |t: &[u8]| !t.is_empty() && t.iter().all(|&b| is_tchar(b));
    if !token(type_) || !token(subtype) {
        return None;
    }
    let iso = |bytes: &[u8]| -> String { bytes.iter().map(|&b| char::from(b)).collect() };
    Some(format!("{}/{}", iso(type_), iso(subtype)).to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    fn essence(s: &str) -> Option<String> {
        super::essence(s.as_bytes())
    }

    #[test]
    fn essences() {
        assert_eq!(essence("text/plain").as_deref(), Some("text/plain"));
        assert_eq!(essence("TEXT/PLAIN").as_deref(), Some("text/plain"));
        assert_eq!(
            essence("text/plain;charset=utf-8").as_deref(),
            Some("text/plain")
        );
        assert_eq!(essence(" text/plain\t").as_deref(), Some("text/plain"));
        assert_eq!(essence("text/plain ;x=y").as_deref(), Some("text/plain"));
        assert_eq!(essence("text/plain;").as_deref(), Some("text/plain"));
        assert_eq!(essence("text/plain;x").as_deref(), Some("text/plain"));
        assert_eq!(
            essence("multipart/form-data; boundary=x").as_deref(),
            Some("multipart/form-data")
        );
        assert_eq!(
            essence("application/x-www-form-urlencoded;charset=UTF-8").as_deref(),
            Some("application/x-www-form-urlencoded")
        );
    }

    #[test]
    fn failures() {
        for s in [
            "",
            "text",
            "text/",
            "/plain",
            "text /plain",
            "text/plain garbage",
            "text/pla in",
            "text/plain,text/html",
            "te(x)t/plain",
            "tëxt/plain",
        ] {
            assert_eq!(essence(s), None, "{s:?}");
        }
    }

    #[test]
    fn parameters_never_fail_the_parse() {
        for s in [
            r#"text/plain; Charset="utf-8"; a=b;a=c; q="x\"y\\"; e=; f="#,
            r#"text/plain;charset="a;b""#,
            "text/plain;charset=\"unterminated",
            "text/plain;na me=x;ok=\x7f",
            "text/plain;x=\u{e9}",
        ] {
            assert_eq!(essence(s).as_deref(), Some("text/plain"), "{s:?}");
        }
    }
}
