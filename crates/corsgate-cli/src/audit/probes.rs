//! The probe list for a target (pure): which forged and trusted origins, and the one request each probe sends.

use corsgate_browser::{
    plan, preflight_headers, CorsRequest, Engine, OutgoingRequest, Purpose, WebOrigin,
};
use http::{HeaderValue, Method};
use serde::Serialize;

use super::flags::{host_of, Target};

/// The forged origin no server should trust: a name under `.example`, which never resolves.
pub const ANY_ORIGIN: &str = "https://corsgate-attacker.example";
/// The attacker's domain the prefix and special-character probes end in.
pub const ATTACKER_DOMAIN: &str = "corsgate-attacker.example";
/// The characters after the host that some origin regexes (and some browsers) let through.
///
/// Not `*`: Chrome escapes it in a host (a page at `https://a.example*.b.example` is at
/// `https://a.example%2A.b.example`, and sends that `Origin`), where the WHATWG URL parser,
/// which the browser core follows, keeps it; so no page sends an `Origin` with a `*`
/// (shown by real Chromium in tests/audit_real/chromium.rs).
pub const SPECIAL_CHARS: [&str; 13] = [
    "_", "`", "!", "$", "&", "'", "(", "+", ",", ";", "=", "~", "%60",
];
/// Shared hosting where anyone can publish a page (or a pen, or a fiddle): a policy trusting
/// them trusts everyone.
pub const THIRD_PARTY_ORIGINS: [&str; 6] = [
    "https://corsgate-attacker.github.io",
    "https://codepen.io",
    "https://cdpn.io",
    "https://jsfiddle.net",
    "https://corsgate-attacker.netlify.app",
    "https://corsgate-attacker.vercel.app",
];
/// The header the stand-in preflight asks for when the pages' call needs none.
pub const STAND_IN_HEADER: &str = "x-corsgate-audit";

/// What a probe's origin stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An unrelated origin (`https://corsgate-attacker.example`).
    AnyOrigin,
    /// `null` (sandboxed iframes, `data:` and `file:` pages).
    Null,
    /// The base host followed by the attacker's domain (`https://app.example.com.corsgate-attacker.example`).
    Prefix,
    /// The base site with a prefix glued on (`https://attackerexample.com`).
    Suffix,
    /// The base host with its first dot replaced by a letter (`https://appxexample.com`).
    UnescapedDot,
    /// A subdomain of the base site nobody listed (`https://corsgate-attacker.example.com`).
    Subdomain,
    /// The base origin over plain `http` (HTTPS targets only).
    InsecureScheme,
    /// The base host, a special character, then the attacker's domain.
    SpecialChar,
    /// A shared hosting origin (github.io, codepen.io, ...).
    ThirdParty,
    /// An origin given with `--origin`.
    Trusted,
}

/// What the probe's one request is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Call {
    /// The request a page's `fetch(url)` sends: `GET`, no page headers.
    Simple,
    /// The preflight of the pages' call (`-X`/`-H`); for the any-origin probe when the call
    /// needs none, a stand-in (`PUT` with `x-corsgate-audit`). Its actual request is never
    /// sent: the simple probe's answer from the same origin stands for it.
    Preflight,
    /// A preflight asking for `GET` only, to read the headers a trusted origin's preflight
    /// gets (`Access-Control-Max-Age`); never judged as a call.
    GetPreflight,
    /// A Private Network Access preflight (`Access-Control-Request-Private-Network: true`).
    PrivateNetwork,
}

/// One probe: a page at `origin` and the one request it makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// What the origin stands for.
    pub kind: Kind,
    /// The origin, serialised as the browser sends it.
    pub origin: String,
    /// Which request.
    pub call: Call,
    /// The page's method for a preflighted call (`GET` otherwise).
    pub method: String,
    /// The page's headers for a preflighted call (none otherwise).
    pub headers: Vec<(String, String)>,
    /// The request, exactly as sent.
    pub request: OutgoingRequest,
}

