//! `corsgate serve` in real headless browsers: a page on one origin calls an API on another
//! through the gateway (the `corsgate` binary run as a process, [`util::gateway`]), in front
//! of a loopback upstream that sends no CORS headers of its own.
//!
//! - Chromium (through chromedriver) and Firefox ESR (through geckodriver): an allowed origin
//!   reads the body; a refused origin's fetch fails, and Chrome's console says exactly why; a
//!   preflighted PUT with a header the policy allows passes (the gateway answers the preflight
//!   itself, the upstream sees only the PUT) and one with another header is refused at the
//!   preflight (Chrome naming the header when the gateway file sets `debug = true`); the
//!   upstream's 500 and the gateway's own 502 reach the page as statuses, not as CORS
//!   errors. What the page's `fetch` gave is asserted exactly, and in Chromium Chrome's
//!   console too (geckodriver does not expose Firefox's console).
//! - Chromium: the seed tutorial itself (`tests/data/tutorial`, [`util::express`]): its page
//!   and its Express server without the `cors` package. Fetch Data straight to Express is
//!   blocked (the tutorial's "before"); through a gateway allowing `http://localhost:PAGE`
//!   it is still blocked (the tutorial's own mistake: the page is on 127.0.0.1); through a
//!   gateway allowing the page's origin the data is logged (the "after").
//!
//! Each test starts its own servers and gateway on free ports, and takes its turn on the
//! binary's one browser session ([`util::browser::session`]); a missing browser, driver, Node
//! or Express fails the test under `CI` and is otherwise a loud SKIPPED line.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::util::browser::{free_port, Browser, ConsoleMessage, Kind};
use crate::util::express::{tutorial_dir, Express};
use crate::util::gateway::Gateway;
use crate::util::server::{Reply, Seen, Server};
use crate::util::{self, serve};

/// How long one scenario may take.
const SCENARIO_LIMIT: Duration = Duration::from_secs(90);

/// Headless Chromium: what the page's fetch gave, and Chrome's console, exactly; and the
/// seed tutorial.
mod chromium {
    use super::*;
    use crate::util::browser::browser_tests;

    browser_tests!(Kind::Chromium, SCENARIO_LIMIT;
        allowed_origin_reads_the_body,
        refused_origin_is_blocked,
        preflighted_put_with_an_allowed_header_passes,
        a_header_the_policy_does_not_allow_fails_the_preflight,
        upstream_500_is_a_status_not_a_cors_error,
        gateway_502_is_a_status_not_a_cors_error,
        tutorial_before_and_after_the_gateway,
    );
}

/// Headless Firefox ESR: what the page's fetch gave, exactly.
mod firefox {
    use super::*;
    use crate::util::browser::browser_tests;

    browser_tests!(Kind::Firefox, SCENARIO_LIMIT;
        allowed_origin_reads_the_body,
        refused_origin_is_blocked,
        preflighted_put_with_an_allowed_header_passes,
        a_header_the_policy_does_not_allow_fails_the_preflight,
        upstream_500_is_a_status_not_a_cors_error,
        gateway_502_is_a_status_not_a_cors_error,
    );
}

/// The upstream's `/data` (the tutorials' JSON), byte for byte.
const DATA: &str = r#"{"name":"Bangladesh","description":"Land of emotions"}"#;
/// The upstream's 500 body.
const FAILURE: &str = "upstream failure";

const NO_ACAO: &str =
    "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const PREFLIGHT_NO_ACAO: &str =
    "Response to preflight request doesn't pass access control check: No \
     'Access-Control-Allow-Origin' header is present on the requested resource.";
const X_OTHER_NOT_ALLOWED: &str =
    "Request header field x-other is not allowed by Access-Control-Allow-Headers in preflight \
     response.";

/// The page of the first scenarios: `call(url, init)` fetches and says what it got (or the
/// error `fetch` rejected with). The empty icon keeps a favicon request off the console.
const PAGE_HTML: &str = r#"<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>through corsgate serve</title></head>
<body>
<p>A page on one origin calling an API on another through the gateway.</p>
<script>
async function call(url, init) {
  try {
    const response = await fetch(url, init);
    const body = await response.text();
    return { state: "ok", status: response.status, body: body };
  } catch (e) {
    return { state: "error", error: e.name + ": " + e.message };
  }
}
</script>
</body>
</html>
"#;

