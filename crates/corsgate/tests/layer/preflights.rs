//! Preflights through the layer: passes and refusals, debug mode, wildcards, request headers, PNA.

use super::*;

// --- preflights ---------------------------------------------------------------------------------

#[tokio::test]
async fn preflight_pass_answers_204_without_calling_the_handler() {
    let app = App::new(
        Config::new()
            .allow_origins([PAGE])
            .allow_methods(["GET", "POST", "PUT"])
            .allow_headers(["Content-Type", "X-Api-Key"])
            .max_age(600),
    );
    let r = app
        .preflight(PAGE, "PUT", Some("content-type,x-api-key"))
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.handler_calls, 0);
    assert_eq!(r.body, "");
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-methods", "GET, POST, PUT"),
            ("access-control-allow-headers", "content-type, x-api-key"),
            ("access-control-max-age", "600"),
            ("vary", VARY_PREFLIGHT),
        ])
    );
}

#[tokio::test]
async fn preflight_status_200_and_max_age_minus_one() {
    let app = App::new(Config {
        max_age: Some(-1),
        ..tutorial().preflight_status(StatusCode::OK)
    });
    let r = app.preflight(PAGE, "POST", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.get("access-control-max-age"), Some("0"));
}

#[tokio::test]
async fn safelisted_methods_always_pass() {
    let app = App::new(Config::new().allow_origins([PAGE]).allow_methods(["PUT"]));
    for m in ["GET", "HEAD", "POST"] {
        let r = app.preflight(PAGE, m, None).await;
        assert_eq!(r.status, StatusCode::NO_CONTENT, "{m}");
        assert_eq!(r.get("access-control-allow-methods"), Some("PUT"));
    }
}

#[tokio::test]
async fn preflight_from_disallowed_origin_is_403_with_nothing_disclosed() {
    let app = App::new(tutorial().debug(true));
    let r = app.preflight("http://localhost:5500", "GET", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.handler_calls, 0);
    assert_eq!(r.cors(), pairs(&[("vary", VARY_PREFLIGHT)]));
}

#[tokio::test]
async fn preflight_for_unlisted_method_is_403() {
    let app = App::new(tutorial());
    let r = app.preflight(PAGE, "PUT", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.handler_calls, 0);
    assert_eq!(r.cors(), pairs(&[("vary", VARY_PREFLIGHT)]));
}

#[tokio::test]
async fn debug_mode_explains_a_method_failure_to_an_allowed_origin() {
    let app = App::new(tutorial().debug(true).max_age(600));
    let r = app.preflight(PAGE, "PUT", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-methods", "GET, POST"),
            ("vary", VARY_PREFLIGHT),
        ])
    );
}

#[tokio::test]
async fn debug_mode_explains_a_header_failure() {
    let app = App::new(tutorial().allow_headers(["content-type"]).debug(true));
    let r = app.preflight(PAGE, "POST", Some("x-custom")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.get("access-control-allow-headers"), Some("content-type"));
    let app = App::new(tutorial().allow_headers(["content-type"]));
    let r = app.preflight(PAGE, "POST", Some("x-custom")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.cors(), pairs(&[("vary", VARY_PREFLIGHT)]));
}

#[tokio::test]
async fn debug_mode_with_credentials_never_sends_a_wildcard() {
    // Found by the property test: a refused preflight explained in debug mode must not
    // carry the build-time `*` that credentials make literal.
    let app = App::new(
        tutorial()
            .allow_headers(["*"])
            .allow_credentials(true)
            .debug(true),
    );
    let r = app.preflight(PAGE, "PUT", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "GET, POST"),
            ("vary", VARY_PREFLIGHT),
        ])
    );
    let app = App::new(
        tutorial()
            .allow_methods(["*"])
            .allow_credentials(true)
            .debug(true),
    );
    let r = app.preflight(PAGE, "bad method", None).await;
    assert_eq!(r.get("access-control-allow-methods"), None);
}

#[tokio::test]
async fn method_case_matters_beyond_the_six_normalised_names() {
    let app = App::new(
        Config::new()
            .allow_origins([PAGE])
            .allow_methods(["PATCH", "delete"]),
    );
    assert_eq!(
        app.preflight(PAGE, "PATCH", None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.preflight(PAGE, "patch", None).await.status,
        StatusCode::FORBIDDEN
    );
    // `delete` is one of the six fetch() upper-cases: the browser sends DELETE.
    let r = app.preflight(PAGE, "DELETE", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.get("access-control-allow-methods"), Some("PATCH, DELETE"));
}

#[tokio::test]
async fn wildcard_methods_star_without_credentials_echo_with() {
    let app = App::new(Config::new().allow_origins(["*"]).allow_methods(["*"]));
    let r = app.preflight("https://x.example", "PURGE", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "*"),
            (
                "vary",
                "access-control-request-method, access-control-request-headers"
            ),
        ])
    );
    let app = App::new(
        Config::new()
            .allow_origins(["https://x.example"])
            .allow_methods(["*"])
            .allow_credentials(true),
    );
    let r = app.preflight("https://x.example", "PURGE", None).await;
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", "https://x.example"),
            ("access-control-allow-credentials", "true"),
            ("access-control-allow-methods", "PURGE"),
            ("vary", VARY_PREFLIGHT),
        ])
    );
}

