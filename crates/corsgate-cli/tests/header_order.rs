//! Which missing request header Chrome names: real Chromium against the browser core.
//!
//! When several request headers are missing from `Access-Control-Allow-Headers`, Chrome's
//! console names one of them, picked by the order Blink's header hash map holds them in
//! (`header_order` in corsgate-browser, and docs/check.md). This test generates header sets
//! (2 to 8 names of 1 to 24 letters, deterministic pseudo-random names, cases and set orders,
//! some with a text body and so a `Content-Type`), sends each with `fetch()` and with
//! `XMLHttpRequest` from one page in one Chromium run, to a loopback server whose preflight
//! allows none or some of the names, and asserts that Chrome's console line for each request is
//! byte for byte the one the browser core (`corsgate_browser::simulate`) prints.

use std::time::{Duration, Instant};

use corsgate_browser::{response, simulate, Body, CorsRequest, Engine, Outcome};
use serde_json::json;

use crate::util::browser::{available, chromium_console, exclusive, Kind, Launched};
use crate::util::server::{serve_many, Reply};

/// Header sets generated (each sent twice: `fetch()` and XHR).
const SETS: usize = 48;
/// How long the browser may take for the whole page.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// One request of the page.
#[derive(Clone, Debug)]
struct Case {
    xhr: bool,
    /// Header names in the order the page sets them.
    names: Vec<String>,
    /// Lower-case names the preflight allows.
    allow: Vec<String>,
    /// POST with a text body (so a `Content-Type` too) instead of GET.
    body: bool,
}

/// A small deterministic generator (xorshift64*), so every run sends the same sets.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn cases() -> Vec<Case> {
    let mut rng = Rng(0x5eed_c0de_2024_0156);
    let mut out = Vec::new();
    for set in 0..SETS {
        let count = 2 + rng.below(7) as usize;
        let mut names: Vec<String> = Vec::new();
        while names.len() < count {
            let len = 1 + rng.below(if set % 4 == 0 { 24 } else { 8 }) as usize;
            let mut name = String::from(if rng.below(2) == 0 { "X-" } else { "x-" });
            for i in 0..len {
                let c = char::from(b'a' + rng.below(26) as u8);
                name.push(if i == 0 && rng.below(2) == 0 {
                    c.to_ascii_uppercase()
                } else {
                    c
                });
            }
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
        // Allow none (every third set) or some, always leaving at least two missing.
        let mut allow = Vec::new();
        if set % 3 != 0 {
            for n in &names {
                if allow.len() + 2 < names.len() && rng.below(3) == 0 {
                    allow.push(n.to_ascii_lowercase());
                }
            }
        }
        let body = set % 5 == 4;
        for xhr in [false, true] {
            out.push(Case {
                xhr,
                names: names.clone(),
                allow: allow.clone(),
                body,
            });
        }
    }
    out
}

fn page(cases: &[Case], api: &str) -> String {
    let list: Vec<serde_json::Value> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "url": format!("{api}/case/{i}"),
                "xhr": c.xhr,
                "names": c.names,
                "body": c.body,
            })
        })
        .collect();
    format!(
        r#"<!doctype html><meta charset="utf-8"><title>header order</title><script>
const cases = {cases};
function one(c) {{
  const method = c.body ? "POST" : "GET";
  const body = c.body ? "hello" : null;
  if (!c.xhr) {{
    const headers = new Headers();
    for (const n of c.names) headers.append(n, "1");
    const init = {{ method, headers }};
    if (body !== null) init.body = body;
    return fetch(c.url, init).then(() => {{}}, () => {{}});
  }}
  return new Promise((done) => {{
    const x = new XMLHttpRequest();
    x.open(method, c.url);
    for (const n of c.names) x.setRequestHeader(n, "1");
    x.onloadend = done;
    x.send(body);
  }});
}}
(async () => {{
  for (const c of cases) await one(c);
  await fetch("/done");
}})();
</script>"#,
        cases = serde_json::Value::Array(list)
    )
}

/// The preflight answer for case `i`: any origin, POST, and the case's allowed names.
fn preflight_reply(case: &Case) -> Vec<(&'static str, String)> {
    let mut h = vec![
        ("access-control-allow-origin", "*".to_owned()),
        ("access-control-allow-methods", "POST".to_owned()),
    ];
    if !case.allow.is_empty() {
        h.push(("access-control-allow-headers", case.allow.join(", ")));
    }
    h
}

