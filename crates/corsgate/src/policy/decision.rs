//! The server's decision for one request: [`Decision`], and how [`Policy::decide`] reaches it.
//!
//! Also what a decision says ([`Outcome`], [`Rejection`]) and reading a request's CORS headers
//! in one pass.
//!
//! Order of the preflight checks: origin, then method, then headers, then Private Network
//! Access — the order in which a browser reports them, so a debug-mode answer makes the
//! browser print the first thing that is actually wrong. The headers a decision gives its
//! response, and writing them, are in `response`.

use http::header::{
    HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use http::request::Parts;
use http::{Method, StatusCode};

use super::bytes::same_bytes;
use super::origin::Origin;
use super::request_headers::{self, Lines, ListError, MAX_REQUEST_HEADERS_LEN};
use super::response::{CorsHeaders, Value};
use super::token::{is_safelisted_method, is_token};
use super::value::STAR;
use super::{Headers, Methods, Policy};
use corsgate_fetch::trim_ows;

/// `Access-Control-Request-Private-Network` (not in `http`'s constants).
pub const ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");

/// What kind of request this was and what the policy made of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No `Origin` header: not a CORS request. It reaches the inner service.
    NotCors,
    /// A CORS request that is not a preflight. It always reaches the inner service; CORS
    /// headers are added only when the origin is allowed.
    Actual {
        /// Whether the origin is allowed (the response gets `Access-Control-Allow-Origin`).
        origin_allowed: bool,
    },
    /// `OPTIONS` with `Origin` and `Access-Control-Request-Method`, allowed.
    PreflightPass,
    /// A preflight the policy refuses, and the first check that failed.
    PreflightFail(Rejection),
}

/// Why a preflight was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rejection {
    /// The origin is not allowed (or the `Origin` header is not a valid origin).
    OriginNotAllowed,
    /// `Access-Control-Request-Method` is not a single HTTP token.
    MalformedRequestMethod,
    /// The requested method is not in `allow_methods`.
    MethodNotAllowed,
    /// `Access-Control-Request-Headers` is not a comma-separated list of tokens.
    MalformedRequestHeaders,
    /// `Access-Control-Request-Headers` is longer than any list this policy could allow.
    RequestHeadersTooLong,
    /// A requested header is not in `allow_headers`.
    HeaderNotAllowed,
    /// The preflight asks for Private Network Access and `allow_private_network` is off.
    PrivateNetworkNotAllowed,
}

impl Rejection {
    /// A short, stable identifier (for logs and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Rejection::OriginNotAllowed => "origin-not-allowed",
            Rejection::MalformedRequestMethod => "malformed-request-method",
            Rejection::MethodNotAllowed => "method-not-allowed",
            Rejection::MalformedRequestHeaders => "malformed-request-headers",
            Rejection::RequestHeadersTooLong => "request-headers-too-long",
            Rejection::HeaderNotAllowed => "header-not-allowed",
            Rejection::PrivateNetworkNotAllowed => "private-network-not-allowed",
        }
    }

    /// Whether the failure happened after the origin was accepted (only those can be
    /// explained to the browser in debug mode without disclosing anything to a stranger).
    pub fn after_origin_check(self) -> bool {
        self != Rejection::OriginNotAllowed
    }
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Rejection::OriginNotAllowed => "the origin is not allowed",
            Rejection::MalformedRequestMethod => {
                "Access-Control-Request-Method is not a method name"
            }
            Rejection::MethodNotAllowed => "the requested method is not allowed",
            Rejection::MalformedRequestHeaders => {
                "Access-Control-Request-Headers is not a list of header names"
            }
            Rejection::RequestHeadersTooLong => {
                "Access-Control-Request-Headers is longer than any allowed list"
            }
            Rejection::HeaderNotAllowed => "a requested header is not allowed",
            Rejection::PrivateNetworkNotAllowed => "private network access is not allowed",
        })
    }
}

/// The policy's answer to one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    outcome: Outcome,
    respond: Option<StatusCode>,
    headers: CorsHeaders,
}

