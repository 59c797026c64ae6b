//! Routing: longest prefix, hosts, and no way to reach anything that is not a configured upstream.

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::util::*;

#[tokio::test]
async fn the_longest_prefix_wins_and_hosts_select_routes() {
    let a = Upstream::start().await;
    let b = Upstream::start().await;
    let c = Upstream::start().await;
    let mut on_host = route("/", &c.url());
    on_host.host = Some("api.example.com".to_owned());
    let g = start(config(vec![
        route("/", &a.url()),
        route("/api/v2", &b.url()),
        on_host,
    ]))
    .await;
    get(&format!("{}/api/v2/x", base(&g)), None).await;
    get(&format!("{}/api/v2", base(&g)), None).await;
    get(&format!("{}/api/v20", base(&g)), None).await;
    assert_eq!((a.hits(), b.hits()), (1, 2));
    send(
        "GET",
        &format!("{}/x", base(&g)),
        &[("host", "API.example.com:8080")],
        "",
    )
    .await;
    assert_eq!(c.hits(), 1);
}

/// Sends raw bytes, returns the status line.
async fn raw(g: &corsgate_gateway::Gateway, request: &str) -> String {
    let mut tcp = tokio::net::TcpStream::connect(g.listen_addrs()[0])
        .await
        .unwrap();
    tcp.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    let _ =
        tokio::time::timeout(std::time::Duration::from_secs(5), tcp.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn requests_for_unconfigured_hosts_and_paths_reach_nothing() {
    let up = Upstream::start().await;
    // Something an open proxy could be made to reach: it must never be contacted.
    let bystander = Upstream::start().await;
    let mut r0 = route("/api", &up.url());
    r0.host = Some("api.example.com".to_owned());
    let g = start(config(vec![r0])).await;
    let other_host = send(
        "GET",
        &format!("{}/api/x", base(&g)),
        &[("host", "other.example.com"), ("origin", ALLOWED)],
        "",
    )
    .await;
    assert_eq!(other_host.status, 404);
    assert_eq!(
        other_host.header("access-control-allow-origin"),
        Some(ALLOWED),
        "the 404 has [cors]'s headers"
    );
    let other_path = send(
        "GET",
        &format!("{}/admin", base(&g)),
        &[("host", "api.example.com")],
        "",
    )
    .await;
    assert_eq!(other_path.status, 404);
    // Absolute-form and CONNECT requests for the bystander: routed by their own host, 404.
    let line = raw(
        &g,
        &format!(
            "GET http://{}/api/x HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            bystander.addr, bystander.addr
        ),
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 404"), "{line}");
    let line = raw(
        &g,
        &format!(
            "CONNECT {} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            bystander.addr, bystander.addr
        ),
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 4"), "{line}");
    // CONNECT (a tunnel) is refused even by a route that takes every host and path.
    let g2 = start(config(vec![route("/", &up.url())])).await;
    let line = raw(
        &g2,
        &format!(
            "CONNECT {} HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            bystander.addr, bystander.addr
        ),
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 405"), "{line}");
    // cors-anywhere's URL form is just a path here.
    let line = raw(
        &g,
        &format!(
            "GET /http://{}/ HTTP/1.1\r\nhost: api.example.com\r\nconnection: close\r\n\r\n",
            bystander.addr
        ),
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 404"), "{line}");
    // A path that would leave the route's prefix upstream.
    let line = raw(
        &g,
        "GET /api/../admin HTTP/1.1\r\nhost: api.example.com\r\nconnection: close\r\n\r\n",
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 400"), "{line}");
    let line = raw(
        &g,
        "GET /api/%2e%2E/admin HTTP/1.1\r\nhost: api.example.com\r\nconnection: close\r\n\r\n",
    )
    .await;
    assert!(line.starts_with("HTTP/1.1 400"), "{line}");
    assert_eq!((up.hits(), bystander.hits()), (0, 0));
    assert_eq!(
        metric(
            &g,
            "corsgate_requests_total{route=\"\",cors=\"actual_allowed\"}"
        )
        .await,
        1.0
    );
}
