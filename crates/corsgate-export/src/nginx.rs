//! nginx: `map` blocks (for `http {}`) that decide each request, and a `location` body that
//! answers preflights with `return` and writes every header with `add_header ... always`.

use std::fmt::Write as _;

use crate::plan::{AllowHeaders, AllowMethods, Plan};
use crate::{preamble, regex, Target, Whole};

/// The headers the upstream may send that the edge owns (hidden, so none is doubled).
pub(crate) const OWNED: [&str; 7] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Expose-Headers",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Allow-Private-Network",
];

fn map(out: &mut String, source: &str, var: &str, entries: &[(&str, &str)], default: &str) {
    let _ = writeln!(out, "map {source} ${var} {{");
    let _ = writeln!(out, "    default {default};");
    for (k, v) in entries {
        let _ = writeln!(out, "    {k} {v};");
    }
    out.push_str("}\n");
}

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

/// The `map` blocks.
fn maps(plan: &Plan) -> String {
    let mut m = String::new();
    m.push_str("# Is the request a CORS request, a preflight, and is each part of it allowed?\n");
    map(
        &mut m,
        "$http_origin",
        "corsgate_has_origin",
        &[("\"\"", "0")],
        "1",
    );
    map(
        &mut m,
        "$http_access_control_request_method",
        "corsgate_has_acrm",
        &[("\"\"", "0")],
        "1",
    );
    if plan.any_origin {
        m.push_str("# allow_origins = [\"*\"]: every origin.\n");
        map(&mut m, "$http_origin", "corsgate_origin_ok", &[], "1");
    } else {
        m.push_str("# allow_origins: anchored, case-sensitive expressions (browsers send origins in lower case).\n");
        let _ = writeln!(m, "map $http_origin $corsgate_origin_ok {{\n    default 0;");
        for (entry, re) in &plan.origins {
            let _ = writeln!(m, "    {} 1; # {entry}", q(&format!("~{re}")));
        }
        m.push_str("}\n");
    }
    m.push_str("# allow_methods (GET, HEAD and POST always pass; compared case-sensitively).\n");
    map(
        &mut m,
        "$http_access_control_request_method",
        "corsgate_method_ok",
        &[(&q(&format!("~{}", plan.method_regex)), "1")],
        "0",
    );
    m.push_str("# allow_headers: every name requested must be allowed (compared without case).\n");
    map(
        &mut m,
        "$http_access_control_request_headers",
        "corsgate_headers_ok",
        // An empty value never reaches a map's expressions: absent (or empty) passes.
        &[
            ("\"\"", "1"),
            (&q(&format!("~{}", plan.headers_regex)), "1"),
        ],
        "0",
    );
    m.push_str("# Private Network Access: asked for with `true` exactly.\n");
    map(
        &mut m,
        "$http_access_control_request_private_network",
        "corsgate_pna_asked",
        &[("\"~^true$\"", "1")],
        "0",
    );
    let pna_ok = if plan.private_network { "1" } else { "0" };
    map(
        &mut m,
        "$corsgate_pna_asked",
        "corsgate_pna_ok",
        &[("1", pna_ok)],
        "1",
    );
    m.push_str(
        "# What the request is: none (no Origin), preflight (passes), refused (a preflight that\n\
         # fails), allowed or denied (any other request with an Origin); with debug, explained\n\
         # (a preflight from an allowed origin that fails a later check).\n",
    );
    let mut kinds = vec![
        ("\"~^[^:]*:0\"", "none"),
        ("\"~^OPTIONS:111111$\"", "preflight"),
    ];
    if plan.debug {
        kinds.push(("\"~^OPTIONS:111\"", "explained"));
    }
    kinds.extend([
        ("\"~^OPTIONS:11\"", "refused"),
        ("\"~^[^:]*:1.1\"", "allowed"),
    ]);
    map(
        &mut m,
        "\"$request_method:$corsgate_has_origin$corsgate_has_acrm$corsgate_origin_ok$corsgate_method_ok$corsgate_headers_ok$corsgate_pna_ok\"",
        "corsgate_kind",
        &kinds,
        "denied",
    );

    m.push_str("# The value of each header for each kind of request (empty: not sent).\n");
    if plan.any_origin {
        map(
            &mut m,
            "$corsgate_kind",
            "corsgate_allow_origin",
            &[("refused", "\"\"")],
            "\"*\"",
        );
    } else {
        map(
            &mut m,
            "$corsgate_kind",
            "corsgate_allow_origin",
            &[
                ("preflight", "$http_origin"),
                ("explained", "$http_origin"),
                ("allowed", "$http_origin"),
            ],
            "\"\"",
        );
    }
    if plan.credentials {
        map(
            &mut m,
            "$corsgate_kind",
            "corsgate_allow_credentials",
            &[
                ("preflight", "true"),
                ("explained", "true"),
                ("allowed", "true"),
            ],
            "\"\"",
        );
    }
    if let Some(expose) = &plan.expose {
        let v = q(expose);
        let entries: Vec<(&str, &str)> = if plan.any_origin {
            vec![("none", &v), ("allowed", &v), ("denied", &v)]
        } else {
            vec![("allowed", &v)]
        };
        map(
            &mut m,
            "$corsgate_kind",
            "corsgate_expose_headers",
            &entries,
            "\"\"",
        );
    }
    match &plan.allow_methods {
        AllowMethods::None => {}
        AllowMethods::Fixed(v) => map(
            &mut m,
            "$corsgate_kind",
            "corsgate_allow_methods",
            &[("preflight", &q(v)), ("explained", &q(v))],
            "\"\"",
        ),
        // Echoed once the method is known to be a token.
        AllowMethods::Echo => map(
            &mut m,
            "$corsgate_kind:$corsgate_method_ok",
            "corsgate_allow_methods",
            &[(
                "\"~^(?:preflight|explained):1$\"",
                "$http_access_control_request_method",
            )],
            "\"\"",
        ),
    }
    match &plan.allow_headers {
        AllowHeaders::None => {}
        AllowHeaders::Fixed(v) => map(
            &mut m,
            "$corsgate_kind",
            "corsgate_allow_headers",
            &[("preflight", &q(v)), ("explained", &q(v))],
            "\"\"",
        ),
        AllowHeaders::StarOrAuthorization => {
            map(
                &mut m,
                "$http_access_control_request_headers",
                "corsgate_asks_authorization",
                &[(&q(&format!("~{}", regex::lists_authorization())), "1")],
                "0",
            );
            // Method ok, headers ok, `authorization` asked. (`explained`: a failed method
            // leaves `*`; a header list that cannot be read, nothing.)
            map(
                &mut m,
                "$corsgate_kind:$corsgate_method_ok$corsgate_headers_ok$corsgate_asks_authorization",
                "corsgate_allow_headers",
                &[
                    ("\"~^(?:preflight|explained):110$\"", "\"*\""),
                    ("\"~^(?:preflight|explained):111$\"", "\"*, authorization\""),
                    ("\"~^explained:0\"", "\"*\""),
                ],
                "\"\"",
            );
        }
        AllowHeaders::Echo => {
            map(
                &mut m,
                "$http_access_control_request_headers",
                "corsgate_names_a_header",
                &[(&q(&format!("~{}", regex::lists_a_name())), "1")],
                "0",
            );
            map(
                &mut m,
                "$corsgate_kind:$corsgate_method_ok$corsgate_headers_ok$corsgate_names_a_header",
                "corsgate_allow_headers",
                &[(
                    "\"~^(?:preflight|explained):111$\"",
                    "$http_access_control_request_headers",
                )],
                "\"\"",
            );
        }
    }
    if let Some(age) = &plan.max_age {
        map(
            &mut m,
            "$corsgate_kind",
            "corsgate_max_age",
            &[("preflight", &q(age))],
            "\"\"",
        );
    }
    if plan.private_network {
        map(
            &mut m,
            "$corsgate_kind:$corsgate_pna_asked",
            "corsgate_allow_private_network",
            &[("preflight:1", "true")],
            "\"\"",
        );
    }
    m.push_str(
        "# Vary: the preflight's on preflight answers; `origin` added to the upstream's unless\n\
         # it already lists it (or `*`).\n",
    );
    // With preflight_continue the preflight's names are merged into the upstream's answer
    // (below); otherwise the edge's own answer gets them all.
    let vp = if plan.preflight_continue {
        "\"\"".to_owned()
    } else {
        q(&plan.vary_preflight)
    };
    if plan.vary_origin {
        map(
            &mut m,
            "$upstream_http_vary",
            "corsgate_upstream_varies_origin",
            &[(&q(&format!("~{}", regex::vary_lists_origin())), "1")],
            "0",
        );
        map(
            &mut m,
            "$corsgate_kind:$corsgate_upstream_varies_origin",
            "corsgate_vary",
            &[
                ("\"~^(?:preflight|explained|refused):\"", &vp),
                ("\"~^(?:none|allowed|denied):0$\"", "origin"),
            ],
            "\"\"",
        );
    } else {
        map(
            &mut m,
            "$corsgate_kind",
            "corsgate_vary",
            &[("preflight", &vp), ("explained", &vp), ("refused", &vp)],
            "\"\"",
        );
    }
    if plan.preflight_continue {
        vary_preflight_merge(&mut m, plan);
    }
    m
}

