//! The one real-browser harness: Debian's Chromium and Firefox ESR, headless, each run with a
//! fresh profile in a directory of its own, started two ways:
//!
//! - [`Launched`]: the browser launched straight at a page (no WebDriver), in its own process
//!   group; Chrome's console comes from its stderr ([`chromium_console`]), Firefox's over
//!   WebDriver BiDi from its remote agent ([`Launched::firefox_with_console`]). The
//!   differential suite uses this.
//! - [`Browser`]: a WebDriver session (chromedriver, geckodriver from crates.io, or
//!   WebKitGTK's `WebKitWebDriver` under an Xvfb of its own, starting MiniBrowser), to click
//!   and type like a person; Chrome's console comes from chromedriver's log endpoint. The
//!   demo's browser tests use this, through [`session`].
//!
//! WebKit (WebKitGTK's MiniBrowser under an Xvfb of its own) is launched the first way too, by
//! [`webkit::launch`]; its console comes from its stdout ([`webkit::console`]).
//!
//! **One browser at a time.** Every test that runs a browser holds the binary's one browser
//! [`Turn`] for its whole run ([`session`] or [`exclusive`]): two browsers at once on a small
//! machine are slower than one after the other, and make timings flaky. Starting a browser
//! costs more than most demo scenarios, so a WebDriver session is kept for the next test of
//! the same browser when one is already waiting for its turn, and ended otherwise (the last
//! test to use it ends it, failed or not).
//!
//! **Missing browser.** A browser or driver that is not installed fails the test when `CI` is
//! set; otherwise the test prints a loud `*** SKIPPED: ... ***` line (straight to stderr, past
//! the test harness's capture) and returns. Never a silent skip.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

/// Chromium's flags for this machine's closed network (from the project's rules); each way of
/// starting it adds `--user-data-dir` and what it needs on top.
pub const CHROMIUM_FLAGS: [&str; 8] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// Firefox preferences for a quiet run on a closed network (a launched Firefox gets them in
/// its profile's `user.js`, a WebDriver one through its capabilities).
const FIREFOX_PREFS: [(&str, PrefValue); 17] = [
    ("app.update.disabledForTesting", PrefValue::Bool(true)),
    ("app.update.enabled", PrefValue::Bool(false)),
    ("browser.aboutwelcome.enabled", PrefValue::Bool(false)),
    ("browser.shell.checkDefaultBrowser", PrefValue::Bool(false)),
    (
        "browser.startup.homepage_override.mstone",
        PrefValue::Str("ignore"),
    ),
    (
        "browser.safebrowsing.malware.enabled",
        PrefValue::Bool(false),
    ),
    (
        "browser.safebrowsing.phishing.enabled",
        PrefValue::Bool(false),
    ),
    (
        "browser.safebrowsing.downloads.enabled",
        PrefValue::Bool(false),
    ),
    (
        "datareporting.policy.dataSubmissionEnabled",
        PrefValue::Bool(false),
    ),
    (
        "datareporting.healthreport.uploadEnabled",
        PrefValue::Bool(false),
    ),
    ("dom.security.https_first", PrefValue::Bool(false)),
    (
        "network.captive-portal-service.enabled",
        PrefValue::Bool(false),
    ),
    (
        "network.connectivity-service.enabled",
        PrefValue::Bool(false),
    ),
    ("network.proxy.type", PrefValue::Int(0)),
    ("startup.homepage_welcome_url", PrefValue::Str("")),
    (
        "startup.homepage_welcome_url.additional",
        PrefValue::Str(""),
    ),
    (
        "toolkit.telemetry.reportingpolicy.firstRun",
        PrefValue::Bool(false),
    ),
];

