//! The demo in real browsers: the tutorial's scenarios, clicked through the demo page in
//! headless Chromium (Debian's `chromium` through `chromedriver`), headless Firefox ESR
//! (through `geckodriver`, from crates.io) and WebKit (WebKitGTK's MiniBrowser through
//! `WebKitWebDriver`, under Xvfb; the blocked-request scenarios).
//!
//! Each asserts what the page says (the browser's verdict and, when blocked, the reason its
//! server's `corsgate check` gives: this browser's console line, why, the fix, the other
//! engines' lines, WebKit's included)
//! exactly and, in Chromium, Chrome's console exactly, and that the page shows the very line
//! Chrome printed (geckodriver does not expose Firefox's console). Each starts its own demo on
//! free ports. The tests take turns on one browser session per browser
//! ([`util::browser::session`]).

use std::time::Duration;

use crate::util::artifact;
use crate::util::browser::{free_port, Browser, ConsoleMessage, Kind};
use crate::util::demo::{
    start as start_demo, Form, Outcome, Page, PolicyEdit, Reason, Request, DATA, RESYNCED, STALE,
};

/// How long one scenario may take.
const SCENARIO_LIMIT: Duration = Duration::from_secs(120);

/// Headless Chromium: the page's verdicts and Chrome's console, exactly.
mod chromium {
    use super::*;
    use crate::util::browser::browser_tests;

    browser_tests!(Kind::Chromium, SCENARIO_LIMIT;
        no_cors_blocks_fetch,
        default_policy_shows_json,
        localhost_is_not_127_0_0_1,
        put_blocked_then_allowed_live,
        screenshot_after_fetch,
        custom_header_needs_allow_headers,
        credentials_need_allow_credentials,
        tutorial_replayed_live,
        expose_headers_and_max_age_from_the_page,
        results_under_an_earlier_policy_are_stale,
        a_refused_apply_shows_the_policy_in_force,
        empty_allow_methods_still_allows_get_head_post,
    );
}

/// Headless Firefox ESR: the same scenarios, asserting the page's verdicts.
mod firefox {
    use super::*;
    use crate::util::browser::browser_tests;

    browser_tests!(Kind::Firefox, SCENARIO_LIMIT;
        no_cors_blocks_fetch,
        default_policy_shows_json,
        localhost_is_not_127_0_0_1,
        put_blocked_then_allowed_live,
        screenshot_after_fetch,
        custom_header_needs_allow_headers,
        credentials_need_allow_credentials,
        tutorial_replayed_live,
        expose_headers_and_max_age_from_the_page,
        results_under_an_earlier_policy_are_stale,
        a_refused_apply_shows_the_policy_in_force,
        empty_allow_methods_still_allows_get_head_post,
    );
}

/// WebKit (WebKitGTK's MiniBrowser through `WebKitWebDriver`, under Xvfb): the blocked-request
/// scenarios, its own console lines first in the page's box.
mod webkit {
    use super::*;
    use crate::util::browser::browser_tests;

    browser_tests!(Kind::WebKit, SCENARIO_LIMIT;
        no_cors_blocks_fetch,
        put_blocked_then_allowed_live,
        screenshot_after_fetch,
        custom_header_needs_allow_headers,
        credentials_need_allow_credentials,
    );
}

const NO_ACAO: &str =
    "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const PUT_NOT_ALLOWED: &str =
    "Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.";
const X_DEMO_NOT_ALLOWED: &str =
    "Request header field x-demo is not allowed by Access-Control-Allow-Headers in preflight \
     response.";
const CREDENTIALS_NOT_ALLOWED: &str =
    "The value of the 'Access-Control-Allow-Credentials' header in the response is '' which \
     must be 'true' when the request's credentials mode is 'include'.";

/// What the page says when the API sends no `Access-Control-Allow-Origin` to its origin.
fn no_acao(page: &Page<'_>) -> Reason {
    let origin = page.demo.page_origin();
    Reason {
        console: page.chrome_message(NO_ACAO),
        why: Some(format!(
            "The server did not send Access-Control-Allow-Origin on the response, so the \
             browser will not let the page read it. The request may still have reached the \
             server. It must answer with Access-Control-Allow-Origin: {origin}."
        )),
        fix_summary: Some(format!(
            "Answer with Access-Control-Allow-Origin: {origin} (every response, errors included)."
        )),
        fix: Some(format!("allow_origins = [\"{origin}\"]")),
        firefox: Some(page.firefox_message(
            "CORS header \u{2018}Access-Control-Allow-Origin\u{2019} missing). Status code: 200.",
        )),
        webkit: Some(page.webkit_message(&format!(
            "Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: 200"
        ))),
    }
}

