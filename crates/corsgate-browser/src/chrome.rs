//! Chrome's words, byte for byte: its CORS console lines and the exceptions its calls throw.
//!
//! Every text Chrome shows a developer lives here; the rules that decide when each one applies
//! live elsewhere ([`crate::cors_check`], [`crate::preflight`], [`crate::normalize`], ...).
//!
//! # CORS console lines
//!
//! The wording and the assembly rules come from Blink's `GetErrorStringForConsoleMessage`
//! (`third_party/blink/renderer/platform/loader/cors/cors_error_string.cc`) and every string
//! below was compared with what Chromium 156 printed for a real cross-origin request:
//!
//! - `Access to fetch at '<last URL>' ` — `XMLHttpRequest` for XHR; after redirects the last
//!   URL, then `(redirected from '<first URL>') `;
//! - `from origin '<page origin>' has been blocked by CORS policy: ` — the page's origin, even
//!   when a cross-origin redirect made the request's own origin `null`;
//! - `Response to preflight request doesn't pass access control check: ` for the preflight
//!   variants of the origin/credentials/status/redirect failures;
//! - the failure sentence, with the failed value ("hint") printed as each byte's Latin-1
//!   character when printable ASCII and as `\uXXXX` otherwise;
//! - ` Have the server send the header with a valid value.` after the multiple/invalid/mismatch
//!   `Access-Control-Allow-Origin` sentences for `fetch()` only, and ` The credentials mode of
//!   requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.`
//!   after the wildcard and credentials sentences for XHR only.
//!
//! Chrome 156 no longer appends "If an opaque response serves your needs, set the request's
//! mode to 'no-cors' to fetch the resource with CORS disabled." (the text is absent from the
//! Chromium 156 binary and from current `cors_error_string.cc`); older Chrome versions printed it
//! after the missing-header sentence for `fetch()`.
//!
//! # Exceptions
//!
//! What `fetch()`, `XMLHttpRequest.open()` and `setRequestHeader()` throw for a call the
//! browser refuses ([`exception`]): the class and Chrome 156's message, verified where
//! [`ChromeException::verified`] says so; a few cases no browser test reached are worded in the
//! same style. A non-HTTP(S) URL rejects with `TypeError: Failed to fetch` and a console line
//! ([`unsupported_scheme_console`]); XHR's refused forbidden header logs
//! [`refused_unsafe_header`].

use crate::cors_error::CorsErrorKind;
use crate::normalize::Exception;
use crate::request::Initiator;
use crate::url::Url;

/// Schemes Chrome 156 (Linux) lists in its "only supported for protocol schemes" message.
pub const CHROME_CORS_ENABLED_SCHEMES: &str =
    "chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app";

/// Is `scheme` in Chrome's CORS-enabled scheme list?
pub fn is_chrome_cors_enabled_scheme(scheme: &str) -> bool {
    CHROME_CORS_ENABLED_SCHEMES.split(", ").any(|s| s == scheme)
}

/// Where and by whom the request was made: what Chrome prints around the failure sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MessageContext<'a> {
    /// `fetch()` or `XMLHttpRequest`.
    pub initiator: Initiator,
    /// The URL the page asked for (canonical form).
    pub initial_url: &'a str,
    /// The URL of the response that failed (equal to `initial_url` without redirects).
    pub last_url: &'a str,
    /// The page's origin, serialised.
    pub origin: &'a str,
}

/// Renders a failed value as Chrome does: printable ASCII as is, anything else `\uXXXX`.
pub fn encode_hint(hint: &[u8]) -> String {
    let mut out = String::with_capacity(hint.len());
    for &b in hint {
        if (0x20..=0x7E).contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\u{:04X}", u32::from(b)));
        }
    }
    out
}

const NO_CORS_INFORMATION: &str = " Have the server send the header with a valid value.";
const XHR_CREDENTIALS: &str =
    " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.";

