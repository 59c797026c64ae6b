//! The differential suite: every scenario of [`scenarios::all`] runs in a real headless browser
//! and through `corsgate check`, against the same scripted server, and the answers must agree.
//!
//! For each scenario it compares, collecting every difference before one final assertion:
//!
//! 1. the browser against the table: verdict, and (Chromium) the console line byte for byte;
//! 2. the browser against the library's browser core (`corsgate_browser::simulate` fed the
//!    server's scripted answers, no network): verdict, Chrome's line, readable headers;
//! 3. the preflight the browser sent (present or not, `Access-Control-Request-Method`,
//!    `-Headers`) against the core's plan, and `Origin: null` where a redirect taints it;
//! 4. when the `corsgate` binary has a `check` subcommand: its `--json` verdict, message,
//!    per-browser verdict and readable headers against the browser, its exit status against its
//!    verdict, and the preflight it sent against the browser's.
//!
//! See `docs/differential.md`.
#![allow(dead_code)] // each test binary uses a different part

pub mod launch;
pub mod page;
pub mod scenarios;
pub mod server;

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use corsgate_browser::{
    plan, simulate, Body, CorsRequest, CredentialsMode, Engine, Outcome, OutgoingRequest,
    ResponseInfo,
};
use http::{HeaderName, HeaderValue, StatusCode};
use serde_json::Value;

use launch::{Kind, Launched};
use scenarios::{At, Env, Expect, Scenario, Verdict};
use server::{Listener, Seen, Server};

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
    /// Chrome's CORS console line about the scenario's URL (Chromium only).
    message: Option<String>,
    /// Other console lines about the URL (there should be none).
    extra_messages: Vec<String>,
    error: String,
}

/// Chrome's console messages from its `--enable-logging=stderr` output, exactly as printed:
/// each `[pid:tid:time:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)` line (Chromium
/// 156; older versions wrote `CONSOLE(<line>)`) gives `<message>`.
pub fn console_messages(output: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in output.lines() {
        let Some(at) = line.find(":CONSOLE") else {
            continue;
        };
        let rest = &line[at..];
        let Some(open) = rest.find("] \"") else {
            continue;
        };
        let body = &rest[open + 3..];
        let Some(close) = body.rfind("\", source: ") else {
            continue;
        };
        out.push(body[..close].to_owned());
    }
    out
}

/// Does Chrome's line speak about `url` (as the requested or the redirected-from URL)?
fn message_is_about(message: &str, url: &str) -> bool {
    message.starts_with(&format!("Access to fetch at '{url}' "))
        || message.starts_with(&format!("Access to XMLHttpRequest at '{url}' "))
        || message.contains(&format!("(redirected from '{url}') "))
        || message.starts_with(&format!("Fetch API cannot load {url}."))
}

