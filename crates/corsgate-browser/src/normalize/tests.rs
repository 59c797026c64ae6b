//! Unit tests of `normalize`: methods, exception texts, header values, dropped headers, bodies.

use super::*;

const PAGE: &str = "http://127.0.0.1:5500";
const API: &str = "http://localhost:3000/data";

fn norm(req: &CorsRequest) -> NormalizedRequest {
    normalize(req, Engine::Chrome).unwrap().0
}

fn refused(req: &CorsRequest) -> Refused {
    normalize(req, Engine::Chrome).unwrap_err()
}

fn header<'a>(r: &'a NormalizedRequest, name: &str) -> Option<&'a [u8]> {
    r.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_slice())
}

#[test]
fn methods_are_normalised() {
    assert_eq!(
        norm(&CorsRequest::fetch(API, PAGE).method("delete")).method,
        "DELETE"
    );
    assert_eq!(
        norm(&CorsRequest::fetch(API, PAGE).method("patch")).method,
        "patch"
    );
}

#[test]
fn chrome_exception_texts() {
    let r = refused(&CorsRequest::fetch(API, PAGE).method("CONNECT"));
    assert_eq!(
        r.to_string(),
        "TypeError: Failed to execute 'fetch' on 'Window': 'CONNECT' HTTP method is unsupported."
    );
    let r = refused(&CorsRequest::fetch(API, PAGE).method("trace"));
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': 'trace' HTTP method is unsupported."
    );
    let r = refused(&CorsRequest::xhr(API, PAGE).method("CONNECT"));
    assert_eq!(r.to_string(), "SecurityError: Failed to execute 'open' on 'XMLHttpRequest': 'CONNECT' HTTP method is unsupported.");
    let r = refused(&CorsRequest::fetch(API, PAGE).method("GE T"));
    assert_eq!(
        r.to_string(),
        "TypeError: Failed to execute 'fetch' on 'Window': 'GE T' is not a valid HTTP method."
    );
    let r = refused(&CorsRequest::xhr(API, PAGE).method("GE T"));
    assert_eq!(r.to_string(), "SyntaxError: Failed to execute 'open' on 'XMLHttpRequest': 'GE T' is not a valid HTTP method.");
    let r = refused(&CorsRequest::fetch(API, PAGE).header("X Foo", "1"));
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': Invalid name"
    );
    let r = refused(&CorsRequest::fetch(API, PAGE).header("X-Foo", "a\nb"));
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': Invalid value"
    );
    let r = refused(&CorsRequest::fetch(API, PAGE).header("X-Foo", "a\0b"));
    assert_eq!(r.kind, RefusalKind::InvalidHeaderValue);
    let r = refused(&CorsRequest::fetch(API, PAGE).header("X-Foo", "\u{100}"));
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': Failed to read the 'headers' property from 'RequestInit': String contains non ISO-8859-1 code point."
    );
    let r = refused(&CorsRequest::fetch("http://u:p@localhost:3000/y4", PAGE));
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: http://u:p@localhost:3000/y4"
    );
    let r = refused(&CorsRequest::fetch(API, PAGE).body(Body::Text));
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': Request with GET/HEAD method cannot have body."
    );
    let r = refused(
        &CorsRequest::fetch(API, PAGE)
            .method("PUT")
            .mode(RequestMode::NoCors),
    );
    assert_eq!(
        r.message,
        "Failed to execute 'fetch' on 'Window': 'PUT' is unsupported in no-cors mode."
    );
    assert!(r.verified);
}

#[test]
fn more_chrome_156_exception_texts() {
    let r = refused(&CorsRequest::xhr(API, PAGE).header("X Foo", "1"));
    assert_eq!(r.to_string(), "SyntaxError: Failed to execute 'setRequestHeader' on 'XMLHttpRequest': 'X Foo' is not a valid HTTP header field name.");
    let r = refused(&CorsRequest::xhr(API, PAGE).header("X-Foo", "\u{100}"));
    assert_eq!(r.to_string(), "TypeError: Failed to execute 'setRequestHeader' on 'XMLHttpRequest': String contains non ISO-8859-1 code point.");
    let r = refused(&CorsRequest::fetch("ftp://localhost/z6", PAGE));
    assert_eq!(r.to_string(), "TypeError: Failed to fetch");
    assert!(r.explanation.ends_with("Chrome's console says: Fetch API cannot load ftp://localhost/z6. URL scheme \"ftp\" is not supported."));
    assert!(r.verified);
}

