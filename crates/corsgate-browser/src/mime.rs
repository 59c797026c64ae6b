//! The MIME type parser of the MIME Sniffing standard, as Fetch uses it for `Content-Type`.
//!
//! Whether `Content-Type` needs a preflight depends on its *essence* (`type/subtype`, lower
//! case) after a strict parse: `text/plain;charset=utf-8` is fine, `text/plain garbage` and
//! `text /plain` fail to parse and need a preflight. Fetch deliberately uses this parser, not
//! the forgiving "extract a MIME type", so that a server's naïve parser cannot be tricked into
//! reading a body as something a preflight would have caught. Parameters are parsed too (they
//! never change the verdict, but a caller may want to show them).
//!
//! Input is a header value's bytes, each byte one code point (isomorphic decoding).

use crate::token::{is_http_whitespace, is_tchar};

/// A parsed MIME type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MimeType {
    /// The type, ASCII lower-cased (`text`).
    pub type_: String,
    /// The subtype, ASCII lower-cased (`plain`).
    pub subtype: String,
    /// Parameters in order of first appearance; names lower-cased, values as parsed (quoted
    /// strings unquoted). A repeated name keeps its first value.
    pub parameters: Vec<(String, String)>,
}

impl MimeType {
    /// `type/subtype`: what Fetch compares to decide whether `Content-Type` is safelisted.
    pub fn essence(&self) -> String {
        format!("{}/{}", self.type_, self.subtype)
    }
}

/// Is `b` an HTTP quoted-string token code point (tab, 0x20–0x7E, 0x80–0xFF)?
const fn is_quoted_string_token(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != 0x7F)
}

/// Decodes bytes one code point per byte (Latin-1), as Fetch's "isomorphic decode" does.
fn iso(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Collects an HTTP quoted string starting at the `"` at `*pos`, returning the unquoted value.
fn collect_quoted(input: &[u8], pos: &mut usize) -> Vec<u8> {
    let mut value = Vec::new();
    *pos += 1; // the opening quote
    loop {
        while *pos < input.len() && input[*pos] != b'"' && input[*pos] != b'\\' {
            value.push(input[*pos]);
            *pos += 1;
        }
        if *pos >= input.len() {
            break;
        }
        let c = input[*pos];
        *pos += 1;
        if c == b'\\' {
            if *pos >= input.len() {
                value.push(b'\\');
                break;
            }
            value.push(input[*pos]);
            *pos += 1;
        } else {
            break; // closing quote
        }
    }
    value
}

/// Parses a MIME type; `None` is the standard's "failure".
pub fn parse(input: &[u8]) -> Option<MimeType> {
    let mut start = 0;
    let mut end = input.len();
    while start < end && is_http_whitespace(input[start]) {
        start += 1;
    }
    while end > start && is_http_whitespace(input[end - 1]) {
        end -= 1;
    }
    let input = &input[start..end];
    let mut pos = 0;

    let type_start = pos;
    while pos < input.len() && input[pos] != b'/' {
        pos += 1;
    }
    let type_ = &input[type_start..pos];
    if type_.is_empty() || !type_.iter().all(|&b| is_tchar(b)) || pos >= input.len() {
        return None;
    }
    pos += 1; // '/'

    let sub_start = pos;
    while pos < input.len() && input[pos] != b';' {
        pos += 1;
    }
    let mut subtype = &input[sub_start..pos];
    while let [rest @ .., last] = subtype {
        if is_http_whitespace(*last) {
            subtype = rest;
        } else {
            break;
        }
    }
    if subtype.is_empty() || !subtype.iter().all(|&b| is_tchar(b)) {
        return None;
    }

    let mut mime = MimeType {
        type_: iso(type_).to_ascii_lowercase(),
        subtype: iso(subtype).to_ascii_lowercase(),
        parameters: Vec::new(),
    };

    while pos < input.len() {
        pos += 1; // ';'
        while pos < input.len() && is_http_whitespace(input[pos]) {
            pos += 1;
        }
        let name_start = pos;
        while pos < input.len() && input[pos] != b';' && input[pos] != b'=' {
            pos += 1;
        }
        let name = iso(&input[name_start..pos]).to_ascii_lowercase();
        if pos < input.len() {
            if input[pos] == b';' {
                continue;
            }
            pos += 1; // '='
        }
        if pos >= input.len() {
            break;
        }
        let value: Vec<u8>;
        if input[pos] == b'"' {
            value = collect_quoted(input, &mut pos);
            while pos < input.len() && input[pos] != b';' {
                pos += 1;
            }
        } else {
            let v_start = pos;
            while pos < input.len() && input[pos] != b';' {
                pos += 1;
            }
            let mut v = &input[v_start..pos];
            while let [rest @ .., last] = v {
                if is_http_whitespace(*last) {
                    v = rest;
                } else {
                    break;
                }
            }
            if v.is_empty() {
                continue;
            }
            value = v.to_vec();
        }
        if !name.is_empty()
            && name.bytes().all(is_tchar)
            && value.iter().all(|&b| is_quoted_string_token(b))
            && !mime.parameters.iter().any(|(n, _)| *n == name)
        {
            mime.parameters.push((name, iso(&value)));
        }
    }
    Some(mime)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn essence(s: &str) -> Option<String> {
        parse(s.as_bytes()).map(|m| m.essence())
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
            assert_eq!(parse(s.as_bytes()), None, "{s:?}");
        }
    }

    #[test]
    fn parameters() {
        let m = parse(br#"text/plain; Charset="utf-8"; a=b;a=c; q="x\"y\\"; e=; f="#).unwrap();
        assert_eq!(
            m.parameters,
            vec![
                ("charset".to_owned(), "utf-8".to_owned()),
                ("a".to_owned(), "b".to_owned()),
                ("q".to_owned(), "x\"y\\".to_owned()),
            ]
        );
        let m = parse(br#"text/plain;charset="a;b""#).unwrap();
        assert_eq!(m.parameters, vec![("charset".to_owned(), "a;b".to_owned())]);
        let m = parse(b"text/plain;charset=\"unterminated").unwrap();
        assert_eq!(
            m.parameters,
            vec![("charset".to_owned(), "unterminated".to_owned())]
        );
        let m = parse(b"text/plain;na me=x;ok=\x7f").unwrap();
        assert!(m.parameters.is_empty());
        let m = parse(b"text/plain;x=\xe9").unwrap();
        assert_eq!(m.parameters, vec![("x".to_owned(), "\u{e9}".to_owned())]);
    }
}
