//! `Access-Control-Request-Headers` parsing, through the full preflight decision: arbitrary
//! bytes split into header lines never panic, and a passed preflight only echoes names that
//! are valid tokens.
#![no_main]

use std::sync::OnceLock;

use corsgate::{Config, Outcome, Policy};
use http::{header, HeaderValue, Method, Request};
use libfuzzer_sys::fuzz_target;

fn policies() -> &'static [Policy] {
    static P: OnceLock<Vec<Policy>> = OnceLock::new();
    P.get_or_init(|| {
        let base = || Config::new().allow_origin("https://a.example");
        vec![
            Policy::new(base().allow_headers(["x-a", "content-type", "authorization"])).unwrap(),
            Policy::new(base().allow_headers(["*"])).unwrap(),
            Policy::new(base().allow_headers(["*"]).allow_credentials(true)).unwrap(),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    let mut req = Request::builder()
        .method(Method::OPTIONS)
        .header(header::ORIGIN, "https://a.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT");
    for line in data.split(|&b| b == b'\n').take(64) {
        if let Ok(v) = HeaderValue::from_bytes(line) {
            req = req.header(header::ACCESS_CONTROL_REQUEST_HEADERS, v);
        }
    }
    let Ok(req) = req.body(()) else { return };
    let (parts, ()) = req.into_parts();
    for policy in policies() {
        let decision = policy.decide(&parts);
        if decision.outcome() == Outcome::PreflightPass {
            let mut out = http::HeaderMap::new();
            decision.headers().apply_to(&mut out);
            for v in out.get_all(header::ACCESS_CONTROL_ALLOW_HEADERS) {
                for name in v.as_bytes().split(|&b| b == b',') {
                    let name = name.trim_ascii();
                    assert!(
                        name.is_empty() || name.iter().all(|&b| b.is_ascii_graphic() && b != b','),
                        "echoed a non-token"
                    );
                }
            }
        }
    }
});
