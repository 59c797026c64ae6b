//! The page server: the demo page (assets embedded in the binary), `/api/policy`, which
//! reads and live-replaces the API's policy, and `/api/check`, which says why the browser
//! blocked one of the page's requests.
//!
//! `GET /api/policy` → `{"cors_enabled": bool, "config": <Config>, "api_origin": ..,
//! "page_origin": ..}`. `PUT /api/policy` with `{"cors_enabled": bool, "config": <Config>}`
//! swaps the API's policy atomically and answers like `GET`; an invalid policy gets 422 with
//! `{"error": "<every problem, one per line>"}` and changes nothing.
//!
//! `POST /api/check` with `{"request": "get" | "put" | "header", "credentials": bool}` runs
//! `corsgate check` (the same [`crate::check::check_network`]) against the live API, for the page's own
//! request of that kind from the caller's origin, and answers the verdict, Chrome's console
//! line, Firefox's, the plain-English why and the corsgate policy that fixes it. The page
//! names one of its three requests; the server builds the request itself (never a URL from
//! the caller).
//!
//! The page fetches both endpoints from its own origin. A PUT or POST must name this server
//! in `Host` (no DNS rebinding), come from this server's origin when it says where from
//! (`Origin`), and send JSON, so other sites' pages cannot change the policy or make the
//! server send requests (a cross-origin JSON request needs a preflight this server never
//! allows).

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use corsgate::Config;
use corsgate_browser::CredentialsMode;
use serde::{Deserialize, Serialize};

use super::LivePolicy;
use crate::check::report::Verdict;
use crate::check::{CheckError, Client, Probe, Report};

/// How long `/api/check` waits for each of the API's answers (the API is in this process).
const CHECK_TIMEOUT_SECS: u64 = 5;
/// How long one `/api/check` may take in all (a preflight, the request, Firefox's extra).
const CHECK_LIMIT: Duration = Duration::from_secs(15);
/// The value the page's third button sends in `X-Demo`.
const DEMO_HEADER_VALUE: &str = "hello";

const INDEX_HTML: &str = include_str!("../../assets/demo/index.html");
const APP_JS: &str = include_str!("../../assets/demo/app.js");
const STYLE_CSS: &str = include_str!("../../assets/demo/style.css");

/// Replaced in `index.html` by the API's origin (`http://localhost:<api-port>`).
const API_ORIGIN_PLACEHOLDER: &str = "{{API_ORIGIN}}";

#[derive(Clone, Debug)]
struct PageState {
    live: Arc<LivePolicy>,
    api_origin: String,
    page_origin: String,
    port: u16,
    index: Arc<str>,
}

#[derive(Debug, Serialize)]
struct PolicyView {
    cors_enabled: bool,
    config: Config,
    api_origin: String,
    page_origin: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyUpdate {
    cors_enabled: bool,
    config: Config,
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
    /// Why, in plain English (`null` when allowed).
    explanation: Option<String>,
    fix: Option<FixView>,
}

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
}

/// The page server's router.
pub(crate) fn router(live: Arc<LivePolicy>, api_origin: String, port: u16) -> Router {
    let index = INDEX_HTML.replace(API_ORIGIN_PLACEHOLDER, &api_origin);
    Router::new()
        .route("/", get(index_html))
        .route("/index.html", get(index_html))
        .route("/app.js", get(app_js))
        .route("/style.css", get(style_css))
        .route("/api/policy", get(get_policy).put(put_policy))
        .route("/api/check", post(post_check))
        .with_state(PageState {
            live,
            api_origin,
            page_origin: format!("http://127.0.0.1:{port}"),
            port,
            index: index.into(),
        })
}

fn asset(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // Always the running binary's page, never a stale copy from an older demo.
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn index_html(State(state): State<PageState>) -> Response {
    asset("text/html; charset=utf-8", Html(state.index.to_string()))
}

async fn app_js() -> Response {
    asset("text/javascript; charset=utf-8", APP_JS)
}

async fn style_css() -> Response {
    asset("text/css; charset=utf-8", STYLE_CSS)
}

fn view(state: &PageState) -> PolicyView {
    PolicyView {
        cors_enabled: state.live.cors_enabled(),
        config: state.live.config(),
        api_origin: state.api_origin.clone(),
        page_origin: state.page_origin.clone(),
    }
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Json(ErrorBody {
            error: message.into(),
        }),
    )
        .into_response()
}

async fn get_policy(State(state): State<PageState>) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Json(view(&state))).into_response()
}

/// Why a request is refused: the status and the message for [`error`].
type Refusal = (StatusCode, String);

/// The `Host` this request names, when it is this server (no DNS rebinding); else 403.
fn own_host(state: &PageState, headers: &HeaderMap, what: &str) -> Result<String, Refusal> {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let port = state.port;
    let own_hosts = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    if own_hosts.iter().any(|h| h == host) {
        Ok(host.to_owned())
    } else {
        Err((
            StatusCode::FORBIDDEN,
            format!("{what} through http://127.0.0.1:{port}/"),
        ))
    }
}

/// Refuses a body that is not JSON (415): a cross-origin page cannot send JSON without a
/// preflight, and this server answers none.
fn require_json(headers: &HeaderMap, what: &str) -> Result<(), Refusal> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().unwrap_or("").trim() == "application/json");
    if is_json {
        Ok(())
    } else {
        Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!("send {what} as JSON (Content-Type: application/json)"),
        ))
    }
}

async fn put_policy(State(state): State<PageState>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err((status, message)) = own_host(&state, &headers, "the policy can only be changed")
        .and_then(|_| require_json(&headers, "the policy"))
    {
        return error(status, message);
    }
    let update: PolicyUpdate = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("not a policy: {e}")),
    };
    match state.live.set(update.cors_enabled, update.config) {
        Ok(()) => get_policy(State(state)).await,
        Err(errors) => error(StatusCode::UNPROCESSABLE_ENTITY, errors.to_string()),
    }
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

async fn post_check(State(state): State<PageState>, headers: HeaderMap, body: Bytes) -> Response {
    let host = match own_host(&state, &headers, "requests can only be checked")
        .and_then(|host| require_json(&headers, "the request to check").map(|()| host))
    {
        Ok(host) => host,
        Err((status, message)) => return error(status, message),
    };
    // The page's origin is the origin it was loaded from; a browser says so in `Origin`
    // (always, on a POST). Another site's page is refused; a script without `Origin` checks
    // for the origin its `Host` names.
    let own_origin = format!("http://{host}");
    let origin = match headers.get(header::ORIGIN).map(|v| v.to_str()) {
        None => own_origin,
        Some(Ok(origin)) if origin == own_origin => own_origin,
        Some(_) => {
            return error(
                StatusCode::FORBIDDEN,
                format!(
                    "requests can only be checked from this page, {own_origin}/ (Origin \
                     differs)"
                ),
            )
        }
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
    let checked = tokio::time::timeout(CHECK_LIMIT, check(&state, &origin, &request)).await;
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
        explanation: report.blocked.map(|b| b.explanation),
        fix: report.fix.map(|f| FixView {
            summary: f.summary,
            corsgate: f.corsgate,
        }),
    };
    ([(header::CACHE_CONTROL, "no-store")], Json(view)).into_response()
}
