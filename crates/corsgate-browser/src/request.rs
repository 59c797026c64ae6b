//! The request a page makes, and what `fetch()` / `XMLHttpRequest` turn it into.
//!
//! [`CorsRequest`] is what the page's code says: URL, method, headers, credentials, body and
//! which API made the call. [`normalize`] applies what the browser does before any network
//! traffic: it throws for a bad URL, method or header (with Chrome's exact exception text),
//! upper-cases the six standard methods, silently drops forbidden headers (reported here as
//! warnings), adds the body's `Content-Type`, and combines repeated header names the way the
//! engine stores them. The result, [`NormalizedRequest`], is what the CORS checks look at.

use std::fmt;

use super::engine::Engine;
use super::forbidden::{forbidden_request_header, Forbidden};
use super::method;
use super::safelist;
use super::token::{is_http_whitespace, is_token, latin1};
use super::url::{Url, WebOrigin};

/// The request's credentials mode: whether cookies and HTTP auth go with it.
///
/// It matters twice for CORS: with `Include`, the server may not answer `*` (it must echo the
/// origin and send `Access-Control-Allow-Credentials: true`), and `*` in the allow-lists stops
/// being a wildcard.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CredentialsMode {
    /// `credentials: "omit"`: never send cookies.
    Omit,
    /// `credentials: "same-origin"` (the `fetch()` default; also XHR without
    /// `withCredentials`): cookies only to the page's own origin.
    #[default]
    SameOrigin,
    /// `credentials: "include"` (or XHR `withCredentials = true`): cookies everywhere.
    Include,
}

impl CredentialsMode {
    /// The JavaScript spelling (`"omit"`, `"same-origin"`, `"include"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            CredentialsMode::Omit => "omit",
            CredentialsMode::SameOrigin => "same-origin",
            CredentialsMode::Include => "include",
        }
    }
}

/// Which API the page used. Chrome words its messages after it ("Access to fetch at" vs
/// "Access to XMLHttpRequest at") and adds a `withCredentials` hint for XHR.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Initiator {
    /// `fetch()`.
    #[default]
    Fetch,
    /// `XMLHttpRequest`.
    XmlHttpRequest,
}

/// The request mode. Pages almost always use `Cors` (the `fetch()` default for a URL); the other
/// two are modelled because Chrome's hints mention them and they change what is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RequestMode {
    /// `mode: "cors"`: the CORS protocol applies to cross-origin URLs.
    #[default]
    Cors,
    /// `mode: "no-cors"`: no CORS checks, but the response is opaque (unreadable), only
    /// `GET`/`HEAD`/`POST` are allowed and non-safelisted headers are dropped.
    NoCors,
    /// `mode: "same-origin"`: a cross-origin URL is an error.
    SameOrigin,
}

/// What the page passes as the body, insofar as it decides `Content-Type` (and a preflight).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// A string: `text/plain;charset=UTF-8`.
    Text,
    /// `URLSearchParams`: `application/x-www-form-urlencoded;charset=UTF-8`.
    UrlSearchParams,
    /// `FormData`: `multipart/form-data; boundary=…`.
    FormData,
    /// A `Blob`/`File`: its `type` (lower-cased; none when empty or not printable ASCII).
    Blob {
        /// The blob's `type` as the page constructed it.
        mime_type: String,
    },
    /// `ArrayBuffer`, a typed array or `DataView`: no `Content-Type`.
    Bytes,
    /// A `ReadableStream` (`fetch()` with `duplex: "half"`): no `Content-Type`, but it always
    /// needs a preflight.
    Stream,
    /// An HTML `Document` (XHR only): `text/html;charset=UTF-8`.
    HtmlDocument,
    /// An XML `Document` (XHR only): `application/xml;charset=UTF-8`.
    XmlDocument,
}

/// The boundary shown for a `FormData` body (Chrome's is random; the value never matters to
/// CORS, only the `multipart/form-data` essence does).
pub const FORM_DATA_BOUNDARY: &str = "----WebKitFormBoundaryCorsgateExample";

