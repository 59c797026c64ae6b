//! Unit tests of the flow: each engine's hops through redirects and preflights, Firefox's lines.

use super::*;
use crate::response::response;

mod webkit;

#[test]
fn has_body_follows_the_hop_and_never_the_preflight() {
    let req = CorsRequest::fetch("http://localhost:3000/data", "http://127.0.0.1:5500")
        .method("PUT")
        .body(crate::request::Body::Text);
    let mut flow = Flow::new(&req, Engine::Chrome).unwrap();
    let preflight = flow.next_request().unwrap();
    assert_eq!(preflight.purpose, Purpose::Preflight);
    assert!(!preflight.has_body);
    let Step::Send(actual) = flow.on_response(&response(
        204,
        &[
            ("access-control-allow-origin", "http://127.0.0.1:5500"),
            ("access-control-allow-methods", "PUT"),
        ],
    )) else {
        panic!("expected the actual request");
    };
    assert!(actual.has_body);
    // A 303 turns the PUT into a body-less GET.
    let Step::Send(next) = flow.on_response(&response(
        303,
        &[
            ("access-control-allow-origin", "http://127.0.0.1:5500"),
            ("location", "/other"),
        ],
    )) else {
        panic!("expected the redirected request");
    };
    assert_eq!(next.method, Method::GET);
    assert!(!next.has_body);
    assert!(!next.headers.contains_key(http::header::CONTENT_TYPE));
}

const PAGE: &str = "http://127.0.0.1:5500";
const API: &str = "http://localhost:3000";
const THIRD: &str = "http://localhost:4000";

/// (method, URL, Origin, ACRM, ACRH, Content-Type) of each request `engine` sends for a
/// `fetch(API/r, {method, content-type, credentials})` whose first actual request is
/// answered with `status` to `target`/f, against a server that allows whatever it is
/// asked (Origin echoed, ACRM/ACRH echoed, ACAC true), as the loopback experiment did.
fn hops(
    engine: Engine,
    method: &str,
    content_type: &str,
    status: u16,
    target: &str,
    include: bool,
) -> Vec<[Option<String>; 6]> {
    let mut req = CorsRequest::fetch(format!("{API}/r"), PAGE)
        .method(method)
        .header("Content-Type", content_type)
        .body(crate::request::Body::Text);
    if include {
        req = req.credentials(CredentialsMode::Include);
    }
    let (outcome, sent) = simulate(&req, engine, |r| {
        let h = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
        let origin = h("origin").unwrap_or_else(|| "*".into());
        let mut headers: Vec<(&str, String)> = vec![
            ("access-control-allow-origin", origin),
            ("access-control-allow-credentials", "true".into()),
        ];
        if let Some(m) = h("access-control-request-method") {
            headers.push(("access-control-allow-methods", m));
        }
        if let Some(m) = h("access-control-request-headers") {
            headers.push(("access-control-allow-headers", m));
        }
        let code = if r.method == Method::OPTIONS {
            204
        } else if r.url.ends_with("/r") {
            headers.push(("location", format!("{target}/f")));
            status
        } else {
            200
        };
        let pairs: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        response(code, &pairs)
    });
    assert!(matches!(outcome, Outcome::Allowed(_)), "{outcome:?}");
    sent.iter()
        .map(|r| {
            let h = |n: &str| r.headers.get(n).map(|v| v.to_str().unwrap().to_owned());
            [
                Some(r.method.to_string()),
                Some(r.url.clone()),
                h("origin"),
                h("access-control-request-method"),
                h("access-control-request-headers"),
                h("content-type"),
            ]
        })
        .collect()
}

/// The first two hops of a JSON POST from PAGE to `{API}/r` (its preflight, then the POST),
/// the same in every engine.
fn preflighted_json_post() -> [[Option<String>; 6]; 2] {
    [
        row(
            "OPTIONS",
            format!("{API}/r"),
            PAGE,
            Some("POST"),
            Some("content-type"),
            None,
        ),
        row(
            "POST",
            format!("{API}/r"),
            PAGE,
            None,
            None,
            Some("application/json"),
        ),
    ]
}

fn row(
    m: &str,
    url: String,
    o: &str,
    acrm: Option<&str>,
    acrh: Option<&str>,
    ct: Option<&str>,
) -> [Option<String>; 6] {
    [
        Some(m.to_owned()),
        Some(url),
        Some(o.to_owned()),
        acrm.map(str::to_owned),
        acrh.map(str::to_owned),
        ct.map(str::to_owned),
    ]
}

