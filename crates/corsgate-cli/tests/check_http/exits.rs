//! `check`'s JSON and terminal output, its exit statuses, and servers that misbehave on the wire.

use super::*;

#[test]
fn json_document_has_the_documented_fields_and_types() {
    let server = get_post_server();
    let (_, doc) = check_json(&[&server.url("/data"), "--origin", PAGE, "-X", "PATCH"]);
    assert_eq!(doc["schema_version"], 1);
    assert!(doc["verdict"].is_string());
    assert!(doc["message"].is_string());
    assert!(doc["source"] == "network");
    assert!(doc["policy_file"].is_null());
    for key in ["url", "origin", "method", "credentials", "initiator"] {
        assert!(doc["request"][key].is_string(), "request.{key}");
    }
    assert!(doc["request"]["headers"].is_array());
    assert!(doc["request"]["body"].is_boolean());
    assert!(doc["request"]["same_origin"].is_boolean());
    assert!(doc["request"]["preflight_reasons"].is_array());
    for leg in ["preflight", "actual"] {
        assert!(doc[leg]["sent"].is_boolean(), "{leg}.sent");
        assert!(doc[leg].get("request").is_some(), "{leg}.request");
        assert!(doc[leg].get("response").is_some(), "{leg}.response");
        assert!(doc[leg].get("failure").is_some(), "{leg}.failure");
    }
    let pre = &doc["preflight"];
    assert!(pre["request"]["method"].is_string());
    assert!(pre["request"]["headers"][0]["name"].is_string());
    assert!(pre["request"]["headers"][0]["value"].is_string());
    assert!(pre["response"]["status"].is_u64());
    assert!(pre["response"]["headers"].is_array());
    assert!(pre["failure"].is_string());
    assert!(doc["exchanges"].is_array());
    assert!(doc.get("readable_headers").is_some());
    for b in ["chrome", "firefox", "webkit"] {
        assert!(doc["browsers"][b]["verdict"].is_string(), "{b}");
        assert!(doc["browsers"][b].get("message").is_some(), "{b}");
        assert!(doc["browsers"][b].get("reason").is_some(), "{b}");
    }
    for key in ["kind", "stage", "url", "failed_parameter", "explanation"] {
        assert!(doc["blocked"][key].is_string(), "blocked.{key}");
    }
    assert!(doc["blocked"]["status"].is_u64());
    assert!(doc["blocked"]["disallowed_headers"].is_array());
    for key in [
        "cause",
        "side",
        "summary",
        "corsgate",
        "npm_cors",
        "tower_http",
        "nginx",
    ] {
        assert!(doc["fix"][key].is_string(), "fix.{key}");
    }
    assert!(doc["warnings"].is_array());
    assert!(doc["notes"].is_array());
    assert!(doc.get("diagnosis").is_some());
}

#[test]
fn no_ansi_escapes_off_a_terminal_or_with_no_color() {
    let server = get_post_server();
    let url = server.url("/data");
    for env in [&[][..], &[("NO_COLOR", "1")][..]] {
        let (status, out, _) = corsgate(&["check", &url, "--origin", PAGE, "-X", "PUT"], env);
        assert_eq!(status.code(), Some(1));
        assert!(out.contains("BLOCKED"), "{out}");
        assert!(!out.contains('\x1b'), "ANSI escape in: {out:?}");
    }
}

#[test]
fn unreachable_server_exits_2() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/data");
    let (status, out, err) = corsgate(&["check", &url, "--origin", PAGE], &[]);
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(out.is_empty());
    assert!(
        err.starts_with(&format!(
            "corsgate check: could not check: cannot connect to 127.0.0.1:{port}"
        )),
        "{err}"
    );
}