impl Body {
    /// The `Content-Type` this body sets when the page did not set one.
    pub fn content_type(&self) -> Option<String> {
        match self {
            Body::None | Body::Bytes | Body::Stream => None,
            Body::Text => Some("text/plain;charset=UTF-8".into()),
            Body::UrlSearchParams => Some("application/x-www-form-urlencoded;charset=UTF-8".into()),
            Body::FormData => Some(format!(
                "multipart/form-data; boundary={FORM_DATA_BOUNDARY}"
            )),
            Body::Blob { mime_type } => (!mime_type.is_empty()
                && mime_type.bytes().all(|b| (0x20..=0x7E).contains(&b)))
            .then(|| mime_type.to_ascii_lowercase()),
            Body::HtmlDocument => Some("text/html;charset=UTF-8".into()),
            Body::XmlDocument => Some("application/xml;charset=UTF-8".into()),
        }
    }

    /// Is there a body at all?
    pub fn is_some(&self) -> bool {
        !matches!(self, Body::None)
    }
}

/// A cross-origin (or same-origin) request as the page's code writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorsRequest {
    /// The URL passed to `fetch()` / `open()`, absolute.
    pub url: String,
    /// The page's origin, e.g. `http://127.0.0.1:5500` (or `null` for an opaque origin).
    pub origin: String,
    /// The method as written (`"put"` is normalised to `PUT`, `"patch"` stays `patch`).
    pub method: String,
    /// Headers as the page sets them, in order; repeated names are allowed.
    pub headers: Vec<(String, String)>,
    /// Credentials mode.
    pub credentials: CredentialsMode,
    /// Request mode.
    pub mode: RequestMode,
    /// The body.
    pub body: Body,
    /// `fetch()` or `XMLHttpRequest`.
    pub initiator: Initiator,
    /// XHR only: a listener on `xhr.upload` forces a preflight (progress events would reveal
    /// whether the server accepted the request).
    pub upload_listeners: bool,
}

impl CorsRequest {
    /// A `fetch(url)` from a page at `origin`: `GET`, no headers, `same-origin` credentials.
    pub fn fetch(url: impl Into<String>, origin: impl Into<String>) -> Self {
        CorsRequest {
            url: url.into(),
            origin: origin.into(),
            method: "GET".into(),
            headers: Vec::new(),
            credentials: CredentialsMode::SameOrigin,
            mode: RequestMode::Cors,
            body: Body::None,
            initiator: Initiator::Fetch,
            upload_listeners: false,
        }
    }

    /// An `XMLHttpRequest` `open("GET", url)` from a page at `origin`.
    pub fn xhr(url: impl Into<String>, origin: impl Into<String>) -> Self {
        CorsRequest {
            initiator: Initiator::XmlHttpRequest,
            ..CorsRequest::fetch(url, origin)
        }
    }

    /// Sets the method (builder style).
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = method.into();
        self
    }

    /// Adds a header (builder style); repeated names are kept, as `Headers.append` does.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the credentials mode (builder style).
    pub fn credentials(mut self, credentials: CredentialsMode) -> Self {
        self.credentials = credentials;
        self
    }

    /// Sets the request mode (builder style).
    pub fn mode(mut self, mode: RequestMode) -> Self {
        self.mode = mode;
        self
    }

    /// Sets the body (builder style).
    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// Marks that the page listens to `xhr.upload` events (builder style).
    pub fn upload_listeners(mut self, yes: bool) -> Self {
        self.upload_listeners = yes;
        self
    }
}

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
    /// The exception's message as Chrome words it (or this model's words, where noted in
    /// [`Refused::chrome_verified`]).
    pub message: String,
    /// Whether `message` was checked byte-for-byte against Chromium 156.
    pub chrome_verified: bool,
    /// What to change in the page's code, in plain English.
    pub explanation: String,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.exception, self.message)
    }
}

impl std::error::Error for Refused {}

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
}

/// Chrome's `fetch()` exception prefix.
const FETCH_PREFIX: &str = "Failed to execute 'fetch' on 'Window': ";

