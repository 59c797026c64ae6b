//! The requests that show an exported config equivalent to the library, for one policy:
//! browser-shaped calls from allowed and refused origins, simple and preflighted, with
//! credentials, odd headers and error statuses from the upstream, plus raw requests a page
//! cannot make (Private Network Access, odd spellings). Pure data.

use corsgate::Cors;

use crate::plan::sample_origin;

/// Paths whose answers the test upstream scripts (`corsgate export --check` sends them to
/// any upstream: whatever it answers, the edge and the reference see the same).
pub mod paths {
    /// 200 with a body and an `X-Total` header.
    pub const OK: &str = "/data";
    /// The upstream answers with this status (`/status/404`, `/status/500`...).
    pub const STATUS: &str = "/status/";
    /// The upstream sends CORS headers of its own (`*`, credentials, methods) and `Vary`.
    pub const OWN_CORS: &str = "/own-cors";
    /// The upstream sends `Vary: Origin` itself.
    pub const VARY_ORIGIN: &str = "/vary-origin";
}

/// A call a page's script makes: `fetch(url, {method, headers, credentials, body})`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageCall {
    /// What it shows, for reports.
    pub name: String,
    /// The path (and query) on the server.
    pub path: String,
    /// The page's origin.
    pub origin: String,
    /// The method, as the script writes it.
    pub method: String,
    /// Headers the script sets.
    pub headers: Vec<(String, String)>,
    /// `credentials: "include"`.
    pub credentials: bool,
    /// A text body.
    pub body: Option<String>,
}

/// A request sent as it stands (no browser would send some of these).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    /// What it shows, for reports.
    pub name: String,
    /// The path.
    pub path: String,
    /// The method.
    pub method: String,
    /// Every header, in order.
    pub headers: Vec<(String, String)>,
}

/// Every request for one policy.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Browser-shaped calls (checked as Chrome, Firefox and WebKit would make them).
    pub page: Vec<PageCall>,
    /// Raw requests.
    pub raw: Vec<RawRequest>,
}

impl Corpus {
    /// How many requests in all.
    pub fn len(&self) -> usize {
        self.page.len() + self.raw.len()
    }