impl Decision {
    /// What kind of request it was and the verdict.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// `Some(status)` when corsgate answers the request itself (a preflight, unless
    /// `preflight_continue`), with an empty body; `None` when the request goes on to the
    /// inner service.
    pub fn respond(&self) -> Option<StatusCode> {
        self.respond
    }

    /// The CORS headers to put on the response.
    pub fn headers(&self) -> &CorsHeaders {
        &self.headers
    }

    /// Takes the headers out.
    pub fn into_headers(self) -> CorsHeaders {
        self.headers
    }
}

/// What a request has of one header.
#[derive(Clone, Copy, Debug, Default)]
enum Line<'a> {
    #[default]
    Absent,
    One(&'a HeaderValue),
    Several,
}

impl<'a> Line<'a> {
    /// Counts one more line of this header.
    #[inline]
    fn add(&mut self, value: &'a HeaderValue) {
        *self = match self {
            Line::Absent => Line::One(value),
            _ => Line::Several,
        };
    }

    /// The value when there is exactly one line.
    #[inline]
    fn single(self) -> Option<&'a HeaderValue> {
        match self {
            Line::One(v) => Some(v),
            _ => None,
        }
    }
}

/// What a decision reads of a request: its method and headers, and, for an origin
/// predicate, the whole head (the predicate's signature takes `Parts`).
#[derive(Clone, Copy)]
pub(crate) struct Head<'a> {
    pub(crate) method: &'a Method,
    pub(crate) headers: &'a HeaderMap,
    /// `None` only when the policy has no predicate ([`Policy::needs_parts`]); a predicate
    /// without them would refuse every origin the patterns do not allow.
    pub(crate) parts: Option<&'a Parts>,
}

/// The CORS headers of a request, read in one pass over its headers.
#[derive(Default)]
struct CorsRequestHeaders<'a> {
    origin: Line<'a>,
    method: Line<'a>,
    /// `Access-Control-Request-Headers`: browsers send one line; several are read through
    /// the map.
    request_headers: Line<'a>,
    /// The first `Access-Control-Request-Private-Network` value.
    private_network: Option<&'a HeaderValue>,
}

impl<'a> CorsRequestHeaders<'a> {
    #[inline]
    fn read(map: &'a HeaderMap) -> Self {
        let mut found = CorsRequestHeaders::default();
        for (name, value) in map {
            if *name == ORIGIN {
                found.origin.add(value);
            } else if *name == ACCESS_CONTROL_REQUEST_METHOD {
                found.method.add(value);
            } else if *name == ACCESS_CONTROL_REQUEST_HEADERS {
                found.request_headers.add(value);
            } else if *name == ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK
                && found.private_network.is_none()
            {
                found.private_network = Some(value);
            }
        }
        found
    }
}

/// The single value of a header that must appear at most once; `None` when absent or
/// repeated (a repeated `Origin` is not a valid origin).
fn single<'a>(map: &'a HeaderMap, name: &HeaderName) -> Result<Option<&'a HeaderValue>, ()> {
    let mut all = map.get_all(name).iter();
    match (all.next(), all.next()) {
        (None, _) => Ok(None),
        (Some(v), None) => Ok(Some(v)),
        (Some(_), Some(_)) => Err(()),
    }
}

impl Policy {
    /// Decides one request: what kind it is, whether it is allowed, and which CORS headers
    /// its response gets. Allocates nothing (see the crate docs for the one exception).
    ///
    /// ```
    /// use corsgate::{Config, Outcome, Policy, Rejection};
    /// use http::{Request, StatusCode};
    ///
    /// let policy = Policy::new(
    ///     Config::new()
    ///         .allow_origins(["http://127.0.0.1:5500"])
    ///         .allow_methods(["GET", "POST"]),
    /// )
    /// .unwrap();
    /// let (put_preflight, ()) = Request::options("/data")
    ///     .header("origin", "http://127.0.0.1:5500")
    ///     .header("access-control-request-method", "PUT")
    ///     .body(())
    ///     .unwrap()
    ///     .into_parts();
    /// let decision = policy.decide(&put_preflight);
    /// assert_eq!(decision.outcome(), Outcome::PreflightFail(Rejection::MethodNotAllowed));
    /// assert_eq!(decision.respond(), Some(StatusCode::FORBIDDEN));
    ///
    /// let mut headers = http::HeaderMap::new();
    /// decision.headers().apply_to(&mut headers);
    /// assert!(headers.get("access-control-allow-origin").is_none()); // nothing disclosed
    /// ```
    pub fn decide(&self, parts: &Parts) -> Decision {
        self.decide_head(Head {
            method: &parts.method,
            headers: &parts.headers,
            parts: Some(parts),
        })
    }

