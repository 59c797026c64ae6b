//! The result of a check as typed data: the `--json` document (schema in `docs/check.md`).

mod build;

use corsgate_browser::{CorsErrorKind, CredentialsMode, Initiator};
use serde::{Deserialize, Serialize};

use super::fix::Fix;

/// The version of the JSON document's schema.
///
/// Field names and meanings are stable within a version; new fields may be added, none is
/// removed or changes type without a new version.
pub const SCHEMA_VERSION: u32 = 1;

/// What the browser does with the response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The page can read the response.
    Allowed,
    /// The browser blocks it (or the page's call throws before sending).
    Blocked,
}

/// Where the responses came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// Real HTTP(S) requests to the server.
    Network,
    /// A corsgate policy, run offline (`--policy`).
    Policy,
}

/// What a request was for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// The `OPTIONS` preflight.
    Preflight,
    /// The page's request itself (or a redirected hop of it).
    Actual,
}

/// Where the browser stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The preflight's response failed.
    Preflight,
    /// A redirect response failed.
    Redirect,
    /// The final response failed its CORS check.
    Response,
    /// The page's call threw before anything was sent.
    Request,
}

/// The page's credentials mode, as JavaScript spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Credentials {
    /// `"include"`: cookies and HTTP auth go everywhere.
    Include,
    /// `"same-origin"`: cookies only to the page's own origin.
    SameOrigin,
    /// `"omit"`: never.
    Omit,
}

impl Credentials {
    /// The JavaScript spelling (the JSON value).
    pub fn as_str(self) -> &'static str {
        CredentialsMode::from(self).as_str()
    }
}

impl From<CredentialsMode> for Credentials {
    fn from(mode: CredentialsMode) -> Self {
        match mode {
            CredentialsMode::Include => Credentials::Include,
            CredentialsMode::SameOrigin => Credentials::SameOrigin,
            CredentialsMode::Omit => Credentials::Omit,
        }
    }
}

impl From<Credentials> for CredentialsMode {
    fn from(c: Credentials) -> Self {
        match c {
            Credentials::Include => CredentialsMode::Include,
            Credentials::SameOrigin => CredentialsMode::SameOrigin,
            Credentials::Omit => CredentialsMode::Omit,
        }
    }
}

/// The API the page calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// `fetch()`.
    Fetch,
    /// `XMLHttpRequest`.
    Xhr,
}

impl From<Initiator> for Api {
    fn from(i: Initiator) -> Self {
        match i {
            Initiator::Fetch => Api::Fetch,
            Initiator::XmlHttpRequest => Api::Xhr,
        }
    }
}

/// Why the browser blocked: Chromium's `CorsError` name (one per [`CorsErrorKind`], with
/// its `net::` name for the network errors), or `Refused` when the page's call threw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)] // one per [`CorsErrorKind`] variant, documented there
pub enum BlockKind {
    DisallowedByMode,
    WildcardOriginNotAllowed,
    MissingAllowOriginHeader,
    MultipleAllowOriginValues,
    InvalidAllowOriginValue,
    AllowOriginMismatch,
    InvalidAllowCredentials,
    CorsDisabledScheme,
    PreflightWildcardOriginNotAllowed,
    PreflightMissingAllowOriginHeader,
    PreflightMultipleAllowOriginValues,
    PreflightInvalidAllowOriginValue,
    PreflightAllowOriginMismatch,
    PreflightInvalidAllowCredentials,
    PreflightInvalidStatus,
    PreflightDisallowedRedirect,
    InvalidAllowMethodsPreflightResponse,
    InvalidAllowHeadersPreflightResponse,
    MethodDisallowedByPreflightResponse,
    HeaderDisallowedByPreflightResponse,
    RedirectContainsCredentials,
    #[serde(rename = "net::ERR_TOO_MANY_REDIRECTS")]
    TooManyRedirects,
    #[serde(rename = "net::ERR_UNSAFE_REDIRECT")]
    UnsafeRedirect,
    /// The body ended before its `Content-Length`: reading it fails with a network error.
    #[serde(rename = "net::ERR_CONTENT_LENGTH_MISMATCH")]
    ContentLengthMismatch,
    /// A chunked body ended before its last chunk: reading it fails with a network error.
    #[serde(rename = "net::ERR_INCOMPLETE_CHUNKED_ENCODING")]
    IncompleteChunkedEncoding,
    /// The page's call threw before sending anything.
    Refused,
}