/// What `fetch` rejects with when the browser blocks a response (or a preflight).
fn fetch_error(kind: Kind) -> &'static str {
    match kind {
        Kind::Chromium => "TypeError: Failed to fetch",
        Kind::Firefox => "TypeError: NetworkError when attempting to fetch resource.",
        Kind::WebKit => "TypeError: Load failed",
    }
}

/// The upstream: the tutorials' API, sending no CORS header of its own. `GET /data` is the
/// JSON, `PUT /data` echoes the method, `X-Custom` and the body, `/boom` is a 500.
fn upstream(seen: &Seen) -> Reply {
    let json = |body: String| {
        Reply::new(200)
            .header("content-type", "application/json; charset=utf-8")
            .body(body)
    };
    match (seen.method.as_str(), seen.path()) {
        ("GET", "/data") => json(DATA.to_owned()),
        ("PUT", "/data") => json(
            json!({
                "method": "PUT",
                "x_custom": seen.header("x-custom"),
                "body": String::from_utf8_lossy(&seen.body),
            })
            .to_string(),
        ),
        (_, "/boom") => Reply::new(500)
            .header("content-type", "text/plain; charset=utf-8")
            .body(FAILURE),
        _ => Reply::new(404),
    }
}

/// A page server: [`PAGE_HTML`] at `/`.
fn page_server() -> Server {
    serve(|seen: &Seen| match seen.path() {
        "/" => Reply::new(200)
            .header("content-type", "text/html; charset=utf-8")
            .header("cache-control", "no-store")
            .body(PAGE_HTML),
        _ => Reply::new(404),
    })
}

/// An upstream, two page servers (one origin allowed, one refused) and the gateway:
/// `corsgate serve --upstream UPSTREAM --allow-origin ALLOWED --allow-method PUT
/// --allow-header X-Custom`.
struct Stage {
    upstream: Server,
    allowed: Server,
    refused: Server,
    gateway: Gateway,
}

impl Stage {
    fn start() -> Stage {
        let upstream = serve(upstream);
        let allowed = page_server();
        let refused = page_server();
        let gateway = Gateway::start(&[
            "--upstream",
            &upstream.origin(0),
            "--allow-origin",
            &allowed.origin(0),
            "--allow-method",
            "PUT",
            "--allow-header",
            "X-Custom",
        ]);
        Stage {
            upstream,
            allowed,
            refused,
            gateway,
        }
    }
}

/// The page of `server` open in the browser, its console drained.
struct Page<'a> {
    browser: &'a Browser,
    url: String,
    origin: String,
}

impl<'a> Page<'a> {
    async fn open(browser: &'a Browser, server: &Server) -> Page<'a> {
        let url = server.url("/");
        browser.client().goto(&url).await.expect("the page loads");
        browser.drain_console().await;
        Page {
            browser,
            url,
            origin: server.origin(0),
        }
    }

    /// `fetch(url, init)` from the page: `{state: "ok", status, body}` or
    /// `{state: "error", error}`.
    async fn call(&self, url: &str, init: Value) -> Value {
        self.browser
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];\n\
                 call(arguments[0], arguments[1]).then(done);",
                vec![json!(url), init],
            )
            .await
            .unwrap_or_else(|e| panic!("fetch({url}) from the page: {e}"))
    }

    /// Chrome's CORS line for a fetch of `url` from this page, blocked for `reason`.
    fn chrome_message(&self, url: &str, reason: &str) -> String {
        format!(
            "Access to fetch at '{url}' from origin '{}' has been blocked by CORS policy: \
             {reason}",
            self.origin
        )
    }

    /// The two console lines Chrome prints for a fetch of `url` it blocks for `reason`.
    fn blocked_console(&self, url: &str, reason: &str) -> Vec<ConsoleMessage> {
        vec![
            ConsoleMessage::new(
                "SEVERE",
                "javascript",
                &self.url,
                &self.chrome_message(url, reason),
            ),
            ConsoleMessage::new(
                "SEVERE",
                "network",
                url,
                "Failed to load resource: net::ERR_FAILED",
            ),
        ]
    }
}

