//! Forbidden request-headers: the ones a page may not set, which `fetch()` silently drops.
//!
//! The user agent owns these (cookies, `Origin`, framing headers, `Sec-*` metadata): a page's
//! attempt to set them is ignored by `fetch()` (no error, no console message) and refused by
//! `XMLHttpRequest.setRequestHeader()` with the console error `Refused to set unsafe header
//! "Cookie"`. The doctor reports each drop as a warning, since a page author usually expects
//! the header to arrive.
//!
//! Verified against Chromium 156: every name of the Fetch list, the `Proxy-`/`Sec-` prefixes
//! and the method-override rule are dropped; Chrome additionally still drops `User-Agent`,
//! which the Fetch standard no longer forbids (<https://crbug.com/571722>).

use crate::engine::Engine;
use crate::method;

/// The Fetch standard's forbidden request-header names (matched case-insensitively).
pub const FORBIDDEN_NAMES: [&str; 21] = corsgate_fetch::FORBIDDEN_REQUEST_HEADER_NAMES;

/// Header names whose value names a method; forbidden when that method is forbidden.
const METHOD_OVERRIDE_NAMES: [&str; 3] = [
    "x-http-method",
    "x-http-method-override",
    "x-method-override",
];

/// Why a header is forbidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Forbidden {
    /// On the Fetch list of forbidden names (`Cookie`, `Origin`, `Host`, ...).
    Name,
    /// Starts with `Proxy-` or `Sec-`: reserved for the user agent.
    Prefix,
    /// `X-HTTP-Method(-Override)` / `X-Method-Override` naming a forbidden method (the method
    /// that was named is kept, e.g. `TRACE`).
    MethodOverride(String),
    /// `User-Agent`: allowed by the standard, but Chrome still drops it.
    ChromeUserAgent,
}

/// Fetch's "get, decode, and split" of one header value: split on commas outside quoted
/// strings, trim tab/space. Quoted strings keep their quotes (`"connect"` is not `CONNECT`).
pub(crate) fn get_decode_split(value: &[u8]) -> Vec<Vec<u8>> {
    let mut values = Vec::new();
    let mut current = Vec::new();
    let mut i = 0;
    loop {
        while i < value.len() && value[i] != b'"' && value[i] != b',' {
            current.push(value[i]);
            i += 1;
        }
        if i < value.len() && value[i] == b'"' {
            // Collect the quoted string, quotes included (extract-value false).
            current.push(b'"');
            i += 1;
            while i < value.len() {
                let c = value[i];
                current.push(c);
                i += 1;
                if c == b'\\' && i < value.len() {
                    current.push(value[i]);
                    i += 1;
                } else if c == b'"' {
                    break;
                }
            }
            if i < value.len() {
                continue;
            }
        }
        values.push(crate::token::trim_ows(&current).to_vec());
        current.clear();
        if i >= value.len() {
            return values;
        }
        i += 1; // ','
    }
}

/// Is the header `(name, value)` forbidden for a page to set, in `engine`?
pub fn forbidden_request_header(name: &str, value: &[u8], engine: Engine) -> Option<Forbidden> {
    let lower = name.to_ascii_lowercase();
    if FORBIDDEN_NAMES.contains(&lower.as_str()) {
        return Some(Forbidden::Name);
    }
    if lower.starts_with("proxy-") || lower.starts_with("sec-") {
        return Some(Forbidden::Prefix);
    }
    if METHOD_OVERRIDE_NAMES.contains(&lower.as_str()) {
        for m in get_decode_split(value) {
            let m = crate::token::latin1(&m);
            if method::is_forbidden(&m) {
                return Some(Forbidden::MethodOverride(m));
            }
        }
    }
    if engine == Engine::Chrome && lower == "user-agent" {
        return Some(Forbidden::ChromeUserAgent);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_any_case() {
        for n in FORBIDDEN_NAMES {
            assert_eq!(
                forbidden_request_header(n, b"1", Engine::Chrome),
                Some(Forbidden::Name)
            );
            let upper = n.to_ascii_uppercase();
            assert_eq!(
                forbidden_request_header(&upper, b"1", Engine::Firefox),
                Some(Forbidden::Name)
            );
        }
        assert_eq!(
            forbidden_request_header("X-Foo", b"1", Engine::Chrome),
            None
        );
        assert_eq!(
            forbidden_request_header(
                "Access-Control-Request-Private-Network",
                b"1",
                Engine::Chrome
            ),
            None
        );
    }

    #[test]
    fn prefixes() {
        for n in [
            "Proxy-Authorization",
            "proxy-x",
            "Sec-Fetch-Mode",
            "sec-x",
            "SEC-",
        ] {
            assert_eq!(
                forbidden_request_header(n, b"1", Engine::Chrome),
                Some(Forbidden::Prefix),
                "{n}"
            );
        }
        assert_eq!(
            forbidden_request_header("Proxy", b"1", Engine::Chrome),
            None
        );
        assert_eq!(
            forbidden_request_header("Secret", b"1", Engine::Chrome),
            None
        );
    }

    #[test]
    fn method_override_values() {
        let f = |n: &str, v: &str| forbidden_request_header(n, v.as_bytes(), Engine::Chrome);
        assert_eq!(
            f("X-HTTP-Method-Override", "TRACE"),
            Some(Forbidden::MethodOverride("TRACE".into()))
        );
        assert_eq!(
            f("X-HTTP-Method", "get, connect"),
            Some(Forbidden::MethodOverride("connect".into()))
        );
        assert_eq!(
            f("x-method-override", " Track "),
            Some(Forbidden::MethodOverride("Track".into()))
        );
        assert_eq!(
            f("X-HTTP-Method-Override", "PUT, track"),
            Some(Forbidden::MethodOverride("track".into()))
        );
        // Chrome 156 sends these, with a preflight: not forbidden.
        assert_eq!(f("X-HTTP-Method-Override", "PUT"), None);
        assert_eq!(f("X-Method-Override", "\"connect\""), None);
        assert_eq!(f("X-Other", "TRACE"), None);
    }

    #[test]
    fn user_agent_only_in_chrome() {
        assert_eq!(
            forbidden_request_header("User-Agent", b"x", Engine::Chrome),
            Some(Forbidden::ChromeUserAgent)
        );
        assert_eq!(
            forbidden_request_header("user-agent", b"x", Engine::Firefox),
            None
        );
    }

    #[test]
    fn split_examples_from_the_standard() {
        let s = |v: &str| -> Vec<String> {
            get_decode_split(v.as_bytes())
                .iter()
                .map(|b| String::from_utf8(b.clone()).unwrap())
                .collect()
        };
        assert_eq!(s("nosniff,"), vec!["nosniff", ""]);
        assert_eq!(s(""), vec![""]);
        assert_eq!(s("text/html;\", x/x"), vec!["text/html;\", x/x"]);
        assert_eq!(s("x/x;test=\"hi\",y/y"), vec!["x/x;test=\"hi\"", "y/y"]);
        assert_eq!(s("x / x,,,1"), vec!["x / x", "", "", "1"]);
        assert_eq!(s("\"1,2\", 3"), vec!["\"1,2\"", "3"]);
    }
}
