//! The typed report of an audit (pure): the `--json` document (docs/audit.md), built from the probes, their answers and the findings.

use corsgate_browser::ResponseInfo;
use http::HeaderMap;
use serde::Serialize;

use super::classify::{verdicts, Readable};
use super::findings::{findings, Class, Finding, Severity};
use super::fixes::AuditFix;
use super::flags::Target;
use super::probes::{Call, Kind, Probe};

/// The schema version of the `--json` document.
pub const SCHEMA_VERSION: u32 = 1;

/// Where the answers came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The server, over HTTP(S).
    Network,
    /// A corsgate policy file, offline.
    Policy,
}

/// One header line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Header {
    /// The name, lower case.
    pub name: String,
    /// The value, exact (bytes read as Latin-1).
    pub value: String,
}

/// The request a probe sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SentRequest {
    /// `GET` or `OPTIONS`.
    pub method: String,
    /// The URL.
    pub url: String,
    /// Every header field sent, in order: over HTTP/1.1 `host` first; over HTTP/2 the
    /// pseudo-header fields first (`:method`, `:scheme`, `:authority`, `:path`), no `host`.
    pub headers: Vec<Header>,
}

/// What came back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// Every header line, in order.
    pub headers: Vec<Header>,
}

/// One probe, its request and its answer, and the browser's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProbeReport {
    /// Its index in `probes`.
    pub id: usize,
    /// What the origin stands for.
    pub kind: Kind,
    /// The page's origin (the `Origin` sent).
    pub origin: String,
    /// Which request.
    pub call: Call,
    /// The page's method: the call's (`-X`) for a preflight, else `GET`.
    pub page_method: String,
    /// The page's headers (`-H`) for a preflight, else none.
    pub page_headers: Vec<Header>,
    /// The request sent.
    pub request: SentRequest,
    /// The answer.
    pub response: Answer,
    /// Could the page read the response (Chrome's verdict)?
    pub readable: Readable,
}

/// One finding, with its probes embedded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FindingReport {
    /// The class (stable id).
    pub class: Class,
    /// The severity.
    pub severity: Severity,
    /// One line.
    pub title: String,
    /// Why it matters, in one sentence.
    pub why: String,
    /// An untrusted page can read with credentials.
    pub credentials: bool,
    /// The probes that showed it.
    pub probes: Vec<ProbeReport>,
    /// The fix.
    pub fix: AuditFix,
}

/// The pages' call the audit probed (`-X`, `-H`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CallReport {
    /// The method.
    pub method: String,
    /// The headers.
    pub headers: Vec<Header>,
    /// It needs a preflight.
    pub preflight: bool,
}

/// Findings per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// High.
    pub high: usize,
    /// Medium.
    pub medium: usize,
    /// Low.
    pub low: usize,
    /// Info.
    pub info: usize,
}

/// The whole audit: the `--json` document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The URL audited (as the browser serialises it).
    pub url: String,
    /// Network or policy.
    pub source: Source,
    /// The `--policy` file.
    pub policy_file: Option<String>,
    /// The trusted origins (`--origin`).
    pub trusted_origins: Vec<String>,
    /// The pages' call.
    pub call: CallReport,
    /// The server answers any origin with `Access-Control-Allow-Origin: *` (a public API).
    pub public: bool,
    /// Requests sent (the length of `probes`).
    pub requests: usize,
    /// `--fail-on`.
    pub fail_on: Severity,
    /// 1 when a finding reaches `fail_on`, else 0.
    pub exit_code: u8,
    /// Findings per severity.
    pub counts: Counts,
    /// The findings, worst first.
    pub findings: Vec<FindingReport>,
    /// Every probe, in the order sent.
    pub probes: Vec<ProbeReport>,
}

impl Report {
    /// Judges the answers (`responses[i]` and `sent[i]`, the header lines actually sent, for
    /// `probes[i]`) and builds the report.
    pub fn build(
        target: &Target,
        probes: &[Probe],
        sent: &[Vec<Header>],
        responses: &[ResponseInfo],
        source: Source,
        policy_file: Option<String>,
        fail_on: Severity,
    ) -> Report {
        let readable = verdicts(&target.url, probes, responses);
        let found: Vec<Finding> = findings(target, probes, responses, &readable);
        let probe_reports: Vec<ProbeReport> = probes
            .iter()
            .enumerate()
            .map(|(i, p)| ProbeReport {
                id: i,
                kind: p.kind,
                origin: p.origin.clone(),
                call: p.call,
                page_method: p.method.clone(),
                page_headers: pairs(&p.headers),
                request: SentRequest {
                    method: p.request.method.to_string(),
                    url: p.request.url.clone(),
                    headers: sent
                        .get(i)
                        .cloned()
                        .unwrap_or_else(|| lines(&p.request.headers)),
                },
                response: Answer {
                    status: responses[i].status.as_u16(),
                    headers: lines(&responses[i].headers),
                },
                readable: readable[i],
            })
            .collect();
        let mut counts = Counts::default();
        for f in &found {
            match f.severity {
                Severity::High => counts.high += 1,
                Severity::Medium => counts.medium += 1,
                Severity::Low => counts.low += 1,
                Severity::Info => counts.info += 1,
            }
        }
        let fails = found.iter().any(|f| f.severity >= fail_on);
        let public = probes
            .iter()
            .position(|p| p.kind == Kind::AnyOrigin && p.call == Call::Simple)
            .is_some_and(|i| {
                readable[i].without_credentials
                    && responses[i]
                        .combined("access-control-allow-origin")
                        .as_deref()
                        == Some(b"*")
            });
        Report {
            schema_version: SCHEMA_VERSION,
            url: target.url.clone(),
            source,
            policy_file,
            trusted_origins: target.trusted.clone(),
            call: CallReport {
                method: target.method.clone(),
                headers: pairs(&target.headers),
                preflight: target.preflight,
            },
            public,
            requests: probes.len(),
            fail_on,
            exit_code: u8::from(fails),
            counts,
            findings: found
                .into_iter()
                .map(|f| FindingReport {
                    class: f.class,
                    severity: f.severity,
                    title: f.title,
                    why: f.why,
                    credentials: f.credentials,
                    probes: f.probes.iter().map(|&i| probe_reports[i].clone()).collect(),
                    fix: f.fix,
                })
                .collect(),
            probes: probe_reports,
        }
    }
}

/// Header lines in order, values read as Latin-1 (exact for every byte).
pub(crate) fn lines(map: &HeaderMap) -> Vec<Header> {
    map.iter()
        .map(|(n, v)| Header {
            name: n.as_str().to_owned(),
            value: v.as_bytes().iter().map(|&b| char::from(b)).collect(),
        })
        .collect()
}

fn pairs(list: &[(String, String)]) -> Vec<Header> {
    list.iter()
        .map(|(n, v)| Header {
            name: n.clone(),
            value: v.clone(),
        })
        .collect()
}