#[test]
fn header_values_are_trimmed_and_latin1() {
    let r = norm(
        &CorsRequest::fetch(API, PAGE)
            .header("Content-Type", " text/plain\t")
            .header("X-Foo", "\u{e9}"),
    );
    assert_eq!(header(&r, "content-type"), Some(&b"text/plain"[..]));
    assert_eq!(header(&r, "x-foo"), Some(&[0xE9u8][..]));
}

#[test]
fn forbidden_headers_are_dropped_with_warnings() {
    let (r, w) = normalize(
        &CorsRequest::fetch(API, PAGE)
            .header("Cookie", "a=b")
            .header("Sec-Foo", "1")
            .header("X-HTTP-Method-Override", "TRACE")
            .header("User-Agent", "ua")
            .header("X-Ok", "1"),
        Engine::Chrome,
    )
    .unwrap();
    assert_eq!(r.headers, vec![("X-Ok".to_owned(), b"1".to_vec())]);
    assert_eq!(w.len(), 4);
    assert_eq!(
        w[0].message,
        "The header Cookie is not sent: it is a forbidden request header the browser controls."
    );
    assert_eq!(w[0].chrome_console, None);
    let (_, w) = normalize(
        &CorsRequest::xhr(API, PAGE).header("Cookie", "a=b"),
        Engine::Chrome,
    )
    .unwrap();
    assert_eq!(
        w[0].chrome_console.as_deref(),
        Some("Refused to set unsafe header \"Cookie\"")
    );
    let (r, _) = normalize(
        &CorsRequest::fetch(API, PAGE).header("User-Agent", "ua"),
        Engine::Firefox,
    )
    .unwrap();
    assert_eq!(r.headers.len(), 1);
}

#[test]
fn chrome_combines_repeated_names_firefox_keeps_entries() {
    let req = CorsRequest::fetch(API, PAGE)
        .header("Accept", "a")
        .header("accept", "b");
    assert_eq!(
        norm(&req).headers,
        vec![("Accept".to_owned(), b"a, b".to_vec())]
    );
    let (r, _) = normalize(&req, Engine::Firefox).unwrap();
    assert_eq!(r.headers.len(), 2);
}

