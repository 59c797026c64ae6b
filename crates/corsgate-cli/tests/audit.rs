//! `corsgate audit` against scripted servers behaving like each misconfiguration, corsgate's
//! own layer serving correct policies (live and `--policy` offline, compared), the request
//! count and rate, exit statuses, the JSON fields and the escaping of hostile bytes.

use std::time::{Duration, Instant};

use axum::Router;
use serde_json::Value;

use crate::util::server::Reply;
use crate::util::{audit_json, corsgate, fresh_dir, serve, serve_router, Seen};

mod scenarios;
use scenarios::*;

/// The trusted page origin of these tests.
const APP: &str = "https://app.example.com";
/// Fast enough for a test, still paced.
const RATE: &str = "100/s";

/// `(class, severity)` of every finding, in order.
fn classes(doc: &Value) -> Vec<(String, String)> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["class"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn each_misconfiguration_is_found_alone_with_its_severity() {
    for (name, script, expected) in scenarios() {
        let server = serve(script);
        let url = server.url("/data");
        let (code, doc) = audit_json(&[&url, "--origin", APP, "--rate", RATE]);
        let want: Vec<(String, String)> = expected
            .iter()
            .map(|(c, s)| ((*c).to_owned(), (*s).to_owned()))
            .collect();
        assert_eq!(classes(&doc), want, "{name}: {doc:#}");
        let high = expected.iter().any(|(_, s)| *s == "high");
        assert_eq!(code, i32::from(high), "{name}");
        assert_eq!(doc["exit_code"], i32::from(high), "{name}");
        // Only the given URL, only GET and OPTIONS, no bodies.
        let seen = server.seen();
        assert_eq!(
            seen.len() as u64,
            doc["requests"].as_u64().unwrap(),
            "{name}"
        );
        for s in &seen {
            assert_eq!(s.path(), "/data", "{name}");
            assert!(s.method == "GET" || s.method == "OPTIONS", "{name}");
            assert!(s.body.is_empty(), "{name}");
            assert!(s.header("cookie").is_none(), "{name}");
        }
        for f in doc["findings"].as_array().unwrap() {
            assert!(!f["probes"].as_array().unwrap().is_empty(), "{name}");
            assert!(f["why"].as_str().unwrap().ends_with('.'), "{name}");
        }
    }
}

#[test]
fn a_reflecting_server_is_one_finding_naming_every_probe_that_showed_it() {
    let server = serve(trusting(|_| true));
    let (_, doc) = audit_json(&[&server.url("/data"), "--origin", APP, "--rate", RATE]);
    let f = &doc["findings"][0];
    let kinds: std::collections::BTreeSet<&str> = f["probes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    for kind in [
        "any-origin",
        "null",
        "prefix",
        "suffix",
        "unescaped-dot",
        "special-char",
        "third-party",
        "subdomain",
    ] {
        assert!(kinds.contains(kind), "{kind}: {kinds:?}");
    }
    assert_eq!(f["credentials"], true);
    assert!(f["fix"]["corsgate"]
        .as_str()
        .unwrap()
        .starts_with("allow_origins = [\"https://app.example.com\"]\n"));
}

#[test]
fn a_public_star_api_without_credentials_has_no_findings() {
    let server = serve(|_: &Seen| {
        Reply::new(200)
            .header("access-control-allow-origin", "*")
            .header("access-control-allow-methods", "GET, PUT")
            .header("access-control-allow-headers", "*")
    });
    for args in [
        vec![],
        vec!["--origin", APP],
        vec!["-X", "PUT", "-H", "X-Token: 1"],
    ] {
        let url = server.url("/data");
        let mut all = vec![url.as_str(), "--rate", RATE];
        all.extend(args.iter().copied());
        let (code, doc) = audit_json(&all);
        assert_eq!(classes(&doc), [], "{args:?}: {doc:#}");
        assert_eq!(doc["public"], true);
        assert_eq!(code, 0);
    }
}

/// Correct policies, with the flags their pages' call needs.
const CORRECT: [(&str, &[&str]); 12] = [
    (
        "allow_origins = [\"https://app.example.com\"]\nallow_credentials = true\n",
        &["--origin", APP],
    ),
    (
        "allow_origins = [\"https://app.example.com\", \"https://*.example.com\"]\nallow_credentials = true\n",
        &["--origin", APP],
    ),
    (
        "allow_origins = [\"http://localhost:*\"]\nallow_credentials = true\n",
        &["--origin", "http://localhost:5173"],
    ),
    (
        "allow_origins = [\"https://app.example.com\"]\nexpose_headers = [\"x-request-id\", \"etag\"]\n",
        &["--origin", APP],
    ),
    (
        "allow_origins = [\"https://app.example.com\"]\nallow_private_network = true\nallow_credentials = true\n",
        &["--origin", APP],
    ),
    (
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\", \"DELETE\"]\nallow_headers = [\"content-type\", \"authorization\"]\nallow_credentials = true\n",
        &["--origin", APP, "-X", "PUT", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer x"],
    ),
    (
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"DELETE\"]\nmax_age = 600\n",
        &["--origin", APP, "-X", "DELETE"],
    ),
    (
        "allow_origins = [\"https://app.example.com\", \"https://admin.example.com\", \"http://127.0.0.1:5500\"]\nallow_credentials = true\n",
        &["--origin", APP, "--origin", "https://admin.example.com", "--origin", "http://127.0.0.1:5500"],
    ),
    ("allow_origins = [\"*\"]\n", &["--origin", APP]),
    (
        "allow_origins = [\"*\"]\nallow_methods = [\"*\"]\nallow_headers = [\"*\"]\nmax_age = 7200\n",
        &["-X", "PATCH", "-H", "X-Token: 1"],
    ),
    (
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\"]\ndebug = true\n",
        &["--origin", APP, "-X", "PUT"],
    ),
    (
        "allow_origins = [\"https://*.example.com:*\"]\npreflight_status = 200\nallow_methods = [\"PATCH\"]\nallow_credentials = true\n",
        &["--origin", APP, "-X", "PATCH"],
    ),
];

/// What an audit found, without what differs between runs (dates) or sources.
fn findings_compared(doc: &Value) -> Vec<Value> {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let probes: Vec<Value> = f["probes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    serde_json::json!([
                        p["id"],
                        p["origin"],
                        p["call"],
                        p["readable"],
                        p["response"]["status"]
                    ])
                })
                .collect();
            serde_json::json!([f["class"], f["severity"], f["title"], f["fix"], probes])
        })
        .collect()
}

