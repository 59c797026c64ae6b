//! Zero heap allocations on the hot path, counted by a global allocator.
//!
//! Requests and inner responses are built before counting starts (a real server's request
//! arrives already parsed); what is counted is corsgate's own work: deciding, and writing
//! its headers into the response.
//!
//! The allocator is the whole test binary's, but it counts per thread: the switch and the
//! counter are thread-locals, so only allocations made by the test's own thread inside
//! [`allocations`] are counted, whatever the other tests do on their threads meanwhile. The
//! counted code runs on that thread (its futures are polled in place, never spawned).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use corsgate::{Config, Outcome, Policy};
use http::header::{self, HeaderMap, HeaderValue};
use http::{Request, Response};
use tower::{Layer, Service};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
    /// Bytes allocated minus bytes freed by this thread while counting.
    static NET: Cell<isize> = const { Cell::new(0) };
}

fn net_add(bytes: usize, sign: isize) {
    NET.with(|n| n.set(n.get() + sign * bytes as isize));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(|c| c.get()) {
            COUNT.with(|c| c.set(c.get() + 1));
            net_add(layout.size(), 1);
        }
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.with(|c| c.get()) {
            net_add(layout.size(), -1);
        }
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if COUNTING.with(|c| c.get()) {
            COUNT.with(|c| c.set(c.get() + 1));
            net_add(new_size, 1);
            net_add(layout.size(), -1);
        }
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    /// Stops counting when dropped, so a panic inside `f` does not leave it on.
    struct Stop;
    impl Drop for Stop {
        fn drop(&mut self) {
            COUNTING.with(|c| c.set(false));
        }
    }
    COUNT.with(|c| c.set(0));
    NET.with(|n| n.set(0));
    COUNTING.with(|c| c.set(true));
    let stop = Stop;
    let r = f();
    drop(stop);
    (COUNT.with(|c| c.get()), r)
}

fn poll_now<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    match f.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the test services are always ready"),
    }
}

const ORIGIN: &str = "https://app.example.com";

fn actual() -> Request<()> {
    Request::builder()
        .method("GET")
        .uri("/data")
        .header(header::ORIGIN, HeaderValue::from_static(ORIGIN))
        .body(())
        .unwrap()
}

fn preflight() -> Request<()> {
    Request::builder()
        .method("OPTIONS")
        .uri("/data")
        .header(header::ORIGIN, HeaderValue::from_static(ORIGIN))
        .header(
            header::ACCESS_CONTROL_REQUEST_METHOD,
            HeaderValue::from_static("PUT"),
        )
        .header(
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_static("authorization,content-type"),
        )
        .body(())
        .unwrap()
}

fn configs() -> Vec<(&'static str, Config)> {
    let many: Vec<String> = (0..1000)
        .map(|i| format!("https://site{i}.example.org"))
        .chain((0..100).map(|i| format!("https://*.tenant{i}.example.net")))
        .chain([ORIGIN.to_string()])
        .collect();
    vec![
        (
            "credentialed list",
            Config::new()
                .allow_origins([ORIGIN])
                .allow_methods(["GET", "POST", "PUT"])
                .allow_headers(["authorization", "content-type"])
                .expose_headers(["x-total"])
                .allow_credentials(true)
                .max_age(600),
        ),
        (
            "1000 origins + 100 patterns",
            Config::new()
                .allow_origins(many)
                .allow_methods(["PUT"])
                .allow_headers(["authorization", "content-type"]),
        ),
        (
            "wildcards",
            Config::new()
                .allow_origins(["*"])
                .allow_methods(["*"])
                .allow_headers(["*"])
                .expose_headers(["*"]),
        ),
        (
            "credentialed wildcards (echo)",
            Config::new()
                .allow_origins(["https://*.example.com"])
                .allow_methods(["*"])
                .allow_headers(["*"])
                .allow_credentials(true),
        ),
        (
            "subdomain pattern",
            Config::new()
                .allow_origins(["https://*.example.com"])
                .allow_methods(["PUT"])
                .allow_headers(["authorization", "content-type"]),
        ),
    ]
}

