//! The server's decision for one request, and the headers its response gets.
//!
//! Order of the preflight checks: origin, then method, then headers, then Private Network
//! Access — the order in which a browser reports them, so a debug-mode answer makes the
//! browser print the first thing that is actually wrong.

use http::header::{
    self, HeaderMap, HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use http::request::Parts;
use http::{Method, StatusCode};

use super::origin::Origin;
use super::request_headers::{self, ListError, MAX_REQUEST_HEADERS_LEN};
use super::token::{is_safelisted_method, is_token};
use super::{Headers, Methods, Policy};

/// `Access-Control-Request-Private-Network` (not in `http`'s constants).
pub const ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-request-private-network");
/// `Access-Control-Allow-Private-Network` (not in `http`'s constants).
pub const ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK: HeaderName =
    HeaderName::from_static("access-control-allow-private-network");

const STAR: HeaderValue = HeaderValue::from_static("*");
const TRUE: HeaderValue = HeaderValue::from_static("true");

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

/// The CORS headers of one response, as cheap clones of pre-rendered values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CorsHeaders {
    preflight: bool,
    allow_origin: Option<HeaderValue>,
    allow_credentials: Option<HeaderValue>,
    allow_methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    /// Further lines when a credentialed `*` echoes a request list split over several lines
    /// (browsers send one line; only then does this allocate).
    allow_headers_more: Vec<HeaderValue>,
    expose_headers: Option<HeaderValue>,
    max_age: Option<HeaderValue>,
    allow_private_network: Option<HeaderValue>,
    vary: Option<HeaderValue>,
}

impl CorsHeaders {
    /// `Access-Control-Allow-Origin`.
    pub fn allow_origin(&self) -> Option<&HeaderValue> {
        self.allow_origin.as_ref()
    }

    /// `Vary` (merged into any `Vary` the response already has).
    pub fn vary(&self) -> Option<&HeaderValue> {
        self.vary.as_ref()
    }

    /// Writes these headers into `map`.
    ///
    /// corsgate owns the CORS response headers: a value the inner service set is replaced,
    /// and removed when the policy sends none, so a response never carries a combination the
    /// policy did not validate. On responses that are not preflights only the headers of
    /// actual responses (`-Allow-Origin`, `-Allow-Credentials`, `-Expose-Headers`) are owned.
    /// `Vary` is merged: never replaced, never duplicated, and left alone when it is `*`.
    pub fn apply_to(&self, map: &mut HeaderMap) {
        // Grow the map at most once (an empty map: allocate it once, at its final size).
        map.reserve(self.len());
        set(map, header::ACCESS_CONTROL_ALLOW_ORIGIN, &self.allow_origin);
        set(
            map,
            header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            &self.allow_credentials,
        );
        set(
            map,
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            &self.expose_headers,
        );
        if self.preflight {
            set(
                map,
                header::ACCESS_CONTROL_ALLOW_METHODS,
                &self.allow_methods,
            );
            set(
                map,
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                &self.allow_headers,
            );
            for more in &self.allow_headers_more {
                map.append(header::ACCESS_CONTROL_ALLOW_HEADERS, more.clone());
            }
            set(map, header::ACCESS_CONTROL_MAX_AGE, &self.max_age);
            set(
                map,
                ACCESS_CONTROL_ALLOW_PRIVATE_NETWORK,
                &self.allow_private_network,
            );
        }
        if let Some(vary) = &self.vary {
            merge_vary(map, vary);
        }
    }
}

impl CorsHeaders {
    /// How many header lines [`CorsHeaders::apply_to`] may add.
    fn len(&self) -> usize {
        let mut n = usize::from(self.allow_origin.is_some())
            + usize::from(self.allow_credentials.is_some())
            + usize::from(self.expose_headers.is_some())
            + usize::from(self.vary.is_some());
        if self.preflight {
            n += usize::from(self.allow_methods.is_some())
                + usize::from(self.allow_headers.is_some())
                + self.allow_headers_more.len()
                + usize::from(self.max_age.is_some())
                + usize::from(self.allow_private_network.is_some());
        }
        n
    }
}

#[inline]
fn set(map: &mut HeaderMap, name: HeaderName, value: &Option<HeaderValue>) {
    match value {
        Some(v) => {
            map.insert(name, v.clone());
        }
        None => {
            if map.contains_key(&name) {
                map.remove(name);
            }
        }
    }
}

fn split_list(v: &HeaderValue) -> impl Iterator<Item = &[u8]> {
    v.as_bytes()
        .split(|&b| b == b',')
        .map(|s| s.trim_ascii())
        .filter(|s| !s.is_empty())
}

