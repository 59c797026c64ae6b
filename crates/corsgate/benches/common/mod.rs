//! The benchmark world, one copy for every benchmark and the load-test server
//! (`benches/decision.rs`, `benches/layer.rs` and `examples/bench_server.rs` include it):
//! the origins, the policy, the tutorial's app, and tower-http configured as close to the
//! policy as it allows.
//!
//! - `1-origin`: `https://site1.example.org`.
//! - `1000-origins`: 1,000 exact origins `https://site{0..999}.example.org` plus 100
//!   subdomain patterns `https://*.tenant{0..99}.example.net`. tower-http takes a single
//!   `AllowOrigin`, a list *or* a predicate, so the wildcards force a predicate: `linear`
//!   scans the 1,000 values as `AllowOrigin::list` does inside, `hashset` probes a set first.
//!
//! Both allow GET and PUT, three request headers, credentials and a max age of 600 s.

pub mod cases;

use std::collections::HashSet;
use std::time::Duration;

use axum::routing::get;
use axum::{Json, Router};
use http::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use http::Method;
use serde::Serialize;
use tower_http::cors::{AllowOrigin, CorsLayer as TowerCors};

/// An allowed origin, the only one of the 1-origin policy.
pub const EXACT_SMALL: &str = "https://site1.example.org";
/// An exact entry in the middle of the 1,000.
pub const EXACT_LARGE: &str = "https://site500.example.org";
/// Matches `https://*.tenant42.example.net` (1,000-origin policy only).
pub const WILDCARD: &str = "https://app.tenant42.example.net";
/// Allowed by neither policy.
pub const EVIL: &str = "https://evil.example.com";

/// The policy's request headers.
pub const HEADERS: [&str; 3] = ["content-type", "authorization", "x-requested-with"];

/// The 1,000 exact origins.
pub fn many_exact() -> Vec<String> {
    (0..1000)
        .map(|i| format!("https://site{i}.example.org"))
        .collect()
}

/// `.tenant{i}.example.net`: the part after the `*` of each subdomain pattern.
pub fn wildcard_suffixes() -> Vec<String> {
    (0..100)
        .map(|i| format!(".tenant{i}.example.net"))
        .collect()
}

/// `allow_origins` of the 1-origin (`many = false`) or the 1,000-origin policy.
pub fn origins(many: bool) -> Vec<String> {
    if !many {
        return vec![EXACT_SMALL.to_owned()];
    }
    let mut list = many_exact();
    list.extend(wildcard_suffixes().iter().map(|s| format!("https://*{s}")));
    list
}

/// The policy, with these origins and request headers.
pub fn config(origins: Vec<String>, headers: &[&str]) -> corsgate::Config {
    corsgate::Config::new()
        .allow_origins(origins)
        .allow_methods(["GET", "PUT"])
        .allow_headers(headers.iter().copied())
        .allow_credentials(true)
        .max_age(600)
}

#[derive(Serialize)]
struct Country {
    name: &'static str,
    description: &'static str,
}

async fn data() -> Json<Country> {
    Json(Country {
        name: "Bangladesh",
        description: "Land of emotions",
    })
}

/// The tutorial's app: `GET`/`PUT /data` answering its JSON. No CORS layer.
pub fn app() -> Router {
    Router::new().route("/data", get(data).put(data))
}

/// The validated policy, with the 1-origin (`many = false`) or the 1,000-origin origins and
/// these request headers.
pub fn policy(many: bool, headers: &[&str]) -> corsgate::Policy {
    match corsgate::Policy::new(config(origins(many), headers)) {
        Ok(p) => p,
        Err(e) => panic!("benchmark policy does not validate: {e}"),
    }
}

/// corsgate's layer with the policy.
pub fn corsgate_layer(many: bool) -> corsgate::CorsLayer {
    corsgate::Cors::from_policy(policy(many, &HEADERS)).layer()
}

/// The app under corsgate's layer with the policy, added with `Router::layer`.
pub fn corsgate_app(many: bool) -> Router {
    app().layer(corsgate_layer(many))
}

