//! CORS-safelisted request-headers, the CORS-unsafe names, and `Access-Control-Request-Headers`.
//!
//! A cross-origin request needs no preflight when its method is safelisted and every header the
//! page set is a *CORS-safelisted request-header*: one of five names with a value that passes
//! that name's rule and is at most 128 bytes, while all such values together stay within
//! 1,024 bytes. Any other header is *CORS-unsafe*; the unsafe names, lower-cased, sorted,
//! de-duplicated and joined with `,` (no spaces), are exactly the preflight's
//! `Access-Control-Request-Headers` — and exactly what the server must allow.
//!
//! Chrome 156 additionally safelists a few names that pages can set (`DPR`, `Width`,
//! `Viewport-Width`, `RTT`, `Downlink`, `ECT`, `Device-Memory`, `Save-Data`, `Intervention`;
//! `services/network/public/cpp/cors/cors.cc`), verified in a real browser: a page that sets
//! `DPR: 1` gets no preflight in Chrome but one in Firefox.

use crate::engine::Engine;
use crate::mime;

/// The longest value (bytes) a safelisted request-header may have.
pub const MAX_VALUE_LEN: usize = 128;

/// The most bytes all safelisted values of one request may add up to before every one of them
/// counts as unsafe.
pub const MAX_TOTAL_LEN: usize = 1024;

/// A CORS-unsafe request-header byte (Fetch): control bytes other than tab, `"():<>?@[\]{}`
/// and DEL.
pub const fn is_cors_unsafe_byte(b: u8) -> bool {
    (b < 0x20 && b != 0x09)
        || matches!(
            b,
            b'"' | b'('
                | b')'
                | b':'
                | b'<'
                | b'>'
                | b'?'
                | b'@'
                | b'['
                | b'\\'
                | b']'
                | b'{'
                | b'}'
                | 0x7F
        )
}

