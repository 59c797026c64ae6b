//! Proxying: headers on the way, streaming both ways, WebSocket and server-sent events, aborted uploads, HTTP/2 (h2c and TLS).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::BodyExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::util::*;

#[tokio::test]
async fn forwarded_headers_are_added_and_hop_by_hop_ones_removed() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let r = send(
        "GET",
        &format!("{}/data?x=1", base(&g)),
        &[
            ("origin", ALLOWED),
            ("host", "api.example.com"),
            ("connection", "keep-alive, x-hop"),
            ("x-hop", "secret"),
            ("keep-alive", "timeout=5"),
            ("x-forwarded-for", "203.0.113.7"),
            ("x-kept", "yes"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.all("via"), ["1.1 corsgate"]);
    let h = up.last_headers();
    assert_eq!(h["x-forwarded-for"], "203.0.113.7, 127.0.0.1");
    assert_eq!(h["x-forwarded-proto"], "http");
    assert_eq!(h["x-forwarded-host"], "api.example.com");
    assert_eq!(h["host"], up.addr.to_string(), "Host is the upstream's");
    assert_eq!(h["x-kept"], "yes");
    assert_eq!(h["origin"], ALLOWED, "the upstream sees the origin");
    assert!(
        h.get("x-hop").is_none() && h.get("keep-alive").is_none(),
        "{h:?}"
    );
    assert_eq!(
        h.get_all("via").iter().collect::<Vec<_>>(),
        ["1.1 corsgate"]
    );
    assert_eq!(up.last_uri(), "/data?x=1");
}

#[tokio::test]
async fn prefixes_are_stripped_and_joined_to_the_upstreams_base_path() {
    let up = Upstream::start().await;
    let mut r0 = route("/api", &format!("{}/v1/", up.url()));
    r0.strip_prefix = true;
    let r1 = route("/files", &format!("{}/static", up.url()));
    let g = start(config(vec![r0, r1])).await;
    get(&format!("{}/api/users?page=2", base(&g)), None).await;
    assert_eq!(up.last_uri(), "/v1/users?page=2");
    get(&format!("{}/api?q", base(&g)), None).await;
    assert_eq!(up.last_uri(), "/v1/?q");
    get(&format!("{}/files/a.txt", base(&g)), None).await;
    assert_eq!(up.last_uri(), "/static/files/a.txt");
}

#[tokio::test]
async fn server_sent_events_are_passed_on_as_they_come() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let req = http::Request::get(format!("{}/sse", base(&g)))
        .header("origin", ALLOWED)
        .header("accept", "text/event-stream")
        .body(empty())
        .unwrap();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let res = client.request(req).await.unwrap();
    assert_eq!(res.headers()["content-type"], "text/event-stream");
    assert_eq!(res.headers()["access-control-allow-origin"], ALLOWED);
    let mut body = res.into_body();
    let t = Instant::now();
    let first = body.frame().await.unwrap().unwrap().into_data().unwrap();
    assert_eq!(first, Bytes::from("data: event 0\n\n"));
    assert!(
        t.elapsed() < Duration::from_millis(150),
        "the first event came before the rest: {:?}",
        t.elapsed()
    );
    let mut rest = Vec::new();
    while let Some(f) = body.frame().await {
        rest.extend_from_slice(&f.unwrap().into_data().unwrap());
    }
    assert_eq!(rest, b"data: event 1\n\ndata: event 2\n\n");
    assert!(
        t.elapsed() >= Duration::from_millis(350),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn websocket_upgrades_are_passed_through() {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    let ws = websocket_echo().await;
    let g = start(config(vec![route("/", &format!("http://{ws}"))])).await;
    let tcp = tokio::net::TcpStream::connect(g.listen_addrs()[0])
        .await
        .unwrap();
    let request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        format!("ws://{}/chat", g.listen_addrs()[0]),
    )
    .unwrap();
    let mut request = request;
    request
        .headers_mut()
        .insert("origin", ALLOWED.parse().unwrap());
    let (mut socket, response) = tokio_tungstenite::client_async(request, tcp).await.unwrap();
    assert_eq!(response.status(), 101);
    for text in ["hello", "through the gateway"] {
        socket.send(Message::text(text)).await.unwrap();
        let echoed = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(echoed, Message::text(text));
    }
    socket.close(None).await.unwrap();
}

#[tokio::test]
async fn a_client_that_aborts_mid_body_does_not_hang_anything() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let mut tcp = tokio::net::TcpStream::connect(g.listen_addrs()[0])
        .await
        .unwrap();
    tcp.write_all(format!("POST /upload HTTP/1.1\r\nhost: x\r\norigin: {ALLOWED}\r\ncontent-length: 1000000\r\n\r\n").as_bytes())
        .await
        .unwrap();
    tcp.write_all(&vec![b'a'; 100_000]).await.unwrap();
    // Wait until the upstream has the request, then vanish.
    let t = Instant::now();
    while up.hits() == 0 && t.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(tcp);
    // The upstream sees its body end in an error, not a complete upload.
    let t = Instant::now();
    while up.seen.bodies.lock().unwrap().is_empty() && t.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        *up.seen.bodies.lock().unwrap(),
        [None],
        "the upstream saw the upload cut off"
    );
    // And the gateway goes on serving.
    let r = get(&format!("{}/data", base(&g)), Some(ALLOWED)).await;
    assert_eq!(r.status, 200);
    let t = Instant::now();
    while metric(&g, "corsgate_client_connections").await != 0.0
        && t.elapsed() < Duration::from_secs(5)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        metric(&g, "corsgate_client_connections").await,
        0.0,
        "the aborted connection is closed"
    );
}

