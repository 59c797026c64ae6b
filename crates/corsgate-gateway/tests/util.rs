//! The gateway tests' one helper module: upstream servers on loopback, gateway configs, and a client.

#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use corsgate::{Config, Cors};
use corsgate_config::gateway::{GatewayConfig, RouteConfig, ServerConfig, UpstreamCors};
use corsgate_gateway::Gateway;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

pub type BoxBody = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

/// What an upstream saw.
#[derive(Debug, Default)]
pub struct Seen {
    /// Requests received.
    pub hits: AtomicUsize,
    /// The head of the last request: method, URI, headers.
    pub last: Mutex<Option<(String, String, HeaderMap)>>,
    /// Request bodies read to the end (bytes), or `None` when one failed.
    pub bodies: Mutex<Vec<Option<u64>>>,
}

/// A test upstream on loopback. Paths:
/// `/data` JSON; `/status/N` status N; `/slow/MS` answers after MS ms; `/download/N` N
/// bytes streamed in 64 KiB chunks; `/upload` reads the body, answers its length;
/// `/sse` three events 200 ms apart; `/cors` answers with its own CORS headers
/// (`*`, and `Vary: Origin, Accept-Encoding`) and `OPTIONS` with 200 and the same;
/// anything else 200 "upstream".
pub struct Upstream {
    pub addr: SocketAddr,
    pub seen: Arc<Seen>,
}

