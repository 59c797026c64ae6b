//! The demo's limits: large and oversized policies, slow clients, connections beyond the cap.

use super::*;

/// One HTTP/1.1 exchange over a blocking socket, for OS threads that must not depend on the
/// demo's runtime: the status (0 when no answer came within 30 s) and how long it took.
fn http_blocking(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Duration) {
    use std::io::{Read, Write};
    let started = std::time::Instant::now();
    let exchange = || -> std::io::Result<Vec<u8>> {
        let mut stream = std::net::TcpStream::connect_timeout(&addr, Duration::from_secs(30))?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_write_timeout(Some(Duration::from_secs(30)))?;
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        stream.write_all(head.as_bytes())?;
        stream.write_all(body)?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw)?;
        Ok(raw)
    };
    let status = exchange()
        .ok()
        .and_then(|raw| {
            let line = raw.split(|&b| b == b'\r').next()?.to_vec();
            String::from_utf8(line)
                .ok()?
                .split(' ')
                .nth(1)?
                .parse()
                .ok()
        })
        .unwrap_or(0);
    (status, started.elapsed())
}

/// A `PUT /api/policy` body at the library's limit: 10,000 origins, each refused with a
/// suggestion (internationalized hosts that browsers send as punycode), so validating it is
/// as much work as a policy can be.
fn largest_policy() -> Vec<u8> {
    let origins: Vec<String> = (0..10_000)
        .map(|i| format!("https://b\u{fc}cher-{i}.example:443"))
        .collect();
    serde_json::json!({"cors_enabled": true, "config": {"allow_origins": origins}})
        .to_string()
        .into_bytes()
}

