//! Property tests: planning and checking never panic, whatever the page or server sends.

use http::{HeaderName, HeaderValue, StatusCode};
use proptest::prelude::*;

use super::engine::Engine;
use super::flow::{simulate, Flow, Step};
use super::request::{Body, CorsRequest, CredentialsMode};
use super::response::ResponseInfo;

/// Arbitrary header names and values, including invalid ones.
fn header_pair() -> impl Strategy<Value = (String, String)> {
    (
        prop_oneof![
            "[A-Za-z-]{1,12}",
            "\\PC{0,8}",
            Just("Content-Type".to_owned()),
            Just("Range".to_owned()),
            Just("Accept".to_owned()),
            Just("X-HTTP-Method-Override".to_owned()),
        ],
        prop_oneof![
            "\\PC{0,40}",
            "[ -~]{0,200}",
            Just("bytes=0-1".to_owned()),
            Just("text/plain;charset=\"x".to_owned())
        ],
    )
}

/// Arbitrary response header lines (name from the CORS set, value any visible bytes).
fn response_lines() -> impl Strategy<Value = Vec<(usize, Vec<u8>)>> {
    prop::collection::vec(
        (
            0usize..8,
            prop::collection::vec(prop_oneof![32u8..127, 128u8..=255, Just(b'\t')], 0..60),
        ),
        0..8,
    )
}

const NAMES: [&str; 8] = [
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-max-age",
    "access-control-expose-headers",
    "location",
    "x-other",
];

fn build_response(status: u16, lines: &[(usize, Vec<u8>)]) -> ResponseInfo {
    let mut r = ResponseInfo::new(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
    for (i, v) in lines {
        if let Ok(v) = HeaderValue::from_bytes(v) {
            r.headers
                .append(HeaderName::from_static(NAMES[i % NAMES.len()]), v);
        }
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn plan_and_checks_never_panic(
        method in prop_oneof!["[A-Za-z]{1,8}", "\\PC{0,6}"],
        headers in prop::collection::vec(header_pair(), 0..6),
        include in any::<bool>(),
        xhr in any::<bool>(),
        url in prop_oneof![Just("http://localhost:3000/data".to_owned()), "\\PC{0,30}", "http://[a-z.]{1,10}(:[0-9]{1,6})?/[ -~]{0,10}"],
        statuses in prop::collection::vec(100u16..600, 1..6),
        lines in prop::collection::vec(response_lines(), 1..6),
        firefox in any::<bool>(),
    ) {
        let engine = if firefox { Engine::Firefox } else { Engine::Chrome };
        let mut req = if xhr { CorsRequest::xhr(url, "http://127.0.0.1:5500") } else { CorsRequest::fetch(url, "http://127.0.0.1:5500") };
        req = req.method(method).credentials(if include { CredentialsMode::Include } else { CredentialsMode::SameOrigin });
        if req.method.eq_ignore_ascii_case("post") {
            req = req.body(Body::Text);
        }
        for (n, v) in headers {
            req = req.header(n, v);
        }
        let mut i = 0usize;
        let _ = simulate(&req, engine, |_| {
            let r = build_response(statuses[i % statuses.len()], &lines[i % lines.len()]);
            i += 1;
            r
        });
        if let Ok(mut flow) = Flow::new(&req, engine) {
            for (s, l) in statuses.iter().zip(lines.iter()) {
                if let Step::Allowed(_) | Step::Blocked(_) = flow.on_response(&build_response(*s, l)) {
                    break;
                }
            }
        }
    }
}