#[test]
fn the_hot_path_allocates_nothing() {
    for (name, config) in configs() {
        let policy = Policy::new(config.clone()).unwrap();
        let (actual_parts, ()) = actual().into_parts();
        let (preflight_parts, ()) = preflight().into_parts();
        // Warm up once (thread-locals of the policy swap are set up on first use).
        let _ = policy.decide(&actual_parts);

        // 1. The pure core: decisions for an allowed actual request and preflight.
        for (kind, parts, expected) in [
            (
                "actual",
                &actual_parts,
                Outcome::Actual {
                    origin_allowed: true,
                },
            ),
            ("preflight", &preflight_parts, Outcome::PreflightPass),
        ] {
            let mut target = HeaderMap::with_capacity(32);
            let (n, outcome) = allocations(|| {
                let d = policy.decide(parts);
                d.headers().apply_to(&mut target);
                d.outcome()
            });
            assert_eq!(outcome, expected, "{name} {kind}");
            assert_eq!(
                n, 0,
                "{name}: deciding and rendering an allowed {kind} allocated"
            );
            assert!(target.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));
        }

        // 2. Through the tower layer, with an inner service whose responses were built
        // beforehand with room for the CORS headers.
        let cors = config.build().unwrap();
        let mut ready: Vec<Response<()>> = (0..4)
            .map(|_| {
                let mut r = Response::new(());
                r.headers_mut().reserve(32);
                r
            })
            .collect();
        let inner = tower::service_fn(move |_req: Request<()>| {
            let r = ready.pop().expect("enough prepared responses");
            std::future::ready(Ok::<_, Infallible>(r))
        });
        let mut svc = cors.layer().layer(inner);
        let _ = poll_now(svc.call(actual())); // warm-up
        let req = actual();
        let (n, resp) = allocations(|| poll_now(svc.call(req)).unwrap());
        assert_eq!(
            n, 0,
            "{name}: the layer allocated on an allowed actual request"
        );
        assert!(resp
            .headers()
            .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN));

        // 3. A preflight answered by the layer allocates only its response's header map:
        // exactly as much as building that map by hand.
        let req = preflight();
        let (n, resp) = allocations(|| poll_now(svc.call(req)).unwrap());
        let expected = resp.headers().clone();
        let (baseline, _) = allocations(|| {
            let mut r = Response::new(());
            for (k, v) in &expected {
                r.headers_mut().append(k, v.clone());
            }
            r
        });
        assert!(resp.status().is_success(), "{name}");
        assert_eq!(
            n, baseline,
            "{name}: a preflight allocated more than its response's header map"
        );
    }
}

/// A policy of its own for each `i`: 20 exact origins, a method, request and exposed
/// headers and a max-age no other `i` has, so every value it renders is new.
fn distinct_policy(i: usize) -> Config {
    Config::new()
        .allow_origins((0..20).map(|j| format!("https://app{j}-{i}.example.com")))
        .allow_methods([format!("M{i}")])
        .allow_headers([format!("x-request-{i}")])
        .expose_headers([format!("x-exposed-{i}")])
        .max_age(u32::try_from(i % 86_400).unwrap_or(0))
}

/// Replacing a policy frees what the old one rendered: 10,000 swaps of distinct policies
/// leave no more live memory than they found (a leak of the values of each would be
/// megabytes: ~25 values per policy).
#[test]
fn replacing_policies_frees_their_header_values() {
    let cors = distinct_policy(0).build().expect("valid");
    // Warm up: lazily allocated state (arc-swap's per-thread records) is made once.
    for i in 1..=100 {
        cors.replace(distinct_policy(i)).expect("valid");
    }
    allocations(|| {
        for i in 101..=10_100 {
            cors.replace(distinct_policy(i)).expect("valid");
        }
    });
    let net = NET.with(|n| n.get());
    assert!(
        net < 16 * 1024,
        "10,000 policy swaps left {net} more bytes live than before: values leak"
    );
    // And the policy in force is the last one, intact.
    let decision = cors.decide(&request_from("https://app7-10100.example.com"));
    assert_eq!(
        decision.outcome(),
        Outcome::Actual {
            origin_allowed: true
        }
    );
}

fn request_from(origin: &str) -> http::request::Parts {
    Request::get("/")
        .header(header::ORIGIN, origin)
        .body(())
        .expect("a valid request")
        .into_parts()
        .0
}
