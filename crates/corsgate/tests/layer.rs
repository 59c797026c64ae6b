//! Every request-handling rule, through the tower layer in an axum app, asserting exact
//! status, CORS headers and whether the handler ran.

use axum::http::StatusCode;
use corsgate::Config;

use crate::util::{self, pairs, App, VARY_PREFLIGHT};

mod preflights;

const PAGE: &str = "http://127.0.0.1:5500";

fn tutorial() -> Config {
    Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "POST"])
}

// --- not CORS -------------------------------------------------------------------------------

#[tokio::test]
async fn request_without_origin_is_not_cors_but_varies_on_origin() {
    let app = App::new(tutorial());
    let r = app.send("GET", "/data", &[]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.handler_calls, 1);
    assert_eq!(r.cors(), pairs(&[("vary", "origin")]));
}

#[tokio::test]
async fn any_origin_policy_sends_star_everywhere_and_no_vary() {
    let app = App::new(
        Config::new()
            .allow_origins(["*"])
            .expose_headers(["x-total"]),
    );
    let expected = pairs(&[
        ("access-control-allow-origin", "*"),
        ("access-control-expose-headers", "x-total"),
    ]);
    let r = app.send("GET", "/data", &[]).await;
    assert_eq!(r.cors(), expected);
    let r = app
        .send("GET", "/data", &[("origin", "https://x.example")])
        .await;
    assert_eq!(r.cors(), expected);
    assert_eq!(r.handler_calls, 1);
    // Even an opaque (`null`) origin gets the same answer: a response without `Vary` must
    // not depend on the Origin header.
    let r = app.send("GET", "/data", &[("origin", "null")]).await;
    assert_eq!(r.cors(), expected);
    let r = app.preflight("null", "GET", None).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(r.get("access-control-allow-origin"), Some("*"));
}

#[tokio::test]
async fn options_with_request_method_but_no_origin_reaches_the_handler() {
    let app = App::new(tutorial());
    let r = app
        .send(
            "OPTIONS",
            "/any",
            &[("access-control-request-method", "PUT")],
        )
        .await;
    assert_eq!(r.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(r.handler_calls, 1);
}

// --- actual requests --------------------------------------------------------------------------

#[tokio::test]
async fn allowed_origin_gets_its_origin_back() {
    let app = App::new(tutorial());
    let r = app.send("GET", "/data", &[("origin", PAGE)]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.handler_calls, 1);
    assert_eq!(
        r.body,
        r#"{"name":"Bangladesh","description":"Land of emotions"}"#
    );
    assert_eq!(
        r.cors(),
        pairs(&[("access-control-allow-origin", PAGE), ("vary", "origin")])
    );
}

#[tokio::test]
async fn disallowed_origin_gets_no_cors_headers_but_still_reaches_the_handler() {
    let app = App::new(tutorial());
    // localhost and 127.0.0.1 are different origins.
    let r = app
        .send("GET", "/data", &[("origin", "http://localhost:5500")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.handler_calls, 1);
    assert_eq!(r.cors(), pairs(&[("vary", "origin")]));
}

#[tokio::test]
async fn credentials_and_expose_headers_on_actual_responses() {
    let app = App::new(
        Config::new()
            .allow_origins(["https://app.example"])
            .allow_credentials(true)
            .expose_headers(["X-Total", "x-request-id", "content-type"]),
    );
    let r = app
        .send("GET", "/data", &[("origin", "https://app.example")])
        .await;
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", "https://app.example"),
            ("access-control-allow-credentials", "true"),
            // lower-cased, safelisted content-type dropped
            ("access-control-expose-headers", "x-total, x-request-id"),
            ("vary", "origin"),
        ])
    );
}

#[tokio::test]
async fn error_responses_carry_cors_headers_so_the_page_sees_the_real_status() {
    let app = App::new(tutorial());
    let r = app.send("GET", "/error", &[("origin", PAGE)]).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        r.cors(),
        pairs(&[("access-control-allow-origin", PAGE), ("vary", "origin")])
    );
    // 404 from the router itself, and 405 for a method the route lacks.
    let r = app.send("GET", "/missing", &[("origin", PAGE)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.get("access-control-allow-origin"), Some(PAGE));
    let r = app.send("DELETE", "/data", &[("origin", PAGE)]).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.get("access-control-allow-origin"), Some(PAGE));
}