    /// Whether deciding needs the request's whole `Parts` (an origin predicate takes them):
    /// without one, [`Policy::decide_head`] reads the method and headers in place.
    #[inline]
    pub(crate) fn needs_parts(&self) -> bool {
        self.predicate.is_some()
    }

    /// [`Policy::decide`] on a request's method and headers where they are, so the layer
    /// need not take the request apart (two moves of its ~240-byte head) to decide it.
    #[inline]
    pub(crate) fn decide_head(&self, head: Head<'_>) -> Decision {
        if *head.method == Method::OPTIONS {
            // A preflight reads four headers: one pass over the request's headers costs
            // less than four lookups.
            let cors = CorsRequestHeaders::read(head.headers);
            return match (cors.origin, cors.method) {
                (Line::Absent, _) => self.not_cors(),
                (origin, Line::Absent) => self.actual(origin.single(), head),
                (origin, method) => self.preflight(origin.single(), method.single(), &cors, head),
            };
        }
        match single(head.headers, &ORIGIN) {
            Ok(None) => self.not_cors(),
            Ok(Some(v)) => self.actual(Some(v), head),
            // Several Origin lines: a CORS request whose origin is not valid.
            Err(()) => self.actual(None, head),
        }
    }

    /// The `Access-Control-Allow-Origin` value for this request's origin, `None` when the
    /// origin is not allowed (or not a valid origin).
    #[inline]
    fn allow_origin_for(&self, origin: Option<&HeaderValue>, head: Head<'_>) -> Option<Value> {
        if self.rendered.vary.is_none() {
            // `*` without a predicate: every answer is the same whatever the Origin says,
            // even `null` or garbage, so that responses without `Vary` stay consistent.
            return Some(Value::Static(&STAR));
        }
        let value = origin?;
        let raw = value.as_bytes();
        // An exact entry: its own rendered value, equal to the request's bytes (no parsing
        // needed: the entry was validated when the policy was built).
        if let Some(exact) = self.origins.exact_value(raw) {
            return Some(Value::Rendered(exact.clone()));
        }
        if !self.origins.has_patterns() && self.predicate.is_none() {
            return None;
        }
        let allowed = match &self.predicate {
            // Wildcard patterns only: matched on the raw bytes, so that a refusal costs no
            // parsing; a match is validated as far as the pattern leaves anything open.
            None => self.origins.matches_pattern_raw(raw),
            // The exact entries missed above (a valid origin has one spelling, so its bytes
            // are its serialization): try the patterns, then the predicate.
            Some(predicate) => Origin::from_bytes(raw).is_some_and(|parsed| {
                self.origins.allows_any()
                    || self.origins.matches_pattern(
                        parsed.scheme().as_bytes(),
                        parsed.host().as_bytes(),
                        parsed.port(),
                    )
                    // `parts` is there whenever the policy has a predicate (`needs_parts`).
                    || head.parts.is_some_and(|parts| (predicate.0)(&parsed, parts))
            }),
        };
        // Echo the request's (validated) bytes.
        allowed.then(|| Value::Echoed(value.clone()))
    }

    fn not_cors(&self) -> Decision {
        let headers = if self.rendered.vary.is_none() {
            // The answer is the same for every origin: say so on every response, so a cached
            // copy serves cross-origin readers too.
            CorsHeaders {
                allow_origin: Some(Value::Static(&STAR)),
                expose_headers: self.rendered.expose_headers.clone(),
                ..CorsHeaders::default()
            }
        } else {
            CorsHeaders {
                vary: self.rendered.vary,
                ..CorsHeaders::default()
            }
        };
        Decision {
            outcome: Outcome::NotCors,
            respond: None,
            headers,
        }
    }

