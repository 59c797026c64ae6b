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

use corsgate::{Decision, Policy};
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use http::header::{HeaderMap, ORIGIN};

// Shared with the layer benchmark and the load-test server; not every piece is used here.
#[allow(dead_code)]
mod common;
use common::cases::{actual, cases, hostile_cases, Case};
use common::{policy, EXACT_LARGE, EXACT_SMALL, HEADERS};

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
    let small = policy(false, &HEADERS);
    let large = policy(true, &HEADERS);
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
    let explicit = policy(false, &HEADERS);
    let star = policy(false, &["*"]);
    let cases: Vec<_> = hostile_cases(EXACT_SMALL)
        .into_iter()
        .map(|(name, any, parts, expect)| {
            (name, if any { &star } else { &explicit }, parts, expect)
        })
        .collect();
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
    let cors = corsgate::Cors::from_policy(policy(true, &HEADERS));
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
