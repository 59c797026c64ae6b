//! The floor under `corsgate serve`'s speed: the least a server on the same stack (hyper 1's HTTP/1.1 server, hyper-util's pooled client, tokio's current-thread runtime) does per request, with no CORS decision, routing, limits, timers, metrics or logs.
//!
//! It answers every `OPTIONS` with a fixed 204 carrying the same CORS lines `corsgate serve`
//! sends for the benchmark's preflight, and proxies everything else to the upstream, adding
//! the same two lines to the answer. `scripts/bench-gateway.sh` runs it as the `floor` peer
//! (`FLOOR=1`): what it costs per request is what hyper and tokio cost, whatever corsgate's
//! own code does.
//!
//! ```sh
//! cargo run --release -p corsgate-gateway --example hyper_floor -- 127.0.0.1:3206 http://127.0.0.1:3200
//! ```

use std::convert::Infallible;

use bytes::Bytes;
use http::header::{HeaderValue, ACCESS_CONTROL_ALLOW_ORIGIN, VARY};
use http::{Request, Response, StatusCode, Uri};
use http_body_util::{combinators::BoxBody, BodyExt, Empty};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::{TokioExecutor, TokioIo};

type Body = BoxBody<Bytes, hyper::Error>;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(listen), Some(upstream)) = (args.next(), args.next()) else {
        eprintln!("usage: hyper_floor LISTEN_ADDR UPSTREAM_URL (both on loopback)");
        std::process::exit(2);
    };
    let listen: std::net::SocketAddr = match listen.parse() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("hyper_floor: LISTEN_ADDR {listen:?}: {e}");
            std::process::exit(2);
        }
    };
    if !listen.ip().is_loopback() {
        eprintln!("hyper_floor: {listen} is not a loopback address");
        std::process::exit(2);
    }
    let upstream: Uri = match upstream.parse() {
        Ok(u) => u,
        Err(e) => {
            eprintln!("hyper_floor: UPSTREAM_URL: {e}");
            std::process::exit(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("hyper_floor: tokio: {e}");
            std::process::exit(1);
        }
    };
    rt.block_on(run(listen, upstream));
}

async fn run(listen: std::net::SocketAddr, upstream: Uri) {
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("hyper_floor: bind {listen}: {e}");
            std::process::exit(1);
        }
    };
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    let client: Client<HttpConnector, Incoming> =
        Client::builder(TokioExecutor::new()).build(connector);
    let authority = upstream.authority().cloned();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let client = client.clone();
        let authority = authority.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| answer(req, client.clone(), authority.clone()));
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    req: Request<Incoming>,
    client: Client<HttpConnector, Incoming>,
    authority: Option<http::uri::Authority>,
) -> Result<Response<Body>, Infallible> {
    let origin = req.headers().get(http::header::ORIGIN).cloned();
    if req.method() == http::Method::OPTIONS {
        let mut res = Response::new(Empty::new().map_err(|e| match e {}).boxed());
        *res.status_mut() = StatusCode::NO_CONTENT;
        let h = res.headers_mut();
        if let Some(o) = origin {
            h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, o);
        }
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, POST, PUT"),
        );
        h.insert(
            "access-control-allow-headers",
            HeaderValue::from_static("content-type"),
        );
        h.insert("access-control-max-age", HeaderValue::from_static("600"));
        h.insert(VARY, HeaderValue::from_static("Origin"));
        return Ok(res);
    }
    let (mut parts, body) = req.into_parts();
    let mut uri = http::uri::Parts::from(std::mem::take(&mut parts.uri));
    uri.scheme = Some(http::uri::Scheme::HTTP);
    uri.authority = authority;
    if let Ok(u) = Uri::from_parts(uri) {
        parts.uri = u;
    }
    match client.request(Request::from_parts(parts, body)).await {
        Ok(res) => {
            let (mut parts, body) = res.into_parts();
            if let Some(o) = origin {
                parts.headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, o);
            }
            parts
                .headers
                .append(VARY, HeaderValue::from_static("Origin"));
            Ok(Response::from_parts(parts, body.boxed()))
        }
        Err(_) => {
            let mut res = Response::new(Empty::new().map_err(|e| match e {}).boxed());
            *res.status_mut() = StatusCode::BAD_GATEWAY;
            Ok(res)
        }
    }
}