#[derive(Clone, Copy)]
enum PrefValue {
    Bool(bool),
    Int(i64),
    Str(&'static str),
}

impl PrefValue {
    fn json(self) -> Value {
        match self {
            PrefValue::Bool(b) => json!(b),
            PrefValue::Int(i) => json!(i),
            PrefValue::Str(s) => json!(s),
        }
    }
}

/// The window the demo's screenshots are taken in.
pub const WINDOW: (u32, u32) = (1280, 1150);

const DRIVER_START: Duration = Duration::from_secs(20);
const SESSION_START: Duration = Duration::from_secs(60);
const SESSION_END: Duration = Duration::from_secs(15);

/// Which browser.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Chromium,
    Firefox,
    /// WebKitGTK's MiniBrowser: launched under an Xvfb of its own ([`webkit::launch`]), or
    /// driven by `WebKitWebDriver` under one.
    WebKit,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chromium => "chromium",
            Kind::Firefox => "firefox-esr",
            Kind::WebKit => "webkit",
        }
    }

    /// The browser binary (Debian's packages; MiniBrowser's path has the multiarch triplet,
    /// empty when it is not installed).
    pub fn binary(self) -> &'static str {
        static MINIBROWSER: LazyLock<String> = LazyLock::new(|| {
            webkit::minibrowser()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        });
        match self {
            Kind::Chromium => "/usr/bin/chromium",
            Kind::Firefox => "/usr/bin/firefox-esr",
            Kind::WebKit => MINIBROWSER.as_str(),
        }
    }

    fn driver(self) -> &'static str {
        match self {
            Kind::Chromium => "chromedriver",
            Kind::Firefox => "geckodriver",
            Kind::WebKit => "WebKitWebDriver",
        }
    }

    fn install(self, with_driver: bool) -> &'static str {
        match (self, with_driver) {
            (Kind::Chromium, false) => "apt-get install chromium",
            (Kind::Chromium, true) => "apt-get install chromium chromium-driver",
            (Kind::Firefox, false) => "apt-get install firefox-esr",
            (Kind::Firefox, true) => {
                "apt-get install firefox-esr; cargo install geckodriver --locked"
            }
            (Kind::WebKit, _) => webkit::INSTALL,
        }
    }

    fn index(self) -> usize {
        match self {
            Kind::Chromium => 0,
            Kind::Firefox => 1,
            Kind::WebKit => 2,
        }
    }
}

// --- The missing-browser rule ---------------------------------------------------------------

/// Whether the CI environment variable is set (then a missing browser is a failure).
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// A missing browser or driver: panics under CI; otherwise says so loudly (straight to the
/// process's stderr, past the test harness's capture) and the caller skips.
fn missing(kind: Kind, what: &str, with_driver: bool) {
    missing_program(kind.name(), what, kind.install(with_driver));
}

/// [`missing`] for any browser program: `name` (what is missing), `what` (how it was looked
/// for), `install` (the command that installs it).
fn missing_program(name: &str, what: &str, install: &str) {
    let message =
        format!("{name} not installed ({what}); install with: {install} (scripts/test.sh does it)");
    if under_ci() {
        panic!("CI is set, so a missing browser fails the test: {message}");
    }
    let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {message} ***\n");
}

/// Is the browser installed? If not: fails under CI, otherwise says so loudly and returns
/// false (the caller skips).
pub fn available(kind: Kind) -> bool {
    if kind == Kind::WebKit {
        return webkit::available();
    }
    if Path::new(kind.binary()).is_file() {
        return true;
    }
    missing(kind, &format!("no {}", kind.binary()), false);
    false
}

/// The driver program, looked up in PATH and ~/.cargo/bin (where `cargo install` puts
/// geckodriver); `None` after [`missing`] when the browser or the driver is not installed.
fn driver_program(kind: Kind) -> Option<PathBuf> {
    if kind == Kind::WebKit && !webkit::available() {
        return None;
    }
    if !Path::new(kind.binary()).is_file() {
        missing(kind, &format!("no {}", kind.binary()), true);
        return None;
    }
    let name = kind.driver();
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".cargo/bin"));
    }
    let found = dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file());
    if found.is_none() {
        missing(kind, &format!("no {name} in PATH or ~/.cargo/bin"), true);
    }
    found
}

/// A fresh directory for one browser run (profile, logs), removed by its owner.
fn fresh_dir(purpose: &str, kind: Kind) -> PathBuf {
    super::fresh_dir(&format!("{purpose}-{}", kind.name()))
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

// --- One browser at a time ------------------------------------------------------------------

/// The right to run a browser: the holder is the only test of the binary running one.
pub struct Turn {
    _held: MutexGuard<'static, ()>,
}

fn turn() -> Turn {
    static TURN: Mutex<()> = Mutex::new(());
    // A test that failed while holding it poisons nothing the next one relies on.
    Turn {
        _held: TURN.lock().unwrap_or_else(PoisonError::into_inner),
    }
}

/// The WebDriver session kept for the next test of the same browser.
static KEPT: Mutex<Option<Arc<Browser>>> = Mutex::new(None);
/// Per browser, the tests that asked for a session and have not finished.
static WANTED: [AtomicUsize; 3] = [
    AtomicUsize::new(0),
    AtomicUsize::new(0),
    AtomicUsize::new(0),
];

fn kept() -> MutexGuard<'static, Option<Arc<Browser>>> {
    KEPT.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Waits for the browser turn and ends any kept WebDriver session: for a test that launches a
/// browser of its own.
pub fn exclusive() -> Turn {
    let turn = turn();
    let previous = kept().take();
    drop(previous);
    turn
}

/// The runtime every WebDriver test runs on: a session's client lives on it, so it must
/// outlive any one test.
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a tokio runtime for the browser tests")
    });
    &RUNTIME
}

