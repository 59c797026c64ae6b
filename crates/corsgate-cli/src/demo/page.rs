//! The page server: the demo page (embedded assets) and `/api/policy`, the API's live policy.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use corsgate::Config;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::why::{self, Replays};
use super::{Limits, LivePolicy};

const INDEX_HTML: &str = include_str!("../../assets/demo/index.html");
const APP_JS: &str = include_str!("../../assets/demo/app.js");
const STYLE_CSS: &str = include_str!("../../assets/demo/style.css");

/// Replaced in `index.html` by the API's origin (`http://localhost:<api-port>`).
const API_ORIGIN_PLACEHOLDER: &str = "{{API_ORIGIN}}";

/// The largest body `PUT /api/policy` reads (1 MiB): a policy at the library's limit of
/// 10,000 origins, each of a usual length, fits in it. Larger bodies get a 413.
pub(super) const POLICY_BODY_LIMIT: usize = 1024 * 1024;

#[derive(Clone, Debug)]
pub(super) struct PageState {
    live: Arc<LivePolicy>,
    /// The API's origin, `http://localhost:<api-port>`.
    pub(super) api_origin: String,
    page_origin: String,
    port: u16,
    index: Arc<str>,
    /// Held while a policy is parsed and validated: one at a time, on a blocking thread.
    validating: Arc<Mutex<()>>,
    /// How long a request body may take to arrive.
    pub(super) body_read_timeout: Duration,
    /// The `/api/check` replays running, for the API's log.
    pub(super) replays: Arc<Replays>,
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

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
}

/// The page server's router.
///
/// `GET /api/policy` → `{"cors_enabled": bool, "config": <Config>, "api_origin": ..,
/// "page_origin": ..}`. `PUT /api/policy` with `{"cors_enabled": bool, "config": <Config>}`
/// swaps the API's policy atomically and answers like `GET`; an invalid policy gets 422 with
/// `{"error": "<every problem, one per line>"}` and changes nothing, a body over
/// [`POLICY_BODY_LIMIT`] gets 413. Policies are parsed and validated on a blocking thread,
/// one at a time. `POST /api/check` is [`why`]'s.
///
/// The page fetches both endpoints from its own origin. Every request must name this server
/// in `Host` (no DNS rebinding), and a PUT or POST must come from this server's origin when it
/// says where from (`Origin`) and send JSON ([`guard`], [`require_json`]), so other sites'
/// pages can neither read the page and the policy, nor change the policy or make the server
/// send requests (a cross-origin JSON request needs a preflight this server never allows).
pub(crate) fn router(
    live: Arc<LivePolicy>,
    api_origin: String,
    port: u16,
    limits: Limits,
    replays: Arc<Replays>,
) -> Router {
    let index = INDEX_HTML.replace(API_ORIGIN_PLACEHOLDER, &api_origin);
    let state = PageState {
        live,
        api_origin,
        page_origin: format!("http://127.0.0.1:{port}"),
        port,
        index: index.into(),
        validating: Arc::new(Mutex::new(())),
        body_read_timeout: limits.body_read_timeout,
        replays,
    };
    Router::new()
        .route("/", get(index_html))
        .route("/index.html", get(index_html))
        .route("/app.js", get(app_js))
        .route("/style.css", get(style_css))
        .route("/api/policy", get(get_policy).put(put_policy))
        .route("/api/check", post(why::post_check))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
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

/// A JSON answer already serialized (on a blocking thread), never cached.
fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `{"error": message}`, serialized.
fn error_bytes(message: String) -> Vec<u8> {
    serde_json::to_vec(&ErrorBody { error: message }).unwrap_or_default()
}

/// The policy view, serialized: a policy of 10,000 origins is a large document.
fn view_bytes(state: &PageState) -> Vec<u8> {
    serde_json::to_vec(&view(state)).unwrap_or_default()
}

pub(super) fn error(status: StatusCode, message: impl Into<String>) -> Response {
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
    match tokio::task::spawn_blocking(move || view_bytes(&state)).await {
        Ok(body) => json_bytes(StatusCode::OK, body),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read the policy: {e}"),
        ),
    }
}

/// Why a request is refused: the status and the message for [`error`].
pub(super) type Refusal = (StatusCode, String);

/// The `Host` a request named, once [`guard`] found it to be this server: one of
/// `127.0.0.1:<port>`, `localhost:<port>`, `[::1]:<port>`.
#[derive(Clone, Debug)]
pub(super) struct OwnHost(pub(super) String);

