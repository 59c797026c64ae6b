//! The layer in a tonic server: gRPC-Web clients in browsers need CORS, and tonic's body
//! type and `Server::layer` bounds must accept corsgate's service as they are.

use std::convert::Infallible;
use std::future::{ready, Ready};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use http_body_util::Empty;
use hyper_util::rt::TokioExecutor;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::body::Body;
use tonic::server::NamedService;
use tower_service::Service;

/// A hand-written gRPC service (no code generation needed for the test).
#[derive(Clone)]
struct Greeter;

impl NamedService for Greeter {
    const NAME: &'static str = "corsgate.test.Greeter";
}

impl Service<Request<Body>> for Greeter {
    type Response = Response<Body>;
    type Error = Infallible;
    type Future = Ready<Result<Response<Body>, Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _req: Request<Body>) -> Self::Future {
        ready(Ok(Response::builder()
            .header("content-type", "application/grpc-web")
            .header("grpc-status", "0")
            .body(Body::empty())
            .unwrap()))
    }
}

#[tokio::test]
async fn works_as_a_tonic_server_layer() {
    let cors = corsgate::Config::new()
        .allow_origins(["https://app.example"])
        .allow_methods(["POST"])
        .allow_headers(["content-type", "x-grpc-web", "x-user-agent"])
        .expose_headers(["grpc-status", "grpc-message"])
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .accept_http1(true)
            .layer(cors.layer())
            .add_service(Greeter)
            .serve_with_incoming(TcpListenerStream::new(listener)),
    );

    let client = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .build_http::<Empty<Bytes>>();
    let req = Request::builder()
        .method("OPTIONS")
        .uri(format!("http://{addr}/corsgate.test.Greeter/Hello"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-grpc-web")
        .body(Empty::new())
        .unwrap();
    let resp = tokio::time::timeout(Duration::from_secs(10), client.request(req))
        .await
        .expect("answer within 10 s")
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    assert_eq!(
        resp.headers()["access-control-allow-headers"],
        "content-type, x-grpc-web, x-user-agent"
    );

    let req = Request::builder()
        .method("POST")
        .uri(format!("http://{addr}/corsgate.test.Greeter/Hello"))
        .header("origin", "https://app.example")
        .header("content-type", "application/grpc-web")
        .body(Empty::new())
        .unwrap();
    let resp = tokio::time::timeout(Duration::from_secs(10), client.request(req))
        .await
        .expect("answer within 10 s")
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["grpc-status"], "0");
    assert_eq!(
        resp.headers()["access-control-expose-headers"],
        "grpc-status, grpc-message"
    );
    server.abort();
}
