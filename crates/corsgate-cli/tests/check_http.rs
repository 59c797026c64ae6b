//! `corsgate check` against scripted loopback servers: verdicts, Chrome's messages, what is
//! sent, the fixes, exit statuses and output formats.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::util::raw;
use crate::util::server::Server;
use crate::util::{check_json, corsgate, serve, Seen, PAGE};

mod exits;

fn allow_origin(request: &Seen) -> (&'static str, String) {
    ("access-control-allow-origin", request.origin())
}

#[test]
fn allowed_simple_get_reads_only_safelisted_and_exposed_headers() {
    let server = serve(|p| {
        (
            200,
            vec![
                allow_origin(p),
                ("content-type", "application/json".into()),
                ("x-total", "3".into()),
                ("x-secret", "1".into()),
                ("access-control-expose-headers", "X-Total".into()),
            ],
        )
    });
    let (code, doc) = check_json(&[&server.url("/data"), "--origin", PAGE]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["verdict"], "allowed");
    assert!(doc["message"].is_null());
    assert_eq!(doc["preflight"]["sent"], false);
    assert_eq!(doc["actual"]["sent"], true);
    let readable: Vec<&str> = doc["readable_headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(readable.contains(&"content-type"), "{readable:?}");
    assert!(readable.contains(&"x-total"), "{readable:?}");
    assert!(!readable.contains(&"x-secret"), "{readable:?}");
    assert_eq!(doc["browsers"]["chrome"]["verdict"], "allowed");
    assert_eq!(doc["browsers"]["firefox"]["verdict"], "allowed");
    assert_eq!(doc["browsers"]["webkit"]["verdict"], "allowed");
    // Exactly what the browser sends, and only one request (Firefox's and WebKit's runs
    // reused it).
    assert_eq!(server.methods(), ["GET"]);
    let got = server.seen()[0].clone();
    assert_eq!(got.path(), "/data");
    assert_eq!(got.headers["origin"], PAGE);
    assert_eq!(got.headers["accept"], "*/*");
    assert!(got.headers.get("cookie").is_none());
}

#[test]
fn missing_allow_origin_is_blocked_with_chromes_exact_message() {
    let server = serve(|_| (200, vec![("content-type", "text/plain".into())]));
    let url = server.url("/data");
    let (code, doc) = check_json(&[&url, "--origin", PAGE]);
    assert_eq!(code, 1);
    assert_eq!(doc["verdict"], "blocked");
    let expected = format!(
        "Access to fetch at '{url}' from origin '{PAGE}' has been blocked by CORS policy: No \
         'Access-Control-Allow-Origin' header is present on the requested resource."
    );
    assert_eq!(doc["message"], expected.as_str());
    assert_eq!(doc["browsers"]["chrome"]["message"], expected.as_str());
    assert_eq!(
        doc["browsers"]["chrome"]["reason"],
        "MissingAllowOriginHeader"
    );
    assert_eq!(doc["browsers"]["firefox"]["verdict"], "blocked");
    assert_eq!(
        doc["browsers"]["firefox"]["reason"],
        "CORSMissingAllowOrigin"
    );
    // WebKit blocks it too, in its own words (the missing header is "not allowed").
    assert_eq!(doc["browsers"]["webkit"]["verdict"], "blocked");
    assert!(doc["browsers"]["webkit"].get("unobserved").is_none());
    assert_eq!(
        doc["browsers"]["webkit"]["message"],
        format!("Origin {PAGE} is not allowed by Access-Control-Allow-Origin. Status code: 200")
            .as_str()
    );
    assert_eq!(
        doc["browsers"]["webkit"]["followups"],
        json!([format!(
            "Fetch API cannot load {url} due to access control checks."
        )])
    );
    assert_eq!(
        doc["browsers"]["webkit"]["reason"],
        "MissingAllowOriginHeader"
    );
    assert_eq!(
        doc["browsers"]["firefox"]["message"],
        format!(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote \
             resource at {url}. (Reason: CORS header \u{2018}Access-Control-Allow-Origin\u{2019} \
             missing). Status code: 200."
        )
        .as_str()
    );
    assert!(doc["readable_headers"].is_null());
    assert_eq!(doc["blocked"]["stage"], "response");
    assert!(doc["actual"]["failure"]
        .as_str()
        .unwrap()
        .contains("did not send Access-Control-Allow-Origin"));
    assert_eq!(doc["fix"]["cause"], "needs_allow_origin");
    assert_eq!(
        doc["fix"]["corsgate"],
        format!("allow_origins = [\"{PAGE}\"]\n").as_str()
    );
    // Human output, too.
    let (status, out, _) = corsgate(&["check", &url, "--origin", PAGE], &[]);
    assert_eq!(status.code(), Some(1));
    assert!(out.contains(&expected), "{out}");
    assert!(out.contains("BLOCKED at the response."), "{out}");
}

/// A server allowing GET and POST from the page, answering preflights with 204.
fn get_post_server() -> Server {
    serve(|p| {
        if p.method == http::Method::OPTIONS {
            (
                204,
                vec![
                    allow_origin(p),
                    ("access-control-allow-methods", "GET, POST".into()),
                    ("access-control-allow-headers", "content-type".into()),
                ],
            )
        } else {
            (200, vec![allow_origin(p)])
        }
    })
}

#[test]
fn preflight_method_failure_stops_before_the_request_and_renders_every_fix() {
    let server = get_post_server();
    let url = server.url("/data");
    let (status, out, err) = corsgate(&["check", &url, "--origin", PAGE, "-X", "PUT"], &[]);
    assert_eq!(status.code(), Some(1), "{out}{err}");
    // The browser stops at the failed preflight: PUT never reaches the server.
    assert_eq!(server.methods(), ["OPTIONS"]);
    let got = server.seen()[0].clone();
    assert_eq!(got.headers["access-control-request-method"], "PUT");
    assert!(got.headers.get("access-control-request-headers").is_none());
    assert!(out.contains(&format!(
        "Access to fetch at '{url}' from origin '{PAGE}' has been blocked by CORS policy: \
         Method PUT is not allowed by Access-Control-Allow-Methods in preflight response."
    )));
    // The four stacks, each with the method added to what the server allows.
    for line in [
        "allow_methods = [\"GET\", \"POST\", \"PUT\"]",
        "allow_origins = [\"http://127.0.0.1:5500\"]",
        "methods: [\"GET\", \"HEAD\", \"POST\", \"PUT\"],",
        "origin: \"http://127.0.0.1:5500\",",
        ".allow_methods([Method::GET, Method::HEAD, Method::POST, Method::PUT])",
        ".allow_origin(HeaderValue::from_static(\"http://127.0.0.1:5500\"))",
        "add_header Access-Control-Allow-Methods \"GET, HEAD, POST, PUT\" always;",
        "add_header Access-Control-Allow-Origin \"http://127.0.0.1:5500\" always;",
        "if ($request_method = OPTIONS) {",
        "return 204;",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    let (_, doc) = check_json(&[&url, "--origin", PAGE, "-X", "PUT"]);
    assert_eq!(doc["preflight"]["sent"], true);
    assert_eq!(doc["preflight"]["response"]["status"], 204);
    assert!(doc["preflight"]["failure"]
        .as_str()
        .unwrap()
        .contains("PUT"));
    assert_eq!(doc["actual"]["sent"], false);
    assert_eq!(doc["fix"]["cause"], "needs_allow_method");
    assert!(doc["fix"]["tower_http"].as_str().unwrap().starts_with(
        "use http::{header::HeaderName, HeaderValue, Method};\nuse tower_http::cors::CorsLayer;"
    ));
}

#[test]
fn preflight_header_failure_names_the_header() {
    let server = get_post_server();
    let url = server.url("/data");
    let (code, doc) = check_json(&[
        &url,
        "--origin",
        PAGE,
        "-X",
        "POST",
        "-H",
        "Content-Type: application/json",
        "-H",
        "X-Api-Key: secret",
        "--data",
        "{}",
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        doc["message"],
        format!(
            "Access to fetch at '{url}' from origin '{PAGE}' has been blocked by CORS policy: \
             Request header field x-api-key is not allowed by Access-Control-Allow-Headers in \
             preflight response."
        )
        .as_str()
    );
    assert_eq!(
        doc["preflight"]["request"]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == "access-control-request-headers")
            .unwrap()["value"],
        "content-type,x-api-key"
    );
    assert_eq!(
        doc["browsers"]["firefox"]["reason"],
        "CORSMissingAllowHeaderFromPreflight"
    );
    let toml = doc["fix"]["corsgate"].as_str().unwrap();
    assert!(
        toml.contains("allow_headers = [\"content-type\", \"x-api-key\"]"),
        "{toml}"
    );
    assert!(doc["fix"]["nginx"]
        .as_str()
        .unwrap()
        .contains("add_header Access-Control-Allow-Headers \"content-type, x-api-key\" always;"));
    assert!(doc["fix"]["npm_cors"]
        .as_str()
        .unwrap()
        .contains("allowedHeaders: [\"content-type\", \"x-api-key\"],"));
}

#[test]
fn body_is_sent_after_a_passing_preflight() {
    let server = serve(|p| {
        (
            if p.method == http::Method::OPTIONS {
                204
            } else {
                201
            },
            vec![
                allow_origin(p),
                ("access-control-allow-methods", "PUT".into()),
                ("access-control-allow-headers", "content-type".into()),
            ],
        )
    });
    let (code, doc) = check_json(&[
        &server.url("/items"),
        "--origin",
        PAGE,
        "-X",
        "PUT",
        "-H",
        "Content-Type: application/json",
        "--data",
        "{\"a\":1}",
    ]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(server.methods(), ["OPTIONS", "PUT"]);
    let put = server.seen()[1].clone();
    assert_eq!(put.headers["content-type"], "application/json");
    assert_eq!(put.headers["content-length"], "7");
    assert_eq!(doc["actual"]["response"]["status"], 201);
    assert_eq!(doc["actual"]["request"]["body"], true);
}

#[test]
fn credentials_with_a_wildcard_origin_are_blocked() {
    let server = serve(|_| (200, vec![("access-control-allow-origin", "*".into())]));
    let url = server.url("/me");
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--credentials", "include"]);
    assert_eq!(code, 1);
    assert_eq!(
        doc["message"],
        format!(
            "Access to fetch at '{url}' from origin '{PAGE}' has been blocked by CORS policy: \
             The value of the 'Access-Control-Allow-Origin' header in the response must not be \
             the wildcard '*' when the request's credentials mode is 'include'."
        )
        .as_str()
    );
    assert_eq!(doc["actual"]["request"]["credentials"], true);
    assert_eq!(doc["fix"]["cause"], "needs_exact_origin_for_credentials");
    let toml = doc["fix"]["corsgate"].as_str().unwrap();
    assert_eq!(
        toml,
        "allow_origins = [\"http://127.0.0.1:5500\"]\nallow_credentials = true\n"
    );
    // Without credentials the same server is fine.
    let (code, _) = check_json(&[&url, "--origin", PAGE, "--credentials", "omit"]);
    assert_eq!(code, 0);
}

#[test]
fn credentials_without_allow_credentials_are_blocked() {
    let server = serve(|p| (200, vec![allow_origin(p)]));
    let url = server.url("/me");
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--credentials", "include"]);
    assert_eq!(code, 1);
    assert_eq!(
        doc["message"],
        format!(
            "Access to fetch at '{url}' from origin '{PAGE}' has been blocked by CORS policy: \
             The value of the 'Access-Control-Allow-Credentials' header in the response is '' \
             which must be 'true' when the request's credentials mode is 'include'."
        )
        .as_str()
    );
    assert_eq!(doc["fix"]["cause"], "needs_allow_credentials");
    assert!(doc["fix"]["tower_http"]
        .as_str()
        .unwrap()
        .contains(".allow_credentials(true)"));
    // Chrome's line quotes the missing header as '', the explanation says it was missing.
    let why = doc["blocked"]["explanation"].as_str().unwrap();
    assert!(why.ends_with("; it was missing."), "{why}");
    assert!(!why.contains("''"), "{why}");

    // Sent, but empty: then it had ''.
    let server = serve(|p| {
        (
            200,
            vec![
                allow_origin(p),
                ("access-control-allow-credentials", String::new()),
            ],
        )
    });
    let (code, doc) = check_json(&[
        &server.url("/me"),
        "--origin",
        PAGE,
        "--credentials",
        "include",
    ]);
    assert_eq!(code, 1);
    let why = doc["blocked"]["explanation"].as_str().unwrap();
    assert!(why.ends_with("; it had ''."), "{why}");
}

#[test]
fn redirects_are_followed_by_the_flow_not_the_client() {
    let server = serve(|p| {
        if p.uri.path() == "/old" {
            (301, vec![allow_origin(p), ("location", "/new".into())])
        } else {
            (200, vec![allow_origin(p)])
        }
    });
    let (code, doc) = check_json(&[&server.url("/old"), "--origin", PAGE]);
    assert_eq!(code, 0, "{doc:#}");
    let ex = doc["exchanges"].as_array().unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0]["response"]["status"], 301);
    assert_eq!(ex[1]["request"]["url"], server.url("/new").as_str());
    assert_eq!(doc["actual"]["request"]["url"], server.url("/new").as_str());
}

#[test]
fn a_cross_origin_redirect_makes_the_origin_null() {
    // 127.0.0.1 redirects to localhost (another origin): the second request carries
    // `Origin: null`, which this server does not allow.
    let server = serve(|p| {
        if p.uri.path() == "/old" {
            let port = p.headers["host"]
                .to_str()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .to_owned();
            (
                302,
                vec![
                    allow_origin(p),
                    ("location", format!("http://localhost:{port}/new")),
                ],
            )
        } else {
            (200, vec![("access-control-allow-origin", PAGE.to_owned())])
        }
    });
    let (code, doc) = check_json(&[&server.url("/old"), "--origin", PAGE]);
    assert_eq!(code, 1, "{doc:#}");
    let second = server.seen()[1].clone();
    assert_eq!(second.headers["origin"], "null");
    assert_eq!(doc["blocked"]["kind"], "AllowOriginMismatch");
    assert!(doc["message"]
        .as_str()
        .unwrap()
        .contains("that is not equal to the supplied origin"));
    // No stack can allow `null` safely: the fix is to avoid the redirect, in words.
    assert_eq!(doc["fix"]["side"], "server");
    for stack in ["corsgate", "npm_cors", "tower_http", "nginx"] {
        assert!(doc["fix"][stack].is_null(), "{stack}: {doc:#}");
    }
    let summary = doc["fix"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("Avoid the cross-origin redirect"),
        "{summary}"
    );
}

/// A page whose origin is `null` (`--origin null`: a sandboxed iframe, a file): no stack's
/// fix says to allow `null` — every fix printed is valid and safe — and each says what to do
/// instead (serve the page from a real origin).
#[test]
fn a_null_origin_is_never_recommended() {
    let none = serve(|_| (200, vec![("content-type", "text/plain".to_owned())]));
    let echo = serve(|p| {
        (
            if p.method == http::Method::OPTIONS {
                204
            } else {
                200
            },
            vec![
                allow_origin(p),
                ("access-control-allow-methods", "GET".to_owned()),
            ],
        )
    });
    for (url, flags) in [
        (none.url("/data"), &[][..]),
        (none.url("/data"), &["--credentials", "include"][..]),
        (echo.url("/data"), &["-X", "PUT"][..]),
    ] {
        let mut args = vec![url.as_str(), "--origin", "null"];
        args.extend_from_slice(flags);
        let (code, doc) = check_json(&args);
        assert_eq!(code, 1, "{flags:?}: {doc:#}");
        assert_eq!(doc["fix"]["side"], "page", "{flags:?}");
        for stack in ["corsgate", "npm_cors", "tower_http", "nginx"] {
            assert!(doc["fix"][stack].is_null(), "{flags:?} {stack}: {doc:#}");
        }
        let summary = doc["fix"]["summary"].as_str().unwrap();
        assert!(
            summary.contains("No server can allow it safely")
                && summary.contains("Serve the page from a real origin")
                && summary.contains("npm cors package, tower-http or nginx"),
            "{summary}"
        );
        let mut human = vec!["check"];
        human.extend_from_slice(&args);
        let (_, out, _) = corsgate(&human, &[]);
        for unsafe_advice in [
            "Access-Control-Allow-Origin: null",
            "Access-Control-Allow-Origin \"null\"",
            "origin: \"null\"",
            "from_static(\"null\")",
            "allow_origins = []",
        ] {
            assert!(
                !out.contains(unsafe_advice),
                "{flags:?}: {unsafe_advice} in\n{out}"
            );
        }
    }
}

#[test]
fn preflight_error_status_is_explained() {
    let server = serve(|p| {
        if p.method == http::Method::OPTIONS {
            (401, vec![allow_origin(p)])
        } else {
            (200, vec![allow_origin(p)])
        }
    });
    let url = server.url("/data");
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "-X", "DELETE"]);
    assert_eq!(code, 1);
    assert_eq!(
        doc["message"],
        format!(
            "Access to fetch at '{url}' from origin '{PAGE}' has been blocked by CORS policy: \
             Response to preflight request doesn't pass access control check: It does not have \
             HTTP ok status."
        )
        .as_str()
    );
    assert_eq!(doc["fix"]["cause"], "needs_ok_preflight_status");
    assert!(doc["fix"]["corsgate"]
        .as_str()
        .unwrap()
        .contains("allow_methods = [\"DELETE\"]"));
}

