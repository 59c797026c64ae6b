//! Caddy: Caddyfile snippets — `(corsgate)` for the site block (`map`s that decide each
//! request, `respond` for preflights), `(corsgate_headers)` (deferred `header` blocks per kind
//! of request, for the site block and its `handle_errors`) and
//! `(corsgate_upstream)` for its `reverse_proxy` (the upstream's CORS headers removed, its
//! `Vary` merged).

use std::fmt::Write as _;

use crate::nginx::OWNED;
use crate::plan::{AllowHeaders, AllowMethods, Plan};
use crate::{preamble, regex, Target, Whole};

fn map(out: &mut String, source: &str, var: &str, entries: &[(String, String)], default: &str) {
    let _ = writeln!(out, "\tmap {source} {{{var}}} {{");
    for (k, v) in entries {
        let _ = writeln!(out, "\t\t{k} {v}");
    }
    let _ = writeln!(out, "\t\tdefault {default}\n\t}}");
}

/// A regex key (raw, in backticks).
fn re(r: &str) -> String {
    format!("`~{r}`")
}

fn q(s: &str) -> String {
    format!("\"{s}\"")
}

fn e(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

const ORIGIN: &str = "{http.request.header.Origin}";
const ACRM: &str = "{http.request.header.Access-Control-Request-Method}";
const ACRH: &str = "{http.request.header.Access-Control-Request-Headers}";
const ACRPN: &str = "{http.request.header.Access-Control-Request-Private-Network}";

/// The `(corsgate)` snippet's body.
fn site(plan: &Plan) -> String {
    let mut s = String::new();
    s.push_str("\t# Is each part of the request allowed? (\"\": the header is absent.)\n");
    if plan.any_origin {
        s.push_str("\t# allow_origins = [\"*\"]: every origin.\n");
        map(&mut s, ORIGIN, "corsgate_origin_ok", &[], "1");
    } else {
        s.push_str("\t# allow_origins: anchored, case-sensitive expressions.\n");
        let entries: Vec<_> = plan
            .origins
            .iter()
            .map(|(_, r)| (re(r), "1".to_owned()))
            .collect();
        for (entry, _) in &plan.origins {
            let _ = writeln!(s, "\t#   {entry}");
        }
        map(&mut s, ORIGIN, "corsgate_origin_ok", &entries, "0");
    }
    s.push_str("\t# allow_methods (GET, HEAD and POST always pass; compared case-sensitively).\n");
    map(
        &mut s,
        ACRM,
        "corsgate_method_ok",
        &[e(&re(&plan.method_regex), "1")],
        "0",
    );
    s.push_str(
        "\t# allow_headers: every name requested must be allowed (compared without case).\n",
    );
    map(
        &mut s,
        ACRH,
        "corsgate_headers_ok",
        &[e("\"\"", "1"), e(&re(&plan.headers_regex), "1")],
        "0",
    );
    let pna = if plan.private_network { "1" } else { "0" };
    map(&mut s, ACRPN, "corsgate_pna_ok", &[e("true", pna)], "1");
    s.push_str(
        "\t# The kind of request: none (no Origin), preflight (passes), refused, allowed, denied;\n\
         \t# with debug, explained (a preflight from an allowed origin failing a later check).\n",
    );
    let mut kinds = vec![
        e(&re("^[^:]*:\\|"), "none"),
        e(&re("^OPTIONS:[^|]+\\|[^|]+\\|1111$"), "preflight"),
    ];
    if plan.debug {
        kinds.push(e(&re("^OPTIONS:[^|]+\\|[^|]+\\|1"), "explained"));
    }
    kinds.extend([
        e(&re("^OPTIONS:[^|]+\\|[^|]+\\|"), "refused"),
        e(&re("^[^:]*:[^|]+\\|[^|]*\\|1"), "allowed"),
    ]);
    map(
        &mut s,
        &format!(
            "\"{{http.request.method}}:{ORIGIN}|{ACRM}|{{corsgate_origin_ok}}{{corsgate_method_ok}}{{corsgate_headers_ok}}{{corsgate_pna_ok}}\""
        ),
        "corsgate_kind",
        &kinds,
        "denied",
    );
    if plan.allow_headers == AllowHeaders::StarOrAuthorization {
        // Method ok, headers ok, then the list. (debug: a failed method leaves `*`; a
        // header list that cannot be read, nothing.)
        map(
            &mut s,
            &format!("\"{{corsgate_method_ok}}{{corsgate_headers_ok}}|{ACRH}\""),
            "corsgate_allow_headers",
            &[
                e(&re("^0"), "\"*\""),
                e(
                    &re("(?i)^11\\|(?:.*,)?[\\x20\\x09]*authorization[\\x20\\x09]*(?:,.*)?$"),
                    "\"*, authorization\"",
                ),
                e(&re("^11\\|"), "\"*\""),
            ],
            "none",
        );
        s.push_str(
            "\t@corsgate_acah {\n\t\tvars {corsgate_kind} preflight explained\n\t\tnot vars {corsgate_allow_headers} none\n\t}\n",
        );
    }
    // (One `vars` line per matcher: Caddy 2.6 ORs the keys of a `vars` matcher.)
    if plan.allow_methods == AllowMethods::Echo {
        map(
            &mut s,
            "{corsgate_kind}:{corsgate_method_ok}",
            "corsgate_echo_method",
            &[e(&re("^(?:preflight|explained):1$"), "yes")],
            "no",
        );
        s.push_str("\t@corsgate_echo_method vars {corsgate_echo_method} yes\n");
    }
    if plan.allow_headers == AllowHeaders::Echo {
        map(
            &mut s,
            "{corsgate_kind}:{corsgate_method_ok}{corsgate_headers_ok}",
            "corsgate_echo_headers",
            &[e(&re("^(?:preflight|explained):11$"), "yes")],
            "no",
        );
    }
    s.push_str("\t@corsgate_answered vars {corsgate_kind} preflight explained\n");
    if plan.debug {
        s.push_str("\t@corsgate_explained vars {corsgate_kind} explained\n");
    }
    s.push_str("\t@corsgate_preflight vars {corsgate_kind} preflight\n");
    s.push_str("\t@corsgate_refused vars {corsgate_kind} refused\n");
    s.push_str("\t@corsgate_allowed vars {corsgate_kind} allowed\n");
    s.push_str("\t@corsgate_other vars {corsgate_kind} none allowed denied\n");
    if plan.any_origin {
        s.push_str("\t@corsgate_none vars {corsgate_kind} none\n");
    }
    if plan.allow_headers == AllowHeaders::Echo {
        let _ = writeln!(
            s,
            "\t@corsgate_echo_headers {{\n\t\tvars {{corsgate_echo_headers}} yes\n\t\theader_regexp Access-Control-Request-Headers `{}`\n\t}}",
            regex::lists_a_name()
        );
    }
    if plan.private_network {
        s.push_str(
            "\t@corsgate_pna {\n\t\tvars {corsgate_kind} preflight\n\t\theader Access-Control-Request-Private-Network true\n\t}\n",
        );
    }

    s.push_str("\timport corsgate_headers\n");
    if plan.preflight_continue {
        s.push_str(
            "\t# (preflight_continue: preflights go on to the upstream; its answer gets the headers.)\n",
        );
        return s;
    }
    s.push_str("\t# Preflights are answered here; the upstream never sees them.\n");
    let _ = writeln!(
        s,
        "\trespond @corsgate_preflight {}\n\trespond @corsgate_refused 403",
        plan.preflight_status
    );
    if plan.debug {
        let _ = writeln!(s, "\trespond @corsgate_explained {}", plan.preflight_status);
    }
    s
}

/// The lines of a deferred header block that write the preflight's `Vary`: set on the edge's
/// own answer; with preflight_continue, merged name by name into the upstream's (appended,
/// then dropped again when it was listed already, or `*`), or set when it has none.
fn vary_preflight(plan: &Plan) -> String {
    if !plan.preflight_continue {
        return format!("\t\tVary {}\n", q(&plan.vary_preflight));
    }
    let mut s = format!("\t\t?Vary {}\n", q(&plan.vary_preflight));
    for name in plan.vary_preflight.split(", ") {
        let _ = writeln!(s, "\t\tVary `^(.*)$` `${{1}}, {name}`");
        let _ = writeln!(
            s,
            "\t\tVary `{}` `${{1}}`",
            regex::vary_appended_twice(name)
        );
    }
    s
}

/// The `(corsgate_headers)` snippet's body: the deferred header blocks, by kind of request
/// (imported by `(corsgate)`, and by `handle_errors` for Caddy's own errors).
fn headers(plan: &Plan) -> String {
    let mut s = String::new();
    let allow_origin = if plan.any_origin {
        "\"*\""
    } else {
        "\"{http.request.header.Origin}\""
    };
    s.push_str("\t# Deferred: written when the response is, over whatever it carries.\n");
    s.push_str("\theader @corsgate_answered {\n\t\tdefer\n");
    let mut h = |name: &str, v: &str| {
        let _ = writeln!(s, "\t\t{name} {v}");
    };
    h("Access-Control-Allow-Origin", allow_origin);
    if plan.credentials {
        h("Access-Control-Allow-Credentials", "true");
    }
    if let AllowMethods::Fixed(v) = &plan.allow_methods {
        h("Access-Control-Allow-Methods", &q(v));
    }
    if let AllowHeaders::Fixed(v) = &plan.allow_headers {
        h("Access-Control-Allow-Headers", &q(v));
    }
    s.push_str(&vary_preflight(plan));
    s.push_str("\t}\n");
    if let Some(age) = &plan.max_age {
        let _ = writeln!(
            s,
            "\theader @corsgate_preflight {{\n\t\tdefer\n\t\tAccess-Control-Max-Age {}\n\t}}",
            q(age)
        );
    }
    if plan.allow_methods == AllowMethods::Echo {
        let _ = writeln!(
            s,
            "\theader @corsgate_echo_method {{\n\t\tdefer\n\t\tAccess-Control-Allow-Methods \"{ACRM}\"\n\t}}"
        );
    }
    if plan.allow_headers == AllowHeaders::StarOrAuthorization {
        s.push_str(
            "\theader @corsgate_acah {\n\t\tdefer\n\t\tAccess-Control-Allow-Headers \"{corsgate_allow_headers}\"\n\t}\n",
        );
    }
    if plan.allow_headers == AllowHeaders::Echo {
        let _ = writeln!(
            s,
            "\theader @corsgate_echo_headers {{\n\t\tdefer\n\t\tAccess-Control-Allow-Headers \"{ACRH}\"\n\t}}"
        );
    }
    if plan.private_network {
        s.push_str(
            "\theader @corsgate_pna {\n\t\tdefer\n\t\tAccess-Control-Allow-Private-Network true\n\t}\n",
        );
    }
    let _ = writeln!(
        s,
        "\theader @corsgate_refused {{\n\t\tdefer\n{}\t}}",
        vary_preflight(plan)
    );
    let actual = |s: &mut String, matcher: &str| {
        let _ = writeln!(s, "\theader {matcher} {{\n\t\tdefer");
        let _ = writeln!(s, "\t\tAccess-Control-Allow-Origin {allow_origin}");
        if plan.credentials {
            s.push_str("\t\tAccess-Control-Allow-Credentials true\n");
        }
        if let Some(x) = &plan.expose {
            let _ = writeln!(s, "\t\tAccess-Control-Expose-Headers {}", q(x));
        }
        s.push_str("\t}\n");
    };
    actual(&mut s, "@corsgate_allowed");
    if plan.any_origin {
        actual(&mut s, "@corsgate_none");
    }
    if plan.vary_origin {
        s.push_str(
            "\t# An upstream answer without Vary gets `Vary: origin` (corsgate_upstream merges it\n\
             \t# into one that has a Vary). (The delete beside it is there because Caddy 2.6\n\
             \t# crashes on a header block whose only operation is a `?` default.)\n\
             \theader @corsgate_other {\n\t\tdefer\n\t\t?Vary origin\n\t\t-Access-Control-Max-Age\n\t}\n",
        );
    }
    s
}

/// The `(corsgate_upstream)` snippet's body (for `reverse_proxy { ... }`).
fn upstream(plan: &Plan) -> String {
    let mut s =
        String::from("\t# The upstream's own CORS headers are removed, so none is doubled.\n");
    for h in OWNED {
        let _ = writeln!(s, "\theader_down -{h}");
    }
    if plan.vary_origin {
        s.push_str(
            "\t# `origin` appended to the upstream's Vary, then taken out again when it was\n\
             \t# already listed (or `*`).\n\theader_down Vary `^(.*)$` `${1}, origin`\n",
        );
        let _ = writeln!(
            s,
            "\theader_down Vary `(?i)^((?:.*,)?[\\x20\\x09]*(?:origin|\\x2a)[\\x20\\x09]*(?:,.*)?), origin$` `${{1}}`"
        );
    }
    s
}

fn snippets(plan: &Plan) -> String {
    format!(
        "(corsgate_headers) {{\n{}}}\n\n(corsgate) {{\n{}}}\n\n(corsgate_upstream) {{\n{}}}\n",
        headers(plan),
        site(plan),
        upstream(plan)
    )
}

pub(crate) fn render(plan: &Plan, whole: Option<&Whole>) -> String {
    let mut out = preamble(plan, Target::Caddy, "#");
    let Some(w) = whole else {
        out.push_str(
            "#\n# Three snippets: put them at the top level of your Caddyfile, then `import corsgate`\n\
             # in the site block of your API, `import corsgate_headers` in its `handle_errors` (so\n\
             # Caddy's own errors carry the headers too) and `import corsgate_upstream` inside its\n\
             # `reverse_proxy { ... }`.\n\n",
        );
        out.push_str(&snippets(plan));
        return out;
    };
    let (ip, port) = (w.listen.ip(), w.listen.port());
    let transport = if w.upstream.scheme == "https" {
        "\t\ttransport http {\n\t\t\ttls\n\t\t}\n"
    } else {
        ""
    };
    let _ = write!(
        out,
        "#\n# A whole configuration: listens on {listen}, proxies to {up}. Run it in the\n\
         # foreground from DIR (this file as DIR/Caddyfile), keeping Caddy's files in DIR:\n\
         #   cd DIR && HOME=DIR XDG_DATA_HOME=DIR/data XDG_CONFIG_HOME=DIR/config \\\n\
         #     caddy run --config Caddyfile --adapter caddyfile\n\
         # Check it: caddy validate --config Caddyfile --adapter caddyfile\n\n\
         {{\n\tadmin off\n\tauto_https off\n}}\n\n{snippets}\n\
         http://:{port} {{\n\tbind {ip}\n\timport corsgate\n\treverse_proxy {up} {{\n\t\timport corsgate_upstream\n{transport}\t}}\n\
         \t# Caddy's own errors (502: the upstream unreachable) get the headers too.\n\
         \thandle_errors {{\n\t\timport corsgate_headers\n\
         \t\trespond \"{{err.status_code}} {{err.status_text}}\" {{err.status_code}}\n\t}}\n}}\n",
        listen = w.listen,
        up = w.upstream.url(),
        snippets = snippets(plan),
    );
    out
}
