//! The fix, spelled for four server stacks: a corsgate policy (TOML), the npm `cors`
//! package, tower-http's `CorsLayer`, and nginx.
//!
//! The core's [`FixCause`] says *what* must change; this module turns it into a complete
//! policy for the request — what the server already allows (as observed, or as the `--policy`
//! file says) plus everything this request needs (its origin, method, unsafe headers and
//! credentials), so applying the fix does not just move the error to the next check — and
//! renders that policy in each stack's words.

use corsgate_browser::FixCause;
use serde::{Deserialize, Serialize};

/// A policy in stack-neutral terms (the corsgate schema's fields that matter here).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerPolicy {
    /// Allowed origins (exact origins, `*`, corsgate patterns).
    pub origins: Vec<String>,
    /// Allowed methods (exact case).
    pub methods: Vec<String>,
    /// Allowed request headers (lower case).
    pub headers: Vec<String>,
    /// Exposed response headers.
    pub expose: Vec<String>,
    /// `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
    /// `Access-Control-Max-Age`.
    pub max_age: Option<i64>,
}

/// What the request needs from any policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Needs {
    /// The origin the browser sends (`null` after a cross-origin redirect).
    pub origin: String,
    /// The method (only kept when it is not GET, HEAD or POST).
    pub method: String,
    /// CORS-unsafe request header names (lower case).
    pub headers: Vec<String>,
    /// Credentials mode `include`.
    pub credentials: bool,
}

/// The fix for one blocked request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// The core's cause, in snake case (`needs_allow_method`, ...).
    pub cause: String,
    /// `"server"` or `"page"` (client-side causes: change the page's code instead).
    pub side: String,
    /// What to change, in one or two sentences.
    pub summary: String,
    /// A corsgate policy (TOML, the one schema) that lets the request through; `null` when
    /// the fix is not a policy change.
    pub corsgate: Option<String>,
    /// The same for the npm `cors` package (Express).
    pub npm_cors: Option<String>,
    /// The same as `tower_http::cors::CorsLayer` builder calls.
    pub tower_http: Option<String>,
    /// The same for nginx (`add_header ... always;` and the `OPTIONS` answer).
    pub nginx: Option<String>,
}

/// The snake-case name of a cause.
pub fn cause_name(cause: &FixCause) -> &'static str {
    match cause {
        FixCause::NeedsAllowOrigin { .. } => "needs_allow_origin",
        FixCause::NeedsSingleAllowOrigin { .. } => "needs_single_allow_origin",
        FixCause::NeedsValidAllowOrigin { .. } => "needs_valid_allow_origin",
        FixCause::NeedsMatchingAllowOrigin { .. } => "needs_matching_allow_origin",
        FixCause::NeedsExactOriginForCredentials { .. } => "needs_exact_origin_for_credentials",
        FixCause::NeedsAllowCredentials { .. } => "needs_allow_credentials",
        FixCause::NeedsOkPreflightStatus { .. } => "needs_ok_preflight_status",
        FixCause::NeedsPreflightWithoutRedirect { .. } => "needs_preflight_without_redirect",
        FixCause::NeedsValidAllowMethods { .. } => "needs_valid_allow_methods",
        FixCause::NeedsValidAllowHeaders { .. } => "needs_valid_allow_headers",
        FixCause::NeedsAllowMethod { .. } => "needs_allow_method",
        FixCause::NeedsAllowHeaders { .. } => "needs_allow_headers",
        FixCause::NeedsRedirectWithoutCredentials => "needs_redirect_without_credentials",
        FixCause::NeedsHttpRedirect { .. } => "needs_http_redirect",
        FixCause::NeedsFewerRedirects => "needs_fewer_redirects",
        FixCause::NeedsCorsMode => "needs_cors_mode",
    }
}

fn is_safelisted_method(m: &str) -> bool {
    matches!(m, "GET" | "HEAD" | "POST")
}

