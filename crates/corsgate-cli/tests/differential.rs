//! The differential suite: every scenario of the table ([`all`], at the end of this file) runs
//! in a real headless browser (Chromium, Firefox ESR) and through `corsgate check`, against the
//! same scripted server, and the answers must agree.
//!
//! For each scenario it compares, collecting every difference before one final assertion:
//!
//! 1. the browser against the table: verdict, and (Chromium) the console line byte for byte;
//!    Firefox's console lines (read over WebDriver BiDi) byte for byte against the core's and
//!    `check`'s (message, then follow-up lines);
//! 2. the browser against the library's browser core (`corsgate_browser::simulate` fed the
//!    server's scripted answers, no network): verdict, Chrome's line, readable headers;
//! 3. the preflight the browser sent (present or not, `Access-Control-Request-Method`,
//!    `-Headers`) against the core's plan, and `Origin: null` where a redirect taints it;
//!    then every request the browser sent for the scenario, hop by hop (listener, path, method,
//!    `Origin`, ACRM, ACRH), against the requests the core sends;
//! 4. when the `corsgate` binary has a `check` subcommand: its `--json` verdict, message,
//!    per-browser verdict and readable headers against the browser, its exit status against its
//!    verdict, and the preflight it sent against the browser's (the extra preflights it lists
//!    as its `diagnosis` aside).
//!
//! The browser is launched straight at the runner page, holding the binary's browser turn for
//! the whole run. Below the tests: the run and the comparisons, the scripted server's routes,
//! the runner page, the scenario table. See `docs/differential.md`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use corsgate_browser::{
    plan, simulate, Body, CorsRequest, CredentialsMode, Engine, Outcome, OutgoingRequest,
    ResponseInfo,
};
use http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};

use crate::util::browser::{available, chromium_console, exclusive, Kind, Launched};
use crate::util::run::run_within;
use crate::util::server::{self, Seen, Server};

#[test]
fn chromium_agrees_with_the_table_the_core_and_check() {
    run(Kind::Chromium);
}

#[test]
fn firefox_agrees_with_the_table_the_core_and_check() {
    run(Kind::Firefox);
}

#[test]
fn console_lines_are_read_exactly_from_chromium_stderr() {
    // The shape Chromium 156 prints with --enable-logging=stderr --v=0 (a real line, with a
    // quote inside the message to show the end is found from the right).
    let stderr = "[30947:30947:1123/023408.635143:INFO:CONSOLE:0] \"Access to fetch at \
                  'http://127.0.0.1:2/x' from origin 'http://127.0.0.1:1' has been blocked by \
                  CORS policy: value 'a\"b'.\", source: http://127.0.0.1:1/ (0)\n\
                  [30947:30960:1123/023408.640000:ERROR:some_file.cc(12)] unrelated\n";
    assert_eq!(
        chromium_console(stderr),
        [
            "Access to fetch at 'http://127.0.0.1:2/x' from origin 'http://127.0.0.1:1' has been \
          blocked by CORS policy: value 'a\"b'."
        ]
    );
}

// --- The run and the comparisons ----------------------------------------------------------

/// How long the browser may take for the whole page.
const RUN_LIMIT: Duration = Duration::from_secs(150);
/// How long one `corsgate check` may take.
const CHECK_LIMIT: Duration = Duration::from_secs(30);

/// What the browser did for one scenario.
#[derive(Clone, Debug, Default)]
struct Observed {
    verdict: Option<Verdict>,
    /// Response header names the page could read (lower-case, sorted).
    readable: Vec<String>,
    /// The first CORS console line about the scenario (Chrome's from its stderr, Firefox's
    /// over WebDriver BiDi).
    message: Option<String>,
    /// Other console lines about it (none in Chrome; Firefox's follow-up lines).
    extra_messages: Vec<String>,
    error: String,
}

impl Observed {
    /// Every console line about the scenario, in order.
    fn lines(&self) -> Vec<String> {
        self.message
            .iter()
            .chain(&self.extra_messages)
            .cloned()
            .collect()
    }
}

/// Does Chrome's line speak about `url` (as the requested or the redirected-from URL)?
fn message_is_about(message: &str, url: &str) -> bool {
    message.starts_with(&format!("Access to fetch at '{url}' "))
        || message.starts_with(&format!("Access to XMLHttpRequest at '{url}' "))
        || message.contains(&format!("(redirected from '{url}') "))
        || message.starts_with(&format!("Fetch API cannot load {url}."))
}

/// Does Firefox's line speak about the scenario (its URL or one of its hops, on any origin)?
/// Firefox names the URL it blocked: `... remote resource at <url>. (Reason: ...` (quoted
/// `‘<url>’` in the credentials line).
fn firefox_message_is_about(message: &str, base_path: &str) -> bool {
    let Some(rest) = message.split(" remote resource at ").nth(1) else {
        return false;
    };
    let url = rest.trim_start_matches('\u{2018}');
    let end = url.find(['\u{2019}', ' ']).unwrap_or(url.len());
    let url = url[..end].trim_end_matches('.');
    let path = url
        .split_once("://")
        .and_then(|(_, r)| r.find('/').map(|i| &r[i..]))
        .unwrap_or("");
    path == base_path || path.starts_with(&format!("{base_path}/"))
}

fn observe(kind: Kind, s: &Scenario, env: &Env, reports: &[Value], console: &[String]) -> Observed {
    let mut o = Observed::default();
    if let Some(r) = reports.iter().find(|r| r["id"] == s.id) {
        match r["outcome"].as_str() {
            Some("ok") => {
                o.verdict = Some(Verdict::Allowed);
                let mut names: Vec<String> = r["headers"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                            .collect()
                    })
                    .unwrap_or_default();
                names.sort();
                o.readable = names;
            }
            Some("error") => {
                o.verdict = Some(Verdict::Blocked);
                o.error = r["error"].as_str().unwrap_or_default().to_owned();
            }
            _ => {}
        }
    }
    let url = env.expand("{URL}", s.id);
    let mut about: Vec<String> = console
        .iter()
        .filter(|m| match kind {
            Kind::Chromium => message_is_about(m, &url),
            Kind::Firefox => firefox_message_is_about(m, &s.base_path()),
        })
        .cloned()
        .collect();
    if !about.is_empty() {
        o.message = Some(about.remove(0));
        o.extra_messages = about;
    }
    o
}

/// The page's request, as the browser core takes it.
fn core_request(s: &Scenario, env: &Env) -> CorsRequest {
    let url = env.expand("{URL}", s.id);
    let mut req = if s.xhr {
        CorsRequest::xhr(url, env.page.clone())
    } else {
        CorsRequest::fetch(url, env.page.clone())
    }
    .method(s.method);
    for (n, v) in &s.headers {
        req = req.header(n.clone(), v.clone());
    }
    req = req.credentials(match s.credentials {
        "include" => CredentialsMode::Include,
        "omit" => CredentialsMode::Omit,
        _ => CredentialsMode::SameOrigin,
    });
    if s.body.is_some() {
        req = req.body(Body::Text);
    }
    req
}

