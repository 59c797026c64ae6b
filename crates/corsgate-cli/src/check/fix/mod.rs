//! The fix model: from the core's [`FixCause`], the whole policy the request needs.

pub mod corsgate_toml;
pub mod nginx;
pub mod npm_cors;
pub mod tower_http;

use corsgate::{Config, Cors, ErrorKind, Field};
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
    /// corsgate's `dangerously_allow_insecure_origins` (plain-`http` origins with credentials).
    pub insecure_origins: bool,
    /// corsgate's `dangerously_allow_public_suffix_wildcards`.
    pub public_suffix_wildcards: bool,
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
    /// The page's own origin is the opaque `null` (a sandboxed iframe, a file, a `data:`
    /// URL), rather than a redirect having made it `null`.
    pub opaque_page: bool,
}

/// The core's cause, by name (the `cause` field: `needs_allow_method`, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // one per [`FixCause`] variant, documented there
pub enum Cause {
    NeedsAllowOrigin,
    NeedsSingleAllowOrigin,
    NeedsValidAllowOrigin,
    NeedsMatchingAllowOrigin,
    NeedsExactOriginForCredentials,
    NeedsAllowCredentials,
    NeedsOkPreflightStatus,
    NeedsPreflightWithoutRedirect,
    NeedsValidAllowMethods,
    NeedsValidAllowHeaders,
    NeedsAllowMethod,
    NeedsAllowHeaders,
    NeedsRedirectWithoutCredentials,
    NeedsHttpRedirect,
    NeedsFewerRedirects,
    NeedsCorsMode,
    /// Not a CORS cause: the response's body was cut short (the browser's read of it fails).
    NeedsCompleteBody,
}

impl From<&FixCause> for Cause {
    fn from(cause: &FixCause) -> Self {
        match cause {
            FixCause::NeedsAllowOrigin { .. } => Cause::NeedsAllowOrigin,
            FixCause::NeedsSingleAllowOrigin { .. } => Cause::NeedsSingleAllowOrigin,
            FixCause::NeedsValidAllowOrigin { .. } => Cause::NeedsValidAllowOrigin,
            FixCause::NeedsMatchingAllowOrigin { .. } => Cause::NeedsMatchingAllowOrigin,
            FixCause::NeedsExactOriginForCredentials { .. } => {
                Cause::NeedsExactOriginForCredentials
            }
            FixCause::NeedsAllowCredentials { .. } => Cause::NeedsAllowCredentials,
            FixCause::NeedsOkPreflightStatus { .. } => Cause::NeedsOkPreflightStatus,
            FixCause::NeedsPreflightWithoutRedirect { .. } => Cause::NeedsPreflightWithoutRedirect,
            FixCause::NeedsValidAllowMethods { .. } => Cause::NeedsValidAllowMethods,
            FixCause::NeedsValidAllowHeaders { .. } => Cause::NeedsValidAllowHeaders,
            FixCause::NeedsAllowMethod { .. } => Cause::NeedsAllowMethod,
            FixCause::NeedsAllowHeaders { .. } => Cause::NeedsAllowHeaders,
            FixCause::NeedsRedirectWithoutCredentials => Cause::NeedsRedirectWithoutCredentials,
            FixCause::NeedsHttpRedirect { .. } => Cause::NeedsHttpRedirect,
            FixCause::NeedsFewerRedirects => Cause::NeedsFewerRedirects,
            FixCause::NeedsCorsMode => Cause::NeedsCorsMode,
        }
    }
}

/// Where the change goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The server's CORS policy (or its redirects).
    Server,
    /// The page's code (a client-side cause).
    Page,
}

/// The fix for one blocked request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// The core's cause.
    pub cause: Cause,
    /// The server, or the page (client-side causes: change the page's code instead).
    pub side: Side,
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