#[test]
fn corsgate_serving_correct_policies_gives_nothing_above_info_live_and_offline_alike() {
    let dir = fresh_dir("audit-correct");
    for (i, (text, flags)) in CORRECT.iter().enumerate() {
        let config: corsgate::Config = toml::from_str(text).unwrap();
        let cors = config.build().unwrap_or_else(|e| panic!("policy {i}: {e}"));
        let server = serve_router(
            Router::new()
                .fallback(|| async { "ok" })
                .layer(cors.layer()),
        );
        let url = server.url("/data");
        let mut live = vec![url.as_str(), "--rate", RATE];
        live.extend(flags.iter().copied());
        let (code, on) = audit_json(&live);
        let what = format!("policy {i}:\n{text}{on:#}");
        assert_eq!(code, 0, "{what}");
        for (class, severity) in classes(&on) {
            assert_eq!(severity, "info", "{class}: {what}");
        }
        let file = dir.join(format!("p{i}.toml"));
        std::fs::write(&file, text).unwrap();
        let mut offline = live.clone();
        offline.extend(["--policy", file.to_str().unwrap()]);
        let (off_code, off) = audit_json(&offline);
        assert_eq!(off["source"], "policy");
        assert_eq!(on["source"], "network");
        assert_eq!(off_code, code, "{what}");
        assert_eq!(off["requests"], on["requests"], "{what}");
        assert_eq!(findings_compared(&off), findings_compared(&on), "{what}");
        assert_eq!(server.seen().len() as u64, on["requests"].as_u64().unwrap());
    }
}

#[test]
fn offline_findings_match_live_ones_for_dangerous_policies_too() {
    let dir = fresh_dir("audit-dangerous");
    for text in [
        "allow_origins = [\"https://*.github.io\"]\n",
        "allow_origins = [\"https://app.example.com\", \"https://*.example.com\"]\nallow_methods = [\"PUT\"]\nallow_credentials = true\n",
        "allow_origins = [\"*\"]\nallow_private_network = true\n",
        "allow_origins = [\"https://app.example.com\"]\nallow_methods = [\"PUT\"]\nmax_age = 86400\n",
    ] {
        let Ok(config) = toml::from_str::<corsgate::Config>(text) else {
            continue;
        };
        let cors = config.build().unwrap();
        let server = serve_router(
            Router::new()
                .fallback(|| async { "ok" })
                .layer(cors.layer()),
        );
        let url = server.url("/data");
        let live = vec![url.as_str(), "--rate", RATE, "--origin", APP, "-X", "PUT"];
        let (code, on) = audit_json(&live);
        let file = dir.join("p.toml");
        std::fs::write(&file, text).unwrap();
        let mut offline = live.clone();
        offline.extend(["--policy", file.to_str().unwrap()]);
        let (off_code, off) = audit_json(&offline);
        assert_eq!(off_code, code, "{text}");
        assert_eq!(findings_compared(&off), findings_compared(&on), "{text}{on:#}");
        assert!(!classes(&on).is_empty(), "{text}");
    }
}

