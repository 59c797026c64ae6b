//! [`Report::build`]: the report from the probe, both engines' runs and what the server allows.

use corsgate_browser::{Blocked, CredentialsMode, Initiator, Plan, PreflightReason};
use http::HeaderMap;

use super::{
    Api, BlockKind, BlockedInfo, BrowserVerdict, Browsers, Credentials, Diagnosis, Exchange,
    Header, HttpRequest, HttpResponse, HttpVersion, Leg, Purpose, Report, RequestSummary, Source,
    Stage, Verdict, SCHEMA_VERSION,
};
use crate::check::diagnose::Found;
use crate::check::engines::{End, Recorded, Runs, Sent};
use crate::check::fix::{self, Needs, ServerPolicy};
use crate::check::probe::Probe;

/// What reading a cut-short body rejects with in Chrome 156 (checked in the browser).
const CHROME_BODY_FAILED: &str = "TypeError: Failed to fetch";
/// The same in Firefox ESR 153 (checked in the browser; also for a cut-short chunked body).
const FIREFOX_BODY_FAILED: &str =
    "TypeError: Content-Length header of network response exceeds response Body.";

/// The note added when an offline corsgate policy rejects a preflight without debug mode.
const SILENT_PREFLIGHT_NOTE: &str =
    "corsgate answers a preflight it rejects with 403 and no CORS headers, so browsers report \
     a missing Access-Control-Allow-Origin whatever failed; set debug = true in the policy to \
     have them name the method or header.";

