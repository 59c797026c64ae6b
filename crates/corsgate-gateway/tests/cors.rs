//! CORS through the gateway: preflights answered, actual requests, the upstream's own CORS headers stripped or kept, report-only, CORS on every error.

use corsgate_config::gateway::UpstreamCors;

use crate::util::*;

#[tokio::test]
async fn preflights_are_answered_by_the_gateway_and_never_reach_the_upstream() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let r = preflight(
        &format!("{}/data", base(&g)),
        ALLOWED,
        "PUT",
        Some("x-api-key"),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    assert_eq!(
        r.header("access-control-allow-methods"),
        Some("GET, POST, PUT")
    );
    assert_eq!(
        r.header("access-control-allow-headers"),
        Some("x-api-key, content-type")
    );
    // Refused: a method not allowed, then an origin not allowed.
    let r = preflight(&format!("{}/data", base(&g)), ALLOWED, "DELETE", None).await;
    assert_eq!(r.header("access-control-allow-methods"), None, "{r:?}");
    let r = preflight(&format!("{}/data", base(&g)), REFUSED, "PUT", None).await;
    assert_eq!(r.header("access-control-allow-origin"), None, "{r:?}");
    assert_eq!(up.hits(), 0, "no preflight reached the upstream");
    assert_eq!(
        metric(
            &g,
            "corsgate_requests_total{route=\"/\",cors=\"preflight_passed\"}"
        )
        .await,
        1.0
    );
    assert_eq!(
        metric(
            &g,
            "corsgate_requests_total{route=\"/\",cors=\"preflight_failed\"}"
        )
        .await,
        2.0
    );
}

#[tokio::test]
async fn actual_requests_get_the_headers_of_their_origin() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    let url = format!("{}/data", base(&g));
    let r = get(&url, Some(ALLOWED)).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, r#"{"message":"Hello from the API"}"#);
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    assert_eq!(
        r.header("access-control-expose-headers"),
        Some("x-total-count")
    );
    assert_eq!(r.all("vary"), ["origin"]);
    let r = get(&url, Some(REFUSED)).await;
    assert_eq!(r.status, 200, "the upstream answers; the browser hides it");
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(r.all("vary"), ["origin"]);
    let r = get(&url, None).await;
    assert_eq!(r.header("access-control-allow-origin"), None);
    assert_eq!(up.hits(), 3);
    assert_eq!(
        metric(
            &g,
            "corsgate_requests_total{route=\"/\",cors=\"actual_allowed\"}"
        )
        .await,
        1.0
    );
    assert_eq!(
        metric(
            &g,
            "corsgate_requests_total{route=\"/\",cors=\"actual_blocked\"}"
        )
        .await,
        1.0
    );
    assert_eq!(
        metric(&g, "corsgate_requests_total{route=\"/\",cors=\"not_cors\"}").await,
        1.0
    );
}

#[tokio::test]
async fn the_upstreams_errors_carry_cors_headers() {
    let up = Upstream::start().await;
    let g = start(config(vec![route("/", &up.url())])).await;
    for status in [400u16, 401, 404, 500, 503] {
        let r = get(&format!("{}/status/{status}", base(&g)), Some(ALLOWED)).await;
        assert_eq!(r.status, status);
        assert_eq!(r.body, format!("status {status} from the upstream"));
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some(ALLOWED),
            "{status}"
        );
    }
}

#[tokio::test]
async fn an_upstream_that_is_down_is_a_502_with_cors_headers() {
    // A port nothing listens on: bind one, note it, close it.
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let g = start(config(vec![route("/", &format!("http://{dead}"))])).await;
    let r = get(&format!("{}/data", base(&g)), Some(ALLOWED)).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    assert!(r.body.contains("cannot be reached"), "{}", r.body);
    assert_eq!(
        metric(
            &g,
            "corsgate_upstream_errors_total{route=\"/\",kind=\"connect\"}"
        )
        .await,
        1.0
    );
}

#[tokio::test]
async fn a_slow_upstream_is_a_504_with_cors_headers() {
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.upstream_response_timeout = std::time::Duration::from_millis(300);
    let g = start(c).await;
    let t = std::time::Instant::now();
    let r = get(&format!("{}/slow/3000", base(&g)), Some(ALLOWED)).await;
    assert_eq!(r.status, 504);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(2),
        "{:?}",
        t.elapsed()
    );
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    assert_eq!(
        metric(
            &g,
            "corsgate_upstream_errors_total{route=\"/\",kind=\"timeout\"}"
        )
        .await,
        1.0
    );
}

