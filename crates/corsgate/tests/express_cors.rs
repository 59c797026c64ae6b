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

// --- the Node side --------------------------------------------------------------------------

fn express_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/express")
}

fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether Node and the pinned packages are there; the reason and the fix when not.
fn node_ready() -> Result<(), String> {
    let dir = express_dir();
    match Command::new("node").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(out) => return Err(format!("`node --version` failed: {}", out.status)),
        Err(e) => {
            return Err(format!(
                "`node` is not on PATH ({e}); install Node.js and npm \
                 (Debian: apt-get install -y nodejs npm), then run scripts/test.sh"
            ))
        }
    }
    let fix = format!("run `npm ci --no-audit --no-fund` in {}", dir.display());
    if !dir.join("node_modules/express/package.json").is_file() {
        return Err(format!("express is not installed: {fix}"));
    }
    let cors_manifest = dir.join("node_modules/cors/package.json");
    let manifest = std::fs::read_to_string(&cors_manifest)
        .map_err(|e| format!("cors is not installed ({e}): {fix}"))?;
    let manifest: serde_json::Value = serde_json::from_str(&manifest)
        .map_err(|e| format!("{} is not JSON ({e}): {fix}", cors_manifest.display()))?;
    if manifest["version"] != CORS_VERSION {
        return Err(format!(
            "cors {} is installed, the lock file pins {CORS_VERSION}: {fix}",
            manifest["version"]
        ));
    }
    Ok(())
}

/// `true` when the test can run. Under CI a missing piece fails the test; otherwise it says
/// so loudly (straight to stderr, past the harness's capture) and the test returns.
fn node_or_skip(test: &str) -> bool {
    match node_ready() {
        Ok(()) => true,
        Err(why) if under_ci() => {
            panic!("CI is set, so missing Node/npm packages fail {test}: {why}")
        }
        Err(why) => {
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED {test}: {why} ***\n");
            false
        }
    }
}

/// The Express server with `app.use(cors(options))`; killed when dropped.
struct NodeServer {
    child: Child,
    port: u16,
}

impl NodeServer {
    /// Starts `node server.js <options>` and waits (bounded) for its port.
    /// `None` is `cors()` with no argument.
    fn start(options: Option<&serde_json::Value>) -> NodeServer {
        let mut command = Command::new("node");
        command.arg("server.js");
        if let Some(options) = options {
            command.arg(options.to_string());
        }
        let mut child = command
            .current_dir(express_dir())
            // The server exits when its stdin closes: no orphan if this process dies.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn node server.js");
        // Drain stderr all along (Express logs each 500 there; a full pipe would stall the
        // server), keeping the start of it for the failure message.
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr_drain = std::thread::spawn(move || {
            let (mut kept, mut chunk) = (Vec::new(), [0u8; 4096]);
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                if kept.len() < 64 * 1024 {
                    kept.extend_from_slice(&chunk[..n]);
                }
            }
            String::from_utf8_lossy(&kept).into_owned()
        });
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(read.map(|_| line));
        });
        let started = Instant::now();
        let line = rx.recv_timeout(START_DEADLINE);
        let port = match &line {
            Ok(Ok(line)) => line
                .trim()
                .strip_prefix("port ")
                .and_then(|p| p.parse::<u16>().ok()),
            _ => None,
        };
        match port {
            Some(port) => NodeServer { child, port },
            None => {
                let _ = child.kill();
                let _ = child.wait();
                // The pipe is closed now that the process is gone.
                let stderr = stderr_drain.join().unwrap_or_default();
                panic!(
                    "node server.js did not print its port within {START_DEADLINE:?} \
                     (after {:?}: {line:?}); options {options:?}; stderr:\n{stderr}",
                    started.elapsed()
                );
            }
        }
    }
}

impl Drop for NodeServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- the corsgate side ----------------------------------------------------------------------

async fn data() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "name": "Bangladesh", "description": "Land of emotions" }))
}