/// What the scripted server answers to `r` (the same answer the browser got), for the core.
fn scripted(server: &Scripted, r: &OutgoingRequest) -> ResponseInfo {
    let env = &server.env;
    let (listener, rest) = if let Some(rest) = r.url.strip_prefix(&env.api) {
        (Listener::Api, rest)
    } else if let Some(rest) = r.url.strip_prefix(&env.third) {
        (Listener::Third, rest)
    } else {
        return ResponseInfo::new(StatusCode::BAD_GATEWAY);
    };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let (mut resp, body_len) = match server.answer(listener, path, r.method.as_str()) {
        Some(a) => {
            let mut resp = ResponseInfo::new(
                StatusCode::from_u16(a.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
            for (n, v) in &a.headers {
                let bytes: Vec<u8> = v
                    .chars()
                    .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
                    .collect();
                if let (Ok(name), Ok(value)) = (
                    HeaderName::from_bytes(n.as_bytes()),
                    HeaderValue::from_bytes(&bytes),
                ) {
                    resp.headers.append(name, value);
                }
            }
            (resp, BODY.len())
        }
        None if r.method == http::Method::OPTIONS => {
            (ResponseInfo::new(StatusCode::METHOD_NOT_ALLOWED), 0)
        }
        None => (ResponseInfo::new(StatusCode::NOT_FOUND), NOT_FOUND.len()),
    };
    // What hyper adds on the wire.
    let status = resp.status;
    if status != StatusCode::NO_CONTENT && status != StatusCode::NOT_MODIFIED {
        resp.headers
            .insert(http::header::CONTENT_LENGTH, HeaderValue::from(body_len));
    }
    resp.headers.insert(
        http::header::DATE,
        HeaderValue::from_static("Thu, 01 Jan 2026 00:00:00 GMT"),
    );
    resp
}

fn show(v: Option<Verdict>) -> &'static str {
    v.map(Verdict::as_str).unwrap_or("no report")
}

fn quoted(m: &Option<String>) -> String {
    match m {
        Some(m) => format!("{m:?}"),
        None => "none".to_owned(),
    }
}

/// The requests one client sent to the scenario's own URL.
fn sent_to<'a>(seen: &'a [Seen], listener: Listener, path: &str, options: bool) -> Vec<&'a Seen> {
    seen.iter()
        .filter(|r| {
            Listener::of(r) == listener
                && r.path() == path
                && (r.method == Method::OPTIONS) == options
        })
        .collect()
}

/// The headers of a preflight that CORS decides (Origin, ACRM, ACRH).
fn preflight_shape(r: &Seen) -> (Option<String>, Option<String>, Option<String>) {
    (
        r.header("origin"),
        r.header("access-control-request-method"),
        r.header("access-control-request-headers"),
    )
}

/// The (Origin, ACRM, ACRH) of each extra preflight a `check --json` document lists under
/// `diagnosis` (sent to find a cause, not by the browser model).
fn diagnosis_shapes(doc: &Value) -> Vec<(Option<String>, Option<String>, Option<String>)> {
    let Some(exchanges) = doc["diagnosis"]["exchanges"].as_array() else {
        return Vec::new();
    };
    exchanges
        .iter()
        .map(|e| {
            let get = |name: &str| {
                e["request"]["headers"]
                    .as_array()
                    .and_then(|h| h.iter().find(|h| h["name"] == name))
                    .and_then(|h| h["value"].as_str())
                    .map(str::to_owned)
            };
            (
                get("origin"),
                get("access-control-request-method"),
                get("access-control-request-headers"),
            )
        })
        .collect()
}