/// What the page says when the preflight does not allow PUT (GET, POST allowed).
fn put_not_allowed(page: &Page<'_>) -> Reason {
    let origin = page.demo.page_origin();
    Reason {
        console: page.chrome_message(PUT_NOT_ALLOWED),
        why: Some(
            "The preflight response does not list PUT in Access-Control-Allow-Methods. \
             Browsers compare method names case-sensitively, so list it exactly as PUT."
                .into(),
        ),
        fix_summary: Some("List PUT in Access-Control-Allow-Methods.".into()),
        fix: Some(format!(
            "allow_origins = [\"{origin}\"]\nallow_methods = [\"GET\", \"POST\", \"PUT\"]"
        )),
        firefox: Some(page.firefox_message(
            "Did not find method in CORS header \u{2018}Access-Control-Allow-Methods\u{2019}).",
        )),
        webkit: Some(
            page.webkit_message("Method PUT is not allowed by Access-Control-Allow-Methods."),
        ),
    }
}

/// What the page says when the preflight does not allow `X-Demo`.
fn x_demo_not_allowed(page: &Page<'_>) -> Reason {
    let origin = page.demo.page_origin();
    Reason {
        console: page.chrome_message(X_DEMO_NOT_ALLOWED),
        why: Some(
            "The page sends the request header x-demo, which the preflight response does not \
             allow in Access-Control-Allow-Headers. List it there."
                .into(),
        ),
        fix_summary: Some("List x-demo in Access-Control-Allow-Headers.".into()),
        fix: Some(format!(
            "allow_origins = [\"{origin}\"]\nallow_methods = [\"GET\", \"POST\"]\n\
             allow_headers = [\"x-demo\"]"
        )),
        firefox: Some(page.firefox_message(
            "header \u{2018}x-demo\u{2019} is not allowed according to header \
             \u{2018}Access-Control-Allow-Headers\u{2019} from CORS preflight response).",
        )),
        // WebKit keeps the page's spelling of a header name it does not know.
        webkit: Some(page.webkit_message(
            "Request header field X-Demo is not allowed by Access-Control-Allow-Headers.",
        )),
    }
}

/// What the page says when a credentialed request gets no `Access-Control-Allow-Credentials`
/// (policy: the page's origin, `expose_headers = ["X-Demo-Count"]`; the fix keeps what the
/// API's answer already allows).
fn credentials_not_allowed(page: &Page<'_>) -> Reason {
    let origin = page.demo.page_origin();
    Reason {
        console: page.chrome_message(CREDENTIALS_NOT_ALLOWED),
        why: Some(
            "The request includes credentials, so the response must carry \
             Access-Control-Allow-Credentials: true (exactly, lower case); it was missing."
                .into(),
        ),
        fix_summary: Some(
            "Send Access-Control-Allow-Credentials: true (exactly, lower case) with the exact \
             origin."
                .into(),
        ),
        fix: Some(format!(
            "allow_origins = [\"{origin}\"]\nexpose_headers = [\"x-demo-count\"]\n\
             allow_credentials = true"
        )),
        firefox: Some(page.firefox_message(
            "expected \u{2018}true\u{2019} in CORS header \
             \u{2018}Access-Control-Allow-Credentials\u{2019}).",
        )),
        webkit: Some(page.webkit_message(
            "Credentials flag is true, but Access-Control-Allow-Credentials is not \"true\".",
        )),
    }
}

/// 1. `--no-cors`, the tutorial's starting point: Fetch Data is blocked, and Chrome says the
///    API sent no `Access-Control-Allow-Origin`.
async fn no_cors_blocks_fetch(browser: &Browser) {
    let demo = start_demo(&["--no-cors"]).await;
    let page = Page::open(browser, &demo).await;
    page.expect_console(&[]).await;

    let outcome = page.click(Request::Get).await;
    assert_eq!(outcome, Outcome::blocked(no_acao(&page), None));
    page.expect_blocked_console(&outcome, NO_ACAO).await;
    demo.shutdown().await;
}

