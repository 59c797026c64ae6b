//! The same axum app under corsgate's layer, under tower-http's `CorsLayer`, and with no
//! CORS layer, side by side, in process (no network).
//!
//! ```text
//! cargo bench -p corsgate --bench layer
//! ```
//!
//! The app is the tutorial's: `GET`/`PUT /data` answering
//! `{"name":"Bangladesh","description":"Land of emotions"}`. Each iteration sends one
//! request (built in the untimed setup) through a clone of the service with
//! `tower::ServiceExt::oneshot` on a current-thread tokio runtime, and drops the response
//! outside the timing.
//!
//! Configurations, as close as the two libraries allow:
//! - `1-origin`: `https://site1.example.org`; tower-http: `AllowOrigin::list([that])`.
//! - `1000-origins`: 1,000 exact origins plus 100 `https://*.tenant{i}.example.net`
//!   patterns. tower-http takes a single `AllowOrigin`, a list *or* a predicate, so the
//!   wildcards force a predicate. Two are measured: `tower-http-linear` does what
//!   `AllowOrigin::list` does inside (a linear scan of the 1,000 values) and then tests the
//!   100 suffixes; `tower-http-hashset` probes a `HashSet` first.
//!
//! Both allow GET and PUT, the same three request headers, credentials, max age 600.
//! Differences that remain: tower-http answers every `OPTIONS` as a preflight and checks
//! neither the requested method nor the requested headers (the browser does), and sends
//! `Vary: origin, access-control-request-method, access-control-request-headers` on every
//! response; corsgate checks them and sends `Vary: Origin` on actual responses.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use axum::body::Body;
use axum::routing::get;
use axum::{Json, Router};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use http::header::{
    HeaderName, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD,
    AUTHORIZATION, CONTENT_TYPE, ORIGIN,
};
use http::{Method, Request, Response, StatusCode};
use serde::Serialize;
use tower::ServiceExt;
use tower_http::cors::{AllowOrigin, CorsLayer as TowerCors};

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

fn app() -> Router {
    Router::new().route("/data", get(data).put(data))
}

const EXACT_SMALL: &str = "https://site1.example.org";
const EXACT_LARGE: &str = "https://site500.example.org";
const WILDCARD: &str = "https://app.tenant42.example.net";
const EVIL: &str = "https://evil.example.com";
const X_REQUESTED_WITH: HeaderName = HeaderName::from_static("x-requested-with");

fn many_exact() -> Vec<String> {
    (0..1000)
        .map(|i| format!("https://site{i}.example.org"))
        .collect()
}

/// `.tenant{i}.example.net`: the part after the `*` of each subdomain pattern.
fn wildcard_suffixes() -> Vec<String> {
    (0..100)
        .map(|i| format!(".tenant{i}.example.net"))
        .collect()
}

fn corsgate_app(origins: Vec<String>) -> Router {
    let cors = corsgate::Config::new()
        .allow_origins(origins)
        .allow_methods(["GET", "PUT"])
        .allow_headers(["content-type", "authorization", "x-requested-with"])
        .allow_credentials(true)
        .max_age(600)
        .build();
    match cors {
        Ok(cors) => app().layer(cors.layer()),
        Err(e) => panic!("benchmark policy does not validate: {e}"),
    }
}

fn tower_http(origin: AllowOrigin) -> TowerCors {
    TowerCors::new()
        .allow_origin(origin)
        .allow_methods([Method::GET, Method::PUT])
        .allow_headers([CONTENT_TYPE, AUTHORIZATION, X_REQUESTED_WITH])
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

fn tower_small() -> Router {
    let list = AllowOrigin::list([HeaderValue::from_static(EXACT_SMALL)]);
    app().layer(tower_http(list))
}

fn tower_large_linear() -> Router {
    let exact: Vec<HeaderValue> = many_exact()
        .into_iter()
        .map(|o| HeaderValue::try_from(o).expect("valid origin"))
        .collect();
    let suffixes = wildcard_suffixes();
    let pred = AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        exact.contains(origin) || matches_suffix(origin.as_bytes(), &suffixes)
    });
    app().layer(tower_http(pred))
}

fn tower_large_hashset() -> Router {
    let exact: HashSet<HeaderValue> = many_exact()
        .into_iter()
        .map(|o| HeaderValue::try_from(o).expect("valid origin"))
        .collect();
    let suffixes = wildcard_suffixes();
    let pred = AllowOrigin::predicate(move |origin: &HeaderValue, _| {
        exact.contains(origin) || matches_suffix(origin.as_bytes(), &suffixes)
    });
    app().layer(tower_http(pred))
}