/// The sentence after "has been blocked by CORS policy: " (preflight prefix included).
pub fn chrome_reason(kind: CorsErrorKind, hint: &[u8], initiator: Initiator) -> Option<String> {
    let h = encode_hint(hint);
    let fetch = initiator == Initiator::Fetch;
    let xhr = initiator == Initiator::XmlHttpRequest;
    let mut s = String::new();
    if kind.is_preflight_error() {
        s.push_str("Response to preflight request doesn't pass access control check: ");
    }
    use CorsErrorKind as K;
    match kind {
        K::DisallowedByMode | K::TooManyRedirects | K::UnsafeRedirect => return None,
        K::WildcardOriginNotAllowed | K::PreflightWildcardOriginNotAllowed => {
            s.push_str("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.");
            if xhr {
                s.push_str(XHR_CREDENTIALS);
            }
        }
        K::MissingAllowOriginHeader | K::PreflightMissingAllowOriginHeader => {
            s.push_str(
                "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
            );
        }
        K::MultipleAllowOriginValues | K::PreflightMultipleAllowOriginValues => {
            s.push_str(&format!("The 'Access-Control-Allow-Origin' header contains multiple values '{h}', but only one is allowed."));
            if fetch {
                s.push_str(NO_CORS_INFORMATION);
            }
        }
        K::InvalidAllowOriginValue | K::PreflightInvalidAllowOriginValue => {
            s.push_str(&format!(
                "The 'Access-Control-Allow-Origin' header contains the invalid value '{h}'."
            ));
            if fetch {
                s.push_str(NO_CORS_INFORMATION);
            }
        }
        K::AllowOriginMismatch | K::PreflightAllowOriginMismatch => {
            s.push_str(&format!("The 'Access-Control-Allow-Origin' header has a value '{h}' that is not equal to the supplied origin."));
            if fetch {
                s.push_str(NO_CORS_INFORMATION);
            }
        }
        K::InvalidAllowCredentials | K::PreflightInvalidAllowCredentials => {
            s.push_str(&format!("The value of the 'Access-Control-Allow-Credentials' header in the response is '{h}' which must be 'true' when the request's credentials mode is 'include'."));
            if xhr {
                s.push_str(XHR_CREDENTIALS);
            }
        }
        K::CorsDisabledScheme => {
            s.push_str(&format!("Cross origin requests are only supported for protocol schemes: {CHROME_CORS_ENABLED_SCHEMES}."));
        }
        K::PreflightInvalidStatus => s.push_str("It does not have HTTP ok status."),
        K::PreflightDisallowedRedirect => {
            s.push_str("Redirect is not allowed for a preflight request.")
        }
        K::InvalidAllowMethodsPreflightResponse => {
            s.push_str("Cannot parse Access-Control-Allow-Methods response header field in preflight response.");
        }
        K::InvalidAllowHeadersPreflightResponse => {
            s.push_str("Cannot parse Access-Control-Allow-Headers response header field in preflight response.");
        }
        K::MethodDisallowedByPreflightResponse => {
            s.push_str(&format!(
                "Method {h} is not allowed by Access-Control-Allow-Methods in preflight response."
            ));
        }
        K::HeaderDisallowedByPreflightResponse => {
            s.push_str(&format!("Request header field {h} is not allowed by Access-Control-Allow-Headers in preflight response."));
        }
        K::RedirectContainsCredentials => {
            s.push_str(&format!("Redirect location '{h}' contains a username and password, which is disallowed for cross-origin requests."));
        }
    }
    Some(s)
}