#[test]
fn xhr_initiator_changes_chromes_wording() {
    let server = serve(|_| (200, vec![]));
    let url = server.url("/data");
    let (code, doc) = check_json(&[&url, "--origin", PAGE, "--initiator", "xhr"]);
    assert_eq!(code, 1);
    assert!(doc["message"]
        .as_str()
        .unwrap()
        .starts_with(&format!("Access to XMLHttpRequest at '{url}'")));
}

#[test]
fn a_page_call_that_throws_is_blocked_before_sending() {
    let server = serve(|_| (200, vec![]));
    let (code, doc) = check_json(&[&server.url("/data"), "--origin", PAGE, "--data", "x"]);
    assert_eq!(code, 1);
    assert_eq!(doc["blocked"]["kind"], "Refused");
    assert!(doc["message"].as_str().unwrap().starts_with("TypeError: "));
    assert!(server.methods().is_empty());
}

/// Each browser throws its own words (Firefox ESR 153's checked in the browser), and when
/// nothing is sent the output says so, not that there is no preflight.
#[test]
fn a_call_that_throws_has_each_browsers_words_and_no_preflight_talk() {
    let server = serve(|_| (200, vec![]));
    let url = server.url("/data");
    let cases: [(&[&str], &str, &str); 4] = [
        (
            &["-X", "CONNECT"],
            "TypeError: Failed to execute 'fetch' on 'Window': 'CONNECT' HTTP method is \
             unsupported.",
            "TypeError: Window.fetch: Invalid request method CONNECT.",
        ),
        (
            &["-X", "GE T"],
            "TypeError: Failed to execute 'fetch' on 'Window': 'GE T' is not a valid HTTP method.",
            "TypeError: Window.fetch: Invalid request method GE T.",
        ),
        (
            &["--data", "x"],
            "TypeError: Failed to execute 'fetch' on 'Window': Request with GET/HEAD method \
             cannot have body.",
            "TypeError: Window.fetch: HEAD or GET Request cannot have a body.",
        ),
        (
            &["-H", "X-A: a\nb"],
            "TypeError: Failed to execute 'fetch' on 'Window': Invalid value",
            "TypeError: Window.fetch: a\nb is an invalid header value.",
        ),
    ];
    for (flags, chrome, firefox) in cases {
        let mut args = vec![url.as_str(), "--origin", PAGE];
        args.extend_from_slice(flags);
        let (code, doc) = check_json(&args);
        assert_eq!(code, 1, "{flags:?}: {doc:#}");
        assert_eq!(doc["blocked"]["stage"], "request");
        assert_eq!(doc["browsers"]["chrome"]["message"], chrome, "{flags:?}");
        assert_eq!(doc["browsers"]["firefox"]["message"], firefox, "{flags:?}");
        let mut human = vec!["check"];
        human.extend_from_slice(&args);
        let (_, out, _) = corsgate(&human, &[]);
        assert!(
            out.contains("Nothing is sent: the page's call throws before any request."),
            "{out}"
        );
        assert!(
            !out.to_lowercase().contains("preflight"),
            "{flags:?}:\n{out}"
        );
        assert!(
            out.contains(&format!(
                "Firefox's console:\n  {}\n",
                firefox.replace('\n', "\\n")
            )),
            "{out}"
        );
    }
    assert!(server.methods().is_empty());
}
