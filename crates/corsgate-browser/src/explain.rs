//! This model's own words, in plain English: why a request was blocked and what to change.
//!
//! Each blocked request gets a [`FixCause`]: a small structured description of the server
//! change that would let the request through. The CLI renders it for each server stack it
//! knows (corsgate policy, npm `cors`, tower-http, nginx); this module only says *what* must
//! change, never how a particular server spells it. The same plain-English voice explains a
//! call the browser refuses ([`refusal`]), what it changes silently ([`warning`]) and the notes
//! on a request that passed. The browsers' own texts are in [`crate::chrome`] and
//! [`crate::firefox`].

use crate::chrome;
use crate::cors_error::CorsErrorKind;
use crate::engine::Engine;
use crate::forbidden::Forbidden;
use crate::normalize::{Exception, WarningKind};
use crate::token::latin1;

/// The server-side (or, rarely, page-side) change that would let the request through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FixCause {
    /// Send `Access-Control-Allow-Origin: <origin>` (or `*` when no credentials are involved).
    /// `origin` is what the browser sent — `null` after a cross-origin redirect.
    NeedsAllowOrigin {
        /// The origin to allow.
        origin: String,
    },
    /// Send `Access-Control-Allow-Origin` once, with one value (`sent` is what arrived).
    NeedsSingleAllowOrigin {
        /// The origin to allow.
        origin: String,
        /// The value(s) received.
        sent: String,
    },
    /// Send a valid `Access-Control-Allow-Origin` value (an origin, `null` or `*`).
    NeedsValidAllowOrigin {
        /// The origin to allow.
        origin: String,
        /// The value received.
        sent: String,
    },
    /// `Access-Control-Allow-Origin` names another origin; it must be exactly this one
    /// (scheme, host and port; no path, no trailing slash).
    NeedsMatchingAllowOrigin {
        /// The origin to allow.
        origin: String,
        /// The value received.
        sent: String,
    },
    /// With credentials, `*` is not accepted: echo the exact origin instead.
    NeedsExactOriginForCredentials {
        /// The origin to echo.
        origin: String,
    },
    /// With credentials, send `Access-Control-Allow-Credentials: true` (exactly, lower case).
    NeedsAllowCredentials {
        /// The value received (empty when absent).
        sent: String,
    },
    /// Answer the preflight (`OPTIONS`) with a 2xx status (204 is usual), before any
    /// authentication or routing that rejects `OPTIONS`.
    NeedsOkPreflightStatus {
        /// The status received.
        status: u16,
    },
    /// Answer the preflight itself instead of redirecting it (e.g. no HTTP→HTTPS or
    /// trailing-slash redirect on `OPTIONS`; let the page use the final URL).
    NeedsPreflightWithoutRedirect {
        /// The redirect target, if any.
        location: Option<String>,
    },
    /// `Access-Control-Allow-Methods` must be a comma-separated list of method names.
    NeedsValidAllowMethods {
        /// The value received.
        sent: String,
    },
    /// `Access-Control-Allow-Headers` must be a comma-separated list of header names.
    NeedsValidAllowHeaders {
        /// The value received.
        sent: String,
    },
    /// List the method in `Access-Control-Allow-Methods`, with exactly this case (`*` does not
    /// count when `credentials` is true).
    NeedsAllowMethod {
        /// The method, as the browser sent it in `Access-Control-Request-Method`.
        method: String,
        /// Credentials mode `include`.
        credentials: bool,
    },
    /// List these names in `Access-Control-Allow-Headers` (`*` does not count when
    /// `credentials` is true).
    NeedsAllowHeaders {
        /// Lower-case names, sorted.
        names: Vec<String>,
        /// Credentials mode `include`.
        credentials: bool,
    },
    /// Do not redirect to a URL that contains a username or password.
    NeedsRedirectWithoutCredentials,
    /// Redirect only to `http:`/`https:` URLs.
    NeedsHttpRedirect {
        /// The target received.
        location: String,
    },
    /// Fewer than 21 redirects (a redirect loop, usually).
    NeedsFewerRedirects,
    /// Page-side: a `same-origin` mode request cannot go cross-origin; use `cors` mode.
    NeedsCorsMode,
}

