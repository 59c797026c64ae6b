//! The admin listener: `/metrics` (Prometheus text), `/healthz`, `/policy` (the configuration in force, as JSON).

use std::convert::Infallible;
use std::sync::Arc;

use http::header::{self, HeaderValue};
use http::{Method, Request, Response, StatusCode};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::body::Body;
use crate::proxy::Shared;
use crate::route::Table;

/// The most connections the admin listener serves at once; more wait to be accepted. A
/// scraper and a health checker or two need a handful; the cap keeps a flood of idle
/// connections there from costing the gateway memory without bound.
pub const MAX_ADMIN_CONNECTIONS: usize = 64;

/// Serves the admin endpoints on `listener` until `stop` flips to true.
pub async fn run(
    listener: TcpListener,
    shared: Arc<Shared>,
    draining: watch::Receiver<bool>,
    mut stop: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(MAX_ADMIN_CONNECTIONS));
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = stop.changed() => break,
        };
        let (stream, _) = tokio::select! {
            r = listener.accept() => match r {
                Ok(a) => a,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = stop.changed() => break,
        };
        let shared = Arc::clone(&shared);
        let draining = draining.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| {
                let r = answer(&shared, *draining.borrow(), &req);
                async move { Ok::<_, Infallible>(r) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(std::time::Duration::from_secs(10))
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

fn answer(shared: &Shared, draining: bool, req: &Request<Incoming>) -> Response<Body> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return text(
            StatusCode::METHOD_NOT_ALLOWED,
            "GET only\n",
            "text/plain; charset=utf-8",
        );
    }
    match req.uri().path() {
        "/metrics" => text(
            StatusCode::OK,
            shared.metrics.encode(),
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        ),
        "/healthz" if draining => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "shutting down\n",
            "text/plain; charset=utf-8",
        ),
        "/healthz" => text(StatusCode::OK, "ok\n", "text/plain; charset=utf-8"),
        "/policy" => {
            let table = shared.table.load();
            let mut body = serde_json::to_string_pretty(&policy_json(&table)).unwrap_or_default();
            body.push('\n');
            text(StatusCode::OK, body, "application/json")
        }
        _ => text(
            StatusCode::NOT_FOUND,
            "not found: /metrics, /healthz, /policy\n",
            "text/plain; charset=utf-8",
        ),
    }
}

fn text(
    status: StatusCode,
    body: impl Into<bytes::Bytes>,
    content_type: &'static str,
) -> Response<Body> {
    let mut r = Response::new(Body::full(body));
    *r.status_mut() = status;
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// The configuration in force: `[server]`, `[cors]` and every route with its policy.
pub fn policy_json(table: &Table) -> Value {
    let s = &table.config.server;
    let ms = |d: std::time::Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
    let routes: Vec<Value> = table
        .config
        .routes
        .iter()
        .map(|r| {
            json!({
                "path_prefix": r.path_prefix,
                "host": r.host,
                "upstream": r.upstream.to_string(),
                "strip_prefix": r.strip_prefix,
                "upstream_cors": match r.upstream_cors {
                    corsgate_config::gateway::UpstreamCors::Strip => "strip",
                    corsgate_config::gateway::UpstreamCors::Keep => "keep",
                },
                "report_only": r.report_only,
                "cors": r.cors.config(),
            })
        })
        .collect();
    json!({
        "server": {
            "listen": s.listen.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "admin_listen": s.admin_listen.map(|a| a.to_string()),
            "header_read_timeout_ms": ms(s.header_read_timeout),
            "upstream_connect_timeout_ms": ms(s.upstream_connect_timeout),
            "upstream_response_timeout_ms": ms(s.upstream_response_timeout),
            "idle_timeout_ms": ms(s.idle_timeout),
            "shutdown_grace_ms": ms(s.shutdown_grace),
            "max_body_bytes": s.max_body_bytes,
            "max_header_bytes": s.max_header_bytes,
            "max_connections": s.max_connections,
            "tls": s.tls.is_some(),
        },
        "cors": table.default_cors.as_ref().map(|c| c.config()),
        "routes": routes,
    })
}
