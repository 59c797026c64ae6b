//! Property tests: over random configs and requests, (1) no response ever carries an invalid
//! combination of CORS headers, and (2) every decision agrees with a small reference model
//! written the obvious way (string comparisons, no indexes, no pre-rendering).

use corsgate::{Config, Outcome, Policy, Rejection};
use http::header::{HeaderMap, HeaderValue};
use http::{Method, Request, StatusCode};
use proptest::prelude::*;

use crate::util::CorsHeaders;

const CFG_ORIGINS: &[&str] = &[
    "https://a.example",
    "https://b.example",
    "http://localhost:*",
    "https://*.example.com",
    "http://127.0.0.1:5500",
    "*",
];
/// Serialized origins, as browsers send them.
const VALID_ORIGINS: &[&str] = &[
    "https://a.example",
    "https://b.example",
    "http://localhost",
    "http://localhost:3000",
    "https://x.example.com",
    "https://y.x.example.com",
    "https://example.com",
    "http://127.0.0.1:5500",
    "http://localhost:5500",
];
/// `Origin` values that are not serialized origins: refused unless the policy is `*`.
const INVALID_ORIGINS: &[&str] = &[
    "null",
    "https://A.example",
    "https://a.example/",
    // Not valid origins, though a pattern's shape matches them.
    "https://X.example.com",
    "https://x.example.com:443",
    "https://x.example.com/",
    "https://-.example.com:08",
    "http://localhost:03000",
    "http://localhost:",
    "https://a..example.com",
];

/// Every `Origin` value a request may carry: valid and not.
fn req_origins() -> Vec<&'static str> {
    VALID_ORIGINS
        .iter()
        .chain(INVALID_ORIGINS)
        .copied()
        .collect()
}
const CFG_METHODS: &[&str] = &["GET", "PUT", "PATCH", "patch", "delete", "POST", "*"];
const REQ_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "patch", "DELETE", "PURGE"];
const CFG_HEADERS: &[&str] = &["x-a", "X-B", "content-type", "authorization", "*"];
const REQ_HEADERS: &[&str] = &["x-a", "x-b", "content-type", "authorization", "x-c"];
const CFG_EXPOSE: &[&str] = &["x-total", "*"];

fn subset(vocab: &'static [&'static str]) -> impl Strategy<Value = Vec<String>> {
    proptest::sample::subsequence(vocab, 0..=vocab.len())
        .prop_map(|v| v.into_iter().map(String::from).collect())
}

fn config() -> impl Strategy<Value = Config> {
    (
        subset(CFG_ORIGINS),
        subset(CFG_METHODS),
        subset(CFG_HEADERS),
        subset(CFG_EXPOSE),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(None), Just(Some(-1)), Just(Some(600))],
    )
        .prop_map(|(o, m, h, e, cred, debug, pna, max_age)| Config {
            allow_origins: o,
            allow_methods: m,
            allow_headers: h,
            expose_headers: e,
            allow_credentials: cred,
            debug,
            allow_private_network: pna,
            max_age,
            ..Config::default()
        })
}

#[derive(Clone, Debug)]
struct Req {
    method: &'static str,
    origin: Option<&'static str>,
    acrm: Option<&'static str>,
    acrh: Option<Vec<String>>,
    pna: bool,
}

fn request() -> impl Strategy<Value = Req> {
    (
        prop::sample::select(&["GET", "POST", "OPTIONS", "PUT"][..]),
        prop::option::weighted(0.9, prop::sample::select(req_origins())),
        prop::option::weighted(0.7, prop::sample::select(REQ_METHODS)),
        prop::option::of(subset(REQ_HEADERS)),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(method, origin, acrm, acrh, pna)| Req {
            method,
            origin,
            acrm,
            acrh,
            pna,
        })
}

