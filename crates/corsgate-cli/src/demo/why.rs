//! `POST /api/check`: why the browser blocked one of the page's requests (`corsgate check`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Extension, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use corsgate_browser::CredentialsMode;
use serde::{Deserialize, Serialize};

use super::page::{error, read_body, require_json, OwnHost, PageState};
use crate::check::report::Verdict;
use crate::check::{CheckError, Client, Probe, Report};

/// How long `/api/check` waits for each of the API's answers (the API is in this process).
const CHECK_TIMEOUT_SECS: u64 = 5;
/// How long one `/api/check` may take in all (a preflight, the request, Firefox's extra).
const CHECK_LIMIT: Duration = Duration::from_secs(15);
/// The largest body `/api/check` reads: the page sends a few dozen bytes.
const CHECK_BODY_LIMIT: usize = 16 * 1024;
/// The value the page's third button sends in `X-Demo`.
const DEMO_HEADER_VALUE: &str = "hello";

/// How many `/api/check` replays are running, so that the API's log can label their
/// requests: they carry no `User-Agent` (the check sends no header of its own), while a
/// browser's requests always do.
#[derive(Debug, Default)]
pub(crate) struct Replays(AtomicUsize);

impl Replays {
    /// Whether a request without `User-Agent` that reaches the API now is a replay.
    pub(crate) fn running(&self) -> bool {
        self.0.load(Ordering::SeqCst) > 0
    }

    /// Counts one replay until the returned guard is dropped.
    fn begin(self: &Arc<Self>) -> Replaying {
        self.0.fetch_add(1, Ordering::SeqCst);
        Replaying(self.clone())
    }
}

/// One running replay ([`Replays::begin`]).
struct Replaying(Arc<Replays>);

impl Drop for Replaying {
    fn drop(&mut self) {
        self.0 .0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Which of the page's three requests `/api/check` replays.
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
enum PageRequest {
    /// Fetch Data: `GET /data`.
    Get,
    /// `PUT /data`.
    Put,
    /// `GET /data` with `X-Demo: hello`.
    Header,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckRequest {
    request: PageRequest,
    #[serde(default)]
    credentials: bool,
}

/// One browser's console line and reason code (`null` when it does not block).
#[derive(Debug, Serialize)]
struct BrowserView {
    message: Option<String>,
    reason: Option<String>,
}

/// The fix as the page shows it.
#[derive(Debug, Serialize)]
struct FixView {
    summary: String,
    /// The corsgate policy (TOML) that lets the request through; `null` when the fix is not
    /// a policy change.
    corsgate: Option<String>,
}

/// `/api/check`'s answer: the parts of `corsgate check --json` the page shows.
#[derive(Debug, Serialize)]
struct CheckView {
    request: PageRequest,
    credentials: bool,
    method: String,
    url: String,
    origin: String,
    verdict: Verdict,
    /// Chrome's console line (the report's `message`).
    message: Option<String>,
    /// Chrome's `CorsError` name.
    reason: Option<String>,
    firefox: BrowserView,
    /// WebKit's (Safari's) console lines, one per line (`null` where its text for the case
    /// has not been observed).
    webkit: BrowserView,
    /// Why, in plain English (`null` when allowed).
    explanation: Option<String>,
    fix: Option<FixView>,
}

/// The page's request of this kind: the same method, header and credentials mode as `app.js`
/// uses, to the API's `/data`, from `origin`.
fn probe(state: &PageState, origin: &str, request: &CheckRequest) -> Result<Probe, CheckError> {
    let mut page = Probe::page(format!("{}/data", state.api_origin), origin)?;
    match request.request {
        PageRequest::Get => {}
        PageRequest::Put => page = page.method("PUT"),
        PageRequest::Header => page = page.header("X-Demo", DEMO_HEADER_VALUE),
    }
    if request.credentials {
        page = page.credentials(CredentialsMode::Include);
    }
    page.build()
}

/// Checks the page's request against the live API over HTTP, as `corsgate check` does.
async fn check(
    state: &PageState,
    origin: &str,
    request: &CheckRequest,
) -> Result<(Probe, Report), CheckError> {
    let client = Client::new(Duration::from_secs(CHECK_TIMEOUT_SECS), None)?;
    let probe = probe(state, origin, request)?;
    let report = crate::check::check_network(&probe, &client).await?;
    Ok((probe, report))
}

/// `POST /api/check` with `{"request": "get" | "put" | "header", "credentials": bool}` runs
/// `corsgate check` against the live API, for the page's own request of that kind from the
/// caller's origin, and answers the verdict, Chrome's console line, Firefox's, the
/// plain-English why and the corsgate policy that fixes it. The page names one of its three
/// requests; the server builds the request itself (never a URL from the caller).
pub(super) async fn post_check(
    State(state): State<PageState>,
    Extension(OwnHost(host)): Extension<OwnHost>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err((status, message)) = require_json(&headers, "the request to check") {
        return error(status, message);
    }
    // The page's origin is the origin it was loaded from; a browser says so in `Origin`
    // (always, on a POST), and the page server's guard refused any other. A script without
    // `Origin` checks for the origin its `Host` names.
    let origin = format!("http://{host}");
    let body = match read_body(&state, body, CHECK_BODY_LIMIT, "the request to check").await {
        Ok(body) => body,
        Err((status, message)) => return error(status, message),
    };
    let request: CheckRequest = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "not a request to check: {e}; send {{\"request\": \"get\" | \"put\" | \
                     \"header\", \"credentials\": true | false}}"
                ),
            )
        }
    };
    let replaying = state.replays.begin();
    let checked = tokio::time::timeout(CHECK_LIMIT, check(&state, &origin, &request)).await;
    drop(replaying);
    let (probe, report) = match checked {
        Ok(Ok(checked)) => checked,
        Ok(Err(e)) => return error(StatusCode::BAD_GATEWAY, e.to_string()),
        Err(_) => {
            return error(
                StatusCode::GATEWAY_TIMEOUT,
                format!("the check took longer than {CHECK_LIMIT:?}"),
            )
        }
    };
    let view = CheckView {
        request: request.request,
        credentials: request.credentials,
        method: probe.method().to_owned(),
        url: probe.url().to_owned(),
        origin,
        verdict: report.verdict,
        message: report.message,
        reason: report.browsers.chrome.reason,
        firefox: BrowserView {
            message: report.browsers.firefox.message,
            reason: report.browsers.firefox.reason,
        },
        webkit: BrowserView {
            message: report.browsers.webkit.message.map(|m| {
                std::iter::once(m)
                    .chain(report.browsers.webkit.followups)
                    .collect::<Vec<_>>()
                    .join("\n")
            }),
            reason: report.browsers.webkit.reason,
        },
        explanation: report.blocked.map(|b| b.explanation),
        fix: report.fix.map(|f| FixView {
            summary: f.summary,
            corsgate: f.corsgate,
        }),
    };
    ([(header::CACHE_CONTROL, "no-store")], Json(view)).into_response()
}
