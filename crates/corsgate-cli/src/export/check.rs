//! `corsgate export --check`: the policy's corpus sent to a running server and to the
//! reference (the library's layer in front of the same upstream); what `corsgate check`
//! makes of each answer, and the CORS headers, compared. The tests call [`compare`] too.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use bytes::Bytes;
use corsgate::Cors;
use corsgate_browser::CredentialsMode;
use corsgate_export::corpus::{self, PageCall, RawRequest};
use corsgate_export::{Target, Upstream};
use futures_util::StreamExt as _;
use http::Request;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as HttpClient;
use hyper_util::rt::TokioExecutor;

use super::reference;
use crate::check::report::Report;
use crate::check::{check_network, Client, Probe};

/// One thing the server and the reference answered differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The request (its corpus name, method, path and origin).
    pub request: String,
    /// What differs (`chrome message`, `preflight headers`...).
    pub what: String,
    /// The server's.
    pub server: String,
    /// The reference's.
    pub reference: String,
}

/// The result of a comparison.
#[derive(Clone, Debug, Default)]
pub struct Comparison {
    /// Requests compared (page calls and raw requests).
    pub requests: usize,
    /// Every difference found.
    pub differences: Vec<Difference>,
    /// Page calls not compared, each with the target's documented reason.
    pub known: Vec<(String, &'static str)>,
}

impl Comparison {
    /// The report `--check` prints.
    pub fn render(&self) -> String {
        let mut s = String::new();
        if self.differences.is_empty() {
            let _ = writeln!(
                s,
                "equivalent: {} requests, every answer read by Chrome, Firefox and WebKit as \
                 corsgate's own layer's, with the same CORS headers.",
                self.requests - self.known.len()
            );
            self.render_known(&mut s);
            return s;
        }
        let _ = writeln!(
            s,
            "{} difference(s) in {} requests:",
            self.differences.len(),
            self.requests
        );
        for d in &self.differences {
            let _ = writeln!(
                s,
                "- {}: {}\n    server:    {}\n    reference: {}",
                d.request, d.what, d.server, d.reference
            );
        }
        self.render_known(&mut s);
        s
    }

    fn render_known(&self, s: &mut String) {
        if self.known.is_empty() {
            return;
        }
        let _ = writeln!(s, "not compared ({}), known differences:", self.known.len());
        for (request, why) in &self.known {
            let _ = writeln!(s, "- {request}: {why}");
        }
    }
}

/// Page calls checked at once (each against both servers, one after the other).
const IN_FLIGHT: usize = 8;

/// Response headers a server writes of its own, whatever the upstream sent; ignored in the
/// list of headers a page can read.
const SERVERS_OWN: [&str; 8] = [
    "server",
    "connection",
    "keep-alive",
    "date",
    "via",
    "content-type",
    "transfer-encoding",
    "alt-svc",
];

/// What is compared of one answer: named fields, in order.
type Fields = BTreeMap<String, String>;

/// Sends `cors`'s corpus to the server at `server` (a base URL: scheme, host, port) and to
/// the reference in front of `upstream`, and compares. `timeout` bounds each request's
/// check. `Err` when nothing could be compared (a bad URL, an unreachable server).
pub async fn compare(
    cors: &Cors,
    target: Target,
    server: &str,
    upstream: &Upstream,
    timeout: Duration,
) -> Result<Comparison, String> {
    let server = server.trim_end_matches('/').to_owned();
    if !(server.starts_with("http://") || server.starts_with("https://")) {
        return Err(format!(
            "--url '{server}' is not an http:// or https:// base URL, e.g. http://127.0.0.1:8080"
        ));
    }
    let reference = reference::start(cors, upstream).await?;
    let ref_base = reference.base();
    let client = Client::new(timeout, None).map_err(|e| e.to_string())?;
    let corpus = corpus::corpus(cors);
    let mut out = Comparison {
        requests: corpus.len(),
        ..Comparison::default()
    };
    // A few requests in flight at once; results kept in corpus order.
    let mut calls = Vec::new();
    for call in &corpus.page {
        match corsgate_export::known_difference(target, &call.method) {
            // Only when the page's request gets past the preflight: a refused one ends the
            // same way everywhere.
            Some(why) if preflight_passes(cors, &call.origin, &call.method) => {
                out.known.push((label(call), why));
            }
            _ => calls.push(call),
        }
    }
    let pages: Vec<_> = futures_util::stream::iter(calls.into_iter().map(|call| {
        let (server, ref_base, client) = (&server, &ref_base, &client);
        async move {
            let ours = page_fields(call, server, client).await?;
            let theirs = page_fields(call, ref_base, client).await?;
            Ok::<_, String>((call, ours, theirs))
        }
    }))
    .buffered(IN_FLIGHT)
    .collect()
    .await;
    for page in pages {
        let (call, ours, theirs) = page?;
        diff(&label(call), &ours, &theirs, &mut out.differences);
    }
    let raw_client: HttpClient<_, Full<Bytes>> =
        HttpClient::builder(TokioExecutor::new()).build_http();
    for req in &corpus.raw {
        let label = format!("{} (raw {} {})", req.name, req.method, req.path);
        let ours = raw_fields(req, &server, &raw_client, timeout).await?;
        let theirs = raw_fields(req, &ref_base, &raw_client, timeout).await?;
        diff(&label, &ours, &theirs, &mut out.differences);
    }
    Ok(out)
}

/// Does the library pass a preflight from `origin` asking for `method`?
fn preflight_passes(cors: &Cors, origin: &str, method: &str) -> bool {
    let Ok(request) = Request::options("/")
        .header("origin", origin)
        .header("access-control-request-method", method)
        .body(())
    else {
        return false;
    };
    let (parts, ()) = request.into_parts();
    cors.decide(&parts).outcome() == corsgate::Outcome::PreflightPass
}

fn label(call: &PageCall) -> String {
    format!(
        "{} ({} {} from {}{})",
        call.name,
        call.method,
        call.path,
        call.origin,
        if call.credentials {
            ", credentials"
        } else {
            ""
        }
    )
}

fn diff(label: &str, server: &Fields, reference: &Fields, out: &mut Vec<Difference>) {
    let keys: std::collections::BTreeSet<&String> = server.keys().chain(reference.keys()).collect();
    let none = String::from("(none)");
    for k in keys {
        let (a, b) = (
            server.get(k).unwrap_or(&none),
            reference.get(k).unwrap_or(&none),
        );
        if a != b {
            out.push(Difference {
                request: label.to_owned(),
                what: k.clone(),
                server: a.clone(),
                reference: b.clone(),
            });
        }
    }
}

/// The CORS lines of a response (`access-control-*` and `Vary`), compared as HTTP means
/// them: names without case, the order of different names ignored, the lines of one name
/// joined into one list, and each list's elements separated by `, ` (one `Vary` line or two,
/// `a,b` or `a, b`, say the same); `Vary`'s names compared without case or order, each
/// occurrence counted (so a doubled name shows).
pub fn cors_lines<'a>(headers: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut by_name: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (n, v) in headers {
        let n = n.to_ascii_lowercase();
        if n.starts_with("access-control-") || n == "vary" {
            let elements = by_name.entry(n).or_default();
            elements.extend(v.split(',').map(str::trim).filter(|e| !e.is_empty()));
        }
    }
    let all: Vec<String> = by_name
        .into_iter()
        .map(|(n, v)| {
            if n == "vary" {
                // A list of names without case or order (RFC 9110 §12.5.5); a name listed
                // twice still shows.
                let mut names: Vec<String> = v.iter().map(|e| e.to_ascii_lowercase()).collect();
                names.sort();
                return format!("{n}: {}", names.join(", "));
            }
            format!("{n}: {}", v.join(", "))
        })
        .collect();
    all.join(" | ")
}