/// `PUT /api/policy` validates on a blocking thread: two large PUTs at a time, back to back,
/// on a runtime with two workers (the command's, on a two-core machine), leave the API
/// answering `GET /data` promptly. (When validation ran on the workers, each such PUT held a
/// worker for about half a second in a debug build, and no GET took under 90 ms.)
#[test]
fn large_policy_puts_do_not_stall_the_api() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let demo = runtime.block_on(start(&[]));
    let (page, api) = (demo.page_addr(), demo.api_addrs()[0]);
    let origin = demo.page_origin();
    let body = Arc::new(largest_policy());
    let stop = Arc::new(AtomicBool::new(false));
    let putters: Vec<_> = (0..2)
        .map(|_| {
            let (body, stop) = (body.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut statuses = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let json = [("Content-Type", "application/json")];
                    statuses.push(http_blocking(page, "PUT", "/api/policy", &json, &body).0);
                }
                statuses
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let mut gets = Vec::new();
    for _ in 0..20 {
        gets.push(http_blocking(
            api,
            "GET",
            "/data",
            &[("Origin", &origin)],
            b"",
        ));
        std::thread::sleep(Duration::from_millis(50));
    }
    stop.store(true, Ordering::Relaxed);
    let puts: Vec<u16> = putters
        .into_iter()
        .flat_map(|p| p.join().expect("a PUT thread"))
        .collect();
    runtime.block_on(demo.shutdown());

    // Every PUT was validated in full (10,000 errors), and none was lost.
    assert!(
        puts.len() >= 2 && puts.iter().all(|s| *s == 422),
        "{puts:?}"
    );
    assert!(gets.iter().all(|(status, _)| *status == 200), "{gets:?}");
    let mut took: Vec<Duration> = gets.iter().map(|(_, took)| *took).collect();
    took.sort();
    // The median, so that one scheduling hiccup of a busy machine does not decide.
    assert!(
        took[took.len() / 2] < Duration::from_millis(50),
        "GET /data while two large policies were validated: {took:?}"
    );
    assert!(took[took.len() - 1] < Duration::from_secs(2), "{took:?}");
}

/// A policy body larger than the page server reads is refused with a 413 that says so, and
/// nothing changes.
#[tokio::test]
async fn oversized_policy_is_refused_with_413() {
    let demo = start(&[]).await;
    let before = demo.policy().config();
    // 40,000 origins of 40 bytes: valid JSON, 1.6 MB.
    let origins: Vec<String> = (0..40_000)
        .map(|i| format!("https://app-{i:05}.tenant.example.com"))
        .collect();
    let body =
        serde_json::json!({"cors_enabled": true, "config": {"allow_origins": origins}}).to_string();
    assert!(body.len() > 1024 * 1024);
    let r = http(
        demo.page_addr(),
        "PUT",
        "/api/policy",
        &[("Content-Type", "application/json")],
        &body,
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(
        v["error"],
        "the policy is larger than 1048576 bytes, the most this server reads"
    );
    assert_eq!(demo.policy().config().allow_origins, before.allow_origins);
    demo.shutdown().await;
}

/// Reads what the server sends until it closes the connection: `Some(bytes)` when it did
/// within `within`, `None` when the connection is still open.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    let read = async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(within, read).await.ok()?;
    Some(got)
}

/// A connection to `addr` that has sent `bytes`.
async fn sent(addr: SocketAddr, bytes: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(bytes.as_bytes()).await.expect("write");
    stream
}

/// Slow clients cannot hold the servers' connections: a client that sends nothing, one that
/// never finishes its request head, one that stays idle after an answer, and one that never
/// finishes a body are all disconnected once the timeouts pass, on the API (both loopbacks)
/// and on the page. (Before, every one of them was held for ever.)
#[tokio::test]
async fn slow_clients_are_disconnected() {
    const TIMEOUT: Duration = Duration::from_secs(1);
    const MARGIN: Duration = Duration::from_secs(4);
    let demo = start_with(
        &[],
        Limits {
            header_read_timeout: TIMEOUT,
            body_read_timeout: TIMEOUT,
            ..Limits::default()
        },
    )
    .await;
    let page = demo.page_addr();
    let mut servers = demo.api_addrs().to_vec();
    servers.push(page);
    let mut slow = Vec::new();
    for &addr in &servers {
        slow.push(("silent", addr, sent(addr, "").await));
        let head = format!("GET /data HTTP/1.1\r\nHost: {addr}\r\nX-Slow: never end");
        slow.push(("half-sent head", addr, sent(addr, &head).await));
    }
    let mut idle = Vec::new();
    for &addr in &servers {
        let request = format!("GET /nope HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        idle.push((addr, sent(addr, &request).await));
    }
    let body = format!(
        "PUT /api/policy HTTP/1.1\r\nHost: {page}\r\nContent-Type: application/json\r\n\
         Content-Length: 100\r\n\r\n{{\"cors_enabled\""
    );
    let mut half_body = sent(page, &body).await;
    let api = demo.api_addrs()[0];
    let put = format!("PUT /data HTTP/1.1\r\nHost: {api}\r\nContent-Length: 100\r\n\r\n{{");
    let mut half_put = sent(api, &put).await;

    for (what, addr, mut stream) in slow {
        let got = read_until_closed(&mut stream, TIMEOUT + MARGIN).await;
        assert_eq!(got, Some(Vec::new()), "{what} connection to {addr}");
    }
    for (addr, mut stream) in idle {
        // Answered (404), then closed once idle for the header timeout.
        let got = read_until_closed(&mut stream, TIMEOUT + MARGIN).await;
        let got = got.unwrap_or_else(|| panic!("idle kept-alive connection to {addr} still open"));
        assert!(got.starts_with(b"HTTP/1.1 404 "), "{addr}: {got:?}");
    }
    let got = read_until_closed(&mut half_body, TIMEOUT + MARGIN)
        .await
        .expect("a half-sent policy body still held");
    let got = String::from_utf8(got).expect("UTF-8");
    assert!(got.starts_with("HTTP/1.1 408 "), "{got}");
    assert!(
        got.ends_with(&format!(
            r#"{{"error":"the policy did not arrive within {TIMEOUT:?}"}}"#
        )),
        "{got}"
    );

    // The API answers a PUT without reading its body, then closes the connection.
    let got = read_until_closed(&mut half_put, TIMEOUT + MARGIN)
        .await
        .expect("a half-sent PUT /data body still held");
    assert!(got.starts_with(b"HTTP/1.1 200 "), "{got:?}");

    // Still serving.
    let r = http(demo.api_addrs()[0], "GET", "/data", &[], "").await;
    assert_eq!((r.status, r.body.as_str()), (200, DATA));
    demo.shutdown().await;
}

/// At most `max_connections` connections per listening socket: the next one waits (in the
/// OS's backlog) until one closes, then is served.
#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_one() {
    let demo = start_with(
        &[],
        Limits {
            max_connections: 2,
            ..Limits::default()
        },
    )
    .await;
    let page = demo.page_addr();
    let first = sent(page, "").await;
    let _second = sent(page, "").await;
    let third = tokio::spawn(http(page, "GET", "/app.js", &[], ""));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!third.is_finished(), "a third connection was served");
    drop(first);
    let r = tokio::time::timeout(Duration::from_secs(5), third)
        .await
        .expect("served once a connection closed")
        .expect("the request task");
    assert_eq!(r.status, 200);
    demo.shutdown().await;
}