/// What a refused request wanted, for the refusal's message: `<what> through <this server>`,
/// `<what> from this page, ...`.
fn subject(method: &Method, path: &str) -> &'static str {
    match path {
        "/api/check" => "requests can only be checked",
        "/api/policy" if method.is_safe() => "the policy can only be read",
        "/api/policy" => "the policy can only be changed",
        _ => "this page can only be opened",
    }
}

/// The `Host` this request names, when it is this server; else 403. The URL's authority,
/// when the request line has one, must be this server too.
fn own_host(state: &PageState, request: &Request, what: &str) -> Result<String, Refusal> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let port = state.port;
    let own_hosts = [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ];
    let own = |name: &str| own_hosts.iter().any(|h| h == name);
    let authority_ok = request.uri().authority().is_none_or(|a| own(a.as_str()));
    if own(host) && authority_ok {
        Ok(host.to_owned())
    } else {
        Err((
            StatusCode::FORBIDDEN,
            format!("{what} through http://127.0.0.1:{port}/"),
        ))
    }
}

/// Every request to the page server, before its route: `Host` must name this server (no DNS
/// rebinding: a page on another name that resolves to 127.0.0.1 reads nothing), and a
/// request that can change something (any method but GET, HEAD, OPTIONS and TRACE) must come
/// from the origin that `Host` names, or say nothing of where it comes from (a script, curl).
/// 403 otherwise. The routes find the host in the request's [`OwnHost`] extension.
async fn guard(State(state): State<PageState>, mut request: Request, next: Next) -> Response {
    let what = subject(request.method(), request.uri().path());
    let host = match own_host(&state, &request, what) {
        Ok(host) => host,
        Err((status, message)) => return error(status, message),
    };
    if !request.method().is_safe() {
        let own_origin = format!("http://{host}");
        let origin = request.headers().get(header::ORIGIN);
        if origin.is_some_and(|o| o.as_bytes() != own_origin.as_bytes()) {
            return error(
                StatusCode::FORBIDDEN,
                format!("{what} from this page, {own_origin}/ (Origin differs)"),
            );
        }
    }
    request.extensions_mut().insert(OwnHost(host));
    next.run(request).await
}

/// Refuses a body that is not JSON (415): a cross-origin page cannot send JSON without a
/// preflight, and this server answers none.
pub(super) fn require_json(headers: &HeaderMap, what: &str) -> Result<(), Refusal> {
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

/// Reads a request body of at most `limit` bytes, within the state's body timeout: a larger
/// one is refused with 413, a slower one with 408.
pub(super) async fn read_body(
    state: &PageState,
    body: Body,
    limit: usize,
    what: &str,
) -> Result<Bytes, Refusal> {
    let read = Limited::new(body, limit).collect();
    match tokio::time::timeout(state.body_read_timeout, read).await {
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{what} is larger than {limit} bytes, the most this server reads"),
        )),
        Ok(Err(e)) => Err((StatusCode::BAD_REQUEST, format!("cannot read {what}: {e}"))),
        Err(_) => Err((
            StatusCode::REQUEST_TIMEOUT,
            format!("{what} did not arrive within {:?}", state.body_read_timeout),
        )),
    }
}

/// Parses `body` as a policy update and swaps it in: the status and the JSON answer. Linear
/// in the policy's size (up to 10,000 origins, each refused with a suggestion): runs on a
/// blocking thread.
fn apply(state: &PageState, body: &[u8]) -> (StatusCode, Vec<u8>) {
    let update: PolicyUpdate = match serde_json::from_slice(body) {
        Ok(update) => update,
        Err(e) => {
            return (
                StatusCode::BAD_REQUEST,
                error_bytes(format!("not a policy: {e}")),
            )
        }
    };
    match state.live.set(update.cors_enabled, update.config) {
        Ok(()) => (StatusCode::OK, view_bytes(state)),
        Err(errors) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            error_bytes(errors.to_string()),
        ),
    }
}

async fn put_policy(State(state): State<PageState>, headers: HeaderMap, body: Body) -> Response {
    let body = match require_json(&headers, "the policy") {
        Ok(()) => read_body(&state, body, POLICY_BODY_LIMIT, "the policy").await,
        Err(refusal) => Err(refusal),
    };
    let body = match body {
        Ok(body) => body,
        Err((status, message)) => return error(status, message),
    };
    // The async workers serve the API and the page: validating never runs on them, and one
    // policy is validated at a time (the others wait their turn here, not on a thread). The
    // blocking thread holds the turn to the end, even when the client leaves before.
    let turn = state.validating.clone().lock_owned().await;
    let validated = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        apply(&state, &body)
    });
    match validated.await {
        Ok((status, body)) => json_bytes(status, body),
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the policy could not be validated: {e}"),
        ),
    }
}