impl Report {
    /// The report: Chrome's verdict (with its exchanges, the block and the fix for `current`,
    /// what the server allows now) and Firefox's and WebKit's beside it.
    pub(crate) fn build(
        probe: &Probe,
        runs: Runs,
        found: Option<Found>,
        source: Source,
        policy_file: Option<String>,
        current: &ServerPolicy,
    ) -> Report {
        let plan = probe.plan();
        let exchanges: Vec<Exchange> = runs.chrome_log.iter().map(exchange).collect();
        let mut report = Report {
            schema_version: SCHEMA_VERSION,
            verdict: Verdict::Allowed,
            message: None,
            source,
            policy_file,
            request: summary(probe, plan),
            preflight: leg(&exchanges, Purpose::Preflight),
            actual: leg(&exchanges, Purpose::Actual),
            exchanges,
            readable_headers: None,
            response_type: None,
            blocked: None,
            browsers: Browsers {
                chrome: allowed(),
                firefox: firefox_verdict(&runs.firefox, probe.request().initiator),
                webkit: webkit_verdict(&runs.webkit),
            },
            fix: None,
            diagnosis: None,
            warnings: plan
                .map(|p| p.warnings.iter().map(|w| w.message.clone()).collect())
                .unwrap_or_default(),
            notes: Vec::new(),
        };
        match runs.chrome {
            End::Allowed(a) => {
                report.readable_headers = Some(a.readable_headers);
                report.response_type = Some(a.tainting.as_str().to_owned());
                report.notes = a.notes;
            }
            End::Cut {
                allowed,
                status,
                received,
                expected,
                chunked,
            } => {
                let (kind, reason) = if chunked {
                    (
                        BlockKind::IncompleteChunkedEncoding,
                        "net::ERR_INCOMPLETE_CHUNKED_ENCODING",
                    )
                } else {
                    (
                        BlockKind::ContentLengthMismatch,
                        "net::ERR_CONTENT_LENGTH_MISMATCH",
                    )
                };
                let fetch = probe.request().initiator == corsgate_browser::Initiator::Fetch;
                let message = fetch.then(|| CHROME_BODY_FAILED.to_owned());
                report.verdict = Verdict::Blocked;
                report.message = message.clone();
                report.browsers.chrome = BrowserVerdict {
                    verdict: Verdict::Blocked,
                    message,
                    reason: Some(reason.to_owned()),
                    followups: Vec::new(),
                    unobserved: false,
                };
                let ended = match (chunked, expected) {
                    (true, _) => format!(
                        "The chunked body ended before its last chunk, after {received} bytes"
                    ),
                    (false, Some(n)) => format!(
                        "The body ended after {received} of the {n} bytes its Content-Length \
                         announced"
                    ),
                    (false, None) => format!("The body broke off after {received} bytes"),
                };
                let explanation = format!(
                    "{ended}: the connection closed early. CORS let the page have the \
                     response, but reading its body fails with a network error: fetch() \
                     resolves with the status and headers, then response.text(), .json() \
                     and the like reject with {CHROME_BODY_FAILED} in Chrome ({reason}) and \
                     {FIREFOX_BODY_FAILED} in Firefox; XMLHttpRequest fires error with status \
                     0."
                );
                report.actual.failure = Some(explanation.clone());
                report.fix = Some(fix::complete_body());
                report.notes = allowed.notes;
                report.blocked = Some(BlockedInfo {
                    kind,
                    stage: Stage::Response,
                    url: allowed.url,
                    status: Some(status),
                    failed_parameter: String::new(),
                    disallowed_headers: Vec::new(),
                    explanation,
                });
            }
            End::Refused(r) => {
                let text = r.to_string();
                report.verdict = Verdict::Blocked;
                report.message = Some(text.clone());
                report.browsers.chrome = BrowserVerdict {
                    verdict: Verdict::Blocked,
                    message: Some(text),
                    reason: Some("Refused".to_owned()),
                    followups: Vec::new(),
                    unobserved: false,
                };
                report.blocked = Some(BlockedInfo {
                    kind: BlockKind::Refused,
                    stage: Stage::Request,
                    url: probe.url().to_owned(),
                    status: None,
                    failed_parameter: String::new(),
                    disallowed_headers: Vec::new(),
                    explanation: format!(
                        "The page's call throws {} before anything is sent. {}",
                        r.exception, r.explanation
                    ),
                });
            }
            End::Blocked(b) => {
                report.verdict = Verdict::Blocked;
                report.message = b.chrome_message.clone();
                report.browsers.chrome = BrowserVerdict {
                    verdict: Verdict::Blocked,
                    message: b.chrome_message.clone(),
                    reason: Some(chrome_reason_name(&b)),
                    followups: Vec::new(),
                    unobserved: false,
                };
                let stage = match b.stage {
                    corsgate_browser::Stage::Preflight => Stage::Preflight,
                    corsgate_browser::Stage::Redirect => Stage::Redirect,
                    corsgate_browser::Stage::Response => Stage::Response,
                };
                let mut explanation = b.explanation.clone();
                let mut cause = b.cause.clone();
                if let Some(found) = found {
                    let finding = match &found.cause {
                        Some((found_cause, refused)) => {
                            // The cause first: what the browser reports (a missing header)
                            // follows.
                            explanation = format!(
                                "The server's CORS policy does not allow {refused}: it answered \
                                 the preflight with {} and no CORS headers, which browsers \
                                 report as a missing Access-Control-Allow-Origin. corsgate \
                                 found the cause with extra preflights: {}.",
                                b.status.map_or("an error".to_owned(), |s| s.to_string()),
                                found.evidence
                            );
                            cause = found_cause.clone();
                            format!(
                                "The server's CORS policy does not allow {refused}: {}.",
                                found.evidence
                            )
                        }
                        None => {
                            let finding = format!("Nothing narrower found: {}.", found.evidence);
                            explanation = format!(
                                "{explanation} corsgate's extra preflights: {}.",
                                found.evidence
                            );
                            finding
                        }
                    };
                    report.diagnosis = Some(Diagnosis {
                        finding,
                        exchanges: found.log.iter().map(exchange).collect(),
                    });
                }
                let failed_leg = match stage {
                    Stage::Preflight => &mut report.preflight,
                    _ => &mut report.actual,
                };
                failed_leg.failure = Some(explanation.clone());
                let needs = needs(probe, plan, &runs.chrome_log);
                report.fix = Some(fix::fix(&cause, current, &needs));
                if source == Source::Policy && stage == Stage::Preflight && b.status == Some(403) {
                    report.notes.push(SILENT_PREFLIGHT_NOTE.to_owned());
                }
                report.blocked = Some(BlockedInfo {
                    kind: BlockKind::from(b.kind),
                    stage,
                    url: b.url,
                    status: b.status,
                    failed_parameter: b.failed_parameter,
                    disallowed_headers: b.disallowed_headers,
                    explanation,
                });
            }
        }
        report
    }
}

