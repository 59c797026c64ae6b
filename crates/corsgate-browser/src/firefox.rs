//! What Firefox says: its CORS reason codes, its English console texts, and its check order.
//!
//! The texts are those of Firefox ESR 153's `security.properties` (read from the installed
//! browser's `omni.ja`); the codes are the `CORS…` names MDN documents each reason under
//! (`https://developer.mozilla.org/docs/Web/HTTP/CORS/Errors/<code>`). The checks follow
//! `netwerk/protocol/http/nsCORSListenerProxy.cpp`, which orders things differently from
//! Chrome in two places a user can notice:
//!
//! - `Access-Control-Allow-Origin` sent on several lines is combined (`a, b`) and reported as
//!   "does not match ‘a, b’", like a single `a, b` line and a value that is not a URL
//!   (verified on Firefox ESR 153's console: it never printed the "Multiple CORS header"
//!   text for two lines);
//! - on a preflight, `Access-Control-Allow-Methods` is parsed *and* checked before
//!   `Access-Control-Allow-Headers` is parsed (Chrome parses both first), and a missing header
//!   is reported in sorted order.
//!
//! Firefox ESR 153 still lets `Access-Control-Allow-Headers: *` cover `Authorization` (pref
//! `network.cors_preflight.authorization_covered_by_wildcard`, on by default), with a
//! deprecation warning, as Chrome 156 does silently.
//!
//! The exceptions a page's call throws before sending anything ([`exception`]) are Gecko's
//! DOM binding messages (`dom/bindings/Errors.msg`, thrown from `dom/fetch/Request.cpp` and
//! `InternalHeaders.cpp`, prefixed with the calling API, `Window.fetch: `), checked against
//! Firefox ESR 153 where marked verified.

use crate::chrome::{self, ChromeException};
use crate::normalize::Exception;
use crate::request::Initiator;
use crate::response::ResponseInfo;
use crate::token::{is_http_whitespace, is_token, latin1, trim_ows};

/// A Firefox CORS reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FirefoxReason {
    /// CORS is disabled by a pref.
    CorsDisabled,
    /// The request failed at the network level.
    CorsDidNotSucceed,
    /// The request came from a context that cannot send `Origin`.
    CorsOriginHeaderNotAdded,
    /// The preflight was redirected.
    CorsExternalRedirectNotAllowed,
    /// A CORS request to a non-HTTP(S) URL.
    CorsRequestNotHttp,
    /// No `Access-Control-Allow-Origin`.
    CorsMissingAllowOrigin,
    /// More than one `Access-Control-Allow-Origin` line.
    CorsMultipleAllowOriginNotAllowed,
    /// `Access-Control-Allow-Origin` is not the request's origin.
    CorsAllowOriginNotMatchingOrigin,
    /// `Access-Control-Allow-Origin: *` with credentials.
    CorsNotSupportingCredentials,
    /// The method is not in `Access-Control-Allow-Methods`.
    CorsMethodNotFound,
    /// `Access-Control-Allow-Credentials` is not `true`.
    CorsMissingAllowCredentials,
    /// The preflight's status is not 2xx.
    CorsPreflightDidNotSucceed,
    /// A token of `Access-Control-Allow-Methods` is not a token.
    CorsInvalidAllowMethod,
    /// A token of `Access-Control-Allow-Headers` is not a token.
    CorsInvalidAllowHeader,
    /// A request header is not in `Access-Control-Allow-Headers`.
    CorsMissingAllowHeaderFromPreflight,
    /// Warning only: `Authorization` is covered by `*` today, but will not be.
    CorsAllowHeaderFromPreflightDeprecation,
}