impl From<CorsErrorKind> for BlockKind {
    fn from(kind: CorsErrorKind) -> Self {
        use CorsErrorKind as K;
        match kind {
            K::DisallowedByMode => BlockKind::DisallowedByMode,
            K::WildcardOriginNotAllowed => BlockKind::WildcardOriginNotAllowed,
            K::MissingAllowOriginHeader => BlockKind::MissingAllowOriginHeader,
            K::MultipleAllowOriginValues => BlockKind::MultipleAllowOriginValues,
            K::InvalidAllowOriginValue => BlockKind::InvalidAllowOriginValue,
            K::AllowOriginMismatch => BlockKind::AllowOriginMismatch,
            K::InvalidAllowCredentials => BlockKind::InvalidAllowCredentials,
            K::CorsDisabledScheme => BlockKind::CorsDisabledScheme,
            K::PreflightWildcardOriginNotAllowed => BlockKind::PreflightWildcardOriginNotAllowed,
            K::PreflightMissingAllowOriginHeader => BlockKind::PreflightMissingAllowOriginHeader,
            K::PreflightMultipleAllowOriginValues => BlockKind::PreflightMultipleAllowOriginValues,
            K::PreflightInvalidAllowOriginValue => BlockKind::PreflightInvalidAllowOriginValue,
            K::PreflightAllowOriginMismatch => BlockKind::PreflightAllowOriginMismatch,
            K::PreflightInvalidAllowCredentials => BlockKind::PreflightInvalidAllowCredentials,
            K::PreflightInvalidStatus => BlockKind::PreflightInvalidStatus,
            K::PreflightDisallowedRedirect => BlockKind::PreflightDisallowedRedirect,
            K::InvalidAllowMethodsPreflightResponse => {
                BlockKind::InvalidAllowMethodsPreflightResponse
            }
            K::InvalidAllowHeadersPreflightResponse => {
                BlockKind::InvalidAllowHeadersPreflightResponse
            }
            K::MethodDisallowedByPreflightResponse => {
                BlockKind::MethodDisallowedByPreflightResponse
            }
            K::HeaderDisallowedByPreflightResponse => {
                BlockKind::HeaderDisallowedByPreflightResponse
            }
            K::RedirectContainsCredentials => BlockKind::RedirectContainsCredentials,
            K::TooManyRedirects => BlockKind::TooManyRedirects,
            K::UnsafeRedirect => BlockKind::UnsafeRedirect,
        }
    }
}

/// The HTTP version of an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HttpVersion {
    /// `"HTTP/1.0"`: a server answering an HTTP/1.1 request as HTTP/1.0.
    #[serde(rename = "HTTP/1.0")]
    Http10,
    /// `"HTTP/1.1"`: every `http:` request, and `https:` when the server does not pick `h2`
    /// by ALPN.
    #[serde(rename = "HTTP/1.1")]
    Http11,
    /// `"HTTP/2"`: `https:` when the server picks `h2` by ALPN.
    #[serde(rename = "HTTP/2")]
    Http2,
}

impl HttpVersion {
    /// The JSON value, as a status line (and curl) writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpVersion::Http10 => "HTTP/1.0",
            HttpVersion::Http11 => "HTTP/1.1",
            HttpVersion::Http2 => "HTTP/2",
        }
    }

    /// The version of a response hyper read (`None` for one corsgate does not speak).
    pub fn from_http(version: http::Version) -> Option<HttpVersion> {
        match version {
            http::Version::HTTP_10 => Some(HttpVersion::Http10),
            http::Version::HTTP_11 => Some(HttpVersion::Http11),
            http::Version::HTTP_2 => Some(HttpVersion::Http2),
            _ => None,
        }
    }
}