#[tokio::test]
async fn options_without_request_method_is_an_actual_request() {
    let app = App::new(tutorial());
    let r = app.send("OPTIONS", "/any", &[("origin", PAGE)]).await;
    assert_eq!(r.status, StatusCode::IM_A_TEAPOT);
    assert_eq!(r.handler_calls, 1);
    // corsgate owns the CORS headers: the handler's own ones are replaced or removed.
    assert_eq!(
        r.cors(),
        pairs(&[
            ("access-control-allow-origin", PAGE),
            ("access-control-allow-methods", "BREW"),
            ("vary", "origin"),
        ])
    );
}

#[tokio::test]
async fn inner_cors_headers_are_removed_for_a_disallowed_origin() {
    let app = App::new(tutorial());
    let r = app
        .send("GET", "/any", &[("origin", "https://evil.example")])
        .await;
    assert_eq!(r.get("access-control-allow-origin"), None);
    assert_eq!(r.get("access-control-allow-credentials"), None);
}

#[tokio::test]
async fn vary_is_merged_never_replaced_or_duplicated() {
    let app = App::new(tutorial());
    let vary = |r: &util::Reply| -> Vec<String> {
        r.headers
            .get_all("vary")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .collect()
    };
    let r = app.send("GET", "/vary", &[("origin", PAGE)]).await;
    assert_eq!(vary(&r), ["accept-encoding", "origin"]);
    let r = app
        .send(
            "GET",
            "/vary",
            &[("origin", PAGE), ("x-inner-vary", "Accept, Origin")],
        )
        .await;
    assert_eq!(vary(&r), ["Accept, Origin"]);
    let r = app
        .send("GET", "/vary", &[("origin", PAGE), ("x-inner-vary", "*")])
        .await;
    assert_eq!(vary(&r), ["*"]);
    let r = app.send("GET", "/vary", &[]).await;
    assert_eq!(vary(&r), ["accept-encoding", "origin"]);
}

#[tokio::test]
async fn malformed_or_repeated_origins_are_not_allowed() {
    let app = App::new(tutorial());
    for bad in [
        "null",
        "http://127.0.0.1:5500/",
        "HTTP://127.0.0.1:5500",
        "http://127.0.0.1:5500 ",
        "",
    ] {
        let r = app.send("GET", "/data", &[("origin", bad)]).await;
        assert_eq!(r.cors(), pairs(&[("vary", "origin")]), "origin {bad:?}");
    }
    let r = app
        .send("GET", "/data", &[("origin", PAGE), ("origin", PAGE)])
        .await;
    assert_eq!(r.cors(), pairs(&[("vary", "origin")]));
}

// --- origin patterns ------------------------------------------------------------------------------

#[tokio::test]
async fn subdomain_and_port_patterns() {
    let app =
        App::new(Config::new().allow_origins(["https://*.example.com", "http://localhost:*"]));
    let allowed = |r: &util::Reply| r.get("access-control-allow-origin").is_some();
    for (origin, ok) in [
        ("https://api.example.com", true),
        ("https://a.b.example.com", true),
        ("https://example.com", false),
        ("http://api.example.com", false),
        ("https://api.example.com:8443", false),
        ("https://evilexample.com", false),
        ("http://localhost", true),
        ("http://localhost:3000", true),
        ("http://localhost:65535", true),
        ("https://localhost:3000", false),
        ("http://127.0.0.1:3000", false),
    ] {
        let r = app.send("GET", "/data", &[("origin", origin)]).await;
        assert_eq!(allowed(&r), ok, "{origin}");
        if ok {
            assert_eq!(r.get("access-control-allow-origin"), Some(origin));
        }
    }
}

#[tokio::test]
async fn origin_predicate_is_an_escape_hatch() {
    let app = App::new(
        Config::new()
            .allow_origins(["https://app.example"])
            .allow_origin_predicate(|o, parts| {
                o.host().ends_with(".tenant.example") && parts.uri.path() == "/data"
            }),
    );
    let r = app
        .send("GET", "/data", &[("origin", "https://a.tenant.example")])
        .await;
    assert_eq!(
        r.get("access-control-allow-origin"),
        Some("https://a.tenant.example")
    );
    let r = app
        .send("GET", "/error", &[("origin", "https://a.tenant.example")])
        .await;
    assert_eq!(r.get("access-control-allow-origin"), None);
    let r = app
        .send("GET", "/data", &[("origin", "https://app.example")])
        .await;
    assert_eq!(
        r.get("access-control-allow-origin"),
        Some("https://app.example")
    );
}