impl FirefoxReason {
    /// The reason code as MDN names it (`CORSMissingAllowOrigin`).
    pub const fn code(self) -> &'static str {
        match self {
            FirefoxReason::CorsDisabled => "CORSDisabled",
            FirefoxReason::CorsDidNotSucceed => "CORSDidNotSucceed",
            FirefoxReason::CorsOriginHeaderNotAdded => "CORSOriginHeaderNotAdded",
            FirefoxReason::CorsExternalRedirectNotAllowed => "CORSExternalRedirectNotAllowed",
            FirefoxReason::CorsRequestNotHttp => "CORSRequestNotHttp",
            FirefoxReason::CorsMissingAllowOrigin => "CORSMissingAllowOrigin",
            FirefoxReason::CorsMultipleAllowOriginNotAllowed => "CORSMultipleAllowOriginNotAllowed",
            FirefoxReason::CorsAllowOriginNotMatchingOrigin => "CORSAllowOriginNotMatchingOrigin",
            FirefoxReason::CorsNotSupportingCredentials => "CORSNotSupportingCredentials",
            FirefoxReason::CorsMethodNotFound => "CORSMethodNotFound",
            FirefoxReason::CorsMissingAllowCredentials => "CORSMissingAllowCredentials",
            FirefoxReason::CorsPreflightDidNotSucceed => "CORSPreflightDidNotSucceed",
            FirefoxReason::CorsInvalidAllowMethod => "CORSInvalidAllowMethod",
            FirefoxReason::CorsInvalidAllowHeader => "CORSInvalidAllowHeader",
            FirefoxReason::CorsMissingAllowHeaderFromPreflight => {
                "CORSMissingAllowHeaderFromPreflight"
            }
            FirefoxReason::CorsAllowHeaderFromPreflightDeprecation => {
                "CORSAllowHeaderFromPreflightDeprecation"
            }
        }
    }

    /// The English text, with `%1$S` (URL) and `%2$S` (parameter) placeholders.
    const fn template(self) -> &'static str {
        match self {
            FirefoxReason::CorsDisabled => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS disabled).",
            FirefoxReason::CorsDidNotSucceed => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request did not succeed). Status code: %2$S.",
            FirefoxReason::CorsOriginHeaderNotAdded => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header \u{2018}Origin\u{2019} cannot be added).",
            FirefoxReason::CorsExternalRedirectNotAllowed => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request external redirect not allowed).",
            FirefoxReason::CorsRequestNotHttp => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS request not http).",
            FirefoxReason::CorsMissingAllowOrigin => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: %2$S.",
            FirefoxReason::CorsMultipleAllowOriginNotAllowed => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: Multiple CORS header \u{2018}Access-Control-Allow-Origin\u{2019} not allowed).",
            FirefoxReason::CorsAllowOriginNotMatchingOrigin => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} does not match \u{2018}%2$S\u{2019}).",
            FirefoxReason::CorsNotSupportingCredentials => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \u{2018}%1$S\u{2019}. (Reason: Credential is not supported if the CORS header \u{2018}Access-Control-Allow-Origin\u{2019} is \u{2018}*\u{2019}).",
            FirefoxReason::CorsMethodNotFound => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: Did not find method in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}).",
            FirefoxReason::CorsMissingAllowCredentials => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: expected \u{2018}true\u{2019} in CORS header \u{2018}Access-Control-Allow-Credentials\u{2019}).",
            FirefoxReason::CorsPreflightDidNotSucceed => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: CORS preflight response did not succeed). Status code: %2$S.",
            FirefoxReason::CorsInvalidAllowMethod => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: invalid token \u{2018}%2$S\u{2019} in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}).",
            FirefoxReason::CorsInvalidAllowHeader => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: invalid token \u{2018}%2$S\u{2019} in CORS header \u{2018}Access-Control-Allow-Headers\u{2019}).",
            FirefoxReason::CorsMissingAllowHeaderFromPreflight => "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at %1$S. (Reason: header \u{2018}%2$S\u{2019} is not allowed according to header \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response).",
            FirefoxReason::CorsAllowHeaderFromPreflightDeprecation => "Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at %1$S soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).",
        }
    }
}

