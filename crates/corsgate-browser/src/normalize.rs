//! The rules `fetch()` and `XMLHttpRequest` apply to the page's call before any network traffic.
//!
//! [`normalize`] throws for a bad URL, method or header (the [`Refused`] carries the engine's
//! exception text, worded in [`crate::chrome`] and [`crate::firefox`]), upper-cases the six standard methods, silently
//! drops forbidden headers (reported as [`Warning`]s), adds the body's `Content-Type`, and
//! combines repeated header names the way the engine stores them. The result,
//! [`NormalizedRequest`], is what the CORS checks look at. This module decides *what* happens;
//! the words for it live in [`crate::chrome`] (Chrome's) and [`crate::explain`] (plain English).

use std::fmt;

use crate::chrome;
use crate::engine::Engine;
use crate::explain;
use crate::firefox;
use crate::forbidden::{forbidden_request_header, Forbidden};
use crate::method;
use crate::request::{Body, CorsRequest, CredentialsMode, Initiator, RequestMode};
use crate::safelist;
use crate::token::{is_http_whitespace, is_token, latin1};
use crate::url::{Url, UrlError, WebOrigin};
use crate::webkit;

/// Why the browser throws before sending anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefusalKind {
    /// The URL does not parse.
    InvalidUrl,
    /// The URL's scheme is not `http`/`https` (this model covers network requests only).
    UnsupportedScheme,
    /// The URL has a username or password.
    UrlWithCredentials,
    /// The page origin given to the model is not an origin.
    InvalidOrigin,
    /// The method is not an HTTP token.
    InvalidMethod,
    /// `CONNECT`, `TRACE` or `TRACK`.
    ForbiddenMethod,
    /// A header name is not an HTTP token.
    InvalidHeaderName,
    /// A header value contains NUL, CR or LF.
    InvalidHeaderValue,
    /// A header value has a character above U+00FF.
    NonLatin1HeaderValue,
    /// `fetch()` with a body on `GET`/`HEAD`.
    BodyWithGetOrHead,
    /// `no-cors` with a method other than `GET`/`HEAD`/`POST`.
    MethodNotAllowedInNoCors,
    /// A `ReadableStream` body outside `cors`/`same-origin` mode.
    StreamNotAllowedInNoCors,
}

/// The browser refused to make the request: the page's call throws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// What was wrong.
    pub kind: RefusalKind,
    /// The exception class JavaScript sees (`TypeError`, `SyntaxError`, `SecurityError`).
    pub exception: &'static str,
    /// The exception's message as the engine words it (Chrome's, Firefox's for
    /// [`Engine::Firefox`], WebKit's for [`Engine::WebKit`]; or this model's words, where
    /// [`Refused::verified`] is false).
    pub message: String,
    /// Whether `message` was checked byte for byte against the engine: Chromium 156, Firefox
    /// ESR 153, or WebKitGTK 2.50.
    pub verified: bool,
    /// What to change in the page's code, in plain English.
    pub explanation: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.exception, self.message)
    }
}

impl std::error::Error for Refused {}

/// Why the page's call throws, with the details its texts quote (the rules decide which one;
/// [`chrome::exception`] words it and [`explain::refusal`] says what to change).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Exception<'a> {
    /// The page origin given to the model is not an origin.
    InvalidOrigin {
        /// The origin as given.
        origin: &'a str,
        /// Why it does not parse.
        error: &'a UrlError,
    },
    /// The URL does not parse.
    InvalidUrl {
        /// The URL as the page wrote it.
        url: &'a str,
    },
    /// The URL has a username or password (`fetch()` only).
    UrlWithCredentials {
        /// The URL as the page wrote it, trimmed.
        url: &'a str,
    },
    /// The URL is not `http:`/`https:`.
    UnsupportedScheme {
        /// The parsed URL.
        url: &'a Url,
    },
    /// The method is not an HTTP token.
    InvalidMethod {
        /// The method as written.
        method: &'a str,
    },
    /// `CONNECT`, `TRACE` or `TRACK`.
    ForbiddenMethod {
        /// The method as written.
        method: &'a str,
    },
    /// A header name is not an HTTP token.
    InvalidHeaderName {
        /// The name as written.
        name: &'a str,
    },
    /// A header value contains NUL, CR or LF.
    InvalidHeaderValue {
        /// The value as written.
        value: &'a str,
    },
    /// A header value has a character above U+00FF.
    NonLatin1HeaderValue {
        /// The value as written.
        value: &'a str,
    },
    /// `fetch()` with a body on `GET`/`HEAD`.
    BodyWithGetOrHead {
        /// The normalised method.
        method: &'a str,
    },
    /// `no-cors` with a method other than `GET`/`HEAD`/`POST`.
    MethodNotAllowedInNoCors {
        /// The normalised method.
        method: &'a str,
    },
    /// A `ReadableStream` body in `no-cors` mode.
    StreamNotAllowedInNoCors,
}