/// Every probe for `target`, in the order they are sent: the count is fixed by the target.
///
/// Forged origins are built from the base origin (the first trusted origin, else the URL's
/// own); each origin, forged or trusted, gets a simple request, and a preflight when the
/// pages' call needs one. The any-origin probe always gets a preflight (a stand-in when the
/// call needs none), each trusted origin a `GET` preflight when the call needs none, and one
/// Private Network Access preflight comes last.
pub fn probes(target: &Target) -> Vec<Probe> {
    let base = target
        .trusted
        .first()
        .cloned()
        .unwrap_or_else(|| target.origin.clone());
    let mut origins: Vec<(Kind, String)> = Vec::new();
    let mut add = |kind: Kind, origin: Option<String>| {
        let Some(o) = origin.and_then(|o| serialize(&o)) else {
            return;
        };
        let taken = o == target.origin
            || origins.iter().any(|(_, x)| *x == o)
            || (kind != Kind::Trusted && target.trusted.contains(&o));
        if !taken {
            origins.push((kind, o));
        }
    };
    for t in &target.trusted {
        add(Kind::Trusted, Some(t.clone()));
    }
    add(Kind::AnyOrigin, Some(ANY_ORIGIN.to_owned()));
    add(Kind::Null, Some("null".to_owned()));
    let (scheme, host) = (scheme_of(&base), host_of(&base));
    let port = port_of(&base);
    add(
        Kind::Prefix,
        Some(format!("{scheme}://{host}.{ATTACKER_DOMAIN}")),
    );
    if is_domain(&host) {
        let site = site_of(&host);
        add(
            Kind::Suffix,
            Some(format!("{scheme}://attacker{site}{port}")),
        );
        if let Some((first, rest)) = host.split_once('.') {
            add(
                Kind::UnescapedDot,
                Some(format!("{scheme}://{first}x{rest}{port}")),
            );
        }
        for o in THIRD_PARTY_ORIGINS {
            add(Kind::ThirdParty, Some(o.to_owned()));
        }
        add(
            Kind::Subdomain,
            Some(format!("{scheme}://corsgate-attacker.{site}{port}")),
        );
    } else {
        for o in THIRD_PARTY_ORIGINS {
            add(Kind::ThirdParty, Some(o.to_owned()));
        }
    }
    if target.https && scheme == "https" {
        add(Kind::InsecureScheme, Some(format!("http://{}", &base[8..])));
    }
    for c in SPECIAL_CHARS {
        add(
            Kind::SpecialChar,
            Some(format!("{scheme}://{host}{c}.{ATTACKER_DOMAIN}")),
        );
    }

    let mut list = Vec::new();
    for (kind, origin) in &origins {
        if let Some(p) = simple(target, *kind, origin) {
            list.push(p);
        }
    }
    for (kind, origin) in &origins {
        let probe = if target.preflight {
            preflighted(target, *kind, origin, &target.method, &target.headers)
        } else {
            match kind {
                Kind::AnyOrigin => {
                    let stand_in = [(STAND_IN_HEADER.to_owned(), "1".to_owned())];
                    preflighted(target, *kind, origin, "PUT", &stand_in)
                }
                Kind::Trusted => Some(manual_preflight(target, *kind, origin, Call::GetPreflight)),
                _ => None,
            }
        };
        list.extend(probe);
    }
    list.push(manual_preflight(
        target,
        Kind::AnyOrigin,
        ANY_ORIGIN,
        Call::PrivateNetwork,
    ));
    list
}

/// The origin as the browser serialises it; `None` when the browser would not take it as a
/// page's origin.
fn serialize(origin: &str) -> Option<String> {
    if origin == "null" {
        return Some("null".to_owned());
    }
    match WebOrigin::parse(origin).ok()? {
        WebOrigin::Opaque => None,
        o => {
            let s = o.serialize();
            (s != "null").then_some(s)
        }
    }
}

fn scheme_of(origin: &str) -> &str {
    origin.split_once("://").map_or("https", |(s, _)| s)
}

/// `:8443`, or "" for a default port.
fn port_of(origin: &str) -> String {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let after_host = match rest.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map_or("", |(_, p)| p),
        None => rest.find(':').map_or("", |i| &rest[i..]),
    };
    after_host.to_owned()
}

