//! Side by side with the npm `cors` package: the tutorials' Express server
//! (`tests/data/express/server.js`, `app.use(cors(options))`) and an axum app under corsgate
//! with the equivalent policy get the same browser-shaped requests over real HTTP on
//! loopback, and their CORS answers (status, `Access-Control-*`, `Vary`) are compared.
//!
//! Every case says either that both answer alike, or exactly what each side answers and why
//! they differ (`docs/from-express-cors.md` explains each), so the test fails when either
//! side changes. List headers are compared as a browser reads them: items trimmed, header
//! names case-insensitive, order ignored; the one raw-format difference (`GET,POST` against
//! `GET, POST`) is asserted on its own.
//!
//! Needs `node` and `npm ci` in `tests/data/express` (`scripts/test.sh` does it). Without
//! them the test fails under CI (`CI` set) and otherwise prints a loud SKIPPED line.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing;
use axum::{Json, Router};
use bytes::Bytes;
use corsgate::Config;
use http::Request;
use http_body_util::{BodyExt, Empty};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

/// The page origin of the tutorials (VS Code Live Server).
const PAGE: &str = "http://127.0.0.1:5500";
/// The same page reached as `localhost`: another origin (the tutorial's own mistake).
const LOCALHOST_PAGE: &str = "http://localhost:5500";
/// The `cors` version `package-lock.json` pins (checked against what is installed).
const CORS_VERSION: &str = "2.8.6";
/// How long the Node server may take to start and print its port.
const START_DEADLINE: Duration = Duration::from_secs(15);
/// How long one request may take.
const REQUEST_DEADLINE: Duration = Duration::from_secs(10);

mod defaults;
mod exchange;
mod options;
mod origins;
mod servers;

use exchange::*;
use servers::*;

// --- the comparison -------------------------------------------------------------------------

/// Every known difference, each explained in `docs/from-express-cors.md` under its name.
const DIFFERENCES: &[&str] = &[
    "string-origin-everywhere",
    "rejected-preflight",
    "preflight-vary",
    "options-not-preflight",
    "default-methods",
    "reflected-request-headers",
    "allow-headers-wildcard",
    "credentials-without-origin",
    "null-origin",
    "regexp-too-broad",
    "origin-callback-false",
    "origin-callback-error",
    "expose-on-preflight",
    "private-network",
    "list-format",
];

/// What a case expects of the two servers.
enum Expect {
    /// Both answer alike.
    Same,
    /// Known differences (names from [`DIFFERENCES`]) and each side's exact answer.
    Differs {
        why: &'static [&'static str],
        express: Answer,
        corsgate: Answer,
    },
}

struct Case {
    name: &'static str,
    req: Req,
    expect: Expect,
}

/// A policy's cases: every case is expected to be answered alike unless marked as a known
/// difference.
struct Cases {
    list: Vec<Case>,
}

impl Cases {
    fn new() -> Cases {
        Cases { list: Vec::new() }
    }

    /// The requests every full policy run gets.
    fn common() -> Cases {
        Cases::new()
            .case("get", get(Some(PAGE)))
            .case("get-with-cookie", get_with_cookie(PAGE))
            .case("get-404", get_missing(PAGE))
            .case("put-actual", put(PAGE))
            .case("get-localhost-page", get(Some(LOCALHOST_PAGE)))
            .case("get-other-site", get(Some(EVIL)))
            .case("get-no-origin", get(None))
            .case("get-null-origin", get(Some("null")))
            .case("preflight-put", preflight(PAGE, "PUT", None))
            .case("preflight-patch", preflight(PAGE, "PATCH", None))
            .case("preflight-delete", preflight(PAGE, "DELETE", None))
            .case("preflight-propfind", preflight(PAGE, "PROPFIND", None))
            .case(
                "preflight-post-json",
                preflight(PAGE, "POST", Some("content-type")),
            )
            .case(
                "preflight-get-auth",
                preflight(PAGE, "GET", Some("authorization,x-api-key")),
            )
            .case(
                "preflight-localhost-page",
                preflight(LOCALHOST_PAGE, "PUT", None),
            )
            .case("preflight-null-origin", preflight("null", "PUT", None))
            .case("preflight-private-network", preflight_private_network(PAGE))
            .case("options-actual", options_actual(PAGE))
            .case("options-no-origin", options_without_origin())
    }

    /// Adds a case, expected to be answered alike.
    fn case(mut self, name: &'static str, req: Req) -> Cases {
        assert!(
            self.list.iter().all(|c| c.name != name),
            "case {name} is listed twice"
        );
        self.list.push(Case {
            name,
            req,
            expect: Expect::Same,
        });
        self
    }

    /// Marks these cases as known differences: `express` and `corsgate` are what each side
    /// must answer.
    fn differs(
        mut self,
        names: &[&str],
        why: &'static [&'static str],
        express: &Answer,
        corsgate: &Answer,
    ) -> Cases {
        assert_ne!(express, corsgate, "{names:?}: a difference must differ");
        assert!(!why.is_empty(), "{names:?}: say which difference");
        for w in why {
            assert!(DIFFERENCES.contains(w), "{w} is not in DIFFERENCES");
        }
        for name in names {
            let case = self
                .list
                .iter_mut()
                .find(|c| c.name == *name)
                .unwrap_or_else(|| panic!("no case named {name}"));
            assert!(
                matches!(case.expect, Expect::Same),
                "case {name} is marked twice"
            );
            case.expect = Expect::Differs {
                why,
                express: express.clone(),
                corsgate: corsgate.clone(),
            };
        }
        self
    }
}

