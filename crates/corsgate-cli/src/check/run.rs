//! Drives the browser core's [`Flow`] over a transport (the network, or a corsgate policy
//! offline) for Chrome and Firefox, and builds the [`Report`].
//!
//! Chrome's flow runs first; Firefox's reuses Chrome's responses for every request that is
//! identical (method, URL, headers, body) and sends only the ones that differ.

use std::convert::Infallible;

use bytes::Bytes;
use corsgate::Cors;
use corsgate_browser::flow::MAX_REQUESTS;
use corsgate_browser::{
    Allowed, Blocked, CorsRequest, Engine, Flow, OutgoingRequest, PreflightReason, Purpose,
    Refused, ResponseInfo, Stage, Step,
};
use http::{HeaderMap, HeaderValue, Request, Response};
use tower::{Layer, ServiceExt};

use super::args::CheckArgs;
use super::client::{Client, Sent};
use super::fix::{self, Needs, ServerPolicy};
use super::report::{
    self, Api, BlockKind, BlockedInfo, BrowserVerdict, Browsers, Credentials, Exchange, Header,
    HttpRequest, HttpResponse, Leg, Report, RequestSummary, Source, Verdict, SCHEMA_VERSION,
};
use super::CheckError;

/// Sends one request the flow asks for.
pub(crate) trait Transport {
    /// Sends `req` and returns the header lines sent with the response.
    async fn send(&mut self, req: &OutgoingRequest) -> Result<Sent, CheckError>;
}

/// The network.
pub(crate) struct Network {
    pub client: Client,
    pub body: Option<Bytes>,
}

impl Transport for Network {
    async fn send(&mut self, req: &OutgoingRequest) -> Result<Sent, CheckError> {
        self.client.send(req, self.body.as_ref()).await
    }
}

/// A corsgate policy in front of a stub application answering `200 ok`.
pub(crate) struct Policy {
    pub cors: Cors,
    pub body: Option<Bytes>,
}

