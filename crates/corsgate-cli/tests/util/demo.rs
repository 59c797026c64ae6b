//! `corsgate demo` in-process, and its page driven like a person in a real browser: open it,
//! click its buttons, edit the policy panel, read what the page says.

use std::time::Duration;

use corsgate_cli::demo::{self, Demo, DemoArgs, Limits};
use fantoccini::elements::Element;
use fantoccini::Locator;

use super::browser::{Browser, ConsoleMessage};

/// What the page says first when `fetch()` rejects.
pub const BLOCKED: &str = "Blocked by the browser's CORS policy.";

/// The tutorial's JSON as the page shows it (pretty-printed, fields in the server's order).
pub const DATA: &str = "{\n  \"name\": \"Bangladesh\",\n  \"description\": \"Land of emotions\"\n}";

/// What the page says on a result sent under another policy than the one in force.
pub const STALE: &str =
    "Sent under an earlier policy: send it again to see what the policy in force does.";

/// What the page adds after a refused Apply, once the form shows the policy in force again.
pub const RESYNCED: &str = "The policy in force did not change; the form shows it again.";

/// What the page says about the API's `X-Demo-Count` header when the policy does not expose it.
pub const COUNT_HIDDEN: &str =
    "Response header X-Demo-Count is hidden from this page (not in expose_headers).";

/// How often the page is polled while waiting.
const POLL: Duration = Duration::from_millis(20);

/// How long a click may take to produce an outcome on the page.
const OUTCOME_WAIT: Duration = Duration::from_secs(15);

/// Starts the demo in-process on free ports (unless `flags` choose them), quietly.
pub async fn start(flags: &[&str]) -> Demo {
    start_with(flags, Limits::default()).await
}

/// [`start`] with other limits on slow and numerous clients.
pub async fn start_with(flags: &[&str], limits: Limits) -> Demo {
    let mut all: Vec<String> = flags.iter().map(|s| s.to_string()).collect();
    for port_flag in ["--api-port", "--page-port"] {
        if !flags.contains(&port_flag) {
            all.extend([port_flag.to_owned(), "0".to_owned()]);
        }
    }
    all.push("--quiet".to_owned());
    let args = DemoArgs::from_flags(&all).unwrap_or_else(|e| panic!("flags {all:?}: {e}"));
    demo::start_with(&args, limits)
        .await
        .unwrap_or_else(|e| panic!("the demo did not start with {all:?}: {e}"))
}

/// The page's three requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    /// Fetch Data: `GET /data`.
    Get,
    /// `PUT /data`.
    Put,
    /// `GET /data` with `X-Demo: hello`.
    Header,
}

impl Request {
    fn button(self) -> &'static str {
        match self {
            Request::Get => "#fetch-data",
            Request::Put => "#put-data",
            Request::Header => "#custom-header",
        }
    }

    fn outcome(self) -> &'static str {
        match self {
            Request::Get => "#outcome-get",
            Request::Put => "#outcome-put",
            Request::Header => "#outcome-header",
        }
    }
}

/// Why the page says a request was blocked (from its server's `corsgate check`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// Chrome's console line, as the page shows it.
    pub console: String,
    /// The plain-English why.
    pub why: Option<String>,
    /// The fix's one-line summary.
    pub fix_summary: Option<String>,
    /// The corsgate policy (TOML) that fixes it.
    pub fix: Option<String>,
    /// Firefox's console line, as the page shows it.
    pub firefox: Option<String>,
    /// WebKit's console lines (its reason, then the URL it could not load), as the page
    /// shows them.
    pub webkit: Option<String>,
}

/// What the page shows for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `ok`, `blocked` or `http-error`.
    pub state: String,
    /// The first line: `200 OK`, or [`BLOCKED`].
    pub verdict: String,
    /// The response body, pretty-printed.
    pub body: Option<String>,
    /// Why it was blocked.
    pub reason: Option<Reason>,
    /// The origin hint, when the page has one.
    pub hint: Option<String>,
    /// The line about `X-Demo-Count` (or, when blocked, why the page cannot say why).
    pub meta: Option<String>,
}

