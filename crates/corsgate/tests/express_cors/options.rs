//! The other options: headers, exposed headers and max age, preflightContinue, success status.

use super::*;

#[tokio::test]
async fn headers_expose_and_max_age() {
    if !node_or_skip("headers_expose_and_max_age") {
        return;
    }
    let options = serde_json::json!({
        "origin": PAGE,
        "methods": ["GET", "PUT"],
        "allowedHeaders": ["Content-Type", "Authorization"],
        "exposedHeaders": ["X-Total-Count", "Content-Range"],
        "maxAge": 600,
    });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "PUT"])
        .allow_headers(["Content-Type", "Authorization"])
        .expose_headers(["X-Total-Count", "Content-Range"])
        .max_age(600);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let allow = ("access-control-allow-headers", "Content-Type,Authorization");
    let expose = (
        "access-control-expose-headers",
        "X-Total-Count,Content-Range",
    );
    let max_age = ("access-control-max-age", "600");
    // With `allowedHeaders` set, `cors`'s answer no longer depends on the request's headers.
    let e_options = answer(
        204,
        &[ACAO_PAGE, methods, allow, expose, max_age, VARY_ORIGIN],
    );
    let g_ok = answer(
        204,
        &[ACAO_PAGE, methods, allow, max_age, GATE_VARY_PREFLIGHT],
    );
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let cases = Cases::common()
        .case(
            "preflight-put-json-auth",
            preflight(PAGE, "PUT", Some("authorization,content-type")),
        )
        .case(
            "preflight-unlisted-header",
            preflight(PAGE, "PUT", Some("content-type,x-custom")),
        )
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, expose, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &[
                "preflight-put",
                "preflight-post-json",
                "preflight-put-json-auth",
            ],
            &["expose-on-preflight", "preflight-vary"],
            &e_options,
            &g_ok,
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-get-auth", "preflight-unlisted-header"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, expose, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    let run = compare("headers", Some(options), config, cases).await;
    assert_eq!(
        run.raw("preflight-put", "access-control-allow-headers"),
        (
            Some("Content-Type,Authorization"),
            Some("content-type, authorization")
        ),
        "list-format"
    );
    assert_eq!(
        run.raw("get", "access-control-expose-headers"),
        (
            Some("X-Total-Count,Content-Range"),
            Some("x-total-count, content-range")
        ),
        "list-format"
    );
}

#[tokio::test]
async fn preflight_continue() {
    if !node_or_skip("preflight_continue") {
        return;
    }
    let options = serde_json::json!({
        "origin": PAGE,
        "methods": ["GET", "PUT"],
        "preflightContinue": true,
    });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "PUT"])
        .preflight_continue(true);
    let methods = ("access-control-allow-methods", "GET,PUT");
    // Every OPTIONS request reaches the app's OPTIONS route (200), with headers added.
    let e_options = answer(200, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]);
    let g_refused = answer(200, &[GATE_VARY_PREFLIGHT]);
    let cases = Cases::common()
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &e_options,
            &answer(200, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("preflight-continue", Some(options), config, cases).await;
}

#[tokio::test]
async fn options_success_status_and_string_forms() {
    if !node_or_skip("options_success_status_and_string_forms") {
        return;
    }
    // The string forms of `methods` and `headers` (the alias of `allowedHeaders`), and
    // `maxAge: 0`.
    let options = serde_json::json!({
        "origin": PAGE,
        "methods": "GET,PUT",
        "headers": "Content-Type",
        "maxAge": 0,
        "optionsSuccessStatus": 200,
    });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "PUT"])
        .allow_headers(["content-type"])
        .max_age(0)
        .preflight_status(StatusCode::OK);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let allow = ("access-control-allow-headers", "Content-Type");
    let max_age = ("access-control-max-age", "0");
    let e_options = answer(200, &[ACAO_PAGE, methods, allow, max_age, VARY_ORIGIN]);
    let g_ok = answer(
        200,
        &[ACAO_PAGE, methods, allow, max_age, GATE_VARY_PREFLIGHT],
    );
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let cases = Cases::common()
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put", "preflight-post-json"],
            &["preflight-vary"],
            &e_options,
            &g_ok,
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("options-success-status", Some(options), config, cases).await;
}
