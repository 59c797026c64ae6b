//! The scripted server: three loopback listeners, three origins.
//!
//! - the **page** origin (`http://127.0.0.1:P`) serves the runner page and takes the page's
//!   reports (`POST /report`, `POST /done`), same-origin;
//! - the **API** origin (`http://127.0.0.1:Q`) answers each scenario at `/s/<id>` (and its
//!   redirect hops at `/s/<id>/<n>`) with the scenario's scripted status and headers, one
//!   answer for `OPTIONS` and one for every other method;
//! - the **third** origin (`http://127.0.0.1:R`) answers the hops redirected there.
//!
//! Answers depend only on the listener, the path and whether the method is `OPTIONS` — never
//! on what else the client sends (`User-Agent`, `Sec-Fetch-*`, cookies), so a browser and
//! `corsgate check` get byte-identical answers. Every request is recorded.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::Value;

use super::scenarios::{At, Env, Reply, Scenario};

/// The body of every scripted non-204 answer.
pub const BODY: &str = "ok";
/// The body of the 404 for an unknown path.
pub const NOT_FOUND: &str = "no such scenario";

/// Which listener a request came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Listener {
    Page,
    Api,
    Third,
}

/// One request as the server received it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub listener: Listener,
    pub method: String,
    /// Path and query.
    pub target: String,
    /// Header lines in arrival order, names lower-case, values as Latin-1 text.
    pub headers: Vec<(String, String)>,
}

impl Seen {
    /// The header's lines joined with ", " (how a browser or HTTP library combines them).
    pub fn header(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }
}

/// A scripted answer, with its templates expanded.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

/// (listener, path) → (the `OPTIONS` answer, every other method's answer).
type Routes = HashMap<(Listener, String), (Option<Answer>, Answer)>;

#[derive(Default)]
struct Shared {
    seen: Vec<Seen>,
    reports: Vec<Value>,
    done: bool,
}

#[derive(Clone)]
struct Ctx {
    listener: Listener,
    routes: Arc<Routes>,
    page: Arc<String>,
    shared: Arc<Mutex<Shared>>,
}

/// The running server; dropping it stops it (the runtime goes with it).
pub struct Server {
    pub env: Env,
    routes: Arc<Routes>,
    shared: Arc<Mutex<Shared>>,
    runtime: Option<tokio::runtime::Runtime>,
}

fn listener_of(at: At) -> Listener {
    match at {
        At::Api => Listener::Api,
        At::Third => Listener::Third,
    }
}

fn expand_reply(reply: &Reply, env: &Env, id: &str) -> Answer {
    Answer {
        status: reply.status,
        headers: reply
            .headers
            .iter()
            .map(|(n, v)| (n.clone(), env.expand(v, id)))
            .collect(),
    }
}

impl Server {
    /// Binds three loopback listeners and serves `scenarios` plus the runner page built by
    /// `page` (given the environment, once the ports are known).
    pub fn start(scenarios: &[Scenario], page: impl FnOnce(&Env) -> String) -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the scripted server");
        let bind = || {
            let l = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
            l.set_nonblocking(true).expect("non-blocking listener");
            l
        };
        let (page_l, api_l, third_l) = (bind(), bind(), bind());
        let port = |l: &std::net::TcpListener| l.local_addr().expect("bound").port();
        let env = Env {
            page: format!("http://127.0.0.1:{}", port(&page_l)),
            api: format!("http://127.0.0.1:{}", port(&api_l)),
            third: format!("http://127.0.0.1:{}", port(&third_l)),
        };

        let mut routes = HashMap::new();
        for s in scenarios {
            for r in &s.routes {
                let key = (listener_of(r.at), format!("{}{}", s.base_path(), r.suffix));
                let answers = (
                    r.options.as_ref().map(|o| expand_reply(o, &env, s.id)),
                    expand_reply(&r.other, &env, s.id),
                );
                assert!(
                    routes.insert(key.clone(), answers).is_none(),
                    "two routes at {key:?}"
                );
            }
        }
        let routes = Arc::new(routes);
        let shared = Arc::new(Mutex::new(Shared::default()));
        let page = Arc::new(page(&env));