impl Exception<'_> {
    /// The public kind.
    const fn kind(&self) -> RefusalKind {
        match self {
            Exception::InvalidOrigin { .. } => RefusalKind::InvalidOrigin,
            Exception::InvalidUrl { .. } => RefusalKind::InvalidUrl,
            Exception::UrlWithCredentials { .. } => RefusalKind::UrlWithCredentials,
            Exception::UnsupportedScheme { .. } => RefusalKind::UnsupportedScheme,
            Exception::InvalidMethod { .. } => RefusalKind::InvalidMethod,
            Exception::ForbiddenMethod { .. } => RefusalKind::ForbiddenMethod,
            Exception::InvalidHeaderName { .. } => RefusalKind::InvalidHeaderName,
            Exception::InvalidHeaderValue { .. } => RefusalKind::InvalidHeaderValue,
            Exception::NonLatin1HeaderValue { .. } => RefusalKind::NonLatin1HeaderValue,
            Exception::BodyWithGetOrHead { .. } => RefusalKind::BodyWithGetOrHead,
            Exception::MethodNotAllowedInNoCors { .. } => RefusalKind::MethodNotAllowedInNoCors,
            Exception::StreamNotAllowedInNoCors => RefusalKind::StreamNotAllowedInNoCors,
        }
    }
}

impl Refused {
    /// The refusal for `exception`, thrown by the `initiator`'s call in `engine`.
    fn new(exception: Exception<'_>, initiator: Initiator, engine: Engine) -> Refused {
        let text = match engine {
            Engine::Chrome => chrome::exception(&exception, initiator),
            Engine::Firefox => firefox::exception(&exception, initiator),
            Engine::WebKit => webkit::exception(&exception, initiator),
        };
        Refused {
            kind: exception.kind(),
            exception: text.class,
            message: text.message,
            verified: text.verified,
            explanation: explain::refusal(&exception),
        }
    }

    /// The flow did not finish within its request bound (unreachable: redirects are capped);
    /// the page sees what a failed fetch shows.
    pub(crate) fn unfinished() -> Refused {
        Refused {
            kind: RefusalKind::InvalidUrl,
            exception: "TypeError",
            message: chrome::FAILED_TO_FETCH.to_owned(),
            verified: false,
            explanation: explain::UNFINISHED_FLOW.to_owned(),
        }
    }
}

/// Something the browser did silently that the page author probably did not expect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WarningKind {
    /// A forbidden header was dropped (`fetch()` ignores it; XHR logs Chrome's console error).
    DroppedForbiddenHeader {
        /// The header name as the page wrote it.
        name: String,
        /// Why it is forbidden.
        reason: Forbidden,
    },
    /// `no-cors` mode dropped a header that is not no-CORS-safelisted.
    DroppedInNoCorsMode {
        /// The header name as the page wrote it.
        name: String,
    },
    /// A value byte Chrome would send but an HTTP library cannot (a control byte): the header
    /// is left out of this model's requests.
    UnsendableHeaderValue {
        /// The header name.
        name: String,
    },
    /// XHR ignores a body on `GET`/`HEAD`.
    IgnoredBody,
    /// `upload_listeners` only exists for XHR; ignored for `fetch()`.
    UploadListenersIgnored,
}

/// A warning with a sentence a person can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// What happened.
    pub kind: WarningKind,
    /// The sentence.
    pub message: String,
    /// Chrome's console text for it, when Chrome prints one (XHR's refused headers).
    pub chrome_console: Option<String>,
}

