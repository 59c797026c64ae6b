//! Origin policies: lists with credentials, a RegExp, functions, reflecting any origin.

use super::*;

#[tokio::test]
async fn credentials_and_origin_list() {
    if !node_or_skip("credentials_and_origin_list") {
        return;
    }
    let options = serde_json::json!({
        "origin": [PAGE, APP],
        "credentials": true,
        "methods": ["GET", "POST", "PUT"],
    });
    // `allowedHeaders` unset reflects the request's headers: with credentials corsgate's
    // `*` does the same (it echoes them, since browsers read `*` literally then).
    let config = Config::new()
        .allow_origins([PAGE, APP])
        .allow_credentials(true)
        .allow_methods(["GET", "POST", "PUT"])
        .allow_headers(["*"]);
    let methods = ("access-control-allow-methods", "GET,POST,PUT");
    let e_options = |origin: Option<&str>| {
        let mut a = answer(204, &[ACAC, methods, EXPRESS_VARY_REFLECTING]);
        if let Some(o) = origin {
            a = plus(&a, &[acao(o)]);
        }
        a
    };
    let g_ok = |origin: &str| answer(204, &[acao(origin), ACAC, methods, GATE_VARY_PREFLIGHT]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let content_type = ("access-control-allow-headers", "content-type");
    let auth = ("access-control-allow-headers", "authorization,x-api-key");
    let cases = Cases::common()
        .case("get-second-origin", get(Some(APP)))
        .case(
            "preflight-second-origin",
            preflight(APP, "PUT", Some("content-type")),
        )
        .differs(
            OTHER_ORIGINS_GET,
            &["credentials-without-origin"],
            &answer(200, &[ACAC, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &e_options(Some(PAGE)),
            &g_ok(PAGE),
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[content_type]),
            &plus(&g_ok(PAGE), &[content_type]),
        )
        .differs(
            &["preflight-get-auth"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[auth]),
            &plus(&g_ok(PAGE), &[auth]),
        )
        .differs(
            &["preflight-second-origin"],
            &["preflight-vary"],
            &plus(&e_options(Some(APP)), &[content_type]),
            &plus(&g_ok(APP), &[content_type]),
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "credentials-without-origin",
                "preflight-vary",
            ],
            &e_options(None),
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options(Some(PAGE)),
            &answer(200, &[ACAO_PAGE, ACAC, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "credentials-without-origin"],
            &e_options(None),
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("credentials-list", Some(options), config, cases).await;
}

#[tokio::test]
async fn regexp_origin() {
    if !node_or_skip("regexp_origin") {
        return;
    }
    // The README's "origin ending with example.com", and what it is meant to say.
    let options = serde_json::json!({
        "origin": [PAGE, { "$regexp": "example\\.com$" }],
        "methods": ["GET", "PUT"],
    });
    let config = Config::new()
        .allow_origins([PAGE, "https://example.com", "https://*.example.com"])
        .allow_methods(["GET", "PUT"]);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let lookalike = "https://evilexample.com";
    let cases = Cases::new()
        .case("get-page", get(Some(PAGE)))
        .case("get-apex", get(Some("https://example.com")))
        .case("get-subdomain", get(Some(APP)))
        .case("get-deep-subdomain", get(Some("https://a.b.example.com")))
        .case("get-other-port", get(Some("https://app.example.com:8443")))
        .case("get-suffix-host", get(Some("https://example.com.evil.net")))
        .case("get-no-origin", get(None))
        .case("get-lookalike", get(Some(lookalike)))
        .case("get-plain-http", get(Some("http://app.example.com")))
        .case("preflight-subdomain", preflight(APP, "PUT", None))
        .case("preflight-lookalike", preflight(lookalike, "PUT", None))
        .differs(
            &["get-lookalike"],
            &["regexp-too-broad"],
            &answer(200, &[acao(lookalike), VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["get-plain-http"],
            &["regexp-too-broad"],
            &answer(200, &[acao("http://app.example.com"), VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-subdomain"],
            &["preflight-vary"],
            &answer(204, &[acao(APP), methods, EXPRESS_VARY_REFLECTING]),
            &answer(204, &[acao(APP), methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            &["preflight-lookalike"],
            &["regexp-too-broad", "preflight-vary"],
            &answer(204, &[acao(lookalike), methods, EXPRESS_VARY_REFLECTING]),
            &answer(403, &[GATE_VARY_PREFLIGHT]),
        );
    compare("regexp", Some(options), config, cases).await;
}

#[tokio::test]
async fn function_origin() {
    if !node_or_skip("function_origin") {
        return;
    }
    // `origin: (origin, cb) => cb(null, allowed.includes(origin))`: corsgate's predicate.
    let options = serde_json::json!({
        "origin": { "$function": { "allow": [PAGE], "reject": "false" } },
        "methods": ["GET", "PUT"],
    });
    let config = Config::new()
        .allow_origin_predicate(|origin, _parts| origin.as_str() == PAGE)
        .allow_methods(["GET", "PUT"]);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let e_options = answer(204, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    // What the app's own OPTIONS route answers, with nothing added.
    let e_app_options = answer(200, &[]);
    let cases = Cases::common()
        .differs(
            OTHER_ORIGINS_GET,
            &["origin-callback-false"],
            &answer(200, &[]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &e_options,
            &answer(204, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]),
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
            &["origin-callback-false"],
            &e_app_options,
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
            &["origin-callback-false"],
            &e_app_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("function", Some(options), config, cases).await;
}

#[tokio::test]
async fn function_origin_with_error() {
    if !node_or_skip("function_origin_with_error") {
        return;
    }
    // The allow-list callback that rejects with `callback(new Error(...))`.
    let options = serde_json::json!({
        "origin": { "$function": { "allow": [PAGE], "reject": "error" } },
        "methods": ["GET", "PUT"],
    });
    let config = Config::new()
        .allow_origin_predicate(|origin, _parts| origin.as_str() == PAGE)
        .allow_methods(["GET", "PUT"]);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let e_error = answer(500, &[]);
    let cases = Cases::new()
        .case("get", get(Some(PAGE)))
        .case("get-localhost-page", get(Some(LOCALHOST_PAGE)))
        .case("get-no-origin", get(None))
        .case("preflight-put", preflight(PAGE, "PUT", None))
        .case(
            "preflight-localhost-page",
            preflight(LOCALHOST_PAGE, "PUT", None),
        )
        .case("options-no-origin", options_without_origin())
        .differs(
            &["get-localhost-page", "get-no-origin", "options-no-origin"],
            &["origin-callback-error"],
            &e_error,
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &answer(204, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]),
            &answer(204, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            &["preflight-localhost-page"],
            &["origin-callback-error"],
            &e_error,
            &answer(403, &[GATE_VARY_PREFLIGHT]),
        );
    compare("function-error", Some(options), config, cases).await;
}

#[tokio::test]
async fn reflect_any_origin_with_credentials() {
    if !node_or_skip("reflect_any_origin_with_credentials") {
        return;
    }
    let options = serde_json::json!({ "origin": true, "credentials": true });
    // corsgate refuses the obvious translation...
    let star = Config::new()
        .allow_origins(["*"])
        .allow_credentials(true)
        .build();
    assert!(star.is_err(), "`*` with credentials must not build");
    // ...and takes it only as code, a predicate that says yes to every origin.
    let config = Config::new()
        .allow_origin_predicate(|_origin, _parts| true)
        .allow_credentials(true)
        .allow_methods(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"])
        .allow_headers(["*"]);
    let e_options = |origin: Option<&str>| {
        let mut a = answer(204, &[ACAC, ALL_METHODS, EXPRESS_VARY_REFLECTING]);
        if let Some(o) = origin {
            a = plus(&a, &[acao(o)]);
        }
        a
    };
    let g_ok = |origin: &str| answer(204, &[acao(origin), ACAC, ALL_METHODS, GATE_VARY_PREFLIGHT]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let content_type = ("access-control-allow-headers", "content-type");
    let auth = ("access-control-allow-headers", "authorization,x-api-key");
    let cases = Cases::common()
        .differs(
            &["get-no-origin"],
            &["credentials-without-origin"],
            &answer(200, &[ACAC, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["get-null-origin"],
            &["null-origin"],
            &answer(200, &[acao("null"), ACAC, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put", "preflight-patch", "preflight-delete"],
            &["preflight-vary"],
            &e_options(Some(PAGE)),
            &g_ok(PAGE),
        )
        .differs(
            &["preflight-propfind"],
            &["rejected-preflight", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[content_type]),
            &plus(&g_ok(PAGE), &[content_type]),
        )
        .differs(
            &["preflight-get-auth"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[auth]),
            &plus(&g_ok(PAGE), &[auth]),
        )
        .differs(
            &["preflight-localhost-page"],
            &["preflight-vary"],
            &e_options(Some(LOCALHOST_PAGE)),
            &g_ok(LOCALHOST_PAGE),
        )
        .differs(
            &["preflight-null-origin"],
            &["null-origin", "preflight-vary"],
            &e_options(Some("null")),
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options(Some(PAGE)),
            &answer(200, &[ACAO_PAGE, ACAC, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "credentials-without-origin"],
            &e_options(None),
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("reflect-credentials", Some(options), config, cases).await;
}
