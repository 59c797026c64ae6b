//! The result of a check as data: the `--json` document (schema in `docs/check.md`).
//!
//! Field names and meanings are stable within a [`SCHEMA_VERSION`]; new fields may be added,
//! none is removed or changes type without a new version.

use serde::{Deserialize, Serialize};

use super::fix::Fix;

/// The version of the JSON document's schema.
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
    /// Every header line sent, in order (`host` first; a browser adds its own `User-Agent`,
    /// `Sec-Fetch-*`... which CORS does not look at).
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
    /// `"preflight"` or `"actual"`.
    pub purpose: String,
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
    /// `"include"`, `"same-origin"` or `"omit"`.
    pub credentials: String,
    /// `"fetch"` or `"xhr"`.
    pub initiator: String,
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
    pub kind: String,
    /// `"preflight"`, `"redirect"`, `"response"` or `"request"` (refused before sending).
    pub stage: String,
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
    /// Firefox (`null` when allowed).
    pub reason: Option<String>,
}

/// Both browsers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Browsers {
    /// Chromium 156 (Chrome, Edge...).
    pub chrome: BrowserVerdict,
    /// Firefox ESR 153.
    pub firefox: BrowserVerdict,
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