/// One header line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The name, lower case.
    pub name: String,
    /// The value (Latin-1 decoded).
    pub value: String,
}

/// A request as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpRequest {
    /// `OPTIONS` for a preflight, else the (possibly redirected) method.
    pub method: String,
    /// The URL.
    pub url: String,
    /// Every header field sent, in order: over HTTP/1.1 `host` first; over HTTP/2 the
    /// pseudo-header fields first (`:method`, `:scheme`, `:authority`, `:path`) and no
    /// `host`. A browser adds its own `User-Agent`, `Sec-Fetch-*`... which CORS does not
    /// look at.
    pub headers: Vec<Header>,
    /// Would the browser attach cookies / HTTP auth here? (corsgate sends none of its own.)
    pub credentials: bool,
    /// Was the `--data` body sent?
    pub body: bool,
}

/// A response as received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Every header line, in order.
    pub headers: Vec<Header>,
}

/// One request and its response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The preflight or the actual request.
    pub purpose: Purpose,
    /// The HTTP version it went over (`null` offline).
    pub http_version: Option<HttpVersion>,
    /// What was sent.
    pub request: HttpRequest,
    /// What came back.
    pub response: HttpResponse,
}

/// The preflight or the actual request: the last one of its kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Leg {
    /// Was it sent?
    pub sent: bool,
    /// The HTTP version it went over (`null` when not sent, or offline).
    pub http_version: Option<HttpVersion>,
    /// The request (`null` when not sent).
    pub request: Option<HttpRequest>,
    /// The response (`null` when not sent).
    pub response: Option<HttpResponse>,
    /// Why the browser rejected this response, in plain words (`null` when it passed).
    pub failure: Option<String>,
}

/// The page's request as given on the command line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestSummary {
    /// The URL requested.
    pub url: String,
    /// The page's origin.
    pub origin: String,
    /// The method as given.
    pub method: String,
    /// The headers the page sets, as given.
    pub headers: Vec<Header>,
    /// The credentials mode.
    pub credentials: Credentials,
    /// The API the page calls.
    pub initiator: Api,
    /// Does the page send a body?
    pub body: bool,
    /// Same-origin with the page (no CORS at all)?
    pub same_origin: bool,
    /// Why a preflight goes first (empty: none), in plain words.
    pub preflight_reasons: Vec<String>,
}

/// Details of a block.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedInfo {
    /// Chromium's `CorsError` name (`MissingAllowOriginHeader`...), or `Refused` when the
    /// page's call threw before sending anything.
    pub kind: BlockKind,
    /// Where the browser stopped (`request`: refused before sending).
    pub stage: Stage,
    /// The URL that failed.
    pub url: String,
    /// The failing response's status (`null` without a response).
    pub status: Option<u16>,
    /// What failed: the header value, method or header name Chrome names (may be empty).
    pub failed_parameter: String,
    /// Every request header name the preflight did not allow.
    pub disallowed_headers: Vec<String>,
    /// What went wrong, in plain words.
    pub explanation: String,
}

/// One browser's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrowserVerdict {
    /// Its verdict.
    pub verdict: Verdict,
    /// Its console text (`null` when allowed, or when it prints no CORS line).
    pub message: Option<String>,
    /// Its reason code: Chromium's `CorsError` name for Chrome, the MDN `CORS…` code for
    /// Firefox, for WebKit (which has no codes) the `CorsError` name of the check that failed
    /// (`null` when allowed).
    pub reason: Option<String>,
    /// The lines the browser prints right after `message` for the same request (Firefox,
    /// after a failed preflight: "CORS request did not succeed ... Status code: (null).";
    /// WebKit: "Fetch API cannot load URL due to access control checks."); left out when
    /// there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub followups: Vec<String>,
    /// `true` when the browser blocks but what it prints for this case has not been observed
    /// in the real browser (WebKit, for most kinds): `message` is then `null`. Left out when
    /// `false`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unobserved: bool,
}