impl FixCause {
    /// Is the fix on the page's side rather than the server's?
    pub const fn is_client_side(&self) -> bool {
        matches!(self, FixCause::NeedsCorsMode)
    }
}

/// The facts an explanation is built from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplainInput<'a> {
    /// The origin the browser sent (`null` after a tainting redirect).
    pub request_origin: &'a str,
    /// The page's origin.
    pub page_origin: &'a str,
    /// Did a cross-origin redirect make the origin `null`?
    pub tainted: bool,
    /// The request method.
    pub method: &'a str,
    /// Credentials mode `include`.
    pub include: bool,
    /// The failing response's status.
    pub status: u16,
    /// Redirect target, when relevant.
    pub location: Option<String>,
    /// Every header name the preflight did not allow.
    pub disallowed_headers: &'a [String],
    /// The raw value of the allow-list that failed to parse, when relevant.
    pub unparsable: Option<String>,
    /// Did the failing response carry `Access-Control-Allow-Credentials` at all (so an empty
    /// value was sent empty, not missing)?
    pub allow_credentials_sent: bool,
}

/// A plain-English explanation and the structured cause for a blocked request.
pub fn explain(kind: CorsErrorKind, hint: &[u8], x: &ExplainInput<'_>) -> (String, FixCause) {
    let sent = latin1(hint);
    let origin = x.request_origin.to_owned();
    let resp = if kind.is_from_preflight() {
        "the preflight (OPTIONS) response"
    } else {
        "the response"
    };
    // `null` cannot be allowed safely (every sandboxed iframe, file and data: URL sends it):
    // never tell the server to send it.
    let is_null = origin == "null";
    let null_note = if x.tainted {
        format!(
            " A redirect to another origin made the request's origin the opaque `null` instead of {}; no server can allow `null` safely (every sandboxed page sends it), so avoid the cross-origin redirect (or, for public data without credentials, allow `*`).",
            x.page_origin
        )
    } else if is_null {
        " The page's origin is the opaque `null` (a sandboxed iframe, a file or a data: URL); no server can allow `null` safely (every such page sends it): serve the page from a real origin.".to_owned()
    } else {
        String::new()
    };
    // "Send {origin}", unless it is `null`.
    let send = |sentence: String| if is_null { String::new() } else { sentence };
    use CorsErrorKind as K;
    match kind {
        K::MissingAllowOriginHeader | K::PreflightMissingAllowOriginHeader => (
            format!(
                "The server did not send Access-Control-Allow-Origin on {resp}, so the browser will not let the page read it. The request may still have reached the server.{}{null_note}",
                send(format!(" It must answer with Access-Control-Allow-Origin: {origin}."))
            ),
            FixCause::NeedsAllowOrigin { origin },
        ),
        K::MultipleAllowOriginValues | K::PreflightMultipleAllowOriginValues => (
            format!(
                "Access-Control-Allow-Origin on {resp} holds several values ('{sent}'). Browsers accept exactly one origin (or *): the server, or two layers of it (an app and a proxy), must send the header once{}.{null_note}",
                send(format!(" with {origin}"))
            ),
            FixCause::NeedsSingleAllowOrigin { origin, sent },
        ),
        K::InvalidAllowOriginValue | K::PreflightInvalidAllowOriginValue => (
            format!(
                "Access-Control-Allow-Origin on {resp} is '{sent}', which is not an origin.{}{null_note}",
                send(format!(" Send the requesting origin, {origin}."))
            ),
            FixCause::NeedsValidAllowOrigin { origin, sent },
        ),
        K::AllowOriginMismatch | K::PreflightAllowOriginMismatch => (
            format!(
                "Access-Control-Allow-Origin on {resp} is '{sent}', but the request came from {origin}. The value must match exactly: same scheme, host and port, no path or trailing slash.{null_note}"
            ),
            FixCause::NeedsMatchingAllowOrigin { origin, sent },
        ),
        K::WildcardOriginNotAllowed | K::PreflightWildcardOriginNotAllowed => (
            format!(
                "The request includes credentials (cookies or HTTP auth), and for such requests browsers refuse Access-Control-Allow-Origin: *.{}{null_note}",
                send(format!(" The server must echo the origin, {origin}, and send Access-Control-Allow-Credentials: true (and Vary: Origin)."))
            ),
            FixCause::NeedsExactOriginForCredentials { origin },
        ),
        K::InvalidAllowCredentials | K::PreflightInvalidAllowCredentials => (
            format!(
                "The request includes credentials, so {resp} must carry Access-Control-Allow-Credentials: true (exactly, lower case); {}.",
                if x.allow_credentials_sent {
                    format!("it had '{sent}'")
                } else {
                    "it was missing".to_owned()
                }
            ),
            FixCause::NeedsAllowCredentials { sent },
        ),
        K::PreflightInvalidStatus => (
            format!(
                "The browser sent a preflight OPTIONS request first, and the server answered {}. A preflight must get a 2xx status (usually 204) with the CORS headers; often an authentication check or a router without an OPTIONS route rejects it. The actual {} request was never sent.",
                x.status, x.method
            ),
            FixCause::NeedsOkPreflightStatus { status: x.status },
        ),
        K::PreflightDisallowedRedirect => (
            format!(
                "The server redirected the preflight OPTIONS request{}. Browsers do not follow redirects for preflights: answer OPTIONS at this URL, or make the page request the final URL (common causes: HTTP→HTTPS or a trailing-slash redirect).",
                x.location.as_ref().map(|l| format!(" to {l}")).unwrap_or_default()
            ),
            FixCause::NeedsPreflightWithoutRedirect { location: x.location.clone() },
        ),
        K::InvalidAllowMethodsPreflightResponse => {
            let sent = x.unparsable.clone().unwrap_or_default();
            (
                format!("Access-Control-Allow-Methods in the preflight response ('{sent}') is not a comma-separated list of method names, so the browser rejects the whole preflight."),
                FixCause::NeedsValidAllowMethods { sent },
            )
        }
        K::InvalidAllowHeadersPreflightResponse => {
            let sent = x.unparsable.clone().unwrap_or_default();
            (
                format!("Access-Control-Allow-Headers in the preflight response ('{sent}') is not a comma-separated list of header names, so the browser rejects the whole preflight."),
                FixCause::NeedsValidAllowHeaders { sent },
            )
        }
        K::MethodDisallowedByPreflightResponse => {
            let star = if x.include { " (with credentials, * is not a wildcard)" } else { "" };
            (
                format!(
                    "The preflight response does not list {sent} in Access-Control-Allow-Methods{star}. Browsers compare method names case-sensitively, so list it exactly as {sent}."
                ),
                FixCause::NeedsAllowMethod { method: sent, credentials: x.include },
            )
        }
        K::HeaderDisallowedByPreflightResponse => {
            let names = if x.disallowed_headers.is_empty() { vec![sent] } else { x.disallowed_headers.to_vec() };
            let star = if x.include { " (with credentials, * is not a wildcard)" } else { "" };
            (
                format!(
                    "The page sends the request header{} {}, which the preflight response does not allow in Access-Control-Allow-Headers{star}. List {} there.",
                    if names.len() == 1 { "" } else { "s" },
                    names.join(", "),
                    if names.len() == 1 { "it" } else { "them" }
                ),
                FixCause::NeedsAllowHeaders { names, credentials: x.include },
            )
        }
        K::RedirectContainsCredentials => (
            "The server redirected a cross-origin request to a URL containing a username or password, which browsers refuse. Redirect to a URL without user:password@.".to_owned(),
            FixCause::NeedsRedirectWithoutCredentials,
        ),
        K::CorsDisabledScheme | K::UnsafeRedirect => {
            let location = x.location.clone().unwrap_or_default();
            (
                format!("The server redirected the request to '{location}', which is not an http: or https: URL (or cannot be followed); a CORS request can only be redirected to HTTP(S)."),
                FixCause::NeedsHttpRedirect { location },
            )
        }
        K::TooManyRedirects => (
            "The request was redirected more than 20 times (usually a redirect loop); the browser gave up.".to_owned(),
            FixCause::NeedsFewerRedirects,
        ),
        K::DisallowedByMode => (
            "The page asked for mode \"same-origin\", which never allows another origin. Use the default mode \"cors\" (and have the server send CORS headers).".to_owned(),
            FixCause::NeedsCorsMode,
        ),
    }
}