/// A DNS name with a dot (not an IP address, not `localhost`).
fn is_domain(host: &str) -> bool {
    host.contains('.')
        && !host.contains(':')
        && !host
            .rsplit('.')
            .next()
            .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()))
}

/// The last two labels of a host (`api.example.com` → `example.com`): the site, without a
/// public suffix list.
pub fn site_of(host: &str) -> String {
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() <= 2 {
        return host.to_owned();
    }
    labels[labels.len() - 2..].join(".")
}

/// The request of `fetch(url)` from a page at `origin`.
fn simple(target: &Target, kind: Kind, origin: &str) -> Option<Probe> {
    let plan = plan(&CorsRequest::fetch(&target.url, origin), Engine::Chrome).ok()?;
    Some(Probe {
        kind,
        origin: origin.to_owned(),
        call: Call::Simple,
        method: "GET".to_owned(),
        headers: Vec::new(),
        request: plan.actual,
    })
}

/// The preflight of `fetch(url, {method, headers})` from a page at `origin`.
fn preflighted(
    target: &Target,
    kind: Kind,
    origin: &str,
    method: &str,
    headers: &[(String, String)],
) -> Option<Probe> {
    let mut req = CorsRequest::fetch(&target.url, origin).method(method);
    for (n, v) in headers {
        req = req.header(n.clone(), v.clone());
    }
    let plan = plan(&req, Engine::Chrome).ok()?;
    Some(Probe {
        kind,
        origin: origin.to_owned(),
        call: Call::Preflight,
        method: plan.request.method.clone(),
        headers: headers.to_vec(),
        request: plan.preflight?,
    })
}