/// `current` plus what `needs` requires, keeping what the server already allows.
pub fn desired(current: &ServerPolicy, needs: &Needs) -> ServerPolicy {
    let mut p = current.clone();
    let cred = needs.credentials || current.credentials;
    p.credentials = cred;
    // Origins: `*` stays only without credentials; otherwise the request's origin is listed.
    let star = p.origins.iter().any(|o| o == "*");
    if cred || !star {
        p.origins.retain(|o| o != "*");
        if !p.origins.iter().any(|o| o == &needs.origin) {
            p.origins.push(needs.origin.clone());
        }
    }
    if cred {
        p.methods.retain(|m| m != "*");
        p.headers.retain(|h| h != "*");
        p.expose.retain(|h| h != "*");
    }
    let method_star = p.methods.iter().any(|m| m == "*");
    if !is_safelisted_method(&needs.method)
        && !method_star
        && !p.methods.iter().any(|m| m == &needs.method)
    {
        p.methods.push(needs.method.clone());
    }
    let header_star = p.headers.iter().any(|h| h == "*");
    for name in &needs.headers {
        let covered = p.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
            || (header_star && name != "authorization");
        if !covered {
            p.headers.push(name.clone());
        }
    }
    p
}

fn quoted_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", inner.join(", "))
}

/// The policy as a corsgate TOML file (only the keys that are not at their defaults).
pub fn corsgate_toml(p: &ServerPolicy) -> String {
    let mut out = String::new();
    if p.origins.iter().any(|o| o == "null") {
        out.push_str(
            "# corsgate never allows the `null` origin (any sandboxed page can send it): avoid \
             the cross-origin redirect that made the origin null, or, for public data without \
             credentials, allow_origins = [\"*\"].\n",
        );
    }
    let origins: Vec<String> = p.origins.iter().filter(|o| *o != "null").cloned().collect();
    out.push_str(&format!("allow_origins = {}\n", quoted_list(&origins)));
    if !p.methods.is_empty() {
        out.push_str(&format!("allow_methods = {}\n", quoted_list(&p.methods)));
    }
    if !p.headers.is_empty() {
        out.push_str(&format!("allow_headers = {}\n", quoted_list(&p.headers)));
    }
    if !p.expose.is_empty() {
        out.push_str(&format!("expose_headers = {}\n", quoted_list(&p.expose)));
    }
    if p.credentials {
        out.push_str("allow_credentials = true\n");
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!("max_age = {m}\n"));
    }
    out
}

fn js_string(s: &str) -> String {
    format!("{s:?}")
}

/// Converts a corsgate origin pattern (`https://*.example.com`, `http://localhost:*`) into
/// a regular-expression source, or `None` for an exact origin.
fn pattern_regex(origin: &str) -> Option<String> {
    if !origin.contains('*') || origin == "*" {
        return None;
    }
    let mut re = String::from("^");
    let (scheme, rest) = origin.split_once("://").unwrap_or(("https", origin));
    re.push_str(&regex_escape(scheme));
    re.push_str(":\\/\\/");
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if p == "*" || p.chars().all(|c| c.is_ascii_digit()) => (h, Some(p)),
        _ => (rest, None),
    };
    if let Some(suffix) = host.strip_prefix("*.") {
        re.push_str("([a-z0-9-]+\\.)+");
        re.push_str(&regex_escape(suffix));
    } else {
        re.push_str(&regex_escape(host));
    }
    match port {
        Some("*") => re.push_str("(:[0-9]+)?"),
        Some(p) => re.push_str(&format!(":{p}")),
        None => {}
    }
    re.push('$');
    Some(re)
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if ".+*?()[]{}|^$\\/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The policy for the npm `cors` package.
pub fn npm_cors(p: &ServerPolicy) -> String {
    let origins: Vec<String> = p
        .origins
        .iter()
        .map(|o| match pattern_regex(o) {
            Some(re) => format!("/{re}/"),
            None if o == "*" => "\"*\"".to_owned(),
            None => js_string(o),
        })
        .collect();
    let origin = if origins.len() == 1 {
        origins[0].clone()
    } else {
        format!("[{}]", origins.join(", "))
    };
    let mut out = String::from("const cors = require(\"cors\");\n\napp.use(cors({\n");
    out.push_str(&format!("  origin: {origin},\n"));
    if !p.methods.is_empty() {
        let mut methods = vec!["GET".to_owned(), "HEAD".to_owned(), "POST".to_owned()];
        for m in &p.methods {
            if !methods.contains(m) {
                methods.push(m.clone());
            }
        }
        out.push_str(&format!("  methods: {},\n", quoted_list(&methods)));
    }
    if !p.headers.is_empty() {
        out.push_str(&format!("  allowedHeaders: {},\n", quoted_list(&p.headers)));
    }
    if !p.expose.is_empty() {
        out.push_str(&format!("  exposedHeaders: {},\n", quoted_list(&p.expose)));
    }
    if p.credentials {
        out.push_str("  credentials: true,\n");
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!("  maxAge: {},\n", m.max(0)));
    }
    out.push_str("}));\n// before any auth middleware and routes, so preflights get an answer\n");
    out
}