fn core_preflight_shape(p: &OutgoingRequest) -> (Option<String>, Option<String>, Option<String>) {
    let get = |name: &str| {
        p.headers
            .get(name)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    (
        get("origin"),
        get("access-control-request-method"),
        get("access-control-request-headers"),
    )
}

/// The browser-side comparisons (1–3) for one scenario.
fn compare_browser(
    kind: Kind,
    s: &Scenario,
    server: &Scripted,
    o: &Observed,
    seen: &[Seen],
    out: &mut Vec<String>,
) {
    let env = &server.env;
    let id = s.id;
    let engine = match kind {
        Kind::Chromium => Engine::Chrome,
        Kind::Firefox => Engine::Firefox,
    };
    let browser = kind.name();

    // 1. The table.
    let expected = match kind {
        Kind::Chromium => s.chrome.verdict(),
        Kind::Firefox => s.firefox,
    };
    if o.verdict != Some(expected) {
        out.push(format!(
            "[{id}] {browser} verdict: table says {}, {browser} did {} {}",
            expected.as_str(),
            show(o.verdict),
            o.error
        ));
    }
    if kind == Kind::Chromium {
        let want = match &s.chrome {
            Expect::Blocked(t) => Some(env.expand(t, id)),
            Expect::Allowed | Expect::BlockedSilently => None,
        };
        if o.message != want {
            out.push(format!(
                "[{id}] Chrome's console line differs from the table:\n    table:  {}\n    chrome: {}",
                quoted(&want),
                quoted(&o.message)
            ));
        }
        if !o.extra_messages.is_empty() {
            out.push(format!(
                "[{id}] Chrome printed more than one line about the URL: {:?}",
                o.extra_messages
            ));
        }
    }
    if o.verdict == Some(Verdict::Allowed) {
        for name in &s.readable {
            if !o.readable.iter().any(|n| n == name) {
                out.push(format!(
                    "[{id}] {browser}: script cannot read {name} (reads {:?})",
                    o.readable
                ));
            }
        }
        for name in &s.unreadable {
            if o.readable.iter().any(|n| n == name) {
                out.push(format!("[{id}] {browser}: script can read {name}"));
            }
        }
    }

    // 2. The core, fed the same answers.
    let req = core_request(s, env);
    let (outcome, core_sent) = simulate(&req, engine, |r| scripted(server, r));
    let (core_verdict, core_message, core_readable) = match &outcome {
        Outcome::Allowed(a) => (Verdict::Allowed, None, Some(a.readable_headers.clone())),
        Outcome::Blocked(b) => (Verdict::Blocked, b.chrome_message.clone(), None),
        // The call throws: no console line; the exception is compared below.
        Outcome::Refused(_) => (Verdict::Blocked, None, None),
    };
    if let Outcome::Refused(r) = &outcome {
        // What the page caught (`String(e)`), byte for byte, against the core's exception.
        if o.error != r.to_string() {
            out.push(format!(
                "[{id}] exception: {browser} threw {:?}, core {:?}",
                o.error,
                r.to_string()
            ));
        }
    }
    if o.verdict.is_some() && o.verdict != Some(core_verdict) {
        out.push(format!(
            "[{id}] core ({}) says {}, {browser} did {}",
            engine.name(),
            core_verdict.as_str(),
            show(o.verdict)
        ));
    }
    // Firefox's lines (its report's message, then the lines it prints right after).
    let core_firefox: Vec<String> = match &outcome {
        Outcome::Blocked(b) => b
            .firefox
            .iter()
            .flat_map(|f| std::iter::once(f.message.clone()).chain(f.followups.clone()))
            .collect(),
        _ => Vec::new(),
    };
    if kind == Kind::Firefox && o.verdict.is_some() && core_firefox != o.lines() {
        out.push(format!(
            "[{id}] core's Firefox lines differ from Firefox's console:\n    firefox: {:?}\n    core:    {:?}",
            o.lines(),
            core_firefox
        ));
    }
    if kind == Kind::Chromium && o.verdict.is_some() && core_message != o.message {
        out.push(format!(
            "[{id}] core's Chrome message differs from Chrome's console:\n    chrome: {}\n    core:   {}",
            quoted(&o.message),
            quoted(&core_message)
        ));
    }
    if let (Some(core_readable), Some(Verdict::Allowed)) = (&core_readable, o.verdict) {
        if *core_readable != o.readable {
            out.push(format!(
                "[{id}] readable headers: {browser} {:?}, core {:?}",
                o.readable, core_readable
            ));
        }
    }

    // 3. The preflight the browser sent, against the core's plan.
    let base = s.base_path();
    let browser_preflights = sent_to(seen, Listener::Api, &base, true);
    match plan(&req, engine) {
        Ok(p) => match (&p.preflight, browser_preflights.first()) {
            (None, None) => {}
            (Some(_), None) => out.push(format!(
                "[{id}] the core plans a preflight, {browser} sent none"
            )),
            (None, Some(r)) => out.push(format!(
                "[{id}] {browser} sent a preflight the core does not plan: {:?}",
                preflight_shape(r)
            )),
            (Some(core), Some(r)) => {
                let (b, c) = (preflight_shape(r), core_preflight_shape(core));
                if b != c {
                    out.push(format!(
                        "[{id}] preflight (Origin, ACRM, ACRH): {browser} {b:?}, core {c:?}"
                    ));
                }
            }
        },
        // The core says the call throws: the browser must have sent nothing.
        Err(_) => {
            if !browser_preflights.is_empty()
                || !sent_to(seen, Listener::Api, &base, false).is_empty()
            {
                out.push(format!(
                    "[{id}] the core says the call throws, {browser} sent requests"
                ));
            }
        }
    }
    // 3b. Every request the browser sent for the scenario, hop by hop, against the core's.
    let got: Vec<Wire> = seen
        .iter()
        .filter(|r| {
            Listener::of(r) != Listener::Page
                && (r.path() == base || r.path().starts_with(&format!("{base}/")))
        })
        .map(|r| {
            (
                Listener::of(r),
                r.path().to_owned(),
                r.method.to_string(),
                r.header("origin"),
                r.header("access-control-request-method"),
                r.header("access-control-request-headers"),
            )
        })
        .collect();
    let want: Vec<Wire> = core_sent.iter().map(|r| core_wire(env, r)).collect();
    if got != want {
        out.push(format!(
            "[{id}] requests (listener, path, method, Origin, ACRM, ACRH):\n    {browser}: {got:?}\n    core:    {want:?}"
        ));
    }
    if let Some((at, suffix)) = &s.null_origin_at {
        let listener = match at {
            At::Api => Listener::Api,
            At::Third => Listener::Third,
        };
        let path = format!("{base}{suffix}");
        let origins: Vec<Option<String>> = sent_to(seen, listener, &path, false)
            .iter()
            .map(|r| r.header("origin"))
            .collect();
        if origins != [Some("null".to_owned())] {
            out.push(format!(
                "[{id}] {browser} sent Origin {origins:?} to {path}, expected one request with null"
            ));
        }
    }
}

/// One request on the wire: listener, path, method, Origin, ACRM, ACRH.
type Wire = (
    Listener,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The [`Wire`] shape of a request the core sends.
fn core_wire(env: &Env, r: &OutgoingRequest) -> Wire {
    let (listener, rest) = if let Some(rest) = r.url.strip_prefix(&env.api) {
        (Listener::Api, rest)
    } else if let Some(rest) = r.url.strip_prefix(&env.third) {
        (Listener::Third, rest)
    } else {
        (Listener::Page, r.url.as_str())
    };
    let (origin, acrm, acrh) = core_preflight_shape(r);
    (
        listener,
        rest.split(['?', '#']).next().unwrap_or("").to_owned(),
        r.method.to_string(),
        origin,
        acrm,
        acrh,
    )
}

/// `corsgate check`'s answer for one scenario.
struct Checked {
    status: Option<i32>,
    json: Value,
    stdout: String,
    stderr: String,
    /// The requests it sent.
    seen: Vec<Seen>,
}

/// Does this build of `corsgate` have the `check` subcommand?
fn cli_has_check() -> bool {
    let help = run_within(&["--help"], &[], Duration::from_secs(20));
    help.stdout
        .lines()
        .any(|l| l.trim_start().starts_with("check "))
}

fn check_args(s: &Scenario, env: &Env) -> Vec<String> {
    let mut args = vec![
        "check".to_owned(),
        env.expand("{URL}", s.id),
        "--origin".to_owned(),
        env.page.clone(),
        "-X".to_owned(),
        s.method.to_owned(),
    ];
    for (n, v) in &s.headers {
        args.push("-H".to_owned());
        args.push(format!("{n}: {v}"));
    }
    args.push("--credentials".to_owned());
    args.push(s.credentials.to_owned());
    if let Some(b) = s.body {
        args.push("--data".to_owned());
        args.push(b.to_owned());
    }
    if s.xhr {
        args.push("--initiator".to_owned());
        args.push("xhr".to_owned());
    }
    args.push("--json".to_owned());
    args
}

fn run_check(s: &Scenario, env: &Env) -> Checked {
    let args = check_args(s, env);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = run_within(&args, &[], CHECK_LIMIT);
    let (status, stdout, stderr) = (run.status.and_then(|s| s.code()), run.stdout, run.stderr);
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    Checked {
        status,
        json,
        stdout,
        stderr,
        seen: Vec::new(),
    }
}

/// Comparison 4 for one scenario.
fn compare_check(
    kind: Kind,
    s: &Scenario,
    env: &Env,
    o: &Observed,
    browser_seen: &[Seen],
    c: &Checked,
    out: &mut Vec<String>,
) {
    let id = s.id;
    let browser = kind.name();
    let command = format!("corsgate {}", check_args(s, env).join(" "));
    if c.json.is_null() {
        out.push(format!(
            "[{id}] `{command}` printed no JSON (exit {:?}):\n    stdout: {}\n    stderr: {}",
            c.status,
            c.stdout.trim(),
            c.stderr.trim()
        ));
        return;
    }
    let verdict = c.json["verdict"].as_str().unwrap_or("(none)");
    let want_status = match verdict {
        "allowed" => Some(0),
        "blocked" => Some(1),
        _ => None,
    };
    if c.status != want_status {
        out.push(format!(
            "[{id}] check exit status {:?} with verdict {verdict:?}",
            c.status
        ));
    }
    let Some(observed) = o.verdict else {
        return;
    };
    // For a call that throws, what check prints as each browser's message is its exception,
    // which the page caught as `String(e)`.
    let engine = match kind {
        Kind::Chromium => Engine::Chrome,
        Kind::Firefox => Engine::Firefox,
    };
    let throws = plan(&core_request(s, env), engine).is_err();
    let observed_lines = if throws {
        vec![o.error.clone()]
    } else {
        o.lines()
    };
    let observed_message = observed_lines.first().cloned();
    match kind {
        Kind::Chromium => {
            if verdict != observed.as_str() {
                out.push(format!(
                    "[{id}] verdict: chromium {}, check {verdict}",
                    observed.as_str()
                ));
            }
            let chrome_verdict = c.json["browsers"]["chrome"]["verdict"].as_str();
            if chrome_verdict != Some(observed.as_str()) {
                out.push(format!(
                    "[{id}] browsers.chrome.verdict: chromium {}, check {chrome_verdict:?}",
                    observed.as_str()
                ));
            }
            let message = c.json["message"].as_str().map(str::to_owned);
            if message != observed_message {
                out.push(format!(
                    "[{id}] message:\n    chrome: {}\n    check:  {}",
                    quoted(&observed_message),
                    quoted(&message)
                ));
            }
            if observed == Verdict::Allowed && verdict == "allowed" {
                match c.json["readable_headers"].as_array() {
                    Some(list) => {
                        let mut names: Vec<String> = list
                            .iter()
                            .filter_map(|v| v.as_str().map(str::to_ascii_lowercase))
                            .collect();
                        names.sort();
                        if names != o.readable {
                            out.push(format!(
                                "[{id}] readable headers: chromium {:?}, check {names:?}",
                                o.readable
                            ));
                        }
                    }
                    None => out.push(format!(
                        "[{id}] check's readable_headers is not a list: {}",
                        c.json["readable_headers"]
                    )),
                }
            }
        }
        Kind::Firefox => {
            let ff = c.json["browsers"]["firefox"]["verdict"].as_str();
            if ff != Some(observed.as_str()) {
                out.push(format!(
                    "[{id}] browsers.firefox.verdict: firefox {}, check {ff:?}",
                    observed.as_str()
                ));
            }
            // Byte for byte: `message`, then `followups`, against Firefox's console lines.
            let ff = &c.json["browsers"]["firefox"];
            let lines: Vec<String> = ff["message"]
                .as_str()
                .into_iter()
                .chain(
                    ff["followups"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str),
                )
                .map(str::to_owned)
                .collect();
            if lines != observed_lines {
                out.push(format!(
                    "[{id}] browsers.firefox message and followups:\n    firefox: {observed_lines:?}\n    check:   {lines:?}"
                ));
            }
        }
    }
    // The preflights check sent, against the browser's. `check` drives a Chrome flow and then
    // a Firefox flow (replaying the requests they share), so the server sees both engines'
    // preflights: each one the browser sent must be among them, and any other must be the one
    // the core plans for the other engine (DPR: Firefox preflights, Chrome does not).
    let base = s.base_path();
    let mut b: Vec<_> = sent_to(browser_seen, Listener::Api, &base, true)
        .iter()
        .map(|r| preflight_shape(r))
        .collect();
    let mut k: Vec<_> = sent_to(&c.seen, Listener::Api, &base, true)
        .iter()
        .map(|r| preflight_shape(r))
        .collect();
    // The extra preflights check lists as its diagnosis are not the browser's.
    for extra in diagnosis_shapes(&c.json) {
        if let Some(i) = k.iter().position(|x| *x == extra) {
            k.remove(i);
        }
    }
    b.dedup();
    k.sort();
    k.dedup();
    let other = match kind {
        Kind::Chromium => Engine::Firefox,
        Kind::Firefox => Engine::Chrome,
    };
    let other_plan = plan(&core_request(s, env), other)
        .ok()
        .and_then(|p| p.preflight)
        .map(|p| core_preflight_shape(&p));
    let missing: Vec<_> = b.iter().filter(|x| !k.contains(x)).collect();
    let extra: Vec<_> = k
        .iter()
        .filter(|x| !b.contains(x) && other_plan.as_ref() != Some(*x))
        .collect();
    if !missing.is_empty() || !extra.is_empty() {
        out.push(format!(
            "[{id}] preflights (Origin, ACRM, ACRH): {browser} sent {b:?}, check sent {k:?}"
        ));
    }
}

/// The scenario table as Markdown (for `docs/differential.md`).
fn markdown_table(scenarios: &[Scenario]) -> String {
    let mut t = String::from(
        "| # | id | request | Chrome 156 | Firefox ESR 153 |\n|---|---|---|---|---|\n",
    );
    for (i, s) in scenarios.iter().enumerate() {
        let mut request = format!("{} {}", if s.xhr { "XHR" } else { "fetch" }, s.method);
        for (n, v) in &s.headers {
            let v = if v.len() > 24 {
                format!("<{} bytes>", v.len())
            } else {
                v.clone()
            };
            request.push_str(&format!(", `{n}: {v}`"));
        }
        if s.credentials != "same-origin" {
            request.push_str(&format!(", credentials {}", s.credentials));
        }
        let chrome = match &s.chrome {
            Expect::Allowed => "allowed".to_owned(),
            Expect::BlockedSilently => "blocked, no CORS line (network error)".to_owned(),
            Expect::Blocked(m) => {
                let reason = m.split("blocked by CORS policy: ").nth(1).unwrap_or(m);
                format!("blocked: {reason}")
            }
        };
        let firefox = if s.note.is_empty() {
            s.firefox.as_str().to_owned()
        } else {
            format!("{} ({})", s.firefox.as_str(), s.note)
        };
        t.push_str(&format!(
            "| {} | `{}` | {}: {} | {} | {} |\n",
            i + 1,
            s.id,
            request,
            s.about.replace('*', "\\*"),
            chrome.replace('|', "\\|").replace('*', "\\*"),
            firefox
        ));
    }
    t
}

/// Runs the whole suite in `kind` and asserts that nothing differs.
fn run(kind: Kind) {
    let scenarios = all();
    if let Some(path) = std::env::var_os("CORSGATE_DIFF_TABLE") {
        std::fs::write(&path, markdown_table(&scenarios)).expect("the table file is writable");
    }
    // The whole run is the only browser work of the binary meanwhile.
    let _turn = exclusive();
    if !available(kind) {
        return;
    }
    let started = Instant::now();
    assert!(
        scenarios.len() >= 40,
        "the suite needs at least 40 scenarios"
    );
    let server = Scripted::start(&scenarios);
    let env = server.env.clone();

    let page_url = format!("{}/", env.page);
    let (mut browser, firefox_console) = match kind {
        Kind::Chromium => (Launched::start(kind, &page_url), None),
        Kind::Firefox => {
            let (launched, console) = Launched::firefox_with_console(&page_url);
            (launched, Some(console))
        }
    };
    let done = server.wait_done(RUN_LIMIT, || browser.alive());
    // Chrome writes the console lines as the fetches fail; give the last one a moment.
    std::thread::sleep(Duration::from_millis(300));
    browser.stop();
    let output = browser.output();
    let reports = server.reports();
    let seen = server.server.seen();
    let mut mismatches = Vec::new();
    if !done {
        mismatches.push(format!(
            "the page did not finish within {RUN_LIMIT:?} ({} of {} reports); {} output:\n{}",
            reports.len(),
            scenarios.len(),
            kind.name(),
            browser.output_tail(40)
        ));
    }
    drop(browser);
    let console = match &firefox_console {
        None => chromium_console(&output),
        // Firefox's CORS lines: BiDi `javascript` entries at level `error`.
        Some(c) => c
            .entries()
            .into_iter()
            .filter(|m| m.source == "javascript" && m.level == "error")
            .map(|m| m.text)
            .collect(),
    };
    drop(firefox_console);
    if console.is_empty() {
        mismatches.push(format!(
            "no console line from {}; its format or channel may have changed:\n{}",
            kind.name(),
            output.lines().take(40).collect::<Vec<_>>().join("\n")
        ));
    }

    let observed: Vec<Observed> = scenarios
        .iter()
        .map(|s| observe(kind, s, &env, &reports, &console))
        .collect();
    for (s, o) in scenarios.iter().zip(&observed) {
        compare_browser(kind, s, &server, o, &seen, &mut mismatches);
    }

    let has_check = cli_has_check();
    if has_check {
        for (s, o) in scenarios.iter().zip(&observed) {
            server.server.clear_seen();
            let mut checked = run_check(s, &env);
            checked.seen = server.server.seen();
            compare_check(kind, s, &env, o, &seen, &checked, &mut mismatches);
        }
    } else {
        eprintln!(
            "NOTE: this corsgate has no `check` subcommand yet: {} was compared with the table \
             and the browser core only",
            kind.name()
        );
    }

    eprintln!(
        "differential ({}): {} scenarios, check {}, {} mismatches, {:.1?}",
        kind.name(),
        scenarios.len(),
        if has_check { "compared" } else { "absent" },
        mismatches.len(),
        started.elapsed()
    );
    for (s, o) in scenarios.iter().zip(&observed) {
        eprintln!(
            "  {:<22} {:<9} {}",
            s.id,
            show(o.verdict),
            o.message.as_deref().unwrap_or(&o.error)
        );
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatch(es) in {} ({} scenarios):\n{}",
        mismatches.len(),
        kind.name(),
        scenarios.len(),
        mismatches.join("\n")
    );
}

// --- The scripted server ------------------------------------------------------------------
//
// Three loopback listeners, three origins:
//
// - the **page** origin (`http://127.0.0.1:P`) serves the runner page and takes the page's
//   reports (`POST /report`, `POST /done`), same-origin;
// - the **API** origin (`http://127.0.0.1:Q`) answers each scenario at `/s/<id>` (and its
//   redirect hops at `/s/<id>/<n>`) with the scenario's scripted status and headers, one
//   answer for `OPTIONS` and one for every other method;
// - the **third** origin (`http://127.0.0.1:R`) answers the hops redirected there.
//
// Answers depend only on the listener, the path and whether the method is `OPTIONS` — never
// on what else the client sends (`User-Agent`, `Sec-Fetch-*`, cookies), so a browser and
// `corsgate check` get byte-identical answers. Every request is recorded (`util::server`).

/// The body of every scripted non-204 answer.
const BODY: &str = "ok";
/// The body of the 404 for an unknown path.
const NOT_FOUND: &str = "no such scenario";

/// Which listener a request came in on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Listener {
    Page,
    Api,
    Third,
}

impl Listener {
    /// In the order the server binds them.
    const ALL: [Listener; 3] = [Listener::Page, Listener::Api, Listener::Third];

    fn of(r: &Seen) -> Listener {
        Listener::ALL[r.listener]
    }
}

/// (listener, path) → (the `OPTIONS` answer, every other method's answer), templates
/// expanded, bodies not yet added.
type Routes = HashMap<(Listener, String), (Option<server::Reply>, server::Reply)>;

/// What the runner page reported.
#[derive(Default)]
struct PageState {
    reports: Vec<Value>,
    done: bool,
}

/// The suite's server: the scripted server with the scenarios' routes and the runner page.
struct Scripted {
    server: Server,
    env: Env,
    routes: Arc<Routes>,
    page: Arc<Mutex<PageState>>,
}

fn listener_of(at: At) -> Listener {
    match at {
        At::Api => Listener::Api,
        At::Third => Listener::Third,
    }
}

fn expand_reply(reply: &Reply, env: &Env, id: &str) -> server::Reply {
    reply
        .headers
        .iter()
        .fold(server::Reply::new(reply.status), |r, (n, v)| {
            r.header(n.clone(), env.expand(v, id))
        })
}

fn routes(scenarios: &[Scenario], env: &Env) -> Routes {
    let mut routes = HashMap::new();
    for s in scenarios {
        for r in &s.routes {
            let key = (listener_of(r.at), format!("{}{}", s.base_path(), r.suffix));
            let answers = (
                r.options.as_ref().map(|o| expand_reply(o, env, s.id)),
                expand_reply(&r.other, env, s.id),
            );
            assert!(
                routes.insert(key.clone(), answers).is_none(),
                "two routes at {key:?}"
            );
        }
    }
    routes
}

fn lock(page: &Mutex<PageState>) -> MutexGuard<'_, PageState> {
    page.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The answer to one request.
fn respond(r: &Seen, routes: &Routes, html: &str, page: &Mutex<PageState>) -> server::Reply {
    let listener = Listener::of(r);
    if listener == Listener::Page {
        return match (r.method.as_str(), r.path()) {
            ("GET", "/") => server::Reply::new(200)
                .header("content-type", "text/html; charset=utf-8")
                .header("cache-control", "no-store")
                .body(html.to_owned()),
            ("POST", "/report") => {
                let value: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
                lock(page).reports.push(value);
                server::Reply::new(204)
            }
            ("POST", "/done") => {
                lock(page).done = true;
                server::Reply::new(204)
            }
            _ => server::Reply::new(404),
        };
    }
    let Some((options, other)) = routes.get(&(listener, r.path().to_owned())) else {
        return server::Reply::new(404).body(NOT_FOUND);
    };
    let answer = if r.method == Method::OPTIONS {
        match options {
            Some(a) => a,
            None => return server::Reply::new(405),
        }
    } else {
        other
    };
    let body = if answer.status == 204 || answer.status == 304 {
        ""
    } else {
        BODY
    };
    answer.clone().body(body)
}

impl Scripted {
    /// Binds the three listeners and serves `scenarios` and the runner page.
    fn start(scenarios: &[Scenario]) -> Scripted {
        let page = Arc::new(Mutex::new(PageState::default()));
        let state = page.clone();
        let mut made = None;
        let server = server::serve_many(3, |origins| {
            let env = Env {
                page: origins[0].clone(),
                api: origins[1].clone(),
                third: origins[2].clone(),
            };
            let routes = Arc::new(routes(scenarios, &env));
            let html = page_html(scenarios, &env);
            made = Some((env, routes.clone()));
            move |r: &Seen| respond(r, &routes, &html, &state)
        });
        let (env, routes) = made.expect("the server called its factory");
        Scripted {
            server,
            env,
            routes,
            page,
        }
    }

    /// The scripted answer at `listener` + `path` for `method` (what the server sends, bodies
    /// aside).
    fn answer(&self, listener: Listener, path: &str, method: &str) -> Option<server::Reply> {
        let (options, other) = self.routes.get(&(listener, path.to_owned()))?;
        if method == "OPTIONS" {
            options.clone()
        } else {
            Some(other.clone())
        }
    }

    /// The page's reports so far.
    fn reports(&self) -> Vec<Value> {
        lock(&self.page).reports.clone()
    }

    /// Waits (bounded) until the page said it is done; `false` on timeout or when `alive`
    /// says the browser is gone.
    fn wait_done(&self, within: Duration, mut alive: impl FnMut() -> bool) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if lock(&self.page).done {
                return true;
            }
            if !alive() {
                return lock(&self.page).done;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        lock(&self.page).done
    }
}

// --- The runner page ----------------------------------------------------------------------
//
// Served from the page origin, it runs every scenario's `fetch()` one after the other and
// POSTs each outcome to its own origin, then `POST /done`.

/// How long the page lets one `fetch()` run before aborting it (milliseconds).
const FETCH_TIMEOUT_MS: u64 = 10_000;

/// The page's view of one scenario.
fn spec(s: &Scenario, env: &Env) -> Value {
    json!({
        "id": s.id,
        "url": env.expand("{URL}", s.id),
        "method": s.method,
        "headers": s.headers.iter().map(|(n, v)| vec![n.clone(), v.clone()]).collect::<Vec<_>>(),
        "credentials": s.credentials,
        "body": s.body,
        "xhr": s.xhr,
    })
}

/// The page's HTML.
fn page_html(scenarios: &[Scenario], env: &Env) -> String {
    let specs: Vec<Value> = scenarios.iter().map(|s| spec(s, env)).collect();
    // `</` never appears in JSON from serde_json unless inside a string; escape it anyway.
    let data = serde_json::to_string(&specs)
        .expect("scenario specs serialise")
        .replace("</", "<\\/");
    format!(
        r#"<!doctype html>
<meta charset="utf-8">
<title>corsgate differential runner</title>
<pre id="log">running</pre>
<script>
const SCENARIOS = {data};
const log = (line) => {{ document.getElementById("log").textContent += "\n" + line; }};
async function report(value) {{
  await fetch("/report", {{ method: "POST", body: JSON.stringify(value) }});
}}
function runXhr(s) {{
  return new Promise((resolve) => {{
    const xhr = new XMLHttpRequest();
    xhr.open(s.method, s.url);
    for (const [name, value] of s.headers) xhr.setRequestHeader(name, value);
    xhr.withCredentials = s.credentials === "include";
    xhr.timeout = {timeout};
    xhr.onload = () => {{
      const names = xhr.getAllResponseHeaders().trim().split(/\r?\n/)
        .filter((line) => line.includes(":"))
        .map((line) => line.slice(0, line.indexOf(":")).trim().toLowerCase());
      resolve({{ id: s.id, outcome: "ok", status: xhr.status, headers: names }});
    }};
    xhr.onerror = () => resolve({{ id: s.id, outcome: "error", error: "xhr error" }});
    xhr.ontimeout = () => resolve({{ id: s.id, outcome: "error", error: "xhr timeout" }});
    xhr.send(s.body);
  }});
}}
async function runOne(s) {{
  if (s.xhr) return runXhr(s);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), {timeout});
  const init = {{ method: s.method, headers: s.headers, credentials: s.credentials,
                 signal: controller.signal }};
  if (s.body !== null) init.body = s.body;
  try {{
    const response = await fetch(s.url, init);
    const names = [];
    response.headers.forEach((value, name) => names.push(name));
    await response.text();
    return {{ id: s.id, outcome: "ok", status: response.status, type: response.type,
             url: response.url, headers: names }};
  }} catch (e) {{
    return {{ id: s.id, outcome: "error", error: String(e) }};
  }} finally {{
    clearTimeout(timer);
  }}
}}
(async () => {{
  for (const s of SCENARIOS) {{
    const result = await runOne(s);
    log(s.id + " " + result.outcome);
    await report(result);
  }}
  await fetch("/done", {{ method: "POST" }});
  log("done");
}})();
</script>
"#,
        timeout = FETCH_TIMEOUT_MS
    )
}

