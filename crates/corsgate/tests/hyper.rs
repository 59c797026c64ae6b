//! The layer under plain hyper 1 (no axum), over real HTTP/1.1 on loopback, with hyper's own
//! body types: the request body is `hyper::body::Incoming`, the response body `Full<Bytes>`.

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::Layer;

async fn handler(_req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(
        br#"{"name":"Bangladesh","description":"Land of emotions"}"#,
    ))))
}

#[tokio::test]
async fn works_under_plain_hyper_over_the_network() {
    let cors = corsgate::Config::new()
        .allow_origins(["http://127.0.0.1:5500"])
        .allow_methods(["GET", "POST"])
        .build()
        .unwrap();
    let svc = cors.layer().layer(tower::service_fn(handler));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        // Serve a bounded number of connections, then stop.
        for _ in 0..3 {
            let (stream, _) = listener.accept().await.unwrap();
            let svc = TowerToHyperService::new(svc.clone());
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });

    let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .build_http::<Empty<Bytes>>();
    let url = format!("http://{addr}/data");
    let send = |method: &str, headers: &[(&str, &str)]| {
        let mut req = Request::builder().method(method).uri(&url);
        for (n, v) in headers {
            req = req.header(*n, *v);
        }
        let req = req.body(Empty::new()).unwrap();
        let client = client.clone();
        async move {
            let resp = tokio::time::timeout(Duration::from_secs(10), client.request(req))
                .await
                .expect("answer within 10 s")
                .unwrap();
            let (parts, body) = resp.into_parts();
            let body = body.collect().await.unwrap().to_bytes();
            (parts, body)
        }
    };

    let (parts, body) = send("GET", &[("origin", "http://127.0.0.1:5500")]).await;
    assert_eq!(parts.status, StatusCode::OK);
    assert_eq!(
        parts.headers["access-control-allow-origin"],
        "http://127.0.0.1:5500"
    );
    assert_eq!(parts.headers["vary"], "origin");
    assert!(body.starts_with(b"{\"name\""));

    let (parts, body) = send(
        "OPTIONS",
        &[
            ("origin", "http://127.0.0.1:5500"),
            ("access-control-request-method", "PUT"),
        ],
    )
    .await;
    assert_eq!(parts.status, StatusCode::FORBIDDEN);
    assert!(body.is_empty());
    assert!(!parts.headers.contains_key("access-control-allow-origin"));

    let (parts, _) = send(
        "OPTIONS",
        &[
            ("origin", "http://127.0.0.1:5500"),
            ("access-control-request-method", "POST"),
        ],
    )
    .await;
    assert_eq!(parts.status, StatusCode::NO_CONTENT);
    assert_eq!(parts.headers["access-control-allow-methods"], "GET, POST");
    server.abort();
}
