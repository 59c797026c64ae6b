//! The preflight: when a browser sends one, what it sends, and how it reads the answer.
//!
//! A cross-origin CORS request is preflighted when its method is not `GET`/`HEAD`/`POST`,
//! when it has CORS-unsafe headers, or when Fetch's "use-CORS-preflight flag" is set (a
//! `ReadableStream` body, or listeners on `xhr.upload`). Credentials alone never cause one.
//!
//! The preflight is `OPTIONS` to the same URL with `Accept: */*`,
//! `Access-Control-Request-Method`, `Access-Control-Request-Headers` (only when there are
//! unsafe names) and `Origin` — no cookies, whatever the credentials mode, and redirects are
//! not followed (Chromium 156 sent exactly these, in this order, before its own
//! `User-Agent`/`Sec-Fetch-*`/`Referer`/`Accept-*` headers).
//!
//! Chrome reads the answer in this order (verified): a redirect fails first; then the CORS
//! check (origin, credentials); then the status must be 2xx; then both
//! `Access-Control-Allow-Methods` and `-Headers` must parse; then the method, then the headers.
//! The method compares case-sensitively (`put` does not allow `PUT`; Chrome 156 enables
//! `AccessControlAllowMethodsInCORSPreflightSpecConformant` by default), safelisted methods
//! always pass, and `*` counts only without credentials. Header names compare
//! case-insensitively; `*` (without credentials) covers every name — including
//! `Authorization` in Chrome 156 and Firefox ESR 153, although the Fetch standard excludes it
//! (Chrome's `CorsNonWildcardRequestHeadersSupport` is disabled by default; verified).

use http::{HeaderMap, HeaderValue, Method};

use crate::cors_check::{cors_check, CheckFail};
use crate::cors_error::CorsErrorKind;
use crate::engine::Engine;
use crate::method;
use crate::response::ResponseInfo;
use crate::token::{is_token, latin1, trim_ows};

/// Why a request is preflighted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreflightReason {
    /// The method is not `GET`, `HEAD` or `POST`.
    Method(String),
    /// These headers are CORS-unsafe (lower-case, sorted).
    Headers(Vec<String>),
    /// A `ReadableStream` body or XHR upload listeners force a preflight.
    Forced,
}

/// Decides whether a cross-origin CORS request needs a preflight.
pub fn preflight_reasons(
    method_name: &str,
    unsafe_names: &[String],
    forced: bool,
) -> Vec<PreflightReason> {
    let mut reasons = Vec::new();
    if forced {
        reasons.push(PreflightReason::Forced);
    }
    if !method::is_cors_safelisted(method_name) {
        reasons.push(PreflightReason::Method(method_name.to_owned()));
    }
    if !unsafe_names.is_empty() {
        reasons.push(PreflightReason::Headers(unsafe_names.to_vec()));
    }
    reasons
}

/// The headers of the preflight, in the order Chrome sends them.
pub fn preflight_headers(method_name: &str, acrh: Option<&str>, origin: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(http::header::ACCEPT, HeaderValue::from_static("*/*"));
    if let Ok(v) = HeaderValue::from_str(method_name) {
        h.insert(http::header::ACCESS_CONTROL_REQUEST_METHOD, v);
    }
    if let Some(Ok(v)) = acrh.map(HeaderValue::from_str) {
        h.insert(http::header::ACCESS_CONTROL_REQUEST_HEADERS, v);
    }
    if let Ok(v) = HeaderValue::from_str(origin) {
        h.insert(http::header::ORIGIN, v);
    }
    h
}

/// The preflight method.
pub fn preflight_method() -> Method {
    Method::OPTIONS
}

/// A parsed `Access-Control-Allow-Methods` / `-Headers` list; `None` is a parse failure.
///
/// The value (all lines joined with `, `) is split on commas; elements are trimmed, empty ones
/// skipped (`PUT,,` is fine), and every other element must be an HTTP token (`GE T`, `PUT;` and
/// `[bad]` fail the whole list).
pub fn parse_allow_list(value: Option<&[u8]>) -> Option<Vec<String>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let mut out = Vec::new();
    for element in value.split(|&b| b == b',') {
        let e = trim_ows(element);
        if e.is_empty() {
            continue;
        }
        if !is_token(e) {
            return None;
        }
        out.push(latin1(e));
    }
    Some(out)
}

