//! Logs: the subscriber (text or JSON lines on stderr) and the one access line per request, with the reason for every blocked CORS request.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use corsgate::Rejection;
use http::header::{self, HeaderName};
use http::request::Parts;
use http::{HeaderValue, StatusCode};

use crate::metrics::{CorsLabel, UpstreamError};
use crate::route::Route;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// `2026-11-30T04:00:00Z  INFO corsgate::access: method=GET ...`
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Installs the global subscriber: lines on stderr, at `level` and above (`RUST_LOG`, when
/// set, wins). A second call does nothing (tests start several gateways in one process).
pub fn init(format: LogFormat, level: tracing::Level) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(level.as_str().to_ascii_lowercase()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// What is said of a blocked actual request.
pub const BLOCKED_ACTUAL: &str = "the origin is not allowed: the response carries no \
     Access-Control-Allow-Origin, so the browser hides it from the page";

/// A refused preflight's reason, in the words `corsgate check` uses, with what was asked.
pub fn rejection_words(why: Rejection, method: &str, headers: &str) -> String {
    match why {
        Rejection::MethodNotAllowed => format!(
            "{why}: the method {method} is not in allow_methods"
        ),
        Rejection::HeaderNotAllowed => format!(
            "{why}: Access-Control-Request-Headers asks for {headers}, not all of them in allow_headers"
        ),
        Rejection::OriginNotAllowed => format!("{why}: it is not in allow_origins"),
        other => other.to_string(),
    }
}

/// An error and its sources, joined with ": ".
pub fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    let mut depth = 0;
    while let Some(s) = source {
        if depth == 8 {
            break;
        }
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
        depth += 1;
    }
    out
}

/// The most characters of a client-sent value (path, origin) a log line shows.
const MAX_SHOWN: usize = 200;

/// A client-sent value made safe for a log line: control characters and non-ASCII bytes
/// escaped, cut at [`MAX_SHOWN`] characters.
fn shown(bytes: &[u8]) -> String {
    let mut out = String::new();
    for &b in bytes.iter().take(MAX_SHOWN) {
        if b.is_ascii_graphic() || b == b' ' {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if bytes.len() > MAX_SHOWN {
        out.push('…');
    }
    out
}

/// One request as its log line tells it. Holds cheap handles on the request's parts (no
/// copies): text is made only for a line that is written.
#[derive(Debug)]
pub struct Access {
    method: http::Method,
    uri: http::Uri,
    client: SocketAddr,
    route: Option<Arc<Route>>,
    /// The `Origin`.
    pub origin: Option<HeaderValue>,
    /// `Access-Control-Request-Method`.
    pub request_method: Option<HeaderValue>,
    /// `Access-Control-Request-Headers`.
    pub request_headers: Option<HeaderValue>,
    /// What the route's policy made of the request.
    pub cors: CorsLabel,
    /// Why it is blocked, when it is.
    pub reason: Option<Rejection>,
    /// Report-only: what enforcing would change.
    pub report_only: Option<&'static str>,
    /// The upstream's failure.
    pub upstream_error: Option<(UpstreamError, String)>,
    /// Whether the route's policy answered (not a keep or report-only route): only then is a
    /// refusal a blocked request.
    pub enforcing: bool,
}

impl Access {
    /// The line of a request, before its outcome is known.
    pub fn new(parts: &Parts, client: SocketAddr, route: Option<&Arc<Route>>) -> Self {
        // Typed names: a `&str` name is parsed again on every lookup.
        let get = |name: HeaderName| parts.headers.get(name).cloned();
        Access {
            method: parts.method.clone(),
            uri: parts.uri.clone(),
            client,
            route: route.cloned(),
            origin: get(header::ORIGIN),
            request_method: get(header::ACCESS_CONTROL_REQUEST_METHOD),
            request_headers: get(header::ACCESS_CONTROL_REQUEST_HEADERS),
            cors: CorsLabel::NotCors,
            reason: None,
            report_only: None,
            upstream_error: None,
            enforcing: true,
        }
    }

    /// Writes the line: info, or warn for a blocked CORS request, an upstream failure or a
    /// report-only difference.
    pub fn log(self, status: StatusCode, took: Duration) {
        let report_only = self.report_only.unwrap_or("");
        let blocked = self.enforcing
            && matches!(
                self.cors,
                CorsLabel::PreflightFailed | CorsLabel::ActualBlocked
            );
        let warn = blocked || self.upstream_error.is_some() || !report_only.is_empty();
        if warn && !tracing::enabled!(target: "corsgate::access", tracing::Level::WARN) {
            return;
        }
        if !warn && !tracing::enabled!(target: "corsgate::access", tracing::Level::INFO) {
            return;
        }
        let ms = took.as_secs_f64() * 1000.0;
        let text =
            |v: &Option<HeaderValue>| v.as_ref().map(|v| shown(v.as_bytes())).unwrap_or_default();
        let origin = text(&self.origin);
        let route = self.route.as_ref().map_or("", |r| r.name.as_str());
        let method = shown(self.method.as_str().as_bytes());
        let path = shown(self.uri.path().as_bytes());
        if warn {
            let reason = match (self.cors, self.reason) {
                (CorsLabel::PreflightFailed, Some(why)) => rejection_words(
                    why,
                    &text(&self.request_method),
                    &text(&self.request_headers),
                ),
                (CorsLabel::ActualBlocked, _) => BLOCKED_ACTUAL.to_owned(),
                _ => String::new(),
            };
            let (error_kind, error) = match &self.upstream_error {
                Some((k, e)) => (k.as_str(), e.as_str()),
                None => ("", ""),
            };
            let client = &self.client;
            let status = status.as_u16();
            let cors = self.cors.as_str();
            let ms = format_args!("{ms:.2}");
            if !report_only.is_empty() {
                tracing::warn!(target: "corsgate::access", method = %method, path = %path, status, route = %route, cors, origin = %origin, report_only = %report_only, reason = %reason, client = %client, ms, "report-only: the route's policy would answer differently");
            } else if blocked {
                tracing::warn!(target: "corsgate::access", method = %method, path = %path, status, route = %route, cors, origin = %origin, reason = %reason, client = %client, ms, "blocked by the CORS policy");
            } else {
                tracing::warn!(target: "corsgate::access", method = %method, path = %path, status, route = %route, cors, origin = %origin, upstream_error = %error_kind, error = %error, client = %client, ms, "upstream failed");
            }
        } else {
            tracing::info!(
                target: "corsgate::access",
                method = %method,
                path = %path,
                status = status.as_u16(),
                route = %route,
                cors = self.cors.as_str(),
                origin = %origin,
                client = %self.client,
                ms = format_args!("{ms:.2}"),
                "request"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_values_are_escaped_and_cut() {
        assert_eq!(shown(b"https://a.example"), "https://a.example");
        assert_eq!(shown(b"a\x1b[31mb\xff"), "a\\x1b[31mb\\xff");
        let long = vec![b'a'; 300];
        assert_eq!(shown(&long).chars().count(), MAX_SHOWN + 1);
    }
}