/// `$corsgate_vary_preflight`: the preflight's `Vary` names the upstream's answer does not
/// list yet (each compared without case; none when it lists `*`).
fn vary_preflight_merge(m: &mut String, plan: &Plan) {
    let names: Vec<&str> = plan.vary_preflight.split(", ").collect();
    let mut has = String::new();
    for (i, name) in names.iter().enumerate() {
        map(
            m,
            "$upstream_http_vary",
            &format!("corsgate_varies_{i}"),
            &[(&q(&format!("~{}", regex::vary_lists(name))), "1")],
            "0",
        );
        has.push_str(&format!("$corsgate_varies_{i}"));
    }
    let mut entries = Vec::new();
    for bits in 0..(1u32 << names.len()) {
        let listed: String = (0..names.len())
            .map(|i| if bits >> i & 1 == 1 { '1' } else { '0' })
            .collect();
        let missing: Vec<&str> = names
            .iter()
            .enumerate()
            .filter(|(i, _)| bits >> i & 1 == 0)
            .map(|(_, n)| *n)
            .collect();
        if !missing.is_empty() {
            entries.push((
                q(&format!("~^(?:preflight|explained|refused):{listed}$")),
                q(&missing.join(", ")),
            ));
        }
    }
    let entries: Vec<(&str, &str)> = entries
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    map(
        m,
        &format!("\"$corsgate_kind:{has}\""),
        "corsgate_vary_preflight",
        &entries,
        "\"\"",
    );
}