fn rust_method(m: &str) -> String {
    match m {
        "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH" | "CONNECT" | "TRACE" => {
            format!("Method::{m}")
        }
        other => format!("Method::from_bytes(b{other:?}).unwrap()"),
    }
}

/// The policy as tower-http `CorsLayer` builder calls.
pub fn tower_http(p: &ServerPolicy) -> String {
    let mut out = String::from("let cors = CorsLayer::new()\n");
    let star = p.origins.iter().any(|o| o == "*");
    let patterns: Vec<String> = p.origins.iter().filter_map(|o| pattern_regex(o)).collect();
    let exact: Vec<&String> = p
        .origins
        .iter()
        .filter(|o| *o != "*" && pattern_regex(o).is_none())
        .collect();
    if star {
        out.push_str("    .allow_origin(Any)\n");
    } else if patterns.is_empty() && exact.len() == 1 {
        out.push_str(&format!(
            "    .allow_origin(HeaderValue::from_static({:?}))\n",
            exact[0]
        ));
    } else if patterns.is_empty() {
        let list: Vec<String> = exact
            .iter()
            .map(|o| format!("HeaderValue::from_static({o:?})"))
            .collect();
        out.push_str(&format!("    .allow_origin([{}])\n", list.join(", ")));
    } else {
        out.push_str(&format!(
            "    // origin patterns {} need a predicate\n    .allow_origin(AllowOrigin::predicate(|origin: &HeaderValue, _| {{\n        let o = origin.as_bytes();\n",
            patterns.join(", ")
        ));
        for e in &exact {
            out.push_str(&format!("        o == b{e:?} ||\n"));
        }
        out.push_str("        /* match the patterns above */ false\n    }))\n");
    }
    if p.methods.iter().any(|m| m == "*") {
        out.push_str("    .allow_methods(Any)\n");
    } else if !p.methods.is_empty() {
        let mut methods = vec!["GET".to_owned(), "HEAD".to_owned(), "POST".to_owned()];
        for m in &p.methods {
            if !methods.contains(m) {
                methods.push(m.clone());
            }
        }
        let list: Vec<String> = methods.iter().map(|m| rust_method(m)).collect();
        out.push_str(&format!("    .allow_methods([{}])\n", list.join(", ")));
    }
    if p.headers.iter().any(|h| h == "*") {
        out.push_str("    .allow_headers(Any)\n");
    } else if !p.headers.is_empty() {
        let list: Vec<String> = p
            .headers
            .iter()
            .map(|h| format!("HeaderName::from_static({:?})", h.to_ascii_lowercase()))
            .collect();
        out.push_str(&format!("    .allow_headers([{}])\n", list.join(", ")));
    }
    if p.expose.iter().any(|h| h == "*") {
        out.push_str("    .expose_headers(Any)\n");
    } else if !p.expose.is_empty() {
        let list: Vec<String> = p
            .expose
            .iter()
            .map(|h| format!("HeaderName::from_static({:?})", h.to_ascii_lowercase()))
            .collect();
        out.push_str(&format!("    .expose_headers([{}])\n", list.join(", ")));
    }
    if p.credentials {
        out.push_str("    .allow_credentials(true)\n");
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!(
            "    .max_age(std::time::Duration::from_secs({}))\n",
            m.max(0)
        ));
    }
    let body = out.trim_end().to_owned();
    let mut http_uses = Vec::new();
    if body.contains("HeaderName::") {
        http_uses.push("header::HeaderName");
    }
    if body.contains("HeaderValue") {
        http_uses.push("HeaderValue");
    }
    if body.contains("Method::") {
        http_uses.push("Method");
    }
    let mut cors_uses = Vec::new();
    if body.contains("AllowOrigin::") {
        cors_uses.push("AllowOrigin");
    }
    if body.contains("(Any)") {
        cors_uses.push("Any");
    }
    cors_uses.push("CorsLayer");
    let mut head = String::new();
    if !http_uses.is_empty() {
        head.push_str(&format!("use http::{{{}}};\n", http_uses.join(", ")));
    }
    if cors_uses.len() == 1 {
        head.push_str("use tower_http::cors::CorsLayer;\n\n");
    } else {
        head.push_str(&format!(
            "use tower_http::cors::{{{}}};\n\n",
            cors_uses.join(", ")
        ));
    }
    format!("{head}{body};\n// add it last (outermost): Router::new().route(...).layer(cors)\n")
}