    fn actual(&self, origin: Option<&HeaderValue>, head: Head<'_>) -> Decision {
        let allow_origin = self.allow_origin_for(origin, head);
        let allowed = allow_origin.is_some();
        let headers = match allow_origin {
            Some(allow_origin) if origin.is_some() => CorsHeaders {
                allow_origin: Some(allow_origin),
                allow_credentials: self.credentials,
                expose_headers: self.rendered.expose_headers.clone(),
                vary: self.rendered.vary,
                ..CorsHeaders::default()
            },
            _ => CorsHeaders {
                vary: self.rendered.vary,
                ..CorsHeaders::default()
            },
        };
        Decision {
            outcome: Outcome::Actual {
                origin_allowed: allowed,
            },
            respond: None,
            headers,
        }
    }

    /// `method`: the single `Access-Control-Request-Method` value, `None` when repeated.
    #[inline(always)]
    fn preflight(
        &self,
        origin: Option<&HeaderValue>,
        method: Option<&HeaderValue>,
        cors: &CorsRequestHeaders<'_>,
        head: Head<'_>,
    ) -> Decision {
        let Some(allow_origin) = origin.and_then(|_| self.allow_origin_for(origin, head)) else {
            return self.preflight_refused(Rejection::OriginNotAllowed);
        };
        // The checks gather what the answer echoes; the answer is built once, at the end, so
        // that nothing large is moved around on the way.
        let mut found = Found::default();
        match self.check_preflight(method, cors, head.headers, &mut found) {
            Ok(()) => Decision {
                outcome: Outcome::PreflightPass,
                respond: (!self.preflight_continue).then_some(self.preflight_status),
                headers: self.preflight_headers(allow_origin, &found, None),
            },
            // Debug mode explains a failure after the origin check with an ok status and the
            // allowed parts, so that the browser names what is actually wrong.
            Err(why) if self.debug => Decision {
                outcome: Outcome::PreflightFail(why),
                respond: (!self.preflight_continue).then_some(self.preflight_status),
                headers: self.preflight_headers(allow_origin, &found, Some(why)),
            },
            Err(why) => self.preflight_refused(why),
        }
    }