#[test]
fn a_redirect_that_makes_a_preflighted_post_a_get_is_preflighted_again_by_firefox_only() {
    // Firefox ESR 153, verified on the wire: after 301/302/303 on a preflighted POST it
    // sends `OPTIONS` with ACRM GET before the GET; Chrome sends the GET directly. Both
    // drop Content-Type on that hop.
    for include in [false, true] {
        for status in [301, 302, 303] {
            for target in [API, THIRD] {
                let tainted = target == THIRD;
                let first = preflighted_json_post();
                let get_origin = if tainted { "null" } else { PAGE };
                let mut chrome = first.to_vec();
                chrome.push(row(
                    "GET",
                    format!("{target}/f"),
                    get_origin,
                    None,
                    None,
                    None,
                ));
                let mut firefox = first.to_vec();
                firefox.push(row(
                    "OPTIONS",
                    format!("{target}/f"),
                    PAGE,
                    Some("GET"),
                    None,
                    None,
                ));
                firefox.push(row(
                    "GET",
                    format!("{target}/f"),
                    get_origin,
                    None,
                    None,
                    None,
                ));
                let what = format!("{status} to {target}, include {include}");
                assert_eq!(
                    hops(
                        Engine::Chrome,
                        "POST",
                        "application/json",
                        status,
                        target,
                        include
                    ),
                    chrome,
                    "Chrome, {what}"
                );
                assert_eq!(
                    hops(
                        Engine::Firefox,
                        "POST",
                        "application/json",
                        status,
                        target,
                        include
                    ),
                    firefox,
                    "Firefox, {what}"
                );
            }
        }
    }
}

#[test]
fn webkit_preflights_the_redirected_get_still_asking_for_content_type() {
    // WebKitGTK 2.50 on the wire (the differential suite's `rm-*-json-*`): after
    // 301/302/303 on a preflighted JSON POST it preflights the GET with ACRM GET and ACRH
    // content-type (`Origin: null` on another origin), then sends the GET without
    // Content-Type.
    for status in [301, 302, 303] {
        for target in [API, THIRD] {
            let origin = if target == THIRD { "null" } else { PAGE };
            let mut webkit = preflighted_json_post().to_vec();
            webkit.push(row(
                "OPTIONS",
                format!("{target}/f"),
                origin,
                Some("GET"),
                Some("content-type"),
                None,
            ));
            webkit.push(row("GET", format!("{target}/f"), origin, None, None, None));
            assert_eq!(
                hops(
                    Engine::WebKit,
                    "POST",
                    "application/json",
                    status,
                    target,
                    false
                ),
                webkit,
                "WebKit, {status} to {target}"
            );
        }
    }
}

#[test]
fn after_a_cross_origin_redirect_firefox_preflights_with_the_page_origin() {
    // 307/308 keep the method and Content-Type: both preflight the new URL; at a third
    // origin Chrome's preflight says `Origin: null`, Firefox's the page's origin, and
    // both send `null` on the actual request.
    let json = Some("application/json");
    for status in [307, 308] {
        for target in [API, THIRD] {
            let o = if target == THIRD { "null" } else { PAGE };
            let first = preflighted_json_post();
            for engine in [Engine::Chrome, Engine::Firefox] {
                let pf_origin = if engine == Engine::Firefox { PAGE } else { o };
                let mut want = first.to_vec();
                want.push(row(
                    "OPTIONS",
                    format!("{target}/f"),
                    pf_origin,
                    Some("POST"),
                    Some("content-type"),
                    None,
                ));
                want.push(row("POST", format!("{target}/f"), o, None, None, json));
                assert_eq!(
                    hops(engine, "POST", "application/json", status, target, false),
                    want,
                    "{engine:?} {status} {target}"
                );
            }
        }
    }
    // A 303 after PUT: a GET, preflighted by Firefox (page origin), sent directly by Chrome.
    let f = hops(Engine::Firefox, "PUT", "text/plain", 303, THIRD, false);
    assert_eq!(
        f[2],
        row(
            "OPTIONS",
            format!("{THIRD}/f"),
            PAGE,
            Some("GET"),
            None,
            None
        )
    );
    assert_eq!(
        f[3],
        row("GET", format!("{THIRD}/f"), "null", None, None, None)
    );
    let c = hops(Engine::Chrome, "PUT", "text/plain", 303, THIRD, false);
    assert_eq!(c.len(), 3);
    assert_eq!(
        c[2],
        row("GET", format!("{THIRD}/f"), "null", None, None, None)
    );
}

