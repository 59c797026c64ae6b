//! Drives Chrome's, then Firefox's, then WebKit's [`Flow`] over a [`Transport`], reusing the
//! answers already received.

use std::time::{Duration, Instant};

use bytes::Bytes;
use corsgate_browser::MAX_REQUESTS;
use corsgate_browser::{
    Allowed, Blocked, Engine, Flow, OutgoingRequest, Refused, ResponseInfo, Step,
};
use http::{HeaderMap, Version};

use super::probe::Probe;
use super::CheckError;

/// Sends one request a flow asks for: over HTTP(S) ([`Client`](super::client::Client)) or to
/// a corsgate policy offline ([`OfflinePolicy`](super::offline::OfflinePolicy)).
pub(crate) trait Transport {
    /// Sends `req` (with `body` when the request carries one) and returns what was sent, the
    /// response head and how its body ended; everything before `deadline`, when there is
    /// one.
    async fn send(
        &self,
        req: &OutgoingRequest,
        body: Option<&Bytes>,
        deadline: Option<Deadline>,
    ) -> Result<Sent, CheckError>;
}

/// The end of a whole check (`--timeout`): every request, answer and body read of it comes
/// before this instant.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    /// The instant.
    pub at: Instant,
    /// `--timeout`, in seconds, for messages.
    pub secs: u64,
}

impl Deadline {
    /// `timeout` from now.
    pub fn after(timeout: Duration) -> Deadline {
        Deadline {
            at: Instant::now() + timeout,
            secs: timeout.as_secs(),
        }
    }

    /// Has it passed?
    pub fn passed(&self) -> bool {
        Instant::now() >= self.at
    }

    /// The error for `req` still unanswered at the deadline; `detail` is appended (e.g. what
    /// the server did send).
    pub fn expired(&self, req: &OutgoingRequest, detail: &str) -> CheckError {
        let secs = self.secs;
        CheckError::Network(format!(
            "no response to {} {} within {secs} s (--timeout {secs}){detail}: --timeout bounds \
             the whole check, every request and answer of it.",
            req.method, req.url
        ))
    }
}

/// How a response's body ended, as far as it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BodyEnd {
    /// Not read: a preflight's, a redirect's or a `HEAD` answer's (the page never reads
    /// those), or an offline answer.
    NotRead,
    /// Read to its end: this many bytes.
    Complete(u64),
    /// The connection ended (or the body broke) before the body did: the browser fails the
    /// page's read with a network error.
    Cut {
        /// Bytes received.
        received: u64,
        /// What `Content-Length` announced, if it did.
        expected: Option<u64>,
        /// Was it sent `Transfer-Encoding: chunked`?
        chunked: bool,
    },
    /// Still arriving when the check's deadline passed, after this many bytes.
    Unfinished(u64),
}

/// A response and the exact request header fields that produced it.
#[derive(Clone, Debug)]
pub struct Sent {
    /// The HTTP version the exchange used (`None` offline: no HTTP at all).
    pub version: Option<Version>,
    /// Over HTTP/2, the pseudo-header fields sent, in the order sent (`:method`, `:scheme`,
    /// `:authority`, `:path`); empty over HTTP/1.1 and offline.
    pub pseudo: Vec<(&'static str, String)>,
    /// Every header field sent after them, in order: over HTTP/1.1 `host` first; over
    /// HTTP/2 no `host` (`:authority` stands for it).
    pub headers: HeaderMap,
    /// The response.
    pub response: ResponseInfo,
    /// How its body ended.
    pub body: BodyEnd,
}

/// How one engine's flow ended.
#[derive(Debug)]
pub(crate) enum End {
    Allowed(Allowed),
    Blocked(Box<Blocked>),
    Refused(Refused),
    /// CORS let the page have the response, but its body was cut short: reading it fails
    /// with a network error.
    Cut {
        allowed: Allowed,
        status: u16,
        received: u64,
        expected: Option<u64>,
        chunked: bool,
    },
}

/// `transport.send`, bounded by `deadline` whatever the transport does.
pub(crate) async fn send_within<T: Transport>(
    transport: &T,
    req: &OutgoingRequest,
    body: Option<&Bytes>,
    deadline: Option<Deadline>,
) -> Result<Sent, CheckError> {
    let Some(d) = deadline else {
        return transport.send(req, body, None).await;
    };
    match tokio::time::timeout_at(d.at.into(), transport.send(req, body, deadline)).await {
        Ok(result) => result,
        Err(_) => Err(d.expired(req, "")),
    }
}

/// One request of a flow and its answer.
#[derive(Clone, Debug)]
pub(crate) struct Recorded {
    pub request: OutgoingRequest,
    pub sent: Sent,
}

/// The three engines' runs of one probe.
#[derive(Debug)]
pub(crate) struct Runs {
    /// How Chrome's flow ended.
    pub chrome: End,
    /// Every request Chrome sent, in order, with its answer.
    pub chrome_log: Vec<Recorded>,
    /// How Firefox's flow ended.
    pub firefox: End,
    /// How WebKit's flow ended.
    pub webkit: End,
}

/// Runs Chrome's flow, then Firefox's, then WebKit's; each reuses the answer already received
/// for every request that is identical (method, URL, headers, body) and sends only the ones
/// that differ.
pub(crate) async fn run<T: Transport>(
    probe: &Probe,
    transport: &T,
    deadline: Option<Deadline>,
) -> Result<Runs, CheckError> {
    let (chrome, chrome_log) = drive(probe, Engine::Chrome, transport, &[], deadline).await?;
    let (firefox, firefox_log) =
        drive(probe, Engine::Firefox, transport, &chrome_log, deadline).await?;
    let seen: Vec<Recorded> = chrome_log.iter().chain(&firefox_log).cloned().collect();
    let (webkit, _) = drive(probe, Engine::WebKit, transport, &seen, deadline).await?;
    Ok(Runs {
        chrome,
        chrome_log,
        firefox,
        webkit,
    })
}

/// Runs `engine`'s flow, answering from `reuse` where the same request was already sent.
async fn drive<T: Transport>(
    probe: &Probe,
    engine: Engine,
    transport: &T,
    reuse: &[Recorded],
    deadline: Option<Deadline>,
) -> Result<(End, Vec<Recorded>), CheckError> {
    let mut flow: Flow = match probe.flow(engine) {
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
            None => send_within(transport, &next, probe.body(), deadline).await?,
        };
        let step = flow.on_response(&sent.response);
        let body = sent.body.clone();
        let status = sent.response.status.as_u16();
        log.push(Recorded {
            request: next,
            sent,
        });
        match step {
            Step::Send(r) => next = r,
            Step::Allowed(mut a) => {
                return Ok((
                    match body {
                        BodyEnd::Cut {
                            received,
                            expected,
                            chunked,
                        } => End::Cut {
                            allowed: a,
                            status,
                            received,
                            expected,
                            chunked,
                        },
                        BodyEnd::Unfinished(received) => {
                            a.notes.push(format!(
                                "The body was still arriving when the check's deadline passed \
                                 (--timeout), after {received} bytes: it was not read to its \
                                 end, so a cut-short body would go unnoticed."
                            ));
                            End::Allowed(a)
                        }
                        BodyEnd::NotRead | BodyEnd::Complete(_) => End::Allowed(a),
                    },
                    log,
                ))
            }
            Step::Blocked(b) => return Ok((End::Blocked(b), log)),
        }
    }
    Err(CheckError::Network(format!(
        "the request did not finish within {MAX_REQUESTS} requests."
    )))
}
