//! The requests the benchmarks send: decision cases (`Parts` built once, as a server hands
//! them over) and whole requests for the layer benchmarks, each with the outcome it must
//! get, so that a misconfigured variant cannot win by doing less.

use axum::body::Body;
use corsgate::MAX_REQUEST_HEADERS_LEN;
use corsgate::{Outcome, Rejection};
use http::header::{
    HeaderValue, ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use http::request::Parts;
use http::{Method, Request, Response, StatusCode};

use super::{browser_headers, EVIL, EXACT_LARGE, EXACT_SMALL, WILDCARD};

/// A request as a server would hand it over: the CORS headers given, among the others a
/// browser sends. Header values are built from owned bytes, so cloning one is a
/// reference-count increment, as with values hyper parsed.
pub fn parts(method: Method, headers: &[(http::HeaderName, &str)]) -> Parts {
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

pub fn actual(origin: &str) -> Parts {
    parts(Method::GET, &[(ORIGIN, origin)])
}

pub fn preflight(origin: &str, method: &str, request_headers: &str) -> Parts {
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
pub fn hostile_list(len: usize) -> String {
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
pub fn deep_host_origin() -> String {
    let origin = format!("https://{}example.com", "a.".repeat(121));
    assert_eq!(origin.len() - "https://".len(), 253);
    origin
}

pub struct Case {
    pub name: &'static str,
    pub parts: Parts,
    pub expect: Outcome,
}

pub fn cases(exact: &str, with_wildcard: bool) -> Vec<Case> {
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

/// The hostile `Access-Control-Request-Headers` cases: (name, whether the policy allows
/// `*` rather than its three names, the request, the outcome). A 64 KiB list against the
/// explicit list and against `*` (both refused by length, unread); against `*`, a list of
/// exactly the bound the parser reads (read in full: the worst case) and one byte more.
pub fn hostile_cases(origin: &str) -> Vec<(&'static str, bool, Parts, Outcome)> {
    const MAX: usize = MAX_REQUEST_HEADERS_LEN;
    let too_long = Outcome::PreflightFail(Rejection::RequestHeadersTooLong);
    vec![
        (
            "64KiB-vs-explicit-list",
            false,
            preflight(origin, "PUT", &hostile_list(64 * 1024)),
            too_long,
        ),
        (
            "64KiB-vs-star",
            true,
            preflight(origin, "PUT", &hostile_list(64 * 1024)),
            too_long,
        ),
        (
            "8KiB+1-vs-star",
            true,
            preflight(origin, "PUT", &hostile_list(MAX + 1)),
            too_long,
        ),
        (
            "8KiB-vs-star",
            true,
            preflight(origin, "PUT", &hostile_list(MAX)),
            Outcome::PreflightPass,
        ),
    ]
}

/// What the layer benchmarks send.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A same-origin `GET` (no `Origin`).
    NoOrigin,
    /// A cross-origin `GET` from this origin.
    Actual(&'static str),
    /// A preflight for `PUT` with two request headers, from this origin.
    Preflight(&'static str),
}

/// The layer benchmarks' requests to the app with the 1-origin policy.
pub const LAYER_CASES_1_ORIGIN: [(&str, Kind); 4] = [
    ("no-origin", Kind::NoOrigin),
    ("actual-allowed", Kind::Actual(EXACT_SMALL)),
    ("actual-disallowed", Kind::Actual(EVIL)),
    ("preflight-allowed", Kind::Preflight(EXACT_SMALL)),
];

/// The layer benchmarks' requests to the app with the 1,000-origin policy.
pub const LAYER_CASES_1000_ORIGINS: [(&str, Kind); 4] = [
    ("actual-allowed-exact", Kind::Actual(EXACT_LARGE)),
    ("actual-allowed-wildcard", Kind::Actual(WILDCARD)),
    ("actual-disallowed", Kind::Actual(EVIL)),
    ("preflight-allowed-exact", Kind::Preflight(EXACT_LARGE)),
];

/// A whole request of this kind, with the headers Chrome sends along.
pub fn request(kind: Kind) -> Request<Body> {
    let mut b = Request::builder().uri("/data");
    for (name, value) in browser_headers(matches!(kind, Kind::Preflight(_))) {
        b = b.header(name, value);
    }
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

/// Asserts that a layer variant answered `kind` as it must (`layered`: under a CORS layer,
/// which must allow every origin but [`EVIL`]), so that a misconfigured variant cannot win
/// by doing less. `name` labels a failure.
pub fn check_response<B>(response: &Response<B>, kind: Kind, layered: bool, name: &str) {
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
