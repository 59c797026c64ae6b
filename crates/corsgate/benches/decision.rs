//! The core's hot path: how long `Policy::decide` takes for one request.
//!
//! Every request's `Parts` is built once, before timing; the timed loop decides it (and
//! drops the `Decision`), or decides it and writes the headers into a `HeaderMap` reserved
//! beforehand (cleared each iteration, capacity kept).
//!
//! ```text
//! cargo bench -p corsgate --bench decision
//! cargo bench -p corsgate --bench decision -- 'decide/1000-origins'   # one group
//! ```
//!
//! Two policies:
//! - `1-origin`: `https://site1.example.org`;
//! - `1000-origins`: 1,000 exact origins `https://site{0..999}.example.org` plus 100
//!   subdomain patterns `https://*.tenant{0..99}.example.net`.
//!
//! Both allow GET and PUT, three request headers, credentials and a max age.
//! `hostile-acrh`: a 64 KiB `Access-Control-Request-Headers` (a valid list of names) sent
//! with an allowed origin and method, against the explicit header list and against `*`
//! (both refused by its length, unread); and against `*`, lists of exactly the bound the
//! parser reads (`MAX_REQUEST_HEADERS_LEN`, 8 KiB: read in full, the worst case) and one
//! byte more.

use std::hint::black_box;