/// The `location` body (indented by `indent`).
fn location(plan: &Plan, indent: &str) -> String {
    let mut l = String::new();
    let mut line = |s: &str| {
        l.push_str(indent);
        l.push_str(s);
        l.push('\n');
    };
    if plan.preflight_continue {
        line(
            "# preflight_continue: preflights go on to the upstream; its answer gets the headers.",
        );
    } else {
        line("# Preflights are answered here; the upstream never sees them.");
        line(&format!(
            "if ($corsgate_kind = preflight) {{ return {}; }}",
            plan.preflight_status
        ));
        if plan.debug {
            line("# debug: refused after the origin check, answered so the browser names why.");
            line(&format!(
                "if ($corsgate_kind = explained) {{ return {}; }}",
                plan.preflight_status
            ));
        }
        line("if ($corsgate_kind = refused) { return 403; }");
    }
    line("# The upstream's own CORS headers are hidden, so none is doubled.");
    for h in OWNED {
        line(&format!("proxy_hide_header {h};"));
    }
    line("# `always`: on every status, errors included. An empty value sends nothing.");
    line("add_header Access-Control-Allow-Origin $corsgate_allow_origin always;");
    if plan.credentials {
        line("add_header Access-Control-Allow-Credentials $corsgate_allow_credentials always;");
    }
    if plan.expose.is_some() {
        line("add_header Access-Control-Expose-Headers $corsgate_expose_headers always;");
    }
    if plan.allow_methods != AllowMethods::None {
        line("add_header Access-Control-Allow-Methods $corsgate_allow_methods always;");
    }
    if plan.allow_headers != AllowHeaders::None {
        line("add_header Access-Control-Allow-Headers $corsgate_allow_headers always;");
    }
    if plan.max_age.is_some() {
        line("add_header Access-Control-Max-Age $corsgate_max_age always;");
    }
    if plan.private_network {
        line(
            "add_header Access-Control-Allow-Private-Network $corsgate_allow_private_network always;",
        );
    }
    line("add_header Vary $corsgate_vary always;");
    if plan.preflight_continue {
        line("add_header Vary $corsgate_vary_preflight always;");
    }
    line("# Note: an add_header in a nested block (an `if`, a nested `location`) replaces all");
    line("# of these there; keep the CORS lines in this block only.");
    l
}

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let mut out = preamble(plan, Target::Nginx, "#");
    let Some(w) = whole else {
        out.push_str(
            "#\n# Include the `map` blocks in `http {}` and the location body in the `location`\n\
             # that proxies to your API (next to its proxy_pass).\n\n# ---- http {} ----\n",
        );
        out.push_str(&maps(plan));
        out.push_str("\n# ---- location / { ... } ----\n");
        out.push_str(&location(plan, ""));
        return out;
    };
    let _ = write!(
        out,
        "#\n# A whole configuration: listens on {listen}, proxies to {up}. Run it in the\n\
         # foreground, writing only inside DIR (this file as DIR/nginx.conf):\n\
         #   nginx -p DIR -c DIR/nginx.conf -e error.log -g 'daemon off;'\n\
         # Check it: nginx -t -p DIR -c DIR/nginx.conf -e error.log\n\n\
         worker_processes 1;\npid nginx.pid;\nerror_log error.log;\n\
         events {{ worker_connections 1024; }}\n\nhttp {{\n\
         access_log off;\nclient_body_temp_path client_body_temp;\nproxy_temp_path proxy_temp;\n\
         fastcgi_temp_path fastcgi_temp;\nuwsgi_temp_path uwsgi_temp;\nscgi_temp_path scgi_temp;\n\n",
        listen = w.listen,
        up = w.upstream.url()
    );
    out.push_str(&maps(plan));
    let tls = if w.upstream.scheme == "https" {
        "        proxy_ssl_server_name on;\n        proxy_ssl_verify on;\n        proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;\n"
    } else {
        ""
    };
    let _ = write!(
        out,
        "\nserver {{\n    listen {};\n    location / {{\n{}        proxy_http_version 1.1;\n{tls}        proxy_pass {};\n    }}\n}}\n}}\n",
        w.listen,
        location(plan, "        "),
        w.upstream.url()
    );
    out
}