/// Asserts Chrome's console since the last read, exactly (Chromium; nothing to read in
/// Firefox).
async fn expect_console(browser: &Browser, expected: &[ConsoleMessage]) {
    if !browser.has_console() {
        return;
    }
    let got = if expected.is_empty() {
        // Nothing expected: give a late message a moment to show up.
        tokio::time::sleep(Duration::from_millis(150)).await;
        browser.console().await
    } else {
        browser
            .console_until(expected.len(), Duration::from_secs(5))
            .await
    };
    assert_eq!(got, expected, "Chrome's console");
}

/// The console line Chrome prints for a response with an error status.
fn status_console(url: &str, status: &str) -> ConsoleMessage {
    ConsoleMessage::new(
        "SEVERE",
        "network",
        url,
        &format!("Failed to load resource: the server responded with a status of {status}"),
    )
}

/// The page's origin is allowed: the GET goes through the gateway to the upstream (with the
/// page's `Origin`) and the page reads the upstream's body.
async fn allowed_origin_reads_the_body(browser: &Browser) {
    let stage = Stage::start();
    let page = Page::open(browser, &stage.allowed).await;

    let got = page.call(&stage.gateway.url("/data"), json!({})).await;
    assert_eq!(got, json!({ "state": "ok", "status": 200, "body": DATA }));
    expect_console(browser, &[]).await;

    let seen = stage.upstream.seen();
    assert_eq!(stage.upstream.methods(), ["GET"]);
    assert_eq!(seen[0].path(), "/data");
    assert_eq!(seen[0].origin(), page.origin);
}

/// A page on an origin the policy does not allow: its fetch fails, and Chrome says no
/// `Access-Control-Allow-Origin` is present (the request still reached the upstream: the
/// browser hides the answer). The allowed page, on the same gateway, reads it.
async fn refused_origin_is_blocked(browser: &Browser) {
    let stage = Stage::start();
    let url = stage.gateway.url("/data");

    let page = Page::open(browser, &stage.refused).await;
    let got = page.call(&url, json!({})).await;
    assert_eq!(
        got,
        json!({ "state": "error", "error": fetch_error(browser.kind) })
    );
    expect_console(browser, &page.blocked_console(&url, NO_ACAO)).await;
    let seen = stage.upstream.seen();
    assert_eq!(stage.upstream.methods(), ["GET"]);
    assert_eq!(seen[0].origin(), stage.refused.origin(0));
    let log = stage.gateway.log();
    assert!(
        log.contains("the origin is not allowed"),
        "the gateway logs why it is blocked:\n{log}"
    );

    let page = Page::open(browser, &stage.allowed).await;
    let got = page.call(&url, json!({})).await;
    assert_eq!(got, json!({ "state": "ok", "status": 200, "body": DATA }));
    expect_console(browser, &[]).await;
}

/// PUT with `X-Custom` (allowed by `--allow-method PUT --allow-header X-Custom`): the
/// browser preflights it, the gateway answers the preflight itself, and the PUT reaches the
/// upstream with its header and body; the page reads the answer.
async fn preflighted_put_with_an_allowed_header_passes(browser: &Browser) {
    let stage = Stage::start();
    let page = Page::open(browser, &stage.allowed).await;

    let init = json!({ "method": "PUT", "headers": { "X-Custom": "hello" }, "body": "ping" });
    let got = page.call(&stage.gateway.url("/data"), init).await;
    let echoed = json!({ "method": "PUT", "x_custom": "hello", "body": "ping" }).to_string();
    assert_eq!(got, json!({ "state": "ok", "status": 200, "body": echoed }));
    expect_console(browser, &[]).await;
    // The preflight never reached the upstream.
    assert_eq!(stage.upstream.methods(), ["PUT"]);
}