fn observe(s: &Scenario, env: &Env, reports: &[Value], console: &[String]) -> Observed {
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
        .filter(|m| message_is_about(m, &url))
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
fn scripted(server: &Server, r: &OutgoingRequest) -> ResponseInfo {
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
            (resp, server::BODY.len())
        }
        None if r.method == http::Method::OPTIONS => {
            (ResponseInfo::new(StatusCode::METHOD_NOT_ALLOWED), 0)
        }
        None => (
            ResponseInfo::new(StatusCode::NOT_FOUND),
            server::NOT_FOUND.len(),
        ),
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
            r.listener == listener
                && r.target.split('?').next() == Some(path)
                && (r.method == "OPTIONS") == options
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
    server: &Server,
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
    let (outcome, _sent) = simulate(&req, engine, |r| scripted(server, r));
    let (core_verdict, core_message, core_readable) = match &outcome {
        Outcome::Allowed(a) => (Verdict::Allowed, None, Some(a.readable_headers.clone())),
        Outcome::Blocked(b) => (Verdict::Blocked, b.chrome_message.clone(), None),
        Outcome::Refused(r) => (
            Verdict::Blocked,
            Some(format!("(refused: {})", r.message)),
            None,
        ),
    };
    if o.verdict.is_some() && o.verdict != Some(core_verdict) {
        out.push(format!(
            "[{id}] core ({}) says {}, {browser} did {}",
            engine.name(),
            core_verdict.as_str(),
            show(o.verdict)
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
        Err(r) => out.push(format!(
            "[{id}] the core refuses the request: {}",
            r.message
        )),
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

/// `corsgate check`'s answer for one scenario.
struct Checked {
    status: Option<i32>,
    json: Value,
    stdout: String,
    stderr: String,
    /// The requests it sent.
    seen: Vec<Seen>,
}

fn corsgate() -> &'static str {
    env!("CARGO_BIN_EXE_corsgate")
}

/// Runs `corsgate` with `args`, bounded by `within`; kills it on timeout.
fn run_corsgate(args: &[String], within: Duration) -> (Option<i32>, String, String) {
    // The binary lives in the shared target directory, where another build may be relinking
    // it right now: a few bounded tries before giving up.
    let mut tries = 0;
    let mut child = loop {
        match Command::new(corsgate())
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
        {
            Ok(child) => break child,
            Err(e) if tries < 40 => {
                tries += 1;
                let _ = e;
                std::thread::sleep(Duration::from_millis(250));
            }
            Err(e) => return (None, String::new(), format!("cannot start corsgate: {e}")),
        }
    };
    let mut stdout = child.stdout.take().expect("piped stdout");
    let mut stderr = child.stderr.take().expect("piped stderr");
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + within;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status.code(),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    (status, stdout, stderr)
}

/// Does this build of `corsgate` have the `check` subcommand?
pub fn cli_has_check() -> bool {
    let (_, stdout, _) = run_corsgate(&["--help".to_owned()], Duration::from_secs(20));
    stdout.lines().any(|l| l.trim_start().starts_with("check "))
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
    let (status, stdout, stderr) = run_corsgate(&check_args(s, env), CHECK_LIMIT);
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
            if message != o.message {
                out.push(format!(
                    "[{id}] message:\n    chrome: {}\n    check:  {}",
                    quoted(&o.message),
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
pub fn markdown_table(scenarios: &[Scenario]) -> String {
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
pub fn run(kind: Kind) {
    let scenarios = scenarios::all();
    if let Some(path) = std::env::var_os("CORSGATE_DIFF_TABLE") {
        std::fs::write(&path, markdown_table(&scenarios)).expect("the table file is writable");
    }
    if !launch::available(kind) {
        return;
    }
    let started = Instant::now();
    assert!(
        scenarios.len() >= 40,
        "the suite needs at least 40 scenarios"
    );
    let server = Server::start(&scenarios, |env| page::html(&scenarios, env));
    let env = server.env.clone();

    let mut browser = Launched::start(kind, &server::page_url(&env));
    let done = server.wait_done(RUN_LIMIT, || browser.alive());
    // Chrome writes the console lines as the fetches fail; give the last one a moment.
    std::thread::sleep(Duration::from_millis(300));
    browser.stop();
    let output = browser.output();
    let reports = server.reports();
    let seen = server.seen();
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
    let console = match kind {
        Kind::Chromium => console_messages(&output),
        Kind::Firefox => Vec::new(),
    };
    if kind == Kind::Chromium && console.is_empty() {
        mismatches.push(format!(
            "no console line in chromium's stderr; its format may have changed:\n{}",
            output.lines().take(40).collect::<Vec<_>>().join("\n")
        ));
    }

    let observed: Vec<Observed> = scenarios
        .iter()
        .map(|s| observe(s, &env, &reports, &console))
        .collect();
    for (s, o) in scenarios.iter().zip(&observed) {
        compare_browser(kind, s, &server, o, &seen, &mut mismatches);
    }

    let has_check = cli_has_check();
    if has_check {
        for (s, o) in scenarios.iter().zip(&observed) {
            server.clear_seen();
            let mut checked = run_check(s, &env);
            checked.seen = server.seen();
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
            o.message.as_deref().unwrap_or("")
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