/// A test's use of a WebDriver session, holding the browser turn. Dropping it (test passed or
/// failed) ends the session unless another test of the same browser is waiting for it.
pub struct Session {
    kind: Kind,
    browser: Option<Arc<Browser>>,
    _turn: Turn,
}

impl Session {
    pub fn browser(&self) -> &Browser {
        self.browser.as_ref().expect("a started browser")
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.browser = None;
        if WANTED[self.kind.index()].fetch_sub(1, Ordering::SeqCst) == 1 {
            // Nobody else wants this browser: end it now, while holding the turn (outside the
            // runtime: ending a session blocks).
            let last = kept().take();
            drop(last);
        }
    }
}

/// Waits for the browser turn, then a WebDriver session of `kind`: the one kept from the
/// previous test, or a new one. `None` (skip) when the browser is not installed and CI is not
/// set.
pub fn session(kind: Kind) -> Option<Session> {
    WANTED[kind.index()].fetch_add(1, Ordering::SeqCst);
    let mut session = Session {
        kind,
        browser: None,
        _turn: turn(),
    };
    let mut kept = kept();
    if kept.as_ref().is_some_and(|b| b.kind != kind) {
        // The other browser's session: end it before starting this one.
        kept.take();
    }
    if kept.is_none() {
        *kept = runtime().block_on(Browser::start(kind)).map(Arc::new);
    }
    session.browser = kept.clone();
    drop(kept);
    session.browser.is_some().then_some(session)
}

// --- Launched straight at a page ------------------------------------------------------------

/// A browser launched at a page. Dropping it kills its process group and removes its
/// directory, failed test or not.
pub struct Launched {
    child: Child,
    dir: PathBuf,
    /// SIGTERM to the group before SIGKILL (WebKit: lets Xvfb clean up).
    gentle: bool,
}

impl Launched {
    /// Starts the browser at `url` (call [`available`] first, and hold the [`exclusive`]
    /// turn): Chromium with its console on stderr, Firefox with a quiet fresh profile.
    pub fn start(kind: Kind, url: &str) -> Launched {
        Launched::start_with(kind, url, &[])
    }

    /// [`Launched::start`] with `extra` flags after the harness's own (Chromium only), e.g.
    /// `--host-resolver-rules=MAP *:80 127.0.0.1:PORT` to serve any origin from loopback, or
    /// `--ignore-certificate-errors` for pages and APIs with test certificates.
    pub fn start_with(kind: Kind, url: &str, extra: &[String]) -> Launched {
        Launched::launch(kind, url, extra, None)
    }

    /// Firefox with its remote agent on a free port, navigated to `url` over WebDriver BiDi by
    /// the returned [`FirefoxConsole`], which records the console from the first request on.
    pub fn firefox_with_console(url: &str) -> (Launched, FirefoxConsole) {
        let port = free_port();
        let launched = Launched::launch(Kind::Firefox, "about:blank", &[], Some(port));
        let console = FirefoxConsole::open(port, url, || launched.output_tail(40));
        (launched, console)
    }

    fn launch(kind: Kind, url: &str, extra: &[String], remote_port: Option<u16>) -> Launched {
        assert!(
            extra.is_empty() || kind == Kind::Chromium,
            "extra flags are Chromium's"
        );
        if kind == Kind::WebKit {
            return webkit::launch(url);
        }
        let dir = fresh_dir("differential", kind);
        let profile = dir.join("profile");
        std::fs::create_dir_all(&profile).expect("a profile directory");
        let mut command = Command::new(kind.binary());
        match kind {
            Kind::Chromium => {
                command
                    .args(CHROMIUM_FLAGS)
                    // The console, where Chrome prints its CORS messages, on stderr.
                    .args(["--enable-logging=stderr", "--v=0"])
                    .arg(format!("--user-data-dir={}", profile.display()))
                    .args(extra)
                    .arg(url);
            }
            Kind::Firefox => {
                std::fs::write(profile.join("user.js"), firefox_user_js()).expect("user.js");
                command
                    .args(["--headless", "--no-remote", "--profile"])
                    .arg(&profile)
                    .args(remote_port.map(|p| format!("--remote-debugging-port={p}")))
                    .arg(url)
                    .env("MOZ_HEADLESS", "1")
                    .env("MOZ_CRASHREPORTER_DISABLE", "1");
            }
            Kind::WebKit => unreachable!("launched by webkit::launch"),
        }
        Launched::spawn(command, dir, false)
    }