/// The same routes as server.js, under the corsgate layer, on 127.0.0.1:0. The server task is
/// aborted when the returned guard is dropped.
async fn start_corsgate(config: Config) -> (u16, AbortOnDrop) {
    let cors = config.build().expect("the corsgate policy is valid");
    let app = Router::new()
        .route(
            "/data",
            routing::get(data)
                .put(data)
                .options(|| async { (StatusCode::OK, "options route").into_response() }),
        )
        .layer(cors.layer());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (port, AbortOnDrop(task))
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

// --- requests and answers -------------------------------------------------------------------

/// One request, with the headers Chrome sends for it.
#[derive(Clone, Debug)]
struct Req {
    method: &'static str,
    path: &'static str,
    headers: Vec<(&'static str, String)>,
}

/// The headers Chrome adds to a `fetch()` from `origin` (none of them matters to either
/// server, but this is what a real request looks like).
fn chrome_headers(origin: Option<&str>) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("accept", "*/*".to_string()),
        ("accept-language", "en-US,en;q=0.9".to_string()),
        ("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36".to_string()),
        ("sec-fetch-dest", "empty".to_string()),
    ];
    if let Some(origin) = origin {
        // 127.0.0.1:5500 -> 127.0.0.1:<port> is same-site; localhost -> 127.0.0.1 is not.
        let site = if origin.starts_with("http://127.0.0.1") {
            "same-site"
        } else {
            "cross-site"
        };
        h.push(("origin", origin.to_string()));
        h.push(("referer", format!("{origin}/")));
        h.push(("sec-fetch-mode", "cors".to_string()));
        h.push(("sec-fetch-site", site.to_string()));
    } else {
        h.push(("sec-fetch-mode", "no-cors".to_string()));
        h.push(("sec-fetch-site", "same-origin".to_string()));
    }
    h
}

/// `fetch(url)` from `origin` (`None`: a same-origin or non-browser request, no `Origin`).
fn get(origin: Option<&str>) -> Req {
    Req {
        method: "GET",
        path: "/data",
        headers: chrome_headers(origin),
    }
}

/// `fetch(url, { credentials: "include" })`: the same request with the page's cookie.
fn get_with_cookie(origin: &str) -> Req {
    let mut r = get(Some(origin));
    r.headers.push(("cookie", "session=s3cr3t".to_string()));
    r
}

/// A GET to a path with no route (the app's 404).
fn get_missing(origin: &str) -> Req {
    Req {
        path: "/missing",
        ..get(Some(origin))
    }
}

/// The seeds' `fetch(url, { method: "PUT" })` after its preflight passed.
fn put(origin: &str) -> Req {
    let mut r = get(Some(origin));
    r.method = "PUT";
    r.headers
        .push(("content-type", "application/json".to_string()));
    r
}

/// The preflight Chrome sends before a non-simple request: `Access-Control-Request-Headers`
/// lower case, sorted, comma-separated without spaces, and absent when empty.
fn preflight(origin: &str, method: &str, request_headers: Option<&str>) -> Req {
    let mut headers = chrome_headers(Some(origin));
    headers.push(("access-control-request-method", method.to_string()));
    if let Some(h) = request_headers {
        headers.push(("access-control-request-headers", h.to_string()));
    }
    Req {
        method: "OPTIONS",
        path: "/data",
        headers,
    }
}

/// A preflight Chrome sends for a public page calling a private address (Private Network
/// Access).
fn preflight_private_network(origin: &str) -> Req {
    let mut r = preflight(origin, "GET", None);
    r.headers
        .push(("access-control-request-private-network", "true".to_string()));
    r
}

/// `fetch(url, { method: "OPTIONS" })`: an OPTIONS request that is not a preflight (browsers
/// preflight it, then send this with `Origin` and no `Access-Control-Request-Method`).
fn options_actual(origin: &str) -> Req {
    Req {
        method: "OPTIONS",
        path: "/data",
        headers: chrome_headers(Some(origin)),
    }
}

/// `curl -X OPTIONS url`: no `Origin` at all.
fn options_without_origin() -> Req {
    Req {
        method: "OPTIONS",
        path: "/data",
        headers: vec![("accept", "*/*".to_string())],
    }
}

/// The CORS-relevant part of a response: status, `Access-Control-*` and `Vary`, each list
/// header normalised to sorted items joined by `, ` (names lower-cased except in
/// `Access-Control-Allow-Methods`, whose items browsers compare case-sensitively).
#[derive(Clone, PartialEq, Eq)]
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
}

/// Printed the way expectations are written, so a changed answer can be read against them.
impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "answer({}, &[", self.status)?;
        for (i, (n, v)) in self.headers.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}({n:?}, {v:?})")?;
        }
        write!(f, "])")
    }
}

