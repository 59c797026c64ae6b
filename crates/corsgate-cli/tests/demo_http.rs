//! The demo's two servers over plain HTTP, in-process (no browser): what the API answers,
//! on both loopback addresses, and what the page server's policy endpoint accepts.

use std::net::SocketAddr;
use std::time::Duration;

use corsgate_cli::demo::{DemoArgs, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::util::demo::{start, start_with};

const DATA: &str = r#"{"name":"Bangladesh","description":"Land of emotions"}"#;

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 exchange (`Connection: close`), bounded in time.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Response {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let host = if headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
            String::new()
        } else {
            format!("Host: {addr}\r\n")
        };
        let mut request = format!("{method} {path} HTTP/1.1\r\n{host}Connection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(request.as_bytes()).await.expect("write");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("read");
        raw
    };
    let raw = tokio::time::timeout(Duration::from_secs(10), exchange)
        .await
        .expect("an answer within 10 s");
    let text = String::from_utf8(raw).expect("UTF-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_owned(),
    }
}

#[test]
fn flags_default_to_the_tutorials_finished_state() {
    let args = DemoArgs::from_flags(Vec::<String>::new()).expect("no flags");
    assert_eq!((args.api_port, args.page_port), (3000, 5500));
    let config = args.config(Some("http://127.0.0.1:5500"));
    assert_eq!(config.allow_origins, ["http://127.0.0.1:5500"]);
    assert_eq!(config.allow_methods, ["GET", "POST"]);
    assert!(config.allow_headers.is_empty() && !config.allow_credentials);
    assert!(config.debug, "the demo is a teaching tool");

    let args = DemoArgs::from_flags([
        "--allow-origin",
        "http://localhost:5500",
        "--allow-origin",
        "http://127.0.0.1:5500",
        "--allow-method",
        "GET,PUT",
        "--allow-header",
        "X-Demo",
        "--expose-header",
        "X-Demo-Count",
        "--credentials",
        "--max-age",
        "-1",
    ])
    .expect("flags");
    let config = args.config(Some("ignored when --allow-origin is given"));
    assert_eq!(
        config.allow_origins,
        ["http://localhost:5500", "http://127.0.0.1:5500"]
    );
    assert_eq!(config.allow_methods, ["GET", "PUT"]);
    assert_eq!(config.allow_headers, ["X-Demo"]);
    assert_eq!(config.expose_headers, ["X-Demo-Count"]);
    assert!(config.allow_credentials);
    assert_eq!(config.max_age, Some(-1));
}