/// The request after the browser's own processing, ready for the CORS algorithm.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NormalizedRequest {
    /// The parsed request URL.
    pub url: Url,
    /// The page's origin.
    pub origin: WebOrigin,
    /// The normalised method.
    pub method: String,
    /// The header list as the engine holds it (Chrome: one entry per name, repeated names
    /// combined with `, `; Firefox: entries as appended), body `Content-Type` included.
    pub headers: Vec<(String, Vec<u8>)>,
    /// Credentials mode.
    pub credentials: CredentialsMode,
    /// Request mode.
    pub mode: RequestMode,
    /// Body kind (after XHR dropped a `GET`/`HEAD` body).
    pub body: Body,
    /// API used.
    pub initiator: Initiator,
    /// Fetch's "use-CORS-preflight flag": a stream body or XHR upload listeners force a
    /// preflight even for a safelisted request.
    pub use_cors_preflight: bool,
    /// The engine whose rules were applied.
    pub engine: Engine,
}

impl NormalizedRequest {
    /// Is the request URL same-origin with the page?
    pub fn is_same_origin(&self) -> bool {
        self.origin.same_origin(&self.url.origin())
    }

    /// Is `url` same-origin with the page?
    pub fn is_same_origin_url(&self, url: &Url) -> bool {
        self.origin.same_origin(&url.origin())
    }
}