fn normalise(name: &str, value: &str) -> String {
    let name = name.to_ascii_lowercase();
    let list = matches!(
        name.as_str(),
        "access-control-allow-methods"
            | "access-control-allow-headers"
            | "access-control-expose-headers"
            | "vary"
    );
    if !list {
        return value.to_string();
    }
    let mut items: Vec<String> = value
        .split(',')
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .map(|i| {
            if name == "access-control-allow-methods" {
                i.to_string()
            } else {
                i.to_ascii_lowercase()
            }
        })
        .collect();
    items.sort();
    items.join(", ")
}

/// An expected answer, written as headers would be sent (normalised like a received one).
fn answer(status: u16, headers: &[(&str, &str)]) -> Answer {
    Answer {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase(), normalise(n, v)))
            .collect(),
    }
}

/// Header lines as received: `(name, value)`.
type Lines = Vec<(String, String)>;

/// What came back, normalised, plus the raw CORS header lines for the format checks.
struct Received {
    answer: Answer,
    raw: Lines,
}

type HttpClient = Client<HttpConnector, Empty<Bytes>>;

async fn send(client: &HttpClient, port: u16, req: &Req) -> Received {
    let mut builder = Request::builder()
        .method(req.method)
        .uri(format!("http://127.0.0.1:{port}{}", req.path));
    for (n, v) in &req.headers {
        builder = builder.header(*n, v.as_str());
    }
    let request = builder.body(Empty::new()).expect("a valid request");
    let response = tokio::time::timeout(REQUEST_DEADLINE, client.request(request))
        .await
        .unwrap_or_else(|_| panic!("no answer within {REQUEST_DEADLINE:?} to {req:?}"))
        .unwrap_or_else(|e| panic!("{req:?} failed: {e}"));
    let (parts, body) = response.into_parts();
    tokio::time::timeout(REQUEST_DEADLINE, body.collect())
        .await
        .expect("the body within the deadline")
        .expect("a readable body");
    let mut joined: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut raw = Vec::new();
    for (name, value) in &parts.headers {
        let name = name.as_str();
        if name.starts_with("access-control-") || name == "vary" {
            let value = value.to_str().expect("ASCII header value").to_string();
            raw.push((name.to_string(), value.clone()));
            joined.entry(name.to_string()).or_default().push(value);
        }
    }
    Received {
        answer: Answer {
            status: parts.status.as_u16(),
            headers: joined
                .into_iter()
                .map(|(n, vs)| {
                    let v = normalise(&n, &vs.join(", "));
                    (n, v)
                })
                .collect(),
        },
        raw,
    }
}

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

#[tokio::test]
async fn seeds_policy() {
    if !node_or_skip("seeds_policy") {
        return;
    }
    let options = serde_json::json!({ "origin": PAGE, "methods": ["GET", "POST"] });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "POST"]);
    let methods = ("access-control-allow-methods", "GET,POST");
    // `cors` answers every OPTIONS request alike.
    let e_options = answer(204, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]);
    let g_ok = answer(204, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let g_not_allowed = answer(200, &[VARY_ORIGIN]);
    let cases = Cases::common()
        .case("preflight-post", preflight(PAGE, "POST", None))
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
            &g_not_allowed,
        )
        .differs(&["preflight-post"], &["preflight-vary"], &e_options, &g_ok)
        .differs(
            &["preflight-put"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &g_not_allowed,
        );
    let run = compare("seeds", Some(options), config, cases).await;
    // The one difference the normalised comparison hides: how lists and names are written.
    assert_eq!(
        run.raw("preflight-post", "access-control-allow-methods"),
        (Some("GET,POST"), Some("GET, POST")),
        "list-format"
    );
    assert_eq!(
        run.raw("preflight-post", "vary"),
        (
            Some("Origin, Access-Control-Request-Headers"),
            Some("origin, access-control-request-method, access-control-request-headers")
        ),
        "list-format"
    );
}