fn parts(r: &Req) -> http::request::Parts {
    let mut b = Request::builder().method(r.method).uri("/x");
    if let Some(o) = r.origin {
        b = b.header("origin", o);
    }
    if let Some(m) = r.acrm {
        b = b.header("access-control-request-method", m);
    }
    if let Some(h) = &r.acrh {
        b = b.header("access-control-request-headers", h.join(","));
    }
    if r.pna {
        b = b.header("access-control-request-private-network", "true");
    }
    b.body(()).unwrap().into_parts().0
}

// ---- the reference model -----------------------------------------------------------------

fn model_valid(c: &Config) -> bool {
    let star_origin = c.allow_origins.iter().any(|o| o == "*");
    let star_expose = c.expose_headers.iter().any(|o| o == "*");
    !c.allow_origins.is_empty() && !(c.allow_credentials && (star_origin || star_expose))
}

fn model_origin_allowed(c: &Config, origin: &str) -> bool {
    if c.allow_origins.iter().any(|p| p == "*") {
        // `*`: the same answer whatever the Origin header says.
        return true;
    }
    let valid = !INVALID_ORIGINS.contains(&origin);
    valid
        && c.allow_origins.iter().any(|p| match p.as_str() {
            "*" => true,
            "http://localhost:*" => {
                origin == "http://localhost" || origin.starts_with("http://localhost:")
            }
            "https://*.example.com" => {
                origin.starts_with("https://")
                    && origin.ends_with(".example.com")
                    && origin.len() > "https://".len() + ".example.com".len()
            }
            exact => exact == origin,
        })
}

fn model_method_allowed(c: &Config, m: &str) -> bool {
    let normalise = |s: &str| match s.to_ascii_uppercase().as_str() {
        "DELETE" | "GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" => s.to_ascii_uppercase(),
        _ => s.to_string(),
    };
    ["GET", "HEAD", "POST"].contains(&m)
        || c.allow_methods
            .iter()
            .any(|x| x == "*" || normalise(x) == m)
}

fn model_headers_allowed(c: &Config, names: &[String]) -> bool {
    names.iter().all(|n| {
        c.allow_headers
            .iter()
            .any(|x| x == "*" || x.eq_ignore_ascii_case(n))
    })
}

fn model(c: &Config, r: &Req) -> (Outcome, Option<StatusCode>) {
    let Some(origin) = r.origin else {
        return (Outcome::NotCors, None);
    };
    let allowed = model_origin_allowed(c, origin);
    if r.method != "OPTIONS" || r.acrm.is_none() {
        return (
            Outcome::Actual {
                origin_allowed: allowed,
            },
            None,
        );
    }
    let fail = |why: Rejection| {
        let status = if c.debug && why != Rejection::OriginNotAllowed {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::FORBIDDEN
        };
        (Outcome::PreflightFail(why), Some(status))
    };
    if !allowed {
        return fail(Rejection::OriginNotAllowed);
    }
    if !model_method_allowed(c, r.acrm.unwrap()) {
        return fail(Rejection::MethodNotAllowed);
    }
    if !model_headers_allowed(c, r.acrh.as_deref().unwrap_or(&[])) {
        return fail(Rejection::HeaderNotAllowed);
    }
    if r.pna && !c.allow_private_network {
        return fail(Rejection::PrivateNetworkNotAllowed);
    }
    (Outcome::PreflightPass, Some(StatusCode::NO_CONTENT))
}

// ---- header invariants --------------------------------------------------------------------

fn values<'a>(m: &'a HeaderMap, name: &str) -> Vec<&'a str> {
    m.get_all(name)
        .iter()
        .map(|v: &HeaderValue| v.to_str().unwrap())
        .collect()
}

