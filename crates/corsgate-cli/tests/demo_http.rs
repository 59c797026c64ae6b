//! The demo's two servers over plain HTTP, in-process (no browser): what the API answers,
//! on both loopback addresses, and what the page server's policy endpoint accepts.

use std::net::SocketAddr;
use std::time::Duration;

use corsgate_cli::demo::{DemoArgs, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::util::demo::{start, start_with};

mod endpoints;
mod limits;

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