        for (listener, std_listener) in [
            (Listener::Page, page_l),
            (Listener::Api, api_l),
            (Listener::Third, third_l),
        ] {
            let ctx = Ctx {
                listener,
                routes: routes.clone(),
                page: page.clone(),
                shared: shared.clone(),
            };
            let app = Router::new().fallback(handle).with_state(ctx);
            runtime.spawn(async move {
                let l = tokio::net::TcpListener::from_std(std_listener).expect("tokio listener");
                let _ = axum::serve(l, app).await;
            });
        }
        Server {
            env,
            routes,
            shared,
            runtime: Some(runtime),
        }
    }

    /// The scripted answer at `listener` + `path` for `method` (what the server sends).
    pub fn answer(&self, listener: Listener, path: &str, method: &str) -> Option<Answer> {
        let (options, other) = self.routes.get(&(listener, path.to_owned()))?;
        if method == "OPTIONS" {
            options.clone()
        } else {
            Some(other.clone())
        }
    }

    /// Every request received so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.lock().seen.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_seen(&self) {
        self.lock().seen.clear();
    }

    /// The page's reports so far.
    pub fn reports(&self) -> Vec<Value> {
        self.lock().reports.clone()
    }

    /// Waits (bounded) until the page said it is done; `false` on timeout or when `alive`
    /// says the browser is gone.
    pub fn wait_done(&self, within: Duration, mut alive: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if self.lock().done {
                return true;
            }
            if !alive() {
                return self.lock().done;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        self.lock().done
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The address of a listener (for messages).
    pub fn origin(&self, listener: Listener) -> &str {
        match listener {
            Listener::Page => &self.env.page,
            Listener::Api => &self.env.api,
            Listener::Third => &self.env.third,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(Duration::from_secs(2));
        }
    }
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The bytes a template value is sent as: each character one Latin-1 byte.
fn to_latin1_bytes(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

fn plain(status: StatusCode, body: &'static str) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r
}

async fn handle(State(ctx): State<Ctx>, req: Request) -> Response {
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/".to_owned());
    let path = req.uri().path().to_owned();
    let seen = Seen {
        listener: ctx.listener,
        method: method.as_str().to_owned(),
        target,
        headers: req
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), latin1(v.as_bytes())))
            .collect(),
    };
    ctx.shared
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .seen
        .push(seen);

    if ctx.listener == Listener::Page {
        return page_route(&ctx, &method, &path, req).await;
    }
    let Some((options, other)) = ctx.routes.get(&(ctx.listener, path)) else {
        return plain(StatusCode::NOT_FOUND, NOT_FOUND);
    };
    let answer = if method == Method::OPTIONS {
        match options {
            Some(a) => a,
            None => return plain(StatusCode::METHOD_NOT_ALLOWED, ""),
        }
    } else {
        other
    };
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = if status == StatusCode::NO_CONTENT || status == StatusCode::NOT_MODIFIED {
        ""
    } else {
        BODY
    };
    let mut resp = plain(status, body);
    for (n, v) in &answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_bytes(&to_latin1_bytes(v)),
        ) {
            resp.headers_mut().append(name, value);
        }
    }
    resp
}

async fn page_route(ctx: &Ctx, method: &Method, path: &str, req: Request) -> Response {
    match (method.as_str(), path) {
        ("GET", "/") => {
            let mut r = Response::new(Body::from(ctx.page.as_str().to_owned()));
            r.headers_mut().insert(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r.headers_mut().insert(
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            );
            r
        }
        ("POST", "/report") => {
            let bytes = axum::body::to_bytes(req.into_body(), 1 << 20)
                .await
                .unwrap_or_default();
            let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            ctx.shared
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .reports
                .push(value);
            plain(StatusCode::NO_CONTENT, "")
        }
        ("POST", "/done") => {
            ctx.shared.lock().unwrap_or_else(|e| e.into_inner()).done = true;
            plain(StatusCode::NO_CONTENT, "")
        }
        _ => plain(StatusCode::NOT_FOUND, ""),
    }
}

/// The address the page listener is on (for launching a browser).
pub fn page_url(env: &Env) -> String {
    format!("{}/", env.page)
}
