//! What the test modules share: an axum app under the corsgate layer and a way to send it one
//! request and see exactly what came back.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::Router;
use corsgate::{Config, Cors};
use http_body_util::BodyExt;
use tower::util::BoxCloneSyncService;
use tower::{Layer, ServiceExt};

/// What one request produced.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub handler_calls: usize,
}

impl Reply {
    /// The CORS response headers and `Vary`, as sorted `(name, value)` pairs (one per line).
    pub fn cors(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self
            .headers
            .iter()
            .filter(|(n, _)| n.as_str().starts_with("access-control-") || n.as_str() == "vary")
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        out.sort();
        out
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }
}

/// Expected `(name, value)` pairs, sorted like [`Reply::cors`].
pub fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = list
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    out.sort();
    out
}

pub const VARY_PREFLIGHT: &str =
    "origin, access-control-request-method, access-control-request-headers";

/// The app: `/data` answers JSON, `/error` answers 500, `/vary` sets its own `Vary`,
/// `/own-cors` sets its own (wrong) CORS headers, `/any` answers every method.
pub struct App {
    pub cors: Cors,
    router: BoxCloneSyncService<Request<Body>, axum::response::Response, Infallible>,
    calls: Arc<AtomicUsize>,
}

/// Where the layer goes: the two placements the layer's docs give.
#[derive(Clone, Copy, Debug)]
pub enum Placement {
    /// `router.layer(cors.layer())`, the last call.
    RouterLayer,
    /// `cors.layer().layer(router)`: the finished router wrapped.
    AroundRouter,
}

impl App {
    pub fn new(config: Config) -> App {
        let cors = config.build().expect("valid test config");
        App::with_cors(cors)
    }

    pub fn with_cors(cors: Cors) -> App {
        App::placed(cors, Placement::RouterLayer)
    }

    /// The app with the layer placed this way.
    pub fn placed(cors: Cors, placement: Placement) -> App {
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        let counted = move |resp: axum::response::Response| {
            c.fetch_add(1, Ordering::SeqCst);
            resp
        };
        let c1 = counted.clone();
        let c2 = counted.clone();
        let c3 = counted.clone();
        let c4 = counted.clone();
        let router = Router::new()
            .route(
                "/data",
                get(move || async move {
                    c1(r#"{"name":"Bangladesh","description":"Land of emotions"}"#.into_response())
                })
                .put(move || async move { counted("put".into_response()) }),
            )
            .route(
                "/error",
                get(move || async move {
                    c2((StatusCode::INTERNAL_SERVER_ERROR, "boom").into_response())
                }),
            )
            .route(
                "/vary",
                get(move |req: Request<Body>| async move {
                    let v = req
                        .headers()
                        .get("x-inner-vary")
                        .cloned()
                        .unwrap_or_else(|| "accept-encoding".parse().unwrap());
                    c3(([("vary", v)], "varied").into_response())
                }),
            )
            .route(
                "/any",
                any(move || async move {
                    c4((
                        StatusCode::IM_A_TEAPOT,
                        [
                            ("access-control-allow-origin", "*"),
                            ("access-control-allow-credentials", "true"),
                            ("access-control-allow-methods", "BREW"),
                        ],
                        "teapot",
                    )
                        .into_response())
                }),
            );
        let router = match placement {
            Placement::RouterLayer => BoxCloneSyncService::new(router.layer(cors.layer())),
            Placement::AroundRouter => BoxCloneSyncService::new(cors.layer().layer(router)),
        };
        App {
            cors,
            router,
            calls,
        }
    }

    /// Sends one request; `headers` are appended in order (repeated names = several lines).
    pub async fn send(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        for (n, v) in headers {
            req = req.header(*n, *v);
        }
        self.send_request(req.body(Body::empty()).unwrap()).await
    }

    pub async fn send_request(&self, req: Request<Body>) -> Reply {
        let before = self.calls.load(Ordering::SeqCst);
        let resp = self.router.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8(body.to_vec()).unwrap(),
            handler_calls: self.calls.load(Ordering::SeqCst) - before,
        }
    }

    /// A preflight from `origin` for `method`, with optional requested headers.
    pub async fn preflight(&self, origin: &str, method: &str, acrh: Option<&str>) -> Reply {
        self.preflight_lines(origin, method, acrh.as_slice()).await
    }

    /// A preflight whose `Access-Control-Request-Headers` is split over these lines (as an
    /// intermediary may send it; none when empty).
    pub async fn preflight_lines(&self, origin: &str, method: &str, acrh: &[&str]) -> Reply {
        let mut h = vec![
            ("origin", origin),
            ("access-control-request-method", method),
        ];
        h.extend(acrh.iter().map(|&a| ("access-control-request-headers", a)));
        self.send("OPTIONS", "/data", &h).await
    }
}
