//! When a preflight is answered without CORS headers, which part of it the server refuses:
//! a few extra preflights, each asking for less.
//!
//! A server (corsgate's layer among them) may answer a preflight it rejects with an error
//! and no CORS headers at all, whatever it rejects: the origin, the method or a header.
//! Browsers then report a missing `Access-Control-Allow-Origin`, and so would the fix. To
//! name the real cause, corsgate sends the same preflight asking for `GET` and no headers
//! (which any CORS policy that allows the origin accepts): when that one gets CORS headers,
//! the origin is allowed, and the same preflight with the method alone, then with each
//! header alone, shows which one is refused. A browser sends none of these; the report lists
//! them apart. Over the offline transport the same requests go to the policy's layer, so a
//! policy file and the same policy served live name the same cause.

use corsgate_browser::{
    CorsErrorKind, CredentialsMode, FixCause, OutgoingRequest, PreflightReason, Purpose,
    ResponseInfo,
};
use http::header::{ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD};
use http::HeaderValue;

use super::engines::{send_within, Deadline, End, Recorded, Runs, Transport};
use super::probe::Probe;

/// The most headers tried one by one.
const MAX_HEADERS_TRIED: usize = 8;

/// What the extra preflights found.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    /// The cause they show (replacing the missing `Access-Control-Allow-Origin`) and what the
    /// server refuses in words ("the method PUT"); `None` when they show none (the origin
    /// gets no CORS headers either: the browser's cause stands).
    pub cause: Option<(FixCause, String)>,
    /// How the extra preflights show it, in plain words (no final stop).
    pub evidence: String,
    /// Every extra preflight and its answer, in order.
    pub log: Vec<Recorded>,
}

/// Does this preflight answer carry CORS headers with an ok status (the server accepted
/// what it asked for)?
fn accepted(response: &ResponseInfo) -> bool {
    response.is_ok() && response.count("access-control-allow-origin") > 0
}

/// The extra preflights for Chrome's run of `probe`, when its preflight got no
/// `Access-Control-Allow-Origin`, and what they show (when asking for less gets no CORS
/// headers either, the origin is refused, or there is no CORS at all: the browser's cause
/// stands); `None` when that is not what happened, or none of them got an answer before the
/// check's deadline.
pub(crate) async fn run<T: Transport>(
    probe: &Probe,
    runs: &Runs,
    transport: &T,
    deadline: Option<Deadline>,
) -> Option<Found> {
    let End::Blocked(blocked) = &runs.chrome else {
        return None;
    };
    if blocked.kind != CorsErrorKind::PreflightMissingAllowOriginHeader {
        return None;
    }
    let preflight = runs
        .chrome_log
        .last()
        .filter(|r| r.request.purpose == Purpose::Preflight)?;
    let plan = probe.plan()?;
    let mut method = None;
    let mut headers: Vec<String> = Vec::new();
    for reason in &plan.preflight_reasons {
        match reason {
            PreflightReason::Method(m) => method = Some(m.clone()),
            PreflightReason::Headers(h) => headers = h.clone(),
            PreflightReason::Forced => {}
        }
    }
    if method.is_none() && headers.is_empty() {
        return None;
    }
    let credentials = probe.request().credentials == CredentialsMode::Include;
    let mut log = Vec::new();
    let mut ask = async |m: &str, h: Option<&str>| -> Option<bool> {
        let request = asking(&preflight.request, m, h)?;
        let sent = send_within(transport, &request, None, deadline)
            .await
            .ok()?;
        let ok = accepted(&sent.response);
        log.push(Recorded { request, sent });
        Some(ok)
    };
    let outcome = async {
        if !ask("GET", None).await? {
            return Some(None);
        }
        if let Some(m) = &method {
            if headers.is_empty() || !ask(m, None).await? {
                return Some(Some(Outcome::Method(m.clone())));
            }
        }
        let mut refused = Vec::new();
        for h in headers.iter().take(MAX_HEADERS_TRIED) {
            if !ask("GET", Some(h)).await? {
                refused.push(h.clone());
            }
        }
        Some(Some(Outcome::Headers(refused)))
    }
    .await;
    if log.is_empty() {
        return None;
    }
    let origin_ok = "one from this origin asking for GET and no headers gets CORS headers";
    let (cause, evidence) = match outcome {
        // One got no answer: what came before is still worth listing.
        None => (None, "an extra preflight got no answer".to_owned()),
        Some(None) => (
            None,
            "one from this origin asking for GET and no headers gets no CORS headers either"
                .to_owned(),
        ),
        Some(Some(Outcome::Method(m))) => (
            Some((
                FixCause::NeedsAllowMethod {
                    method: m.clone(),
                    credentials,
                },
                format!("the method {m}"),
            )),
            format!("{origin_ok}, one asking for {m} does not"),
        ),
        Some(Some(Outcome::Headers(mut refused))) => {
            if refused.is_empty() {
                refused = headers.clone();
            }
            let which = if refused.len() == 1 {
                format!("the request header {}", refused[0])
            } else {
                format!("the request headers {}", refused.join(", "))
            };
            let also = match &method {
                Some(m) => format!(" (and so does one asking for {m} and no headers)"),
                None => String::new(),
            };
            let failing = if refused.len() == 1 {
                format!("one asking for GET with the header {} does not", refused[0])
            } else {
                format!(
                    "ones asking for GET with each of the headers {} do not",
                    refused.join(", ")
                )
            };
            (
                Some((
                    FixCause::NeedsAllowHeaders {
                        names: refused,
                        credentials,
                    },
                    which,
                )),
                format!("{origin_ok}{also}, {failing}"),
            )
        }
    };
    Some(Found {
        cause,
        evidence,
        log,
    })
}

/// What the server refuses.
enum Outcome {
    Method(String),
    Headers(Vec<String>),
}

/// `preflight` asking for the method `method` and the request header `header` (or none).
fn asking(
    preflight: &OutgoingRequest,
    method: &str,
    header: Option<&str>,
) -> Option<OutgoingRequest> {
    let mut request = preflight.clone();
    request.headers.insert(
        ACCESS_CONTROL_REQUEST_METHOD,
        HeaderValue::from_str(method).ok()?,
    );
    match header {
        Some(h) => {
            request.headers.insert(
                ACCESS_CONTROL_REQUEST_HEADERS,
                HeaderValue::from_str(h).ok()?,
            );
        }
        None => {
            request.headers.remove(ACCESS_CONTROL_REQUEST_HEADERS);
        }
    }
    Some(request)
}