#[test]
fn body_content_types() {
    let ct = |b: Body| {
        let r = norm(&CorsRequest::fetch(API, PAGE).method("POST").body(b));
        header(&r, "content-type").map(|v| String::from_utf8(v.to_vec()).unwrap())
    };
    assert_eq!(ct(Body::Text).as_deref(), Some("text/plain;charset=UTF-8"));
    assert_eq!(
        ct(Body::UrlSearchParams).as_deref(),
        Some("application/x-www-form-urlencoded;charset=UTF-8")
    );
    assert!(ct(Body::FormData)
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    assert_eq!(
        ct(Body::Blob {
            mime_type: "Application/JSON".into()
        })
        .as_deref(),
        Some("application/json")
    );
    assert_eq!(
        ct(Body::Blob {
            mime_type: String::new()
        }),
        None
    );
    assert_eq!(ct(Body::Bytes), None);
    assert_eq!(ct(Body::Stream), None);
    // A page-set Content-Type wins over the body's.
    let r = norm(
        &CorsRequest::fetch(API, PAGE)
            .method("POST")
            .header("Content-Type", "application/json")
            .body(Body::UrlSearchParams),
    );
    assert_eq!(header(&r, "content-type"), Some(&b"application/json"[..]));
    // XHR rewrites an author charset for a string body, keeping the author's spacing.
    let (r, _) = normalize(
        &CorsRequest::xhr(API, PAGE)
            .method("POST")
            .header("Content-Type", "text/plain; charset=latin1")
            .body(Body::Text),
        Engine::Chrome,
    )
    .unwrap();
    assert_eq!(
        header(&r, "content-type"),
        Some(&b"text/plain; charset=UTF-8"[..])
    );
    let (r, _) = normalize(
        &CorsRequest::xhr(API, PAGE)
            .method("PUT")
            .body(Body::HtmlDocument),
        Engine::Chrome,
    )
    .unwrap();
    assert_eq!(
        header(&r, "content-type"),
        Some(&b"text/html;charset=UTF-8"[..])
    );
}

#[test]
fn forced_preflight_flags() {
    assert!(
        norm(
            &CorsRequest::fetch(API, PAGE)
                .method("POST")
                .body(Body::Stream)
        )
        .use_cors_preflight
    );
    assert!(
        norm(
            &CorsRequest::xhr(API, PAGE)
                .method("POST")
                .body(Body::Text)
                .upload_listeners(true)
        )
        .use_cors_preflight
    );
    assert!(!norm(&CorsRequest::xhr(API, PAGE).method("POST").body(Body::Text)).use_cors_preflight);
    let (r, w) = normalize(
        &CorsRequest::fetch(API, PAGE)
            .method("POST")
            .body(Body::Text)
            .upload_listeners(true),
        Engine::Chrome,
    )
    .unwrap();
    assert!(!r.use_cors_preflight);
    assert_eq!(w[0].kind, WarningKind::UploadListenersIgnored);
}

#[test]
fn no_cors_keeps_only_safelisted_headers() {
    let (r, w) = normalize(
        &CorsRequest::fetch(API, PAGE)
            .mode(RequestMode::NoCors)
            .header("X-Foo", "1")
            .header("Accept", "text/html"),
        Engine::Chrome,
    )
    .unwrap();
    assert_eq!(
        r.headers,
        vec![("Accept".to_owned(), b"text/html".to_vec())]
    );
    assert!(matches!(w[0].kind, WarningKind::DroppedInNoCorsMode { .. }));
}

#[test]
fn same_origin_and_bad_inputs() {
    assert!(norm(&CorsRequest::fetch("http://127.0.0.1:5500/x", PAGE)).is_same_origin());
    assert!(!norm(&CorsRequest::fetch(API, PAGE)).is_same_origin());
    assert_eq!(
        refused(&CorsRequest::fetch("/data", PAGE)).kind,
        RefusalKind::InvalidUrl
    );
    assert_eq!(
        refused(&CorsRequest::fetch("ftp://x/", PAGE)).kind,
        RefusalKind::UnsupportedScheme
    );
    assert_eq!(
        refused(&CorsRequest::fetch(API, "not an origin")).kind,
        RefusalKind::InvalidOrigin
    );
    assert!(!norm(&CorsRequest::fetch(API, "null")).is_same_origin());
}

/// Firefox ESR 153's own texts (each checked in the browser), not Chrome's.
#[test]
fn firefox_throws_its_own_words() {
    let ff = |req: CorsRequest| normalize(&req, Engine::Firefox).unwrap_err().to_string();
    let fetch = || CorsRequest::fetch(API, PAGE);
    let xhr = || CorsRequest::xhr(API, PAGE);
    assert_eq!(
        ff(fetch().method("CONNECT")),
        "TypeError: Window.fetch: Invalid request method CONNECT."
    );
    assert_eq!(
        ff(fetch().method("GE T")),
        "TypeError: Window.fetch: Invalid request method GE T."
    );
    assert_eq!(
        ff(fetch().body(Body::Text)),
        "TypeError: Window.fetch: HEAD or GET Request cannot have a body."
    );
    assert_eq!(
        ff(fetch().header("X-A", "a\nb")),
        "TypeError: Window.fetch: a\nb is an invalid header value."
    );
    assert_eq!(
        ff(fetch().header("X-A", " a\0b ")),
        "TypeError: Window.fetch: a is an invalid header value."
    );
    assert_eq!(
        ff(fetch().header("X A", "1")),
        "TypeError: Window.fetch: x a is an invalid header name."
    );
    assert_eq!(
        ff(fetch().header("X-A", "\u{20ac}")),
        "TypeError: Window.fetch: Cannot convert value in record<ByteString, ByteString> \
         branch of (sequence<sequence<ByteString>> or record<ByteString, ByteString>) to \
         ByteString because the character at index 0 has value 8364 which is greater than \
         255."
    );
    assert_eq!(
        ff(CorsRequest::fetch("ftp://localhost/x", PAGE)),
        "TypeError: NetworkError when attempting to fetch resource."
    );
    assert_eq!(
        ff(fetch().method("PUT").mode(RequestMode::NoCors)),
        "TypeError: Window.fetch: Invalid request method PUT."
    );
    assert_eq!(
        ff(xhr().method("CONNECT")),
        "SecurityError: The operation is insecure."
    );
    assert_eq!(
        ff(xhr().method("GE T")),
        "SyntaxError: An invalid or illegal string was specified"
    );
    assert_eq!(
        ff(xhr().header("X-A", "a\nb")),
        "SyntaxError: Invalid header name."
    );
    // Chrome's words stay Chrome's.
    assert_eq!(
        normalize(&fetch().method("CONNECT"), Engine::Chrome)
            .unwrap_err()
            .to_string(),
        "TypeError: Failed to execute 'fetch' on 'Window': 'CONNECT' HTTP method is unsupported."
    );
}
