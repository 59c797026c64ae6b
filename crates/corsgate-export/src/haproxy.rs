//! HAProxy: ACLs that decide each request into a transaction variable, `http-request return`
//! for preflights, and `http-after-response` rules that write the headers on every response
//! (the upstream's, HAProxy's own errors and its `return`s).

use std::fmt::Write as _;

use crate::nginx::OWNED;
use crate::plan::{AllowHeaders, AllowMethods, Plan};
use crate::{preamble, regex, Target, Whole};

/// A log-format string in double quotes (HAProxy expands `$` in them, `%` starts a tag).
fn hq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '%' => out.push_str("%%"),
            '"' | '\\' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The `frontend` lines (indented by four spaces).
fn rules(plan: &Plan) -> String {
    let mut r = String::new();
    let mut line = |s: &str| {
        r.push_str("    ");
        r.push_str(s);
        r.push('\n');
    };
    line("# --- corsgate: decide ---");
    line("acl corsgate_has_origin req.fhdr_cnt(origin) gt 0");
    line("acl corsgate_one_origin req.fhdr_cnt(origin) eq 1");
    if plan.any_origin {
        line("# allow_origins = [\"*\"]: every origin (sent once).");
        line("acl corsgate_origin_ok req.fhdr_cnt(origin) eq 1");
    } else {
        line("# allow_origins: anchored, case-sensitive expressions; lines of one ACL are ORed.");
        for (entry, re) in &plan.origins {
            line(&format!(
                "acl corsgate_origin_ok req.fhdr(origin) -m reg '{re}'  # {entry}"
            ));
        }
    }
    line("acl corsgate_preflight method OPTIONS");
    line("acl corsgate_preflight_asked req.fhdr_cnt(access-control-request-method) gt 0");
    line("# allow_methods (GET, HEAD and POST always pass; compared case-sensitively).");
    line(&format!(
        "acl corsgate_method_ok req.fhdr(access-control-request-method) -m reg '{}'",
        plan.method_regex
    ));
    line("# allow_headers: every name requested must be allowed (compared without case).");
    line("acl corsgate_headers_ok req.fhdr_cnt(access-control-request-headers) eq 0");
    line(&format!(
        "acl corsgate_headers_ok req.fhdr(access-control-request-headers) -m reg '{}'",
        plan.headers_regex
    ));
    line("acl corsgate_pna_asked req.fhdr(access-control-request-private-network) -m str true");
    let pna_ok = if plan.private_network {
        ""
    } else {
        " !corsgate_pna_asked"
    };
    line("# The kind of request: none, allowed, denied, preflight (passes) or refused.");
    line("http-request set-var(txn.corsgate_kind) str(none)");
    line("http-request set-var(txn.corsgate_kind) str(denied) if corsgate_has_origin");
    line("http-request set-var(txn.corsgate_kind) str(allowed) if corsgate_has_origin corsgate_one_origin corsgate_origin_ok");
    line("http-request set-var(txn.corsgate_kind) str(refused) if corsgate_preflight corsgate_has_origin corsgate_preflight_asked");
    if plan.debug {
        line("# debug: a preflight from an allowed origin that fails a later check is explained.");
        line("http-request set-var(txn.corsgate_kind) str(explained) if corsgate_preflight corsgate_has_origin corsgate_preflight_asked corsgate_one_origin corsgate_origin_ok");
    }
    line(&format!(
        "http-request set-var(txn.corsgate_kind) str(preflight) if corsgate_preflight corsgate_has_origin corsgate_preflight_asked corsgate_one_origin corsgate_origin_ok corsgate_method_ok corsgate_headers_ok{pna_ok}"
    ));
    line("# What the answer echoes, kept for the response rules.");
    if !plan.any_origin {
        line("http-request set-var(txn.corsgate_origin) req.fhdr(origin)");
    }
    if plan.allow_methods == AllowMethods::Echo {
        line("http-request set-var(txn.corsgate_acrm) req.fhdr(access-control-request-method) if corsgate_method_ok");
    }
    match plan.allow_headers {
        AllowHeaders::Echo => {
            line(&format!(
                "acl corsgate_names_a_header req.fhdr(access-control-request-headers) -m reg '{}'",
                regex::lists_a_name()
            ));
            line("http-request set-var(txn.corsgate_acrh) req.fhdr(access-control-request-headers) if corsgate_names_a_header corsgate_method_ok corsgate_headers_ok");
        }
        AllowHeaders::StarOrAuthorization => {
            line(&format!(
                "acl corsgate_asks_authorization req.fhdr(access-control-request-headers) -m reg '{}'",
                regex::lists_authorization()
            ));
            line(
                "http-request set-var(txn.corsgate_auth) bool(true) if corsgate_asks_authorization",
            );
            line("http-request set-var(txn.corsgate_mok) bool(true) if corsgate_method_ok");
            line("http-request set-var(txn.corsgate_hok) bool(true) if corsgate_headers_ok");
        }
        _ => {}
    }
    if plan.private_network {
        line("http-request set-var(txn.corsgate_pna) bool(true) if corsgate_pna_asked");
    }
    line("# Preflights are answered here; the upstream never sees them.");
    line("acl corsgate_is_preflight var(txn.corsgate_kind) -m str preflight");
    line("acl corsgate_is_refused var(txn.corsgate_kind) -m str refused");
    line("acl corsgate_is_answered var(txn.corsgate_kind) -m str preflight explained");
    line("acl corsgate_is_allowed var(txn.corsgate_kind) -m str allowed");
    line("acl corsgate_is_other var(txn.corsgate_kind) -m str none allowed denied");
    if plan.preflight_continue {
        line("# (preflight_continue: preflights go on to the upstream; its answer gets the headers.)");
    } else {
        line(&format!(
            "http-request return status {} if corsgate_is_preflight",
            plan.preflight_status
        ));
        if plan.debug {
            line(&format!(
                "http-request return status {} if {{ var(txn.corsgate_kind) -m str explained }}",
                plan.preflight_status
            ));
        }
        line("http-request return status 403 if corsgate_is_refused");
    }
    line("# The upstream's own CORS headers are removed, so none is doubled.");
    for h in OWNED {
        line(&format!("http-response del-header {h}"));
    }
    line("# The policy's headers on every response, errors and HAProxy's own answers included.");
    if plan.any_origin {
        line("http-after-response set-header Access-Control-Allow-Origin \"*\" if corsgate_is_answered || corsgate_is_allowed || { var(txn.corsgate_kind) -m str none }");
    } else {
        line("http-after-response set-header Access-Control-Allow-Origin %[var(txn.corsgate_origin)] if corsgate_is_answered || corsgate_is_allowed");
    }
    if plan.credentials {
        line("http-after-response set-header Access-Control-Allow-Credentials true if corsgate_is_answered || corsgate_is_allowed");
    }
    if let Some(expose) = &plan.expose {
        let cond = if plan.any_origin {
            "corsgate_is_allowed || { var(txn.corsgate_kind) -m str none }"
        } else {
            "corsgate_is_allowed"
        };
        line(&format!(
            "http-after-response set-header Access-Control-Expose-Headers {} if {cond}",
            hq(expose)
        ));
    }
    match &plan.allow_methods {
        AllowMethods::None => {}
        AllowMethods::Fixed(v) => line(&format!(
            "http-after-response set-header Access-Control-Allow-Methods {} if corsgate_is_answered",
            hq(v)
        )),
        AllowMethods::Echo => line("http-after-response set-header Access-Control-Allow-Methods %[var(txn.corsgate_acrm)] if corsgate_is_answered { var(txn.corsgate_acrm) -m found }"),
    }
    match &plan.allow_headers {
        AllowHeaders::None => {}
        AllowHeaders::Fixed(v) => line(&format!(
            "http-after-response set-header Access-Control-Allow-Headers {} if corsgate_is_answered",
            hq(v)
        )),
        AllowHeaders::StarOrAuthorization => {
            // (With debug: a failed method leaves `*`; a header list that cannot be read,
            // nothing.)
            line("acl corsgate_mok var(txn.corsgate_mok) -m bool");
            line("acl corsgate_hok var(txn.corsgate_hok) -m bool");
            line("acl corsgate_auth var(txn.corsgate_auth) -m bool");
            line("http-after-response set-header Access-Control-Allow-Headers \"*\" if corsgate_is_answered !corsgate_mok || corsgate_is_answered corsgate_hok !corsgate_auth");
            line("http-after-response set-header Access-Control-Allow-Headers \"*, authorization\" if corsgate_is_answered corsgate_mok corsgate_hok corsgate_auth");
        }
        AllowHeaders::Echo => line("http-after-response set-header Access-Control-Allow-Headers %[var(txn.corsgate_acrh)] if corsgate_is_answered { var(txn.corsgate_acrh) -m found }"),
    }
    if let Some(age) = &plan.max_age {
        line(&format!(
            "http-after-response set-header Access-Control-Max-Age {} if corsgate_is_preflight",
            hq(age)
        ));
    }
    if plan.private_network {
        line("http-after-response set-header Access-Control-Allow-Private-Network true if corsgate_is_preflight { var(txn.corsgate_pna) -m bool }");
    }
    line(
        "# Vary: the preflight's on preflight answers; `origin` added to the upstream's unless it",
    );
    line("# already lists it (or `*`).");
    if plan.preflight_continue {
        // Each of the preflight's names the upstream's answer does not list yet.
        for (i, name) in plan.vary_preflight.split(", ").enumerate() {
            line(&format!(
                "acl corsgate_varies_{i} res.fhdr(vary) -m reg '{}'",
                regex::vary_lists(name)
            ));
            line(&format!(
                "http-after-response add-header Vary {name} if corsgate_is_answered !corsgate_varies_{i} || corsgate_is_refused !corsgate_varies_{i}"
            ));
        }
    } else {
        line(&format!(
            "http-after-response set-header Vary {} if corsgate_is_answered || corsgate_is_refused",
            hq(&plan.vary_preflight)
        ));
    }
    if plan.vary_origin {
        line(&format!(
            "acl corsgate_varies_origin res.fhdr(vary) -m reg '{}'",
            regex::vary_lists_origin()
        ));
        line("http-after-response add-header Vary origin if corsgate_is_other !corsgate_varies_origin");
    }
    line("# --- corsgate: end ---");
    r
}

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let mut out = preamble(plan, Target::Haproxy, "#");
    let Some(w) = whole else {
        out.push_str(
            "#\n# Put these lines in the `frontend` (mode http) that takes your API's requests,\n\
             # before its `default_backend` / `use_backend` lines.\n",
        );
        out.push_str(&rules(plan));
        return out;
    };
    let _ = write!(
        out,
        "#\n# A whole configuration: listens on {listen}, proxies to {up}. Run it in the\n\
         # foreground (it writes no file):\n\
         #   haproxy -db -f haproxy.cfg\n\
         # Check it: haproxy -c -f haproxy.cfg\n\n\
         global\n    maxconn 1024\n\n\
         defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 60s\n\n\
         frontend corsgate\n    bind {listen}\n",
        listen = w.listen,
        up = w.upstream.url()
    );
    out.push_str(&rules(plan));
    let ssl = if w.upstream.scheme == "https" {
        format!(
            " ssl verify required ca-file @system-ca sni str({})",
            w.upstream.host
        )
    } else {
        String::new()
    };
    let _ = write!(
        out,
        "    default_backend corsgate_upstream\n\n\
         backend corsgate_upstream\n    server upstream {}{ssl}\n",
        w.upstream.authority()
    );
    out
}