#[test]
fn a_silent_server_times_out_with_exit_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://127.0.0.1:{}/data",
        listener.local_addr().unwrap().port()
    );
    let started = std::time::Instant::now();
    let (status, _, err) = corsgate(&["check", &url, "--origin", PAGE, "--timeout", "1"], &[]);
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("within 1 s (--timeout 1)"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    drop(listener);
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message() {
    let cases: [(&[&str], &str); 6] = [
        (&["check", "http://localhost:3000/data"], "--origin"),
        (
            &[
                "check",
                "http://localhost:3000/data",
                "--origin",
                "http://a.com/path",
            ],
            "--origin 'http://a.com/path' is not an origin",
        ),
        (
            &["check", "not a url", "--origin", PAGE],
            "'not a url' is not a URL",
        ),
        (
            &["check", "ftp://localhost/x", "--origin", PAGE],
            "is not an http: or https: URL",
        ),
        (
            &[
                "check",
                "http://localhost:3000/data",
                "--origin",
                PAGE,
                "-H",
                "NoColon",
            ],
            "-H 'NoColon' is not a header",
        ),
        (
            &[
                "check",
                "http://localhost:3000/data",
                "--origin",
                PAGE,
                "--timeout",
                "0",
            ],
            "--timeout",
        ),
    ];
    for (args, needle) in cases {
        let (status, out, err) = corsgate(args, &[]);
        assert_eq!(status.code(), Some(2), "{args:?}: {out}{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

/// A hostile server's bytes never reach the terminal raw: C1 controls (0x9B is a CSI, as
/// Chrome shows it: U+009B), the soft hyphen and a no-break space are escaped in the human
/// output — header lines and the explanations quoting the value alike — while `--json` keeps
/// them exact.
#[test]
fn control_characters_from_the_server_are_escaped_for_the_terminal() {
    let server = serve(|_| {
        (
            200,
            vec![
                ("access-control-allow-origin", format!("{PAGE}\u{9b}2J")),
                ("x-evil", "a\u{9b}31mb\u{85}c\u{ad}d\u{a0}e".to_owned()),
            ],
        )
    });
    let url = server.url("/data");
    let (status, out, err) = corsgate(&["check", &url, "--origin", PAGE], &[]);
    assert_eq!(status.code(), Some(1), "{out}{err}");
    let raw: Vec<char> = out
        .chars()
        .filter(|c| *c != '\n' && (c.is_control() || ['\u{ad}', '\u{a0}'].contains(c)))
        .collect();
    assert!(raw.is_empty(), "raw {raw:?} in:\n{out}");
    assert!(
        out.contains("   < x-evil: a\\u{9b}31mb\\u{85}c\\u{ad}d\\u{a0}e\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "   < access-control-allow-origin: {PAGE}\\u{{9b}}2J\n"
        )),
        "{out}"
    );
    // Chrome's console line writes the byte its own way (\u009B), the explanation is ours.
    assert!(
        out.contains(&format!(
            "header contains the invalid value '{PAGE}\\u009B2J'. Have the server send"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("instead of '{PAGE}\\u{{9b}}2J'.")),
        "{out}"
    );

    let (_, doc) = check_json(&[&url, "--origin", PAGE]);
    let headers = doc["actual"]["response"]["headers"].as_array().unwrap();
    let evil = headers.iter().find(|h| h["name"] == "x-evil").unwrap();
    assert_eq!(evil["value"], "a\u{9b}31mb\u{85}c\u{ad}d\u{a0}e");
    assert!(doc["fix"]["summary"]
        .as_str()
        .unwrap()
        .contains(&format!("'{PAGE}\u{9b}2J'")));
}

/// `--timeout` is the deadline of the whole check: 20 slow redirect hops, each well within
/// it, stop at it (they took 21 × timeout before).
#[test]
fn the_timeout_bounds_the_whole_check_redirects_included() {
    let server = raw::serve_raw(|mut r| {
        std::thread::sleep(Duration::from_millis(400));
        let n: u32 = r.path().trim_start_matches("/hop").parse().unwrap_or(0);
        let answer = format!(
            "HTTP/1.1 302 Found\r\nLocation: /hop{}\r\nAccess-Control-Allow-Origin: *\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            n + 1
        );
        r.send(answer.as_bytes());
    });
    let url = server.url("/hop0");
    let started = Instant::now();
    let (status, out, err) = corsgate(&["check", &url, "--origin", PAGE, "--timeout", "2"], &[]);
    let took = started.elapsed();
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(took < Duration::from_millis(3500), "took {took:?}");
    assert!(err.contains("within 2 s (--timeout 2)"), "{err}");
    assert!(err.contains("--timeout bounds the whole check"), "{err}");
}

/// An endless `100 Continue` flood stops at the deadline too (the reads yield, the parser
/// never has more than a slice of bytes to go through), and the message says what came.
#[test]
fn a_flood_of_100_continue_stops_at_the_timeout() {
    let server = raw::serve_raw(|mut r| {
        let chunk = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(400);
        while r.send(&chunk) {}
    });
    let started = Instant::now();
    let (status, out, err) = corsgate(
        &[
            "check",
            &server.url("/data"),
            "--origin",
            PAGE,
            "--timeout",
            "1",
        ],
        &[],
    );
    let took = started.elapsed();
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(took < Duration::from_millis(2500), "took {took:?}");
    assert!(err.contains("within 1 s (--timeout 1)"), "{err}");
    assert!(
        err.contains("informational 1xx responses and no final one"),
        "{err}"
    );
}

/// Browsers bound a response head by its size only (Chromium: 256 KiB; Firefox ESR 153:
/// 384 KiB), not by its number of lines: 1,000 and 10,000 header lines are read; a head over
/// 256 KiB is refused, naming the limit.
#[test]
fn many_header_lines_are_read_up_to_chromes_head_size() {
    for lines in [1_000, 10_000] {
        let server = serve(move |p| {
            let mut headers = vec![allow_origin(p)];
            for i in 0..lines {
                headers.push(("x-many", format!("{i}")));
            }
            (200, headers)
        });
        let (code, doc) = check_json(&[&server.url("/data"), "--origin", PAGE]);
        assert_eq!(code, 0, "{lines} lines: {doc:#}");
        let got = doc["actual"]["response"]["headers"]
            .as_array()
            .unwrap()
            .len();
        assert!(got > lines, "{lines} lines, {got} read");
    }
    let big = serve(|p| (200, vec![allow_origin(p), ("x-big", "v".repeat(270_000))]));
    let (status, out, err) = corsgate(&["check", &big.url("/data"), "--origin", PAGE], &[]);
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(err.contains("is larger than 256 KiB"), "{err}");
    assert!(err.contains("net::ERR_RESPONSE_HEADERS_TOO_BIG"), "{err}");
}

/// A body cut short (the connection closes before `Content-Length`, or before a chunked
/// body's last chunk) is no readable response: as in the browsers (checked in Chromium 156
/// and Firefox ESR 153), reading it fails with a network error.
#[test]
fn a_body_cut_short_fails_as_in_the_browsers() {
    let server = raw::serve_raw(|mut r| {
        let head = "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\nContent-Type: text/plain\r\nConnection: close\r\n";
        let answer = if r.path() == "/chunked" {
            format!("{head}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n10\r\nabc")
        } else if r.path() == "/whole" {
            format!("{head}Content-Length: 5\r\n\r\nhello")
        } else {
            format!("{head}Content-Length: 100\r\n\r\nhello")
        };
        r.send(answer.as_bytes());
    });
    let (code, doc) = check_json(&[&server.url("/cut"), "--origin", PAGE]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["verdict"], "blocked");
    assert_eq!(doc["message"], "TypeError: Failed to fetch");
    assert_eq!(doc["blocked"]["kind"], "net::ERR_CONTENT_LENGTH_MISMATCH");
    assert_eq!(doc["blocked"]["stage"], "response");
    assert_eq!(
        doc["browsers"]["firefox"]["message"],
        "TypeError: Content-Length header of network response exceeds response Body."
    );
    assert_eq!(doc["fix"]["cause"], "needs_complete_body");
    assert!(doc["readable_headers"].is_null());
    let why = doc["blocked"]["explanation"].as_str().unwrap();
    assert!(
        why.starts_with("The body ended after 5 of the 100 bytes its Content-Length announced"),
        "{why}"
    );

    let (code, doc) = check_json(&[&server.url("/chunked"), "--origin", PAGE]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(
        doc["blocked"]["kind"],
        "net::ERR_INCOMPLETE_CHUNKED_ENCODING"
    );

    // XMLHttpRequest throws nothing: it fires error.
    let (code, doc) = check_json(&[&server.url("/cut"), "--origin", PAGE, "--initiator", "xhr"]);
    assert_eq!(code, 1, "{doc:#}");
    assert!(doc["message"].is_null());

    // A whole body is read and allowed.
    let (code, doc) = check_json(&[&server.url("/whole"), "--origin", PAGE]);
    assert_eq!(code, 0, "{doc:#}");
}