impl Outcome {
    /// A blocked request, the reason the page shows, and the page's origin hint if any.
    pub fn blocked(reason: Reason, hint: Option<String>) -> Outcome {
        Outcome {
            state: "blocked".into(),
            verdict: BLOCKED.into(),
            body: None,
            reason: Some(reason),
            hint,
            meta: None,
        }
    }

    /// `200 OK` with this body, under a policy that does not expose `X-Demo-Count`.
    pub fn ok(body: &str) -> Outcome {
        Outcome {
            state: "ok".into(),
            verdict: "200 OK".into(),
            body: Some(body.into()),
            reason: None,
            hint: None,
            meta: Some(COUNT_HIDDEN.into()),
        }
    }
}

/// What the policy panel's status says after Apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyStatus {
    /// `applied` or `error`.
    pub state: String,
    pub text: String,
}

/// Edits of the policy panel; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct PolicyEdit<'a> {
    pub cors_on: Option<bool>,
    pub origins: Option<&'a str>,
    pub methods: Option<&'a str>,
    pub headers: Option<&'a str>,
    pub expose: Option<&'a str>,
    pub max_age: Option<&'a str>,
    pub credentials: Option<bool>,
}

/// What the policy panel's form shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    pub cors_on: bool,
    /// One origin per line.
    pub origins: String,
    pub methods: String,
    pub headers: String,
    pub expose: String,
    pub max_age: String,
    pub credentials: bool,
}

/// The demo page open in a browser.
pub struct Page<'a> {
    pub browser: &'a Browser,
    pub demo: &'a Demo,
}