#[tokio::test]
async fn exact_entries_patterns_star_and_predicate_all_still_match() {
    // Exact entries are looked up before the origin is parsed; everything else after.
    let app = App::new(
        Config::new()
            .allow_origins(["*"])
            .allow_origin_predicate(|_, _| false),
    );
    let r = app
        .send("GET", "/data", &[("origin", "https://anyone.example")])
        .await;
    assert!(r.get("access-control-allow-origin").is_some());

    let app =
        App::new(Config::new().allow_origins(["https://app.example", "https://*.tenant.example"]));
    for (origin, allowed) in [
        ("https://app.example", true),
        ("https://a.tenant.example", true),
        ("https://tenant.example", false),
        ("https://APP.example", false),
        ("https://app.example/", false),
    ] {
        let r = app.send("GET", "/data", &[("origin", origin)]).await;
        assert_eq!(
            r.get("access-control-allow-origin"),
            allowed.then_some(origin),
            "{origin}"
        );
    }
}

// --- live policy swap -------------------------------------------------------------------------

#[tokio::test]
async fn replacing_the_policy_takes_effect_at_once_and_invalid_ones_are_refused() {
    let app = App::new(tutorial());
    assert_eq!(
        app.preflight(PAGE, "PUT", None).await.status,
        StatusCode::FORBIDDEN
    );
    app.cors
        .replace(tutorial().allow_methods(["GET", "POST", "PUT"]))
        .unwrap();
    assert_eq!(
        app.preflight(PAGE, "PUT", None).await.status,
        StatusCode::NO_CONTENT
    );
    let err = app
        .cors
        .replace(Config::new().allow_origins(["*"]).allow_credentials(true))
        .unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(
        app.preflight(PAGE, "PUT", None).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.cors.config().allow_methods, ["GET", "POST", "PUT"]);
}

// --- placement ------------------------------------------------------------------------------

/// The two placements the layer's docs give, `Router::layer` last and the finished router
/// wrapped, answer every kind of request alike: status, CORS headers, `Vary`, body and
/// whether the handler ran (unknown paths included: both placements cover the fallback).
#[tokio::test]
async fn wrapping_the_router_answers_like_router_layer() {
    use util::Placement;
    let config = || {
        tutorial()
            .allow_credentials(true)
            .expose_headers(["x-total"])
            .allow_headers(["content-type"])
            .max_age(600)
    };
    let layered = App::placed(config().build().unwrap(), Placement::RouterLayer);
    let wrapped = App::placed(config().build().unwrap(), Placement::AroundRouter);
    type Sent<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let requests: &[Sent<'_>] = &[
        ("GET", "/data", &[]),
        ("GET", "/data", &[("origin", PAGE)]),
        ("GET", "/data", &[("origin", "https://evil.example")]),
        ("GET", "/error", &[("origin", PAGE)]),
        ("GET", "/nowhere", &[("origin", PAGE)]),
        ("GET", "/vary", &[("origin", PAGE)]),
        ("OPTIONS", "/data", &[("origin", PAGE)]),
        (
            "OPTIONS",
            "/data",
            &[
                ("origin", PAGE),
                ("access-control-request-method", "POST"),
                ("access-control-request-headers", "content-type"),
            ],
        ),
        (
            "OPTIONS",
            "/nowhere",
            &[("origin", PAGE), ("access-control-request-method", "PUT")],
        ),
    ];
    for (method, path, headers) in requests {
        let a = layered.send(method, path, headers).await;
        let b = wrapped.send(method, path, headers).await;
        let what = format!("{method} {path} {headers:?}");
        assert_eq!(a.status, b.status, "{what}");
        assert_eq!(a.cors(), b.cors(), "{what}");
        assert_eq!(a.body, b.body, "{what}");
        assert_eq!(a.handler_calls, b.handler_calls, "{what}");
    }
    // Not vacuous: the allowed request got its headers, the preflights were answered.
    let r = wrapped.send("GET", "/nowhere", &[("origin", PAGE)]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.get("access-control-allow-origin"), Some(PAGE));
    let r = wrapped.preflight(PAGE, "PUT", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
