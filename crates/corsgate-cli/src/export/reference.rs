//! The reference `corsgate export --check` compares against: the library's `CorsLayer` in
//! front of a plain forwarding proxy to the same upstream, served on a loopback port.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use corsgate::Cors;
use http::{HeaderMap, Request, Response, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower::Layer;

use corsgate_export::Upstream;

/// Hop-by-hop headers (RFC 9110 §7.6.1), never forwarded.
const HOP_BY_HOP: [&str; 8] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
];

/// The reference server, stopped when dropped.
pub struct Reference {
    addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Reference {
    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Reference {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts the reference for `cors` in front of `upstream` (plain HTTP only), on a free
/// loopback port.
pub async fn start(cors: &Cors, upstream: &Upstream) -> Result<Reference, String> {
    if upstream.scheme != "http" {
        return Err(format!(
            "--upstream {}: the check's reference proxies over plain HTTP only; check with an \
             http:// upstream.",
            upstream.url()
        ));
    }
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let base = upstream.url();
    let app = tower::service_fn(move |req: Request<Incoming>| {
        let (client, base) = (client.clone(), base.clone());
        async move { Ok::<_, Infallible>(forward(&client, &base, req).await) }
    });
    let service = cors.layer().layer(app);
    let task = tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let service = TowerToHyperService::new(service.clone());
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(Reference { addr, task })
}

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    for h in HOP_BY_HOP {
        headers.remove(h);
    }
    headers.remove(http::header::UPGRADE);
}

/// Sends `req` to the upstream and returns its answer with the hop-by-hop headers and its
/// own `Access-Control-*` headers removed (as every exported config hides them); 502 when
/// the upstream cannot be reached.
async fn forward(
    client: &Client<HttpConnector, Full<Bytes>>,
    base: &str,
    req: Request<Incoming>,
) -> Response<Full<Bytes>> {
    let bad_gateway = || {
        let mut r = Response::new(Full::new(Bytes::from_static(b"bad gateway")));
        *r.status_mut() = StatusCode::BAD_GATEWAY;
        r
    };
    let (mut parts, body) = req.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return bad_gateway();
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Ok(uri) = format!("{base}{path}").parse::<Uri>() else {
        return bad_gateway();
    };
    parts.uri = uri;
    parts.headers.remove(http::header::HOST);
    strip_hop_by_hop(&mut parts.headers);
    let Ok(response) = client
        .request(Request::from_parts(parts, Full::new(body)))
        .await
    else {
        return bad_gateway();
    };
    let (mut parts, body) = response.into_parts();
    let Ok(body) = body.collect().await.map(|b| b.to_bytes()) else {
        return bad_gateway();
    };
    strip_hop_by_hop(&mut parts.headers);
    let owned: Vec<_> = parts
        .headers
        .keys()
        .filter(|n| n.as_str().starts_with("access-control-"))
        .cloned()
        .collect();
    for name in owned {
        parts.headers.remove(name);
    }
    Response::from_parts(parts, Full::new(body))
}