impl Upstream {
    pub async fn start() -> Upstream {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Seen::default());
        let s = Arc::clone(&seen);
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    break;
                };
                let s = Arc::clone(&s);
                tokio::spawn(async move {
                    let service = service_fn(move |req| upstream(Arc::clone(&s), req));
                    let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                        .serve_connection_with_upgrades(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Upstream { addr, seen }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn hits(&self) -> usize {
        self.seen.hits.load(Ordering::SeqCst)
    }

    pub fn last_headers(&self) -> HeaderMap {
        self.seen.last.lock().unwrap().as_ref().unwrap().2.clone()
    }

    pub fn last_uri(&self) -> String {
        self.seen.last.lock().unwrap().as_ref().unwrap().1.clone()
    }
}

fn full(status: u16, body: impl Into<Bytes>) -> Response<BoxBody> {
    let mut r = Response::new(
        Full::new(body.into())
            .map_err(|e: Infallible| match e {})
            .boxed(),
    );
    *r.status_mut() = StatusCode::from_u16(status).unwrap();
    r
}

async fn upstream(
    seen: Arc<Seen>,
    req: Request<Incoming>,
) -> Result<Response<BoxBody>, Infallible> {
    seen.hits.fetch_add(1, Ordering::SeqCst);
    *seen.last.lock().unwrap() = Some((
        req.method().to_string(),
        req.uri().to_string(),
        req.headers().clone(),
    ));
    let path = req.uri().path().to_owned();
    let mut parts = path.trim_start_matches('/').splitn(3, '/');
    let first = parts.next().unwrap_or("");
    let arg = parts.next().unwrap_or("");
    let r = match first {
        "data" => {
            let mut r = full(200, r#"{"message":"Hello from the API"}"#);
            r.headers_mut()
                .insert("content-type", "application/json".parse().unwrap());
            r
        }
        "status" => full(
            arg.parse().unwrap_or(500),
            format!("status {arg} from the upstream"),
        ),
        "slow" => {
            tokio::time::sleep(Duration::from_millis(arg.parse().unwrap_or(1000))).await;
            full(200, "slow")
        }
        "download" => {
            let total: u64 = arg.parse().unwrap_or(0);
            let chunk = Bytes::from(vec![b'x'; 64 << 10]);
            let stream = futures_util::stream::unfold(0u64, move |sent| {
                let chunk = chunk.clone();
                async move {
                    if sent >= total {
                        return None;
                    }
                    let n = (total - sent).min(chunk.len() as u64);
                    Some((
                        Ok::<_, std::io::Error>(Frame::data(chunk.slice(..n as usize))),
                        sent + n,
                    ))
                }
            });
            let mut r = Response::new(BodyExt::boxed(StreamBody::new(stream)));
            r.headers_mut()
                .insert("content-length", total.to_string().parse().unwrap());
            r
        }
        "upload" => {
            let mut body = req.into_body();
            let mut n = 0u64;
            let mut ok = true;
            while let Some(frame) = body.frame().await {
                match frame {
                    Ok(f) => n += f.data_ref().map_or(0, |d| d.len() as u64),
                    Err(_) => {
                        ok = false;
                        break;
                    }
                }
            }
            seen.bodies.lock().unwrap().push(ok.then_some(n));
            full(200, n.to_string())
        }
        "sse" => {
            let stream = futures_util::stream::unfold(0u32, |i| async move {
                if i == 3 {
                    return None;
                }
                if i > 0 {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Some((
                    Ok::<_, std::io::Error>(Frame::data(Bytes::from(format!(
                        "data: event {i}\n\n"
                    )))),
                    i + 1,
                ))
            });
            let mut r = Response::new(BodyExt::boxed(StreamBody::new(stream)));
            r.headers_mut()
                .insert("content-type", "text/event-stream".parse().unwrap());
            r
        }
        "cors" => {
            let mut r = full(200, "upstream cors");
            let h = r.headers_mut();
            h.insert("access-control-allow-origin", "*".parse().unwrap());
            h.insert(
                "access-control-allow-methods",
                "GET, PUT, DELETE".parse().unwrap(),
            );
            h.insert("vary", "Origin, Accept-Encoding".parse().unwrap());
            r
        }
        _ => full(200, "upstream"),
    };
    Ok(r)
}

/// A WebSocket echo server on loopback (tungstenite, no HTTP framework).
pub async fn websocket_echo() -> SocketAddr {
    use futures_util::{SinkExt, StreamExt};
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                    return;
                };
                while let Some(Ok(msg)) = ws.next().await {
                    if (msg.is_text() || msg.is_binary()) && ws.send(msg).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

pub const ALLOWED: &str = "https://app.example.com";
pub const REFUSED: &str = "https://evil.example.net";

/// The policy most tests use: `ALLOWED`, PUT and `x-api-key` besides the defaults.
pub fn policy() -> Cors {
    Config::new()
        .allow_origin(ALLOWED)
        .allow_methods(["GET", "POST", "PUT"])
        .allow_headers(["x-api-key", "content-type"])
        .expose_headers(["x-total-count"])
        .build()
        .unwrap()
}

pub fn route(prefix: &str, upstream: &str) -> RouteConfig {
    RouteConfig {
        path_prefix: prefix.to_owned(),
        host: None,
        upstream: upstream.parse().unwrap(),
        strip_prefix: false,
        cors: policy(),
        upstream_cors: UpstreamCors::Strip,
        report_only: false,
    }
}

/// A config on an ephemeral loopback port (admin too) with these routes.
pub fn config(routes: Vec<RouteConfig>) -> GatewayConfig {
    let mut server = ServerConfig::defaults();
    server.listen = vec!["127.0.0.1:0".parse().unwrap()];
    server.admin_listen = Some("127.0.0.1:0".parse().unwrap());
    server.upstream_response_timeout = Duration::from_secs(5);
    server.shutdown_grace = Duration::from_secs(5);
    GatewayConfig {
        server,
        default_cors: Some(policy()),
        routes,
    }
}

pub async fn start(config: GatewayConfig) -> Gateway {
    Gateway::start(config).await.unwrap()
}

pub fn base(g: &Gateway) -> String {
    format!("http://{}", g.listen_addrs()[0])
}

/// A response, read whole.
#[derive(Debug)]
pub struct Got {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect()
    }
}

/// Sends one request on a fresh HTTP/1.1 connection and reads the whole response (10 s at
/// most).
pub async fn send(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> Got {
    let mut b = Request::builder().method(method).uri(url);
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    let req = b.body(Full::new(Bytes::from(body.to_owned()))).unwrap();
    let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new()).build_http();
    let fut = async {
        let res = client.request(req).await.expect("request");
        let (parts, body) = res.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        Got {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    };
    tokio::time::timeout(Duration::from_secs(10), fut)
        .await
        .expect("answer within 10 s")
}

pub async fn get(url: &str, origin: Option<&str>) -> Got {
    match origin {
        Some(o) => send("GET", url, &[("origin", o)], "").await,
        None => send("GET", url, &[], "").await,
    }
}

pub async fn preflight(url: &str, origin: &str, method: &str, headers: Option<&str>) -> Got {
    let mut h = vec![
        ("origin", origin),
        ("access-control-request-method", method),
    ];
    if let Some(x) = headers {
        h.push(("access-control-request-headers", x));
    }
    send("OPTIONS", url, &h, "").await
}

/// The admin page at `path`.
pub async fn admin(g: &Gateway, path: &str) -> Got {
    get(&format!("http://{}{path}", g.admin_addr().unwrap()), None).await
}

/// The value of one sample line of `/metrics` (`name{labels}`), or 0 when absent.
pub async fn metric(g: &Gateway, sample: &str) -> f64 {
    let text = admin(g, "/metrics").await.body;
    text.lines()
        .find_map(|l| {
            l.strip_prefix(sample)
                .and_then(|rest| rest.trim().parse().ok())
        })
        .unwrap_or(0.0)
}

pub fn empty() -> Empty<Bytes> {
    Empty::new()
}