/// The policy for nginx: the headers on every response and the `OPTIONS` answer.
pub fn nginx(p: &ServerPolicy) -> String {
    let mut out = String::new();
    let star = p.origins.iter().any(|o| o == "*") && !p.credentials;
    let single_exact = p.origins.len() == 1 && pattern_regex(&p.origins[0]).is_none() && !star;
    let origin_value = if star {
        "\"*\"".to_owned()
    } else if single_exact {
        format!("\"{}\"", p.origins[0])
    } else {
        out.push_str(
            "# in the http {} block:\nmap $http_origin $cors_origin {\n    default \"\";\n",
        );
        for o in &p.origins {
            match pattern_regex(o) {
                Some(re) => out.push_str(&format!(
                    "    \"~{}\" $http_origin;\n",
                    re.replace("\\/", "/")
                )),
                None => out.push_str(&format!("    \"{o}\" $http_origin;\n")),
            }
        }
        out.push_str("}\n\n");
        "$cors_origin".to_owned()
    };
    let vary = !star;
    let mut common = Vec::new();
    common.push(format!(
        "add_header Access-Control-Allow-Origin {origin_value} always;"
    ));
    if p.credentials {
        common.push("add_header Access-Control-Allow-Credentials \"true\" always;".to_owned());
    }
    if vary {
        common.push("add_header Vary Origin always;".to_owned());
    }
    out.push_str("location / {\n    if ($request_method = OPTIONS) {\n");
    for line in &common {
        out.push_str(&format!("        {line}\n"));
    }
    let mut methods = vec!["GET".to_owned(), "HEAD".to_owned(), "POST".to_owned()];
    for m in &p.methods {
        if !methods.contains(m) {
            methods.push(m.clone());
        }
    }
    out.push_str(&format!(
        "        add_header Access-Control-Allow-Methods \"{}\" always;\n",
        methods.join(", ")
    ));
    if !p.headers.is_empty() {
        out.push_str(&format!(
            "        add_header Access-Control-Allow-Headers \"{}\" always;\n",
            p.headers.join(", ")
        ));
    }
    if let Some(m) = p.max_age {
        out.push_str(&format!(
            "        add_header Access-Control-Max-Age {} always;\n",
            m.max(0)
        ));
    }
    out.push_str("        return 204;\n    }\n");
    for line in &common {
        out.push_str(&format!("    {line}\n"));
    }
    if !p.expose.is_empty() {
        out.push_str(&format!(
            "    add_header Access-Control-Expose-Headers \"{}\" always;\n",
            p.expose.join(", ")
        ));
    }
    out.push_str(
        "    # ... proxy_pass / root as before (and no other Access-Control-* headers)\n}\n",
    );
    out
}

/// " In all, ..." naming everything `policy` allows that `current` did not.
fn additions(current: &ServerPolicy, policy: &ServerPolicy) -> String {
    let mut adds = Vec::new();
    for o in &policy.origins {
        if !current.origins.contains(o) {
            adds.push(format!("the origin {o}"));
        }
    }
    for m in &policy.methods {
        if !current.methods.contains(m) {
            adds.push(format!("the method {m}"));
        }
    }
    for h in &policy.headers {
        if !current.headers.contains(h) {
            adds.push(format!("the request header {h}"));
        }
    }
    if policy.credentials && !current.credentials {
        adds.push("credentials".to_owned());
    }
    // One addition is the one the cause already names.
    if adds.len() < 2 {
        String::new()
    } else {
        format!(
            " In all, this request needs the server to allow {}; each policy below does.",
            adds.join(", ")
        )
    }
}