/// Normalises a header value the way `Headers.append` and `setRequestHeader` do: strips
/// leading/trailing HTTP whitespace, then refuses NUL/CR/LF and characters above U+00FF.
fn normalize_value(value: &str) -> Result<Vec<u8>, RefusalKind> {
    let mut bytes = Vec::with_capacity(value.len());
    for c in value.chars() {
        let b = u8::try_from(u32::from(c)).map_err(|_| RefusalKind::NonLatin1HeaderValue)?;
        bytes.push(b);
    }
    let start = bytes
        .iter()
        .position(|&b| !is_http_whitespace(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_http_whitespace(b))
        .map_or(start, |i| i + 1);
    let v = bytes[start..end].to_vec();
    if v.iter().any(|&b| matches!(b, 0 | b'\n' | b'\r')) {
        return Err(RefusalKind::InvalidHeaderValue);
    }
    Ok(v)
}

/// Replaces the value of a `charset` parameter with `UTF-8`, in place (what Chrome's XHR does
/// to an author `Content-Type` when it sends a string or a document).
fn force_utf8_charset(value: &[u8]) -> Vec<u8> {
    let s = latin1(value);
    let mut out = String::new();
    let mut parts = s.split(';');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    for p in parts {
        out.push(';');
        let trimmed = p.trim_start();
        match trimmed.split_once('=') {
            Some((name, _)) if name.trim().eq_ignore_ascii_case("charset") => {
                let lead = &p[..p.len() - trimmed.len()];
                out.push_str(lead);
                out.push_str(name);
                out.push_str("=UTF-8");
            }
            _ => out.push_str(p),
        }
    }
    out.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

/// Can an HTTP library put this value on the wire (no control bytes other than tab)?
fn sendable(value: &[u8]) -> bool {
    value
        .iter()
        .all(|&b| b == b'\t' || (b >= 0x20 && b != 0x7F))
}

/// Applies the browser's processing to the page's request.
///
/// Returns the refusal (the page's call throws) or the normalised request and the warnings for
/// what was silently changed.
pub fn normalize(
    req: &CorsRequest,
    engine: Engine,
) -> Result<(NormalizedRequest, Vec<Warning>), Refused> {
    let initiator = req.initiator;
    let xhr = initiator == Initiator::XmlHttpRequest;
    let refuse = |exception: Exception<'_>| Refused::new(exception, initiator, engine);
    let mut warnings = Vec::new();

    let origin = WebOrigin::parse(&req.origin).map_err(|error| {
        refuse(Exception::InvalidOrigin {
            origin: &req.origin,
            error: &error,
        })
    })?;

    // XHR's open() validates the method before the URL; fetch() parses the URL first.
    let check_method = || -> Result<String, Refused> {
        let method = req.method.as_str();
        if !method::is_valid(method) {
            return Err(refuse(Exception::InvalidMethod { method }));
        }
        if method::is_forbidden(method) {
            return Err(refuse(Exception::ForbiddenMethod { method }));
        }
        Ok(method::normalize(method))
    };

    let mut normalized_method = String::new();
    if xhr {
        normalized_method = check_method()?;
    }

    let url = Url::parse(&req.url).map_err(|_| refuse(Exception::InvalidUrl { url: &req.url }))?;
    if url.has_credentials() && !xhr {
        return Err(refuse(Exception::UrlWithCredentials {
            url: req.url.trim(),
        }));
    }
    if !url.is_http_or_https() {
        return Err(refuse(Exception::UnsupportedScheme { url: &url }));
    }

    if !xhr {
        normalized_method = check_method()?;
    }
    let warn = |kind: WarningKind, chrome_console: Option<String>| Warning {
        message: explain::warning(&kind, &normalized_method),
        chrome_console,
        kind,
    };

    // Headers, in order.
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, value) in &req.headers {
        if !is_token(name.as_bytes()) {
            return Err(refuse(Exception::InvalidHeaderName { name }));
        }
        let v = match normalize_value(value) {
            Ok(v) => v,
            Err(RefusalKind::NonLatin1HeaderValue) => {
                return Err(refuse(Exception::NonLatin1HeaderValue { value }))
            }
            Err(_) => return Err(refuse(Exception::InvalidHeaderValue { value })),
        };
        if let Some(reason) = forbidden_request_header(name, &v, engine) {
            let console =
                (xhr && engine == Engine::Chrome).then(|| chrome::refused_unsafe_header(name));
            warnings.push(warn(
                WarningKind::DroppedForbiddenHeader {
                    name: name.clone(),
                    reason,
                },
                console,
            ));
            continue;
        }
        if req.mode == RequestMode::NoCors {
            let lower = name.to_ascii_lowercase();
            let no_cors_name = matches!(
                lower.as_str(),
                "accept" | "accept-language" | "content-language" | "content-type"
            );
            if !no_cors_name || !safelist::is_cors_safelisted_request_header(name, &v, engine) {
                warnings.push(warn(
                    WarningKind::DroppedInNoCorsMode { name: name.clone() },
                    None,
                ));
                continue;
            }
        }
        if !sendable(&v) {
            warnings.push(warn(
                WarningKind::UnsendableHeaderValue { name: name.clone() },
                None,
            ));
            continue;
        }
        let existing = headers
            .iter_mut()
            .find(|(n, _)| n.eq_ignore_ascii_case(name));
        match (engine, existing) {
            (Engine::Chrome, Some((_, old))) => {
                old.extend_from_slice(b", ");
                old.extend_from_slice(&v);
            }
            _ => headers.push((name.clone(), v)),
        }
    }

    // Body.
    let mut body = req.body.clone();
    if body.is_some() && matches!(normalized_method.as_str(), "GET" | "HEAD") {
        if xhr {
            warnings.push(warn(WarningKind::IgnoredBody, None));
            body = Body::None;
        } else {
            return Err(refuse(Exception::BodyWithGetOrHead {
                method: &normalized_method,
            }));
        }
    }
    if req.mode == RequestMode::NoCors {
        if !method::is_cors_safelisted(&normalized_method) {
            return Err(refuse(Exception::MethodNotAllowedInNoCors {
                method: &normalized_method,
            }));
        }
        if body == Body::Stream {
            return Err(refuse(Exception::StreamNotAllowedInNoCors));
        }
    }
    let has_ct = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    if let Some(ct) = body.content_type() {
        if !has_ct {
            headers.push(("Content-Type".to_owned(), ct.into_bytes()));
        }
    }
    if xhr && has_ct && matches!(body, Body::Text | Body::HtmlDocument | Body::XmlDocument) {
        for (n, v) in headers.iter_mut() {
            if n.eq_ignore_ascii_case("content-type") {
                *v = force_utf8_charset(v);
            }
        }
    }

    let mut use_cors_preflight = body == Body::Stream;
    if req.upload_listeners {
        if xhr {
            use_cors_preflight |= body.is_some();
        } else {
            warnings.push(warn(WarningKind::UploadListenersIgnored, None));
        }
    }

    Ok((
        NormalizedRequest {
            url,
            origin,
            method: normalized_method,
            headers,
            credentials: req.credentials,
            mode: req.mode,
            body,
            initiator,
            use_cors_preflight,
            engine,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests;