#[tokio::test]
async fn large_bodies_stream_both_ways() {
    // 64 MiB each way here; the 1 GiB run with the gateway's memory measured is in the CLI
    // crate's tests (a process of its own).
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.max_body_bytes = 1 << 30;
    let g = start(c).await;
    let n: u64 = 64 << 20;
    let mut tcp = tokio::net::TcpStream::connect(g.listen_addrs()[0])
        .await
        .unwrap();
    tcp.write_all(
        format!("GET /download/{n} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut total = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let k = tcp.read(&mut buf).await.unwrap();
        if k == 0 {
            break;
        }
        total += k as u64;
    }
    assert!(total > n && total < n + 1000, "{total}");
    let chunks = (0..(n >> 16)).map(|_| {
        Ok::<_, std::io::Error>(hyper::body::Frame::data(Bytes::from(vec![b'u'; 1 << 16])))
    });
    let req = http::Request::post(format!("{}/upload", base(&g)))
        .body(http_body_util::StreamBody::new(futures_util::stream::iter(
            chunks,
        )))
        .unwrap();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let res = client.request(req).await.unwrap();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, n.to_string());
}

#[tokio::test]
async fn http2_with_prior_knowledge_is_served() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .http2_only(true)
        .build_http::<http_body_util::Empty<Bytes>>();
    let req = http::Request::get(format!("{}/data", base(&g)))
        .header("origin", ALLOWED)
        .body(empty())
        .unwrap();
    let res = client.request(req).await.unwrap();
    assert_eq!(res.version(), http::Version::HTTP_2);
    assert_eq!(res.headers()["access-control-allow-origin"], ALLOWED);
    // Via names the protocol each message came in with: the upstream answered in HTTP/1.1.
    assert_eq!(res.headers()["via"], "1.1 corsgate");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, Bytes::from(r#"{"message":"Hello from the API"}"#));
    assert_eq!(
        up.last_headers()["x-forwarded-host"],
        g.listen_addrs()[0].to_string()
    );
    assert_eq!(up.last_headers()["via"], "2 corsgate");
}

#[tokio::test]
async fn tls_listeners_offer_http2_and_http1_by_alpn() {
    use tokio_rustls::rustls;
    let up = Upstream::start().await;
    let dir = std::env::temp_dir().join(format!("corsgate-gw-tls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(dir.join("cert.pem"), cert.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), cert.signing_key.serialize_pem()).unwrap();
    let mut c = config(vec![route("/", &up.url())]);
    c.server.tls = Some(corsgate_config::gateway::TlsFiles {
        cert: dir.join("cert.pem"),
        key: dir.join("key.pem"),
    });
    let g = start(c).await;
    for version in [http::Version::HTTP_2, http::Version::HTTP_11] {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(cert.cert.der().clone()).unwrap();
        let tls = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
        // The connector offers by ALPN the versions it enables.
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_only();
        let https = if version == http::Version::HTTP_2 {
            https.enable_http2().build()
        } else {
            https.enable_http1().build()
        };
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build::<_, http_body_util::Empty<Bytes>>(https);
        let url = format!("https://localhost:{}/data", g.listen_addrs()[0].port());
        let req = http::Request::get(url)
            .header("origin", ALLOWED)
            .body(empty())
            .unwrap();
        let res = client.request(req).await.unwrap();
        assert_eq!(res.version(), version);
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers()["access-control-allow-origin"], ALLOWED);
        assert_eq!(up.last_headers()["x-forwarded-proto"], "https");
    }
    let _ = std::fs::remove_dir_all(dir);
}
