//! WebKit, the engine of Safari, for real: WebKitGTK's MiniBrowser under Xvfb
//! (`util::browser::webkit`), launched at a loopback page that fetches a cross-origin loopback
//! API, scenario after scenario. For each scenario it checks what the page saw (readable, or
//! the fetch's rejection), WebKit's console lines byte for byte (read from MiniBrowser's
//! stdout), and every request that reached the server, hop by hop. The same page then runs in
//! Chromium and Firefox ESR, for the redirect hops where WebKit differs. The facts are in
//! `docs/check.md` ("WebKit").
//!
//! After the browser, `corsgate check --json` runs each scenario against the same server:
//! `browsers.webkit` must be what WebKit did (readable or not) and print its console lines.
//!
//! The page logs `corsgate-webkit: begin <name>` before each scenario, so each console line is
//! attributed to the scenario during which WebKit printed it.

use std::time::{Duration, Instant};

use crate::util::browser::webkit::{self, ConsoleLine};
use crate::util::browser::{available, exclusive, Kind, Launched};
use crate::util::check_json;
use crate::util::server::{serve_many, Reply, Seen, Server};

mod run;
use run::*;

/// How long MiniBrowser may take for the whole page (start included).
const RUN_LIMIT: Duration = Duration::from_secs(90);
/// The marker the page logs before each scenario, and at the end.
const BEGIN: &str = "corsgate-webkit: begin ";
const DONE: &str = "corsgate-webkit: done";

/// Listeners: the page's origin, the API's, and a third origin redirects go to.
const PAGE: usize = 0;
const API: usize = 1;
const OTHER: usize = 2;

/// The scenarios, in the order the page runs them: (name, fetch init as JS).
const SCENARIOS: [(&str, &str); 7] = [
    ("allowed", "{}"),
    ("refused", "{}"),
    ("preflight", "{method: 'PUT', headers: {'X-Test': '1'}}"),
    (
        "redirect-cross",
        "{method: 'PUT', headers: {'X-Test': '1'}}",
    ),
    ("redirect-same", "{method: 'PUT', headers: {'X-Test': '1'}}"),
    (
        "redirect-tainted",
        "{method: 'PUT', headers: {'X-Test': '1'}}",
    ),
    ("redirect-simple", "{method: 'PUT'}"),
];

#[test]
fn console_lines_are_read_exactly_from_minibrowser_output() {
    let output = "http://127.0.0.1:1/:6:12: CONSOLE LOG a \"quoted\" ERROR word\n\
                  CONSOLE SECURITY ERROR Origin http://127.0.0.1:1 is not allowed by \
                  Access-Control-Allow-Origin. Status code: 200\n\
                  CONSOLE CONTENT BLOCKER WARN x\n\
                  (MiniBrowser:1): Gtk-WARNING **: unrelated\n";
    assert_eq!(
        webkit::console(output),
        [
            ConsoleLine::new("", "LOG", "a \"quoted\" ERROR word"),
            ConsoleLine::new(
                "SECURITY",
                "ERROR",
                "Origin http://127.0.0.1:1 is not allowed by Access-Control-Allow-Origin. \
                 Status code: 200"
            ),
            ConsoleLine::new("CONTENT BLOCKER", "WARN", "x"),
        ]
    );
}

/// The scripted server: the page and its report on listener 0, the API on 1, redirects' target
/// on 2.
fn server() -> Server {
    serve_many(3, |origins: &[String]| {
        let (page, api, other) = (
            origins[PAGE].clone(),
            origins[API].clone(),
            origins[OTHER].clone(),
        );
        let html = page_html(&api);
        move |r: &Seen| -> Reply {
            let method = r.method.as_str();
            let path = r.path();
            if r.listener == PAGE {
                return match (method, path) {
                    ("GET", "/") => Reply::new(200)
                        .header("Content-Type", "text/html; charset=utf-8")
                        .header("Cache-Control", "no-store")
                        .body(html.clone()),
                    ("POST", "/result") => Reply::new(204),
                    _ => Reply::new(404),
                };
            }
            // A redirect target that allows the page's origin only: not `null`.
            if path == "/final-tainted" {
                return match method {
                    "OPTIONS" => Reply::new(204)
                        .header("Access-Control-Allow-Origin", page.as_str())
                        .header("Access-Control-Allow-Methods", "GET, PUT")
                        .header("Access-Control-Allow-Headers", "X-Test"),
                    _ => Reply::new(200)
                        .header("Access-Control-Allow-Origin", page.as_str())
                        .body("final"),
                };
            }
            // Other redirect targets, on either origin: allow anyone, any of our methods.
            if path.starts_with("/final") {
                return match method {
                    "OPTIONS" => Reply::new(204)
                        .header("Access-Control-Allow-Origin", "*")
                        .header("Access-Control-Allow-Methods", "GET, PUT")
                        .header("Access-Control-Allow-Headers", "X-Test"),
                    _ => Reply::new(200)
                        .header("Access-Control-Allow-Origin", "*")
                        .body("final"),
                };
            }
            match (method, path) {
                ("GET", "/allowed") => Reply::new(200)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .body("hello"),
                // Allows another origin only.
                ("GET", "/refused") => Reply::new(200)
                    .header("Access-Control-Allow-Origin", "http://127.0.0.1:5500")
                    .body("secret"),
                // A preflight that allows the origin but not the method.
                ("OPTIONS", "/preflight") => {
                    Reply::new(200).header("Access-Control-Allow-Origin", page.as_str())
                }
                ("OPTIONS", _) => Reply::new(204)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .header("Access-Control-Allow-Methods", "PUT")
                    .header("Access-Control-Allow-Headers", "X-Test"),
                ("PUT", "/redirect-cross") => Reply::new(303)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .header("Location", format!("{other}/final-cross")),
                ("PUT", "/redirect-tainted") => Reply::new(303)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .header("Location", format!("{other}/final-tainted")),
                ("PUT", "/redirect-simple") => Reply::new(303)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .header("Location", format!("{api}/final-simple")),
                ("PUT", "/redirect-same") => Reply::new(303)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .header("Location", format!("{api}/final-same")),
                _ => Reply::new(200)
                    .header("Access-Control-Allow-Origin", page.as_str())
                    .body("unexpected"),
            }
        }
    })
}