#[tokio::test]
async fn wildcard_headers_and_authorization() {
    let app = App::new(Config::new().allow_origins([PAGE]).allow_headers(["*"]));
    let r = app.preflight(PAGE, "GET", Some("x-a,x-b")).await;
    assert_eq!(r.get("access-control-allow-headers"), Some("*"));
    // The spec keeps Authorization out of `*`: it is named when asked for.
    let r = app.preflight(PAGE, "GET", Some("authorization,x-a")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        r.get("access-control-allow-headers"),
        Some("*, authorization")
    );

    let app = App::new(
        Config::new()
            .allow_origins(["https://x.example"])
            .allow_headers(["*"])
            .allow_credentials(true),
    );
    let r = app
        .preflight("https://x.example", "GET", Some("authorization,x-a"))
        .await;
    assert_eq!(
        r.get("access-control-allow-headers"),
        Some("authorization,x-a")
    );
    let r = app.preflight("https://x.example", "GET", None).await;
    assert_eq!(r.get("access-control-allow-headers"), None);
}

#[tokio::test]
async fn request_headers_tolerate_split_lines_and_whitespace() {
    let app = App::new(tutorial().allow_headers(["x-a", "x-b", "x-c"]));
    let r = app
        .preflight_lines(PAGE, "GET", &[" x-a ,\tX-B", "x-c"])
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.preflight(PAGE, "GET", Some("x-a;x-b")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn credentialed_wildcard_echoes_split_request_headers_as_one_line() {
    let app = App::new(tutorial().allow_headers(["*"]).allow_credentials(true));
    let r = app
        .preflight_lines(PAGE, "GET", &["x-a, ,x-b", " ", "x-c"])
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let lines: Vec<_> = r
        .headers
        .get_all("access-control-allow-headers")
        .iter()
        .collect();
    assert_eq!(lines, ["x-a,x-b,x-c"]);
}

#[tokio::test]
async fn hostile_request_headers_are_refused() {
    use corsgate::MAX_REQUEST_HEADERS_LEN as MAX;
    assert_eq!(MAX, 8 * 1024);
    // An explicit list: longer than every allowed name listed once is refused unread.
    let app = App::new(tutorial().allow_headers(["x-a"]));
    let hostile = "x-a,".repeat(16 * 1024);
    let r = app.preflight(PAGE, "GET", Some(&hostile)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.get("access-control-allow-origin"), None);

    // `*`: read up to the bound, exactly; one byte more is refused.
    let app = App::new(tutorial().allow_headers(["*"]));
    let at_bound = format!("{}ab", "a,".repeat(MAX / 2 - 1));
    assert_eq!(at_bound.len(), MAX);
    let r = app.preflight(PAGE, "GET", Some(&at_bound)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.get("access-control-allow-headers"), Some("*"));
    let over = format!("{at_bound}c");
    let r = app.preflight(PAGE, "GET", Some(&over)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.get("access-control-allow-origin"), None);
    // The bound counts every line together.
    let r = app.preflight_lines(PAGE, "GET", &[&at_bound, "x"]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .preflight(PAGE, "GET", Some(&"a,".repeat(40 * 1024)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Debug mode answers the allowed origin, but without `*`, which would let the browser
    // pass the list: it fails on the headers and names one.
    let app = App::new(tutorial().allow_headers(["*"]).debug(true));
    let r = app.preflight(PAGE, "GET", Some(&over)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.get("access-control-allow-origin"), Some(PAGE));
    assert_eq!(r.get("access-control-allow-headers"), None);
    let r = app.preflight(PAGE, "GET", Some("x-a;x-b")).await;
    assert_eq!(r.get("access-control-allow-headers"), None);
    let r = app.preflight(PAGE, "GET", Some("x-a")).await;
    assert_eq!(r.get("access-control-allow-headers"), Some("*"));
}

#[tokio::test]
async fn private_network_access() {
    let pna = [
        ("origin", PAGE),
        ("access-control-request-method", "GET"),
        ("access-control-request-private-network", "true"),
    ];
    let app = App::new(tutorial().allow_private_network(true));
    let r = app.send("OPTIONS", "/data", &pna).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.get("access-control-allow-private-network"), Some("true"));
    assert_eq!(
        r.get("vary"),
        Some("origin, access-control-request-method, access-control-request-headers, access-control-request-private-network")
    );
    let r = app.preflight(PAGE, "GET", None).await;
    assert_eq!(r.get("access-control-allow-private-network"), None);
    let app = App::new(tutorial());
    let r = app.send("OPTIONS", "/data", &pna).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn preflight_continue_calls_the_handler_with_headers_added() {
    let app = App::new(tutorial().preflight_continue(true));
    let r = app
        .send(
            "OPTIONS",
            "/any",
            &[("origin", PAGE), ("access-control-request-method", "POST")],
        )
        .await;
    assert_eq!(r.handler_calls, 1);
    assert_eq!(r.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-methods", "GET, POST"),
            ("vary", VARY_PREFLIGHT),
        ])
    );
}