// --- The scenario table -------------------------------------------------------------------
//
// What the page asks for, what the server answers, and what Chrome 156 and Firefox ESR 153
// do about it.
//
// Templates in header values and expected messages: `{PAGE}`, `{API}` and `{THIRD}` are the
// three origins, `{ID}` the scenario's base path (`/s/<id>`) and `{URL}` its URL on the API
// origin (`{API}{ID}`), which is what the page fetches.

/// Where a route is served.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Api,
    Third,
}

/// A scripted answer: status and header lines (values are templates; several lines with the
/// same name are sent as several lines).
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

fn reply(status: u16, headers: &[(&str, &str)]) -> Reply {
    Reply {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

/// One path the server answers for a scenario: `{ID}` + `suffix` at `at`.
#[derive(Clone, Debug)]
pub struct Route {
    pub at: At,
    pub suffix: String,
    /// The `OPTIONS` answer (`None`: 405, nothing else).
    pub options: Option<Reply>,
    /// The answer to every other method.
    pub other: Reply,
}

/// Allowed or blocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    Blocked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Allowed => "allowed",
            Verdict::Blocked => "blocked",
        }
    }
}

/// What Chrome does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The page gets the response.
    Allowed,
    /// Blocked, with this console line (a template).
    Blocked(&'static str),
    /// Blocked without a CORS console line (a network error such as too many redirects).
    BlockedSilently,
}