    /// No requests at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Origins the policy allows (one or two per entry), then origins it refuses (look-alikes
/// of each entry: other scheme, port, suffix, prefix, the apex of a wildcard).
pub fn origins(cors: &Cors) -> (Vec<String>, Vec<String>) {
    let config = cors.config();
    let mut allowed = Vec::new();
    let mut refused = Vec::new();
    let push = |list: &mut Vec<String>, o: String| {
        if !list.contains(&o) {
            list.push(o);
        }
    };
    for entry in &config.allow_origins {
        if entry == "*" {
            push(&mut allowed, "https://app.example.com".to_owned());
            push(&mut allowed, "http://localhost:8080".to_owned());
            push(&mut allowed, "null".to_owned());
            continue;
        }
        let sample = sample_origin(entry);
        let (scheme, rest) = sample.split_once("://").unwrap_or(("https", &sample));
        let other = if scheme == "https" { "http" } else { "https" };
        push(&mut allowed, sample.clone());
        push(&mut refused, format!("{other}://{rest}"));
        let (host, port) = split_port(rest);
        if entry.contains("://*.") {
            let base = host.strip_prefix("a.").unwrap_or(host);
            let port_suffix = port.map(|p| format!(":{p}")).unwrap_or_default();
            push(&mut allowed, format!("{scheme}://x.y.{base}{port_suffix}"));
            push(&mut refused, format!("{scheme}://{base}{port_suffix}"));
            push(&mut refused, format!("{scheme}://evil{base}{port_suffix}"));
            push(
                &mut refused,
                format!("{scheme}://a.{base}.evil.net{port_suffix}"),
            );
        } else if host.ends_with(|c: char| c.is_ascii_digit()) || host.ends_with(']') {
            // An IP address: look-alikes that are still addresses.
            let other = if host.ends_with(']') {
                "[::2]".to_owned()
            } else {
                format!("{host}0")
            };
            push(&mut refused, format!("{scheme}://{other}"));
        } else {
            push(&mut refused, format!("{scheme}://{host}.evil.net"));
            push(&mut refused, format!("{scheme}://evil{host}"));
        }
        if entry.ends_with(":*") {
            push(&mut allowed, format!("{scheme}://{host}:5173"));
            push(&mut refused, format!("{scheme}://{host}x:5173"));
        } else if port.is_none() {
            push(&mut refused, format!("{scheme}://{host}:8443"));
        } else {
            push(&mut refused, format!("{scheme}://{host}"));
        }
    }
    refused.retain(|o| !allowed.contains(o));
    refused.retain(|o| !allows(cors, o));
    if refused.is_empty() && !allowed.iter().any(|o| o == "https://app.example.com") {
        refused.push("https://evil.example".to_owned());
    }
    (allowed, refused)
}

/// `host[:port]` into the host and the port, if any (IPv6 hosts in brackets).
fn split_port(authority: &str) -> (&str, Option<&str>) {
    let port_start = if authority.starts_with('[') {
        authority.find("]:").map(|i| i + 1)
    } else {
        authority.rfind(':')
    };
    match port_start {
        Some(i) => (&authority[..i], Some(&authority[i + 1..])),
        None => (authority, None),
    }
}

/// Whether the library allows `origin` (look-alikes that a broad pattern covers are dropped
/// from the refused list).
fn allows(cors: &Cors, origin: &str) -> bool {
    let Ok(request) = http::Request::get("/").header("origin", origin).body(()) else {
        return false;
    };
    let (parts, ()) = request.into_parts();
    matches!(
        cors.decide(&parts).outcome(),
        corsgate::Outcome::Actual {
            origin_allowed: true
        }
    )
}

fn call(name: &str, path: &str, origin: &str, method: &str) -> PageCall {
    PageCall {
        name: name.to_owned(),
        path: path.to_owned(),
        origin: origin.to_owned(),
        method: method.to_owned(),
        headers: Vec::new(),
        credentials: false,
        body: None,
    }
}

impl PageCall {
    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn credentials(mut self) -> Self {
        self.credentials = true;
        self
    }