/// PUT with `X-Other`, which the policy does not allow: the preflight fails and nothing
/// reaches the upstream. The gateway answers a refused preflight with a 403 and no CORS
/// headers (nothing of the policy disclosed, docs/semantics.md), so Chrome says no
/// `Access-Control-Allow-Origin` is present; with `debug = true` in the gateway file's
/// `[cors]` (`--config`), it answers the allowed origin with the allowed parts, and Chrome
/// names the header.
async fn a_header_the_policy_does_not_allow_fails_the_preflight(browser: &Browser) {
    let stage = Stage::start();
    let page = Page::open(browser, &stage.allowed).await;
    let url = stage.gateway.url("/data");
    let init = json!({ "method": "PUT", "headers": { "X-Other": "hello" }, "body": "ping" });

    let got = page.call(&url, init.clone()).await;
    assert_eq!(
        got,
        json!({ "state": "error", "error": fetch_error(browser.kind) })
    );
    expect_console(browser, &page.blocked_console(&url, PREFLIGHT_NO_ACAO)).await;
    assert_eq!(stage.upstream.methods(), Vec::<String>::new());
    let log = stage.gateway.log();
    assert!(
        log.contains(
            "reason=a requested header is not allowed: Access-Control-Request-Headers asks for \
             x-other, not all of them in allow_headers"
        ),
        "the gateway logs why the preflight failed:\n{log}"
    );

    // The same policy in a gateway file, with debug = true.
    let dir = util::fresh_dir("serve-browser");
    let file = dir.join("gateway.toml");
    std::fs::write(
        &file,
        format!(
            "[server]\nlisten = \"127.0.0.1:0\"\n\n\
             [cors]\nallow_origins = [\"{}\"]\nallow_methods = [\"PUT\"]\n\
             allow_headers = [\"X-Custom\"]\ndebug = true\n\n\
             [[route]]\npath_prefix = \"/\"\nupstream = \"{}\"\n",
            stage.allowed.origin(0),
            stage.upstream.origin(0)
        ),
    )
    .expect("the gateway file");
    let debug = Gateway::start(&["--config", &file.to_string_lossy()]);
    let url = debug.url("/data");
    let got = page.call(&url, init).await;
    assert_eq!(
        got,
        json!({ "state": "error", "error": fetch_error(browser.kind) })
    );
    expect_console(browser, &page.blocked_console(&url, X_OTHER_NOT_ALLOWED)).await;
    assert_eq!(stage.upstream.methods(), Vec::<String>::new());
    drop(debug);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The upstream answers 500: the gateway adds the CORS headers to it, so the page reads
/// `response.status === 500` and the body, and Chrome reports a failed load, no CORS error.
async fn upstream_500_is_a_status_not_a_cors_error(browser: &Browser) {
    let stage = Stage::start();
    let page = Page::open(browser, &stage.allowed).await;
    let url = stage.gateway.url("/boom");

    let got = page.call(&url, json!({})).await;
    assert_eq!(
        got,
        json!({ "state": "ok", "status": 500, "body": FAILURE })
    );
    expect_console(
        browser,
        &[status_console(&url, "500 (Internal Server Error)")],
    )
    .await;
    assert_eq!(stage.upstream.methods(), ["GET"]);
}

/// Nothing listens at the upstream: the gateway's own 502 carries the CORS headers too, so
/// the page reads it.
async fn gateway_502_is_a_status_not_a_cors_error(browser: &Browser) {
    let page_server = page_server();
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let gateway = Gateway::start(&[
        "--upstream",
        &nowhere,
        "--allow-origin",
        &page_server.origin(0),
    ]);
    let page = Page::open(browser, &page_server).await;
    let url = gateway.url("/data");

    let got = page.call(&url, json!({})).await;
    assert_eq!(
        got,
        json!({
            "state": "ok",
            "status": 502,
            "body": "502 Bad Gateway: the upstream cannot be reached (corsgate gateway)\n",
        })
    );
    expect_console(browser, &[status_console(&url, "502 (Bad Gateway)")]).await;
}

// --- The seed tutorial ----------------------------------------------------------------------
// (These helpers are shared with `export_browser`, which runs the steps through the configs
// `corsgate export` writes.)

/// The address the tutorial's `script.js` fetches, replaced by the test server with each
/// step's.
const TUTORIAL_API: &str = "http://localhost:3000";

/// Serves the tutorial's `index.html` and `script.js`, the latter fetching from `api` (read
/// at each request, so a step changes it) instead of [`TUTORIAL_API`].
pub(crate) fn tutorial_page_server(api: Arc<Mutex<String>>) -> Server {
    let dir = tutorial_dir();
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
    };
    let index = read("index.html");
    let script = read("script.js");
    assert_eq!(
        script.matches(TUTORIAL_API).count(),
        1,
        "the tutorial's script.js fetches {TUTORIAL_API} once:\n{script}"
    );
    serve(move |seen: &Seen| {
        let ok = |content_type: &str, body: String| {
            Reply::new(200)
                .header("content-type", content_type)
                .header("cache-control", "no-store")
                .body(body)
        };
        match seen.path() {
            "/index.html" => ok("text/html; charset=utf-8", index.clone()),
            "/script.js" => {
                let api = api.lock().unwrap_or_else(PoisonError::into_inner).clone();
                ok(
                    "text/javascript; charset=utf-8",
                    script.replace(TUTORIAL_API, &api),
                )
            }
            // The tutorial's page has no icon: an empty answer keeps Chrome's console quiet.
            "/favicon.ico" => Reply::new(204),
            _ => Reply::new(404),
        }
    })
}

