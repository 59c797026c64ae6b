//! The page server's policy and check endpoints: live policy swaps, verdicts, refused calls.

use super::*;

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