fn case_index(path: &str) -> Option<usize> {
    path.strip_prefix("/case/")?.parse().ok()
}

#[test]
fn chromium_names_the_header_the_core_names() {
    let cases = cases();
    assert!(cases.len() >= 80, "at least 40 header sets, both APIs");
    let _turn = exclusive();
    if !available(Kind::Chromium) {
        return;
    }
    let started = Instant::now();
    let script_cases = cases.clone();
    let server = serve_many(2, move |origins| {
        let api = origins[1].clone();
        let html = page(&script_cases, &api);
        let cases = script_cases.clone();
        move |seen: &crate::util::server::Seen| {
            if seen.listener == 0 {
                return match seen.path() {
                    "/" => Reply::new(200)
                        .header("content-type", "text/html; charset=utf-8")
                        .body(html.clone()),
                    _ => Reply::new(204),
                };
            }
            match case_index(seen.path()).and_then(|i| cases.get(i)) {
                Some(case) if seen.method == http::Method::OPTIONS => preflight_reply(case)
                    .into_iter()
                    .fold(Reply::new(204), |r, (n, v)| r.header(n, v)),
                _ => Reply::new(200).header("access-control-allow-origin", "*"),
            }
        }
    });
    let page_url = format!("{}/", server.origin(0));
    let api = server.origin(1);

    let mut browser = Launched::start(Kind::Chromium, &page_url);
    let deadline = Instant::now() + RUN_LIMIT;
    let done = |server: &crate::util::server::Server| {
        server
            .seen()
            .iter()
            .any(|s| s.listener == 0 && s.path() == "/done")
    };
    while !done(&server) && Instant::now() < deadline && browser.alive() {
        std::thread::sleep(Duration::from_millis(100));
    }
    let finished = done(&server);
    // Chrome writes the console lines as the requests fail; give the last one a moment.
    std::thread::sleep(Duration::from_millis(300));
    browser.stop();
    let console = chromium_console(&browser.output());
    let tail = browser.output_tail(30);
    drop(browser);
    assert!(
        finished,
        "the page did not finish within {RUN_LIMIT:?}; chromium's output:\n{tail}"
    );

    let mut mismatches = Vec::new();
    let mut several_missing = 0;
    for (i, case) in cases.iter().enumerate() {
        let url = format!("{api}/case/{i}");
        let mut req = if case.xhr {
            CorsRequest::xhr(&url, &page_url[..page_url.len() - 1])
        } else {
            CorsRequest::fetch(&url, &page_url[..page_url.len() - 1])
        };
        for n in &case.names {
            req = req.header(n, "1");
        }
        if case.body {
            req = req.method("POST").body(Body::Text);
        }
        let (outcome, _) = simulate(&req, Engine::Chrome, |r| {
            if r.method == http::Method::OPTIONS {
                let h = preflight_reply(case);
                let pairs: Vec<(&'static str, &str)> =
                    h.iter().map(|(n, v)| (*n, v.as_str())).collect();
                response(204, &pairs)
            } else {
                response(200, &[("access-control-allow-origin", "*")])
            }
        });
        let ours = match &outcome {
            Outcome::Blocked(b) => {
                if b.disallowed_headers.len() > 1 {
                    several_missing += 1;
                }
                b.chrome_message.clone()
            }
            Outcome::Allowed(_) | Outcome::Refused(_) => None,
        };
        let needle = format!("at '{url}' from origin");
        let chrome: Vec<&String> = console.iter().filter(|l| l.contains(&needle)).collect();
        match (chrome.as_slice(), &ours) {
            ([line], Some(ours)) if *line == ours => {}
            _ => mismatches.push(format!(
                "case {i} ({}, {}{:?}, allowed {:?}):\n  chrome: {chrome:?}\n  core:   {ours:?}",
                if case.xhr { "XHR" } else { "fetch" },
                if case.body { "POST with a body, " } else { "" },
                case.names,
                case.allow
            )),
        }
    }
    eprintln!(
        "header_order: {} requests ({} sets, fetch and XHR; {several_missing} with several \
         headers missing), {} mismatches, {:.1?}",
        cases.len(),
        SETS,
        mismatches.len(),
        started.elapsed()
    );
    assert!(
        several_missing >= 80,
        "the generated sets must mostly leave several headers missing ({several_missing})"
    );
    assert!(
        mismatches.is_empty(),
        "{} of {} console lines differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
}