fn refuse(
    kind: RefusalKind,
    exception: &'static str,
    message: String,
    verified: bool,
    explanation: &str,
) -> Refused {
    Refused {
        kind,
        exception,
        message,
        chrome_verified: verified,
        explanation: explanation.to_owned(),
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
    let xhr = req.initiator == Initiator::XmlHttpRequest;
    let mut warnings = Vec::new();

    let origin = WebOrigin::parse(&req.origin).map_err(|e| {
        refuse(
            RefusalKind::InvalidOrigin,
            "TypeError",
            format!("The page origin '{}' is not an origin: {e}.", req.origin),
            false,
            "Give the page's origin as scheme://host[:port], e.g. http://127.0.0.1:5500, or null.",
        )
    })?;

    // XHR's open() validates the method before the URL; fetch() parses the URL first.
    let check_method = || -> Result<String, Refused> {
        if !method::is_valid(&req.method) {
            return Err(if xhr {
                refuse(
                    RefusalKind::InvalidMethod,
                    "SyntaxError",
                    format!("Failed to execute 'open' on 'XMLHttpRequest': '{}' is not a valid HTTP method.", req.method),
                    true,
                    "Use a method name made of letters, digits and !#$%&'*+-.^_`|~ only.",
                )
            } else {
                refuse(
                    RefusalKind::InvalidMethod,
                    "TypeError",
                    format!("{FETCH_PREFIX}'{}' is not a valid HTTP method.", req.method),
                    true,
                    "Use a method name made of letters, digits and !#$%&'*+-.^_`|~ only.",
                )
            });
        }
        if method::is_forbidden(&req.method) {
            return Err(if xhr {
                refuse(
                    RefusalKind::ForbiddenMethod,
                    "SecurityError",
                    format!("Failed to execute 'open' on 'XMLHttpRequest': '{}' HTTP method is unsupported.", req.method),
                    true,
                    "Browsers never send CONNECT, TRACE or TRACK; use another method.",
                )
            } else {
                refuse(
                    RefusalKind::ForbiddenMethod,
                    "TypeError",
                    format!("{FETCH_PREFIX}'{}' HTTP method is unsupported.", req.method),
                    true,
                    "Browsers never send CONNECT, TRACE or TRACK; use another method.",
                )
            });
        }
        Ok(method::normalize(&req.method))
    };

    let mut normalized_method = String::new();
    if xhr {
        normalized_method = check_method()?;
    }

    let url = Url::parse(&req.url).map_err(|_| {
        refuse(
            RefusalKind::InvalidUrl,
            "TypeError",
            if xhr {
                "Failed to execute 'open' on 'XMLHttpRequest': Invalid URL".to_owned()
            } else {
                format!("{FETCH_PREFIX}Failed to parse URL from {}", req.url)
            },
            false,
            "Pass an absolute URL such as http://localhost:3000/data.",
        )
    })?;
    if url.has_credentials() && !xhr {
        return Err(refuse(
            RefusalKind::UrlWithCredentials,
            "TypeError",
            format!("{FETCH_PREFIX}Request cannot be constructed from a URL that includes credentials: {}", req.url.trim()),
            true,
            "Remove user:password@ from the URL and send credentials in an Authorization header (which the server must then allow).",
        ));
    }
    if !url.is_http_or_https() {
        return Err(refuse(
            RefusalKind::UnsupportedScheme,
            "TypeError",
            "Failed to fetch".to_owned(),
            true,
            &format!(
                "Only http: and https: URLs take part in CORS; serve the resource over HTTP(S). Chrome's console says: Fetch API cannot load {url}. URL scheme \"{}\" is not supported.",
                url.scheme()
            ),
        ));
    }

    if !xhr {
        normalized_method = check_method()?;
    }

    // Headers, in order.
    let mut headers: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, value) in &req.headers {
        if !is_token(name.as_bytes()) {
            return Err(if xhr {
                refuse(
                    RefusalKind::InvalidHeaderName,
                    "SyntaxError",
                    format!("Failed to execute 'setRequestHeader' on 'XMLHttpRequest': '{name}' is not a valid HTTP header field name."),
                    true,
                    "Header names are HTTP tokens: no spaces, colons or other separators.",
                )
            } else {
                refuse(
                    RefusalKind::InvalidHeaderName,
                    "TypeError",
                    format!("{FETCH_PREFIX}Invalid name"),
                    true,
                    "Header names are HTTP tokens: no spaces, colons or other separators.",
                )
            });
        }
        let v = match normalize_value(value) {
            Ok(v) => v,
            Err(RefusalKind::NonLatin1HeaderValue) => {
                return Err(refuse(
                    RefusalKind::NonLatin1HeaderValue,
                    "TypeError",
                    if xhr {
                        "Failed to execute 'setRequestHeader' on 'XMLHttpRequest': String contains non ISO-8859-1 code point.".to_owned()
                    } else {
                        format!("{FETCH_PREFIX}Failed to read the 'headers' property from 'RequestInit': String contains non ISO-8859-1 code point.")
                    },
                    true,
                    "Header values are bytes: encode text above U+00FF (e.g. percent-encode or base64 it).",
                ))
            }
            Err(kind) => {
                return Err(if xhr {
                    refuse(
                        kind,
                        "SyntaxError",
                        format!("Failed to execute 'setRequestHeader' on 'XMLHttpRequest': '{}' is not a valid HTTP header field value.", value),
                        false,
                        "Header values may not contain NUL, CR or LF.",
                    )
                } else {
                    refuse(kind, "TypeError", format!("{FETCH_PREFIX}Invalid value"), true, "Header values may not contain NUL, CR or LF.")
                })
            }
        };
        if let Some(reason) = forbidden_request_header(name, &v, engine) {
            let why = match &reason {
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
            warnings.push(Warning {
                message: format!("The header {name} is not sent: {why}."),
                chrome_console: (xhr && engine == Engine::Chrome)
                    .then(|| format!("Refused to set unsafe header \"{name}\"")),
                kind: WarningKind::DroppedForbiddenHeader {
                    name: name.clone(),
                    reason,
                },
            });
            continue;
        }
        if req.mode == RequestMode::NoCors {
            let lower = name.to_ascii_lowercase();
            let no_cors_name = matches!(
                lower.as_str(),
                "accept" | "accept-language" | "content-language" | "content-type"
            );
            if !no_cors_name || !safelist::is_cors_safelisted_request_header(name, &v, engine) {
                warnings.push(Warning {
                    message: format!("The header {name} is not sent: in no-cors mode only safelisted Accept, Accept-Language, Content-Language and Content-Type values are kept."),
                    chrome_console: None,
                    kind: WarningKind::DroppedInNoCorsMode { name: name.clone() },
                });
                continue;
            }
        }
        if !sendable(&v) {
            warnings.push(Warning {
                message: format!("The header {name} has a control byte in its value; Chrome would send it, but this model leaves it out."),
                chrome_console: None,
                kind: WarningKind::UnsendableHeaderValue { name: name.clone() },
            });
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
            warnings.push(Warning {
                kind: WarningKind::IgnoredBody,
                message: format!(
                    "XMLHttpRequest ignores the body of a {normalized_method} request."
                ),
                chrome_console: None,
            });
            body = Body::None;
        } else {
            return Err(refuse(
                RefusalKind::BodyWithGetOrHead,
                "TypeError",
                format!("{FETCH_PREFIX}Request with GET/HEAD method cannot have body."),
                true,
                "Send the data in the URL's query string, or use POST.",
            ));
        }
    }
    if req.mode == RequestMode::NoCors {
        if !method::is_cors_safelisted(&normalized_method) {
            return Err(refuse(
                RefusalKind::MethodNotAllowedInNoCors,
                "TypeError",
                format!("{FETCH_PREFIX}'{normalized_method}' is unsupported in no-cors mode."),
                true,
                "no-cors requests may only use GET, HEAD or POST.",
            ));
        }
        if body == Body::Stream {
            return Err(refuse(
                RefusalKind::StreamNotAllowedInNoCors,
                "TypeError",
                format!("{FETCH_PREFIX}Failed to construct 'Request': Streaming upload is not supported in no-cors mode."),
                false,
                "A ReadableStream body needs mode \"cors\" (and then a preflight).",
            ));
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
            warnings.push(Warning {
                kind: WarningKind::UploadListenersIgnored,
                message: "Upload listeners exist only on XMLHttpRequest; ignored for fetch()."
                    .into(),
                chrome_console: None,
            });
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
            initiator: req.initiator,
            use_cors_preflight,
            engine,
        },
        warnings,
    ))
}

#[cfg(test)]
mod tests {
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
        assert_eq!(r.to_string(), "TypeError: Failed to execute 'fetch' on 'Window': 'CONNECT' HTTP method is unsupported.");
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
        assert!(r.chrome_verified);
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
        assert!(r.chrome_verified);
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
        assert!(
            !norm(&CorsRequest::xhr(API, PAGE).method("POST").body(Body::Text)).use_cors_preflight
        );
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
}