#[tokio::test]
async fn defaults_as_written() {
    if !node_or_skip("defaults_as_written") {
        return;
    }
    // `cors()`: any origin. corsgate's literal translation allows any origin and nothing
    // else beyond what browsers never preflight.
    let config = Config::new().allow_origins(["*"]);
    let e_options = answer(
        204,
        &[
            ACAO_ANY,
            ALL_METHODS,
            ("vary", "Access-Control-Request-Headers"),
        ],
    );
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT_ANY_ORIGIN]);
    let cases = Cases::common()
        .differs(
            &[
                "preflight-put",
                "preflight-patch",
                "preflight-delete",
                "preflight-localhost-page",
                "preflight-null-origin",
            ],
            &["default-methods", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-propfind"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual", "options-no-origin"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_ANY]),
        );
    compare("defaults", None, config, cases).await;
}

#[tokio::test]
async fn defaults_closest() {
    if !node_or_skip("defaults_closest") {
        return;
    }
    // The corsgate policy closest to `cors()`: its methods, and any request header.
    let config = Config::new()
        .allow_origins(["*"])
        .allow_methods(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"])
        .allow_headers(["*"]);
    let e_options = answer(
        204,
        &[
            ACAO_ANY,
            ALL_METHODS,
            ("vary", "Access-Control-Request-Headers"),
        ],
    );
    let g_ok = answer(
        204,
        &[
            ACAO_ANY,
            ALL_METHODS,
            ("access-control-allow-headers", "*"),
            GATE_VARY_PREFLIGHT_ANY_ORIGIN,
        ],
    );
    let cases = Cases::common()
        .differs(
            &[
                "preflight-put",
                "preflight-patch",
                "preflight-delete",
                "preflight-localhost-page",
                "preflight-null-origin",
            ],
            &["allow-headers-wildcard", "preflight-vary"],
            &e_options,
            &g_ok,
        )
        .differs(
            &["preflight-propfind"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &answer(403, &[GATE_VARY_PREFLIGHT_ANY_ORIGIN]),
        )
        .differs(
            &["preflight-post-json"],
            &["allow-headers-wildcard", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_ok,
        )
        .differs(
            &["preflight-get-auth"],
            &["allow-headers-wildcard", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &plus(
                &g_ok,
                &[("access-control-allow-headers", "*, authorization")],
            ),
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &answer(403, &[GATE_VARY_PREFLIGHT_ANY_ORIGIN]),
        )
        .differs(
            &["options-actual", "options-no-origin"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_ANY]),
        );
    compare("defaults-closest", None, config, cases).await;
}

#[tokio::test]
async fn credentials_and_origin_list() {
    if !node_or_skip("credentials_and_origin_list") {
        return;
    }
    let options = serde_json::json!({
        "origin": [PAGE, APP],
        "credentials": true,
        "methods": ["GET", "POST", "PUT"],
    });
    // `allowedHeaders` unset reflects the request's headers: with credentials corsgate's
    // `*` does the same (it echoes them, since browsers read `*` literally then).
    let config = Config::new()
        .allow_origins([PAGE, APP])
        .allow_credentials(true)
        .allow_methods(["GET", "POST", "PUT"])
        .allow_headers(["*"]);
    let methods = ("access-control-allow-methods", "GET,POST,PUT");
    let e_options = |origin: Option<&str>| {
        let mut a = answer(204, &[ACAC, methods, EXPRESS_VARY_REFLECTING]);
        if let Some(o) = origin {
            a = plus(&a, &[acao(o)]);
        }
        a
    };
    let g_ok = |origin: &str| answer(204, &[acao(origin), ACAC, methods, GATE_VARY_PREFLIGHT]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let content_type = ("access-control-allow-headers", "content-type");
    let auth = ("access-control-allow-headers", "authorization,x-api-key");
    let cases = Cases::common()
        .case("get-second-origin", get(Some(APP)))
        .case(
            "preflight-second-origin",
            preflight(APP, "PUT", Some("content-type")),
        )
        .differs(
            OTHER_ORIGINS_GET,
            &["credentials-without-origin"],
            &answer(200, &[ACAC, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &e_options(Some(PAGE)),
            &g_ok(PAGE),
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[content_type]),
            &plus(&g_ok(PAGE), &[content_type]),
        )
        .differs(
            &["preflight-get-auth"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[auth]),
            &plus(&g_ok(PAGE), &[auth]),
        )
        .differs(
            &["preflight-second-origin"],
            &["preflight-vary"],
            &plus(&e_options(Some(APP)), &[content_type]),
            &plus(&g_ok(APP), &[content_type]),
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "credentials-without-origin",
                "preflight-vary",
            ],
            &e_options(None),
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options(Some(PAGE)),
            &answer(200, &[ACAO_PAGE, ACAC, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "credentials-without-origin"],
            &e_options(None),
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("credentials-list", Some(options), config, cases).await;
}

#[tokio::test]
async fn regexp_origin() {
    if !node_or_skip("regexp_origin") {
        return;
    }
    // The README's "origin ending with example.com", and what it is meant to say.
    let options = serde_json::json!({
        "origin": [PAGE, { "$regexp": "example\\.com$" }],
        "methods": ["GET", "PUT"],
    });
    let config = Config::new()
        .allow_origins([PAGE, "https://example.com", "https://*.example.com"])
        .allow_methods(["GET", "PUT"]);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let lookalike = "https://evilexample.com";
    let cases = Cases::new()
        .case("get-page", get(Some(PAGE)))
        .case("get-apex", get(Some("https://example.com")))
        .case("get-subdomain", get(Some(APP)))
        .case("get-deep-subdomain", get(Some("https://a.b.example.com")))
        .case("get-other-port", get(Some("https://app.example.com:8443")))
        .case("get-suffix-host", get(Some("https://example.com.evil.net")))
        .case("get-no-origin", get(None))
        .case("get-lookalike", get(Some(lookalike)))
        .case("get-plain-http", get(Some("http://app.example.com")))
        .case("preflight-subdomain", preflight(APP, "PUT", None))
        .case("preflight-lookalike", preflight(lookalike, "PUT", None))
        .differs(
            &["get-lookalike"],
            &["regexp-too-broad"],
            &answer(200, &[acao(lookalike), VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["get-plain-http"],
            &["regexp-too-broad"],
            &answer(200, &[acao("http://app.example.com"), VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-subdomain"],
            &["preflight-vary"],
            &answer(204, &[acao(APP), methods, EXPRESS_VARY_REFLECTING]),
            &answer(204, &[acao(APP), methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            &["preflight-lookalike"],
            &["regexp-too-broad", "preflight-vary"],
            &answer(204, &[acao(lookalike), methods, EXPRESS_VARY_REFLECTING]),
            &answer(403, &[GATE_VARY_PREFLIGHT]),
        );
    compare("regexp", Some(options), config, cases).await;
}

#[tokio::test]
async fn function_origin() {
    if !node_or_skip("function_origin") {
        return;
    }
    // `origin: (origin, cb) => cb(null, allowed.includes(origin))`: corsgate's predicate.
    let options = serde_json::json!({
        "origin": { "$function": { "allow": [PAGE], "reject": "false" } },
        "methods": ["GET", "PUT"],
    });
    let config = Config::new()
        .allow_origin_predicate(|origin, _parts| origin.as_str() == PAGE)
        .allow_methods(["GET", "PUT"]);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let e_options = answer(204, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    // What the app's own OPTIONS route answers, with nothing added.
    let e_app_options = answer(200, &[]);
    let cases = Cases::common()
        .differs(
            OTHER_ORIGINS_GET,
            &["origin-callback-false"],
            &answer(200, &[]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &e_options,
            &answer(204, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &["origin-callback-false"],
            &e_app_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["origin-callback-false"],
            &e_app_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("function", Some(options), config, cases).await;
}

#[tokio::test]
async fn function_origin_with_error() {
    if !node_or_skip("function_origin_with_error") {
        return;
    }
    // The allow-list callback that rejects with `callback(new Error(...))`.
    let options = serde_json::json!({
        "origin": { "$function": { "allow": [PAGE], "reject": "error" } },
        "methods": ["GET", "PUT"],
    });
    let config = Config::new()
        .allow_origin_predicate(|origin, _parts| origin.as_str() == PAGE)
        .allow_methods(["GET", "PUT"]);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let e_error = answer(500, &[]);
    let cases = Cases::new()
        .case("get", get(Some(PAGE)))
        .case("get-localhost-page", get(Some(LOCALHOST_PAGE)))
        .case("get-no-origin", get(None))
        .case("preflight-put", preflight(PAGE, "PUT", None))
        .case(
            "preflight-localhost-page",
            preflight(LOCALHOST_PAGE, "PUT", None),
        )
        .case("options-no-origin", options_without_origin())
        .differs(
            &["get-localhost-page", "get-no-origin", "options-no-origin"],
            &["origin-callback-error"],
            &e_error,
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &answer(204, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]),
            &answer(204, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            &["preflight-localhost-page"],
            &["origin-callback-error"],
            &e_error,
            &answer(403, &[GATE_VARY_PREFLIGHT]),
        );
    compare("function-error", Some(options), config, cases).await;
}

#[tokio::test]
async fn reflect_any_origin_with_credentials() {
    if !node_or_skip("reflect_any_origin_with_credentials") {
        return;
    }
    let options = serde_json::json!({ "origin": true, "credentials": true });
    // corsgate refuses the obvious translation...
    let star = Config::new()
        .allow_origins(["*"])
        .allow_credentials(true)
        .build();
    assert!(star.is_err(), "`*` with credentials must not build");
    // ...and takes it only as code, a predicate that says yes to every origin.
    let config = Config::new()
        .allow_origin_predicate(|_origin, _parts| true)
        .allow_credentials(true)
        .allow_methods(["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"])
        .allow_headers(["*"]);
    let e_options = |origin: Option<&str>| {
        let mut a = answer(204, &[ACAC, ALL_METHODS, EXPRESS_VARY_REFLECTING]);
        if let Some(o) = origin {
            a = plus(&a, &[acao(o)]);
        }
        a
    };
    let g_ok = |origin: &str| answer(204, &[acao(origin), ACAC, ALL_METHODS, GATE_VARY_PREFLIGHT]);
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let content_type = ("access-control-allow-headers", "content-type");
    let auth = ("access-control-allow-headers", "authorization,x-api-key");
    let cases = Cases::common()
        .differs(
            &["get-no-origin"],
            &["credentials-without-origin"],
            &answer(200, &[ACAC, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["get-null-origin"],
            &["null-origin"],
            &answer(200, &[acao("null"), ACAC, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put", "preflight-patch", "preflight-delete"],
            &["preflight-vary"],
            &e_options(Some(PAGE)),
            &g_ok(PAGE),
        )
        .differs(
            &["preflight-propfind"],
            &["rejected-preflight", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[content_type]),
            &plus(&g_ok(PAGE), &[content_type]),
        )
        .differs(
            &["preflight-get-auth"],
            &["preflight-vary"],
            &plus(&e_options(Some(PAGE)), &[auth]),
            &plus(&g_ok(PAGE), &[auth]),
        )
        .differs(
            &["preflight-localhost-page"],
            &["preflight-vary"],
            &e_options(Some(LOCALHOST_PAGE)),
            &g_ok(LOCALHOST_PAGE),
        )
        .differs(
            &["preflight-null-origin"],
            &["null-origin", "preflight-vary"],
            &e_options(Some("null")),
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options(Some(PAGE)),
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options(Some(PAGE)),
            &answer(200, &[ACAO_PAGE, ACAC, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "credentials-without-origin"],
            &e_options(None),
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("reflect-credentials", Some(options), config, cases).await;
}

#[tokio::test]
async fn headers_expose_and_max_age() {
    if !node_or_skip("headers_expose_and_max_age") {
        return;
    }
    let options = serde_json::json!({
        "origin": PAGE,
        "methods": ["GET", "PUT"],
        "allowedHeaders": ["Content-Type", "Authorization"],
        "exposedHeaders": ["X-Total-Count", "Content-Range"],
        "maxAge": 600,
    });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "PUT"])
        .allow_headers(["Content-Type", "Authorization"])
        .expose_headers(["X-Total-Count", "Content-Range"])
        .max_age(600);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let allow = ("access-control-allow-headers", "Content-Type,Authorization");
    let expose = (
        "access-control-expose-headers",
        "X-Total-Count,Content-Range",
    );
    let max_age = ("access-control-max-age", "600");
    // With `allowedHeaders` set, `cors`'s answer no longer depends on the request's headers.
    let e_options = answer(
        204,
        &[ACAO_PAGE, methods, allow, expose, max_age, VARY_ORIGIN],
    );
    let g_ok = answer(
        204,
        &[ACAO_PAGE, methods, allow, max_age, GATE_VARY_PREFLIGHT],
    );
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let cases = Cases::common()
        .case(
            "preflight-put-json-auth",
            preflight(PAGE, "PUT", Some("authorization,content-type")),
        )
        .case(
            "preflight-unlisted-header",
            preflight(PAGE, "PUT", Some("content-type,x-custom")),
        )
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, expose, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &[
                "preflight-put",
                "preflight-post-json",
                "preflight-put-json-auth",
            ],
            &["expose-on-preflight", "preflight-vary"],
            &e_options,
            &g_ok,
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-get-auth", "preflight-unlisted-header"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, expose, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    let run = compare("headers", Some(options), config, cases).await;
    assert_eq!(
        run.raw("preflight-put", "access-control-allow-headers"),
        (
            Some("Content-Type,Authorization"),
            Some("content-type, authorization")
        ),
        "list-format"
    );
    assert_eq!(
        run.raw("get", "access-control-expose-headers"),
        (
            Some("X-Total-Count,Content-Range"),
            Some("x-total-count, content-range")
        ),
        "list-format"
    );
}

#[tokio::test]
async fn preflight_continue() {
    if !node_or_skip("preflight_continue") {
        return;
    }
    let options = serde_json::json!({
        "origin": PAGE,
        "methods": ["GET", "PUT"],
        "preflightContinue": true,
    });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "PUT"])
        .preflight_continue(true);
    let methods = ("access-control-allow-methods", "GET,PUT");
    // Every OPTIONS request reaches the app's OPTIONS route (200), with headers added.
    let e_options = answer(200, &[ACAO_PAGE, methods, EXPRESS_VARY_REFLECTING]);
    let g_refused = answer(200, &[GATE_VARY_PREFLIGHT]);
    let cases = Cases::common()
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put"],
            &["preflight-vary"],
            &e_options,
            &answer(200, &[ACAO_PAGE, methods, GATE_VARY_PREFLIGHT]),
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-post-json"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "content-type")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["reflected-request-headers", "preflight-vary"],
            &plus(
                &e_options,
                &[("access-control-allow-headers", "authorization,x-api-key")],
            ),
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("preflight-continue", Some(options), config, cases).await;
}

#[tokio::test]
async fn options_success_status_and_string_forms() {
    if !node_or_skip("options_success_status_and_string_forms") {
        return;
    }
    // The string forms of `methods` and `headers` (the alias of `allowedHeaders`), and
    // `maxAge: 0`.
    let options = serde_json::json!({
        "origin": PAGE,
        "methods": "GET,PUT",
        "headers": "Content-Type",
        "maxAge": 0,
        "optionsSuccessStatus": 200,
    });
    let config = Config::new()
        .allow_origins([PAGE])
        .allow_methods(["GET", "PUT"])
        .allow_headers(["content-type"])
        .max_age(0)
        .preflight_status(StatusCode::OK);
    let methods = ("access-control-allow-methods", "GET,PUT");
    let allow = ("access-control-allow-headers", "Content-Type");
    let max_age = ("access-control-max-age", "0");
    let e_options = answer(200, &[ACAO_PAGE, methods, allow, max_age, VARY_ORIGIN]);
    let g_ok = answer(
        200,
        &[ACAO_PAGE, methods, allow, max_age, GATE_VARY_PREFLIGHT],
    );
    let g_refused = answer(403, &[GATE_VARY_PREFLIGHT]);
    let cases = Cases::common()
        .differs(
            OTHER_ORIGINS_GET,
            &["string-origin-everywhere"],
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
            &answer(200, &[VARY_ORIGIN]),
        )
        .differs(
            &["preflight-put", "preflight-post-json"],
            &["preflight-vary"],
            &e_options,
            &g_ok,
        )
        .differs(
            UNLISTED_METHODS,
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-get-auth"],
            &["rejected-preflight", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-localhost-page", "preflight-null-origin"],
            &[
                "rejected-preflight",
                "string-origin-everywhere",
                "preflight-vary",
            ],
            &e_options,
            &g_refused,
        )
        .differs(
            &["preflight-private-network"],
            &["private-network", "preflight-vary"],
            &e_options,
            &g_refused,
        )
        .differs(
            &["options-actual"],
            &["options-not-preflight"],
            &e_options,
            &answer(200, &[ACAO_PAGE, VARY_ORIGIN]),
        )
        .differs(
            &["options-no-origin"],
            &["options-not-preflight", "string-origin-everywhere"],
            &e_options,
            &answer(200, &[VARY_ORIGIN]),
        );
    compare("options-success-status", Some(options), config, cases).await;
}