#[test]
fn webkit_reads_allowed_blocks_refused_and_preflights_again_after_a_303() {
    let Some(run) = run(None) else {
        return;
    };
    let (page, api, other) = (run.page.as_str(), run.api.as_str(), run.other.as_str());
    let security = |text: &str| ConsoleLine::new("SECURITY", "ERROR", text);
    let cannot_load = |url: &str| {
        ConsoleLine::new(
            "JS",
            "ERROR",
            &format!("Fetch API cannot load {url} due to access control checks."),
        )
    };
    let x = Some("x-test");
    let one = Some("1");
    let mut failures = Vec::new();
    let mut check = |name: &str, result: &str, console: Vec<ConsoleLine>, hops: Vec<Hop>| {
        if run.result(name) != result {
            failures.push(format!(
                "{name}: the page saw {:?}, not {result:?}",
                run.result(name)
            ));
        }
        if run.console(name) != console {
            failures.push(format!(
                "{name}: console {:#?}\nexpected {console:#?}",
                run.console(name)
            ));
        }
        if run.hops(name) != hops {
            failures.push(format!(
                "{name}: requests {:#?}\nexpected {hops:#?}",
                run.hops(name)
            ));
        }
        // `corsgate check`'s WebKit: the same verdict, WebKit's console lines byte for byte.
        let verdict = if result.starts_with("ok ") {
            "allowed"
        } else {
            "blocked"
        };
        let lines: Vec<String> = console.iter().map(|l| l.text.clone()).collect();
        if run.check(name) != (verdict.to_owned(), lines.clone()) {
            failures.push(format!(
                "{name}: corsgate check's browsers.webkit {:?}\nexpected {:?}",
                run.check(name),
                (verdict, lines)
            ));
        }
    };

    // Allowed: readable, no console line, one request.
    check(
        "allowed",
        "ok 200 hello",
        vec![],
        vec![expected_hop(API, "GET", "/allowed", page, None, None, None)],
    );
    // Refused origin: WebKit's two lines, the first with the response's status.
    check(
        "refused",
        "TypeError: Load failed",
        vec![
            security(&format!(
                "Origin {page} is not allowed by Access-Control-Allow-Origin. Status code: 200"
            )),
            cannot_load(&format!("{api}/refused")),
        ],
        vec![expected_hop(API, "GET", "/refused", page, None, None, None)],
    );
    // A preflight that does not allow the method: no actual request.
    check(
        "preflight",
        "TypeError: Load failed",
        vec![
            security("Method PUT is not allowed by Access-Control-Allow-Methods."),
            cannot_load(&format!("{api}/preflight")),
        ],
        vec![expected_hop(
            API,
            "OPTIONS",
            "/preflight",
            page,
            Some("PUT"),
            x,
            None,
        )],
    );
    // 303 to another origin after a preflighted PUT: WebKit preflights the GET again, and sends
    // `Origin: null` on that preflight and on the GET; `X-Test` is kept.
    check(
        "redirect-cross",
        "ok 200 final",
        vec![],
        vec![
            expected_hop(
                API,
                "OPTIONS",
                "/redirect-cross",
                page,
                Some("PUT"),
                x,
                None,
            ),
            expected_hop(API, "PUT", "/redirect-cross", page, None, None, one),
            expected_hop(
                OTHER,
                "OPTIONS",
                "/final-cross",
                "null",
                Some("GET"),
                x,
                None,
            ),
            expected_hop(OTHER, "GET", "/final-cross", "null", None, None, one),
        ],
    );
    // 303 to the same origin: preflighted again too, with the page's origin.
    check(
        "redirect-same",
        "ok 200 final",
        vec![],
        vec![
            expected_hop(API, "OPTIONS", "/redirect-same", page, Some("PUT"), x, None),
            expected_hop(API, "PUT", "/redirect-same", page, None, None, one),
            expected_hop(API, "OPTIONS", "/final-same", page, Some("GET"), x, None),
            expected_hop(API, "GET", "/final-same", page, None, None, one),
        ],
    );
    // 303 to another origin that allows the page's origin only: the second preflight carries
    // `Origin: null`, so it fails.
    check(
        "redirect-tainted",
        "TypeError: Load failed",
        vec![
            security("Origin null is not allowed by Access-Control-Allow-Origin. Status code: 204"),
            cannot_load(&format!("{other}/final-tainted")),
        ],
        vec![
            expected_hop(
                API,
                "OPTIONS",
                "/redirect-tainted",
                page,
                Some("PUT"),
                x,
                None,
            ),
            expected_hop(API, "PUT", "/redirect-tainted", page, None, None, one),
            expected_hop(
                OTHER,
                "OPTIONS",
                "/final-tainted",
                "null",
                Some("GET"),
                x,
                None,
            ),
        ],
    );
    // 303 after a preflighted PUT without other headers: the GET it becomes needs no
    // preflight by the Fetch standard, yet WebKit preflights it (so does Firefox; Chromium
    // does not).
    check(
        "redirect-simple",
        "ok 200 final",
        vec![],
        vec![
            expected_hop(
                API,
                "OPTIONS",
                "/redirect-simple",
                page,
                Some("PUT"),
                None,
                None,
            ),
            expected_hop(API, "PUT", "/redirect-simple", page, None, None, None),
            expected_hop(
                API,
                "OPTIONS",
                "/final-simple",
                page,
                Some("GET"),
                None,
                None,
            ),
            expected_hop(API, "GET", "/final-simple", page, None, None, None),
        ],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The same page in Chromium and Firefox ESR: where WebKit's redirects differ. After a 303
/// that turns a preflighted `PUT` into a `GET`:
///
/// - to another origin, Chromium sends `Origin: null` on the new preflight and on the `GET`, as
///   WebKit does; Firefox sends the page's origin on the preflight and `null` on the `GET`, so
///   a server that allows only the page's origin fails Firefox at the `GET`, the others at the
///   preflight;
/// - when the `GET` is simple, Chromium sends no new preflight; Firefox and WebKit do.
#[test]
fn chromium_and_firefox_redirect_differently_from_webkit() {
    for kind in [Kind::Chromium, Kind::Firefox] {
        let Some(run) = run(Some(kind)) else {
            continue;
        };
        let page = run.page.as_str();
        let firefox = kind == Kind::Firefox;
        let x = Some("x-test");
        let one = Some("1");
        // Firefox's second preflight keeps the page's origin.
        let second = if firefox { page } else { "null" };
        let mut failures = Vec::new();
        let mut check = |name: &str, readable: bool, hops: Vec<Hop>| {
            if run.result(name).starts_with("ok ") != readable {
                failures.push(format!("{name}: the page saw {:?}", run.result(name)));
            }
            if run.hops(name) != hops {
                failures.push(format!(
                    "{name}: requests {:#?}\nexpected {hops:#?}",
                    run.hops(name)
                ));
            }
        };
        check(
            "redirect-cross",
            true,
            vec![
                expected_hop(
                    API,
                    "OPTIONS",
                    "/redirect-cross",
                    page,
                    Some("PUT"),
                    x,
                    None,
                ),
                expected_hop(API, "PUT", "/redirect-cross", page, None, None, one),
                expected_hop(
                    OTHER,
                    "OPTIONS",
                    "/final-cross",
                    second,
                    Some("GET"),
                    x,
                    None,
                ),
                expected_hop(OTHER, "GET", "/final-cross", "null", None, None, one),
            ],
        );
        let mut tainted = vec![
            expected_hop(
                API,
                "OPTIONS",
                "/redirect-tainted",
                page,
                Some("PUT"),
                x,
                None,
            ),
            expected_hop(API, "PUT", "/redirect-tainted", page, None, None, one),
            expected_hop(
                OTHER,
                "OPTIONS",
                "/final-tainted",
                second,
                Some("GET"),
                x,
                None,
            ),
        ];
        if firefox {
            tainted.push(expected_hop(
                OTHER,
                "GET",
                "/final-tainted",
                "null",
                None,
                None,
                one,
            ));
        }
        check("redirect-tainted", false, tainted);
        let mut simple = vec![
            expected_hop(
                API,
                "OPTIONS",
                "/redirect-simple",
                page,
                Some("PUT"),
                None,
                None,
            ),
            expected_hop(API, "PUT", "/redirect-simple", page, None, None, None),
        ];
        if firefox {
            simple.push(expected_hop(
                API,
                "OPTIONS",
                "/final-simple",
                page,
                Some("GET"),
                None,
                None,
            ));
        }
        simple.push(expected_hop(
            API,
            "GET",
            "/final-simple",
            page,
            None,
            None,
            None,
        ));
        check("redirect-simple", true, simple);
        assert!(
            failures.is_empty(),
            "{}: {}",
            kind.name(),
            failures.join("\n\n")
        );
    }
}