/// What to change in the page's code when its call throws.
pub(crate) fn refusal(exception: &Exception<'_>) -> String {
    match exception {
        Exception::InvalidOrigin { .. } => {
            "Give the page's origin as scheme://host[:port], e.g. http://127.0.0.1:5500, or null."
                .to_owned()
        }
        Exception::InvalidUrl { .. } => {
            "Pass an absolute URL such as http://localhost:3000/data.".to_owned()
        }
        Exception::UrlWithCredentials { .. } => "Remove user:password@ from the URL and send credentials in an Authorization header (which the server must then allow).".to_owned(),
        Exception::UnsupportedScheme { url } => format!(
            "Only http: and https: URLs take part in CORS; serve the resource over HTTP(S). Chrome's console says: {}",
            chrome::unsupported_scheme_console(url)
        ),
        Exception::InvalidMethod { .. } => {
            "Use a method name made of letters, digits and !#$%&'*+-.^_`|~ only.".to_owned()
        }
        Exception::ForbiddenMethod { .. } => {
            "Browsers never send CONNECT, TRACE or TRACK; use another method.".to_owned()
        }
        Exception::InvalidHeaderName { .. } => {
            "Header names are HTTP tokens: no spaces, colons or other separators.".to_owned()
        }
        Exception::InvalidHeaderValue { .. } => {
            "Header values may not contain NUL, CR or LF.".to_owned()
        }
        Exception::NonLatin1HeaderValue { .. } => {
            "Header values are bytes: encode text above U+00FF (e.g. percent-encode or base64 it)."
                .to_owned()
        }
        Exception::BodyWithGetOrHead { .. } => {
            "Send the data in the URL's query string, or use POST.".to_owned()
        }
        Exception::MethodNotAllowedInNoCors { .. } => {
            "no-cors requests may only use GET, HEAD or POST.".to_owned()
        }
        Exception::StreamNotAllowedInNoCors => {
            "A ReadableStream body needs mode \"cors\" (and then a preflight).".to_owned()
        }
    }
}

