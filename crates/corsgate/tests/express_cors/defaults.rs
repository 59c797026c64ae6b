//! The seeds' policy and `cors()`'s defaults, as written and as closest in corsgate.

use super::*;

#[tokio::test]
async fn seeds_policy() {
    if !node_or_skip("seeds_policy") {
        return;
    }
    let options = serde_json::json!({ "origin": PAGE, "methods": ["GET", "POST"] });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "POST"]);
    let methods = ("access-control-allow-methods", "GET,POST");
    // `cors` answers every OPTIONS request alike.
    let e_options = answer(204, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]);
    let g_ok = answer(204, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let g_not_allowed = answer(200, &[VARY_ORIGIN]);
    let cases = Cases::common()
        .case("preflight-post", preflight(PAGE, "POST", None))
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
            &g_not_allowed,
        )
        .differs(&["preflight-post"], &["preflight-vary"], &e_options, &g_ok)
        .differs(
            &["preflight-put"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
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
            &g_not_allowed,
        );
    let run = compare("seeds", Some(options), config, cases).await;
    // The one difference the normalised comparison hides: how lists and names are written.
    assert_eq!(
        run.raw("preflight-post", "access-control-allow-methods"),
        (Some("GET,POST"), Some("GET, POST")),
        "list-format"
    );
    assert_eq!(
        run.raw("preflight-post", "vary"),
        (
            Some("Origin, Access-Control-Request-Headers"),
            Some("origin, access-control-request-method, access-control-request-headers")
        ),
        "list-format"
    );
}

#[tokio::test]
async fn defaults_as_written() {
    if !node_or_skip("defaults_as_written") {
        return;
    }
    // `cors()`: any origin. corsgate's literal translation allows any origin and nothing
    // else beyond what browsers never preflight.
    let config = Config::new().allow_origins(["*"]);
    let e_options = answer(
        204,
        &[
            ACAO_ANY,
            ALL_METHODS,
            ("vary", "Access-Control-Request-Headers"),
        ],
    );
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT_ANY_ORIGIN]);
    let cases = Cases::common()
        .differs(
            &[
                "preflight-put",
                "preflight-patch",
                "preflight-delete",
                "preflight-localhost-page",
                "preflight-null-origin",
            ],
            &["default-methods", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-propfind"],
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
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual", "options-no-origin"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_ANY]),
        );
    compare("defaults", None, config, cases).await;
}

#[tokio::test]
async fn defaults_closest() {
    if !node_or_skip("defaults_closest") {
        return;
    }
    // The corsgate policy closest to `cors()`: its methods, and any request header.
    let config = Config::new()
        .allow_origins(["*"])
        .allow_methods(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"])
        .allow_headers(["*"]);
    let e_options = answer(
        204,
        &[
            ACAO_ANY,
            ALL_METHODS,
            ("vary", "Access-Control-Request-Headers"),
        ],
    );
    let g_ok = answer(
        204,
        &[
            ACAO_ANY,
            ALL_METHODS,
            ("access-control-allow-headers", "*"),
            GATE_VARY_PREFLIGHT_ANY_ORIGIN,
        ],
    );
    let cases = Cases::common()
        .differs(
            &[
                "preflight-put",
                "preflight-patch",
                "preflight-delete",
                "preflight-localhost-page",
                "preflight-null-origin",
            ],
            &["allow-headers-wildcard", "preflight-vary"],
            &e_options,
            &g_ok,
        )
        .differs(
            &["preflight-propfind"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &answer(403, &[GATE_VARY_PREFLIGHT_ANY_ORIGIN]),
        )
        .differs(
            &["preflight-post-json"],
            &["allow-headers-wildcard", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_ok,
        )
        .differs(
            &["preflight-get-auth"],
            &["allow-headers-wildcard", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &plus(
                &g_ok,
                &[("access-control-allow-headers", "*, authorization")],
            ),
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &answer(403, &[GATE_VARY_PREFLIGHT_ANY_ORIGIN]),
        )
        .differs(
            &["options-actual", "options-no-origin"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_ANY]),
        );
    compare("defaults-closest", None, config, cases).await;
}