/// The page's request as given, with what the plan made of it.
fn summary(probe: &Probe, plan: Option<&Plan>) -> RequestSummary {
    let request = probe.request();
    RequestSummary {
        url: probe.url().to_owned(),
        origin: probe.origin().to_owned(),
        method: probe.method().to_owned(),
        headers: probe
            .headers()
            .iter()
            .map(|(name, value)| Header {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        credentials: Credentials::from(request.credentials),
        initiator: Api::from(request.initiator),
        body: probe.body().is_some(),
        same_origin: plan.is_some_and(|p| p.same_origin),
        preflight_reasons: plan
            .map(|p| p.preflight_reasons.iter().map(reason_words).collect())
            .unwrap_or_default(),
    }
}

/// What the request needs from any policy: the origin the browser last sent (`null` after a
/// cross-origin redirect), the method, its unsafe headers and credentials.
fn needs(probe: &Probe, plan: Option<&Plan>, chrome_log: &[Recorded]) -> Needs {
    let sent_origin = chrome_log
        .iter()
        .rev()
        .find_map(|r| r.request.headers.get(http::header::ORIGIN))
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    Needs {
        origin: sent_origin.unwrap_or_else(|| probe.origin().trim().to_owned()),
        method: plan.map_or_else(|| probe.method().to_owned(), |p| p.request.method.clone()),
        headers: plan.map(|p| p.unsafe_headers.clone()).unwrap_or_default(),
        credentials: probe.request().credentials == CredentialsMode::Include,
        opaque_page: probe.origin().trim() == "null",
    }
}

fn allowed() -> BrowserVerdict {
    BrowserVerdict {
        verdict: Verdict::Allowed,
        message: None,
        reason: None,
        followups: Vec::new(),
        unobserved: false,
    }
}

fn firefox_verdict(end: &End, api: Initiator) -> BrowserVerdict {
    match end {
        End::Allowed(_) => allowed(),
        End::Cut { .. } => BrowserVerdict {
            verdict: Verdict::Blocked,
            message: (api == Initiator::Fetch).then(|| FIREFOX_BODY_FAILED.to_owned()),
            reason: Some("NS_ERROR_NET_PARTIAL_TRANSFER".to_owned()),
            followups: Vec::new(),
            unobserved: false,
        },
        End::Blocked(b) => BrowserVerdict {
            verdict: Verdict::Blocked,
            message: b.firefox.as_ref().map(|f| f.message.clone()),
            reason: b.firefox.as_ref().map(|f| f.reason.code().to_owned()),
            followups: b
                .firefox
                .as_ref()
                .map(|f| f.followups.clone())
                .unwrap_or_default(),
            unobserved: false,
        },
        End::Refused(r) => BrowserVerdict {
            verdict: Verdict::Blocked,
            message: Some(r.to_string()),
            reason: Some("Refused".to_owned()),
            followups: Vec::new(),
            unobserved: false,
        },
    }
}

/// WebKit's verdict: its console lines where a real WebKit has shown them for the case
/// (`message` the reason, `followups` the "cannot load" line), or the exception of a call it
/// refuses where observed; else `unobserved`.
fn webkit_verdict(end: &End) -> BrowserVerdict {
    let unobserved = |reason: Option<String>| BrowserVerdict {
        verdict: Verdict::Blocked,
        message: None,
        reason,
        followups: Vec::new(),
        unobserved: true,
    };
    match end {
        End::Allowed(_) => allowed(),
        // What WebKit does with a cut-short body is not observed.
        End::Cut { .. } => unobserved(None),
        End::Refused(r) if r.verified => BrowserVerdict {
            verdict: Verdict::Blocked,
            message: Some(r.to_string()),
            reason: Some("Refused".to_owned()),
            followups: Vec::new(),
            unobserved: false,
        },
        End::Refused(_) => unobserved(Some("Refused".to_owned())),
        End::Blocked(b) => match b.webkit.as_deref() {
            Some([reason, rest @ ..]) => BrowserVerdict {
                verdict: Verdict::Blocked,
                message: Some(reason.clone()),
                reason: Some(chrome_reason_name(b)),
                followups: rest.to_vec(),
                unobserved: false,
            },
            _ => unobserved(Some(chrome_reason_name(b))),
        },
    }
}

/// The last request of this purpose and its response.
fn leg(exchanges: &[Exchange], purpose: Purpose) -> Leg {
    match exchanges.iter().rfind(|e| e.purpose == purpose) {
        Some(e) => Leg {
            sent: true,
            http_version: e.http_version,
            request: Some(e.request.clone()),
            response: Some(e.response.clone()),
            failure: None,
        },
        None => Leg::default(),
    }
}

fn headers_list(map: &HeaderMap) -> Vec<Header> {
    map.iter()
        .map(|(n, v)| Header {
            name: n.as_str().to_owned(),
            value: v.as_bytes().iter().map(|&b| char::from(b)).collect(),
        })
        .collect()
}

/// The header fields a request was sent with: HTTP/2's pseudo-header fields first.
fn request_headers(sent: &Sent) -> Vec<Header> {
    let pseudo = sent.pseudo.iter().map(|(name, value)| Header {
        name: (*name).to_owned(),
        value: value.clone(),
    });
    pseudo.chain(headers_list(&sent.headers)).collect()
}

fn exchange(r: &Recorded) -> Exchange {
    Exchange {
        purpose: match r.request.purpose {
            corsgate_browser::Purpose::Preflight => Purpose::Preflight,
            corsgate_browser::Purpose::Actual => Purpose::Actual,
        },
        http_version: r.sent.version.and_then(HttpVersion::from_http),
        request: HttpRequest {
            method: r.request.method.to_string(),
            url: r.request.url.clone(),
            headers: request_headers(&r.sent),
            credentials: r.request.send_credentials,
            body: r.request.has_body,
        },
        response: HttpResponse {
            status: r.sent.response.status.as_u16(),
            headers: headers_list(&r.sent.response.headers),
        },
    }
}

fn reason_words(r: &PreflightReason) -> String {
    match r {
        PreflightReason::Method(m) => format!("the method {m} is not GET, HEAD or POST"),
        PreflightReason::Headers(h) => format!(
            "the header{} {} {} not CORS-safelisted",
            if h.len() == 1 { "" } else { "s" },
            h.join(", "),
            if h.len() == 1 { "is" } else { "are" }
        ),
        PreflightReason::Forced => "the body or upload listeners force one".to_owned(),
    }
}

/// Chromium's `CorsError` name without its `k` (the `net::` names as they are).
fn chrome_reason_name(b: &Blocked) -> String {
    let name = b.kind.chromium_name();
    name.strip_prefix('k').unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::engines::BodyEnd;
    use http::HeaderValue;

    #[test]
    fn http2_requests_list_their_pseudo_header_fields_first() {
        let mut headers = HeaderMap::new();
        headers.insert("accept", HeaderValue::from_static("*/*"));
        headers.insert("origin", HeaderValue::from_static("https://app.example"));
        let sent = Sent {
            version: Some(http::Version::HTTP_2),
            pseudo: vec![
                (":method", "GET".to_owned()),
                (":scheme", "https".to_owned()),
                (":authority", "api.example:8443".to_owned()),
                (":path", "/data?x=1".to_owned()),
            ],
            headers,
            response: corsgate_browser::response(200, &[]),
            body: BodyEnd::NotRead,
        };
        let names: Vec<String> = request_headers(&sent)
            .into_iter()
            .map(|h| format!("{}: {}", h.name, h.value))
            .collect();
        assert_eq!(
            names,
            [
                ":method: GET",
                ":scheme: https",
                ":authority: api.example:8443",
                ":path: /data?x=1",
                "accept: */*",
                "origin: https://app.example",
            ]
        );
    }
}