#[derive(Clone, Copy)]
enum Kind {
    NoOrigin,
    Actual(&'static str),
    Preflight(&'static str),
}

fn request(kind: Kind) -> Request<Body> {
    let b = Request::builder().uri("/data");
    let b = match kind {
        Kind::NoOrigin => b.method(Method::GET),
        Kind::Actual(origin) => b.method(Method::GET).header(ORIGIN, origin),
        Kind::Preflight(origin) => b
            .method(Method::OPTIONS)
            .header(ORIGIN, origin)
            .header(ACCESS_CONTROL_REQUEST_METHOD, "PUT")
            .header(
                ACCESS_CONTROL_REQUEST_HEADERS,
                "content-type,x-requested-with",
            ),
    };
    b.body(Body::empty()).expect("valid request")
}

/// Sends one request outside the timing and checks what came back, so that a
/// misconfigured variant cannot win by doing less.
fn check(rt: &tokio::runtime::Runtime, app: &Router, kind: Kind, name: &str, layered: bool) {
    let response: Response<Body> = rt
        .block_on(app.clone().oneshot(request(kind)))
        .expect("infallible");
    let acao = response
        .headers()
        .get(http::header::ACCESS_CONTROL_ALLOW_ORIGIN);
    match kind {
        Kind::NoOrigin => {
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            assert!(acao.is_none(), "{name}");
        }
        Kind::Actual(origin) => {
            assert_eq!(response.status(), StatusCode::OK, "{name}");
            let want = (layered && origin != EVIL).then_some(origin);
            assert_eq!(acao.map(|v| v.to_str().unwrap()), want, "{name}");
        }
        Kind::Preflight(origin) => {
            if layered {
                assert!(response.status().is_success(), "{name}");
                assert_eq!(acao.map(|v| v.to_str().unwrap()), Some(origin), "{name}");
            } else {
                assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{name}");
            }
        }
    }
}

fn run_group(
    c: &mut Criterion,
    rt: &tokio::runtime::Runtime,
    group: &str,
    variants: &[(&str, Router)],
    cases: &[(&str, Kind)],
) {
    let mut g = c.benchmark_group(group);
    for (case, kind) in cases {
        for (variant, app) in variants {
            let name = format!("{variant}/{case}");
            check(rt, app, *kind, &name, *variant != "none");
            let kind = *kind;
            g.bench_function(&name, |b| {
                b.to_async(rt).iter_batched(
                    || request(kind),
                    |req| {
                        let svc = app.clone();
                        async move { black_box(svc.oneshot(req).await) }
                    },
                    BatchSize::SmallInput,
                )
            });
        }
    }
    g.finish();
}

fn layers(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");

    let small = [
        ("none", app()),
        ("corsgate", corsgate_app(vec![EXACT_SMALL.to_owned()])),
        ("tower-http", tower_small()),
    ];
    run_group(
        c,
        &rt,
        "layer/1-origin",
        &small,
        &[
            ("no-origin", Kind::NoOrigin),
            ("actual-allowed", Kind::Actual(EXACT_SMALL)),
            ("actual-disallowed", Kind::Actual(EVIL)),
            ("preflight-allowed", Kind::Preflight(EXACT_SMALL)),
        ],
    );

    let mut origins = many_exact();
    origins.extend(wildcard_suffixes().iter().map(|s| format!("https://*{s}")));
    let large = [
        ("none", app()),
        ("corsgate", corsgate_app(origins)),
        ("tower-http-linear", tower_large_linear()),
        ("tower-http-hashset", tower_large_hashset()),
    ];
    run_group(
        c,
        &rt,
        "layer/1000-origins",
        &large,
        &[
            ("actual-allowed-exact", Kind::Actual(EXACT_LARGE)),
            ("actual-allowed-wildcard", Kind::Actual(WILDCARD)),
            ("actual-disallowed", Kind::Actual(EVIL)),
            ("preflight-allowed-exact", Kind::Preflight(EXACT_LARGE)),
        ],
    );
}

fn short() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(50)
        .noise_threshold(0.03)
}

criterion_group! {
    name = benches;
    config = short();
    targets = layers
}
criterion_main!(benches);