use corsgate::{Config, Decision, Outcome, Policy, Rejection};
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use http::header::{
    HeaderMap, HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use http::request::Parts;
use http::{Method, Request};

// Shared with the layer benchmark and the load-test server; not every piece is used here.
#[allow(dead_code)]
mod common;
use common::{browser_headers, config, origins, EVIL, EXACT_LARGE, EXACT_SMALL, HEADERS, WILDCARD};

fn policy(config: Config) -> Policy {
    match Policy::new(config) {
        Ok(p) => p,
        Err(e) => panic!("benchmark policy does not validate: {e}"),
    }
}

/// A request as a server would hand it over: the CORS headers given, among the others a
/// browser sends. Header values are built from owned bytes, so cloning one is a
/// reference-count increment, as with values hyper parsed.
fn parts(method: Method, headers: &[(http::HeaderName, &str)]) -> Parts {
    let mut b = Request::builder().method(method.clone()).uri("/data");
    let others = browser_headers(method == Method::OPTIONS);
    let others = others
        .iter()
        .map(|(n, v)| (http::HeaderName::from_static(n), *v));
    for (name, value) in headers.iter().cloned().chain(others) {
        let v = HeaderValue::from_maybe_shared(bytes::Bytes::from(value.as_bytes().to_vec()))
            .expect("valid header value");
        b = b.header(name, v);
    }
    b.body(()).expect("valid request").into_parts().0
}

fn actual(origin: &str) -> Parts {
    parts(Method::GET, &[(ORIGIN, origin)])
}

fn preflight(origin: &str, method: &str, request_headers: &str) -> Parts {
    parts(
        Method::OPTIONS,
        &[
            (ORIGIN, origin),
            (ACCESS_CONTROL_REQUEST_METHOD, method),
            (ACCESS_CONTROL_REQUEST_HEADERS, request_headers),
        ],
    )
}

/// A well-formed list of distinct header names, exactly `len` bytes long.
fn hostile_list(len: usize) -> String {
    let mut s = String::with_capacity(len);
    let mut i = 0usize;
    while s.len() < len {
        if !s.is_empty() {
            s.push(',');
        }
        s.push_str(&format!("x-h{i:05}"));
        i += 1;
    }
    s.truncate(len);
    // The cut must not leave a trailing comma or an empty name.
    while s.ends_with(',') {
        s.pop();
        s.push('a');
    }
    assert_eq!(s.len(), len);
    s
}

/// A domain of 123 one-letter labels (253 bytes, the longest host there is): the policy's
/// parent-domain walk probes every suffix.
fn deep_host_origin() -> String {
    let origin = format!("https://{}example.com", "a.".repeat(121));
    assert_eq!(origin.len() - "https://".len(), 253);
    origin
}

struct Case {
    name: &'static str,
    parts: Parts,
    expect: Outcome,
}

fn cases(exact: &str, with_wildcard: bool) -> Vec<Case> {
    let mut v = vec![Case {
        name: "actual-allowed-exact",
        parts: actual(exact),
        expect: Outcome::Actual {
            origin_allowed: true,
        },
    }];
    if with_wildcard {
        v.push(Case {
            name: "actual-allowed-wildcard",
            parts: actual(WILDCARD),
            expect: Outcome::Actual {
                origin_allowed: true,
            },
        });
    }
    v.push(Case {
        name: "actual-rejected",
        parts: actual(EVIL),
        expect: Outcome::Actual {
            origin_allowed: false,
        },
    });
    v.push(Case {
        name: "actual-rejected-deep-host",
        parts: actual(&deep_host_origin()),
        expect: Outcome::Actual {
            origin_allowed: false,
        },
    });
    v.push(Case {
        name: "preflight-allowed-exact",
        parts: preflight(exact, "PUT", "content-type,x-requested-with"),
        expect: Outcome::PreflightPass,
    });
    if with_wildcard {
        v.push(Case {
            name: "preflight-allowed-wildcard",
            parts: preflight(WILDCARD, "PUT", "content-type,x-requested-with"),
            expect: Outcome::PreflightPass,
        });
    }
    v.push(Case {
        name: "preflight-rejected-origin",
        parts: preflight(EVIL, "PUT", "content-type"),
        expect: Outcome::PreflightFail(Rejection::OriginNotAllowed),
    });
    v.push(Case {
        name: "preflight-rejected-method",
        parts: preflight(exact, "DELETE", "content-type"),
        expect: Outcome::PreflightFail(Rejection::MethodNotAllowed),
    });
    v
}

fn check(policy: &Policy, case: &Case) {
    let got = policy.decide(&case.parts).outcome();
    assert_eq!(got, case.expect, "case {} decided wrongly", case.name);
}

fn bench_cases(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    p: &Policy,
    cases: &[Case],
) {
    for case in cases {
        check(p, case);
        group.bench_function(case.name, |b| {
            b.iter(|| -> Decision { p.decide(black_box(&case.parts)) })
        });
    }
}

fn bench_cases_apply(
    group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>,
    p: &Policy,
    cases: &[Case],
) {
    let mut map = HeaderMap::with_capacity(16);
    for case in cases {
        group.bench_function(case.name, |b| {
            b.iter(|| {
                p.decide(black_box(&case.parts))
                    .headers()
                    .apply_to(black_box(&mut map));
                map.clear();
            })
        });
    }
}

fn decisions(c: &mut Criterion) {
    let small = policy(config(origins(false), &HEADERS));
    let large = policy(config(origins(true), &HEADERS));
    let small_cases = cases(EXACT_SMALL, false);
    let large_cases = cases(EXACT_LARGE, true);

    let mut g = c.benchmark_group("decide/1-origin");
    bench_cases(&mut g, &small, &small_cases);
    g.finish();
    let mut g = c.benchmark_group("decide/1000-origins");
    bench_cases(&mut g, &large, &large_cases);
    g.finish();
    let mut g = c.benchmark_group("decide+apply/1-origin");
    bench_cases_apply(&mut g, &small, &small_cases);
    g.finish();
    let mut g = c.benchmark_group("decide+apply/1000-origins");
    bench_cases_apply(&mut g, &large, &large_cases);
    g.finish();
}

fn hostile(c: &mut Criterion) {
    use corsgate::policy::request_headers::MAX_REQUEST_HEADERS_LEN as MAX;
    let explicit = policy(config(origins(false), &HEADERS));
    let star = policy(config(origins(false), &["*"]));
    let hostile = preflight(EXACT_SMALL, "PUT", &hostile_list(64 * 1024));
    let at_bound = preflight(EXACT_SMALL, "PUT", &hostile_list(MAX));
    let over_bound = preflight(EXACT_SMALL, "PUT", &hostile_list(MAX + 1));
    let too_long = Outcome::PreflightFail(Rejection::RequestHeadersTooLong);

    let cases = [
        ("64KiB-vs-explicit-list", &explicit, &hostile, too_long),
        ("64KiB-vs-star", &star, &hostile, too_long),
        ("8KiB+1-vs-star", &star, &over_bound, too_long),
        // The worst case: every name allowed, so every byte is read.
        ("8KiB-vs-star", &star, &at_bound, Outcome::PreflightPass),
    ];
    let mut g = c.benchmark_group("decide/hostile-acrh");
    for (name, p, parts, expect) in &cases {
        assert_eq!(p.decide(parts).outcome(), *expect, "case {name}");
        g.bench_function(*name, |b| b.iter(|| p.decide(black_box(parts))));
    }
    g.finish();
    let mut g = c.benchmark_group("decide+apply/hostile-acrh");
    let mut map = HeaderMap::with_capacity(16);
    for (name, p, parts, _) in &cases {
        g.bench_function(*name, |b| {
            b.iter(|| {
                p.decide(black_box(parts))
                    .headers()
                    .apply_to(black_box(&mut map));
                map.clear();
            })
        });
    }
    g.finish();
}

/// What the layer does per request: load the current policy from the `Cors` handle (an
/// `ArcSwap`) and decide.
fn handle(c: &mut Criterion) {
    let cors = match config(origins(true), &HEADERS).build() {
        Ok(c) => c,
        Err(e) => panic!("benchmark policy does not validate: {e}"),
    };
    let parts = actual(EXACT_LARGE);
    let mut g = c.benchmark_group("cors-handle/1000-origins");
    g.bench_function("actual-allowed-exact", |b| {
        b.iter(|| cors.decide(black_box(&parts)))
    });
    g.finish();
}

/// The machine's yardstick: the unavoidable pieces of any CORS decision, measured alone, so
/// the decision times above can be read against them (a decision reads 2 to 4 request
/// headers, parses the origin and clones 1 to 7 values into the response).
fn baseline(c: &mut Criterion) {
    let parts = actual(EXACT_SMALL);
    let value = parts.headers.get(ORIGIN).cloned().expect("origin");
    let mut g = c.benchmark_group("baseline");
    g.bench_function("header-lookup", |b| {
        b.iter(|| black_box(&parts).headers.get(ORIGIN).is_some())
    });
    g.bench_function("origin-parse", |b| {
        b.iter(|| corsgate::Origin::from_bytes(black_box(value.as_bytes())).is_some())
    });
    g.bench_function("shared-value-clone-and-drop", |b| {
        b.iter(|| black_box(black_box(&value).clone()))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = common::short();
    targets = decisions, hostile, handle, baseline
}
criterion_main!(benches);