#[test]
fn the_request_count_is_announced_and_the_rate_respected() {
    let server = serve(trusting(|o| o == APP));
    let url = server.url("/data");
    let started = Instant::now();
    let (status, out, err) = corsgate(
        &["audit", &url, "--origin", APP, "--rate", "25/s"],
        &[("NO_COLOR", "1")],
    );
    let took = started.elapsed();
    assert_eq!(status.code(), Some(0), "{out}{err}");
    let n = server.seen().len();
    assert!(n >= 20, "{n}");
    let announced = format!("corsgate audit: {n} requests to {url}, at most 25 per second.");
    assert_eq!(err.lines().next(), Some(announced.as_str()), "{err}");
    assert!(out.contains(&format!(", {n} requests)\n")), "{out}");
    // n requests at 25 per second: the last starts (n - 1) / 25 s after the first.
    let least = Duration::from_secs_f64((n - 1) as f64 / 25.0);
    assert!(took >= least, "{took:?} < {least:?}");
}

#[test]
fn exit_statuses() {
    let server = serve(|seen: &Seen| {
        if seen.origin() == APP {
            Reply::new(200).header("access-control-allow-origin", APP)
        } else {
            Reply::new(200)
        }
    });
    let url = server.url("/data");
    let code = |extra: &[&str]| {
        let mut args = vec!["audit", url.as_str(), "--origin", APP, "--rate", RATE];
        args.extend_from_slice(extra);
        let (status, out, err) = corsgate(&args, &[]);
        (status.code(), out, err)
    };
    // One low finding (missing-vary).
    assert_eq!(code(&[]).0, Some(0));
    assert_eq!(code(&["--fail-on", "medium"]).0, Some(0));
    assert_eq!(code(&["--fail-on", "low"]).0, Some(1));
    assert_eq!(code(&["--fail-on", "info"]).0, Some(1));
    for bad in [
        vec!["--rate", "0/s"],
        vec!["--rate", "fast"],
        vec!["--timeout", "0"],
        vec!["--fail-on", "critical"],
        vec!["--origin", "null"],
        vec!["--origin", "https://a.example/path"],
        vec!["-X", "CONNECT"],
        vec!["-H", "no colon"],
        vec!["--policy", "/nonexistent/cors.toml"],
    ] {
        let (status, out, err) = code(&bad);
        assert_eq!(status, Some(2), "{bad:?}: {out}{err}");
        assert!(out.is_empty(), "{bad:?}: {out}");
        assert!(!err.is_empty(), "{bad:?}");
    }
    let (status, out, err) = corsgate(&["audit", "not a url"], &[]);
    assert_eq!(status.code(), Some(2));
    assert!(out.is_empty() && err.contains("is not a URL"), "{err}");
    // Nothing listening: the audit could not run.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let (status, out, err) = corsgate(
        &[
            "audit",
            &format!("http://127.0.0.1:{closed}/"),
            "--rate",
            RATE,
        ],
        &[],
    );
    assert_eq!(status.code(), Some(2), "{out}{err}");
    assert!(out.is_empty() && err.contains("cannot connect"), "{err}");
    // An invalid policy file: every problem at its line.
    let dir = fresh_dir("audit-bad-policy");
    let file = dir.join("p.toml");
    std::fs::write(&file, "allow_origins = [\"null\"]\n").unwrap();
    let (status, out, err) = corsgate(
        &[
            "audit",
            "https://api.example.com/",
            "--policy",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(status.code(), Some(2));
    assert!(out.is_empty() && err.contains("p.toml:1:"), "{err}");
}

#[test]
fn the_json_document_has_every_field_of_the_schema() {
    let server = serve(trusting(|_| true));
    let url = server.url("/data");
    let (code, doc) = audit_json(&[&url, "--origin", APP, "--rate", RATE, "-X", "PUT"]);
    assert_eq!(code, 1);
    for key in [
        "schema_version",
        "url",
        "source",
        "policy_file",
        "trusted_origins",
        "call",
        "public",
        "requests",
        "fail_on",
        "exit_code",
        "counts",
        "findings",
        "probes",
    ] {
        assert!(doc.get(key).is_some(), "{key}: {doc:#}");
    }
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["url"], url);
    assert_eq!(doc["policy_file"], Value::Null);
    assert_eq!(doc["trusted_origins"], serde_json::json!([APP]));
    assert_eq!(doc["call"]["method"], "PUT");
    assert_eq!(doc["call"]["preflight"], true);
    assert_eq!(doc["fail_on"], "high");
    assert_eq!(doc["counts"]["high"], 1);
    let probes = doc["probes"].as_array().unwrap();
    assert_eq!(probes.len() as u64, doc["requests"].as_u64().unwrap());
    for (i, p) in probes.iter().enumerate() {
        assert_eq!(p["id"], i);
        for key in [
            "kind",
            "origin",
            "call",
            "page_method",
            "page_headers",
            "request",
            "response",
            "readable",
        ] {
            assert!(p.get(key).is_some(), "{key}: {p:#}");
        }
        let sent = p["request"]["headers"].as_array().unwrap();
        assert_eq!(sent[0]["name"], "host");
        assert!(sent
            .iter()
            .any(|h| h["name"] == "origin" && h["value"] == p["origin"]));
        assert!(p["readable"]["with_credentials"].is_boolean());
        assert!(p["response"]["status"].is_u64());
    }
    let calls: std::collections::BTreeSet<&str> =
        probes.iter().map(|p| p["call"].as_str().unwrap()).collect();
    assert_eq!(
        calls.into_iter().collect::<Vec<_>>(),
        ["preflight", "private-network", "simple"]
    );
    let f = &doc["findings"][0];
    for key in [
        "class",
        "severity",
        "title",
        "why",
        "credentials",
        "probes",
        "fix",
    ] {
        assert!(f.get(key).is_some(), "{key}");
    }
    for key in ["summary", "corsgate", "npm_cors", "tower_http", "nginx"] {
        assert!(f["fix"][key].is_string(), "{key}");
    }
}