/// The tutorial's page, opened with `script.js` fetching `api`, and its `console.log`
/// recorded (the data the tutorial shows in DevTools' console is an object, which
/// chromedriver's log gives only as `Object`): the arguments of each call, as JSON, in
/// `window.__logged`.
pub(crate) async fn open_tutorial(
    browser: &Browser,
    page_url: &str,
    api: &Arc<Mutex<String>>,
    to: &str,
) {
    *api.lock().unwrap_or_else(PoisonError::into_inner) = to.to_owned();
    let client = browser.client();
    client
        .goto(page_url)
        .await
        .expect("the tutorial's page loads");
    client
        .execute(
            "window.__logged = [];\n\
             const log = console.log.bind(console);\n\
             console.log = (...args) => { window.__logged.push(JSON.stringify(args)); log(...args); };",
            vec![],
        )
        .await
        .expect("console.log recorded");
    browser.drain_console().await;
}

/// Clicks the page's Fetch Data button.
pub(crate) async fn click_fetch_data(browser: &Browser) {
    let button = browser
        .client()
        .find(Locator::XPath("//button[normalize-space()='Fetch Data']"))
        .await
        .expect("the tutorial's Fetch Data button");
    button.click().await.expect("click Fetch Data");
}

/// What the page logged with `console.log` so far (each call's arguments, as JSON).
async fn logged(browser: &Browser) -> Vec<String> {
    let value = browser
        .client()
        .execute("return window.__logged;", vec![])
        .await
        .expect("the recorded console.log calls");
    serde_json::from_value(value).expect("a list of strings")
}

/// Clicks Fetch Data against a server that does not allow the page: Chrome's console is
/// exactly its CORS line about `url`, the failed load, and the tutorial's unhandled
/// rejection (`fetchData` has no catch); nothing is logged by the page.
pub(crate) async fn expect_tutorial_blocked(
    browser: &Browser,
    page_url: &str,
    page_origin: &str,
    url: &str,
) {
    click_fetch_data(browser).await;
    let console = browser.console_until(3, Duration::from_secs(5)).await;
    let script = page_url.replace("index.html", "script.js");
    assert_eq!(console.len(), 3, "Chrome's console: {console:#?}");
    assert_eq!(
        console[..2],
        [
            ConsoleMessage::new(
                "SEVERE",
                "javascript",
                page_url,
                &format!(
                    "Access to fetch at '{url}' from origin '{page_origin}' has been blocked by \
                     CORS policy: {NO_ACAO}"
                ),
            ),
            ConsoleMessage::new(
                "SEVERE",
                "network",
                url,
                "Failed to load resource: net::ERR_FAILED",
            ),
        ],
        "Chrome's console"
    );
    // `<script.js> <line>:<column> Uncaught (in promise) TypeError: Failed to fetch`: the
    // position is Chrome's to choose.
    let uncaught = &console[2];
    assert_eq!(
        (uncaught.level.as_str(), uncaught.source.as_str()),
        ("SEVERE", "javascript"),
        "{uncaught:?}"
    );
    assert!(
        uncaught.text.starts_with(&format!("{script} "))
            && uncaught.text.ends_with("TypeError: Failed to fetch")
            && uncaught.text.contains("Uncaught"),
        "{uncaught:?}"
    );
    assert_eq!(logged(browser).await, Vec::<String>::new());
}