/// Why a flow gave up without a verdict (unreachable: redirects are capped).
pub(crate) const UNFINISHED_FLOW: &str = "The flow did not finish within its request bound.";

/// The sentence for a silent change; `method` is the normalised request method.
pub(crate) fn warning(kind: &WarningKind, method: &str) -> String {
    match kind {
        WarningKind::DroppedForbiddenHeader { name, reason } => {
            let why = match reason {
                Forbidden::Name => {
                    "it is a forbidden request header the browser controls".to_owned()
                }
                Forbidden::Prefix => {
                    "names starting with Proxy- or Sec- are reserved for the browser".to_owned()
                }
                Forbidden::MethodOverride(m) => format!("it names the forbidden method {m}"),
                Forbidden::ChromeUserAgent => {
                    "Chrome still ignores User-Agent set by a page (the Fetch standard allows it)"
                        .to_owned()
                }
            };
            format!("The header {name} is not sent: {why}.")
        }
        WarningKind::DroppedInNoCorsMode { name } => format!("The header {name} is not sent: in no-cors mode only safelisted Accept, Accept-Language, Content-Language and Content-Type values are kept."),
        WarningKind::UnsendableHeaderValue { name } => format!("The header {name} has a control byte in its value; Chrome would send it, but this model leaves it out."),
        WarningKind::IgnoredBody => {
            format!("XMLHttpRequest ignores the body of a {method} request.")
        }
        WarningKind::UploadListenersIgnored => {
            "Upload listeners exist only on XMLHttpRequest; ignored for fetch().".to_owned()
        }
    }
}