/// The raw CORS header lines of a run, by case: (Express, corsgate).
struct Run {
    raw: BTreeMap<&'static str, (Lines, Lines)>,
}

impl Run {
    /// The raw value of `header` in case `case`: (Express, corsgate).
    fn raw(&self, case: &str, header: &str) -> (Option<&str>, Option<&str>) {
        let (e, c) = &self.raw[case];
        (find_line(e, header), find_line(c, header))
    }
}

fn find_line<'a>(lines: &'a [(String, String)], header: &str) -> Option<&'a str> {
    lines
        .iter()
        .find(|(n, _)| n == header)
        .map(|(_, v)| v.as_str())
}

/// Starts both servers with these policies, sends every case to both, and fails with every
/// mismatch at once.
async fn compare(
    policy: &str,
    express_options: Option<serde_json::Value>,
    corsgate: Config,
    cases: Cases,
) -> Run {
    let started = Instant::now();
    let node = NodeServer::start(express_options.as_ref());
    let (gate_port, _gate) = start_corsgate(corsgate).await;
    let client: HttpClient = Client::builder(TokioExecutor::new()).build_http();

    let mut failures = Vec::new();
    let mut raw = BTreeMap::new();
    let (mut alike, mut known) = (0, 0);
    for case in &cases.list {
        let e = send(&client, node.port, &case.req).await;
        let c = send(&client, gate_port, &case.req).await;
        match &case.expect {
            Expect::Same => {
                alike += 1;
                if e.answer != c.answer {
                    failures.push(format!(
                        "{policy} / {}: expected the same answer\n    \
                         express:  {:?}\n    corsgate: {:?}",
                        case.name, e.answer, c.answer
                    ));
                }
            }
            Expect::Differs {
                why,
                express,
                corsgate,
            } => {
                known += 1;
                if e.answer != *express || c.answer != *corsgate {
                    failures.push(format!(
                        "{policy} / {} (known difference {why:?}) changed\n    \
                         express:  {:?}\n    expected: {express:?}\n    \
                         corsgate: {:?}\n    expected: {corsgate:?}",
                        case.name, e.answer, c.answer
                    ));
                }
            }
        }
        raw.insert(case.name, (e.raw, c.raw));
    }
    println!(
        "{policy}: {} cases, {alike} alike, {known} known differences, {:?}",
        cases.list.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases of policy {policy} failed:\n{}",
        failures.len(),
        cases.list.len(),
        failures.join("\n")
    );
    Run { raw }
}

#[test]
fn every_difference_is_documented() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/from-express-cors.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for name in DIFFERENCES {
        assert!(
            doc.contains(&format!("### `{name}`")),
            "{} has no section \"### `{name}`\"",
            path.display()
        );
    }
}

/// `cors` compares a string `origin` with `===` at request time, so a misspelt one silently
/// never matches; corsgate refuses it when the policy is built, with the fix.
#[test]
fn origin_strings_cors_never_matches_are_config_errors() {
    for (written, meant) in [
        (
            "localhost:5500",
            "no scheme (the first tutorial's spelling)",
        ),
        ("http://127.0.0.1:5500/", "trailing slash"),
        ("HTTP://127.0.0.1:5500", "upper-case scheme"),
        ("https://app.example.com:443", "default port"),
        ("null", "the opaque origin"),
    ] {
        let errors = Config::new()
            .allow_origins([written])
            .build()
            .expect_err(meant);
        assert_eq!(errors.len(), 1, "{written}: {errors}");
    }
}

// --- the policies ---------------------------------------------------------------------------

const APP: &str = "https://app.example.com";
const EVIL: &str = "https://evil.example.net";

const ACAO_PAGE: (&str, &str) = ("access-control-allow-origin", PAGE);
const ACAO_ANY: (&str, &str) = ("access-control-allow-origin", "*");
const ACAC: (&str, &str) = ("access-control-allow-credentials", "true");
/// `cors`'s default `methods`.
const ALL_METHODS: (&str, &str) = (
    "access-control-allow-methods",
    "GET,HEAD,PUT,PATCH,POST,DELETE",
);
const VARY_ORIGIN: (&str, &str) = ("vary", "Origin");
/// `cors` on an OPTIONS request when `allowedHeaders` is unset (it reflects the request's).
const EXPRESS_VARY_REFLECTING: (&str, &str) = ("vary", "Origin, Access-Control-Request-Headers");
/// corsgate on a preflight.
const GATE_VARY_PREFLIGHT: (&str, &str) = (
    "vary",
    "origin, access-control-request-method, access-control-request-headers",
);
/// corsgate on a preflight when the origin does not matter (`allow_origins = ["*"]`).
const GATE_VARY_PREFLIGHT_ANY_ORIGIN: (&str, &str) = (
    "vary",
    "access-control-request-method, access-control-request-headers",
);

/// The actual requests from origins a string `origin` does not name.
const OTHER_ORIGINS_GET: &[&str] = &[
    "get-localhost-page",
    "get-other-site",
    "get-no-origin",
    "get-null-origin",
];
/// Preflights for a method the policy does not list.
const UNLISTED_METHODS: &[&str] = &["preflight-patch", "preflight-delete", "preflight-propfind"];

/// `base` with more header lines.
fn plus(base: &Answer, more: &[(&str, &str)]) -> Answer {
    let mut a = base.clone();
    for (n, v) in more {
        a.headers.insert(n.to_ascii_lowercase(), normalise(n, v));
    }
    a
}

fn acao(origin: &str) -> (&str, &str) {
    ("access-control-allow-origin", origin)
}