impl<'a> Page<'a> {
    /// Navigates to the page and waits until it knows the API's policy.
    pub async fn open(browser: &'a Browser, demo: &'a Demo) -> Page<'a> {
        let client = browser.client();
        client.goto(&demo.page_url()).await.expect("the page loads");
        client
            .wait()
            .at_most(OUTCOME_WAIT)
            .every(POLL)
            .for_element(Locator::Css("body[data-ready='true']"))
            .await
            .expect("the page read the API's policy");
        Page { browser, demo }
    }

    async fn find(&self, css: &str) -> Element {
        self.browser
            .client()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    async fn text_of(&self, parent: &Element, css: &str) -> Option<String> {
        let found = parent
            .find_all(Locator::Css(css))
            .await
            .expect("find_all on the page");
        match found.first() {
            Some(el) => Some(el.text().await.expect("element text")),
            None => None,
        }
    }

    async fn count(&self, css: &str) -> u32 {
        self.find(css)
            .await
            .attr("data-count")
            .await
            .expect("data-count")
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    /// Clicks `button` and waits until the box `box_css` has counted one more answer (the
    /// page bumps its `data-count` when the answer is complete); returns that box.
    async fn click_and_wait(&self, button: &str, box_css: &str, failure: &str) -> Element {
        let before = self.count(box_css).await;
        self.find(button).await.click().await.expect("click");
        let done = format!("{box_css}[data-count='{}']", before + 1);
        self.browser
            .client()
            .wait()
            .at_most(OUTCOME_WAIT)
            .every(POLL)
            .for_element(Locator::Css(&done))
            .await
            .unwrap_or_else(|e| panic!("{failure} within {OUTCOME_WAIT:?}: {e}"))
    }

    /// Clicks a request button and reads the outcome once the page shows it.
    pub async fn click(&self, request: Request) -> Outcome {
        let outcome = self
            .click_and_wait(
                request.button(),
                request.outcome(),
                &format!("no outcome for {request:?}"),
            )
            .await;
        Outcome {
            state: outcome
                .attr("data-state")
                .await
                .expect("data-state")
                .unwrap_or_default(),
            verdict: self.text_of(&outcome, ".verdict").await.unwrap_or_default(),
            body: self.text_of(&outcome, ".body").await,
            reason: self.reason(&outcome).await,
            hint: self.text_of(&outcome, ".hint").await,
            meta: self.text_of(&outcome, ".meta").await,
        }
    }

    /// The reason shown in an outcome box, when there is one.
    async fn reason(&self, outcome: &Element) -> Option<Reason> {
        let why = outcome
            .find_all(Locator::Css(".why"))
            .await
            .expect("find_all on the page");
        let why = why.first()?;
        Some(Reason {
            console: self
                .text_of(why, "pre.console.chrome")
                .await
                .unwrap_or_default(),
            why: self.text_of(why, ".explanation").await,
            fix_summary: self.text_of(why, ".fix-summary").await,
            fix: self.text_of(why, "pre.fix").await,
            firefox: self.text_of(why, "pre.console.firefox").await,
            webkit: self.text_of(why, "pre.console.webkit").await,
        })
    }

    /// Ticks or unticks a checkbox like a person (a click when it is not as wanted).
    async fn set_checkbox(&self, css: &str, on: bool) {
        let checkbox = self.find(css).await;
        if checkbox.is_selected().await.expect("checkbox state") != on {
            checkbox.click().await.expect("click checkbox");
        }
    }

    /// The Requests card's "Send credentials" switch.
    pub async fn set_credentials(&self, on: bool) {
        self.set_checkbox("#credentials", on).await;
    }

    async fn type_into(&self, css: &str, text: &str) {
        let field = self.find(css).await;
        field.clear().await.expect("clear field");
        field.send_keys(text).await.expect("type into field");
    }

    /// Edits the policy panel, clicks Apply and reads the panel's status.
    pub async fn apply(&self, edit: PolicyEdit<'_>) -> PolicyStatus {
        if let Some(on) = edit.cors_on {
            self.set_checkbox("#policy-enabled", on).await;
        }
        if let Some(origins) = edit.origins {
            self.type_into("#policy-origins", origins).await;
        }
        if let Some(methods) = edit.methods {
            self.type_into("#policy-methods", methods).await;
        }
        if let Some(headers) = edit.headers {
            self.type_into("#policy-headers", headers).await;
        }
        if let Some(expose) = edit.expose {
            self.type_into("#policy-expose", expose).await;
        }
        if let Some(max_age) = edit.max_age {
            self.type_into("#policy-max-age", max_age).await;
        }
        if let Some(on) = edit.credentials {
            self.set_checkbox("#policy-credentials", on).await;
        }
        let status = self
            .click_and_wait("#policy-apply", "#policy-status", "Apply gave no answer")
            .await;
        PolicyStatus {
            state: status
                .attr("data-state")
                .await
                .expect("data-state")
                .unwrap_or_default(),
            text: status.text().await.expect("status text"),
        }
    }

    /// What the policy panel's form shows now.
    pub async fn form(&self) -> Form {
        let value = |css: &'static str| async move {
            self.find(css)
                .await
                .prop("value")
                .await
                .expect("field value")
                .unwrap_or_default()
        };
        let checked = |css: &'static str| async move {
            self.find(css)
                .await
                .is_selected()
                .await
                .expect("checkbox state")
        };
        Form {
            cors_on: checked("#policy-enabled").await,
            origins: value("#policy-origins").await,
            methods: value("#policy-methods").await,
            headers: value("#policy-headers").await,
            expose: value("#policy-expose").await,
            max_age: value("#policy-max-age").await,
            credentials: checked("#policy-credentials").await,
        }
    }

    /// The value the "In force now" list shows for `name` (`allow_methods`, `max_age`, ...).
    pub async fn in_force(&self, name: &str) -> String {
        let list = self.find("#policy-current").await;
        let names = list
            .find_all(Locator::Css("dt"))
            .await
            .expect("find_all on the page");
        let values = list
            .find_all(Locator::Css("dd"))
            .await
            .expect("find_all on the page");
        for (dt, dd) in names.iter().zip(&values) {
            if dt.text().await.expect("dt text") == name {
                return dd.text().await.expect("dd text");
            }
        }
        panic!("no {name} in the policy in force");
    }

    /// The note on a request's result when it was sent under an earlier policy.
    pub async fn stale(&self, request: Request) -> Option<String> {
        let outcome = self.find(request.outcome()).await;
        self.text_of(&outcome, ".stale").await
    }

    /// The labels of a blocked request's reason, in the page's order ("Chrome's console",
    /// "Why", "Fix", "Firefox's console", "WebKit's console").
    pub async fn reason_labels(&self, request: Request) -> Vec<String> {
        let outcome = self.find(request.outcome()).await;
        let labels = outcome
            .find_all(Locator::Css(".why .label"))
            .await
            .expect("find_all on the page");
        let mut texts = Vec::new();
        for label in labels {
            // Its source text (the page shows labels in capitals).
            let text = label.prop("textContent").await.expect("label text");
            texts.push(text.unwrap_or_default());
        }
        texts
    }

    /// The policy panel's note about this page's origin, when shown.
    pub async fn origin_note(&self) -> Option<String> {
        let note = self.find("#policy-origin-note").await;
        if note.is_displayed().await.expect("note visibility") {
            Some(note.text().await.expect("note text"))
        } else {
            None
        }
    }

    /// Saves a PNG screenshot of the window.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let png = self
            .browser
            .client()
            .screenshot()
            .await
            .expect("screenshot");
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "the screenshot is a PNG"
        );
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("artifact directory");
        }
        std::fs::write(path, png).expect("write the screenshot");
    }

    /// Asserts Chrome's console since the last read, exactly (Chromium only; Firefox's
    /// console is not readable over WebDriver, so its tests assert the page's verdicts).
    pub async fn expect_console(&self, expected: &[ConsoleMessage]) {
        if !self.browser.has_console() {
            return;
        }
        let got = if expected.is_empty() {
            // Nothing expected: give a late message a moment to show up.
            tokio::time::sleep(Duration::from_millis(150)).await;
            self.browser.console().await
        } else {
            self.browser
                .console_until(expected.len(), Duration::from_secs(3))
                .await
        };
        assert_eq!(got, expected, "Chrome's console");
    }

    /// Asserts that the page showed, for a blocked request, exactly the CORS line Chrome
    /// printed in its console (Chromium), and that Chrome's console is exactly the two lines
    /// of [`Page::blocked_console`] for `reason`.
    pub async fn expect_blocked_console(&self, outcome: &Outcome, reason: &str) {
        let expected = self.blocked_console(reason);
        self.expect_console(&expected).await;
        if self.browser.has_console() {
            // `expect_console` compared the console with `expected`: its first line is the
            // CORS message Chrome printed, which the page must show byte for byte.
            let shown = outcome.reason.as_ref().map(|r| r.console.as_str());
            assert_eq!(
                shown,
                Some(expected[0].text.as_str()),
                "the page shows Chrome's console line"
            );
        }
    }

    /// Chrome's console text for a fetch from this page to the API's `/data` that it
    /// blocks for `reason`.
    pub fn chrome_message(&self, reason: &str) -> String {
        format!(
            "Access to fetch at '{}/data' from origin '{}' has been blocked by CORS policy: \
             {reason}",
            self.demo.api_origin(),
            self.demo.page_origin()
        )
    }

    /// Firefox's console text for a fetch from this page to the API's `/data` that it
    /// blocks; `rest` is everything after "(Reason: ", closing parenthesis included.
    pub fn firefox_message(&self, rest: &str) -> String {
        format!(
            "Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote \
             resource at {}/data. (Reason: {rest}",
            self.demo.api_origin()
        )
    }

    /// WebKit's console lines for a fetch from this page to the API's `/data` that it blocks
    /// for `reason`, as the page shows them (one per line).
    pub fn webkit_message(&self, reason: &str) -> String {
        format!(
            "{reason}\nFetch API cannot load {}/data due to access control checks.",
            self.demo.api_origin()
        )
    }

    /// The two console lines Chrome prints for a fetch it blocks: its CORS message about
    /// this page, and the failed load of the API's URL.
    pub fn blocked_console(&self, reason: &str) -> Vec<ConsoleMessage> {
        let api = format!("{}/data", self.demo.api_origin());
        vec![
            ConsoleMessage::new(
                "SEVERE",
                "javascript",
                &self.demo.page_url(),
                &self.chrome_message(reason),
            ),
            ConsoleMessage::new(
                "SEVERE",
                "network",
                &api,
                "Failed to load resource: net::ERR_FAILED",
            ),
        ]
    }
}