/// What to write for `cause`, given what the server allows now and what the request needs.
pub fn fix(cause: &FixCause, current: &ServerPolicy, needs: &Needs) -> Fix {
    let name = cause_name(cause).to_owned();
    if cause.is_client_side() {
        return Fix {
            cause: name,
            side: "page".to_owned(),
            summary: "Change the page, not the server: a request with mode \"same-origin\" can \
                      never reach another origin. Drop `mode: \"same-origin\"` (the default \
                      mode is \"cors\") and give the server a CORS policy for the page's origin."
                .to_owned(),
            corsgate: None,
            npm_cors: None,
            tower_http: None,
            nginx: None,
        };
    }
    let mut needs = needs.clone();
    let summary = match cause {
        FixCause::NeedsAllowOrigin { origin } => {
            needs.origin = origin.clone();
            format!("Answer with Access-Control-Allow-Origin: {origin} (every response, errors included).")
        }
        FixCause::NeedsSingleAllowOrigin { origin, sent } => {
            needs.origin = origin.clone();
            format!("Send Access-Control-Allow-Origin once, with {origin} only (it arrived as '{sent}': often the app and a proxy in front of it both add it — let one of them do CORS, e.g. nginx `proxy_hide_header Access-Control-Allow-Origin;`).")
        }
        FixCause::NeedsValidAllowOrigin { origin, sent } => {
            needs.origin = origin.clone();
            format!("Send Access-Control-Allow-Origin: {origin} instead of '{sent}'.")
        }
        FixCause::NeedsMatchingAllowOrigin { origin, sent } => {
            needs.origin = origin.clone();
            format!("Send Access-Control-Allow-Origin: {origin} (exactly: scheme, host, port, no path or trailing slash) instead of '{sent}'.")
        }
        FixCause::NeedsExactOriginForCredentials { origin } => {
            needs.origin = origin.clone();
            needs.credentials = true;
            format!("With credentials, echo the origin ({origin}) instead of *, and send Access-Control-Allow-Credentials: true and Vary: Origin.")
        }
        FixCause::NeedsAllowCredentials { .. } => {
            needs.credentials = true;
            "Send Access-Control-Allow-Credentials: true (exactly, lower case) with the exact origin.".to_owned()
        }
        FixCause::NeedsOkPreflightStatus { status } => format!(
            "Answer the preflight (OPTIONS) with 204 and the CORS headers instead of {status}: put the CORS handling in front of authentication and routing, so OPTIONS never reaches them."
        ),
        FixCause::NeedsPreflightWithoutRedirect { location } => {
            return Fix {
                cause: name,
                side: "server".to_owned(),
                summary: format!(
                    "Do not redirect the preflight{}: answer OPTIONS at the URL the page requests, or make the page request the final URL (usually http→https or a trailing slash).",
                    location.as_ref().map(|l| format!(" (it went to {l})")).unwrap_or_default()
                ),
                corsgate: None,
                npm_cors: None,
                tower_http: None,
                nginx: Some("# answer OPTIONS before the redirect, e.g.\nif ($request_method = OPTIONS) { return 204; }  # with the CORS headers\n# or request the final URL from the page\n".to_owned()),
            };
        }
        FixCause::NeedsValidAllowMethods { sent } => format!(
            "Send Access-Control-Allow-Methods as a comma-separated list of method names (it was '{sent}')."
        ),
        FixCause::NeedsValidAllowHeaders { sent } => format!(
            "Send Access-Control-Allow-Headers as a comma-separated list of header names (it was '{sent}')."
        ),
        FixCause::NeedsAllowMethod { method, credentials } => {
            needs.method = method.clone();
            format!(
                "List {method} in Access-Control-Allow-Methods{}.",
                if *credentials { " by name (with credentials, * is not a wildcard)" } else { "" }
            )
        }
        FixCause::NeedsAllowHeaders { names, credentials } => {
            for n in names {
                if !needs.headers.contains(n) {
                    needs.headers.push(n.clone());
                }
            }
            format!(
                "List {} in Access-Control-Allow-Headers{}.",
                names.join(", "),
                if *credentials { " by name (with credentials, * is not a wildcard)" } else { "" }
            )
        }
        FixCause::NeedsRedirectWithoutCredentials
        | FixCause::NeedsHttpRedirect { .. }
        | FixCause::NeedsFewerRedirects
        | FixCause::NeedsCorsMode => {
            let summary = match cause {
                FixCause::NeedsRedirectWithoutCredentials => "Redirect to a URL without user:password@ in it.".to_owned(),
                FixCause::NeedsHttpRedirect { location } => format!("Redirect only to http: or https: URLs (not '{location}')."),
                _ => "Stop the redirect loop: a request may be redirected at most 20 times.".to_owned(),
            };
            return Fix {
                cause: name,
                side: "server".to_owned(),
                summary,
                corsgate: None,
                npm_cors: None,
                tower_http: None,
                nginx: None,
            };
        }
    };
    let policy = desired(current, &needs);
    let summary = summary + &additions(current, &policy);
    Fix {
        cause: name,
        side: "server".to_owned(),
        summary,
        corsgate: Some(corsgate_toml(&policy)),
        npm_cors: Some(npm_cors(&policy)),
        tower_http: Some(tower_http(&policy)),
        nginx: Some(nginx(&policy)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs() -> Needs {
        Needs {
            origin: "http://127.0.0.1:5500".into(),
            method: "PUT".into(),
            headers: vec!["content-type".into()],
            credentials: false,
        }
    }

    #[test]
    fn method_fix_keeps_what_the_server_allows() {
        let current = ServerPolicy {
            origins: vec!["http://127.0.0.1:5500".into()],
            methods: vec!["GET".into(), "POST".into()],
            ..ServerPolicy::default()
        };
        let f = fix(
            &FixCause::NeedsAllowMethod {
                method: "PUT".into(),
                credentials: false,
            },
            &current,
            &needs(),
        );
        let toml = f.corsgate.unwrap();
        assert!(
            toml.contains("allow_methods = [\"GET\", \"POST\", \"PUT\"]\n"),
            "{toml}"
        );
        assert!(
            toml.contains("allow_headers = [\"content-type\"]\n"),
            "{toml}"
        );
        let rust = f.tower_http.unwrap();
        assert!(
            rust.contains(".allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])"),
            "{rust}"
        );
        let ngx = f.nginx.unwrap();
        assert!(
            ngx.contains(
                "add_header Access-Control-Allow-Methods \"GET, HEAD, POST, PUT\" always;"
            ),
            "{ngx}"
        );
        assert!(f
            .npm_cors
            .unwrap()
            .contains("methods: [\"GET\", \"HEAD\", \"POST\", \"PUT\"],"));
    }

    #[test]
    fn credentials_replace_wildcards() {
        let current = ServerPolicy {
            origins: vec!["*".into()],
            headers: vec!["*".into()],
            ..ServerPolicy::default()
        };
        let mut n = needs();
        n.credentials = true;
        let p = desired(&current, &n);
        assert_eq!(p.origins, ["http://127.0.0.1:5500"]);
        assert_eq!(p.headers, ["content-type"]);
        assert!(p.credentials);
    }

    #[test]
    fn patterns_become_regexes() {
        assert_eq!(
            pattern_regex("https://*.example.com").unwrap(),
            "^https:\\/\\/([a-z0-9-]+\\.)+example\\.com$"
        );
        assert_eq!(
            pattern_regex("http://localhost:*").unwrap(),
            "^http:\\/\\/localhost(:[0-9]+)?$"
        );
        assert_eq!(pattern_regex("http://a.com"), None);
    }

    #[test]
    fn client_side_cause_has_no_server_snippets() {
        let f = fix(&FixCause::NeedsCorsMode, &ServerPolicy::default(), &needs());
        assert_eq!(f.side, "page");
        assert!(f.corsgate.is_none());
    }
}