    /// The method, header and Private Network Access checks of a preflight whose origin is
    /// allowed, in the order browsers report them. Fills in `found` as it goes.
    fn check_preflight<'a>(
        &self,
        method: Option<&'a HeaderValue>,
        cors: &CorsRequestHeaders<'a>,
        headers: &'a HeaderMap,
        found: &mut Found<'a>,
    ) -> Result<(), Rejection> {
        // Method.
        let method = match method {
            Some(m) if is_token(m.as_bytes()) => m,
            _ => return Err(Rejection::MalformedRequestMethod),
        };
        let allowed = match &self.methods {
            Methods::Any => {
                if self.credentials {
                    // Browsers read `*` literally on credentialed requests: name the method.
                    found.method = Some(method);
                }
                true
            }
            Methods::List(list) => {
                is_safelisted_method(method.as_bytes())
                    || list
                        .iter()
                        .any(|m| same_bytes(m.as_bytes(), method.as_bytes()))
            }
        };
        if !allowed {
            return Err(Rejection::MethodNotAllowed);
        }

        // Headers.
        let lines = match cors.request_headers {
            Line::Absent => Lines::None,
            Line::One(v) => Lines::One(v),
            Line::Several => Lines::Many(headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS)),
        };
        let checked = match &self.headers {
            Headers::Any => request_headers::check(&lines, MAX_REQUEST_HEADERS_LEN, &[], |_| true),
            Headers::List {
                names,
                max_request_len,
            } => request_headers::check(&lines, *max_request_len, names, |n| {
                names.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(n))
            }),
        };
        let summary = match checked {
            Err(ListError::TooLong) => return Err(Rejection::RequestHeadersTooLong),
            Err(ListError::Malformed) => return Err(Rejection::MalformedRequestHeaders),
            Ok(Err(_name)) => return Err(Rejection::HeaderNotAllowed),
            Ok(Ok(summary)) => summary,
        };
        if let Headers::Any = self.headers {
            if self.credentials {
                // `*` is literal on credentialed requests: echo the (validated) names.
                found.headers = summary.any.then_some(lines);
            } else {
                // The spec keeps Authorization out of the `*` wildcard: name it.
                found.authorization = summary.authorization;
            }
        }

        // Private Network Access.
        let requested = cors
            .private_network
            .is_some_and(|v| v.as_bytes() == b"true");
        if requested {
            if !self.private_network {
                return Err(Rejection::PrivateNetworkNotAllowed);
            }
            found.private_network = true;
        }
        Ok(())
    }

    /// The headers of a preflight answer for an allowed origin: all of them when it passed
    /// (`failed` is `None`); when it failed (debug mode), the allowed parts found so far, and
    /// no `Max-Age`, so that nothing is cached.
    #[inline(always)]
    fn preflight_headers(
        &self,
        allow_origin: Value,
        found: &Found<'_>,
        failed: Option<Rejection>,
    ) -> CorsHeaders {
        let unreadable_list = matches!(
            failed,
            Some(Rejection::MalformedRequestHeaders | Rejection::RequestHeadersTooLong)
        );
        let allow_headers = match &found.headers {
            // `*` would let the browser pass a list this policy could not read: send none,
            // so that the browser fails on the headers and names the first one.
            None if unreadable_list && matches!(self.headers, Headers::Any) => None,
            Some(Lines::One(line)) => Some(Value::Echoed((*line).clone())),
            // A list split over several lines (by an intermediary: browsers send one) is
            // echoed as one line of names; only this rare case allocates.
            Some(lines) => joined(lines).map(Value::Echoed),
            None if found.authorization => Some(Value::Static(
                self.rendered.allow_headers_with_authorization,
            )),
            None => self.rendered.allow_headers.clone().map(Value::Rendered),
        };
        CorsHeaders {
            preflight: true,
            allow_credentials: self.credentials,
            allow_private_network: found.private_network,
            allow_origin: Some(allow_origin),
            allow_methods: match found.method {
                Some(m) => Some(Value::Echoed(m.clone())),
                None => self.rendered.allow_methods.clone().map(Value::Rendered),
            },
            allow_headers,
            expose_headers: None,
            max_age: if failed.is_none() {
                self.rendered.max_age.clone()
            } else {
                None
            },
            vary: Some(self.rendered.vary_preflight),
        }
    }

    /// A refused preflight without explanation: 403 with nothing but `Vary`, so nothing
    /// about the policy is disclosed.
    fn preflight_refused(&self, why: Rejection) -> Decision {
        Decision {
            outcome: Outcome::PreflightFail(why),
            respond: (!self.preflight_continue).then_some(StatusCode::FORBIDDEN),
            headers: CorsHeaders {
                preflight: true,
                vary: Some(self.rendered.vary_preflight),
                ..CorsHeaders::default()
            },
        }
    }
}

/// The names of a (validated) list split over several lines, as one line: `a,b,c`, without
/// the empty elements and whitespace the lines may have had. `None` when there are none.
fn joined(lines: &Lines<'_>) -> Option<HeaderValue> {
    let mut all = Vec::new();
    for line in lines.iter() {
        for name in line.as_bytes().split(|&b| b == b',') {
            let name = trim_ows(name);
            if name.is_empty() {
                continue;
            }
            if !all.is_empty() {
                all.push(b',');
            }
            all.extend_from_slice(name);
        }
    }
    if all.is_empty() {
        return None;
    }
    // Tokens joined by commas form a valid value.
    HeaderValue::from_maybe_shared(bytes::Bytes::from(all)).ok()
}

/// What a preflight's answer echoes or adds, gathered by its checks.
#[derive(Default)]
struct Found<'a> {
    /// The requested method, named because `*` is literal with credentials.
    method: Option<&'a HeaderValue>,
    /// The requested header lines, named because `*` is literal with credentials.
    headers: Option<Lines<'a>>,
    /// `*` without credentials, and `Authorization` was requested.
    authorization: bool,
    /// Private Network Access was requested and is allowed.
    private_network: bool,
}
