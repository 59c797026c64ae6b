//! The sending stage (shell): each probe's one request over a check transport, in order, at most `--rate` per second, each within `--timeout`.

use std::time::{Duration, Instant};

use super::probes::Probe;
use super::report::{lines, Header};
use crate::check::engines::{send_within, Deadline, Transport};
use crate::check::CheckError;
use corsgate_browser::ResponseInfo;

/// How requests are paced and bounded.
#[derive(Clone, Copy, Debug)]
pub struct Pace {
    /// Requests per second (`None`: offline, no pacing).
    pub rate: Option<f64>,
    /// Each request's time, its answer included (`None`: offline).
    pub timeout: Option<Duration>,
}

/// Sends every probe's request, the `i`th no sooner than `i / rate` seconds after the first;
/// returns the header fields sent (over HTTP/2 its pseudo-header fields first, as check's
/// report lists them) and the answers, in probe order. A request that fails
/// (connection, TLS, timeout) stops the audit: it could not run.
pub(crate) async fn send_all<T: Transport>(
    transport: &T,
    probes: &[Probe],
    pace: Pace,
) -> Result<(Vec<Vec<Header>>, Vec<ResponseInfo>), CheckError> {
    let start = Instant::now();
    let mut sent = Vec::with_capacity(probes.len());
    let mut responses = Vec::with_capacity(probes.len());
    for (i, probe) in probes.iter().enumerate() {
        if let Some(rate) = pace.rate {
            let at = start + Duration::from_secs_f64(i as f64 / rate);
            tokio::time::sleep_until(at.into()).await;
        }
        let deadline = pace.timeout.map(Deadline::after);
        let req = &probe.request;
        let answer =
            send_within(transport, req, None, deadline)
                .await
                .map_err(|e| match deadline {
                    Some(d) if d.passed() => CheckError::Network(format!(
                        "no response to {} {} within {} s (--timeout {}, for each request).",
                        req.method, req.url, d.secs, d.secs
                    )),
                    _ => e,
                })?;
        sent.push(
            answer
                .pseudo
                .iter()
                .map(|(name, value)| Header {
                    name: (*name).to_owned(),
                    value: value.clone(),
                })
                .chain(lines(&answer.headers))
                .collect(),
        );
        responses.push(answer.response);
    }
    Ok((sent, responses))
}