/// Adds the tokens of `ours` that `map`'s `Vary` does not already list.
fn merge_vary(map: &mut HeaderMap, ours: &HeaderValue) {
    if !map.contains_key(VARY) {
        map.insert(VARY, ours.clone());
        return;
    }
    let listed = |token: &[u8]| {
        map.get_all(VARY)
            .iter()
            .any(|line| split_list(line).any(|t| t == b"*" || t.eq_ignore_ascii_case(token)))
    };
    let missing = split_list(ours).filter(|t| !listed(t)).count();
    if missing == 0 {
        return;
    }
    if missing == split_list(ours).count() {
        map.append(VARY, ours.clone());
        return;
    }
    // Some tokens are there already: add the others one line each (multiple `Vary` lines
    // mean the same as one comma-joined line). The names come from a fixed vocabulary, so
    // their values are static.
    let to_add: [Option<&'static str>; 4] = {
        let mut out = [None; 4];
        let mut n = 0;
        for t in split_list(ours) {
            if !listed(t) && n < out.len() {
                out[n] = static_vary_token(t);
                n += 1;
            }
        }
        out
    };
    for t in to_add.into_iter().flatten() {
        map.append(VARY, HeaderValue::from_static(t));
    }
}

fn static_vary_token(t: &[u8]) -> Option<&'static str> {
    [
        "origin",
        "access-control-request-method",
        "access-control-request-headers",
        "access-control-request-private-network",
    ]
    .into_iter()
    .find(|s| s.as_bytes().eq_ignore_ascii_case(t))
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
        let origin = match single(&parts.headers, &ORIGIN) {
            Ok(None) => return self.not_cors(),
            Ok(Some(v)) => Some(v),
            // Several Origin lines: a CORS request whose origin is not valid.
            Err(()) => None,
        };
        if parts.method == Method::OPTIONS {
            // One lookup serves both questions: is this a preflight, and for which method.
            let mut acrm = parts.headers.get_all(ACCESS_CONTROL_REQUEST_METHOD).iter();
            let method = match (acrm.next(), acrm.next()) {
                (None, _) => return self.actual(origin, parts),
                (Some(m), None) => Some(m),
                (Some(_), Some(_)) => None,
            };
            self.preflight(origin, method, parts)
        } else {
            self.actual(origin, parts)
        }
    }

    /// The `Access-Control-Allow-Origin` value for this request's origin, `None` when the
    /// origin is not allowed (or not a valid origin).
    fn allow_origin_for(&self, origin: Option<&HeaderValue>, parts: &Parts) -> Option<HeaderValue> {
        if self.rendered.vary.is_none() {
            // `*` without a predicate: every answer is the same whatever the Origin says,
            // even `null` or garbage, so that responses without `Vary` stay consistent.
            return Some(STAR);
        }
        let value = origin?;
        // An exact entry: its own interned value, equal to the request's bytes (no parsing
        // needed: the entry was validated when the policy was built).
        if let Some(exact) = self.origins.exact_value(value.as_bytes()) {
            return Some(exact.clone());
        }
        if !self.origins.has_patterns() && self.predicate.is_none() {
            return None;
        }
        let parsed = Origin::from_bytes(value.as_bytes())?;
        // A pattern or the predicate: echo the request's (validated) bytes.
        (self.origins.allows_any()
            || self.origins.matches_pattern(&parsed)
            || self
                .predicate
                .as_ref()
                .is_some_and(|p| (p.0)(&parsed, parts)))
        .then(|| value.clone())
    }

    fn not_cors(&self) -> Decision {
        let headers = if self.rendered.vary.is_none() {
            // The answer is the same for every origin: say so on every response, so a cached
            // copy serves cross-origin readers too.
            CorsHeaders {
                allow_origin: Some(STAR),
                expose_headers: self.rendered.expose_headers.clone(),
                ..CorsHeaders::default()
            }
        } else {
            CorsHeaders {
                vary: self.rendered.vary.clone(),
                ..CorsHeaders::default()
            }
        };
        Decision {
            outcome: Outcome::NotCors,
            respond: None,
            headers,
        }
    }

    fn actual(&self, origin: Option<&HeaderValue>, parts: &Parts) -> Decision {
        let allow_origin = self.allow_origin_for(origin, parts);
        let allowed = allow_origin.is_some();
        let headers = match allow_origin {
            Some(allow_origin) if origin.is_some() => CorsHeaders {
                allow_origin: Some(allow_origin),
                allow_credentials: self.credentials.then_some(TRUE),
                expose_headers: self.rendered.expose_headers.clone(),
                vary: self.rendered.vary.clone(),
                ..CorsHeaders::default()
            },
            _ => CorsHeaders {
                vary: self.rendered.vary.clone(),
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
    fn preflight(
        &self,
        origin: Option<&HeaderValue>,
        method: Option<&HeaderValue>,
        parts: &Parts,
    ) -> Decision {
        let vary = Some(self.rendered.vary_preflight.clone());
        let allow_origin = match origin.and_then(|_| self.allow_origin_for(origin, parts)) {
            Some(v) => v,
            None => {
                return self.preflight_fail(
                    Rejection::OriginNotAllowed,
                    CorsHeaders {
                        preflight: true,
                        vary,
                        ..CorsHeaders::default()
                    },
                )
            }
        };
        let mut headers = CorsHeaders {
            preflight: true,
            allow_origin: Some(allow_origin),
            allow_credentials: self.credentials.then_some(TRUE),
            allow_methods: self.rendered.allow_methods.clone(),
            allow_headers: self.rendered.allow_headers.clone(),
            vary,
            ..CorsHeaders::default()
        };

        // Method.
        let method = match method {
            Some(m) if is_token(m.as_bytes()) => m,
            _ => return self.preflight_fail(Rejection::MalformedRequestMethod, headers),
        };
        let method_allowed = is_safelisted_method(method.as_bytes())
            || match &self.methods {
                Methods::Any => true,
                Methods::List(list) => list.iter().any(|m| m.as_bytes() == method.as_bytes()),
            };
        if matches!(self.methods, Methods::Any) && self.credentials {
            // Browsers read `*` literally on credentialed requests: name the method.
            headers.allow_methods = Some(method.clone());
        }
        if !method_allowed {
            return self.preflight_fail(Rejection::MethodNotAllowed, headers);
        }

        // Headers.
        let lines = parts.headers.get_all(ACCESS_CONTROL_REQUEST_HEADERS);
        let checked = match &self.headers {
            Headers::Any => request_headers::check(&lines, MAX_REQUEST_HEADERS_LEN, |_| true),
            Headers::List {
                names,
                max_request_len,
            } => request_headers::check(&lines, *max_request_len, |n| {
                names.iter().any(|a| a.as_bytes().eq_ignore_ascii_case(n))
            }),
        };
        let summary = match checked {
            Err(ListError::TooLong) => {
                return self.preflight_fail(Rejection::RequestHeadersTooLong, headers)
            }
            Err(ListError::Malformed) => {
                return self.preflight_fail(Rejection::MalformedRequestHeaders, headers)
            }
            Ok(Err(_name)) => return self.preflight_fail(Rejection::HeaderNotAllowed, headers),
            Ok(Ok(summary)) => summary,
        };
        if let Headers::Any = self.headers {
            if self.credentials {
                // `*` is literal on credentialed requests: echo the (validated) names.
                let mut echoed = lines.iter();
                headers.allow_headers = echoed.next().cloned().filter(|_| summary.any);
                if headers.allow_headers.is_some() {
                    headers.allow_headers_more = echoed.cloned().collect();
                }
            } else if summary.authorization {
                // The spec keeps Authorization out of the `*` wildcard: name it.
                headers.allow_headers =
                    Some(self.rendered.allow_headers_with_authorization.clone());
            }
        }

        // Private Network Access.
        let pna_requested = parts
            .headers
            .get(ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK)
            .is_some_and(|v| v.as_bytes() == b"true");
        if pna_requested {
            if !self.private_network {
                return self.preflight_fail(Rejection::PrivateNetworkNotAllowed, headers);
            }
            headers.allow_private_network = Some(TRUE);
        }

        headers.max_age = self.rendered.max_age.clone();
        Decision {
            outcome: Outcome::PreflightPass,
            respond: (!self.preflight_continue).then_some(self.preflight_status),
            headers,
        }
    }

    /// A refused preflight: 403 with nothing but `Vary`, unless debug mode may explain a
    /// failure after the origin check with an ok status and the allowed parts.
    fn preflight_fail(&self, why: Rejection, headers: CorsHeaders) -> Decision {
        let explain = self.debug && why.after_origin_check();
        let headers = if explain {
            headers
        } else {
            CorsHeaders {
                preflight: true,
                vary: headers.vary,
                ..CorsHeaders::default()
            }
        };
        let status = if explain {
            self.preflight_status
        } else {
            StatusCode::FORBIDDEN
        };
        Decision {
            outcome: Outcome::PreflightFail(why),
            respond: (!self.preflight_continue).then_some(status),
            headers,
        }
    }
}