impl Fix {
    /// A fix that is no policy change: words only (and, where it helps, an nginx snippet).
    fn words(cause: Cause, side: Side, summary: String, nginx: Option<String>) -> Fix {
        Fix {
            cause,
            side,
            summary,
            corsgate: None,
            npm_cors: None,
            tower_http: None,
            nginx,
        }
    }
}

/// The fix for a response whose body ended before it should have: no CORS change, the
/// server must send the whole body.
pub fn complete_body() -> Fix {
    Fix::words(
        Cause::NeedsCompleteBody,
        Side::Server,
        "Send the whole body: the response stopped before its end. Often the application \
         failed or timed out mid-response, or a proxy or compression changed the body without \
         fixing Content-Length. CORS is not the problem here."
            .to_owned(),
        None,
    )
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
    if !corsgate_fetch::is_safelisted_method(needs.method.as_bytes())
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

/// `["a", "b"]`: a TOML or JavaScript list of strings.
fn quoted_list(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", inner.join(", "))
}

/// GET, HEAD and POST, then the other methods of `methods` in order: the methods list of a
/// stack whose list replaces the safelisted ones.
fn with_safelisted_methods(methods: &[String]) -> Vec<String> {
    let mut all = vec!["GET".to_owned(), "HEAD".to_owned(), "POST".to_owned()];
    for m in methods {
        if !all.contains(m) {
            all.push(m.clone());
        }
    }
    all
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
///
/// A policy change is a complete policy for the request — what the server already allows
/// plus everything this request needs (its origin, method, unsafe headers and credentials),
/// so applying it does not just move the error to the next check — in each stack's words.
pub fn fix(cause: &FixCause, current: &ServerPolicy, needs: &Needs) -> Fix {
    let name = Cause::from(cause);
    let mut needs = needs.clone();
    let summary = match cause {
        FixCause::NeedsCorsMode => {
            return Fix::words(
                name,
                Side::Page,
                "Change the page, not the server: a request with mode \"same-origin\" can \
                 never reach another origin. Drop `mode: \"same-origin\"` (the default \
                 mode is \"cors\") and give the server a CORS policy for the page's origin."
                    .to_owned(),
                None,
            );
        }
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
            return Fix::words(
                name,
                Side::Server,
                format!(
                    "Do not redirect the preflight{}: answer OPTIONS at the URL the page requests, or make the page request the final URL (usually http→https or a trailing slash).",
                    location.as_ref().map(|l| format!(" (it went to {l})")).unwrap_or_default()
                ),
                Some("# answer OPTIONS before the redirect, e.g.\nif ($request_method = OPTIONS) { return 204; }  # with the CORS headers\n# or request the final URL from the page\n".to_owned()),
            );
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
        FixCause::NeedsRedirectWithoutCredentials => {
            let summary = "Redirect to a URL without user:password@ in it.".to_owned();
            return Fix::words(name, Side::Server, summary, None);
        }
        FixCause::NeedsHttpRedirect { location } => {
            let summary = format!("Redirect only to http: or https: URLs (not '{location}').");
            return Fix::words(name, Side::Server, summary, None);
        }
        FixCause::NeedsFewerRedirects => {
            let summary =
                "Stop the redirect loop: a request may be redirected at most 20 times.".to_owned();
            return Fix::words(name, Side::Server, summary, None);
        }
    };
    let policy = desired(current, &needs);
    if policy.origins.iter().any(|o| o == "null") {
        // No stack can allow `null` safely: say what to do instead, in no stack's settings.
        let side = if needs.opaque_page {
            Side::Page
        } else {
            Side::Server
        };
        return Fix::words(name, side, null_origin(&needs, policy.credentials), None);
    }
    let (policy, left_out) = valid(policy);
    let summary = summary + &additions(current, &policy) + &left_out;
    Fix {
        cause: name,
        side: Side::Server,
        summary,
        corsgate: Some(corsgate_toml::render(&policy)),
        npm_cors: Some(npm_cors::render(&policy)),
        tower_http: Some(tower_http::render(&policy)),
        nginx: Some(nginx::render(&policy)),
    }
}

/// What to do when the origin the browser sends is `null`, which no policy can allow
/// safely.
fn null_origin(needs: &Needs, credentials: bool) -> String {
    let why = "No server can allow it safely: every sandboxed iframe, file and data: URL, on \
               any site, sends Origin: null, so allowing null allows them all";
    let star = if credentials {
        ""
    } else {
        " (For public data without credentials, allowing * also works.)"
    };
    let none = " Do not make corsgate, the npm cors package, tower-http or nginx allow null \
                (corsgate refuses to).";
    if needs.opaque_page {
        format!(
            "The page's origin is null (a sandboxed iframe, a file: page or a data: URL). \
             {why}. Serve the page from a real origin (during development e.g. \
             http://localhost:8000) and allow that origin instead.{star}{none}"
        )
    } else {
        format!(
            "The browser sent Origin: null because a redirect went to another origin. {why}. \
             Avoid the cross-origin redirect: have the page request the final URL, or redirect \
             within one origin.{star}{none}"
        )
    }
}

/// `policy` made a valid corsgate policy (the other stacks get the same): entries the
/// library refuses — taken from what a server answered, e.g. `TRACE` in its allowed methods
/// or a forbidden header name — are left out and named; a plain-`http` origin with
/// credentials, or a `*.` pattern under a public suffix kept from the policy file, gets its
/// `dangerously_*` switch (with a warning where it is rendered).
pub(crate) fn valid(mut policy: ServerPolicy) -> (ServerPolicy, String) {
    let mut left_out = Vec::new();
    // Each round removes or switches what the library named; two are enough.
    for _ in 0..3 {
        let Err(errors) = Cors::new(config_of(&policy)) else {
            break;
        };
        let mut drop: Vec<(Field, usize)> = Vec::new();
        for e in errors.iter() {
            match (e.kind(), e.index()) {
                (ErrorKind::InsecureOriginWithCredentials, _) => policy.insecure_origins = true,
                (ErrorKind::PublicSuffixWildcardWithCredentials, _) => {
                    policy.public_suffix_wildcards = true;
                }
                (ErrorKind::MaxAgeOutOfRange, _) => {
                    left_out.push(format!("max_age {} ({})", e.value(), e.message()));
                    policy.max_age = None;
                }
                (_, Some(i)) => {
                    left_out.push(format!(
                        "{}[{i}] {:?} ({})",
                        e.field(),
                        e.value(),
                        e.message()
                    ));
                    drop.push((e.field(), i));
                }
                _ => {}
            }
        }
        drop.sort_by_key(|(_, i)| std::cmp::Reverse(*i));
        for (field, i) in drop {
            let list = match field {
                Field::AllowOrigins => &mut policy.origins,
                Field::AllowMethods => &mut policy.methods,
                Field::AllowHeaders => &mut policy.headers,
                Field::ExposeHeaders => &mut policy.expose,
                _ => continue,
            };
            if i < list.len() {
                list.remove(i);
            }
        }
    }
    let text = if left_out.is_empty() {
        String::new()
    } else {
        format!(
            " Left out of the policies below, though the server allows it now: {}.",
            left_out.join("; ")
        )
    };
    (policy, text)
}

/// The corsgate [`Config`] for `policy`.
fn config_of(p: &ServerPolicy) -> Config {
    Config {
        allow_origins: p.origins.clone(),
        allow_methods: p.methods.clone(),
        allow_headers: p.headers.clone(),
        expose_headers: p.expose.clone(),
        allow_credentials: p.credentials,
        max_age: p.max_age,
        dangerously_allow_insecure_origins: p.insecure_origins,
        dangerously_allow_public_suffix_wildcards: p.public_suffix_wildcards,
        ..Config::default()
    }
}

#[cfg(test)]
mod tests;