/// The seed tutorial's steps, with its own page and Express server (no `cors` package), the
/// page on `http://127.0.0.1:PAGE` as in the tutorial:
///
/// 1. "before": Fetch Data straight to Express is blocked, Chrome's console saying exactly
///    what the tutorial's screenshot shows;
/// 2. the tutorial's mistake, through a gateway allowing `http://localhost:PAGE`: still
///    blocked, the same line (127.0.0.1 and localhost are different origins);
/// 3. "after", through a gateway allowing `http://127.0.0.1:PAGE`: the page logs the data,
///    and Chrome's console has no error.
async fn tutorial_before_and_after_the_gateway(browser: &Browser) {
    let Some(express) = Express::start() else {
        return;
    };
    let api = Arc::new(Mutex::new(String::new()));
    let pages = tutorial_page_server(Arc::clone(&api));
    let page_origin = pages.origin(0);
    let page_url = pages.url("/index.html");
    let express_origin = format!("http://127.0.0.1:{}", express.port());

    // 1. Before: the tutorial's script against Express itself.
    let direct = format!("http://localhost:{}", express.port());
    open_tutorial(browser, &page_url, &api, &direct).await;
    expect_tutorial_blocked(browser, &page_url, &page_origin, &format!("{direct}/data")).await;

    // 2. The tutorial's first try: localhost allowed, the page on 127.0.0.1.
    let localhost_page = format!("http://localhost:{}", pages.port());
    let wrong = Gateway::start(&[
        "--upstream",
        &express_origin,
        "--allow-origin",
        &localhost_page,
    ]);
    let through = format!("http://localhost:{}", wrong.port());
    open_tutorial(browser, &page_url, &api, &through).await;
    expect_tutorial_blocked(browser, &page_url, &page_origin, &format!("{through}/data")).await;
    drop(wrong);

    // 3. After: the page's origin allowed.
    let gateway = Gateway::start(&[
        "--upstream",
        &express_origin,
        "--allow-origin",
        &page_origin,
    ]);
    let through = format!("http://localhost:{}", gateway.port());
    open_tutorial(browser, &page_url, &api, &through).await;
    click_fetch_data(browser).await;
    expect_tutorial_data_logged(browser, &format!("the gateway's log:\n{}", gateway.log())).await;
}

/// After Fetch Data, with the API allowing the page: the tutorial's `fetchData` logs the data
/// within 10 s and the console has that one message (an object, which chromedriver calls
/// `Object`) and no error. `context` goes into the failure messages (the server's log).
pub(crate) async fn expect_tutorial_data_logged(browser: &Browser, context: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut got = logged(browser).await;
    while got.is_empty() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        got = logged(browser).await;
    }
    assert_eq!(
        got,
        [r#"[{"name":"Bangladesh","description":"Land of emotions"}]"#],
        "what the tutorial's fetchData logged; {context}"
    );
    let console = browser.console_until(1, Duration::from_secs(3)).await;
    tokio::time::sleep(Duration::from_millis(150)).await;
    let console: Vec<ConsoleMessage> = console.into_iter().chain(browser.console().await).collect();
    assert_eq!(
        console
            .iter()
            .map(|m| (m.level.as_str(), m.source.as_str(), m.text.as_str()))
            .collect::<Vec<_>>(),
        [("INFO", "console-api", "Object")],
        "Chrome's console: {console:#?}; {context}"
    );
}
