//! The tutorial's API: `GET`/`PUT /data` behind the live CORS policy and its on/off switch.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use corsgate::Outcome;
use serde::Serialize;
use tower::{Layer, ServiceExt};

use super::printable::printable;
use super::why::Replays;
use super::LivePolicy;

/// The custom request header the page's third button sends.
pub(crate) const DEMO_HEADER: &str = "x-demo";
/// What the log adds to the requests of the page server's `corsgate check`.
pub(crate) const REPLAY_LABEL: &str = "[replayed by the page server's check]";
/// The response header that shows what `expose_headers` does.
const COUNT_HEADER: HeaderName = HeaderName::from_static("x-demo-count");

/// The tutorial's JSON, fields in the tutorial's order.
#[derive(Debug, Serialize)]
struct Data {
    name: &'static str,
    description: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    x_demo: Option<String>,
}

#[derive(Clone, Debug)]
struct Routes {
    count: Arc<AtomicU64>,
    page_url: String,
}

/// The API's whole router: request log (optional), the CORS switch, the routes.
///
/// `GET /data` and `PUT /data` answer `{"name":"Bangladesh","description":"Land of
/// emotions"}`. The page's custom-header button sends `GET /data` with `X-Demo: ...`; the
/// answer then echoes it as `"x_demo"`, proof that the header reached the server. Every
/// answer carries `X-Demo-Count` (requests served so far), a header the page can read only
/// when the policy exposes it (`--expose-header X-Demo-Count`).
///
/// The CORS switch: with CORS on, requests go through `corsgate`'s layer (outermost, so
/// preflights are answered there); with CORS off they reach the routes untouched, like the
/// tutorial's server before `app.use(cors(...))`.
pub(crate) fn router(
    live: Arc<LivePolicy>,
    replays: Arc<Replays>,
    page_origin: String,
    log: bool,
) -> Router {
    let routes = Router::new()
        .route("/data", get(data).put(data))
        .route("/", get(index))
        .with_state(Routes {
            count: Arc::new(AtomicU64::new(0)),
            page_url: format!("{page_origin}/"),
        });
    // Around the whole router, not `Router::layer` (which wraps each route's handlers inside
    // axum's method router, so axum would add its `Allow` header to corsgate's preflight
    // answers): preflights, 404s and 405s all get the policy's answer.
    let with_cors = live.cors().layer().layer(routes.clone());

    let switch = {
        let live = live.clone();
        move |request: Request| async move {
            let result = if live.cors_enabled() {
                with_cors.oneshot(request).await
            } else {
                routes.oneshot(request).await
            };
            match result {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
    };
    let app = Router::new().fallback(switch);
    if log {
        app.layer(middleware::from_fn_with_state(
            Log { live, replays },
            log_request,
        ))
    } else {
        app
    }
}

async fn data(State(routes): State<Routes>, headers: HeaderMap) -> Response {
    let count = routes.count.fetch_add(1, Ordering::Relaxed) + 1;
    let x_demo = headers
        .get(DEMO_HEADER)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let mut response = Json(Data {
        name: "Bangladesh",
        description: "Land of emotions",
        x_demo,
    })
    .into_response();
    response
        .headers_mut()
        .insert(COUNT_HEADER, HeaderValue::from(count));
    response
}

async fn index(State(routes): State<Routes>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!(
            "corsgate demo API: GET /data, PUT /data.\nThe page that calls it: {}\n",
            routes.page_url
        ),
    )
        .into_response()
}

/// What the request log reads.
#[derive(Clone, Debug)]
struct Log {
    live: Arc<LivePolicy>,
    replays: Arc<Replays>,
}

/// One line per request on stdout: what the server saw and what the policy made of it.
/// Everything the client sent is [`printable`]: escaped, never raw. The requests of the page
/// server's `corsgate check` end with [`REPLAY_LABEL`]: while one runs, a request without
/// `User-Agent` is one of them (a browser always sends one).
async fn log_request(
    State(Log { live, replays }): State<Log>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let replayed = replays.running() && !parts.headers.contains_key(header::USER_AGENT);
    let origin = parts
        .headers
        .get(header::ORIGIN)
        .map(|v| printable(v.as_bytes()));
    let verdict = if !live.cors_enabled() {
        "CORS off: no Access-Control-* headers".to_owned()
    } else {
        describe(live.cors().decide(&parts).outcome(), &parts)
    };
    let line = format!(
        "api  {} {}{}",
        printable(parts.method.as_str().as_bytes()),
        printable(parts.uri.path().as_bytes()),
        origin.map(|o| format!("  Origin: {o}")).unwrap_or_default()
    );
    let response = next.run(Request::from_parts(parts, body)).await;
    let label = if replayed {
        format!("  {REPLAY_LABEL}")
    } else {
        String::new()
    };
    println!(
        "{line}  -> {}  ({verdict}){label}",
        response.status().as_u16()
    );
    response
}

fn describe(outcome: Outcome, parts: &axum::http::request::Parts) -> String {
    let requested = parts
        .headers
        .get(header::ACCESS_CONTROL_REQUEST_METHOD)
        .map_or_else(|| "?".to_owned(), |v| printable(v.as_bytes()));
    match outcome {
        Outcome::NotCors => "no Origin: not a CORS request".to_owned(),
        Outcome::Actual {
            origin_allowed: true,
        } => "origin allowed: Access-Control-Allow-Origin sent".to_owned(),
        Outcome::Actual {
            origin_allowed: false,
        } => "origin not allowed: no Access-Control-Allow-Origin".to_owned(),
        Outcome::PreflightPass => format!("preflight for {requested}: allowed"),
        Outcome::PreflightFail(why) if why.after_origin_check() => format!(
            "preflight for {requested}: refused, {why}; debug mode answers with the allowed \
             lists so the browser names what is missing"
        ),
        Outcome::PreflightFail(why) => format!("preflight for {requested}: refused, {why}"),
    }
}