/// Chrome's full console message for a blocked request, or `None` when Chrome prints no CORS
/// message for the kind (the two network errors).
///
/// `hint` is Chromium's "failed parameter": the `Access-Control-Allow-Origin` or
/// `-Credentials` value, the method, the lower-case header name. Chrome passes an empty hint
/// for [`CorsErrorKind::RedirectContainsCredentials`] (verified: it prints `Redirect location
/// ''`).
pub fn chrome_message(
    kind: CorsErrorKind,
    hint: &[u8],
    ctx: &MessageContext<'_>,
) -> Option<String> {
    if kind == CorsErrorKind::DisallowedByMode {
        // Blink's fetch manager words this one itself (verified in Chromium 156).
        return Some(format!(
            "Fetch API cannot load {}. Request mode is \"same-origin\" but the URL's origin is not same as the request origin {}.",
            ctx.last_url, ctx.origin
        ));
    }
    let reason = chrome_reason(kind, hint, ctx.initiator)?;
    let what = match ctx.initiator {
        Initiator::Fetch => "fetch",
        Initiator::XmlHttpRequest => "XMLHttpRequest",
    };
    let mut s = format!("Access to {what} at '{}' ", ctx.last_url);
    if ctx.initial_url != ctx.last_url {
        s.push_str(&format!("(redirected from '{}') ", ctx.initial_url));
    }
    s.push_str(&format!(
        "from origin '{}' has been blocked by CORS policy: {reason}",
        ctx.origin
    ));
    Some(s)
}

/// The message of the `TypeError` a failed fetch rejects with.
pub(crate) const FAILED_TO_FETCH: &str = "Failed to fetch";

/// Chrome's `fetch()` exception prefix.
const FETCH_PREFIX: &str = "Failed to execute 'fetch' on 'Window': ";
/// Chrome's `XMLHttpRequest.open()` exception prefix.
const XHR_OPEN_PREFIX: &str = "Failed to execute 'open' on 'XMLHttpRequest': ";
/// Chrome's `XMLHttpRequest.setRequestHeader()` exception prefix.
const XHR_SET_HEADER_PREFIX: &str = "Failed to execute 'setRequestHeader' on 'XMLHttpRequest': ";

/// An exception as an engine throws it (Chrome's here, Firefox's in [`crate::firefox`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChromeException {
    /// The class JavaScript sees (`TypeError`, `SyntaxError`, `SecurityError`).
    pub class: &'static str,
    /// The message.
    pub message: String,
    /// Was the message checked byte for byte against the engine (Chromium 156, Firefox ESR
    /// 153)?
    pub verified: bool,
}

/// What the `initiator`'s call throws for `exception`.
pub(crate) fn exception(exception: &Exception<'_>, initiator: Initiator) -> ChromeException {
    let xhr = initiator == Initiator::XmlHttpRequest;
    let (class, message, verified) = match *exception {
        // Not a browser text: a page always has an origin; this is the model's input check.
        Exception::InvalidOrigin { origin, error } => (
            "TypeError",
            format!("The page origin '{origin}' is not an origin: {error}."),
            false,
        ),
        Exception::InvalidUrl { .. } if xhr => {
            ("TypeError", format!("{XHR_OPEN_PREFIX}Invalid URL"), false)
        }
        Exception::InvalidUrl { url } => (
            "TypeError",
            format!("{FETCH_PREFIX}Failed to parse URL from {url}"),
            false,
        ),
        Exception::UrlWithCredentials { url } => (
            "TypeError",
            format!("{FETCH_PREFIX}Request cannot be constructed from a URL that includes credentials: {url}"),
            true,
        ),
        Exception::UnsupportedScheme { .. } => ("TypeError", FAILED_TO_FETCH.to_owned(), true),
        Exception::InvalidMethod { method } if xhr => (
            "SyntaxError",
            format!("{XHR_OPEN_PREFIX}'{method}' is not a valid HTTP method."),
            true,
        ),
        Exception::InvalidMethod { method } => (
            "TypeError",
            format!("{FETCH_PREFIX}'{method}' is not a valid HTTP method."),
            true,
        ),
        Exception::ForbiddenMethod { method } if xhr => (
            "SecurityError",
            format!("{XHR_OPEN_PREFIX}'{method}' HTTP method is unsupported."),
            true,
        ),
        Exception::ForbiddenMethod { method } => (
            "TypeError",
            format!("{FETCH_PREFIX}'{method}' HTTP method is unsupported."),
            true,
        ),
        Exception::InvalidHeaderName { name } if xhr => (
            "SyntaxError",
            format!("{XHR_SET_HEADER_PREFIX}'{name}' is not a valid HTTP header field name."),
            true,
        ),
        Exception::InvalidHeaderName { .. } => {
            ("TypeError", format!("{FETCH_PREFIX}Invalid name"), true)
        }
        Exception::InvalidHeaderValue { value } if xhr => (
            "SyntaxError",
            format!("{XHR_SET_HEADER_PREFIX}'{value}' is not a valid HTTP header field value."),
            false,
        ),
        Exception::InvalidHeaderValue { .. } => {
            ("TypeError", format!("{FETCH_PREFIX}Invalid value"), true)
        }
        Exception::NonLatin1HeaderValue { .. } if xhr => (
            "TypeError",
            format!("{XHR_SET_HEADER_PREFIX}String contains non ISO-8859-1 code point."),
            true,
        ),
        Exception::NonLatin1HeaderValue { .. } => (
            "TypeError",
            format!("{FETCH_PREFIX}Failed to read the 'headers' property from 'RequestInit': String contains non ISO-8859-1 code point."),
            true,
        ),
        Exception::BodyWithGetOrHead { .. } => (
            "TypeError",
            format!("{FETCH_PREFIX}Request with GET/HEAD method cannot have body."),
            true,
        ),
        Exception::MethodNotAllowedInNoCors { method } => (
            "TypeError",
            format!("{FETCH_PREFIX}'{method}' is unsupported in no-cors mode."),
            true,
        ),
        Exception::StreamNotAllowedInNoCors => (
            "TypeError",
            format!("{FETCH_PREFIX}Failed to construct 'Request': Streaming upload is not supported in no-cors mode."),
            false,
        ),
    };
    ChromeException {
        class,
        message,
        verified,
    }
}