/// One Firefox console entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirefoxReport {
    /// The reason.
    pub reason: FirefoxReason,
    /// The parameter Firefox substitutes (`%2$S`): status code, header value, token or name.
    pub param: String,
    /// The English text as Firefox prints it.
    pub message: String,
    /// The lines Firefox prints right after [`FirefoxReport::message`] for the same request
    /// (verified on Firefox ESR 153's console over WebDriver BiDi): after a failed preflight
    /// or a redirect response that fails the CORS check, "CORS request did not succeed).
    /// Status code: (null)."; after a redirected preflight, "CORS preflight response did not
    /// succeed" with the redirect's status first.
    pub followups: Vec<String>,
}

impl FirefoxReport {
    /// Builds the report for `reason` at `url` with `param`.
    pub fn new(reason: FirefoxReason, url: &str, param: impl Into<String>) -> Self {
        let param = param.into();
        let message = reason
            .template()
            .replace("%1$S", url)
            .replace("%2$S", &param);
        FirefoxReport {
            reason,
            param,
            message,
            followups: Vec::new(),
        }
    }
}

/// A Firefox failure before it is tied to a URL: reason and parameter.
pub type FirefoxFail = (FirefoxReason, String);

/// Firefox's `CheckRequestApproved` on a response (actual, redirect hop, or preflight).
///
/// `origin` is the serialised origin Firefox sent (`null` after a tainting redirect).
pub fn cors_check(resp: &ResponseInfo, origin: &str, include: bool) -> Result<(), FirefoxFail> {
    let Some(acao) = resp.combined("access-control-allow-origin") else {
        return Err((
            FirefoxReason::CorsMissingAllowOrigin,
            resp.status.as_u16().to_string(),
        ));
    };
    if include && acao == b"*" {
        return Err((FirefoxReason::CorsNotSupportingCredentials, String::new()));
    }
    if (include || acao != b"*") && acao != origin.as_bytes() {
        return Err((
            FirefoxReason::CorsAllowOriginNotMatchingOrigin,
            latin1(&acao),
        ));
    }
    if include && resp.combined("access-control-allow-credentials").as_deref() != Some(b"true") {
        return Err((FirefoxReason::CorsMissingAllowCredentials, String::new()));
    }
    Ok(())
}

/// Splits on commas, trims, skips empty elements (Gecko's `nsCCharSeparatedTokenizer`).
fn tokens(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_ows)
        .filter(|t| !t.is_empty())
}

/// Firefox's `CheckPreflightRequestApproved`, after [`cors_check`] passed on the preflight.
///
/// `unsafe_names` are the lower-case, sorted names sent in `Access-Control-Request-Headers`.
/// Returns the warnings Firefox logs when it passes (the `Authorization` deprecation).
pub fn preflight_check(
    resp: &ResponseInfo,
    include: bool,
    method: &str,
    unsafe_names: &[String],
) -> Result<Vec<FirefoxReason>, FirefoxFail> {
    if !resp.is_ok() {
        return Err((
            FirefoxReason::CorsPreflightDidNotSucceed,
            resp.status.as_u16().to_string(),
        ));
    }
    let acam = resp
        .combined("access-control-allow-methods")
        .unwrap_or_default();
    let mut found = matches!(method, "GET" | "HEAD" | "POST");
    for t in tokens(&acam) {
        if !is_token(t) {
            return Err((FirefoxReason::CorsInvalidAllowMethod, latin1(t)));
        }
        if t == b"*" && !include {
            found = true;
        } else {
            found |= t == method.as_bytes();
        }
    }
    if !found {
        return Err((FirefoxReason::CorsMethodNotFound, String::new()));
    }
    let acah = resp
        .combined("access-control-allow-headers")
        .unwrap_or_default();
    let mut wildcard = false;
    let mut listed: Vec<String> = Vec::new();
    for t in tokens(&acah) {
        if !is_token(t) {
            return Err((FirefoxReason::CorsInvalidAllowHeader, latin1(t)));
        }
        if t == b"*" && !include {
            wildcard = true;
        } else {
            listed.push(latin1(t).to_ascii_lowercase());
        }
    }
    let mut warnings = Vec::new();
    for name in unsafe_names {
        let lower = name.to_ascii_lowercase();
        if wildcard {
            if lower != "authorization" {
                continue;
            }
            if !listed.contains(&lower) {
                warnings.push(FirefoxReason::CorsAllowHeaderFromPreflightDeprecation);
                continue;
            }
        }
        if !listed.contains(&lower) {
            return Err((
                FirefoxReason::CorsMissingAllowHeaderFromPreflight,
                name.clone(),
            ));
        }
    }
    Ok(warnings)
}