#[tokio::test]
async fn api_answers_the_tutorial_json_on_both_loopbacks() {
    let demo = start(&[]).await;
    let origin = demo.page_origin();
    for addr in demo.api_addrs() {
        let r = http(*addr, "GET", "/data", &[("Origin", &origin)], "").await;
        assert_eq!(r.status, 200, "{addr}");
        assert_eq!(r.body, DATA, "{addr}");
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some(origin.as_str())
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
    if std::net::TcpListener::bind("[::1]:0").is_ok() {
        assert_eq!(
            demo.api_addrs().len(),
            2,
            "localhost may be [::1]: bind it too"
        );
    }
    // PUT answers the same JSON (the second tutorial's route).
    let r = http(
        demo.api_addrs()[0],
        "PUT",
        "/data",
        &[("Origin", &origin)],
        "",
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (200, DATA));
    demo.shutdown().await;
}

#[tokio::test]
async fn disallowed_origin_gets_no_cors_headers() {
    let demo = start(&[]).await;
    let api = demo.api_addrs()[0];
    let localhost = format!("http://localhost:{}", demo.page_port());
    let r = http(api, "GET", "/data", &[("Origin", &localhost)], "").await;
    assert_eq!((r.status, r.body.as_str()), (200, DATA));
    assert_eq!(r.header("access-control-allow-origin"), None);

    // A preflight from a stranger: 403, nothing to read (debug mode only explains to
    // allowed origins).
    let r = http(
        api,
        "OPTIONS",
        "/data",
        &[
            ("Origin", &localhost),
            ("Access-Control-Request-Method", "PUT"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, 403);
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(r.header("access-control-allow-methods"), None);
    demo.shutdown().await;
}

#[tokio::test]
async fn debug_preflight_names_the_allowed_methods() {
    let demo = start(&[]).await;
    let origin = demo.page_origin();
    let r = http(
        demo.api_addrs()[0],
        "OPTIONS",
        "/data",
        &[
            ("Origin", &origin),
            ("Access-Control-Request-Method", "PUT"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(origin.as_str())
    );
    assert_eq!(r.header("access-control-allow-methods"), Some("GET, POST"));
    demo.shutdown().await;
}

#[tokio::test]
async fn no_cors_sends_no_cors_headers_at_all() {
    let demo = start(&["--no-cors"]).await;
    let origin = demo.page_origin();
    let r = http(
        demo.api_addrs()[0],
        "GET",
        "/data",
        &[("Origin", &origin)],
        "",
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (200, DATA));
    assert!(
        r.headers
            .iter()
            .all(|(n, _)| !n.to_ascii_lowercase().starts_with("access-control-")),
        "{:?}",
        r.headers
    );
    assert!(!demo.policy().cors_enabled());
    demo.shutdown().await;
}

#[tokio::test]
async fn page_serves_its_embedded_assets() {
    let demo = start(&[]).await;
    let page = demo.page_addr();
    let r = http(page, "GET", "/", &[], "").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r.body.contains(&format!(
        "<meta name=\"corsgate-api\" content=\"{}\">",
        demo.api_origin()
    )));
    assert!(r.body.contains("id=\"fetch-data\""));
    for (path, ty) in [
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
    ] {
        let r = http(page, "GET", path, &[], "").await;
        assert_eq!(
            (r.status, r.header("content-type")),
            (200, Some(ty)),
            "{path}"
        );
    }
    assert_eq!(http(page, "GET", "/nope", &[], "").await.status, 404);
    demo.shutdown().await;
}

#[tokio::test]
async fn policy_endpoint_swaps_the_api_policy_live() {
    let demo = start(&["--no-cors"]).await;
    let page = demo.page_addr();
    let api = demo.api_addrs()[0];
    let origin = demo.page_origin();

    let r = http(page, "GET", "/api/policy", &[], "").await;
    assert_eq!(r.status, 200);
    let view: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(view["cors_enabled"], false);
    assert_eq!(view["config"]["allow_origins"], serde_json::json!([origin]));
    assert_eq!(view["api_origin"], demo.api_origin());
    assert_eq!(view["page_origin"], origin);

    let json = [("Content-Type", "application/json")];
    let update = serde_json::json!({
        "cors_enabled": true,
        "config": { "allow_origins": [origin], "allow_methods": ["GET", "PUT"], "debug": false },
    })
    .to_string();
    let r = http(page, "PUT", "/api/policy", &json, &update).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(demo.policy().cors_enabled());
    let config = demo.policy().config();
    assert_eq!(config.allow_methods, ["GET", "PUT"]);
    assert!(config.debug, "the demo stays in debug mode");
    let r = http(api, "GET", "/data", &[("Origin", &origin)], "").await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some(origin.as_str())
    );

    // Invalid: 422 with the library's text; nothing changes.
    let bad = serde_json::json!({
        "cors_enabled": true,
        "config": { "allow_origins": ["https://a.com:443"] },
    })
    .to_string();
    let r = http(page, "PUT", "/api/policy", &json, &bad).await;
    assert_eq!(r.status, 422);
    let error: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(
        error["error"],
        "invalid CORS policy: 1 problem\n  - allow_origins[0] = \"https://a.com:443\": \
         browsers omit the scheme's default port; use https://a.com"
    );
    assert_eq!(demo.policy().config().allow_methods, ["GET", "PUT"]);

    // Not a policy, not JSON, not this server.
    let r = http(
        page,
        "PUT",
        "/api/policy",
        &json,
        r#"{"cors_enabled":true,"oops":1}"#,
    )
    .await;
    assert_eq!(r.status, 400, "{}", r.body);
    let r = http(
        page,
        "PUT",
        "/api/policy",
        &[("Content-Type", "text/plain")],
        &update,
    )
    .await;
    assert_eq!(r.status, 415);
    let r = http(
        page,
        "PUT",
        "/api/policy",
        &[
            ("Content-Type", "application/json"),
            ("Host", "evil.example:80"),
        ],
        &update,
    )
    .await;
    assert_eq!(r.status, 403);
    demo.shutdown().await;
}

#[tokio::test]
async fn check_endpoint_says_why_from_the_live_api() {
    let demo = start(&[]).await;
    let page = demo.page_addr();
    let origin = demo.page_origin();
    let api = format!("{}/data", demo.api_origin());
    let json = [("Content-Type", "application/json"), ("Origin", &origin)];
    let check = |body: &'static str| http(page, "POST", "/api/check", &json, body);

    // PUT with GET, POST allowed: the preflight fails, and the answer says what Chrome says.
    let r = check(r#"{"request": "put", "credentials": false}"#).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(v["verdict"], "blocked");
    assert_eq!(
        (v["method"].as_str(), v["url"].as_str()),
        (Some("PUT"), Some(api.as_str()))
    );
    assert_eq!(v["origin"], origin);
    assert_eq!(
        v["message"],
        format!(
            "Access to fetch at '{api}' from origin '{origin}' has been blocked by CORS policy: \
             Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."
        )
    );
    assert_eq!(v["reason"], "MethodDisallowedByPreflightResponse");
    assert_eq!(v["firefox"]["reason"], "CORSMethodNotFound");
    assert_eq!(
        v["firefox"]["message"],
        format!(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote \
             resource at {api}. (Reason: Did not find method in CORS header \
             \u{2018}Access-Control-Allow-Methods\u{2019})."
        )
    );
    assert!(
        v["explanation"]
            .as_str()
            .is_some_and(|e| e.contains("does not list PUT in Access-Control-Allow-Methods")),
        "{v}"
    );
    assert_eq!(
        v["fix"]["corsgate"],
        format!("allow_origins = [\"{origin}\"]\nallow_methods = [\"GET\", \"POST\", \"PUT\"]\n")
    );
    assert_eq!(
        v["fix"]["summary"],
        "List PUT in Access-Control-Allow-Methods."
    );

    // The same answer as `corsgate check` itself gives for that request.
    let mut args = corsgate_cli::check::CheckArgs::new(api.clone(), origin.clone());
    args.method = "PUT".into();
    let report = corsgate_cli::check::check(&args).await.expect("check");
    assert_eq!(v["message"].as_str(), report.message.as_deref());

    // Fetch Data is allowed; with credentials it is not (allow_credentials is off).
    let r = check(r#"{"request": "get"}"#).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(
        (r.status, v["verdict"].as_str()),
        (200, Some("allowed")),
        "{v}"
    );
    assert!(v["message"].is_null() && v["fix"].is_null(), "{v}");
    let r = check(r#"{"request": "get", "credentials": true}"#).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(v["reason"], "InvalidAllowCredentials", "{v}");
    assert_eq!(
        v["fix"]["corsgate"],
        format!("allow_origins = [\"{origin}\"]\nallow_credentials = true\n")
    );

    // The custom-header request sends X-Demo (the page's third button).
    let r = check(r#"{"request": "header"}"#).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(v["reason"], "HeaderDisallowedByPreflightResponse", "{v}");

    // The check runs against the live policy: after a swap, the answer follows it.
    demo.policy()
        .set(false, demo.policy().config())
        .expect("CORS off");
    let r = check(r#"{"request": "get"}"#).await;
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(v["reason"], "MissingAllowOriginHeader", "{v}");
    assert_eq!(
        v["message"],
        format!(
            "Access to fetch at '{api}' from origin '{origin}' has been blocked by CORS policy: \
             No 'Access-Control-Allow-Origin' header is present on the requested resource."
        )
    );
    demo.shutdown().await;
}

#[tokio::test]
async fn check_endpoint_refuses_what_the_page_never_sends() {
    let demo = start(&[]).await;
    let page = demo.page_addr();
    let origin = demo.page_origin();
    let json = [("Content-Type", "application/json"), ("Origin", &origin)];
    let error = |r: &Response| -> String {
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
        v["error"].as_str().expect("an error").to_owned()
    };

    // Only the page's three requests: no other kind, no URL, no other field.
    for body in [
        r#"{"request": "delete"}"#,
        r#"{"request": "get", "url": "http://example.com/"}"#,
        r#"{"request": "http://localhost:1/"}"#,
        r#"{"credentials": true}"#,
        "not json",
    ] {
        let r = http(page, "POST", "/api/check", &json, body).await;
        assert_eq!(r.status, 400, "{body}: {}", r.body);
        assert!(
            error(&r).starts_with("not a request to check: "),
            "{}",
            r.body
        );
    }
    let r = http(
        page,
        "POST",
        "/api/check",
        &json,
        r#"{"request": "delete"}"#,
    )
    .await;
    assert!(
        error(&r).contains("unknown variant `delete`, expected one of `get`, `put`, `header`"),
        "{}",
        r.body
    );

    // Another site's page (Origin), another Host (DNS rebinding), not JSON, not POST.
    let valid = r#"{"request": "get"}"#;
    let r = http(
        page,
        "POST",
        "/api/check",
        &[
            ("Content-Type", "application/json"),
            ("Origin", "http://evil.example"),
        ],
        valid,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        error(&r),
        format!("requests can only be checked from this page, {origin}/ (Origin differs)")
    );
    // `Origin` must be the origin `Host` names: localhost is not 127.0.0.1.
    let localhost = format!("http://localhost:{}", demo.page_port());
    let r = http(
        page,
        "POST",
        "/api/check",
        &[("Content-Type", "application/json"), ("Origin", &localhost)],
        valid,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    // The page opened as http://localhost:<port> is checked as that origin, which the
    // policy (127.0.0.1 only) does not allow.
    let localhost_host = format!("localhost:{}", demo.page_port());
    let r = http(
        page,
        "POST",
        "/api/check",
        &[
            ("Content-Type", "application/json"),
            ("Host", &localhost_host),
            ("Origin", &localhost),
        ],
        valid,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(
        (v["origin"].as_str(), v["reason"].as_str()),
        (Some(localhost.as_str()), Some("MissingAllowOriginHeader")),
        "{v}"
    );
    let r = http(
        page,
        "POST",
        "/api/check",
        &[
            ("Content-Type", "application/json"),
            ("Host", "evil.example:80"),
        ],
        valid,
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(
        error(&r),
        format!(
            "requests can only be checked through http://127.0.0.1:{}/",
            demo.page_port()
        )
    );
    let r = http(
        page,
        "POST",
        "/api/check",
        &[("Content-Type", "text/plain"), ("Origin", &origin)],
        valid,
    )
    .await;
    assert_eq!(r.status, 415, "{}", r.body);
    assert_eq!(http(page, "GET", "/api/check", &[], "").await.status, 405);
    // A preflight from another site gets nothing that would let its POST through.
    let r = http(
        page,
        "OPTIONS",
        "/api/check",
        &[
            ("Origin", "http://evil.example"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
        "",
    )
    .await;
    assert_eq!(r.header("access-control-allow-origin"), None);

    // Without Origin (a script, curl), the origin the Host names is checked.
    let r = http(
        page,
        "POST",
        "/api/check",
        &[("Content-Type", "application/json")],
        valid,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
    assert_eq!(v["origin"], origin);
    demo.shutdown().await;
}

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

/// Every endpoint of the page server answers only requests that name it in `Host`
/// (`127.0.0.1:<port>`, `localhost:<port>` or `[::1]:<port>`): a page on another name that
/// resolves to 127.0.0.1 (DNS rebinding) can read neither the page nor the policy. Every
/// state-changing one answers only its own page's `Origin` (the origin `Host` names) or a
/// client that sends none. (Before, `GET /api/policy` answered any `Host`, and `PUT
/// /api/policy` any `Origin`.)
#[tokio::test]
async fn page_server_requires_its_own_host_and_origin() {
    let demo = start(&[]).await;
    let page = demo.page_addr();
    let port = demo.page_port();
    let origin = demo.page_origin();
    let error = |r: &Response| -> String {
        let v: serde_json::Value = serde_json::from_str(&r.body).expect("JSON");
        v["error"].as_str().expect("an error").to_owned()
    };

    let rebound = format!("rebind.example:{port}");
    for (method, path, what) in [
        ("GET", "/api/policy", "the policy can only be read"),
        ("GET", "/", "this page can only be opened"),
        ("GET", "/app.js", "this page can only be opened"),
        ("HEAD", "/index.html", "this page can only be opened"),
        ("GET", "/nope", "this page can only be opened"),
    ] {
        let r = http(page, method, path, &[("Host", &rebound)], "").await;
        assert_eq!(r.status, 403, "{method} {path}: {}", r.body);
        if method != "HEAD" {
            assert_eq!(
                error(&r),
                format!("{what} through http://127.0.0.1:{port}/")
            );
        }
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = http(page, "GET", "/api/policy", &[("Host", &host)], "").await;
        assert_eq!(r.status, 200, "{host}: {}", r.body);
    }

    // A cross-origin PUT (a non-browser client can send one without a preflight).
    let update = serde_json::json!({
        "cors_enabled": true,
        "config": { "allow_origins": ["http://evil.example"] },
    })
    .to_string();
    let localhost = format!("http://localhost:{port}");
    for foreign in ["http://evil.example", "null", localhost.as_str()] {
        let r = http(
            page,
            "PUT",
            "/api/policy",
            &[("Content-Type", "application/json"), ("Origin", foreign)],
            &update,
        )
        .await;
        assert_eq!(r.status, 403, "Origin {foreign}: {}", r.body);
        assert_eq!(
            error(&r),
            format!("the policy can only be changed from this page, {origin}/ (Origin differs)")
        );
    }
    assert_eq!(demo.policy().config().allow_origins, [origin.as_str()]);

    // The page itself (its Origin), on each of its names, and a script without Origin.
    let own = serde_json::json!({
        "cors_enabled": true,
        "config": { "allow_origins": [origin] },
    })
    .to_string();
    let localhost_host = format!("localhost:{port}");
    for headers in [
        vec![("Origin", origin.as_str())],
        vec![("Origin", localhost.as_str()), ("Host", &localhost_host)],
        vec![],
    ] {
        let mut headers = headers;
        headers.push(("Content-Type", "application/json"));
        let r = http(page, "PUT", "/api/policy", &headers, &own).await;
        assert_eq!(r.status, 200, "{headers:?}: {}", r.body);
    }
    demo.shutdown().await;
}