/// How long the preflight result may be cached, in seconds, for `engine`.
///
/// Chrome: no header → 5; not a (signed) integer → 5; negative → 0; capped at 7,200. Firefox:
/// no header → 5; anything but digits → 0 (not cached); capped at 86,400. WebKit reads it as
/// Chrome does (`parseInteger<int64_t>`: not an integer → 5, negative → 0), capped at 600.
pub fn cache_lifetime_secs(max_age: Option<&[u8]>, engine: Engine) -> u64 {
    let Some(v) = max_age else {
        return 5;
    };
    match engine {
        Engine::Chrome | Engine::WebKit => {
            let (neg, digits) = match v {
                [b'-', rest @ ..] => (true, rest),
                [b'+', rest @ ..] => (false, rest),
                _ => (false, v),
            };
            if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
                return 5;
            }
            let Ok(n) = latin1(digits).parse::<i64>() else {
                return 5; // out of int64 range: StringToInt64 fails
            };
            if neg {
                return 0;
            }
            u64::try_from(n).unwrap_or(0).min(engine.max_age_cap_secs())
        }
        Engine::Firefox => {
            if v.is_empty() {
                return 5;
            }
            let mut age: u64 = 0;
            for &b in v {
                if !b.is_ascii_digit() {
                    return 0;
                }
                age = (age * 10 + u64::from(b - b'0')).min(Engine::Firefox.max_age_cap_secs());
            }
            age
        }
    }
}

/// What a passing preflight established.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreflightOutcome {
    /// Methods the server listed (case kept).
    pub allowed_methods: Vec<String>,
    /// Header names the server listed (lower-cased).
    pub allowed_headers: Vec<String>,
    /// Seconds the browser caches this result for the URL (`Access-Control-Max-Age` as the
    /// engine reads it, at most [`Engine::max_age_cap_secs`]).
    pub cache_lifetime_secs: u64,
    /// `Authorization` was sent and allowed only through `*` — allowed by Chrome 156 and
    /// Firefox ESR 153, but not by the Fetch standard (and Firefox warns).
    pub authorization_covered_by_wildcard: bool,
}

/// A preflight failure in Chrome's terms, with every disallowed header name (Chrome names just
/// one: the first not allowed in its own header order, which [`check_preflight_response`]
/// takes as the order of its `unsafe_names`; `Flow` passes Chrome's order, see
/// `header_order`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreflightFail {
    /// The failure (kind and hint).
    pub fail: CheckFail,
    /// For [`CorsErrorKind::HeaderDisallowedByPreflightResponse`]: all names not allowed
    /// (sorted).
    pub disallowed_headers: Vec<String>,
}

impl From<CheckFail> for PreflightFail {
    fn from(fail: CheckFail) -> Self {
        PreflightFail {
            fail,
            disallowed_headers: Vec::new(),
        }
    }
}