#[test]
fn hostile_header_bytes_are_escaped_in_words_and_exact_in_json() {
    let hostile = "GET\u{9b}31m\u{85}, PUT";
    let server = serve(move |seen: &Seen| {
        if seen.method == http::Method::OPTIONS && seen.origin() != APP {
            Reply::new(204).header("access-control-allow-methods", hostile)
        } else if seen.origin() == APP {
            allow(APP, false)
        } else {
            refuse()
        }
    });
    let url = server.url("/data");
    let (status, out, err) = corsgate(
        &["audit", &url, "--origin", APP, "--rate", RATE],
        &[("NO_COLOR", "1")],
    );
    assert_eq!(status.code(), Some(0), "{out}{err}");
    assert!(out.contains("preflight-disclosure"), "{out}");
    assert!(
        out.contains("access-control-allow-methods: GET\\u{9b}31m\\u{85}, PUT"),
        "{out}"
    );
    assert!(
        !out.contains('\u{1b}') && !out.contains('\u{9b}'),
        "{out:?}"
    );
    let (_, doc) = audit_json(&[&url, "--origin", APP, "--rate", RATE]);
    let f = &doc["findings"][0];
    assert_eq!(f["class"], "preflight-disclosure");
    let headers = f["probes"][0]["response"]["headers"].as_array().unwrap();
    assert!(headers
        .iter()
        .any(|h| h["name"] == "access-control-allow-methods" && h["value"] == hostile));
}

#[test]
fn human_output_is_grouped_by_severity_without_colour_off_a_terminal() {
    let server = serve(|seen: &Seen| {
        let origin = seen.origin();
        // Any origin with credentials (high), and no Vary (low).
        Reply::new(200)
            .header("access-control-allow-origin", origin)
            .header("access-control-allow-credentials", "true")
    });
    let url = server.url("/data");
    let (status, out, err) = corsgate(&["audit", &url, "--origin", APP, "--rate", RATE], &[]);
    assert_eq!(status.code(), Some(1), "{out}{err}");
    let high = out.find("\nHIGH (1 finding)").expect(&out);
    let low = out.find("\nLOW (1 finding)").expect(&out);
    assert!(high < low, "{out}");
    assert!(out.contains("[high] reflect-any-origin: "), "{out}");
    assert!(out.contains("[low] missing-vary: "), "{out}");
    assert!(out.contains("      corsgate policy (TOML):\n        allow_origins = [\"https://app.example.com\"]\n"), "{out}");
    assert!(out.contains("      npm cors (Express):\n"));
    assert!(out.contains("      tower-http (axum, tonic):\n"));
    assert!(out.contains("      nginx:\n"));
    assert!(out.contains("Summary: 1 high, 0 medium, 1 low, 0 info.\nExit 1: a finding is high or worse (--fail-on high).\n"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour off a terminal");
}