fn check_invariants(c: &Config, r: &Req, h: &HeaderMap) -> Result<(), TestCaseError> {
    let acao = values(h, "access-control-allow-origin");
    let acac = values(h, "access-control-allow-credentials");
    prop_assert!(acao.len() <= 1, "several ACAO lines");
    prop_assert!(acac.len() <= 1, "several ACAC lines");
    if let Some(v) = acao.first() {
        // Either `*` or exactly the request's own (validated, allowed) origin.
        prop_assert!(
            *v == "*" || Some(*v) == r.origin,
            "ACAO {v:?} for {:?}",
            r.origin
        );
        if *v != "*" {
            prop_assert!(
                model_origin_allowed(c, v),
                "reflected an origin that is not allowed"
            );
            prop_assert!(
                !c.allow_origins.iter().any(|o| o == "*"),
                "reflected under *"
            );
        }
        if *v == "*" {
            prop_assert!(acac.is_empty(), "ACAO * with ACAC");
        }
    } else {
        prop_assert!(acac.is_empty(), "ACAC without ACAO");
        prop_assert!(values(h, "access-control-expose-headers").is_empty() || r.origin.is_none());
    }
    if let Some(v) = acac.first() {
        prop_assert_eq!(*v, "true");
        for name in [
            "access-control-expose-headers",
            "access-control-allow-methods",
            "access-control-allow-headers",
        ] {
            for v in values(h, name) {
                prop_assert!(
                    v.split(',').all(|t| t.trim() != "*"),
                    "{} contains * with credentials",
                    name
                );
            }
        }
    }
    let vary: Vec<&str> = values(h, "vary")
        .into_iter()
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut dedup = vary.clone();
    dedup.sort();
    dedup.dedup();
    prop_assert_eq!(dedup.len(), vary.len(), "duplicated Vary names");
    let star_only = c.allow_origins.iter().any(|o| o == "*");
    prop_assert_eq!(
        vary.contains(&"origin"),
        !star_only,
        "Vary: origin iff the answer depends on the origin"
    );
    Ok(())
}

/// `apply_to` writes into an empty map (a preflight's answer), next to the inner service's
/// own headers, or over stale CORS lines and a `Vary` of its own; each way must give the
/// same CORS lines, keep the other headers and merge `Vary`.
fn same_lines_whatever_the_map_had(
    cors: &CorsHeaders,
    on_empty: &HeaderMap,
) -> Result<(), TestCaseError> {
    use http::header::{
        ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_ORIGIN,
        ACCESS_CONTROL_EXPOSE_HEADERS, CONTENT_TYPE, VARY,
    };
    fn cors_lines(m: &HeaderMap) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = m
            .iter()
            .filter(|(n, _)| n.as_str().starts_with("access-control-"))
            .map(|(n, v)| (n.to_string(), v.as_bytes().to_vec()))
            .collect();
        v.sort();
        v
    }
    fn vary(m: &HeaderMap) -> Vec<&[u8]> {
        m.get_all(VARY).iter().map(|v| v.as_bytes()).collect()
    }
    let json = HeaderValue::from_static("application/json");

    let mut beside = HeaderMap::new();
    beside.insert(CONTENT_TYPE, json.clone());
    cors.apply_to(&mut beside);
    prop_assert_eq!(cors_lines(&beside), cors_lines(on_empty));
    prop_assert_eq!(vary(&beside), vary(on_empty));
    prop_assert_eq!(beside.get(CONTENT_TYPE), Some(&json));

    let mut stale = HeaderMap::new();
    stale.insert(CONTENT_TYPE, json.clone());
    stale.insert(
        ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("https://stale.example"),
    );
    stale.insert(
        ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("false"),
    );
    stale.insert(
        ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-stale"),
    );
    stale.insert(VARY, HeaderValue::from_static("accept-encoding"));
    cors.apply_to(&mut stale);
    prop_assert_eq!(cors_lines(&stale), cors_lines(on_empty));
    let mut expected_vary = vec![&b"accept-encoding"[..]];
    expected_vary.extend(vary(on_empty));
    prop_assert_eq!(vary(&stale), expected_vary);
    prop_assert_eq!(stale.get(CONTENT_TYPE), Some(&json));
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn decisions_agree_with_the_model_and_headers_are_always_valid(c in config(), r in request()) {
        let built = Policy::new(c.clone());
        prop_assert_eq!(built.is_ok(), model_valid(&c), "validity of {:?}", c);
        let Ok(policy) = built else { return Ok(()) };
        let p = parts(&r);
        let d = policy.decide(&p);
        let (outcome, status) = model(&c, &r);
        prop_assert_eq!(d.outcome(), outcome, "{:?} {:?}", c, r);
        prop_assert_eq!(d.respond(), status);
        let mut h = HeaderMap::new();
        d.headers().apply_to(&mut h);
        check_invariants(&c, &r, &h)?;
        same_lines_whatever_the_map_had(d.headers(), &h)?;
        if matches!(outcome, Outcome::PreflightFail(_)) && status == Some(StatusCode::FORBIDDEN) {
            prop_assert_eq!(h.len(), 1, "a 403 preflight carries only Vary: {:?}", h);
        }
        if p.method == Method::OPTIONS && outcome == Outcome::PreflightPass {
            prop_assert!(h.contains_key("access-control-allow-origin"));
        }
    }
}