/// Checks a preflight response the way Chrome does.
///
/// `origin` is the serialised origin the preflight carried, `include` the request's credentials
/// mode, `method_name` the (normalised) request method, `unsafe_names` the names sent in
/// `Access-Control-Request-Headers`, lower case, in the order Chrome checks them: the first
/// not allowed is the one named in the failure's hint (Chrome walks its own header order, not
/// a sorted one; a [`crate::Flow`] passes that order).
pub fn check_preflight_response(
    resp: &ResponseInfo,
    origin: &str,
    include: bool,
    method_name: &str,
    unsafe_names: &[String],
    engine: Engine,
) -> Result<PreflightOutcome, PreflightFail> {
    if resp.is_redirect() {
        return Err(CheckFail::new(CorsErrorKind::PreflightDisallowedRedirect).into());
    }
    cors_check(resp, origin, include).map_err(|f| CheckFail {
        kind: f.kind.for_preflight(),
        hint: f.hint,
    })?;
    if !resp.is_ok() {
        return Err(CheckFail::new(CorsErrorKind::PreflightInvalidStatus).into());
    }
    let methods = parse_allow_list(resp.combined("access-control-allow-methods").as_deref())
        .ok_or_else(|| CheckFail::new(CorsErrorKind::InvalidAllowMethodsPreflightResponse))?;
    let headers: Vec<String> =
        parse_allow_list(resp.combined("access-control-allow-headers").as_deref())
            .ok_or_else(|| CheckFail::new(CorsErrorKind::InvalidAllowHeadersPreflightResponse))?
            .into_iter()
            .map(|h| h.to_ascii_lowercase())
            .collect();

    let method_ok = method::is_cors_safelisted(method_name)
        || methods.iter().any(|m| m == method_name)
        || (!include && methods.iter().any(|m| m == "*"));
    if !method_ok {
        return Err(CheckFail::with(
            CorsErrorKind::MethodDisallowedByPreflightResponse,
            method_name.as_bytes(),
        )
        .into());
    }

    let wildcard = !include && headers.iter().any(|h| h == "*");
    let mut authorization_covered_by_wildcard = false;
    let disallowed: Vec<String> = if wildcard {
        authorization_covered_by_wildcard = unsafe_names.iter().any(|n| n == "authorization")
            && !headers.iter().any(|h| h == "authorization");
        Vec::new()
    } else {
        unsafe_names
            .iter()
            .filter(|n| !headers.contains(n))
            .cloned()
            .collect()
    };
    if let Some(first) = disallowed.first() {
        let fail = CheckFail::with(
            CorsErrorKind::HeaderDisallowedByPreflightResponse,
            first.as_bytes(),
        );
        let mut disallowed_headers = disallowed;
        disallowed_headers.sort();
        return Err(PreflightFail {
            fail,
            disallowed_headers,
        });
    }
    Ok(PreflightOutcome {
        allowed_methods: methods,
        allowed_headers: headers,
        cache_lifetime_secs: cache_lifetime_secs(
            resp.combined("access-control-max-age").as_deref(),
            engine,
        ),
        authorization_covered_by_wildcard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;
    use CorsErrorKind as K;

    const O: &str = "http://127.0.0.1:5500";
    const ACAO: &str = "access-control-allow-origin";
    const ACAC: &str = "access-control-allow-credentials";
    const ACAM: &str = "access-control-allow-methods";
    const ACAH: &str = "access-control-allow-headers";

    fn r(status: u16, h: &[(&'static str, &str)]) -> ResponseInfo {
        h.iter().fold(
            ResponseInfo::new(StatusCode::from_u16(status).unwrap()),
            |r, (n, v)| r.header(n, v),
        )
    }

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| (*s).to_owned()).collect()
    }

    fn kind(resp: &ResponseInfo, include: bool, m: &str, n: &[&str]) -> K {
        check_preflight_response(resp, O, include, m, &names(n), Engine::Chrome)
            .unwrap_err()
            .fail
            .kind
    }

    #[test]
    fn reasons() {
        assert!(preflight_reasons("GET", &[], false).is_empty());
        assert!(preflight_reasons("POST", &[], false).is_empty());
        assert_eq!(
            preflight_reasons("PUT", &[], false),
            vec![PreflightReason::Method("PUT".into())]
        );
        assert_eq!(
            preflight_reasons("GET", &names(&["x-a"]), false),
            vec![PreflightReason::Headers(names(&["x-a"]))]
        );
        assert_eq!(
            preflight_reasons("POST", &[], true),
            vec![PreflightReason::Forced]
        );
    }

    #[test]
    fn preflight_request_headers_in_chrome_order() {
        let h = preflight_headers("PUT", Some("x-a,x-b"), O);
        let got: Vec<(String, String)> = h
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("accept".to_owned(), "*/*".to_owned()),
                ("access-control-request-method".to_owned(), "PUT".to_owned()),
                (
                    "access-control-request-headers".to_owned(),
                    "x-a,x-b".to_owned()
                ),
                ("origin".to_owned(), O.to_owned()),
            ]
        );
        assert!(!preflight_headers("PUT", None, O).contains_key("access-control-request-headers"));
        assert_eq!(preflight_method(), Method::OPTIONS);
    }

    #[test]
    fn chrome_order_redirect_then_cors_then_status() {
        assert_eq!(
            kind(&r(301, &[(ACAO, O), ("location", "/x")]), false, "PUT", &[]),
            K::PreflightDisallowedRedirect
        );
        assert_eq!(
            kind(&r(301, &[("location", "/x")]), false, "PUT", &[]),
            K::PreflightDisallowedRedirect
        );
        assert_eq!(
            kind(&r(500, &[]), false, "PUT", &[]),
            K::PreflightMissingAllowOriginHeader
        );
        assert_eq!(
            kind(&r(500, &[(ACAO, O), (ACAM, "PUT")]), false, "PUT", &[]),
            K::PreflightInvalidStatus
        );
        assert_eq!(
            kind(&r(500, &[(ACAM, "P T")]), false, "PUT", &[]),
            K::PreflightMissingAllowOriginHeader
        );
        assert_eq!(
            kind(
                &r(204, &[(ACAO, "*"), (ACAC, "true"), (ACAM, "PUT")]),
                true,
                "PUT",
                &[]
            ),
            K::PreflightWildcardOriginNotAllowed
        );
        assert_eq!(
            kind(&r(204, &[(ACAO, O), (ACAM, "PUT")]), true, "PUT", &[]),
            K::PreflightInvalidAllowCredentials
        );
        assert_eq!(
            kind(&r(204, &[(ACAO, O), (ACAO, O)]), false, "PUT", &[]),
            K::PreflightMultipleAllowOriginValues
        );
        assert_eq!(
            kind(&r(204, &[(ACAO, "nope")]), false, "PUT", &[]),
            K::PreflightInvalidAllowOriginValue
        );
        assert_eq!(
            kind(&r(204, &[(ACAO, "http://x.example")]), false, "PUT", &[]),
            K::PreflightAllowOriginMismatch
        );
    }

    #[test]
    fn parse_before_method_before_headers() {
        assert_eq!(
            kind(
                &r(204, &[(ACAO, O), (ACAM, "PUT, GE T")]),
                false,
                "PUT",
                &[]
            ),
            K::InvalidAllowMethodsPreflightResponse
        );
        assert_eq!(
            kind(&r(204, &[(ACAO, O), (ACAM, "PUT;")]), false, "PUT", &[]),
            K::InvalidAllowMethodsPreflightResponse
        );
        assert_eq!(
            kind(
                &r(204, &[(ACAO, O), (ACAH, "x-foo, [bad]")]),
                false,
                "GET",
                &["x-foo"]
            ),
            K::InvalidAllowHeadersPreflightResponse
        );
        assert_eq!(
            kind(
                &r(204, &[(ACAO, O), (ACAM, "P T"), (ACAH, "[bad]")]),
                false,
                "PUT",
                &["x-foo"]
            ),
            K::InvalidAllowMethodsPreflightResponse
        );
        // Chrome parses both lists before checking the method (Firefox does not).
        assert_eq!(
            kind(
                &r(204, &[(ACAO, O), (ACAH, "[bad]")]),
                false,
                "PUT",
                &["x-foo"]
            ),
            K::InvalidAllowHeadersPreflightResponse
        );
        assert_eq!(
            kind(&r(204, &[(ACAO, O)]), false, "PUT", &["x-foo"]),
            K::MethodDisallowedByPreflightResponse
        );
    }

    #[test]
    fn methods() {
        let ok = |h: &[(&'static str, &str)], inc: bool, m: &str| {
            check_preflight_response(&r(204, h), O, inc, m, &[], Engine::Chrome).is_ok()
        };
        assert!(ok(&[(ACAO, O), (ACAM, "PUT")], false, "PUT"));
        assert!(!ok(&[(ACAO, O), (ACAM, "put")], false, "PUT"));
        assert!(!ok(&[(ACAO, O), (ACAM, "PATCH")], false, "patch"));
        assert!(ok(&[(ACAO, O), (ACAM, "patch")], false, "patch"));
        assert!(ok(&[(ACAO, O), (ACAM, "*")], false, "PUT"));
        assert!(!ok(&[(ACAO, O), (ACAC, "true"), (ACAM, "*")], true, "PUT"));
        assert!(ok(
            &[(ACAO, O), (ACAC, "true"), (ACAM, "*, PUT")],
            true,
            "PUT"
        ));
        assert!(ok(&[(ACAO, O), (ACAM, "PUT,,")], false, "PUT"));
        assert!(ok(&[(ACAO, O), (ACAM, "GET"), (ACAM, "PUT")], false, "PUT"));
        assert!(ok(&[(ACAO, O)], false, "POST"));
        assert!(ok(&[(ACAO, O), (ACAM, "DELETE")], false, "GET"));
        let f = check_preflight_response(
            &r(204, &[(ACAO, O)]),
            O,
            false,
            "patch",
            &[],
            Engine::Chrome,
        )
        .unwrap_err();
        assert_eq!(f.fail.hint, b"patch");
    }

    #[test]
    fn headers() {
        let res = |h: &[(&'static str, &str)], inc: bool, n: &[&str]| {
            check_preflight_response(&r(204, h), O, inc, "GET", &names(n), Engine::Chrome)
        };
        assert!(res(&[(ACAO, O), (ACAH, "X-Foo")], false, &["x-foo"]).is_ok());
        let f = res(
            &[(ACAO, O), (ACAH, "X-Bar")],
            false,
            &["x-bar", "x-foo", "x-zed"],
        )
        .unwrap_err();
        assert_eq!(
            f.fail,
            CheckFail::with(K::HeaderDisallowedByPreflightResponse, "x-foo")
        );
        assert_eq!(f.disallowed_headers, names(&["x-foo", "x-zed"]));
        // The first not allowed in the order given is named; the list stays sorted.
        let f = res(
            &[(ACAO, O), (ACAH, "X-Bar")],
            false,
            &["x-zed", "x-bar", "x-foo"],
        )
        .unwrap_err();
        assert_eq!(f.fail.hint, b"x-zed");
        assert_eq!(f.disallowed_headers, names(&["x-foo", "x-zed"]));
        assert!(res(&[(ACAO, O), (ACAH, "*")], false, &["x-foo"]).is_ok());
        let f = res(&[(ACAO, O), (ACAC, "true"), (ACAH, "*")], true, &["x-foo"]).unwrap_err();
        assert_eq!(f.fail.hint, b"x-foo");
        assert!(res(
            &[(ACAO, O), (ACAC, "true"), (ACAH, "*, x-foo")],
            true,
            &["x-foo"]
        )
        .is_ok());
        // Chrome 156: `*` covers Authorization (the standard says it must be listed).
        let out = res(&[(ACAO, O), (ACAH, "*")], false, &["authorization"]).unwrap();
        assert!(out.authorization_covered_by_wildcard);
        let out = res(
            &[(ACAO, O), (ACAH, "*, authorization")],
            false,
            &["authorization", "x-foo"],
        )
        .unwrap();
        assert!(!out.authorization_covered_by_wildcard);
    }

    #[test]
    fn max_age() {
        let c = |v: Option<&str>| cache_lifetime_secs(v.map(str::as_bytes), Engine::Chrome);
        let f = |v: Option<&str>| cache_lifetime_secs(v.map(str::as_bytes), Engine::Firefox);
        assert_eq!(c(None), 5);
        assert_eq!(c(Some("600")), 600);
        assert_eq!(c(Some("7199")), 7199);
        assert_eq!(c(Some("7200")), 7200);
        assert_eq!(c(Some("86400")), 7200);
        assert_eq!(c(Some("-1")), 0);
        assert_eq!(c(Some("0")), 0);
        assert_eq!(c(Some("abc")), 5);
        assert_eq!(c(Some("10, 20")), 5);
        assert_eq!(c(Some("99999999999999999999")), 5);
        assert_eq!(f(None), 5);
        assert_eq!(f(Some("600")), 600);
        assert_eq!(f(Some("86400")), 86400);
        assert_eq!(f(Some("999999999999999999999")), 86400);
        assert_eq!(f(Some("abc")), 0);
        assert_eq!(f(Some("-1")), 0);
        let out = check_preflight_response(
            &r(
                204,
                &[
                    (ACAO, O),
                    (ACAM, "PUT"),
                    ("access-control-max-age", "86400"),
                ],
            ),
            O,
            false,
            "PUT",
            &[],
            Engine::Chrome,
        )
        .unwrap();
        assert_eq!(out.cache_lifetime_secs, 7200);
        assert_eq!(out.allowed_methods, names(&["PUT"]));
    }
}