impl Expect {
    pub fn verdict(&self) -> Verdict {
        match self {
            Expect::Allowed => Verdict::Allowed,
            _ => Verdict::Blocked,
        }
    }
}

/// The three origins, once the ports are known.
#[derive(Clone, Debug)]
pub struct Env {
    pub page: String,
    pub api: String,
    pub third: String,
}

impl Env {
    /// Expands a template for scenario `id`.
    pub fn expand(&self, template: &str, id: &str) -> String {
        let base = format!("/s/{id}");
        template
            .replace("{URL}", &format!("{}{base}", self.api))
            .replace("{ID}", &base)
            .replace("{PAGE}", &self.page)
            .replace("{API}", &self.api)
            .replace("{THIRD}", &self.third)
    }
}

/// One scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: &'static str,
    pub about: &'static str,
    pub method: &'static str,
    pub headers: Vec<(String, String)>,
    pub credentials: &'static str,
    pub body: Option<&'static str>,
    /// `XMLHttpRequest` instead of `fetch()` (`withCredentials` for credentials `include`).
    pub xhr: bool,
    /// `routes[0]` is the scenario's URL itself (API origin, empty suffix).
    pub routes: Vec<Route>,
    pub chrome: Expect,
    pub firefox: Verdict,
    /// Response headers script must be able to read (allowed scenarios; checked as a subset).
    pub readable: Vec<&'static str>,
    /// Response headers script must not be able to read.
    pub unreadable: Vec<&'static str>,
    /// A route suffix where the browser must have sent `Origin: null`.
    pub null_origin_at: Option<(At, String)>,
    /// Why Firefox differs, when it does.
    pub note: &'static str,
}