async fn page_fields(call: &PageCall, base: &str, client: &Client) -> Result<Fields, String> {
    let mut page = Probe::page(format!("{base}{}", call.path), call.origin.clone())
        .map_err(|e| e.to_string())?
        .method(call.method.clone());
    for (n, v) in &call.headers {
        page = page.header(n.clone(), v.clone());
    }
    if call.credentials {
        page = page.credentials(CredentialsMode::Include);
    }
    if let Some(b) = &call.body {
        page = page.body(b.clone());
    }
    let probe = page.build().map_err(|e| e.to_string())?;
    let report = check_network(&probe, client)
        .await
        .map_err(|e| format!("{base}: {e}"))?;
    Ok(report_fields(&report, base))
}

/// What browsers make of the answers, with the server's base URL taken out of messages.
fn report_fields(report: &Report, base: &str) -> Fields {
    let plain = |s: &Option<String>| s.as_deref().unwrap_or("").replace(base, "<server>");
    let mut f = Fields::new();
    let b = &report.browsers;
    for (name, v) in [
        ("chrome", &b.chrome),
        ("firefox", &b.firefox),
        ("webkit", &b.webkit),
    ] {
        f.insert(format!("{name} verdict"), format!("{:?}", v.verdict));
        f.insert(format!("{name} message"), plain(&v.message));
    }
    // Headers every server adds of its own (not CORS, not the upstream's) are left out of
    // what the page can read (`expose_headers = ["*"]` exposes them all).
    let readable = report.readable_headers.as_ref().map(|all| {
        all.iter()
            .filter(|h| !SERVERS_OWN.contains(&h.as_str()))
            .cloned()
            .collect::<Vec<_>>()
    });
    f.insert("readable headers".to_owned(), format!("{readable:?}"));
    for (i, e) in report.exchanges.iter().enumerate() {
        let key = format!("exchange {} ({:?})", i + 1, e.purpose);
        f.insert(format!("{key} status"), e.response.status.to_string());
        f.insert(
            format!("{key} headers"),
            cors_lines(
                e.response
                    .headers
                    .iter()
                    .map(|h| (h.name.as_str(), h.value.as_str())),
            ),
        );
    }
    f
}

async fn raw_fields<C>(
    req: &RawRequest,
    base: &str,
    client: &HttpClient<C, Full<Bytes>>,
    timeout: Duration,
) -> Result<Fields, String>
where
    C: hyper_util::client::legacy::connect::Connect + Clone + Send + Sync + 'static,
{
    let mut builder = Request::builder()
        .method(req.method.as_str())
        .uri(format!("{base}{}", req.path));
    for (n, v) in &req.headers {
        builder = builder.header(n.as_str(), v.as_str());
    }
    let request = builder
        .body(Full::new(Bytes::new()))
        .map_err(|e| format!("{}: cannot build the request: {e}", req.name))?;
    let response = tokio::time::timeout(timeout, client.request(request))
        .await
        .map_err(|_| format!("{base}: no answer to '{}' within {timeout:?}", req.name))?
        .map_err(|e| format!("{base}: '{}' failed: {e}", req.name))?;
    let (parts, body) = response.into_parts();
    let _ = tokio::time::timeout(timeout, body.collect()).await;
    let mut f = Fields::new();
    f.insert("status".to_owned(), parts.status.as_u16().to_string());
    f.insert(
        "headers".to_owned(),
        cors_lines(
            parts
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or("<not text>"))),
        ),
    );
    Ok(f)
}
