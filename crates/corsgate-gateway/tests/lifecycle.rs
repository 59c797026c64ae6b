//! A gateway's life: reloads under load, invalid reloads, graceful shutdown, idle connections, the admin endpoints.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use corsgate::Config;

use crate::util::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_under_steady_load_fails_no_request() {
    let up = Upstream::start().await;
    let c = config(vec![route("/", &up.url())]);
    let g = Arc::new(start(c.clone()).await);
    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let stop = Instant::now() + Duration::from_secs(2);
    let mut load = Vec::new();
    for _ in 0..4 {
        let (g, ok, failed) = (Arc::clone(&g), Arc::clone(&ok), Arc::clone(&failed));
        load.push(tokio::spawn(async move {
            let client =
                hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                    .build_http::<http_body_util::Empty<bytes::Bytes>>();
            while Instant::now() < stop {
                let req = http::Request::get(format!("{}/data", base(&g)))
                    .header("origin", ALLOWED)
                    .body(empty())
                    .unwrap();
                match client.request(req).await {
                    Ok(r)
                        if r.status() == 200
                            && r.headers()["access-control-allow-origin"] == ALLOWED =>
                    {
                        let _ = http_body_util::BodyExt::collect(r.into_body()).await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    // 40 reloads, every one with a policy that still allows ALLOWED (and one more origin).
    let mut reloads = 0;
    while Instant::now() < stop {
        let mut next = c.clone();
        next.routes[0].cors = Config::new()
            .allow_origins([
                ALLOWED.to_owned(),
                format!("https://n{reloads}.example.com"),
            ])
            .build()
            .unwrap();
        g.reload(next);
        reloads += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for l in load {
        l.await.unwrap();
    }
    assert!(reloads >= 20, "{reloads}");
    assert!(
        ok.load(Ordering::Relaxed) > 100,
        "{}",
        ok.load(Ordering::Relaxed)
    );
    assert_eq!(failed.load(Ordering::Relaxed), 0);
    assert_eq!(
        metric(&g, "corsgate_reloads_total{result=\"ok\"}").await,
        reloads as f64
    );
}

#[tokio::test]
async fn a_reload_changes_the_policy_in_force() {
    let up = Upstream::start().await;
    let c = config(vec![route("/", &up.url())]);
    let g = start(c.clone()).await;
    let url = format!("{}/data", base(&g));
    assert_eq!(
        get(&url, Some(REFUSED))
            .await
            .header("access-control-allow-origin"),
        None
    );
    let mut next = c;
    next.routes[0].cors = Config::new().allow_origin(REFUSED).build().unwrap();
    g.reload(next);
    assert_eq!(
        get(&url, Some(REFUSED))
            .await
            .header("access-control-allow-origin"),
        Some(REFUSED)
    );
    assert_eq!(
        get(&url, Some(ALLOWED))
            .await
            .header("access-control-allow-origin"),
        None
    );
    assert_eq!(
        g.policy_json()["routes"][0]["cors"]["allow_origins"][0],
        REFUSED
    );
}

#[tokio::test]
async fn an_invalid_reload_keeps_the_old_policy() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let dir = std::env::temp_dir().join(format!("corsgate-gw-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gateway.toml");
    std::fs::write(
        &file,
        format!("[cors]\nallow_origins = [\"*\"]\nallow_credentials = true\n\n[[route]]\npath_prefix = \"/\"\nupstream = \"{}\"\n", up.url()),
    )
    .unwrap();
    let e = g.reload_file(&file).unwrap_err();
    assert!(!e.problems.is_empty(), "{e}");
    assert_eq!(e.problems[0].line, Some(2), "{e}");
    let r = get(&format!("{}/data", base(&g)), Some(REFUSED)).await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "the old policy is in force"
    );
    assert_eq!(
        get(&format!("{}/data", base(&g)), Some(ALLOWED))
            .await
            .header("access-control-allow-origin"),
        Some(ALLOWED)
    );
    assert_eq!(
        metric(&g, "corsgate_reloads_total{result=\"failed\"}").await,
        1.0
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn shutdown_finishes_requests_in_flight_and_accepts_no_more() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let addr = g.listen_addrs()[0];
    let url = format!("{}/slow/800", base(&g));
    let in_flight = tokio::spawn(async move { get(&url, Some(ALLOWED)).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let t = Instant::now();
    let drained = tokio::spawn(g.shutdown());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        tokio::net::TcpStream::connect(addr).await.is_err(),
        "no new connections"
    );
    let r = in_flight.await.unwrap();
    assert_eq!((r.status, r.body.as_str()), (200, "slow"));
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    assert!(drained.await.unwrap(), "every connection finished");
    assert!(t.elapsed() < Duration::from_secs(3), "{:?}", t.elapsed());
}

#[tokio::test]
async fn shutdown_gives_up_after_the_grace_period() {
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.shutdown_grace = Duration::from_millis(300);
    let g = start(c).await;
    let url = format!("{}/slow/5000", base(&g));
    let _in_flight = tokio::spawn(async move { get(&url, None).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let t = Instant::now();
    assert!(!g.shutdown().await);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[tokio::test]
async fn idle_connections_are_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.idle_timeout = Duration::from_millis(300);
    let g = start(c).await;
    let mut tcp = tokio::net::TcpStream::connect(g.listen_addrs()[0])
        .await
        .unwrap();
    tcp.write_all(b"GET /data HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    let t = Instant::now();
    let mut buf = vec![0u8; 4096];
    let mut got = Vec::new();
    loop {
        let n = tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buf))
            .await
            .unwrap()
            .unwrap();
        if n == 0 {
            break;
        }
        got.extend_from_slice(&buf[..n]);
    }
    assert!(String::from_utf8_lossy(&got).starts_with("HTTP/1.1 200"));
    assert!(
        t.elapsed() >= Duration::from_millis(250) && t.elapsed() < Duration::from_secs(3),
        "{:?}",
        t.elapsed()
    );
}

#[tokio::test]
async fn a_head_sent_too_slowly_is_cut_off_at_header_read_timeout() {
    // A slowloris client: a head that never ends, one byte now and then, so the connection
    // is never idle. It is closed once header_read_timeout has passed, without reaching the
    // upstream; a complete request on another connection is served meanwhile.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.header_read_timeout = Duration::from_millis(400);
    c.server.idle_timeout = Duration::from_secs(30);
    let g = start(c).await;
    let mut tcp = tokio::net::TcpStream::connect(g.listen_addrs()[0])
        .await
        .unwrap();
    tcp.write_all(b"GET /data HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let t = Instant::now();
    let mut closed_after = None;
    let mut buf = [0u8; 1024];
    for i in 0..40 {
        // A byte of a header line every 100 ms; a write may fail once the gateway is gone.
        let _ = tcp.write_all(if i % 2 == 0 { b"x" } else { b"y" }).await;
        match tokio::time::timeout(Duration::from_millis(100), tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed_after = Some(t.elapsed());
                break;
            }
            Ok(Ok(n)) => panic!(
                "the gateway answered a head that never ended: {:?}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(_) => {}
        }
    }
    let closed_after = closed_after.expect("the slow head was still open after 4 s");
    assert!(
        closed_after >= Duration::from_millis(350) && closed_after < Duration::from_secs(3),
        "{closed_after:?}"
    );
    let ok = get(&format!("{}/data", base(&g)), Some(ALLOWED)).await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        up.hits(),
        1,
        "only the complete request reached the upstream"
    );
}

#[tokio::test]
async fn the_admin_listener_serves_a_bounded_number_of_connections() {
    // MAX_ADMIN_CONNECTIONS idle connections hold every admin slot: one more waits, unserved,
    // until one of them closes; the gateway's own listener is not affected.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let addr = g.admin_addr().unwrap();
    let mut idle = Vec::new();
    for _ in 0..corsgate_gateway::MAX_ADMIN_CONNECTIONS {
        idle.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    // Let the listener accept them all.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut extra = tokio::net::TcpStream::connect(addr).await.unwrap();
    extra
        .write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 1024];
    let early = tokio::time::timeout(Duration::from_millis(500), extra.read(&mut buf)).await;
    assert!(early.is_err(), "served past the cap: {early:?}");
    assert_eq!(
        get(&format!("{}/data", base(&g)), Some(ALLOWED))
            .await
            .status,
        200
    );
    drop(idle.pop());
    let n = tokio::time::timeout(Duration::from_secs(5), extra.read(&mut buf))
        .await
        .expect("served once a slot is free")
        .unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
}

#[tokio::test]
async fn the_admin_endpoints_answer() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    get(&format!("{}/data", base(&g)), Some(ALLOWED)).await;
    let health = admin(&g, "/healthz").await;
    assert_eq!((health.status, health.body.as_str()), (200, "ok\n"));
    let m = admin(&g, "/metrics").await;
    assert!(m
        .header("content-type")
        .unwrap()
        .starts_with("application/openmetrics-text"));
    for family in [
        "corsgate_requests_total",
        "corsgate_upstream_duration_seconds_bucket",
        "corsgate_upstream_errors_total",
        "corsgate_reloads_total",
        "corsgate_report_only_differences_total",
        "corsgate_client_connections",
    ] {
        assert!(m.body.contains(family), "{family} missing:\n{}", m.body);
    }
    assert_eq!(
        metric(&g, "corsgate_upstream_duration_seconds_count{route=\"/\"}").await,
        1.0
    );
    let p = admin(&g, "/policy").await;
    let json: serde_json::Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(json["routes"][0]["upstream"], format!("{}/", up.url()));
    assert_eq!(json["routes"][0]["cors"]["allow_origins"][0], ALLOWED);
    assert_eq!(json["server"]["max_body_bytes"], 100 << 20);
    assert_eq!(admin(&g, "/nope").await.status, 404);
}