    /// Runs `command` in a process group of its own, stdout and stderr into `dir/stderr.log`.
    fn spawn(mut command: Command, dir: PathBuf, gentle: bool) -> Launched {
        let log = std::fs::File::create(dir.join("stderr.log")).expect("stderr log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            // Its own process group, so stop can end the browser's helper processes too.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {:?}: {e}", command.get_program()));
        Launched { child, dir, gentle }
    }

    /// Is the browser's main process still running?
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// What the browser wrote to stdout and stderr so far.
    pub fn output(&self) -> String {
        let bytes = std::fs::read(self.dir.join("stderr.log")).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The last lines of the output (for failure messages).
    pub fn output_tail(&self, lines: usize) -> String {
        let out = self.output();
        let all: Vec<&str> = out.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// Kills the browser's process group and waits (bounded) for the main process.
    pub fn stop(&mut self) {
        let pgid = self.child.id();
        if self.gentle {
            // Ask first (xvfb-run removes its Xvfb's lock file on TERM), then kill.
            let _ = Command::new("kill")
                .args(["-TERM", "--", &format!("-{pgid}")])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            // Until the whole group is gone (Xvfb exits after the shell that started it).
            let _ = self.child.try_wait();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && group_alive(pgid) {
                let _ = self.child.try_wait();
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        // The group id is the child's pid (process_group(0)); signal the whole group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{pgid}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Launched {
    fn drop(&mut self) {
        self.stop();
        // Helpers may still be exiting; a few bounded tries.
        for _ in 0..10 {
            if std::fs::remove_dir_all(&self.dir).is_ok() || !self.dir.exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// Is any process of the group `pgid` still there?
fn group_alive(pgid: u32) -> bool {
    Command::new("kill")
        .args(["-0", "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn firefox_user_js() -> String {
    FIREFOX_PREFS
        .iter()
        .map(|(name, value)| format!("user_pref({:?}, {});\n", name, value.json()))
        .collect()
}

/// Chrome's console messages in its `--enable-logging=stderr` output, exactly as printed: each
/// `[pid:tid:time:INFO:CONSOLE:<line>] "<message>", source: <url> (<line>)` line (Chromium
/// 156; older versions wrote `CONSOLE(<line>)`) gives `<message>`, found from the right so a
/// quote inside it is kept.
pub fn chromium_console(output: &str) -> Vec<String> {
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

// --- Driven over WebDriver ------------------------------------------------------------------

/// One message of Chrome's console, as chromedriver's log endpoint gives it
/// (`goog:loggingPrefs` `{"browser": "ALL"}`, then `POST /session/{id}/se/log` with
/// `{"type": "browser"}`): what DevTools' console shows, each message prefixed by the URL it
/// is about, which [`ConsoleMessage::from_entry`] strips exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleMessage {
    /// `SEVERE`, `WARNING`, `INFO`, ...
    pub level: String,
    /// `javascript` (the CORS errors), `network` (failed loads), `console-api` (console.*).
    pub source: String,
    /// The URL chromedriver puts in front of the message: the document for `javascript`, the
    /// resource for `network`, the script for `console-api`.
    pub url: String,
    /// The console's text, exactly.
    pub text: String,
}

impl ConsoleMessage {
    pub fn new(level: &str, source: &str, url: &str, text: &str) -> Self {
        ConsoleMessage {
            level: level.to_owned(),
            source: source.to_owned(),
            url: url.to_owned(),
            text: text.to_owned(),
        }
    }

    /// Parses one chromedriver log entry. Two shapes:
    /// `<url> - <text>` (javascript, network) and `<url> <line>:<column> <args>` (console-api,
    /// where a single string argument is JSON-quoted).
    fn from_entry(entry: &Value) -> ConsoleMessage {
        let field = |name: &str| entry[name].as_str().unwrap_or_default().to_owned();
        let (level, source, message) = (field("level"), field("source"), field("message"));
        let (url, text) = if source == "console-api" {
            let mut parts = message.splitn(3, ' ');
            let url = parts.next().unwrap_or_default();
            let _position = parts.next();
            let args = parts.next().unwrap_or_default();
            let text = match serde_json::from_str::<Value>(args) {
                Ok(Value::String(s)) => s,
                _ => args.to_owned(),
            };
            (url.to_owned(), text)
        } else {
            match message.split_once(" - ") {
                Some((url, text)) if !url.contains(' ') => (url.to_owned(), text.to_owned()),
                _ => (String::new(), message.clone()),
            }
        };
        ConsoleMessage {
            level,
            source,
            url,
            text,
        }
    }
}

/// `POST /session/{id}/se/log {"type": "browser"}`: chromedriver's console log (read and
/// cleared).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/se/log",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.to_owned()))
    }
}

/// The WebDriver server process and its directory (profile, log). Dropping it kills the
/// process and removes the directory.
struct Driver {
    kind: Kind,
    child: Child,
    addr: SocketAddr,
    dir: PathBuf,
}

/// Signals every process of the group `pgid` (the WebKit driver's: xvfb-run, Xvfb,
/// WebKitWebDriver, MiniBrowser).
fn signal_group(signal: &str, pgid: u32) {
    let _ = Command::new("kill")
        .args([signal, "--", &format!("-{pgid}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

impl Driver {
    fn log(&self) -> String {
        let log = std::fs::read_to_string(self.dir.join("driver.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = &lines[lines.len().saturating_sub(40)..];
        format!(
            "{} driver log (last lines):\n{}",
            self.kind.name(),
            tail.join("\n")
        )
    }

    async fn wait_until_listening(&mut self) {
        let deadline = Instant::now() + DRIVER_START;
        loop {
            if TcpStream::connect_timeout(&self.addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the driver exited at start ({status})\n{}", self.log());
            }
            if Instant::now() > deadline {
                panic!(
                    "the driver did not listen on {} within {DRIVER_START:?}\n{}",
                    self.addr,
                    self.log()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if self.kind == Kind::WebKit {
            // Its own process group: TERM first (xvfb-run removes its lock file), then KILL.
            let pgid = self.child.id();
            signal_group("-TERM", pgid);
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && group_alive(pgid) {
                let _ = self.child.try_wait();
                std::thread::sleep(Duration::from_millis(50));
            }
            signal_group("-KILL", pgid);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A browser session on its own driver. Dropping it ends the session, the browser and the
/// driver (synchronously, so it also happens when a test fails).
pub struct Browser {
    pub kind: Kind,
    client: Option<Client>,
    session_id: Option<String>,
    driver: Driver,
}

impl Browser {
    /// Starts the driver and a session, or returns `None` (skip) when the browser is not
    /// installed and CI is not set. Use [`session`], which also takes the browser turn.
    async fn start(kind: Kind) -> Option<Browser> {
        let driver_bin = driver_program(kind)?;
        let dir = fresh_dir("test", kind);
        let port = free_port();
        let mut command = Command::new(&driver_bin);
        match kind {
            Kind::Chromium => {
                command.arg(format!("--port={port}"));
            }
            Kind::WebKit => {
                // WebKitWebDriver starts MiniBrowser (`--automation`) on an Xvfb of its own,
                // all in one process group with a fresh home.
                let home = dir.join("home");
                std::fs::create_dir_all(&home).expect("a home directory");
                command = Command::new("/usr/bin/xvfb-run");
                command
                    .args(["-a", "-s", "-screen 0 1280x1150x24 -nolisten tcp"])
                    .arg(&driver_bin)
                    .arg(format!("--port={port}"))
                    .env("HOME", &home)
                    .env("XDG_DATA_HOME", home.join("data"))
                    .env("XDG_CACHE_HOME", home.join("cache"))
                    .env("XDG_CONFIG_HOME", home.join("config"))
                    .env("GDK_BACKEND", "x11")
                    .env_remove("WAYLAND_DISPLAY")
                    .env_remove("DISPLAY")
                    .process_group(0);
            }
            Kind::Firefox => {
                command
                    .args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .args(["--websocket-port", &free_port().to_string()])
                    .arg("--profile-root")
                    .arg(&dir);
            }
        }
        let log = std::fs::File::create(dir.join("driver.log")).expect("driver log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("driver log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_bin.display()));
        let mut driver = Driver {
            kind,
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            dir,
        };
        driver.wait_until_listening().await;

        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities(kind, &driver.dir));
        let url = format!("http://{}", driver.addr);
        let client = match tokio::time::timeout(SESSION_START, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!(
                "{} session did not start: {e}\n{}",
                kind.name(),
                driver.log()
            ),
            Err(_) => panic!(
                "{} session did not start within {SESSION_START:?}\n{}",
                kind.name(),
                driver.log()
            ),
        };
        let session_id = client.session_id().await.ok().flatten();
        if kind != Kind::Chromium {
            let (w, h) = WINDOW;
            let _ = client.set_window_size(w, h).await;
        }
        Some(Browser {
            kind,
            client: Some(client),
            session_id,
            driver,
        })
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("an open session")
    }

    /// Whether this browser's console can be read (Chromium only).
    pub fn has_console(&self) -> bool {
        self.kind == Kind::Chromium
    }

    /// Chrome's console messages since the last call (the log is cleared by reading it).
    pub async fn console(&self) -> Vec<ConsoleMessage> {
        assert!(self.has_console(), "only chromedriver exposes the console");
        let value = self
            .client()
            .issue_cmd(BrowserLog)
            .await
            .expect("chromedriver's browser log");
        value
            .as_array()
            .map(|entries| entries.iter().map(ConsoleMessage::from_entry).collect())
            .unwrap_or_default()
    }

    /// Reads the console until `expected` messages arrived (or `within` passed).
    pub async fn console_until(&self, expected: usize, within: Duration) -> Vec<ConsoleMessage> {
        let deadline = Instant::now() + within;
        let mut messages = self.console().await;
        while messages.len() < expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
            messages.extend(self.console().await);
        }
        messages
    }

    /// Reads and drops whatever the console holds (Chromium; nothing elsewhere).
    pub async fn drain_console(&self) {
        if self.has_console() {
            let _ = self.console().await;
        }
    }
}

fn capabilities(kind: Kind, dir: &Path) -> serde_json::Map<String, Value> {
    let (w, h) = WINDOW;
    let timeouts = json!({ "pageLoad": 20_000, "script": 10_000, "implicit": 0 });
    let caps = match kind {
        Kind::Chromium => {
            let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|s| s.to_string()).collect();
            args.push(format!("--user-data-dir={}", dir.join("profile").display()));
            args.push(format!("--window-size={w},{h}"));
            json!({
                "browserName": "chrome",
                "timeouts": timeouts,
                "goog:chromeOptions": { "binary": kind.binary(), "args": args },
                "goog:loggingPrefs": { "browser": "ALL" },
            })
        }
        Kind::Firefox => {
            let prefs: serde_json::Map<String, Value> = FIREFOX_PREFS
                .iter()
                .map(|(name, value)| (name.to_string(), value.json()))
                .collect();
            json!({
                "browserName": "firefox",
                "timeouts": timeouts,
                "moz:firefoxOptions": {
                    "binary": kind.binary(),
                    "args": ["-headless"],
                    "prefs": prefs,
                },
            })
        }
        Kind::WebKit => json!({
            "browserName": "MiniBrowser",
            "timeouts": timeouts,
            "webkitgtk:browserOptions": {
                "binary": kind.binary(),
                "args": ["--automation"],
            },
        }),
    };
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("capabilities are an object"),
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(id) = self.session_id.take() {
            // End the session synchronously (bounded), so the driver quits the browser
            // instead of leaving it running, failed test or not. Then `Driver`'s drop ends
            // the driver and removes the profile.
            delete_session(self.driver.addr, &id);
        }
    }
}

fn delete_session(addr: SocketAddr, id: &str) {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(SESSION_END));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let request = format!(
        "DELETE /session/{id} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    // The driver answers once the browser has quit. Read that one response (headers, then
    // Content-Length bytes): drivers keep the connection open whatever the request says.
    let mut response = Vec::new();
    let mut chunk = [0u8; 4096];
    while response.len() < 1 << 20 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => response.extend_from_slice(&chunk[..n]),
        }
        if let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if response.len() >= end + 4 + length {
                return;
            }
        }
    }
}

// --- WebKit: WebKitGTK's MiniBrowser under Xvfb ------------------------------------------------

/// WebKit, the engine of Safari, as Debian ships it: WebKitGTK's `MiniBrowser` (in
/// `libwebkit2gtk-4.1-0`, which `webkit2gtk-driver` installs), launched straight at a page in a
/// fresh home of its own, on a free display of an Xvfb of its own (`xvfb-run -a`), all in one
/// process group killed at the end ([`Launched`]).
///
/// **The console.** MiniBrowser takes every `WebKitSettings` property as a flag, and
/// `--enable-write-console-messages-to-stdout=true` makes WebKit print each console message,
/// the engine's own CORS lines included, as `[<url>:<line>:<column>: ]CONSOLE <SOURCE> <LEVEL>
/// <message>` ([`webkit::console`] reads them back exactly). `stdbuf -oL -eL` keeps the lines
/// from sitting in a buffer when the browser is killed. (The remote Web Inspector would give the
/// same messages over a websocket; the flag needs no protocol.)
///
/// **Missing.** No MiniBrowser or no Xvfb fails the test under CI, as for the other browsers.
pub mod webkit {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    use super::{missing_program, Launched};

    /// What installs it (scripts/test.sh does).
    pub const INSTALL: &str = "apt-get install webkit2gtk-driver xvfb";
    const XVFB_RUN: &str = "/usr/bin/xvfb-run";
    const XVFB: &str = "/usr/bin/Xvfb";
    /// The WebKitGTK API versions whose MiniBrowser will do, newest first.
    const APIS: [&str; 3] = ["webkitgtk-6.0", "webkit2gtk-4.1", "webkit2gtk-4.0"];

    /// `/usr/lib/<multiarch>/<api>/MiniBrowser`, if installed.
    pub fn minibrowser() -> Option<PathBuf> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib")
            .ok()?
            .flatten()
            .map(|e| e.path())
            .collect();
        dirs.sort();
        APIS.iter().find_map(|api| {
            dirs.iter()
                .map(|d| d.join(api).join("MiniBrowser"))
                .find(|p| p.is_file())
        })
    }

    /// Are MiniBrowser and Xvfb installed? If not: fails under CI, otherwise says so loudly and
    /// returns false (the caller skips).
    pub fn available() -> bool {
        if minibrowser().is_none() {
            missing_program(
                "webkit (MiniBrowser)",
                "no /usr/lib/*/webkit2gtk-4.1/MiniBrowser",
                INSTALL,
            );
            return false;
        }
        for program in [XVFB_RUN, XVFB] {
            if !Path::new(program).is_file() {
                missing_program("xvfb", &format!("no {program}"), INSTALL);
                return false;
            }
        }
        true
    }

    /// Starts MiniBrowser at `url` with its console on stdout (call [`available`] first, and
    /// hold the [`super::exclusive`] turn). [`Launched::output`] is what it printed.
    pub fn launch(url: &str) -> Launched {
        let browser = minibrowser().expect("MiniBrowser (call webkit::available first)");
        let dir = crate::util::fresh_dir("webkit");
        let home = dir.join("home");
        std::fs::create_dir_all(&home).expect("a home directory");
        let mut command = Command::new(XVFB_RUN);
        command
            .args(["-a", "-s", "-screen 0 1280x1024x24 -nolisten tcp"])
            .args(["stdbuf", "-oL", "-eL"])
            .arg(browser)
            .arg("--enable-write-console-messages-to-stdout=true")
            .arg(url)
            // A fresh profile: WebKitGTK keeps its data, cache and settings under these.
            .env("HOME", &home)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("GDK_BACKEND", "x11")
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DISPLAY");
        Launched::spawn(command, dir, true)
    }

    /// One console message as WebKit printed it.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ConsoleLine {
        /// `JS`, `SECURITY`, `NETWORK`, ... (WebKit's `MessageSource`); empty for `console.*`.
        pub source: String,
        /// `LOG`, `WARN`, `ERROR`, `DEBUG`, `INFO`.
        pub level: String,
        /// The message, exactly.
        pub text: String,
    }

    impl ConsoleLine {
        pub fn new(source: &str, level: &str, text: &str) -> Self {
            ConsoleLine {
                source: source.to_owned(),
                level: level.to_owned(),
                text: text.to_owned(),
            }
        }
    }

    const LEVELS: [&str; 5] = ["LOG", "WARN", "ERROR", "DEBUG", "INFO"];

    /// WebKit's console messages in MiniBrowser's output, exactly as printed: each
    /// `[<url>:<line>:<column>: ]CONSOLE <SOURCE> <LEVEL> <message>` line (the source may be
    /// two words, e.g. `CONTENT BLOCKER`; the level is the first level word after it).
    pub fn console(output: &str) -> Vec<ConsoleLine> {
        let mut out = Vec::new();
        for line in output.lines() {
            let rest = if let Some(rest) = line.strip_prefix("CONSOLE ") {
                rest
            } else if let Some(at) = line.find(": CONSOLE ") {
                &line[at + ": CONSOLE ".len()..]
            } else {
                continue;
            };
            // A console.* message has no source word: `CONSOLE LOG <message>`.
            let padded = format!(" {rest}");
            let found = LEVELS
                .iter()
                .filter_map(|level| {
                    let at = padded.find(&format!(" {level} "))?;
                    Some((at, *level))
                })
                .min();
            let Some((at, level)) = found else {
                continue;
            };
            out.push(ConsoleLine::new(
                padded[..at].trim_start(),
                level,
                &padded[at + level.len() + 2..],
            ));
        }
        out
    }
}

// --- Firefox's console over WebDriver BiDi --------------------------------------------------

/// Firefox's console, read over WebDriver BiDi straight from the browser's remote agent
/// (`--remote-debugging-port`, no geckodriver): a session subscribed to `log.entryAdded`
/// navigates the first tab to the page, and every entry is kept. Firefox prints its CORS
/// errors as `javascript` entries at level `error`, with the text exactly as the web console
/// shows it (`devtools.console.stdout.content` does not print them: they are network-category
/// messages). Dropping it stops the reader.
pub struct FirefoxConsole {
    entries: Arc<Mutex<Vec<ConsoleMessage>>>,
    task: tokio::task::JoinHandle<()>,
}

/// How long the remote agent may take to listen and the session to start.
const BIDI_START: Duration = Duration::from_secs(30);

impl FirefoxConsole {
    /// Connects to the remote agent on `port`, subscribes to the console and navigates to
    /// `url`. Panics (with `context`, e.g. the browser's output) when that fails in time.
    pub fn open(port: u16, url: &str, context: impl Fn() -> String) -> FirefoxConsole {
        let entries = Arc::new(Mutex::new(Vec::new()));
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<(), String>>();
        let (sink, url) = (entries.clone(), url.to_owned());
        let task = runtime().spawn(async move {
            if let Err(e) = bidi_run(port, &url, sink, &ready_tx).await {
                let _ = ready_tx.send(Err(e));
            }
        });
        match ready_rx.recv_timeout(BIDI_START) {
            Ok(Ok(())) => FirefoxConsole { entries, task },
            Ok(Err(e)) => panic!("Firefox's BiDi console: {e}\n{}", context()),
            Err(_) => panic!(
                "Firefox's BiDi console did not start within {BIDI_START:?}\n{}",
                context()
            ),
        }
    }

    /// Every entry so far: `level` (`error`, ...), `source` (the BiDi entry type:
    /// `javascript`, `console`), `url` empty, `text` exactly.
    pub fn entries(&self) -> Vec<ConsoleMessage> {
        self.entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Drop for FirefoxConsole {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn bidi_run(
    port: u16,
    url: &str,
    sink: Arc<Mutex<Vec<ConsoleMessage>>>,
    ready: &std::sync::mpsc::Sender<Result<(), String>>,
) -> Result<(), String> {
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let deadline = Instant::now() + BIDI_START;
    let stream = loop {
        match tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            Ok(s) => break s,
            Err(e) if Instant::now() > deadline => {
                return Err(format!("no remote agent on port {port}: {e}"))
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    let (mut ws, _) =
        tokio_tungstenite::client_async(format!("ws://127.0.0.1:{port}/session"), stream)
            .await
            .map_err(|e| format!("websocket handshake: {e}"))?;
    // Sends a command and waits for its answer, keeping any event that arrives meanwhile.
    let mut next_id = 0u64;
    let keep = |v: &Value| {
        if v["method"] == "log.entryAdded" {
            let p = &v["params"];
            let field = |n: &str| p[n].as_str().unwrap_or_default().to_owned();
            sink.lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(ConsoleMessage {
                    level: field("level"),
                    source: field("type"),
                    url: String::new(),
                    text: field("text"),
                });
        }
    };
    let mut commands = vec![
        ("session.new", json!({ "capabilities": {} })),
        ("session.subscribe", json!({ "events": ["log.entryAdded"] })),
        ("browsingContext.getTree", json!({})),
    ];
    let mut context = String::new();
    while !commands.is_empty() {
        let (method, params) = commands.remove(0);
        next_id += 1;
        let command = json!({ "id": next_id, "method": method, "params": params });
        ws.send(Message::text(command.to_string()))
            .await
            .map_err(|e| format!("{method}: {e}"))?;
        loop {
            let Some(frame) = ws.next().await else {
                return Err(format!("{method}: the connection closed"));
            };
            let Ok(Message::Text(text)) = frame else {
                continue;
            };
            let v: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
            if v["id"] == next_id {
                if v["type"] != "success" {
                    return Err(format!("{method}: {v}"));
                }
                if method == "browsingContext.getTree" {
                    context = v["result"]["contexts"][0]["context"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned();
                }
                break;
            }
            keep(&v);
        }
    }
    next_id += 1;
    let navigate = json!({
        "id": next_id,
        "method": "browsingContext.navigate",
        "params": { "context": context, "url": url, "wait": "none" },
    });
    ws.send(Message::text(navigate.to_string()))
        .await
        .map_err(|e| format!("browsingContext.navigate: {e}"))?;
    let _ = ready.send(Ok(()));
    while let Some(Ok(frame)) = ws.next().await {
        if let Message::Text(text) = frame {
            keep(&serde_json::from_str(text.as_str()).unwrap_or(Value::Null));
        }
    }
    Ok(())
}

/// One `#[test]` per scenario for one browser, on the binary's session of that browser, taking
/// turns, each scenario bounded by `limit`: `browser_tests!(Kind::Chromium, LIMIT; scenario,
/// ...)` inside a module whose parent defines `async fn scenario(browser: &Browser)`.
macro_rules! browser_tests {
    ($kind:expr, $limit:expr; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let Some(session) = $crate::util::browser::session($kind) else {
                    return;
                };
                $crate::util::browser::runtime().block_on(async {
                    let browser = session.browser();
                    browser.drain_console().await;
                    let scenario = super::$name(browser);
                    if tokio::time::timeout($limit, scenario).await.is_err() {
                        panic!("{} did not finish within {:?}", stringify!($name), $limit);
                    }
                });
                // Dropping the session (outside the runtime) ends the browser unless the next
                // test of the same browser is waiting for it.
                drop(session);
            }
        )*
    };
}
pub(crate) use browser_tests;
