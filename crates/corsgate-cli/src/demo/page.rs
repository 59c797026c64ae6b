//! The page server: the demo page (embedded assets) and `/api/policy`, the API's live policy.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use corsgate::Config;
use serde::{Deserialize, Serialize};

use super::why;
use super::LivePolicy;

const INDEX_HTML: &str = include_str!("../../assets/demo/index.html");
const APP_JS: &str = include_str!("../../assets/demo/app.js");
const STYLE_CSS: &str = include_str!("../../assets/demo/style.css");

/// Replaced in `index.html` by the API's origin (`http://localhost:<api-port>`).
const API_ORIGIN_PLACEHOLDER: &str = "{{API_ORIGIN}}";

#[derive(Clone, Debug)]
pub(super) struct PageState {
    live: Arc<LivePolicy>,
    /// The API's origin, `http://localhost:<api-port>`.
    pub(super) api_origin: String,
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

#[derive(Debug, Serialize)]
struct ErrorBody {
    error: String,
}

/// The page server's router.
///
/// `GET /api/policy` → `{"cors_enabled": bool, "config": <Config>, "api_origin": ..,
/// "page_origin": ..}`. `PUT /api/policy` with `{"cors_enabled": bool, "config": <Config>}`
/// swaps the API's policy atomically and answers like `GET`; an invalid policy gets 422 with
/// `{"error": "<every problem, one per line>"}` and changes nothing. `POST /api/check` is
/// [`why`]'s.
///
/// The page fetches both endpoints from its own origin. A PUT or POST must name this server
/// in `Host` (no DNS rebinding), come from this server's origin when it says where from
/// (`Origin`), and send JSON, so other sites' pages cannot change the policy or make the
/// server send requests (a cross-origin JSON request needs a preflight this server never
/// allows).
pub(crate) fn router(live: Arc<LivePolicy>, api_origin: String, port: u16) -> Router {
    let index = INDEX_HTML.replace(API_ORIGIN_PLACEHOLDER, &api_origin);
    Router::new()
        .route("/", get(index_html))
        .route("/index.html", get(index_html))
        .route("/app.js", get(app_js))
        .route("/style.css", get(style_css))
        .route("/api/policy", get(get_policy).put(put_policy))
        .route("/api/check", post(why::post_check))
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
    ([(header::CACHE_CONTROL, "no-store")], Json(view(&state))).into_response()
}

/// Why a request is refused: the status and the message for [`error`].
pub(super) type Refusal = (StatusCode, String);

/// The `Host` this request names, when it is this server (no DNS rebinding); else 403.
pub(super) fn own_host(
    state: &PageState,
    headers: &HeaderMap,
    what: &str,
) -> Result<String, Refusal> {
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