/// The bytes `Accept-Language` and `Content-Language` may hold: `0-9 A-Z a-z`, space, `*,-.;=`.
const fn is_language_byte(b: u8) -> bool {
    matches!(b, b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' | b' ' | b'*' | b',' | b'-' | b'.' | b';' | b'=')
}

/// The three `Content-Type` essences a page may send without a preflight.
pub const SAFELISTED_CONTENT_TYPES: [&str; 3] = [
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "text/plain",
];

/// Is `value` a safelisted `Content-Type` value (no unsafe byte, parses, safelisted essence)?
pub fn is_safelisted_content_type(value: &[u8]) -> bool {
    if value.iter().any(|&b| is_cors_unsafe_byte(b)) {
        return false;
    }
    mime::essence(value).is_some_and(|e| SAFELISTED_CONTENT_TYPES.contains(&e.as_str()))
}

/// Compares two decimal digit strings numerically (arbitrary length).
fn cmp_digits(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    let strip = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
    let (a, b) = (&a[strip(a)..], &b[strip(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Fits in Chrome's `int64` range parse (`net::HttpUtil::ParseRangeHeader`)?
fn fits_i64(d: &[u8]) -> bool {
    cmp_digits(d, b"9223372036854775807") != std::cmp::Ordering::Greater
}

/// Fetch's "parse a single range header value" (no whitespace), then the safelist's extra rule:
/// the start must be present (`bytes=-500` is not safelisted).
pub fn is_safelisted_range(value: &[u8], engine: Engine) -> bool {
    let Some(rest) = value.strip_prefix(b"bytes=") else {
        return false;
    };
    let start_len = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let (start, rest) = rest.split_at(start_len);
    let Some(end) = rest.strip_prefix(b"-") else {
        return false;
    };
    if start.is_empty() || !end.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !end.is_empty() && cmp_digits(start, end) == std::cmp::Ordering::Greater {
        return false;
    }
    engine != Engine::Chrome || (fits_i64(start) && fits_i64(end))
}

/// `1*DIGIT [ "." 1*DIGIT ]` (Chrome's rule for `DPR`, `Device-Memory`, `Downlink`).
fn is_double_like(v: &[u8]) -> bool {
    let (int, frac) = match v.iter().position(|&b| b == b'.') {
        Some(i) => (&v[..i], Some(&v[i + 1..])),
        None => (v, None),
    };
    !int.is_empty()
        && int.iter().all(u8::is_ascii_digit)
        && frac.is_none_or(|f| !f.is_empty() && f.iter().all(u8::is_ascii_digit))
}

/// `1*DIGIT` (Chrome's rule for `Width`, `Viewport-Width`, `RTT`).
fn is_int_like(v: &[u8]) -> bool {
    !v.is_empty() && v.iter().all(u8::is_ascii_digit)
}

/// Is `(name, value)` a CORS-safelisted request-header for `engine`?
pub fn is_cors_safelisted_request_header(name: &str, value: &[u8], engine: Engine) -> bool {
    if value.len() > MAX_VALUE_LEN {
        return false;
    }
    match name.to_ascii_lowercase().as_str() {
        "accept" => !value.iter().any(|&b| is_cors_unsafe_byte(b)),
        "accept-language" | "content-language" => value.iter().all(|&b| is_language_byte(b)),
        "content-type" => is_safelisted_content_type(value),
        "range" => is_safelisted_range(value, engine),
        extra if engine == Engine::Chrome => match extra {
            "intervention" => true,
            "device-memory" | "dpr" | "downlink" => is_double_like(value),
            "width" | "viewport-width" | "rtt" => is_int_like(value),
            "ect" => matches!(value, b"slow-2g" | b"2g" | b"3g" | b"4g"),
            "save-data" => value.eq_ignore_ascii_case(b"on"),
            _ => false,
        },
        _ => false,
    }
}

/// Fetch's "CORS-unsafe request-header names" of a header list: lower-cased, sorted (byte
/// order) and de-duplicated.
///
/// `headers` is the request's header list as the engine holds it (Chrome has already combined
/// repeated names into one `a, b` value; see [`crate::normalize`]).
pub fn cors_unsafe_request_header_names(
    headers: &[(String, Vec<u8>)],
    engine: Engine,
) -> Vec<String> {
    let mut unsafe_names = Vec::new();
    let mut potentially_unsafe = Vec::new();
    let mut total = 0usize;
    for (name, value) in headers {
        if is_cors_safelisted_request_header(name, value, engine) {
            potentially_unsafe.push(name.to_ascii_lowercase());
            total += value.len();
        } else {
            unsafe_names.push(name.to_ascii_lowercase());
        }
    }
    if total > MAX_TOTAL_LEN {
        unsafe_names.extend(potentially_unsafe);
    }
    unsafe_names.sort();
    unsafe_names.dedup();
    unsafe_names
}

/// The `Access-Control-Request-Headers` value for these unsafe names (`None` when there are
/// none: the header is then left out of the preflight, as browsers do).
pub fn access_control_request_headers(unsafe_names: &[String]) -> Option<String> {
    (!unsafe_names.is_empty()).then(|| unsafe_names.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    const C: Engine = Engine::Chrome;
    const F: Engine = Engine::Firefox;

    fn safe(n: &str, v: &str) -> bool {
        is_cors_safelisted_request_header(n, v.as_bytes(), C)
    }

    #[test]
    fn the_five_names() {
        assert!(safe("Accept", "application/json"));
        assert!(safe("ACCEPT", "*/*"));
        assert!(!safe("Accept", "text/html(x)"));
        assert!(safe("Accept-Language", "en-US,en;q=0.9"));
        assert!(safe("Content-Language", "de-DE"));
        assert!(!safe("Accept-Language", "en_US"));
        assert!(!safe("Content-Language", "de/DE"));
        assert!(safe("Content-Type", "text/plain;charset=utf-8"));
        assert!(!safe("Content-Type", "application/json"));
        assert!(safe("Range", "bytes=0-100"));
        assert!(!safe("X-Foo", "1"));
        assert!(!safe("Authorization", "Bearer x"));
        assert!(!safe("Cache-Control", "no-cache"));
    }

    #[test]
    fn value_length_limit_at_and_over_128() {
        let at = "a".repeat(128);
        let over = "a".repeat(129);
        assert!(safe("Accept", &at));
        assert!(!safe("Accept", &over));
        let ct_at = format!("text/plain;a={}", "d".repeat(115));
        assert_eq!(ct_at.len(), 128);
        assert!(safe("Content-Type", &ct_at));
        assert!(!safe("Content-Type", &format!("{ct_at}d")));
    }

    #[test]
    fn unsafe_bytes() {
        for b in [
            0x00u8, 0x08, 0x0A, 0x1F, b'"', b'(', b')', b':', b'<', b'>', b'?', b'@', b'[', b'\\',
            b']', b'{', b'}', 0x7F,
        ] {
            assert!(is_cors_unsafe_byte(b), "{b:#x}");
        }
        for b in [b'\t', b' ', b'a', b',', b'/', b';', b'=', b'*', 0x80, 0xFF] {
            assert!(!is_cors_unsafe_byte(b), "{b:#x}");
        }
        assert!(!is_cors_safelisted_request_header(
            "Content-Type",
            b"text/plain; charset=\"utf-8\"",
            C
        ));
    }

    #[test]
    fn content_type_edge_cases_verified_in_chrome_156() {
        // (value, safelisted?) — each checked with a real cross-origin fetch in Chromium 156.
        for (v, ok) in [
            ("text/plain;charset=utf-8", true),
            ("text/plain; charset=\"utf-8\"", false),
            ("TEXT/PLAIN", true),
            ("text/plain garbage", false),
            ("text/plain;", true),
            ("text/plain ;x=y", true),
            ("text/plain,text/html", false),
            ("text/plain;charset=\"a;b\"", false),
            ("multipart/form-data; boundary=x", true),
            ("text/plain;x", true),
            ("text/pla in", false),
            ("application/x-www-form-urlencoded;x=\"", false),
            ("text/plain;a=b;a=c", true),
            ("text /plain", false),
            ("application/json", false),
        ] {
            assert_eq!(safe("Content-Type", v), ok, "{v:?}");
        }
    }

    #[test]
    fn range_rules() {
        for (v, ok) in [
            ("bytes=0-100", true),
            ("bytes=0-", true),
            ("bytes=5-5", true),
            ("bytes=-100", false),
            ("bytes=100-0", false),
            ("Bytes=0-1", false),
            ("bytes=0-1,3-4", false),
            ("bytes = 0-1", false),
            ("bytes=0 -1", false),
            ("bytes=a-1", false),
            ("bytes=", false),
            ("bytes=-", false),
            ("items=0-1", false),
        ] {
            assert_eq!(safe("Range", v), ok, "{v:?}");
        }
        let huge = "bytes=99999999999999999999-";
        assert!(!is_cors_safelisted_request_header(
            "Range",
            huge.as_bytes(),
            C
        ));
        assert!(is_cors_safelisted_request_header(
            "Range",
            huge.as_bytes(),
            F
        ));
        assert!(safe("Range", &format!("bytes={}1-2", "0".repeat(118))));
    }

    #[test]
    fn chrome_only_names() {
        for (n, v) in [
            ("DPR", "1.5"),
            ("Device-Memory", "8"),
            ("Downlink", "10"),
            ("Width", "100"),
            ("Viewport-Width", "1280"),
            ("RTT", "50"),
            ("ECT", "4g"),
            ("ECT", "slow-2g"),
            ("Save-Data", "on"),
            ("Save-Data", "ON"),
            ("Intervention", "<anything>"),
        ] {
            assert!(
                is_cors_safelisted_request_header(n, v.as_bytes(), C),
                "{n}: {v}"
            );
            assert!(
                !is_cors_safelisted_request_header(n, v.as_bytes(), F),
                "{n}: {v}"
            );
        }
        for (n, v) in [
            ("DPR", "1."),
            ("DPR", ".5"),
            ("Device-Memory", "x"),
            ("Width", "1.5"),
            ("RTT", ""),
            ("ECT", "5g"),
            ("ECT", "4G"),
            ("Save-Data", "off"),
        ] {
            assert!(
                !is_cors_safelisted_request_header(n, v.as_bytes(), C),
                "{n}: {v}"
            );
        }
    }

    fn h(list: &[(&str, String)]) -> Vec<(String, Vec<u8>)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), v.clone().into_bytes()))
            .collect()
    }

    #[test]
    fn unsafe_names_are_lowercased_sorted_deduplicated() {
        let headers = h(&[
            ("X-B", "1".into()),
            ("X-A", "2".into()),
            ("Accept", "a/b".into()),
            ("Content-Type", "text/plain".into()),
            ("x-a", "3".into()),
        ]);
        let names = cors_unsafe_request_header_names(&headers, C);
        assert_eq!(names, vec!["x-a", "x-b"]);
        assert_eq!(
            access_control_request_headers(&names).as_deref(),
            Some("x-a,x-b")
        );
        assert_eq!(access_control_request_headers(&[]), None);
    }

    #[test]
    fn total_limit_at_and_over_1024() {
        // The exact header set sent to Chromium 156: 1,024 bytes of safelisted values needs no
        // preflight; one more byte and every safelisted name joins the preflight.
        let mut list = vec![
            ("Accept", "a".repeat(128)),
            ("Accept-Language", "b".repeat(128)),
            ("Content-Language", "c".repeat(128)),
            ("Content-Type", format!("text/plain;a={}", "d".repeat(115))),
            ("Range", format!("bytes={}1-2", "0".repeat(118))),
            ("DPR", "1".repeat(128)),
            ("Width", "2".repeat(128)),
            ("Intervention", "x".repeat(128)),
            ("Viewport-Width", "3".into()),
        ];
        let total: usize = list.iter().map(|(_, v)| v.len()).sum();
        assert_eq!(total, 1024);
        assert!(cors_unsafe_request_header_names(&h(&list), C).is_empty());
        list.last_mut().unwrap().1 = "33".into();
        let names = cors_unsafe_request_header_names(&h(&list), C);
        assert_eq!(
            access_control_request_headers(&names).as_deref(),
            Some("accept,accept-language,content-language,content-type,dpr,intervention,range,viewport-width,width")
        );
    }

    #[test]
    fn total_limit_with_separate_entries() {
        // Firefox keeps repeated headers as separate entries (as the standard's header list
        // does): eleven 100-byte Accept values are each safelisted but exceed 1,024 together.
        let list: Vec<(&str, String)> = (0..11).map(|_| ("Accept", "a".repeat(100))).collect();
        assert_eq!(
            cors_unsafe_request_header_names(&h(&list), F),
            vec!["accept"]
        );
        let list: Vec<(&str, String)> = (0..10).map(|_| ("Accept", "a".repeat(100))).collect();
        assert!(cors_unsafe_request_header_names(&h(&list), F).is_empty());
    }
}