// ---- the two cores agree ------------------------------------------------------------------

/// A preflight as a browser sends it: a serialized origin, a normalised method, and the
/// requested names lower-cased, sorted and without duplicates, on one line.
#[derive(Clone, Debug)]
struct BrowserPreflight {
    origin: &'static str,
    method: &'static str,
    names: Vec<String>,
    include_credentials: bool,
}

fn browser_preflight() -> impl Strategy<Value = BrowserPreflight> {
    // Browsers send `null` too (sandboxed documents, some redirects).
    let sent: Vec<&'static str> = VALID_ORIGINS.iter().copied().chain(["null"]).collect();
    (
        prop::sample::select(sent),
        prop::sample::select(REQ_METHODS),
        subset(REQ_HEADERS),
        any::<bool>(),
    )
        .prop_map(|(origin, method, mut names, include_credentials)| {
            names.sort();
            BrowserPreflight {
                origin,
                method,
                names,
                include_credentials,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    /// What the policy core decides for a browser's preflight is what the browser core
    /// (Chrome's checks) concludes from the answer: a pass passes, and every refusal, the
    /// 403 and debug mode's explained 204 alike, fails in the browser. The one difference is
    /// the credentials mode, which a preflight does not carry: a credentialed request fails
    /// in the browser unless the policy allows credentials.
    #[test]
    fn browsers_agree_with_every_preflight_decision(c in config(), b in browser_preflight()) {
        use corsgate_browser::preflight::{check_preflight_response, preflight_headers};
        use corsgate_browser::{Engine, ResponseInfo};

        let Ok(policy) = Policy::new(c.clone()) else { return Ok(()) };
        let acrh = (!b.names.is_empty()).then(|| b.names.join(","));
        let mut req = Request::options("/x").body(()).unwrap();
        *req.headers_mut() = preflight_headers(b.method, acrh.as_deref(), b.origin);
        let (p, ()) = req.into_parts();
        let d = policy.decide(&p);
        prop_assert!(
            matches!(d.outcome(), Outcome::PreflightPass | Outcome::PreflightFail(_)),
            "{:?}", d.outcome()
        );
        let Some(status) = d.respond() else {
            return Err(TestCaseError::fail("a preflight is answered by the layer"));
        };
        let mut resp = ResponseInfo::new(status);
        d.headers().apply_to(&mut resp.headers);
        let browser = check_preflight_response(
            &resp,
            b.origin,
            b.include_credentials,
            b.method,
            &b.names,
            Engine::Chrome,
        );
        let expected = d.outcome() == Outcome::PreflightPass
            && (!b.include_credentials || c.allow_credentials);
        prop_assert_eq!(
            browser.is_ok(),
            expected,
            "policy {:?} / browser {:?}\nconfig {:?}\nrequest {:?}\nanswer {} {:?}",
            d.outcome(), browser.as_ref().err(), c, b, status, resp.headers
        );
        // Chrome still lets `*` cover Authorization, with a deprecation warning; the spec
        // and Firefox do not. A pass must never lean on it.
        if let Ok(pass) = &browser {
            prop_assert!(!pass.authorization_covered_by_wildcard, "{:?} {:?}", c, b);
        }
    }
}
