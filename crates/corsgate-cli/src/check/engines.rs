//! Drives Chrome's, then Firefox's [`Flow`] over a [`Transport`], reusing Chrome's answers.

use bytes::Bytes;
use corsgate_browser::MAX_REQUESTS;
use corsgate_browser::{
    Allowed, Blocked, Engine, Flow, OutgoingRequest, Refused, ResponseInfo, Step,
};
use http::HeaderMap;

use super::probe::Probe;
use super::CheckError;

/// Sends one request a flow asks for: over HTTP(S) ([`Client`](super::client::Client)) or to
/// a corsgate policy offline ([`OfflinePolicy`](super::offline::OfflinePolicy)).
pub(crate) trait Transport {
    /// Sends `req` (with `body` when the request carries one) and returns what was sent and
    /// the response head.
    async fn send(&self, req: &OutgoingRequest, body: Option<&Bytes>) -> Result<Sent, CheckError>;
}

/// A response and the exact request header lines that produced it.
#[derive(Clone, Debug)]
pub struct Sent {
    /// Every header line sent (`host` first).
    pub headers: HeaderMap,
    /// The response.
    pub response: ResponseInfo,
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

/// Both engines' runs of one probe.
#[derive(Debug)]
pub(crate) struct Runs {
    /// How Chrome's flow ended.
    pub chrome: End,
    /// Every request Chrome sent, in order, with its answer.
    pub chrome_log: Vec<Recorded>,
    /// How Firefox's flow ended.
    pub firefox: End,
}

/// Runs Chrome's flow, then Firefox's, which reuses Chrome's answer for every request that is
/// identical (method, URL, headers, body) and sends only the ones that differ.
pub(crate) async fn run<T: Transport>(probe: &Probe, transport: &T) -> Result<Runs, CheckError> {
    let (chrome, chrome_log) = drive(probe, Engine::Chrome, transport, &[]).await?;
    let (firefox, _) = drive(probe, Engine::Firefox, transport, &chrome_log).await?;
    Ok(Runs {
        chrome,
        chrome_log,
        firefox,
    })
}

/// Runs `engine`'s flow, answering from `reuse` where the same request was already sent.
async fn drive<T: Transport>(
    probe: &Probe,
    engine: Engine,
    transport: &T,
    reuse: &[Recorded],
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
            None => transport.send(&next, probe.body()).await?,
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