    fn body(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }
}

/// Every call made from `origin`; `full` adds the odd ones.
fn calls(origin: &str, listed_header: &str, listed_method: &str, full: bool) -> Vec<PageCall> {
    let ok = paths::OK;
    let mut c = vec![
        call("simple GET", ok, origin, "GET"),
        call("GET with credentials", ok, origin, "GET").credentials(),
        call("preflighted method", ok, origin, listed_method).body("{}"),
        call("preflighted header", ok, origin, "GET").header(listed_header, "1"),
        call("500 from the upstream", "/status/500", origin, "GET"),
    ];
    if !full {
        return c;
    }
    c.extend([
        call("simple POST", ok, origin, "POST").body("text"),
        call("DELETE", ok, origin, "DELETE"),
        call("lower-case patch", ok, origin, "patch").body("{}"),
        call("PATCH", ok, origin, "PATCH").body("{}"),
        call("JSON POST", ok, origin, "POST")
            .header("Content-Type", "application/json")
            .body("{}"),
        call("unlisted header", ok, origin, "GET").header("X-Unlisted-Header", "1"),
        call("two headers", ok, origin, "GET")
            .header(listed_header, "1")
            .header("X-Unlisted-Header", "1"),
        call("Authorization", ok, origin, "GET").header("Authorization", "Bearer t"),
        call("preflight with credentials", ok, origin, listed_method)
            .credentials()
            .header(listed_header, "1"),
        call("404 from the upstream", "/status/404", origin, "GET"),
        call(
            "503 from the upstream, credentials",
            "/status/503",
            origin,
            "GET",
        )
        .credentials(),
        call("preflighted 500", "/status/500", origin, listed_method).body("{}"),
        call(
            "upstream's own CORS headers",
            paths::OWN_CORS,
            origin,
            "GET",
        ),
        call(
            "upstream's own CORS headers, credentials",
            paths::OWN_CORS,
            origin,
            "GET",
        )
        .credentials(),
        call("upstream's Vary: Origin", paths::VARY_ORIGIN, origin, "GET"),
    ]);
    c
}

fn raw(name: &str, method: &str, headers: &[(&str, &str)]) -> RawRequest {
    RawRequest {
        name: name.to_owned(),
        path: paths::OK.to_owned(),
        method: method.to_owned(),
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// The corpus for `cors`.
pub fn corpus(cors: &Cors) -> Corpus {
    let config = cors.config();
    let listed_header = config
        .allow_headers
        .iter()
        .find(|h| *h != "*")
        .cloned()
        .unwrap_or_else(|| "X-Custom".to_owned());
    let listed_method = config
        .allow_methods
        .iter()
        .find(|m| !matches!(m.as_str(), "*" | "GET" | "HEAD" | "POST"))
        .cloned()
        .unwrap_or_else(|| "PUT".to_owned());
    let (allowed, refused) = origins(cors);
    let mut page = Vec::new();
    for (i, o) in allowed.iter().enumerate() {
        page.extend(calls(
            o,
            &listed_header,
            &listed_method,
            i == 0 || (i == 1 && refused.is_empty()),
        ));
    }
    for (i, o) in refused.iter().enumerate() {
        page.extend(calls(o, &listed_header, &listed_method, i == 0));
    }
    let a = allowed.first().cloned().unwrap_or_default();
    let r = refused
        .first()
        .cloned()
        .unwrap_or_else(|| "https://evil.example".to_owned());
    let lh = listed_header.to_ascii_lowercase();
    let spaced = format!(" {lh} ,  content-type ");
    let empty_elements = format!(",{lh},,");
    let preflight = |name: &str, origin: &str, extra: &[(&str, &str)]| {
        let mut h = vec![("Origin", origin), ("Access-Control-Request-Method", "GET")];
        h.extend_from_slice(extra);
        raw(name, "OPTIONS", &h)
    };
    let raw = vec![
        preflight(
            "private network preflight",
            &a,
            &[("Access-Control-Request-Private-Network", "true")],
        ),
        preflight(
            "private network, refused origin",
            &r,
            &[("Access-Control-Request-Private-Network", "true")],
        ),
        preflight(
            "private network asked with TRUE",
            &a,
            &[("Access-Control-Request-Private-Network", "TRUE")],
        ),
        preflight(
            "header list with spaces",
            &a,
            &[("Access-Control-Request-Headers", &spaced)],
        ),
        preflight(
            "header list with empty elements",
            &a,
            &[("Access-Control-Request-Headers", &empty_elements)],
        ),
        preflight(
            "malformed header list",
            &a,
            &[("Access-Control-Request-Headers", "x custom")],
        ),
        preflight(
            "authorization in the list",
            &a,
            &[("Access-Control-Request-Headers", "authorization,x-custom")],
        ),
        raw(
            "preflight asking for lower-case put",
            "OPTIONS",
            &[("Origin", &a), ("Access-Control-Request-Method", "put")],
        ),
        raw(
            "preflight asking for a malformed method",
            "OPTIONS",
            &[("Origin", &a), ("Access-Control-Request-Method", "GE(T")],
        ),
        raw(
            "OPTIONS without Origin",
            "OPTIONS",
            &[("Access-Control-Request-Method", "GET")],
        ),
        raw(
            "OPTIONS without Access-Control-Request-Method",
            "OPTIONS",
            &[("Origin", &a)],
        ),
        raw("GET without Origin", "GET", &[]),
        raw("Origin: null", "GET", &[("Origin", "null")]),
        raw(
            "origin in upper case",
            "GET",
            &[("Origin", &a.to_ascii_uppercase())],
        ),
        raw("refused origin, GET", "GET", &[("Origin", &r)]),
    ];
    Corpus { page, raw }
}