/// The console line for a request to a URL whose scheme is not `http:`/`https:`.
pub(crate) fn unsupported_scheme_console(url: &Url) -> String {
    format!(
        "Fetch API cannot load {url}. URL scheme \"{}\" is not supported.",
        url.scheme()
    )
}

/// The console error `XMLHttpRequest.setRequestHeader()` logs for a forbidden header.
pub(crate) fn refused_unsafe_header(name: &str) -> String {
    format!("Refused to set unsafe header \"{name}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use CorsErrorKind as K;

    const PAGE: &str = "http://127.0.0.1:5500";

    fn msg(kind: K, hint: &str, initiator: Initiator, url: &str) -> String {
        let ctx = MessageContext {
            initiator,
            initial_url: url,
            last_url: url,
            origin: PAGE,
        };
        chrome_message(kind, hint.as_bytes(), &ctx).unwrap()
    }

    fn f(kind: K, hint: &str, id: &str) -> String {
        msg(
            kind,
            hint,
            Initiator::Fetch,
            &format!("http://localhost:3000/{id}"),
        )
    }

    fn x(kind: K, hint: &str, id: &str) -> String {
        msg(
            kind,
            hint,
            Initiator::XmlHttpRequest,
            &format!("http://localhost:3000/{id}"),
        )
    }

    // Every expected string below is a line Chromium 156 printed to its console for the
    // request named in the URL (see the module documentation for how they were collected).

    #[test]
    fn actual_response_messages() {
        assert_eq!(f(K::MissingAllowOriginHeader, "", "data"), "Access to fetch at 'http://localhost:3000/data' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
        assert_eq!(x(K::MissingAllowOriginHeader, "", "c1x"), "Access to XMLHttpRequest at 'http://localhost:3000/c1x' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
        assert_eq!(f(K::WildcardOriginNotAllowed, "", "c2"), "Access to fetch at 'http://localhost:3000/c2' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.");
        assert_eq!(x(K::WildcardOriginNotAllowed, "", "c2x"), "Access to XMLHttpRequest at 'http://localhost:3000/c2x' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.");
        assert_eq!(f(K::MultipleAllowOriginValues, "http://127.0.0.1:5500, http://x.example", "c3"), "Access to fetch at 'http://localhost:3000/c3' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:5500, http://x.example', but only one is allowed. Have the server send the header with a valid value.");
        assert_eq!(f(K::AllowOriginMismatch, "http://other.example", "c5"), "Access to fetch at 'http://localhost:3000/c5' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value.");
        assert_eq!(f(K::InvalidAllowOriginValue, "notaurl", "c7"), "Access to fetch at 'http://localhost:3000/c7' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'notaurl'. Have the server send the header with a valid value.");
        assert_eq!(f(K::InvalidAllowCredentials, "", "c10"), "Access to fetch at 'http://localhost:3000/c10' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.");
        assert_eq!(x(K::InvalidAllowCredentials, "True", "c11x"), "Access to XMLHttpRequest at 'http://localhost:3000/c11x' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.");
    }

    #[test]
    fn xhr_gets_no_header_hint_for_origin_values() {
        assert_eq!(x(K::AllowOriginMismatch, "http://a", "z"), "Access to XMLHttpRequest at 'http://localhost:3000/z' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://a' that is not equal to the supplied origin.");
    }

    #[test]
    fn preflight_messages() {
        assert_eq!(f(K::PreflightMissingAllowOriginHeader, "", "p1"), "Access to fetch at 'http://localhost:3000/p1' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
        assert_eq!(f(K::PreflightInvalidStatus, "", "p2"), "Access to fetch at 'http://localhost:3000/p2' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: It does not have HTTP ok status.");
        assert_eq!(f(K::PreflightDisallowedRedirect, "", "p3"), "Access to fetch at 'http://localhost:3000/p3' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: Redirect is not allowed for a preflight request.");
        assert_eq!(f(K::MethodDisallowedByPreflightResponse, "PUT", "data"), "Access to fetch at 'http://localhost:3000/data' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.");
        assert_eq!(f(K::MethodDisallowedByPreflightResponse, "patch", "p6"), "Access to fetch at 'http://localhost:3000/p6' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Method patch is not allowed by Access-Control-Allow-Methods in preflight response.");
        assert_eq!(f(K::InvalidAllowMethodsPreflightResponse, "", "p8"), "Access to fetch at 'http://localhost:3000/p8' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Methods response header field in preflight response.");
        assert_eq!(f(K::InvalidAllowHeadersPreflightResponse, "", "p12"), "Access to fetch at 'http://localhost:3000/p12' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Cannot parse Access-Control-Allow-Headers response header field in preflight response.");
        assert_eq!(f(K::HeaderDisallowedByPreflightResponse, "x-foo", "p9"), "Access to fetch at 'http://localhost:3000/p9' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.");
        assert_eq!(f(K::PreflightWildcardOriginNotAllowed, "", "q10"), "Access to fetch at 'http://localhost:3000/q10' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.");
        assert_eq!(x(K::PreflightWildcardOriginNotAllowed, "", "q10x"), "Access to XMLHttpRequest at 'http://localhost:3000/q10x' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.");
        assert_eq!(f(K::PreflightMultipleAllowOriginValues, "http://127.0.0.1:5500, http://127.0.0.1:5500", "q11"), "Access to fetch at 'http://localhost:3000/q11' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header contains multiple values 'http://127.0.0.1:5500, http://127.0.0.1:5500', but only one is allowed. Have the server send the header with a valid value.");
        assert_eq!(f(K::PreflightInvalidAllowOriginValue, "nope", "q12"), "Access to fetch at 'http://localhost:3000/q12' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header contains the invalid value 'nope'. Have the server send the header with a valid value.");
        assert_eq!(f(K::PreflightAllowOriginMismatch, "http://x.example", "q13"), "Access to fetch at 'http://localhost:3000/q13' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value 'http://x.example' that is not equal to the supplied origin. Have the server send the header with a valid value.");
        assert_eq!(f(K::PreflightInvalidAllowCredentials, "", "q14"), "Access to fetch at 'http://localhost:3000/q14' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.");
        assert_eq!(x(K::PreflightInvalidAllowCredentials, "", "q14x"), "Access to XMLHttpRequest at 'http://localhost:3000/q14x' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'. The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.");
    }

    #[test]
    fn redirect_messages() {
        let ctx = MessageContext {
            initiator: Initiator::Fetch,
            initial_url: "http://localhost:3000/r1",
            last_url: "http://127.0.0.1:3000/r1b",
            origin: PAGE,
        };
        assert_eq!(chrome_message(K::AllowOriginMismatch, b"http://127.0.0.1:5500", &ctx).unwrap(), "Access to fetch at 'http://127.0.0.1:3000/r1b' (redirected from 'http://localhost:3000/r1') from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value 'http://127.0.0.1:5500' that is not equal to the supplied origin. Have the server send the header with a valid value.");
        assert_eq!(f(K::RedirectContainsCredentials, "", "r4"), "Access to fetch at 'http://localhost:3000/r4' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Redirect location '' contains a username and password, which is disallowed for cross-origin requests.");
        let ctx = MessageContext {
            initiator: Initiator::Fetch,
            initial_url: "http://localhost:3000/r5",
            last_url: "ftp://localhost/x",
            origin: PAGE,
        };
        assert_eq!(chrome_message(K::CorsDisabledScheme, b"", &ctx).unwrap(), "Access to fetch at 'ftp://localhost/x' (redirected from 'http://localhost:3000/r5') from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.");
        assert!(is_chrome_cors_enabled_scheme("data"));
        assert!(!is_chrome_cors_enabled_scheme("ftp"));
    }

    #[test]
    fn mode_message_and_network_errors() {
        assert_eq!(f(K::DisallowedByMode, "", "y22"), "Fetch API cannot load http://localhost:3000/y22. Request mode is \"same-origin\" but the URL's origin is not same as the request origin http://127.0.0.1:5500.");
        let ctx = MessageContext {
            initiator: Initiator::Fetch,
            initial_url: "a",
            last_url: "a",
            origin: PAGE,
        };
        assert_eq!(chrome_message(K::TooManyRedirects, b"", &ctx), None);
        assert_eq!(chrome_message(K::UnsafeRedirect, b"", &ctx), None);
    }

    #[test]
    fn url_is_printed_canonically() {
        // fetch("HTTP://LOCALHOST:3000/z4?q=a b#frag") in Chromium 156.
        let url = Url::parse("HTTP://LOCALHOST:3000/z4?q=a b#frag").unwrap();
        let ctx = MessageContext {
            initiator: Initiator::Fetch,
            initial_url: url.as_str(),
            last_url: url.as_str(),
            origin: PAGE,
        };
        assert_eq!(chrome_message(K::MissingAllowOriginHeader, b"", &ctx).unwrap(), "Access to fetch at 'http://localhost:3000/z4?q=a%20b#frag' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.");
    }

    #[test]
    fn hints_are_encoded_like_chrome() {
        assert_eq!(
            encode_hint(b"http://\xe9.example"),
            "http://\\u00E9.example"
        );
        assert_eq!(encode_hint(b"a\tb\x7f"), "a\\u0009b\\u007F");
        let ctx = MessageContext {
            initiator: Initiator::Fetch,
            initial_url: "http://localhost:3000/c15",
            last_url: "http://localhost:3000/c15",
            origin: PAGE,
        };
        assert_eq!(chrome_message(K::InvalidAllowOriginValue, b"http://\xe9.example", &ctx).unwrap(), "Access to fetch at 'http://localhost:3000/c15' from origin 'http://127.0.0.1:5500' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header contains the invalid value 'http://\\u00E9.example'. Have the server send the header with a valid value.");
    }

    #[test]
    fn every_cors_kind_has_a_message() {
        let ctx = MessageContext {
            initiator: Initiator::Fetch,
            initial_url: "u",
            last_url: "u",
            origin: PAGE,
        };
        for k in CorsErrorKind::ALL {
            assert_eq!(
                chrome_message(k, b"x", &ctx).is_some(),
                !matches!(k, K::TooManyRedirects | K::UnsafeRedirect),
                "{k:?}"
            );
        }
    }
}
