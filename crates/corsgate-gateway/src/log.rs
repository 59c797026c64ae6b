//! Logs: the subscriber (text or JSON lines on stderr) and the one access line per request, with the reason for every blocked CORS request.

use std::net::SocketAddr;
use std::time::Duration;

use corsgate::Rejection;
use http::request::Parts;
use http::StatusCode;

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

/// One request as its log line tells it.
#[derive(Debug)]
pub struct Access {
    method: String,
    path: String,
    client: SocketAddr,
    route: String,
    /// The `Origin`, escaped.
    pub origin: Option<String>,
    /// `Access-Control-Request-Method`, escaped.
    pub request_method: String,
    /// `Access-Control-Request-Headers`, escaped.
    pub request_headers: String,
    /// What the route's policy made of the request.
    pub cors: CorsLabel,
    /// Why it is blocked, when it is.
    pub reason: Option<String>,
    /// Report-only: what enforcing would change.
    pub report_only: Option<&'static str>,
    /// The upstream's failure.
    pub upstream_error: Option<(UpstreamError, String)>,
}

impl Access {
    /// The line of a request, before its outcome is known.
    pub fn new(parts: &Parts, client: SocketAddr, route: Option<&Route>) -> Self {
        let get = |name: &str| parts.headers.get(name).map(|v| shown(v.as_bytes()));
        Access {
            method: shown(parts.method.as_str().as_bytes()),
            path: shown(parts.uri.path().as_bytes()),
            client,
            route: route.map(|r| r.name.clone()).unwrap_or_default(),
            origin: get("origin"),
            request_method: get("access-control-request-method").unwrap_or_default(),
            request_headers: get("access-control-request-headers").unwrap_or_default(),
            cors: CorsLabel::NotCors,
            reason: None,
            report_only: None,
            upstream_error: None,
        }
    }

    /// Writes the line: info, or warn for a blocked CORS request or an upstream failure.
    pub fn log(self, status: StatusCode, took: Duration) {
        let ms = took.as_secs_f64() * 1000.0;
        let origin = self.origin.as_deref().unwrap_or("");
        let reason = self.reason.as_deref().unwrap_or("");
        let report_only = self.report_only.unwrap_or("");
        let (error_kind, error) = match &self.upstream_error {
            Some((k, e)) => (k.as_str(), e.as_str()),
            None => ("", ""),
        };
        let blocked = matches!(
            self.cors,
            CorsLabel::PreflightFailed | CorsLabel::ActualBlocked
        );
        if blocked || !error.is_empty() || !report_only.is_empty() {
            tracing::warn!(
                target: "corsgate::access",
                method = %self.method,
                path = %self.path,
                status = status.as_u16(),
                route = %self.route,
                cors = self.cors.as_str(),
                origin = %origin,
                reason = %reason,
                report_only = %report_only,
                upstream_error = %error_kind,
                error = %error,
                client = %self.client,
                ms = format_args!("{ms:.2}"),
                "{}",
                if !report_only.is_empty() {
                    "report-only: the route's policy would answer differently"
                } else if blocked {
                    "blocked by the CORS policy"
                } else {
                    "upstream failed"
                }
            );
        } else {
            tracing::info!(
                target: "corsgate::access",
                method = %self.method,
                path = %self.path,
                status = status.as_u16(),
                route = %self.route,
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