impl Scenario {
    fn new(id: &'static str, about: &'static str) -> Scenario {
        Scenario {
            id,
            about,
            method: "GET",
            headers: Vec::new(),
            credentials: "same-origin",
            body: None,
            xhr: false,
            routes: vec![Route {
                at: At::Api,
                suffix: String::new(),
                options: None,
                other: reply(200, &[]),
            }],
            chrome: Expect::Allowed,
            firefox: Verdict::Allowed,
            readable: Vec::new(),
            unreadable: Vec::new(),
            null_origin_at: None,
            note: "",
        }
    }

    /// `/s/<id>`.
    pub fn base_path(&self) -> String {
        format!("/s/{}", self.id)
    }

    fn method(mut self, m: &'static str) -> Self {
        self.method = m;
        self
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn include(mut self) -> Self {
        self.credentials = "include";
        self
    }

    fn omit(mut self) -> Self {
        self.credentials = "omit";
        self
    }

    fn body(mut self, b: &'static str) -> Self {
        self.body = Some(b);
        self
    }

    fn xhr(mut self) -> Self {
        self.xhr = true;
        self
    }

    fn preflight(mut self, status: u16, headers: &[(&str, &str)]) -> Self {
        self.routes[0].options = Some(reply(status, headers));
        self
    }

    fn actual(mut self, status: u16, headers: &[(&str, &str)]) -> Self {
        self.routes[0].other = reply(status, headers);
        self
    }

    fn hop(
        mut self,
        at: At,
        suffix: &str,
        options: Option<(u16, &[(&str, &str)])>,
        status: u16,
        headers: &[(&str, &str)],
    ) -> Self {
        self.routes.push(Route {
            at,
            suffix: suffix.to_owned(),
            options: options.map(|(s, h)| reply(s, h)),
            other: reply(status, headers),
        });
        self
    }

    /// `n` redirects on the API origin, each allowing the page, then a 200 allowing it.
    fn chain(mut self, n: u32) -> Self {
        let step = |k: u32| format!("{{API}}{{ID}}/{k}");
        self.routes[0].other = Reply {
            status: 302,
            headers: vec![
                ("access-control-allow-origin".into(), "{PAGE}".into()),
                ("location".into(), step(1)),
            ],
        };
        for k in 1..=n {
            let other = if k < n {
                Reply {
                    status: 302,
                    headers: vec![
                        ("access-control-allow-origin".into(), "{PAGE}".into()),
                        ("location".into(), step(k + 1)),
                    ],
                }
            } else {
                reply(200, &[("access-control-allow-origin", "{PAGE}")])
            };
            self.routes.push(Route {
                at: At::Api,
                suffix: format!("/{k}"),
                options: None,
                other,
            });
        }
        self
    }

    fn chrome(mut self, e: Expect) -> Self {
        self.firefox = e.verdict();
        self.chrome = e;
        self
    }

    fn firefox(mut self, v: Verdict, note: &'static str) -> Self {
        self.firefox = v;
        self.note = note;
        self
    }

    fn readable(mut self, names: &[&'static str]) -> Self {
        self.readable = names.to_vec();
        self
    }

    fn unreadable(mut self, names: &[&'static str]) -> Self {
        self.unreadable = names.to_vec();
        self
    }

    fn null_origin_at(mut self, at: At, suffix: &str) -> Self {
        self.null_origin_at = Some((at, suffix.to_owned()));
        self
    }
}

/// "Access to fetch at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: " + reason.
macro_rules! blocked {
    ($reason:expr) => {
        Expect::Blocked(concat!(
            "Access to fetch at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: ",
            $reason
        ))
    };
}

/// The same, for the preflight variants ("Response to preflight request doesn't pass access
/// control check: " + reason).
macro_rules! preflight_blocked {
    ($reason:expr) => {
        blocked!(concat!(
            "Response to preflight request doesn't pass access control check: ",
            $reason
        ))
    };
}

/// The `XMLHttpRequest` wording: "Access to XMLHttpRequest at '{URL}' ..." + reason.
macro_rules! xhr_blocked {
    ($reason:expr) => {
        Expect::Blocked(concat!(
            "Access to XMLHttpRequest at '{URL}' from origin '{PAGE}' has been blocked by CORS policy: ",
            $reason
        ))
    };
}

/// The XHR-only sentence Chrome appends to the wildcard and credentials messages.
macro_rules! with_credentials_hint {
    () => {
        " The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute."
    };
}

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";
const ACAM: &str = "access-control-allow-methods";
const ACAH: &str = "access-control-allow-headers";
const ACEH: &str = "access-control-expose-headers";

/// Every scenario, in the order the page runs them.
pub fn all() -> Vec<Scenario> {
    use Expect::Allowed;
    use Scenario as S;
    let long_accept_128 = format!("text/{}", "a".repeat(123));
    let long_accept_129 = format!("text/{}", "a".repeat(124));
    vec![
        // --- The actual response's Access-Control-Allow-Origin ---------------------------
        S::new("get-allowed", "simple GET, ACAO echoes the page origin")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("get-star", "simple GET, ACAO *")
            .actual(200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("acao-missing", "no ACAO")
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("acao-missing-404", "404 without ACAO")
            .actual(404, &[])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("acao-list", "ACAO lists two origins on one line")
            .actual(200, &[(ACAO, "{PAGE}, http://x.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, http://x.example', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-two-lines", "ACAO sent twice with the page origin")
            .actual(200, &[(ACAO, "{PAGE}"), (ACAO, "{PAGE}")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, {PAGE}', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-space", "ACAO with a space between two origins")
            .actual(200, &[(ACAO, "{PAGE} http://x.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE} http://x.example', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("acao-invalid", "ACAO is not a URL")
            .actual(200, &[(ACAO, "notaurl")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value 'notaurl'. Have the server send the header with a valid value.")),
        S::new("acao-empty", "ACAO is empty")
            .actual(200, &[(ACAO, "")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value ''. Have the server send the header with a valid value.")),
        S::new("acao-other", "ACAO names another origin")
            .actual(200, &[(ACAO, "http://other.example")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-slash", "ACAO is the page origin with a trailing slash")
            .actual(200, &[(ACAO, "{PAGE}/")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value '{PAGE}/' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-port", "ACAO is the API's own origin (same host, other port)")
            .actual(200, &[(ACAO, "{API}")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value '{API}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("acao-null", "ACAO null for a page with a real origin")
            .actual(200, &[(ACAO, "null")])
            .chrome(blocked!("The 'Access-Control-Allow-Origin' header has a value 'null' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        // --- Credentials --------------------------------------------------------------------
        S::new("cred-star", "credentials include, ACAO *")
            .include()
            .actual(200, &[(ACAO, "*"), (ACAC, "true")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("cred-no-acac", "credentials include, no ACAC")
            .include()
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("cred-acac-True", "credentials include, ACAC True (capital T)")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "True")])
            .chrome(blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("cred-allowed", "credentials include, ACAO echo and ACAC true")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(Allowed),
        S::new("cred-omit-star", "credentials omit, ACAO *")
            .omit()
            .actual(200, &[(ACAO, "*")])
            .chrome(Allowed),
        // --- The preflight's response ---------------------------------------------------------
        S::new("put-allowed", "PUT, preflight allows it")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("pf-404", "PUT, preflight answers 404")
            .method("PUT")
            .preflight(404, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("It does not have HTTP ok status.")),
        S::new("pf-500", "DELETE, preflight answers 500")
            .method("DELETE")
            .preflight(500, &[(ACAO, "{PAGE}"), (ACAM, "DELETE")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("It does not have HTTP ok status.")),
        S::new("pf-redirect", "PUT, preflight redirects")
            .method("PUT")
            .preflight(307, &[(ACAO, "{PAGE}"), (ACAM, "PUT"), ("location", "{API}{ID}/2")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .hop(At::Api, "/2", Some((204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])), 200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("Redirect is not allowed for a preflight request.")),
        S::new("pf-acao-missing", "PUT, preflight without ACAO")
            .method("PUT")
            .preflight(204, &[(ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("pf-acao-other", "PUT, preflight ACAO names another origin")
            .method("PUT")
            .preflight(204, &[(ACAO, "http://x.example"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://x.example' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("pf-acao-two", "PUT, preflight ACAO sent twice")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, {PAGE}', but only one is allowed. Have the server send the header with a valid value.")),
        S::new("pf-acao-invalid", "PUT, preflight ACAO is not a URL")
            .method("PUT")
            .preflight(204, &[(ACAO, "nope"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(preflight_blocked!("The 'Access-Control-Allow-Origin' header contains the invalid value 'nope'. Have the server send the header with a valid value.")),
        S::new("pf-cred-star", "PUT with credentials, preflight ACAO *")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "*"), (ACAC, "true"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.")),
        S::new("pf-cred-no-acac", "PUT with credentials, preflight without ACAC")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(preflight_blocked!("The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.")),
        S::new("pf-cred-allowed", "PUT with credentials, everything echoed")
            .method("PUT")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(Allowed),
        // --- Methods ----------------------------------------------------------------------
        S::new("method-missing", "PUT, preflight without ACAM")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-invalid", "PUT, ACAM is not a token list")
            .method("PUT")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT, (GET)")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Methods response header field in preflight response.")),
        S::new("method-patch-lower", "fetch method 'patch' (not normalised), ACAM PATCH")
            .method("patch")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PATCH")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method patch is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-patch-upper", "fetch method 'PATCH', ACAM patch")
            .method("PATCH")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "patch")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PATCH is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-put-lower", "fetch method 'put' (normalised to PUT), ACAM put")
            .method("put")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "put")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("method-star", "DELETE, ACAM *")
            .method("DELETE")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("method-star-cred", "DELETE with credentials, ACAM * (literal then)")
            .method("DELETE")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAM, "*")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.")),
        // --- Request headers ----------------------------------------------------------------
        S::new("header-missing", "X-Foo, preflight without ACAH")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("header-invalid", "X-Foo, ACAH is not a token list")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "x-foo, x bar")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Cannot parse Access-Control-Allow-Headers response header field in preflight response.")),
        S::new("header-case", "X-Foo, ACAH X-FOO (names compare case-insensitively)")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "X-FOO")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("header-star", "X-Foo, ACAH *")
            .header("X-Foo", "1")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("header-star-cred", "X-Foo with credentials, ACAH * (literal then)")
            .header("X-Foo", "1")
            .include()
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(blocked!("Request header field x-foo is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("auth-star", "Authorization, ACAH * (still covers it in both browsers)")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "*")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("auth-listed", "Authorization, ACAH authorization")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "authorization")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("auth-missing", "Authorization, preflight without ACAH")
            .header("Authorization", "Bearer t")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.")),
        // --- Safelisted request headers -------------------------------------------------------
        S::new("ct-text-plain", "POST text/plain: no preflight")
            .method("POST")
            .header("Content-Type", "text/plain")
            .body("hi")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-json", "POST application/json: preflight, content-type not allowed")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("ct-json-allowed", "POST application/json, ACAH content-type")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "Content-Type")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("ct-quoted", "POST text/plain with a quoted charset (a CORS-unsafe byte)")
            .method("POST")
            .header("Content-Type", "text/plain; charset=\"utf-8\"")
            .body("hi")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-type is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("accept-128", "Accept value of exactly 128 bytes: safelisted")
            .header("Accept", &long_accept_128)
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("accept-129", "Accept value of 129 bytes: preflight, accept not allowed")
            .header("Accept", &long_accept_129)
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field accept is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("accept-language-ok", "Accept-Language with safelisted bytes")
            .header("Accept-Language", "en-US,en;q=0.9")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("accept-language-bad", "Accept-Language with '@': preflight")
            .header("Accept-Language", "en@US")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field accept-language is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("content-language-bad", "Content-Language with parentheses: preflight")
            .header("Content-Language", "de(DE)")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field content-language is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("range-single", "Range with one simple range: safelisted")
            .header("Range", "bytes=0-10")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed),
        S::new("range-multi", "Range with two ranges: preflight")
            .header("Range", "bytes=0-1,5-6")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("Request header field range is not allowed by Access-Control-Allow-Headers in preflight response.")),
        S::new("dpr", "DPR: 1 (safelisted by Chrome only); OPTIONS answers 405")
            .header("DPR", "1")
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox does not safelist DPR: it preflights, and the 405 fails the preflight"),
        // --- Redirects ------------------------------------------------------------------------
        S::new("redir-third-echo", "redirect to a third origin, which echoes the page origin (but Origin is null now)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to fetch at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value.")),
        S::new("redir-third-null", "redirect to a third origin, which answers ACAO null")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "null")])
            .null_origin_at(At::Third, "/2")
            .chrome(Allowed),
        S::new("redir-third-star", "redirect to a third origin, which answers ACAO *")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("redir-no-acao", "the redirect response itself has no ACAO")
            .actual(302, &[("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("redir-put-307", "preflighted PUT, 307 to a third origin: preflighted again there")
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(307, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", Some((204, &[(ACAO, "*"), (ACAM, "PUT")])), 200, &[(ACAO, "*")])
            .chrome(Allowed),
        S::new("redir-20", "20 redirects: the limit")
            .chain(20)
            .chrome(Allowed),
        S::new("redir-21", "21 redirects: one too many")
            .chain(21)
            .chrome(Expect::BlockedSilently),
        S::new("redir-userinfo", "redirect to a URL with a username and password")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "http://user:pass@127.0.0.1:1{ID}/2")])
            .chrome(blocked!("Redirect location '' contains a username and password, which is disallowed for cross-origin requests.")),
        S::new("redir-ftp", "redirect to ftp:")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "ftp://127.0.0.1/x")])
            .chrome(Expect::Blocked("Access to fetch at 'ftp://127.0.0.1/x' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-experimental-site-token-provider, chrome-extension, chrome-untrusted, data, http, https, isolated-app.")),
        S::new("redir-data", "redirect to a data: URL (a network error, no CORS line)")
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "data:text/plain,hi")])
            .chrome(Expect::BlockedSilently),
        // --- Exposed response headers -----------------------------------------------------------
        S::new("expose-listed", "ACEH lists X-Custom")
            .actual(200, &[(ACAO, "{PAGE}"), (ACEH, "X-Custom"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom"])
            .unreadable(&["x-hidden"])
            .chrome(Allowed),
        S::new("expose-star", "ACEH * without credentials exposes everything")
            .actual(200, &[(ACAO, "*"), (ACEH, "*"), ("x-custom", "1"), ("x-hidden", "2")])
            .readable(&["x-custom", "x-hidden"])
            .chrome(Allowed),
        S::new("expose-star-cred", "ACEH * with credentials is a literal name")
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true"), (ACEH, "*"), ("x-custom", "1")])
            .unreadable(&["x-custom"])
            .chrome(Allowed),
        // --- XMLHttpRequest wording ---------------------------------------------------------
        S::new("xhr-allowed", "XHR GET, ACAO echo")
            .xhr()
            .actual(200, &[(ACAO, "{PAGE}"), (ACEH, "X-Custom"), ("x-custom", "1")])
            .readable(&["x-custom"])
            .chrome(Allowed),
        S::new("xhr-acao-missing", "XHR GET, no ACAO")
            .xhr()
            .chrome(xhr_blocked!("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
        S::new("xhr-acao-other", "XHR GET, ACAO another origin (no 'Have the server send' hint for XHR)")
            .xhr()
            .actual(200, &[(ACAO, "http://other.example")])
            .chrome(xhr_blocked!("The 'Access-Control-Allow-Origin' header has a value 'http://other.example' that is not equal to the supplied origin.")),
        S::new("xhr-acao-list", "XHR GET, two origins in ACAO")
            .xhr()
            .actual(200, &[(ACAO, "{PAGE}, http://x.example")])
            .chrome(xhr_blocked!("The 'Access-Control-Allow-Origin' header contains multiple values '{PAGE}, http://x.example', but only one is allowed.")),
        S::new("xhr-cred-star", "XHR withCredentials, ACAO *")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "*")])
            .chrome(xhr_blocked!(concat!("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-cred-acac-True", "XHR withCredentials, ACAC True")
            .xhr()
            .include()
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "True")])
            .chrome(xhr_blocked!(concat!("The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-pf-cred-no-acac", "XHR withCredentials PUT, preflight without ACAC")
            .xhr()
            .include()
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAM, "PUT")])
            .actual(200, &[(ACAO, "{PAGE}"), (ACAC, "true")])
            .chrome(xhr_blocked!(concat!("Response to preflight request doesn't pass access control check: The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.", with_credentials_hint!()))),
        S::new("xhr-method-missing", "XHR PUT, preflight without ACAM")
            .xhr()
            .method("PUT")
            .body("x")
            .preflight(204, &[(ACAO, "{PAGE}")])
            .actual(200, &[(ACAO, "{PAGE}")])
            .chrome(xhr_blocked!("Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.")),
        S::new("xhr-redir-third-echo", "XHR, redirect to a third origin that echoes the page origin")
            .xhr()
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .null_origin_at(At::Third, "/2")
            .chrome(Expect::Blocked("Access to XMLHttpRequest at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin.")),
        // --- Calls that throw (each browser's own exception text) -----------------------------
        S::new("throw-connect", "fetch with method CONNECT: the call throws")
            .method("CONNECT")
            .chrome(Expect::BlockedSilently),
        S::new("throw-trace", "fetch with method TRACE: the call throws")
            .method("TRACE")
            .chrome(Expect::BlockedSilently),
        S::new("throw-get-body", "GET with a body: the call throws")
            .body("x")
            .chrome(Expect::BlockedSilently),
        // --- Firefox after a redirect -------------------------------------------------------
        S::new("ff-303-pf-405", "preflighted POST, 303 to the API whose OPTIONS answers 405")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "content-type")])
            .actual(303, &[(ACAO, "{PAGE}"), ("location", "{API}{ID}/2")])
            .hop(At::Api, "/2", None, 200, &[(ACAO, "{PAGE}")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox preflights the GET the 303 made, and the 405 fails it"),
        S::new("ff-302-pf-405-third", "preflighted POST, 302 to a third origin whose OPTIONS answers 405")
            .method("POST")
            .header("Content-Type", "application/json")
            .body("{}")
            .preflight(204, &[(ACAO, "{PAGE}"), (ACAH, "content-type")])
            .actual(302, &[(ACAO, "{PAGE}"), ("location", "{THIRD}{ID}/2")])
            .hop(At::Third, "/2", None, 200, &[(ACAO, "*")])
            .chrome(Allowed)
            .firefox(Verdict::Blocked, "Firefox preflights the GET the 302 made, and the 405 fails it"),
    ]
    .into_iter()
    .chain(redirect_matrix())
    .collect()
}

/// 301/302/303/307/308 × simple (`text/plain`) or preflighted (`application/json`) `POST` ×
/// a target on the API origin or a third origin × credentials `same-origin` or `include`.
///
/// Every answer allows the origin each request carries (the page's, or `null` on the third
/// origin's actual request), except the third origin's `OPTIONS`, which allows the page's
/// origin only: Firefox's preflight there carries the page's origin and passes; Chrome's
/// carries `null` and fails (307/308; after 301/302/303 Chrome sends the `GET` directly, and
/// Firefox preflights it with ACRM `GET`).
fn redirect_matrix() -> Vec<Scenario> {
    use Scenario as S;
    let mut out = Vec::new();
    for status in [301u16, 302, 303, 307, 308] {
        for preflighted in [false, true] {
            for third in [false, true] {
                for include in [false, true] {
                    let id: &'static str = Box::leak(
                        format!(
                            "rm-{status}-{}-{}{}",
                            if preflighted { "json" } else { "text" },
                            if third { "third" } else { "api" },
                            if include { "-cred" } else { "" }
                        )
                        .into_boxed_str(),
                    );
                    let about: &'static str = Box::leak(
                        format!(
                            "{} POST, {status} to {}{}",
                            if preflighted { "preflighted" } else { "simple" },
                            if third {
                                "a third origin"
                            } else {
                                "the API origin"
                            },
                            if include { ", credentials include" } else { "" }
                        )
                        .into_boxed_str(),
                    );
                    let mut allow: Vec<(&str, &str)> = vec![(ACAO, "{PAGE}")];
                    if include {
                        allow.push((ACAC, "true"));
                    }
                    let mut allow_pf = allow.clone();
                    allow_pf.push((ACAH, "content-type"));
                    let mut s = S::new(id, about)
                        .method("POST")
                        .header(
                            "Content-Type",
                            if preflighted {
                                "application/json"
                            } else {
                                "text/plain"
                            },
                        )
                        .body("{}");
                    if include {
                        s = s.include();
                    }
                    if preflighted {
                        s = s.preflight(204, &allow_pf);
                    }
                    let location = if third {
                        "{THIRD}{ID}/2"
                    } else {
                        "{API}{ID}/2"
                    };
                    let mut redirect = allow.clone();
                    redirect.push(("location", location));
                    s = s.actual(status, &redirect);
                    let keeps_method = status == 307 || status == 308;
                    let mut actual = allow.clone();
                    if third {
                        actual[0] = (ACAO, "null");
                        // (Chrome never sends the actual request after its failed preflight
                        // there; the hop-by-hop comparison still checks what it sent.)
                        if !(preflighted && keeps_method) {
                            s = s.null_origin_at(At::Third, "/2");
                        }
                    }
                    let at = if third { At::Third } else { At::Api };
                    s = s.hop(at, "/2", Some((204, &allow_pf)), 200, &actual);
                    s = if third && preflighted && keeps_method {
                        s.chrome(Expect::Blocked("Access to fetch at '{THIRD}{ID}/2' (redirected from '{URL}') from origin '{PAGE}' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: The 'Access-Control-Allow-Origin' header has a value '{PAGE}' that is not equal to the supplied origin. Have the server send the header with a valid value."))
                            .firefox(Verdict::Allowed, "Firefox's preflight after the redirect carries the page origin, Chrome's null")
                    } else {
                        s.chrome(Expect::Allowed)
                    };
                    out.push(s);
                }
            }
        }
    }
    out
}