/// The note on a request whose preflight allowed `Authorization` only through `*`.
pub(crate) const AUTHORIZATION_BY_WILDCARD: &str = "Authorization was allowed only through Access-Control-Allow-Headers: *. Chrome 156 and Firefox ESR 153 accept that (Firefox warns), but the Fetch standard does not: list authorization explicitly.";

/// The note on a preflight response that `other` would block although the driving engine
/// accepted it.
pub(crate) fn other_engine_blocks_preflight(other: Engine) -> String {
    format!("{} would block this preflight response.", other.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(names: &'a [String]) -> ExplainInput<'a> {
        ExplainInput {
            request_origin: "http://127.0.0.1:5500",
            page_origin: "http://127.0.0.1:5500",
            tainted: false,
            method: "PUT",
            include: false,
            status: 500,
            location: None,
            disallowed_headers: names,
            unparsable: None,
            allow_credentials_sent: false,
        }
    }

    #[test]
    fn causes() {
        let none: Vec<String> = Vec::new();
        let x = input(&none);
        assert_eq!(
            explain(CorsErrorKind::MissingAllowOriginHeader, b"", &x).1,
            FixCause::NeedsAllowOrigin {
                origin: "http://127.0.0.1:5500".into()
            }
        );
        assert_eq!(
            explain(
                CorsErrorKind::MethodDisallowedByPreflightResponse,
                b"PUT",
                &x
            )
            .1,
            FixCause::NeedsAllowMethod {
                method: "PUT".into(),
                credentials: false
            }
        );
        assert_eq!(
            explain(CorsErrorKind::PreflightInvalidStatus, b"", &x).1,
            FixCause::NeedsOkPreflightStatus { status: 500 }
        );
        let names = vec!["x-a".to_owned(), "x-b".to_owned()];
        let x2 = input(&names);
        let (text, cause) = explain(
            CorsErrorKind::HeaderDisallowedByPreflightResponse,
            b"x-a",
            &x2,
        );
        assert_eq!(
            cause,
            FixCause::NeedsAllowHeaders {
                names: names.clone(),
                credentials: false
            }
        );
        assert!(text.contains("x-a, x-b"));
        assert!(FixCause::NeedsCorsMode.is_client_side());
        assert!(!FixCause::NeedsFewerRedirects.is_client_side());
    }

    #[test]
    fn a_missing_allow_credentials_is_missing_not_empty() {
        let none: Vec<String> = Vec::new();
        let mut x = input(&none);
        x.include = true;
        let (text, _) = explain(CorsErrorKind::InvalidAllowCredentials, b"", &x);
        assert!(text.ends_with("; it was missing."), "{text}");
        x.allow_credentials_sent = true;
        let (text, _) = explain(CorsErrorKind::InvalidAllowCredentials, b"", &x);
        assert!(text.ends_with("; it had ''."), "{text}");
    }

    #[test]
    fn tainted_origin_is_explained() {
        let none: Vec<String> = Vec::new();
        let mut x = input(&none);
        x.request_origin = "null";
        x.tainted = true;
        let (text, cause) = explain(
            CorsErrorKind::AllowOriginMismatch,
            b"http://127.0.0.1:5500",
            &x,
        );
        assert_eq!(
            cause,
            FixCause::NeedsMatchingAllowOrigin {
                origin: "null".into(),
                sent: "http://127.0.0.1:5500".into()
            }
        );
        assert!(text.contains("opaque `null`"));
        assert!(text.contains("no server can allow `null` safely"), "{text}");
        // Never "send null".
        x.tainted = false;
        let (text, _) = explain(CorsErrorKind::MissingAllowOriginHeader, b"", &x);
        assert!(
            !text.contains("Access-Control-Allow-Origin: null"),
            "{text}"
        );
        assert!(text.contains("serve the page from a real origin"), "{text}");
    }

    #[test]
    fn every_kind_is_explained() {
        let none: Vec<String> = Vec::new();
        for k in CorsErrorKind::ALL {
            let (text, _) = explain(k, b"x", &input(&none));
            assert!(!text.is_empty(), "{k:?}");
        }
    }
}