/// The prefix Gecko puts before a `fetch()` exception's message.
const FETCH_PREFIX: &str = "Window.fetch: ";

/// The message a network error rejects `fetch()` with (`MSG_FETCH_FAILED`).
pub(crate) const NETWORK_ERROR: &str = "NetworkError when attempting to fetch resource.";

/// The first UTF-16 code unit of `s` above 255, and its index: what Gecko's ByteString
/// conversion quotes.
fn first_wide_unit(s: &str) -> (usize, u16) {
    s.encode_utf16()
        .enumerate()
        .find(|(_, u)| *u > 255)
        .unwrap_or((0, 0))
}

/// What the `initiator`'s call throws in Firefox for `exception` (the class and message, as
/// [`chrome::exception`] gives Chrome's).
pub(crate) fn exception(exception: &Exception<'_>, initiator: Initiator) -> ChromeException {
    let xhr = initiator == Initiator::XmlHttpRequest;
    let f = |message: String| format!("{FETCH_PREFIX}{message}");
    let byte_string = |what: &str, s: &str| {
        let (index, value) = first_wide_unit(s);
        format!(
            "{what} to ByteString because the character at index {index} has value {value} \
             which is greater than 255."
        )
    };
    const RECORD: &str = "record<ByteString, ByteString> branch of \
                          (sequence<sequence<ByteString>> or record<ByteString, ByteString>)";
    let (class, message, verified) = match *exception {
        // Not a browser text: the model's input check, worded as for Chrome.
        Exception::InvalidOrigin { .. } => return chrome::exception(exception, initiator),
        Exception::InvalidUrl { url } if xhr => (
            "SyntaxError",
            format!("XMLHttpRequest.open: '{url}' is not a valid URL."),
            true,
        ),
        Exception::InvalidUrl { url } => {
            ("TypeError", f(format!("{url} is not a valid URL.")), true)
        }
        Exception::UrlWithCredentials { url } => (
            "TypeError",
            f(format!("{url} is an url with embedded credentials.")),
            true,
        ),
        // Not thrown: the request fails as a network error, and fetch() rejects with it.
        Exception::UnsupportedScheme { .. } => ("TypeError", NETWORK_ERROR.to_owned(), !xhr),
        Exception::InvalidMethod { .. } if xhr => (
            "SyntaxError",
            "An invalid or illegal string was specified".to_owned(),
            true,
        ),
        Exception::ForbiddenMethod { .. } if xhr => (
            "SecurityError",
            "The operation is insecure.".to_owned(),
            true,
        ),
        Exception::InvalidMethod { method } | Exception::ForbiddenMethod { method } => (
            "TypeError",
            f(format!("Invalid request method {method}.")),
            true,
        ),
        Exception::InvalidHeaderName { name } if name.chars().any(|c| u32::from(c) > 255) => {
            if xhr {
                (
                    "TypeError",
                    byte_string(
                        "XMLHttpRequest.setRequestHeader: Cannot convert argument 1",
                        name,
                    ),
                    false,
                )
            } else {
                (
                    "TypeError",
                    f(byte_string(
                        &format!("Cannot convert key of {RECORD}"),
                        name,
                    )),
                    true,
                )
            }
        }
        // setRequestHeader() says "name" for a bad value too.
        Exception::InvalidHeaderName { .. } | Exception::InvalidHeaderValue { .. } if xhr => {
            ("SyntaxError", "Invalid header name.".to_owned(), true)
        }
        Exception::InvalidHeaderName { name } => (
            "TypeError",
            f(format!(
                "{} is an invalid header name.",
                name.to_ascii_lowercase()
            )),
            true,
        ),
        Exception::InvalidHeaderValue { value } => {
            // The value trimmed of HTTP whitespace, as Headers.append() checks it; the
            // message is a C string, so it ends at a NUL.
            let trimmed = value
                .trim_matches(|c: char| u8::try_from(u32::from(c)).is_ok_and(is_http_whitespace));
            let shown = trimmed.split('\0').next().unwrap_or_default();
            (
                "TypeError",
                f(format!("{shown} is an invalid header value.")),
                true,
            )
        }
        Exception::NonLatin1HeaderValue { value } if xhr => (
            "TypeError",
            byte_string(
                "XMLHttpRequest.setRequestHeader: Cannot convert argument 2",
                value,
            ),
            true,
        ),
        Exception::NonLatin1HeaderValue { value } => (
            "TypeError",
            f(byte_string(
                &format!("Cannot convert value in {RECORD}"),
                value,
            )),
            true,
        ),
        Exception::BodyWithGetOrHead { .. } => (
            "TypeError",
            f("HEAD or GET Request cannot have a body.".to_owned()),
            true,
        ),
        Exception::MethodNotAllowedInNoCors { method } => (
            "TypeError",
            f(format!("Invalid request method {method}.")),
            true,
        ),
        // Firefox ESR 153 has no streaming request bodies: no text of its own to quote.
        Exception::StreamNotAllowedInNoCors => {
            let chrome = chrome::exception(exception, initiator);
            (chrome.class, chrome.message, false)
        }
    };
    ChromeException {
        class,
        message,
        verified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::StatusCode;

    const O: &str = "http://127.0.0.1:5500";

    fn resp(status: u16, h: &[(&'static str, &str)]) -> ResponseInfo {
        h.iter().fold(
            ResponseInfo::new(StatusCode::from_u16(status).unwrap()),
            |r, (n, v)| r.header(n, v),
        )
    }

    #[test]
    fn texts_match_firefox_esr_153() {
        let url = "http://localhost:3000/data";
        assert_eq!(FirefoxReport::new(FirefoxReason::CorsMissingAllowOrigin, url, "200").message, "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:3000/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200.");
        assert_eq!(FirefoxReport::new(FirefoxReason::CorsNotSupportingCredentials, url, "").message, "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at \u{2018}http://localhost:3000/data\u{2019}. (Reason: Credential is not supported if the CORS header \u{2018}Access-Control-Allow-Origin\u{2019} is \u{2018}*\u{2019}).");
        assert_eq!(FirefoxReport::new(FirefoxReason::CorsAllowOriginNotMatchingOrigin, url, "http://x").message, "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:3000/data. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} does not match \u{2018}http://x\u{2019}).");
        assert_eq!(FirefoxReport::new(FirefoxReason::CorsMissingAllowHeaderFromPreflight, url, "x-foo").message, "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:3000/data. (Reason: header \u{2018}x-foo\u{2019} is not allowed according to header \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response).");
        assert_eq!(FirefoxReport::new(FirefoxReason::CorsPreflightDidNotSucceed, url, "500").message, "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at http://localhost:3000/data. (Reason: CORS preflight response did not succeed). Status code: 500.");
        assert_eq!(
            FirefoxReason::CorsMissingAllowOrigin.code(),
            "CORSMissingAllowOrigin"
        );
    }

    #[test]
    fn cors_check_order() {
        assert_eq!(
            cors_check(&resp(404, &[]), O, false),
            Err((FirefoxReason::CorsMissingAllowOrigin, "404".into()))
        );
        let two = resp(
            200,
            &[
                ("access-control-allow-origin", O),
                ("access-control-allow-origin", O),
            ],
        );
        // Two lines are combined and compared (Firefox ESR 153's console: "does not match
        // ‘<page>, <page>’").
        assert_eq!(
            cors_check(&two, O, false),
            Err((
                FirefoxReason::CorsAllowOriginNotMatchingOrigin,
                format!("{O}, {O}")
            ))
        );
        let one_line = resp(
            200,
            &[("access-control-allow-origin", "http://a, http://b")],
        );
        assert_eq!(
            cors_check(&one_line, O, false),
            Err((
                FirefoxReason::CorsAllowOriginNotMatchingOrigin,
                "http://a, http://b".into()
            ))
        );
        let star = resp(200, &[("access-control-allow-origin", "*")]);
        assert_eq!(cors_check(&star, O, false), Ok(()));
        assert_eq!(
            cors_check(&star, O, true).unwrap_err().0,
            FirefoxReason::CorsNotSupportingCredentials
        );
        let exact = resp(200, &[("access-control-allow-origin", O)]);
        assert_eq!(
            cors_check(&exact, O, true).unwrap_err().0,
            FirefoxReason::CorsMissingAllowCredentials
        );
        let ok = resp(
            200,
            &[
                ("access-control-allow-origin", O),
                ("access-control-allow-credentials", "true"),
            ],
        );
        assert_eq!(cors_check(&ok, O, true), Ok(()));
        let null = resp(200, &[("access-control-allow-origin", "null")]);
        assert_eq!(cors_check(&null, "null", false), Ok(()));
    }

    #[test]
    fn preflight_order_differs_from_chrome() {
        let names = vec!["x-b".to_owned(), "x-foo".to_owned()];
        // Method checked before Access-Control-Allow-Headers is even parsed.
        let r = resp(204, &[("access-control-allow-headers", "[bad]")]);
        assert_eq!(
            preflight_check(&r, false, "PUT", &names).unwrap_err().0,
            FirefoxReason::CorsMethodNotFound
        );
        let r = resp(204, &[("access-control-allow-methods", "PUT, GE T")]);
        assert_eq!(
            preflight_check(&r, false, "PUT", &names),
            Err((FirefoxReason::CorsInvalidAllowMethod, "GE T".into()))
        );
        let r = resp(500, &[]);
        assert_eq!(
            preflight_check(&r, false, "PUT", &names),
            Err((FirefoxReason::CorsPreflightDidNotSucceed, "500".into()))
        );
        let r = resp(
            204,
            &[
                ("access-control-allow-methods", "PUT"),
                ("access-control-allow-headers", "X-Foo"),
            ],
        );
        assert_eq!(
            preflight_check(&r, false, "PUT", &names),
            Err((
                FirefoxReason::CorsMissingAllowHeaderFromPreflight,
                "x-b".into()
            ))
        );
        let r = resp(
            204,
            &[
                ("access-control-allow-methods", "*"),
                ("access-control-allow-headers", "*"),
            ],
        );
        assert_eq!(preflight_check(&r, false, "PUT", &names), Ok(vec![]));
        assert_eq!(
            preflight_check(&r, true, "PUT", &names).unwrap_err().0,
            FirefoxReason::CorsMethodNotFound
        );
        let auth = vec!["authorization".to_owned()];
        assert_eq!(
            preflight_check(&r, false, "GET", &auth),
            Ok(vec![FirefoxReason::CorsAllowHeaderFromPreflightDeprecation])
        );
        let r = resp(204, &[("access-control-allow-methods", "put")]);
        assert_eq!(
            preflight_check(&r, false, "PUT", &[]).unwrap_err().0,
            FirefoxReason::CorsMethodNotFound
        );
    }
}