#[test]
fn simple_requests_are_not_preflighted_after_any_redirect() {
    for engine in [Engine::Chrome, Engine::Firefox] {
        for status in [301, 302, 303, 307, 308] {
            for target in [API, THIRD] {
                let sent = hops(engine, "POST", "text/plain", status, target, true);
                assert_eq!(sent.len(), 2, "{engine:?} {status} {target}");
                assert!(sent.iter().all(|r| r[0].as_deref() != Some("OPTIONS")));
            }
        }
    }
}

#[test]
fn firefox_checks_the_redirected_preflight_against_the_page_origin() {
    // The third origin allows the page on OPTIONS and `*` on the actual request: Firefox
    // (preflight Origin = page) passes; Chrome (preflight Origin null) fails.
    let req = CorsRequest::fetch(format!("{API}/r"), PAGE).method("PUT");
    let server = |r: &OutgoingRequest| {
        let third = r.url.starts_with(THIRD);
        match (r.method == Method::OPTIONS, third) {
            (true, false) => response(
                204,
                &[
                    ("access-control-allow-origin", PAGE),
                    ("access-control-allow-methods", "PUT"),
                ],
            ),
            (false, false) => response(
                307,
                &[
                    ("access-control-allow-origin", PAGE),
                    ("location", "http://localhost:4000/f"),
                ],
            ),
            (true, true) => response(
                204,
                &[
                    ("access-control-allow-origin", PAGE),
                    ("access-control-allow-methods", "PUT"),
                ],
            ),
            (false, true) => response(200, &[("access-control-allow-origin", "*")]),
        }
    };
    assert!(matches!(
        simulate(&req, Engine::Firefox, server).0,
        Outcome::Allowed(_)
    ));
    assert!(matches!(
        simulate(&req, Engine::Chrome, server).0,
        Outcome::Blocked(_)
    ));
}

fn firefox_lines(
    req: &CorsRequest,
    server: impl FnMut(&OutgoingRequest) -> ResponseInfo,
) -> Vec<String> {
    match simulate(req, Engine::Firefox, server).0 {
        Outcome::Blocked(b) => {
            let f = b.firefox.expect("a Firefox report");
            std::iter::once(f.message).chain(f.followups).collect()
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn firefox_console_lines_after_preflight_and_redirect_failures() {
    let at = |url: &str, reason: &str| {
        format!("Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}. (Reason: {reason}")
    };
    let url = format!("{API}/r");
    let null = |u: &str| at(u, "CORS request did not succeed). Status code: (null).");
    // A failed preflight: its reason, then "did not succeed" (Firefox ESR 153's console).
    let put = CorsRequest::fetch(url.clone(), PAGE).method("PUT");
    assert_eq!(
        firefox_lines(&put, |_| response(405, &[])),
        [at(&url, "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 405."), null(&url)]
    );
    // A redirected preflight: three lines.
    assert_eq!(
        firefox_lines(&put, |_| response(307, &[("location", "/x")])),
        [
            at(&url, "CORS request external redirect not allowed)."),
            at(
                &url,
                "CORS preflight response did not succeed). Status code: 307."
            ),
            null(&url)
        ]
    );
    // A redirect that fails the CORS check: its reason, then "did not succeed".
    let get = CorsRequest::fetch(url.clone(), PAGE);
    assert_eq!(
        firefox_lines(&get, |_| response(302, &[("location", "/x")])),
        [at(&url, "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 302."), null(&url)]
    );
    // A redirect Firefox cannot follow (ftp:, data:, a password, the 21st): one line.
    for location in [
        "ftp://127.0.0.1/x",
        "data:text/plain,hi",
        "http://u:p@localhost:3000/x",
    ] {
        assert_eq!(
            firefox_lines(&get, |_| response(
                302,
                &[
                    ("access-control-allow-origin", PAGE),
                    ("location", location)
                ]
            )),
            [null(&url)],
            "{location}"
        );
    }
    // A failed actual response: one line.
    assert_eq!(
        firefox_lines(&get, |_| response(200, &[])),
        [at(
            &url,
            "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200."
        )]
    );
}