/// The app wrapped whole in corsgate's layer (`CorsLayer::layer(router)`): no per-route
/// boxing by axum.
pub fn corsgate_around(many: bool) -> corsgate::CorsService<Router> {
    tower_layer::Layer::layer(&corsgate_layer(many), app())
}

/// The app wrapped whole in tower-http's layer, configured as close to the policy as it
/// allows (1,000 origins: the `HashSet` predicate).
pub fn tower_around(many: bool) -> tower_http::cors::Cors<Router> {
    let layer = if many {
        tower_http(large_hashset_predicate())
    } else {
        tower_http(small_list())
    };
    tower_layer::Layer::layer(&layer, app())
}

fn tower_http(origin: AllowOrigin) -> TowerCors {
    TowerCors::new()
        .allow_origin(origin)
        .allow_methods([Method::GET, Method::PUT])
        .allow_headers([
            CONTENT_TYPE,
            AUTHORIZATION,
            HeaderName::from_static("x-requested-with"),
        ])
        .allow_credentials(true)
        .max_age(Duration::from_secs(600))
}

/// `https://<one or more labels><suffix>` with nothing after the host: what a tower-http user
/// would write for `https://*.tenant{i}.example.net`.
fn matches_suffix(origin: &[u8], suffixes: &[String]) -> bool {
    let Some(rest) = origin.strip_prefix(b"https://") else {
        return false;
    };
    suffixes.iter().any(|s| {
        rest.len() > s.len()
            && rest.ends_with(s.as_bytes())
            && !rest[..rest.len() - s.len()].contains(&b':')
    })
}

fn exact_values<C: FromIterator<HeaderValue>>() -> C {
    many_exact()
        .into_iter()
        .map(|o| HeaderValue::try_from(o).expect("valid origin"))
        .collect()
}

/// The app under tower-http with the 1-origin policy (`AllowOrigin::list`).
pub fn tower_small() -> Router {
    app().layer(tower_http(small_list()))
}

fn small_list() -> AllowOrigin {
    AllowOrigin::list([HeaderValue::from_static(EXACT_SMALL)])
}

/// The 1,000-origin policy as a predicate scanning the exact values in a list.
pub fn tower_large_linear() -> Router {
    let exact: Vec<HeaderValue> = exact_values();
    let suffixes = wildcard_suffixes();
    let pred = AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        exact.contains(origin) || matches_suffix(origin.as_bytes(), &suffixes)
    });
    app().layer(tower_http(pred))
}

/// The 1,000-origin policy as a predicate probing a `HashSet` of the exact values.
pub fn tower_large_hashset() -> Router {
    app().layer(tower_http(large_hashset_predicate()))
}

fn large_hashset_predicate() -> AllowOrigin {
    let exact: HashSet<HeaderValue> = exact_values();
    let suffixes = wildcard_suffixes();
    AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        exact.contains(origin) || matches_suffix(origin.as_bytes(), &suffixes)
    })
}

/// The other headers a browser sends with a cross-origin `fetch()` from the demo's page
/// (Chrome's set, in its order; `preflight`: those of the `OPTIONS` request), so that the
/// benchmarked requests are as large as real ones: a decision that scanned the request's
/// headers would pay for each of them.
pub fn browser_headers(preflight: bool) -> Vec<(&'static str, &'static str)> {
    let mut h = vec![("host", "api.example.org"), ("connection", "keep-alive")];
    if !preflight {
        h.extend([
            ("sec-ch-ua-platform", "\"Linux\""),
            (
                "sec-ch-ua",
                "\"Chromium\";v=\"156\", \"Not-A.Brand\";v=\"24\"",
            ),
            ("sec-ch-ua-mobile", "?0"),
        ]);
    }
    h.extend([
        ("accept", "*/*"),
        (
            "user-agent",
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
        ),
        ("sec-fetch-mode", "cors"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-dest", "empty"),
        ("referer", "https://site1.example.org/"),
        ("accept-encoding", "gzip, deflate, br, zstd"),
        ("accept-language", "en-US,en;q=0.9"),
    ]);
    h
}

/// Criterion settings for these microbenchmarks: short runs, many of them.
pub fn short() -> criterion::Criterion {
    criterion::Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(50)
        .noise_threshold(0.03)
}
