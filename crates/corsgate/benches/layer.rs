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

use std::hint::black_box;

use axum::body::Body;
use axum::Router;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use http::Response;
use tower::ServiceExt;

// Shared with the decision benchmark and the load-test server; not every piece is used here.
#[allow(dead_code)]
mod common;
use common::cases::{
    check_response, request, Kind, LAYER_CASES_1000_ORIGINS, LAYER_CASES_1_ORIGIN,
};
use common::{app, corsgate_app, tower_large_hashset, tower_large_linear, tower_small};

/// Sends one request outside the timing and checks what came back.
fn check(rt: &tokio::runtime::Runtime, app: &Router, kind: Kind, name: &str, layered: bool) {
    let response: Response<Body> = rt
        .block_on(app.clone().oneshot(request(kind)))
        .expect("infallible");
    check_response(&response, kind, layered, name);
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
        ("corsgate", corsgate_app(false)),
        ("tower-http", tower_small()),
    ];
    run_group(c, &rt, "layer/1-origin", &small, &LAYER_CASES_1_ORIGIN);

    let large = [
        ("none", app()),
        ("corsgate", corsgate_app(true)),
        ("tower-http-linear", tower_large_linear()),
        ("tower-http-hashset", tower_large_hashset()),
    ];
    run_group(
        c,
        &rt,
        "layer/1000-origins",
        &large,
        &LAYER_CASES_1000_ORIGINS,
    );
}

criterion_group! {
    name = benches;
    config = common::short();
    targets = layers
}
criterion_main!(benches);