/// A preflight asking for `GET` (with the Private Network Access header for
/// [`Call::PrivateNetwork`]), as Chrome words a Private Network Access preflight.
fn manual_preflight(target: &Target, kind: Kind, origin: &str, call: Call) -> Probe {
    let mut headers = preflight_headers("GET", None, origin);
    if call == Call::PrivateNetwork {
        headers.insert(
            "access-control-request-private-network",
            HeaderValue::from_static("true"),
        );
    }
    Probe {
        kind,
        origin: origin.to_owned(),
        call,
        method: "GET".to_owned(),
        headers: Vec::new(),
        request: OutgoingRequest {
            purpose: Purpose::Preflight,
            method: Method::OPTIONS,
            url: target.url.clone(),
            headers,
            send_credentials: false,
            has_body: false,
            follow_redirects: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str, trusted: &[&str], method: &str, headers: &[(&str, &str)]) -> Target {
        let trusted: Vec<String> = trusted.iter().map(|s| (*s).to_owned()).collect();
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        Target::new(url, &trusted, method, &headers).unwrap()
    }

    fn origins(list: &[Probe], kind: Kind) -> Vec<String> {
        list.iter()
            .filter(|p| p.kind == kind && p.call == Call::Simple)
            .map(|p| p.origin.clone())
            .collect()
    }

    #[test]
    fn forged_origins_come_from_the_first_trusted_origin() {
        let t = target(
            "https://api.example.com/data",
            &["https://app.example.com"],
            "GET",
            &[],
        );
        let list = probes(&t);
        assert_eq!(origins(&list, Kind::Trusted), ["https://app.example.com"]);
        assert_eq!(origins(&list, Kind::AnyOrigin), [ANY_ORIGIN]);
        assert_eq!(origins(&list, Kind::Null), ["null"]);
        assert_eq!(
            origins(&list, Kind::Prefix),
            ["https://app.example.com.corsgate-attacker.example"]
        );
        assert_eq!(
            origins(&list, Kind::Suffix),
            ["https://attackerexample.com"]
        );
        assert_eq!(
            origins(&list, Kind::UnescapedDot),
            ["https://appxexample.com"]
        );
        assert_eq!(
            origins(&list, Kind::Subdomain),
            ["https://corsgate-attacker.example.com"]
        );
        assert_eq!(
            origins(&list, Kind::InsecureScheme),
            ["http://app.example.com"]
        );
        assert_eq!(origins(&list, Kind::ThirdParty).len(), 6);
        let special = origins(&list, Kind::SpecialChar);
        assert!(special.len() >= 10, "{special:?}");
        assert!(special.contains(&"https://app.example.com_.corsgate-attacker.example".to_owned()));
        // Each request exactly as Chrome sends it; no bodies, no credentials.
        for p in &list {
            assert!(!p.request.has_body && !p.request.send_credentials);
            assert_eq!(p.request.url, "https://api.example.com/data");
            let origin = p.request.headers["origin"].to_str().unwrap();
            assert_eq!(origin, p.origin);
        }
        // No -X/-H: a stand-in preflight from any origin, a GET preflight per trusted
        // origin, the Private Network Access preflight.
        let preflights: Vec<(Kind, Call)> = list
            .iter()
            .filter(|p| p.call != Call::Simple)
            .map(|p| (p.kind, p.call))
            .collect();
        assert_eq!(
            preflights,
            [
                (Kind::Trusted, Call::GetPreflight),
                (Kind::AnyOrigin, Call::Preflight),
                (Kind::AnyOrigin, Call::PrivateNetwork),
            ]
        );
    }

    #[test]
    fn a_preflighted_call_is_probed_from_every_origin() {
        let t = target(
            "http://127.0.0.1:3000/data",
            &[],
            "DELETE",
            &[("Authorization", "Bearer x")],
        );
        let list = probes(&t);
        let simple = list.iter().filter(|p| p.call == Call::Simple).count();
        let pre = list.iter().filter(|p| p.call == Call::Preflight).count();
        assert_eq!(simple, pre);
        assert_eq!(list.len(), simple * 2 + 1);
        // An IP address has no site: no suffix, dot or subdomain probes, no http twin.
        assert!(origins(&list, Kind::Suffix).is_empty());
        assert!(origins(&list, Kind::UnescapedDot).is_empty());
        assert!(origins(&list, Kind::Subdomain).is_empty());
        assert!(origins(&list, Kind::InsecureScheme).is_empty());
        let p = list.iter().find(|p| p.call == Call::Preflight).unwrap();
        assert_eq!(p.request.method, Method::OPTIONS);
        assert_eq!(p.request.headers["access-control-request-method"], "DELETE");
        assert_eq!(
            p.request.headers["access-control-request-headers"],
            "authorization"
        );
        let last = list.last().unwrap();
        assert_eq!(last.call, Call::PrivateNetwork);
        assert_eq!(
            last.request.headers["access-control-request-private-network"],
            "true"
        );
    }

    #[test]
    fn the_count_is_fixed_and_origins_unique() {
        let t = target("https://example.com/", &["https://example.com"], "GET", &[]);
        let a = probes(&t);
        let b = probes(&t);
        assert_eq!(a, b);
        // The URL's own origin is same-origin (no CORS): never a forged origin.
        let mut seen = std::collections::HashSet::new();
        for p in a.iter().filter(|p| p.call == Call::Simple) {
            assert!(seen.insert(p.origin.clone()), "{}", p.origin);
        }
        assert!(!seen.contains("https://example.com"));
    }

    #[test]
    fn no_probe_origin_holds_a_star_which_chrome_never_sends() {
        let t = target(
            "https://api.example.com/data",
            &["https://app.example.com"],
            "GET",
            &[],
        );
        let list = probes(&t);
        assert!(!list.iter().any(|p| p.origin.contains('*')));
        assert!(!SPECIAL_CHARS.contains(&"*"));
    }

    #[test]
    fn sites_and_ports() {
        assert_eq!(site_of("a.b.example.com"), "example.com");
        assert_eq!(site_of("example.com"), "example.com");
        assert_eq!(port_of("http://localhost:3000"), ":3000");
        assert_eq!(port_of("http://[::1]:3000"), ":3000");
        assert_eq!(port_of("https://a.example"), "");
        assert!(is_domain("a.example"));
        assert!(!is_domain("127.0.0.1"));
        assert!(!is_domain("localhost"));
    }
}