/// The three browsers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Browsers {
    /// Chromium 156 (Chrome, Edge...).
    pub chrome: BrowserVerdict,
    /// Firefox ESR 153.
    pub firefox: BrowserVerdict,
    /// WebKit (Safari's engine), as observed in WebKitGTK 2.50.
    pub webkit: BrowserVerdict,
}

/// The extra preflights corsgate sent to find which part of a preflight the server refuses,
/// when it answered without any CORS headers (a browser sends none of them).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnosis {
    /// What they showed, in plain words (`blocked.explanation` starts with the same cause).
    pub finding: String,
    /// Each of them and its answer, in order.
    pub exchanges: Vec<Exchange>,
}

/// The whole result of `corsgate check`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Chrome's verdict (the exit status follows it).
    pub verdict: Verdict,
    /// Chrome's console text for the block; `null` when allowed.
    pub message: Option<String>,
    /// Network or policy.
    pub source: Source,
    /// The `--policy` file, when checking offline.
    pub policy_file: Option<String>,
    /// The page's request.
    pub request: RequestSummary,
    /// The (last) preflight.
    pub preflight: Leg,
    /// The (last) actual request.
    pub actual: Leg,
    /// Every request Chrome sent, in order (redirects included).
    pub exchanges: Vec<Exchange>,
    /// Response header names the page's script can read (`null` when blocked).
    pub readable_headers: Option<Vec<String>>,
    /// `response.type` (`"cors"`, `"basic"`, `"opaque"`; `null` when blocked).
    pub response_type: Option<String>,
    /// Why it was blocked (`null` when allowed).
    pub blocked: Option<BlockedInfo>,
    /// Chrome and Firefox side by side.
    pub browsers: Browsers,
    /// What to change (`null` when allowed).
    pub fix: Option<Fix>,
    /// How corsgate found the cause a preflight answered without CORS headers hides (`null`
    /// when it did not need to).
    pub diagnosis: Option<Diagnosis>,
    /// What the browser changed silently (dropped headers...).
    pub warnings: Vec<String>,
    /// Worth knowing although it did not decide the verdict.
    pub notes: Vec<String>,
}

impl Report {
    /// The process exit status for this report: 0 allowed, 1 blocked.
    pub fn exit_code(&self) -> u8 {
        match self.verdict {
            Verdict::Allowed => 0,
            Verdict::Blocked => 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json<T: Serialize>(v: T) -> String {
        serde_json::to_string(&v).unwrap()
    }

    #[test]
    fn block_kinds_are_chromium_names() {
        for kind in CorsErrorKind::ALL {
            let name = kind.chromium_name();
            let name = name.strip_prefix('k').unwrap_or(name);
            assert_eq!(json(BlockKind::from(kind)), format!("\"{name}\""));
        }
        assert_eq!(json(BlockKind::Refused), "\"Refused\"");
    }

    #[test]
    fn names_are_the_json_spelling() {
        for c in [
            Credentials::Include,
            Credentials::SameOrigin,
            Credentials::Omit,
        ] {
            assert_eq!(json(c), format!("\"{}\"", c.as_str()));
        }
        assert_eq!(json(Api::Xhr), "\"xhr\"");
        assert_eq!(json(Purpose::Preflight), "\"preflight\"");
        assert_eq!(json(Stage::Request), "\"request\"");
        for v in [HttpVersion::Http10, HttpVersion::Http11, HttpVersion::Http2] {
            assert_eq!(json(v), format!("\"{}\"", v.as_str()));
        }
    }

    #[test]
    fn http_versions_from_hyper() {
        assert_eq!(
            HttpVersion::from_http(http::Version::HTTP_2),
            Some(HttpVersion::Http2)
        );
        assert_eq!(
            HttpVersion::from_http(http::Version::HTTP_11),
            Some(HttpVersion::Http11)
        );
        assert_eq!(
            HttpVersion::from_http(http::Version::HTTP_10),
            Some(HttpVersion::Http10)
        );
        assert_eq!(HttpVersion::from_http(http::Version::HTTP_3), None);
    }
}