#[tokio::test]
async fn too_large_bodies_and_heads_are_refused_with_cors_headers() {
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.max_body_bytes = 1000;
    c.server.max_header_bytes = 2000;
    let g = start(c).await;
    let url = format!("{}/upload", base(&g));
    let r = send("POST", &url, &[("origin", ALLOWED)], &"a".repeat(1001)).await;
    assert_eq!(r.status, 413);
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    let big = "b".repeat(3000);
    let r = send("GET", &url, &[("origin", ALLOWED), ("x-big", &big)], "").await;
    assert_eq!(r.status, 431);
    assert_eq!(r.header("access-control-allow-origin"), Some(ALLOWED));
    assert_eq!(up.hits(), 0);
    // At the limit it passes.
    let r = send("POST", &url, &[("origin", ALLOWED)], &"a".repeat(1000)).await;
    assert_eq!((r.status, r.body.as_str()), (200, "1000"));
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_a_413_with_cors_headers() {
    use http_body_util::StreamBody;
    let up = Upstream::start().await;
    let mut c = config(vec![route("/", &up.url())]);
    c.server.max_body_bytes = 100_000;
    let g = start(c).await;
    // No Content-Length: the limit is found while streaming.
    let chunks = (0..20).map(|_| {
        Ok::<_, std::io::Error>(hyper::body::Frame::data(bytes::Bytes::from(vec![
            b'z';
            10_000
        ])))
    });
    let body = StreamBody::new(futures_util::stream::iter(chunks));
    let req = http::Request::post(format!("{}/upload", base(&g)))
        .header("origin", ALLOWED)
        .body(body)
        .unwrap();
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http();
    let res = client.request(req).await.unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(res.headers()["access-control-allow-origin"], ALLOWED);
}

#[tokio::test]
async fn strip_replaces_the_upstreams_cors_headers_and_keep_passes_them() {
    let up = Upstream::start().await;
    let strip = start(config(vec![route("/", &up.url())])).await;
    let r = get(&format!("{}/cors", base(&strip)), Some(REFUSED)).await;
    assert_eq!(
        r.header("access-control-allow-origin"),
        None,
        "the upstream's * is gone"
    );
    assert_eq!(r.header("access-control-allow-methods"), None);
    assert_eq!(r.all("vary"), ["Accept-Encoding", "origin"]);
    let r = get(&format!("{}/cors", base(&strip)), Some(ALLOWED)).await;
    assert_eq!(
        r.all("access-control-allow-origin"),
        [ALLOWED],
        "one value, the policy's"
    );

    let mut keep_route = route("/", &up.url());
    keep_route.upstream_cors = UpstreamCors::Keep;
    let keep = start(config(vec![keep_route])).await;
    let r = get(&format!("{}/cors", base(&keep)), Some(REFUSED)).await;
    assert_eq!(r.all("access-control-allow-origin"), ["*"]);
    assert_eq!(r.all("vary"), ["Origin, Accept-Encoding"]);
    let before = up.hits();
    let r = preflight(&format!("{}/cors", base(&keep)), REFUSED, "DELETE", None).await;
    assert_eq!(r.status, 200, "the upstream answered the preflight");
    assert_eq!(up.hits(), before + 1);
}

#[tokio::test]
async fn report_only_keeps_the_upstreams_answers_and_counts_the_differences() {
    let up = Upstream::start().await;
    let mut r0 = route("/", &up.url());
    r0.upstream_cors = UpstreamCors::Keep;
    r0.report_only = true;
    let g = start(config(vec![r0])).await;
    // The upstream allows everyone (*): the policy would block REFUSED.
    let r = get(&format!("{}/cors", base(&g)), Some(REFUSED)).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    // The upstream sends no CORS on /data: the policy would newly allow ALLOWED.
    let r = get(&format!("{}/data", base(&g)), Some(ALLOWED)).await;
    assert_eq!(r.header("access-control-allow-origin"), None);
    // Agreement: not counted.
    let _ = get(&format!("{}/cors", base(&g)), Some(ALLOWED)).await;
    assert_eq!(
        metric(
            &g,
            "corsgate_report_only_differences_total{route=\"/\",change=\"would_block\"}"
        )
        .await,
        1.0
    );
    assert_eq!(
        metric(
            &g,
            "corsgate_report_only_differences_total{route=\"/\",change=\"would_allow\"}"
        )
        .await,
        1.0
    );
    // Preflights reach the upstream.
    let before = up.hits();
    let _ = preflight(&format!("{}/cors", base(&g)), ALLOWED, "PUT", None).await;
    assert_eq!(up.hits(), before + 1);
}