/// 2. The default policy (the tutorial's finished state): Fetch Data shows the JSON.
async fn default_policy_shows_json(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;

    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// 3. Only `http://localhost:<page-port>` allowed, page on `http://127.0.0.1:<page-port>`:
///    blocked. corsgate sends nothing to an origin it does not allow (the tutorial's Express
///    server sent its one origin to everyone, and Chrome said it "is not equal to the
///    supplied origin"), so Chrome says no header is present; the page explains, from the
///    policy it knows, that the two are different origins.
async fn localhost_is_not_127_0_0_1(browser: &Browser) {
    let page_port = free_port();
    let localhost = format!("http://localhost:{page_port}");
    let demo = start_demo(&[
        "--page-port",
        &page_port.to_string(),
        "--allow-origin",
        &localhost,
    ])
    .await;
    let page = Page::open(browser, &demo).await;
    let hint = format!(
        "{localhost} and {} are different origins: the policy allows the first, this page is \
         the second.",
        demo.page_origin()
    );
    assert_eq!(page.origin_note().await.as_deref(), Some(hint.as_str()));

    let outcome = page.click(Request::Get).await;
    assert_eq!(outcome, Outcome::blocked(no_acao(&page), Some(hint)));
    page.expect_blocked_console(&outcome, NO_ACAO).await;
    demo.shutdown().await;
}

/// 4. PUT with GET, POST allowed: the preflight fails and Chrome names the method (the demo
///    runs in debug mode); the page shows the same line, why and the fix (screenshot:
///    `demo-blocked-reason.png`). After adding PUT in the policy panel, without a restart, it
///    works.
async fn put_blocked_then_allowed_live(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;

    let outcome = page.click(Request::Put).await;
    assert_eq!(outcome, Outcome::blocked(put_not_allowed(&page), None));
    page.expect_blocked_console(&outcome, PUT_NOT_ALLOWED).await;
    // This browser's own console lines first, the other engines' last.
    let labels = match browser.kind {
        Kind::Chromium => [
            "Chrome's console",
            "Why",
            "Fix",
            "Firefox's console",
            "WebKit's console",
        ],
        Kind::Firefox => [
            "Firefox's console",
            "Why",
            "Fix",
            "Chrome's console",
            "WebKit's console",
        ],
        Kind::WebKit => [
            "WebKit's console",
            "Why",
            "Fix",
            "Chrome's console",
            "Firefox's console",
        ],
    };
    assert_eq!(page.reason_labels(Request::Put).await, labels);
    // What the page shows for a block (why, and the fix), for a person to look at.
    let name = match browser.kind {
        Kind::Chromium => "demo-blocked-reason.png",
        Kind::Firefox => "demo-blocked-reason-firefox.png",
        Kind::WebKit => "demo-blocked-reason-webkit.png",
    };
    page.screenshot(&artifact(name)).await;

    let status = page
        .apply(PolicyEdit {
            methods: Some("GET, POST, PUT"),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert_eq!(
        demo.policy().config().allow_methods,
        ["GET", "POST", "PUT"],
        "the API's live policy"
    );

    assert_eq!(page.click(Request::Put).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// 5. A screenshot of the page after a successful fetch, saved as a test artifact
///    (`demo-fetch-success.png` for Chromium, `demo-fetch-success-firefox.png`,
///    `demo-fetch-success-webkit.png`).
async fn screenshot_after_fetch(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;

    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;
    let name = match browser.kind {
        Kind::Chromium => "demo-fetch-success.png",
        Kind::Firefox => "demo-fetch-success-firefox.png",
        Kind::WebKit => "demo-fetch-success-webkit.png",
    };
    let path = artifact(name);
    page.screenshot(&path).await;
    let png = std::fs::read(&path).expect("the saved screenshot");
    // IHDR: width and height, big-endian, at bytes 16..24.
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(width >= 800 && height >= 600, "screenshot {width}x{height}");
    demo.shutdown().await;
}

/// A custom request header needs a preflight, and `allow_headers` must list it.
async fn custom_header_needs_allow_headers(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;

    let outcome = page.click(Request::Header).await;
    assert_eq!(outcome, Outcome::blocked(x_demo_not_allowed(&page), None));
    page.expect_blocked_console(&outcome, X_DEMO_NOT_ALLOWED)
        .await;

    let status = page
        .apply(PolicyEdit {
            headers: Some("X-Demo"),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    let echoed =
        "{\n  \"name\": \"Bangladesh\",\n  \"description\": \"Land of emotions\",\n  \"x_demo\": \"hello\"\n}";
    assert_eq!(page.click(Request::Header).await, Outcome::ok(echoed));
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// `credentials: 'include'` needs `Access-Control-Allow-Credentials: true`; the exposed
/// header becomes readable with `--expose-header`.
async fn credentials_need_allow_credentials(browser: &Browser) {
    let demo = start_demo(&["--expose-header", "X-Demo-Count"]).await;
    let page = Page::open(browser, &demo).await;
    page.set_credentials(true).await;

    let outcome = page.click(Request::Get).await;
    assert_eq!(
        outcome,
        Outcome::blocked(credentials_not_allowed(&page), None)
    );
    page.expect_blocked_console(&outcome, CREDENTIALS_NOT_ALLOWED)
        .await;

    let status = page
        .apply(PolicyEdit {
            credentials: Some(true),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    let outcome = page.click(Request::Get).await;
    assert_eq!(
        (
            outcome.state.as_str(),
            outcome.verdict.as_str(),
            outcome.body.as_deref()
        ),
        ("ok", "200 OK", Some(DATA))
    );
    // Three requests reached the API: the blocked one too, and the page server's
    // `corsgate check` replaying it to say why. The count is readable now.
    assert_eq!(
        outcome.meta.as_deref(),
        Some("Response header X-Demo-Count: 3 (exposed by expose_headers).")
    );
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// The whole tutorial, replayed in one page without restarting anything: no CORS, CORS on,
/// an invalid policy refused inline, localhost instead of 127.0.0.1, and back.
async fn tutorial_replayed_live(browser: &Browser) {
    let demo = start_demo(&["--no-cors"]).await;
    let page = Page::open(browser, &demo).await;
    let origin = demo.page_origin();

    let outcome = page.click(Request::Get).await;
    assert_eq!(outcome, Outcome::blocked(no_acao(&page), None));
    page.expect_blocked_console(&outcome, NO_ACAO).await;

    let status = page
        .apply(PolicyEdit {
            cors_on: Some(true),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;

    // The library's validation, shown inline; the policy in force does not change.
    let status = page
        .apply(PolicyEdit {
            origins: Some("https://a.com:443"),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(
        (status.state.as_str(), status.text.as_str()),
        (
            "error",
            format!(
                "invalid CORS policy: 1 problem\n  - allow_origins[0] = \"https://a.com:443\": \
                 browsers omit the scheme's default port; use https://a.com\n{RESYNCED}"
            )
            .as_str()
        )
    );
    page.expect_console(&[ConsoleMessage::new(
        "SEVERE",
        "network",
        &format!("{origin}/api/policy"),
        "Failed to load resource: the server responded with a status of 422 (Unprocessable \
         Entity)",
    )])
    .await;
    assert_eq!(
        demo.policy().config().allow_origins,
        std::slice::from_ref(&origin)
    );
    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;

    let localhost = format!("http://localhost:{}", demo.page_port());
    let status = page
        .apply(PolicyEdit {
            origins: Some(&localhost),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    let hint = format!(
        "{localhost} and {origin} are different origins: the policy allows the first, this \
         page is the second."
    );
    let outcome = page.click(Request::Get).await;
    assert_eq!(outcome, Outcome::blocked(no_acao(&page), Some(hint)));
    page.expect_blocked_console(&outcome, NO_ACAO).await;

    let status = page
        .apply(PolicyEdit {
            origins: Some(&origin),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// `expose_headers` and `max_age` are edited on the page like the other fields: exposing
/// `X-Demo-Count` makes it readable, `max_age` is sent, emptied it is not; a `max_age` that is
/// not a whole number is refused on the page, before anything is sent.
async fn expose_headers_and_max_age_from_the_page(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;
    let form = page.form().await;
    assert_eq!((form.expose.as_str(), form.max_age.as_str()), ("", ""));
    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));

    let status = page
        .apply(PolicyEdit {
            expose: Some("X-Demo-Count"),
            max_age: Some("600"),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    let config = demo.policy().config();
    assert_eq!(
        (config.expose_headers, config.max_age),
        (vec!["X-Demo-Count".to_owned()], Some(600))
    );
    assert_eq!(page.in_force("expose_headers").await, "X-Demo-Count");
    assert_eq!(page.in_force("max_age").await, "600");
    let outcome = page.click(Request::Get).await;
    assert_eq!(
        outcome.meta.as_deref(),
        Some("Response header X-Demo-Count: 2 (exposed by expose_headers).")
    );

    let status = page
        .apply(PolicyEdit {
            max_age: Some("soon"),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(
        (status.state.as_str(), status.text.as_str()),
        (
            "error",
            "max_age must be a whole number of seconds, or empty to send no \
             Access-Control-Max-Age."
        )
    );
    assert_eq!(demo.policy().config().max_age, Some(600));

    let status = page
        .apply(PolicyEdit {
            max_age: Some(""),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert_eq!(demo.policy().config().max_age, None);
    assert_eq!(page.in_force("max_age").await, "(not sent)");
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// A result sent under another policy than the one in force says so, until it is sent again;
/// an Apply that changes nothing leaves results as they are.
async fn results_under_an_earlier_policy_are_stale(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;
    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    let outcome = page.click(Request::Put).await;
    assert_eq!(outcome.state, "blocked");
    page.expect_blocked_console(&outcome, PUT_NOT_ALLOWED).await;

    let status = page.apply(PolicyEdit::default()).await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert_eq!(page.stale(Request::Get).await, None, "the same policy");

    let status = page
        .apply(PolicyEdit {
            methods: Some("GET, POST, PUT"),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert_eq!(page.stale(Request::Get).await.as_deref(), Some(STALE));
    assert_eq!(page.stale(Request::Put).await.as_deref(), Some(STALE));
    assert_eq!(page.stale(Request::Header).await, None, "never sent");

    assert_eq!(page.click(Request::Put).await, Outcome::ok(DATA));
    assert_eq!(page.stale(Request::Put).await, None);
    assert_eq!(page.stale(Request::Get).await.as_deref(), Some(STALE));
    page.expect_console(&[]).await;
    demo.shutdown().await;
}

/// After a refused Apply the form shows the policy in force again (the error names what was
/// refused), never a policy the API does not run.
async fn a_refused_apply_shows_the_policy_in_force(browser: &Browser) {
    let demo = start_demo(&["--allow-header", "X-Demo"]).await;
    let page = Page::open(browser, &demo).await;
    let origin = demo.page_origin();
    let in_force = Form {
        cors_on: true,
        origins: origin.clone(),
        methods: "GET, POST".into(),
        headers: "X-Demo".into(),
        expose: String::new(),
        max_age: String::new(),
        credentials: false,
    };
    assert_eq!(page.form().await, in_force);

    let status = page
        .apply(PolicyEdit {
            origins: Some("*"),
            methods: Some("GET, PUT"),
            headers: Some(""),
            credentials: Some(true),
            ..PolicyEdit::default()
        })
        .await;
    // The form first: it shows the policy in force again, not the refused edits.
    assert_eq!(page.form().await, in_force);
    assert_eq!(status.state, "error", "{}", status.text);
    assert!(
        status
            .text
            .starts_with("invalid CORS policy: 1 problem\n  - allow_origins[0] = \"*\"")
            && status.text.ends_with(&format!("\n{RESYNCED}")),
        "{}",
        status.text
    );
    page.expect_console(&[ConsoleMessage::new(
        "SEVERE",
        "network",
        &format!("{origin}/api/policy"),
        "Failed to load resource: the server responded with a status of 422 (Unprocessable \
         Entity)",
    )])
    .await;
    demo.shutdown().await;
}

/// An empty `allow_methods` is shown as what it means: GET, HEAD and POST are always allowed
/// (browsers never preflight them), and Fetch Data still works.
async fn empty_allow_methods_still_allows_get_head_post(browser: &Browser) {
    let demo = start_demo(&[]).await;
    let page = Page::open(browser, &demo).await;
    assert_eq!(page.in_force("allow_methods").await, "GET, POST");

    let status = page
        .apply(PolicyEdit {
            methods: Some(""),
            ..PolicyEdit::default()
        })
        .await;
    assert_eq!(status.state, "applied", "{}", status.text);
    assert!(demo.policy().config().allow_methods.is_empty());
    assert_eq!(
        page.in_force("allow_methods").await,
        "(none: GET, HEAD and POST are always allowed: browsers never preflight them)"
    );
    assert_eq!(page.click(Request::Get).await, Outcome::ok(DATA));
    page.expect_console(&[]).await;
    demo.shutdown().await;
}