/// The stub application behind the policy: what a minimal axum/hyper handler returning
/// `"ok"` answers to any method (`content-type`, `content-length`, `date`).
pub fn stub_response() -> Response<String> {
    let mut resp = Response::new("ok".to_owned());
    let h = resp.headers_mut();
    h.insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    h.insert(http::header::CONTENT_LENGTH, HeaderValue::from(2u32));
    if let Ok(v) = HeaderValue::from_str(&http_date(std::time::SystemTime::now())) {
        h.insert(http::header::DATE, v);
    }
    resp
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn http_date(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant's algorithm), for dates after 1970.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let month_name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!(
        "{weekday}, {day:02} {month_name} {year} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

impl Transport for Policy {
    async fn send(&mut self, req: &OutgoingRequest) -> Result<Sent, CheckError> {
        let mut headers = HeaderMap::new();
        if let Ok(uri) = req.url.parse::<http::Uri>() {
            if let Some(Ok(v)) = uri.authority().map(|a| HeaderValue::from_str(a.as_str())) {
                headers.insert(http::header::HOST, v);
            }
        }
        for (n, v) in &req.headers {
            headers.append(n.clone(), v.clone());
        }
        let body = match &self.body {
            Some(b) if req.has_body => {
                headers.insert(http::header::CONTENT_LENGTH, HeaderValue::from(b.len()));
                String::from_utf8_lossy(b).into_owned()
            }
            _ => String::new(),
        };
        let mut request = Request::builder()
            .method(req.method.clone())
            .uri(req.url.as_str())
            .body(body)
            .map_err(|e| CheckError::Usage(format!("cannot build the request: {e}.")))?;
        *request.headers_mut() = headers.clone();
        let app = tower::service_fn(|_req: Request<String>| async {
            Ok::<_, Infallible>(stub_response())
        });
        let response = match self.cors.layer().layer(app).oneshot(request).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        Ok(Sent {
            headers,
            response: ResponseInfo {
                status: response.status(),
                headers: response.headers().clone(),
            },
        })
    }
}

/// How one engine's flow ended.
#[derive(Debug)]
pub(crate) enum End {
    Allowed(Allowed),
    Blocked(Box<Blocked>),
    Refused(Refused),
}

/// One request of a flow and its answer.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub request: OutgoingRequest,
    pub sent: Sent,
}

/// Runs `engine`'s flow, answering from `reuse` where the same request was already sent.
pub(crate) async fn drive<T: Transport>(
    req: &CorsRequest,
    engine: Engine,
    transport: &mut T,
    reuse: &[Recorded],
) -> Result<(End, Vec<Recorded>), CheckError> {
    let mut flow = match Flow::new(req, engine) {
        Ok(f) => f,
        Err(r) => return Ok((End::Refused(r), Vec::new())),
    };
    let mut log = Vec::new();
    let Some(mut next) = flow.next_request() else {
        return Err(CheckError::Usage(
            "the request has nothing to send.".to_owned(),
        ));
    };
    for _ in 0..=MAX_REQUESTS {
        let sent = match reuse.iter().find(|r| r.request == next) {
            Some(r) => r.sent.clone(),
            None => transport.send(&next).await?,
        };
        let step = flow.on_response(&sent.response);
        log.push(Recorded {
            request: next,
            sent,
        });
        match step {
            Step::Send(r) => next = r,
            Step::Allowed(a) => return Ok((End::Allowed(a), log)),
            Step::Blocked(b) => return Ok((End::Blocked(b), log)),
        }
    }
    Err(CheckError::Network(format!(
        "the request did not finish within {MAX_REQUESTS} requests."
    )))
}

fn headers_list(map: &HeaderMap) -> Vec<Header> {
    map.iter()
        .map(|(n, v)| Header {
            name: n.as_str().to_owned(),
            value: v.as_bytes().iter().map(|&b| char::from(b)).collect(),
        })
        .collect()
}

fn exchange(r: &Recorded) -> Exchange {
    Exchange {
        purpose: match r.request.purpose {
            Purpose::Preflight => report::Purpose::Preflight,
            Purpose::Actual => report::Purpose::Actual,
        },
        request: HttpRequest {
            method: r.request.method.to_string(),
            url: r.request.url.clone(),
            headers: headers_list(&r.sent.headers),
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

fn chrome_reason_name(b: &Blocked) -> String {
    let name = b.kind.chromium_name();
    name.strip_prefix('k').unwrap_or(name).to_owned()
}

fn comma_list(value: Option<Vec<u8>>) -> Vec<String> {
    value
        .map(|v| {
            String::from_utf8_lossy(&v)
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// What the server allows, as far as its responses tell.
fn observed_policy(log: &[Recorded]) -> ServerPolicy {
    let mut p = ServerPolicy::default();
    for r in log {
        let resp = &r.sent.response;
        if let Some(acao) = resp.combined("access-control-allow-origin") {
            let v = String::from_utf8_lossy(&acao).trim().to_owned();
            let sent = r
                .request
                .headers
                .get(http::header::ORIGIN)
                .map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned());
            // `*`, or the request's own origin echoed back: the server allows it.
            if (v == "*" || Some(&v) == sent.as_ref()) && !p.origins.contains(&v) {
                p.origins.push(v);
            }
        }
        if resp.combined("access-control-allow-credentials").as_deref() == Some(b"true") {
            p.credentials = true;
        }
        if r.request.purpose == Purpose::Preflight {
            for m in comma_list(resp.combined("access-control-allow-methods")) {
                if !p.methods.contains(&m) {
                    p.methods.push(m);
                }
            }
            for h in comma_list(resp.combined("access-control-allow-headers")) {
                let h = h.to_ascii_lowercase();
                if !p.headers.contains(&h) {
                    p.headers.push(h);
                }
            }
            if let Some(Ok(n)) = resp
                .combined("access-control-max-age")
                .map(|v| String::from_utf8_lossy(&v).trim().parse::<i64>())
            {
                p.max_age = Some(n);
            }
        } else {
            for h in comma_list(resp.combined("access-control-expose-headers")) {
                if !p.expose.contains(&h) {
                    p.expose.push(h);
                }
            }
        }
    }
    p
}

/// The server policy a corsgate config stands for.
pub(crate) fn config_policy(config: &corsgate::Config) -> ServerPolicy {
    ServerPolicy {
        origins: config.allow_origins.clone(),
        methods: config.allow_methods.clone(),
        headers: config.allow_headers.clone(),
        expose: config.expose_headers.clone(),
        credentials: config.allow_credentials,
        max_age: config.max_age,
    }
}

/// Runs both engines over `transport` and builds the report.
pub(crate) async fn run<T: Transport>(
    args: &CheckArgs,
    transport: &mut T,
    source: Source,
    policy: Option<(&str, ServerPolicy)>,
) -> Result<Report, CheckError> {
    let req = args.request()?;
    // A bad URL or origin is a usage error, not something the page would do.
    if let Err(r) = Flow::new(&req, Engine::Chrome) {
        use corsgate_browser::request::RefusalKind as K;
        match r.kind {
            K::InvalidOrigin => {
                return Err(CheckError::Usage(format!(
                    "--origin '{}' is not an origin: give scheme://host[:port] without a path, e.g. http://127.0.0.1:5500 ({}).",
                    args.origin, r.message
                )))
            }
            K::InvalidUrl => {
                return Err(CheckError::Usage(format!(
                    "'{}' is not a URL: give an absolute http: or https: URL, e.g. http://localhost:3000/data.",
                    args.url
                )))
            }
            K::UnsupportedScheme => {
                return Err(CheckError::Usage(format!(
                    "'{}' is not an http: or https: URL; only those take part in CORS.",
                    args.url
                )))
            }
            _ => {}
        }
    }
    let (chrome_end, chrome_log) = drive(&req, Engine::Chrome, transport, &[]).await?;
    let (firefox_end, _) = drive(&req, Engine::Firefox, transport, &chrome_log).await?;

    let plan = Flow::new(&req, Engine::Chrome)
        .ok()
        .map(|f| f.plan().clone());
    let exchanges: Vec<Exchange> = chrome_log.iter().map(exchange).collect();
    let leg = |purpose: Purpose| -> Leg {
        match chrome_log
            .iter()
            .rposition(|r| r.request.purpose == purpose)
        {
            Some(i) => Leg {
                sent: true,
                request: Some(exchanges[i].request.clone()),
                response: Some(exchanges[i].response.clone()),
                failure: None,
            },
            None => Leg::default(),
        }
    };
    let mut preflight = leg(Purpose::Preflight);
    let mut actual = leg(Purpose::Actual);

    let summary = RequestSummary {
        url: args.url.clone(),
        origin: args.origin.clone(),
        method: args.method.clone(),
        headers: args
            .headers
            .iter()
            .filter_map(|h| super::args::parse_header(h).ok())
            .map(|(name, value)| Header { name, value })
            .collect(),
        credentials: Credentials::from(req.credentials),
        initiator: Api::from(req.initiator),
        body: args.data.is_some(),
        same_origin: plan.as_ref().is_some_and(|p| p.same_origin),
        preflight_reasons: plan
            .as_ref()
            .map(|p| p.preflight_reasons.iter().map(reason_words).collect())
            .unwrap_or_default(),
    };
    let warnings: Vec<String> = plan
        .as_ref()
        .map(|p| p.warnings.iter().map(|w| w.message.clone()).collect())
        .unwrap_or_default();

    let firefox = match &firefox_end {
        End::Allowed(_) => BrowserVerdict {
            verdict: Verdict::Allowed,
            message: None,
            reason: None,
        },
        End::Blocked(b) => BrowserVerdict {
            verdict: Verdict::Blocked,
            message: b.firefox.as_ref().map(|f| f.message.clone()),
            reason: b.firefox.as_ref().map(|f| f.reason.code().to_owned()),
        },
        End::Refused(r) => BrowserVerdict {
            verdict: Verdict::Blocked,
            message: Some(r.to_string()),
            reason: Some("Refused".to_owned()),
        },
    };

    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        verdict: Verdict::Allowed,
        message: None,
        source,
        policy_file: policy.as_ref().map(|(f, _)| (*f).to_owned()),
        request: summary,
        preflight: Leg::default(),
        actual: Leg::default(),
        exchanges,
        readable_headers: None,
        response_type: None,
        blocked: None,
        browsers: Browsers {
            chrome: BrowserVerdict {
                verdict: Verdict::Allowed,
                message: None,
                reason: None,
            },
            firefox,
        },
        fix: None,
        warnings,
        notes: Vec::new(),
    };
    match chrome_end {
        End::Allowed(a) => {
            report.readable_headers = Some(a.readable_headers.clone());
            report.response_type = Some(a.tainting.as_str().to_owned());
            report.notes = a.notes.clone();
        }
        End::Refused(r) => {
            let text = r.to_string();
            report.verdict = Verdict::Blocked;
            report.message = Some(text.clone());
            report.browsers.chrome = BrowserVerdict {
                verdict: Verdict::Blocked,
                message: Some(text),
                reason: Some("Refused".to_owned()),
            };
            report.blocked = Some(BlockedInfo {
                kind: BlockKind::Refused,
                stage: report::Stage::Request,
                url: args.url.clone(),
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
            };
            match b.stage {
                Stage::Preflight => preflight.failure = Some(b.explanation.clone()),
                Stage::Redirect | Stage::Response => actual.failure = Some(b.explanation.clone()),
            }
            report.blocked = Some(BlockedInfo {
                kind: BlockKind::from(b.kind),
                stage: match b.stage {
                    Stage::Preflight => report::Stage::Preflight,
                    Stage::Redirect => report::Stage::Redirect,
                    Stage::Response => report::Stage::Response,
                },
                url: b.url.clone(),
                status: b.status,
                failed_parameter: b.failed_parameter.clone(),
                disallowed_headers: b.disallowed_headers.clone(),
                explanation: b.explanation.clone(),
            });
            let current = match &policy {
                Some((_, p)) => p.clone(),
                None => observed_policy(&chrome_log),
            };
            let tainted_origin = chrome_log
                .iter()
                .rev()
                .find_map(|r| r.request.headers.get(http::header::ORIGIN))
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let needs = Needs {
                origin: tainted_origin.unwrap_or_else(|| args.origin.trim().to_owned()),
                method: plan
                    .as_ref()
                    .map_or_else(|| args.method.clone(), |p| p.request.method.clone()),
                headers: plan
                    .as_ref()
                    .map(|p| p.unsafe_headers.clone())
                    .unwrap_or_default(),
                credentials: req.credentials == corsgate_browser::CredentialsMode::Include,
            };
            report.fix = Some(fix::fix(&b.cause, &current, &needs));
            if source == Source::Policy && b.stage == Stage::Preflight && b.status == Some(403) {
                report.notes.push(
                    "corsgate answers a preflight it rejects with 403 and no CORS headers, so \
                     browsers report a missing Access-Control-Allow-Origin whatever failed; \
                     set debug = true in the policy to have them name the method or header."
                        .to_owned(),
                );
            }
        }
    }
    report.preflight = preflight;
    report.actual = actual;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_are_imf_fixdates() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(784_111_777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            http_date(std::time::UNIX_EPOCH),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
    }
}
