//! The differential suite: real Chromium, Firefox ESR and WebKit against `check` and the core.
//!
//! Every scenario of the table (`table.rs`, `redirects.rs`) runs in a real browser and through
//! `corsgate check`, against the same scripted server (`server.rs`), and the answers must agree.
//! For each scenario it compares, collecting every difference before one final assertion:
//!
//! 1. the browser against the table: verdict, and (Chromium) the console line byte for byte;
//!    Firefox's console lines (read over WebDriver BiDi) and WebKit's (read from MiniBrowser's
//!    stdout) byte for byte against the core's and `check`'s (message, then follow-up lines);
//! 2. the browser against the library's browser core (`corsgate_browser::simulate` fed the
//!    server's scripted answers, no network): verdict, the engine's lines, readable headers;
//! 3. the preflight the browser sent (present or not, `Access-Control-Request-Method`,
//!    `-Headers`) against the core's plan, and `Origin: null` where a redirect taints it;
//!    then every request the browser sent for the scenario, hop by hop (listener, path, method,
//!    `Origin`, ACRM, ACRH, `Content-Type` where the page set one), against the requests the
//!    core sends (`compare.rs`);
//! 4. `corsgate check --json`: its verdict, message, per-browser verdict and lines and readable
//!    headers against the browser, its exit status against its verdict, and the preflights it
//!    sent against the browser's (the extra preflights it lists as its `diagnosis` aside)
//!    (`check.rs`).
//!
//! The browser is launched straight at the runner page, holding the binary's browser turn for
//! the whole run. See `docs/differential.md`.

#[macro_use]
mod scenario;
mod check;
mod compare;
mod engines;
mod observe;
mod redirects;
mod scripted;
mod table;

use check::*;
use compare::*;
use engines::*;
use observe::*;
use redirects::*;
use scenario::*;
use scripted::*;
use table::*;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use corsgate_browser::{
    plan, simulate, Body, CorsRequest, CredentialsMode, Engine, Outcome, OutgoingRequest,
    ResponseInfo,
};
use http::{HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{json, Value};

use crate::util::browser::{available, chromium_console, exclusive, webkit, Kind, Launched};
use crate::util::run::run_within;
use crate::util::server::{self, Seen, Server};

#[test]
fn chromium_agrees_with_the_table_the_core_and_check() {
    run(Browser::Chromium);
}

#[test]
fn firefox_agrees_with_the_table_the_core_and_check() {
    run(Browser::Firefox);
}

#[test]
fn webkit_agrees_with_the_table_the_core_and_check() {
    run(Browser::WebKit);
}

/// The browser a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
    /// WebKitGTK's MiniBrowser under Xvfb (`util::browser::webkit`).
    WebKit,
}

impl Browser {
    pub const ALL: [Browser; 3] = [Browser::Chromium, Browser::Firefox, Browser::WebKit];

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chromium => Kind::Chromium.name(),
            Browser::Firefox => Kind::Firefox.name(),
            Browser::WebKit => "webkit",
        }
    }

    /// The engine the browser core models it with.
    pub fn engine(self) -> Engine {
        match self {
            Browser::Chromium => Engine::Chrome,
            Browser::Firefox => Engine::Firefox,
            Browser::WebKit => Engine::WebKit,
        }
    }

    /// Installed? (Fails under CI, says so loudly otherwise.)
    fn available(self) -> bool {
        match self {
            Browser::Chromium => available(Kind::Chromium),
            Browser::Firefox => available(Kind::Firefox),
            Browser::WebKit => webkit::available(),
        }
    }
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

fn run(kind: Browser) {
    let scenarios = all();
    if let Some(path) = std::env::var_os("CORSGATE_DIFF_TABLE") {
        std::fs::write(&path, markdown_table(&scenarios)).expect("the table file is writable");
    }
    // The whole run is the only browser work of the binary meanwhile.
    let _turn = exclusive();
    if !kind.available() {
        return;
    }
    let started = Instant::now();
    let server = Scripted::start(&scenarios);
    let env = server.env.clone();

    let page_url = format!("{}/", env.page);
    let (mut browser, firefox_console) = match kind {
        Browser::Chromium => (Launched::start(Kind::Chromium, &page_url), None),
        Browser::Firefox => {
            let (launched, console) = Launched::firefox_with_console(&page_url);
            (launched, Some(console))
        }
        Browser::WebKit => (webkit::launch(&page_url), None),
    };
    let mut done = server.wait_done(RUN_LIMIT, || browser.alive());
    if kind == Browser::WebKit {
        // WebKit's lines are attributed by the page's markers: wait (bounded) for the last.
        let deadline = Instant::now() + Duration::from_secs(10);
        while !webkit::console(&browser.output())
            .iter()
            .any(|l| l.text == MARK_DONE)
        {
            if Instant::now() > deadline || !browser.alive() {
                done = false;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    let browser_time = started.elapsed();
    // Chrome writes the console lines as the fetches fail; give the last one a moment.
    std::thread::sleep(Duration::from_millis(300));
    browser.stop();
    let output = browser.output();
    let reports = server.reports();
    let seen = server.server.seen();
    let mut mismatches = Vec::new();
    if scenarios.len() < 150 {
        mismatches.push(format!(
            "the suite needs at least 150 scenarios, the table has {}",
            scenarios.len()
        ));
    }
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
    let console = match (kind, &firefox_console) {
        (Browser::Chromium, _) => Console::Flat(chromium_console(&output)),
        // Firefox's CORS lines: BiDi `javascript` entries at level `error`.
        (Browser::Firefox, Some(c)) => Console::Flat(
            c.entries()
                .into_iter()
                .filter(|m| m.source == "javascript" && m.level == "error")
                .map(|m| m.text)
                .collect(),
        ),
        _ => Console::by_marker(&webkit::console(&output)),
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
        "differential ({}): {} scenarios, check {}, {} mismatches, browser {:.1?}, all {:.1?}",
        kind.name(),
        scenarios.len(),
        if has_check { "compared" } else { "absent" },
        mismatches.len(),
        browser_time,
        started.elapsed()
    );
    for (s, o) in scenarios.iter().zip(&observed) {
        eprintln!(
            "  {:<22} {:<9} {}",
            s.id,
            show(o.verdict),
            o.lines().join(" | ")
        );
        if !o.error.is_empty() {
            eprintln!("  {:<22} caught    {}", "", o.error);
        }
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
